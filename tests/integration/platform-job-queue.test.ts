// The job queue (docs/decisions/0007) on the driver the suite runs on, PGlite or PostgreSQL: real
// pg-boss, real workers polling a real database, nothing of ours mocked. A sent job runs once; a
// failing one is retried and then recorded as failed; schedules are written and pruned; a job sent
// in a transaction exists only if it commits; stop() waits for the job in hand; tests can run due
// jobs at once; and backups still cover only Kindred's own tables.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';
import { backupDatabase, restoreDatabase } from '../../src/platform/db/backup.js';
import type { Database } from '../../src/platform/db/client.js';
import {
  createJobQueue,
  startJobQueue,
  type JobLogger,
  type JobQueue,
  type JobQueueOptions,
} from '../../src/platform/jobs/job-queue.js';
import { createTestApp } from '../support/test-app.js';
import { createTestDatabase, testDriver } from '../support/test-database.js';

interface TestJobs {
  'test.echo': { n: number };
  'test.always-fails': { n: number };
  'test.in-transaction': { n: number };
  'test.slow': { n: number };
  'test.due-now': { n: number };
  'test.due-now-fails': { n: number };
  'test.daily': { kind: string };
  'test.retired': { kind: string };
}

let database: Database;
const queues: JobQueue<TestJobs>[] = [];
const logs: { level: string; object: object; message: string }[] = [];
const logger: JobLogger = {
  info: (object, message) => logs.push({ level: 'info', object, message }),
  warn: (object, message) => logs.push({ level: 'warn', object, message }),
  error: (object, message) => logs.push({ level: 'error', object, message }),
};

function queue(options: Partial<JobQueueOptions> = {}): JobQueue<TestJobs> {
  const created = createJobQueue<TestJobs>({ database, logger, work: true, ...options });
  queues.push(created);
  return created;
}

async function started(options: Partial<JobQueueOptions> = {}): Promise<JobQueue<TestJobs>> {
  const created = await startJobQueue<TestJobs>({ database, logger, work: true, ...options });
  queues.push(created);
  return created;
}

/** Waits (polling the database, not sleeping blindly) until `check` holds, or fails after `ms`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(50);
  }
}

async function stateOf(
  jobs: JobQueue<TestJobs>,
  name: keyof TestJobs,
  id: string,
): Promise<string | undefined> {
  return (await jobs.findJobs(name)).find((job) => job.id === id)?.state;
}

const fast = { pollingIntervalSeconds: 0.5 };

beforeAll(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  for (const each of queues.splice(0)) await each.stop();
  logs.length = 0;
});

afterAll(async () => {
  await database?.close();
});

describe(`job queue on ${testDriver()}`, () => {
  it('runs a sent job once, with its data, through a polling worker', async () => {
    const seen: { data: { n: number }; retryCount: number }[] = [];
    const jobs = queue();
    await jobs.work(
      'test.echo',
      async (job) => {
        seen.push({ data: job.data, retryCount: job.retryCount });
      },
      fast,
    );
    await jobs.start();
    expect(jobs.running).toBe(true);

    const id = await jobs.send('test.echo', { n: 42 });
    expect(id).toEqual(expect.any(String));
    await eventually('the job to complete', async () =>
      (await stateOf(jobs, 'test.echo', id!)) === 'completed' ? true : undefined,
    );
    // Several more polls: nothing runs it again.
    await sleep(1_600);
    expect(seen).toEqual([{ data: { n: 42 }, retryCount: 0 }]);
  });

  it('retries a failing job by its policy, logs each failure, and then records it as failed', async () => {
    const attempts: number[] = [];
    const jobs = queue();
    await jobs.work(
      'test.always-fails',
      async (job) => {
        attempts.push(job.retryCount);
        throw new Error(`Reminder ${job.data.n} could not be sent`);
      },
      { ...fast, retryLimit: 2, retryDelay: 0, retryBackoff: false },
    );
    await jobs.start();

    const id = await jobs.send('test.always-fails', { n: 7 });
    const failed = await eventually('the job to be recorded as failed', async () =>
      (await jobs.findJobs('test.always-fails')).find((job) => job.id === id && job.state === 'failed'),
    );
    expect(attempts).toEqual([0, 1, 2]);
    expect(failed.retryCount).toBe(2);
    expect(failed.output).toMatchObject({ message: 'Reminder 7 could not be sent' });

    const errors = logs.filter((line) => line.level === 'error');
    expect(errors.map((line) => line.message)).toEqual([
      'Job test.always-fails failed; it will be retried (2 retries left).',
      'Job test.always-fails failed; it will be retried (1 retry left).',
      'Job test.always-fails failed with no retries left and is recorded as failed.',
    ]);
    expect(errors[0]?.object).toMatchObject({ job: { id, name: 'test.always-fails', attempt: 1 } });
    // The job's data is never logged: it may identify someone.
    expect(JSON.stringify(errors.map((line) => line.object))).not.toContain('"n":7');
  });

  it('writes schedules in Europe/London time and removes those no module declares any more', async () => {
    const first = await started({ work: false });
    await first.work('test.daily', async () => undefined);
    await first.schedule('test.daily', '0 7 * * *', { kind: 'reminders' });
    await first.schedule('test.retired', '30 6 * * 1');
    const stored = async () =>
      (
        await sql<{ name: string; key: string; cron: string; timezone: string; data: unknown }>`
          select name, key, cron, timezone, data from pgboss.schedule order by name`.execute(database.db)
      ).rows;
    expect(await stored()).toEqual([
      {
        name: 'test.daily',
        key: '',
        cron: '0 7 * * *',
        timezone: 'Europe/London',
        data: { kind: 'reminders' },
      },
      { name: 'test.retired', key: '', cron: '30 6 * * 1', timezone: 'Europe/London', data: null },
    ]);
    await first.stop();

    // The next working start declares only the daily schedule.
    const next = queue();
    await next.work('test.daily', async () => undefined);
    await next.schedule('test.daily', '0 7 * * *', { kind: 'reminders' });
    await next.start();
    expect((await stored()).map((row) => row.name)).toEqual(['test.daily']);
  });

  it('sends a job inside a transaction: it exists only if the transaction commits', async () => {
    const seen: number[] = [];
    const jobs = queue();
    await jobs.work(
      'test.in-transaction',
      async (job) => {
        seen.push(job.data.n);
      },
      fast,
    );
    await jobs.start();

    await expect(
      database.db.transaction().execute(async (trx) => {
        await jobs.send('test.in-transaction', { n: 1 }, { trx });
        throw new Error('the change is abandoned');
      }),
    ).rejects.toThrow('the change is abandoned');

    let id: string | null = null;
    await database.db.transaction().execute(async (trx) => {
      id = await jobs.send('test.in-transaction', { n: 2 }, { trx });
      // Workers poll meanwhile: on PGlite they wait for the session, on PostgreSQL they cannot
      // see the uncommitted job. Either way nothing runs until the commit.
      await sleep(1_200);
      expect(seen).toEqual([]);
    });
    await eventually('the committed job to complete', async () =>
      (await stateOf(jobs, 'test.in-transaction', id!)) === 'completed' ? true : undefined,
    );
    await sleep(1_000);
    expect(seen).toEqual([2]);
    expect((await jobs.findJobs('test.in-transaction')).map((job) => job.data.n)).toEqual([2]);
  });

  it.runIf(testDriver() === 'pglite')(
    "on PGlite, waits for a transaction in progress rather than run inside it (Kysely's lock)",
    async () => {
      const jobs = await started({ work: false });
      await jobs.work('test.echo', async () => undefined);
      let sending: Promise<string | null> | undefined;
      let sent = false;
      await expect(
        database.db.transaction().execute(async () => {
          // Sent without the transaction, while it holds PGlite's one session.
          sending = jobs.send('test.echo', { n: 99 }).finally(() => (sent = true));
          await sleep(500);
          expect(sent).toBe(false);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      // Had the insert run inside the transaction, the rollback would have taken it away.
      const id = await sending!;
      expect(await stateOf(jobs, 'test.echo', id!)).toBe('created');
    },
  );

  it('stops cleanly: the job in hand finishes, then nothing more is fetched or sent', async () => {
    const events: string[] = [];
    const jobs = queue();
    await jobs.work(
      'test.slow',
      async (job) => {
        events.push(`start ${job.data.n}`);
        await sleep(700);
        events.push(`end ${job.data.n}`);
      },
      fast,
    );
    await jobs.start();
    const id = await jobs.send('test.slow', { n: 1 });
    await eventually('the job to start', async () => (events.length > 0 ? true : undefined));

    await jobs.stop();
    expect(events).toEqual(['start 1', 'end 1']);
    expect(jobs.running).toBe(false);
    await expect(jobs.send('test.slow', { n: 2 })).rejects.toThrow('The job queue has stopped.');
    await jobs.stop();

    // The job was completed before stop() returned, and the database is free for everyone else.
    const rows = await sql<{ state: string }>`select state::text from pgboss.job where id = ${id}`.execute(
      database.db,
    );
    expect(rows.rows).toEqual([{ state: 'completed' }]);
    await sleep(1_000);
    expect(events).toEqual(['start 1', 'end 1']);
  });

  it('runs due jobs at once for a test, settling them as a worker would (KINDRED_JOBS=off)', async () => {
    const done: number[] = [];
    const jobs = queue({ work: false });
    await jobs.work('test.due-now', async (job) => {
      done.push(job.data.n);
    });
    await jobs.work(
      'test.due-now-fails',
      async () => {
        throw new Error('no luck');
      },
      { retryLimit: 1, retryDelay: 0, retryBackoff: false },
    );

    // Sending starts the queue lazily; it sends but does not work.
    await jobs.send('test.due-now', { n: 1 });
    await jobs.send('test.due-now', { n: 2 });
    await jobs.send('test.due-now', { n: 3 }, { startAfter: 3600 });
    expect(jobs.running).toBe(true);
    await sleep(1_200);
    expect(done).toEqual([]);

    expect(await jobs.runDue('test.due-now')).toEqual({ completed: 2, failed: 0 });
    expect(done.sort()).toEqual([1, 2]);
    const states = (await jobs.findJobs('test.due-now')).map((job) => [job.data.n, job.state]);
    expect(states.sort()).toEqual([
      [1, 'completed'],
      [2, 'completed'],
      [3, 'created'],
    ]);

    const failing = await jobs.send('test.due-now-fails', { n: 4 });
    expect(await jobs.runDue('test.due-now-fails')).toEqual({ completed: 0, failed: 2 });
    expect(await stateOf(jobs, 'test.due-now-fails', failing!)).toBe('failed');
  });

  it('refuses to send a job nobody works, or inside a transaction before it has started', async () => {
    const jobs = queue({ work: false });
    await expect(jobs.send('test.echo', { n: 1 })).rejects.toThrow(/Job test.echo has no worker/);
    await jobs.work('test.echo', async () => undefined);
    await expect(
      database.db.transaction().execute((trx) => jobs.send('test.echo', { n: 1 }, { trx })),
    ).rejects.toThrow(/must be started before a job is sent inside a transaction/);
  });

  it('leaves the pgboss schema out of backups, which restore into a database that has one', async () => {
    const jobs = await started({ work: false });
    await jobs.work('test.echo', async () => undefined);
    await jobs.send('test.echo', { n: 1 });
    const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-jobs-backup-'));
    const target = await createTestDatabase();
    try {
      const key = auditKeyFrom('job-queue-test-secret-that-is-long-enough-01');
      const file = path.join(scratch, 'backup.jsonl.gz');
      const backup = await backupDatabase(database, file, { auditKey: key });
      const publicTables = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = 'public' and table_name <> 'schema_migrations' order by table_name`.execute(
        database.db,
      );
      expect(backup.tables.map((table) => table.name).sort()).toEqual(
        publicTables.rows.map((row) => row.name),
      );

      const targetJobs = await startJobQueue<TestJobs>({ database: target, logger, work: false });
      await targetJobs.stop();
      const restored = await restoreDatabase(target, file, key);
      expect(restored.rows).toBe(backup.rows);
    } finally {
      await target.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('the job queue in the application', () => {
  it('is on context and app, not started by building the app, and stopped by closing it', async () => {
    const testApp = await createTestApp({ database: await createTestDatabase() });
    try {
      expect(testApp.config.jobs).toBe(false);
      expect(testApp.app.jobs.running).toBe(false);
      const schema = await sql<{
        name: string | null;
      }>`select to_regnamespace('pgboss')::text as name`.execute(testApp.database.db);
      expect(schema.rows).toEqual([{ name: null }]);
      await testApp.app.jobs.start();
      expect(testApp.app.jobs.running).toBe(true);
      expect(testApp.app.jobs.working).toBe(false);
    } finally {
      await testApp.close();
    }
    expect(testApp.app.jobs.running).toBe(false);
  });
});
