// The board dashboard (issue 9 §4): the benefits the seeds expect of the RAA (seeds 001 §13.1)
// and equalities monitoring of the children waiting against the households approved (seeds 001
// §25: "Equalities monitoring … will be a key function of the RAA Board"). Pure: the service reads
// the rows in scope; this file counts. Aggregates only, with small numbers suppressed, because the
// board sees no one's record (design.md §3).
import { ethnicGroup as ethnicGroupOf, ethnicGroups } from './breakdowns.js';
import { ageOn } from './returns.js';

export type IsoDate = string;

// ── Small numbers ───────────────────────────────────────────────────────────────────────────────

/**
 * Counts from 1 to 4 are shown as "fewer than 5", and no percentage or average is shown when it
 * rests on fewer than 5 children or households: in a region's figures a count of 1 or 2 can point
 * at a family (the practice DfE and the ONS follow for published children's statistics).
 */
export const suppressionThreshold = 5;
export const suppressionNote =
  'To protect children and families, counts from 1 to 4 are shown as “fewer than 5”, and no percentage or average is shown when it rests on fewer than 5 children or households.';

export interface Shown {
  /** What the page prints. */
  text: string;
  /** The value a chart may draw: null when suppressed or not available. */
  value: number | null;
  suppressed: boolean;
}

export function shownCount(count: number): Shown {
  if (count > 0 && count < suppressionThreshold)
    return { text: 'fewer than 5', value: null, suppressed: true };
  return { text: String(count), value: count, suppressed: false };
}

export function shownPercent(part: number, whole: number): Shown {
  if (whole === 0) return { text: 'none to count', value: null, suppressed: false };
  if (whole < suppressionThreshold) return { text: 'too few to show', value: null, suppressed: true };
  const value = Math.round((part / whole) * 100);
  return { text: `${value}%`, value, suppressed: false };
}

export function shownAverage(values: readonly number[], unit = 'days'): Shown {
  if (values.length === 0) return { text: 'none to count', value: null, suppressed: false };
  if (values.length < suppressionThreshold) return { text: 'too few to show', value: null, suppressed: true };
  const value = Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  return { text: `${value} ${unit}`, value, suppressed: false };
}

// ── Inputs ──────────────────────────────────────────────────────────────────────────────────────

export interface DashboardChild {
  dateOfBirth: IsoDate;
  ethnicity: string;
  disability: boolean;
  siblingGroupSize: number;
  enteredCare: IsoDate | null;
  shouldBePlaced: IsoDate | null;
  placementOrder: IsoDate | null;
  matched: IsoDate | null;
  placed: IsoDate | null;
  adoptionOrder: IsoDate | null;
  /** Referral to the RAA or the start of twin tracking, whichever came first. */
  earlyIdentified: IsoDate | null;
  earlyPermanencePlacement: IsoDate | null;
  planChanged: IsoDate | null;
  disruptions: Array<{ date: IsoDate; timing: 'before_order' | 'after_order' | null }>;
}

export interface DashboardHousehold {
  enquiry: IsoDate | null;
  stageOneStart: IsoDate | null;
  stageOneEnd: IsoDate | null;
  stageTwoStart: IsoDate | null;
  approved: IsoDate | null;
  /** Approval ended at a review (the board's "approvals rescinded"). */
  approvalEnded: IsoDate | null;
  /** Approved and waiting for a match today. */
  waiting: boolean;
  ethnicities: string[];
  ageFrom: number | null;
  ageTo: number | null;
  siblings: boolean;
  disability: boolean | null;
}

// ── Periods ─────────────────────────────────────────────────────────────────────────────────────

export interface FinancialYear {
  label: string;
  start: IsoDate;
  end: IsoDate;
}

export function financialYears(today: IsoDate): { current: FinancialYear; previous: FinancialYear } {
  const year = Number(today.slice(0, 4)) - (Number(today.slice(5, 7)) < 4 ? 1 : 0);
  const make = (y: number, end: IsoDate): FinancialYear => ({
    label: `${y}-${String((y + 1) % 100).padStart(2, '0')}`,
    start: `${y}-04-01`,
    end,
  });
  return {
    current: { ...make(year, today), label: `${make(year, today).label} so far` },
    previous: make(year - 1, `${year}-03-31`),
  };
}

const within = (date: IsoDate | null, year: FinancialYear) =>
  !!date && date >= year.start && date <= year.end;
const days = (from: IsoDate, to: IsoDate) =>
  Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000);

// ── Benefit measures ────────────────────────────────────────────────────────────────────────────

export interface BenefitRow {
  label: string;
  /** Which way is better, for the reader: the seeds expect some figures to rise and others to fall. */
  better: 'higher' | 'lower';
  previous: Shown;
  current: Shown;
  note?: string;
}

export interface BenefitGroup {
  heading: string;
  rows: BenefitRow[];
}

export function benefitMeasures(
  children: readonly DashboardChild[],
  households: readonly DashboardHousehold[] | null,
  today: IsoDate,
): { years: { current: FinancialYear; previous: FinancialYear }; groups: BenefitGroup[] } {
  const years = financialYears(today);
  const both = (fn: (year: FinancialYear) => Shown) => ({
    previous: fn(years.previous),
    current: fn(years.current),
  });
  const count = (pick: (c: DashboardChild) => IsoDate | null) => (year: FinancialYear) =>
    shownCount(children.filter((c) => within(pick(c), year)).length);

  const groups: BenefitGroup[] = [];
  if (households) {
    const stageOneDays = (year: FinancialYear) =>
      households
        .filter((h) => h.stageOneStart && h.stageOneEnd && within(h.stageOneEnd, year))
        .map((h) => days(h.stageOneStart!, h.stageOneEnd!));
    const stageTwoDays = (year: FinancialYear) =>
      households
        .filter((h) => h.stageTwoStart && h.approved && within(h.approved, year))
        .map((h) => days(h.stageTwoStart!, h.approved!));
    const enquiryToApproval = (year: FinancialYear) =>
      shownPercent(
        households.filter((h) => within(h.approved, year)).length,
        households.filter((h) => within(h.enquiry, year)).length,
      );
    groups.push({
      heading: 'Recruiting and assessing adopters',
      rows: [
        {
          label: 'Average days in Stage One (target two months)',
          better: 'lower',
          ...both((y) => shownAverage(stageOneDays(y))),
        },
        {
          label: 'Average days from Stage Two to approval (target four months)',
          better: 'lower',
          ...both((y) => shownAverage(stageTwoDays(y))),
        },
        {
          label: 'Approvals as a percentage of enquiries in the same year',
          better: 'higher',
          ...both(enquiryToApproval),
          note: 'Approvals in the year over enquiries in the year: a household approved this year may have enquired last year.',
        },
        {
          label: 'Households approved',
          better: 'higher',
          ...both((y) => shownCount(households.filter((h) => within(h.approved, y)).length)),
        },
        {
          label: 'Approvals ended at review',
          better: 'lower',
          ...both((y) => shownCount(households.filter((h) => within(h.approvalEnded, y)).length)),
          note: 'Kindred records that approval ended at a review, not always why; most end because no match was found.',
        },
      ],
    });
  }
  const placedDays =
    (from: (c: DashboardChild) => IsoDate | null, to: (c: DashboardChild) => IsoDate | null) =>
    (year: FinancialYear) =>
      shownAverage(
        children
          .filter((c) => from(c) && to(c) && within(to(c), year))
          .map((c) => Math.max(0, days(from(c)!, to(c)!))),
      );
  groups.push({
    heading: 'Children’s journeys',
    rows: [
      {
        label: 'Children identified early (referred to the RAA or twin tracked before the decision to place)',
        better: 'higher',
        ...both((y) =>
          shownCount(
            children.filter(
              (c) =>
                within(c.earlyIdentified, y) && (!c.shouldBePlaced || c.earlyIdentified! <= c.shouldBePlaced),
            ).length,
          ),
        ),
      },
      {
        label: 'Early permanence placements (fostering for adoption or concurrent planning)',
        better: 'higher',
        ...both(count((c) => c.earlyPermanencePlacement)),
      },
      { label: 'Plans changed away from adoption', better: 'lower', ...both(count((c) => c.planChanged)) },
      { label: 'Children adopted', better: 'higher', ...both(count((c) => c.adoptionOrder)) },
      {
        label: 'Percentage of care leavers adopted',
        better: 'higher',
        previous: { text: 'not held in Kindred', value: null, suppressed: false },
        current: { text: 'not held in Kindred', value: null, suppressed: false },
        note: 'Kindred holds the children with adoption plans, not every child who leaves care: the percentage comes from each council’s SSDA903 return and appears on the scorecard.',
      },
      {
        label: 'Average days from placement order to match, for children matched',
        better: 'lower',
        ...both(
          placedDays(
            (c) => c.placementOrder,
            (c) => c.matched,
          ),
        ),
      },
      {
        label: 'Average days from entering care to moving in, for children placed',
        better: 'lower',
        ...both(
          placedDays(
            (c) => c.enteredCare,
            (c) => c.placed,
          ),
        ),
      },
      {
        label: 'Disruptions before the adoption order',
        better: 'lower',
        ...both((y) =>
          shownCount(
            children
              .flatMap((c) => c.disruptions)
              .filter((d) => d.timing !== 'after_order' && within(d.date, y)).length,
          ),
        ),
      },
      {
        label: 'Disruptions after the adoption order',
        better: 'lower',
        ...both((y) =>
          shownCount(
            children
              .flatMap((c) => c.disruptions)
              .filter((d) => d.timing === 'after_order' && within(d.date, y)).length,
          ),
        ),
      },
    ],
  });
  return { years, groups };
}

// ── Equalities ──────────────────────────────────────────────────────────────────────────────────

/** Children waiting: a decision to place or a placement order, not yet placed, plan not changed. */
export function isWaiting(child: DashboardChild): boolean {
  return (
    !!(child.shouldBePlaced || child.placementOrder) &&
    !child.placed &&
    !child.adoptionOrder &&
    !child.planChanged
  );
}

export const ageBands = [
  { label: 'Under 1', from: 0, to: 0 },
  { label: '1 to 4', from: 1, to: 4 },
  { label: '5 to 9', from: 5, to: 9 },
  { label: '10 and over', from: 10, to: 17 },
] as const;

export interface EqualitiesRow {
  label: string;
  children: Shown;
  households: Shown;
}

export interface EqualitiesTable {
  id: string;
  heading: string;
  /** What "households" means for this table, since it differs by characteristic. */
  householdsMeaning: string;
  rows: EqualitiesRow[];
}

/**
 * Children waiting against the households approved and waiting to be matched, by characteristic.
 * Households are counted by what they are approved for, where Kindred records it (their offer):
 * the age range they can care for, whether they would take brothers and sisters, and whether they
 * said they could meet needs arising from disability. Ethnicity is the applicants' own: a
 * household counts once under each group its applicants belong to.
 */
export function equalities(
  children: readonly DashboardChild[],
  households: readonly DashboardHousehold[] | null,
  today: IsoDate,
): { waiting: Shown; approvedWaiting: Shown | null; tables: EqualitiesTable[] } {
  const waiting = children.filter(isWaiting);
  const approved = households?.filter((h) => h.waiting) ?? null;
  const hh = (n: number) =>
    approved ? shownCount(n) : { text: 'not shown', value: null, suppressed: false };

  const ethnicity: EqualitiesTable = {
    id: 'equalities-ethnicity',
    heading: 'Ethnicity',
    householdsMeaning: 'Households with an applicant of this ethnic group',
    rows: ethnicGroups.map((group) => ({
      label: group,
      children: shownCount(waiting.filter((c) => ethnicGroupOf(c.ethnicity) === group).length),
      households: hh(
        (approved ?? []).filter((h) => h.ethnicities.some((e) => ethnicGroupOf(e) === group)).length,
      ),
    })),
  };
  const age: EqualitiesTable = {
    id: 'equalities-age',
    heading: 'Age',
    householdsMeaning: 'Households approved for a child of this age',
    rows: ageBands.map((band) => ({
      label: band.label,
      children: shownCount(
        waiting.filter((c) => {
          const years = ageOn(c.dateOfBirth, today) ?? -1;
          return years >= band.from && years <= band.to;
        }).length,
      ),
      households: hh(
        (approved ?? []).filter(
          (h) => h.ageFrom !== null && h.ageTo !== null && h.ageFrom <= band.to && h.ageTo >= band.from,
        ).length,
      ),
    })),
  };
  const siblings: EqualitiesTable = {
    id: 'equalities-siblings',
    heading: 'Brothers and sisters',
    householdsMeaning: 'Households approved for brothers and sisters together (or for one child)',
    rows: [
      {
        label: 'In a sibling group',
        children: shownCount(waiting.filter((c) => c.siblingGroupSize > 1).length),
        households: hh((approved ?? []).filter((h) => h.siblings).length),
      },
      {
        label: 'A single child',
        children: shownCount(waiting.filter((c) => c.siblingGroupSize <= 1).length),
        households: hh((approved ?? []).filter((h) => !h.siblings).length),
      },
    ],
  };
  const disability: EqualitiesTable = {
    id: 'equalities-disability',
    heading: 'Disability',
    householdsMeaning: 'Households who said they could meet needs arising from disability',
    rows: [
      {
        label: 'Disability recorded',
        children: shownCount(waiting.filter((c) => c.disability).length),
        households: hh((approved ?? []).filter((h) => h.disability === true).length),
      },
      {
        label: 'No disability recorded',
        children: shownCount(waiting.filter((c) => !c.disability).length),
        households: hh((approved ?? []).filter((h) => h.disability !== true).length),
      },
    ],
  };
  return {
    waiting: shownCount(waiting.length),
    approvedWaiting: approved ? shownCount(approved.length) : null,
    tables: [ethnicity, age, siblings, disability],
  };
}
