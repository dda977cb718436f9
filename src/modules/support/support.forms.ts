// One zod schema per support form (issue 8). Every field is bounded before it is tidied, blank
// choices read as nothing chosen, and a message is written for the person filling in the form.
import { z } from 'zod';
import { cleanText } from '../../platform/http/validation.js';
import { tidyPostcode } from '../adopters/enquiry.forms.js';
import {
  assessmentOutcomes,
  caseKinds,
  fundCategories,
  fundStatuses,
  goalResponsibles,
  goalStatuses,
  liaisonKinds,
  offerAudiences,
  offerKinds,
  personRelationships,
  recordCheckKinds,
  recordOutcomes,
  recordRequestKinds,
  referralSources,
} from './support.tables.js';
import {
  chosen,
  dateFields,
  optionalDateFields,
  optionalText,
  requiredText,
  versionField,
} from '../../platform/http/form-fields.js';

/** Long text that keeps its line breaks (letters): only control characters are removed. */
function letterText(label: string, max: number, missing: string) {
  return (
    z
      .string({ error: missing })
      .max(max * 2, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)
      // cleanText keeps line breaks; letters also get one kind of line ending.
      .transform((value) => cleanText(value).replace(/\r\n?/g, '\n'))
      .pipe(
        z
          .string()
          .min(1, missing)
          .max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`),
      )
  );
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalId = (message: string) =>
  z
    .string()
    .max(40)
    .optional()
    .transform((value) => (value ? value : null))
    .refine((value) => value === null || uuidPattern.test(value), message);
const requiredId = (message: string) =>
  z.string({ error: message }).max(40, message).regex(uuidPattern, message);

/** Pounds and pence as typed ("1,250", "£1,250.50") to whole pence; never a float. */
function money(label: string, options: { required: boolean }) {
  return z
    .string()
    .max(30, `Enter ${label} in pounds, like 1250.00`)
    .optional()
    .transform((value, context) => {
      const tidy = (value ?? '').replace(/[£,\s]/g, '');
      if (!tidy) {
        if (options.required) {
          context.addIssue({ code: 'custom', message: `Enter ${label}` });
          return z.NEVER;
        }
        return 0;
      }
      const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(tidy);
      if (!match) {
        context.addIssue({ code: 'custom', message: `Enter ${label} in pounds, like 1250.00` });
        return z.NEVER;
      }
      return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
    });
}

const postcodeField = z
  .string()
  .max(100, 'Enter a real postcode, like SE15 5AB')
  .optional()
  .transform((value, context) => {
    const cleaned = cleanText(value ?? '');
    if (!cleaned) return null;
    const tidy = tidyPostcode(cleaned);
    if (!tidy) {
      context.addIssue({ code: 'custom', message: 'Enter a real postcode, like SE15 5AB' });
      return z.NEVER;
    }
    return tidy;
  });

const emailField = z
  .string()
  .max(254, 'Enter an email address, like name@example.com')
  .optional()
  .transform((value) => cleanText(value ?? '').toLowerCase())
  .refine(
    (value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
    'Enter an email address, like name@example.com',
  )
  .transform((value) => (value ? value : null));

const phoneField = z
  .string()
  .max(100, 'Enter a phone number, like 020 7946 0000')
  .optional()
  .transform((value) => cleanText(value ?? ''))
  .refine(
    (value) => value === '' || /^\+?[0-9]{10,14}$/.test(value.replace(/[\s()-]/g, '')),
    'Enter a phone number, like 020 7946 0000',
  )
  .transform((value) => (value ? value : null));

const yesNo = (message: string) =>
  chosen(z.enum(['yes', 'no'], { error: message })).transform((v) => v === 'yes');

// ── Cases ─────────────────────────────────────────────────────────────────────────────────────

const caseFields = z
  .object({
    kind: chosen(z.enum(caseKinds, { error: 'Choose who the request is from' })),
    referralSource: chosen(z.enum(referralSources, { error: 'Choose how the request came to us' })),
    referralReason: requiredText('What they asked for', 5000, 'Say what they asked for'),
    allocatedWorkerId: optionalId('Choose a worker from the list'),
    placingCouncilId: optionalId('Choose the placing council from the list'),
    residenceCouncilId: optionalId('Choose the council where they live from the list'),
    householdReference: z
      .string()
      .max(20, 'Enter a household reference, like ABCD-EFGH')
      .optional()
      .transform((value) => cleanText(value ?? '').toUpperCase())
      .refine(
        (value) => value === '' || /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/.test(value),
        'Enter a household reference, like ABCD-EFGH',
      )
      .transform((value) => (value ? value : null)),
    familyName: optionalText('The family’s name', 200),
    familySurnames: z
      .string()
      .max(600, 'Surnames must be 300 characters or fewer')
      .optional()
      .transform((value) =>
        [
          ...new Set(
            (value ?? '')
              .split(',')
              .map((part) => cleanText(part))
              .filter(Boolean),
          ),
        ].slice(0, 6),
      ),
    addressLine1: optionalText('Address line 1', 200),
    addressLine2: optionalText('Address line 2', 200),
    town: optionalText('Town or city', 100),
    postcode: postcodeField,
    email: emailField,
    phone: phoneField,
    school: optionalText('School', 200),
    firstName: optionalText('First name', 100),
    lastName: optionalText('Last name', 100),
    relationship: chosen(
      z.enum(personRelationships, { error: 'Choose their relationship to the adopted person' }).optional(),
    ),
  })
  .and(dateFields('referralOn', 'date the request came in'))
  .and(optionalDateFields('dateOfBirth', 'date of birth'))
  .and(optionalDateFields('adoptedOn', 'date of the adoption'))
  .superRefine((value, context) => {
    if (value.kind === 'adoptive_family') {
      if (!value.householdReference && !value.familyName) {
        context.addIssue({
          code: 'custom',
          path: ['familyName'],
          message: 'Enter the household reference, or the family’s name if they adopted before Kindred',
        });
      }
      return;
    }
    if (!value.firstName)
      context.addIssue({ code: 'custom', path: ['firstName'], message: 'Enter their first name' });
    if (!value.lastName)
      context.addIssue({ code: 'custom', path: ['lastName'], message: 'Enter their last name' });
    if (value.kind === 'birth_relative' && (!value.relationship || value.relationship === 'adopted_adult')) {
      context.addIssue({
        code: 'custom',
        path: ['relationship'],
        message: 'Choose their relationship to the adopted person',
      });
    }
  });

export const caseSchema = caseFields;
export type CaseInput = z.output<typeof caseSchema>;

export const caseEditSchema = caseFields
  .and(
    z.object({
      version: versionField,
      status: chosen(z.enum(['open', 'closed'], { error: 'Choose whether the case is open or closed' })),
      closedReason: optionalText('Why the case closed', 2000),
    }),
  )
  .superRefine((value, context) => {
    if (value.status === 'closed' && !value.closedReason) {
      context.addIssue({ code: 'custom', path: ['closedReason'], message: 'Say why the case is closing' });
    }
  });
export type CaseEditInput = z.output<typeof caseEditSchema>;

export const childSchema = z
  .object({
    firstName: requiredText('First name', 100, 'Enter the child’s first name now'),
    lastName: requiredText('Last name', 100, 'Enter the child’s last name now'),
    birthFirstName: optionalText('First name at birth', 100),
    birthLastName: optionalText('Last name at birth', 100),
  })
  .and(dateFields('dateOfBirth', 'child’s date of birth'))
  .and(optionalDateFields('adoptionOrderOn', 'date of the adoption order'));
export type ChildInput = z.output<typeof childSchema>;

export const assessmentRequestSchema = dateFields('requestedOn', 'date the assessment was asked for');

export const assessmentCompleteSchema = z
  .object({
    version: versionField,
    outcome: chosen(z.enum(assessmentOutcomes, { error: 'Choose the outcome of the assessment' })),
    assessmentSummary: requiredText('The summary', 5000, 'Summarise the assessment of needs'),
  })
  .and(dateFields('completedOn', 'date the assessment was completed'));

const goalField = (n: number) => optionalText(`Goal ${n}`, 1000);
const responsibleField = chosen(z.enum(goalResponsibles, { error: 'Choose who is responsible' }).optional());

export const planSchema = z
  .object({
    assessmentId: optionalId('Choose the assessment from the list'),
    planSummary: requiredText('The plan', 5000, 'Summarise the support plan'),
    'goal-1': goalField(1),
    'responsible-1': responsibleField,
    'goal-2': goalField(2),
    'responsible-2': responsibleField,
    'goal-3': goalField(3),
    'responsible-3': responsibleField,
    'goal-4': goalField(4),
    'responsible-4': responsibleField,
  })
  .and(optionalDateFields('proposalSentOn', 'date the notice of proposal was sent'))
  .and(dateFields('agreedOn', 'date the plan was agreed'))
  .and(dateFields('reviewOn', 'review date'))
  .transform((value, context) => {
    const goals = [1, 2, 3, 4].flatMap((n) => {
      const goal = value[`goal-${n}` as 'goal-1'];
      const responsible = value[`responsible-${n}` as 'responsible-1'];
      if (!goal) return [];
      if (!responsible) {
        context.addIssue({
          code: 'custom',
          path: [`responsible-${n}`],
          message: `Choose who is responsible for goal ${n}`,
        });
        return [];
      }
      return [{ goal, responsible }];
    });
    if (goals.length === 0) {
      context.addIssue({ code: 'custom', path: ['goal-1'], message: 'Enter at least one goal for the plan' });
    }
    if (value.reviewOn <= value.agreedOn) {
      context.addIssue({
        code: 'custom',
        path: ['reviewOn-day'],
        message: 'The review date must be after the date the plan was agreed',
      });
    }
    return {
      assessmentId: value.assessmentId,
      summary: value.planSummary,
      proposalSentOn: value.proposalSentOn,
      agreedOn: value.agreedOn,
      reviewOn: value.reviewOn,
      goals,
    };
  });
export type PlanInput = z.output<typeof planSchema>;

export const planReviewSchema = z
  .looseObject({
    version: versionField,
    reviewNote: requiredText('The review', 5000, 'Say what the review found'),
  })
  .and(dateFields('reviewedOn', 'date of the review'))
  .and(optionalDateFields('nextReviewOn', 'next review date'));

export const goalStatusSchema = z.enum(goalStatuses, { error: 'Choose where each goal has got to' });

export const liaisonSchema = z
  .object({
    councilId: requiredId('Choose the council the note is for'),
    liaisonKind: chosen(z.enum(liaisonKinds, { error: 'Choose what the liaison is about' })),
    section47Status: chosen(z.enum(['started', 'concluded']).optional()),
    raaActions: optionalText('What the RAA will do', 2000),
    councilActions: optionalText('What the council will do', 2000),
    note: requiredText('The note', 5000, 'Write the note'),
  })
  .superRefine((value, context) => {
    if (value.liaisonKind === 'section_47' && !value.section47Status) {
      context.addIssue({
        code: 'custom',
        path: ['section47Status'],
        message: 'Say whether the section 47 enquiry has started or concluded',
      });
    }
  })
  .transform(({ liaisonKind, ...value }) => ({
    ...value,
    kind: liaisonKind,
    section47Status: liaisonKind === 'section_47' ? (value.section47Status ?? null) : null,
  }));
export type LiaisonInput = z.output<typeof liaisonSchema>;

export const councilLiaisonSchema = z
  .object({
    liaisonKind: chosen(z.enum(liaisonKinds, { error: 'Choose what the liaison is about' })),
    section47Status: chosen(z.enum(['started', 'concluded']).optional()),
    raaActions: optionalText('What the RAA will do', 2000),
    councilActions: optionalText('What the council will do', 2000),
    note: requiredText('The note', 5000, 'Write the note'),
  })
  .superRefine((value, context) => {
    if (value.liaisonKind === 'section_47' && !value.section47Status) {
      context.addIssue({
        code: 'custom',
        path: ['section47Status'],
        message: 'Say whether the section 47 enquiry has started or concluded',
      });
    }
  })
  .transform(({ liaisonKind, ...value }) => ({
    ...value,
    kind: liaisonKind,
    section47Status: liaisonKind === 'section_47' ? (value.section47Status ?? null) : null,
  }));

// ── The Adoption Support Fund ─────────────────────────────────────────────────────────────────

export const serviceTypes = {
  therapeutic_parenting: 'Therapeutic parenting support',
  dyadic_developmental_psychotherapy: 'Dyadic developmental psychotherapy',
  theraplay: 'Theraplay',
  play_and_creative_therapies: 'Play, art, music or drama therapy',
  sensory_integration: 'Sensory integration therapy',
  family_therapy: 'Family therapy',
  life_story_work: 'Therapeutic life story work',
  multidisciplinary_assessment: 'Multi-disciplinary assessment',
  cognitive_assessment: 'Cognitive or neuropsychological assessment',
  other: 'Something else',
} as const;
export type ServiceType = keyof typeof serviceTypes;

export const fundSchema = z
  .object({
    supportChildId: requiredId('Choose the child the application is for'),
    category: chosen(z.enum(fundCategories, { error: 'Choose therapy or specialist assessment' })),
    serviceType: chosen(
      z.enum(Object.keys(serviceTypes) as [ServiceType, ...ServiceType[]], {
        error: 'Choose the kind of service',
      }),
    ),
    providerId: optionalId('Choose a provider from the list'),
    providerName: optionalText('The provider’s name', 200),
    description: requiredText('The description', 2000, 'Describe the service and what it is for'),
    totalCost: money('the cost of the service', { required: true }),
    matchFunding: money('the council’s match funding', { required: false }),
    councilId: optionalId('Choose the council from the list'),
    exceptionReason: optionalText('The reason for an exception', 2000),
  })
  .and(dateFields('startsOn', 'date the service starts'))
  .superRefine((value, context) => {
    if (!value.providerId && !value.providerName) {
      context.addIssue({
        code: 'custom',
        path: ['providerId'],
        message: 'Choose the provider, or enter its name',
      });
    }
    if (value.totalCost <= 0) {
      context.addIssue({
        code: 'custom',
        path: ['totalCost'],
        message: 'The cost of the service must be more than £0',
      });
    }
    if (value.matchFunding > 0 && !value.councilId) {
      context.addIssue({
        code: 'custom',
        path: ['councilId'],
        message: 'Choose the council that gives the match funding',
      });
    }
  });
export type FundInput = z.output<typeof fundSchema>;

export const fundMoveSchema = z
  .object({
    version: versionField,
    to: chosen(z.enum(fundStatuses, { error: 'Choose what happened to the application' })),
    amount: money('the amount', { required: false }),
    note: optionalText('The note', 2000),
  })
  .and(optionalDateFields('on', 'date'));
export type FundMoveInput = z.output<typeof fundMoveSchema>;

// ── Core offer ────────────────────────────────────────────────────────────────────────────────

export const offerSchema = z
  .object({
    kind: chosen(z.enum(offerKinds, { error: 'Choose the kind of offer' })),
    audience: chosen(z.enum(offerAudiences, { error: 'Choose who it is for' })),
    title: requiredText('The title', 200, 'Enter a title'),
    description: optionalText('The description', 2000),
    reach: z
      .string()
      .max(10, 'Enter how many it was sent to as a whole number')
      .optional()
      .transform((value) => (value ?? '').trim())
      .refine(
        (value) => value === '' || /^\d{1,6}$/.test(value),
        'Enter how many it was sent to as a whole number',
      )
      .transform((value) => (value === '' ? null : Number(value))),
  })
  .and(dateFields('heldOn', 'date'));
export type OfferInput = z.output<typeof offerSchema>;

export const attendanceSchema = z.object({
  attendee: requiredText('Who attended', 200, 'Enter who came, or the family'),
  caseReference: z
    .string()
    .max(20)
    .optional()
    .transform((value) => cleanText(value ?? '').toUpperCase())
    .refine(
      (value) => value === '' || /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/.test(value),
      'Enter a support case reference, like ABCD-EFGH',
    )
    .transform((value) => (value ? value : null)),
  attended: yesNo('Say whether they came'),
  rating: chosen(
    z.enum(['1', '2', '3', '4', '5'], { error: 'Choose a rating from 1 to 5' }).optional(),
  ).transform((v) => (v ? Number(v) : null)),
  feedback: optionalText('Their feedback', 2000),
});
export type AttendanceInput = z.output<typeof attendanceSchema>;

// ── Letterbox ─────────────────────────────────────────────────────────────────────────────────

const monthList = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];

function relativeFields(n: 1 | 2 | 3) {
  return {
    [`relative${n}-name`]: optionalText(`Birth relative ${n}’s name`, 200),
    [`relative${n}-relationship`]: optionalText(`Birth relative ${n}’s relationship`, 100),
    [`relative${n}-writes`]: z.unknown().optional(),
    [`relative${n}-receives`]: z.unknown().optional(),
    [`relative${n}-addressLine1`]: optionalText(`Birth relative ${n}’s address line 1`, 200),
    [`relative${n}-addressLine2`]: optionalText(`Birth relative ${n}’s address line 2`, 200),
    [`relative${n}-town`]: optionalText(`Birth relative ${n}’s town`, 100),
    [`relative${n}-postcode`]: postcodeField,
    [`relative${n}-email`]: emailField,
    [`relative${n}-prefersEmail`]: z.unknown().optional(),
  } as const;
}

export interface RelativeInput {
  name: string;
  relationship: string | null;
  writes: boolean;
  receives: boolean;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  email: string | null;
  prefersEmail: boolean;
}

export const agreementSchema = z
  .object({
    supportChildId: optionalId('Choose the child from the list'),
    months: z
      .unknown()
      .optional()
      .transform(monthList)
      .pipe(z.array(z.string().regex(/^(?:[1-9]|1[0-2])$/, 'Choose months from the list')).max(12)),
    familyWrites: z.unknown().optional(),
    familyReceives: z.unknown().optional(),
    familyName: requiredText(
      'What the letters call the family',
      200,
      'Say how the family signs its letters, for example “Mum and Dad”',
    ),
    ...relativeFields(1),
    ...relativeFields(2),
    ...relativeFields(3),
  })
  .and(dateFields('startsOn', 'date the agreement starts'))
  .and(optionalDateFields('reviewOn', 'review date'))
  .transform((value, context) => {
    const months = [...new Set(value.months.map(Number))].sort((a, b) => a - b);
    if (months.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['months'],
        message: 'Choose the month or months the letters are exchanged',
      });
    }
    if (months.length > 4) {
      context.addIssue({ code: 'custom', path: ['months'], message: 'Choose up to four months a year' });
    }
    const record = value as Record<string, unknown>;
    const relatives: RelativeInput[] = [];
    for (const n of [1, 2, 3] as const) {
      const name = record[`relative${n}-name`] as string | null;
      if (!name) continue;
      const postcode = record[`relative${n}-postcode`] as { postcode: string } | null;
      const email = record[`relative${n}-email`] as string | null;
      const relative: RelativeInput = {
        name,
        relationship: record[`relative${n}-relationship`] as string | null,
        writes: record[`relative${n}-writes`] === 'yes',
        receives: record[`relative${n}-receives`] === 'yes',
        addressLine1: record[`relative${n}-addressLine1`] as string | null,
        addressLine2: record[`relative${n}-addressLine2`] as string | null,
        town: record[`relative${n}-town`] as string | null,
        postcode: postcode?.postcode ?? null,
        email,
        prefersEmail: record[`relative${n}-prefersEmail`] === 'yes',
      };
      if (!relative.writes && !relative.receives) {
        context.addIssue({
          code: 'custom',
          path: [`relative${n}-writes`],
          message: `Say whether ${name} writes, receives letters, or both`,
        });
      }
      if (relative.receives && !relative.addressLine1 && !relative.email) {
        context.addIssue({
          code: 'custom',
          path: [`relative${n}-addressLine1`],
          message: `Enter ${name}’s address or email, so letters can reach them`,
        });
      }
      if (relative.prefersEmail && !relative.email) {
        context.addIssue({
          code: 'custom',
          path: [`relative${n}-email`],
          message: `Enter ${name}’s email address, or untick email`,
        });
      }
      relatives.push(relative);
    }
    if (relatives.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['relative1-name'],
        message: 'Name at least one birth relative in the agreement',
      });
    }
    const familyWrites = value.familyWrites === 'yes';
    const familyReceives = value.familyReceives === 'yes';
    if (!familyWrites && !familyReceives) {
      context.addIssue({
        code: 'custom',
        path: ['familyWrites'],
        message: 'Say whether the family writes, receives letters, or both',
      });
    }
    return {
      supportChildId: value.supportChildId,
      months,
      startsOn: value.startsOn,
      reviewOn: value.reviewOn,
      familyName: value.familyName,
      familyWrites,
      familyReceives,
      relatives,
    };
  });
export type AgreementInput = z.output<typeof agreementSchema>;

export const agreementEndSchema = z
  .object({
    version: versionField,
    reason: requiredText('The reason', 2000, 'Say why the agreement is ending'),
  })
  .and(dateFields('endedOn', 'date the agreement ends'));

export const exchangeSchema = z
  .object({
    fromPartyId: requiredId('Choose who the item is from'),
    forPeriod: z
      .string({ error: 'Choose the exchange the item is for' })
      .regex(/^\d{4}-\d{2}-01$/, 'Choose the exchange the item is for'),
    originalText: letterText('The item', 20_000, 'Type or paste the text of the item as it arrived'),
  })
  .and(dateFields('receivedOn', 'date the item arrived'));
export type ExchangeInput = z.output<typeof exchangeSchema>;

export const checkSchema = z.object({
  version: versionField,
  redactedText: letterText(
    'The checked text',
    20_000,
    'Enter the text as it will be passed on, with identifying details removed',
  ),
  redactionNote: requiredText(
    'What was removed',
    2000,
    'Say what you removed, or that you found nothing identifying',
  ),
});

export const holdSchema = z.object({
  version: versionField,
  reason: requiredText('The reason', 2000, 'Say why the item is being held'),
});

export const versionOnlySchema = z.object({ version: versionField });

// ── Records and intermediary services ────────────────────────────────────────────────────────

export const recordRequestSchema = z
  .object({
    requestKind: chosen(z.enum(recordRequestKinds, { error: 'Choose the kind of request' })),
    soughtPerson: optionalText('Who they are looking for', 500),
    details: optionalText('The details', 5000),
  })
  .and(dateFields('receivedOn', 'date the request came in'));

export const recordCheckSchema = z
  .object({
    checkKind: chosen(z.enum(recordCheckKinds, { error: 'Choose the check' })),
    checkNote: optionalText('The note', 2000),
  })
  .and(dateFields('doneOn', 'date of the check'));

export const recordOutcomeSchema = z
  .object({
    version: versionField,
    outcome: chosen(z.enum(recordOutcomes, { error: 'Choose the outcome' })),
    outcomeNote: optionalText('The note', 5000),
  })
  .and(dateFields('outcomeOn', 'date of the outcome'));

// ── Query strings ─────────────────────────────────────────────────────────────────────────────

export const caseloadQuerySchema = z.strictObject(
  {
    kind: chosen(z.enum(caseKinds, { error: 'Choose a kind of case from the list' }).optional()),
    status: chosen(
      z.enum(['open', 'closed', 'all'], { error: 'Choose open, closed or all cases' }).optional(),
    ),
    worker: chosen(z.enum(['mine', 'all'], { error: 'Choose your cases or everyone’s' }).optional()),
    q: z.string().max(100, 'Search for 100 characters or fewer').optional(),
    page: z.coerce.number({ error: 'The page must be a number' }).int().min(1).max(10_000).optional(),
    done: z.string().max(40).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `Unknown filter: ${issue.keys.join(', ')}` : undefined,
  },
);

export const spendQuerySchema = z.strictObject(
  {
    year: z.coerce
      .number({ error: 'Choose a financial year from the list' })
      .int()
      .min(2015, 'Choose a financial year from the list')
      .max(2100, 'Choose a financial year from the list')
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `Unknown filter: ${issue.keys.join(', ')}` : undefined,
  },
);
