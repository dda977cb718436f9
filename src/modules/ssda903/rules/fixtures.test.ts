// The public DfE validator's own test cases (tests/fixtures/ssda903/rules, recorded from
// data-to-insight/csc-validator-be-903, MIT) run against Kindred's rules: each rule must flag
// exactly the rows those cases expect. Plus: every rule of adoption-rules-2025-26.tsv is
// registered once, with the TSV's message word for word.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableColumns, tableNames, type Ssda903Return, type Ssda903Row, type TableName } from '../return.js';
import { collectionYearFor } from '../validate.js';
import { rules } from './index.js';

const fixturesDir = new URL('../../../../tests/fixtures/ssda903/rules/', import.meta.url);

type Cell = string | number | null;
interface FixtureTable {
  columns: string[];
  index: Array<number | string>;
  rows: Cell[][];
}
interface Fixture {
  code: string;
  message: string;
  cases: Array<{
    input: Record<string, FixtureTable | Record<string, string>>;
    expected: Record<string, Array<number | string>>;
  }>;
}

/**
 * A fixture cell as a cell of a file. The DfE validator's tests build pandas frames, where None is
 * "no value" and '' is a value distinct from it; in a file "no value" is an empty cell, and the
 * nearest thing to pandas' '' is a cell holding a space, which the DfE reader (and Kindred) keep
 * as a value. Numbers are written as pandas' str() writes whole numbers.
 */
function cell(value: Cell): string {
  if (value === null) return '';
  if (value === '') return ' ';
  return String(value);
}

function isTable(value: unknown): value is FixtureTable {
  return typeof value === 'object' && value !== null && 'columns' in value && 'rows' in value;
}

function buildReturn(input: Fixture['cases'][number]['input'], suffix: '' | '_last'): Ssda903Return {
  const ret: Ssda903Return = { tables: {}, problems: [] };
  const tables = ret.tables as Record<string, unknown>;
  for (const name of tableNames) {
    const table = input[`${name}${suffix}`];
    if (!isTable(table)) continue;
    const rows: Ssda903Row[] = table.rows.map((values) => {
      const row: Record<string, string> = {};
      for (const column of tableColumns[name]) row[column] = '';
      table.columns.forEach((column, i) => {
        row[column] = cell(values[i] ?? null);
      });
      return row;
    });
    tables[name] = {
      name,
      source: `${name}${suffix}`,
      missingColumns: tableColumns[name].filter((c) => !table.columns.includes(c)),
      rows,
    };
  }
  return ret;
}

function dmyOption(metadata: Record<string, string> | undefined, key: string): string | undefined {
  return metadata?.[key];
}

const files = readdirSync(fixturesDir).filter((name) => /^rule_.+\.json$/.test(name));
const fixtures = files.map((name) => JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')) as Fixture);

describe('the DfE validator’s recorded cases', () => {
  it('are all present (30 fixtures)', () => {
    expect(fixtures.length).toBe(30);
  });

  for (const fixture of fixtures) {
    fixture.cases.forEach((testCase, caseNumber) => {
      it(`rule ${fixture.code} case ${caseNumber + 1} flags exactly the expected rows`, () => {
        const rule = rules.find((r) => r.code === fixture.code);
        expect(rule, `rule ${fixture.code} is registered`).toBeDefined();
        if (!rule) return;
        const current = buildReturn(testCase.input, '');
        const hasPrevious = Object.keys(testCase.input).some((k) => k.endsWith('_last'));
        const previous = hasPrevious ? buildReturn(testCase.input, '_last') : undefined;
        const metadata = testCase.input.metadata as Record<string, string> | undefined;
        const year = collectionYearFor(current, {
          collectionStart: dmyOption(metadata, 'collection_start'),
          collectionEnd: dmyOption(metadata, 'collection_end'),
        });
        const flags = rule.check({ current, previous, ...year });

        const flagged: Record<string, number[]> = {};
        for (const [table, positions] of Object.entries(flags) as Array<[TableName, readonly number[]]>) {
          const input = testCase.input[table];
          if (!isTable(input) || positions.length === 0) continue;
          flagged[table] = [...new Set(positions)].map((p) => Number(input.index[p])).sort((a, b) => a - b);
        }
        const expected: Record<string, number[]> = {};
        for (const [table, labels] of Object.entries(testCase.expected)) {
          if (labels.length > 0) expected[table] = labels.map(Number).sort((a, b) => a - b);
        }
        expect(flagged).toEqual(expected);
      });
    });
  }
});

describe('the registered rules', () => {
  const tsv = readFileSync(new URL('../adoption-rules-2025-26.tsv', fixturesDir), 'utf8');
  const listed = tsv
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [code = '', , , ...message] = line.split('\t');
      return { code, message: message.join('\t') };
    });

  it('are the 60 rules of adoption-rules-2025-26.tsv, each exactly once', () => {
    expect(listed).toHaveLength(60);
    expect([...rules.map((r) => r.code)].sort()).toEqual(listed.map((l) => l.code).sort());
  });

  for (const { code, message } of listed) {
    it(`rule ${code} has the TSV’s message word for word`, () => {
      expect(rules.find((r) => r.code === code)?.message).toBe(message);
    });
  }

  it('name fields that exist in the return', () => {
    const known = new Set(Object.values(tableColumns).flat());
    for (const rule of rules) {
      expect(rule.fields.length, rule.code).toBeGreaterThan(0);
      for (const field of rule.fields) expect(known.has(field), `${rule.code}: ${field}`).toBe(true);
    }
  });
});
