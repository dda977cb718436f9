import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { needAreas, type EthnicityCode } from '../children/child-codes.js';
import {
  compatibleCounts,
  compatibleCountsNaive,
  prepareHouseholds,
  rankChildren,
  rankChildrenNaive,
  rankHouseholds,
  rankHouseholdsNaive,
} from './ranking.js';
import {
  contactKinds,
  defaultWeights,
  noConsiderations,
  separationRules,
  weightKeys,
  type MatchingChild,
  type MatchingHousehold,
  type MatchingWeights,
} from './matching-profiles.js';

// Small domains, so that ages meet bounds, districts collide, councils exclude and ids tie.
const districts = ['SE15', 'se15', 'SE22', 'SW2', 'CR0', 'BR1', ' E1 ', 'EN5'];
const councils = ['council-a', 'council-b', 'council-c'];
const ethnicities: EthnicityCode[] = [
  'WBRI',
  'WIRI',
  'MWBA',
  'AIND',
  'APKN',
  'BAFR',
  'BCRB',
  'CHNE',
  'OOTH',
  'REFU',
  'NOBT',
];
const religions = ['Muslim', ' muslim', 'Christian', 'Hindu', ''];
const languages = ['English', 'english ', 'Polish', 'Urdu', 'Somali', ''];

// Now and then a bound no form would give (a fraction, past 30) to reach the engine's slower paths.
const bound = fc.option(
  fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 17 }), weight: 9 },
    { arbitrary: fc.constantFrom(2.5, 40), weight: 1 },
  ),
  { nil: null },
);

const childArb: fc.Arbitrary<MatchingChild> = fc.record({
  id: fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'),
  ageYears: fc.integer({ min: 0, max: 17 }),
  siblingGroupSize: fc.integer({ min: 1, max: 4 }),
  needs: fc.array(fc.record({ area: fc.constantFrom(...needAreas), uncertain: fc.boolean() }), {
    maxLength: 6,
  }),
  ethnicity: fc.constantFrom(...ethnicities),
  religion: fc.option(fc.constantFrom(...religions), { nil: null }),
  languages: fc.subarray(languages),
  earlyPermanence: fc.boolean(),
  considerations: fc.record({
    heritage: fc.boolean(),
    religion: fc.boolean(),
    language: fc.boolean(),
    contactRequired: fc.subarray([...contactKinds]),
    separation: fc.constantFrom(...separationRules),
  }),
  birthFamilyPostcodeDistrict: fc.option(fc.constantFrom(...districts, ''), { nil: null, freq: 6 }),
  responsibleCouncilId: fc.constantFrom(...councils),
});

const householdArb: fc.Arbitrary<MatchingHousehold> = fc.record({
  id: fc.constantFrom('h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10', 'H1', 'h01'),
  agencyId: fc.constant('raa-1'),
  postcodeDistrict: fc.constantFrom(...districts),
  ageFrom: bound,
  ageTo: bound,
  maxChildren: fc.option(
    fc.oneof(
      { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 9 },
      { arbitrary: fc.constantFrom(0, 1.5, 40), weight: 1 },
    ),
    { nil: null },
  ),
  siblingGroups: fc.boolean(),
  needsCanMeet: fc.subarray([...needAreas]),
  needsCannotMeet: fc.subarray([...needAreas], { maxLength: 2 }),
  earlyPermanence: fc.boolean(),
  contactSupported: fc.subarray([...contactKinds]),
  ethnicities: fc.subarray(ethnicities, { maxLength: 3 }),
  religions: fc.subarray(religions, { maxLength: 2 }),
  languages: fc.subarray(languages, { maxLength: 3 }),
  excludedByCouncilIds: fc.array(fc.constantFrom(...councils), { maxLength: 3 }),
});

const weightsArb: fc.Arbitrary<MatchingWeights> = fc.record(
  Object.fromEntries(weightKeys.map((key) => [key, fc.integer({ min: 0, max: 10 })])) as Record<
    keyof MatchingWeights,
    fc.Arbitrary<number>
  >,
);

const households = fc.array(householdArb, { maxLength: 40 });
const children = fc.array(childArb, { maxLength: 40 });
const runs = { numRuns: 200 };

describe('the fast paths give exactly what the engine gives, pair by pair', () => {
  it('ranks households for a child exactly as scoring each and sorting does', () => {
    fc.assert(
      fc.property(childArb, households, weightsArb, (child, pool, weights) => {
        expect(rankHouseholds(child, prepareHouseholds(pool), weights)).toEqual(
          rankHouseholdsNaive(child, pool, weights),
        );
      }),
      runs,
    );
  });

  it('ranks households the same even when the prepared list is not in id order', () => {
    fc.assert(
      fc.property(childArb, households, weightsArb, (child, pool, weights) => {
        const reversed = [...prepareHouseholds(pool)].reverse();
        const expected = rankHouseholdsNaive(
          child,
          reversed.map((p) => p.household),
          weights,
        );
        expect(rankHouseholds(child, reversed, weights)).toEqual(expected);
      }),
      runs,
    );
  });

  it('ranks children for a household exactly as scoring each and sorting does', () => {
    fc.assert(
      fc.property(householdArb, children, weightsArb, (household, pool, weights) => {
        expect(rankChildren(household, pool, weights)).toEqual(rankChildrenNaive(household, pool, weights));
      }),
      runs,
    );
  });

  it('counts compatible households per child exactly as the nested loop does', () => {
    fc.assert(
      fc.property(children, households, (kids, pool) => {
        expect(compatibleCounts(kids, pool)).toEqual(compatibleCountsNaive(kids, pool));
      }),
      runs,
    );
  });
});

function aChild(overrides: Partial<MatchingChild> = {}): MatchingChild {
  return {
    id: 'child-1',
    ageYears: 2,
    siblingGroupSize: 1,
    needs: [],
    ethnicity: 'WBRI',
    religion: null,
    languages: [],
    earlyPermanence: true,
    considerations: noConsiderations,
    birthFamilyPostcodeDistrict: 'SE15',
    responsibleCouncilId: 'council-a',
    ...overrides,
  };
}

function aHousehold(id: string, overrides: Partial<MatchingHousehold> = {}): MatchingHousehold {
  return {
    id,
    agencyId: 'raa-1',
    postcodeDistrict: 'BR1',
    ageFrom: 0,
    ageTo: 4,
    maxChildren: 2,
    siblingGroups: true,
    needsCanMeet: [],
    needsCannotMeet: [],
    earlyPermanence: false,
    contactSupported: [],
    ethnicities: [],
    religions: [],
    languages: [],
    excludedByCouncilIds: [],
    ...overrides,
  };
}

describe('what a family finder sees in a ranking', () => {
  it('lists compatible households first, best score first, ties by id, and keeps the blocked ones', () => {
    const pool = [
      aHousehold('h-c'),
      aHousehold('h-a', { ageTo: 1 }),
      aHousehold('h-b', { earlyPermanence: true }),
      aHousehold('h-d', { earlyPermanence: true }),
      aHousehold('h-0'),
    ];
    const ranked = rankHouseholds(aChild(), prepareHouseholds(pool), defaultWeights);
    expect(ranked.map((r) => [r.householdId, r.compatible, r.score])).toEqual([
      ['h-b', true, 100],
      ['h-d', true, 100],
      ['h-0', true, 0],
      ['h-c', true, 0],
      ['h-a', false, 0],
    ]);
    expect(ranked[4]).toMatchObject({
      blockers: ['aged 2, outside the 0–1 the household can offer'],
      reasons: [{ kind: 'unmet', text: 'not offering early permanence' }],
    });
  });

  it('ranks children for a household the same way', () => {
    const ranked = rankChildren(
      aHousehold('h-1', { earlyPermanence: true }),
      [
        aChild({ id: 'c-3', earlyPermanence: false }),
        aChild({ id: 'c-2', ageYears: 9 }),
        aChild({ id: 'c-1', earlyPermanence: false }),
        aChild({ id: 'c-4' }),
      ],
      defaultWeights,
    );
    expect(ranked.map((r) => r.childId)).toEqual(['c-1', 'c-3', 'c-4', 'c-2']);
  });
});

describe('sufficiency counts', () => {
  it('takes off a household once when it is both too close and excluded by the council', () => {
    const child = aChild({ considerations: { ...noConsiderations, separation: 'outside_postcode_area' } });
    const pool = [
      aHousehold('near-and-excluded', {
        postcodeDistrict: 'SE22',
        excludedByCouncilIds: ['council-a', 'council-a'],
      }),
      aHousehold('near', { postcodeDistrict: 'SE1' }),
      aHousehold('excluded', { excludedByCouncilIds: ['council-a'] }),
      aHousehold('too-young', { ageTo: 1, excludedByCouncilIds: ['council-a'] }),
      aHousehold('fits-1'),
      aHousehold('fits-2', { postcodeDistrict: 'CR0' }),
    ];
    expect(compatibleCounts([child], pool)).toEqual(new Map([['child-1', 2]]));
    expect(compatibleCountsNaive([child], pool)).toEqual(new Map([['child-1', 2]]));
  });

  it('counts no household for a child whose distance rule cannot be checked', () => {
    const child = aChild({
      birthFamilyPostcodeDistrict: null,
      considerations: { ...noConsiderations, separation: 'outside_district' },
    });
    expect(compatibleCounts([child], [aHousehold('h-1'), aHousehold('h-2')])).toEqual(
      new Map([['child-1', 0]]),
    );
  });

  it('counts children of each group by age, number and needs', () => {
    const pool = [
      aHousehold('h-1', { needsCannotMeet: ['disability'] }),
      aHousehold('h-2', { maxChildren: 1 }),
      aHousehold('h-3', { ageFrom: 3, ageTo: 8 }),
    ];
    const kids = [
      aChild({ id: 'baby', ageYears: 0 }),
      aChild({ id: 'pair', siblingGroupSize: 2 }),
      aChild({ id: 'disabled', ageYears: 4, needs: [{ area: 'disability', uncertain: false }] }),
      aChild({ id: 'older', ageYears: 7 }),
    ];
    expect(compatibleCounts(kids, pool)).toEqual(
      new Map([
        ['baby', 2],
        ['pair', 1],
        ['disabled', 2],
        ['older', 1],
      ]),
    );
  });
});
