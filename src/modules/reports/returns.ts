// Child- and adopter-level statutory returns (issue 9 §5; domain.md §5): the ASGLB quarterly data
// collection and Ofsted's inspection Annex A Lists 10 and 11. Pure: the service reads the records
// in scope and passes them here; this file shapes the rows, checks them, and writes XLSX or CSV.
//
// The current ASGLB template is not public (domain.md §5), so its columns follow the list in
// domain.md §5 in that order; Lists 10 and 11 follow Ofsted's published Annex A sample workbook
// header for header (shared/data/ofsted-annex-a-sample.xlsx, copied to tests/fixtures/ofsted/).
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { isEthnicityCode } from '../children/child-codes.js';
import { planChangeReasons } from '../children/journey.js';
import type { ReturnKind } from './reports.tables.js';
import { monthNames } from '../../platform/time/index.js';

export type IsoDate = string;

// ── Periods ─────────────────────────────────────────────────────────────────────────────────────

/**
 * A quarter of the financial year, as ASGLB counts them: Q1 April–June, Q2 July–September,
 * Q3 October–December, Q4 January–March. "2026-Q2" is the second quarter of 2026-27. The Q4
 * return covers the whole year, April to March (domain.md §5), so its period starts in April.
 */
export interface ReturnQuarter {
  key: string;
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** First and last day of the quarter itself. */
  quarterStart: IsoDate;
  quarterEnd: IsoDate;
  /** The period the return covers: the quarter, or for Q4 the whole financial year. */
  start: IsoDate;
  end: IsoDate;
  label: string;
  coverage: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function parseQuarter(key: string): ReturnQuarter | null {
  const match = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!match) return null;
  const year = Number(match[1]);
  const quarter = Number(match[2]) as 1 | 2 | 3 | 4;
  if (year < 2000 || year > 2100) return null;
  const firstMonth = ((quarter - 1) * 3 + 4 - 1) % 12; // 0-based: 3 (April), 6, 9, 0 (January)
  const calendarYear = quarter === 4 ? year + 1 : year;
  const endMonth = firstMonth + 3; // 1-based month number of the last month
  const quarterStart = `${calendarYear}-${pad(firstMonth + 1)}-01`;
  const quarterEnd = `${calendarYear}-${pad(endMonth)}-${pad(lastDay(calendarYear, endMonth))}`;
  const yearLabel = `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
  const span = `${monthNames[firstMonth]} to ${monthNames[endMonth - 1]} ${calendarYear}`;
  return {
    key,
    year,
    quarter,
    quarterStart,
    quarterEnd,
    start: quarter === 4 ? `${year}-04-01` : quarterStart,
    end: quarterEnd,
    label: `${yearLabel} Q${quarter} (${span})`,
    coverage:
      quarter === 4
        ? `The whole year, 1 April ${year} to 31 March ${year + 1}: the Q4 return covers the year.`
        : `The quarter, ${span}.`,
  };
}

/** The quarter a date falls in. */
export function quarterOf(date: IsoDate): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month <= 3) return `${year - 1}-Q4`;
  return `${year}-Q${Math.floor((month - 4) / 3) + 1}`;
}

/** The last quarter that has ended by `today` (returns are made after the quarter closes). */
export function latestClosedQuarter(today: IsoDate): string {
  const current = parseQuarter(quarterOf(today))!;
  const dayBefore = new Date(`${current.quarterStart}T12:00:00Z`);
  dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
  return quarterOf(dayBefore.toISOString().slice(0, 10));
}

/** Quarters offered on the page: the latest closed one and the seven before it, then the current. */
export function quartersOffered(today: IsoDate, count = 8): string[] {
  const keys: string[] = [quarterOf(today)];
  let key = quarterOf(today);
  for (let i = 0; i < count; i += 1) {
    const q = parseQuarter(key)!;
    key = q.quarter === 1 ? `${q.year - 1}-Q4` : `${q.year}-Q${q.quarter - 1}`;
    keys.push(key);
  }
  return keys;
}

/**
 * Ofsted's Annex A lists cover the 12 months before the inspection; asked for at a quarter's end,
 * they cover the 12 months to that date.
 */
export function twelveMonthsTo(end: IsoDate): { start: IsoDate; end: IsoDate } {
  const date = new Date(`${end}T12:00:00Z`);
  date.setUTCFullYear(date.getUTCFullYear() - 1);
  date.setUTCDate(date.getUTCDate() + 1);
  return { start: date.toISOString().slice(0, 10), end };
}

// ── What the service reads ──────────────────────────────────────────────────────────────────────

export interface ChildReturnRecord {
  id: string;
  councilChildId: string;
  councilName: string;
  laCode: string | null;
  dateOfBirth: IsoDate | null;
  sex: string | null;
  ethnicity: string | null;
  disability: boolean;
  enteredCare: IsoDate | null;
  shouldBePlaced: IsoDate | null;
  placementOrder: IsoDate | null;
  earlyPermanencePlacement: IsoDate | null;
  matched: IsoDate | null;
  placed: IsoDate | null;
  adoptionOrder: IsoDate | null;
  planChanged: IsoDate | null;
  planChangeReason: string | null;
  /** The siblings' council child ids, this child included, or [] for a child with no siblings linked. */
  siblingGroup: string[];
  /** The household reference of the family the child is matched with, if any. */
  familyReference: string | null;
  /** "This RAA", "Another RAA": who provides the adoptive placement, when there is one. */
  placementProvider: string | null;
}

export interface AdopterReturnRecord {
  householdId: string;
  familyReference: string;
  position: number;
  sex: string | null;
  ethnicity: string | null;
  /** Self-declared (migration 0019); null = not asked yet. */
  disability: 'yes' | 'no' | 'not_stated' | null;
  fosteringForAdoption: boolean;
  enquiry: IsoDate | null;
  applicationSubmitted: IsoDate | null;
  stageOneStart: IsoDate | null;
  stageOneEnd: IsoDate | null;
  stageTwoStart: IsoDate | null;
  stageTwoEnd: IsoDate | null;
  approved: IsoDate | null;
  matched: IsoDate | null;
  placed: IsoDate | null;
  childrenPlaced: number;
  adoptionOrder: IsoDate | null;
  left: IsoDate | null;
  leftReason: string | null;
}

const notYet = (date: IsoDate | null, end: IsoDate): IsoDate | null => (date && date > end ? null : date);

/**
 * A child as they stood at the end of the period: a return describes the period, so what happened
 * after it (a match made last week for last quarter's return) is left out, not reported as wrong.
 */
export function childAsAt(record: ChildReturnRecord, end: IsoDate): ChildReturnRecord {
  const matched = notYet(record.matched, end);
  const planChanged = notYet(record.planChanged, end);
  return {
    ...record,
    enteredCare: notYet(record.enteredCare, end),
    shouldBePlaced: notYet(record.shouldBePlaced, end),
    placementOrder: notYet(record.placementOrder, end),
    earlyPermanencePlacement: notYet(record.earlyPermanencePlacement, end),
    matched,
    placed: notYet(record.placed, end),
    adoptionOrder: notYet(record.adoptionOrder, end),
    planChanged,
    planChangeReason: planChanged ? record.planChangeReason : null,
    familyReference: matched ? record.familyReference : null,
    placementProvider: matched ? record.placementProvider : null,
  };
}

/** An adopter as they stood at the end of the period (see childAsAt). */
export function adopterAsAt(record: AdopterReturnRecord, end: IsoDate): AdopterReturnRecord {
  const placed = notYet(record.placed, end);
  const left = notYet(record.left, end);
  return {
    ...record,
    enquiry: notYet(record.enquiry, end),
    applicationSubmitted: notYet(record.applicationSubmitted, end),
    stageOneStart: notYet(record.stageOneStart, end),
    stageOneEnd: notYet(record.stageOneEnd, end),
    stageTwoStart: notYet(record.stageTwoStart, end),
    stageTwoEnd: notYet(record.stageTwoEnd, end),
    approved: notYet(record.approved, end),
    matched: notYet(record.matched, end),
    placed,
    childrenPlaced: placed ? record.childrenPlaced : 0,
    adoptionOrder: notYet(record.adoptionOrder, end),
    left,
    leftReason: left ? record.leftReason : null,
  };
}

/** Who belongs in a period: the journey had started by its end and had not closed before its start. */
export function childInPeriod(record: ChildReturnRecord, period: { start: IsoDate; end: IsoDate }): boolean {
  if (!record.shouldBePlaced || record.shouldBePlaced > period.end) return false;
  if (record.adoptionOrder && record.adoptionOrder < period.start) return false;
  if (record.planChanged && record.planChanged < period.start) return false;
  return true;
}

export function adopterInPeriod(
  record: AdopterReturnRecord,
  period: { start: IsoDate; end: IsoDate },
): boolean {
  const began = record.enquiry ?? record.applicationSubmitted ?? record.stageOneStart ?? record.stageTwoStart;
  if (!began || began > period.end) return false;
  if (record.left && record.left < period.start) return false;
  if (record.adoptionOrder && record.adoptionOrder < period.start) return false;
  return true;
}

// ── Columns ─────────────────────────────────────────────────────────────────────────────────────

type Cell = string | number | IsoDate | null;
export interface ReturnColumn<R> {
  header: string;
  /** A date column is written as a date in XLSX and dd/mm/yyyy in CSV. */
  date?: boolean;
  value(record: R): Cell;
}

const yesNo = (value: boolean) => (value ? 'Yes' : 'No');
const siblingGroupId = (r: ChildReturnRecord) => (r.siblingGroup.length > 1 ? r.siblingGroup[0]! : null);

// Ofsted Annex A code lists are written "a) Male"; letters as in the sample workbook (a) WBRI,
// d) WOTH, f) MWBC, i) MOTH, k) APKN, l) ABAN, r) OOTH, s) NOBT), the rest in SSDA903 order.
const ofstedEthnicityOrder = [
  'WBRI',
  'WIRI',
  'WIRT',
  'WOTH',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'AOTH',
  'BCRB',
  'BAFR',
  'BOTH',
  'CHNE',
  'OOTH',
  'NOBT',
  'REFU',
];
export function ofstedEthnicity(code: string | null): string | null {
  if (!code) return null;
  const index = ofstedEthnicityOrder.indexOf(code);
  return index < 0 ? code : `${String.fromCharCode(97 + index)}) ${code}`;
}
export const ofstedGender = (sex: string | null) =>
  sex === '1' ? 'a) Male' : sex === '2' ? 'b) Female' : 'c) Not stated/recorded';
const ofstedYesNo = (value: boolean) => (value ? 'a) Yes' : 'b) No');

/** Whole years from birth to a date. */
export function ageOn(dateOfBirth: IsoDate | null, on: IsoDate): number | null {
  if (!dateOfBirth) return null;
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return on.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/** ASGLB child-level columns, in domain.md §5's order (the template itself is not published). */
export function asglbChildColumns(periodEnd: IsoDate): ReturnColumn<ChildReturnRecord>[] {
  return [
    { header: 'LA code', value: (r) => r.laCode },
    { header: 'Local authority', value: (r) => r.councilName },
    { header: 'Child ID', value: (r) => r.councilChildId },
    { header: 'Sex', value: (r) => r.sex },
    { header: 'Ethnicity', value: (r) => r.ethnicity },
    { header: 'Date of birth', date: true, value: (r) => r.dateOfBirth },
    { header: 'Age at end of period', value: (r) => ageOn(r.dateOfBirth, periodEnd) },
    { header: 'Disability', value: (r) => yesNo(r.disability) },
    { header: 'Date entered care', date: true, value: (r) => r.enteredCare },
    {
      header: 'Date of decision that the child should be placed for adoption',
      date: true,
      value: (r) => r.shouldBePlaced,
    },
    { header: 'Date of placement order', date: true, value: (r) => r.placementOrder },
    {
      header: 'Date of FfA or concurrent planning placement',
      date: true,
      value: (r) => r.earlyPermanencePlacement,
    },
    { header: 'Date matched', date: true, value: (r) => r.matched },
    { header: 'Date placed for adoption', date: true, value: (r) => r.placed },
    { header: 'Date of adoption order', date: true, value: (r) => r.adoptionOrder },
    {
      header: 'Date of decision that the child should no longer be placed for adoption',
      date: true,
      value: (r) => r.planChanged,
    },
    { header: 'Reason the child should no longer be placed for adoption', value: (r) => r.planChangeReason },
    {
      header: 'Date first placed with the foster carers who adopt',
      date: true,
      value: firstPlacedWithAdopters,
    },
    { header: 'Sibling group ID', value: siblingGroupId },
    { header: 'Number of children in sibling group', value: (r) => Math.max(1, r.siblingGroup.length) },
    { header: 'Placement provider', value: (r) => r.placementProvider },
  ];
}

/**
 * "Date first placed with foster carers who adopt": Kindred records the fostering-for-adoption or
 * concurrent placement as the child's early permanence placement; when the child was then placed
 * for adoption, those carers are the adopters (the point of early permanence), so the date is the
 * early permanence placement's. Other foster-carer adoptions are not told apart in Kindred's facts.
 */
function firstPlacedWithAdopters(r: ChildReturnRecord): IsoDate | null {
  return r.placed && r.earlyPermanencePlacement ? r.earlyPermanencePlacement : null;
}

/** ASGLB adopter-level columns, in domain.md §5's order: one row per adopter, with the family's identifier. */
export const asglbAdopterColumns: ReturnColumn<AdopterReturnRecord>[] = [
  { header: 'Adopter ID', value: (r) => `${r.familyReference}-${r.position}` },
  { header: 'Family ID', value: (r) => r.familyReference },
  { header: 'Sex', value: (r) => r.sex },
  { header: 'Ethnicity', value: (r) => r.ethnicity },
  { header: 'Fostering for adoption', value: (r) => yesNo(r.fosteringForAdoption) },
  { header: 'Date of enquiry', date: true, value: (r) => r.enquiry },
  { header: 'Date Stage One started', date: true, value: (r) => r.stageOneStart },
  { header: 'Date Stage One ended', date: true, value: (r) => r.stageOneEnd },
  { header: 'Date Stage Two started', date: true, value: (r) => r.stageTwoStart },
  { header: 'Date Stage Two ended', date: true, value: (r) => r.stageTwoEnd },
  { header: 'Date approved', date: true, value: (r) => r.approved },
  { header: 'Date matched', date: true, value: (r) => r.matched },
  { header: 'Date of placement', date: true, value: (r) => r.placed },
  { header: 'Number of children placed', value: (r) => r.childrenPlaced || null },
  { header: 'Date left the adoption process', date: true, value: (r) => r.left },
  { header: 'Reason for leaving the adoption process', value: (r) => r.leftReason },
];

// Source: Ofsted, "Inspecting local authority children's services", Annex A, List 10, as in the
// published sample workbook (shared/data/ofsted-annex-a-sample.xlsx, sheet "List 10"). Headers are
// copied exactly, including the trailing space after "Date of Adoption Order".
export const ofstedList10Headers = [
  'Child Unique ID',
  'Family identifier',
  'Gender',
  'Ethnicity',
  'Date of Birth',
  'Age of Child (Years)',
  'Does the Child have a Disability',
  'Date the Child Entered Care',
  'Date of Decision that Child Should be Placed for Adoption',
  'Date of Placement Order',
  'Date of Matching Child and Prospective Adopters',
  'Date Placed for Adoption',
  'Date of Adoption Order ',
  'Date of Decision that Child Should No Longer be Placed for Adoption',
  'Reason Why Child No Longer Placed for Adoption',
  'Date the child was placed for fostering in FFA or concurrent planning placement',
] as const;

// Source: as above, sheet "List 11".
export const ofstedList11Headers = [
  'Individual adopter identifier',
  'Family identifier',
  'Gender',
  'Ethnicity',
  'Disability',
  'Is the (prospective) adopter fostering for adoption?',
  'Date enquiry received',
  'Date Stage 1 started',
  'Date Stage 1 ended',
  'Date Stage 2 started',
  'Date Stage 2 ended',
  'Date application submitted',
  'Date application approved',
  'Date adopter matched with child(ren)',
  'Date child/children placed with adopter(s)',
  'No. of children placed',
  'Date of Adoption Order',
  'Date of leaving adoption process',
  'Reason for leaving adoption process',
] as const;

export function ofstedList10Columns(periodEnd: IsoDate): ReturnColumn<ChildReturnRecord>[] {
  const values: Array<Omit<ReturnColumn<ChildReturnRecord>, 'header'>> = [
    { value: (r) => r.councilChildId },
    { value: (r) => r.familyReference },
    { value: (r) => ofstedGender(r.sex) },
    { value: (r) => ofstedEthnicity(r.ethnicity) },
    { date: true, value: (r) => r.dateOfBirth },
    { value: (r) => ageOn(r.dateOfBirth, periodEnd) },
    { value: (r) => ofstedYesNo(r.disability) },
    { date: true, value: (r) => r.enteredCare },
    { date: true, value: (r) => r.shouldBePlaced },
    { date: true, value: (r) => r.placementOrder },
    { date: true, value: (r) => r.matched },
    { date: true, value: (r) => r.placed },
    { date: true, value: (r) => r.adoptionOrder },
    { date: true, value: (r) => r.planChanged },
    { value: (r) => r.planChangeReason },
    { date: true, value: (r) => r.earlyPermanencePlacement },
  ];
  return ofstedList10Headers.map((header, i) => ({ header, ...values[i]! }));
}

export const ofstedList11Columns: ReturnColumn<AdopterReturnRecord>[] = (() => {
  const values: Array<Omit<ReturnColumn<AdopterReturnRecord>, 'header'>> = [
    { value: (r) => `${r.familyReference}-${r.position}` },
    { value: (r) => r.familyReference },
    { value: (r) => ofstedGender(r.sex) },
    { value: (r) => ofstedEthnicity(r.ethnicity) },
    // List 11 has only Yes/No: "prefers not to say" and "not asked yet" are left blank, not guessed.
    {
      value: (r) =>
        r.disability === 'yes' || r.disability === 'no' ? ofstedYesNo(r.disability === 'yes') : null,
    },
    { value: (r) => yesNo(r.fosteringForAdoption) },
    { date: true, value: (r) => r.enquiry },
    { date: true, value: (r) => r.stageOneStart },
    { date: true, value: (r) => r.stageOneEnd },
    { date: true, value: (r) => r.stageTwoStart },
    { date: true, value: (r) => r.stageTwoEnd },
    { date: true, value: (r) => r.applicationSubmitted },
    { date: true, value: (r) => r.approved },
    { date: true, value: (r) => r.matched },
    { date: true, value: (r) => r.placed },
    { value: (r) => r.childrenPlaced || null },
    { date: true, value: (r) => r.adoptionOrder },
    { date: true, value: (r) => r.left },
    { value: (r) => r.leftReason },
  ];
  return ofstedList11Headers.map((header, i) => ({ header, ...values[i]! }));
})();

// ── Checks before export ────────────────────────────────────────────────────────────────────────

export interface RowProblem {
  /** 1-based data row in the file (the header is row 0). */
  row: number;
  /** The child's or adopter's identifier, as in the file. */
  identifier: string;
  field: string;
  message: string;
}

type DateField<R> = { field: string; value: (r: R) => IsoDate | null };

/** A real calendar date: 30 February does not round-trip. */
const isIsoDate = (value: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T12:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

function checkOrder<R>(
  record: R,
  pairs: Array<[DateField<R>, DateField<R>]>,
  add: (field: string, message: string) => void,
) {
  for (const [earlier, later] of pairs) {
    const a = earlier.value(record);
    const b = later.value(record);
    if (a && b && b < a) add(later.field, `${later.field} is before ${earlier.field.toLowerCase()}`);
  }
}

function checkDates<R>(
  record: R,
  fields: DateField<R>[],
  periodEnd: IsoDate,
  add: (f: string, m: string) => void,
) {
  for (const { field, value } of fields) {
    const date = value(record);
    if (date === null) continue;
    if (!isIsoDate(date)) add(field, `${field} is not a real date`);
    else if (date > periodEnd) add(field, `${field} is after the end of the period`);
  }
}

/** The checks a child's row must pass before the return is sent (required dates, order, codes). */
export function checkChildRecord(
  record: ChildReturnRecord,
  periodEnd: IsoDate,
): Array<Omit<RowProblem, 'row' | 'identifier'>> {
  const problems: Array<Omit<RowProblem, 'row' | 'identifier'>> = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const f = (
    field: string,
    value: (r: ChildReturnRecord) => IsoDate | null,
  ): DateField<ChildReturnRecord> => ({ field, value });
  const birth = f('Date of birth', (r) => r.dateOfBirth);
  const entered = f('Date entered care', (r) => r.enteredCare);
  const decision = f('Date of decision to place for adoption', (r) => r.shouldBePlaced);
  const order = f('Date of placement order', (r) => r.placementOrder);
  const early = f('Date of FfA or concurrent placement', (r) => r.earlyPermanencePlacement);
  const matched = f('Date matched', (r) => r.matched);
  const placed = f('Date placed for adoption', (r) => r.placed);
  const adopted = f('Date of adoption order', (r) => r.adoptionOrder);
  const changed = f('Date of decision no longer to place', (r) => r.planChanged);

  if (!/^[A-Za-z0-9]{1,10}$/.test(record.councilChildId))
    add('Child ID', 'Child ID must be 1 to 10 letters or numbers');
  if (record.sex !== '1' && record.sex !== '2') add('Sex', 'Sex must be 1 (male) or 2 (female)');
  if (!record.ethnicity || !isEthnicityCode(record.ethnicity))
    add('Ethnicity', 'Ethnicity must be an SSDA903 ethnicity code');
  if (!record.dateOfBirth) add(birth.field, 'Enter the date of birth');
  if (!record.enteredCare) add(entered.field, 'Enter the date the child entered care');
  if (!record.shouldBePlaced)
    add(decision.field, 'Enter the date of the decision that the child should be placed for adoption');
  if (record.placed && !record.matched)
    add(matched.field, 'Enter the match date: the child is placed for adoption');
  if (record.adoptionOrder && !record.placed)
    add(placed.field, 'Enter the date placed for adoption: there is an adoption order');
  if (record.planChanged && !record.planChangeReason)
    add('Reason no longer to place', 'Enter the reason the child should no longer be placed');
  if (record.planChangeReason && !Object.hasOwn(planChangeReasons, record.planChangeReason))
    add('Reason no longer to place', 'The reason must be RD1, RD2, RD3 or RD4');
  checkDates(
    record,
    [birth, entered, decision, order, early, matched, placed, adopted, changed],
    periodEnd,
    add,
  );
  checkOrder(
    record,
    [
      [birth, entered],
      [entered, decision],
      [decision, order],
      [decision, matched],
      [entered, early],
      [matched, placed],
      [placed, adopted],
      [decision, changed],
    ],
    add,
  );
  return problems;
}

export function checkAdopterRecord(
  record: AdopterReturnRecord,
  periodEnd: IsoDate,
): Array<Omit<RowProblem, 'row' | 'identifier'>> {
  const problems: Array<Omit<RowProblem, 'row' | 'identifier'>> = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const f = (
    field: string,
    value: (r: AdopterReturnRecord) => IsoDate | null,
  ): DateField<AdopterReturnRecord> => ({ field, value });
  const enquiry = f('Date of enquiry', (r) => r.enquiry);
  const s1 = f('Date Stage One started', (r) => r.stageOneStart);
  const s1end = f('Date Stage One ended', (r) => r.stageOneEnd);
  const s2 = f('Date Stage Two started', (r) => r.stageTwoStart);
  const s2end = f('Date Stage Two ended', (r) => r.stageTwoEnd);
  const approved = f('Date approved', (r) => r.approved);
  const matched = f('Date matched', (r) => r.matched);
  const placed = f('Date of placement', (r) => r.placed);
  const left = f('Date left the adoption process', (r) => r.left);

  if (record.sex !== '1' && record.sex !== '2') add('Sex', 'Sex must be 1 (male) or 2 (female)');
  if (!record.ethnicity || !isEthnicityCode(record.ethnicity))
    add('Ethnicity', 'Ethnicity must be an SSDA903 ethnicity code');
  if (!record.enquiry) add(enquiry.field, 'Enter the date of the enquiry');
  if (record.approved && !record.stageTwoStart)
    add(s2.field, 'Enter the date Stage Two started: the household is approved');
  if (record.matched && !record.approved)
    add(approved.field, 'Enter the approval date: the household is matched');
  if (record.placed && !record.matched) add(matched.field, 'Enter the match date: a child is placed');
  if (record.left && !record.leftReason)
    add('Reason for leaving', 'Enter the reason the household left the process');
  checkDates(record, [enquiry, s1, s1end, s2, s2end, approved, matched, placed, left], periodEnd, add);
  checkOrder(
    record,
    [
      [enquiry, s1],
      [s1, s1end],
      [s1end, s2],
      [s2, s2end],
      [s2, approved],
      [approved, matched],
      [matched, placed],
      [enquiry, left],
    ],
    add,
  );
  return problems;
}

// ── The returns ─────────────────────────────────────────────────────────────────────────────────

export const returnKinds: readonly ReturnKind[] = [
  'asglb-children',
  'asglb-adopters',
  'ofsted-list-10',
  'ofsted-list-11',
];

export const returnKindInfo: Record<
  ReturnKind,
  { title: string; subject: 'child' | 'household'; description: string }
> = {
  'asglb-children': {
    title: 'ASGLB quarterly return: children',
    subject: 'child',
    description:
      'One row per child with a decision that they should be placed for adoption; brothers and sisters each have their own row.',
  },
  'asglb-adopters': {
    title: 'ASGLB quarterly return: adopters',
    subject: 'household',
    description: 'One row per adopter, with the family identifier that joins the adopters of one household.',
  },
  'ofsted-list-10': {
    title: 'Ofsted Annex A List 10: children with an adoption decision',
    subject: 'child',
    description:
      'Children with a decision that they should be placed for adoption in the 12 months to the end of the quarter, in Ofsted’s published column order.',
  },
  'ofsted-list-11': {
    title: 'Ofsted Annex A List 11: adopters',
    subject: 'household',
    description:
      'Prospective adopters and adopters active in the 12 months to the end of the quarter, in Ofsted’s published column order.',
  },
};

export interface BuiltReturn {
  kind: ReturnKind;
  quarter: ReturnQuarter;
  /** The dates the rows were chosen for. */
  period: { start: IsoDate; end: IsoDate };
  headers: string[];
  dateColumns: boolean[];
  rows: Cell[][];
  problems: RowProblem[];
  /** The records behind the rows, for the audit of the export. */
  subjectType: 'child' | 'household';
  subjectIds: string[];
}

const byChildId = (a: ChildReturnRecord, b: ChildReturnRecord) =>
  a.councilName.localeCompare(b.councilName) || a.councilChildId.localeCompare(b.councilChildId);
const byFamily = (a: AdopterReturnRecord, b: AdopterReturnRecord) =>
  a.familyReference.localeCompare(b.familyReference) || a.position - b.position;

export function buildChildReturn(
  kind: 'asglb-children' | 'ofsted-list-10',
  quarter: ReturnQuarter,
  records: readonly ChildReturnRecord[],
): BuiltReturn {
  const period =
    kind === 'ofsted-list-10' ? twelveMonthsTo(quarter.end) : { start: quarter.start, end: quarter.end };
  const chosen = records
    .filter((r) => childInPeriod(r, period))
    .map((r) => childAsAt(r, period.end))
    .sort(byChildId);
  const columns = kind === 'ofsted-list-10' ? ofstedList10Columns(period.end) : asglbChildColumns(period.end);
  const problems = chosen.flatMap((record, index) =>
    checkChildRecord(record, period.end).map((p) => ({
      ...p,
      row: index + 1,
      identifier: record.councilChildId,
    })),
  );
  return {
    kind,
    quarter,
    period,
    headers: columns.map((c) => c.header),
    dateColumns: columns.map((c) => !!c.date),
    rows: chosen.map((r) => columns.map((c) => c.value(r))),
    problems,
    subjectType: 'child',
    subjectIds: chosen.map((r) => r.id),
  };
}

export function buildAdopterReturn(
  kind: 'asglb-adopters' | 'ofsted-list-11',
  quarter: ReturnQuarter,
  records: readonly AdopterReturnRecord[],
): BuiltReturn {
  const period =
    kind === 'ofsted-list-11' ? twelveMonthsTo(quarter.end) : { start: quarter.start, end: quarter.end };
  const chosen = records
    .filter((r) => adopterInPeriod(r, period))
    .map((r) => adopterAsAt(r, period.end))
    .sort(byFamily);
  const columns = kind === 'ofsted-list-11' ? ofstedList11Columns : asglbAdopterColumns;
  const problems = chosen.flatMap((record, index) =>
    checkAdopterRecord(record, period.end).map((p) => ({
      ...p,
      row: index + 1,
      identifier: `${record.familyReference}-${record.position}`,
    })),
  );
  return {
    kind,
    quarter,
    period,
    headers: columns.map((c) => c.header),
    dateColumns: columns.map((c) => !!c.date),
    rows: chosen.map((r) => columns.map((c) => c.value(r))),
    problems,
    subjectType: 'household',
    subjectIds: [...new Set(chosen.map((r) => r.householdId))],
  };
}

const ukDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** CSV with a byte-order mark (Excel reads UTF-8 then), dates as dd/mm/yyyy as the councils' systems write them. */
export function returnCsv(built: BuiltReturn): string {
  const rows = built.rows.map((row) =>
    row.map((cell, i) =>
      cell === null ? '' : built.dateColumns[i] && typeof cell === 'string' ? ukDate(cell) : cell,
    ),
  );
  return `\uFEFF${stringify([built.headers, ...rows])}`;
}

/** XLSX with one sheet named as Ofsted's ("List 10") or after the return; dates are real dates. */
export async function returnXlsx(built: BuiltReturn): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kindred';
  const sheetName =
    built.kind === 'ofsted-list-10'
      ? 'List 10'
      : built.kind === 'ofsted-list-11'
        ? 'List 11'
        : built.kind === 'asglb-children'
          ? 'Children'
          : 'Adopters';
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(built.headers);
  sheet.getRow(1).font = { bold: true };
  for (const row of built.rows) {
    sheet.addRow(
      row.map((cell, i) =>
        cell !== null && built.dateColumns[i] && typeof cell === 'string'
          ? new Date(`${cell}T00:00:00Z`)
          : cell,
      ),
    );
  }
  built.dateColumns.forEach((isDate, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = Math.min(40, Math.max(12, built.headers[i]!.length * 0.6));
    if (isDate) column.numFmt = 'dd/mm/yyyy';
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function returnFileName(built: BuiltReturn, format: 'xlsx' | 'csv'): string {
  return `${built.kind}-${built.quarter.key}.${format}`;
}
