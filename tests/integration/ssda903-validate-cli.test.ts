// `kindred ssda903 validate` as a council's performance officer runs it (issue 9 §2), on the
// MIT-licensed fake return (tests/fixtures/ssda903/fake-data, from data-to-insight's validator):
// the exact JSON shape on stdout, known findings, read problems on stderr, the exit codes, and
// the copy of the return whose PlacedAdoption table carries deliberate errors. No database.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tableNames } from '../../src/modules/ssda903/return.js';

const run = promisify(execFile);
const fixtures = 'tests/fixtures/ssda903';
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-ssda903-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const cliTimeout = 120_000;

async function validate(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['bin/kindred.mjs', 'ssda903', 'validate', ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface Output {
  errors: Array<{ code: string; table: string; row: number; fields: string[]; message: string }>;
}

/** The fake return with its PlacedAdoption table replaced by placed_for_adoption_errors.csv. */
function returnWithPlacementErrors(): string {
  const dir = path.join(scratch, 'with-errors');
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(`${fixtures}/fake-data`)) {
    if (file !== 'placed_for_adoption.csv')
      copyFileSync(`${fixtures}/fake-data/${file}`, path.join(dir, file));
  }
  copyFileSync(
    `${fixtures}/fake-data-errors/placed_for_adoption_errors.csv`,
    path.join(dir, 'placed_for_adoption_errors.csv'),
  );
  return dir;
}

describe('kindred ssda903 validate', () => {
  it(
    'prints exactly {"errors":[…]} for the fake return, with known findings, and exits 1',
    async () => {
      const result = await validate(`${fixtures}/fake-data`, '--json');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('DoLo.csv was ignored');
      const output = JSON.parse(result.stdout) as Output;
      expect(Object.keys(output)).toEqual(['errors']);
      expect(output.errors.length).toBeGreaterThan(0);
      for (const error of output.errors) {
        expect(Object.keys(error)).toEqual(['code', 'table', 'row', 'fields', 'message']);
        expect(tableNames).toContain(error.table);
        expect(Number.isInteger(error.row) && error.row >= 0).toBe(true);
        expect(error.fields.length).toBeGreaterThan(0);
      }
      // episodes.csv data row 2: child 384923 placed for adoption under a placement order (A5)
      // while the legal status is L1.
      expect(output.errors).toContainEqual({
        code: '408',
        table: 'Episodes',
        row: 2,
        fields: ['PLACE', 'LS'],
        message:
          'Child is placed for adoption with a placement order, but no placement order has been recorded.',
      });
      // The valid PlacedAdoption table agrees with AD1 and has no overlapping decisions.
      expect(output.errors.filter((e) => ['523', '579'].includes(e.code))).toEqual([]);
      // Ordered by table, row, code.
      const keys = output.errors.map((e) => [tableNames.indexOf(e.table as never), e.row] as const);
      expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    },
    cliTimeout,
  );

  it(
    'finds the deliberate errors of placed_for_adoption_errors.csv',
    async () => {
      const result = await validate(returnWithPlacementErrors(), '--json', '--collection-end', '31/03/2018');
      expect(result.code).toBe(1);
      const output = JSON.parse(result.stdout) as Output;
      // Child 988635 has a second decision made while the first was still open.
      expect(output.errors).toContainEqual(
        expect.objectContaining({ code: '579', table: 'PlacedAdoption', row: 0 }),
      );
      // Every decision date was moved a year, so it no longer matches AD1's date should be placed.
      expect(output.errors.filter((e) => e.code === '523' && e.table === 'AD1').length).toBeGreaterThan(20);
    },
    cliTimeout,
  );

  it(
    'prints a readable summary by table and rule without --json',
    async () => {
      const result = await validate(`${fixtures}/fake-data-xml`, '--collection-start', '01/04/2017');
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /collection year 01\/04\/2017 to 31\/03\/2018: \d+ errors in \d+ tables\./,
      );
      expect(result.stdout).toMatch(/^Episodes: \d+ errors$/m);
      expect(result.stdout).toMatch(/^ {2}408 \(rows? [\d, ]+.*\): Child is placed for adoption/m);
    },
    cliTimeout,
  );

  it(
    'refuses a folder that mixes the XML return with CSV tables: stderr says why, stdout stays empty',
    async () => {
      const mixed = path.join(scratch, 'mixed');
      mkdirSync(mixed, { recursive: true });
      copyFileSync(`${fixtures}/fake-data/ad1.csv`, path.join(mixed, 'ad1.csv'));
      copyFileSync(`${fixtures}/fake-data-xml/fake_903.xml`, path.join(mixed, 'fake_903.xml'));
      const result = await validate(mixed, '--json');
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain('mix an XML return');
    },
    cliTimeout,
  );

  it(
    'exits 0 with {"errors":[]} for a return without errors, and rejects a bad date option',
    async () => {
      const clean = path.join(scratch, 'clean');
      mkdirSync(clean, { recursive: true });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        path.join(clean, 'header.csv'),
        'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2015,WBRI,A123456789012,,\n',
      );
      const ok = await validate(clean, '--json', '--collection-end', '31/03/2024');
      expect(ok).toMatchObject({ code: 0, stdout: '{"errors":[]}\n' });
      const bad = await validate(clean, '--collection-end', '2024-03-31');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('dd/mm/yyyy');
    },
    cliTimeout,
  );
});
