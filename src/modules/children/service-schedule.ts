// The work split by the service schedule (issue 4 §5; seeds/001, schedule at the end): recording
// a journey fact raises the next piece of work for the organisation responsible for it, with a
// due date in working days or months. The schedule is the contract between each council and the
// RAA and may differ between RAAs (domain.md §8); these are Adopt London South's defaults.
//
// Task titles never name the child: they travel in reminder emails, which leave Kindred.
import { addCalendarDays, addCalendarMonths, addWorkingDays } from '../../platform/time/index.js';
import type { MilestoneKind } from './journey.js';
import { trackingRules } from './tracking.js';

export type ResponsibleSide = 'council' | 'raa';

export interface ScheduledTaskRule {
  kind: string;
  title: string;
  /** Who does it under the schedule: the child's council or the RAA. */
  owner: ResponsibleSide;
  raisedBy: MilestoneKind;
  due: { workingDays: number } | { months: number } | { calendarDays: number };
  /** Facts that mean the work is done. */
  doneBy: readonly MilestoneKind[];
  why: string;
}

export const serviceSchedule: readonly ScheduledTaskRule[] = [
  {
    kind: 'allocate_family_finder',
    title: 'Allocate a family finder',
    owner: 'raa',
    raisedBy: 'should_be_placed_decision',
    due: { workingDays: trackingRules.familyFinderWorkingDays },
    doneBy: ['family_finder_allocated'],
    why: 'The RAA leads family finding from the decision that the child should be placed for adoption.',
  },
  {
    kind: 'national_register_referral',
    title: 'Refer to the national register unless a local match is being pursued',
    owner: 'raa',
    raisedBy: 'should_be_placed_decision',
    due: { months: 3 },
    doneBy: ['linked', 'match_decision'],
    why: 'Adoption Agencies (Miscellaneous Amendments) Regulations 2013: within 3 months of the decision.',
  },
  {
    kind: 'update_cpr',
    title: 'Update the Child Permanence Report',
    owner: 'council',
    raisedBy: 'cpr_completed',
    due: { months: trackingRules.cprUpdateMonths },
    doneBy: ['cpr_updated', 'match_decision'],
    why: 'The council updates the CPR at least every 6 months while family finding (service schedule).',
  },
  {
    kind: 'update_cpr',
    title: 'Update the Child Permanence Report',
    owner: 'council',
    raisedBy: 'cpr_updated',
    due: { months: trackingRules.cprUpdateMonths },
    doneBy: ['match_decision'],
    why: 'The council updates the CPR at least every 6 months while family finding (service schedule).',
  },
  {
    kind: 'life_appreciation_day',
    title: 'Chair the life appreciation day',
    owner: 'raa',
    raisedBy: 'linked',
    due: { workingDays: 20 },
    doneBy: ['matching_panel', 'match_decision'],
    why: 'The RAA chairs the life appreciation day before the matching panel (service schedule).',
  },
  {
    kind: 'first_adoption_review',
    title: 'Hold the first adoption review',
    owner: 'council',
    raisedBy: 'placed_for_adoption',
    due: { calendarDays: 28 },
    doneBy: ['adoption_order'],
    why: 'The first review of an adoption placement is within 4 weeks of placement (AAR 2005 reg 36).',
  },
];

/** Facts that end the plan for adoption or the journey: every open scheduled task is cancelled. */
export const journeyEndingFacts: readonly MilestoneKind[] = ['plan_changed', 'adoption_order'];

export function dueDateFor(rule: ScheduledTaskRule, from: string): string {
  if ('workingDays' in rule.due) return addWorkingDays(from, rule.due.workingDays);
  if ('months' in rule.due) return addCalendarMonths(from, rule.due.months);
  return addCalendarDays(from, rule.due.calendarDays);
}

export interface TaskChange {
  raise: Array<{ rule: ScheduledTaskRule; dueDate: string }>;
  /** Kinds of open task the fact completes. */
  complete: string[];
  cancelAll: boolean;
}

/** What recording a fact of this kind on this date does to the child's scheduled work. */
export function taskChangesFor(kind: MilestoneKind, effectiveDate: string): TaskChange {
  const complete = [
    ...new Set(serviceSchedule.filter((rule) => rule.doneBy.includes(kind)).map((rule) => rule.kind)),
  ];
  if (journeyEndingFacts.includes(kind)) return { raise: [], complete, cancelAll: true };
  return {
    raise: serviceSchedule
      .filter((rule) => rule.raisedBy === kind)
      .map((rule) => ({ rule, dueDate: dueDateFor(rule, effectiveDate) })),
    complete,
    cancelAll: false,
  };
}
