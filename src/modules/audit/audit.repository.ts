// SQL for the audit pages. Every query about a record carries the viewer's organisations: an
// entry is reachable only when the record it is about belongs to one of them (design.md §3).
// Names come from the identity and organisation tables because the trail itself holds only ids
// (security.md LG-2).
import { sql, type Transaction } from 'kysely';
import type { AuditOutcome } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';

type Executor = Db | Transaction<DB>;

export interface SubjectRef {
  subjectType: string;
  subjectId: string;
}

export interface AccessWindow {
  /** First day shown, 'YYYY-MM-DD' in UK time. */
  from: string | null;
  /** Last day shown, inclusive, 'YYYY-MM-DD' in UK time. */
  to: string | null;
  /** Only entries older than this sequence number. */
  beforeSeq: number | null;
  limit: number;
}

export interface AccessEntryRow {
  seq: number;
  occurredAt: Date;
  action: string;
  outcome: AuditOutcome;
  reason: string | null;
  actorUserId: string | null;
  actorRoles: string[];
  userName: string | null;
  organisationName: string | null;
}

export async function latestAuditEntry(db: Executor): Promise<{ seq: number; occurredAt: Date } | undefined> {
  const row = await db
    .selectFrom('audit_events')
    .select(['seq', 'occurred_at'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: row.seq, occurredAt: row.occurred_at } : undefined;
}

/** The organisation the newest in-scope entry about the record names, or null when none is in scope. */
export async function subjectOrganisationInScope(
  db: Executor,
  subject: SubjectRef,
  organisationIds: readonly string[],
): Promise<string | null> {
  if (organisationIds.length === 0) return null;
  const row = await db
    .selectFrom('audit_events')
    .select('subject_organisation_id')
    .where('subject_type', '=', subject.subjectType)
    .where('subject_id', '=', subject.subjectId)
    .where('subject_organisation_id', 'in', [...organisationIds])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.subject_organisation_id ?? null;
}

export async function accessEntries(
  db: Executor,
  subject: SubjectRef,
  organisationIds: readonly string[],
  window: AccessWindow,
): Promise<AccessEntryRow[]> {
  if (organisationIds.length === 0) return [];
  let query = db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('organisations as o', 'o.id', 'a.actor_organisation_id')
    .select([
      'a.seq',
      'a.occurred_at as occurredAt',
      'a.action',
      'a.outcome',
      'a.reason',
      'a.actor_user_id as actorUserId',
      'a.actor_roles as actorRoles',
      'u.name as userName',
      'o.name as organisationName',
    ])
    .where('a.subject_type', '=', subject.subjectType)
    .where('a.subject_id', '=', subject.subjectId)
    .where('a.subject_organisation_id', 'in', [...organisationIds]);
  // Days are UK days: an entry at 00:30 BST on 1 July belongs to 1 July, not 30 June.
  if (window.from) {
    query = query.where(
      sql<boolean>`a.occurred_at >= (${window.from}::date)::timestamp at time zone 'Europe/London'`,
    );
  }
  if (window.to) {
    query = query.where(
      sql<boolean>`a.occurred_at < (${window.to}::date + 1)::timestamp at time zone 'Europe/London'`,
    );
  }
  if (window.beforeSeq !== null) query = query.where('a.seq', '<', window.beforeSeq);
  return query.orderBy('a.seq', 'desc').limit(window.limit).execute();
}
