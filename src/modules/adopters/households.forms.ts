// Forms for a household: registering an enquiry's interest, the household's details, and
// recording a step in the pipeline. Bounded before tidied; blank choices read as nothing chosen.
import { z } from 'zod';
import { cleanText } from '../../platform/http/validation.js';
import { isEthnicityCode, needAreas } from '../children/child-codes.js';
import { contactKinds } from '../matching/matching-profiles.js';
import { tidyPostcode } from './enquiry.forms.js';
import {
  applicantDisabilities,
  relationshipStatuses,
  type ApplicantDisability,
} from './households.tables.js';
import { pipelineFactKinds, type PipelineFactKind } from './pipeline.js';
import {
  blankIsMissing,
  dateFields,
  optionalText,
  requiredText,
  versionField,
} from '../../platform/http/form-fields.js';

const postcodeField = z
  .string({ error: 'Enter the postcode' })
  .max(100, 'Enter a real postcode, like SE15 5AB')
  .transform((value, context) => {
    const tidy = tidyPostcode(cleanText(value));
    if (!tidy) {
      context.addIssue({ code: 'custom', message: 'Enter a real postcode, like SE15 5AB' });
      return z.NEVER;
    }
    return tidy;
  });

function applicantFields(n: 1 | 2) {
  const who = n === 1 ? 'the first applicant' : 'the second applicant';
  return z
    .object({
      [`applicant${n}-firstName`]: requiredText('First name', 100, `Enter ${who}'s first name`),
      [`applicant${n}-lastName`]: requiredText('Last name', 100, `Enter ${who}'s last name`),
      [`applicant${n}-sex`]: z.preprocess(
        blankIsMissing,
        z.enum(['1', '2'], { error: `Select ${who}'s sex` }),
      ),
      [`applicant${n}-ethnicity`]: z.preprocess(
        blankIsMissing,
        z
          .string({ error: `Select ${who}'s ethnicity` })
          .max(10)
          .refine(isEthnicityCode, `Select ${who}'s ethnicity from the list`),
      ),
    })
    .and(dateFields(`applicant${n}-dateOfBirth`, `${who}'s date of birth`));
}

export interface ApplicantInput {
  firstName: string;
  lastName: string;
  sex: '1' | '2';
  ethnicity: string;
  dateOfBirth: string;
}

function applicantFrom(values: Record<string, unknown>, n: 1 | 2): ApplicantInput {
  return {
    firstName: values[`applicant${n}-firstName`] as string,
    lastName: values[`applicant${n}-lastName`] as string,
    sex: values[`applicant${n}-sex`] as '1' | '2',
    ethnicity: values[`applicant${n}-ethnicity`] as string,
    dateOfBirth: values[`applicant${n}-dateOfBirth`] as string,
  };
}

const registrationBase = z
  .object({
    relationshipStatus: z.preprocess(
      blankIsMissing,
      z.enum(Object.keys(relationshipStatuses) as [keyof typeof relationshipStatuses], {
        error: 'Select the relationship status',
      }),
    ),
    addressLine1: requiredText('Address line 1', 200, 'Enter the first line of the address'),
    addressLine2: optionalText('Address line 2', 200),
    town: optionalText('Town or city', 100),
    postcode: postcodeField,
  })
  .and(dateFields('receivedOn', 'date the registration of interest was received'))
  .and(applicantFields(1));

/** A couple registers both applicants; a single applicant, one (SSDA903 LS_ADOPTR L0). */
export function parseRegistration(body: unknown) {
  const values = (body ?? {}) as Record<string, unknown>;
  const couple =
    typeof values.relationshipStatus === 'string' &&
    values.relationshipStatus !== '' &&
    values.relationshipStatus !== 'L0';
  const schema = couple ? registrationBase.and(applicantFields(2)) : registrationBase;
  return schema.transform((value) => {
    const record = value as Record<string, unknown>;
    return {
      relationshipStatus: value.relationshipStatus,
      addressLine1: value.addressLine1,
      addressLine2: value.addressLine2,
      town: value.town,
      postcode: value.postcode,
      receivedOn: value.receivedOn,
      applicants: couple ? [applicantFrom(record, 1), applicantFrom(record, 2)] : [applicantFrom(record, 1)],
    };
  });
}
export type RegistrationInput = z.output<ReturnType<typeof parseRegistration>>;

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .max(10)
    .optional()
    .transform((value) => (value ?? '').trim())
    .refine(
      (value) => value === '' || (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max),
      `${label} must be a whole number from ${min} to ${max}`,
    )
    .transform((value) => (value === '' ? undefined : Number(value)));

/** A group of checkboxes: absent, one value or several; only the listed values are accepted. */
const checkboxList = <const T extends readonly [string, ...string[]]>(options: T, message: string) =>
  z
    .union([z.string().max(64), z.array(z.string().max(64)).max(options.length)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean))
    .pipe(z.array(z.enum(options, { error: message })))
    .transform((value) => [...new Set(value)]);

export const householdDetailsSchema = z
  .object({
    version: versionField,
    childrenInHousehold: optionalText('Children in the household', 2000),
    supportNetwork: optionalText('The support network', 5000),
    ageFrom: wholeNumber('The youngest age', 0, 17),
    ageTo: wholeNumber('The oldest age', 0, 17),
    maxChildren: wholeNumber('The number of children', 1, 6),
    siblingGroups: z.string().max(10).optional(),
    earlyPermanence: z.string().max(10).optional(),
    needsCanMeet: optionalText('Needs they could meet', 3000),
    needsCannotMeet: optionalText('Needs they could not meet', 3000),
    needsCanMeetAreas: checkboxList(needAreas, 'Choose needs from the list'),
    needsCannotMeetAreas: checkboxList(needAreas, 'Choose needs from the list'),
    contactSupported: checkboxList(contactKinds, 'Choose contact from the list'),
    contact: optionalText('Contact they would support', 3000),
    previousAdopter: z.string().max(10).optional(),
    approvedFosterCarer: z.string().max(10).optional(),
  })
  .superRefine((value, context) => {
    const both = value.needsCanMeetAreas.filter((area) => value.needsCannotMeetAreas.includes(area));
    if (both.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['needsCannotMeetAreas'],
        message: 'A need cannot be both one they could meet and one they could not',
      });
    }
    if (value.ageFrom !== undefined && value.ageTo !== undefined && value.ageFrom > value.ageTo) {
      context.addIssue({
        code: 'custom',
        path: ['ageTo'],
        message: 'The oldest age must be the same as or more than the youngest',
      });
    }
  })
  .transform((value) => ({
    version: value.version,
    childrenInHousehold: value.childrenInHousehold,
    supportNetwork: value.supportNetwork,
    offer: {
      ageFrom: value.ageFrom,
      ageTo: value.ageTo,
      maxChildren: value.maxChildren,
      siblingGroups: value.siblingGroups === 'yes',
      earlyPermanence: value.earlyPermanence === 'yes',
      needsCanMeet: value.needsCanMeet ?? undefined,
      needsCannotMeet: value.needsCannotMeet ?? undefined,
      needsCanMeetAreas: value.needsCanMeetAreas,
      needsCannotMeetAreas: value.needsCannotMeetAreas,
      contactSupported: value.contactSupported,
      contact: value.contact ?? undefined,
    },
    previousAdopter: value.previousAdopter === 'yes',
    approvedFosterCarer: value.approvedFosterCarer === 'yes',
  }));
export type HouseholdDetailsInput = z.output<typeof householdDetailsSchema>;

const optionalCode = z.preprocess(blankIsMissing, z.string().max(64).optional());

/** A step in the pipeline; which of the optional fields a kind needs is the pipeline's rule to check. */
export const householdFactSchema = z
  .object({
    kind: z.preprocess(
      blankIsMissing,
      z
        .string({ error: 'Select what happened' })
        .max(64)
        .refine(
          (value): value is PipelineFactKind =>
            (pipelineFactKinds as readonly string[]).includes(value) && value !== 'enquiry',
          'Select what happened from the list',
        ),
    ),
    source: requiredText('Where this came from', 100, 'Say where this information came from'),
    supersedes: z.preprocess(blankIsMissing, z.uuid('Choose the step to correct').optional()),
    correctionReason: optionalText('The reason for the correction', 1000),
    registrationDecision: optionalCode,
    fastTrack: optionalCode,
    checkType: optionalCode,
    checkSubject: optionalText('Who the check is about', 120),
    checkStep: optionalCode,
    stageOneOutcome: optionalCode,
    panelRecommendation: optionalCode,
    agencyDecision: optionalCode,
    reviewRoute: optionalCode,
    approvalReviewOutcome: optionalCode,
    withdrawalReason: optionalCode,
    clock: optionalCode,
    pauseReason: optionalCode,
    extensionDays: wholeNumber('The extension', 1, 366),
    delayReason: optionalCode,
    reasonDetail: optionalText('The details', 1000),
  })
  .and(dateFields('effectiveDate', 'date it happened'));
export type HouseholdFactInput = z.output<typeof householdFactSchema>;

/** An applicant's own details beyond the registration (issue 5 §2). */
export const applicantDetailsSchema = z.object({
  version: versionField,
  religion: optionalText('Religion', 100),
  languages: z
    .string()
    .max(1000, 'Languages must be 300 characters or fewer')
    .optional()
    .transform((value) =>
      [
        ...new Set(
          (value ?? '')
            .split(',')
            .map((l) => cleanText(l))
            .filter(Boolean),
        ),
      ].slice(0, 10),
    ),
  health: optionalText('Health', 5000),
  employment: optionalText('Employment', 1000),
  // Optional and self-declared (Equality Act 2010 s.6): unanswered stays null, "not asked yet".
  disability: z.preprocess(
    blankIsMissing,
    z
      .enum(Object.keys(applicantDisabilities) as [ApplicantDisability, ...ApplicantDisability[]], {
        error: 'Select whether they consider themselves to have a disability, or that they prefer not to say',
      })
      .optional()
      .transform((value) => value ?? null),
  ),
});
export type ApplicantDetailsInput = z.output<typeof applicantDetailsSchema>;
