// One zod schema per children form. Every field is bounded before it is tidied, so oversized or
// hostile input costs little and is answered beside the field; nothing is written (issue 4, Bad input).
import { z } from 'zod';
import { cleanText } from '../../platform/http/validation.js';
import { isEthnicityCode, isLegalStatusCode, needAreas } from './child-codes.js';
import { milestoneKinds, planChangeReasons, type MilestoneKind } from './journey.js';
import {
  chosen,
  dateFields,
  optionalText,
  requiredText,
  versionField,
} from '../../platform/http/form-fields.js';

const languagesField = z
  .string()
  .max(1000, 'Languages must be 300 characters or fewer')
  .optional()
  .transform((value) =>
    [
      ...new Set(
        (value ?? '')
          .split(',')
          .map((language) => cleanText(language))
          .filter(Boolean),
      ),
    ].slice(0, 10),
  );

const needsFields = Object.fromEntries(
  needAreas.flatMap((area) => [
    [`needs-${area}`, optionalText('The description of needs', 3000)],
    [`needs-${area}-uncertain`, z.string().max(10).optional()],
  ]),
) as Record<string, z.ZodType>;

export const childDetailsSchema = z
  .object({
    firstName: requiredText('First name', 100, "Enter the child's first name"),
    lastName: requiredText('Last name', 100, "Enter the child's last name"),
    knownAs: optionalText('Known as', 100),
    sex: z.enum(['1', '2'], { error: "Select the child's sex" }),
    ethnicity: chosen(
      z
        .string({ error: "Select the child's ethnicity" })
        .max(10, "Select the child's ethnicity")
        .refine(isEthnicityCode, "Select the child's ethnicity from the list"),
    ),
    languages: languagesField,
    religion: optionalText('Religion', 100),
    legalStatus: z
      .string()
      .max(10)
      .optional()
      .transform((value) => (value ? value : null))
      .refine((value) => value === null || isLegalStatusCode(value), 'Select a legal status from the list'),
    councilSocialWorkerName: optionalText("The council social worker's name", 120),
    councilSocialWorkerEmail: z
      .string()
      .max(500, 'Enter an email address like name@council.gov.uk')
      .optional()
      .transform((value) => cleanText(value ?? '').toLowerCase())
      .refine(
        (value) => value === '' || z.email().safeParse(value).success,
        'Enter an email address like name@council.gov.uk',
      )
      .transform((value) => (value ? value : null)),
    earlyPermanence: z.enum(['not_yet_considered', 'being_considered', 'suitable', 'not_suitable'], {
      error: 'Select whether the child is suitable for early permanence',
    }),
    contactPlan: optionalText('The contact plan', 5000),
    familyFindingStrategy: optionalText('The family-finding strategy', 10000),
    ...needsFields,
  })
  .and(dateFields('dateOfBirth', 'date of birth'))
  .transform((value) => {
    const record = value as Record<string, unknown>;
    const needs = Object.fromEntries(
      needAreas
        .map((area) => [
          area,
          {
            description: (record[`needs-${area}`] as string | null) ?? '',
            uncertain: record[`needs-${area}-uncertain`] === 'yes',
          },
        ])
        .filter(
          ([, entry]) =>
            (entry as { description: string; uncertain: boolean }).description ||
            (entry as { uncertain: boolean }).uncertain,
        ),
    );
    return {
      firstName: value.firstName,
      lastName: value.lastName,
      knownAs: value.knownAs,
      sex: value.sex,
      ethnicity: value.ethnicity,
      languages: value.languages,
      religion: value.religion,
      legalStatus: value.legalStatus,
      councilSocialWorkerName: value.councilSocialWorkerName,
      councilSocialWorkerEmail: value.councilSocialWorkerEmail,
      earlyPermanence: value.earlyPermanence,
      contactPlan: value.contactPlan,
      familyFindingStrategy: value.familyFindingStrategy,
      dateOfBirth: value.dateOfBirth,
      needs,
    };
  });
export type ChildDetailsInput = z.output<typeof childDetailsSchema>;

export const newChildSchema = z
  .object({
    councilId: chosen(
      z
        .string({ error: "Select the child's council" })
        .max(64, "Select the child's council from the list")
        .pipe(z.uuid("Select the child's council from the list")),
    ),
    councilChildId: z
      .string({ error: "Enter the council's child ID" })
      .max(40, "The council's child ID must be 10 letters or numbers or fewer")
      .transform((value) => value.trim())
      .pipe(
        z
          .string()
          .min(1, "Enter the council's child ID")
          .regex(
            /^[A-Za-z0-9]{1,10}$/,
            "The council's child ID must be 10 letters or numbers or fewer, with no spaces",
          ),
      ),
  })
  .and(childDetailsSchema);
export type NewChildInput = z.output<typeof newChildSchema>;

export const editChildSchema = z.object({ version: versionField }).and(childDetailsSchema);
export type EditChildInput = z.output<typeof editChildSchema>;

const recordableKinds = milestoneKinds.filter((kind) => kind !== 'family_finder_allocated');

export const factSchema = z
  .object({
    kind: chosen(
      z
        .string({ error: 'Select what happened' })
        .max(64, 'Select what happened from the list')
        .refine(
          (value): value is MilestoneKind => (recordableKinds as readonly string[]).includes(value),
          'Select what happened from the list',
        ),
    ),
    source: requiredText('Where this came from', 100, 'Say where this information came from'),
    note: optionalText('The note', 2000),
    planChangeReason: z
      .string()
      .max(10)
      .optional()
      .transform((value) => (value ? value : null))
      .refine(
        (value) => value === null || Object.hasOwn(planChangeReasons, value),
        'Select why the plan changed from the list',
      ),
    disruptionTiming: z
      .string()
      .max(20)
      .optional()
      .transform((value) => (value ? value : null))
      .refine(
        (value) => value === null || value === 'before_order' || value === 'after_order',
        'Select whether the disruption was before or after the adoption order',
      ),
    supersedes: z
      .string()
      .max(64)
      .optional()
      .transform((value) => (value ? value : null))
      .refine((value) => value === null || z.uuid().safeParse(value).success, 'Choose the fact to correct'),
    correctionReason: optionalText('The reason for the correction', 1000),
  })
  .and(dateFields('effectiveDate', 'date it happened'));
export type FactInput = z.output<typeof factSchema>;

export const allocateSchema = z
  .object({
    familyFinderId: chosen(
      z
        .string({ error: 'Select a family finder' })
        .max(64, 'Select a family finder from the list')
        .pipe(z.uuid('Select a family finder from the list')),
    ),
    version: versionField,
  })
  .and(dateFields('allocatedOn', 'date of allocation'));
export type AllocateInput = z.output<typeof allocateSchema>;

export const siblingSchema = z.object({
  siblingCouncilId: chosen(
    z
      .string({ error: "Select the sibling's council" })
      .max(64, "Select the sibling's council from the list")
      .pipe(z.uuid("Select the sibling's council from the list")),
  ),
  siblingChildId: z
    .string({ error: "Enter the sibling's child ID" })
    .max(40, "The sibling's child ID must be 10 letters or numbers or fewer")
    .transform((value) => value.trim())
    .pipe(
      z
        .string()
        .min(1, "Enter the sibling's child ID")
        .regex(
          /^[A-Za-z0-9]{1,10}$/,
          "The sibling's child ID must be 10 letters or numbers or fewer, with no spaces",
        ),
    ),
  placementPlan: z.enum(['together', 'apart', 'to_be_decided'], {
    error: 'Select whether the children are to be placed together or apart',
  }),
  reason: optionalText('The reason', 2000),
});
export type SiblingInput = z.output<typeof siblingSchema>;

export const birthFamilySchema = z.object({
  version: versionField,
  birthMotherName: optionalText("The birth mother's name", 120),
  birthFatherName: optionalText("The birth father's name", 120),
  birthFamilyPostcodeDistrict: z
    .string()
    .max(20, 'Enter a postcode district like SE15')
    .optional()
    .transform((value) =>
      cleanText(value ?? '')
        .toUpperCase()
        .replace(/\s+/g, ''),
    )
    .refine(
      (value) => value === '' || /^[A-Z]{1,2}[0-9][0-9A-Z]?$/.test(value),
      'Enter a postcode district like SE15',
    )
    .transform((value) => (value ? value : null)),
  otherRelatives: optionalText('Other relatives', 5000),
  notes: optionalText('The notes', 10000),
});
export type BirthFamilyInput = z.output<typeof birthFamilySchema>;

export const profileSchema = z.object({
  version: versionField,
  profileText: optionalText('The profile', 20000),
});
export type ProfileInput = z.output<typeof profileSchema>;

export const taskActionSchema = z.object({ version: versionField });
