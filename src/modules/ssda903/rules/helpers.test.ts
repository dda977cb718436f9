// How the rules read cells: as the DfE validator does (pandas to_datetime with '%d/%m/%Y';
// an empty cell is blank, a cell of spaces is a value).
import { describe, expect, it } from 'vitest';
import { addYears, isBlank, parseReturnDate } from './helpers.js';

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
