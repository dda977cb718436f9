// `kindred audit verify` as an operator runs it (security.md LG-4; issue 3 §6): on a sound trail
// it prints the count and head and exits 0; after one entry is altered underneath the guard it
// names that entry and exits 1. A PGlite data directory prepared by the test.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { auditKeyFrom, writeAudit } from '../../src/platform/audit/audit.js';
import { ensureDevelopmentSecret, loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db/client.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { testDriver } from '../support/test-database.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-audit-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// Each command starts Node and opens the embedded database.
const cliTimeout = 240_000;

async function auditVerify(dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, KINDRED_ENV: 'development', DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.KINDRED_SECRET;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/kindred.mjs', 'audit', 'verify'], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// The command reads a PGlite data directory whichever driver the run uses, so it runs in the PGlite pass.
describe.skipIf(testDriver() === 'postgres')('kindred audit verify (LG-4)', () => {
  it(
    'LG-4a: exits 0 with the count and head of a sound trail, and 1 naming an entry altered underneath',
    async () => {
      const dataDir = path.join(scratch, 'data');
      // The same development secret the command will find beside the data.
      const config = ensureDevelopmentSecret(loadConfig({ KINDRED_ENV: 'development', DATA_DIR: dataDir }));
      const database = await openDatabase({ dataDir: config.dataDir });
      let headHash: string;
      try {
        await migrate(database.db);
        for (let i = 0; i < 6; i += 1) {
          await writeAudit(
            database.db,
            auditKeyFrom(config.secret),
            { actor: null, ip: null, userAgent: null, correlationId: null, now: new Date() },
            { action: 'child.view', outcome: 'success', subjectType: 'child', subjectId: `child-${i}` },
          );
        }
        const head = await database.db
          .selectFrom('audit_events')
          .select('hash')
          .where('seq', '=', 6)
          .executeTakeFirstOrThrow();
        headHash = head.hash;
      } finally {
        await database.close();
      }

      const sound = await auditVerify(dataDir);
      expect(sound).toEqual({
        code: 0,
        stdout: `Audit trail verified: 6 entries, head #6 ${headHash.slice(0, 16)}.\n`,
        stderr: '',
      });

      const again = await openDatabase({ dataDir: config.dataDir });
      try {
        await sql`alter table audit_events disable trigger audit_events_no_update`.execute(again.db);
        await sql`update audit_events set reason = 'tidied up' where seq = 4`.execute(again.db);
        await sql`alter table audit_events enable trigger audit_events_no_update`.execute(again.db);
      } finally {
        await again.close();
      }

      const broken = await auditVerify(dataDir);
      expect(broken).toEqual({
        code: 1,
        stdout: '',
        stderr: 'Audit trail broken at entry #4: entry 4 has been altered.\n',
      });
    },
    cliTimeout,
  );
});
