// The tables of SSDA903 imports (migration 0016), for Kysely.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from '../../platform/db/schema.js';

type Json<T> = ColumnType<T, string | undefined, string>;

export type ImportStatus =
  'queued' | 'reading' | 'validating' | 'needs-choice' | 'importing' | 'imported' | 'refused' | 'failed';

export interface Ssda903ImportsTable {
  id: Generated<string>;
  council_id: string;
  requested_by: string | null;
  requested_at: CreatedAt;
  origin: 'upload' | 'command';
  collection_year: string;
  valid_only: Generated<boolean>;
  status: Generated<ImportStatus>;
  children_total: Generated<number>;
  children_done: Generated<number>;
  children_created: Generated<number>;
  children_updated: Generated<number>;
  children_unchanged: Generated<number>;
  children_skipped: Generated<number>;
  children_not_adoption: Generated<number>;
  facts_added: Generated<number>;
  error_count: Generated<number>;
  read_problems: Json<Array<{ code: string; source?: string; message: string; fatal: boolean }>>;
  skipped: Json<Array<{ child: string; reasons: string[] }>>;
  message: string | null;
  finished_at: NullableTimestamp;
  version: Generated<number>;
}

export interface Ssda903ImportFilesTable {
  import_id: string;
  position: number;
  file_name: string;
  size_bytes: number;
  content: Buffer;
}

export interface Ssda903ImportErrorsTable {
  import_id: string;
  position: number;
  code: string;
  table_name: string;
  row_number: number;
  child: string | null;
  fields: ColumnType<string[], string[] | undefined, string[]>;
  message: string;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    ssda903_imports: Ssda903ImportsTable;
    ssda903_import_files: Ssda903ImportFilesTable;
    ssda903_import_errors: Ssda903ImportErrorsTable;
  }
}
