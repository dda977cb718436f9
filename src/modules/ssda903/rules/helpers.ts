// Small readers the rules share, so that every rule treats blanks, dates and codes the same way
// the DfE validator does (blank = empty after trimming; dates are dd/mm/yyyy).
import { isValid, parse } from 'date-fns';
import type { Ssda903Return, Ssda903Row, TableName } from '../return.js';

/** True when the value is blank after trimming (the return writes "no value" as an empty cell). */
export function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

/**
 * A `dd/mm/yyyy` date as `yyyy-mm-dd`, or null when blank or not a real date (31/02/2020).
 * ISO strings compare correctly as text, so rules can write `a < b`.
 */
export function parseReturnDate(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (!/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(trimmed)) return null;
  const date = parse(trimmed, 'd/M/yyyy', new Date(2000, 0, 1));
  if (!isValid(date)) return null;
  const yyyy = String(date.getFullYear()).padStart(4, '0');
  const mm = String(date.getMonth() + 1).padStart(2, '0');
  const dd = String(date.getDate()).padStart(2, '0');
  return `${yyyy}-${mm}-${dd}`;
}

/** The rows of a table with their positions (the `row` an error reports); none when the table is absent. */
export function rowsOf(ret: Ssda903Return | undefined, table: TableName): Array<{ row: Ssda903Row; index: number }> {
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
