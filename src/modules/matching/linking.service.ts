// The linking workflow (issue 6 §3): shortlisted → profile shared → expression of interest →
// visits → link agreed → matching meeting → ready for matching panel, or closed with a reason at
// any point. Each move is one transaction: the link's new state and version, an event row that
// says who did what and when, and the audit entry. The family-finding activity log, a council's
// exclusion of a household, and the child's matching considerations live here too.
//
// Refusals, each with a sentence: a child already matched, placed or off the adoption plan; a
// household not approved and waiting; a household already agreed for another child (two links
// racing for one household: the row lock decides, and the partial unique index is the second wall).
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { DB } from '../../platform/db/schema.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError, type FieldError } from '../../platform/http/errors.js';
import { assessingRaa } from '../adopters/households.service.js';
import { considerationsOf } from './matching.repository.js';
import type { ChildMatchingConsiderations } from './matching-profiles.js';
import {
  availableHouseholdStage,
  linkInScope,
  poolChild,
  poolsOf,
  raaOfCouncil,
  searchableChildStages,
  type LinkRow,
} from './matching.repository.js';
import {
  auditMatching,
  identifiedLinkStates,
  isUuid,
  refusedAsNotFound,
  type MatchingDeps,
} from './matching.service.js';
import type { ActivityKind, LinkState } from './matching.tables.js';

export const linkStateLabels: Record<LinkState, string> = {
  shortlisted: 'Shortlisted',
  profile_shared: 'Profile shared',
  expression_of_interest: 'Expression of interest',
  visits: 'Visits',
  link_agreed: 'Link agreed',
  matching_meeting: 'Matching meeting held',
  ready_for_panel: 'Ready for matching panel',
  matched: 'Match agreed by the agency decision maker',
  closed: 'Closed',
};

/** The workflow's order; each step moves one place forward (closing is always possible). */
export const linkSteps: readonly LinkState[] = [
  'shortlisted',
  'profile_shared',
  'expression_of_interest',
  'visits',
  'link_agreed',
  'matching_meeting',
  'ready_for_panel',
];

export function nextLinkState(state: LinkState): LinkState | null {
  const at = linkSteps.indexOf(state);
  return at === -1 || at === linkSteps.length - 1 ? null : (linkSteps[at + 1] ?? null);
}

export const activityKindLabels: Record<ActivityKind, string> = {
  strategy_meeting: 'Family-finding strategy meeting',
  profiling_event: 'Profiling event',
  publicity: 'Publicity',
  profile_sent: 'Profile sent',
  national_register: 'Referred to the national register',
  other: 'Other',
};

type Trx = Transaction<DB>;

export class LinkRefused extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors[0]?.message ?? 'refused');
  }
}
export class StaleLink extends Error {}

const childStageRefusal: Record<string, string> = {
  matched: 'This child has already been matched, so no new link can be made.',
  placed: 'This child has already been placed for adoption, so no new link can be made.',
  adopted: 'This child has been adopted, so no new link can be made.',
  plan_changed: "This child's plan has changed away from adoption, so no new link can be made.",
};

function refuseChild(stage: string): void {
  if ((searchableChildStages as readonly string[]).includes(stage)) return;
  throw new LinkRefused([
    {
      field: 'householdId',
      message: childStageRefusal[stage] ?? 'This child cannot be linked at this stage.',
    },
  ]);
}

function refuseHousehold(stage: string): void {
  if (stage === availableHouseholdStage) return;
  throw new LinkRefused([
    {
      field: 'householdId',
      message: 'This household is not approved and waiting, so it cannot be linked with a child.',
    },
  ]);
}

/** Adds a household to a child's shortlist: the first step of a link. */
export async function shortlist(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  householdId: string,
): Promise<string> {
  const action = 'matching.link.shortlist';
  const child = isUuid(childId) ? await poolChild(deps.db, actor.scope.organisationIds, childId) : undefined;
  if (!child) throw await refusedAsNotFound(deps, auditContext, action, 'child', childId);
  const raaId = await raaOfCouncil(deps.db, child.responsible_council_id);
  const pools = raaId ? await poolsOf(deps.db, raaId) : undefined;
  const agencies = raaId && pools ? [raaId, ...pools.partnerAgencyIds] : [];
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const lockedChild = await trx
        .selectFrom('children')
        .select(['id', 'current_stage'])
        .where('id', '=', child.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      refuseChild(lockedChild.current_stage);
      const household = isUuid(householdId)
        ? await trx
            .selectFrom('households')
            .select(['id', 'current_stage', 'raa_id'])
            .where('id', '=', householdId)
            .where('raa_id', 'in', agencies.length ? agencies : ['00000000-0000-0000-0000-000000000000'])
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      if (!household) {
        throw new LinkRefused([{ field: 'householdId', message: 'Choose a household from the pool' }]);
      }
      refuseHousehold(household.current_stage);
      const open = await trx
        .selectFrom('match_links')
        .select('id')
        .where('child_id', '=', child.id)
        .where('household_id', '=', household.id)
        .where('state', '<>', 'closed')
        .executeTakeFirst();
      if (open) {
        throw new LinkRefused([
          { field: 'householdId', message: 'This household is already on the shortlist for this child.' },
        ]);
      }
      const link = await trx
        .insertInto('match_links')
        .values({
          child_id: child.id,
          household_id: household.id,
          state: 'shortlisted',
          created_by: actor.userId,
          created_at: auditContext.now,
          updated_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('match_link_events')
        .values({
          link_id: link.id,
          from_state: null,
          to_state: 'shortlisted',
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute();
      await auditMatching(trx, deps, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'child',
        subjectId: child.id,
        organisationId: child.responsible_council_id,
      });
      return link.id;
    });
  } catch (error) {
    if (error instanceof LinkRefused) {
      await auditMatching(deps.db, deps, auditContext, {
        action,
        outcome: 'denied',
        subjectType: 'child',
        subjectId: child.id,
        organisationId: child.responsible_council_id,
        reason: error.message.slice(0, 200),
      });
    }
    throw error;
  }
}

export interface LinkMove {
  to: LinkState;
  version: number;
  note: string | null;
  expressedBy: 'household' | 'child_side' | null;
  closedReason: string | null;
}

const raceMessage =
  'This household has just been agreed for another child, so this link cannot be agreed. Nothing was changed.';

/** Moves a link one step on, or closes it. */
export async function moveLink(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  linkId: string,
  move: LinkMove,
): Promise<LinkRow> {
  const action = `matching.link.${move.to === 'closed' ? 'close' : 'move'}`;
  const link = isUuid(linkId) ? await linkInScope(deps.db, actor.scope.organisationIds, linkId) : undefined;
  if (!link) throw await refusedAsNotFound(deps, auditContext, action, 'child', linkId);
  // Refusals are thrown inside the transaction and audited after it has rolled back: the audit
  // entry must not share (or wait on) the transaction it explains.
  const refuse = (errors: FieldError[]) => new LinkRefused(errors);
  try {
    await deps.db.transaction().execute(async (trx) => {
      // Lock the household first: two links racing to "agreed" for it queue here.
      const household = await trx
        .selectFrom('households')
        .select(['id', 'current_stage'])
        .where('id', '=', link.household_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const current = await trx
        .selectFrom('match_links')
        .innerJoin('children', 'children.id', 'match_links.child_id')
        .select(['match_links.state', 'match_links.version', 'children.current_stage as child_stage'])
        .where('match_links.id', '=', link.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.version !== move.version) throw new StaleLink();
      const from = current.state as LinkState;
      if (from === 'closed') throw refuse([{ field: 'to', message: 'This link is closed.' }]);
      if (move.to === 'closed') {
        if (!move.closedReason) {
          throw refuse([{ field: 'closedReason', message: 'Say why the link is being closed' }]);
        }
      } else {
        if (nextLinkState(from) !== move.to) {
          throw refuse([
            {
              field: 'to',
              message: `A link that is "${linkStateLabels[from].toLowerCase()}" can only move on to "${linkStateLabels[
                nextLinkState(from) ?? from
              ].toLowerCase()}" next.`,
            },
          ]);
        }
        if (move.to === 'expression_of_interest' && !move.expressedBy) {
          throw refuse([{ field: 'expressedBy', message: 'Say who expressed an interest' }]);
        }
        try {
          refuseChild(current.child_stage);
          refuseHousehold(household.current_stage);
        } catch (error) {
          throw error instanceof LinkRefused ? refuse(error.errors) : error;
        }
        if (identifiedLinkStates.has(move.to)) {
          const other = await trx
            .selectFrom('match_links')
            .select('id')
            .where('household_id', '=', link.household_id)
            .where('id', '<>', link.id)
            .where('state', 'in', [...identifiedLinkStates] as LinkState[])
            .executeTakeFirst();
          if (other) throw refuse([{ field: 'to', message: raceMessage }]);
        }
      }
      await trx
        .updateTable('match_links')
        .set({
          state: move.to,
          version: move.version + 1,
          updated_at: auditContext.now,
          closed_reason: move.to === 'closed' ? move.closedReason : null,
        })
        .where('id', '=', link.id)
        .execute();
      await trx
        .insertInto('match_link_events')
        .values({
          link_id: link.id,
          from_state: from,
          to_state: move.to,
          expressed_by: move.to === 'expression_of_interest' ? move.expressedBy : null,
          note: move.to === 'closed' ? move.closedReason : move.note,
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute();
      await auditMatching(trx, deps, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'child',
        subjectId: link.child_id,
        organisationId: link.child_council_id,
        reason: `${from} → ${move.to}`,
      });
    });
  } catch (error) {
    // The unique index: another request agreed a link for this household (or child) first.
    const refused = isUniqueViolation(error)
      ? refuse([{ field: 'to', message: raceMessage }])
      : error instanceof LinkRefused
        ? error
        : undefined;
    if (!refused) throw error;
    await auditMatching(deps.db, deps, auditContext, {
      action,
      outcome: 'denied',
      subjectType: 'child',
      subjectId: link.child_id,
      organisationId: link.child_council_id,
      reason: refused.message.slice(0, 200),
    });
    throw refused;
  }
  return (await linkInScope(deps.db, actor.scope.organisationIds, link.id)) as LinkRow;
}

/**
 * The agency decision maker's match decision settles the link (issue 7 §5): agreed → 'matched',
 * not agreed → closed with that reason. Called by the panels module inside its decision's
 * transaction, so the link, its history and the audit entry commit or roll back with the decision.
 */
export async function settleLinkByDecision(
  trx: Trx,
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  linkId: string,
  agreed: boolean,
): Promise<void> {
  const link = await trx
    .selectFrom('match_links')
    .innerJoin('children', 'children.id', 'match_links.child_id')
    .select([
      'match_links.id',
      'match_links.state',
      'match_links.version',
      'match_links.child_id',
      'children.responsible_council_id',
    ])
    .where('match_links.id', '=', linkId)
    .forUpdate()
    .executeTakeFirst();
  if (!link || link.state === 'matched' || link.state === 'closed') return;
  const to: LinkState = agreed ? 'matched' : 'closed';
  const reason = agreed ? null : 'The agency decision maker did not agree the match';
  await trx
    .updateTable('match_links')
    .set({ state: to, version: link.version + 1, updated_at: auditContext.now, closed_reason: reason })
    .where('id', '=', link.id)
    .execute();
  await trx
    .insertInto('match_link_events')
    .values({
      link_id: link.id,
      from_state: link.state as LinkState,
      to_state: to,
      note: reason,
      recorded_by: actor.userId,
      recorded_at: auditContext.now,
    })
    .execute();
  await auditMatching(trx, deps, auditContext, {
    action: agreed ? 'matching.link.move' : 'matching.link.close',
    outcome: 'success',
    subjectType: 'child',
    subjectId: link.child_id,
    organisationId: link.responsible_council_id,
    reason: `${link.state} → ${to} (agency decision)`,
  });
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505';
}

/** Who may move a link on: the child's side, or the household's agency (staff with 'matching:link'). */
export function linkViewerKnowsHousehold(actor: Actor, link: LinkRow): boolean {
  return (
    assessingRaa(actor) === link.household_agency_id ||
    actor.organisation.id === link.household_agency_id ||
    identifiedLinkStates.has(link.state)
  );
}

// ── Family-finding activity log ──────────────────────────────────────────────────────────────

export async function recordActivity(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: { kind: ActivityKind; date: string; note: string },
): Promise<void> {
  const action = 'matching.activity.record';
  const child = isUuid(childId) ? await poolChild(deps.db, actor.scope.organisationIds, childId) : undefined;
  if (!child) throw await refusedAsNotFound(deps, auditContext, action, 'child', childId);
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('family_finding_activities')
      .values({
        child_id: child.id,
        kind: input.kind,
        activity_date: input.date,
        note: input.note,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
      })
      .execute();
    await auditMatching(trx, deps, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'child',
      subjectId: child.id,
      organisationId: child.responsible_council_id,
      reason: input.kind,
    });
  });
}

// ── A council's exclusion of a household ─────────────────────────────────────────────────────

/**
 * The child's council excludes a household from all its children's searches. Only the council's
 * own staff, or the RAA's managers acting for it, reach the child; the exclusion is the council's.
 */
export async function excludeHousehold(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: { householdId: string; reason: string },
): Promise<void> {
  const action = 'matching.exclusion.add';
  const child = isUuid(childId) ? await poolChild(deps.db, actor.scope.organisationIds, childId) : undefined;
  if (!child) throw await refusedAsNotFound(deps, auditContext, action, 'child', childId);
  const raaId = await raaOfCouncil(deps.db, child.responsible_council_id);
  const pools = raaId ? await poolsOf(deps.db, raaId) : undefined;
  const agencies = raaId && pools ? [raaId, ...pools.partnerAgencyIds] : [];
  const household =
    isUuid(input.householdId) && agencies.length
      ? await deps.db
          .selectFrom('households')
          .select('id')
          .where('id', '=', input.householdId)
          .where('raa_id', 'in', agencies)
          .executeTakeFirst()
      : undefined;
  if (!household)
    throw new LinkRefused([{ field: 'householdId', message: 'Choose a household from the pool' }]);
  await deps.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('matching_exclusions')
      .values({
        household_id: household.id,
        council_id: child.responsible_council_id,
        reason: input.reason,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .onConflict((oc) => oc.columns(['household_id', 'council_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    await auditMatching(trx, deps, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'household',
      subjectId: household.id,
      organisationId: child.responsible_council_id,
      reason: inserted ? 'excluded' : 'already excluded',
    });
  });
}

// ── The child's matching considerations ──────────────────────────────────────────────────────

export class StaleChild extends Error {}

export async function updateConsiderations(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  input: { considerations: ChildMatchingConsiderations; version: number },
): Promise<void> {
  const action = 'child.matching.change';
  const child = isUuid(childId) ? await poolChild(deps.db, actor.scope.organisationIds, childId) : undefined;
  if (!child) throw await refusedAsNotFound(deps, auditContext, action, 'child', childId);
  await deps.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('children')
      .set({
        matching: JSON.stringify(input.considerations),
        version: input.version + 1,
        updated_at: auditContext.now,
      })
      .where('id', '=', child.id)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw new StaleChild();
    await auditMatching(trx, deps, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'child',
      subjectId: child.id,
      organisationId: child.responsible_council_id,
    });
  });
}

export async function considerationsForm(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
) {
  const scope = actor.scope.organisationIds;
  const child =
    isUuid(childId) && scope.length
      ? await deps.db
          .selectFrom('children')
          .select(['id', 'first_name', 'last_name', 'matching', 'version', 'responsible_council_id'])
          .where('id', '=', childId)
          .where('responsible_council_id', 'in', scope)
          .executeTakeFirst()
      : undefined;
  if (!child) throw await refusedAsNotFound(deps, auditContext, 'child.matching.view', 'child', childId);
  await auditMatching(deps.db, deps, auditContext, {
    action: 'child.matching.view',
    outcome: 'success',
    subjectType: 'child',
    subjectId: child.id,
    organisationId: child.responsible_council_id,
  });
  return { ...child, considerations: considerationsOf(child.matching) };
}

export function refusal(message: string, field = 'form'): AppError {
  return new AppError('bad-request', message, { fieldErrors: [{ field, message }] });
}
