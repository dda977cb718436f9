import { describe, expect, it } from 'vitest';
import type { EthnicityCode, NeedArea } from '../children/child-codes.js';
import {
  hardConstraintFailures,
  heritageGroupOf,
  postcodeAreaOf,
  scoreMatch,
  type MatchReason,
} from './compatibility.js';
import {
  defaultWeights,
  noConsiderations,
  type ChildMatchingConsiderations,
  type MatchingChild,
  type MatchingHousehold,
  type MatchingWeights,
} from './matching-profiles.js';

type ChildOverrides = Partial<Omit<MatchingChild, 'considerations'>> & {
  considerations?: Partial<ChildMatchingConsiderations>;
};

/** A two-year-old on their own with nothing asked of the family: every household of 0–4 fits. */
function aChild(overrides: ChildOverrides = {}): MatchingChild {
  const { considerations, ...rest } = overrides;
  return {
    id: 'child-1',
    ageYears: 2,
    siblingGroupSize: 1,
    needs: [],
    ethnicity: 'WBRI',
    religion: null,
    languages: ['English'],
    earlyPermanence: false,
    birthFamilyPostcodeDistrict: 'SE15',
    responsibleCouncilId: 'council-a',
    ...rest,
    considerations: { ...noConsiderations, ...considerations },
  };
}

/** A household in Bromley offering up to two children aged 0–4, siblings welcome. */
function aHousehold(overrides: Partial<MatchingHousehold> = {}): MatchingHousehold {
  return {
    id: 'household-1',
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
    ethnicities: ['WBRI'],
    religions: [],
    languages: ['English'],
    excludedByCouncilIds: [],
    ...overrides,
  };
}

const needs = (...areas: NeedArea[]) => areas.map((area) => ({ area, uncertain: false }));

describe('hard constraints a family finder checks first', () => {
  it.each<[string, ChildOverrides, Partial<MatchingHousehold>, string[]]>([
    ['a child within the age range fits', { ageYears: 4 }, {}, []],
    ['a baby at the bottom of the age range fits', { ageYears: 0 }, {}, []],
    [
      'a child older than the range is blocked',
      { ageYears: 6 },
      {},
      ['aged 6, outside the 0–4 the household can offer'],
    ],
    [
      'a baby younger than the range is blocked',
      { ageYears: 0 },
      { ageFrom: 2, ageTo: 6 },
      ['aged under 1, outside the 2–6 the household can offer'],
    ],
    [
      'only an upper age is set',
      { ageYears: 10 },
      { ageFrom: null, ageTo: 8 },
      ['aged 10, older than 8, the oldest the household can offer'],
    ],
    [
      'only a lower age is set',
      { ageYears: 1 },
      { ageFrom: 2, ageTo: null },
      ['aged 1, younger than 2, the youngest the household can offer'],
    ],
    ['no age range set: any age fits', { ageYears: 17 }, { ageFrom: null, ageTo: null }, []],
    [
      'a sibling group larger than the household can take',
      { siblingGroupSize: 3 },
      {},
      ['sibling group of 3, more than the 2 children the household can take'],
    ],
    [
      'a pair for a household of one child, not offering siblings',
      { siblingGroupSize: 2 },
      { maxChildren: 1, siblingGroups: false },
      [
        'sibling group of 2, more than the 1 child the household can take',
        'sibling group of 2; the household is not offering to take siblings',
      ],
    ],
    ['no limit on the number of children', { siblingGroupSize: 4 }, { maxChildren: null }, []],
    ['a single child for a household not offering siblings', {}, { siblingGroups: false }, []],
    [
      'a need the household says it cannot meet',
      { needs: needs('disability') },
      { needsCannotMeet: ['disability'] },
      ['cannot meet: disability needs'],
    ],
    [
      'several needs the household cannot meet, in a fixed order',
      { needs: needs('emotional_behavioural', 'health', 'disability') },
      { needsCannotMeet: ['disability', 'health', 'emotional_behavioural', 'education'] },
      ['cannot meet: health, disability and emotional and behavioural needs'],
    ],
    [
      'a need the child does not have is no blocker',
      { needs: needs('health') },
      { needsCannotMeet: ['disability'] },
      [],
    ],
    [
      "a household in the birth family's district, whatever the case",
      { birthFamilyPostcodeDistrict: 'se15', considerations: { separation: 'outside_district' } },
      { postcodeDistrict: ' SE15 ' },
      ["lives in the birth family's postcode district"],
    ],
    [
      'a neighbouring district passes a district rule',
      { considerations: { separation: 'outside_district' } },
      { postcodeDistrict: 'SE22' },
      [],
    ],
    [
      "a household in the birth family's postcode area",
      { considerations: { separation: 'outside_postcode_area' } },
      { postcodeDistrict: 'SE22' },
      ["lives in the birth family's postcode area (SE)"],
    ],
    [
      'an area is its letters, not a prefix: E is not EN',
      { birthFamilyPostcodeDistrict: 'E1', considerations: { separation: 'outside_postcode_area' } },
      { postcodeDistrict: 'EN5' },
      [],
    ],
    ["no distance rule: the birth family's district does not matter", {}, { postcodeDistrict: 'SE15' }, []],
    [
      "a district rule with the birth family's area not recorded is never passed",
      { birthFamilyPostcodeDistrict: null, considerations: { separation: 'outside_district' } },
      { postcodeDistrict: 'TR1' },
      ["the birth family's area is not recorded, so the distance rule cannot be checked"],
    ],
    [
      "an area rule with the birth family's area not recorded is never passed",
      { birthFamilyPostcodeDistrict: null, considerations: { separation: 'outside_postcode_area' } },
      {},
      ["the birth family's area is not recorded, so the distance rule cannot be checked"],
    ],
    [
      "a blank birth family's district counts as not recorded",
      { birthFamilyPostcodeDistrict: '  ', considerations: { separation: 'outside_district' } },
      {},
      ["the birth family's area is not recorded, so the distance rule cannot be checked"],
    ],
    ['no rule and no birth family district: nothing to check', { birthFamilyPostcodeDistrict: null }, {}, []],
    [
      "a household the child's council has excluded",
      {},
      { excludedByCouncilIds: ['council-b', 'council-a'] },
      ["excluded by the child's council"],
    ],
    ['excluded by another council only', {}, { excludedByCouncilIds: ['council-b'] }, []],
    [
      'every failure, in the fixed order',
      {
        ageYears: 7,
        siblingGroupSize: 3,
        needs: needs('education'),
        considerations: { separation: 'outside_postcode_area' },
      },
      {
        postcodeDistrict: 'SE1',
        siblingGroups: false,
        needsCannotMeet: ['education'],
        excludedByCouncilIds: ['council-a'],
      },
      [
        'aged 7, outside the 0–4 the household can offer',
        'sibling group of 3, more than the 2 children the household can take',
        'sibling group of 3; the household is not offering to take siblings',
        'cannot meet: education needs',
        "lives in the birth family's postcode area (SE)",
        "excluded by the child's council",
      ],
    ],
  ])('%s', (_name, child, household, blockers) => {
    expect(hardConstraintFailures(aChild(child), aHousehold(household))).toEqual(blockers);
    const result = scoreMatch(aChild(child), aHousehold(household), defaultWeights);
    expect(result.blockers).toEqual(blockers);
    expect(result.compatible).toBe(blockers.length === 0);
  });

  it('scores a blocked household 0 but still says what would fit, and leads the summary with why', () => {
    const result = scoreMatch(
      aChild({ ageYears: 6, siblingGroupSize: 3, needs: needs('health'), earlyPermanence: true }),
      aHousehold({ needsCanMeet: ['health'], earlyPermanence: true }),
      defaultWeights,
    );
    expect(result).toEqual({
      childId: 'child-1',
      householdId: 'household-1',
      compatible: false,
      score: 0,
      blockers: [
        'aged 6, outside the 0–4 the household can offer',
        'sibling group of 3, more than the 2 children the household can take',
      ],
      reasons: [
        { kind: 'met', text: 'can meet needs in 1 of 1 area (health)' },
        { kind: 'met', text: 'open to early permanence' },
      ],
      summary:
        'aged 6, outside the 0–4 the household can offer; sibling group of 3, more than the 2 children the household can take',
    });
  });
});

describe('weighted considerations a family finder weighs', () => {
  it.each<[string, ChildOverrides, Partial<MatchingHousehold>, MatchReason, number]>([
    [
      'every need area met',
      { needs: needs('health', 'development') },
      { needsCanMeet: ['development', 'health', 'education'] },
      { kind: 'met', text: 'can meet needs in 2 of 2 areas (health, development)' },
      100,
    ],
    [
      'some need areas met, the rest not stated',
      { needs: needs('health', 'development', 'disability') },
      { needsCanMeet: ['health', 'development'] },
      {
        kind: 'partly',
        text: 'can meet needs in 2 of 3 areas (health, development); not stated: disability',
      },
      67,
    ],
    [
      'no need area met',
      { needs: needs('health', 'education') },
      {},
      { kind: 'unmet', text: 'can meet needs in 0 of 2 areas; not stated: health and education' },
      0,
    ],
    [
      'an uncertain need is mentioned but does not change the score',
      { needs: [{ area: 'development', uncertain: true }, ...needs('health')] },
      { needsCanMeet: ['health'] },
      {
        kind: 'partly',
        text: 'can meet needs in 1 of 2 areas (health); not stated: development; uncertain: development',
      },
      50,
    ],
    [
      'a need listed twice counts once',
      { needs: [...needs('health'), { area: 'health', uncertain: true }] },
      { needsCanMeet: ['health'] },
      { kind: 'met', text: 'can meet needs in 1 of 1 area (health); uncertain: health' },
      100,
    ],
    [
      'the same heritage',
      { ethnicity: 'BAFR', considerations: { heritage: true } },
      { ethnicities: ['WBRI', 'BAFR'] },
      { kind: 'met', text: "shares the child's heritage (African)" },
      100,
    ],
    [
      'a heritage in the same group',
      { ethnicity: 'BAFR', considerations: { heritage: true } },
      { ethnicities: ['BCRB'] },
      { kind: 'partly', text: 'shares a Black heritage' },
      50,
    ],
    [
      'an Asian heritage in the same group',
      { ethnicity: 'AIND', considerations: { heritage: true } },
      { ethnicities: ['APKN'] },
      { kind: 'partly', text: 'shares an Asian heritage' },
      50,
    ],
    [
      'Chinese and any other ethnic group are one group',
      { ethnicity: 'CHNE', considerations: { heritage: true } },
      { ethnicities: ['OOTH'] },
      { kind: 'partly', text: 'shares a Chinese or other ethnic heritage' },
      50,
    ],
    [
      'a mixed heritage is its own group, not its parts',
      { ethnicity: 'MWBA', considerations: { heritage: true } },
      { ethnicities: ['BAFR', 'WBRI'] },
      { kind: 'unmet', text: "does not share the child's heritage" },
      0,
    ],
    [
      'a heritage refused is never a match, even with a household that also refused',
      { ethnicity: 'REFU', considerations: { heritage: true } },
      { ethnicities: ['REFU', 'NOBT'] },
      { kind: 'unmet', text: "the child's heritage is not recorded, so it cannot be matched" },
      0,
    ],
    [
      'the same religion, whatever the case and spacing',
      { religion: 'Muslim', considerations: { religion: true } },
      { religions: [' muslim '] },
      { kind: 'met', text: "shares the child's religion (Muslim)" },
      100,
    ],
    [
      'a different religion',
      { religion: 'Christian ', considerations: { religion: true } },
      { religions: ['Muslim'] },
      { kind: 'unmet', text: "does not share the child's religion (Christian)" },
      0,
    ],
    [
      "the child's language spoken",
      { languages: ['Polish'], considerations: { language: true } },
      { languages: ['english', 'POLISH'] },
      { kind: 'met', text: "speaks the child's language (Polish)" },
      100,
    ],
    [
      "some of the child's languages spoken",
      { languages: ['Polish', 'Romanian'], considerations: { language: true } },
      { languages: ['Polish'] },
      { kind: 'partly', text: "speaks 1 of the child's 2 languages (Polish); not spoken: Romanian" },
      50,
    ],
    [
      "none of the child's languages spoken",
      { languages: ['Polish', 'Romanian', 'Somali'], considerations: { language: true } },
      { languages: ['English'] },
      { kind: 'unmet', text: "does not speak the child's languages (Polish, Romanian and Somali)" },
      0,
    ],
    [
      'a language written twice counts once',
      { languages: ['English', ' english'], considerations: { language: true } },
      {},
      { kind: 'met', text: "speaks the child's language (English)" },
      100,
    ],
    [
      'open to early permanence',
      { earlyPermanence: true },
      { earlyPermanence: true },
      { kind: 'met', text: 'open to early permanence' },
      100,
    ],
    [
      'not offering early permanence',
      { earlyPermanence: true },
      {},
      { kind: 'unmet', text: 'not offering early permanence' },
      0,
    ],
    [
      'all the contact the plan needs',
      { considerations: { contactRequired: ['direct_siblings', 'letterbox'] } },
      { contactSupported: ['letterbox', 'direct_siblings', 'direct_other'] },
      { kind: 'met', text: "can support the contact the child's plan needs" },
      100,
    ],
    [
      'some of the contact the plan needs',
      { considerations: { contactRequired: ['letterbox', 'direct_siblings'] } },
      { contactSupported: ['letterbox'] },
      {
        kind: 'partly',
        text: "can support 1 of the 2 kinds of contact the child's plan needs; cannot support: direct contact with brothers or sisters",
      },
      50,
    ],
    [
      'none of the contact the plan needs',
      { considerations: { contactRequired: ['letterbox', 'direct_birth_parents'] } },
      {},
      {
        kind: 'unmet',
        text: "cannot support the contact the child's plan needs: letterbox contact and direct contact with birth parents",
      },
      0,
    ],
  ])('%s', (_name, child, household, reason, score) => {
    const result = scoreMatch(aChild(child), aHousehold(household), defaultWeights);
    expect(result.compatible).toBe(true);
    expect(result.reasons).toEqual([reason]);
    expect(result.score).toBe(score);
    expect(result.summary).toBe(reason.text);
  });

  it.each<[string, ChildOverrides]>([
    ['heritage not asked for', { ethnicity: 'BAFR' }],
    ['religion asked for but none recorded', { religion: '  ', considerations: { religion: true } }],
    ['religion recorded but not asked for', { religion: 'Hindu' }],
    ['language asked for but none recorded', { languages: [' '], considerations: { language: true } }],
    ['no contact required', { considerations: { contactRequired: [] } }],
  ])('a consideration that does not apply gives no reason: %s', (_name, child) => {
    const result = scoreMatch(aChild(child), aHousehold({ ethnicities: ['WBRI'] }), defaultWeights);
    expect(result).toMatchObject({
      compatible: true,
      score: 100,
      reasons: [],
      summary: 'meets every hard constraint; no weighted consideration applies',
    });
  });
});

describe('score arithmetic', () => {
  const child = aChild({
    needs: needs('health', 'development', 'disability'),
    ethnicity: 'BAFR',
    earlyPermanence: true,
    considerations: { heritage: true },
  });
  const household = aHousehold({ needsCanMeet: ['health', 'development'], ethnicities: ['BCRB'] });
  const weights = (overrides: Partial<MatchingWeights>): MatchingWeights => ({
    ...defaultWeights,
    ...overrides,
  });

  it.each<[string, Partial<MatchingWeights>, number, number]>([
    // (10 × 2/3 + 6 × 0.5 + 5 × 0) / 21 = 0.4603…
    ['the default weights', {}, 46, 3],
    // (10 × 2/3 + 1 × 0.5) / 11 = 0.6515…
    ['custom weights, early permanence not counted', { heritage: 1, earlyPermanence: 0 }, 65, 2],
    // (1 × 2/3 + 10 × 0.5 + 10 × 0) / 21 = 0.2698…
    ['heritage and early permanence weighed most', { needs: 1, heritage: 10, earlyPermanence: 10 }, 27, 3],
    // (2 × 0.5 + 1 × 0) / 3 = 0.333…
    ['needs not counted', { needs: 0, heritage: 2, earlyPermanence: 1 }, 33, 2],
  ])('%s', (_name, overrides, score, reasonCount) => {
    const result = scoreMatch(child, household, weights(overrides));
    expect(result.score).toBe(score);
    expect(result.reasons).toHaveLength(reasonCount);
  });

  it('rounds a half up, as Math.round does', () => {
    // (5 × 0.5 + 3 × 1) / 8 = 0.6875 → 68.75 → 69
    const result = scoreMatch(
      aChild({ needs: needs('health', 'education'), earlyPermanence: true }),
      aHousehold({ needsCanMeet: ['health'], earlyPermanence: true }),
      weights({ needs: 5, earlyPermanence: 3 }),
    );
    expect(result.score).toBe(69);
  });

  it('gives a weight of 0 no say in the score and no line in the reasons', () => {
    const result = scoreMatch(child, household, weights({ heritage: 0 }));
    expect(result.reasons.map((reason) => reason.text)).toEqual([
      'can meet needs in 2 of 3 areas (health, development); not stated: disability',
      'not offering early permanence',
    ]);
    // (10 × 2/3 + 5 × 0) / 15 = 0.444…
    expect(result.score).toBe(44);
  });

  it('scores 100 when every consideration that applies has a weight of 0', () => {
    const zero = weights({ needs: 0, heritage: 0, earlyPermanence: 0 });
    expect(scoreMatch(child, household, zero)).toMatchObject({
      compatible: true,
      score: 100,
      reasons: [],
      summary: 'meets every hard constraint; no weighted consideration applies',
    });
  });

  it('scores 100 when nothing is asked of the family', () => {
    expect(scoreMatch(aChild(), aHousehold(), defaultWeights).score).toBe(100);
  });

  it('lists the reasons in the order of the weights and joins them into the summary', () => {
    const result = scoreMatch(child, household, defaultWeights);
    expect(result.reasons.map((reason) => reason.kind)).toEqual(['partly', 'partly', 'unmet']);
    expect(result.summary).toBe(
      'can meet needs in 2 of 3 areas (health, development); not stated: disability; shares a Black heritage; not offering early permanence',
    );
  });

  it('counts a need the household both can and cannot meet as cannot, and blocks', () => {
    const result = scoreMatch(
      aChild({ needs: needs('health', 'education') }),
      aHousehold({ needsCanMeet: ['health', 'education'], needsCannotMeet: ['education'] }),
      defaultWeights,
    );
    expect(result.blockers).toEqual(['cannot meet: education needs']);
    expect(result.reasons).toEqual([
      { kind: 'partly', text: 'can meet needs in 1 of 2 areas (health); cannot meet: education' },
    ]);
    expect(result.score).toBe(0);
  });
});

describe('postcode areas and heritage groups', () => {
  it.each([
    ['SE15', 'SE'],
    ['E1', 'E'],
    ['CR0', 'CR'],
    [' sw1a ', 'SW'],
    ['', ''],
  ])('the postcode area of %j is %j', (district, area) => {
    expect(postcodeAreaOf(district)).toBe(area);
  });

  it.each<[EthnicityCode, string]>([
    ['WBRI', 'W'],
    ['WROM', 'W'],
    ['MWBC', 'M'],
    ['ABAN', 'A'],
    ['BOTH', 'B'],
    ['CHNE', 'O'],
    ['OOTH', 'O'],
    ['REFU', ''],
    ['NOBT', ''],
  ])('%s is in heritage group %j', (code, group) => {
    expect(heritageGroupOf(code)).toBe(group);
  });
});
