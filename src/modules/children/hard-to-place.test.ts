// The seeds' "hard to place" profile (seeds/001 service schedule; domain-detail.md §1.3).
import { describe, expect, it } from 'vitest';
import { ageInYears, fourthBirthday, hardToPlaceProfile, lastingHardToPlaceTags } from './hard-to-place.js';

const child = (overrides: Partial<Parameters<typeof hardToPlaceProfile>[0]> = {}) => ({
  dateOfBirth: '2024-06-01',
  ethnicity: 'WBRI',
  siblingsToPlaceWith: 0,
  needs: {},
  ...overrides,
});

describe('hard-to-place profile', () => {
  it.each([
    ['a white British baby with no recorded needs', child(), []],
    ['aged four on their fourth birthday', child({ dateOfBirth: '2022-11-22' }), ['aged_four_or_over']],
    ['not yet four the day before', child({ dateOfBirth: '2022-11-23' }), []],
    ['Black Caribbean heritage', child({ ethnicity: 'BCRB' }), ['minority_ethnic_heritage']],
    [
      'White Irish heritage (a minority ethnic group)',
      child({ ethnicity: 'WIRI' }),
      ['minority_ethnic_heritage'],
    ],
    ['ethnicity not yet obtained is not a heritage', child({ ethnicity: 'NOBT' }), []],
    ['a sibling to be placed with them', child({ siblingsToPlaceWith: 1 }), ['sibling_group']],
    [
      'uncertainty about emotional development',
      child({ needs: { emotional_behavioural: { description: '', uncertain: true } } }),
      ['developmental_uncertainty'],
    ],
    [
      'a described disability',
      child({ needs: { disability: { description: 'Cerebral palsy', uncertain: false } } }),
      ['disability_or_medical_condition'],
    ],
    [
      'a medical condition',
      child({ needs: { health: { description: 'Epilepsy, controlled', uncertain: false } } }),
      ['disability_or_medical_condition'],
    ],
    [
      'all five, in the seeds’ order',
      child({
        dateOfBirth: '2019-01-01',
        ethnicity: 'MWBA',
        siblingsToPlaceWith: 2,
        needs: {
          development: { description: 'Global delay', uncertain: true },
          disability: { description: 'Hearing impairment', uncertain: false },
        },
      }),
      [
        'aged_four_or_over',
        'minority_ethnic_heritage',
        'sibling_group',
        'developmental_uncertainty',
        'disability_or_medical_condition',
      ],
    ],
  ])('%s', (_name, facts, expected) => {
    expect(hardToPlaceProfile(facts, '2026-11-22')).toEqual(expected);
  });

  it('keeps the age tag out of what is stored, because it changes with the date', () => {
    expect(lastingHardToPlaceTags(child({ dateOfBirth: '2015-01-01' }))).toEqual([]);
  });

  it('treats a 29 February birthday as turning four on 28 February in a common year', () => {
    expect(fourthBirthday('2020-02-29')).toBe('2024-02-29');
    expect(fourthBirthday('2024-02-29')).toBe('2028-02-29');
    expect(ageInYears('2020-02-29', '2025-02-28')).toBe(4);
  });
});
