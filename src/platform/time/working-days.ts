// Working days for statutory deadlines: every day except Saturday, Sunday and the England and
// Wales bank holidays in bank-holidays-england-and-wales.json. The file lists Christmas Day and
// Good Friday as GOV.UK does (strictly they are common-law holidays, not Banking and Financial
// Dealings Act 1971 bank holidays), which gives the usual statutory meaning of a working day.
//
// Counting convention: "within N working days of X" starts counting the day after X. The day of
// receipt is not day 1 (ICO guidance on FOIA time limits; the common-law rule that the day of the
// event is excluded from a period "of" or "after" it). Where a regulation says "beginning with"
// the date, that date is day 1: use workingDayPeriodEnd for those.
//
// There is no silent fallback for years the file does not cover: a guessed holiday list would
// put a wrong date on a statutory letter, so those years throw BankHolidayDataMissingError.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addDays, differenceInCalendarDays } from 'date-fns';
import { z } from 'zod';
import { isValidIsoDate, parseIsoDate, toIsoDate } from './calendar.js';
import type { IsoDate } from './calendar.js';

const dataFileForHumans = 'src/platform/time/bank-holidays-england-and-wales.json';

export class BankHolidayDataMissingError extends Error {
  readonly year: number;
  readonly firstYear: number;
  readonly lastYear: number;

  constructor(year: number, firstYear: number, lastYear: number) {
    super(
      `Bank holidays for ${year} are not in Kindred's calendar (covers ${firstYear}–${lastYear}); ` +
        `update ${dataFileForHumans}`,
    );
    this.name = 'BankHolidayDataMissingError';
    this.year = year;
    this.firstYear = firstYear;
    this.lastYear = lastYear;
  }
}

export interface BankHoliday {
  date: IsoDate;
  title: string;
  /** GOV.UK's notes, e.g. "Substitute day"; empty when there are none. */
  notes: string;
}

/** The shape of the GOV.UK bank-holidays.json division, which the data file keeps. */
export const bankHolidayFileSchema = z.object({
  division: z.literal('england-and-wales'),
  source: z.string().optional(),
  events: z
    .array(
      z.object({
        date: z.string().refine(isValidIsoDate, 'must be a real date in the form YYYY-MM-DD'),
        title: z.string().min(1),
        notes: z.string(),
      }),
    )
    .min(1),
});

export type BankHolidayFile = z.infer<typeof bankHolidayFileSchema>;

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

function isWeekend(day: Date): boolean {
  const weekday = day.getDay();
  return weekday === 0 || weekday === 6;
}

function assertWholeNumber(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${what} must be a whole number of 0 or more, not ${n}.`);
  }
}

export class WorkingDayCalendar {
  /** The first and last calendar years whose bank holidays are all known. */
  readonly firstYear: number;
  readonly lastYear: number;
  private readonly holidays: ReadonlyMap<IsoDate, BankHoliday>;

  /**
   * Coverage runs from the year of the earliest holiday to the year of the latest. Every year in
   * between must have at least one holiday, so a gap in the data is an error here rather than a
   * year silently treated as having none.
   */
  constructor(holidays: readonly BankHoliday[]) {
    if (holidays.length === 0) throw new Error('A working-day calendar needs at least one bank holiday.');
    const byDate = new Map<IsoDate, BankHoliday>();
    for (const holiday of holidays) {
      if (!isValidIsoDate(holiday.date)) {
        throw new Error(
          `Bank holiday "${holiday.title}" has date ${JSON.stringify(holiday.date)}, not YYYY-MM-DD.`,
        );
      }
      if (byDate.has(holiday.date)) throw new Error(`Bank holiday ${holiday.date} is listed twice.`);
      // Substitute days exist so that no bank holiday falls at a weekend; one that does is a typo.
      if (isWeekend(parseIsoDate(holiday.date))) {
        throw new Error(
          `Bank holiday ${holiday.date} (${holiday.title}) falls on a weekend; check the substitute day.`,
        );
      }
      byDate.set(holiday.date, { ...holiday });
    }
    const years = [...byDate.keys()].map(yearOf);
    this.firstYear = Math.min(...years);
    this.lastYear = Math.max(...years);
    for (let year = this.firstYear; year <= this.lastYear; year += 1) {
      if (!years.includes(year)) throw new Error(`The bank holiday list has no holidays for ${year}.`);
    }
    this.holidays = byDate;
  }

  /** Builds a calendar from JSON in the GOV.UK bank-holidays.json shape, validating it. */
  static fromJson(json: unknown, sourceName = 'bank holiday data'): WorkingDayCalendar {
    const parsed = bankHolidayFileSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
      );
      throw new Error(`The ${sourceName} is not valid: ${issues.join('; ')}`);
    }
    return new WorkingDayCalendar(parsed.data.events);
  }

  /** True when the date's year is one whose bank holidays are known. */
  covers(date: IsoDate): boolean {
    const year = parseIsoDate(date).getFullYear();
    return year >= this.firstYear && year <= this.lastYear;
  }

  /** The bank holiday on that date, if any. */
  bankHolidayOn(date: IsoDate): BankHoliday | undefined {
    this.coveredDay(date);
    const holiday = this.holidays.get(date);
    return holiday === undefined ? undefined : { ...holiday };
  }

  /** Every bank holiday in a calendar year, in date order. */
  bankHolidaysIn(year: number): BankHoliday[] {
    this.assertYearCovered(year);
    return [...this.holidays.values()]
      .filter((holiday) => yearOf(holiday.date) === year)
      .sort((a, b) => a.date.localeCompare(b.date))
      .map((holiday) => ({ ...holiday }));
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDate(this.coveredDay(date));
  }

  /** The first working day strictly after the date. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 1);
  }

  /**
   * The n-th working day after the date, not counting the date itself (the day of receipt is not
   * day 1), so Friday + 1 is the following Monday if that is not a bank holiday.
   * n = 0 returns the date if it is a working day, otherwise the next working day: "no working days
   * allowed" still cannot end on a day the office is shut.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    assertWholeNumber(n, 'The number of working days');
    let day = this.coveredDay(date);
    if (n === 0) {
      while (!this.isWorkingDate(day)) day = this.step(day, 1);
      return toIsoDate(day);
    }
    let counted = 0;
    while (counted < n) {
      day = this.step(day, 1);
      if (this.isWorkingDate(day)) counted += 1;
    }
    return toIsoDate(day);
  }

  /**
   * The last day of a period of n working days (n >= 1) beginning with the date: the date itself
   * is day 1 when it is a working day. This is the wording of, for example, Adoption Agencies
   * Regulations 2005 reg 30B(5)(c): "within 40 working days beginning with the date on which the
   * notification was sent".
   */
  workingDayPeriodEnd(start: IsoDate, n: number): IsoDate {
    assertWholeNumber(n, 'The number of working days');
    if (n === 0) throw new RangeError('A period beginning with a date has at least 1 working day.');
    return this.addWorkingDays(this.addWorkingDays(start, 0), n - 1);
  }

  /**
   * Working days after start up to and including end, so that
   * workingDaysBetween(d, addWorkingDays(d, n)) === n for a working day d.
   * When end is before start the answer is negative (-workingDaysBetween(end, start)) rather than
   * an error, so "3 working days overdue" and "3 working days left" come from the same call and
   * between(a, b) + between(b, c) === between(a, c) for any order of dates.
   */
  workingDaysBetween(start: IsoDate, end: IsoDate): number {
    const from = this.coveredDay(start);
    const to = this.coveredDay(end);
    if (to.getTime() >= from.getTime()) return this.countAfterUpTo(from, to);
    const count = this.countAfterUpTo(to, from);
    return count === 0 ? 0 : -count;
  }

  /** Weekdays in (from, to] less the bank holidays there, which the constructor ensures are weekdays. */
  private countAfterUpTo(from: Date, to: Date): number {
    const days = differenceInCalendarDays(to, from);
    let weekdays = Math.floor(days / 7) * 5;
    for (let offset = days - (days % 7) + 1; offset <= days; offset += 1) {
      if (!isWeekend(addDays(from, offset))) weekdays += 1;
    }
    const after = toIsoDate(from);
    const upTo = toIsoDate(to);
    let holidays = 0;
    for (const date of this.holidays.keys()) {
      if (date > after && date <= upTo) holidays += 1;
    }
    return weekdays - holidays;
  }

  private isWorkingDate(day: Date): boolean {
    return !isWeekend(day) && !this.holidays.has(toIsoDate(day));
  }

  /** Parses the date and refuses it unless its year's bank holidays are known. */
  private coveredDay(date: IsoDate): Date {
    const day = parseIsoDate(date);
    this.assertYearCovered(day.getFullYear());
    return day;
  }

  private step(day: Date, by: number): Date {
    const next = addDays(day, by);
    this.assertYearCovered(next.getFullYear());
    return next;
  }

  private assertYearCovered(year: number): void {
    if (!Number.isInteger(year) || year < this.firstYear || year > this.lastYear) {
      throw new BankHolidayDataMissingError(year, this.firstYear, this.lastYear);
    }
  }
}

const dataFileUrl = new URL('./bank-holidays-england-and-wales.json', import.meta.url);
let englandAndWales: WorkingDayCalendar | undefined;

/** Kindred's calendar, loaded from the data file on first use and then shared. */
export function englandAndWalesCalendar(): WorkingDayCalendar {
  englandAndWales ??= WorkingDayCalendar.fromJson(
    JSON.parse(readFileSync(dataFileUrl, 'utf8')) as unknown,
    `bank holiday file ${fileURLToPath(dataFileUrl)}`,
  );
  return englandAndWales;
}

/** englandAndWalesCalendar().isWorkingDay */
export function isWorkingDay(date: IsoDate): boolean {
  return englandAndWalesCalendar().isWorkingDay(date);
}

/** englandAndWalesCalendar().addWorkingDays */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  return englandAndWalesCalendar().addWorkingDays(date, n);
}

/** englandAndWalesCalendar().workingDaysBetween */
export function workingDaysBetween(start: IsoDate, end: IsoDate): number {
  return englandAndWalesCalendar().workingDaysBetween(start, end);
}

/** englandAndWalesCalendar().nextWorkingDay */
export function nextWorkingDay(date: IsoDate): IsoDate {
  return englandAndWalesCalendar().nextWorkingDay(date);
}
