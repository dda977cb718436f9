// The Adoption Scorecard from Kindred's own records (issue 9 §3): the children of the councils in
// the actor's scope and, for RAA staff, the households the RAA assesses, run through the pure
// measures in scorecard.ts, per council, spoke, RAA and hub. The figures are aggregates, so
// computing them is not audited per child; following a figure to the named children or
// households behind it goes through the children's and adopters' own audited list functions,
// and needs reports:drill-down and the records' own permission.
import { sql } from 'kysely';
import { can, type Actor } from '../../platform/access/actor.js';
import type { AuditContext, AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { namedChildren, type NamedChild } from '../children/children-list.service.js';
import { councilsInScope } from '../children/children.service.js';
import { namedHouseholds, type NamedHousehold } from '../adopters/households-list.service.js';
import { assessingRaa } from '../adopters/households.service.js';
import { regionFor } from '../organisations/organisations.service.js';
import {
  groupsFromTree,
  isChildMeasure,
  isHouseholdMeasure,
  measureLabels,
  scorecardByGroup,
  scorecardWindow,
  type GroupFigures,
  type OrganisationNode,
  type ScorecardChild,
  type ScorecardHousehold,
  type ScorecardMeasure,
  type ScorecardWindow,
} from './scorecard.js';

export interface ScorecardDeps {
  db: Db;
  auditKey: AuditKey;
}

/** How many 31 Marches the page offers, the latest first. */
export const windowEndsOffered = 6;

/** The 31 Marches a window can end on: the latest on or before `today`, and the years before it. */
export function windowEndChoices(today: string, count = windowEndsOffered): string[] {
  const year = Number(today.slice(0, 4));
  const latest = today >= `${year}-03-31` ? year : year - 1;
  return Array.from({ length: count }, (_, i) => `${latest - i}-03-31`);
}

export interface ScorecardReport {
  windowEnd: string;
  window: ScorecardWindow;
  /** Council, spoke, RAA and hub figures, in that order. */
  groups: GroupFigures[];
  /** False when the actor is not RAA staff: adopters are the RAA's, and A11–A13 are not shown (issue 5 §7). */
  householdsShown: boolean;
}

interface ChildQueryRow {
  id: string;
  council_id: string;
  entered_care: string | null;
  should_be_placed: string | null;
  placement_order: string | null;
  match_decision: string | null;
  placed: string | null;
  first_placed: string | null;
  adoption_order: string | null;
  plan_changed: string | null;
  early_permanence: string | null;
}

/**
 * Kindred's journey facts as scorecard children. The derived columns give the milestones; the
 * facts in force (none a correction supersedes) give the first placement for adoption, the first
 * early permanence placement and the latest change of plan.
 */
async function scorecardChildren(db: Db, councilIds: readonly string[]): Promise<ScorecardChild[]> {
  if (councilIds.length === 0) return [];
  const { rows } = await sql<ChildQueryRow>`
    select c.id::text as id, c.responsible_council_id::text as council_id,
      to_char(c.entered_care_date, 'YYYY-MM-DD') as entered_care,
      to_char(c.should_be_placed_date, 'YYYY-MM-DD') as should_be_placed,
      to_char(c.placement_order_date, 'YYYY-MM-DD') as placement_order,
      to_char(c.match_decision_date, 'YYYY-MM-DD') as match_decision,
      to_char(c.placed_date, 'YYYY-MM-DD') as placed,
      to_char(f.first_placed, 'YYYY-MM-DD') as first_placed,
      to_char(c.adoption_order_date, 'YYYY-MM-DD') as adoption_order,
      to_char(f.plan_changed, 'YYYY-MM-DD') as plan_changed,
      to_char(f.early_permanence, 'YYYY-MM-DD') as early_permanence
    from children c
    left join (
      select fact.child_id,
        min(fact.effective_date) filter (where fact.kind = 'placed_for_adoption') as first_placed,
        max(fact.effective_date) filter (where fact.kind = 'plan_changed') as plan_changed,
        min(fact.effective_date) filter (where fact.kind = 'early_permanence_placement') as early_permanence
      from child_journey_facts fact
      join children owner on owner.id = fact.child_id
      where fact.kind in ('placed_for_adoption', 'plan_changed', 'early_permanence_placement')
        and owner.responsible_council_id in (${sql.join(councilIds.map((id) => sql`${id}::uuid`))})
        and not exists (select 1 from child_journey_facts later where later.supersedes_id = fact.id)
      group by fact.child_id
    ) f on f.child_id = c.id
    where c.responsible_council_id in (${sql.join(councilIds.map((id) => sql`${id}::uuid`))})
  `.execute(db);
  return rows.map((row) => {
    const placed = row.first_placed ?? row.placed;
    // Kindred records an early permanence placement with carers approved as adopters (FfA or
    // concurrent planning); when the child is then placed for adoption, those carers are taken
    // to be the adopters, so A10's clock stops when the child moved in with them.
    const earlyPermanenceCarersAdopt =
      row.early_permanence !== null && placed !== null && row.early_permanence <= placed;
    // A change of plan reverses the should-be-placed decision only if it came on or after it.
    const reversed =
      row.plan_changed !== null && row.should_be_placed !== null && row.plan_changed >= row.should_be_placed
        ? row.plan_changed
        : null;
    return {
      id: row.id,
      councilId: row.council_id,
      enteredCare: row.entered_care,
      placementOrder: row.placement_order,
      shouldBePlacedDecisions: row.should_be_placed
        ? [{ date: row.should_be_placed, ceasedDate: reversed }]
        : [],
      matchDecision: row.match_decision,
      placedForAdoption: placed,
      movedInWithAdoptiveCarers: earlyPermanenceCarersAdopt ? row.early_permanence : placed,
      adoptionOrder: row.adoption_order,
      adoptedByFosterCarers: earlyPermanenceCarersAdopt,
      earlyPermanencePlacement: row.early_permanence,
    };
  });
}

interface HouseholdQueryRow {
  id: string;
  raa_id: string;
  council_id: string | null;
  applied: string | null;
  approved: string | null;
  matched: string | null;
  left_process: string | null;
}

/** The RAA's households with their funnel milestones (migrations 0015, 0018) and first match. */
async function scorecardHouseholds(db: Db, raaId: string): Promise<ScorecardHousehold[]> {
  const { rows } = await sql<HouseholdQueryRow>`
    select h.id::text as id, h.raa_id::text as raa_id, h.council_id::text as council_id,
      to_char(coalesce(h.funnel_registration_date, h.funnel_stage_one_date, h.funnel_stage_two_date), 'YYYY-MM-DD') as applied,
      to_char(h.funnel_approval_date, 'YYYY-MM-DD') as approved,
      to_char(m.matched, 'YYYY-MM-DD') as matched,
      to_char(least(h.funnel_withdrawn_date, h.funnel_declined_date, h.funnel_not_suitable_date, h.funnel_not_approved_date), 'YYYY-MM-DD') as left_process
    from households h
    left join (
      select fact.household_id, min(fact.effective_date) as matched
      from household_facts fact
      join households owner on owner.id = fact.household_id
      where fact.kind = 'matched' and owner.raa_id = ${raaId}::uuid
        and not exists (select 1 from household_facts later where later.supersedes_id = fact.id)
      group by fact.household_id
    ) m on m.household_id = h.id
    where h.raa_id = ${raaId}::uuid
  `.execute(db);
  return rows.map((row) => ({
    id: row.id,
    raaId: row.raa_id,
    councilId: row.council_id,
    applied: row.applied,
    approved: row.approved,
    matched: row.matched,
    left: row.left_process,
  }));
}

/** Figures per council, spoke, RAA and hub for the councils in the actor's scope. */
export async function scorecardFor(
  deps: ScorecardDeps,
  actor: Actor,
  input: { windowEnd: string },
): Promise<ScorecardReport> {
  return scorecardsFor(deps, actor)(input.windowEnd);
}

/**
 * The same figures for as many window ends as asked, from one read of the records: the
 * quarterly report asks for eight quarter ends, and reading every child and household of a
 * 150-council region eight times took most of the page's time (bench/ssda903). The records are
 * read on the first call and kept by the returned function only, so use it within one request.
 */
export function scorecardsFor(
  deps: ScorecardDeps,
  actor: Actor,
): (windowEnd: string) => Promise<ScorecardReport> {
  let records: ReturnType<typeof scorecardRecords> | undefined;
  return async (windowEnd) => {
    records ??= scorecardRecords(deps, actor);
    const { children, households, groups, householdsShown } = await records;
    return {
      windowEnd,
      window: scorecardWindow(windowEnd),
      groups: scorecardByGroup(children, households, groups, windowEnd),
      householdsShown,
    };
  };
}

async function scorecardRecords(deps: ScorecardDeps, actor: Actor) {
  const region = await regionFor(deps.db, actor);
  const councils = await councilsInScope(deps.db, actor, region);
  const nodes: OrganisationNode[] = [
    region.hub,
    region.raa,
    ...region.spokes.flatMap(({ spoke, councils: members }) => [spoke, ...members]),
    ...region.others,
  ]
    .filter((row) => row !== undefined)
    .map((row) => ({ id: row.id, name: row.name, kind: row.kind, parentId: row.parent_id }));
  const councilIds = councils.map((council) => council.id);
  const raaId = assessingRaa(actor);
  const [children, households] = await Promise.all([
    scorecardChildren(deps.db, councilIds),
    raaId ? scorecardHouseholds(deps.db, raaId) : Promise.resolve([]),
  ]);
  // A spoke, RAA or hub figure is shown only to those whose view takes it in: a council's
  // manager sees their council, not an "RAA" made of their council alone.
  const scope = new Set(actor.scope.organisationIds);
  const groups = groupsFromTree(nodes, councilIds).filter(
    (group) => group.level === 'council' || scope.has(group.id),
  );
  return { children, households, groups, householdsShown: raaId !== null };
}

export type DrillDown =
  | { kind: 'children'; group: GroupFigures; measure: ScorecardMeasure; children: NamedChild[] }
  | { kind: 'households'; group: GroupFigures; measure: ScorecardMeasure; households: NamedHousehold[] };

/**
 * The named children or households behind one figure. An organisation outside the actor's
 * scope (or not a council, spoke, RAA or hub of it) is not found; a measure about records the
 * actor may not open (children without children:read, households for anyone but the RAA's staff
 * who assess adopters) is forbidden.
 */
export async function scorecardDrillDown(
  deps: ScorecardDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: { windowEnd: string; measure: ScorecardMeasure; organisationId: string },
): Promise<DrillDown> {
  if (!can(actor, 'reports:drill-down'))
    throw new AppError('forbidden', 'You cannot see the records behind figures.');
  const report = await scorecardFor(deps, actor, { windowEnd: input.windowEnd });
  const group = report.groups.find((candidate) => candidate.group.id === input.organisationId);
  if (!group) throw new AppError('not-found', 'Page not found');
  const purpose = `scorecard ${input.measure} for ${group.group.name}, window ending ${input.windowEnd}`;
  const figure = group.figures[input.measure];
  const ids = 'denominatorIds' in figure ? figure.denominatorIds : figure.ids;
  if (isChildMeasure(input.measure)) {
    if (!can(actor, 'children:read')) throw new AppError('forbidden', 'You cannot see children’s records.');
    return {
      kind: 'children',
      group,
      measure: input.measure,
      children: await namedChildren(deps, actor, auditContext, ids, purpose),
    };
  }
  if (isHouseholdMeasure(input.measure) && report.householdsShown && can(actor, 'adopters:assess')) {
    return {
      kind: 'households',
      group,
      measure: input.measure,
      households: await namedHouseholds(deps, actor, auditContext, ids, purpose),
    };
  }
  throw new AppError('forbidden', `You cannot see the households behind ${measureLabels[input.measure]}.`);
}
