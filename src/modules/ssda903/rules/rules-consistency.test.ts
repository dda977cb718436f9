// The two rule files read codes and CHILD the same way (./helpers.ts `codeOf`, `childKey`): a
// padded code is not the code, for a rule of rules-a.ts as for one of rules-b.ts; and a row naming
// no child is grouped with no other row and joined to no row of another table, in either file.
import { describe, expect, it } from 'vitest';
import type { TableName } from '../return.js';
import type { RuleFlags } from './rule.js';
import { rulesA } from './rules-a.js';
import { rulesB } from './rules-b.js';
import { aReturn } from '../../../../tests/support/ssda903-returns.js';

type Rows = Array<Record<string, string>>;

/** Runs the rule `code` (from whichever file holds it) on this year's tables, collection year 2020-21. */
function run(file: 'a' | 'b', code: string, tables: Partial<Record<TableName, Rows>>): RuleFlags {
  const found = (file === 'a' ? rulesA : rulesB).find((candidate) => candidate.code === code);
  if (!found) throw new Error(`no rule ${code} in rules-${file}.ts`);
  return found.check({
    current: aReturn(tables),
    previous: undefined,
    collectionStart: '2020-04-01',
    collectionEnd: '2021-03-31',
  });
}

/** The same rows for child '7' and for a row naming no child ('' or only spaces). */
function asChild(child: string, tables: Partial<Record<TableName, Rows>>): Partial<Record<TableName, Rows>> {
  const out: Partial<Record<TableName, Rows>> = {};
  for (const [name, rows] of Object.entries(tables) as Array<[TableName, Rows]>)
    out[name] = rows.map((row) => ({ CHILD: child, ...row }));
  return out;
}

describe('codes with surrounding spaces', () => {
  const ad1: Rows = [
    { CHILD: '1', LS_ADOPTR: 'L4 ', SEX_ADOPTR: 'M1' },
    { CHILD: '2', LS_ADOPTR: ' L0', SEX_ADOPTR: 'MM' },
    { CHILD: '3', LS_ADOPTR: 'L4', SEX_ADOPTR: 'M1' },
    { CHILD: '4', LS_ADOPTR: 'L0', SEX_ADOPTR: 'MM' },
  ];

  it('are invalid codes (177), so neither 514 (rules-a) nor 518 (rules-b) reads them as the code', () => {
    expect(run('a', '177', { AD1: ad1 })).toEqual({ AD1: [0, 1] });
    // Only the unpadded rows are read as L0 / L4.
    expect(run('a', '514', { AD1: ad1 })).toEqual({ AD1: [3] });
    expect(run('b', '518', { AD1: ad1 })).toEqual({ AD1: [2] });
  });

  it('are not the placement or provider they resemble, to 408 (rules-a) or 529 (rules-b)', () => {
    const episodes: Rows = [
      { CHILD: '1', DECOM: '01/06/2020', PLACE: 'A5 ', LS: 'C2' },
      { CHILD: '2', DECOM: '01/06/2020', PLACE: 'A4', PLACE_PROVIDER: 'PR3 ' },
      { CHILD: '3', DECOM: '01/06/2020', PLACE: 'A5', LS: 'C2' },
      { CHILD: '4', DECOM: '01/06/2020', PLACE: 'A4', PLACE_PROVIDER: 'PR3' },
    ];
    expect(run('a', '408', { Episodes: episodes })).toEqual({ Episodes: [2] });
    expect(run('b', '529', { Episodes: episodes })).toEqual({ Episodes: [3] });
  });

  it('a padded REC is not an adoption to 390 (rules-a) nor to 582 (rules-b)', () => {
    const tables: Partial<Record<TableName, Rows>> = {
      Episodes: [
        { CHILD: '1', DECOM: '01/06/2020', PLACE: 'U1', DEC: '01/12/2020', REC: 'E11 ' },
        { CHILD: '2', DECOM: '01/06/2020', PLACE: 'U1', DEC: '01/12/2020', REC: 'E11' },
      ],
      AD1: [
        { CHILD: '1', DATE_MATCH: '01/12/2020' },
        { CHILD: '2', DATE_MATCH: '01/12/2020' },
      ],
    };
    expect(run('a', '390', tables)).toEqual({ Episodes: [1] });
    expect(run('b', '582', tables)).toEqual({ Episodes: [1] });
  });
});

describe('rows naming no child', () => {
  for (const blank of ['', '   ']) {
    const label = blank === '' ? 'an empty CHILD' : 'a CHILD of spaces';

    it(`with ${label}, an episode and an AD1 row are not compared as one child's, by 331 (rules-a) or 521 (rules-b)`, () => {
      const matchedAfterPlacement = {
        Episodes: [{ DECOM: '01/06/2020', PLACE: 'A4', DEC: '01/12/2020', REC: 'E11' }],
        AD1: [{ DATE_INT: '01/07/2020', DATE_MATCH: '01/07/2020' }],
      };
      // For a named child both rules find the dates out of order…
      expect(run('a', '331', asChild('7', matchedAfterPlacement))).toEqual({ Episodes: [0], AD1: [0] });
      expect(run('b', '521', asChild('7', matchedAfterPlacement))).toEqual({ Episodes: [0], AD1: [0] });
      // …but rows that name no child are not the same child.
      expect(run('a', '331', asChild(blank, matchedAfterPlacement))).toEqual({});
      expect(run('b', '521', asChild(blank, matchedAfterPlacement))).toEqual({});
    });

    it(`with ${label}, rows of one table are not one child's, to 336 (rules-a) or INT31 and 579 (rules-b)`, () => {
      const episodes: Rows = [
        { DECOM: '01/05/2020', PLACE: 'R1' },
        { DECOM: '01/06/2020', PLACE: 'A3', RNE: 'T' },
      ];
      const ad1 = [{ DATE_INT: '01/05/2020' }, { DATE_INT: '01/05/2020' }];
      const decisions = [{ DATE_PLACED: '01/05/2020' }, { DATE_PLACED: '01/09/2020' }];
      expect(run('a', '336', asChild('7', { Episodes: episodes }))).toEqual({ Episodes: [1] });
      expect(run('b', 'INT31', asChild('7', { AD1: ad1 }))).toEqual({ AD1: [0, 1] });
      expect(run('b', '579', asChild('7', { PlacedAdoption: decisions }))).toEqual({ PlacedAdoption: [1] });

      expect(run('a', '336', asChild(blank, { Episodes: episodes }))).toEqual({});
      expect(run('b', 'INT31', asChild(blank, { AD1: ad1 }))).toEqual({});
      expect(run('b', '579', asChild(blank, { PlacedAdoption: decisions }))).toEqual({});
    });

    it(`with ${label}, episodes are no child in 187's cohort (rules-a), as in 601's adoptions (rules-b)`, () => {
      const tables = {
        Episodes: [{ DECOM: '01/01/2019', RNE: 'S', LS: 'C2', PLACE: 'U1' }],
        AD1: [{ DATE_INT: '01/05/2020' }],
        OC3: [],
      };
      expect(run('a', '187', asChild('7', tables))).toEqual({ AD1: [0] });
      expect(run('a', '187', asChild(blank, tables))).toEqual({});

      const adopted = { Episodes: [{ DECOM: '01/06/2020', DEC: '01/12/2020', REC: 'E11' }], AD1: [] };
      expect(run('b', '601', asChild('7', adopted))).toEqual({ Episodes: [0] });
      expect(run('b', '601', asChild(blank, adopted))).toEqual({});
    });

    it(`with ${label}, a row is judged against no rows of another table, by 134 (rules-a) and 602 (rules-b)`, () => {
      const complete = {
        DATE_INT: '01/02/2020',
        DATE_MATCH: '01/05/2020',
        FOSTER_CARE: '0',
        NB_ADOPTR: '2',
        SEX_ADOPTR: 'MF',
        LS_ADOPTR: 'L11',
      };
      const tables = {
        AD1: [complete],
        OC3: [{ IN_TOUCH: 'YES' }],
        Episodes: [{ DECOM: '01/06/2020', DEC: '01/12/2020', REC: 'E11' }],
        Header: [{ DOB: '01/01/2018' }],
      };
      // Named: a care leaver with adoption data (134); adopted in the year, so 602 passes.
      expect(run('a', '134', asChild('7', tables))).toEqual({ AD1: [0] });
      expect(run('b', '602', asChild('7', tables))).toEqual({});
      expect(run('b', 'INT01', asChild('7', tables))).toEqual({});
      // No child: no care leaver's OC3 row to clash with, no adoption episode, not in Header.
      expect(run('a', '134', asChild(blank, tables))).toEqual({});
      expect(run('b', '602', asChild(blank, tables))).toEqual({ AD1: [0] });
      expect(run('b', 'INT01', asChild(blank, tables))).toEqual({ AD1: [0] });
    });
  }

  it('a CHILD with spaces around it is the same child, in both files', () => {
    const episodes: Rows = [
      { CHILD: ' 7', DECOM: '01/05/2020', PLACE: 'R1' },
      { CHILD: '7 ', DECOM: '01/06/2020', PLACE: 'A3', RNE: 'T' },
    ];
    expect(run('a', '336', { Episodes: episodes })).toEqual({ Episodes: [1] });
    expect(run('b', 'INT31', { AD1: [{ CHILD: ' 7' }, { CHILD: '7' }] })).toEqual({ AD1: [0, 1] });
  });
});
