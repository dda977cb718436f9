import { describe, expect, it } from 'vitest';
import { InvalidIsoDateError } from './calendar.js';
import {
  adrDecisionDue,
  councilCheckDue,
  describeClock,
  nationalRegisterReferralDue,
  parCommentsDue,
  qualifyingDeterminationRepresentationsDue,
  stageOneTarget,
  stageTwoTarget,
} from './deadlines.js';
import { BankHolidayDataMissingError, WorkingDayCalendar, englandAndWalesCalendar } from './working-days.js';

describe('month-based targets', () => {
  it.each([
    ['2023-01-31', '2023-03-31'],
    ['2022-12-31', '2023-02-28'],
    ['2023-12-31', '2024-02-29'],
    ['2024-06-15', '2024-08-15'],
    ['2024-12-30', '2025-02-28'],
  ])('Stage One starting %s should finish by %s', (start, expected) => {
    expect(stageOneTarget(start)).toBe(expected);
  });

  it.each([
    ['2024-01-15', '2024-05-15'],
    ['2023-10-31', '2024-02-29'],
    ['2022-10-31', '2023-02-28'],
    ['2024-08-31', '2024-12-31'],
  ])('Stage Two starting %s should finish by %s', (start, expected) => {
    expect(stageTwoTarget(start)).toBe(expected);
  });

  it.each([
    ['2023-11-30', '2024-02-29'],
    ['2023-10-31', '2024-01-31'],
    ['2024-05-31', '2024-08-31'],
    ['2024-11-30', '2025-02-28'],
  ])('a should-be-placed decision on %s means referral to the Register by %s', (decision, expected) => {
    expect(nationalRegisterReferralDue(decision)).toBe(expected);
  });

  it('needs no bank holiday data, so works beyond the holiday file', () => {
    expect(stageOneTarget('2031-01-31')).toBe('2031-03-31');
  });

  it('is not moved off a weekend: the regulations count months', () => {
    // Monday 12 August 2024 + 2 months is Saturday 12 October 2024.
    expect(stageOneTarget('2024-08-12')).toBe('2024-10-12');
  });
});

describe('working-day deadlines', () => {
  it.each([
    // Christmas and New Year 2023: 25, 26 December and 1 January skipped.
    ['2023-12-20', '2024-01-03'],
    // The 2022 Jubilee weekend: 2 and 3 June skipped.
    ['2022-05-26', '2022-06-08'],
    // Easter 2025: Good Friday 18 April and Easter Monday 21 April skipped.
    ['2025-04-14', '2025-04-25'],
    // Minutes arriving on a Saturday: Monday is day 1.
    ['2024-06-01', '2024-06-11'],
  ])('minutes received %s: the decision is due by %s', (received, expected) => {
    expect(adrDecisionDue(received)).toBe(expected);
  });

  it.each([
    // The State Funeral, Monday 19 September 2022.
    ['2022-09-14', '2022-09-22'],
    // Christmas 2021 substitute days, 27 and 28 December.
    ['2021-12-22', '2021-12-31'],
    ['2024-06-03', '2024-06-10'],
  ])('a council check requested %s is due by %s', (requested, expected) => {
    expect(councilCheckDue(requested)).toBe(expected);
  });

  it.each([
    // Easter 2024: Good Friday 29 March and Easter Monday 1 April skipped.
    ['2024-03-20', '2024-04-05'],
    ['2024-06-03', '2024-06-17'],
  ])('a prospective adopter’s report sent %s is open for comments until %s', (sent, expected) => {
    expect(parCommentsDue(sent)).toBe(expected);
  });

  it.each([
    // Tuesday 2 January 2024 is day 1; the 40th working day is Monday 26 February.
    ['2024-01-02', '2024-02-26'],
    // A letter dated Saturday: the period's first working day is Monday 3 June.
    ['2024-06-01', '2024-07-26'],
    // Over the 2022 Jubilee holidays.
    ['2022-05-20', '2022-07-18'],
    // Over Christmas 2023 and New Year.
    ['2023-11-24', '2024-01-23'],
  ])('representations on a qualifying determination sent %s are due by %s', (letter, expected) => {
    expect(qualifyingDeterminationRepresentationsDue(letter)).toBe(expected);
  });

  it('counts the qualifying determination letter’s own date as day 1 ("beginning with")', () => {
    const calendar = englandAndWalesCalendar();
    expect(qualifyingDeterminationRepresentationsDue('2024-01-02')).toBe(
      calendar.addWorkingDays('2024-01-02', 39),
    );
    expect(calendar.addWorkingDays(qualifyingDeterminationRepresentationsDue('2024-01-02'), 1)).toBe(
      calendar.addWorkingDays('2024-01-02', 40),
    );
  });

  it('uses the calendar it is given', () => {
    const withExtraHoliday = new WorkingDayCalendar([
      ...englandAndWalesCalendar().bankHolidaysIn(2024),
      { date: '2024-06-04', title: 'Test holiday', notes: '' },
    ]);
    expect(councilCheckDue('2024-06-03', withExtraHoliday)).toBe('2024-06-11');
  });

  it.each([
    ['adrDecisionDue', () => adrDecisionDue('2030-12-24')],
    ['councilCheckDue', () => councilCheckDue('2030-12-30')],
    ['parCommentsDue', () => parCommentsDue('2031-01-06')],
    [
      'qualifyingDeterminationRepresentationsDue',
      () => qualifyingDeterminationRepresentationsDue('2030-12-02'),
    ],
  ])('%s refuses to guess beyond the holiday file', (_name, call) => {
    expect(call).toThrowError(BankHolidayDataMissingError);
  });

  it.each([
    () => stageOneTarget('2023-02-30'),
    () => adrDecisionDue('2024-6-3'),
    () => nationalRegisterReferralDue(''),
  ])('refuses malformed dates (%#)', (call) => {
    expect(call).toThrowError(InvalidIsoDateError);
  });
});

describe('describeClock: "day N of M" in calendar days', () => {
  it.each([
    ['2023-12-25', { day: 0, totalDays: 60, overdue: false, daysRemaining: 67 }],
    ['2024-01-01', { day: 0, totalDays: 60, overdue: false, daysRemaining: 60 }],
    ['2024-01-02', { day: 1, totalDays: 60, overdue: false, daysRemaining: 59 }],
    ['2024-01-31', { day: 30, totalDays: 60, overdue: false, daysRemaining: 30 }],
    ['2024-03-01', { day: 60, totalDays: 60, overdue: false, daysRemaining: 0 }],
    ['2024-03-02', { day: 61, totalDays: 60, overdue: true, daysRemaining: 0 }],
    ['2024-03-05', { day: 64, totalDays: 60, overdue: true, daysRemaining: 0 }],
  ])('a clock from 1 January to 1 March 2024, on %s', (today, expected) => {
    expect(describeClock('2024-01-01', '2024-03-01', today)).toEqual(expected);
  });

  it('agrees with stageOneTarget', () => {
    const start = '2023-12-31';
    expect(describeClock(start, stageOneTarget(start), '2024-02-29')).toEqual({
      day: 60,
      totalDays: 60,
      overdue: false,
      daysRemaining: 0,
    });
  });

  it('refuses a target before the start and malformed dates', () => {
    expect(() => describeClock('2024-03-01', '2024-01-01', '2024-02-01')).toThrowError(
      'The target 2024-01-01 is before the start 2024-03-01.',
    );
    expect(() => describeClock('2024-01-01', '2024-03-01', '2024-02-30')).toThrowError(InvalidIsoDateError);
  });
});
