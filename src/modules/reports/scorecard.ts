// The Adoption Scorecard (shared/domain.md §5; DfE Adoption Scorecards methodology) and the
// related figures the RAA reports to its councils and board, as pure functions over children's
// and households' milestone dates. The same functions serve `kindred ssda903 scorecard` (from a
// council's files) and the scorecard page (from Kindred's own journey facts), so a council can
// check the RAA's figures from its return alone. Every figure carries the ids of the children or
// households behind it, for drill-down. Where DfE's definition leaves a choice open, the choice is
// written beside the code and listed in `scorecardFootnotes`, which the reports print.
import type { ReturnChildJourney } from '../ssda903/journeys.js';

/** One child's journey as the scorecard needs it. Dates are ISO `yyyy-mm-dd`, null when not known. */
export interface ScorecardChild {
  /** The id drill-down lists: a Kindred child id, or the CHILD of a return. */
  id: string;
  /** The council with case responsibility (organisation id, or an LA code for returns). */
  councilId: string;
  enteredCare: string | null;
  /** Placement order (LS E1) or freeing order (D1): the council's court authority to place. */
  placementOrder: string | null;
  /** Every should-be-placed decision, with the date it was reversed if it was. */
  shouldBePlacedDecisions: ReadonlyArray<{ date: string | null; ceasedDate: string | null }>;
  /** The council ADM's match decision. */
  matchDecision: string | null;
  /** Placed for adoption (first PLACE A3–A6 episode): the date the foster placement became an adoption placement, for foster carers who adopt. */
  placedForAdoption: string | null;
  /** When the child moved in with the family who adopted them (null: the same as placedForAdoption). */
  movedInWithAdoptiveCarers: string | null;
  adoptionOrder: string | null;
  adoptedByFosterCarers: boolean;
  /** First early permanence (FfA / concurrent planning) placement, when there was one. */
  earlyPermanencePlacement: string | null;
}

/** One prospective adopter household's milestones (the adopter funnel, migration 0015). */
export interface ScorecardHousehold {
  id: string;
  /** The RAA that recruits and assesses the household. */
  raaId: string | null;
  /** The council the household lives in, when it is one of the RAA's member councils. */
  councilId: string | null;
  /** Registration of interest received (or, failing that, Stage One / Stage Two start): the application. */
  applied: string | null;
  /** The RAA ADM's approval. */
  approved: string | null;
  /** The first match of the household with a child (the council ADM's match decision). */
  matched: string | null;
  /** Left the process: withdrew, registration declined, not suitable after Stage One, or not approved. */
  left: string | null;
}

export interface ScorecardWindow {
  /** First day of the three-year window (1 April). */
  start: string;
  /** Last day (31 March). */
  end: string;
}

export interface AverageFigure {
  /** Mean days, rounded to the nearest day; null when no child counts. */
  value: number | null;
  n: number;
  ids: string[];
}

export interface PercentFigure {
  /** Whole percent of `n`; null when n is 0. */
  value: number | null;
  numerator: number;
  n: number;
  /** Those counted in the numerator. */
  ids: string[];
  /** Everyone in the denominator. */
  denominatorIds: string[];
}

export interface CountFigure {
  value: number;
  ids: string[];
}

export interface ChildFigures {
  A1: AverageFigure;
  A10: AverageFigure;
  A2: AverageFigure;
  A3: PercentFigure;
  adoptions: CountFigure;
  adoptedByFosterCarers: CountFigure;
  placementOrders: CountFigure;
  shouldBePlacedDecisions: CountFigure;
  plansChangedAwayFromAdoption: CountFigure;
  childrenWaiting: CountFigure;
  earlyPermanencePlacements: CountFigure;
}

export interface HouseholdFigures {
  A11: CountFigure;
  A12: PercentFigure;
  A13: CountFigure;
}

export type ScorecardFigures = ChildFigures & HouseholdFigures;

/** The measures a drill-down can name, and whose ids each lists. */
export const childMeasures = [
  'A1',
  'A10',
  'A2',
  'A3',
  'adoptions',
  'adoptedByFosterCarers',
  'placementOrders',
  'shouldBePlacedDecisions',
  'plansChangedAwayFromAdoption',
  'childrenWaiting',
  'earlyPermanencePlacements',
] as const satisfies ReadonlyArray<keyof ChildFigures>;
export const householdMeasures = ['A11', 'A12', 'A13'] as const satisfies ReadonlyArray<
  keyof HouseholdFigures
>;
export type ChildMeasure = (typeof childMeasures)[number];
export type HouseholdMeasure = (typeof householdMeasures)[number];
export type ScorecardMeasure = ChildMeasure | HouseholdMeasure;
export const scorecardMeasures: readonly ScorecardMeasure[] = [...childMeasures, ...householdMeasures];

export const measureLabels: Record<ScorecardMeasure, string> = {
  A1: 'A1: average days from entering care to moving in with the adoptive family',
  A10: 'A10: average days from entering care to moving in, adjusted for foster carer adoptions',
  A2: 'A2: average days from placement order to the match decision',
  A3: 'A3: children who moved in less than 14 months after entering care',
  adoptions: 'Children adopted',
  adoptedByFosterCarers: 'Children adopted by their foster carers',
  placementOrders: 'Placement orders granted',
  shouldBePlacedDecisions: 'Decisions that a child should be placed for adoption',
  plansChangedAwayFromAdoption: 'Decisions reversed (plan changed away from adoption)',
  childrenWaiting: 'Children waiting to be placed at the end of the period',
  earlyPermanencePlacements: 'Early permanence placements (fostering for adoption or concurrent planning)',
  A11: 'A11: approved families waiting to be matched at the end of the period',
  A12: 'A12: families matched who waited at least three months from approval',
  A13: 'A13: applications still to be assessed at the end of the period',
};

/** How a measure is shown: days, a percentage or a count. */
export function measureUnit(measure: ScorecardMeasure): 'days' | 'percent' | 'count' {
  if (measure === 'A1' || measure === 'A10' || measure === 'A2') return 'days';
  if (measure === 'A3' || measure === 'A12') return 'percent';
  return 'count';
}

export const isChildMeasure = (measure: string): measure is ChildMeasure =>
  (childMeasures as readonly string[]).includes(measure);
export const isHouseholdMeasure = (measure: string): measure is HouseholdMeasure =>
  (householdMeasures as readonly string[]).includes(measure);

/**
 * Published thresholds, with the window they apply to. Configuration, not constants: DfE
 * confirmed 14 months (426 days) and 4 months (121 days) for 2013–16; no later uprating has been
 * confirmed (shared/domain-detail.md §11), so later windows are compared with 2013–16's, marked.
 */
export interface ScorecardThreshold {
  measure: 'A1' | 'A2';
  days: number;
  /** The three-year window it was published for, as the 31 March it ends on. */
  windowEnd: string;
  label: string;
}
export const scorecardThresholds: readonly ScorecardThreshold[] = [
  { measure: 'A1', days: 639, windowEnd: '2012-03-31', label: '2009–12 threshold (21 months)' },
  { measure: 'A2', days: 213, windowEnd: '2012-03-31', label: '2009–12 threshold (7 months)' },
  { measure: 'A1', days: 547, windowEnd: '2014-03-31', label: '2011–14 threshold' },
  { measure: 'A2', days: 182, windowEnd: '2014-03-31', label: '2011–14 threshold' },
  { measure: 'A1', days: 487, windowEnd: '2015-03-31', label: '2012–15 threshold' },
  { measure: 'A2', days: 152, windowEnd: '2015-03-31', label: '2012–15 threshold' },
  { measure: 'A1', days: 426, windowEnd: '2016-03-31', label: '2013–16 threshold (14 months)' },
  { measure: 'A2', days: 121, windowEnd: '2016-03-31', label: '2013–16 threshold (4 months)' },
];

/**
 * The threshold to compare a window with: the one published for that window, or the latest one
 * before it, flagged `carriedForward` so the page says it was not published for this window.
 * A10 is compared with A1's threshold.
 */
export function thresholdFor(
  measure: 'A1' | 'A10' | 'A2',
  windowEnd: string,
  thresholds: readonly ScorecardThreshold[] = scorecardThresholds,
): (ScorecardThreshold & { carriedForward: boolean }) | null {
  const wanted = measure === 'A10' ? 'A1' : measure;
  const candidates = thresholds
    .filter((threshold) => threshold.measure === wanted && threshold.windowEnd <= windowEnd)
    .sort((a, b) => (a.windowEnd < b.windowEnd ? 1 : -1));
  const found = candidates[0];
  return found ? { ...found, carriedForward: found.windowEnd !== windowEnd } : null;
}

// ---- Dates ----------------------------------------------------------------------------------
// Plain UTC arithmetic on ISO strings rather than src/platform/time's date-fns functions: the
// scorecard does this for every child of every council, and measured with bench:ssda903 (80,000
// children, 150 councils) the platform's functions made it four times slower (137 → 559 ms; the
// quarterly report, eight scorecards, 645 → 1,487 ms). scorecard.test.ts checks these agree with
// the corresponding-date rule the platform applies.

const dayMs = 86_400_000;
const toUtc = (iso: string): number =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / dayMs);
}

/** The same day `months` calendar months later; the last day of the month when it has no such day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7)) - 1 + months;
  const day = Number(iso.slice(8, 10));
  const targetYear = year + Math.floor(month / 12);
  const targetMonth = ((month % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return fromUtc(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)));
}

/** DfE's three-year window ending on `windowEnd` (normally 31 March): 1 April three years earlier to that day. */
export function scorecardWindow(windowEnd: string): ScorecardWindow {
  const end = windowEnd;
  const start = fromUtc(toUtc(addMonths(end, -36)) + dayMs);
  return { start, end };
}

const within = (date: string | null, window: ScorecardWindow): date is string =>
  date !== null && date >= window.start && date <= window.end;
const byEnd = (date: string | null, end: string): date is string => date !== null && date <= end;

function average(entries: Array<{ id: string; days: number }>): AverageFigure {
  if (entries.length === 0) return { value: null, n: 0, ids: [] };
  const total = entries.reduce((sum, entry) => sum + entry.days, 0);
  return {
    value: Math.round(total / entries.length),
    n: entries.length,
    ids: entries.map((entry) => entry.id),
  };
}

function percent(denominator: string[], numerator: string[]): PercentFigure {
  return {
    value: denominator.length === 0 ? null : Math.round((100 * numerator.length) / denominator.length),
    numerator: numerator.length,
    n: denominator.length,
    ids: numerator,
    denominatorIds: denominator,
  };
}

const count = (ids: string[]): CountFigure => ({ value: ids.length, ids });

// ---- Children -------------------------------------------------------------------------------

/** A3's clock: moved in less than this many calendar months after entering care. */
export const a3Months = 14;
/** A12's wait: at least this many calendar months from approval to match. */
export const a12Months = 3;

/** The children's figures for one window. */
export function childFigures(children: readonly ScorecardChild[], windowEnd: string): ChildFigures {
  const window = scorecardWindow(windowEnd);
  const a1: Array<{ id: string; days: number }> = [];
  const a10: Array<{ id: string; days: number }> = [];
  const a2: Array<{ id: string; days: number }> = [];
  const a3Denominator: string[] = [];
  const a3Numerator: string[] = [];
  const adoptions: string[] = [];
  const byFosterCarers: string[] = [];
  const placementOrders: string[] = [];
  const decisions: string[] = [];
  const plansChanged: string[] = [];
  const waiting: string[] = [];
  const earlyPermanence: string[] = [];

  for (const child of children) {
    // The scorecard's cohort: children whose adoption order falls in the window.
    if (within(child.adoptionOrder, window)) {
      adoptions.push(child.id);
      if (child.adoptedByFosterCarers) byFosterCarers.push(child.id);
      const placed = child.placedForAdoption;
      if (child.enteredCare !== null && placed !== null && placed >= child.enteredCare) {
        a1.push({ id: child.id, days: daysBetween(child.enteredCare, placed) });
        a3Denominator.push(child.id);
        if (placed < addMonths(child.enteredCare, a3Months)) a3Numerator.push(child.id);
      }
      const movedIn = child.movedInWithAdoptiveCarers ?? placed;
      if (child.enteredCare !== null && movedIn !== null && movedIn >= child.enteredCare) {
        a10.push({ id: child.id, days: daysBetween(child.enteredCare, movedIn) });
      }
      if (
        child.placementOrder !== null &&
        child.matchDecision !== null &&
        placed !== null &&
        placed < child.adoptionOrder
      ) {
        a2.push({ id: child.id, days: Math.max(0, daysBetween(child.placementOrder, child.matchDecision)) });
      }
    }
    if (within(child.placementOrder, window)) placementOrders.push(child.id);
    for (const decision of child.shouldBePlacedDecisions) {
      if (within(decision.date, window)) decisions.push(child.id);
      if (within(decision.ceasedDate, window)) plansChanged.push(child.id);
    }
    if (within(child.earlyPermanencePlacement, window)) earlyPermanence.push(child.id);
    if (isWaitingAt(child, window.end)) waiting.push(child.id);
  }

  return {
    A1: average(a1),
    A10: average(a10),
    A2: average(a2),
    A3: percent(a3Denominator, a3Numerator),
    adoptions: count(adoptions),
    adoptedByFosterCarers: count(byFosterCarers),
    placementOrders: count(placementOrders),
    shouldBePlacedDecisions: count(decisions),
    plansChangedAwayFromAdoption: count(plansChanged),
    childrenWaiting: count(waiting),
    earlyPermanencePlacements: count(earlyPermanence),
  };
}

/**
 * Waiting at the end of the period: a should-be-placed decision in force (made by then and not
 * reversed by then) or a placement order by then, and not yet placed for adoption or adopted.
 */
export function isWaitingAt(child: ScorecardChild, date: string): boolean {
  const decisionInForce = child.shouldBePlacedDecisions.some(
    (decision) => byEnd(decision.date, date) && !byEnd(decision.ceasedDate, date),
  );
  const reversedSinceOrder = child.shouldBePlacedDecisions.some(
    (decision) =>
      byEnd(decision.ceasedDate, date) &&
      child.placementOrder !== null &&
      decision.ceasedDate >= child.placementOrder,
  );
  const orderInForce = byEnd(child.placementOrder, date) && !reversedSinceOrder;
  if (!decisionInForce && !orderInForce) return false;
  if (byEnd(child.placedForAdoption, date) || byEnd(child.adoptionOrder, date)) return false;
  return true;
}

// ---- Households -----------------------------------------------------------------------------

export function householdFigures(
  households: readonly ScorecardHousehold[],
  windowEnd: string,
): HouseholdFigures {
  const window = scorecardWindow(windowEnd);
  const waiting: string[] = [];
  const matched: string[] = [];
  const waitedLong: string[] = [];
  const toAssess: string[] = [];
  for (const household of households) {
    const leftByEnd = byEnd(household.left, window.end);
    const approvedByEnd = byEnd(household.approved, window.end);
    // A11: approved by the end of the window, not matched by then and still in the pool.
    if (approvedByEnd && !byEnd(household.matched, window.end) && !leftByEnd) waiting.push(household.id);
    // A12: families matched in the window; those who waited three calendar months or more since approval.
    if (within(household.matched, window) && household.approved !== null) {
      matched.push(household.id);
      if (household.matched >= addMonths(household.approved, a12Months)) waitedLong.push(household.id);
    }
    // A13: applied by the end of the window, no approval and not left by then.
    if (byEnd(household.applied, window.end) && !approvedByEnd && !leftByEnd) toAssess.push(household.id);
  }
  return { A11: count(waiting), A12: percent(matched, waitedLong), A13: count(toAssess) };
}

export function scorecardFigures(
  children: readonly ScorecardChild[],
  households: readonly ScorecardHousehold[],
  windowEnd: string,
): ScorecardFigures {
  return { ...childFigures(children, windowEnd), ...householdFigures(households, windowEnd) };
}

// ---- Grouping -------------------------------------------------------------------------------

export type ScorecardLevel = 'council' | 'spoke' | 'raa' | 'hub' | 'all';

/** A group the figures are given for: its member councils, and the RAAs whose households it counts. */
export interface ScorecardGroup {
  level: ScorecardLevel;
  id: string;
  name: string;
  councilIds: readonly string[];
  /**
   * Households are recruited by the RAA, not a council: at council and spoke level they are
   * counted by the council they live in; at RAA and hub level every household of the RAA counts,
   * wherever it lives.
   */
  raaIds: readonly string[];
}

export interface GroupFigures {
  group: ScorecardGroup;
  window: ScorecardWindow;
  figures: ScorecardFigures;
}

/** Figures for each group. Children are bucketed by council once, so 150 councils cost one pass. */
export function scorecardByGroup(
  children: readonly ScorecardChild[],
  households: readonly ScorecardHousehold[],
  groups: readonly ScorecardGroup[],
  windowEnd: string,
): GroupFigures[] {
  const childrenByCouncil = new Map<string, ScorecardChild[]>();
  for (const child of children) {
    const bucket = childrenByCouncil.get(child.councilId);
    if (bucket) bucket.push(child);
    else childrenByCouncil.set(child.councilId, [child]);
  }
  const window = scorecardWindow(windowEnd);
  return groups.map((group) => {
    const members = group.councilIds.flatMap((councilId) => childrenByCouncil.get(councilId) ?? []);
    const councils = new Set(group.councilIds);
    const raas = new Set(group.raaIds);
    const groupHouseholds = households.filter(
      (household) =>
        (household.raaId !== null && raas.has(household.raaId)) ||
        (household.councilId !== null && councils.has(household.councilId)),
    );
    return { group, window, figures: scorecardFigures(members, groupHouseholds, windowEnd) };
  });
}

/** An organisation as the tree gives it (organisations table: kind, parent). */
export interface OrganisationNode {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
}

/**
 * The groups for councils in the organisation tree (hub → RAA → spoke → council): one per
 * council, and one per spoke, RAA and hub above them, each listing the given councils beneath it.
 * Only the councils passed count, so an RAA's figure never includes a council outside the actor's
 * scope.
 */
export function groupsFromTree(
  organisations: readonly OrganisationNode[],
  councilIds: readonly string[],
): ScorecardGroup[] {
  const byId = new Map(organisations.map((organisation) => [organisation.id, organisation]));
  const councilsUnder = new Map<string, string[]>();
  const order: string[] = [];
  const groups: ScorecardGroup[] = [];
  for (const councilId of councilIds) {
    const council = byId.get(councilId);
    if (!council) continue;
    groups.push({
      level: 'council',
      id: council.id,
      name: council.name,
      councilIds: [council.id],
      raaIds: [],
    });
    let parentId = council.parentId;
    const seen = new Set<string>();
    while (parentId !== null && !seen.has(parentId)) {
      seen.add(parentId);
      const parent = byId.get(parentId);
      if (!parent) break;
      if (parent.kind === 'spoke' || parent.kind === 'raa' || parent.kind === 'hub') {
        if (!councilsUnder.has(parent.id)) {
          councilsUnder.set(parent.id, []);
          order.push(parent.id);
        }
        councilsUnder.get(parent.id)?.push(council.id);
      }
      parentId = parent.parentId;
    }
  }
  const levelOrder: ScorecardLevel[] = ['spoke', 'raa', 'hub'];
  for (const level of levelOrder) {
    for (const id of order) {
      const organisation = byId.get(id);
      if (!organisation || organisation.kind !== level) continue;
      const raaIds =
        level === 'raa'
          ? [id]
          : level === 'hub'
            ? organisations.filter((o) => o.kind === 'raa' && o.parentId === id).map((o) => o.id)
            : [];
      groups.push({ level, id, name: organisation.name, councilIds: councilsUnder.get(id) ?? [], raaIds });
    }
  }
  return groups;
}

// ---- From a return --------------------------------------------------------------------------

/** A child of an SSDA903 return as a scorecard child of council `councilId` (e.g. its LA code). */
export function scorecardChildFromReturn(journey: ReturnChildJourney, councilId: string): ScorecardChild {
  return {
    id: journey.childId,
    councilId,
    enteredCare: journey.enteredCare,
    placementOrder: journey.placementOrder,
    shouldBePlacedDecisions: journey.shouldBePlacedDecisions,
    matchDecision: journey.matchDecision,
    placedForAdoption: journey.placedForAdoption,
    movedInWithAdoptiveCarers: journey.movedInWithAdoptiveCarers,
    adoptionOrder: journey.adoptionOrder,
    adoptedByFosterCarers: journey.adoptedByFosterCarers,
    earlyPermanencePlacement: journey.earlyPermanencePlacement,
  };
}

/** The figures `kindred ssda903 scorecard --json` prints (issue 9 §3). */
export interface CliScorecard {
  A1: number | null;
  A2: number | null;
  A2_n: number;
  A3_percent: number | null;
  A10: number | null;
  n: number;
}

export function cliScorecard(figures: ChildFigures): CliScorecard {
  return {
    A1: figures.A1.value,
    A2: figures.A2.value,
    A2_n: figures.A2.n,
    A3_percent: figures.A3.value,
    A10: figures.A10.value,
    n: figures.adoptions.value,
  };
}

// ---- Footnotes ------------------------------------------------------------------------------

/** The readings of DfE's definitions this code makes, in words for report footnotes. */
export const scorecardFootnotes: readonly string[] = [
  'Figures cover DfE’s three-year window: from 1 April three years before the chosen 31 March to that 31 March, both days included.',
  'A1, A10, A2 and A3 count children whose adoption order was made in the window.',
  'Entering care is the start of the period of care in which the child was adopted (the SSDA903 episode with reason for new episode S). Children whose period of care began before the earliest return supplied are left out of A1, A10 and A3, because the date they entered care is not known.',
  'Moving in (A1 and A3) is the start of the first placement for adoption (placement codes A3 to A6). For children adopted by their foster carers this is the date the foster placement became an adoption placement.',
  'A10 stops the clock, for children adopted by their foster carers, on the day the child moved in with those carers: the start of the unbroken run of placements with the same carer (reasons for new episode T, U or L) that led to the adoption placement. Children are taken to be adopted by their foster carers when AD1 says so (FOSTER_CARE = 1) or, if AD1 is blank, when the adoption placement was with the current foster carer (A3 or A5).',
  'A2 runs from the placement order (or freeing order) to the council’s match decision, and counts zero days when the match came first. It leaves out children with no placement or freeing order (for example, placed with parental consent), children with no match decision recorded, and children not placed for adoption before the day of the adoption order.',
  'Averages are the mean number of days, rounded to the nearest whole day (halves round up).',
  'A3 counts a child as moving in within 14 months when the move came before the same day of the month 14 calendar months after entering care (for a child who entered care on 31 December, before 28 or 29 February of the following year but one); it is shown as a whole percentage of the children in A1.',
  'Children whose recorded moving-in date is before the date they entered care are left out of the averages: the return needs correcting.',
  'A11 counts households approved by the end of the window who had not been matched and had not withdrawn by then.',
  'A12 counts households matched in the window and shows the percentage who had waited three calendar months or more from approval to match.',
  'A13 counts households whose registration of interest (or, failing that, the start of Stage One or Stage Two) was received by the end of the window, who had not been approved and had not left the process by then.',
  'At council and spoke level, households are counted by the member council they live in; at RAA and hub level every household the RAA assesses counts, wherever it lives.',
  'Placement orders, should-be-placed decisions, decisions reversed and early permanence placements count those dated in the window. A child with two decisions in the window is counted twice.',
  'Children waiting are those who, on the last day of the window, had a should-be-placed decision in force or a placement order, and had not yet been placed for adoption.',
  'In Kindred’s own records, a child placed for adoption after an early permanence placement (fostering for adoption or concurrent planning) is taken to be adopted by those carers, so A10 counts from the early permanence placement. Other adoptions by foster carers are not recorded as such in Kindred and count as in A1.',
  'In Kindred’s own records, a change of plan away from adoption counts as a decision reversed only when it came on or after the should-be-placed decision.',
  'The A1 and A2 thresholds are those DfE published for 2013–16 (14 and 4 months, 426 and 121 days). No later thresholds have been confirmed, so later windows are compared with these.',
];
