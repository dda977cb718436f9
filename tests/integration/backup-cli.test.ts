// `kindred backup FILE` and `kindred restore FILE` as an operator runs them (issue 2 §5, §9;
// security.md RL-5): one sentence each, exit 0 on success and 1 with nothing restored otherwise.
// PGlite data directories prepared by the test; the PostgreSQL path is the same code, tested in
// backup-restore.test.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { auditKeyFrom, writeAudit } from '../../src/platform/audit/audit.js';
import { openDatabase } from '../../src/platform/db/client.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { testDriver } from '../support/test-database.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-backup-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const secret = 'backup-cli-test-secret-that-is-long-enough-01';
// Each command starts Node and opens (and for a new directory, initialises) an embedded database.
const cliTimeout = 240_000;

async function kindred(dataDir: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KINDRED_ENV: 'development',
    KINDRED_SECRET: secret,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  };
  delete env.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/kindred.mjs', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The command reads a PGlite data directory whichever driver the run uses, so it runs in the PGlite pass.
describe.skipIf(testDriver() === 'postgres')('kindred backup and kindred restore (RL-5)', () => {
  it(
    'backs up a data directory and restores it into an empty one, then refuses a second restore',
    async () => {
      const from = path.join(scratch, 'from');
      const database = await openDatabase({ dataDir: from });
      try {
        await migrate(database.db);
        await database.db
          .insertInto('organisations')
          .values({
            code: 'cli-raa',
            kind: 'raa',
            name: 'CLI RAA',
            parent_id: null,
            raa_id: null,
            la_code: null,
            ons_code: null,
            contact_email: null,
            contact_phone: null,
            website: null,
          })
          .execute();
        for (let i = 0; i < 3; i += 1) {
          await writeAudit(
            database.db,
            auditKeyFrom(secret),
            { actor: null, ip: null, userAgent: null, correlationId: null, now: new Date() },
            { action: 'region.load', outcome: 'success', subjectType: 'organisation', subjectId: 'cli-raa' },
          );
        }
      } finally {
        await database.close();
      }

      const file = path.join(scratch, 'kindred.backup.gz');
      const backup = await kindred(from, 'backup', file);
      expect(backup).toMatchObject({ code: 0, stderr: '' });
      expect(backup.stdout.trim()).toMatch(/^Backed up 4 rows from \d+ tables to .*kindred\.backup\.gz\.$/);

      const to = path.join(scratch, 'to');
      const restore = await kindred(to, 'restore', file);
      expect(restore).toMatchObject({ code: 0, stderr: '' });
      expect(restore.stdout.trim()).toMatch(
        /^Restored 4 rows into \d+ tables from .*; the audit trail verified \(3 entries, head #3 [0-9a-f]{16}\)\.$/,
      );

      const again = await kindred(to, 'restore', file);
      expect(again.code).toBe(1);
      expect(again.stderr.trim()).toBe(
        `The database at ${to} already holds data; restore only into an empty database.`,
      );
    },
    cliTimeout,
  );

  it(
    'a file that is not a backup restores nothing and says so in one sentence',
    async () => {
      const to = path.join(scratch, 'empty');
      const result = await kindred(to, 'restore', 'package.json');
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        'The backup file package.json is incomplete or damaged: incorrect header check.',
      );
    },
    cliTimeout,
  );
});
