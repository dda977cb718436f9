// Small helpers the support routes share: parameters, what was typed, notices, refusals as pages.
import type { FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../../platform/http/errors.js';
import { fieldErrorView } from '../../platform/http/validation.js';

export const supportView = (name: string): string => `support/views/${name}.njk`;
export const idFrom = (request: FastifyRequest): string =>
  String((request.params as { id?: unknown }).id ?? '');

/** Strings only, bounded: what was typed, to show again. Arrays (checkboxes) are kept as arrays. */
export function echo(body: unknown): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>)
      .filter(([name]) => name !== '_csrf')
      .flatMap(([name, value]): Array<[string, string | string[]]> => {
        if (typeof value === 'string') return [[name, value.slice(0, 20_000)]];
        if (Array.isArray(value))
          return [
            [name, value.filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, 200))],
          ];
        return [];
      }),
  );
}

export function badQuery(errors: { message: string }[]): AppError {
  return new AppError('bad-request', errors.map((e) => e.message).join('. '));
}

export const errorsFor = (errors: FieldError[]) => fieldErrorView(errors);

export const staleMessage =
  'Someone else changed this record since you opened the page, so nothing was saved. What you typed is below: check the record, then save again.';

const notices: Record<string, string> = {
  created: 'Support case opened',
  updated: 'Case details saved',
  child: 'Child added',
  assessment: 'Assessment started',
  assessed: 'Assessment recorded',
  plan: 'Support plan saved',
  reviewed: 'Review recorded',
  liaison: 'Liaison note added',
  fund: 'Application saved as a draft',
  moved: 'Application updated',
  agreement: 'Letterbox agreement set up',
  ended: 'Agreement ended',
  item: 'Item logged: check it before it is passed on',
  checked: 'Check recorded',
  held: 'Item held',
  forwarded: 'Item forwarded: the letters are listed below',
  acknowledged: 'Acknowledgement produced',
  'held-notice': 'Letter produced',
  offer: 'Added to the core offer',
  attendance: 'Attendance recorded',
  request: 'Request recorded',
  check: 'Check recorded',
  outcome: 'Outcome recorded',
};

export function noticeFrom(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' ? notices[done] : undefined;
}

/** Spreadsheet programs run cells that start with these; a leading apostrophe keeps them text (OWASP CSV injection). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
