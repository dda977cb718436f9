// The deadlines Kindred's case work runs to, each named after the thing it is for and citing
// where it comes from. Month-based targets are calendar arithmetic only: a target that falls at a
// weekend is not moved, because the regulations count months, not working days.
import { addCalendarMonths, calendarDaysBetween } from './calendar.js';
import type { IsoDate } from './calendar.js';
import { englandAndWalesCalendar } from './working-days.js';
import type { WorkingDayCalendar } from './working-days.js';

/**
 * Stage One (pre-assessment) should be finished within two months of its start, the date the
 * agency accepted the registration of interest. Adoption Agencies Regulations 2005 Part 4 Stage 1
 * (regs 21 to 27, inserted by the Adoption Agencies (Miscellaneous Amendments) Regulations 2013);
 * statutory guidance on adoption (2013) ch. 3: Stage One normally within two months.
 */
export function stageOneTarget(start: IsoDate): IsoDate {
  return addCalendarMonths(start, 2);
}

/**
 * The agency must decide on suitability "within four months of the date on which the agency
 * received the prospective adopter's notification that they wished to proceed with the
 * assessment process" (Adoption Agencies Regulations 2005 reg 30B(1)). start is that date.
 */
export function stageTwoTarget(start: IsoDate): IsoDate {
  return addCalendarMonths(start, 4);
}

/**
 * The agency decision-maker decides within 7 working days of receiving the final panel minutes
 * (statutory guidance on adoption (2013) ch. 1, agency decision-maker; decisions under Adoption
 * Agencies Regulations 2005 regs 19, 30B and 33). The day the minutes arrive is not counted.
 */
export function adrDecisionDue(
  minutesReceived: IsoDate,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): IsoDate {
  return calendar.addWorkingDays(minutesReceived, 7);
}

/**
 * A member council answers a check request within 5 working days of the request. This is the
 * RAA's service schedule with its councils, not a statutory limit.
 */
export function councilCheckDue(
  requested: IsoDate,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): IsoDate {
  return calendar.addWorkingDays(requested, 5);
}

/**
 * Prospective adopters may comment on their prospective adopter's report within 10 working days
 * of it being sent (Adoption Agencies Regulations 2005 reg 30). The day of sending is not counted;
 * if reg 30 says "beginning with" the date of sending, as reg 30B(5)(c) does, it should be, and
 * this becomes workingDayPeriodEnd(sent, 10).
 */
export function parCommentsDue(
  sent: IsoDate,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): IsoDate {
  return calendar.addWorkingDays(sent, 10);
}

/**
 * After a qualifying determination the prospective adopter may make representations to the
 * agency or apply to the Independent Review Mechanism "within 40 working days beginning with the
 * date on which the notification was sent" (Adoption Agencies Regulations 2005 reg 30B(5)(c)).
 * "Beginning with" makes the letter's date day 1, so this is the 40th working day counting the
 * letter's date (if a working day), one working day before letter + 40 working days.
 */
export function qualifyingDeterminationRepresentationsDue(
  letter: IsoDate,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): IsoDate {
  return calendar.workingDayPeriodEnd(letter, 40);
}

/**
 * A child with no match being actively pursued must be referred to the Adoption and Children Act
 * Register within three months of the decision that they should be placed for adoption
 * (Adoption Agencies Regulations 2005 reg 19A, inserted in 2013).
 */
export function nationalRegisterReferralDue(decision: IsoDate): IsoDate {
  return addCalendarMonths(decision, 3);
}

export interface Clock {
  /** Calendar days since the start: 0 on the start date, 1 the day after (the start is not counted). */
  day: number;
  /** Calendar days from the start to the target, so the target date is "day totalDays of totalDays". */
  totalDays: number;
  /** True once today is after the target; the target day itself is still in time. */
  overdue: boolean;
  /** Calendar days from today to the target; 0 on the target day and once overdue (then day - totalDays says by how much). */
  daysRemaining: number;
}

/**
 * The "day N of M" figures for a clock that started on start and is due on target, counted in
 * calendar days. Before the start, day is 0. A target before the start is a data error and throws.
 */
export function describeClock(start: IsoDate, target: IsoDate, today: IsoDate): Clock {
  const totalDays = calendarDaysBetween(start, target);
  if (totalDays < 0) throw new RangeError(`The target ${target} is before the start ${start}.`);
  const toTarget = calendarDaysBetween(today, target);
  return {
    day: Math.max(0, calendarDaysBetween(start, today)),
    totalDays,
    overdue: toTarget < 0,
    daysRemaining: Math.max(0, toTarget),
  };
}
