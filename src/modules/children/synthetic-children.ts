// Synthetic children for trying Kindred at scale and for bench/children (issue 4, benchmark):
// `kindred seed-synthetic --children N`. Every child is invented and obviously so (names from a
// made-up list, council child IDs starting SY, `is_synthetic` set, every fact's source
// 'Synthetic data'), but each journey is coherent: dated facts in the order a real case moves,
// with intervals drawn around the national averages (shared/domain.md §2, DfE 2024: entry to
// decision about 9 months, decision to match about 10, match to placed about 1, placed to order
// about 9), cut off at `today`, so every fact passes refuseImpossibleFact when added in date order.
//
// The generator is pure and deterministic (a seeded mulberry32); the board's derived columns are
// computed with the same functions the service uses (journeyDates, siblingGroup,
// siblingsToPlaceWith, lastingHardToPlaceTags). seedSyntheticChildren writes them in one
// transaction, in batches, refusing any database that holds real children or a real region.
import { type Insertable, type Transaction } from 'kysely';
import { writeAudit, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import { loadRegion, type RegionLoadResult } from '../organisations/region-loader.service.js';
import { syntheticRegion } from '../organisations/synthetic-region.js';
import type { EthnicityCode, NeedArea } from './child-codes.js';
import type {
  ChildJourneyFactsTable,
  ChildrenTable,
  EarlyPermanence,
  Needs,
  SiblingPlacementPlan,
} from './children.tables.js';
import { fourthBirthday, lastingHardToPlaceTags } from './hard-to-place.js';
import { type MilestoneFact, type MilestoneKind, type PlanChangeReason } from './journey.js';
import { siblingsToPlaceWith, type SiblingLink } from './siblings.js';
import { derivedColumns } from './derived-columns.js';
import { insertJsonRows } from '../../platform/db/bulk-insert.js';

export const syntheticSource = 'Synthetic data';
/** Council child IDs of synthetic children: SY and eight digits, numbered across runs. */
export const syntheticIdPrefix = 'SY';

// ── Randomness ──────────────────────────────────────────────────────────────────────────────

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for invented data, never for secrets. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(private readonly next: () => number) {}

  float(): number {
    return this.next();
  }
  /** A whole number from min to max, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [value, weight] of entries) {
      at -= weight;
      if (at < 0) return value;
    }
    return entries.at(-1)![0];
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Days drawn from a log-normal distribution with this mean (right-skewed, like real waits). */
  days(mean: number, sigma: number): number {
    const mu = Math.log(mean) - (sigma * sigma) / 2;
    return Math.max(1, Math.round(Math.exp(mu + sigma * this.normal())));
  }
  uuid(): string {
    const hex = Array.from({ length: 4 }, () =>
      Math.floor(this.next() * 2 ** 32)
        .toString(16)
        .padStart(8, '0'),
    ).join('');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

// ── Dates as day numbers (fast; the generator makes hundreds of thousands) ──────────────────

const dayMs = 86_400_000;
const toDay = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / dayMs);
const toIso = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);
/** Comfortably inside six calendar months (the shortest six months is 181 days). */
const cprUpdateMaxDays = 175;

// ── Invented people ─────────────────────────────────────────────────────────────────────────

const firstNames = [
  'Alby', 'Brisa', 'Corran', 'Dilly', 'Elvo', 'Fenna', 'Gully', 'Hollin', 'Isko', 'Jovie',
  'Kestra', 'Lumo', 'Mirra', 'Nobby', 'Oskin', 'Pella', 'Quill', 'Rowly', 'Sprig', 'Tamsy',
  'Umber', 'Vesper', 'Wrenna', 'Yarrow', 'Zinny', 'Arlo-Test', 'Bex', 'Cosmo', 'Dune', 'Echo',
] as const; // prettier-ignore
const lastNames = [
  'Synthwood', 'Synford', 'Synderby', 'Testbrook', 'Sampleton', 'Mockford', 'Exampleby',
  'Fictionley', 'Madeupton', 'Inventley', 'Notrealby', 'Pretendham', 'Fauxbridge', 'Dummyfield',
  'Placeholt', 'Imagineer', 'Storybrook', 'Fablewick', 'Mockridge', 'Samplewood',
] as const; // prettier-ignore

/** SSDA903 ethnicity codes in proportions like children with adoption plans (DfE 2024: 84 % White, 11 % Mixed). */
const ethnicityWeights: ReadonlyArray<readonly [EthnicityCode, number]> = [
  ['WBRI', 74],
  ['WIRI', 1],
  ['WOTH', 5],
  ['WIRT', 1],
  ['WROM', 2],
  ['MWBC', 4],
  ['MWBA', 2],
  ['MWAS', 2],
  ['MOTH', 3],
  ['AIND', 0.3],
  ['APKN', 0.5],
  ['ABAN', 0.2],
  ['AOTH', 0.5],
  ['BCRB', 0.4],
  ['BAFR', 0.7],
  ['BOTH', 0.3],
  ['CHNE', 0.1],
  ['OOTH', 1],
  ['REFU', 0.5],
  ['NOBT', 1.5],
];

const needTexts: Record<NeedArea, readonly string[]> = {
  health: [
    'Eczema, managed with emollients',
    'Born at 33 weeks; gaining weight well',
    'Mild asthma; inhaler when needed',
    'Neonatal abstinence syndrome at birth; now settled',
    'Glue ear; under review by audiology',
  ],
  development: [
    'Speech a little behind for age; speech and language therapy referral made',
    'Possible prenatal alcohol exposure; developmental assessment awaited',
    'Gross motor skills slightly delayed; physiotherapy exercises at home',
    'Meeting milestones so far; birth history means development is being watched',
  ],
  disability: [
    'Mild cerebral palsy affecting the left side',
    'Hearing impairment; uses hearing aids',
    'Global developmental delay',
    'Down syndrome',
  ],
  education: [
    'Settled at nursery; enjoys sand and water play',
    'Extra help in class with early reading',
    'Education, health and care plan being considered',
  ],
  emotional_behavioural: [
    'Sleep disturbed after moves; settles with a consistent routine',
    'Anxious with new adults; warms up with time',
    'Tantrums when routines change; responding to therapeutic parenting',
    'Early trauma; attachment to foster carers being supported',
  ],
};

const strategies = [
  'Profile on Adoption Match within a week of the placement order; regional exchange day; targeted recruitment for experienced adopters.',
  'Search the RAA pool first, then partner RAAs and voluntary agencies after 3 months; activity day in the spring.',
  'Early permanence considered; video profile; featured in the regional newsletter; sibling-group specialist agency approached.',
] as const;

const otherLanguages: Partial<Record<EthnicityCode, readonly string[]>> = {
  WOTH: ['Polish', 'Romanian', 'Lithuanian'],
  WROM: ['Romani', 'Romanian'],
  APKN: ['Urdu', 'Punjabi'],
  ABAN: ['Bengali', 'Sylheti'],
  AIND: ['Gujarati', 'Punjabi'],
  BAFR: ['Somali', 'Yoruba', 'Twi'],
  CHNE: ['Cantonese', 'Mandarin'],
};

// ── What the generator makes ────────────────────────────────────────────────────────────────

export interface SyntheticCouncil {
  id: string;
  code: string;
}

export interface SyntheticChild {
  id: string;
  councilId: string;
  councilChildId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: '1' | '2';
  ethnicity: EthnicityCode;
  languages: string[];
  religion: string | null;
  legalStatus: string | null;
  councilSocialWorkerName: string;
  councilSocialWorkerEmail: string;
  familyFinderId: string | null;
  earlyPermanence: EarlyPermanence;
  needs: Needs;
  familyFindingStrategy: string | null;
  /** Facts in force, in the order they may be recorded (by date; ties in journey order). */
  facts: MilestoneFact[];
  /** The links of the child's sibling group (shared by its members; empty for a child alone). */
  siblingLinks: SyntheticSiblingLink[];
}

export interface SyntheticSiblingLink extends SiblingLink {
  id: string;
  reason: string | null;
}

export interface GenerateOptions {
  count: number;
  councils: readonly SyntheticCouncil[];
  /** RAA family finders to allocate; children whose journey has reached allocation get one. */
  familyFinders: readonly string[];
  today: string;
  seed: number;
  /** The number of the first child (council child ID SY + 8 digits); later runs continue it. */
  firstNumber?: number;
  /** When the facts are recorded at the latest (default: the end of `today`). */
  now?: Date;
}

interface PlannedFact {
  kind: MilestoneKind;
  day: number;
  planChangeReason?: PlanChangeReason;
  disruptionTiming?: 'before_order' | 'after_order';
}

/** Journey order, used to order facts that fall on the same day. */
const journeyOrder = new Map<MilestoneKind, number>(
  (
    [
      'entered_care',
      'twin_tracking_started',
      'early_permanence_placement',
      'referred_to_raa',
      'cpr_completed',
      'should_be_placed_decision',
      'family_finder_allocated',
      'placement_order',
      'cpr_updated',
      'disruption',
      'linked',
      'matching_panel',
      'match_decision',
      'placed_for_adoption',
      'adoption_order_application',
      'adoption_order',
      'plan_changed',
    ] as const
  ).map((kind, i) => [kind, i]),
);

interface JourneyProfile {
  entryDay: number;
  /** Age in years when the decision to place is likely (older children wait longer). */
  ageAtEntryYears: number;
  /** How much longer than average matching takes (hard-to-place children wait longer). */
  matchFactor: number;
  earlyPermanence: boolean;
}

/**
 * One child's (or one together-placed sibling group's) journey from entering care, uncut:
 * intervals around the national averages, each milestone after the ones it depends on.
 */
function plannedJourney(r: Random, profile: JourneyProfile): PlannedFact[] {
  const facts: PlannedFact[] = [];
  const add = (kind: MilestoneKind, day: number, extra: Partial<PlannedFact> = {}) =>
    facts.push({ kind, day, ...extra });
  const entry = profile.entryDay;
  add('entered_care', entry);
  if (profile.earlyPermanence) add('early_permanence_placement', entry + r.int(3, 60));

  // Entry → decision: 9 months on average, longer for children who came into care older.
  const decisionMean = profile.ageAtEntryYears >= 5 ? 420 : profile.ageAtEntryYears >= 1 ? 300 : 250;
  const decision = entry + Math.max(30, r.days(decisionMean, 0.4));
  if (r.chance(0.15)) add('twin_tracking_started', entry + Math.round((decision - entry) * r.float() * 0.5));
  add('referred_to_raa', entry + Math.round((decision - entry) * (0.15 + 0.75 * r.float())));
  const cpr = Math.min(decision, Math.max(entry + 7, decision - r.int(5, 45)));
  add('cpr_completed', cpr);
  add('should_be_placed_decision', decision);
  // The RAA allocates a family finder within 10 working days, mostly; some children wait long.
  const allocation = r.chance(0.88) ? decision + r.int(1, 13) : decision + r.int(15, 400);
  const allocate = (before: number) =>
    add('family_finder_allocated', Math.min(allocation, Math.max(decision, before)));
  const lapses = r.chance(0.08);

  // RD2: the court does not make a placement order.
  if (r.chance(0.02)) {
    const changed = decision + r.int(40, 200);
    allocate(changed);
    add('plan_changed', changed, { planChangeReason: 'RD2' });
    return withCprUpdates(r, facts, [[cpr, changed]], lapses);
  }
  const placementOrder = decision + Math.max(14, r.days(90, 0.4));
  add('placement_order', placementOrder);

  // Decision → match: about 10 months, longer for children who are harder to place.
  const match = profile.earlyPermanence
    ? placementOrder + r.int(20, 120)
    : Math.max(placementOrder + r.int(30, 90), decision + r.days(300 * profile.matchFactor, 0.5));
  if (r.chance(0.05 * profile.matchFactor)) {
    const reason = r.weighted<PlanChangeReason>([
      ['RD1', 32],
      ['RD3', 9 * profile.matchFactor],
      ['RD4', 30],
    ]);
    const changed = placementOrder + Math.round((match - placementOrder) * (0.2 + 0.7 * r.float()));
    allocate(changed);
    add('plan_changed', changed, { planChangeReason: reason });
    return withCprUpdates(r, facts, [[cpr, changed]], lapses);
  }
  allocate(match - 7);
  let placed = matchSteps(r, add, placementOrder, match, profile.earlyPermanence);
  const waits: Array<[number, number]> = [[cpr, match]];

  // A few placements disrupt before the order; the child goes back to family finding.
  if (r.chance(0.03)) {
    const disrupted = placed + r.int(20, 200);
    add('disruption', disrupted, { disruptionTiming: 'before_order' });
    const rematch = disrupted + 60 + r.days(240, 0.5);
    placed = matchSteps(r, add, disrupted, rematch, false);
    waits.push([disrupted, rematch]);
  }
  // Adopters may apply once the child has lived with them for ten weeks.
  const application = placed + r.int(70, 200);
  add('adoption_order_application', application);
  const order = Math.max(placed + r.days(270, 0.35), application + r.int(30, 120));
  add('adoption_order', order);
  if (r.chance(0.005)) add('disruption', order + r.int(200, 1500), { disruptionTiming: 'after_order' });
  return withCprUpdates(r, facts, waits, lapses);
}

/** Linked, matching panel, match decision and placement, ending at the placement day. */
function matchSteps(
  r: Random,
  add: (kind: MilestoneKind, day: number) => void,
  searchFrom: number,
  match: number,
  earlyPermanence: boolean,
): number {
  const linked = Math.max(searchFrom + 1, match - r.int(35, 100));
  add('linked', Math.min(linked, match));
  add('matching_panel', Math.max(Math.min(linked, match), match - r.int(2, 21)));
  add('match_decision', match);
  const placed = earlyPermanence ? match + r.int(1, 14) : match + Math.max(7, r.days(30, 0.5));
  add('placed_for_adoption', placed);
  return placed;
}

/**
 * CPR updates at most every six months while the child waits (from the last report until the
 * match or the change of plan). Some councils let them lapse (`lapses`): the board shows those
 * children as overdue, as it would in life.
 */
function withCprUpdates(
  r: Random,
  facts: PlannedFact[],
  waits: ReadonlyArray<readonly [number, number]>,
  lapses: boolean,
): PlannedFact[] {
  const updates: PlannedFact[] = [];
  let allowed = lapses ? r.int(0, 3) : Infinity;
  // Each wait starts at a report (the first) or at a disruption, after which the report is redone.
  for (const [from, until] of waits) {
    let last = from;
    for (;;) {
      const next = last + r.int(100, cprUpdateMaxDays);
      if (next >= until || allowed <= 0) break;
      updates.push({ kind: 'cpr_updated', day: next });
      last = next;
      allowed -= 1;
    }
  }
  return [...facts, ...updates];
}

/** The facts up to today, ordered as they may be recorded, as the service's MilestoneFacts. */
function factsUntil(
  r: Random,
  planned: readonly PlannedFact[],
  todayDay: number,
  now: Date,
): MilestoneFact[] {
  const nowMs = now.getTime();
  return planned
    .filter((fact) => fact.day <= todayDay)
    .sort((a, b) => a.day - b.day || journeyOrder.get(a.kind)! - journeyOrder.get(b.kind)!)
    .map((fact, i) => ({
      id: r.uuid(),
      kind: fact.kind,
      effectiveDate: toIso(fact.day),
      source: syntheticSource,
      recordedBy: '',
      // Recorded late in the afternoon of the day it happened, a second apart so that ordering by
      // date and time of recording (as the record page does) gives this order; never after now.
      recordedAt: new Date(Math.min(nowMs, fact.day * dayMs + 16 * 3_600_000 + i * 1000)).toISOString(),
      supersedes: null,
      correctionReason: null,
      planChangeReason: fact.planChangeReason ?? null,
      disruptionTiming: fact.disruptionTiming ?? null,
    }));
}

/** Age at entering care (DfE 2024 adopted children: 69 % under one, 6 % four or over). */
function ageAtEntryDays(r: Random): number {
  const band = r.weighted<number>([
    [0, 69],
    [1, 10],
    [2, 8],
    [3, 6],
    [4, 7],
  ]);
  if (band === 0) return r.chance(0.4) ? r.int(0, 7) : r.int(8, 364);
  if (band === 4) return r.int(4 * 365, 8 * 365);
  return r.int(band * 365, band * 365 + 364);
}

function needsFor(r: Random, ageYearsToday: number): Needs {
  const needs: Needs = {};
  const maybe = (area: NeedArea, p: number, uncertain: number) => {
    if (r.chance(p)) needs[area] = { description: r.pick(needTexts[area]), uncertain: r.chance(uncertain) };
  };
  maybe('health', 0.25, 0.2);
  maybe('development', 0.3, 0.5);
  maybe('disability', 0.05, 0.1);
  if (ageYearsToday >= 3) maybe('education', 0.4, 0.2);
  maybe('emotional_behavioural', ageYearsToday >= 2 ? 0.4 : 0.15, 0.45);
  return needs;
}

function legalStatusFor(facts: readonly MilestoneFact[], r: Random): string {
  if (facts.some((fact) => fact.kind === 'placement_order')) return 'E1';
  if (facts.some((fact) => fact.kind === 'should_be_placed_decision')) return 'C2';
  return r.weighted<string>([
    ['C1', 6],
    ['C2', 2],
    ['V2', 2],
  ]);
}

/**
 * Invented children with coherent journeys. Sibling groups (about a third of children, as
 * nationally) share a council and a date of entering care; siblings to be placed together share
 * the whole journey. Links form a chain within each group, so they are a tree.
 */
export function generateSyntheticChildren(options: GenerateOptions): SyntheticChild[] {
  if (options.councils.length === 0) throw new Error('There are no councils to give children to.');
  const firstNumber = options.firstNumber ?? 1;
  const r = new Random(mulberry32((options.seed ^ Math.imul(firstNumber, 0x9e3779b1)) >>> 0));
  const todayDay = toDay(options.today);
  // Facts are stamped as recorded on their own day, never after `now` (by default, the end of today).
  const stamp = options.now ?? new Date((todayDay + 1) * dayMs - 1);
  // Councils differ in size: each gets a weight so some have three times the children of others.
  const councilWeights = options.councils.map((council) => [council, 0.5 + r.float()] as const);
  const children: SyntheticChild[] = [];
  let number = firstNumber;

  while (children.length < options.count) {
    const left = options.count - children.length;
    const size = Math.min(
      left,
      r.weighted<number>([
        [1, 80],
        [2, 15],
        [3, 5],
      ]),
    );
    const council = r.weighted(councilWeights);
    const ethnicity = r.weighted(ethnicityWeights);
    // Entered care at some point in the last four and a half years: a caseload from
    // early identification to adopted, in proportions that follow from the intervals.
    const entryDay = todayDay - r.int(0, Math.round(4.5 * 365));
    const youngestAge = ageAtEntryDays(r);
    const ages = [youngestAge];
    for (let i = 1; i < size; i += 1) ages.push(ages[i - 1]! + r.int(300, 1500));
    const plan: SiblingPlacementPlan =
      size === 1
        ? 'together'
        : r.weighted<SiblingPlacementPlan>([
            ['together', 75],
            ['apart', 15],
            ['to_be_decided', 10],
          ]);
    const family = ages.map((ageDays) => {
      const dateOfBirthDay = entryDay - ageDays;
      const ageYearsToday = Math.floor((todayDay - dateOfBirthDay) / 365.25);
      return { id: r.uuid(), dateOfBirthDay, ageDays, needs: needsFor(r, ageYearsToday) };
    });
    const disabled = family.some((member) => member.needs.disability || member.needs.health);
    const olderAtEntry = Math.floor(Math.max(...ages) / 365);
    const matchFactor =
      (olderAtEntry >= 3 ? 1.5 : 1) *
      (size > 1 && plan !== 'apart' ? 1.3 : 1) *
      (ethnicity !== 'WBRI' ? 1.15 : 1) *
      (disabled ? 1.25 : 1);
    const earlyPermanence = olderAtEntry === 0 && size === 1 && r.chance(0.1);
    const journey = (ageYears: number) =>
      plannedJourney(r, { entryDay, ageAtEntryYears: ageYears, matchFactor, earlyPermanence });
    const shared = plan === 'together' ? journey(olderAtEntry) : undefined;

    const links: SyntheticSiblingLink[] = [];
    for (let i = 1; i < family.length; i += 1) {
      const [a, b] = [family[i - 1]!.id, family[i]!.id].sort() as [string, string];
      links.push({
        id: r.uuid(),
        childAId: a,
        childBId: b,
        plan,
        reason:
          plan === 'apart'
            ? 'Assessed as needing to be the only or youngest child in the family; contact planned'
            : null,
      });
    }
    const lastName = r.pick(lastNames);
    const finder = options.familyFinders.length ? r.pick(options.familyFinders) : null;
    for (const member of family) {
      const planned = shared ?? journey(Math.floor(member.ageDays / 365));
      const facts = factsUntil(r, planned, todayDay, stamp);
      const allocated = facts.some((fact) => fact.kind === 'family_finder_allocated');
      const decided = facts.some((fact) => fact.kind === 'should_be_placed_decision');
      const dateOfBirth = toIso(member.dateOfBirthDay);
      const lasting = lastingHardToPlaceTags({
        ethnicity,
        needs: member.needs,
        siblingsToPlaceWith: siblingsToPlaceWith(links, member.id),
      });
      const hardToPlace = lasting.length > 0 || fourthBirthday(dateOfBirth) <= options.today;
      const worker = r.int(1, 40);
      const otherLanguage = otherLanguages[ethnicity];
      children.push({
        id: member.id,
        councilId: council.id,
        councilChildId: `${syntheticIdPrefix}${String(number).padStart(8, '0')}`,
        firstName: r.pick(firstNames),
        lastName,
        dateOfBirth,
        sex: r.chance(0.52) ? '1' : '2',
        ethnicity,
        languages: otherLanguage && r.chance(0.5) ? ['English', r.pick(otherLanguage)] : ['English'],
        religion: r.chance(0.7) ? null : r.pick(['Christian', 'Roman Catholic', 'Muslim', 'No religion']),
        legalStatus: legalStatusFor(facts, r),
        councilSocialWorkerName: `Worker ${String(worker).padStart(2, '0')} (synthetic)`,
        councilSocialWorkerEmail: `worker${worker}@${council.code}.synthetic.kindred.invalid`,
        familyFinderId: allocated ? finder : null,
        earlyPermanence: earlyPermanence
          ? 'suitable'
          : decided
            ? r.weighted<EarlyPermanence>([
                ['not_suitable', 6],
                ['being_considered', 1],
                ['not_yet_considered', 1],
              ])
            : r.chance(0.5)
              ? 'being_considered'
              : 'not_yet_considered',
        needs: member.needs,
        familyFindingStrategy: hardToPlace && decided && r.chance(0.75) ? r.pick(strategies) : null,
        facts,
        siblingLinks: links,
      });
      number += 1;
    }
  }
  return children;
}

// ── Rows for the database ───────────────────────────────────────────────────────────────────

/** The board's derived columns, computed by the same function as the service's refreshDerived. */
export function syntheticDerivedColumns(child: SyntheticChild, today: string) {
  return derivedColumns(child, child.facts, child.siblingLinks, today);
}

export function childRow(
  child: SyntheticChild,
  today: string,
  now: Date,
): Insertable<ChildrenTable> & ReturnType<typeof syntheticDerivedColumns> & { id: string } {
  return {
    id: child.id,
    responsible_council_id: child.councilId,
    council_child_id: child.councilChildId,
    first_name: child.firstName,
    last_name: child.lastName,
    known_as: null,
    date_of_birth: child.dateOfBirth,
    sex: child.sex,
    ethnicity: child.ethnicity,
    languages: child.languages,
    religion: child.religion,
    legal_status: child.legalStatus,
    council_social_worker_name: child.councilSocialWorkerName,
    council_social_worker_email: child.councilSocialWorkerEmail,
    family_finder_id: child.familyFinderId,
    early_permanence: child.earlyPermanence,
    contact_plan: null,
    needs: JSON.stringify(child.needs),
    family_finding_strategy: child.familyFindingStrategy,
    ...syntheticDerivedColumns(child, today),
    is_synthetic: true,
    created_by: null,
    created_at: now,
    updated_at: now,
  };
}

export function factRows(child: SyntheticChild): Insertable<ChildJourneyFactsTable>[] {
  return child.facts.map((fact) => ({
    id: fact.id,
    child_id: child.id,
    kind: fact.kind,
    effective_date: fact.effectiveDate,
    source: syntheticSource,
    recorded_by: null,
    recorded_at: new Date(fact.recordedAt),
    supersedes_id: null,
    correction_reason: null,
    plan_change_reason: fact.planChangeReason ?? null,
    disruption_timing: fact.disruptionTiming ?? null,
    note: null,
  }));
}

// ── Writing them ────────────────────────────────────────────────────────────────────────────

/** Councils to spread children over when the command makes the region: about 200 children each. */
export function defaultCouncilCount(children: number): number {
  return Math.min(999, Math.max(1, Math.ceil(children / 200)));
}

export interface SeedSyntheticOptions {
  children: number;
  /** Councils in the synthetic region, when one is created; an existing region is used as it is. */
  councils?: number | undefined;
  seed?: number | undefined;
  auditKey: AuditKey;
  now?: Date | undefined;
  /** Rows per insert statement for children (facts go in larger statements). */
  batchSize?: number | undefined;
  onProgress?: ((written: number, total: number) => void) | undefined;
}

export interface SeedSyntheticResult {
  regionName: string;
  region: RegionLoadResult | undefined;
  councils: number;
  familyFindersCreated: number;
  childrenAdded: number;
  facts: number;
  siblingLinks: number;
  syntheticChildrenNow: number;
  byStage: Record<string, number>;
  firstChildId: string;
  lastChildId: string;
}

export const defaultSyntheticSeed = 20_261_122;

/**
 * Adds `children` synthetic children to the database's region, creating a synthetic region of
 * `councils` councils first when the database has no organisations. Refuses, before writing
 * anything, a database with real children or a real (non-demo) region. Running it again adds
 * more children, numbered on from the last (SY00000001, SY00000002 …).
 */
export async function seedSyntheticChildren(
  db: Db,
  options: SeedSyntheticOptions,
): Promise<SeedSyntheticResult> {
  const now = options.now ?? new Date();
  const today = todayInLondon(now);
  const auditContext = {
    actor: null,
    ip: null,
    userAgent: 'kindred seed-synthetic',
    correlationId: null,
    now,
  };
  await refuseLiveData(db);

  let region: RegionLoadResult | undefined;
  const organisations = await db
    .selectFrom('organisations')
    .select('id')
    .where('active', '=', true)
    .execute();
  if (organisations.length === 0) {
    const councilCount = options.councils ?? defaultCouncilCount(options.children);
    region = await loadRegion(db, syntheticRegion(councilCount), {
      auditKey: options.auditKey,
      auditContext,
    });
  }
  const councils = await db
    .selectFrom('organisations')
    .select(['id', 'code'])
    .where('kind', '=', 'local_authority')
    .where('active', '=', true)
    .orderBy('code')
    .execute();
  if (options.councils !== undefined && !region && councils.length !== options.councils) {
    throw new AppError(
      'conflict',
      `The database already has a region with ${councils.length} council${councils.length === 1 ? '' : 's'}; leave out --councils to add children to it, or use an empty database for a region of ${options.councils}.`,
    );
  }
  const raa = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'raa')
    .where('active', '=', true)
    .orderBy('created_at')
    .executeTakeFirst();
  if (!raa || councils.length === 0) {
    throw new AppError(
      'conflict',
      'The region has no RAA or no member councils to give synthetic children to.',
    );
  }

  const seed = options.seed ?? defaultSyntheticSeed;
  const batchSize = options.batchSize ?? 1000;
  return db.transaction().execute(async (trx) => {
    const { finders, created } = await familyFindersFor(trx, raa.id, now);
    const last = await trx
      .selectFrom('children')
      .select('council_child_id')
      .where('is_synthetic', '=', true)
      .where('council_child_id', 'like', `${syntheticIdPrefix}%`)
      .orderBy('council_child_id', 'desc')
      .executeTakeFirst();
    const firstNumber = (last ? Number(last.council_child_id.slice(syntheticIdPrefix.length)) || 0 : 0) + 1;
    const children = generateSyntheticChildren({
      count: options.children,
      councils,
      familyFinders: finders,
      today,
      seed,
      firstNumber,
      now,
    });

    let facts = 0;
    const byStage: Record<string, number> = {};
    const factBuffer: Insertable<ChildJourneyFactsTable>[] = [];
    const flushFacts = async (all: boolean) => {
      while (factBuffer.length >= 5000 || (all && factBuffer.length > 0)) {
        await insertJsonRows(trx, 'child_journey_facts', factBuffer.splice(0, 5000));
      }
    };
    for (let start = 0; start < children.length; start += batchSize) {
      const batch = children.slice(start, start + batchSize);
      // needs is jsonb: as an object inside the JSON, not as a string of JSON.
      const rows = batch.map((child) => ({ ...childRow(child, today, now), needs: child.needs }));
      for (const row of rows) byStage[row.current_stage] = (byStage[row.current_stage] ?? 0) + 1;
      await insertJsonRows(trx, 'children', rows);
      for (const child of batch) factBuffer.push(...factRows(child));
      facts += batch.reduce((sum, child) => sum + child.facts.length, 0);
      await flushFacts(false);
      options.onProgress?.(start + batch.length, children.length);
    }
    await flushFacts(true);

    const links = [...new Map(children.flatMap((c) => c.siblingLinks).map((l) => [l.id, l])).values()];
    for (let start = 0; start < links.length; start += 5000) {
      await insertJsonRows(
        trx,
        'child_sibling_links',
        links.slice(start, start + 5000).map((link) => ({
          id: link.id,
          child_a_id: link.childAId,
          child_b_id: link.childBId,
          placement_plan: link.plan,
          reason: link.reason,
          created_by: null,
          created_at: now,
        })),
      );
    }
    await writeAudit(trx, options.auditKey, auditContext, {
      action: 'children.synthetic.create',
      outcome: 'success',
      subjectType: 'region',
      subjectId: raa.id,
      subjectOrganisationId: raa.id,
      reason: `${children.length} synthetic children added (seed ${seed}, from ${syntheticIdPrefix}${String(firstNumber).padStart(8, '0')})`,
    });
    const total = await trx
      .selectFrom('children')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('is_synthetic', '=', true)
      .executeTakeFirstOrThrow();
    return {
      regionName: raa.name,
      region,
      councils: councils.length,
      familyFindersCreated: created,
      childrenAdded: children.length,
      facts,
      siblingLinks: links.length,
      syntheticChildrenNow: Number(total.count),
      byStage,
      firstChildId: children[0]?.councilChildId ?? '',
      lastChildId: children.at(-1)?.councilChildId ?? '',
    };
  });
}

/** Never mix invented children into a live system: real children, or a real region, stop it. */
async function refuseLiveData(db: Db): Promise<void> {
  const real = await db
    .selectFrom('children')
    .innerJoin('organisations', 'organisations.id', 'children.responsible_council_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('children.is_synthetic', '=', false)
    .where('organisations.is_demo', '=', false)
    .executeTakeFirstOrThrow();
  const count = Number(real.count);
  if (count > 0) {
    throw new AppError(
      'conflict',
      `This database holds the records of ${count} real child${count === 1 ? '' : 'ren'}, so no synthetic children were added: invented children are never mixed into a live system. Use an empty database, or one made with kindred seed-demo.`,
    );
  }
  const liveOrganisation = await db
    .selectFrom('organisations')
    .select('name')
    .where('is_demo', '=', false)
    .where('active', '=', true)
    .orderBy('name')
    .executeTakeFirst();
  if (liveOrganisation) {
    throw new AppError(
      'conflict',
      `This database holds a real region (${liveOrganisation.name} is not marked as demo data), so no synthetic children were added: invented children are never mixed into a live system. Use an empty database, or one made with kindred seed-demo.`,
    );
  }
}

/**
 * The RAA's family finders, or, when it has none, one invented family finder for each spoke
 * (in its family-finding team when it has one). They cannot sign in: no password is set.
 */
async function familyFindersFor(
  trx: Transaction<DB>,
  raaId: string,
  now: Date,
): Promise<{ finders: string[]; created: number }> {
  const raaSide = await trx
    .selectFrom('organisations')
    .select(['id', 'code', 'kind', 'parent_id'])
    .where('active', '=', true)
    .where((eb) => eb.or([eb('id', '=', raaId), eb('raa_id', '=', raaId)]))
    .where('kind', 'in', ['raa', 'spoke', 'team'])
    .orderBy('code')
    .execute();
  const existing = await trx
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.id')
    .where('user_roles.role', '=', 'family_finder')
    .where('users.status', '=', 'active')
    .where(
      'users.organisation_id',
      'in',
      raaSide.map((org) => org.id),
    )
    .orderBy('users.email')
    .execute();
  if (existing.length > 0) return { finders: existing.map((row) => row.id), created: 0 };
  const spokes = raaSide.filter((org) => org.kind === 'spoke');
  const homes = (spokes.length ? spokes : raaSide.filter((org) => org.kind === 'raa')).map(
    (spoke) =>
      raaSide.find(
        (org) => org.kind === 'team' && org.parent_id === spoke.id && /family-finding/.test(org.code),
      ) ?? spoke,
  );
  const finders: string[] = [];
  for (const [i, home] of homes.entries()) {
    const n = String(i + 1).padStart(2, '0');
    const user = await trx
      .insertInto('users')
      .values({
        organisation_id: home.id,
        email: `family.finder.${n}@synthetic.kindred.invalid`,
        name: `Family Finder ${n} (synthetic)`,
        password_hash: null,
        totp_secret_encrypted: null,
        totp_enrolled_at: null,
        status: 'active',
        throttled_until: null,
        last_sign_in_at: null,
        is_demo: true,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('user_roles')
      .values({ user_id: user.id, role: 'family_finder', granted_by: null })
      .execute();
    finders.push(user.id);
  }
  return { finders, created: finders.length };
}
