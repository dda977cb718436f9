// What an SSDA903 return says about a child, as Kindred journey facts (issue 9 §1; domain.md §2,
// §6). Pure functions: the import service decides what to write, these decide what the return
// means. The readings made here, in domain terms:
// - Kindred's board holds children with adoption plans. A looked-after child whose return shows
//   no adoption milestone (no should-be-placed decision, placement or freeing order, early
//   permanence or adoption placement, match or adoption order) is counted, not imported; a child
//   Kindred already holds is always brought up to date.
// - Every should-be-placed decision in PlacedAdoption is a fact; a decision reversed
//   (DATE_PLACED_CEASED with RD1–RD4) becomes "plan changed" only when it is the latest decision,
//   because an older reversal followed by a new decision is a plan that came back to adoption.
// - The return carries only some milestones (AD1, with the match date, exists only for children
//   adopted in the year), so a fact is checked against the dates that are there — never refused
//   because an earlier milestone is missing, as a worker's entry is (journey.ts
//   refuseImpossibleFact), since the return is the council's own statutory record.
import {
  milestoneNouns,
  type MilestoneFact,
  type MilestoneKind,
  type PlanChangeReason,
} from '../children/journey.js';
import type { ReturnChildJourney } from './journeys.js';

export interface ImportFact {
  kind: MilestoneKind;
  effectiveDate: string;
  planChangeReason: PlanChangeReason | null;
}

/** The facts the return states for the child, oldest first. */
export function factsFromJourney(journey: ReturnChildJourney): ImportFact[] {
  const facts: ImportFact[] = [];
  const add = (kind: MilestoneKind, date: string | null, reason: PlanChangeReason | null = null) => {
    if (date) facts.push({ kind, effectiveDate: date, planChangeReason: reason });
  };
  add('entered_care', journey.enteredCare);
  const decisionDates = new Set<string>();
  for (const decision of journey.shouldBePlacedDecisions) {
    if (decision.date) decisionDates.add(decision.date);
  }
  if (journey.shouldBePlacedDateOfAdoption) decisionDates.add(journey.shouldBePlacedDateOfAdoption);
  for (const date of decisionDates) add('should_be_placed_decision', date);
  add('placement_order', journey.placementOrder);
  add('early_permanence_placement', journey.earlyPermanencePlacement);
  add('match_decision', journey.matchDecision);
  add('placed_for_adoption', journey.placedForAdoption);
  add('adoption_order', journey.adoptionOrder);
  const reversal = journey.planChangedAwayFromAdoption;
  // plan_changed needs its RD code (journey.ts); a reversal without one is left to the validator.
  if (reversal?.date && reversal.reason) add('plan_changed', reversal.date, reversal.reason);
  return facts.sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
}

/** True when the return shows the child on an adoption journey (see the file comment). */
export function onAdoptionJourney(facts: readonly ImportFact[]): boolean {
  return facts.some((fact) => fact.kind !== 'entered_care');
}

export const factKey = (fact: { kind: string; effectiveDate: string }): string =>
  `${fact.kind}|${fact.effectiveDate}`;

/**
 * Why the child's new facts cannot be recorded beside the ones in force, as a sentence; null if
 * they can. Only pairs where at least one fact is new are compared, and only dates that exist.
 */
export function refuseImportedFacts(
  existing: readonly MilestoneFact[],
  added: readonly ImportFact[],
  context: { dateOfBirth: string; today: string },
): string | null {
  for (const fact of added) {
    if (fact.effectiveDate < context.dateOfBirth)
      return `The ${milestoneNouns[fact.kind]} (${fact.effectiveDate}) is before the child's date of birth`;
    if (fact.effectiveDate > context.today)
      return `The ${milestoneNouns[fact.kind]} (${fact.effectiveDate}) is in the future`;
  }
  const superseded = new Set(existing.map((fact) => fact.supersedes).filter(Boolean));
  const all = [
    ...existing
      .filter((fact) => !superseded.has(fact.id))
      .map((fact) => ({ kind: fact.kind, date: fact.effectiveDate, isNew: false })),
    ...added.map((fact) => ({ kind: fact.kind, date: fact.effectiveDate, isNew: true })),
  ];
  const of = (kind: MilestoneKind) => all.filter((fact) => fact.kind === kind);
  // [earlier, later]: the later milestone cannot be dated before the earliest of the earlier one.
  const order: Array<[MilestoneKind, MilestoneKind]> = [
    ['entered_care', 'should_be_placed_decision'],
    ['entered_care', 'placement_order'],
    ['should_be_placed_decision', 'match_decision'],
    ['match_decision', 'placed_for_adoption'],
    ['placed_for_adoption', 'adoption_order'],
  ];
  for (const [earlierKind, laterKind] of order) {
    for (const later of of(laterKind)) {
      const earlier = of(earlierKind)
        .filter((fact) => fact.isNew || later.isNew)
        .sort((a, b) => a.date.localeCompare(b.date))[0];
      if (earlier && later.date < earlier.date) {
        return `The ${milestoneNouns[laterKind]} (${later.date}) is before the ${milestoneNouns[earlierKind]} (${earlier.date})`;
      }
    }
  }
  const order_ = of('adoption_order').sort((a, b) => b.date.localeCompare(a.date))[0];
  if (order_) {
    const after = all.find(
      (fact) =>
        (fact.isNew || order_.isNew) &&
        fact.kind !== 'adoption_order' &&
        fact.kind !== 'disruption' &&
        fact.date > order_.date,
    );
    if (after)
      return `The ${milestoneNouns[after.kind]} (${after.date}) is after the adoption order (${order_.date})`;
  }
  return null;
}

/**
 * The names of a child the return brings in: the 903 has none, so the record says where it came
 * from until someone enters the child's name (the record's details page edits them as usual).
 */
export function importedChildNames(childId: string): { firstName: string; lastName: string } {
  return { firstName: 'Child', lastName: `${childId} (from SSDA903)` };
}

/** A council's CHILD id as Kindred stores it (migration 0007: 1–10 letters and digits). */
export const councilChildIdPattern = /^[A-Za-z0-9]{1,10}$/;

/** The collection year's name, e.g. '2025-26', from its last day. */
export function collectionYearName(collectionEnd: string): string {
  const end = Number(collectionEnd.slice(0, 4));
  return `${end - 1}-${String(end % 100).padStart(2, '0')}`;
}

/** The source every imported fact carries: 'SSDA903 2025-26 return'. */
export const importSource = (year: string): string => `SSDA903 ${year} return`;
