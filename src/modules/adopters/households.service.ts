// Prospective adopters' households (issue 5 §2–§3). The rules:
// - only the RAA's own staff (the RAA, its spokes and teams) with 'adopters:assess' reach its
//   households; anyone else gets "not found" (AC-2), and councils see none (issue 5 §7);
// - a household begins when an enquiry's registration of interest is received: the enquiry and
//   the registration become the first two facts of its journey;
// - steps are appended as dated facts checked by pipeline.ts; a correction supersedes with a
//   reason; the stage shown in lists is refreshed in the same transaction;
// - every view and change is audited; the details form carries a version (stale → 409).
import { randomInt } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import {
  writeAudit,
  type AuditContext,
  type AuditKey,
  type AuditOutcome,
} from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { notFound, type FieldError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import type {
  ApplicantDetailsInput,
  HouseholdDetailsInput,
  HouseholdFactInput,
  RegistrationInput,
} from './households.forms.js';
import './households.tables.js';
import {
  annualReviewDue,
  registrationDecisionDeadline,
  closedStages as closedPipelineStages,
  currentStageSince,
  refuseImpossibleFact,
  stageClocks,
  statutoryChecks,
  type PipelineFact,
  type PipelineFactKind,
  type ProposedPipelineFact,
} from './pipeline.js';

export interface HouseholdDeps {
  db: Db;
  auditKey: AuditKey;
}
type Trx = Transaction<DB>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const referenceAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const newReference = () =>
  [0, 1]
    .map(() =>
      Array.from({ length: 4 }, () => referenceAlphabet[randomInt(referenceAlphabet.length)]).join(''),
    )
    .join('-');

/** The RAA whose households the actor works on, or null (councils and partners: none). */
export function assessingRaa(actor: Actor): string | null {
  return ['raa', 'spoke', 'team'].includes(actor.organisation.kind) ? actor.scope.raaId : null;
}

function audit(
  executor: Db | Trx,
  deps: HouseholdDeps,
  auditContext: AuditContext,
  entry: {
    action: string;
    outcome: AuditOutcome;
    householdId: string | null;
    raaId?: string | null;
    reason?: string | null;
  },
) {
  return writeAudit(executor, deps.auditKey, auditContext, {
    action: entry.action,
    outcome: entry.outcome,
    subjectType: 'household',
    subjectId: entry.householdId,
    subjectOrganisationId: entry.raaId ?? null,
    reason: entry.reason ?? null,
  });
}

export class HouseholdRefused extends Error {
  constructor(readonly errors: FieldError[]) {
    super('refused');
  }
}

export class StaleHousehold extends Error {
  constructor() {
    super('Someone else changed this household');
  }
}

function toPipelineFact(row: {
  id: string;
  kind: string;
  effective_date: string;
  source: string;
  recorded_by: string | null;
  recorded_at: Date;
  supersedes_id: string | null;
  correction_reason: string | null;
  details: Record<string, unknown>;
}): PipelineFact {
  return {
    ...(row.details as Partial<PipelineFact>),
    id: row.id,
    kind: row.kind as PipelineFactKind,
    effectiveDate: row.effective_date,
    source: row.source,
    recordedBy: row.recorded_by ?? '',
    recordedAt: row.recorded_at.toISOString(),
    supersedes: row.supersedes_id,
    correctionReason: row.correction_reason,
  };
}

const factsOf = (executor: Db | Trx, householdId: string) =>
  executor
    .selectFrom('household_facts')
    .leftJoin('users', 'users.id', 'household_facts.recorded_by')
    .selectAll('household_facts')
    .select('users.name as recorded_by_name')
    .where('household_facts.household_id', '=', householdId)
    .orderBy('household_facts.effective_date')
    .orderBy('household_facts.recorded_at')
    .execute();

/** Fields of a fact other than its identity, as stored in the details column. */
function detailsOf(fact: ProposedPipelineFact): Record<string, unknown> {
  const {
    id: _id,
    kind: _kind,
    effectiveDate: _date,
    source: _source,
    recordedBy: _by,
    recordedAt: _at,
    supersedes: _s,
    correctionReason: _c,
    ...rest
  } = fact;
  return Object.fromEntries(
    Object.entries(rest).filter(([, value]) => value !== null && value !== undefined),
  );
}

async function refreshStage(trx: Trx, householdId: string): Promise<void> {
  const facts = (await factsOf(trx, householdId)).map(toPipelineFact);
  const now = currentStageSince(facts);
  await trx
    .updateTable('households')
    .set({ current_stage: now.stage, stage_since: now.since })
    .where('id', '=', householdId)
    .execute();
  await refreshHouseholdFunnel(trx, [householdId]);
}

/** The funnel's milestone columns (migration 0015), from the facts in force, for these households. */
export async function refreshHouseholdFunnel(
  executor: Db | Trx,
  householdIds: readonly string[],
): Promise<void> {
  if (householdIds.length === 0) return;
  await sql`select refresh_household_funnel(${[...householdIds]}::uuid[])`.execute(executor);
}

/** Registers an enquiry's interest: the household, its applicants and its first two facts, in one transaction. */
export async function registerInterest(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  enquiryId: string,
  input: RegistrationInput,
): Promise<string> {
  const raaId = assessingRaa(actor);
  const enquiry =
    raaId && uuidPattern.test(enquiryId)
      ? await deps.db
          .selectFrom('adopter_enquiries')
          .selectAll()
          .where('id', '=', enquiryId)
          .where('raa_id', '=', raaId)
          .executeTakeFirst()
      : undefined;
  if (!enquiry || !raaId) {
    await audit(deps.db, deps, auditContext, {
      action: 'household.create',
      outcome: 'denied',
      householdId: null,
      reason: 'enquiry not in your RAA',
    });
    throw notFound('enquiry');
  }
  const today = todayInLondon(auditContext.now);
  const enquiryDate = todayInLondon(enquiry.created_at);
  const enquiryFact: ProposedPipelineFact = {
    kind: 'enquiry',
    effectiveDate: enquiryDate,
    source: 'Enquiry form',
    recordedBy: actor.userId,
  };
  const registration: ProposedPipelineFact = {
    kind: 'registration_of_interest_received',
    effectiveDate: input.receivedOn,
    source: 'Registration of interest form',
    recordedBy: actor.userId,
  };
  const refusal = refuseImpossibleFact([{ ...enquiryFact, id: 'enquiry', recordedAt: '' }], registration, {
    today,
  });
  if (refusal) throw new HouseholdRefused([{ field: 'receivedOn-day', message: refusal }]);
  // A person registers with one agency at a time (domain-detail.md §2): the same name and date of
  // birth in a household of this RAA that is still open is a second registration.
  for (const applicant of input.applicants) {
    const existing = await deps.db
      .selectFrom('household_applicants as applicant')
      .innerJoin('households', 'households.id', 'applicant.household_id')
      .select('households.reference')
      .where('households.raa_id', '=', raaId)
      .where('households.current_stage', 'not in', closedPipelineStages)
      .where('applicant.date_of_birth', '=', applicant.dateOfBirth)
      .where((eb) => eb(eb.fn('lower', ['applicant.first_name']), '=', applicant.firstName.toLowerCase()))
      .where((eb) => eb(eb.fn('lower', ['applicant.last_name']), '=', applicant.lastName.toLowerCase()))
      .executeTakeFirst();
    if (existing) {
      await audit(deps.db, deps, auditContext, {
        action: 'household.create',
        outcome: 'failed',
        householdId: null,
        raaId,
        reason: 'second registration',
      });
      throw new HouseholdRefused([
        {
          field: 'relationshipStatus',
          message: `${applicant.firstName} ${applicant.lastName}, born ${applicant.dateOfBirth.split('-').reverse().join('/')}, is already registered with us (household ${existing.reference})`,
        },
      ]);
    }
  }
  const council = await deps.db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'local_authority')
    .where('raa_id', '=', raaId)
    .where((eb) => eb(eb.val(input.postcode.district), '=', eb.fn.any('postcode_districts')))
    .executeTakeFirst();
  return deps.db
    .transaction()
    .execute(async (trx) => {
      const household = await trx
        .insertInto('households')
        .values({
          reference: newReference(),
          raa_id: raaId,
          council_id: council?.id ?? null,
          enquiry_id: enquiry.id,
          relationship_status: input.relationshipStatus,
          address_line_1: input.addressLine1,
          address_line_2: input.addressLine2,
          town: input.town,
          postcode: input.postcode.postcode,
          postcode_district: input.postcode.district,
          previous_adopter: enquiry.previous_experience === 'adopted',
          approved_foster_carer: enquiry.previous_experience === 'foster_carer',
          heard_from: enquiry.heard_from,
          assessing_social_worker_id: actor.userId,
          created_by: actor.userId,
          created_at: auditContext.now,
          updated_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('household_applicants')
        .values(
          input.applicants.map((applicant, index) => ({
            household_id: household.id,
            position: (index + 1) as 1 | 2,
            first_name: applicant.firstName,
            last_name: applicant.lastName,
            date_of_birth: applicant.dateOfBirth,
            sex: applicant.sex,
            ethnicity: applicant.ethnicity,
          })),
        )
        .execute();
      for (const fact of [enquiryFact, registration]) {
        await trx
          .insertInto('household_facts')
          .values({
            household_id: household.id,
            kind: fact.kind,
            effective_date: fact.effectiveDate,
            source: fact.source,
            recorded_by: actor.userId,
            recorded_at: auditContext.now,
          })
          .execute();
      }
      await refreshStage(trx, household.id);
      await audit(trx, deps, auditContext, {
        action: 'household.create',
        outcome: 'success',
        householdId: household.id,
        raaId,
      });
      return household.id;
    })
    .catch((error: unknown) => {
      // The enquiry is already a household (the unique enquiry_id decides two clicks at once).
      if ((error as { code?: unknown })?.code === '23505') {
        throw new HouseholdRefused([
          { field: 'relationshipStatus', message: 'This enquiry is already registered as a household' },
        ]);
      }
      throw error;
    });
}

function householdsOf(executor: Db | Trx, raaId: string) {
  return executor
    .selectFrom('households')
    .leftJoin('organisations as council', 'council.id', 'households.council_id')
    .leftJoin('users as worker', 'worker.id', 'households.assessing_social_worker_id')
    .selectAll('households')
    .select(['council.name as council_name', 'worker.name as worker_name'])
    .where('households.raa_id', '=', raaId);
}

export type HouseholdRow = Awaited<ReturnType<ReturnType<typeof householdsOf>['executeTakeFirstOrThrow']>>;

export async function householdRecord(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  householdId: string,
) {
  const raaId = assessingRaa(actor);
  const household =
    raaId && uuidPattern.test(householdId)
      ? await householdsOf(deps.db, raaId).where('households.id', '=', householdId).executeTakeFirst()
      : undefined;
  if (!household) {
    await audit(deps.db, deps, auditContext, {
      action: 'household.view',
      outcome: 'denied',
      householdId: uuidPattern.test(householdId) ? householdId : null,
      reason: 'not a household of your RAA',
    });
    throw notFound('household');
  }
  const today = todayInLondon(auditContext.now);
  const [applicants, factRows] = await Promise.all([
    deps.db
      .selectFrom('household_applicants')
      .selectAll()
      .where('household_id', '=', household.id)
      .orderBy('position')
      .execute(),
    factsOf(deps.db, household.id),
  ]);
  const facts = factRows.map(toPipelineFact);
  const memberCouncils = new Set(
    (
      await deps.db
        .selectFrom('organisations')
        .select('code')
        .where('kind', '=', 'local_authority')
        .where('raa_id', '=', household.raa_id)
        .execute()
    ).map((row) => row.code),
  );
  await audit(deps.db, deps, auditContext, {
    action: 'household.view',
    outcome: 'success',
    householdId: household.id,
    raaId: household.raa_id,
  });
  return {
    household,
    applicants,
    facts: factRows.map((row, index) => ({
      ...row,
      fact: facts[index]!,
      corrected: factRows.some((other) => other.supersedes_id === row.id),
    })),
    clocks: stageClocks(facts, today),
    registrationDecision: registrationDecisionDeadline(facts, today),
    annualReview: annualReviewDue(facts),
    checks: statutoryChecks(facts, today, { memberCouncils }),
    today,
  };
}

/** Households a page of the pipeline list shows: enough to scan, few enough to read. */
export const pipelinePageSize = 50;

/**
 * One page of the RAA's households, longest in their stage first (then by reference, so the
 * pages do not shuffle), with how many there are in all. A page past the end shows the last.
 */
export async function pipelineList(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  filter: { stage: string | undefined; page: number },
) {
  const raaId = assessingRaa(actor);
  if (!raaId) return { rows: [], total: 0, page: 1, pageSize: pipelinePageSize };
  const { stage } = filter;
  let counted = deps.db
    .selectFrom('households')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('raa_id', '=', raaId);
  if (stage) counted = counted.where('current_stage', '=', stage);
  const total = Number((await counted.executeTakeFirstOrThrow()).n);
  const page = Math.min(Math.max(1, filter.page), Math.max(1, Math.ceil(total / pipelinePageSize)));
  let query = householdsOf(deps.db, raaId);
  if (stage) query = query.where('households.current_stage', '=', stage);
  const households = await query
    .orderBy('households.stage_since', 'asc')
    .orderBy('households.reference', 'asc')
    .limit(pipelinePageSize)
    .offset((page - 1) * pipelinePageSize)
    .execute();
  const applicants = households.length
    ? await deps.db
        .selectFrom('household_applicants')
        .select(['household_id', 'first_name', 'last_name', 'position'])
        .where(
          'household_id',
          'in',
          households.map((h) => h.id),
        )
        .orderBy('position')
        .execute()
    : [];
  await audit(deps.db, deps, auditContext, {
    action: 'households.list.view',
    outcome: 'success',
    householdId: null,
    raaId,
    reason: `${households.length} of ${total} households; page ${page}${stage ? `; stage=${stage}` : ''}`,
  });
  const rows = households.map((household) => ({
    household,
    names: applicants
      .filter((a) => a.household_id === household.id)
      .map((a) => `${a.first_name} ${a.last_name}`),
  }));
  return { rows, total, page, pageSize: pipelinePageSize };
}

/** Records a step in the pipeline, or a correction of one, after pipeline.ts has agreed it is possible. */
export async function recordHouseholdFact(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  householdId: string,
  input: HouseholdFactInput,
  /**
   * The RAA whose household it is, when a decision is applied for it by someone outside its staff:
   * a council's agency decision maker agreeing a match moves the RAA's household to matched
   * (issue 7 §5). The actor is still the one audited.
   */
  onBehalfOfRaa?: string,
): Promise<void> {
  const raaId = onBehalfOfRaa ?? assessingRaa(actor);
  const action = input.supersedes ? 'household.journey.correct' : 'household.journey.record';
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const household =
      raaId && uuidPattern.test(householdId)
        ? await trx
            .selectFrom('households')
            .select(['id', 'raa_id'])
            .where('id', '=', householdId)
            .where('raa_id', '=', raaId)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
    if (!household) return { missing: true as const };
    const existing = (await factsOf(trx, household.id)).map(toPipelineFact);
    const proposed: ProposedPipelineFact = {
      kind: input.kind,
      effectiveDate: input.effectiveDate,
      source: input.source,
      recordedBy: actor.userId,
      supersedes: input.supersedes ?? null,
      correctionReason: input.correctionReason,
      registrationDecision: input.registrationDecision as PipelineFact['registrationDecision'],
      fastTrack: input.fastTrack as PipelineFact['fastTrack'],
      check:
        input.kind === 'statutory_check' && input.checkType && input.checkStep
          ? {
              type: input.checkType as never,
              subject: input.checkSubject ?? '',
              step: input.checkStep as never,
            }
          : null,
      stageOneOutcome: input.stageOneOutcome as PipelineFact['stageOneOutcome'],
      panelRecommendation: input.panelRecommendation as PipelineFact['panelRecommendation'],
      agencyDecision: input.agencyDecision as PipelineFact['agencyDecision'],
      reviewRoute: input.reviewRoute as PipelineFact['reviewRoute'],
      approvalReviewOutcome: input.approvalReviewOutcome as PipelineFact['approvalReviewOutcome'],
      withdrawalReason: input.withdrawalReason as PipelineFact['withdrawalReason'],
      clock: input.clock as PipelineFact['clock'],
      pauseReason: input.pauseReason as PipelineFact['pauseReason'],
      extensionDays: input.extensionDays ?? null,
      delayReason: input.delayReason as PipelineFact['delayReason'],
      reasonDetail: input.reasonDetail,
    };
    const refusal = refuseImpossibleFact(existing, proposed, { today: todayInLondon(auditContext.now) });
    if (refusal) return { refusal, raaId: household.raa_id };
    await trx
      .insertInto('household_facts')
      .values({
        household_id: household.id,
        kind: input.kind,
        effective_date: input.effectiveDate,
        source: input.source,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
        supersedes_id: input.supersedes ?? null,
        correction_reason: input.supersedes ? input.correctionReason : null,
        details: JSON.stringify(detailsOf(proposed)),
      })
      .execute();
    await trx
      .updateTable('households')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: auditContext.now }))
      .where('id', '=', household.id)
      .execute();
    await refreshStage(trx, household.id);
    await audit(trx, deps, auditContext, {
      action,
      outcome: 'success',
      householdId: household.id,
      raaId: household.raa_id,
      reason: `${input.kind} ${input.effectiveDate}`,
    });
    return { done: true as const };
  });
  if ('missing' in outcome) {
    await audit(deps.db, deps, auditContext, {
      action,
      outcome: 'denied',
      householdId: uuidPattern.test(householdId) ? householdId : null,
      reason: 'not a household of your RAA',
    });
    throw notFound('household');
  }
  if ('refusal' in outcome) {
    const message = String(outcome.refusal);
    await audit(deps.db, deps, auditContext, {
      action,
      outcome: 'failed',
      householdId,
      raaId: outcome.raaId,
      reason: message,
    });
    throw new HouseholdRefused([{ field: 'effectiveDate-day', message }]);
  }
}

/** Saves the household's details (§2) if nobody else has saved since the form was opened. */
export async function updateHouseholdDetails(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  householdId: string,
  input: HouseholdDetailsInput,
): Promise<void> {
  const raaId = assessingRaa(actor);
  const result = await deps.db.transaction().execute(async (trx) => {
    const household =
      raaId && uuidPattern.test(householdId)
        ? await trx
            .selectFrom('households')
            .select(['id', 'raa_id', 'version'])
            .where('id', '=', householdId)
            .where('raa_id', '=', raaId)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
    if (!household) return 'missing' as const;
    if (household.version !== input.version) return 'stale' as const;
    await trx
      .updateTable('households')
      .set((eb) => ({
        children_in_household: input.childrenInHousehold,
        support_network: input.supportNetwork,
        offer: JSON.stringify(input.offer),
        previous_adopter: input.previousAdopter,
        approved_foster_carer: input.approvedFosterCarer,
        version: eb('version', '+', 1),
        updated_at: auditContext.now,
      }))
      .where('id', '=', household.id)
      .execute();
    await audit(trx, deps, auditContext, {
      action: 'household.update',
      outcome: 'success',
      householdId: household.id,
      raaId: household.raa_id,
    });
    return 'done' as const;
  });
  if (result === 'missing') {
    await audit(deps.db, deps, auditContext, {
      action: 'household.update',
      outcome: 'denied',
      householdId: null,
      reason: 'not a household of your RAA',
    });
    throw notFound('household');
  }
  if (result === 'stale') throw new StaleHousehold();
}

/** Saves one applicant's details, under the household's version like any change to it. */
export async function updateApplicant(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  householdId: string,
  position: 1 | 2,
  input: ApplicantDetailsInput,
): Promise<void> {
  const raaId = assessingRaa(actor);
  const result = await deps.db.transaction().execute(async (trx) => {
    const household =
      raaId && uuidPattern.test(householdId)
        ? await trx
            .selectFrom('households')
            .select(['id', 'raa_id', 'version'])
            .where('id', '=', householdId)
            .where('raa_id', '=', raaId)
            .forUpdate()
            .executeTakeFirst()
        : undefined;
    if (!household) return 'missing' as const;
    if (household.version !== input.version) return 'stale' as const;
    const updated = await trx
      .updateTable('household_applicants')
      .set({
        religion: input.religion,
        languages: input.languages,
        health: input.health,
        employment: input.employment,
        disability: input.disability,
      })
      .where('household_id', '=', household.id)
      .where('position', '=', position)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return 'missing' as const;
    await trx
      .updateTable('households')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: auditContext.now }))
      .where('id', '=', household.id)
      .execute();
    await audit(trx, deps, auditContext, {
      action: 'household.applicant.update',
      outcome: 'success',
      householdId: household.id,
      raaId: household.raa_id,
      reason: `applicant ${position}`,
    });
    return 'done' as const;
  });
  if (result === 'missing') {
    await audit(deps.db, deps, auditContext, {
      action: 'household.applicant.update',
      outcome: 'denied',
      householdId: uuidPattern.test(householdId) ? householdId : null,
      reason: 'not a household of your RAA',
    });
    throw notFound('applicant');
  }
  if (result === 'stale') throw new StaleHousehold();
}
