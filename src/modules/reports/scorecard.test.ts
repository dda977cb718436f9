import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarMonths, calendarDaysBetween } from '../../platform/time/index.js';
import {
  addMonths,
  childFigures,
  cliScorecard,
  daysBetween,
  groupsFromTree,
  householdFigures,
  scorecardByGroup,
  scorecardFootnotes,
  scorecardWindow,
  thresholdFor,
  type ScorecardChild,
  type ScorecardHousehold,
} from './scorecard.js';

function aChild(id: string, facts: Partial<ScorecardChild> = {}): ScorecardChild {
  return {
    id,
    councilId: 'LA1',
    enteredCare: null,
    placementOrder: null,
    shouldBePlacedDecisions: [],
    matchDecision: null,
    placedForAdoption: null,
    movedInWithAdoptiveCarers: null,
    adoptionOrder: null,
    adoptedByFosterCarers: false,
    earlyPermanencePlacement: null,
    ...facts,
  };
}

function aHousehold(id: string, facts: Partial<ScorecardHousehold> = {}): ScorecardHousehold {
  return {
    id,
    raaId: 'raa',
    councilId: null,
    applied: null,
    approved: null,
    matched: null,
    left: null,
    ...facts,
  };
}

describe('dates', () => {
  it.each([
    ['2016-03-31', { start: '2013-04-01', end: '2016-03-31' }],
    ['2024-03-31', { start: '2021-04-01', end: '2024-03-31' }],
  ])('the three-year window ending %s', (end, window) => {
    expect(scorecardWindow(end)).toEqual(window);
  });

  it.each([
    ['2020-01-31', 1, '2020-02-29'],
    ['2020-01-31', 14, '2021-03-31'],
    ['2019-12-31', 14, '2021-02-28'],
    ['2021-05-15', 3, '2021-08-15'],
    ['2016-03-31', -36, '2013-03-31'],
  ])('%s plus %i calendar months is %s', (from, months, to) => {
    expect(addMonths(from, months)).toBe(to);
  });

  it('counts days across a leap year', () => {
    expect(daysBetween('2020-02-01', '2020-03-01')).toBe(29);
    expect(daysBetween('2021-03-28', '2021-03-29')).toBe(1); // clocks change: still one day
  });

  it('agrees with the platform’s calendar arithmetic for any dates (kept separate only for speed)', () => {
    const isoDate = fc
      .date({
        min: new Date('1990-01-01T00:00:00Z'),
        max: new Date('2040-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(isoDate, isoDate, fc.integer({ min: -60, max: 60 }), (a, b, months) => {
        expect(addMonths(a, months)).toBe(addCalendarMonths(a, months));
        expect(daysBetween(a, b)).toBe(calendarDaysBetween(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('A1, A10, A2, A3 over children adopted in the window', () => {
  const windowEnd = '2016-03-31';
  // Three children adopted in 2013–16, one adopted after the window, one adopted before it.
  const children = [
    // Placed 300 days after entering care; match 50 days after the placement order.
    aChild('ann', {
      enteredCare: '2014-01-01',
      placementOrder: '2014-06-01',
      matchDecision: '2014-07-21',
      placedForAdoption: '2014-10-28',
      adoptionOrder: '2015-05-01',
    }),
    // Adopted by her fostering-for-adoption carers: placed for adoption after 500 days, but she
    // moved in with them 10 days after entering care. Matched before the placement order: A2 = 0.
    aChild('bea', {
      enteredCare: '2013-06-01',
      placementOrder: '2014-09-01',
      matchDecision: '2014-08-01',
      placedForAdoption: '2014-10-14',
      movedInWithAdoptiveCarers: '2013-06-11',
      adoptedByFosterCarers: true,
      earlyPermanencePlacement: '2013-06-11',
      adoptionOrder: '2015-01-10',
    }),
    // Relinquished baby placed with consent: no placement order, so not in A2.
    aChild('cal', {
      enteredCare: '2015-01-01',
      matchDecision: '2015-02-01',
      placedForAdoption: '2015-02-11',
      adoptionOrder: '2015-09-01',
    }),
    aChild('late', {
      enteredCare: '2015-01-01',
      placedForAdoption: '2015-06-01',
      adoptionOrder: '2016-04-01',
    }),
    aChild('early', {
      enteredCare: '2010-01-01',
      placedForAdoption: '2011-01-01',
      adoptionOrder: '2013-03-31',
    }),
  ];
  const figures = childFigures(children, windowEnd);

  it('A1 is the mean of days from entering care to placed for adoption, rounded', () => {
    // (300 + 500 + 41) / 3 = 280.33
    expect(figures.A1).toEqual({ value: 280, n: 3, ids: ['ann', 'bea', 'cal'] });
  });

  it('A10 stops the clock when a child adopted by foster carers moved in with them', () => {
    // (300 + 10 + 41) / 3 = 117
    expect(figures.A10).toEqual({ value: 117, n: 3, ids: ['ann', 'bea', 'cal'] });
  });

  it('A2 counts zero when matched before the order and leaves out children with no order', () => {
    // (50 + 0) / 2 = 25
    expect(figures.A2).toEqual({ value: 25, n: 2, ids: ['ann', 'bea'] });
  });

  it('A3 is the percentage who moved in less than 14 months after entering care', () => {
    // ann (300 days) and cal (41 days) yes; bea (500 days) no: 2 of 3 = 67 %.
    expect(figures.A3).toMatchObject({ value: 67, numerator: 2, n: 3, ids: ['ann', 'cal'] });
  });

  it('counts adoptions in the window and those by foster carers', () => {
    expect(figures.adoptions).toEqual({ value: 3, ids: ['ann', 'bea', 'cal'] });
    expect(figures.adoptedByFosterCarers.ids).toEqual(['bea']);
    expect(figures.earlyPermanencePlacements.ids).toEqual(['bea']);
    expect(figures.placementOrders.ids).toEqual(['ann', 'bea']);
  });

  it('the CLI shape', () => {
    expect(cliScorecard(figures)).toEqual({ A1: 280, A2: 25, A2_n: 2, A3_percent: 67, A10: 117, n: 3 });
    expect(cliScorecard(childFigures([], windowEnd))).toEqual({
      A1: null,
      A2: null,
      A2_n: 0,
      A3_percent: null,
      A10: null,
      n: 0,
    });
  });

  it('A2 leaves out a child not placed before the day of the adoption order', () => {
    const sameDay = aChild('d', {
      enteredCare: '2014-01-01',
      placementOrder: '2014-03-01',
      matchDecision: '2014-05-01',
      placedForAdoption: '2014-08-01',
      adoptionOrder: '2014-08-01',
    });
    expect(childFigures([sameDay], windowEnd).A2.n).toBe(0);
    expect(childFigures([sameDay], windowEnd).A1.n).toBe(1);
  });

  it.each([
    ['2021-03-30', true],
    ['2021-03-31', false],
  ])('A3: entered care 31 January 2020, placed %s → within 14 months: %s', (placed, within) => {
    const child = aChild('e', {
      enteredCare: '2020-01-31',
      placedForAdoption: placed,
      adoptionOrder: '2021-06-01',
    });
    expect(childFigures([child], '2022-03-31').A3.numerator).toBe(within ? 1 : 0);
  });

  it('leaves a child with no known entry into care out of A1 but counts the adoption', () => {
    const figures = childFigures(
      [aChild('f', { placedForAdoption: '2015-01-01', adoptionOrder: '2015-06-01' })],
      windowEnd,
    );
    expect(figures.A1.n).toBe(0);
    expect(figures.adoptions.value).toBe(1);
  });
});

describe('decisions, reversals and children waiting', () => {
  const children = [
    // Decision in force, placement order, not placed at 31 March 2024: waiting.
    aChild('w1', {
      shouldBePlacedDecisions: [{ date: '2023-05-01', ceasedDate: null }],
      placementOrder: '2023-09-01',
    }),
    // Decision reversed in January 2024 (RD3): not waiting, plan changed.
    aChild('w2', {
      shouldBePlacedDecisions: [{ date: '2022-05-01', ceasedDate: '2024-01-10' }],
      placementOrder: '2022-08-01',
    }),
    // Placed in February 2024: not waiting.
    aChild('w3', {
      shouldBePlacedDecisions: [{ date: '2023-01-01', ceasedDate: null }],
      placedForAdoption: '2024-02-01',
    }),
    // Decision made after the window end: not waiting yet, not counted.
    aChild('w4', { shouldBePlacedDecisions: [{ date: '2024-04-02', ceasedDate: null }] }),
  ];
  const figures = childFigures(children, '2024-03-31');

  it('counts the children waiting at the end of the window', () => {
    expect(figures.childrenWaiting.ids).toEqual(['w1']);
  });
  it('counts decisions, reversals and placement orders dated in the window', () => {
    expect(figures.shouldBePlacedDecisions.ids).toEqual(['w1', 'w2', 'w3']);
    expect(figures.plansChangedAwayFromAdoption.ids).toEqual(['w2']);
    expect(figures.placementOrders.ids).toEqual(['w1', 'w2']);
  });
});

describe('A11, A12, A13 over households', () => {
  const households = [
    aHousehold('waiting', { applied: '2022-01-01', approved: '2023-06-01' }),
    aHousehold('matchedQuick', { applied: '2021-01-01', approved: '2022-01-10', matched: '2022-03-01' }),
    // Exactly three calendar months: counts as waiting at least three months.
    aHousehold('matchedSlow', { applied: '2021-01-01', approved: '2022-01-10', matched: '2022-04-10' }),
    aHousehold('matchedAfter', { applied: '2023-01-01', approved: '2023-10-01', matched: '2024-05-01' }),
    aHousehold('withdrew', { applied: '2023-01-01', approved: '2023-06-01', left: '2024-01-01' }),
    aHousehold('assessing', { applied: '2023-11-01' }),
    aHousehold('appliedLater', { applied: '2024-04-01' }),
  ];
  const figures = householdFigures(households, '2024-03-31');

  it('A11: approved families waiting to be matched at the window end', () => {
    expect(figures.A11.ids).toEqual(['waiting', 'matchedAfter']);
  });
  it('A12: % of families matched in the window who waited at least three months', () => {
    expect(figures.A12).toMatchObject({ value: 50, numerator: 1, n: 2, ids: ['matchedSlow'] });
  });
  it('A13: applications still to be assessed at the window end', () => {
    expect(figures.A13.ids).toEqual(['assessing']);
  });
});

describe('grouping', () => {
  const tree = [
    { id: 'hub', name: 'Hub', kind: 'hub', parentId: null },
    { id: 'raa', name: 'RAA', kind: 'raa', parentId: 'hub' },
    { id: 'se', name: 'South East', kind: 'spoke', parentId: 'raa' },
    { id: 'sw', name: 'South West', kind: 'spoke', parentId: 'raa' },
    { id: 'lew', name: 'Lewisham', kind: 'local_authority', parentId: 'se' },
    { id: 'bro', name: 'Bromley', kind: 'local_authority', parentId: 'se' },
    { id: 'mer', name: 'Merton', kind: 'local_authority', parentId: 'sw' },
  ];

  it('builds council, spoke, RAA and hub groups from the tree, for the councils given', () => {
    const groups = groupsFromTree(tree, ['lew', 'bro', 'mer']);
    expect(groups.map((g) => [g.level, g.id, g.councilIds])).toEqual([
      ['council', 'lew', ['lew']],
      ['council', 'bro', ['bro']],
      ['council', 'mer', ['mer']],
      ['spoke', 'se', ['lew', 'bro']],
      ['spoke', 'sw', ['mer']],
      ['raa', 'raa', ['lew', 'bro', 'mer']],
      ['hub', 'hub', ['lew', 'bro', 'mer']],
    ]);
  });

  it('adds up: the RAA figure counts every council’s children once', () => {
    const children = [
      aChild('a', {
        councilId: 'lew',
        enteredCare: '2022-01-01',
        placedForAdoption: '2022-11-01',
        adoptionOrder: '2023-06-01',
      }),
      aChild('b', {
        councilId: 'bro',
        enteredCare: '2021-05-01',
        placedForAdoption: '2022-09-01',
        adoptionOrder: '2023-03-01',
      }),
      aChild('c', {
        councilId: 'mer',
        enteredCare: '2022-02-01',
        placedForAdoption: '2022-06-01',
        adoptionOrder: '2023-01-01',
      }),
    ];
    const households = [
      aHousehold('h1', { councilId: 'lew', approved: '2023-01-01' }),
      aHousehold('h2', { approved: '2023-01-01' }),
    ];
    const result = scorecardByGroup(
      children,
      households,
      groupsFromTree(tree, ['lew', 'bro', 'mer']),
      '2024-03-31',
    );
    const byId = new Map(result.map((r) => [r.group.id, r.figures]));
    expect(byId.get('lew')?.adoptions.ids).toEqual(['a']);
    expect(byId.get('se')?.adoptions.ids).toEqual(['a', 'b']);
    expect(byId.get('raa')?.adoptions.value).toBe(3);
    expect(byId.get('hub')?.adoptions.value).toBe(3);
    // The household living outside the member councils counts for the RAA, not for a council.
    expect(byId.get('lew')?.A11.ids).toEqual(['h1']);
    expect(byId.get('se')?.A11.ids).toEqual(['h1']);
    expect(byId.get('raa')?.A11.ids).toEqual(['h1', 'h2']);
    expect(byId.get('hub')?.A11.ids).toEqual(['h1', 'h2']);
    // A1 of the RAA: (304 + 488 + 120) / 3 = 304
    expect(byId.get('raa')?.A1.value).toBe(304);
  });
});

describe('thresholds and footnotes', () => {
  it('uses the threshold published for the window, or carries the latest forward, marked', () => {
    expect(thresholdFor('A1', '2016-03-31')).toMatchObject({ days: 426, carriedForward: false });
    expect(thresholdFor('A2', '2024-03-31')).toMatchObject({ days: 121, carriedForward: true });
    expect(thresholdFor('A10', '2016-03-31')?.days).toBe(426);
    expect(thresholdFor('A1', '2011-03-31')).toBeNull();
  });
  it('has footnotes for the readings it makes', () => {
    expect(scorecardFootnotes.length).toBeGreaterThan(10);
  });
});
