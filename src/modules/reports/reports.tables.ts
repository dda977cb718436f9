import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../platform/db/schema.js';

export type ReportKind = 'quarterly' | 'tracking';
export type ReturnKind = 'asglb-children' | 'asglb-adopters' | 'ofsted-list-10' | 'ofsted-list-11';

export interface ReportCommentariesTable {
  id: Generated<string>;
  report_kind: ReportKind;
  organisation_id: string;
  period: string;
  body: string;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ReturnExportsTable {
  id: Generated<string>;
  kind: ReturnKind;
  period: string;
  format: 'xlsx' | 'csv';
  row_count: number;
  problem_count: number;
  exported_by: string | null;
  exported_at: CreatedAt;
}

export interface ReturnExportSubjectsTable {
  export_id: string;
  subject_type: 'child' | 'household';
  subject_id: string;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    report_commentaries: ReportCommentariesTable;
    return_exports: ReturnExportsTable;
    return_export_subjects: ReturnExportSubjectsTable;
  }
}
