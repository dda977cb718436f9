// The validation engine (issue 9 §2): which collection year the rules use, how flags become
// errors, the order they come in, and which children are clear to import.
import { describe, expect, it } from 'vitest';
import type { Rule } from './rules/rule.js';
import {
  childHasErrors,
  collectionYearFor,
  errorsByChild,
  MISSING_COLUMN,
  validateReturn,
} from './validate.js';
import { aReturn } from '../../../tests/support/ssda903-returns.js';

describe('collection year', () => {
  const episodes = aReturn({
    Episodes: [
      { CHILD: '1', DECOM: '15/02/2017', DEC: '01/04/2018' },
      { CHILD: '2', DECOM: '31/03/2018' },
    ],
  });

  it('is the given one, or a year from the one bound given', () => {
    expect(
      collectionYearFor(episodes, { collectionStart: '01/04/2020', collectionEnd: '31/03/2021' }),
    ).toEqual({
      collectionStart: '2020-04-01',
      collectionEnd: '2021-03-31',
    });
    expect(collectionYearFor(episodes, { collectionEnd: '31/03/2024' })).toEqual({
      collectionStart: '2023-04-01',
      collectionEnd: '2024-03-31',
    });
    expect(collectionYearFor(episodes, { collectionStart: '2024-04-01' })).toEqual({
      collectionStart: '2024-04-01',
      collectionEnd: '2025-03-31',
    });
  });

  it('is otherwise the year holding the latest episode start, ignoring end dates a day past the year', () => {
    expect(collectionYearFor(episodes, { today: new Date('2025-06-01') })).toEqual({
      collectionStart: '2017-04-01',
      collectionEnd: '2018-03-31',
    });
  });

  it('falls back to the year ending on the latest 31 March when the return has no dates', () => {
    const empty = aReturn({ Header: [{ CHILD: '1' }] });
    expect(collectionYearFor(empty, { today: new Date('2025-06-01') }).collectionEnd).toBe('2025-03-31');
    expect(collectionYearFor(empty, { today: new Date('2025-02-01') }).collectionEnd).toBe('2024-03-31');
  });

  it('refuses a bound that is not a date', () => {
    expect(() => collectionYearFor(episodes, { collectionEnd: '31/02/2024' })).toThrow(/not a date/);
  });
});

describe('validateReturn', () => {
  const ret = aReturn(
    {
      Header: [{ CHILD: 'A' }, { CHILD: 'B' }, { CHILD: 'C' }],
      Episodes: [
        { CHILD: 'A', DECOM: '01/05/2020', PLACE: 'A5', LS: 'C2' },
        { CHILD: 'B', DECOM: '01/05/2020', PLACE: 'U1', LS: 'C2' },
      ],
      AD1: [{ CHILD: 'C', NB_ADOPTR: '2', SEX_ADOPTR: 'M1' }],
    },
    { Header: ['ETHNIC'] },
  );

  it('reports a missing column as MISSING_COLUMN on row -1, then the rules’ findings ordered by table, row and code', () => {
    const errors = validateReturn(ret, { collectionEnd: '31/03/2021' });
    const summary = errors.map((e) => `${e.table} ${e.row} ${e.code}`);
    expect(summary[0]).toBe(`Header -1 ${MISSING_COLUMN}`);
    expect(summary).toContain('Episodes 0 408');
    expect(summary).toContain('AD1 0 511');
    const order = errors.map((e) => [['Header', 'Episodes', 'AD1'].indexOf(e.table), e.row] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  });

  it('names the rule’s fields that belong to the flagged table, with the rule’s message', () => {
    const twoTables: Rule = {
      code: 'T1',
      message: 'Test rule.',
      fields: ['DATE_PLACED', 'DECOM', 'RNE'],
      check: () => ({ Episodes: [1, 1, 0] }),
    };
    const errors = validateReturn(ret, { collectionEnd: '31/03/2021', rules: [twoTables] });
    expect(errors.filter((e) => e.code === 'T1')).toEqual([
      { code: 'T1', table: 'Episodes', row: 0, fields: ['DECOM', 'RNE'], message: 'Test rule.' },
      { code: 'T1', table: 'Episodes', row: 1, fields: ['DECOM', 'RNE'], message: 'Test rule.' },
    ]);
  });

  it('says per child whether the child has errors, so only valid children can be imported', () => {
    const errors = validateReturn(ret, { collectionEnd: '31/03/2021' });
    const flagged = childHasErrors(ret, errors);
    expect(flagged.get('A')).toBe(true);
    expect(flagged.get('B')).toBe(false);
    expect(flagged.get('C')).toBe(true);
    // The missing column belongs to no child.
    expect(
      errorsByChild(ret, errors)
        .get('')
        ?.map((e) => e.code),
    ).toEqual([MISSING_COLUMN]);
  });
});
