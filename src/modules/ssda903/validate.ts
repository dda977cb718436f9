// Runs every adoption-related SSDA903 rule over a return (issue 9 §2) and reports each flagged
// row as one `ValidationError`, in the shape `kindred ssda903 validate --json` prints. Pure: no
// database, no clock except for the default collection year (see `collectionYearFor`).
import { parseReturnDate } from './rules/helpers.js';
import { rules as allRules } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import {
  tableColumns,
  tableNames,
  type Ssda903Return,
  type TableName,
  type ValidationError,
} from './return.js';

/**
 * The code Kindred uses for a column a table's file does not have. It is not a DfE rule: the DfE
 * validator refuses such a file, whereas issue 9 §2 asks for the column to be reported and then
 * read as blank. Its `row` is -1 because it concerns the header line, not a data row.
 */
export const MISSING_COLUMN = 'MISSING_COLUMN';

export interface ValidateOptions {
  /** Last year's return, for the rules that compare years. */
  previous?: Ssda903Return | undefined;
  /** First day of the collection year, `dd/mm/yyyy` or `yyyy-mm-dd`. */
  collectionStart?: string | undefined;
  /** Last day of the collection year, `dd/mm/yyyy` or `yyyy-mm-dd`. */
  collectionEnd?: string | undefined;
  /** The rules to run; every registered rule by default (tests pass one). */
  rules?: readonly Rule[];
  /** "Today", for the default collection year; the real date by default. */
  today?: Date;
}

/** A `dd/mm/yyyy` or `yyyy-mm-dd` date as `yyyy-mm-dd`, or null. */
export function parseOptionDate(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (iso) return parseReturnDate(`${iso[3]}/${iso[2]}/${iso[1]}`);
  return parseReturnDate(value);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}

function shiftYears(iso: string, years: number): string {
  return `${String(Number(iso.slice(0, 4)) + years).padStart(4, '0')}${iso.slice(4)}`;
}

/** The 31 March that ends the collection year (1 April – 31 March) holding `iso`. */
function yearEndHolding(iso: string): string {
  const year = Number(iso.slice(0, 4));
  return iso.slice(5) <= '03-31' ? `${year}-03-31` : `${year + 1}-03-31`;
}

/**
 * The collection year the rules use, as `yyyy-mm-dd`. Given one bound, the other is a year away.
 * Given neither, it is derived from the data: the year (1 April – 31 March) holding the latest
 * episode start (DECOM) that is not in the future. Every episode of a return starts on or before
 * the year's 31 March, and a return carries episodes that started in its own year, so that is
 * the year it was produced for. End dates (DEC) are not used: case systems often write the day
 * after the year end for an episode open on 31 March. A return with no usable start date falls
 * back to the year ending on the latest 31 March on or before today.
 */
export function collectionYearFor(
  current: Ssda903Return,
  options: Pick<ValidateOptions, 'collectionStart' | 'collectionEnd' | 'today'> = {},
): { collectionStart: string; collectionEnd: string } {
  const start = options.collectionStart ? parseOptionDate(options.collectionStart) : null;
  const end = options.collectionEnd ? parseOptionDate(options.collectionEnd) : null;
  if (options.collectionStart && !start)
    throw new Error(`The collection start ${options.collectionStart} is not a date.`);
  if (options.collectionEnd && !end)
    throw new Error(`The collection end ${options.collectionEnd} is not a date.`);
  if (start && end) return { collectionStart: start, collectionEnd: end };
  if (start) return { collectionStart: start, collectionEnd: addDays(shiftYears(start, 1), -1) };
  if (end) return { collectionStart: addDays(shiftYears(end, -1), 1), collectionEnd: end };

  const today = isoDay(options.today ?? new Date());
  let latest: string | null = null;
  for (const row of current.tables.Episodes?.rows ?? []) {
    const date = parseReturnDate(row.DECOM);
    if (date && date <= today && (latest === null || date > latest)) latest = date;
  }
  let collectionEnd = yearEndHolding(latest ?? today);
  if (latest === null && collectionEnd > today) collectionEnd = shiftYears(collectionEnd, -1);
  return { collectionStart: addDays(shiftYears(collectionEnd, -1), 1), collectionEnd };
}

function compareCodes(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Orders errors by table (in `tableNames` order), then row, then rule code. */
export function sortErrors(errors: ValidationError[]): ValidationError[] {
  const tableOrder = new Map<TableName, number>(tableNames.map((name, i) => [name, i]));
  return errors.sort(
    (a, b) =>
      (tableOrder.get(a.table) ?? 0) - (tableOrder.get(b.table) ?? 0) ||
      a.row - b.row ||
      compareCodes(a.code, b.code),
  );
}

/**
 * Validates this year's return against every registered rule. The errors name the rule's
 * fields that belong to the flagged row's table (all of them when none do).
 */
export function validateReturn(current: Ssda903Return, options: ValidateOptions = {}): ValidationError[] {
  const { collectionStart, collectionEnd } = collectionYearFor(current, options);
  const context = { current, previous: options.previous, collectionStart, collectionEnd };
  const errors: ValidationError[] = [];

  for (const table of tableNames) {
    const found = current.tables[table];
    if (!found) continue;
    for (const column of found.missingColumns) {
      errors.push({
        code: MISSING_COLUMN,
        table,
        row: -1,
        fields: [column],
        message: `The ${table} table (${found.source}) has no ${column} column; its values are read as blank.`,
      });
    }
  }

  for (const rule of options.rules ?? allRules) {
    const flags = rule.check(context);
    for (const table of tableNames) {
      const rows = flags[table];
      if (!rows || rows.length === 0) continue;
      const own = rule.fields.filter((field) => tableColumns[table].includes(field));
      const fields = own.length > 0 ? own : rule.fields;
      for (const row of new Set(rows)) {
        errors.push({ code: rule.code, table, row, fields: [...fields], message: rule.message });
      }
    }
  }
  return sortErrors(errors);
}

/**
 * Per child (CHILD as written, trimmed), the errors on that child's rows in any table; children
 * without errors map to []. Used to "import only the valid children" (issue 9 §1). Table-level
 * errors (MISSING_COLUMN, row -1) belong to no child: they are listed under the key ''.
 * A row whose CHILD is blank is also keyed ''.
 */
export function errorsByChild(
  current: Ssda903Return,
  errors: readonly ValidationError[],
): Map<string, ValidationError[]> {
  const byChild = new Map<string, ValidationError[]>();
  for (const table of tableNames) {
    for (const row of current.tables[table]?.rows ?? []) {
      const child = (row.CHILD ?? '').trim();
      if (!byChild.has(child)) byChild.set(child, []);
    }
  }
  for (const error of errors) {
    const row = error.row >= 0 ? current.tables[error.table]?.rows[error.row] : undefined;
    const child = (row?.CHILD ?? '').trim();
    const list = byChild.get(child);
    if (list) list.push(error);
    else byChild.set(child, [error]);
  }
  return byChild;
}

/** Per child, true when any of the child's rows has an error (see `errorsByChild`). */
export function childHasErrors(
  current: Ssda903Return,
  errors: readonly ValidationError[],
): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [child, list] of errorsByChild(current, errors)) {
    out.set(
      child,
      list.some((e) => e.row >= 0),
    );
  }
  return out;
}
