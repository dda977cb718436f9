// What the compatibility engine (compatibility.ts) reads of a child and of a household, and the
// weights an RAA gives each consideration (issue 6 §1). These are plain data: the repository
// builds them from the records, the engine scores them, and nothing here touches the database.
//
// The safety rule has no map behind it: Kindred holds postcode districts, not coordinates, so
// "a minimum distance from the birth family's area" is expressed as the area the household must be
// outside of — the birth family's postcode district, or its whole postcode area (the letters of
// the district: SE, CR, BR …), chosen by the child's social worker. The child's council is always
// the one to decide what is far enough; this is the coarsest test that never lets a family in
// the birth family's own district through.
import { z } from 'zod';
import type { EthnicityCode, NeedArea } from '../children/child-codes.js';

/** Kinds of contact after placement a child's plan may need and a household may support. */
export const contactKinds = ['letterbox', 'direct_birth_parents', 'direct_siblings', 'direct_other'] as const;
export type ContactKind = (typeof contactKinds)[number];
export const contactKindLabels: Record<ContactKind, string> = {
  letterbox: 'letterbox contact',
  direct_birth_parents: 'direct contact with birth parents',
  direct_siblings: 'direct contact with brothers or sisters',
  direct_other: 'direct contact with other relatives',
};

/** How far from the birth family the child must live, when the plan requires it. */
export const separationRules = ['none', 'outside_district', 'outside_postcode_area'] as const;
export type SeparationRule = (typeof separationRules)[number];
export const separationRuleLabels: Record<SeparationRule, string> = {
  none: 'No rule',
  outside_district: "Outside the birth family's postcode district",
  outside_postcode_area: "Outside the birth family's postcode area",
};

/** What the child's social worker records for matching, kept in children.matching. */
export interface ChildMatchingConsiderations {
  /** The child's heritage should be reflected in the family (identity and culture). */
  heritage: boolean;
  /** The child's religion should be shared or supported. */
  religion: boolean;
  /** The family should speak the child's language(s). */
  language: boolean;
  contactRequired: ContactKind[];
  separation: SeparationRule;
}

export const noConsiderations: ChildMatchingConsiderations = {
  heritage: false,
  religion: false,
  language: false,
  contactRequired: [],
  separation: 'none',
};

export interface MatchingChild {
  id: string;
  /** Whole years on the day of ranking. */
  ageYears: number;
  /** Children to be placed together: the child and siblings whose plan is "together". */
  siblingGroupSize: number;
  /** The areas in which the child has needs (a description recorded), and whether each is uncertain. */
  needs: { area: NeedArea; uncertain: boolean }[];
  ethnicity: EthnicityCode;
  religion: string | null;
  languages: string[];
  /** Suitable for, or being considered for, early permanence (fostering for adoption, concurrent). */
  earlyPermanence: boolean;
  considerations: ChildMatchingConsiderations;
  /** From the restricted birth-family record; null when not recorded. */
  birthFamilyPostcodeDistrict: string | null;
  responsibleCouncilId: string;
}

export interface MatchingHousehold {
  id: string;
  /** The agency that assessed and approved the household (an RAA or a voluntary adoption agency). */
  agencyId: string;
  postcodeDistrict: string;
  ageFrom: number | null;
  ageTo: number | null;
  maxChildren: number | null;
  siblingGroups: boolean;
  needsCanMeet: NeedArea[];
  needsCannotMeet: NeedArea[];
  earlyPermanence: boolean;
  contactSupported: ContactKind[];
  /** Every applicant's ethnicity, religion and languages, pooled. */
  ethnicities: EthnicityCode[];
  religions: string[];
  languages: string[];
  /** Councils that have excluded this household from their children's searches. */
  excludedByCouncilIds: string[];
}

/** Each weighted consideration's weight, a whole number 0–10; the RAA sets them (audited). */
export const weightKeys = [
  'needs',
  'heritage',
  'religion',
  'language',
  'earlyPermanence',
  'contact',
] as const;
export type WeightKey = (typeof weightKeys)[number];
export type MatchingWeights = Record<WeightKey, number>;

export const weightLabels: Record<WeightKey, string> = {
  needs: 'Needs the household can meet',
  heritage: 'Heritage and identity',
  religion: 'Religion',
  language: 'Language',
  earlyPermanence: 'Early permanence',
  contact: 'Contact plan',
};

export const defaultWeights: MatchingWeights = {
  needs: 10,
  heritage: 6,
  religion: 4,
  language: 4,
  earlyPermanence: 5,
  contact: 5,
};

const weightField = (key: WeightKey) =>
  z.coerce
    .number({ error: `Enter a weight for ${weightLabels[key].toLowerCase()}` })
    .int(`The weight for ${weightLabels[key].toLowerCase()} must be a whole number`)
    .min(0, `The weight for ${weightLabels[key].toLowerCase()} must be 0 or more`)
    .max(10, `The weight for ${weightLabels[key].toLowerCase()} must be 10 or less`);

/** Weights from a form or a stored row: each 0–10, and at least one above 0 so a score means something. */
export const weightsSchema = z
  .object(
    Object.fromEntries(weightKeys.map((key) => [key, weightField(key)])) as Record<
      WeightKey,
      ReturnType<typeof weightField>
    >,
  )
  .refine((weights) => weightKeys.some((key) => weights[key] > 0), {
    message: 'Give at least one consideration a weight above 0',
    path: ['needs'],
  });
