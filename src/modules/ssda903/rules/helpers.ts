// Small readers the rules share, so that every rule treats blanks, dates and codes the same way
// the DfE validator does. Blank means an empty cell: the DfE reader turns exactly '' into "no
// value" and keeps anything else, spaces included, as a value (so a cell of spaces is an invalid
// code or date, not a blank). Dates are dd/mm/yyyy with a four-digit year, as pandas'
// to_datetime(format='%d/%m/%Y') reads them: '1/1/2019' is a date, '01/01/19' and ' 01/01/2019'
// are not.
import type { Ssda903Return, Ssda903Row, TableName } from '../return.js';

/** True when the cell is empty (the return writes "no value" as an empty cell). */
export function isBlank(value: string | undefined): boolean {
  return value === undefined || value === '';
}

const datePattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Parsed dates by their text: a national return repeats the same few thousand dates. */
const dateCache = new Map<string, string | null>();

/**
 * A `dd/mm/yyyy` date as `yyyy-mm-dd`, or null when blank or not a real date (31/02/2020).
 * ISO strings compare correctly as text, so rules can write `a < b`. Hand-written rather than
 * date-fns because rules parse millions of dates in a national return.
 */
export function parseReturnDate(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const cached = dateCache.get(value);
  if (cached !== undefined) return cached;
  let result: string | null = null;
  const match = datePattern.exec(value);
  if (match) {
    const day = Number(match[1]);
    const month = Number(match[2]);
    const year = Number(match[3]);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const lastDay = month === 2 && leap ? 29 : (daysInMonth[month - 1] ?? 0);
    if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= lastDay) {
      result = `${match[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
  }
  if (dateCache.size > 100_000) dateCache.clear();
  dateCache.set(value, result);
  return result;
}

/** The rows of a table with their positions (the `row` an error reports); none when the table is absent. */
export function rowsOf(
  ret: Ssda903Return | undefined,
  table: TableName,
): Array<{ row: Ssda903Row; index: number }> {
  const found = ret?.tables[table];
  return found ? found.rows.map((row, index) => ({ row, index })) : [];
}

/** Rows grouped by CHILD (trimmed), each group in file order. */
export function byChild(
  ret: Ssda903Return | undefined,
  table: TableName,
): Map<string, Array<{ row: Ssda903Row; index: number }>> {
  const groups = new Map<string, Array<{ row: Ssda903Row; index: number }>>();
  for (const entry of rowsOf(ret, table)) {
    const child = (entry.row.CHILD ?? '').trim();
    const group = groups.get(child);
    if (group) group.push(entry);
    else groups.set(child, [entry]);
  }
  return groups;
}

/**
 * The day a person born on `isoDate` reaches `years` years of age, as `yyyy-mm-dd` (someone born
 * on 29 February has the birthday on 28 February in a common year, as pandas' DateOffset does).
 */
export function addYears(isoDate: string, years: number): string {
  const year = Number(isoDate.slice(0, 4)) + years;
  let monthDay = isoDate.slice(4);
  if (monthDay === '-02-29' && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)))
    monthDay = '-02-28';
  return `${String(year).padStart(4, '0')}${monthDay}`;
}

/** Adds `index` to the list for `table` in `flags` (rules build their answer with it). */
export function flag(flags: Partial<Record<TableName, number[]>>, table: TableName, index: number): void {
  const list = flags[table];
  if (list) list.push(index);
  else flags[table] = [index];
}

/** `flags` with each table's rows de-duplicated and in ascending order. */
export function tidyFlags(flags: Partial<Record<TableName, number[]>>): Partial<Record<TableName, number[]>> {
  const out: Partial<Record<TableName, number[]>> = {};
  for (const [table, rows] of Object.entries(flags) as Array<[TableName, number[]]>) {
    out[table] = [...new Set(rows)].sort((a, b) => a - b);
  }
  return out;
}
