import type { ColumnType } from 'kysely';

export interface AuditEventsTable {
  seq: number;
  occurred_at: ColumnType<Date, Date, never>;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  actor_roles: string[];
  action: string;
  outcome: 'success' | 'denied' | 'failed';
  subject_type: string | null;
  subject_id: string | null;
  subject_organisation_id: string | null;
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string | null;
  alg: string;
  prev_hash: string;
  hash: string;
}

declare module '../db/schema.js' {
  interface DB {
    audit_events: AuditEventsTable;
  }
}
