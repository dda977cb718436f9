// Return rows are checked before export (issue 9 §5): required dates present, dates in order,
// codes valid; and quarters follow the financial year, with Q4 covering the whole year.
import { describe, expect, it } from 'vitest';
import {
  buildChildReturn,
  checkAdopterRecord,
  checkChildRecord,
  latestClosedQuarter,
  ofstedEthnicity,
  ofstedList11Columns,
  parseQuarter,
  type AdopterReturnRecord,
  type ChildReturnRecord,
} from './returns.js';

const child = (overrides: Partial<ChildReturnRecord> = {}): ChildReturnRecord => ({
  id: 'c1',
  councilChildId: 'A1',
  councilName: 'Southwark',
  laCode: '210',
  dateOfBirth: '2022-01-01',
  sex: '2',
  ethnicity: 'WBRI',
  disability: false,
  enteredCare: '2023-01-01',
  shouldBePlaced: '2023-06-01',
  placementOrder: '2023-09-01',
  earlyPermanencePlacement: null,
  matched: '2024-01-01',
  placed: '2024-02-01',
  adoptionOrder: null,
  planChanged: null,
  planChangeReason: null,
  siblingGroup: [],
  familyReference: 'ABCD-EFGH',
  placementProvider: 'This RAA',
  ...overrides,
});

const adopter = (overrides: Partial<AdopterReturnRecord> = {}): AdopterReturnRecord => ({
  householdId: 'h1',
  familyReference: 'ABCD-EFGH',
  position: 1,
  sex: '1',
  ethnicity: 'BAFR',
  disability: null,
  fosteringForAdoption: false,
  enquiry: '2023-01-01',
  applicationSubmitted: '2023-01-10',
  stageOneStart: '2023-02-01',
  stageOneEnd: '2023-04-01',
  stageTwoStart: '2023-04-15',
  stageTwoEnd: '2023-08-01',
  approved: '2023-08-01',
  matched: null,
  placed: null,
  childrenPlaced: 0,
  adoptionOrder: null,
  left: null,
  leftReason: null,
  ...overrides,
});

const messages = (problems: Array<{ message: string }>) => problems.map((p) => p.message);

describe('child rows', () => {
  it('passes a complete journey in order', () => {
    expect(checkChildRecord(child(), '2024-03-31')).toEqual([]);
  });

  it.each([
    [{ enteredCare: null }, 'Enter the date the child entered care'],
    [{ shouldBePlaced: null }, 'Enter the date of the decision that the child should be placed for adoption'],
    [{ matched: null }, 'Enter the match date: the child is placed for adoption'],
    [{ placed: '2023-12-01' }, 'Date placed for adoption is before date matched'],
    [{ enteredCare: '2021-12-01' }, 'Date entered care is before date of birth'],
    [{ ethnicity: 'XXXX' }, 'Ethnicity must be an SSDA903 ethnicity code'],
    [{ sex: '9' }, 'Sex must be 1 (male) or 2 (female)'],
    [{ planChanged: '2024-01-01' }, 'Enter the reason the child should no longer be placed'],
    [{ planChanged: '2024-01-01', planChangeReason: 'RD9' }, 'The reason must be RD1, RD2, RD3 or RD4'],
    [{ placed: '2024-05-01' }, 'Date placed for adoption is after the end of the period'],
    [{ adoptionOrder: '2024-02-30' }, 'Date of adoption order is not a real date'],
  ] as Array<[Partial<ChildReturnRecord>, string]>)('%o → %s', (overrides, message) => {
    expect(messages(checkChildRecord(child(overrides), '2024-03-31'))).toContain(message);
  });

  it('numbers problems by the row of the file and names the child', () => {
    const quarter = parseQuarter('2023-Q4')!;
    const built = buildChildReturn('asglb-children', quarter, [
      child({ id: 'a', councilChildId: 'B2', enteredCare: null }),
      child({ id: 'b', councilChildId: 'A1' }),
    ]);
    expect(built.rows.map((r) => r[2])).toEqual(['A1', 'B2']);
    expect(built.problems).toEqual([
      {
        row: 2,
        identifier: 'B2',
        field: 'Date entered care',
        message: 'Enter the date the child entered care',
      },
    ]);
  });

  it('shows each child as they stood at the end of the period: later events are left out, not reported', () => {
    const quarter = parseQuarter('2023-Q2')!; // July to September 2023
    const built = buildChildReturn('asglb-children', quarter, [child()]);
    const matchedColumn = built.headers.indexOf('Date matched');
    expect(matchedColumn).toBeGreaterThan(-1);
    expect(built.rows[0]![matchedColumn]).toBeNull();
    expect(built.rows[0]).not.toContain('ABCD-EFGH');
    expect(built.problems).toEqual([]);
  });
});

describe('adopter rows', () => {
  it('passes an approved household', () => {
    expect(checkAdopterRecord(adopter(), '2024-03-31')).toEqual([]);
  });

  it.each([
    [{ enquiry: null }, 'Enter the date of the enquiry'],
    [{ matched: '2023-09-01', approved: null }, 'Enter the approval date: the household is matched'],
    [{ stageOneEnd: '2023-01-15' }, 'Date Stage One ended is before date stage one started'],
    [{ left: '2023-05-01' }, 'Enter the reason the household left the process'],
  ] as Array<[Partial<AdopterReturnRecord>, string]>)('%o → %s', (overrides, message) => {
    expect(messages(checkAdopterRecord(adopter(overrides), '2024-03-31'))).toContain(message);
  });
});

describe('Ofsted List 11 disability', () => {
  const disabilityColumn = ofstedList11Columns.find((c) => c.header === 'Disability')!;
  it.each([
    ['yes', 'a) Yes'],
    ['no', 'b) No'],
    ['not_stated', null],
    [null, null],
  ] as Array<[AdopterReturnRecord['disability'], string | null]>)('%s → %s', (disability, cell) => {
    expect(disabilityColumn.value(adopter({ disability }))).toBe(cell);
  });
});

describe('quarters and codes', () => {
  it('follows the financial year, and Q4 covers the whole year', () => {
    expect(parseQuarter('2026-Q1')).toMatchObject({ start: '2026-04-01', end: '2026-06-30' });
    expect(parseQuarter('2026-Q3')).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
    expect(parseQuarter('2026-Q4')).toMatchObject({
      quarterStart: '2027-01-01',
      start: '2026-04-01',
      end: '2027-03-31',
    });
    expect(parseQuarter('2026-Q5')).toBeNull();
    expect(latestClosedQuarter('2026-11-02')).toBe('2026-Q2');
    expect(latestClosedQuarter('2027-02-10')).toBe('2026-Q3');
  });

  it('writes Ofsted ethnicity codes with the letters of the published sample', () => {
    expect(ofstedEthnicity('WBRI')).toBe('a) WBRI');
    expect(ofstedEthnicity('WOTH')).toBe('d) WOTH');
    expect(ofstedEthnicity('APKN')).toBe('k) APKN');
    expect(ofstedEthnicity('OOTH')).toBe('r) OOTH');
    expect(ofstedEthnicity('NOBT')).toBe('s) NOBT');
  });
});
