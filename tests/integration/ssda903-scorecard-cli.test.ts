// `kindred ssda903 scorecard DIR --window-end YYYY-MM-DD --json` as a council's performance officer
// runs it (issue 9 §3): from files alone, no database. The fixtures are invented children whose
// figures were worked out by hand (tests/fixtures/ssda903/scorecard/README.md shows the sums).
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixtures = path.resolve('tests/fixtures/ssda903/scorecard/councils');
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-scorecard-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const cliTimeout = 60_000;

async function scorecard(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KINDRED_ENV: 'development' };
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/kindred.mjs', 'ssda903', 'scorecard', ...args],
      { env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('kindred ssda903 scorecard', () => {
  it(
    'gives each council folder its figures and adds them up under "all" (several years merged per child)',
    async () => {
      const result = await scorecard(fixtures, '--window-end', '2024-03-31', '--json');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        101: { A1: 496, A2: 182, A2_n: 3, A3_percent: 67, A10: 385, n: 3 },
        102: { A1: 370, A2: 234, A2_n: 1, A3_percent: 100, A10: 370, n: 1 },
        all: { A1: 465, A2: 195, A2_n: 4, A3_percent: 75, A10: 381, n: 4 },
      });
    },
    cliTimeout,
  );

  it(
    'keys one return in the folder itself by --la, and --la picks one council from a folder of councils',
    async () => {
      const single = await scorecard(
        path.join(fixtures, '101'),
        '--window-end',
        '2024-03-31',
        '--la',
        '101',
        '--json',
      );
      const figures101 = { A1: 496, A2: 182, A2_n: 3, A3_percent: 67, A10: 385, n: 3 };
      expect(JSON.parse(single.stdout)).toEqual({ 101: figures101, all: figures101 });

      const picked = await scorecard(fixtures, '--la', '102', '--window-end', '2024-03-31', '--json');
      const figures102 = { A1: 370, A2: 234, A2_n: 1, A3_percent: 100, A10: 370, n: 1 };
      expect(JSON.parse(picked.stdout)).toEqual({ 102: figures102, all: figures102 });

      const unnamed = await scorecard(path.join(fixtures, '101'), '--window-end', '2024-03-31', '--json');
      expect(JSON.parse(unnamed.stdout)).toEqual({ all: figures101 });
    },
    cliTimeout,
  );

  it(
    'reads only the later year alone as a child whose entry into care is unknown: adopted, but not in A1',
    async () => {
      const result = await scorecard(
        path.join(fixtures, '102', '2023-24'),
        '--window-end',
        '2024-03-31',
        '--json',
      );
      // The placement order and match are in this year's return, so A2 is still known.
      expect(JSON.parse(result.stdout)).toEqual({
        all: { A1: null, A2: 234, A2_n: 1, A3_percent: null, A10: null, n: 1 },
      });
    },
    cliTimeout,
  );

  it(
    'prints null where no child was adopted in the window',
    async () => {
      const result = await scorecard(fixtures, '--window-end', '2019-03-31', '--json');
      const none = { A1: null, A2: null, A2_n: 0, A3_percent: null, A10: null, n: 0 };
      expect(JSON.parse(result.stdout)).toEqual({ 101: none, 102: none, all: none });
    },
    cliTimeout,
  );

  it(
    'refuses a bad window end, a missing council and an unreadable return with one clear sentence',
    async () => {
      const badDate = await scorecard(fixtures, '--window-end', '31/03/2024', '--json');
      expect(badDate.code).not.toBe(0);
      expect(badDate.stderr).toContain('--window-end must be a date written YYYY-MM-DD');

      const missing = await scorecard(fixtures, '--window-end', '2024-03-31', '--la', '999', '--json');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain('has no folder for council 999');

      const broken = path.join(scratch, 'broken', '201');
      cpSync(path.join(fixtures, '101'), broken, { recursive: true });
      writeFileSync(
        path.join(broken, 'extra.csv'),
        'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2020,WBRI,,,\n',
      );
      const result = await scorecard(path.dirname(broken), '--window-end', '2024-03-31', '--json');
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('cannot be read');
    },
    cliTimeout,
  );
});
