// `kindred region load FILE` as an operator runs it (issue 2 §2, §9): a one-line summary and exit
// 0; the same file again changes nothing; a malformed file gives one sentence naming the line,
// exit 1, and the database exactly as it was. The real command on a PGlite data directory; the
// loader itself is tested on both drivers in organisations-region-load.test.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/platform/db/client.js';
import { demoRegionFile } from '../../src/modules/organisations/region-loader.service.js';

const run = promisify(execFile);
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-region-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Each command starts Node and opens (and, the first time, initialises) an embedded database.
const cliTimeout = 240_000;
const dataDir = path.join(scratch, 'data');

async function kindred(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KINDRED_ENV: 'development',
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

async function databaseState() {
  const database = await openDatabase({ dataDir });
  try {
    return {
      organisations: await database.db.selectFrom('organisations').selectAll().orderBy('code').execute(),
      audit: await database.db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq').execute(),
      settings: await database.db.selectFrom('installation_settings').selectAll().execute(),
    };
  } finally {
    await database.close();
  }
}

describe('kindred region load FILE (issue 2 §2, §9)', () => {
  it(
    'loads the demo region with a one-line summary, then changes nothing on a second run',
    async () => {
      const first = await kindred('region', 'load', demoRegionFile);
      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(first.stdout).toBe(
        "Loaded region 'Adopt London South (demo)': 27 organisations added, 0 changed, 0 deactivated.\n",
      );
      const before = await databaseState();
      expect(before.organisations).toHaveLength(27);

      const second = await kindred('region', 'load', demoRegionFile);
      expect(second).toMatchObject({ code: 0, stderr: '' });
      expect(second.stdout).toBe(
        "Region 'Adopt London South (demo)' is already up to date: 27 organisations, nothing changed.\n",
      );
      expect(await databaseState()).toEqual(before);
    },
    cliTimeout,
  );

  it(
    'refuses a malformed file with one sentence naming the line, exit 1, nothing changed',
    async () => {
      const before = await databaseState();
      const demo = readFileSync(demoRegionFile, 'utf8');
      // A renamed spoke before the mistake: it must not be applied either.
      const broken = demo
        .replace('name: South East spoke', 'name: Renamed spoke')
        .replace("laCode: '209'", "laCode: '29'");
      const line = broken.split('\n').findIndex((text) => text.includes("laCode: '29'")) + 1;
      const file = path.join(scratch, 'broken-region.yaml');
      writeFileSync(file, broken);

      const result = await kindred('region', 'load', file);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `${file}: Line ${line}: spokes[0].localAuthorities[2].laCode must be three digits (got '29').\n`,
      );
      expect(await databaseState()).toEqual(before);
    },
    cliTimeout,
  );

  it(
    'says which file it cannot read',
    async () => {
      const missing = path.join(scratch, 'no-such-region.yaml');
      const result = await kindred('region', 'load', missing);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`Cannot read the region file ${missing}: check the path and permissions.\n`);
    },
    cliTimeout,
  );
});
