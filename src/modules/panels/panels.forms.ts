// Input for the panel pages, validated at the edge (zod): every field bounded before it is tidied;
// blank choices read as nothing chosen; a refusal is answered beside the field and writes nothing.
import { z } from 'zod';
import { cleanText } from '../../platform/http/validation.js';
import {
  decisionOutcomes,
  itemKinds,
  livedExperiences,
  memberRoles,
  qualityCategories,
  recommendations,
  reviewRoutes,
} from './panels.tables.js';
import {
  blankIsMissing,
  dateFields,
  optionalDateFields,
  optionalText,
  requiredText,
  versionField,
} from '../../platform/http/form-fields.js';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(blankIsMissing, z.enum(values, { error: message }));
}

const uuidChoice = (message: string) =>
  z.preprocess(blankIsMissing, z.string({ error: message }).max(64, message).regex(uuidPattern, message));

/** Checkboxes: one value is a string, several an array, none absent. */
const uuidList = (message: string) =>
  z
    .union([z.string(), z.array(z.string()).max(100)], { error: message })
    .optional()
    .transform((value) => [...new Set(([] as string[]).concat(value ?? []).filter(Boolean))])
    .refine((ids) => ids.every((id) => uuidPattern.test(id)), message);

const yesNo = (message: string) => choice(['yes', 'no'] as const, message);

const optionalCount = (label: string) =>
  z
    .string()
    .max(10)
    .optional()
    .transform((value) => (value ?? '').trim())
    .refine(
      (value) => value === '' || /^\d{1,2}$/.test(value),
      `${label} must be a whole number from 0 to 50`,
    )
    .transform((value) => (value === '' ? null : Number(value)))
    .refine((value) => value === null || value <= 50, `${label} must be a whole number from 0 to 50`);

// ── Panels and the central list ────────────────────────────────────────────────────────────────

export const panelSchema = z.object({
  name: requiredText('The name', 120, 'Enter the name of the panel'),
  organisationId: uuidChoice('Choose the spoke the panel belongs to'),
  joint: yesNo('Say whether the panel is a joint panel of several agencies'),
});
export type PanelInput = z.output<typeof panelSchema>;

const memberFields = z
  .object({
    name: requiredText('The name', 120, 'Enter the member’s name'),
    role: choice(memberRoles, 'Choose the member’s role on the panel'),
    organisation: optionalText('Organisation', 200),
    email: z
      .string()
      .max(254, 'Enter an email address of 254 characters or fewer')
      .optional()
      .transform((value) => cleanText(value ?? '').toLowerCase())
      .refine(
        (value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
        'Enter an email address in the right format, like name@example.org',
      )
      .transform((value) => (value ? value : null)),
    livedExperience: z.preprocess(blankIsMissing, z.enum(livedExperiences).optional()),
    linkedUserEmail: z
      .string()
      .max(254, 'Enter an email address of 254 characters or fewer')
      .optional()
      .transform((value) => cleanText(value ?? '').toLowerCase())
      .transform((value) => (value ? value : null)),
  })
  .and(optionalDateFields('socialWorkQualifiedOn', 'date they qualified as a social worker'))
  .and(dateFields('appointedOn', 'date of appointment'))
  .and(dateFields('reviewDue', 'date the appointment is next reviewed'));

export const newMemberSchema = memberFields;
export type MemberInput = z.output<typeof newMemberSchema>;

export const editMemberSchema = memberFields
  .and(z.object({ version: versionField }))
  .and(optionalDateFields('leftOn', 'date they left the list'));
export type EditMemberInput = z.output<typeof editMemberSchema>;

export const trainingSchema = z
  .object({ course: requiredText('The course', 200, 'Enter the name of the training') })
  .and(dateFields('completedOn', 'date the training was completed'));
export type TrainingInput = z.output<typeof trainingSchema>;

export const interestSchema = z
  .object({ description: requiredText('The interest', 2000, 'Describe the interest being declared') })
  .and(dateFields('declaredOn', 'date it was declared'));
export type InterestInput = z.output<typeof interestSchema>;

// ── Sittings ───────────────────────────────────────────────────────────────────────────────────

export const sittingSchema = z
  .object({
    startsAt: z
      .string()
      .max(10)
      .optional()
      .transform((value) => (value ?? '').trim())
      .refine(
        (value) => value === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
        'Enter the start time like 09:30',
      )
      .transform((value) => (value ? value : null)),
    venue: optionalText('The venue', 200),
  })
  .and(dateFields('sittingDate', 'date of the sitting'));
export type SittingInput = z.output<typeof sittingSchema>;

export const inviteSchema = z.object({
  memberId: uuidList('Choose members from the central list'),
});

export const circulationSchema = z
  .object({
    memberId: uuidList('Choose members from the list'),
    step: choice(['sent', 'received'] as const, 'Say whether the papers were sent or received'),
  })
  .and(dateFields('on', 'date'));
export type CirculationInput = z.output<typeof circulationSchema>;

export const agendaAddSchema = z.object({
  kind: choice(itemKinds, 'Choose the kind of case'),
  caseId: uuidChoice('Choose a case from the list of cases ready for panel'),
});
export type AgendaAddInput = z.output<typeof agendaAddSchema>;

export const paperTitleSchema = z.object({
  title: requiredText('The title', 200, 'Enter a title for the paper, like “Prospective Adopter’s Report”'),
});

export const conflictSchema = z.object({
  memberId: uuidChoice('Choose the member with the conflict of interest'),
  description: requiredText('The conflict', 2000, 'Describe the conflict of interest'),
  withdrew: yesNo('Say whether the member withdrew from this item'),
});
export type ConflictInput = z.output<typeof conflictSchema>;

// ── Minutes ────────────────────────────────────────────────────────────────────────────────────

const minuteFields = {
  reasons: requiredText('The reasons', 10000, 'Give the panel’s reasons for its recommendation'),
  dissent: optionalText('The dissent', 5000),
  conditions: optionalText('The advice', 5000),
  votesFor: optionalCount('Votes in favour'),
  votesAgainst: optionalCount('Votes against'),
  abstentions: optionalCount('Abstentions'),
};

export const minuteSchema = z.object({
  recommendation: choice(recommendations, 'Choose the panel’s recommendation'),
  ...minuteFields,
  version: versionField,
});
export type MinuteInput = z.output<typeof minuteSchema>;

export const amendmentSchema = z.object({
  ...minuteFields,
  amendmentReason: requiredText('The reason', 2000, 'Say why the signed-off minute is being amended'),
  version: versionField,
});
export type AmendmentInput = z.output<typeof amendmentSchema>;

export const signOffSchema = z.object({ version: versionField });

export const qualitySchema = z.object({
  category: choice(qualityCategories, 'Choose what the quality issue is about'),
  note: optionalText('The note', 2000),
});
export type QualityInput = z.output<typeof qualitySchema>;

// ── Decisions ──────────────────────────────────────────────────────────────────────────────────

export const decisionSchema = z
  .object({
    outcome: choice(decisionOutcomes, 'Choose your decision'),
    decisionReasons: requiredText('The reasons', 10000, 'Give the reasons for your decision'),
  })
  .transform((value) => ({ outcome: value.outcome, reasons: value.decisionReasons }));
export type DecisionInput = z.output<typeof decisionSchema>;

export const routeSchema = z
  .object({
    route: choice(reviewRoutes, 'Say whether the applicants made representations or applied to the IRM'),
  })
  .and(dateFields('requestedOn', 'date the request was received'));
export type RouteInput = z.output<typeof routeSchema>;

export const finalDecisionSchema = z
  .object({
    finalOutcome: choice(['approved', 'not_approved'] as const, 'Choose your final decision'),
    finalReasons: requiredText('The reasons', 10000, 'Give the reasons for your final decision'),
  })
  .transform((value) => ({ outcome: value.finalOutcome, reasons: value.finalReasons }));
export type FinalDecisionInput = z.output<typeof finalDecisionSchema>;

export const reportQuerySchema = z.strictObject(
  {
    period: z
      .string()
      .max(10)
      .regex(/^\d{4}-(04|10)-01$/, 'Choose a six-month period starting on 1 April or 1 October')
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `Unknown option: ${issue.keys.join(', ')}` : undefined,
  },
);

export const sittingsQuerySchema = z.strictObject(
  {
    year: z
      .string()
      .max(4)
      .regex(/^20\d\d$/, 'Choose a year from the list')
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `Unknown option: ${issue.keys.join(', ')}` : undefined,
  },
);
