// The rules of adoption support as pure functions (issue 8): no database, and no clock but the
// `today` passed in. Figures the brief marks "(confirm)" live in configuration (SupportRules and
// the fair-access table), not constants, and carry a flag so every page can say "(confirm)".
//
// Sources: shared/domain.md §7 and domain-detail.md §7 — Adoption and Children Act 2002 s4 (the
// right to an assessment) and Sch 2; Adoption Support Services Regulations 2005 (ASSR) regs 7,
// 13–19; the Adoption Support Fund (now the Adoption and Special Guardianship Support Fund).
import {
  addCalendarDays,
  addCalendarMonths,
  addWorkingDays,
  isValidIsoDate,
  type IsoDate,
} from '../../platform/time/index.js';
import type { FundCategory, RecordCheckKind, RecordOutcome, RecordRequestKind } from './support.tables.js';

export interface SupportRules {
  /** Working days from a request to the completed assessment of support needs. */
  assessmentWorkingDays: number;
  /** Days people have to make representations on a notice of proposal (ASSR 2005 reg 16–17). */
  representationsDays: number;
  /** Months after the assessment by which the RAA applies to the fund. */
  fundApplicationMonths: number;
  /** Days before an exchange's month that the worker (and the writer) are reminded. */
  letterboxReminderDaysBefore: number;
  /** Days after the end of an exchange's month before a missing item counts as missed. */
  letterboxMissedAfterDays: number;
}

export const defaultSupportRules: SupportRules = {
  assessmentWorkingDays: 30,
  representationsDays: 28,
  fundApplicationMonths: 3,
  letterboxReminderDaysBefore: 14,
  letterboxMissedAfterDays: 28,
};

/** Why each figure is what it is, and whether the brief asks for it to be confirmed. */
export const supportRuleSources: Record<keyof SupportRules, { source: string; confirm: boolean }> = {
  assessmentWorkingDays: {
    source:
      'No timescale is set by ACA 2002 s4 or ASSR 2005 reg 13 (domain-detail.md §7: "assessment on request at any time"); 30 working days is a local-practice figure for the RAA to confirm.',
    confirm: true,
  },
  representationsDays: {
    source: 'ASSR 2005 regs 16–17: 28 days is the recommended good practice (domain-detail.md §7).',
    confirm: false,
  },
  fundApplicationMonths: {
    source:
      'The fund expects the application within 3 months of the assessment (DfE grant page) or 4 months (FamilyLaw, 2025): the sources conflict (domain-detail.md §7).',
    confirm: true,
  },
  letterboxReminderDaysBefore: {
    source: 'Local practice: a reminder two weeks before the agreed month.',
    confirm: false,
  },
  letterboxMissedAfterDays: {
    source: 'Local practice: an exchange not received four weeks after its month is missed.',
    confirm: false,
  },
};

// ── Assessments and plans ─────────────────────────────────────────────────────────────────────

export function assessmentDueOn(requestedOn: IsoDate, rules: SupportRules = defaultSupportRules): IsoDate {
  return addWorkingDays(requestedOn, rules.assessmentWorkingDays);
}

export function representationsDueOn(
  proposalSentOn: IsoDate,
  rules: SupportRules = defaultSupportRules,
): IsoDate {
  return addCalendarDays(proposalSentOn, rules.representationsDays);
}

export function fundApplicationDueOn(
  assessmentCompletedOn: IsoDate,
  rules: SupportRules = defaultSupportRules,
): IsoDate {
  return addCalendarMonths(assessmentCompletedOn, rules.fundApplicationMonths);
}

/**
 * Which council is responsible for adoption support (ASSR 2005 reg 7): the council that placed
 * the child, for three years after the adoption order; after that, the council where the family
 * lives. Before the order the placing council remains responsible.
 */
export function responsibleCouncil(input: {
  placingCouncilId: string | null;
  residenceCouncilId: string | null;
  adoptionOrderOn: IsoDate | null;
  today: IsoDate;
}): string | null {
  if (!input.adoptionOrderOn) return input.placingCouncilId ?? input.residenceCouncilId;
  const threeYearsOn = addCalendarMonths(input.adoptionOrderOn, 36);
  return input.today < threeYearsOn
    ? (input.placingCouncilId ?? input.residenceCouncilId)
    : (input.residenceCouncilId ?? input.placingCouncilId);
}

// ── The Adoption Support Fund: fair-access limits by financial year ───────────────────────────

/** The financial year (April–March) a date falls in, named by the year it starts: 2026 is 2026/27. */
export function financialYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return month >= 4 ? year : year - 1;
}

export function financialYearLabel(year: number): string {
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`;
}

export interface FairAccessLimits {
  /** Therapy per child per financial year, in pence. */
  therapyPence: number;
  /** Specialist assessment per child per financial year, in pence. */
  assessmentPence: number;
  /** When set, therapy and assessments together may not pass this (from April 2025). */
  combinedPence: number | null;
  /** Whether the fund matched council funding above the limit (2016/17 to 2024/25). */
  fundMatchesCouncil: boolean;
  /** True where the brief marks the figures "(confirm)". */
  confirm: boolean;
  source: string;
}

const before2025: Omit<FairAccessLimits, 'confirm' | 'source'> = {
  therapyPence: 500_000,
  assessmentPence: 250_000,
  combinedPence: null,
  fundMatchesCouncil: true,
};
const from2025: Omit<FairAccessLimits, 'confirm' | 'source'> = {
  therapyPence: 300_000,
  assessmentPence: 250_000,
  combinedPence: 300_000,
  fundMatchesCouncil: false,
};

/**
 * The fair-access limits, by the financial year they apply to (domain-detail.md §7): £5,000 for
 * therapy plus £2,500 for a specialist assessment per child per year from October 2016; from
 * April 2025 £3,000 in all, assessments (up to £2,500) inside it, and no more match funding from
 * the fund. domain.md asks for the current figures to be confirmed; 2026/27 is assumed to
 * continue the 2025/26 figures (the fund was extended into 2026/27 with a review promised).
 */
export const fairAccessLimitsByYear: Readonly<Record<number, FairAccessLimits>> = {
  ...Object.fromEntries(
    [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024].map((year) => [
      year,
      {
        ...before2025,
        confirm: false,
        source: 'From October 2016: £5,000 therapy and £2,500 specialist assessment per child per year.',
      },
    ]),
  ),
  2025: {
    ...from2025,
    confirm: true,
    source:
      'From April 2025: £3,000 per child per year, specialist assessments (up to £2,500) inside it; no match funding from the fund.',
  },
  2026: {
    ...from2025,
    confirm: true,
    source: '2026/27: assumed to continue the 2025/26 limits until confirmed.',
  },
};

/** The limits for a financial year; later years than the table knows take its latest, to confirm. */
export function fairAccessLimitsFor(
  year: number,
  table: Readonly<Record<number, FairAccessLimits>> = fairAccessLimitsByYear,
): FairAccessLimits | null {
  const known = table[year];
  if (known) return known;
  const years = Object.keys(table).map(Number);
  const latest = Math.max(...years);
  if (year > latest) {
    return {
      ...table[latest]!,
      confirm: true,
      source: `No limits are recorded for ${financialYearLabel(year)}: the ${financialYearLabel(latest)} figures are used until they are confirmed.`,
    };
  }
  return null;
}

export interface Committed {
  therapyPence: number;
  assessmentPence: number;
}

/** What the fund can still pay for this child, this year, in this category. */
export function remainingLimit(
  limits: FairAccessLimits,
  committed: Committed,
  category: FundCategory,
): number {
  const own =
    category === 'therapy'
      ? limits.therapyPence - committed.therapyPence
      : limits.assessmentPence - committed.assessmentPence;
  const combined =
    limits.combinedPence === null
      ? Number.POSITIVE_INFINITY
      : limits.combinedPence - committed.therapyPence - committed.assessmentPence;
  return Math.max(0, Math.min(own, combined));
}

export interface FundRequest {
  category: FundCategory;
  totalCostPence: number;
  matchFundingPence: number;
  exceptionReason: string | null;
}

export interface FundCheck {
  fundSharePence: number;
  remainingPence: number;
  limitPence: number;
  overLimitPence: number;
  /** A sentence for the person asking, when the request cannot go ahead as it is. */
  refusal: { field: 'matchFunding' | 'exceptionReason' | 'totalCost'; message: string } | null;
}

export const formatPounds = (pence: number): string =>
  `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/**
 * Checks a request against the child's fair-access limit for the year: the fund's share (the cost
 * less the council's match funding) may not pass what is left of the limit unless there is a
 * reason for an exception.
 */
export function checkFundRequest(
  limits: FairAccessLimits,
  committed: Committed,
  request: FundRequest,
  year: number,
): FundCheck {
  const remainingPence = remainingLimit(limits, committed, request.category);
  const limitPence =
    request.category === 'therapy'
      ? Math.min(limits.therapyPence, limits.combinedPence ?? limits.therapyPence)
      : limits.assessmentPence;
  const base = { remainingPence, limitPence, fundSharePence: 0, overLimitPence: 0 };
  if (request.matchFundingPence > request.totalCostPence) {
    return {
      ...base,
      refusal: {
        field: 'matchFunding',
        message: 'The council’s match funding cannot be more than the cost of the service',
      },
    };
  }
  const fundSharePence = request.totalCostPence - request.matchFundingPence;
  const overLimitPence = Math.max(0, fundSharePence - remainingPence);
  if (overLimitPence > 0 && !request.exceptionReason) {
    return {
      ...base,
      fundSharePence,
      overLimitPence,
      refusal: {
        field: 'exceptionReason',
        message: `This asks the fund for ${formatPounds(fundSharePence)}, which is ${formatPounds(overLimitPence)} over what is left of the child’s fair-access limit for ${financialYearLabel(year)} (${formatPounds(remainingPence)} of ${formatPounds(limitPence)}). Add match funding from the council for the difference, or give the reason for an exception`,
      },
    };
  }
  return { ...base, fundSharePence, overLimitPence, refusal: null };
}

// ── Records and intermediary services ─────────────────────────────────────────────────────────

/**
 * People adopted before 12 November 1975 must see an adoption counsellor before they are given
 * information from their birth records (ACA 2002 Sch 2; formerly Children Act 1975 s26;
 * domain.md §7). For later adoptions counselling is offered, not required.
 */
export const counsellingRequiredBefore: IsoDate = '1975-11-12';

/** True when counselling must come first; unknown adoption dates are treated as needing it. */
export function counsellingRequired(adoptedOn: IsoDate | null): boolean {
  return !adoptedOn || adoptedOn < counsellingRequiredBefore;
}

/** Adoptions before 30 December 2005 follow the pre-commencement route (GRO and AIIS(PCA)R 2005). */
export const commencementDate: IsoDate = '2005-12-30';

export function recordsRoute(adoptedOn: IsoDate | null): 'pre_commencement' | 'agency' | 'unknown' {
  if (!adoptedOn) return 'unknown';
  return adoptedOn < commencementDate ? 'pre_commencement' : 'agency';
}

export interface RecordCheck {
  kind: RecordCheckKind;
  recordedBy: string | null;
}

const disclosures: readonly RecordOutcome[] = [
  'information_disclosed',
  'partly_disclosed',
  'counselling_completed',
];
const contactOutcomes: readonly RecordOutcome[] = ['contact_agreed', 'information_shared'];

/** The outcomes each kind of request can have. */
export const outcomesFor: Record<RecordRequestKind, readonly RecordOutcome[]> = {
  birth_records_counselling: [
    'counselling_completed',
    'information_disclosed',
    'referred_elsewhere',
    'withdrawn',
  ],
  access_to_records: ['information_disclosed', 'partly_disclosed', 'refused', 'withdrawn'],
  intermediary: ['contact_agreed', 'contact_declined', 'information_shared', 'not_traced', 'withdrawn'],
};

/**
 * Why an outcome cannot be recorded yet, or null. Disclosure follows the statutory route
 * (security.md DP-7; DAI(PCA)R 2005 regs 13–15): the applicant's identity checked, counselling
 * first for adoptions before 12 November 1975, and a second worker's approval — never the
 * worker who records the outcome. Contact through an intermediary needs the other person's
 * consent (AIIS(PCA)R 2005).
 */
export function outcomeRefusal(input: {
  kind: RecordRequestKind;
  outcome: RecordOutcome;
  adoptedOn: IsoDate | null;
  checks: readonly RecordCheck[];
  recordedBy: string;
}): string | null {
  if (!outcomesFor[input.kind].includes(input.outcome)) {
    return 'Choose an outcome that fits this kind of request';
  }
  const has = (kind: RecordCheckKind) => input.checks.some((check) => check.kind === kind);
  if (disclosures.includes(input.outcome)) {
    if (!has('identity_checked'))
      return 'Record the check of the applicant’s identity before any information is given';
    if (counsellingRequired(input.adoptedOn) && !has('counselling_held')) {
      return input.adoptedOn
        ? 'This person was adopted before 12 November 1975, so they must see an adoption counsellor before they are given information from their birth records: record the counselling first'
        : 'Record the date of the adoption first: people adopted before 12 November 1975 must see an adoption counsellor before they are given information';
    }
    if (input.outcome !== 'counselling_completed') {
      const approvals = input.checks.filter((check) => check.kind === 'second_approval');
      if (!approvals.some((check) => check.recordedBy && check.recordedBy !== input.recordedBy)) {
        return 'A second worker must approve the disclosure before it is recorded: someone other than you records the approval';
      }
    }
  }
  if (contactOutcomes.includes(input.outcome)) {
    if (!has('identity_checked')) return 'Record the check of the applicant’s identity first';
    if (!has('consent_given'))
      return 'Record the other person’s consent before contact or information is passed on';
  }
  return null;
}

// ── Letterbox contact: which months are due, received, missed ──────────────────────────────────

export interface LetterboxTiming {
  months: readonly number[];
  startsOn: IsoDate;
  endedOn: IsoDate | null;
}

export type PeriodStatus = 'received' | 'missed' | 'due' | 'upcoming';

export interface PeriodState {
  /** The first day of the agreed month, 'YYYY-MM-01'. */
  period: IsoDate;
  status: PeriodStatus;
  /** From this day the writer is reminded. */
  remindFrom: IsoDate;
  /** After this day a missing item counts as missed. */
  missedAfter: IsoDate;
}

const firstOfMonth = (date: IsoDate): IsoDate => `${date.slice(0, 7)}-01`;

/** The agreed months from the agreement's start, in order, up to and including `until`'s month. */
export function periodsBetween(timing: LetterboxTiming, until: IsoDate): IsoDate[] {
  const months = new Set(timing.months);
  const out: IsoDate[] = [];
  let cursor = firstOfMonth(timing.startsOn);
  const last = firstOfMonth(until);
  while (cursor <= last) {
    if (timing.endedOn && cursor >= timing.endedOn) break;
    if (months.has(Number(cursor.slice(5, 7)))) out.push(cursor);
    cursor = addCalendarMonths(cursor, 1);
  }
  return out;
}

export function periodState(
  period: IsoDate,
  received: boolean,
  today: IsoDate,
  rules: SupportRules = defaultSupportRules,
): PeriodState {
  const endOfMonth = addCalendarDays(addCalendarMonths(period, 1), -1);
  const remindFrom = addCalendarDays(period, -rules.letterboxReminderDaysBefore);
  const missedAfter = addCalendarDays(endOfMonth, rules.letterboxMissedAfterDays);
  const status: PeriodStatus = received
    ? 'received'
    : today > missedAfter
      ? 'missed'
      : today >= remindFrom
        ? 'due'
        : 'upcoming';
  return { period, status, remindFrom, missedAfter };
}

/** Every agreed month from the start to a year ahead, with its state for one writer. */
export function letterboxSchedule(
  timing: LetterboxTiming,
  receivedPeriods: ReadonlySet<IsoDate>,
  today: IsoDate,
  rules: SupportRules = defaultSupportRules,
): PeriodState[] {
  return periodsBetween(timing, addCalendarMonths(today, 12)).map((period) =>
    periodState(period, receivedPeriods.has(period), today, rules),
  );
}

/**
 * The first agreed month whose item has not arrived from this writer — the one the caseload
 * shows — or null when the agreement has ended with nothing outstanding.
 */
export function nextDueOn(timing: LetterboxTiming, receivedPeriods: ReadonlySet<IsoDate>): IsoDate | null {
  const months = new Set(timing.months);
  let cursor = firstOfMonth(timing.startsOn);
  // Twelve agreed months a year at most; a century of exchanges is far beyond any agreement.
  for (let step = 0; step < 1200; step += 1) {
    if (timing.endedOn && cursor >= timing.endedOn) return null;
    if (months.has(Number(cursor.slice(5, 7))) && !receivedPeriods.has(cursor)) return cursor;
    cursor = addCalendarMonths(cursor, 1);
  }
  return null;
}

/** Whether a month is one of the agreement's exchanges (the item's "for" month). */
export function isAgreedPeriod(timing: LetterboxTiming, period: IsoDate): boolean {
  return (
    isValidIsoDate(period) &&
    period.endsWith('-01') &&
    period >= firstOfMonth(timing.startsOn) &&
    (!timing.endedOn || period < timing.endedOn) &&
    timing.months.includes(Number(period.slice(5, 7)))
  );
}
