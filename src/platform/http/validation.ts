// Turning zod results into what GOV.UK forms show: an error summary linking to each field and
// a message beside the field. Invalid input re-renders the form at 400 and writes nothing.
import type { z } from 'zod';
import type { FieldError } from './errors.js';

export interface GovukErrorItem {
  text: string;
  href: string;
}

export type FormResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      errors: FieldError[];
      errorList: GovukErrorItem[];
      fieldErrors: Record<string, { text: string }>;
    };

export function fieldErrorView(errors: FieldError[]): Omit<Extract<FormResult<never>, { ok: false }>, 'ok'> {
  const fieldErrors: Record<string, { text: string }> = {};
  for (const error of errors) fieldErrors[error.field] ??= { text: error.message };
  return {
    errors,
    errorList: Object.entries(fieldErrors).map(([field, { text }]) => ({ text, href: `#${field}` })),
    fieldErrors,
  };
}

/** Parses a form body; the first message per field is kept, in the schema's field order. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('-') : 'form',
    message: issue.message,
  }));
  return { ok: false, ...fieldErrorView(errors) };
}

// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Removes characters that cannot be stored or displayed safely (lone surrogates, NUL, other controls). */
export function cleanText(value: string): string {
  return value.toWellFormed().replace(controlCharacters, '').trim();
}

/**
 * Errors in the order their fields appear on the page, as the GOV.UK error summary asks; fields
 * not named keep their place after the named ones. Schemas built from parts (a date input joined
 * to an object) report in the order of their parts, not of the page.
 */
export function inFieldOrder(errors: readonly FieldError[], order: readonly string[]): FieldError[] {
  const rank = (field: string) => {
    const index = order.indexOf(field);
    return index === -1 ? order.length : index;
  };
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field));
}
