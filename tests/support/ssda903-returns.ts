// Hand-written SSDA903 returns for tests: each table as a list of rows naming only the columns
// the case needs; every other column of the published schema is blank, as a case system writes it.
import {
  tableColumns,
  type Ssda903Return,
  type Ssda903Row,
  type TableName,
} from '../../src/modules/ssda903/return.js';

export type RowsByTable = Partial<Record<TableName, Array<Partial<Record<string, string>>>>>;

/** `missing` names columns a table's file lacks (reported by the reader, read as blank). */
export function aReturn(
  tables: RowsByTable,
  missing: Partial<Record<TableName, string[]>> = {},
): Ssda903Return {
  const ret: Ssda903Return = { tables: {}, problems: [] };
  for (const [name, rows] of Object.entries(tables) as Array<
    [TableName, Array<Partial<Record<string, string>>>]
  >) {
    ret.tables[name] = {
      name,
      source: `${name}.csv`,
      missingColumns: missing[name] ?? [],
      rows: rows.map((row) => {
        const full: Record<string, string> = {};
        for (const column of tableColumns[name]) full[column] = row[column] ?? '';
        return full as Ssda903Row;
      }),
    };
  }
  return ret;
}
