// The shapes most SSDA903 rules share, so that each rule in rules-a.ts and rules-b.ts states only
// what its DfE message checks: "this cell must be a date", "this code must be in the list",
// "when this code, that one", "for each child, this date must not be before that one". Every
// pattern answers a rule's `check` and flags rows as the DfE validator does (row positions per
// table, each once, ascending).
//
// Matching a child's rows across tables: by `childKey` (CHILD trimmed). A row that names no child
// is in no child's group and is joined to no row of another table (see helpers.ts for why): the
// per-child patterns do not visit it, and `flagRowsByChild` judges it against no rows. Codes are
// read with `codeOf`, exactly as written. There are no per-rule options for either.
import type { Ssda903Row, TableName } from '../return.js';
import {
  childGroups,
  childKey,
  codeOf,
  dateCell,
  earliest,
  entriesOf,
  FlagSet,
  hasTables,
  isBlank,
  latest,
} from './helpers.js';
import type { Entry } from './helpers.js';
import type { Rule, RuleContext } from './rule.js';

export type Check = Rule['check'];

/** Flags each row of `table` that `wrong` finds wrong (no table, no flags). */
export function flagRows(table: TableName, wrong: (row: Ssda903Row, context: RuleContext) => boolean): Check {
  return (context) => {
    const flags = new FlagSet();
    for (const { row, index } of entriesOf(context.current, table)) {
      if (wrong(row, context)) flags.add(table, index);
    }
    return flags.result();
  };
}

/** "… is not a valid date": `column`, when completed, must be a real dd/mm/yyyy date. */
export function invalidDate(table: TableName, column: string): Check {
  return flagRows(table, (row) => !isBlank(row[column]) && dateCell(row, column) === null);
}

/** "… code is not valid": `column`, when completed, must be one of `codes`. */
export function notInCodeList(table: TableName, column: string, codes: readonly string[]): Check {
  return flagRows(table, (row) => !isBlank(row[column]) && !codes.includes(codeOf(row, column)));
}

/** "… must be completed or left blank" together: some but not all of `columns` completed. */
export function allOrNone(table: TableName, columns: readonly string[]): Check {
  return flagRows(table, (row) => {
    const completed = columns.filter((column) => !isBlank(row[column])).length;
    return completed > 0 && completed < columns.length;
  });
}

/**
 * "`earlier` must be on or before `later`" in the same row: flags rows where `later` is a valid
 * date and `earlier` is a valid date after it, or, with `earlierRequired`, is not a valid date.
 */
export function dateAfter(
  table: TableName,
  earlier: string,
  later: string,
  options: { earlierRequired?: boolean } = {},
): Check {
  return flagRows(table, (row) => {
    const last = dateCell(row, later);
    if (last === null) return false;
    const first = dateCell(row, earlier);
    return first === null ? options.earlierRequired === true : first > last;
  });
}

/** A condition on a code: it is one of `oneOf`, or (with `noneOf`) none of those. */
export type CodeCondition =
  { column: string; oneOf: readonly string[] } | { column: string; noneOf: readonly string[] };

/** "If `when` is …, then `then` must be …": flags rows that meet `when` but not `then`. */
export function whenCodeThen(
  table: TableName,
  when: { column: string; oneOf: readonly string[] },
  then: CodeCondition,
): Check {
  const meets = (row: Ssda903Row, condition: CodeCondition): boolean =>
    'oneOf' in condition
      ? condition.oneOf.includes(codeOf(row, condition.column))
      : !condition.noneOf.includes(codeOf(row, condition.column));
  return flagRows(table, (row) => meets(row, when) && !meets(row, then));
}

/** A table of this year's return, or of last year's (`lastYear('PlacedAdoption')`). */
export type Source = TableName | { table: TableName; year: 'previous' };

export function lastYear(table: TableName): Source {
  return { table, year: 'previous' };
}

/** The return and table a source reads, and whether both tables are there to compare. */
function resolve(
  table: TableName,
  other: Source,
  context: RuleContext,
): { ret: RuleContext['current'] | undefined; table: TableName } | null {
  const source =
    typeof other === 'string'
      ? { ret: context.current, table: other }
      : { ret: context.previous, table: other.table };
  // A rule needing a table the return lacks stays silent, as the DfE validator does.
  if (!hasTables(context.current, table) || !hasTables(source.ret, source.table)) return null;
  return source;
}

const none: readonly Entry[] = [];

/**
 * Visits each child of `table` with the same child's rows of `other`, when both tables are in
 * their returns. Rows naming no child are not visited (they are no child's rows).
 */
export function perChild(
  table: TableName,
  other: Source,
  visit: (own: readonly Entry[], others: readonly Entry[], flags: FlagSet, context: RuleContext) => void,
): Check {
  return (context) => {
    const flags = new FlagSet();
    const source = resolve(table, other, context);
    if (!source) return {};
    const otherGroups = childGroups(source.ret, source.table);
    for (const [child, own] of childGroups(context.current, table)) {
      visit(own, otherGroups.get(child) ?? none, flags, context);
    }
    return flags.result();
  };
}

/**
 * Flags each row of `table` that `wrong` finds wrong given the same child's rows of `other`,
 * when both tables are in their returns. A row naming no child is judged against no rows.
 */
export function flagRowsByChild(
  table: TableName,
  other: Source,
  wrong: (row: Ssda903Row, others: readonly Entry[], context: RuleContext) => boolean,
): Check {
  return (context) => {
    const flags = new FlagSet();
    const source = resolve(table, other, context);
    if (!source) return {};
    const otherGroups = childGroups(source.ret, source.table);
    for (const { row, index } of entriesOf(context.current, table)) {
      const child = childKey(row);
      const others = child === null ? none : (otherGroups.get(child) ?? none);
      if (wrong(row, others, context)) flags.add(table, index);
    }
    return flags.result();
  };
}

/** Visits each child's rows of one table of this year's return (rows naming no child are not visited). */
export function eachChild(
  table: TableName,
  visit: (own: readonly Entry[], flags: FlagSet, context: RuleContext, child: string) => void,
): Check {
  return (context) => {
    const flags = new FlagSet();
    for (const [child, own] of childGroups(context.current, table)) visit(own, flags, context, child);
    return flags.result();
  };
}

/** Which of a child's rows a date comparison uses. */
export interface DatedRows {
  table: TableName;
  /** The date compared; rows where it is blank or invalid are left out. */
  column: string;
  /** Only rows like this (an episode that starts a period of care …). */
  where?: (row: Ssda903Row) => boolean;
  /** Every such row (default), or only the one with the earliest or latest date (the first on a tie). */
  pick?: 'each' | 'earliest' | 'latest';
}

function datedRows(entries: readonly Entry[], side: DatedRows): Array<{ entry: Entry; date: string }> {
  const candidates = side.where ? entries.filter((entry) => side.where!(entry.row)) : entries;
  if (side.pick === 'earliest' || side.pick === 'latest') {
    const found =
      side.pick === 'earliest' ? earliest(candidates, side.column) : latest(candidates, side.column);
    return found ? [found] : [];
  }
  const dated: Array<{ entry: Entry; date: string }> = [];
  for (const entry of candidates) {
    const value = dateCell(entry.row, side.column);
    if (value !== null) dated.push({ entry, date: value });
  }
  return dated;
}

/**
 * "For each child, date X in table A must (not) be … date Y in table B": compares every chosen
 * row of `first` with every chosen row of `second`, the same child's, and flags both rows of each
 * pair that `wrong` finds wrong. Needs both tables.
 */
export function compareDatesByChild(
  first: DatedRows,
  second: DatedRows,
  wrong: (firstDate: string, secondDate: string, context: RuleContext) => boolean,
): Check {
  return perChild(first.table, second.table, (own, others, flags, context) => {
    if (others.length === 0) return;
    const firsts = datedRows(own, first);
    if (firsts.length === 0) return;
    const seconds = datedRows(others, second);
    for (const a of firsts) {
      for (const b of seconds) {
        if (wrong(a.date, b.date, context))
          flags.add(first.table, a.entry.index).add(second.table, b.entry.index);
      }
    }
  });
}
