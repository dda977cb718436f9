// What the tracking board highlights (issue 4 §4), and the SQL cut-offs that must agree with it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../platform/time/index.js';
import { stages, type Stage } from './journey.js';
import { overdueCutoffs, overdueFor, type TrackedChild } from './tracking.js';

const tracked = (overrides: Partial<TrackedChild> = {}): TrackedChild => ({
  currentStage: 'family_finding',
  shouldBePlacedDate: null,
  placementOrderDate: null,
  familyFinderAllocatedDate: null,
  hasFamilyFinder: true,
  latestCprDate: null,
  matchDecisionDate: null,
  hardToPlace: false,
  hasFamilyFindingStrategy: false,
  ...overrides,
});

describe('overdue flags', () => {
  it('flags the permanence report 6 months after the last update, and not on the due day', () => {
    expect(overdueFor(tracked({ latestCprDate: '2026-05-22' }), '2026-11-22')).toEqual([]);
    expect(overdueFor(tracked({ latestCprDate: '2026-05-21' }), '2026-11-22')).toEqual([
      'cpr_update_overdue',
    ]);
    // Once matched the council no longer has to keep updating it for family finding.
    expect(
      overdueFor(tracked({ latestCprDate: '2026-01-01', currentStage: 'matched' }), '2026-11-22'),
    ).toEqual([]);
  });

  it('flags no family finder 10 working days after the decision, counting bank holidays out', () => {
    // Decision Friday 12 December 2025: 10 working days later, skipping 25 and 26 December, is 30 December.
    const child = tracked({
      shouldBePlacedDate: '2025-12-12',
      hasFamilyFinder: false,
      currentStage: 'awaiting_placement_order',
    });
    expect(overdueFor(child, '2025-12-30')).toEqual([]);
    expect(overdueFor(child, '2025-12-31')).toEqual(['no_family_finder']);
  });

  it('flags no match 6 months after the placement order', () => {
    expect(overdueFor(tracked({ placementOrderDate: '2026-05-22' }), '2026-11-22')).toEqual([]);
    expect(overdueFor(tracked({ placementOrderDate: '2026-05-21' }), '2026-11-22')).toContain('no_match');
    expect(
      overdueFor(
        tracked({
          placementOrderDate: '2026-01-21',
          matchDecisionDate: '2026-06-01',
          currentStage: 'matched',
        }),
        '2026-11-22',
      ),
    ).toEqual([]);
  });

  it('flags a hard-to-place child without a family-finding strategy until the journey ends', () => {
    expect(overdueFor(tracked({ hardToPlace: true }), '2026-11-22')).toEqual(['no_strategy']);
    expect(overdueFor(tracked({ hardToPlace: true, hasFamilyFindingStrategy: true }), '2026-11-22')).toEqual(
      [],
    );
    expect(overdueFor(tracked({ hardToPlace: true, currentStage: 'adopted' }), '2026-11-22')).toEqual([]);
  });
});

describe('SQL cut-offs agree with the flags (property)', () => {
  const date = fc.integer({ min: 0, max: 3000 }).map((n) => addCalendarDays('2018-01-01', n));
  it('a date before each cut-off is overdue exactly when overdueFor says so', () => {
    fc.assert(
      fc.property(date, date, fc.constantFrom(...stages), (start, today, stage: Stage) => {
        fc.pre(start <= today && today <= '2030-06-30');
        const cutoffs = overdueCutoffs(today);
        const cpr = overdueFor(tracked({ currentStage: stage, latestCprDate: start }), today).includes(
          'cpr_update_overdue',
        );
        const ffStages: Stage[] = ['awaiting_placement_order', 'family_finding', 'linked'];
        expect(cpr).toBe(ffStages.includes(stage) && start < cutoffs.cprBefore);
        const finder = overdueFor(
          tracked({ currentStage: 'family_finding', shouldBePlacedDate: start, hasFamilyFinder: false }),
          today,
        ).includes('no_family_finder');
        expect(finder).toBe(start < cutoffs.decisionBefore);
        const match = overdueFor(
          tracked({ currentStage: 'family_finding', placementOrderDate: start }),
          today,
        ).includes('no_match');
        expect(match).toBe(start < cutoffs.orderBefore);
      }),
      { numRuns: 300 },
    );
  });
});
