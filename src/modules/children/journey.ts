// The child's journey as dated facts (issue 4 §2; design.md §4). Each milestone is a fact with
// an effective date, a source and a recorder; a correction supersedes an earlier fact with a
// reason and never overwrites it. The current stage and the time spent in each stage are
// derived from the facts in force. Pure functions: no database, no clock but the one passed in.
//
// Stages follow shared/domain.md §2 and domain-detail.md §1.1 (AAR 2005 regs 17–36; ACA 2002
// ss19, 21, 42, 46; SSDA903 AD1/PlacedAdoption dates).

export const milestoneKinds = [
  'entered_care',
  'twin_tracking_started',
  'referred_to_raa',
  'should_be_placed_decision',
  'placement_order',
  'family_finder_allocated',
  'cpr_completed',
  'cpr_updated',
  'early_permanence_placement',
  'linked',
  'matching_panel',
  'match_decision',
  'placed_for_adoption',
  'adoption_order_application',
  'adoption_order',
  'plan_changed',
  'disruption',
] as const;
export type MilestoneKind = (typeof milestoneKinds)[number];

export const milestoneLabels: Record<MilestoneKind, string> = {
  entered_care: 'Entered care',
  twin_tracking_started: 'Twin tracking started',
  referred_to_raa: 'Referred to the RAA',
  should_be_placed_decision: 'Decision that the child should be placed for adoption',
  placement_order: 'Placement order (or consent to placement)',
  family_finder_allocated: 'Family finder allocated',
  cpr_completed: 'Child Permanence Report completed',
  cpr_updated: 'Child Permanence Report updated',
  early_permanence_placement: 'Early permanence placement (fostering for adoption or concurrent planning)',
  linked: 'Linked with a family',
  matching_panel: 'Matching panel',
  match_decision: 'Match decision',
  placed_for_adoption: 'Placed for adoption (moved in)',
  adoption_order_application: 'Adoption order applied for',
  adoption_order: 'Adoption order',
  plan_changed: 'Plan changed away from adoption',
  disruption: 'Placement disruption',
};

/** Each milestone as the subject of a sentence ("The placement order cannot be …"). */
export const milestoneNouns: Record<MilestoneKind, string> = {
  entered_care: 'date the child entered care',
  twin_tracking_started: 'start of twin tracking',
  referred_to_raa: 'referral to the RAA',
  should_be_placed_decision: 'decision that the child should be placed for adoption',
  placement_order: 'placement order',
  family_finder_allocated: 'allocation of a family finder',
  cpr_completed: 'Child Permanence Report',
  cpr_updated: 'update to the Child Permanence Report',
  early_permanence_placement: 'early permanence placement',
  linked: 'link with a family',
  matching_panel: 'matching panel',
  match_decision: 'match decision',
  placed_for_adoption: 'placement for adoption',
  adoption_order_application: 'adoption order application',
  adoption_order: 'adoption order',
  plan_changed: 'change of plan',
  disruption: 'disruption',
};

/** SSDA903 REASON_PLACED_CEASED codes for a decision that the child should no longer be placed. */
export const planChangeReasons = {
  RD1: "The child's needs changed",
  RD2: 'The court did not make a placement order',
  RD3: 'Prospective adopters could not be found',
  RD4: 'Any other reason',
} as const;
export type PlanChangeReason = keyof typeof planChangeReasons;

export interface MilestoneFact {
  id: string;
  kind: MilestoneKind;
  /** The date the milestone happened: 'YYYY-MM-DD'. */
  effectiveDate: string;
  /** Where the fact came from, e.g. 'council case system', 'SSDA903 import', 'RAA worker'. */
  source: string;
  recordedBy: string;
  recordedAt: string;
  /** The fact this one corrects, if any; the corrected fact is no longer in force. */
  supersedes?: string | null;
  correctionReason?: string | null;
  planChangeReason?: PlanChangeReason | null;
  /** For a disruption: before or after the adoption order. */
  disruptionTiming?: 'before_order' | 'after_order' | null;
}

export const stages = [
  'early_identification',
  'awaiting_decision',
  'awaiting_placement_order',
  'family_finding',
  'linked',
  'matched',
  'placed',
  'adopted',
  'plan_changed',
] as const;
export type Stage = (typeof stages)[number];

export const stageLabels: Record<Stage, string> = {
  early_identification: 'Early identification',
  awaiting_decision: 'Awaiting the decision to place',
  awaiting_placement_order: 'Awaiting placement order',
  family_finding: 'Family finding',
  linked: 'Linked',
  matched: 'Matched',
  placed: 'Placed for adoption',
  adopted: 'Adopted',
  plan_changed: 'Plan changed away from adoption',
};

/** The facts in force: every fact that no later correction supersedes. */
export function factsInForce(facts: readonly MilestoneFact[]): MilestoneFact[] {
  const superseded = new Set(facts.map((fact) => fact.supersedes).filter((id): id is string => !!id));
  return facts.filter((fact) => !superseded.has(fact.id));
}

function latest(facts: readonly MilestoneFact[], kind: MilestoneKind): MilestoneFact | undefined {
  return facts
    .filter((fact) => fact.kind === kind)
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate))
    .at(-1);
}

function earliest(facts: readonly MilestoneFact[], kind: MilestoneKind): MilestoneFact | undefined {
  return facts
    .filter((fact) => fact.kind === kind)
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate))[0];
}

/**
 * The stage the child is in, from the facts in force. A disruption before the order returns the
 * child to family finding (the plan is still adoption unless it is changed).
 */
export function currentStage(allFacts: readonly MilestoneFact[]): Stage {
  const facts = factsInForce(allFacts);
  if (latest(facts, 'adoption_order')) return 'adopted';
  const planChanged = latest(facts, 'plan_changed');
  const lastDisruption = facts
    .filter((fact) => fact.kind === 'disruption' && fact.disruptionTiming !== 'after_order')
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate))
    .at(-1);
  const after = (fact: MilestoneFact | undefined): MilestoneFact | undefined =>
    fact && (!lastDisruption || fact.effectiveDate >= lastDisruption.effectiveDate) ? fact : undefined;
  if (planChanged) return 'plan_changed';
  if (after(latest(facts, 'placed_for_adoption'))) return 'placed';
  if (after(latest(facts, 'match_decision'))) return 'matched';
  if (after(latest(facts, 'linked'))) return 'linked';
  if (latest(facts, 'placement_order')) return 'family_finding';
  if (latest(facts, 'should_be_placed_decision')) return 'awaiting_placement_order';
  if (latest(facts, 'referred_to_raa') || latest(facts, 'twin_tracking_started')) return 'awaiting_decision';
  return 'early_identification';
}

/** Why a proposed fact cannot be recorded, as a sentence for the person recording it; null if it can. */
export function refuseImpossibleFact(
  existing: readonly MilestoneFact[],
  proposed: Omit<MilestoneFact, 'id' | 'recordedAt'>,
  context: { dateOfBirth: string; today: string },
): string | null {
  const date = proposed.effectiveDate;
  const noun = milestoneNouns[proposed.kind];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return `Enter the date of the ${noun} as a real date`;
  if (date < context.dateOfBirth) return `The ${noun} cannot be before the child's date of birth`;
  if (date > context.today) return `The ${noun} cannot be in the future`;
  if (proposed.supersedes && !proposed.correctionReason?.trim()) return 'Give a reason for the correction';
  if (proposed.kind === 'plan_changed' && !proposed.planChangeReason) {
    return 'Choose why the plan changed away from adoption (RD1 to RD4)';
  }
  if (proposed.kind === 'disruption' && !proposed.disruptionTiming)
    return 'Say whether the disruption was before or after the adoption order';

  const facts = factsInForce(existing).filter((fact) => fact.id !== proposed.supersedes);
  const first = (kind: MilestoneKind) => earliest(facts, kind)?.effectiveDate;
  const last = (kind: MilestoneKind) => latest(facts, kind)?.effectiveDate;
  const orderDate = last('adoption_order');

  switch (proposed.kind) {
    case 'placed_for_adoption': {
      const match = last('match_decision');
      if (!match) return 'The child cannot be placed for adoption before a match decision is recorded';
      if (date < match) return 'The child cannot be placed for adoption before the match decision';
      break;
    }
    case 'match_decision': {
      const shouldBePlaced = first('should_be_placed_decision');
      if (!shouldBePlaced)
        return 'A match cannot be agreed before the decision that the child should be placed for adoption';
      if (date < shouldBePlaced)
        return 'The match decision cannot be before the decision that the child should be placed for adoption';
      break;
    }
    case 'adoption_order': {
      const placed = last('placed_for_adoption');
      if (!placed) return 'An adoption order cannot be recorded before the child is placed for adoption';
      if (date < placed) return 'The adoption order cannot be before the child was placed for adoption';
      break;
    }
    case 'adoption_order_application': {
      const placed = last('placed_for_adoption');
      if (!placed)
        return 'An adoption order application cannot be recorded before the child is placed for adoption';
      if (date < placed)
        return 'The adoption order application cannot be before the child was placed for adoption';
      break;
    }
    case 'placement_order': {
      const entered = first('entered_care');
      if (entered && date < entered) return 'The placement order cannot be before the child entered care';
      break;
    }
    case 'should_be_placed_decision': {
      const entered = first('entered_care');
      if (entered && date < entered) return 'The decision to place cannot be before the child entered care';
      break;
    }
    case 'entered_care': {
      const decision = first('should_be_placed_decision');
      if (decision && date > decision)
        return 'The child cannot have entered care after the decision that they should be placed for adoption';
      break;
    }
    case 'disruption': {
      if (proposed.disruptionTiming === 'after_order' && (!orderDate || date < orderDate)) {
        return 'A disruption after the adoption order must be dated on or after the order';
      }
      if (proposed.disruptionTiming === 'before_order') {
        const placed = last('placed_for_adoption') ?? last('early_permanence_placement');
        if (!placed) return 'A placement cannot disrupt before the child has been placed';
        if (orderDate && date >= orderDate)
          return 'A disruption before the adoption order must be dated before the order';
      }
      break;
    }
    default:
      break;
  }
  if (orderDate && proposed.kind !== 'disruption' && proposed.kind !== 'adoption_order' && date > orderDate) {
    return `Only a disruption can be recorded after the adoption order: the ${noun} is dated after it`;
  }
  return null;
}

const dayMs = 86_400_000;
const days = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/** Calendar days spent in each stage reached so far, in order, ending today for the current one. */
export function timeInStages(
  allFacts: readonly MilestoneFact[],
  today: string,
): Array<{ stage: Stage; from: string; days: number }> {
  const facts = factsInForce(allFacts);
  const starts: Array<{ stage: Stage; from: string | undefined }> = [
    { stage: 'early_identification', from: earliest(facts, 'entered_care')?.effectiveDate },
    {
      stage: 'awaiting_decision',
      from:
        earliest(facts, 'referred_to_raa')?.effectiveDate ??
        earliest(facts, 'twin_tracking_started')?.effectiveDate,
    },
    { stage: 'awaiting_placement_order', from: earliest(facts, 'should_be_placed_decision')?.effectiveDate },
    { stage: 'family_finding', from: earliest(facts, 'placement_order')?.effectiveDate },
    { stage: 'linked', from: latest(facts, 'linked')?.effectiveDate },
    { stage: 'matched', from: latest(facts, 'match_decision')?.effectiveDate },
    { stage: 'placed', from: latest(facts, 'placed_for_adoption')?.effectiveDate },
    { stage: 'adopted', from: latest(facts, 'adoption_order')?.effectiveDate },
  ];
  const reached = starts
    .filter((s): s is { stage: Stage; from: string } => !!s.from)
    .sort((a, b) => a.from.localeCompare(b.from));
  return reached.map((entry, i) => {
    const end = reached[i + 1]?.from ?? (entry.stage === 'adopted' ? entry.from : today);
    return { stage: entry.stage, from: entry.from, days: Math.max(0, days(entry.from, end)) };
  });
}

/** The dates the tracking board filters on, taken from the facts in force (stored on the child's row). */
export interface JourneyDates {
  currentStage: Stage;
  stageSince: string | null;
  enteredCareDate: string | null;
  shouldBePlacedDate: string | null;
  placementOrderDate: string | null;
  familyFinderAllocatedDate: string | null;
  latestCprDate: string | null;
  matchDecisionDate: string | null;
  placedDate: string | null;
  adoptionOrderDate: string | null;
}

export function journeyDates(allFacts: readonly MilestoneFact[], today: string): JourneyDates {
  const facts = factsInForce(allFacts);
  const first = (kind: MilestoneKind) => earliest(facts, kind)?.effectiveDate ?? null;
  const last = (kind: MilestoneKind) => latest(facts, kind)?.effectiveDate ?? null;
  const stage = currentStage(facts);
  const stageStart =
    stage === 'plan_changed'
      ? last('plan_changed')
      : (timeInStages(facts, today).find((entry) => entry.stage === stage)?.from ?? null);
  const cprDates = [last('cpr_completed'), last('cpr_updated')].filter((date): date is string => !!date);
  return {
    currentStage: stage,
    stageSince: stageStart,
    enteredCareDate: first('entered_care'),
    shouldBePlacedDate: first('should_be_placed_decision'),
    placementOrderDate: first('placement_order'),
    familyFinderAllocatedDate: last('family_finder_allocated'),
    latestCprDate: cprDates.sort().at(-1) ?? null,
    matchDecisionDate: last('match_decision'),
    placedDate: last('placed_for_adoption'),
    adoptionOrderDate: last('adoption_order'),
  };
}
