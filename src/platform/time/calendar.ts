// Calendar dates for statutory deadlines. A statutory date has no time of day and no time zone,
// so every date here is an ISO 'YYYY-MM-DD' string. date-fns works on local-time Date objects;
// each helper parses, calculates and formats in local time, so the local offset cancels out and
// the answer is the same on a server in any zone.
import { addDays, addMonths, differenceInCalendarDays, format, isValid, parseISO } from 'date-fns';

/** A calendar date, 'YYYY-MM-DD'. A plain string so it round-trips through forms, JSON and SQL `date`. */
export type IsoDate = string;

export class InvalidIsoDateError extends Error {
  readonly value: unknown;

  constructor(value: unknown) {
    super(
      `${typeof value === 'string' ? JSON.stringify(value) : String(value)} is not a real date in the form YYYY-MM-DD.`,
    );
    this.name = 'InvalidIsoDateError';
    this.value = value;
  }
}

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

function tryParse(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !isoDatePattern.test(value)) return undefined;
  const parsed = parseISO(value);
  // parseISO already rejects 2023-02-30; the round trip also guards against any lenient parse.
  if (!isValid(parsed) || format(parsed, 'yyyy-MM-dd') !== value) return undefined;
  return parsed;
}

/** True for a real calendar date written exactly as 'YYYY-MM-DD' (so not 2023-02-30 or 2023-2-1). */
export function isValidIsoDate(value: unknown): value is IsoDate {
  return tryParse(value) !== undefined;
}

/** The local-midnight Date for an ISO date; throws InvalidIsoDateError for anything else. */
export function parseIsoDate(value: IsoDate): Date {
  const parsed = tryParse(value);
  if (parsed === undefined) throw new InvalidIsoDateError(value);
  return parsed;
}

/** The ISO date of a Date's local calendar day (the inverse of parseIsoDate). */
export function toIsoDate(date: Date): IsoDate {
  if (!isValid(date)) throw new InvalidIsoDateError(date);
  return format(date, 'yyyy-MM-dd');
}

function assertInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number, not ${n}.`);
}

/**
 * The date n calendar months later (or earlier, for negative n). When the later month is too
 * short the result is its last day, so 31 January + 1 month is 28 or 29 February: the
 * corresponding-date rule the courts apply to periods of months (Dodds v Walker [1981] 1 WLR 1027).
 */
export function addCalendarMonths(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'The number of months');
  return toIsoDate(addMonths(parseIsoDate(date), n));
}

/** The date n calendar days later (or earlier, for negative n). */
export function addCalendarDays(date: IsoDate, n: number): IsoDate {
  assertInteger(n, 'The number of days');
  return toIsoDate(addDays(parseIsoDate(date), n));
}

/** Calendar days from a to b: positive when b is later, 0 on the same day, negative when b is earlier. */
export function calendarDaysBetween(a: IsoDate, b: IsoDate): number {
  return differenceInCalendarDays(parseIsoDate(b), parseIsoDate(a));
}

/** 0 for Sunday to 6 for Saturday, as Date#getDay. */
export function dayOfWeek(date: IsoDate): number {
  return parseIsoDate(date).getDay();
}

const londonDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar date in England at the given instant. Deadlines are counted in English days, so
 * 00:30 BST on 1 June is already 1 June even though it is still 31 May in UTC.
 */
export function todayInLondon(now: Date = new Date()): IsoDate {
  if (!isValid(now)) throw new InvalidIsoDateError(now);
  const parts = londonDate.formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes): string => {
    const found = parts.find((p) => p.type === type);
    if (found === undefined) throw new Error(`Intl.DateTimeFormat gave no ${type} for Europe/London.`);
    return found.value;
  };
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The months' names in English, January first, for labels such as "November 2026". */
export const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
