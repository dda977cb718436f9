// The audit trail's promises (security.md LG-2, LG-4; pitfalls P8, P9): an append-only table the
// database itself guards, an HMAC chain that names the first altered or missing entry, one linear
// chain under concurrent writers, and rows that hold ids, never record content.
// Runs on PGlite, and on PostgreSQL with TEST_DRIVER=postgres.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../tests/support/test-database.js';
import type { Actor } from '../access/actor.js';
import { permissionsFor } from '../access/permissions.js';
import type { Database } from '../db/client.js';
import {
  auditKeyFrom,
  genesisHash,
  verifyAuditChain,
  writeAudit,
  type AuditContext,
  type AuditEntry,
} from './audit.js';

const key = auditKeyFrom('audit-test-secret-that-is-long-enough-0123');

let database: Database;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => {
  await database.close();
});

function contextAt(now: Date, actor: Actor | null = null): AuditContext {
  return { actor, ip: '192.0.2.10', userAgent: 'vitest', correlationId: randomUUID(), now };
}

async function writeEntries(count: number, entry: Partial<AuditEntry> = {}): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await writeAudit(database.db, key, contextAt(new Date(Date.UTC(2026, 10, 2, 10, 0, i))), {
      action: 'child.view',
      outcome: 'success',
      subjectType: 'child',
      subjectId: `child-${i}`,
      ...entry,
    });
  }
}

/** Changes the table the way only its owner or a superuser could: with the guard switched off. */
async function underneath(statement: ReturnType<typeof sql>): Promise<void> {
  await sql`alter table audit_events disable trigger audit_events_no_update`.execute(database.db);
  try {
    await statement.execute(database.db);
  } finally {
    await sql`alter table audit_events enable trigger audit_events_no_update`.execute(database.db);
  }
}

async function sqlStateOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('The statement was expected to be refused.');
}

describe('the audit hash chain (LG-4)', () => {
  it('verifies a chain of many entries and reports its head', async () => {
    await writeEntries(120);
    const progress: number[] = [];
    const result = await verifyAuditChain(database.db, key, {
      batchSize: 50,
      onProgress: (checked) => progress.push(checked),
    });
    const head = await database.db
      .selectFrom('audit_events')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(result).toEqual({ ok: true, checked: 120, headSeq: 120, headHash: head.hash });
    expect(progress).toEqual([50, 100, 120]);
  });

  it('verifies an empty trail', async () => {
    expect(await verifyAuditChain(database.db, key)).toEqual({
      ok: true,
      checked: 0,
      headSeq: 0,
      headHash: genesisHash,
    });
  });

  it('LG-4e: the database refuses UPDATE, DELETE and TRUNCATE on the audit table with SQLSTATE 42501', async () => {
    await writeEntries(3);
    expect(
      await sqlStateOf(sql`update audit_events set reason = 'rewritten' where seq = 2`.execute(database.db)),
    ).toBe('42501');
    expect(await sqlStateOf(sql`delete from audit_events where seq = 3`.execute(database.db))).toBe('42501');
    expect(await sqlStateOf(sql`truncate audit_events`.execute(database.db))).toBe('42501');
    const count = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(database.db);
    expect(count.rows[0]?.n).toBe(3);
    expect((await verifyAuditChain(database.db, key)).ok).toBe(true);
  });

  it('LG-4a: an entry altered underneath the guard fails verification, naming that entry', async () => {
    await writeEntries(30);
    await underneath(sql`update audit_events set reason = 'nothing to see' where seq = 17`);
    const result = await verifyAuditChain(database.db, key, { batchSize: 8 });
    expect(result).toEqual({ ok: false, checked: 16, brokenAt: 17, problem: 'entry 17 has been altered' });
  });

  it('P9: the chain only verifies with its own key, so rewriting it needs the key held outside the database', async () => {
    await writeEntries(5);
    const otherKey = auditKeyFrom('a-different-installation-secret-0123456789');
    const result = await verifyAuditChain(database.db, otherKey);
    expect(result).toMatchObject({ ok: false, brokenAt: 1, problem: 'entry 1 has been altered' });
  });

  it('LG-4b: a middle entry deleted underneath the guard is reported as a gap naming the missing entry', async () => {
    await writeEntries(30);
    await underneath(sql`delete from audit_events where seq = 12`);
    const result = await verifyAuditChain(database.db, key, { batchSize: 7 });
    expect(result).toEqual({
      ok: false,
      checked: 11,
      brokenAt: 12,
      problem: 'entry 12 is missing (next is 13)',
    });
  });

  it('LG-4b: an entry re-linked to skip a deleted one still fails, because its hash covers the link', async () => {
    await writeEntries(6);
    await underneath(sql`delete from audit_events where seq = 4`);
    await underneath(
      sql`update audit_events set seq = 4, prev_hash = (select hash from audit_events where seq = 3) where seq = 5`,
    );
    const result = await verifyAuditChain(database.db, key);
    expect(result).toMatchObject({ ok: false, brokenAt: 4, problem: 'entry 4 has been altered' });
  });

  it('LG-4d / P8: 40 concurrent writers form one linear, gapless chain with no shared previous hash', async () => {
    const now = new Date('2026-11-02T10:00:00Z');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        writeAudit(database.db, key, contextAt(now), {
          action: 'child.view',
          outcome: 'success',
          subjectType: 'child',
          subjectId: `concurrent-${i}`,
        }),
      ),
    );
    const rows = await database.db
      .selectFrom('audit_events')
      .select(['seq', 'prev_hash', 'hash', 'subject_id'])
      .orderBy('seq')
      .execute();
    expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(rows.map((row) => row.prev_hash)).size).toBe(40);
    expect(new Set(rows.map((row) => row.subject_id)).size).toBe(40);
    rows.forEach((row, i) => expect(row.prev_hash).toBe(i === 0 ? genesisHash : rows[i - 1]!.hash));
    expect(await verifyAuditChain(database.db, key)).toMatchObject({ ok: true, checked: 40, headSeq: 40 });
  });

  it('LG-1: an audit entry written inside a transaction that rolls back leaves no trace and no gap', async () => {
    await writeEntries(2);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await writeAudit(trx, key, contextAt(new Date('2026-11-02T11:00:00Z')), {
          action: 'child.update',
          outcome: 'success',
          subjectType: 'child',
          subjectId: 'rolled-back',
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await writeEntries(1);
    expect(await verifyAuditChain(database.db, key)).toMatchObject({ ok: true, checked: 3, headSeq: 3 });
  });
});

describe('what an audit row holds (LG-2)', () => {
  it('holds who, what, which record (by id), when, where and the outcome: never record content', async () => {
    const organisationId = randomUUID();
    const actor: Actor = {
      userId: randomUUID(),
      sessionId: randomUUID(),
      name: 'Philippa Auditwatch',
      email: 'philippa.auditwatch@example.test',
      organisation: {
        id: organisationId,
        code: 'test-raa',
        name: 'Test Regional Adoption Agency',
        kind: 'raa',
      },
      roles: ['team_manager'],
      permissions: permissionsFor(['team_manager']),
      scope: { organisationIds: [organisationId], raaId: organisationId, nonIdentifyingOnly: false },
      secondFactorSkipped: false,
    };
    const childId = randomUUID();
    await writeAudit(database.db, key, contextAt(new Date('2026-11-02T10:00:00Z'), actor), {
      action: 'child.view',
      outcome: 'success',
      subjectType: 'child',
      subjectId: childId,
      subjectOrganisationId: organisationId,
    });
    const columns = await sql<{ name: string }>`
      select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = 'audit_events' order by ordinal_position`.execute(
      database.db,
    );
    expect(columns.rows.map((row) => row.name)).toEqual([
      'seq',
      'occurred_at',
      'actor_user_id',
      'actor_organisation_id',
      'actor_roles',
      'action',
      'outcome',
      'subject_type',
      'subject_id',
      'subject_organisation_id',
      'reason',
      'ip',
      'user_agent',
      'correlation_id',
      'alg',
      'prev_hash',
      'hash',
    ]);
    const stored = await sql<{ row: string }>`select to_jsonb(a)::text as row from audit_events a`.execute(
      database.db,
    );
    const text = stored.rows[0]?.row ?? '';
    expect(text).toContain(actor.userId);
    expect(text).toContain(childId);
    for (const content of [actor.name, actor.email, actor.organisation.name, 'Philippa']) {
      expect(text).not.toContain(content);
    }
  });
});
