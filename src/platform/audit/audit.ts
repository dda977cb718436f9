// Writing and verifying the audit trail. Every change to a person's record is audited in the
// same transaction as the change (so if the audit write fails, the change fails: LG-1); views
// are audited as they are served; refusals are audited too (LG-3).
import { createHmac, hkdfSync } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Actor } from '../access/actor.js';
import type { Db } from '../db/client.js';
import type { DB } from '../db/schema.js';
import type { Selectable } from 'kysely';
import type { AuditEventsTable } from './audit.tables.js';
import './audit.tables.js';
import { insertJsonRows } from '../db/bulk-insert.js';

export const auditAlgorithm = 'hmac-sha256-v1';
export const genesisHash = '0'.repeat(64);

export type AuditOutcome = 'success' | 'denied' | 'failed';

/** Where and when an action happened; built from the request (see auditContextFrom in the app). */
export interface AuditContext {
  actor: Actor | null;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  now: Date;
}

export interface AuditEntry {
  /** What was done, as a dotted name: "child.view", "user.roles.change", "auth.sign-in". */
  action: string;
  outcome: AuditOutcome;
  subjectType?: string | null;
  subjectId?: string | null;
  subjectOrganisationId?: string | null;
  /** Why, in a few words (e.g. the refusal reason); never record content. */
  reason?: string | null;
  /** For events before a session exists (a failed sign-in), the user the attempt was about. */
  userId?: string | null;
}

export interface AuditKey {
  key: Buffer;
}

/** Derives the audit chain's HMAC key from the installation secret, separately from other uses. */
export function auditKeyFrom(secret: string): AuditKey {
  return { key: Buffer.from(hkdfSync('sha256', secret, 'kindred', 'audit-chain-v1', 32)) };
}

type ChainFields = Omit<Selectable<AuditEventsTable>, 'hash'>;

/** A stable serialisation: fixed field order, ISO times, arrays sorted. */
export function canonicalise(row: ChainFields): string {
  return JSON.stringify([
    row.seq,
    row.occurred_at.toISOString(),
    row.actor_user_id,
    row.actor_organisation_id,
    [...row.actor_roles].sort(),
    row.action,
    row.outcome,
    row.subject_type,
    row.subject_id,
    row.subject_organisation_id,
    row.reason,
    row.ip,
    row.user_agent,
    row.correlation_id,
    row.alg,
    row.prev_hash,
  ]);
}

export function chainHash(key: AuditKey, row: ChainFields): string {
  return createHmac('sha256', key.key)
    .update(row.prev_hash)
    .update('\n')
    .update(canonicalise(row))
    .digest('hex');
}

const truncate = (value: string | null | undefined, length: number): string | null =>
  value == null ? null : value.slice(0, length);

/**
 * Appends one entry. Takes an advisory lock for the rest of the transaction so concurrent
 * writers form one linear chain (security.md pitfall P8: no two rows share a previous hash).
 */
export async function writeAudit(
  executor: Db | Transaction<DB>,
  key: AuditKey,
  context: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  if (!executor.isTransaction) {
    await executor.transaction().execute((trx) => writeAudit(trx, key, context, entry));
    return;
  }
  await sql`select pg_advisory_xact_lock(7231002)`.execute(executor);
  const last = await lastChainLink(executor);
  const row = chainFields(context, entry, last.seq + 1, last.hash);
  await executor
    .insertInto('audit_events')
    .values({ ...row, hash: chainHash(key, row) })
    .execute();
}

/**
 * Appends many entries in order, chained exactly as writeAudit chains one, under the same lock, a
 * few thousand per statement: an SSDA903 import gives each of thousands of children its own entry
 * (security.md LG-1) in seconds rather than minutes (bench/ssda903).
 */
export async function writeAuditEntries(
  trx: Transaction<DB>,
  key: AuditKey,
  context: AuditContext,
  entries: readonly AuditEntry[],
  statementSize = 2000,
): Promise<void> {
  if (entries.length === 0) return;
  await sql`select pg_advisory_xact_lock(7231002)`.execute(trx);
  const last = await lastChainLink(trx);
  let seq = last.seq;
  let previous = last.hash;
  const rows = entries.map((entry) => {
    seq += 1;
    const row = chainFields(context, entry, seq, previous);
    previous = chainHash(key, row);
    return { ...row, hash: previous };
  });
  for (let start = 0; start < rows.length; start += statementSize) {
    await insertJsonRows(trx, 'audit_events', rows.slice(start, start + statementSize));
  }
}

async function lastChainLink(trx: Db | Transaction<DB>): Promise<{ seq: number; hash: string }> {
  const last = await trx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { seq: Number(last?.seq ?? 0), hash: last?.hash ?? genesisHash };
}

function chainFields(context: AuditContext, entry: AuditEntry, seq: number, prevHash: string): ChainFields {
  return {
    seq,
    occurred_at: context.now,
    actor_user_id: context.actor?.userId ?? entry.userId ?? null,
    actor_organisation_id: context.actor?.organisation.id ?? null,
    actor_roles: [...(context.actor?.roles ?? [])],
    action: entry.action,
    outcome: entry.outcome,
    subject_type: entry.subjectType ?? null,
    subject_id: entry.subjectId ?? null,
    subject_organisation_id: entry.subjectOrganisationId ?? null,
    reason: truncate(entry.reason, 500),
    ip: truncate(context.ip, 64),
    user_agent: truncate(context.userAgent, 300),
    correlation_id: truncate(context.correlationId, 100),
    alg: auditAlgorithm,
    prev_hash: prevHash,
  };
}

export type ChainVerification =
  | { ok: true; checked: number; headSeq: number; headHash: string }
  | { ok: false; checked: number; brokenAt: number; problem: string };

export interface VerifyOptions {
  batchSize?: number;
  /** Called after each batch with the number of entries checked so far (the CLI's progress line). */
  onProgress?: (checked: number) => void;
}

/** Walks the whole chain in order and names the first entry that does not verify (LG-4). */
export async function verifyAuditChain(
  db: Db | Transaction<DB>,
  key: AuditKey,
  options: VerifyOptions = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 2000;
  let expectedSeq = 1;
  let previousHash = genesisHash;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          checked,
          brokenAt: expectedSeq,
          problem: `entry ${expectedSeq} is missing (next is ${row.seq})`,
        };
      }
      if (row.prev_hash !== previousHash) {
        return {
          ok: false,
          checked,
          brokenAt: row.seq,
          problem: `entry ${row.seq} does not follow entry ${row.seq - 1}`,
        };
      }
      if (row.alg !== auditAlgorithm || chainHash(key, row) !== row.hash) {
        return { ok: false, checked, brokenAt: row.seq, problem: `entry ${row.seq} has been altered` };
      }
      previousHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    options.onProgress?.(checked);
  }
  return { ok: true, checked, headSeq: expectedSeq - 1, headHash: previousHash };
}
