// Bulk inserts for imports and synthetic data: many rows in one statement with a single
// parameter — the rows as JSON, turned back into the table's column types by PostgreSQL
// (jsonb_populate_recordset). On PGlite this is about twice as fast as a multi-row VALUES list
// with a parameter per value, and it has no parameter limit (bench/children, bench/ssda903).
import { sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

/** Inserts the rows (each with the same keys, named as the table's columns) in one statement. */
export async function insertJsonRows(
  trx: Transaction<DB>,
  table: keyof DB & string,
  rows: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = sql.join(Object.keys(rows[0]!).map((column) => sql.ref(column)));
  await sql`insert into ${sql.table(table)} (${columns})
    select ${columns} from jsonb_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::jsonb)`.execute(
    trx,
  );
}
