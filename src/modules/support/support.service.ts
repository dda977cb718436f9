// Adoption support cases (issue 8 §1, §6). The rules:
// - a support case belongs to the RAA that delivers adoption support (seeds' service schedule):
//   only its own staff (assessingRaa) with 'support:read' reach it; anyone else gets "not found",
//   and the refusal is audited (security.md AC-2, LG-3);
// - adopted adults' and birth relatives' cases are need-to-know: without 'support:restricted' they
//   are neither listed nor found;
// - councils see only the liaison notes addressed to them, through their own page;
// - every view of a case is audited as it is served, every change in the same transaction, and
//   edits carry a version (a stale edit is refused and keeps what was typed).
import { randomInt } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import {
  writeAudit,
  type AuditContext,
  type AuditKey,
  type AuditOutcome,
} from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, notFound, type FieldError } from '../../platform/http/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { addCalendarDays, todayInLondon } from '../../platform/time/index.js';
import { assessingRaa } from '../adopters/households.service.js';
import type { CaseEditInput, CaseInput, ChildInput, LiaisonInput, PlanInput } from './support.forms.js';
import { goalStatusSchema } from './support.forms.js';
import {
  assessmentInRaa,
  assessmentsOf,
  caseForCouncil,
  caseInRaa,
  caseloadPage,
  councilsOfRaa,
  countCaseload,
  householdByReference,
  letterboxWorkFor,
  liaisonForCouncil,
  planInRaa,
  type CaseloadFilter,
  type CaseRow,
  type Executor,
} from './support.repository.js';
import { assessmentDueOn, representationsDueOn } from './support-rules.js';
import { restrictedCaseKinds, type CaseKind } from './support.tables.js';

export interface SupportDeps {
  db: Db;
  auditKey: AuditKey;
  mailer?: Mailer;
}
type Trx = Transaction<DB>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => uuidPattern.test(value);

const referenceAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const letters = (n: number) =>
  Array.from({ length: n }, () => referenceAlphabet[randomInt(referenceAlphabet.length)]).join('');
export const newCaseReference = (): string => `${letters(4)}-${letters(4)}`;
export const newAgreementReference = (): string => `LB-${letters(6)}`;

/** The RAA whose support records the actor works on, or null (councils, partners, the hub). */
export const supportRaa = (actor: Actor): string | null => assessingRaa(actor);

export function mayReadKind(actor: Actor, kind: CaseKind): boolean {
  return !restrictedCaseKinds.includes(kind) || actor.permissions.has('support:restricted');
}

/** The kinds of case the actor may see. */
export function visibleKinds(actor: Actor): CaseKind[] {
  return (['adoptive_family', 'adopted_adult', 'birth_relative'] as const).filter((kind) =>
    mayReadKind(actor, kind),
  );
}

export function auditSupport(
  executor: Db | Trx,
  deps: SupportDeps,
  auditContext: AuditContext,
  entry: {
    action: string;
    outcome: AuditOutcome;
    caseId: string | null;
    raaId?: string | null;
    reason?: string | null;
    subjectType?: string;
  },
): Promise<void> {
  return writeAudit(executor, deps.auditKey, auditContext, {
    action: entry.action,
    outcome: entry.outcome,
    subjectType: entry.subjectType ?? 'support_case',
    subjectId: entry.caseId && isUuid(entry.caseId) ? entry.caseId : null,
    subjectOrganisationId: entry.raaId ?? null,
    reason: entry.reason?.slice(0, 480) ?? null,
  });
}

/** Audits a refusal (after any transaction has rolled back) and answers as for a missing record. */
export async function refused(
  deps: SupportDeps,
  auditContext: AuditContext,
  action: string,
  id: string,
  reason: string,
  what = 'support record',
  subjectType = 'support_case',
): Promise<AppError> {
  await auditSupport(deps.db, deps, auditContext, {
    action,
    outcome: 'denied',
    caseId: id,
    reason,
    subjectType,
  });
  return notFound(what);
}

/** Audits an action on a record that hangs off a support case, at the case and its RAA. */
export function auditOnCase(
  executor: Executor,
  deps: SupportDeps,
  auditContext: AuditContext,
  action: string,
  record: { case_id: string; raa_id: string },
  extra: { outcome?: AuditOutcome; reason?: string | null } = {},
): Promise<void> {
  return auditSupport(executor, deps, auditContext, {
    action,
    outcome: extra.outcome ?? 'success',
    caseId: record.case_id,
    raaId: record.raa_id,
    reason: extra.reason ?? null,
  });
}

/**
 * A loader for one kind of record: the record if it belongs to the actor's RAA; otherwise the
 * refusal is audited and "not found" thrown, so another RAA's records do not exist for the actor.
 */
export const inActorRaa =
  <T>(
    load: (db: Executor, raaId: string, id: string) => Promise<T | undefined>,
    refusal: {
      reason: string;
      what: string;
      subjectType?: string;
      /** For records of a case: restricted kinds need 'support:restricted', or the record does not exist. */
      caseKind?: (row: T) => CaseKind;
    },
  ) =>
  async (
    deps: SupportDeps,
    actor: Actor,
    auditContext: AuditContext,
    action: string,
    id: string,
  ): Promise<T> => {
    const raaId = supportRaa(actor);
    const row = raaId && isUuid(id) ? await load(deps.db, raaId, id) : undefined;
    if (!row || (refusal.caseKind && !mayReadKind(actor, refusal.caseKind(row))))
      throw await refused(deps, auditContext, action, id, refusal.reason, refusal.what, refusal.subjectType);
    return row;
  };

/** A refusal with sentences for the form: audited as failed, nothing written. */
export class SupportRefused extends Error {
  constructor(
    readonly errors: FieldError[],
    readonly status: 400 | 409 = 400,
  ) {
    super(errors[0]?.message ?? 'refused');
  }
}
export class StaleSupportRecord extends Error {}

/**
 * The case, if the actor may reach it; otherwise the refusal is audited and "not found" thrown.
 * Restricted kinds need 'support:restricted': without it the case does not exist for them.
 */
export async function caseForActor(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  action: string,
  caseId: string,
  executor: Executor = deps.db,
): Promise<CaseRow> {
  const raaId = supportRaa(actor);
  const found = raaId && isUuid(caseId) ? await caseInRaa(executor, raaId, caseId) : undefined;
  if (!found) throw await refused(deps, auditContext, action, caseId, 'not a support case of your RAA');
  if (!mayReadKind(actor, found.kind)) {
    throw await refused(deps, auditContext, action, caseId, 'restricted record: needs support:restricted');
  }
  return found;
}

// ── The caseload ──────────────────────────────────────────────────────────────────────────────

export const caseloadPageSize = 50;

export async function caseload(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  query: {
    kind?: CaseKind;
    status?: 'open' | 'closed' | 'all';
    worker?: 'mine' | 'all';
    q?: string;
    page?: number;
  },
) {
  const raaId = supportRaa(actor);
  if (!raaId) {
    throw new AppError(
      'not-found',
      'Adoption support belongs to an RAA: sign in as a member of its staff to see it.',
    );
  }
  const allowed = visibleKinds(actor);
  const kinds = query.kind ? allowed.filter((k) => k === query.kind) : allowed;
  const filter: CaseloadFilter = {
    raaId,
    kinds,
    status: query.status ?? 'open',
    workerId: query.worker === 'mine' ? actor.userId : null,
    search: query.q?.trim() ? query.q.trim() : null,
  };
  const page = query.page ?? 1;
  const today = todayInLondon(auditContext.now);
  const horizon = addCalendarDays(today, 14);
  const [total, rows, letterboxWork] = await Promise.all([
    countCaseload(deps.db, filter),
    caseloadPage(deps.db, filter, { limit: caseloadPageSize, offset: (page - 1) * caseloadPageSize }),
    letterboxWorkFor(deps.db, raaId, actor.userId, horizon),
  ]);
  await auditSupport(deps.db, deps, auditContext, {
    action: 'support.caseload.view',
    outcome: 'success',
    caseId: null,
    raaId,
    reason: `${rows.length} of ${total} cases; page ${page}`,
  });
  return { rows, total, page, pageSize: caseloadPageSize, letterboxWork, today, filter };
}

// ── Creating and changing a case ──────────────────────────────────────────────────────────────

async function checkReferences(
  executor: Executor,
  raaId: string,
  actor: Actor,
  input: CaseInput,
): Promise<{ householdId: string | null; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const councils = new Set((await councilsOfRaa(executor, raaId)).map((c) => c.id));
  if (input.placingCouncilId && !councils.has(input.placingCouncilId)) {
    errors.push({ field: 'placingCouncilId', message: 'Choose the placing council from the list' });
  }
  if (input.residenceCouncilId && !councils.has(input.residenceCouncilId)) {
    errors.push({ field: 'residenceCouncilId', message: 'Choose the council where they live from the list' });
  }
  if (input.allocatedWorkerId) {
    const worker = await executor
      .selectFrom('users')
      .select('id')
      .where('id', '=', input.allocatedWorkerId)
      .where('organisation_id', 'in', [...actor.scope.organisationIds])
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!worker) errors.push({ field: 'allocatedWorkerId', message: 'Choose a worker from the list' });
  }
  let householdId: string | null = null;
  if (input.kind === 'adoptive_family' && input.householdReference) {
    const household = await householdByReference(executor, raaId, input.householdReference);
    if (!household) {
      errors.push({
        field: 'householdReference',
        message: `There is no household ${input.householdReference} in this RAA: check the reference, or leave it blank and enter the family’s details`,
      });
    } else householdId = household.id;
  }
  return { householdId, errors };
}

function caseColumns(input: CaseInput, householdId: string | null) {
  const family = input.kind === 'adoptive_family';
  return {
    referral_on: input.referralOn,
    referral_source: input.referralSource,
    referral_reason: input.referralReason,
    allocated_worker_id: input.allocatedWorkerId,
    placing_council_id: input.placingCouncilId,
    residence_council_id: input.residenceCouncilId,
    household_id: family ? householdId : null,
    family_name: family ? input.familyName : null,
    family_surnames: family ? input.familySurnames : [],
    address_line_1: family ? input.addressLine1 : null,
    address_line_2: family ? input.addressLine2 : null,
    town: family ? input.town : null,
    postcode: family ? (input.postcode?.postcode ?? null) : null,
    postcode_district: family ? (input.postcode?.district ?? null) : null,
    email: family ? input.email : null,
    phone: family ? input.phone : null,
    school: family ? input.school : null,
  };
}

function personColumns(input: CaseInput) {
  return {
    first_name: input.firstName ?? '',
    last_name: input.lastName ?? '',
    date_of_birth: input.dateOfBirth,
    relationship:
      input.kind === 'adopted_adult'
        ? ('adopted_adult' as const)
        : (input.relationship ?? 'other_birth_relative'),
    adopted_on: input.kind === 'adopted_adult' ? input.adoptedOn : null,
    address_line_1: input.addressLine1,
    town: input.town,
    postcode: input.postcode?.postcode ?? null,
    email: input.email,
    phone: input.phone,
  };
}

/** Opens a case for a request for support; the person's own record in the same transaction. */
export async function openCase(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: CaseInput,
): Promise<string> {
  const raaId = supportRaa(actor);
  if (!raaId) throw notFound('support case');
  if (!mayReadKind(actor, input.kind)) {
    throw new SupportRefused([
      {
        field: 'kind',
        message:
          'Only support workers and their managers can open cases for adopted adults and birth relatives',
      },
    ]);
  }
  const today = todayInLondon(auditContext.now);
  if (input.referralOn > today) {
    throw new SupportRefused([
      { field: 'referralOn-day', message: 'The date the request came in must be today or in the past' },
    ]);
  }
  const { householdId, errors } = await checkReferences(deps.db, raaId, actor, input);
  if (errors.length) throw new SupportRefused(errors);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('support_cases')
      .values({
        reference: newCaseReference(),
        raa_id: raaId,
        kind: input.kind,
        ...caseColumns(input, householdId),
        created_by: actor.userId,
        created_at: auditContext.now,
        updated_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.kind !== 'adoptive_family') {
      await trx
        .insertInto('support_people')
        .values({ case_id: row.id, ...personColumns(input) })
        .execute();
    }
    await auditSupport(trx, deps, auditContext, {
      action: 'support.case.create',
      outcome: 'success',
      caseId: row.id,
      raaId,
      reason: input.kind,
    });
    return row.id;
  });
}

/** Saves a case's details if nobody else has saved since the form was opened. */
export async function updateCase(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: CaseEditInput,
): Promise<void> {
  const action = 'support.case.update';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  if (input.kind !== found.kind) {
    throw new SupportRefused([
      { field: 'kind', message: 'A case cannot change who it is for: open a new case instead' },
    ]);
  }
  const { householdId, errors } = await checkReferences(deps.db, found.raa_id, actor, input);
  if (errors.length) throw new SupportRefused(errors);
  const today = todayInLondon(auditContext.now);
  const result = await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('support_cases')
      .set((eb) => ({
        ...caseColumns(input, householdId),
        status: input.status,
        closed_on: input.status === 'closed' ? (found.closed_on ?? today) : null,
        closed_reason: input.status === 'closed' ? input.closedReason : null,
        version: eb('version', '+', 1),
        updated_at: auditContext.now,
      }))
      .where('id', '=', found.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return 'stale' as const;
    if (found.kind !== 'adoptive_family') {
      await trx
        .updateTable('support_people')
        .set(personColumns(input))
        .where('case_id', '=', found.id)
        .execute();
    }
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: found.id,
      raaId: found.raa_id,
      reason: input.status === 'closed' && found.status !== 'closed' ? 'closed' : null,
    });
    return 'done' as const;
  });
  if (result === 'stale') throw new StaleSupportRecord();
}

export async function addChild(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: ChildInput,
): Promise<void> {
  const action = 'support.child.add';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  if (found.kind !== 'adoptive_family') {
    throw new SupportRefused([
      { field: 'firstName', message: 'Children are added to an adoptive family’s case' },
    ]);
  }
  if (input.adoptionOrderOn && input.adoptionOrderOn < input.dateOfBirth) {
    throw new SupportRefused([
      { field: 'adoptionOrderOn-day', message: 'The adoption order must be after the child’s date of birth' },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('support_children')
      .values({
        case_id: found.id,
        first_name: input.firstName,
        last_name: input.lastName,
        birth_first_name: input.birthFirstName,
        birth_last_name: input.birthLastName,
        date_of_birth: input.dateOfBirth,
        adoption_order_on: input.adoptionOrderOn,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .execute();
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: found.id,
      raaId: found.raa_id,
    });
  });
}

// ── Assessments and plans ─────────────────────────────────────────────────────────────────────

export async function requestAssessment(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  requestedOn: string,
): Promise<void> {
  const action = 'support.assessment.request';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  const today = todayInLondon(auditContext.now);
  if (requestedOn > today) {
    throw new SupportRefused([
      {
        field: 'requestedOn-day',
        message: 'The date the assessment was asked for must be today or in the past',
      },
    ]);
  }
  const open = (await assessmentsOf(deps.db, found.id)).find((a) => !a.completed_on);
  if (open) {
    throw new SupportRefused([
      {
        field: 'requestedOn-day',
        message: 'An assessment is already in progress: complete it before asking for another',
      },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('support_assessments')
      .values({
        case_id: found.id,
        requested_on: requestedOn,
        due_on: assessmentDueOn(requestedOn),
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .execute();
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: found.id,
      raaId: found.raa_id,
    });
  });
}

const caseKind = (row: { kind: CaseKind }) => row.kind;
const assessmentForActor = inActorRaa(assessmentInRaa, {
  reason: 'not an assessment of your RAA',
  what: 'assessment',
  subjectType: 'support_assessment',
  caseKind,
});
const planForActor = inActorRaa(planInRaa, {
  reason: 'not a support plan of your RAA',
  what: 'support plan',
  subjectType: 'support_plan',
  caseKind,
});

export async function completeAssessment(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  assessmentId: string,
  input: { version: number; outcome: string; summary: string; completedOn: string },
): Promise<string> {
  const action = 'support.assessment.complete';
  const assessment = await assessmentForActor(deps, actor, auditContext, action, assessmentId);
  if (input.completedOn < assessment.requested_on || input.completedOn > todayInLondon(auditContext.now)) {
    throw new SupportRefused([
      {
        field: 'completedOn-day',
        message:
          'The assessment must be completed on or after the day it was asked for, and not in the future',
      },
    ]);
  }
  if (assessment.completed_on)
    throw new SupportRefused([{ field: 'outcome', message: 'This assessment is already complete' }], 409);
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('support_assessments')
      .set((eb) => ({
        completed_on: input.completedOn,
        outcome: input.outcome as never,
        summary: input.summary,
        completed_by: actor.userId,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', assessment.id)
      .where('version', '=', input.version)
      .where('completed_on', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await auditOnCase(trx, deps, auditContext, action, assessment, { reason: input.outcome });
    return true;
  });
  if (!changed) throw new StaleSupportRecord();
  return assessment.case_id;
}

export async function addPlan(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: PlanInput,
): Promise<void> {
  const action = 'support.plan.create';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  if (input.assessmentId) {
    const own = (await assessmentsOf(deps.db, found.id)).some((a) => a.id === input.assessmentId);
    if (!own)
      throw new SupportRefused([{ field: 'assessmentId', message: 'Choose the assessment from the list' }]);
  }
  if (input.proposalSentOn && input.proposalSentOn > input.agreedOn) {
    throw new SupportRefused([
      { field: 'proposalSentOn-day', message: 'The notice of proposal is sent before the plan is agreed' },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    const plan = await trx
      .insertInto('support_plans')
      .values({
        case_id: found.id,
        assessment_id: input.assessmentId,
        proposal_sent_on: input.proposalSentOn,
        representations_due_on: input.proposalSentOn ? representationsDueOn(input.proposalSentOn) : null,
        agreed_on: input.agreedOn,
        review_on: input.reviewOn,
        summary: input.summary,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('support_plan_goals')
      .values(input.goals.map((goal, index) => ({ plan_id: plan.id, position: index + 1, ...goal })))
      .execute();
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: found.id,
      raaId: found.raa_id,
      reason: `${input.goals.length} goals`,
    });
  });
}

export async function reviewPlan(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  planId: string,
  body: Record<string, unknown>,
  input: { version: number; note: string; reviewedOn: string; nextReviewOn: string | null },
): Promise<string> {
  const action = 'support.plan.review';
  const plan = await planForActor(deps, actor, auditContext, action, planId);
  if (input.reviewedOn < plan.agreed_on || input.reviewedOn > todayInLondon(auditContext.now)) {
    throw new SupportRefused([
      {
        field: 'reviewedOn-day',
        message: 'The review must be on or after the day the plan was agreed, and not in the future',
      },
    ]);
  }
  if (input.nextReviewOn && input.nextReviewOn <= input.reviewedOn) {
    throw new SupportRefused([
      { field: 'nextReviewOn-day', message: 'The next review must be after this one' },
    ]);
  }
  const goals = await deps.db
    .selectFrom('support_plan_goals')
    .select(['id', 'position'])
    .where('plan_id', '=', plan.id)
    .execute();
  const statuses: Array<{ id: string; status: string }> = [];
  for (const goal of goals) {
    const value = body[`goal-${goal.id}`];
    if (value === undefined || value === '') continue;
    const parsed = goalStatusSchema.safeParse(value);
    if (!parsed.success)
      throw new SupportRefused([
        { field: `goal-${goal.id}`, message: `Choose where goal ${goal.position} has got to` },
      ]);
    statuses.push({ id: goal.id, status: parsed.data });
  }
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('support_plans')
      .set((eb) => ({
        version: eb('version', '+', 1),
        ...(input.nextReviewOn ? { review_on: input.nextReviewOn } : {}),
      }))
      .where('id', '=', plan.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    for (const goal of statuses) {
      await trx
        .updateTable('support_plan_goals')
        .set({ status: goal.status as never })
        .where('id', '=', goal.id)
        .execute();
    }
    await trx
      .insertInto('support_plan_reviews')
      .values({
        plan_id: plan.id,
        reviewed_on: input.reviewedOn,
        next_review_on: input.nextReviewOn,
        note: input.note,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
      })
      .execute();
    await auditOnCase(trx, deps, auditContext, action, plan);
    return true;
  });
  if (!changed) throw new StaleSupportRecord();
  return plan.case_id;
}

// ── Liaison with the child's council ──────────────────────────────────────────────────────────

/** What the service schedule says each side does (seeds/001, "Post adoption support services"). */
export const liaisonSchedule: Record<string, { raa: string; council: string }> = {
  general: {
    raa: 'Assesses adoption support needs and produces the support plan; runs the core offer.',
    council: 'Considers funding requests for support outside the core offer, such as therapeutic support.',
  },
  section_47: {
    raa: 'Offers support or an allocated worker during the section 47 enquiry; liaises on adoption-specific work such as life story work, or an application to the fund for therapy if the plan is rehabilitation.',
    council:
      'Conducts any section 47 enquiry, allocates a council social worker where thresholds are met, and notifies the RAA of any referral involving an adopted child. If the child is accommodated, the council provides social work support to the child and family.',
  },
  services_split: {
    raa: 'Agrees with the council which services the RAA provides for families whose needs are complex.',
    council: 'Provides the services best met within the council, such as children in need services.',
  },
  adoption_specific_work: {
    raa: 'Life story work, applications to the Adoption Support Fund and commissioning the services it agrees.',
    council: 'Provides file information and access; funds services outside the core offer it agrees to.',
  },
};

async function writeLiaison(
  trx: Trx,
  deps: SupportDeps,
  auditContext: AuditContext,
  actor: Actor,
  caseRow: { id: string; raa_id: string },
  councilId: string,
  input: Omit<LiaisonInput, 'councilId'>,
) {
  await trx
    .insertInto('support_liaison_notes')
    .values({
      case_id: caseRow.id,
      council_id: councilId,
      kind: input.kind,
      section_47_status: input.section47Status,
      raa_actions: input.raaActions,
      council_actions: input.councilActions,
      note: input.note,
      recorded_by: actor.userId,
      recorded_by_organisation_id: actor.organisation.id,
      recorded_at: auditContext.now,
    })
    .execute();
  await auditSupport(trx, deps, auditContext, {
    action: 'support.liaison.add',
    outcome: 'success',
    caseId: caseRow.id,
    raaId: caseRow.raa_id,
    reason: input.kind,
  });
}

/** The RAA's note to one of its member councils about a case. */
export async function addLiaisonNote(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: LiaisonInput,
): Promise<void> {
  const found = await caseForActor(deps, actor, auditContext, 'support.liaison.add', caseId);
  const councils = new Set((await councilsOfRaa(deps.db, found.raa_id)).map((c) => c.id));
  if (!councils.has(input.councilId)) {
    throw new SupportRefused([{ field: 'councilId', message: 'Choose one of the RAA’s councils' }]);
  }
  await deps.db
    .transaction()
    .execute((trx) => writeLiaison(trx, deps, auditContext, actor, found, input.councilId, input));
}

/** A council's own staff: the council they work for, or null. */
const councilOf = (actor: Actor): string | null =>
  actor.organisation.kind === 'local_authority' ? actor.organisation.id : null;

/** The liaison notes addressed to the actor's council, and nothing else of the cases. */
export async function councilLiaison(deps: SupportDeps, actor: Actor, auditContext: AuditContext) {
  const councilId = councilOf(actor);
  if (!councilId) {
    throw new AppError(
      'not-found',
      'This page is for council staff: it shows the RAA’s liaison notes addressed to the council.',
    );
  }
  const notes = await liaisonForCouncil(deps.db, councilId);
  await auditSupport(deps.db, deps, auditContext, {
    action: 'support.liaison.view',
    outcome: 'success',
    caseId: null,
    raaId: councilId,
    subjectType: 'organisation',
    reason: `${notes.length} notes`,
  });
  return notes;
}

/** A council's reply on a case's liaison thread, addressed to itself. */
export async function addCouncilLiaisonNote(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: Omit<LiaisonInput, 'councilId'> | null,
): Promise<void> {
  const action = 'support.liaison.add';
  const councilId = councilOf(actor);
  const found = councilId && isUuid(caseId) ? await caseForCouncil(deps.db, councilId, caseId) : undefined;
  if (!found || !councilId)
    throw await refused(deps, auditContext, action, caseId, 'not a case of your council’s children');
  if (!input) throw new SupportRefused([{ field: 'note', message: 'Write the note' }]);
  await deps.db
    .transaction()
    .execute((trx) => writeLiaison(trx, deps, auditContext, actor, found, councilId, input));
}

/** The case an assessment or plan belongs to, if the actor may reach it (else audited "not found"). */
export async function caseIdOf(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  what: 'assessment' | 'plan',
  id: string,
  action: string,
): Promise<string> {
  const row = await inActorRaa<{ case_id: string; kind: CaseKind }>(
    what === 'assessment' ? assessmentInRaa : planInRaa,
    { reason: `not a ${what} of your RAA`, what, subjectType: `support_${what}`, caseKind },
  )(deps, actor, auditContext, action, id);
  return row.case_id;
}

/** A form that shows a case's details is a view of the record, audited as it is served. */
export function auditFormView(
  deps: SupportDeps,
  auditContext: AuditContext,
  found: { id: string; raa_id: string },
  form: string,
): Promise<void> {
  return auditSupport(deps.db, deps, auditContext, {
    action: 'support.case.view',
    outcome: 'success',
    caseId: found.id,
    raaId: found.raa_id,
    reason: form,
  });
}
