// Letterbox contact (issue 8 §4): agreements between an adoptive family and named birth relatives,
// and every item exchanged through the agency. The rules:
// - an item is logged for one of the agreement's months (received); a worker reads it and records
//   the text as it will be passed on, with what was removed (checked); then it is forwarded, or
//   held with a reason. A held item is released only after a fresh check by a worker other than
//   the one who held it (four eyes on anything a worker stopped; security.md DP-7's spirit);
// - nothing is logged for an agreement that has ended;
// - everything that goes to a birth relative is built by birth-relative-output.ts, which refuses
//   to produce it if any protected detail of the family appears; the refusal is audited after the
//   transaction has rolled back, and nothing is written;
// - the birth relatives' own contact details are need-to-know ('support:restricted') and are
//   never passed to the family (family-letters.ts);
// - a daily job reminds: the allocated worker by email (references only, no names), the writer by
//   a letter or email when their item is due (a birth relative's through the guard).
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext, AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { addCalendarDays, addCalendarMonths, todayInLondon } from '../../platform/time/index.js';
import { formatDate } from '../../platform/views/render.js';
import {
  auditBirthRelativeRefusal,
  buildBirthRelativeOutput,
  BirthRelativeOutputRefused,
  collectProtectedDetails,
  findProtectedValues,
  isBirthRelativeOutputKind,
  letterPdf,
  protectedFieldLabels,
  sendBirthRelativeEmail,
  type BirthRelativeOutput,
  type BirthRelativeOutputKind,
  type ProtectedDetails,
} from './birth-relative-output.js';
import {
  birthRelativeDetailsIn,
  buildFamilyLetter,
  familyLetterPdf,
  FamilyOutputRefused,
  type BirthRelativeContact,
  type FamilyOutputKind,
} from './family-letters.js';
import type { AgreementInput, ExchangeInput } from './support.forms.js';
import {
  addExchangeEvent,
  agencyOf,
  agreementInRaa,
  type AgreementRow,
  childrenOfCase,
  exchangeEventsOf,
  exchangeInRaa,
  type ExchangeRow,
  exchangesOf,
  type Executor,
  outputInRaa,
  outputsOf,
  partiesDueBy,
  partiesOf,
  type PartyRow,
  protectedSourcesOf,
  receivedPeriodsOf,
} from './support.repository.js';
import { isAgreedPeriod, letterboxSchedule, nextDueOn, type LetterboxTiming } from './support-rules.js';
import {
  auditFormView,
  auditOnCase,
  auditSupport,
  caseForActor,
  inActorRaa,
  newAgreementReference,
  StaleSupportRecord,
  type SupportDeps,
  SupportRefused,
} from './support.service.js';
import type { ExchangeStatus } from './support.tables.js';

export const exchangeStatusLabels: Record<ExchangeStatus, string> = {
  received: 'Received, not yet checked',
  checked: 'Checked',
  forwarded: 'Forwarded',
  held: 'Held',
};

const timingOf = (agreement: {
  months: number[];
  starts_on: string;
  ended_on: string | null;
}): LetterboxTiming => ({
  months: agreement.months,
  startsOn: agreement.starts_on,
  endedOn: agreement.ended_on,
});

/** The family's protected values, as the guard needs them. */
export async function protectedDetailsOf(executor: Executor, caseId: string): Promise<ProtectedDetails> {
  const sources = await protectedSourcesOf(executor, caseId);
  if (!sources) throw new Error('support case missing');
  return collectProtectedDetails(sources);
}

const contactOf = (party: PartyRow): BirthRelativeContact => ({
  addressLine1: party.address_line_1,
  addressLine2: party.address_line_2,
  town: party.town,
  postcode: party.postcode,
  email: party.email,
  phone: party.phone,
});

/** The name the birth family knows the child by; never the current name, which may be new. */
const knownName = (agreement: { child_birth_first_name: string | null }) =>
  agreement.child_birth_first_name ?? 'the child';

async function refreshNextDue(
  executor: Executor,
  agreement: LetterboxTiming,
  partyId: string,
  extra?: string,
) {
  const received = await receivedPeriodsOf(executor, partyId);
  if (extra) received.add(extra);
  await executor
    .updateTable('letterbox_parties')
    .set({ next_due_on: nextDueOn(agreement, received) })
    .where('id', '=', partyId)
    .execute();
}

// ── Agreements ────────────────────────────────────────────────────────────────────────────────

export async function agreementForm(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
) {
  const found = await caseForActor(deps, actor, auditContext, 'support.letterbox.create', caseId);
  if (found.kind !== 'adoptive_family') {
    throw new AppError('conflict', 'Letterbox agreements belong to an adoptive family’s case.');
  }
  await auditFormView(deps, auditContext, found, 'letterbox agreement form');
  return { found, children: await childrenOfCase(deps.db, found.id) };
}

export async function createAgreement(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: AgreementInput,
): Promise<string> {
  const action = 'support.letterbox.create';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  if (found.kind !== 'adoptive_family') {
    throw new SupportRefused([
      { field: 'months', message: 'Letterbox agreements belong to an adoptive family’s case' },
    ]);
  }
  if (found.status === 'closed') {
    throw new SupportRefused([
      { field: 'months', message: 'This case is closed: reopen it before making a new agreement' },
    ]);
  }
  if (
    input.supportChildId &&
    !(await childrenOfCase(deps.db, found.id)).some((c) => c.id === input.supportChildId)
  ) {
    throw new SupportRefused([{ field: 'supportChildId', message: 'Choose the child from the list' }]);
  }
  if (input.reviewOn && input.reviewOn <= input.startsOn) {
    throw new SupportRefused([
      { field: 'reviewOn-day', message: 'The review date must be after the agreement starts' },
    ]);
  }
  const timing: LetterboxTiming = { months: input.months, startsOn: input.startsOn, endedOn: null };
  const firstDue = nextDueOn(timing, new Set());
  return deps.db.transaction().execute(async (trx) => {
    const agreement = await trx
      .insertInto('letterbox_agreements')
      .values({
        reference: newAgreementReference(),
        case_id: found.id,
        raa_id: found.raa_id,
        support_child_id: input.supportChildId,
        months: input.months,
        starts_on: input.startsOn,
        review_on: input.reviewOn,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('letterbox_parties')
      .values([
        {
          agreement_id: agreement.id,
          side: 'adoptive_family',
          name: input.familyName,
          relationship: 'Adoptive family',
          writes: input.familyWrites,
          receives: input.familyReceives,
          address_line_1: null,
          address_line_2: null,
          town: null,
          postcode: null,
          email: null,
          phone: null,
          next_due_on: input.familyWrites ? firstDue : null,
        },
        ...input.relatives.map((relative) => ({
          agreement_id: agreement.id,
          side: 'birth_relative' as const,
          name: relative.name,
          relationship: relative.relationship,
          writes: relative.writes,
          receives: relative.receives,
          address_line_1: relative.addressLine1,
          address_line_2: relative.addressLine2,
          town: relative.town,
          postcode: relative.postcode,
          email: relative.email,
          phone: null,
          prefers_email: relative.prefersEmail,
          next_due_on: relative.writes ? firstDue : null,
        })),
      ])
      .execute();
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: found.id,
      raaId: found.raa_id,
      reason: `${input.relatives.length} birth relatives; months ${input.months.join(',')}`,
    });
    return agreement.id;
  });
}

const agreementForActor = inActorRaa(agreementInRaa, {
  reason: 'not a letterbox agreement of your RAA',
  what: 'letterbox agreement',
});

export async function agreementPage(deps: SupportDeps, actor: Actor, auditContext: AuditContext, id: string) {
  const action = 'support.letterbox.view';
  const agreement = await agreementForActor(deps, actor, auditContext, action, id);
  const today = todayInLondon(auditContext.now);
  const [parties, exchanges, outputs] = await Promise.all([
    partiesOf(deps.db, agreement.id),
    exchangesOf(deps.db, agreement.id),
    outputsOf(deps.db, agreement.id),
  ]);
  const timing = timingOf(agreement);
  const schedules = parties
    .filter((party) => party.writes)
    .map((party) => {
      const received = new Set(
        exchanges.filter((x) => x.from_party_id === party.id).map((x) => String(x.for_period)),
      );
      return { party, states: letterboxSchedule(timing, received, today) };
    });
  await auditOnCase(deps.db, deps, auditContext, action, agreement);
  return {
    agreement,
    parties,
    exchanges,
    outputs,
    schedules,
    today,
    mayReadContacts: actor.permissions.has('support:restricted'),
  };
}

export async function endAgreement(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: { version: number; reason: string; endedOn: string },
): Promise<void> {
  const action = 'support.letterbox.end';
  const agreement = await agreementForActor(deps, actor, auditContext, action, id);
  if (agreement.status === 'ended') {
    throw new SupportRefused(
      [{ field: 'reason', message: `This agreement already ended on ${formatDate(agreement.ended_on)}` }],
      409,
    );
  }
  if (input.endedOn < agreement.starts_on) {
    throw new SupportRefused([
      { field: 'endedOn-day', message: 'The agreement cannot end before it started' },
    ]);
  }
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('letterbox_agreements')
      .set((eb) => ({
        status: 'ended',
        ended_on: input.endedOn,
        end_reason: input.reason,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', agreement.id)
      .where('version', '=', input.version)
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    const timing = { ...timingOf(agreement), endedOn: input.endedOn };
    for (const party of await partiesOf(trx, agreement.id)) {
      if (party.writes) await refreshNextDue(trx, timing, party.id);
    }
    await auditOnCase(trx, deps, auditContext, action, agreement);
    return true;
  });
  if (!changed) throw new StaleSupportRecord();
}

// ── Items ─────────────────────────────────────────────────────────────────────────────────────

export async function logExchange(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  agreementId: string,
  input: ExchangeInput,
): Promise<string> {
  const action = 'support.letterbox.item.receive';
  const agreement = await agreementForActor(deps, actor, auditContext, action, agreementId);
  const failed = async (field: string, message: string): Promise<never> => {
    await auditOnCase(deps.db, deps, auditContext, action, agreement, { outcome: 'failed', reason: message });
    throw new SupportRefused([{ field, message }], field === 'agreement' ? 409 : 400);
  };
  if (agreement.status === 'ended') {
    return failed(
      'agreement',
      `This agreement ended on ${formatDate(agreement.ended_on)}, so no new items can be logged for it. Nothing was saved: talk to your manager about what to do with the item.`,
    );
  }
  const today = todayInLondon(auditContext.now);
  if (input.receivedOn > today)
    return failed('receivedOn-day', 'The date the item arrived must be today or in the past');
  const parties = await partiesOf(deps.db, agreement.id);
  const from = parties.find((p) => p.id === input.fromPartyId);
  if (!from) return failed('fromPartyId', 'Choose who the item is from');
  if (!from.writes) return failed('fromPartyId', `${from.name} does not write under this agreement`);
  const timing = timingOf(agreement);
  if (!isAgreedPeriod(timing, input.forPeriod))
    return failed('forPeriod', 'Choose one of the agreement’s months for the item');
  return deps.db.transaction().execute(async (trx) => {
    // The agreement's row is locked, so an item cannot slip in while it is being ended.
    const current = await trx
      .selectFrom('letterbox_agreements')
      .select(['status'])
      .where('id', '=', agreement.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.status !== 'active')
      throw new SupportRefused(
        [{ field: 'agreement', message: 'This agreement has just ended: nothing was saved' }],
        409,
      );
    const row = await trx
      .insertInto('letterbox_exchanges')
      .values({
        agreement_id: agreement.id,
        from_party_id: from.id,
        for_period: input.forPeriod,
        received_on: input.receivedOn,
        original_text: input.originalText,
        created_by: actor.userId,
        created_at: auditContext.now,
        updated_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await addExchangeEvent(trx, row.id, 'received', null, actor.userId, auditContext.now);
    await refreshNextDue(trx, timing, from.id, input.forPeriod);
    await auditOnCase(trx, deps, auditContext, action, agreement, {
      reason: `${from.side} for ${input.forPeriod.slice(0, 7)}`,
    });
    return row.id;
  });
}

const exchangeForActor = inActorRaa(exchangeInRaa, {
  reason: 'not a letterbox item of your RAA',
  what: 'letterbox item',
});

export async function exchangePage(deps: SupportDeps, actor: Actor, auditContext: AuditContext, id: string) {
  const action = 'support.letterbox.item.view';
  const exchange = await exchangeForActor(deps, actor, auditContext, action, id);
  const [events, parties, outputs] = await Promise.all([
    exchangeEventsOf(deps.db, exchange.id),
    partiesOf(deps.db, exchange.agreement_id),
    outputsOf(deps.db, exchange.agreement_id),
  ]);
  await auditOnCase(deps.db, deps, auditContext, action, exchange);
  const receivers = parties.filter((p) => p.side !== exchange.from_side && p.receives);
  return {
    exchange,
    events,
    receivers,
    outputs: outputs.filter((o) => o.exchange_id === exchange.id),
    acknowledged: events.some((e) => e.action === 'acknowledged'),
    heldNoticeSent: events.some((e) => e.action === 'held_notice'),
    mayRelease: exchange.status === 'held' && exchange.held_by !== actor.userId,
  };
}

/** Runs one change to an item under its version, with a refusal audited after any rollback. */
async function changeExchange<T>(
  deps: SupportDeps,
  auditContext: AuditContext,
  exchange: ExchangeRow,
  action: string,
  version: number,
  change: (trx: Transaction<DB>, current: { status: ExchangeStatus; held_by: string | null }) => Promise<T>,
): Promise<T> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('letterbox_exchanges')
        .select(['status', 'version', 'held_by'])
        .where('id', '=', exchange.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.version !== version) throw new StaleSupportRecord();
      return change(trx, current);
    });
  } catch (error) {
    const subject = { caseId: exchange.case_id, raaId: exchange.raa_id };
    if (error instanceof BirthRelativeOutputRefused) {
      await auditBirthRelativeRefusal(deps.db, deps.auditKey, auditContext, error, subject);
    } else if (error instanceof SupportRefused || error instanceof FamilyOutputRefused) {
      await auditSupport(deps.db, deps, auditContext, {
        action,
        outcome: 'failed',
        ...subject,
        reason: error.message,
      });
    }
    throw error;
  }
}

export async function checkExchange(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: { version: number; redactedText: string; redactionNote: string },
): Promise<void> {
  const action = 'support.letterbox.item.check';
  const exchange = await exchangeForActor(deps, actor, auditContext, action, id);
  const parties = await partiesOf(deps.db, exchange.agreement_id);
  const from = parties.find((p) => p.id === exchange.from_party_id)!;
  // The check itself scans the text the way the guard will, so a mistake is caught at once.
  const found =
    from.side === 'adoptive_family'
      ? findProtectedValues(input.redactedText, await protectedDetailsOf(deps.db, exchange.case_id))
      : [];
  const contactLeak =
    from.side === 'birth_relative' && birthRelativeDetailsIn(input.redactedText, contactOf(from));
  await changeExchange(deps, auditContext, exchange, action, input.version, async (trx, current) => {
    if (current.status === 'forwarded') {
      throw new SupportRefused(
        [{ field: 'redactedText', message: 'This item has already been forwarded' }],
        409,
      );
    }
    if (current.status === 'held' && current.held_by === actor.userId) {
      throw new SupportRefused([
        {
          field: 'redactedText',
          message: 'You held this item, so another worker must check it again before it can be released',
        },
      ]);
    }
    if (found.length) {
      throw new SupportRefused([
        {
          field: 'redactedText',
          message: `The checked text still contains ${found.map((f) => protectedFieldLabels[f]).join(', ')}: remove it before you record the check`,
        },
      ]);
    }
    if (contactLeak) {
      throw new SupportRefused([
        {
          field: 'redactedText',
          message:
            'The checked text still contains the birth relative’s address, postcode, email or phone number: remove it',
        },
      ]);
    }
    await trx
      .updateTable('letterbox_exchanges')
      .set((eb) => ({
        status: 'checked',
        redacted_text: input.redactedText,
        redaction_note: input.redactionNote,
        checked_by: actor.userId,
        checked_at: auditContext.now,
        version: eb('version', '+', 1),
        updated_at: auditContext.now,
      }))
      .where('id', '=', exchange.id)
      .execute();
    await addExchangeEvent(
      trx,
      exchange.id,
      'checked',
      current.status === 'held' ? `Checked again for release: ${input.redactionNote}` : input.redactionNote,
      actor.userId,
      auditContext.now,
    );
    await auditOnCase(trx, deps, auditContext, action, exchange, {
      reason: current.status === 'held' ? 'release check' : null,
    });
  });
}

export async function holdExchange(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: { version: number; reason: string },
): Promise<void> {
  const action = 'support.letterbox.item.hold';
  const exchange = await exchangeForActor(deps, actor, auditContext, action, id);
  await changeExchange(deps, auditContext, exchange, action, input.version, async (trx, current) => {
    if (current.status === 'forwarded' || current.status === 'held') {
      throw new SupportRefused([{ field: 'reason', message: `This item is already ${current.status}` }], 409);
    }
    await trx
      .updateTable('letterbox_exchanges')
      .set((eb) => ({
        status: 'held',
        held_reason: input.reason,
        held_by: actor.userId,
        version: eb('version', '+', 1),
        updated_at: auditContext.now,
      }))
      .where('id', '=', exchange.id)
      .execute();
    await addExchangeEvent(trx, exchange.id, 'held', input.reason, actor.userId, auditContext.now);
    await auditOnCase(trx, deps, auditContext, action, exchange);
  });
}

interface LetterContext {
  agreement: AgreementRow;
  agency: { name: string; contact: string };
  workerName: string;
  today: string;
}

async function letterContext(
  executor: Executor,
  agreement: AgreementRow,
  workerName: string,
  today: string,
): Promise<LetterContext> {
  const agency = await agencyOf(executor, agreement.raa_id);
  return {
    agreement,
    agency: {
      name: agency.name,
      contact: [agency.contact_email, agency.contact_phone].filter(Boolean).join(' · '),
    },
    workerName,
    today,
  };
}

/** The birth-relative-safe source for one letter; the guard copies only what it allows. */
function birthRelativeSource(context: LetterContext, party: PartyRow, extra: Record<string, unknown>) {
  return {
    recipientName: party.name,
    recipientAddress: [party.address_line_1, party.address_line_2, party.town, party.postcode].filter(
      Boolean,
    ),
    agencyName: context.agency.name,
    agencyContact: context.agency.contact,
    workerName: context.workerName,
    letterboxReference: context.agreement.reference,
    childName: knownName(context.agreement),
    date: context.today,
    nextPeriod: party.next_due_on,
    ...extra,
  };
}

async function recordOutput(
  trx: Executor,
  input: {
    agreementId: string;
    exchangeId: string | null;
    partyId: string;
    audience: 'birth_relative' | 'adoptive_family';
    kind: string;
    channel: 'letter' | 'email';
    view: Record<string, unknown> | null;
    subject: string;
    body: string;
    createdBy: string | null;
    now: Date;
  },
): Promise<string> {
  const row = await trx
    .insertInto('letterbox_outputs')
    .values({
      agreement_id: input.agreementId,
      exchange_id: input.exchangeId,
      party_id: input.partyId,
      audience: input.audience,
      kind: input.kind,
      channel: input.channel,
      view: input.view ? JSON.stringify(input.view) : null,
      subject: input.subject,
      body: input.body,
      created_by: input.createdBy,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function familyView(
  executor: Executor,
  context: LetterContext,
  writer: string,
  extra: Partial<Record<string, string | null>>,
) {
  const caseRow = await executor
    .selectFrom('support_cases as c')
    .leftJoin('households as h', 'h.id', 'c.household_id')
    .select([
      'c.family_name',
      'c.address_line_1',
      'c.address_line_2',
      'c.town',
      'c.postcode',
      'h.address_line_1 as h1',
      'h.address_line_2 as h2',
      'h.town as ht',
      'h.postcode as hp',
    ])
    .where('c.id', '=', context.agreement.case_id)
    .executeTakeFirstOrThrow();
  const familyParty = (await partiesOf(executor, context.agreement.id)).find(
    (p) => p.side === 'adoptive_family',
  );
  return {
    familyName: caseRow.family_name ?? familyParty?.name ?? 'family',
    addressLines: [
      caseRow.address_line_1 ?? caseRow.h1,
      caseRow.address_line_2 ?? caseRow.h2,
      caseRow.town ?? caseRow.ht,
      caseRow.postcode ?? caseRow.hp,
    ].filter((v): v is string => !!v),
    agencyName: context.agency.name,
    agencyContact: context.agency.contact,
    workerName: context.workerName,
    letterboxReference: context.agreement.reference,
    childName: context.agreement.child_first_name ?? 'your child',
    writerName: writer,
    date: context.today,
    period: extra.period ?? null,
    receivedOn: extra.receivedOn ?? null,
    body: extra.body ?? null,
  };
}

/** Forwards a checked item: a letter to each receiving party on the other side, in one transaction. */
export async function forwardExchange(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  version: number,
): Promise<void> {
  const action = 'support.letterbox.item.forward';
  const exchange = await exchangeForActor(deps, actor, auditContext, action, id);
  const agreement = (await agreementInRaa(deps.db, exchange.raa_id, exchange.agreement_id))!;
  const today = todayInLondon(auditContext.now);
  const parties = await partiesOf(deps.db, exchange.agreement_id);
  const from = parties.find((p) => p.id === exchange.from_party_id)!;
  const receivers = parties.filter((p) => p.side !== from.side && p.receives);
  const details = await protectedDetailsOf(deps.db, exchange.case_id);
  const context = await letterContext(deps.db, agreement, actor.name, today);
  const family = from.side === 'birth_relative' ? await familyView(deps.db, context, from.name, {}) : null;
  await changeExchange(deps, auditContext, exchange, action, version, async (trx, current) => {
    if (current.status === 'held') {
      throw new SupportRefused(
        [
          {
            field: 'release',
            message:
              'This item is held, so it cannot be released yet: a worker other than the one who held it must check it again first',
          },
        ],
        409,
      );
    }
    if (current.status === 'received') {
      throw new SupportRefused(
        [{ field: 'release', message: 'Check the item and record what you removed before it is forwarded' }],
        409,
      );
    }
    if (current.status === 'forwarded') {
      throw new SupportRefused([{ field: 'release', message: 'This item has already been forwarded' }], 409);
    }
    if (agreement.status === 'ended') {
      throw new SupportRefused(
        [
          {
            field: 'release',
            message: `The agreement ended on ${formatDate(agreement.ended_on)}: items are no longer passed on`,
          },
        ],
        409,
      );
    }
    if (receivers.length === 0) {
      throw new SupportRefused(
        [{ field: 'release', message: `Nobody in this agreement receives letters from ${from.name}` }],
        409,
      );
    }
    const redacted = (
      await trx
        .selectFrom('letterbox_exchanges')
        .select('redacted_text')
        .where('id', '=', exchange.id)
        .executeTakeFirstOrThrow()
    ).redacted_text;
    for (const party of receivers) {
      if (party.side === 'birth_relative') {
        const output = buildBirthRelativeOutput(
          'forwarded-letter',
          birthRelativeSource(context, party, {
            period: exchange.for_period,
            receivedOn: exchange.received_on,
            body: redacted,
          }),
          details,
        );
        await recordOutput(trx, {
          agreementId: agreement.id,
          exchangeId: exchange.id,
          partyId: party.id,
          audience: 'birth_relative',
          kind: output.kind,
          channel: output.channel,
          view: { ...output.view },
          subject: output.subject,
          body: output.text,
          createdBy: actor.userId,
          now: auditContext.now,
        });
      } else {
        const letter = buildFamilyLetter(
          'family-forwarded-letter',
          { ...family!, period: exchange.for_period, receivedOn: exchange.received_on, body: redacted },
          contactOf(from),
        );
        await recordOutput(trx, {
          agreementId: agreement.id,
          exchangeId: exchange.id,
          partyId: party.id,
          audience: 'adoptive_family',
          kind: 'family-forwarded-letter',
          channel: 'letter',
          view: null,
          subject: letter.subject,
          body: letter.text,
          createdBy: actor.userId,
          now: auditContext.now,
        });
      }
    }
    await trx
      .updateTable('letterbox_exchanges')
      .set((eb) => ({ status: 'forwarded', version: eb('version', '+', 1), updated_at: auditContext.now }))
      .where('id', '=', exchange.id)
      .execute();
    await addExchangeEvent(
      trx,
      exchange.id,
      'forwarded',
      `To ${receivers.map((r) => r.name).join(', ')}`,
      actor.userId,
      auditContext.now,
    );
    await auditOnCase(trx, deps, auditContext, action, exchange, { reason: `${receivers.length} letters` });
  });
}

/** A letter or email to a birth relative about their own item: an acknowledgement, or that it is held. */
export async function noticeToBirthRelative(
  deps: SupportDeps & { mailer: Mailer },
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  version: number,
  notice: 'acknowledgement' | 'held-notice',
): Promise<void> {
  const action =
    notice === 'acknowledgement'
      ? 'support.letterbox.item.acknowledge'
      : 'support.letterbox.item.held-notice';
  const exchange = await exchangeForActor(deps, actor, auditContext, action, id);
  const agreement = (await agreementInRaa(deps.db, exchange.raa_id, exchange.agreement_id))!;
  const parties = await partiesOf(deps.db, exchange.agreement_id);
  const from = parties.find((p) => p.id === exchange.from_party_id)!;
  const events = await exchangeEventsOf(deps.db, exchange.id);
  const details = await protectedDetailsOf(deps.db, exchange.case_id);
  const context = await letterContext(deps.db, agreement, actor.name, todayInLondon(auditContext.now));
  const kind: BirthRelativeOutputKind =
    notice === 'held-notice'
      ? 'held-notice-letter'
      : from.prefers_email && from.email
        ? 'acknowledgement-email'
        : 'acknowledgement-letter';
  const event = notice === 'acknowledgement' ? 'acknowledged' : 'held_notice';
  const output = await changeExchange(deps, auditContext, exchange, action, version, async (trx, current) => {
    if (from.side !== 'birth_relative') {
      throw new SupportRefused(
        [{ field: 'notice', message: 'Only a birth relative’s own item is acknowledged this way' }],
        409,
      );
    }
    if (notice === 'held-notice' && current.status !== 'held') {
      throw new SupportRefused([{ field: 'notice', message: 'Only a held item needs this letter' }], 409);
    }
    if (events.some((e) => e.action === event)) {
      throw new SupportRefused(
        [
          {
            field: 'notice',
            message: 'This letter has already been produced: download it from the list below',
          },
        ],
        409,
      );
    }
    const built = buildBirthRelativeOutput(
      kind,
      birthRelativeSource(context, from, { period: exchange.for_period, receivedOn: exchange.received_on }),
      details,
    );
    await recordOutput(trx, {
      agreementId: agreement.id,
      exchangeId: exchange.id,
      partyId: from.id,
      audience: 'birth_relative',
      kind: built.kind,
      channel: built.channel,
      view: { ...built.view },
      subject: built.subject,
      body: built.text,
      createdBy: actor.userId,
      now: auditContext.now,
    });
    await addExchangeEvent(trx, exchange.id, event, built.kind, actor.userId, auditContext.now);
    await trx
      .updateTable('letterbox_exchanges')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', exchange.id)
      .execute();
    await auditOnCase(trx, deps, auditContext, action, exchange, { reason: built.kind });
    return built;
  });
  if (output.channel === 'email' && from.email) await sendBirthRelativeEmail(deps.mailer, output, from.email);
}

/**
 * A produced letter, as a PDF. A birth relative's letter is built again through the guard from
 * its stored view, so it is checked against the family's details as they are today.
 */
const outputForActor = inActorRaa(outputInRaa, { reason: 'not a letter of your RAA', what: 'letter' });

export async function outputDocument(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
): Promise<
  | { kind: 'pdf'; pdf: Buffer; filename: string }
  | { kind: 'text'; subject: string; body: string; caseId: string }
> {
  const action = 'support.letterbox.output.download';
  const row = await outputForActor(deps, actor, auditContext, action, id);
  const subject = { caseId: row.case_id, raaId: row.raa_id };
  let result: Awaited<ReturnType<typeof outputDocument>>;
  if (row.audience === 'birth_relative') {
    if (!isBirthRelativeOutputKind(row.kind) || !row.view)
      throw new AppError('not-found', 'We could not find that letter.');
    let output: BirthRelativeOutput;
    try {
      output = buildBirthRelativeOutput(row.kind, row.view, await protectedDetailsOf(deps.db, row.case_id));
    } catch (error) {
      if (error instanceof BirthRelativeOutputRefused) {
        await auditBirthRelativeRefusal(deps.db, deps.auditKey, auditContext, error, subject);
      }
      throw error;
    }
    result =
      output.channel === 'letter'
        ? {
            kind: 'pdf',
            pdf: await letterPdf(output),
            filename: `${row.agreement_reference}-${row.kind}.pdf`,
          }
        : { kind: 'text', subject: output.subject, body: output.text, caseId: row.case_id };
  } else {
    result = {
      kind: 'pdf',
      pdf: await familyLetterPdf(row.subject ?? 'Letterbox contact', 'Kindred', row.body),
      filename: `${row.agreement_reference}-${row.kind}.pdf`,
    };
  }
  await auditSupport(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    ...subject,
    reason: row.kind,
  });
  return result;
}

// ── The daily reminders ───────────────────────────────────────────────────────────────────────

/**
 * Reminds, once per party, month and kind (the unique reminders row makes a second run harmless):
 * - an item due (from two weeks before its month until it is missed): the writer, by letter or
 *   email — a birth relative's through the guard — and the allocated worker by email;
 * - an item missed (four weeks after its month): the allocated worker, for the latest month
 *   missed in the last six months only, so a long-silent agreement does not flood anyone.
 * Worker emails carry agreement references only, never a name: they leave Kindred.
 */
export async function sendLetterboxReminders(
  deps: { db: Db; auditKey: AuditKey; mailer: Mailer; publicUrl: string },
  now: Date,
): Promise<{ due: number; missed: number; letters: number; emails: number; refused: number }> {
  const today = todayInLondon(now);
  const horizon = addCalendarDays(today, 14);
  const parties = await partiesDueBy(deps.db, horizon);
  const auditContext: AuditContext = {
    actor: null,
    ip: null,
    userAgent: 'kindred letterbox reminders',
    correlationId: null,
    now,
  };
  const byWorker = new Map<string, string[]>();
  const counts = { due: 0, missed: 0, letters: 0, emails: 0, refused: 0 };
  const agencies = new Map<string, { name: string; contact: string }>();
  for (const party of parties) {
    const timing: LetterboxTiming = {
      months: party.months,
      startsOn: party.starts_on,
      endedOn: party.ended_on,
    };
    const received = await receivedPeriodsOf(deps.db, party.id);
    const states = letterboxSchedule(timing, received, today).filter((s) => s.period <= horizon);
    const due = states.filter((s) => s.status === 'due');
    // Only a month missed lately: a gap from years ago is on the agreement's page, not in today's email.
    const missed = states
      .filter((s) => s.status === 'missed' && s.missedAfter >= addCalendarMonths(today, -6))
      .at(-1);
    const wanted = [
      ...due.map((s) => ({ state: s, kind: 'due' as const })),
      ...(missed ? [{ state: missed, kind: 'missed' as const }] : []),
    ];
    for (const { state, kind } of wanted) {
      const inserted = await deps.db
        .insertInto('letterbox_reminders')
        .values({
          agreement_id: party.agreement_id,
          party_id: party.id,
          period: state.period,
          kind,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['party_id', 'period', 'kind']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) continue;
      counts[kind] += 1;
      const month = formatDate(state.period).replace(/^\d+ /, '');
      const who = party.side === 'adoptive_family' ? 'the adoptive family' : 'a birth relative';
      if (party.worker_email && party.worker_status === 'active') {
        const line = `- ${party.agreement_reference}: the letter from ${who} ${kind === 'due' ? 'is due in' : 'was due in'} ${month}${kind === 'missed' ? ' and has not arrived' : ''}`;
        byWorker.set(party.worker_email, [...(byWorker.get(party.worker_email) ?? []), line]);
      }
      if (kind !== 'due') continue;
      if (!agencies.has(party.raa_id)) {
        const agency = await agencyOf(deps.db, party.raa_id);
        agencies.set(party.raa_id, {
          name: agency.name,
          contact: [agency.contact_email, agency.contact_phone].filter(Boolean).join(' · '),
        });
      }
      const agency = agencies.get(party.raa_id)!;
      const agreement = {
        id: party.agreement_id,
        reference: party.agreement_reference,
        case_id: party.case_id,
        raa_id: party.raa_id,
        child_birth_first_name: party.child_birth_first_name,
        child_first_name: party.child_first_name,
      } as AgreementRow;
      const context: LetterContext = { agreement, agency, workerName: party.worker_name ?? '', today };
      const outcome = await remindWriter(
        deps,
        auditContext,
        context,
        party as unknown as PartyRow & { case_id: string; raa_id: string },
        state.period,
      ).catch(async (error: unknown) => {
        if (error instanceof BirthRelativeOutputRefused) {
          await auditBirthRelativeRefusal(deps.db, deps.auditKey, auditContext, error, {
            caseId: party.case_id,
            raaId: party.raa_id,
          });
          counts.refused += 1;
          if (party.worker_email) {
            byWorker.set(party.worker_email, [
              ...(byWorker.get(party.worker_email) ?? []),
              `- ${party.agreement_reference}: Kindred did not produce the reminder to the birth relative, because it would have contained a protected detail of the family. Check the agreement.`,
            ]);
          }
          return null;
        }
        throw error;
      });
      if (outcome === 'email') counts.emails += 1;
      if (outcome === 'letter') counts.letters += 1;
    }
  }
  for (const [to, lines] of byWorker) {
    await deps.mailer.send({
      to,
      subject: 'Kindred: letterbox exchanges due or missed',
      text: [
        'These letterbox exchanges on your cases are due soon or have been missed:',
        lines.join('\n'),
        'Reminder letters for the writers are ready to print on each agreement’s page. See your caseload:',
        `${deps.publicUrl.replace(/\/$/, '')}/support?worker=mine`,
        'This email does not name the families or the children: sign in to Kindred to see them.',
        'Kindred',
      ].join('\n\n'),
    });
  }
  return counts;
}

async function remindWriter(
  deps: { db: Db; auditKey: AuditKey; mailer: Mailer },
  auditContext: AuditContext,
  context: LetterContext,
  party: PartyRow & { case_id: string; raa_id: string },
  period: string,
): Promise<'letter' | 'email' | null> {
  if (party.side === 'birth_relative') {
    const kind: BirthRelativeOutputKind =
      party.prefers_email && party.email ? 'reminder-email' : 'reminder-letter';
    const details = await protectedDetailsOf(deps.db, party.case_id);
    const output = buildBirthRelativeOutput(
      kind,
      birthRelativeSource(context, party, { period, nextPeriod: period }),
      details,
    );
    await deps.db.transaction().execute(async (trx) => {
      await recordOutput(trx, {
        agreementId: party.agreement_id,
        exchangeId: null,
        partyId: party.id,
        audience: 'birth_relative',
        kind: output.kind,
        channel: output.channel,
        view: { ...output.view },
        subject: output.subject,
        body: output.text,
        createdBy: null,
        now: auditContext.now,
      });
      await auditSupport(trx, deps, auditContext, {
        action: 'support.letterbox.reminder',
        outcome: 'success',
        caseId: party.case_id,
        raaId: party.raa_id,
        reason: output.kind,
      });
    });
    if (output.channel === 'email' && party.email) {
      await sendBirthRelativeEmail(deps.mailer, output, party.email);
      return 'email';
    }
    return 'letter';
  }
  const parties = await partiesOf(deps.db, party.agreement_id);
  const writer = parties
    .filter((p) => p.side === 'birth_relative' && p.receives)
    .map((p) => p.name)
    .join(' and ');
  const view = await familyView(deps.db, context, writer || 'the birth family', { period });
  const kind: FamilyOutputKind = 'family-reminder-letter';
  const letter = buildFamilyLetter(kind, view, {
    addressLine1: null,
    addressLine2: null,
    town: null,
    postcode: null,
    email: null,
    phone: null,
  });
  await deps.db.transaction().execute(async (trx) => {
    await recordOutput(trx, {
      agreementId: party.agreement_id,
      exchangeId: null,
      partyId: party.id,
      audience: 'adoptive_family',
      kind,
      channel: 'letter',
      view: null,
      subject: letter.subject,
      body: letter.text,
      createdBy: null,
      now: auditContext.now,
    });
    await auditSupport(trx, deps, auditContext, {
      action: 'support.letterbox.reminder',
      outcome: 'success',
      caseId: party.case_id,
      raaId: party.raa_id,
      reason: kind,
    });
  });
  return 'letter';
}
