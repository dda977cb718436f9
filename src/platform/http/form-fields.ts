// Zod fields every GOV.UK form shares: bounded before they are tidied, so oversized or hostile
// input costs little and is answered beside the field in plain words (GOV.UK error messages).
import { z } from 'zod';
import { isValidIsoDate } from '../time/index.js';
import { cleanText } from './validation.js';

const fewer = (label: string, max: number) =>
  `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`;

/** A select or radio's blank option posts "", which means nothing was chosen. */
export const blankIsMissing = (value: unknown): unknown => (value === '' ? undefined : value);

/** A select or radio: "" counts as not chosen, so the schema's own "choose one" message is given. */
export const chosen = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsMissing, schema);

/** Free text: bounded, tidied, blank becomes null. */
export function optionalText(label: string, max: number) {
  return z
    .string()
    .max(max * 2, fewer(label, max))
    .optional()
    .transform((value) => cleanText(value ?? ''))
    .refine((value) => value.length <= max, fewer(label, max))
    .transform((value) => (value ? value : null));
}

/** Free text that must be given: bounded, tidied, and `missing` when blank. */
export function requiredText(label: string, max: number, missing: string) {
  return z
    .string({ error: missing })
    .max(max * 2, fewer(label, max))
    .transform(cleanText)
    .pipe(z.string().min(1, missing).max(max, fewer(label, max)));
}

/** The record's version the form was built from, for refusing an edit of an out-of-date record. */
export const versionField = z
  .string({ error: 'Reload the page and try again' })
  .regex(/^\d{1,9}$/, 'Reload the page and try again')
  .transform(Number);

type DateParts<P extends string> = Record<
  `${P}-day` | `${P}-month` | `${P}-year`,
  z.ZodOptional<z.ZodString>
>;

function dateParts<const P extends string>(prefix: P) {
  return z.object({
    [`${prefix}-day`]: z.string().max(10).optional(),
    [`${prefix}-month`]: z.string().max(10).optional(),
    [`${prefix}-year`]: z.string().max(10).optional(),
  } as DateParts<P>);
}

/** The three parts as typed, trimmed, and the ISO date they would make. */
function readParts(prefix: string, value: unknown) {
  const parts = value as Record<string, string | undefined>;
  const day = (parts[`${prefix}-day`] ?? '').trim();
  const month = (parts[`${prefix}-month`] ?? '').trim();
  const year = (parts[`${prefix}-year`] ?? '').trim();
  return {
    blank: !day && !month && !year,
    wellFormed: /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year),
    iso: `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`,
  };
}

/** A GOV.UK date input that must be filled in: three fields named prefix-day, prefix-month, prefix-year. */
export function dateFields<const P extends string>(prefix: P, label: string) {
  return dateParts(prefix).transform((value, context) => {
    const { blank, wellFormed, iso } = readParts(prefix, value);
    const refuse = (message: string) => {
      context.addIssue({ code: 'custom', message, path: [`${prefix}-day`] });
      return z.NEVER;
    };
    if (blank) return refuse(`Enter the ${label}`);
    if (!wellFormed) return refuse(`The ${label} must be a real date, like 27 3 2024`);
    if (!isValidIsoDate(iso)) return refuse(`The ${label} must be a real date`);
    return { [prefix]: iso } as Record<P, string>;
  });
}

/** A GOV.UK date input that may be left blank: null when all three parts are empty. */
export function optionalDateFields<const P extends string>(prefix: P, label: string) {
  return dateParts(prefix).transform((value, context) => {
    const { blank, wellFormed, iso } = readParts(prefix, value);
    if (blank) return { [prefix]: null } as Record<P, string | null>;
    if (!wellFormed || !isValidIsoDate(iso)) {
      context.addIssue({
        code: 'custom',
        message: `The ${label} must be a real date, like 27 3 2024`,
        path: [`${prefix}-day`],
      });
      return z.NEVER;
    }
    return { [prefix]: iso } as Record<P, string | null>;
  });
}
