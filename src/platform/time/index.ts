// Statutory time: calendar dates, England and Wales working days and the deadlines built on them.
export {
  InvalidIsoDateError,
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  dayOfWeek,
  isValidIsoDate,
  monthNames,
  parseIsoDate,
  toIsoDate,
  todayInLondon,
} from './calendar.js';
export type { IsoDate } from './calendar.js';
export {
  BankHolidayDataMissingError,
  WorkingDayCalendar,
  addWorkingDays,
  bankHolidayFileSchema,
  englandAndWalesCalendar,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
} from './working-days.js';
export type { BankHoliday, BankHolidayFile } from './working-days.js';
export {
  adrDecisionDue,
  councilCheckDue,
  describeClock,
  nationalRegisterReferralDue,
  parCommentsDue,
  qualifyingDeterminationRepresentationsDue,
  stageOneTarget,
  stageTwoTarget,
} from './deadlines.js';
export type { Clock } from './deadlines.js';
