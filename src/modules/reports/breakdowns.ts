// Counts of children broken down as DfE's national tables break them down ("Children looked after
// in England including adoptions", tables formerly E1 and the should-be-placed decisions table;
// shared/data/dfe-adoption-statistics), for the RAA's reports and equalities monitoring. Every
// breakdown puts each child in exactly one group, so a total always equals the sum of its groups:
// national-consistency.test.ts checks that the published tables satisfy the same identities.
import { addMonths } from './scorecard.js';

/** A child as the breakdowns need them. Dates are ISO; null when not known. */
export interface BreakdownChild {
  id: string;
  dateOfBirth: string | null;
  /** SSDA903 SEX: '1' male, '2' female. */
  sex: string;
  /** SSDA903 ETHNIC code (WBRI, MWBA, BAFR …). */
  ethnicity: string;
  enteredCare: string | null;
  placementOrder: string | null;
  /** The latest should-be-placed decision and, if it was reversed, when. */
  decision: {
    date: string;
    ceasedDate: string | null;
    ceasedReason: 'RD1' | 'RD2' | 'RD3' | 'RD4' | null;
  } | null;
  placedForAdoption: string | null;
  adoptionOrder: string | null;
  /** REC of the adoption: E11 application unopposed, E12 consent dispensed with. */
  adoptionReason: 'E11' | 'E12' | null;
  /** The day the child stopped being looked after other than by adoption (e.g. returned home, SGO). */
  leftCareWithoutAdoption: string | null;
  /** AD1 NB_ADOPTR. */
  numberOfAdopters: 1 | 2 | null;
}

export interface BreakdownGroup {
  label: string;
  value: number;
  ids: string[];
}

export interface Breakdown {
  total: { value: number; ids: string[] };
  groups: BreakdownGroup[];
}

/** Counts `children` into the groups `labels` (in that order); a child whose group is not listed goes in the last. */
export function breakdown<T extends { id: string }>(
  children: readonly T[],
  labels: readonly string[],
  groupOf: (child: T) => string,
): Breakdown {
  const buckets = new Map<string, string[]>(labels.map((label) => [label, []]));
  const fallback = labels[labels.length - 1];
  for (const child of children) {
    const label = groupOf(child);
    const bucket = buckets.get(label) ?? (fallback === undefined ? undefined : buckets.get(fallback));
    bucket?.push(child.id);
  }
  return {
    total: { value: children.length, ids: children.map((child) => child.id) },
    groups: labels.map((label) => {
      const ids = buckets.get(label) ?? [];
      return { label, value: ids.length, ids };
    }),
  };
}

/** Whole years of age on `at` (a birthday counts on the day; 29 February birthdays on 28 February in other years). */
export function ageInYears(dateOfBirth: string, at: string): number {
  let years = Number(at.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  if (addMonths(dateOfBirth, 12 * years) > at) years -= 1;
  return years;
}

const notKnown = 'Not known';

export const ageAtAdoptionGroups = [
  'Under 1 year',
  '1 to 4 years',
  '5 to 9 years',
  '10 to 15 years',
  '16 years and over',
  notKnown,
] as const;
export function ageAtAdoptionGroup(years: number | null): string {
  if (years === null || years < 0) return notKnown;
  if (years < 1) return 'Under 1 year';
  if (years <= 4) return '1 to 4 years';
  if (years <= 9) return '5 to 9 years';
  if (years <= 15) return '10 to 15 years';
  return '16 years and over';
}

export const ageStartingCareGroups = [
  'Under 1 year',
  '1 year',
  '2 years',
  '3 years',
  '4 years and over',
  notKnown,
] as const;
export function ageStartingCareGroup(years: number | null): string {
  if (years === null || years < 0) return notKnown;
  if (years < 1) return 'Under 1 year';
  if (years <= 3) return years === 1 ? '1 year' : `${years} years`;
  return '4 years and over';
}

export const sexGroups = ['Male', 'Female', notKnown] as const;
export const sexGroup = (sex: string): string => (sex === '1' ? 'Male' : sex === '2' ? 'Female' : notKnown);

export const ethnicGroups = [
  'White',
  'Mixed or Multiple ethnic group',
  'Asian or Asian British',
  'Black, African, Caribbean or Black British',
  'Other ethnic group',
  'Refused or information not yet available',
] as const;
/**
 * DfE's major ethnic groups from the SSDA903 ETHNIC code. Chinese (CHNE) is counted as Asian, as
 * the GSS harmonised 2021 census groups do (confirm against the current DfE methodology); an
 * unknown or blank code is "information not yet available".
 */
export function ethnicGroup(code: string): string {
  const upper = code.trim().toUpperCase();
  if (upper === 'REFU' || upper === 'NOBT' || upper === '') return 'Refused or information not yet available';
  if (upper === 'CHNE') return 'Asian or Asian British';
  if (upper === 'OOTH') return 'Other ethnic group';
  const first = upper[0];
  if (first === 'W') return 'White';
  if (first === 'M') return 'Mixed or Multiple ethnic group';
  if (first === 'A') return 'Asian or Asian British';
  if (first === 'B') return 'Black, African, Caribbean or Black British';
  return 'Refused or information not yet available';
}

export const durationOfCareGroups = [
  'Under 1 year',
  '1 to 2 years',
  '2 to 3 years',
  '3 years and over',
  notKnown,
] as const;
/** Length of the final period of care, entering care to the adoption order, in whole years. */
export function durationOfCareGroup(enteredCare: string | null, adopted: string | null): string {
  if (enteredCare === null || adopted === null || adopted < enteredCare) return notKnown;
  const years = ageInYears(enteredCare, adopted);
  if (years < 1) return 'Under 1 year';
  if (years < 2) return '1 to 2 years';
  if (years < 3) return '2 to 3 years';
  return '3 years and over';
}

export const adoptionReasonGroups = [
  'Adopted - application unopposed',
  'Adopted - consent dispensed with',
  notKnown,
] as const;
export const numberOfAdoptersGroups = ['1 person', '2 people', notKnown] as const;

export interface YearPeriod {
  /** First day (1 April). */
  start: string;
  /** Last day (31 March). */
  end: string;
}

/** DfE's reporting year ending on `end` (1 April of the year before to that 31 March). */
export function reportingYear(end: string): YearPeriod {
  const start = addMonths(end, -12);
  const [y, m, d] = [Number(start.slice(0, 4)), Number(start.slice(5, 7)), Number(start.slice(8, 10))];
  return { start: new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10), end };
}

const inPeriod = (date: string | null, period: YearPeriod): boolean =>
  date !== null && date >= period.start && date <= period.end;

export interface AdoptedBreakdowns {
  ageAtAdoption: Breakdown;
  ageStartingCare: Breakdown;
  sex: Breakdown;
  ethnicity: Breakdown;
  durationOfCare: Breakdown;
  adoptionReason: Breakdown;
  numberOfAdopters: Breakdown;
}

/** Children adopted in the period, broken down as DfE's national adoptions table (formerly E1). */
export function adoptedBreakdowns(
  children: readonly BreakdownChild[],
  period: YearPeriod,
): AdoptedBreakdowns {
  const adopted = children.filter((child) => inPeriod(child.adoptionOrder, period));
  const age = (child: BreakdownChild, at: string | null) =>
    child.dateOfBirth === null || at === null ? null : ageInYears(child.dateOfBirth, at);
  return {
    ageAtAdoption: breakdown(adopted, ageAtAdoptionGroups, (c) =>
      ageAtAdoptionGroup(age(c, c.adoptionOrder)),
    ),
    ageStartingCare: breakdown(adopted, ageStartingCareGroups, (c) =>
      ageStartingCareGroup(age(c, c.enteredCare)),
    ),
    sex: breakdown(adopted, sexGroups, (c) => sexGroup(c.sex)),
    ethnicity: breakdown(adopted, ethnicGroups, (c) => ethnicGroup(c.ethnicity)),
    durationOfCare: breakdown(adopted, durationOfCareGroups, (c) =>
      durationOfCareGroup(c.enteredCare, c.adoptionOrder),
    ),
    adoptionReason: breakdown(adopted, adoptionReasonGroups, (c) =>
      c.adoptionReason === 'E11'
        ? 'Adopted - application unopposed'
        : c.adoptionReason === 'E12'
          ? 'Adopted - consent dispensed with'
          : notKnown,
    ),
    numberOfAdopters: breakdown(adopted, numberOfAdoptersGroups, (c) =>
      c.numberOfAdopters === 1 ? '1 person' : c.numberOfAdopters === 2 ? '2 people' : notKnown,
    ),
  };
}

/**
 * The outcomes of should-be-placed decisions in a year, as DfE's decisions table numbers them:
 * 1 every child with a decision in force at some point in the year (1a made this year, 1b before);
 * 2 adopted in the year; 3 left care otherwise (3a decision intact, 3b reversed); 4 still looked
 * after on 31 March (4a placed for adoption, 4b decision reversed, 4c intact: 4c.1 with a
 * placement order, 4c.2 without). A child placed and then reversed counts as reversed (4b).
 */
export interface DecisionOutcomes {
  all: Breakdown['total'];
  madeWhen: Breakdown;
  outcome: Breakdown;
  leftCare: Breakdown;
  stillLookedAfter: Breakdown;
  intact: Breakdown;
}

export function decisionOutcomes(children: readonly BreakdownChild[], period: YearPeriod): DecisionOutcomes {
  const before = (date: string | null, day: string) => date !== null && date < day;
  const byEnd = (date: string | null) => date !== null && date <= period.end;
  const cohort = children.filter(
    (child) =>
      child.decision !== null &&
      child.decision.date <= period.end &&
      !before(child.decision.ceasedDate, period.start) &&
      !before(child.adoptionOrder, period.start) &&
      !before(child.leftCareWithoutAdoption, period.start),
  );
  const outcomeOf = (child: BreakdownChild): string =>
    inPeriod(child.adoptionOrder, period)
      ? '2. Adopted during the year'
      : inPeriod(child.leftCareWithoutAdoption, period)
        ? '3. Ceased to be looked after without being adopted'
        : '4. Still looked after on 31 March';
  const reversed = (child: BreakdownChild) => byEnd(child.decision?.ceasedDate ?? null);
  const left = cohort.filter((child) => outcomeOf(child).startsWith('3.'));
  const still = cohort.filter((child) => outcomeOf(child).startsWith('4.'));
  const stillOf = (child: BreakdownChild): string =>
    reversed(child)
      ? '4b Decision reversed'
      : byEnd(child.placedForAdoption)
        ? '4a Placed for adoption'
        : '4c Decision intact';
  const intact = still.filter((child) => stillOf(child).startsWith('4c'));
  return {
    all: { value: cohort.length, ids: cohort.map((child) => child.id) },
    madeWhen: breakdown(cohort, ['1a Made in the latest year', '1b Made in a previous year'], (child) =>
      (child.decision?.date ?? '') >= period.start
        ? '1a Made in the latest year'
        : '1b Made in a previous year',
    ),
    outcome: breakdown(
      cohort,
      [
        '2. Adopted during the year',
        '3. Ceased to be looked after without being adopted',
        '4. Still looked after on 31 March',
      ],
      outcomeOf,
    ),
    leftCare: breakdown(left, ['3a Decision not reversed', '3b Decision reversed'], (child) =>
      reversed(child) ? '3b Decision reversed' : '3a Decision not reversed',
    ),
    stillLookedAfter: breakdown(
      still,
      ['4a Placed for adoption', '4b Decision reversed', '4c Decision intact'],
      stillOf,
    ),
    intact: breakdown(
      intact,
      ['4c.1 With a placement order, not placed', '4c.2 Without a placement order, not placed'],
      (child) =>
        byEnd(child.placementOrder)
          ? '4c.1 With a placement order, not placed'
          : '4c.2 Without a placement order, not placed',
    ),
  };
}

export const reversalReasonGroups = [
  'Decision ceased because the child’s needs changed subsequent to the decision',
  'Decision ceased because the court did not make a placement order',
  'Decision ceased because prospective adopters cannot be found',
  'Decision ceased because of any other reason',
] as const;
const reversalReasonLabels: Record<'RD1' | 'RD2' | 'RD3' | 'RD4', string> = {
  RD1: reversalReasonGroups[0],
  RD2: reversalReasonGroups[1],
  RD3: reversalReasonGroups[2],
  RD4: reversalReasonGroups[3],
};

export const waitingTimeGroups = [
  'Under 6 months',
  '6 months to under 1 year',
  '1 year to under 2 years',
  '2 years to under 3 years',
  '3 years and over',
  notKnown,
] as const;
/** How long from `from` to `to`, in DfE's bands (calendar months and years). */
export function waitingTimeGroup(from: string | null, to: string): string {
  if (from === null || from > to) return notKnown;
  if (to < addMonths(from, 6)) return 'Under 6 months';
  if (to < addMonths(from, 12)) return '6 months to under 1 year';
  if (to < addMonths(from, 24)) return '1 year to under 2 years';
  if (to < addMonths(from, 36)) return '2 years to under 3 years';
  return '3 years and over';
}

export interface CohortBreakdowns {
  age: Breakdown;
  sex: Breakdown;
  ethnicity: Breakdown;
  time: Breakdown;
}

/**
 * Children whose should-be-placed decision was reversed by the end of the year (3b and 4b of
 * `decisionOutcomes`), by age at reversal, sex, ethnicity, reason (RD1–RD4, with a reversal that
 * gives none counted as "any other reason") and how long the decision stood.
 */
export function reversedBreakdowns(
  children: readonly BreakdownChild[],
  period: YearPeriod,
): CohortBreakdowns & { reason: Breakdown } {
  const outcomes = decisionOutcomes(children, period);
  const ids = new Set([
    ...(outcomes.leftCare.groups[1]?.ids ?? []),
    ...(outcomes.stillLookedAfter.groups[1]?.ids ?? []),
  ]);
  const reversed = children.filter((child) => ids.has(child.id));
  const ceased = (child: BreakdownChild) => child.decision?.ceasedDate ?? period.end;
  return {
    age: breakdown(reversed, ageAtAdoptionGroups, (c) =>
      ageAtAdoptionGroup(c.dateOfBirth === null ? null : ageInYears(c.dateOfBirth, ceased(c))),
    ),
    sex: breakdown(reversed, sexGroups, (c) => sexGroup(c.sex)),
    ethnicity: breakdown(reversed, ethnicGroups, (c) => ethnicGroup(c.ethnicity)),
    reason: breakdown(
      reversed,
      reversalReasonGroups,
      (c) => reversalReasonLabels[c.decision?.ceasedReason ?? 'RD4'],
    ),
    time: breakdown(reversed, waitingTimeGroups, (c) =>
      waitingTimeGroup(c.decision?.date ?? null, ceased(c)),
    ),
  };
}

/**
 * Children waiting on 31 March with a placement order and not yet placed (4c.1), by age on
 * 31 March, sex, ethnicity and time waiting. Time waiting is counted from the should-be-placed
 * decision (confirm: DfE does not say whether its clock starts at the decision or the order).
 * The board's equalities monitoring uses the same groups.
 */
export function waitingBreakdowns(children: readonly BreakdownChild[], period: YearPeriod): CohortBreakdowns {
  const outcomes = decisionOutcomes(children, period);
  const ids = new Set(outcomes.intact.groups[0]?.ids ?? []);
  const waiting = children.filter((child) => ids.has(child.id));
  return {
    age: breakdown(waiting, ageAtAdoptionGroups, (c) =>
      ageAtAdoptionGroup(c.dateOfBirth === null ? null : ageInYears(c.dateOfBirth, period.end)),
    ),
    sex: breakdown(waiting, sexGroups, (c) => sexGroup(c.sex)),
    ethnicity: breakdown(waiting, ethnicGroups, (c) => ethnicGroup(c.ethnicity)),
    time: breakdown(waiting, waitingTimeGroups, (c) =>
      waitingTimeGroup(c.decision?.date ?? null, period.end),
    ),
  };
}
