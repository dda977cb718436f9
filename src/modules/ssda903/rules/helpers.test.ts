// How the rules read cells: as the DfE validator does (pandas to_datetime with '%d/%m/%Y';
// an empty cell is blank, a cell of spaces is a value).
import { describe, expect, it } from 'vitest';
import type { Ssda903Return } from '../return.js';
import {
  addYears,
  byChild,
  childGroups,
  childKey,
  codeOf,
  FlagSet,
  inDateOrder,
  isBlank,
  latest,
  parseReturnDate,
} from './helpers.js';

describe('parseReturnDate', () => {
  it('reads dd/mm/yyyy, with or without leading zeros', () => {
    expect(parseReturnDate('05/06/2020')).toBe('2020-06-05');
    expect(parseReturnDate('5/6/2020')).toBe('2020-06-05');
    expect(parseReturnDate('29/02/2020')).toBe('2020-02-29');
  });

  it('refuses what is not a real dd/mm/yyyy date', () => {
    for (const text of [
      '',
      '29/02/2021',
      '31/04/2020',
      '38/04/2019',
      '01/01/19',
      '2020-01-01',
      ' 01/01/2020',
      '01/13/2020',
      '00/01/2020',
      'x',
    ]) {
      expect(parseReturnDate(text), text).toBeNull();
    }
  });
});

describe('isBlank and addYears', () => {
  it('treats only an empty cell as blank', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank(' ')).toBe(false);
  });

  it('gives the 18th birthday, 28 February for a leap-day birth', () => {
    expect(addYears('2002-09-23', 18)).toBe('2020-09-23');
    expect(addYears('2004-02-29', 18)).toBe('2022-02-28');
    expect(addYears('2004-02-29', 20)).toBe('2024-02-29');
  });
});

describe('codeOf and childKey', () => {
  it('reads a code exactly as written: padded or lower-case is another value', () => {
    expect(codeOf({ REC: 'E11' }, 'REC')).toBe('E11');
    expect(codeOf({ REC: ' E11 ' }, 'REC')).toBe(' E11 ');
    expect(codeOf({ LS_ADOPTR: 'l2' }, 'LS_ADOPTR')).toBe('l2');
    expect(codeOf({}, 'REC')).toBe('');
  });

  it('reads CHILD trimmed, and no child when nothing is left', () => {
    expect(childKey({ CHILD: ' 7 ' })).toBe('7');
    expect(childKey({ CHILD: '7' })).toBe('7');
    expect(childKey({ CHILD: '' })).toBeNull();
    expect(childKey({ CHILD: '   ' })).toBeNull();
    expect(childKey({})).toBeNull();
  });
});

describe('what the rule patterns build on', () => {
  const rows = [
    { CHILD: ' 7', DECOM: '01/05/2025' },
    { CHILD: '7', DECOM: '01/04/2025' },
    { CHILD: '', DECOM: 'x' },
    { CHILD: '7', DECOM: '01/05/2025' },
    { CHILD: '  ', DECOM: '01/06/2025' },
  ];
  const ret: Ssda903Return = {
    tables: { Episodes: { name: 'Episodes', source: 'episodes.csv', missingColumns: [], rows } },
    problems: [],
  };

  it('groups rows by trimmed CHILD, once per table, leaving out rows that name no child', () => {
    const groups = childGroups(ret, 'Episodes');
    expect(groups.get('7')?.map((e) => e.index)).toEqual([0, 1, 3]);
    // Neither the empty CHILD nor the CHILD of spaces is a child: no group holds them.
    expect([...groups.keys()]).toEqual(['7']);
    expect(groups.has('')).toBe(false);
    // journeys.ts reads `byChild`, which keeps them under '' (and skips that key).
    expect(
      byChild(ret, 'Episodes')
        .get('')
        ?.map((e) => e.index),
    ).toEqual([2, 4]);
    expect(childGroups(ret, 'Episodes')).toBe(groups);
    expect(childGroups(ret, 'AD1').size).toBe(0);
  });

  it('orders by date keeping file order on the same day, and picks the first or last of a tie', () => {
    const episodes = childGroups(ret, 'Episodes').get('7') ?? [];
    expect(inDateOrder(episodes, 'DECOM').map((e) => e.entry.index)).toEqual([1, 0, 3]);
    expect(latest(episodes, 'DECOM')?.entry.index).toBe(0);
    expect(latest(episodes, 'DECOM', 'last')?.entry.index).toBe(3);
  });

  it('reports each flagged row once, ascending', () => {
    const flags = new FlagSet()
      .add('AD1', 4)
      .add('AD1', 1)
      .add('AD1', 4)
      .add('Episodes', 2)
      .add('Episodes', 2);
    expect(flags.result()).toEqual({ AD1: [1, 4], Episodes: [2] });
  });
});
