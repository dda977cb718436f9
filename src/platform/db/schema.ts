// The database's shape as Kysely sees it. Each module declares its own tables by merging into
// this interface from its `*.tables.ts` file, so a module's tables are written down beside it:
//
//   declare module '../../platform/db/schema.js' { interface DB { children: ChildrenTable } }
//
// Migrations (SQL) are the truth; these types must follow them.
import type { ColumnType } from 'kysely';

/** A timestamp column: read as a Date, written as a Date or ISO string, defaulted by the database. */
export type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
/** A calendar date (statutory dates): 'YYYY-MM-DD'. */
export type DateString = string;
export type Json<T> = ColumnType<T, string, string>;

export interface DB {
  schema_migrations: SchemaMigrationsTable;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}
