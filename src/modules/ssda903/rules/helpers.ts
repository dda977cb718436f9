// Small readers the rules share, so that every rule treats blanks, dates, codes and children the
// same way the DfE validator does. Blank means an empty cell: the DfE reader turns exactly '' into
// "no value" and keeps anything else, spaces included, as a value (so a cell of spaces is an invalid
// code or date, not a blank). Dates are dd/mm/yyyy with a four-digit year, as pandas'
// to_datetime(format='%d/%m/%Y') reads them: '1/1/2019' is a date, '01/01/19' and ' 01/01/2019'
// are not.
//
// Codes (`codeOf`) are compared exactly as written, never trimmed: the DfE CSV reader
// (csc-validator-be-903 lac_validator/ingress.py, `str(s) if s != "" else nan`) strips nothing, so
// 'E11 ' is not E11 (rule 177's recorded case flags every non-blank value that is not a listed
// code, and a padded code is one). So 177 calls 'L4 ' invalid and 518 does not read it as L4.
//
// Children (`childKey`): CHILD is an identifier, read trimmed as the rest of the module reads it
// (validate.ts errorsByChild, journeys.ts, the import), and a row whose trimmed CHILD is '' belongs
// to no child. Such a row is never grouped with other rows and never joined to another table's
// rows. The DfE reader makes '' NaN; pandas' groupby drops NaN keys (INT31 never counts blank
// rows as "a child twice") while merge happens to pair NaN with NaN, an accident of pandas rather
// than a DfE decision: every message speaks of "this child", and two rows that name no child are
// not shown to be the same child. The recorded fixtures hold no blank CHILD, so they do not decide
// it; the messages do. Row-by-row checks still judge a blank-CHILD row, against no rows of the
// other table (INT01 flags an AD1 row with no CHILD: it names no child that is in Header).
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

/**
 * The child a row belongs to: CHILD trimmed, or null when that is '' (the row names no child and
 * is matched with no other row). The one reading of CHILD every rule uses.
 */
export function childKey(row: Ssda903Row): string | null {
  const child = (row.CHILD ?? '').trim();
  return child === '' ? null : child;
}

/**
 * Rows grouped by child (`childKey`), each group in file order; rows naming no child are under ''
 * (journeys.ts skips that key). Rules use `childGroups`, which leaves those rows out.
 */
export function byChild(
  ret: Ssda903Return | undefined,
  table: TableName,
): Map<string, Array<{ row: Ssda903Row; index: number }>> {
  const groups = new Map<string, Array<{ row: Ssda903Row; index: number }>>();
  for (const entry of rowsOf(ret, table)) {
    const child = childKey(entry.row) ?? '';
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

/** A row of a table with its position (the `row` an error reports). */
export type Entry = { row: Ssda903Row; index: number };

/**
 * A code as every rule compares it with a code list: the cell exactly as written ('' when the
 * column is missing), not trimmed and not upper-cased ('E11 ' is not E11; 'l2' is not L2, as rule 177's recorded case
 * has it).
 */
export function codeOf(row: Ssda903Row, column: string): string {
  return row[column] ?? '';
}

/** The cell read as a date (`parseReturnDate`): `yyyy-mm-dd`, or null when blank or invalid. */
export function dateCell(row: Ssda903Row, column: string): string | null {
  return parseReturnDate(row[column]);
}

/** True when at least one of `columns` is completed in the row. */
export function anyCompleted(row: Ssda903Row, columns: readonly string[]): boolean {
  return columns.some((column) => !isBlank(row[column]));
}

/** True when the return holds every one of `tables` (false when there is no return). */
export function hasTables(ret: Ssda903Return | undefined, ...tables: TableName[]): boolean {
  return ret !== undefined && tables.every((table) => ret.tables[table] !== undefined);
}

// Sixty rules read the same few tables of one return; grouping 300,000 episodes by child once
// rather than in every rule keeps a national return's validation to seconds (bench/ssda903).
// Keyed by the rows array, which a return never changes after reading.
const entryCache = new WeakMap<readonly Ssda903Row[], readonly Entry[]>();
const groupCache = new WeakMap<readonly Ssda903Row[], ReadonlyMap<string, readonly Entry[]>>();

/** Like `rowsOf`, but computed once per table and shared: callers must not change it. */
export function entriesOf(ret: Ssda903Return | undefined, table: TableName): readonly Entry[] {
  const rows = ret?.tables[table]?.rows;
  if (!rows) return [];
  let entries = entryCache.get(rows);
  if (!entries) {
    entries = rows.map((row, index) => ({ row, index }));
    entryCache.set(rows, entries);
  }
  return entries;
}

/**
 * The rows of each child (`childKey`), computed once per table and shared. Rows that name no child
 * are in no group: a rule never treats them as one child, nor finds them by another table's child.
 */
export function childGroups(
  ret: Ssda903Return | undefined,
  table: TableName,
): ReadonlyMap<string, readonly Entry[]> {
  const rows = ret?.tables[table]?.rows;
  if (!rows) return new Map();
  let groups = groupCache.get(rows);
  if (!groups) {
    const built = new Map<string, Entry[]>();
    for (const entry of entriesOf(ret, table)) {
      const child = childKey(entry.row);
      if (child === null) continue;
      const group = built.get(child);
      if (group) group.push(entry);
      else built.set(child, [entry]);
    }
    groups = built;
    groupCache.set(rows, groups);
  }
  return groups;
}

/** The entry with the earliest valid date in `column`, the first such in file order on a tie. */
export function earliest(entries: readonly Entry[], column: string): { entry: Entry; date: string } | null {
  let best: { entry: Entry; date: string } | null = null;
  for (const entry of entries) {
    const value = dateCell(entry.row, column);
    if (value !== null && (best === null || value < best.date)) best = { entry, date: value };
  }
  return best;
}

/**
 * The entry with the latest valid date in `column`. On a tie the first in file order wins, or
 * the last with `ties: 'last'` (a later row of the same day being the more recent record).
 */
export function latest(
  entries: readonly Entry[],
  column: string,
  ties: 'first' | 'last' = 'first',
): { entry: Entry; date: string } | null {
  let best: { entry: Entry; date: string } | null = null;
  for (const entry of entries) {
    const value = dateCell(entry.row, column);
    if (value === null) continue;
    if (best === null || value > best.date || (ties === 'last' && value === best.date))
      best = { entry, date: value };
  }
  return best;
}

/** The entries with a valid date in `column`, in date order (file order on the same day). */
export function inDateOrder(
  entries: readonly Entry[],
  column: string,
): Array<{ entry: Entry; date: string }> {
  const dated: Array<{ entry: Entry; date: string }> = [];
  for (const entry of entries) {
    const value = dateCell(entry.row, column);
    if (value !== null) dated.push({ entry, date: value });
  }
  return dated.sort(byDate);
}

/** Orders dated items by date; Array.prototype.sort is stable, so the same day keeps its order. */
export function byDate(a: { date: string }, b: { date: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

/** Each item with the one before it: [before, next] for every next after the first. */
export function consecutive<T>(items: readonly T[]): Array<[T, T]> {
  const pairs: Array<[T, T]> = [];
  for (let i = 1; i < items.length; i += 1) pairs.push([items[i - 1]!, items[i]!]);
  return pairs;
}

/** Collects the rows a rule flags, per table; `result()` has each table's rows once, ascending. */
export class FlagSet {
  private readonly byTable = new Map<TableName, { rows: number[]; ordered: boolean }>();

  add(table: TableName, index: number): this {
    const found = this.byTable.get(table);
    if (!found) this.byTable.set(table, { rows: [index], ordered: true });
    else {
      // Most rules flag in file order; only out-of-order additions need the sort in result().
      const last = found.rows[found.rows.length - 1]!;
      if (index === last) return this;
      if (index < last) found.ordered = false;
      found.rows.push(index);
    }
    return this;
  }

  addAll(table: TableName, entries: readonly Entry[]): this {
    for (const entry of entries) this.add(table, entry.index);
    return this;
  }

  result(): Partial<Record<TableName, number[]>> {
    const out: Partial<Record<TableName, number[]>> = {};
    for (const [table, { rows, ordered }] of this.byTable) {
      out[table] = ordered ? rows : [...new Set(rows)].sort((a, b) => a - b);
    }
    return out;
  }
}
