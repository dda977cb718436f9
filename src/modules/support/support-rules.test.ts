// The support rules as tables (issue 8): fair-access arithmetic by financial year, assessment and
// representation deadlines, who pays, the 1975 counselling rule and disclosure checks, and the
// letterbox months. Each row cites where the rule comes from.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessmentDueOn,
  checkFundRequest,
  counsellingRequired,
  fairAccessLimitsFor,
  financialYearLabel,
  financialYearOf,
  isAgreedPeriod,
  letterboxSchedule,
  nextDueOn,
  outcomeRefusal,
  periodState,
  periodsBetween,
  recordsRoute,
  remainingLimit,
  representationsDueOn,
  responsibleCouncil,
  supportRuleSources,
  type RecordCheck,
} from './support-rules.js';

describe('financial years run April to March (the fund’s year)', () => {
  it.each([
    ['2026-03-31', 2025, '2025/26'],
    ['2026-04-01', 2026, '2026/27'],
    ['2025-12-25', 2025, '2025/26'],
    ['1999-05-01', 1999, '1999/00'],
  ])('%s is in %i (%s)', (date, year, label) => {
    expect(financialYearOf(date)).toBe(year);
    expect(financialYearLabel(year)).toBe(label);
  });
});

describe('fair-access limits by financial year (domain-detail.md §7)', () => {
  it.each([
    [2016, 500_000, 250_000, null, false],
    [2024, 500_000, 250_000, null, false],
    [2025, 300_000, 250_000, 300_000, true],
    [2026, 300_000, 250_000, 300_000, true],
    [2031, 300_000, 250_000, 300_000, true],
  ])(
    '%i: therapy %i, assessment %i, combined %s, confirm %s',
    (year, therapy, assessment, combined, confirm) => {
      const limits = fairAccessLimitsFor(year)!;
      expect(limits.therapyPence).toBe(therapy);
      expect(limits.assessmentPence).toBe(assessment);
      expect(limits.combinedPence).toBe(combined);
      expect(limits.confirm).toBe(confirm);
    },
  );

  it('knows no limit before October 2016', () => {
    expect(fairAccessLimitsFor(2015)).toBeNull();
  });

  it('says where a later year’s figures come from', () => {
    expect(fairAccessLimitsFor(2031)!.source).toContain('2031/32');
  });

  const none = { therapyPence: 0, assessmentPence: 0 };
  it.each([
    ['2024/25 therapy, nothing used', 2024, none, 'therapy', 500_000],
    ['2024/25 therapy after £4,000', 2024, { therapyPence: 400_000, assessmentPence: 0 }, 'therapy', 100_000],
    [
      '2024/25 assessment is its own pot',
      2024,
      { therapyPence: 500_000, assessmentPence: 0 },
      'specialist_assessment',
      250_000,
    ],
    ['2025/26 therapy after £2,000', 2025, { therapyPence: 200_000, assessmentPence: 0 }, 'therapy', 100_000],
    [
      '2025/26 an assessment uses the same £3,000',
      2025,
      { therapyPence: 0, assessmentPence: 250_000 },
      'therapy',
      50_000,
    ],
    ['2025/26 assessment capped at £2,500', 2025, none, 'specialist_assessment', 250_000],
    [
      '2025/26 overspent never goes below zero',
      2025,
      { therapyPence: 400_000, assessmentPence: 0 },
      'therapy',
      0,
    ],
  ] as const)('%s', (_name, year, committed, category, left) => {
    expect(remainingLimit(fairAccessLimitsFor(year)!, committed, category)).toBe(left);
  });
});

describe('a fund request against the limit', () => {
  const limits = fairAccessLimitsFor(2026)!;
  const used = { therapyPence: 200_000, assessmentPence: 0 };
  const ask = (total: number, match = 0, reason: string | null = null) =>
    checkFundRequest(
      limits,
      used,
      { category: 'therapy', totalCostPence: total, matchFundingPence: match, exceptionReason: reason },
      2026,
    );

  it('goes ahead within what is left', () => {
    expect(ask(100_000)).toMatchObject({ refusal: null, fundSharePence: 100_000, overLimitPence: 0 });
  });

  it('is refused over the limit without match funding or a reason, in pounds and with the year', () => {
    const check = ask(180_000);
    expect(check.overLimitPence).toBe(80_000);
    expect(check.refusal?.field).toBe('exceptionReason');
    expect(check.refusal?.message).toBe(
      'This asks the fund for £1,800.00, which is £800.00 over what is left of the child’s fair-access limit for 2026/27 (£1,000.00 of £3,000.00). Add match funding from the council for the difference, or give the reason for an exception',
    );
  });

  it('goes ahead when the council matches the difference', () => {
    expect(ask(180_000, 80_000)).toMatchObject({ refusal: null, fundSharePence: 100_000 });
  });

  it('goes ahead over the limit with a reason for an exception', () => {
    expect(ask(180_000, 0, 'Therapy must continue through a placement crisis')).toMatchObject({
      refusal: null,
      overLimitPence: 80_000,
    });
  });

  it('refuses match funding above the cost', () => {
    expect(ask(10_000, 20_000).refusal?.field).toBe('matchFunding');
  });

  it('never lets the fund’s share pass what is left without a reason (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2016, max: 2030 }),
        fc.integer({ min: 0, max: 800_000 }),
        fc.integer({ min: 0, max: 800_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom('therapy' as const, 'specialist_assessment' as const),
        (year, therapy, assessment, total, match, category) => {
          const yearLimits = fairAccessLimitsFor(year)!;
          const committed = { therapyPence: therapy, assessmentPence: assessment };
          const check = checkFundRequest(
            yearLimits,
            committed,
            { category, totalCostPence: total, matchFundingPence: match, exceptionReason: null },
            year,
          );
          const left = remainingLimit(yearLimits, committed, category);
          expect(left).toBeGreaterThanOrEqual(0);
          if (check.refusal === null) {
            expect(check.fundSharePence).toBeLessThanOrEqual(left);
            expect(check.fundSharePence + match).toBe(total);
          }
        },
      ),
    );
  });
});

describe('deadlines', () => {
  it('expects an assessment 30 working days after the request, over Christmas bank holidays, marked (confirm)', () => {
    // 21 Dec 2026 + 30 working days, skipping 25, 28 Dec (substitute Boxing Day) and 1 Jan 2027.
    expect(assessmentDueOn('2026-12-21')).toBe('2027-02-04');
    expect(supportRuleSources.assessmentWorkingDays.confirm).toBe(true);
  });

  it('gives 28 days for representations on a notice of proposal (ASSR 2005 regs 16–17)', () => {
    expect(representationsDueOn('2026-11-02')).toBe('2026-11-30');
  });
});

describe('who pays for adoption support (ASSR 2005 reg 7)', () => {
  const base = { placingCouncilId: 'placing', residenceCouncilId: 'home', today: '2026-11-02' };
  it.each([
    ['before the order: the placing council', null, 'placing'],
    ['within three years of the order: the placing council', '2024-01-10', 'placing'],
    ['three years after the order: where the family lives', '2023-11-02', 'home'],
    ['long after: where the family lives', '2015-06-01', 'home'],
  ])('%s', (_name, order, council) => {
    expect(responsibleCouncil({ ...base, adoptionOrderOn: order })).toBe(council);
  });

  it('falls back to the council it knows', () => {
    expect(responsibleCouncil({ ...base, residenceCouncilId: null, adoptionOrderOn: '2015-06-01' })).toBe(
      'placing',
    );
  });
});

describe('birth records: counselling first for adoptions before 12 November 1975 (ACA 2002 Sch 2)', () => {
  it.each([
    ['1975-11-11', true],
    ['1975-11-12', false],
    ['1960-01-01', true],
    ['2001-05-05', false],
    [null, true],
  ])('adopted %s: counselling required %s', (adoptedOn, required) => {
    expect(counsellingRequired(adoptedOn)).toBe(required);
  });

  it.each([
    ['2005-12-29', 'pre_commencement'],
    ['2005-12-30', 'agency'],
    [null, 'unknown'],
  ])('adopted %s follows the %s route', (adoptedOn, route) => {
    expect(recordsRoute(adoptedOn)).toBe(route);
  });

  const by = (kind: RecordCheck['kind'], recordedBy = 'worker-a'): RecordCheck => ({ kind, recordedBy });
  const disclose = (adoptedOn: string | null, checks: RecordCheck[], recordedBy = 'worker-a') =>
    outcomeRefusal({
      kind: 'access_to_records',
      outcome: 'information_disclosed',
      adoptedOn,
      checks,
      recordedBy,
    });

  it.each([
    ['without an identity check', '1980-01-01', [], /identity/],
    [
      'adopted in 1972 without counselling',
      '1972-03-01',
      [by('identity_checked')],
      /before 12 November 1975/,
    ],
    [
      'with no adoption date and no counselling',
      null,
      [by('identity_checked')],
      /date of the adoption first/,
    ],
    ['without a second worker’s approval', '1980-01-01', [by('identity_checked')], /second worker/],
    [
      'approved only by the worker recording it',
      '1980-01-01',
      [by('identity_checked'), by('second_approval')],
      /second worker/,
    ],
  ])('refuses a disclosure %s', (_name, adoptedOn, checks, message) => {
    expect(disclose(adoptedOn, checks)).toMatch(message);
  });

  it('allows a disclosure in 1972 after counselling and a second worker’s approval (DP-7)', () => {
    expect(
      disclose('1972-03-01', [
        by('identity_checked'),
        by('counselling_held'),
        by('second_approval', 'worker-b'),
      ]),
    ).toBeNull();
  });

  it('needs the other person’s consent before an intermediary passes on contact', () => {
    const contact = (checks: RecordCheck[]) =>
      outcomeRefusal({
        kind: 'intermediary',
        outcome: 'contact_agreed',
        adoptedOn: '1990-01-01',
        checks,
        recordedBy: 'a',
      });
    expect(contact([by('identity_checked')])).toMatch(/consent/);
    expect(contact([by('identity_checked'), by('consent_given')])).toBeNull();
  });

  it('refuses an outcome that does not fit the request', () => {
    expect(
      outcomeRefusal({
        kind: 'intermediary',
        outcome: 'information_disclosed',
        adoptedOn: '1990-01-01',
        checks: [],
        recordedBy: 'a',
      }),
    ).toMatch(/fits this kind/);
  });
});

describe('letterbox months (issue 8 §4)', () => {
  const timing = { months: [3, 9], startsOn: '2024-02-15', endedOn: null };

  it('lists the agreed months from the start', () => {
    expect(periodsBetween(timing, '2025-10-01')).toEqual([
      '2024-03-01',
      '2024-09-01',
      '2025-03-01',
      '2025-09-01',
    ]);
  });

  it('stops at the end of an agreement', () => {
    expect(periodsBetween({ ...timing, endedOn: '2025-03-01' }, '2026-12-01')).toEqual([
      '2024-03-01',
      '2024-09-01',
    ]);
  });

  it.each([
    ['two weeks before: upcoming', '2026-02-14', 'upcoming'],
    ['from two weeks before the month: due', '2026-02-15', 'due'],
    ['during the month: due', '2026-03-20', 'due'],
    ['four weeks after the month: still due', '2026-04-28', 'due'],
    ['after that: missed', '2026-04-29', 'missed'],
  ])('%s', (_name, today, status) => {
    expect(periodState('2026-03-01', false, today).status).toBe(status);
  });

  it('is received whenever an item came, whatever the day', () => {
    expect(periodState('2026-03-01', true, '2030-01-01').status).toBe('received');
  });

  it('finds the first month not yet received', () => {
    expect(nextDueOn(timing, new Set())).toBe('2024-03-01');
    expect(nextDueOn(timing, new Set(['2024-03-01', '2024-09-01']))).toBe('2025-03-01');
    expect(nextDueOn({ ...timing, endedOn: '2024-06-01' }, new Set(['2024-03-01']))).toBeNull();
  });

  it('shows the schedule up to a year ahead', () => {
    const schedule = letterboxSchedule(timing, new Set(['2024-03-01']), '2024-10-15');
    expect(schedule.map((s) => `${s.period} ${s.status}`)).toEqual([
      '2024-03-01 received',
      '2024-09-01 due',
      '2025-03-01 upcoming',
      '2025-09-01 upcoming',
    ]);
  });

  it.each([
    ['2024-03-01', true],
    ['2024-04-01', false],
    ['2024-03-02', false],
    ['2023-09-01', false],
    ['2024-02-30', false],
  ])('%s is one of the agreement’s months: %s', (period, agreed) => {
    expect(isAgreedPeriod(timing, period)).toBe(agreed);
  });
});
