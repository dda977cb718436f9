// Matching from one regional pool (issue 6). The rules:
// - a child's candidate list is for whoever may see the child (its council's staff, the RAA's):
//   households of the RAA's own pool first, then partner pools (other RAAs in the hub, voluntary
//   adoption agencies), each with the interagency-fee flag when the family is another agency's;
// - a household's identity (names) is shown only to its own agency's staff, and to others once a
//   link between it and this child is agreed; everyone else sees a non-identifying profile
//   (reference, agency, what they offer, heritage, religion and languages) — issue 6 §5;
// - a household's ranked children are for its own agency's assessing and family-finding staff;
// - every candidate list and comparison served is audited against the child or household;
// - the weights are the RAA's, versioned and audited.
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, notFound, type FieldError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import { assessingRaa } from '../adopters/households.service.js';
import type { MatchResult } from './compatibility.js';
import {
  defaultWeights,
  weightKeys,
  weightsSchema,
  type MatchingChild,
  type MatchingHousehold,
  type MatchingWeights,
} from './matching-profiles.js';
import {
  availableHouseholdStage,
  linksForChild,
  poolChild,
  poolChildren,
  poolHouseholds,
  poolsOf,
  raaOfCouncil,
  searchableChildStages,
  toMatchingChild,
  toMatchingHousehold,
  type PoolChildRow,
  type PoolHouseholdRow,
} from './matching.repository.js';
import { prepareHouseholds, rankChildren, rankHouseholds } from './ranking.js';

export interface MatchingDeps {
  db: Db;
  auditKey: AuditKey;
}
type Trx = Transaction<DB>;

export const identifiedLinkStates = new Set([
  'link_agreed',
  'matching_meeting',
  'ready_for_panel',
  'matched',
]);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => uuidPattern.test(value);

export function auditMatching(
  executor: Db | Trx,
  deps: MatchingDeps,
  auditContext: AuditContext,
  entry: {
    action: string;
    outcome: 'success' | 'denied' | 'failed';
    subjectType: 'child' | 'household' | 'organisation';
    subjectId: string | null;
    organisationId?: string | null;
    reason?: string | null;
  },
) {
  return writeAudit(executor, deps.auditKey, auditContext, {
    action: entry.action,
    outcome: entry.outcome,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId && isUuid(entry.subjectId) ? entry.subjectId : null,
    subjectOrganisationId: entry.organisationId ?? null,
    reason: entry.reason ?? null,
  });
}

export async function refusedAsNotFound(
  deps: MatchingDeps,
  auditContext: AuditContext,
  action: string,
  subjectType: 'child' | 'household',
  subjectId: string,
): Promise<AppError> {
  await auditMatching(deps.db, deps, auditContext, {
    action,
    outcome: 'denied',
    subjectType,
    subjectId,
    reason: `not a ${subjectType} in your scope`,
  });
  return notFound(subjectType);
}

/** The RAA's weights, or the defaults until someone sets them. */
export async function weightsOf(
  executor: Db | Trx,
  raaId: string,
): Promise<{ weights: MatchingWeights; version: number; custom: boolean }> {
  const row = await executor
    .selectFrom('matching_weights')
    .select(['weights', 'version'])
    .where('raa_id', '=', raaId)
    .executeTakeFirst();
  if (!row) return { weights: defaultWeights, version: 0, custom: false };
  const parsed = weightsSchema.safeParse(row.weights);
  return { weights: parsed.success ? parsed.data : defaultWeights, version: row.version, custom: true };
}

export class StaleWeights extends Error {}

/** Saves the RAA's weights if nobody changed them since the form was opened; audited. */
export async function saveWeights(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: { weights: MatchingWeights; version: number },
): Promise<void> {
  const raaId = actor.scope.raaId;
  if (!raaId || assessingRaa(actor) !== raaId) throw notFound('page');
  await deps.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('matching_weights')
      .select('version')
      .where('raa_id', '=', raaId)
      .forUpdate()
      .executeTakeFirst();
    if ((current?.version ?? 0) !== input.version) throw new StaleWeights();
    const weights = JSON.stringify(input.weights);
    if (current) {
      await trx
        .updateTable('matching_weights')
        .set({ weights, version: input.version + 1, updated_by: actor.userId, updated_at: auditContext.now })
        .where('raa_id', '=', raaId)
        .execute();
    } else {
      await trx
        .insertInto('matching_weights')
        .values({
          raa_id: raaId,
          weights,
          version: 1,
          updated_by: actor.userId,
          updated_at: auditContext.now,
        })
        .execute();
    }
    await auditMatching(trx, deps, auditContext, {
      action: 'matching.weights.change',
      outcome: 'success',
      subjectType: 'organisation',
      subjectId: raaId,
      organisationId: raaId,
      reason: weightKeys.map((key) => `${key}=${input.weights[key]}`).join(' '),
    });
  });
}

// ── Candidate lists ────────────────────────────────────────────────────────────────────────────

export const poolKinds = ['all', 'own', 'partners'] as const;
export type PoolKind = (typeof poolKinds)[number];

export interface CandidateFilters {
  pool: PoolKind;
  compatibleOnly: boolean;
  minScore: number;
  earlyPermanence: boolean;
}

export interface HouseholdCandidate {
  result: MatchResult;
  household: MatchingHousehold;
  reference: string;
  agencyName: string;
  ownPool: boolean;
  interagencyFee: boolean;
  /** Names, only when this viewer may know who the family is. */
  identity: { applicantNames: string[] } | null;
  relationshipStatus: string;
  approvedSince: string | null;
  /** The link between this child and household, if one is open. */
  link: { id: string; state: string } | null;
  /** Linked (agreed) with another child already. */
  spokenFor: boolean;
}

export interface ChildCandidates {
  child: PoolChildRow;
  matchingChild: MatchingChild;
  raaId: string;
  weights: MatchingWeights;
  own: HouseholdCandidate[];
  partners: HouseholdCandidate[];
  /** Households considered before filters, for "12 of 40 shown". */
  considered: number;
}

/** The child, if the actor may see it: its council's staff, or its RAA's. */
async function childForActor(deps: MatchingDeps, actor: Actor, childId: string) {
  if (!isUuid(childId)) return undefined;
  return poolChild(deps.db, actor.scope.organisationIds, childId);
}

function viewerKnowsHousehold(actor: Actor, agencyId: string): boolean {
  // Staff of the agency that assessed the family (the RAA, its spokes and teams; or the VAA itself).
  return assessingRaa(actor) === agencyId || actor.organisation.id === agencyId;
}

async function agreedLinksOf(executor: Db | Trx, householdIds: readonly string[]) {
  if (householdIds.length === 0) return new Map<string, string>();
  const rows = await executor
    .selectFrom('match_links')
    .select(['household_id', 'child_id'])
    .where('household_id', 'in', householdIds)
    .where('state', 'in', [...identifiedLinkStates] as never)
    .execute();
  return new Map(rows.map((row) => [row.household_id, row.child_id]));
}

export async function candidatesForChild(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  filters: CandidateFilters,
): Promise<ChildCandidates> {
  const action = 'matching.candidates.child';
  const child = await childForActor(deps, actor, childId);
  if (!child) throw await refusedAsNotFound(deps, auditContext, action, 'child', childId);
  const raaId = await raaOfCouncil(deps.db, child.responsible_council_id);
  if (!raaId) throw await refusedAsNotFound(deps, auditContext, action, 'child', childId);
  const pools = await poolsOf(deps.db, raaId);
  const [rows, { weights }, links] = await Promise.all([
    poolHouseholds(deps.db, [raaId, ...pools.partnerAgencyIds]),
    weightsOf(deps.db, raaId),
    linksForChild(deps.db, child.id),
  ]);
  const today = todayInLondon(auditContext.now);
  const matchingChild = toMatchingChild(child, today);
  const households = rows.map(toMatchingHousehold);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const agreed = await agreedLinksOf(
    deps.db,
    rows.map((r) => r.id),
  );
  const openLinks = new Map(
    links.filter((l) => l.state !== 'closed').map((l) => [l.household_id, { id: l.id, state: l.state }]),
  );
  const ranked = rankHouseholds(matchingChild, prepareHouseholds(households), weights);
  const householdById = new Map(households.map((h) => [h.id, h]));
  const candidates: HouseholdCandidate[] = ranked.flatMap((result) => {
    const row = byId.get(result.householdId) as PoolHouseholdRow;
    const household = householdById.get(result.householdId) as MatchingHousehold;
    const ownPool = row.agency_id === raaId;
    if (filters.pool === 'own' && !ownPool) return [];
    if (filters.pool === 'partners' && ownPool) return [];
    if (filters.compatibleOnly && !result.compatible) return [];
    if (result.score < filters.minScore) return [];
    if (filters.earlyPermanence && !household.earlyPermanence) return [];
    const link = openLinks.get(row.id) ?? null;
    const identified =
      viewerKnowsHousehold(actor, row.agency_id) || (!!link && identifiedLinkStates.has(link.state));
    return [
      {
        result,
        household,
        reference: row.reference,
        agencyName: row.agency_name,
        ownPool,
        interagencyFee: !ownPool,
        identity: identified ? { applicantNames: row.applicant_names ?? [] } : null,
        relationshipStatus: row.relationship_status,
        approvedSince: row.stage_since,
        link,
        spokenFor: agreed.has(row.id) && agreed.get(row.id) !== child.id,
      },
    ];
  });
  await auditMatching(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'child',
    subjectId: child.id,
    organisationId: child.responsible_council_id,
    reason: `${candidates.length} households listed`,
  });
  return {
    child,
    matchingChild,
    raaId,
    weights,
    own: candidates.filter((c) => c.ownPool),
    partners: candidates.filter((c) => !c.ownPool),
    considered: rows.length,
  };
}

/** Up to four households side by side for one child (issue 6 §2); audited like a list. */
export async function compareForChild(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  childId: string,
  householdIds: readonly string[],
): Promise<ChildCandidates & { compared: HouseholdCandidate[] }> {
  const all = await candidatesForChild(deps, actor, auditContext, childId, {
    pool: 'all',
    compatibleOnly: false,
    minScore: 0,
    earlyPermanence: false,
  });
  const every = [...all.own, ...all.partners];
  const compared = householdIds.flatMap((id) => every.filter((c) => c.household.id === id));
  return { ...all, compared };
}

export interface ChildCandidate {
  result: MatchResult;
  child: PoolChildRow;
}

/** A household's ranked children: for its own agency's staff only (issue 6 §2, §5). */
export async function candidatesForHousehold(
  deps: MatchingDeps,
  actor: Actor,
  auditContext: AuditContext,
  householdId: string,
  filters: { compatibleOnly: boolean; minScore: number },
): Promise<{ household: PoolHouseholdRow; children: ChildCandidate[]; considered: number }> {
  const action = 'matching.candidates.household';
  const raaId = assessingRaa(actor);
  const rows =
    raaId && isUuid(householdId) ? await poolHouseholdById(deps.db, raaId, householdId) : undefined;
  if (!rows || !raaId) throw await refusedAsNotFound(deps, auditContext, action, 'household', householdId);
  const pools = await poolsOf(deps.db, raaId);
  const [children, { weights }] = await Promise.all([
    poolChildren(deps.db, pools.memberCouncilIds, searchableChildStages),
    weightsOf(deps.db, raaId),
  ]);
  const today = todayInLondon(auditContext.now);
  const byId = new Map(children.map((c) => [c.id, c]));
  const ranked = rankChildren(
    toMatchingHousehold(rows),
    children.map((c) => toMatchingChild(c, today)),
    weights,
  );
  const listed = ranked
    .filter((r) => (!filters.compatibleOnly || r.compatible) && r.score >= filters.minScore)
    .map((result) => ({ result, child: byId.get(result.childId) as PoolChildRow }));
  await auditMatching(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'household',
    subjectId: rows.id,
    organisationId: raaId,
    reason: `${listed.length} children listed`,
  });
  return { household: rows, children: listed, considered: children.length };
}

/** One household of the agency, approved or not (the page says when it is not in the pool). */
async function poolHouseholdById(db: Db, agencyId: string, householdId: string) {
  const household = await db
    .selectFrom('households')
    .select(['id', 'current_stage'])
    .where('id', '=', householdId)
    .where('raa_id', '=', agencyId)
    .executeTakeFirst();
  if (!household) return undefined;
  if (household.current_stage !== availableHouseholdStage) {
    throw new AppError(
      'conflict',
      'This household is not approved and waiting, so it is not in the pool: there are no children to rank for it.',
    );
  }
  const [row] = await poolHouseholds(db, [agencyId], { householdId });
  return row;
}

export function fieldError(field: string, message: string): FieldError[] {
  return [{ field, message }];
}
