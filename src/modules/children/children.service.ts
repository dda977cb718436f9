// Children's records and their journeys (issue 4). The rules:
// - a child is reached through its responsible council: council staff see their own council's
//   children, RAA staff their member councils' (scope); anything else is "not found" (AC-2);
// - birth family details, the family-finding profile and photos are need-to-know: only holders
//   of 'children:restricted' reach them, and each reading is audited on its own (design.md §3);
// - every view and change is audited; a change and its audit entry share one transaction (LG-1);
// - journey facts are appended, corrections supersede with a reason (design.md §4); the board's
//   derived columns, hard-to-place tags and the scheduled work are refreshed in that transaction;
// - an edit carries the version the form showed; a stale edit is refused with both versions.
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
import { AppError, notFound, type FieldError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import { regionFor, type RegionTree } from '../organisations/organisations.service.js';
import type { OrganisationRow } from '../organisations/organisations.repository.js';
import type {
  ChildDetailsInput,
  EditChildInput,
  FactInput,
  NewChildInput,
  SiblingInput,
} from './children.forms.js';
import {
  childInScope,
  childrenInScope,
  councilChildIdTaken,
  factsFor,
  familyFindersIn,
  siblingLinksAround,
  type ChildWithNames,
  type FactRow,
  type SiblingLinkRow,
} from './children.repository.js';
import type { Needs } from './children.tables.js';
import { derivedColumns } from './derived-columns.js';
import {
  factsInForce,
  milestoneLabels,
  refuseImpossibleFact,
  type MilestoneFact,
  type MilestoneKind,
  type PlanChangeReason,
} from './journey.js';
import { taskChangesFor, type ResponsibleSide } from './service-schedule.js';
import { orderedPair, refuseSiblingLink, type SiblingLink } from './siblings.js';

export interface ChildrenDeps {
  db: Db;
  auditKey: AuditKey;
}

export type Trx = Transaction<DB>;

export function auditChild(
  executor: Db | Trx,
  deps: ChildrenDeps,
  auditContext: AuditContext,
  entry: {
    action: string;
    outcome: AuditOutcome;
    childId: string | null;
    councilId?: string | null;
    reason?: string | null;
  },
): Promise<void> {
  return writeAudit(executor, deps.auditKey, auditContext, {
    action: entry.action,
    outcome: entry.outcome,
    subjectType: 'child',
    subjectId: entry.childId,
    subjectOrganisationId: entry.councilId ?? null,
    reason: entry.reason ?? null,
  });
}

/** A refusal for a child outside scope (or that does not exist): audited, then "not found". */
export async function childNotFound(
  deps: ChildrenDeps,
  auditContext: AuditContext,
  action: string,
  childId: string,
): Promise<AppError> {
  await auditChild(deps.db, deps, auditContext, {
    action,
    outcome: 'denied',
    childId: /^[0-9a-f-]{36}$/i.test(childId) ? childId : null,
    reason: 'not a child in your scope',
  });
  return notFound('child');
}

export const today = (auditContext: AuditContext): string => todayInLondon(auditContext.now);

export function toMilestoneFact(row: FactRow): MilestoneFact {
  return {
    id: row.id,
    kind: row.kind as MilestoneKind,
    effectiveDate: row.effective_date,
    source: row.source,
    recordedBy: row.recorded_by ?? '',
    recordedAt: row.recorded_at.toISOString(),
    supersedes: row.supersedes_id,
    correctionReason: row.correction_reason,
    planChangeReason: row.plan_change_reason as PlanChangeReason | null,
    disruptionTiming: row.disruption_timing as MilestoneFact['disruptionTiming'],
  };
}

const toSiblingLink = (row: SiblingLinkRow): SiblingLink => ({
  childAId: row.child_a_id,
  childBId: row.child_b_id,
  plan: row.placement_plan,
});

/**
 * Recomputes what the board reads from the facts and links: stage and key dates, sibling group
 * size and the lasting hard-to-place tags. Called inside the transaction of every change.
 */
export async function refreshDerived(trx: Trx, childIds: readonly string[], onDate: string): Promise<void> {
  const links = (await siblingLinksAround(trx, childIds)).map(toSiblingLink);
  const everyone = [...new Set([...childIds, ...links.flatMap((link) => [link.childAId, link.childBId])])];
  const rows = await trx
    .selectFrom('children')
    .select(['id', 'ethnicity', 'needs'])
    .where('id', 'in', everyone)
    .execute();
  for (const row of rows) {
    const facts = (await factsFor(trx, row.id)).map(toMilestoneFact);
    await trx
      .updateTable('children')
      .set(derivedColumns(row, facts, links, onDate))
      .where('id', '=', row.id)
      .execute();
  }
}

/** The councils in the actor's scope, with the spoke and RAA each belongs to. */
export async function councilsInScope(
  db: Db,
  actor: Actor,
  knownRegion?: RegionTree,
): Promise<Array<OrganisationRow & { spoke: OrganisationRow | undefined }>> {
  const region = knownRegion ?? (await regionFor(db, actor));
  const inScope = new Set(actor.scope.organisationIds);
  const fromSpokes = region.spokes.flatMap(({ spoke, councils }) =>
    councils.map((council) => ({ ...council, spoke })),
  );
  const loose = region.others
    .filter((row) => row.kind === 'local_authority')
    .map((council) => ({ ...council, spoke: undefined }));
  return [...fromSpokes, ...loose].filter((council) => inScope.has(council.id));
}

export async function familyFinderChoices(
  db: Db,
  actor: Actor,
  knownRegion?: RegionTree,
): Promise<Array<{ id: string; name: string }>> {
  // A council's staff pick from the RAA that serves them; the RAA's own staff from their region.
  const region = knownRegion ?? (await regionFor(db, actor));
  const ids = [
    region.raa?.id,
    ...region.spokes.flatMap(({ spoke, teams }) => [spoke.id, ...teams.map((team) => team.id)]),
  ].filter((id): id is string => !!id);
  return familyFindersIn(db, ids);
}

/** Whether the actor works on the RAA's side of the service schedule (not a member council). */
export function isRaaSide(actor: Actor): boolean {
  return actor.organisation.kind !== 'local_authority';
}

export type ChildRefusal = { kind: 'refused'; errors: FieldError[] };

function detailsColumns(input: ChildDetailsInput) {
  return {
    first_name: input.firstName,
    last_name: input.lastName,
    known_as: input.knownAs,
    date_of_birth: input.dateOfBirth,
    sex: input.sex,
    ethnicity: input.ethnicity,
    languages: input.languages,
    religion: input.religion,
    legal_status: input.legalStatus,
    council_social_worker_name: input.councilSocialWorkerName,
    council_social_worker_email: input.councilSocialWorkerEmail,
    early_permanence: input.earlyPermanence,
    contact_plan: input.contactPlan,
    family_finding_strategy: input.familyFindingStrategy,
    needs: JSON.stringify(input.needs satisfies Needs),
  };
}

function dateOfBirthProblems(input: ChildDetailsInput, onDate: string): FieldError[] {
  if (input.dateOfBirth > onDate) {
    return [{ field: 'dateOfBirth-day', message: 'The date of birth must be today or in the past' }];
  }
  if (input.dateOfBirth < '1990-01-01') {
    return [{ field: 'dateOfBirth-day', message: 'The date of birth must be after 1 January 1990' }];
  }
  return [];
}

export async function createChild(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: NewChildInput,
): Promise<{ kind: 'created'; childId: string } | ChildRefusal> {
  const refuse = async (outcome: AuditOutcome, reason: string, errors: FieldError[]) => {
    await auditChild(deps.db, deps, auditContext, { action: 'child.create', outcome, childId: null, reason });
    return { kind: 'refused' as const, errors };
  };
  const councils = await councilsInScope(deps.db, actor);
  const council = councils.find((candidate) => candidate.id === input.councilId);
  // A council outside the actor's scope is refused, never quietly replaced (AC-5).
  if (!council) {
    return refuse('denied', 'council outside your scope', [
      { field: 'councilId', message: "Select the child's council from the list" },
    ]);
  }
  const dateProblems = dateOfBirthProblems(input, today(auditContext));
  if (dateProblems.length) return refuse('failed', 'date of birth', dateProblems);
  const duplicate: FieldError[] = [
    {
      field: 'councilChildId',
      message: `${council.name} already has a child with the ID ${input.councilChildId} in Kindred`,
    },
  ];
  if (await councilChildIdTaken(deps.db, council.id, input.councilChildId)) {
    return refuse('failed', 'duplicate council child id', duplicate);
  }
  const created = await deps.db
    .transaction()
    .execute(async (trx) => {
      const row = await trx
        .insertInto('children')
        .values({
          responsible_council_id: council.id,
          council_child_id: input.councilChildId,
          ...detailsColumns(input),
          created_by: actor.userId,
          created_at: auditContext.now,
          updated_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await refreshDerived(trx, [row.id], today(auditContext));
      await auditChild(trx, deps, auditContext, {
        action: 'child.create',
        outcome: 'success',
        childId: row.id,
        councilId: council.id,
      });
      return row.id;
    })
    .catch((error: unknown) => {
      // Two people adding the same child at once: the unique index decides (migration 0007).
      if ((error as { code?: unknown })?.code === '23505') return null;
      throw error;
    });
  if (!created) return refuse('failed', 'duplicate council child id', duplicate);
  return { kind: 'created', childId: created };
}

/** Thrown when an edit was based on an older version; carries the record as it is now. */
export class StaleEdit extends Error {
  constructor(readonly current: ChildWithNames) {
    super('Someone else changed this record');
  }
}

/** Rolls back a change's transaction when a check inside it refuses, carrying field errors. */
export class ChangeRefused extends Error {
  constructor(
    readonly errors: FieldError[],
    readonly outcome: AuditOutcome = 'failed',
    readonly reason = 'invalid',
  ) {
    super('Change refused');
  }
}

/**
 * The frame of every change to a child's record: the child is found in scope and locked, the
 * version is checked when the form carried one, the change runs with its audit entry in one
 * transaction, and the child's version moves on. Refusals are audited after the rollback.
 */
export async function changeChild<T>(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  action: string,
  childId: string,
  expectedVersion: number | null,
  change: (trx: Trx, child: ChildWithNames) => Promise<{ result: T; reason?: string | null }>,
): Promise<T> {
  type Outcome =
    | { missing: true }
    | { stale: ChildWithNames }
    | { refused: ChangeRefused; child: ChildWithNames }
    | { done: T };
  const outcome = await deps.db
    .transaction()
    .execute(async (trx): Promise<Outcome> => {
      const child = await childInScope(trx, actor.scope.organisationIds, childId, { lock: true });
      if (!child) return { missing: true };
      if (expectedVersion !== null && child.version !== expectedVersion) return { stale: child };
      const { result, reason } = await change(trx, child).catch((error: unknown) => {
        if (error instanceof ChangeRefused) throw new RefusedInside(error, child);
        throw error;
      });
      await trx
        .updateTable('children')
        .set((eb) => ({ version: eb('version', '+', 1), updated_at: auditContext.now }))
        .where('id', '=', child.id)
        .execute();
      await auditChild(trx, deps, auditContext, {
        action,
        outcome: 'success',
        childId: child.id,
        councilId: child.responsible_council_id,
        reason: reason ?? null,
      });
      return { done: result };
    })
    .catch((error: unknown): Outcome => {
      if (error instanceof RefusedInside) return { refused: error.refusal, child: error.child };
      throw error;
    });
  if ('missing' in outcome) throw await childNotFound(deps, auditContext, action, childId);
  if ('stale' in outcome) {
    await auditChild(deps.db, deps, auditContext, {
      action,
      outcome: 'failed',
      childId: outcome.stale.id,
      councilId: outcome.stale.responsible_council_id,
      reason: 'stale edit: the record changed since the form was opened',
    });
    throw new StaleEdit(outcome.stale);
  }
  if ('refused' in outcome) {
    await auditChild(deps.db, deps, auditContext, {
      action,
      outcome: outcome.refused.outcome,
      childId: outcome.child.id,
      councilId: outcome.child.responsible_council_id,
      reason: outcome.refused.reason,
    });
    throw outcome.refused;
  }
  return outcome.done;
}

class RefusedInside extends Error {
  constructor(
    readonly refusal: ChangeRefused,
    readonly child: ChildWithNames,
  ) {
    super('refused');
  }
}

export async function updateChildDetails(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: EditChildInput,
): Promise<void> {
  await changeChild(deps, actor, auditContext, 'child.update', childId, input.version, async (trx, child) => {
    const problems = dateOfBirthProblems(input, today(auditContext));
    const facts = await factsFor(trx, child.id);
    const earliestFact = facts.map((fact) => fact.effective_date).sort()[0];
    if (earliestFact && input.dateOfBirth > earliestFact) {
      problems.push({
        field: 'dateOfBirth-day',
        message: 'The date of birth cannot be after the first date in the child’s journey',
      });
    }
    if (problems.length) throw new ChangeRefused(problems, 'failed', 'date of birth');
    await trx.updateTable('children').set(detailsColumns(input)).where('id', '=', child.id).execute();
    await refreshDerived(trx, [child.id], today(auditContext));
    return { result: undefined };
  });
}

/** Raises, completes and cancels the child's scheduled work after a fact (service-schedule.ts). */
async function applyServiceSchedule(
  trx: Trx,
  child: ChildWithNames,
  fact: { id: string; kind: MilestoneKind; effectiveDate: string },
  actor: Actor,
  now: Date,
): Promise<void> {
  const changes = taskChangesFor(fact.kind, fact.effectiveDate);
  if (changes.complete.length) {
    await trx
      .updateTable('tasks')
      .set((eb) => ({
        status: 'done',
        completed_at: now,
        completed_by: actor.userId,
        version: eb('version', '+', 1),
      }))
      .where('child_id', '=', child.id)
      .where('status', '=', 'open')
      .where('kind', 'in', changes.complete)
      .execute();
  }
  if (changes.cancelAll) {
    await trx
      .updateTable('tasks')
      .set((eb) => ({
        status: 'cancelled',
        completed_at: now,
        completed_by: actor.userId,
        version: eb('version', '+', 1),
      }))
      .where('child_id', '=', child.id)
      .where('status', '=', 'open')
      .where('kind', '<>', 'custom')
      .execute();
    return;
  }
  if (changes.raise.length === 0) return;
  const owners = await ownersFor(trx, child);
  for (const { rule, dueDate } of changes.raise) {
    const owner = owners[rule.owner];
    await trx
      .insertInto('tasks')
      .values({
        child_id: child.id,
        kind: rule.kind,
        title: rule.title,
        owner_organisation_id: owner.organisationId,
        owner_user_id: rule.owner === 'raa' ? child.family_finder_id : null,
        due_date: dueDate,
        raised_by_fact_id: fact.id,
        created_by: actor.userId,
        created_at: now,
      })
      // A rule raises one open task of its kind per child; a later fact moves its due date on.
      .onConflict((oc) =>
        oc
          .columns(['child_id', 'kind'])
          .where('status', '=', 'open')
          .where('kind', '<>', 'custom')
          .doUpdateSet({ due_date: dueDate, raised_by_fact_id: fact.id }),
      )
      .execute();
  }
}

/**
 * Raises the open work the service schedule would have raised had each child's facts been recorded
 * one by one in date order: for children that arrive with their journey already written (the demo's
 * invented children, an import). Children that already have scheduled tasks are left alone.
 */
export async function raiseScheduledWork(trx: Trx, childIds: readonly string[], now: Date): Promise<number> {
  let raised = 0;
  for (const child of await childrenInScope(trx, await everyCouncilOf(trx, childIds), childIds)) {
    const existing = await trx
      .selectFrom('tasks')
      .select('id')
      .where('child_id', '=', child.id)
      .limit(1)
      .execute();
    if (existing.length) continue;
    const facts = factsInForce((await factsFor(trx, child.id)).map(toMilestoneFact)).sort((a, b) =>
      a.effectiveDate.localeCompare(b.effectiveDate),
    );
    const open = new Map<
      string,
      { title: string; owner: ResponsibleSide; dueDate: string; factId: string }
    >();
    for (const fact of facts) {
      const changes = taskChangesFor(fact.kind, fact.effectiveDate);
      for (const kind of changes.complete) open.delete(kind);
      if (changes.cancelAll) open.clear();
      for (const { rule, dueDate } of changes.raise) {
        open.set(rule.kind, { title: rule.title, owner: rule.owner, dueDate, factId: fact.id });
      }
    }
    if (open.size === 0) continue;
    const owners = await ownersFor(trx, child);
    await trx
      .insertInto('tasks')
      .values(
        [...open].map(([kind, task]) => ({
          child_id: child.id,
          kind,
          title: task.title,
          owner_organisation_id: owners[task.owner].organisationId,
          owner_user_id: task.owner === 'raa' ? child.family_finder_id : null,
          due_date: task.dueDate,
          raised_by_fact_id: task.factId,
          created_at: now,
        })),
      )
      .execute();
    raised += open.size;
  }
  return raised;
}

async function everyCouncilOf(trx: Trx, childIds: readonly string[]): Promise<string[]> {
  if (childIds.length === 0) return [];
  const rows = await trx
    .selectFrom('children')
    .select('responsible_council_id')
    .distinct()
    .where('id', 'in', [...childIds])
    .execute();
  return rows.map((row) => row.responsible_council_id);
}

/** Who owns each side's work for this child: the council itself; for the RAA, the spoke serving the council. */
async function ownersFor(
  trx: Trx,
  child: ChildWithNames,
): Promise<Record<ResponsibleSide, { organisationId: string }>> {
  const council = await trx
    .selectFrom('organisations as council')
    .leftJoin('organisations as parent', 'parent.id', 'council.parent_id')
    .select(['council.id', 'council.raa_id', 'parent.id as parent_id', 'parent.kind as parent_kind'])
    .where('council.id', '=', child.responsible_council_id)
    .executeTakeFirstOrThrow();
  const raaSide = council.parent_kind === 'spoke' ? council.parent_id : council.raa_id;
  return {
    council: { organisationId: council.id },
    raa: { organisationId: raaSide ?? council.id },
  };
}

export async function recordFact(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: FactInput,
): Promise<void> {
  const action = input.supersedes ? 'child.journey.correct' : 'child.journey.record';
  await changeChild(deps, actor, auditContext, action, childId, null, async (trx, child) => {
    const existing = await factsFor(trx, child.id);
    if (input.supersedes) {
      const target = existing.find((fact) => fact.id === input.supersedes);
      if (!target) throw new ChangeRefused([{ field: 'supersedes', message: 'Choose the fact to correct' }]);
      if (existing.some((fact) => fact.supersedes_id === target.id)) {
        throw new ChangeRefused([
          {
            field: 'supersedes',
            message: 'That fact has already been corrected: correct the correction instead',
          },
        ]);
      }
      if (target.kind !== input.kind) {
        throw new ChangeRefused([
          {
            field: 'kind',
            message: `A correction must be of the same kind: ${milestoneLabels[target.kind as MilestoneKind].toLowerCase()}`,
          },
        ]);
      }
    }
    const refusal = refuseImpossibleFact(
      existing.map(toMilestoneFact),
      {
        kind: input.kind,
        effectiveDate: input.effectiveDate,
        source: input.source,
        recordedBy: actor.userId,
        supersedes: input.supersedes,
        correctionReason: input.correctionReason,
        planChangeReason: input.planChangeReason as PlanChangeReason | null,
        disruptionTiming: input.disruptionTiming as MilestoneFact['disruptionTiming'],
      },
      { dateOfBirth: child.date_of_birth, today: today(auditContext) },
    );
    if (refusal)
      throw new ChangeRefused([{ field: fieldForRefusal(refusal), message: refusal }], 'failed', refusal);
    const fact = await trx
      .insertInto('child_journey_facts')
      .values({
        child_id: child.id,
        kind: input.kind,
        effective_date: input.effectiveDate,
        source: input.source,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
        supersedes_id: input.supersedes,
        correction_reason: input.supersedes ? input.correctionReason : null,
        plan_change_reason: input.kind === 'plan_changed' ? input.planChangeReason : null,
        disruption_timing: input.kind === 'disruption' ? input.disruptionTiming : null,
        note: input.note,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await refreshDerived(trx, [child.id], today(auditContext));
    await applyServiceSchedule(
      trx,
      child,
      { id: fact.id, kind: input.kind, effectiveDate: input.effectiveDate },
      actor,
      auditContext.now,
    );
    return { result: undefined, reason: `${input.kind} ${input.effectiveDate}` };
  });
}

function fieldForRefusal(message: string): string {
  if (/reason for the correction/.test(message)) return 'correctionReason';
  if (/RD1 to RD4/.test(message)) return 'planChangeReason';
  if (/before or after the adoption order/.test(message) && /^Say/.test(message)) return 'disruptionTiming';
  return 'effectiveDate-day';
}

export async function allocateFamilyFinder(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: { familyFinderId: string; allocatedOn: string; version: number },
): Promise<void> {
  if (!isRaaSide(actor)) {
    throw new AppError('forbidden', 'The RAA allocates family finders: ask the RAA’s team manager.');
  }
  const finders = await familyFinderChoices(deps.db, actor);
  await changeChild(
    deps,
    actor,
    auditContext,
    'child.family-finder.allocate',
    childId,
    input.version,
    async (trx, child) => {
      const finder = finders.find((candidate) => candidate.id === input.familyFinderId);
      if (!finder) {
        throw new ChangeRefused(
          [{ field: 'familyFinderId', message: 'Select a family finder from the list' }],
          'denied',
          'family finder outside your RAA',
        );
      }
      const existing = await factsFor(trx, child.id);
      const refusal = refuseImpossibleFact(
        existing.map(toMilestoneFact),
        {
          kind: 'family_finder_allocated',
          effectiveDate: input.allocatedOn,
          source: 'RAA allocation',
          recordedBy: actor.userId,
        },
        { dateOfBirth: child.date_of_birth, today: today(auditContext) },
      );
      if (refusal)
        throw new ChangeRefused([{ field: 'allocatedOn-day', message: refusal }], 'failed', refusal);
      await trx
        .updateTable('children')
        .set({ family_finder_id: finder.id })
        .where('id', '=', child.id)
        .execute();
      const fact = await trx
        .insertInto('child_journey_facts')
        .values({
          child_id: child.id,
          kind: 'family_finder_allocated',
          effective_date: input.allocatedOn,
          source: 'RAA allocation',
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
          note: `Allocated to ${finder.name}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      // The RAA's open work on this child goes to the new family finder.
      await trx
        .updateTable('tasks')
        .set({ owner_user_id: finder.id })
        .where('child_id', '=', child.id)
        .where('status', '=', 'open')
        .where('kind', 'in', ['national_register_referral', 'life_appreciation_day'])
        .execute();
      await refreshDerived(trx, [child.id], today(auditContext));
      await applyServiceSchedule(
        trx,
        child,
        { id: fact.id, kind: 'family_finder_allocated', effectiveDate: input.allocatedOn },
        actor,
        auditContext.now,
      );
      return { result: undefined, reason: `family finder ${finder.name}` };
    },
  );
}

/** Links a sibling found by council and council child id, both in the actor's scope. */
export async function linkSibling(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: SiblingInput,
): Promise<void> {
  await changeChild(deps, actor, auditContext, 'child.siblings.link', childId, null, async (trx, child) => {
    const sibling = await trx
      .selectFrom('children')
      .select(['id', 'first_name', 'last_name'])
      .where('responsible_council_id', '=', input.siblingCouncilId)
      .where('responsible_council_id', 'in', actor.scope.organisationIds)
      .where(sql`lower(council_child_id)`, '=', input.siblingChildId.toLowerCase())
      .executeTakeFirst();
    if (!sibling) {
      throw new ChangeRefused(
        [{ field: 'siblingChildId', message: 'There is no child with that ID at that council in Kindred' }],
        'failed',
        'sibling not found',
      );
    }
    const links = (await siblingLinksAround(trx, [child.id, sibling.id])).map(toSiblingLink);
    const names = await trx
      .selectFrom('children')
      .select(['id', 'first_name', 'last_name'])
      .where('id', 'in', [
        ...new Set([child.id, sibling.id, ...links.flatMap((l) => [l.childAId, l.childBId])]),
      ])
      .execute();
    const nameOf = (id: string) => {
      const found = names.find((row) => row.id === id);
      return found ? `${found.first_name} ${found.last_name}` : 'this child';
    };
    const refusal = refuseSiblingLink(links, { childId: child.id, siblingId: sibling.id }, nameOf);
    if (refusal) throw new ChangeRefused([{ field: 'siblingChildId', message: refusal }], 'failed', refusal);
    if (input.placementPlan === 'apart' && !input.reason) {
      throw new ChangeRefused([
        { field: 'reason', message: 'Give the reason the children are to be placed apart' },
      ]);
    }
    await trx
      .insertInto('child_sibling_links')
      .values({
        ...pairColumns(child.id, sibling.id),
        placement_plan: input.placementPlan,
        reason: input.reason,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .execute();
    // The sibling's record changed too: move its version on so an open form there is not silently stale.
    await trx
      .updateTable('children')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: auditContext.now }))
      .where('id', '=', sibling.id)
      .execute();
    await refreshDerived(trx, [child.id, sibling.id], today(auditContext));
    return { result: undefined, reason: `sibling ${sibling.id} ${input.placementPlan}` };
  });
}

function pairColumns(first: string, second: string) {
  const pair = orderedPair(first, second);
  return { child_a_id: pair.childAId, child_b_id: pair.childBId };
}
