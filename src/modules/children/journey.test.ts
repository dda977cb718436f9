import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentStage,
  factsInForce,
  refuseImpossibleFact,
  timeInStages,
  type MilestoneFact,
  type MilestoneKind,
} from './journey.js';

let nextId = 0;
function fact(kind: MilestoneKind, effectiveDate: string, extra: Partial<MilestoneFact> = {}): MilestoneFact {
  nextId += 1;
  return {
    id: `f${nextId}`,
    kind,
    effectiveDate,
    source: 'council case system',
    recordedBy: 'u1',
    recordedAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

const context = { dateOfBirth: '2022-03-01', today: '2026-11-22' };

const typicalJourney = [
  fact('entered_care', '2023-01-10'),
  fact('referred_to_raa', '2023-04-01'),
  fact('should_be_placed_decision', '2023-09-20'),
  fact('placement_order', '2023-11-15'),
  fact('linked', '2024-05-01'),
  fact('match_decision', '2024-06-12'),
  fact('placed_for_adoption', '2024-07-01'),
  fact('adoption_order', '2025-03-03'),
];

describe('current stage (issue 4 §2)', () => {
  it.each([
    [0, 'early_identification'],
    [1, 'early_identification'],
    [2, 'awaiting_decision'],
    [3, 'awaiting_placement_order'],
    [4, 'family_finding'],
    [5, 'linked'],
    [6, 'matched'],
    [7, 'placed'],
    [8, 'adopted'],
  ])('after the first %i milestones the child is %s', (count, stage) => {
    expect(currentStage(typicalJourney.slice(0, count))).toBe(stage);
  });

  it('returns a child to family finding after a disruption before the order', () => {
    const facts = [
      ...typicalJourney.slice(0, 7),
      fact('disruption', '2024-09-01', { disruptionTiming: 'before_order' }),
    ];
    expect(currentStage(facts)).toBe('family_finding');
  });

  it('shows a plan changed away from adoption (RD1–RD4)', () => {
    expect(
      currentStage([
        ...typicalJourney.slice(0, 4),
        fact('plan_changed', '2024-01-01', { planChangeReason: 'RD2' }),
      ]),
    ).toBe('plan_changed');
  });

  it('uses only facts in force: a correction supersedes, never overwrites', () => {
    const wrong = fact('placement_order', '2023-11-15');
    const corrected = fact('placement_order', '2023-11-25', {
      supersedes: wrong.id,
      correctionReason: 'Typed the hearing date',
    });
    const facts = [typicalJourney[0]!, wrong, corrected];
    expect(factsInForce(facts).map((f) => f.id)).toEqual([typicalJourney[0]!.id, corrected.id]);
    expect(facts).toHaveLength(3);
  });
});

describe('impossible sequences are refused with a reason (issue 4 §2)', () => {
  it.each([
    [
      'placed before a match decision',
      typicalJourney.slice(0, 5),
      fact('placed_for_adoption', '2024-05-02'),
      'The child cannot be placed for adoption before a match decision is recorded',
    ],
    [
      'placed before the match date',
      typicalJourney.slice(0, 6),
      fact('placed_for_adoption', '2024-06-01'),
      'The child cannot be placed for adoption before the match decision',
    ],
    [
      'an order before placement',
      typicalJourney.slice(0, 6),
      fact('adoption_order', '2024-08-01'),
      'An adoption order cannot be recorded before the child is placed for adoption',
    ],
    [
      'a date before birth',
      [],
      fact('entered_care', '2022-02-01'),
      "The date the child entered care cannot be before the child's date of birth",
    ],
    [
      'a date in the future',
      [],
      fact('entered_care', '2027-01-01'),
      'The date the child entered care cannot be in the future',
    ],
    [
      'a plan change without a reason code',
      typicalJourney.slice(0, 4),
      fact('plan_changed', '2024-01-01'),
      'Choose why the plan changed away from adoption (RD1 to RD4)',
    ],
    [
      'a correction without a reason',
      typicalJourney.slice(0, 4),
      fact('placement_order', '2023-11-20', { supersedes: typicalJourney[3]!.id }),
      'Give a reason for the correction',
    ],
    [
      'a match before the decision to place',
      typicalJourney.slice(0, 2),
      fact('match_decision', '2023-05-01'),
      'A match cannot be agreed before the decision that the child should be placed for adoption',
    ],
  ])('refuses %s', (_case, existing, proposed, message) => {
    expect(refuseImpossibleFact(existing, proposed, context)).toBe(message);
  });

  it('accepts every step of a coherent journey', () => {
    typicalJourney.forEach((proposed, i) => {
      expect(refuseImpossibleFact(typicalJourney.slice(0, i), proposed, context)).toBeNull();
    });
  });

  it('never accepts a placement dated before the match it needs (property)', () => {
    const date = fc
      .integer({ min: 0, max: 1200 })
      .map((d) => new Date(Date.UTC(2022, 2, 1) + d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, date, (matchDate, placedDate) => {
        const existing = [fact('should_be_placed_decision', '2022-03-01'), fact('match_decision', matchDate)];
        const verdict = refuseImpossibleFact(existing, fact('placed_for_adoption', placedDate), context);
        return placedDate < matchDate ? verdict !== null : verdict === null;
      }),
      { numRuns: 500 },
    );
  });
});

describe('time in each stage', () => {
  it('counts calendar days between milestones, the current stage up to today', () => {
    const spans = timeInStages(typicalJourney.slice(0, 4), '2023-12-15');
    expect(spans).toEqual([
      { stage: 'early_identification', from: '2023-01-10', days: 81 },
      { stage: 'awaiting_decision', from: '2023-04-01', days: 172 },
      { stage: 'awaiting_placement_order', from: '2023-09-20', days: 56 },
      { stage: 'family_finding', from: '2023-11-15', days: 30 },
    ]);
  });
});
