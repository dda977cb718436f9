import { describe, expect, it } from 'vitest';
import {
  InvalidIsoDateError,
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  dayOfWeek,
  isValidIsoDate,
  parseIsoDate,
  toIsoDate,
  todayInLondon,
} from './calendar.js';

const notDates: unknown[] = [
  '2023-02-30',
  '2023-02-29',
  '2024-02-30',
  '2023-04-31',
  '2023-13-01',
  '2023-00-10',
  '2023-01-00',
  '2023-1-5',
  '23-01-05',
  '2023/01/05',
  '05/01/2023',
  '2023-01-05T00:00:00Z',
  ' 2023-01-05',
  '',
  'not a date',
  20230105,
  null,
  undefined,
  new Date('2023-01-05'),
];

describe('ISO calendar dates', () => {
  it.each(['2023-01-05', '2024-02-29', '2000-02-29', '2023-12-31', '2010-01-01'])('accepts %s', (value) => {
    expect(isValidIsoDate(value)).toBe(true);
    expect(toIsoDate(parseIsoDate(value))).toBe(value);
  });

  it.each(notDates)('rejects %o', (value) => {
    expect(isValidIsoDate(value)).toBe(false);
    expect(() => parseIsoDate(value as string)).toThrowError(InvalidIsoDateError);
  });

  it('says which value was wrong', () => {
    expect(() => parseIsoDate('2023-02-30')).toThrowError(
      '"2023-02-30" is not a real date in the form YYYY-MM-DD.',
    );
  });

  it('refuses an invalid Date object', () => {
    expect(() => toIsoDate(new Date(Number.NaN))).toThrowError(InvalidIsoDateError);
  });

  it.each([
    ['2024-06-01', 6],
    ['2024-06-02', 0],
    ['2024-06-03', 1],
    ['2022-06-03', 5],
  ])('%s is day %i of the week', (date, weekday) => {
    expect(dayOfWeek(date)).toBe(weekday);
  });
});

describe('addCalendarMonths: the corresponding date, or the month end when there is none', () => {
  it.each([
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-08-31', 6, '2024-02-29'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2023-03-31', 1, '2023-04-30'],
    ['2023-12-31', 2, '2024-02-29'],
    ['2022-12-31', 2, '2023-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 1, '2024-03-29'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2023-05-15', 2, '2023-07-15'],
    ['2023-05-15', 0, '2023-05-15'],
    ['2024-03-31', -1, '2024-02-29'],
    ['2024-01-15', -2, '2023-11-15'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addCalendarMonths(date, months)).toBe(expected);
  });

  it.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d months', (months) => {
    expect(() => addCalendarMonths('2024-01-31', months)).toThrowError(RangeError);
  });

  it('refuses an impossible date', () => {
    expect(() => addCalendarMonths('2023-02-30', 1)).toThrowError(InvalidIsoDateError);
  });
});

describe('addCalendarDays and calendarDaysBetween', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2023-12-31', 1, '2024-01-01'],
    // British Summer Time starts on 31 March 2024 and ends on 27 October 2024: days are still days.
    ['2024-03-30', 1, '2024-03-31'],
    ['2024-03-30', 2, '2024-04-01'],
    ['2024-10-26', 2, '2024-10-28'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-03-01', 0, '2024-03-01'],
  ])('%s + %i days = %s', (date, days, expected) => {
    expect(addCalendarDays(date, days)).toBe(expected);
    expect(calendarDaysBetween(date, expected)).toBe(days);
  });

  it.each([
    ['2024-01-01', '2024-12-31', 365],
    ['2023-01-01', '2023-12-31', 364],
    ['2024-03-31', '2024-03-30', -1],
    ['2024-10-27', '2024-10-27', 0],
  ])('from %s to %s is %i days', (a, b, days) => {
    expect(calendarDaysBetween(a, b)).toBe(days);
  });

  it('refuses fractional days and impossible dates', () => {
    expect(() => addCalendarDays('2024-01-01', 0.5)).toThrowError(RangeError);
    expect(() => calendarDaysBetween('2024-01-01', '2024-02-30')).toThrowError(InvalidIsoDateError);
  });
});

describe('todayInLondon', () => {
  it.each([
    ['2024-01-31T23:30:00Z', '2024-01-31'],
    ['2024-06-30T23:30:00Z', '2024-07-01'],
    ['2024-06-30T22:59:59Z', '2024-06-30'],
    ['2024-03-31T00:30:00Z', '2024-03-31'],
    ['2024-03-30T23:59:59Z', '2024-03-30'],
    ['2024-10-26T23:30:00Z', '2024-10-27'],
    ['2024-10-27T23:30:00Z', '2024-10-27'],
    ['2024-12-31T23:59:59Z', '2024-12-31'],
    ['2025-01-01T00:00:00Z', '2025-01-01'],
  ])('at %s it is %s in England', (instant, expected) => {
    expect(todayInLondon(new Date(instant))).toBe(expected);
  });

  it('defaults to now', () => {
    expect(isValidIsoDate(todayInLondon())).toBe(true);
  });

  it('refuses an invalid instant', () => {
    expect(() => todayInLondon(new Date(Number.NaN))).toThrowError(InvalidIsoDateError);
  });
});
