// Rules 518–INT31 (the second half of adoption-rules-2025-26.tsv). Where the public validator's
// own test cases were recorded (tests/fixtures/ssda903/rules), each rule must flag exactly the
// rows they expect; the other rules are checked with small cases a social worker would recognise.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableNames, type TableName } from '../return.js';
import { parseReturnDate } from './helpers.js';
import type { Rule, RuleContext, RuleFlags } from './rule.js';
import { rulesB } from './rules-b.js';
import { aReturn } from '../../../../tests/support/ssda903-returns.js';

const codes = [
  '518', '519', '520', '521', '522', '523', '524', '525', '529', '551', '552', '553', '554', '557', '558',
  '559', '560', '561', '563', '579', '582', '583', '584', '601', '602', 'INT01', 'INT02', 'INT11', 'INT12', 'INT31',
]; // prettier-ignore

type Cell = string | number | null;
type Rows = Array<Record<string, string>>;

function rule(code: string): Rule {
  const found = rulesB.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no rule ${code}`);
  return found;
}

/** This year's tables, last year's (optional) and the 2020-21 collection year unless told. */
function run(
  code: string,
  current: Partial<Record<TableName, Rows>>,
  previous?: Partial<Record<TableName, Rows>>,
  year: { collectionStart: string; collectionEnd: string } = {
    collectionStart: '2020-04-01',
    collectionEnd: '2021-03-31',
  },
): RuleFlags {
  const context: RuleContext = {
    current: aReturn(current),
    previous: previous ? aReturn(previous) : undefined,
    ...year,
  };
  return rule(code).check(context);
}

// ---- Recorded fixtures -------------------------------------------------------------------------

interface FixtureTable {
  columns: string[];
  index: Cell[];
  rows: Cell[][];
}
interface FixtureCase {
  input: Record<string, FixtureTable | { collection_start: string; collection_end: string }>;
  metadata?: { collection_start: string; collection_end: string };
  expected: Record<string, Cell[]>;
}
interface Fixture {
  code: string;
  message: string;
  affected_fields: string[];
  cases: FixtureCase[];
}

function readFixture(code: string): Fixture {
  const url = new URL(`../../../../tests/fixtures/ssda903/rules/rule_${code}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Fixture;
}

function isTable(value: unknown): value is FixtureTable {
  return typeof value === 'object' && value !== null && 'columns' in value;
}

/** Turns a fixture case into a context; row position i of a table stands for its index label i. */
function fixtureContext(testCase: FixtureCase): { context: RuleContext; labels: Map<string, Cell[]> } {
  const current: Partial<Record<TableName, Rows>> = {};
  const previous: Partial<Record<TableName, Rows>> = {};
  const labels = new Map<string, Cell[]>();
  let hasPrevious = false;
  for (const [key, value] of Object.entries(testCase.input)) {
    if (!isTable(value)) continue;
    const isLast = key.endsWith('_last');
    const name = (isLast ? key.slice(0, -'_last'.length) : key) as TableName;
    if (!tableNames.includes(name)) throw new Error(`unknown fixture table ${key}`);
    const rows = value.rows.map((cells) =>
      Object.fromEntries(
        value.columns.map((column, i) => [column, cells[i] == null ? '' : String(cells[i])]),
      ),
    );
    if (isLast) {
      previous[name] = rows;
      hasPrevious = true;
    } else {
      current[name] = rows;
      labels.set(name, value.index);
    }
  }
  const metadataInput = testCase.input.metadata;
  const metadata = testCase.metadata ?? (isTable(metadataInput) ? undefined : metadataInput);
  return {
    context: {
      current: aReturn(current),
      previous: hasPrevious ? aReturn(previous) : undefined,
      collectionStart: parseReturnDate(metadata?.collection_start) ?? '2020-04-01',
      collectionEnd: parseReturnDate(metadata?.collection_end) ?? '2021-03-31',
    },
    labels,
  };
}

const fixtureCodes = [
  '518',
  '520',
  '522',
  '524',
  '529',
  '552',
  '554',
  '558',
  '560',
  '563',
  '582',
  '584',
  '602',
  'INT02',
  'INT12',
];

describe('rules 518–INT31 against the recorded fixtures', () => {
  it('implements the thirty rules in TSV order', () => {
    expect(rulesB.map((candidate) => candidate.code)).toEqual(codes);
  });

  for (const code of fixtureCodes) {
    it(`rule ${code} flags exactly the rows the fixture expects`, () => {
      const fixture = readFixture(code);
      expect(rule(code).message).toBe(fixture.message);
      expect(rule(code).fields).toEqual(fixture.affected_fields);
      for (const testCase of fixture.cases) {
        const { context, labels } = fixtureContext(testCase);
        const flags = rule(code).check(context);
        const tables = new Set([...Object.keys(flags), ...Object.keys(testCase.expected)]);
        for (const table of tables) {
          const index = labels.get(table) ?? [];
          const flagged = (flags[table as TableName] ?? []).map((position) => Number(index[position]));
          const expected = (testCase.expected[table] ?? []).map(Number);
          expect(
            flagged.sort((a, b) => a - b),
            `${code} ${table}`,
          ).toEqual(expected.sort((a, b) => a - b));
        }
      }
    });
  }
});

// ---- Own cases for the rules without a fixture ----------------------------------------------------

describe('adopters’ legal status against their genders', () => {
  it('519: civil partners recorded as a single adopter are flagged; MM, FF and MF partners pass', () => {
    const flags = run('519', {
      AD1: [
        { CHILD: 'Amir', LS_ADOPTR: 'L2', SEX_ADOPTR: 'F1' },
        { CHILD: 'Beth', LS_ADOPTR: 'L2', SEX_ADOPTR: 'FF' },
        { CHILD: 'Cal', LS_ADOPTR: 'L2', SEX_ADOPTR: 'MF' },
        { CHILD: 'Dev', LS_ADOPTR: 'L0', SEX_ADOPTR: 'M1' },
      ],
    });
    expect(flags).toEqual({ AD1: [0] });
  });
});

describe('dates of the decisions and the placement', () => {
  it('521: a placement for adoption that starts before the "should be placed" date is flagged', () => {
    const flags = run('521', {
      Episodes: [
        { CHILD: 'Amir', DECOM: '01/06/2020', PLACE: 'U1' },
        { CHILD: 'Amir', DECOM: '01/09/2020', PLACE: 'A4' },
        { CHILD: 'Beth', DECOM: '10/05/2020', PLACE: 'A6' },
      ],
      AD1: [
        { CHILD: 'Amir', DATE_INT: '15/08/2020' },
        { CHILD: 'Beth', DATE_INT: '20/05/2020' },
      ],
    });
    expect(flags).toEqual({ Episodes: [2], AD1: [1] });
  });

  it('523: the AD1 "should be placed" date must match one of the child’s decisions', () => {
    const flags = run('523', {
      PlacedAdoption: [
        { CHILD: 'Amir', DATE_PLACED: '15/08/2020' },
        // Beth's first decision was reversed; she was adopted under the second one.
        {
          CHILD: 'Beth',
          DATE_PLACED: '01/02/2019',
          DATE_PLACED_CEASED: '01/03/2019',
          REASON_PLACED_CEASED: 'RD1',
        },
        { CHILD: 'Beth', DATE_PLACED: '01/05/2020' },
        { CHILD: 'Cal', DATE_PLACED: '01/07/2020' },
      ],
      AD1: [
        { CHILD: 'Amir', DATE_INT: '15/08/2020' },
        { CHILD: 'Beth', DATE_INT: '01/05/2020' },
        { CHILD: 'Cal', DATE_INT: '02/07/2020' },
      ],
    });
    expect(flags).toEqual({ PlacedAdoption: [3], AD1: [2] });
  });

  it('552: a later decision after a disrupted placement is not compared with that earlier placement', () => {
    const flags = run('552', {
      Episodes: [
        { CHILD: 'Beth', DECOM: '01/04/2019', PLACE: 'A4' },
        { CHILD: 'Beth', DECOM: '01/10/2019', PLACE: 'U1' },
        { CHILD: 'Beth', DECOM: '01/08/2020', PLACE: 'A4' },
      ],
      PlacedAdoption: [
        {
          CHILD: 'Beth',
          DATE_PLACED: '01/03/2019',
          DATE_PLACED_CEASED: '01/10/2019',
          REASON_PLACED_CEASED: 'RD1',
        },
        { CHILD: 'Beth', DATE_PLACED: '01/06/2020' },
      ],
    });
    expect(flags).toEqual({});
  });
});

describe('decisions reversed, missing or still open', () => {
  it('525: a child whose only decision was reversed cannot also have adoption details; a later open decision can', () => {
    const flags = run('525', {
      PlacedAdoption: [
        {
          CHILD: 'Amir',
          DATE_PLACED: '01/05/2020',
          DATE_PLACED_CEASED: '01/09/2020',
          REASON_PLACED_CEASED: 'RD1',
        },
        {
          CHILD: 'Beth',
          DATE_PLACED: '01/02/2019',
          DATE_PLACED_CEASED: '01/03/2019',
          REASON_PLACED_CEASED: 'RD1',
        },
        { CHILD: 'Beth', DATE_PLACED: '01/05/2020' },
        {
          CHILD: 'Cal',
          DATE_PLACED: '01/05/2020',
          DATE_PLACED_CEASED: '01/09/2020',
          REASON_PLACED_CEASED: 'RD1',
        },
      ],
      AD1: [
        { CHILD: 'Amir', DATE_INT: '01/05/2020', DATE_MATCH: '01/07/2020' },
        { CHILD: 'Beth', DATE_INT: '01/05/2020', DATE_MATCH: '01/07/2020' },
        { CHILD: 'Cal' },
      ],
    });
    expect(flags).toEqual({ PlacedAdoption: [0], AD1: [0] });
  });

  it('551: a child placed for adoption with no decision date is flagged', () => {
    const flags = run('551', {
      Episodes: [
        { CHILD: 'Amir', DECOM: '01/06/2020', PLACE: 'A5' },
        { CHILD: 'Beth', DECOM: '01/06/2020', PLACE: 'A4' },
        { CHILD: 'Cal', DECOM: '01/06/2020', PLACE: 'A6' },
        { CHILD: 'Dev', DECOM: '01/06/2020', PLACE: 'U1' },
      ],
      PlacedAdoption: [
        { CHILD: 'Amir', DATE_PLACED: '01/05/2020' },
        { CHILD: 'Beth', DATE_PLACED: '' },
      ],
    });
    expect(flags).toEqual({ Episodes: [1, 2] });
  });

  it('553: a placement order with no decision date, or with every decision ceased while it is in force, is flagged', () => {
    const flags = run('553', {
      Episodes: [
        { CHILD: 'Amir', DECOM: '01/06/2020', LS: 'E1' },
        { CHILD: 'Beth', DECOM: '01/06/2020', LS: 'E1' },
        { CHILD: 'Cal', DECOM: '01/06/2020', LS: 'E1' },
        { CHILD: 'Dev', DECOM: '01/06/2020', LS: 'C2' },
      ],
      PlacedAdoption: [
        { CHILD: 'Amir', DATE_PLACED: '01/05/2020' },
        {
          CHILD: 'Cal',
          DATE_PLACED: '01/05/2020',
          DATE_PLACED_CEASED: '01/09/2020',
          REASON_PLACED_CEASED: 'RD1',
        },
      ],
    });
    expect(flags).toEqual({ Episodes: [1], PlacedAdoption: [1] });
  });

  it('557: a child who left care to a special guardian with the decision not closed is flagged', () => {
    const flags = run('557', {
      Episodes: [
        { CHILD: 'Amir', DECOM: '01/05/2020', LS: 'E1', PLACE: 'U1', DEC: '01/12/2020', REC: 'E41' },
        { CHILD: 'Beth', DECOM: '01/05/2020', LS: 'E1', PLACE: 'A4', DEC: '01/12/2020', REC: 'E11' },
        { CHILD: 'Cal', DECOM: '01/05/2020', LS: 'E1', PLACE: 'U1', DEC: '01/12/2020', REC: 'E41' },
        { CHILD: 'Dev', DECOM: '01/05/2020', LS: 'E1', PLACE: 'A4', DEC: '01/12/2020', REC: 'X1' },
        { CHILD: 'Dev', DECOM: '01/12/2020', LS: 'E1', PLACE: 'U1' },
        { CHILD: 'Eve', DECOM: '01/05/2020', LS: 'E1', PLACE: 'U1', DEC: '01/12/2020', REC: 'E41' },
      ],
      PlacedAdoption: [
        { CHILD: 'Amir', DATE_PLACED: '01/04/2020' },
        { CHILD: 'Beth', DATE_PLACED: '01/04/2020' },
        {
          CHILD: 'Cal',
          DATE_PLACED: '01/04/2020',
          DATE_PLACED_CEASED: '01/11/2020',
          REASON_PLACED_CEASED: 'RD1',
        },
        { CHILD: 'Dev', DATE_PLACED: '01/04/2020' },
      ],
    });
    // Amir: decision still open; Eve: placement order but no decision recorded at all.
    expect(flags).toEqual({ Episodes: [0, 5], PlacedAdoption: [0] });
  });

  it('579: a new decision while the last is open, or before it ceased, is flagged', () => {
    const flags = run('579', {
      PlacedAdoption: [
        { CHILD: 'Amir', DATE_PLACED: '01/05/2020' },
        { CHILD: 'Amir', DATE_PLACED: '01/09/2020' },
        { CHILD: 'Beth', DATE_PLACED: '01/05/2020', DATE_PLACED_CEASED: '01/10/2020' },
        { CHILD: 'Beth', DATE_PLACED: '01/09/2020' },
        { CHILD: 'Cal', DATE_PLACED: '01/05/2020', DATE_PLACED_CEASED: '01/08/2020' },
        { CHILD: 'Cal', DATE_PLACED: '01/08/2020' },
      ],
    });
    expect(flags).toEqual({ PlacedAdoption: [1, 3] });
  });

  it('583: an earlier decision left open beside a later one is flagged', () => {
    const flags = run('583', {
      PlacedAdoption: [
        { CHILD: 'Amir', DATE_PLACED: '01/05/2020' },
        { CHILD: 'Amir', DATE_PLACED: '01/09/2020' },
        { CHILD: 'Beth', DATE_PLACED: '01/05/2020', DATE_PLACED_CEASED: '01/08/2020' },
        { CHILD: 'Beth', DATE_PLACED: '01/09/2020' },
        { CHILD: 'Cal', DATE_PLACED: '01/05/2020' },
      ],
    });
    expect(flags).toEqual({ PlacedAdoption: [0] });
  });
});

describe('comparison with last year’s return', () => {
  const lastYear: Partial<Record<TableName, Rows>> = {
    PlacedAdoption: [
      { CHILD: 'Amir', DATE_PLACED: '01/02/2020' },
      { CHILD: 'Beth', DATE_PLACED: '' },
      {
        CHILD: 'Cal',
        DATE_PLACED: '01/02/2020',
        DATE_PLACED_CEASED: '01/03/2020',
        REASON_PLACED_CEASED: 'RD1',
      },
    ],
  };

  it('559: a decision from before this year that last year’s return did not record is flagged', () => {
    const flags = run(
      '559',
      {
        PlacedAdoption: [
          { CHILD: 'Amir', DATE_PLACED: '01/02/2020' },
          { CHILD: 'Beth', DATE_PLACED: '01/02/2020' },
          { CHILD: 'Dev', DATE_PLACED: '01/03/2020' },
          { CHILD: 'Eve', DATE_PLACED: '01/06/2020' },
        ],
      },
      lastYear,
    );
    expect(flags).toEqual({ PlacedAdoption: [1, 2] });
  });

  it('559–584 say nothing without last year’s return', () => {
    for (const code of ['559', '560', '561', '584']) {
      expect(run(code, { PlacedAdoption: [{ CHILD: 'Beth', DATE_PLACED: '01/02/2019' }] })).toEqual({});
    }
  });

  it('560: an open decision carried into this year alongside a new one is not flagged', () => {
    const flags = run(
      '560',
      {
        PlacedAdoption: [
          {
            CHILD: 'Amir',
            DATE_PLACED: '01/02/2020',
            DATE_PLACED_CEASED: '01/06/2020',
            REASON_PLACED_CEASED: 'RD1',
          },
          { CHILD: 'Amir', DATE_PLACED: '01/09/2020' },
        ],
      },
      lastYear,
    );
    expect(flags).toEqual({});
  });

  it('561: a decision reported again with the same date after it ceased last year is flagged', () => {
    const flags = run(
      '561',
      {
        PlacedAdoption: [
          { CHILD: 'Amir', DATE_PLACED: '01/02/2020' },
          { CHILD: 'Cal', DATE_PLACED: '01/02/2020' },
          { CHILD: 'Cal', DATE_PLACED: '01/07/2020' },
        ],
      },
      lastYear,
    );
    expect(flags).toEqual({ PlacedAdoption: [1] });
  });
});

describe('adoption details in AD1 and the episodes', () => {
  it('601: a child adopted this year with adoption details missing, or no AD1 row, is flagged', () => {
    const complete = {
      DATE_INT: '01/02/2020',
      DATE_MATCH: '01/05/2020',
      FOSTER_CARE: '0',
      NB_ADOPTR: '2',
      SEX_ADOPTR: 'MF',
      LS_ADOPTR: 'L11',
    };
    const flags = run('601', {
      Episodes: [
        { CHILD: 'Amir', DECOM: '01/06/2020', DEC: '01/12/2020', REC: 'E11' },
        { CHILD: 'Beth', DECOM: '01/06/2020', DEC: '01/12/2020', REC: 'E12' },
        { CHILD: 'Cal', DECOM: '01/06/2020', DEC: '01/12/2020', REC: 'E11' },
        { CHILD: 'Dev', DECOM: '01/06/2019', DEC: '01/12/2019', REC: 'E11' },
      ],
      AD1: [
        { CHILD: 'Amir', ...complete },
        { CHILD: 'Beth', ...complete, DATE_MATCH: '' },
      ],
    });
    expect(flags).toEqual({ Episodes: [1, 2], AD1: [1] });
  });

  it('INT01: a child in AD1 missing from Header is flagged', () => {
    const flags = run('INT01', {
      Header: [{ CHILD: 'Amir', DOB: '01/01/2018' }],
      AD1: [{ CHILD: 'Amir' }, { CHILD: 'Beth' }],
    });
    expect(flags).toEqual({ AD1: [1] });
  });

  it('INT11: a date of birth in AD1 that differs from Header is flagged', () => {
    const flags = run('INT11', {
      Header: [
        { CHILD: 'Amir', DOB: '01/01/2018' },
        { CHILD: 'Beth', DOB: '05/03/2019' },
      ],
      AD1: [
        { CHILD: 'Amir', DOB: '01/01/2018' },
        { CHILD: 'Beth', DOB: '03/05/2019' },
        { CHILD: 'Cal', DOB: '03/05/2019' },
      ],
    });
    expect(flags).toEqual({ AD1: [1] });
  });

  it('INT31: every AD1 row of a child recorded twice is flagged', () => {
    const flags = run('INT31', {
      AD1: [{ CHILD: 'Amir' }, { CHILD: 'Beth' }, { CHILD: 'Amir' }],
    });
    expect(flags).toEqual({ AD1: [0, 2] });
  });
});
