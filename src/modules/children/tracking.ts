// What the tracking board highlights (issue 4 §4), as pure functions of a child's journey dates
// and today's date. Each rule names where it comes from:
// - the council updates the Child Permanence Report at least every 6 months while family finding
//   (seeds' service schedule);
// - a family finder is allocated within 10 working days of the decision that the child should be
//   placed for adoption (the RAA's part of the schedule; issue 4 §4);
// - a child still without a match 6 months after the placement order is flagged (issue 4 §4;
//   scorecard A2 measures placement order to match, threshold 121 days: domain.md §5).
import {
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  calendarDaysBetween,
} from '../../platform/time/index.js';
import type { Stage } from './journey.js';

export const trackingRules = {
  cprUpdateMonths: 6,
  familyFinderWorkingDays: 10,
  matchMonths: 6,
} as const;

export const overdueFlags = ['cpr_update_overdue', 'no_family_finder', 'no_match', 'no_strategy'] as const;
export type OverdueFlag = (typeof overdueFlags)[number];

export const overdueLabels: Record<OverdueFlag, string> = {
  cpr_update_overdue: 'Update to the permanence report overdue',
  no_family_finder: 'No family finder 10 working days after the decision',
  no_match: 'No match 6 months after the placement order',
  no_strategy: 'Hard to place: no family-finding strategy recorded',
};

/** Stages in which family finding is going on and the CPR must be kept up to date. */
export const familyFindingStages: readonly Stage[] = ['awaiting_placement_order', 'family_finding', 'linked'];
/** Stages in which the child still waits for a match. */
const awaitingMatchStages: readonly Stage[] = ['awaiting_placement_order', 'family_finding', 'linked'];
const closedStages: readonly Stage[] = ['adopted', 'plan_changed'];
/** Stages in which a family finder is still needed. */
const needsFamilyFinderStages: readonly Stage[] = [
  'awaiting_placement_order',
  'family_finding',
  'linked',
  'matched',
];

export interface TrackedChild {
  currentStage: Stage;
  shouldBePlacedDate: string | null;
  placementOrderDate: string | null;
  familyFinderAllocatedDate: string | null;
  hasFamilyFinder: boolean;
  latestCprDate: string | null;
  matchDecisionDate: string | null;
  hardToPlace: boolean;
  hasFamilyFindingStrategy: boolean;
}

export function cprUpdateDue(
  child: Pick<TrackedChild, 'latestCprDate' | 'shouldBePlacedDate'>,
): string | null {
  const from = child.latestCprDate ?? child.shouldBePlacedDate;
  return from ? addCalendarMonths(from, trackingRules.cprUpdateMonths) : null;
}

export function familyFinderDue(shouldBePlacedDate: string): string {
  return addWorkingDays(shouldBePlacedDate, trackingRules.familyFinderWorkingDays);
}

export function matchDue(placementOrderDate: string): string {
  return addCalendarMonths(placementOrderDate, trackingRules.matchMonths);
}

/** Every flag that applies today. A due date is still in time on the day itself. */
export function overdueFor(child: TrackedChild, today: string): OverdueFlag[] {
  const flags: OverdueFlag[] = [];
  const cprDue = cprUpdateDue(child);
  if (familyFindingStages.includes(child.currentStage) && cprDue && cprDue < today) {
    flags.push('cpr_update_overdue');
  }
  if (
    needsFamilyFinderStages.includes(child.currentStage) &&
    child.shouldBePlacedDate &&
    !child.hasFamilyFinder &&
    !child.familyFinderAllocatedDate &&
    familyFinderDue(child.shouldBePlacedDate) < today
  ) {
    flags.push('no_family_finder');
  }
  if (
    awaitingMatchStages.includes(child.currentStage) &&
    child.placementOrderDate &&
    !child.matchDecisionDate &&
    matchDue(child.placementOrderDate) < today
  ) {
    flags.push('no_match');
  }
  if (child.hardToPlace && !child.hasFamilyFindingStrategy && !closedStages.includes(child.currentStage)) {
    flags.push('no_strategy');
  }
  return flags;
}

/**
 * Cut-offs for filtering in SQL: a child's date strictly before the cut-off is overdue today,
 * exactly as overdueFor decides. Working days and month ends cannot be counted backwards in
 * closed form, so each cut-off is the first start date still in time, found by stepping.
 */
export function overdueCutoffs(today: string): {
  cprBefore: string;
  decisionBefore: string;
  orderBefore: string;
} {
  return {
    cprBefore: firstStartInTime(today, (start) => addCalendarMonths(start, trackingRules.cprUpdateMonths)),
    decisionBefore: firstStartInTime(today, familyFinderDue),
    orderBefore: firstStartInTime(today, matchDue),
  };
}

/** The earliest start whose due date is not before today (due dates never fall as starts rise). */
function firstStartInTime(today: string, due: (start: string) => string): string {
  let start = today;
  while (due(addCalendarDays(start, -1)) >= today) start = addCalendarDays(start, -1);
  return start;
}

export function daysSince(date: string | null, today: string): number | null {
  return date ? calendarDaysBetween(date, today) : null;
}
