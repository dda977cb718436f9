// The conversion funnel (issue 5 §5): enquiries → registrations → Stage One → Stage Two →
// approval, per quarter, by spoke and by source, with the reasons people left. Pure: the service
// gives one row per enquiry or household with the dates each step was reached (from the facts in
// force) and this counts them.
//
// Quarters are the ASGLB's: financial quarters April–June, July–September, October–December and
// January–March (domain.md §5), labelled "2026-27 Q3". Each step is counted in the quarter its
// date falls in (activity in the period, as the ASGLB collection counts it), not as a cohort; the
// conversion percentages are each step's count against the step before it and against enquiries
// in the same period. Households on the fast track skip Stage One, so Stage Two can exceed it.
import type { IsoDate } from '../../platform/time/index.js';

export const funnelSteps = ['enquiry', 'registration', 'stageOne', 'stageTwo', 'approval'] as const;
export type FunnelStep = (typeof funnelSteps)[number];

export const funnelStepLabels: Record<FunnelStep, string> = {
  enquiry: 'Enquiries',
  registration: 'Registrations of interest',
  stageOne: 'Stage One started',
  stageTwo: 'Stage Two started',
  approval: 'Approved',
};

export interface FunnelRow {
  enquiryDate: IsoDate | null;
  registrationDate: IsoDate | null;
  stageOneDate: IsoDate | null;
  stageTwoDate: IsoDate | null;
  approvalDate: IsoDate | null;
  /** The spoke serving the council of residence; null outside the spokes. */
  spoke: string | null;
  /** How they heard of the RAA (the enquiry form's codes); null when not known. */
  source: string | null;
  /** When and why they left the process; null while they are in it or once approved. */
  dropOut: { date: IsoDate; reason: string } | null;
  /** How many enquiries or households with exactly these dates the row stands for (1 when absent). */
  count?: number;
  /**
   * The last step reached on or before the day they left, when the service worked it out from
   * exact dates (its rows' dates are then the first days of their quarters); else from the dates.
   */
  stepBeforeLeaving?: FunnelStep | null;
}

const stepDate: Record<FunnelStep, (row: FunnelRow) => IsoDate | null> = {
  enquiry: (row) => row.enquiryDate,
  registration: (row) => row.registrationDate,
  stageOne: (row) => row.stageOneDate,
  stageTwo: (row) => row.stageTwoDate,
  approval: (row) => row.approvalDate,
};

export type FunnelCounts = Record<FunnelStep, number> & { dropOuts: number };

export interface FinancialQuarter {
  /** The calendar year the financial year starts in: 2026 for 2026-27. */
  year: number;
  quarter: 1 | 2 | 3 | 4;
  label: string;
  from: IsoDate;
  to: IsoDate;
}

export const financialYearLabel = (year: number): string =>
  `${year}-${String((year + 1) % 100).padStart(2, '0')}`;

export function financialYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 4 ? year : year - 1;
}

export function financialQuarters(year: number): FinancialQuarter[] {
  const ranges: Array<[IsoDate, IsoDate]> = [
    [`${year}-04-01`, `${year}-06-30`],
    [`${year}-07-01`, `${year}-09-30`],
    [`${year}-10-01`, `${year}-12-31`],
    [`${year + 1}-01-01`, `${year + 1}-03-31`],
  ];
  return ranges.map(([from, to], index) => ({
    year,
    quarter: (index + 1) as 1 | 2 | 3 | 4,
    label: `${financialYearLabel(year)} Q${index + 1}`,
    from,
    to,
  }));
}

export function financialQuarterOf(date: IsoDate): FinancialQuarter {
  const year = financialYearOf(date);
  return financialQuarters(year).find((q) => date >= q.from && date <= q.to)!;
}

const emptyCounts = (): FunnelCounts => ({
  enquiry: 0,
  registration: 0,
  stageOne: 0,
  stageTwo: 0,
  approval: 0,
  dropOuts: 0,
});

function countIn(rows: readonly FunnelRow[], from: IsoDate, to: IsoDate): FunnelCounts {
  const counts = emptyCounts();
  const within = (date: IsoDate | null | undefined) => !!date && date >= from && date <= to;
  for (const row of rows) {
    const weight = row.count ?? 1;
    for (const step of funnelSteps) if (within(stepDate[step](row))) counts[step] += weight;
    if (within(row.dropOut?.date)) counts.dropOuts += weight;
  }
  return counts;
}

/** A percentage to one decimal place, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

export interface ConversionStep {
  step: FunnelStep;
  count: number;
  /** This step against the step before it in the same period; null for enquiries. */
  ofPrevious: number | null;
  ofEnquiries: number | null;
}

export function conversion(counts: FunnelCounts): ConversionStep[] {
  return funnelSteps.map((step, index) => {
    const previous = index === 0 ? undefined : funnelSteps[index - 1];
    return {
      step,
      count: counts[step],
      ofPrevious: previous === undefined ? null : percent(counts[step], counts[previous]),
      ofEnquiries: index === 0 ? null : percent(counts[step], counts.enquiry),
    };
  });
}

/** The last step a row reached on or before the day it left: where it dropped out. */
export function lastStepBefore(row: FunnelRow, date: IsoDate): FunnelStep | null {
  let last: FunnelStep | null = null;
  for (const step of funnelSteps) {
    const reached = stepDate[step](row);
    if (reached && reached <= date) last = step;
  }
  return last;
}

export interface DropOutReason {
  reason: string;
  count: number;
  /** How many left after reaching each step (enquiry … Stage Two); "none" when no step is dated. */
  after: Record<FunnelStep | 'none', number>;
}

export interface FunnelGroup {
  key: string | null;
  counts: FunnelCounts;
  /** Approvals against enquiries in the period. */
  approvalRate: number | null;
}

export interface FunnelReport {
  year: number;
  yearLabel: string;
  quarters: Array<FinancialQuarter & { counts: FunnelCounts }>;
  total: FunnelCounts;
  conversion: ConversionStep[];
  dropOuts: DropOutReason[];
  bySpoke: FunnelGroup[];
  bySource: FunnelGroup[];
}

function groups(
  rows: readonly FunnelRow[],
  keyOf: (row: FunnelRow) => string | null,
  from: IsoDate,
  to: IsoDate,
): FunnelGroup[] {
  const byKey = new Map<string | null, FunnelRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = byKey.get(key);
    if (list) list.push(row);
    else byKey.set(key, [row]);
  }
  return [...byKey]
    .map(([key, members]) => {
      const counts = countIn(members, from, to);
      return { key, counts, approvalRate: percent(counts.approval, counts.enquiry) };
    })
    .filter((group) => funnelSteps.some((step) => group.counts[step] > 0) || group.counts.dropOuts > 0)
    .sort(
      (a, b) =>
        b.counts.enquiry - a.counts.enquiry ||
        b.counts.approval - a.counts.approval ||
        String(a.key ?? '\uffff').localeCompare(String(b.key ?? '\uffff')),
    );
}

/** The funnel for one financial year of the given rows (already narrowed to a spoke or source if asked). */
export function conversionFunnel(rows: readonly FunnelRow[], year: number): FunnelReport {
  const quarters = financialQuarters(year);
  const from = quarters[0]!.from;
  const to = quarters[3]!.to;
  const total = countIn(rows, from, to);

  const reasons = new Map<string, DropOutReason>();
  for (const row of rows) {
    const left = row.dropOut;
    if (!left || left.date < from || left.date > to) continue;
    let entry = reasons.get(left.reason);
    if (!entry) {
      entry = {
        reason: left.reason,
        count: 0,
        after: { none: 0, enquiry: 0, registration: 0, stageOne: 0, stageTwo: 0, approval: 0 },
      };
      reasons.set(left.reason, entry);
    }
    entry.count += row.count ?? 1;
    const step = row.stepBeforeLeaving !== undefined ? row.stepBeforeLeaving : lastStepBefore(row, left.date);
    entry.after[step ?? 'none'] += row.count ?? 1;
  }

  return {
    year,
    yearLabel: financialYearLabel(year),
    quarters: quarters.map((quarter) => ({ ...quarter, counts: countIn(rows, quarter.from, quarter.to) })),
    total,
    conversion: conversion(total),
    dropOuts: [...reasons.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    bySpoke: groups(rows, (row) => row.spoke, from, to),
    bySource: groups(rows, (row) => row.source, from, to),
  };
}
