// Input for the matching pages, validated at the edge (zod). Query strings are strict: an unknown
// filter is refused with a sentence rather than silently ignored (issue 6, bad input).
import { z } from 'zod';
import { cleanText } from '../../platform/http/validation.js';
import { contactKinds, separationRules, type ChildMatchingConsiderations } from './matching-profiles.js';
import { poolKinds } from './matching.service.js';
import { activityKinds, linkStates } from './matching.tables.js';

const yesNo = z.enum(['yes', 'no']).optional();
const uuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'Choose a household from the list',
  );

export const candidateFiltersSchema = z
  .strictObject(
    {
      pool: z.enum(poolKinds, { error: 'Choose which pool to search: all, own or partners' }).optional(),
      compatible: yesNo,
      minScore: z.coerce
        .number({ error: 'The lowest score must be a number from 0 to 100' })
        .int('The lowest score must be a whole number from 0 to 100')
        .min(0, 'The lowest score must be a whole number from 0 to 100')
        .max(100, 'The lowest score must be a whole number from 0 to 100')
        .optional(),
      earlyPermanence: yesNo,
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `Unknown filter: ${issue.keys.join(', ')}` : undefined,
    },
  )
  .transform((value) => ({
    pool: value.pool ?? 'all',
    compatibleOnly: value.compatible !== 'no',
    minScore: value.minScore ?? 0,
    earlyPermanence: value.earlyPermanence === 'yes',
  }));

export const householdFiltersSchema = z
  .strictObject(
    {
      compatible: yesNo,
      minScore: z.coerce
        .number({ error: 'The lowest score must be a number from 0 to 100' })
        .int('The lowest score must be a whole number from 0 to 100')
        .min(0, 'The lowest score must be a whole number from 0 to 100')
        .max(100, 'The lowest score must be a whole number from 0 to 100')
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `Unknown filter: ${issue.keys.join(', ')}` : undefined,
    },
  )
  .transform((value) => ({ compatibleOnly: value.compatible !== 'no', minScore: value.minScore ?? 0 }));

/** ?household=a&household=b: up to four to compare. */
export const compareSchema = z.strictObject({
  household: z
    .union([uuid, z.array(uuid)], { error: 'Choose between two and four households to compare' })
    .transform((value) => [...new Set(Array.isArray(value) ? value : [value])])
    .refine((ids) => ids.length >= 2, 'Choose at least two households to compare')
    .refine((ids) => ids.length <= 4, 'You can compare up to four households at a time'),
});

export const shortlistSchema = z.object({ householdId: uuid });

export const exclusionSchema = z.object({
  householdId: uuid,
  reason: z
    .string({ error: 'Say why the council is excluding this household' })
    .max(2000, 'The reason must be 2,000 characters or fewer')
    .transform(cleanText)
    .refine((value) => value.length > 0, 'Say why the council is excluding this household'),
});

const optionalNote = z
  .string()
  .max(2000, 'The note must be 2,000 characters or fewer')
  .optional()
  .transform((value) => {
    const cleaned = cleanText(value ?? '');
    return cleaned === '' ? null : cleaned;
  });

export const linkMoveSchema = z.object({
  to: z.enum(linkStates, { error: 'Choose what happened next' }),
  version: z.coerce.number().int().min(1),
  note: optionalNote,
  expressedBy: z
    .enum(['household', 'child_side'])
    .optional()
    .transform((value) => value ?? null),
  closedReason: optionalNote,
});

/** A real calendar date from the GOV.UK date input's three fields, or a message for the field. */
function isoDateFrom(day: string, month: string, year: string): string | { message: string } {
  if (!day || !month || !year) return { message: 'Enter the date of the activity' };
  const iso = `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(iso) &&
    !Number.isNaN(parsed.getTime()) &&
    parsed.toISOString().slice(0, 10) === iso;
  return real ? iso : { message: 'The date of the activity must be a real date' };
}

const datePart = z
  .string()
  .max(6)
  .optional()
  .transform((value) => (value ?? '').trim());

/** An activity in the family-finding log; the route checks the date is not in the future. */
export const activitySchema = z
  .object({
    kind: z.enum(activityKinds, { error: 'Choose the kind of activity' }),
    'date-day': datePart,
    'date-month': datePart,
    'date-year': datePart,
    note: z
      .string({ error: 'Describe the activity' })
      .max(2000, 'The description must be 2,000 characters or fewer')
      .transform(cleanText)
      .refine((value) => value.length > 0, 'Describe the activity'),
  })
  .transform((value, context) => {
    const date = isoDateFrom(value['date-day'], value['date-month'], value['date-year']);
    if (typeof date !== 'string') {
      context.addIssue({ code: 'custom', path: ['date'], message: date.message });
      return z.NEVER;
    }
    return { kind: value.kind, note: value.note, date };
  });

const checkbox = (value: unknown): boolean => value === 'yes';
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];

export const considerationsSchema = z
  .object({
    version: z.coerce.number().int().min(1),
    heritage: z.unknown().optional(),
    religion: z.unknown().optional(),
    language: z.unknown().optional(),
    contactRequired: z
      .unknown()
      .optional()
      .transform(list)
      .pipe(
        z.array(z.enum(contactKinds, { error: 'Choose contact from the list' })).max(contactKinds.length),
      ),
    separation: z.enum(separationRules, {
      error: "Choose how far the child must live from the birth family's area",
    }),
  })
  .transform((value): { version: number; considerations: ChildMatchingConsiderations } => ({
    version: value.version,
    considerations: {
      heritage: checkbox(value.heritage),
      religion: checkbox(value.religion),
      language: checkbox(value.language),
      contactRequired: [...new Set(value.contactRequired)],
      separation: value.separation,
    },
  }));
