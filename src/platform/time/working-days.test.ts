import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidIsoDateError } from './calendar.js';
import {
  BankHolidayDataMissingError,
  WorkingDayCalendar,
  addWorkingDays,
  englandAndWalesCalendar,
  isWorkingDay,
  nextWorkingDay,
  workingDaysBetween,
} from './working-days.js';

const calendar = englandAndWalesCalendar();

// Read independently of the module under test, for the properties below.
const fileHolidays = new Set(
  (
    JSON.parse(readFileSync(new URL('./bank-holidays-england-and-wales.json', import.meta.url), 'utf8')) as {
      events: { date: string }[];
    }
  ).events.map((event) => event.date),
);

function utcWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay();
}

describe('the England and Wales bank holiday file', () => {
  it('covers 2010 to 2030', () => {
    expect(calendar.firstYear).toBe(2010);
    expect(calendar.lastYear).toBe(2030);
  });

  it.each([
    ['2022-06-02', /^Spring bank holiday$/],
    ['2022-06-03', /Platinum Jubilee/],
    ['2022-09-19', /State Funeral of Queen Elizabeth II/],
    ['2023-05-08', /coronation of King Charles III/],
    ['2020-05-08', /Early May bank holiday/],
    ['2021-12-27', /Christmas Day/],
    ['2021-12-28', /Boxing Day/],
    ['2022-12-27', /Christmas Day/],
    ['2012-06-05', /Diamond Jubilee/],
    ['2011-04-29', /Royal wedding/],
  ])('has %s (%s)', (date, title) => {
    expect(calendar.bankHolidayOn(date)?.title).toMatch(title);
  });

  it.each([
    ['2021-12-27', 'Substitute day'],
    ['2021-12-28', 'Substitute day'],
    ['2022-01-03', 'Substitute day'],
    ['2020-05-08', 'VE day'],
    ['2024-12-25', ''],
  ])('notes %s as %j', (date, notes) => {
    expect(calendar.bankHolidayOn(date)?.notes).toBe(notes);
  });

  it.each([
    [2011, 9],
    [2012, 9],
    [2019, 8],
    [2020, 8],
    [2021, 8],
    [2022, 10],
    [2023, 9],
    [2024, 8],
    [2025, 8],
    [2030, 8],
  ])('lists %i bank holidays in %i', (year, count) => {
    expect(calendar.bankHolidaysIn(year)).toHaveLength(count);
  });

  it('does not list the late May Mondays that the one-off holidays replaced', () => {
    expect(calendar.bankHolidayOn('2022-05-30')).toBeUndefined();
    expect(calendar.bankHolidayOn('2012-05-28')).toBeUndefined();
    expect(calendar.bankHolidayOn('2020-05-04')).toBeUndefined();
  });
});

describe('isWorkingDay', () => {
  it.each([
    // Christmas 2020: Friday 25th, Boxing Day on Saturday so substitute Monday 28th.
    ['2020-12-24', true],
    ['2020-12-25', false],
    ['2020-12-26', false],
    ['2020-12-27', false],
    ['2020-12-28', false],
    ['2020-12-29', true],
    ['2021-01-01', false],
    // Christmas 2021: both days at the weekend, substitutes Monday 27th and Tuesday 28th;
    // New Year's Day on Saturday, substitute Monday 3 January 2022.
    ['2021-12-24', true],
    ['2021-12-25', false],
    ['2021-12-27', false],
    ['2021-12-28', false],
    ['2021-12-29', true],
    ['2021-12-31', true],
    ['2022-01-03', false],
    ['2022-01-04', true],
    // Christmas 2022: Christmas Day on Sunday, so Boxing Day Monday and substitute Tuesday 27th.
    ['2022-12-23', true],
    ['2022-12-26', false],
    ['2022-12-27', false],
    ['2022-12-28', true],
    ['2023-01-02', false],
    // Easter 2024 and 2025.
    ['2024-03-28', true],
    ['2024-03-29', false],
    ['2024-04-01', false],
    ['2024-04-02', true],
    ['2025-04-17', true],
    ['2025-04-18', false],
    ['2025-04-21', false],
    ['2025-04-22', true],
    // 2022 one-offs: the late May holiday moved to Thursday 2 June, the Jubilee on Friday 3 June,
    // Monday 30 May a normal working day; the State Funeral on Monday 19 September.
    ['2022-05-30', true],
    ['2022-06-01', true],
    ['2022-06-02', false],
    ['2022-06-03', false],
    ['2022-06-06', true],
    ['2022-09-16', true],
    ['2022-09-19', false],
    ['2022-09-20', true],
    // The coronation, and VE day moving the early May holiday in 2020.
    ['2023-05-08', false],
    ['2020-05-04', true],
    ['2020-05-08', false],
    // Plain weekends and weekdays.
    ['2024-06-01', false],
    ['2024-06-02', false],
    ['2024-06-03', true],
  ])('%s → %s', (date, expected) => {
    expect(calendar.isWorkingDay(date)).toBe(expected);
    expect(isWorkingDay(date)).toBe(expected);
  });
});

describe('addWorkingDays: the n-th working day after the date, the date itself not counted', () => {
  it.each([
    ['2020-12-24', 1, '2020-12-29'],
    ['2021-12-24', 1, '2021-12-29'],
    ['2021-12-24', 3, '2021-12-31'],
    ['2021-12-24', 4, '2022-01-04'],
    ['2022-12-23', 1, '2022-12-28'],
    ['2022-12-30', 1, '2023-01-03'],
    ['2023-12-22', 2, '2023-12-28'],
    ['2019-12-24', 1, '2019-12-27'],
    ['2024-03-28', 1, '2024-04-02'],
    ['2025-04-17', 1, '2025-04-22'],
    ['2025-04-16', 2, '2025-04-22'],
    ['2022-05-27', 1, '2022-05-30'],
    ['2022-05-27', 4, '2022-06-06'],
    ['2022-06-01', 1, '2022-06-06'],
    ['2022-09-16', 1, '2022-09-20'],
    ['2023-05-05', 1, '2023-05-09'],
    ['2020-05-07', 1, '2020-05-11'],
    ['2023-12-20', 7, '2024-01-03'],
    ['2024-06-01', 1, '2024-06-03'],
    ['2024-06-03', 5, '2024-06-10'],
    ['2030-12-24', 3, '2030-12-31'],
  ])('%s + %i working days = %s', (date, n, expected) => {
    expect(calendar.addWorkingDays(date, n)).toBe(expected);
    expect(addWorkingDays(date, n)).toBe(expected);
  });

  it.each([
    ['2024-12-24', '2024-12-24'],
    ['2024-12-25', '2024-12-27'],
    ['2024-06-01', '2024-06-03'],
    ['2022-06-02', '2022-06-06'],
  ])('+ 0 working days from %s is %s: the date itself only if it is a working day', (date, expected) => {
    expect(calendar.addWorkingDays(date, 0)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN])('refuses %d working days', (n) => {
    expect(() => calendar.addWorkingDays('2024-06-03', n)).toThrowError(RangeError);
  });
});

describe('nextWorkingDay and workingDayPeriodEnd', () => {
  it.each([
    ['2022-06-01', '2022-06-06'],
    ['2024-12-24', '2024-12-27'],
    ['2024-06-03', '2024-06-04'],
    ['2024-06-01', '2024-06-03'],
    ['2021-12-24', '2021-12-29'],
  ])('the next working day after %s is %s', (date, expected) => {
    expect(nextWorkingDay(date)).toBe(expected);
  });

  it.each([
    ['2024-06-03', 1, '2024-06-03'],
    ['2024-06-03', 5, '2024-06-07'],
    ['2024-06-01', 1, '2024-06-03'],
    ['2024-01-02', 40, '2024-02-26'],
    ['2022-05-20', 40, '2022-07-18'],
  ])('%i working days beginning with %s end on %s', (start, n, expected) => {
    expect(calendar.workingDayPeriodEnd(start, n)).toBe(expected);
  });

  it('refuses an empty period', () => {
    expect(() => calendar.workingDayPeriodEnd('2024-06-03', 0)).toThrowError(RangeError);
  });
});

describe('workingDaysBetween: working days after start, up to and including end', () => {
  it.each([
    ['2020-12-24', '2020-12-29', 1],
    ['2021-12-24', '2022-01-04', 4],
    ['2022-05-27', '2022-06-06', 4],
    ['2022-06-01', '2022-06-06', 1],
    ['2024-03-28', '2024-04-02', 1],
    ['2025-04-17', '2025-04-22', 1],
    ['2025-04-18', '2025-04-21', 0],
    ['2024-06-01', '2024-06-03', 1],
    ['2024-06-03', '2024-06-03', 0],
    ['2021-12-31', '2022-12-31', 250],
    ['2022-12-31', '2023-12-31', 251],
    ['2023-12-31', '2024-12-31', 254],
    ['2024-12-31', '2025-12-31', 253],
    // End before start: negative, the same count the other way round.
    ['2022-01-04', '2021-12-24', -4],
    ['2024-06-04', '2024-06-03', -1],
    ['2024-06-02', '2024-06-01', 0],
  ])('from %s to %s is %i', (start, end, expected) => {
    expect(calendar.workingDaysBetween(start, end)).toBe(expected);
    expect(workingDaysBetween(start, end)).toBe(expected);
  });
});

describe('years outside the file and malformed dates', () => {
  const message =
    "Bank holidays for 2031 are not in Kindred's calendar (covers 2010–2030); " +
    'update src/platform/time/bank-holidays-england-and-wales.json';

  it.each([
    ['isWorkingDay 2031', () => calendar.isWorkingDay('2031-01-06')],
    ['isWorkingDay on a 2031 weekend', () => calendar.isWorkingDay('2031-01-04')],
    ['addWorkingDays from 2031', () => calendar.addWorkingDays('2031-01-06', 0)],
    ['addWorkingDays into 2031', () => calendar.addWorkingDays('2030-12-24', 4)],
    ['workingDaysBetween into 2031', () => calendar.workingDaysBetween('2030-12-31', '2031-01-02')],
    ['workingDaysBetween back from 2031', () => calendar.workingDaysBetween('2031-01-02', '2030-12-31')],
    ['nextWorkingDay from 31 December 2030', () => calendar.nextWorkingDay('2030-12-31')],
    ['bankHolidayOn 2031', () => calendar.bankHolidayOn('2031-12-25')],
    ['bankHolidaysIn 2031', () => calendar.bankHolidaysIn(2031)],
  ])('%s throws rather than guessing', (_name, call) => {
    expect(call).toThrowError(BankHolidayDataMissingError);
    expect(call).toThrowError(message);
  });

  it('names the year before the file starts too', () => {
    expect(() => calendar.isWorkingDay('2009-12-31')).toThrowError(
      "Bank holidays for 2009 are not in Kindred's calendar (covers 2010–2030)",
    );
    expect(() => calendar.workingDaysBetween('2010-01-04', '2009-12-31')).toThrowError(
      BankHolidayDataMissingError,
    );
  });

  it('carries the year for callers that want to explain it', () => {
    try {
      calendar.isWorkingDay('2031-01-06');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BankHolidayDataMissingError);
      expect(error).toMatchObject({ year: 2031, firstYear: 2010, lastYear: 2030 });
    }
  });

  it('reports coverage without throwing', () => {
    expect(calendar.covers('2030-12-31')).toBe(true);
    expect(calendar.covers('2031-01-01')).toBe(false);
    expect(calendar.covers('2009-12-31')).toBe(false);
  });

  it.each(['2023-02-30', '2023-2-3', '', 'next Tuesday', '2024-13-01', '2024-06-03T09:00'])(
    '%j is not a date',
    (date) => {
      expect(() => calendar.isWorkingDay(date)).toThrowError(InvalidIsoDateError);
      expect(() => calendar.addWorkingDays(date, 1)).toThrowError(InvalidIsoDateError);
      expect(() => calendar.workingDaysBetween('2024-01-02', date)).toThrowError(InvalidIsoDateError);
    },
  );
});

describe('building a calendar from data', () => {
  const valid = {
    division: 'england-and-wales',
    events: [
      { date: '2040-01-02', title: 'New Year’s Day', notes: 'Substitute day' },
      { date: '2041-01-01', title: 'New Year’s Day', notes: '' },
    ],
  };

  it('covers the years from the first holiday to the last', () => {
    const small = WorkingDayCalendar.fromJson(valid);
    expect([small.firstYear, small.lastYear]).toEqual([2040, 2041]);
    expect(small.isWorkingDay('2040-01-02')).toBe(false);
    expect(small.addWorkingDays('2040-01-01', 1)).toBe('2040-01-03');
    expect(() => small.isWorkingDay('2039-12-30')).toThrowError('(covers 2040–2041)');
  });

  it.each([
    ['a different division', { ...valid, division: 'scotland' }, /division/],
    [
      'an impossible date',
      { ...valid, events: [{ date: '2040-02-30', title: 'x', notes: '' }] },
      /events\.0\.date/,
    ],
    ['no events', { ...valid, events: [] }, /events/],
    ['a missing title', { ...valid, events: [{ date: '2040-01-02', notes: '' }] }, /events\.0\.title/],
  ])('rejects %s', (_name, json, message) => {
    expect(() => WorkingDayCalendar.fromJson(json, 'test file')).toThrowError(
      /^The test file is not valid: /,
    );
    expect(() => WorkingDayCalendar.fromJson(json, 'test file')).toThrowError(message);
  });

  it.each([
    ['a duplicate', [...valid.events, valid.events[0]!], 'Bank holiday 2040-01-02 is listed twice.'],
    [
      'a holiday at a weekend',
      [{ date: '2040-01-01', title: 'New Year’s Day', notes: '' }, valid.events[1]!],
      'Bank holiday 2040-01-01 (New Year’s Day) falls on a weekend; check the substitute day.',
    ],
    [
      'a year with no holidays',
      [valid.events[0]!, { date: '2042-01-01', title: 'New Year’s Day', notes: '' }],
      'The bank holiday list has no holidays for 2041.',
    ],
  ])('rejects %s', (_name, events, message) => {
    expect(() => new WorkingDayCalendar(events)).toThrowError(message);
  });

  it('is loaded once', () => {
    expect(englandAndWalesCalendar()).toBe(calendar);
  });
});

describe('properties', () => {
  // Start dates from 2010 to 2028, so that 400 working days (about 19 months) stays inside 2030.
  const firstDay = Date.UTC(2010, 0, 1);
  const lastDay = Date.UTC(2028, 11, 31);
  const anyDay = fc
    .integer({ min: 0, max: (lastDay - firstDay) / 86_400_000 })
    .map((offset) => new Date(firstDay + offset * 86_400_000).toISOString().slice(0, 10));
  const anyWorkingDay = anyDay.map((date) => calendar.addWorkingDays(date, 0));
  const count = fc.integer({ min: 0, max: 400 });
  const halfCount = fc.integer({ min: 0, max: 200 });

  it('workingDaysBetween(d, addWorkingDays(d, n)) === n for a working day d', () => {
    fc.assert(
      fc.property(anyWorkingDay, count, (d, n) => {
        expect(calendar.workingDaysBetween(d, calendar.addWorkingDays(d, n))).toBe(n);
      }),
    );
  });

  it('addWorkingDays never lands on a weekend or a bank holiday, and moves forward for n ≥ 1', () => {
    fc.assert(
      fc.property(anyDay, count, (d, n) => {
        const result = calendar.addWorkingDays(d, n);
        expect([0, 6]).not.toContain(utcWeekday(result));
        expect(fileHolidays.has(result)).toBe(false);
        if (n >= 1) expect(result > d).toBe(true);
        else expect(result >= d).toBe(true);
      }),
    );
  });

  it('adding working days in two steps is the same as in one', () => {
    fc.assert(
      fc.property(anyWorkingDay, halfCount, halfCount, (d, m, n) => {
        const twoSteps = calendar.addWorkingDays(calendar.addWorkingDays(d, m), n);
        expect(twoSteps).toBe(calendar.addWorkingDays(d, m + n));
      }),
    );
  });

  it('workingDaysBetween adds up in any order of dates', () => {
    fc.assert(
      fc.property(anyDay, anyDay, anyDay, (a, b, c) => {
        const ab = calendar.workingDaysBetween(a, b);
        expect(calendar.workingDaysBetween(b, a)).toBe(0 - ab);
        expect(ab + calendar.workingDaysBetween(b, c)).toBe(calendar.workingDaysBetween(a, c));
      }),
    );
  });
});
