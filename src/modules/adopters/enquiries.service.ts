// The RAA's front door (issue 5 §1): anyone may enquire about adopting without signing in; the
// enquiry waits in the RAA's triage queue with the council of residence worked out from the
// postcode district. Spam resistance without third parties: a honeypot field, a per-address rate
// limit and small body limits on the route, and a repeat from one email address within minutes
// is answered with the first enquiry rather than stored twice.
//
// Only RAA-side staff (the RAA, its spokes and teams) holding 'enquiries:triage' see enquiries;
// councils do not (issue 5 §7). Every view and change of an enquiry is audited.
import { randomInt } from 'node:crypto';
import type { ExpressionBuilder, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { EnquiryInput, TriageInput } from './enquiry.forms.js';
import type { EnquiryStatus } from './enquiries.tables.js';
import './enquiries.tables.js';

export interface EnquiryDeps {
  db: Db;
  auditKey: AuditKey;
}

/** A repeat from the same address within this many minutes is the same enquiry sent twice. */
export const duplicateWindowMinutes = 10;

// No 0/O, 1/I: a reference is read out over the phone.
const referenceAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newReference(): string {
  const part = () =>
    Array.from({ length: 4 }, () => referenceAlphabet[randomInt(referenceAlphabet.length)]).join('');
  return `${part()}-${part()}`;
}

export type EnquiryOutcome =
  | { kind: 'received'; reference: string; firstName: string; email: string; councilName: string | null }
  | { kind: 'repeat'; reference: string }
  | { kind: 'ignored' };

/** Which council and RAA a postcode district belongs to, from the region file's district lists. */
async function placeFor(db: Db, district: string) {
  const council = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'raa_id'])
    .where('kind', '=', 'local_authority')
    .where('active', '=', true)
    .where((eb) => eb(eb.val(district), '=', eb.fn.any('postcode_districts')))
    .executeTakeFirst();
  if (council?.raa_id) return { councilId: council.id, councilName: council.name, raaId: council.raa_id };
  // Outside the region's districts: the enquiry still reaches the RAA (the host's front door), and
  // triage sees that no member council covers it.
  const raa = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'raa')
    .where('active', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  return { councilId: null, councilName: null, raaId: raa?.id ?? null };
}

export async function receiveEnquiry(
  deps: EnquiryDeps,
  auditContext: AuditContext,
  input: EnquiryInput,
): Promise<EnquiryOutcome> {
  if (input.website) {
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action: 'enquiry.create',
      outcome: 'denied',
      subjectType: 'enquiry',
      reason: 'honeypot field filled',
    });
    return { kind: 'ignored' };
  }
  const since = new Date(auditContext.now.getTime() - duplicateWindowMinutes * 60_000);
  const place = await placeFor(deps.db, input.postcode.district);
  return deps.db.transaction().execute(async (trx) => {
    const recent = await trx
      .selectFrom('adopter_enquiries')
      .select('reference')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email))
      .where('created_at', '>=', since)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (recent) return { kind: 'repeat' as const, reference: recent.reference };
    const row = await trx
      .insertInto('adopter_enquiries')
      .values({
        reference: newReference(),
        raa_id: place.raaId,
        council_id: place.councilId,
        name: input.name,
        email: input.email,
        phone: input.phone,
        postcode: input.postcode.postcode,
        postcode_district: input.postcode.district,
        applying_as: input.applyingAs,
        previous_experience: input.previousExperience,
        heard_from: input.heardFrom,
        message: input.message,
        created_at: auditContext.now,
      })
      .returning(['id', 'reference'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'enquiry.create',
      outcome: 'success',
      subjectType: 'enquiry',
      subjectId: row.id,
      subjectOrganisationId: place.raaId,
    });
    return {
      kind: 'received' as const,
      reference: row.reference,
      firstName: input.name.split(' ')[0] ?? input.name,
      email: input.email,
      councilName: place.councilName,
    };
  });
}

/** The RAA an actor triages for, or null: councils and partners never see enquiries (issue 5 §7). */
function triageRaa(actor: Actor): string | null {
  return ['raa', 'spoke', 'team'].includes(actor.organisation.kind) ? actor.scope.raaId : null;
}

function enquiriesOf(db: Db, raaId: string) {
  return db
    .selectFrom('adopter_enquiries as enquiry')
    .leftJoin('organisations as council', 'council.id', 'enquiry.council_id')
    .leftJoin('users as triager', 'triager.id', 'enquiry.triaged_by')
    .selectAll('enquiry')
    .select(['council.name as council_name', 'triager.name as triaged_by_name'])
    .where('enquiry.raa_id', '=', raaId);
}

export type EnquiryRow = Awaited<ReturnType<ReturnType<typeof enquiriesOf>['executeTakeFirstOrThrow']>>;

export async function triageQueue(
  deps: EnquiryDeps,
  actor: Actor,
  auditContext: AuditContext,
  status: EnquiryStatus | 'open',
): Promise<{ enquiries: EnquiryRow[]; counts: Record<string, number> }> {
  const raaId = triageRaa(actor);
  if (!raaId) return { enquiries: [], counts: {} };
  let query = enquiriesOf(deps.db, raaId);
  query =
    status === 'open'
      ? query.where('enquiry.status', '<>', 'closed')
      : query.where('enquiry.status', '=', status);
  const [enquiries, counts] = await Promise.all([
    query.orderBy('enquiry.created_at', 'desc').limit(500).execute(),
    deps.db
      .selectFrom('adopter_enquiries')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('raa_id', '=', raaId)
      .groupBy('status')
      .execute(),
  ]);
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action: 'enquiries.queue.view',
    outcome: 'success',
    subjectType: 'enquiry',
    subjectOrganisationId: raaId,
    reason: `${enquiries.length} enquiries; status=${status}`,
  });
  return { enquiries, counts: Object.fromEntries(counts.map((row) => [row.status, Number(row.n)])) };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function enquiryDetail(
  deps: EnquiryDeps,
  actor: Actor,
  auditContext: AuditContext,
  enquiryId: string,
): Promise<EnquiryRow> {
  const enquiry = await findEnquiry(deps, actor, enquiryId);
  if (!enquiry) throw await enquiryNotFound(deps, auditContext, 'enquiry.view', enquiryId);
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action: 'enquiry.view',
    outcome: 'success',
    subjectType: 'enquiry',
    subjectId: enquiry.id,
    subjectOrganisationId: enquiry.raa_id,
  });
  return enquiry;
}

/** Thrown when the triage form was based on an older version of the enquiry. */
export class StaleTriage extends Error {
  constructor(readonly current: EnquiryRow) {
    super('Someone else recorded a triage outcome first');
  }
}

export async function recordTriage(
  deps: EnquiryDeps,
  actor: Actor,
  auditContext: AuditContext,
  enquiryId: string,
  input: TriageInput,
): Promise<void> {
  const enquiry = await findEnquiry(deps, actor, enquiryId);
  if (!enquiry) throw await enquiryNotFound(deps, auditContext, 'enquiry.triage', enquiryId);
  if (input.status === 'closed' && !input.closedReason) {
    throw new AppError('bad-request', 'Give the reason the enquiry is closed', {
      fieldErrors: [{ field: 'closedReason', message: 'Give the reason the enquiry is closed' }],
    });
  }
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('adopter_enquiries')
      .set((eb) => ({
        status: input.status,
        closed_reason: input.status === 'closed' ? input.closedReason : null,
        triage_note: input.triageNote,
        triaged_by: actor.userId,
        triaged_at: auditContext.now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', enquiry.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'enquiry.triage',
      outcome: 'success',
      subjectType: 'enquiry',
      subjectId: enquiry.id,
      subjectOrganisationId: enquiry.raa_id,
      reason: input.status,
    });
    return true;
  });
  if (!changed) throw new StaleTriage((await findEnquiry(deps, actor, enquiryId)) ?? enquiry);
}

/**
 * Marks an enquiry as invited to an event (issue 5 §4), in the caller's transaction, if it is still
 * at the version the member of staff saw; false when someone changed it first.
 */
export async function markEnquiryInvited(
  trx: Transaction<DB>,
  deps: EnquiryDeps,
  actor: Actor,
  auditContext: AuditContext,
  enquiry: EnquiryRow,
  version: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('adopter_enquiries')
    .set((eb) => ({
      status: 'invited' as const,
      closed_reason: null,
      triaged_by: actor.userId,
      triaged_at: auditContext.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', enquiry.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await writeAudit(trx, deps.auditKey, auditContext, {
    action: 'enquiry.triage',
    outcome: 'success',
    subjectType: 'enquiry',
    subjectId: enquiry.id,
    subjectOrganisationId: enquiry.raa_id,
    reason: 'invited',
  });
  return true;
}

export function findEnquiry(
  deps: EnquiryDeps,
  actor: Actor,
  enquiryId: string,
): Promise<EnquiryRow | undefined> {
  const raaId = triageRaa(actor);
  if (!raaId || !uuidPattern.test(enquiryId)) return Promise.resolve(undefined);
  return enquiriesOf(deps.db, raaId).where('enquiry.id', '=', enquiryId).executeTakeFirst();
}

/** A refusal for an enquiry that is not the actor's RAA's (or does not exist): audited, then "not found". */
export async function enquiryNotFound(
  deps: EnquiryDeps,
  auditContext: AuditContext,
  action: string,
  enquiryId: string,
) {
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action,
    outcome: 'denied',
    subjectType: 'enquiry',
    subjectId: uuidPattern.test(enquiryId) ? enquiryId : null,
    reason: 'not an enquiry to your RAA',
  });
  return notFound('enquiry');
}

/**
 * Data minimisation for people who asked but never registered (issue 5 §6; UK GDPR Art. 5(1)(c)
 * and (e)): at half the retention period an enquiry loses its phone number, message and triage
 * note; at the full period it is deleted. Each minimisation and deletion is audited by id, without
 * the personal details. An enquiry that became a household's registration is kept with it.
 */
export async function applyEnquiryRetention(
  deps: EnquiryDeps,
  auditContext: AuditContext,
  retentionMonths: number,
): Promise<{ minimised: number; deleted: number }> {
  const deleteBefore = subtractMonths(auditContext.now, retentionMonths);
  const minimiseBefore = subtractMonths(auditContext.now, Math.floor(retentionMonths / 2));
  return deps.db.transaction().execute(async (trx) => {
    const neverRegistered = (eb: ExpressionBuilder<DB, 'adopter_enquiries'>) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('households')
            .select('households.id')
            .whereRef('households.enquiry_id', '=', 'adopter_enquiries.id'),
        ),
      );
    const deleted = await trx
      .deleteFrom('adopter_enquiries')
      .where('created_at', '<', deleteBefore)
      .where(neverRegistered)
      .returning(['id', 'raa_id'])
      .execute();
    for (const row of deleted) {
      await writeAudit(trx, deps.auditKey, auditContext, {
        action: 'enquiry.delete',
        outcome: 'success',
        subjectType: 'enquiry',
        subjectId: row.id,
        subjectOrganisationId: row.raa_id,
        reason: `retention: older than ${retentionMonths} months and never registered`,
      });
    }
    const minimised = await trx
      .updateTable('adopter_enquiries')
      .set((eb) => ({ phone: null, message: null, triage_note: null, version: eb('version', '+', 1) }))
      .where('created_at', '<', minimiseBefore)
      .where(neverRegistered)
      .where((eb) =>
        eb.or([
          eb('phone', 'is not', null),
          eb('message', 'is not', null),
          eb('triage_note', 'is not', null),
        ]),
      )
      .returning(['id', 'raa_id'])
      .execute();
    for (const row of minimised) {
      await writeAudit(trx, deps.auditKey, auditContext, {
        action: 'enquiry.minimise',
        outcome: 'success',
        subjectType: 'enquiry',
        subjectId: row.id,
        subjectOrganisationId: row.raa_id,
        reason: `retention: phone, message and note removed after ${Math.floor(retentionMonths / 2)} months`,
      });
    }
    return { minimised: minimised.length, deleted: deleted.length };
  });
}

function subtractMonths(now: Date, months: number): Date {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date;
}
