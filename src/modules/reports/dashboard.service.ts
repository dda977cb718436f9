// Reading what the board dashboard counts (issue 9 §4): the children of the councils in the
// actor's scope, and the households of the actor's RAA. Councils' staff see their own children's
// figures but nothing of the RAA's adopters (issue 5 §7). Aggregates only, so no record is
// audited; the view itself is audited once, as a report.
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext } from '../../platform/audit/audit.js';
import { todayInLondon } from '../../platform/time/index.js';
import { benefitMeasures, equalities, type DashboardChild, type DashboardHousehold } from './dashboard.js';
import { adoptersRaaOf, type ReturnsDeps } from './returns.service.js';

const iso = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : String(value).slice(0, 10);

export async function dashboardChildren(deps: ReturnsDeps, actor: Actor): Promise<DashboardChild[]> {
  const ids = [...actor.scope.organisationIds];
  if (!ids.length) return [];
  const { rows } = await sql<Record<string, unknown>>`
    select c.id, c.date_of_birth, c.ethnicity, c.needs->'disability'->>'description' as disability,
      c.sibling_group_size, c.entered_care_date, c.should_be_placed_date, c.placement_order_date,
      c.match_decision_date, c.placed_date, c.adoption_order_date,
      f.early_identified, f.early_permanence, f.plan_changed, f.disruptions
    from children c
    left join lateral (
      select
        min(x.effective_date) filter (where x.kind in ('referred_to_raa', 'twin_tracking_started')) as early_identified,
        min(x.effective_date) filter (where x.kind = 'early_permanence_placement') as early_permanence,
        max(x.effective_date) filter (where x.kind = 'plan_changed') as plan_changed,
        string_agg(x.effective_date::text || ' ' || coalesce(x.disruption_timing, ''), ',') filter (where x.kind = 'disruption') as disruptions
      from child_journey_facts x
      where x.child_id = c.id
        and x.kind in ('referred_to_raa', 'twin_tracking_started', 'early_permanence_placement', 'plan_changed', 'disruption')
        and not exists (select 1 from child_journey_facts s where s.supersedes_id = x.id)
    ) f on true
    where c.responsible_council_id = any(${ids}::uuid[])
  `.execute(deps.db);
  return rows.map((r) => ({
    dateOfBirth: iso(r.date_of_birth)!,
    ethnicity: String(r.ethnicity),
    disability: typeof r.disability === 'string' && r.disability.trim() !== '',
    siblingGroupSize: Number(r.sibling_group_size ?? 1),
    enteredCare: iso(r.entered_care_date),
    shouldBePlaced: iso(r.should_be_placed_date),
    placementOrder: iso(r.placement_order_date),
    matched: iso(r.match_decision_date),
    placed: iso(r.placed_date),
    adoptionOrder: iso(r.adoption_order_date),
    earlyIdentified: iso(r.early_identified),
    earlyPermanencePlacement: iso(r.early_permanence),
    planChanged: iso(r.plan_changed),
    disruptions:
      typeof r.disruptions === 'string' && r.disruptions
        ? r.disruptions.split(',').map((entry) => {
            const [date = '', timing = ''] = entry.split(' ');
            return {
              date,
              timing: timing === 'before_order' || timing === 'after_order' ? timing : null,
            };
          })
        : [],
  }));
}

/** The RAA's households, for RAA-side staff and the board; null for everyone else. */
export async function dashboardHouseholds(
  deps: ReturnsDeps,
  actor: Actor,
): Promise<DashboardHousehold[] | null> {
  const raaId = adoptersRaaOf(actor);
  if (!raaId) return null;
  const spokeFilter =
    actor.organisation.kind === 'raa'
      ? sql``
      : sql`and h.council_id = any(${[...actor.scope.organisationIds]}::uuid[])`;
  const { rows } = await sql<Record<string, unknown>>`
    select h.current_stage, h.offer,
      coalesce(h.funnel_enquiry_fact_date, e.created_at::date) as enquiry,
      h.funnel_stage_one_date as stage_one_start, h.funnel_stage_two_date as stage_two_start,
      h.funnel_approval_date as approved, f.stage_one_end, f.approval_ended,
      (select array_agg(a.ethnicity order by a.position) from household_applicants a where a.household_id = h.id) as ethnicities
    from households h
    left join adopter_enquiries e on e.id = h.enquiry_id
    left join lateral (
      select
        min(x.effective_date) filter (where x.kind = 'stage_one_outcome') as stage_one_end,
        min(x.effective_date) filter (where x.kind = 'approval_review' and x.details->>'approvalReviewOutcome' = 'approval_ended') as approval_ended
      from household_facts x
      where x.household_id = h.id and x.kind in ('stage_one_outcome', 'approval_review')
        and not exists (select 1 from household_facts s where s.supersedes_id = x.id)
    ) f on true
    where h.raa_id = ${raaId}::uuid ${spokeFilter}
  `.execute(deps.db);
  return rows.map((r) => {
    const offer = (typeof r.offer === 'string' ? JSON.parse(r.offer) : (r.offer ?? {})) as {
      ageFrom?: number;
      ageTo?: number;
      maxChildren?: number;
      siblingGroups?: boolean;
      needsCanMeetAreas?: string[];
      needsCannotMeetAreas?: string[];
    };
    const ethnicities = Array.isArray(r.ethnicities) ? (r.ethnicities as string[]) : [];
    return {
      enquiry: iso(r.enquiry),
      stageOneStart: iso(r.stage_one_start),
      stageOneEnd: iso(r.stage_one_end),
      stageTwoStart: iso(r.stage_two_start),
      approved: iso(r.approved),
      approvalEnded: iso(r.approval_ended),
      waiting: r.current_stage === 'approved',
      ethnicities,
      ageFrom: typeof offer.ageFrom === 'number' ? offer.ageFrom : null,
      ageTo: typeof offer.ageTo === 'number' ? offer.ageTo : null,
      siblings: offer.siblingGroups === true || (offer.maxChildren ?? 1) >= 2,
      disability: offer.needsCanMeetAreas?.includes('disability')
        ? true
        : offer.needsCannotMeetAreas?.includes('disability')
          ? false
          : null,
    };
  });
}

export async function boardDashboard(deps: ReturnsDeps, actor: Actor, auditContext: AuditContext) {
  const today = todayInLondon(auditContext.now);
  const [children, households] = await Promise.all([
    dashboardChildren(deps, actor),
    dashboardHouseholds(deps, actor),
  ]);
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action: 'reports.board.view',
    outcome: 'success',
    subjectType: 'report',
    subjectId: 'board-dashboard',
    subjectOrganisationId: actor.organisation.id,
  });
  return {
    today,
    householdsShown: households !== null,
    benefits: benefitMeasures(children, households, today),
    equalities: equalities(children, households, today),
  };
}
