// Issue 9 §6: report arithmetic must not drift. DfE's published national adoption tables satisfy
// identities — a total equals the sum of its breakdown (adopted by age, sex, ethnicity …; the
// outcomes of should-be-placed decisions; England equals the sum of its councils). This test
// first checks those identities on the published tables (tests/fixtures/dfe, OGL v3.0), allowing
// for DfE's rounding to the nearest 10, then generates synthetic journeys, aggregates them with
// Kindred's own functions (breakdowns.ts, scorecard.ts), lays the result out with DfE's labels and
// checks the same identities with the same code — exactly, and again after rounding Kindred's
// figures the way DfE does.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths as plusMonths,
  groupsFromTree,
  scorecardByGroup,
  type ScorecardChild,
} from './scorecard.js';
import {
  adoptedBreakdowns,
  ageAtAdoptionGroup,
  ageAtAdoptionGroups,
  ageInYears,
  breakdown,
  ethnicGroup,
  sexGroup,
  sexGroups,
  decisionOutcomes,
  ethnicGroups,
  reportingYear,
  reversedBreakdowns,
  waitingBreakdowns,
  type Breakdown,
  type BreakdownChild,
} from './breakdowns.js';

// ---- Published values as the range of true values they stand for -----------------------------

/** The true values a published cell allows: null when not applicable or not available. */
type Range = { low: number; high: number } | null;

/**
 * DfE data guidance: national and regional numbers are rounded to the nearest 10, council numbers
 * are not; a published zero is a true zero; 'k' rounds to zero but is not zero; 'c' is suppressed
 * (possibly a secondary suppression, so any size); 'z' and 'x' are not applicable or available.
 */
function rangeOf(cell: string, rounded: boolean): Range {
  const value = cell.trim();
  if (value === 'c') return { low: 0, high: Number.POSITIVE_INFINITY };
  if (value === 'k') return { low: 1, high: 4 };
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  if (!rounded || n === 0) return { low: n, high: n };
  return { low: Math.max(0, n - 5), high: n + 5 };
}

/** A table: key → range. Keys are DfE's own labels. */
type Table = Map<string, Range>;

interface Identity {
  name: string;
  total: string;
  parts: readonly string[];
}

/** The identities that fail: total's range does not meet the range of the sum of the parts. */
function failures(table: Table, identities: readonly Identity[]): string[] {
  const failed: string[] = [];
  for (const identity of identities) {
    const total = table.get(identity.total);
    const parts = identity.parts.map((part) => table.get(part));
    if (total === undefined || parts.some((part) => part === undefined)) {
      failed.push(
        `${identity.name}: missing ${[identity.total, ...identity.parts].filter((k) => !table.has(k)).join(', ')}`,
      );
      continue;
    }
    if (total === null || parts.some((part) => part === null)) continue;
    const low = parts.reduce((sum, part) => sum + part!.low, 0);
    const high = parts.reduce((sum, part) => sum + part!.high, 0);
    if (high < total.low || low > total.high) {
      failed.push(`${identity.name}: total ${total.low}–${total.high}, parts sum ${low}–${high}`);
    }
  }
  return failed;
}

const csv = (file: string): Array<Record<string, string>> =>
  parse(readFileSync(`tests/fixtures/dfe/${file}`), { columns: true, bom: true, skip_empty_lines: true });

// ---- The identities, in DfE's labels -------------------------------------------------------

/** Breakdown groups of the national adoptions table that Kindred also produces. */
const adoptedGroups = {
  'Age at adoption': ['Under 1 year', '1 to 4 years', '5 to 9 years', '10 to 15 years', '16 years and over'],
  'Age on starting final period of care': [
    'Under 1 year',
    '1 year',
    '2 years',
    '3 years',
    '4 years and over',
  ],
  Gender: ['Male', 'Female'],
  'Ethnic origin': [...ethnicGroups],
  'Duration of final period of care': ['Under 1 year', '1 to 2 years', '2 to 3 years', '3 years and over'],
} as const;
/** Groups only DfE publishes (Kindred does not break adoptions down by these). */
const publishedOnlyGroups = ['Category of need', 'Final legal status'];

function adoptedIdentities(groups: Record<string, readonly string[]>): Identity[] {
  const identities: Identity[] = Object.entries(groups).map(([group, parts]) => ({
    name: `adopted by ${group.toLowerCase()}`,
    total: `${group}|Total`,
    parts: parts.map((part) => `${group}|${part}`),
  }));
  // Every breakdown counts the same children.
  const groupNames = Object.keys(groups);
  for (const group of groupNames.slice(1)) {
    identities.push({
      name: `${group} total is the adoptions total`,
      total: `${groupNames[0]}|Total`,
      parts: [`${group}|Total`],
    });
  }
  return identities;
}

const decisionIdentities: Identity[] = [
  { name: 'decisions made this year or before', total: 'decision|1', parts: ['decision|1a', 'decision|1b'] },
  { name: 'decisions by outcome', total: 'decision|1', parts: ['decision|2', 'decision|3', 'decision|4'] },
  { name: 'left care without adoption', total: 'decision|3', parts: ['decision|3a', 'decision|3b'] },
  { name: 'still looked after', total: 'decision|4', parts: ['decision|4a', 'decision|4b', 'decision|4c'] },
  { name: 'decision intact', total: 'decision|4c', parts: ['decision|4c.1', 'decision|4c.2'] },
  {
    name: 'reversed = left care reversed + still looked after reversed',
    total: 'reversed|All',
    parts: ['decision|3b', 'decision|4b'],
  },
  { name: 'waiting with a placement order = 4c.1', total: 'waiting|All', parts: ['decision|4c.1'] },
];
const cohortFamilies = {
  age: ['Under 1 year', '1 to 4 years', '5 to 9 years', '10 to 15 years', '16 years and over'],
  sex: ['Male', 'Female'],
  ethnicity: [...ethnicGroups],
  time: [
    'Under 6 months',
    '6 months to under 1 year',
    '1 year to under 2 years',
    '2 years to under 3 years',
    '3 years and over',
  ],
  reason: ['RD1', 'RD2', 'RD3', 'RD4'],
} as const;
for (const cohort of ['reversed', 'waiting'] as const) {
  for (const [family, labels] of Object.entries(cohortFamilies)) {
    if (cohort === 'waiting' && family === 'reason') continue;
    decisionIdentities.push({
      name: `${cohort} by ${family}`,
      total: `${cohort}|All`,
      parts: labels.map((label) => `${cohort}|${family}|${label}`),
    });
  }
}

/** The decisions table's rows under the keys above. */
function decisionKey(group: string, characteristic: string): string | null {
  const code = /^(\d[a-z]?(?:\.\d)?)\.?\s/.exec(characteristic)?.[1];
  if (
    code &&
    !group.includes('for whom the decision has been reversed') &&
    !group.includes('who were not placed')
  )
    return `decision|${code}`;
  const cohort = group.includes('for whom the decision has been reversed')
    ? 'reversed'
    : group.includes('who were not placed for adoption')
      ? 'waiting'
      : null;
  if (!cohort) return null;
  if (characteristic.startsWith('All children')) return `${cohort}|All`;
  const age = /^Aged (.+?) (?:at reversal|on 31 March)/.exec(characteristic)?.[1];
  if (age) return `${cohort}|age|${age}`;
  if (characteristic === 'Male' || characteristic === 'Female') return `${cohort}|sex|${characteristic}`;
  const ethnic =
    characteristic === 'Mixed or Multiple ethnic groups' ? 'Mixed or Multiple ethnic group' : characteristic;
  if ((ethnicGroups as readonly string[]).includes(ethnic)) return `${cohort}|ethnicity|${ethnic}`;
  const reason: Record<string, string> = {
    'Decision ceased because the child’s needs changed subsequent to the decision': 'RD1',
    'Decision ceased because the court did not make a placement order': 'RD2',
    'Decision ceased because prospective adopters cannot be found': 'RD3',
    'Decision ceased because of any other reason': 'RD4',
  };
  if (reason[characteristic]) return `${cohort}|reason|${reason[characteristic]}`;
  const time =
    /^(?:From )?(under 6 months|6 months to under 1 year|1 year to under 2 years|2 years to under 3 years|3 years and over) (?:duration|time spent)/i.exec(
      characteristic,
    )?.[1];
  if (time) return `${cohort}|time|${time.charAt(0).toUpperCase()}${time.slice(1)}`;
  return null;
}

const adopterIdentities: Identity[] = [
  {
    name: 'number of adopters',
    total: 'Number of adopters|Total',
    parts: ['Number of adopters|1 person', 'Number of adopters|2 people'],
  },
];
const legal = (code: string) => `legal|${code}`;
const publishedAdopterIdentities: Identity[] = [
  ...adopterIdentities,
  { name: 'adopters by legal status', total: legal('Total'), parts: ['1', '2', '3', '4', '5'].map(legal) },
  { name: 'single adopters', total: legal('1'), parts: [legal('1a'), legal('1b')] },
  { name: 'same-sex couples not married', total: legal('2'), parts: [legal('2a'), legal('2b')] },
  { name: 'civil partners', total: legal('4'), parts: [legal('4a'), legal('4b'), legal('4c')] },
  { name: 'married couples', total: legal('5'), parts: [legal('5a'), legal('5b'), legal('5c')] },
  {
    name: 'both adopter breakdowns count the same adoptions',
    total: 'Number of adopters|Total',
    parts: [legal('Total')],
  },
];

const reasonIdentity = (place: string): Identity => ({
  name: `${place}: adopted = unopposed + consent dispensed with`,
  total: `${place}|Total`,
  parts: [`${place}|Adopted - application unopposed`, `${place}|Adopted - consent dispensed with`],
});

// ---- The published tables ------------------------------------------------------------------

const years = ['2020', '2021', '2022', '2023', '2024'];

function publishedAdopted(year: string): Table {
  const table: Table = new Map();
  for (const row of csv('national_cla_who_were_adopted_during_the_year.csv')) {
    if (row.time_period !== year || row.characteristic!.startsWith('Average')) continue;
    table.set(`${row.cla_group}|${row.characteristic}`, rangeOf(row.number!, true));
  }
  return table;
}

function publishedDecisions(year: string): Table {
  const table: Table = new Map();
  for (const row of csv(
    'national_children_la_made_the_decision_that_they_should_be_placed_for_adoption.csv',
  )) {
    if (row.time_period !== year) continue;
    const key = decisionKey(row.cla_group!, row.characteristic!);
    if (key) table.set(key, rangeOf(row.number!, true));
  }
  return table;
}

function publishedAdopters(year: string): Table {
  const table: Table = new Map();
  for (const row of csv('number_and_legal_status_of_adopters.csv')) {
    if (row.time_period !== year) continue;
    const range = rangeOf(row.number!, true);
    if (row.cla_group === 'Number of adopters') table.set(`Number of adopters|${row.measure}`, range);
    else {
      const code = row.measure === 'Total' ? 'Total' : /^(\d[a-z]?)\s/.exec(row.measure!)?.[1];
      if (code) table.set(legal(code), range);
    }
  }
  return table;
}

/** Adoptions by reason for England, each region and each council, and the sums between them. */
function publishedByPlace(year: string): { table: Table; identities: Identity[] } {
  const table: Table = new Map();
  const identities: Identity[] = [];
  const regions = new Map<string, string[]>();
  for (const row of csv('la_children_who_ceased_during_the_year_sgo_adoption.csv')) {
    if (row.time_period !== year || row.cla_group !== 'Adopted') continue;
    const level = row.geographic_level!;
    const place =
      level === 'National'
        ? 'England'
        : level === 'Regional'
          ? `region ${row.region_code}`
          : `council ${row.new_la_code}`;
    table.set(`${place}|${row.characteristic}`, rangeOf(row.number!, level !== 'Local authority'));
    if (row.characteristic === 'Total') {
      identities.push(reasonIdentity(place));
      if (level === 'Local authority')
        regions.set(row.region_code!, [...(regions.get(row.region_code!) ?? []), `${place}|Total`]);
    }
  }
  for (const [region, councils] of regions) {
    identities.push({
      name: `region ${region} = its councils`,
      total: `region ${region}|Total`,
      parts: councils,
    });
  }
  identities.push({
    name: 'England = its regions',
    total: 'England|Total',
    parts: [...regions.keys()].map((region) => `region ${region}|Total`),
  });
  return { table, identities };
}

describe('the identities hold in DfE’s published national tables', () => {
  it.each(years)(
    '%s: adoptions by age, age starting care, sex, ethnicity, duration, need and legal status',
    (year) => {
      const table = publishedAdopted(year);
      const groups: Record<string, readonly string[]> = { ...adoptedGroups };
      for (const group of publishedOnlyGroups) {
        groups[group] = [...table.keys()]
          .filter((key) => key.startsWith(`${group}|`) && !key.endsWith('|Total'))
          .map((key) => key.slice(group.length + 1));
      }
      // Kindred's labels are DfE's: every published group is one Kindred produces.
      for (const group of Object.keys(adoptedGroups)) {
        const published = [...table.keys()].filter(
          (key) => key.startsWith(`${group}|`) && !key.endsWith('|Total'),
        );
        expect(published.sort(), group).toEqual(
          adoptedGroups[group as keyof typeof adoptedGroups].map((p) => `${group}|${p}`).sort(),
        );
      }
      expect(failures(table, adoptedIdentities(groups))).toEqual([]);
    },
  );

  it.each(years)('%s: outcomes of should-be-placed decisions, reversals and children waiting', (year) => {
    const table = publishedDecisions(year);
    expect(failures(table, decisionIdentities)).toEqual([]);
  });

  it.each(years)('%s: adopters by number and legal status', (year) => {
    expect(failures(publishedAdopters(year), publishedAdopterIdentities)).toEqual([]);
  });

  it.each(years)(
    '%s: England = regions = councils, and each adopted total = unopposed + consent dispensed with',
    (year) => {
      const { table, identities } = publishedByPlace(year);
      expect(identities.length).toBeGreaterThan(150);
      expect(failures(table, identities)).toEqual([]);
    },
  );

  it('the checker is not vacuous: a total off by more than rounding allows is caught', () => {
    const table = publishedAdopted('2024');
    table.set('Gender|Male', { low: 1600, high: 1610 });
    expect(failures(table, adoptedIdentities(adoptedGroups))).toEqual([
      expect.stringContaining('adopted by gender'),
    ]);
  });
});

// ---- Synthetic journeys through Kindred's aggregation ----------------------------------------

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ethnicCodes = [
  'WBRI',
  'WIRI',
  'WOTH',
  'WROM',
  'MWBC',
  'MWBA',
  'MWAS',
  'MOTH',
  'AIND',
  'APKN',
  'ABAN',
  'CHNE',
  'BCRB',
  'BAFR',
  'BOTH',
  'OOTH',
  'REFU',
  'NOBT',
];
const councils = ['lew', 'bro', 'gre', 'mer', 'sut'];
const plusDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface SyntheticChild extends BreakdownChild {
  councilId: string;
}

/** Coherent journeys: entering care, then perhaps a decision, an order, a placement, an adoption, or a reversal. */
function syntheticChildren(count: number, seed: number): SyntheticChild[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const until = '2024-09-30';
  const upTo = (date: string | null) => (date !== null && date <= until ? date : null);
  return Array.from({ length: count }, (_, i) => {
    const dateOfBirth = plusDays('2006-01-01', Math.floor(next() * 6500));
    const enteredCare = plusDays(dateOfBirth, Math.floor(next() * 365 * (next() < 0.7 ? 1.5 : 9)));
    const decided = next() < 0.85 ? upTo(plusMonths(enteredCare, 2 + Math.floor(next() * 16))) : null;
    const reversed = decided && next() < 0.15 ? upTo(plusMonths(decided, 1 + Math.floor(next() * 40))) : null;
    const order = decided && next() < 0.85 ? upTo(plusMonths(decided, Math.floor(next() * 7))) : null;
    const placed =
      order && !reversed && next() < 0.7 ? upTo(plusMonths(order, 1 + Math.floor(next() * 20))) : null;
    const adopted = placed && next() < 0.8 ? upTo(plusMonths(placed, 3 + Math.floor(next() * 12))) : null;
    const left = reversed && next() < 0.5 ? upTo(plusMonths(reversed, Math.floor(next() * 12))) : null;
    return {
      id: `child-${i}`,
      councilId: pick(councils),
      dateOfBirth,
      sex: next() < 0.52 ? '1' : '2',
      ethnicity: pick(ethnicCodes),
      enteredCare,
      placementOrder: order,
      decision: decided
        ? {
            date: decided,
            ceasedDate: reversed,
            ceasedReason: reversed ? pick(['RD1', 'RD2', 'RD3', 'RD4'] as const) : null,
          }
        : null,
      placedForAdoption: placed,
      adoptionOrder: adopted,
      adoptionReason: adopted ? pick(['E11', 'E12'] as const) : null,
      leftCareWithoutAdoption: left,
      numberOfAdopters: adopted ? pick([1, 2, 2, 2] as const) : null,
    };
  });
}

const put = (table: Table, key: string, value: number) => table.set(key, { low: value, high: value });
const groupValue = (b: Breakdown, label: string) => b.groups.find((g) => g.label === label)?.value ?? 0;

/** Kindred's output laid out under DfE's keys. */
function kindredTables(children: readonly SyntheticChild[], yearEnd: string) {
  const period = reportingYear(yearEnd);
  const adopted = adoptedBreakdowns(children, period);
  const adoptedTable: Table = new Map();
  const layOut = (group: string, b: Breakdown) => {
    put(adoptedTable, `${group}|Total`, b.total.value);
    for (const g of b.groups) put(adoptedTable, `${group}|${g.label}`, g.value);
  };
  layOut('Age at adoption', adopted.ageAtAdoption);
  layOut('Age on starting final period of care', adopted.ageStartingCare);
  layOut('Gender', adopted.sex);
  layOut('Ethnic origin', adopted.ethnicity);
  layOut('Duration of final period of care', adopted.durationOfCare);
  layOut('Number of adopters', adopted.numberOfAdopters);

  const outcomes = decisionOutcomes(children, period);
  const decisions: Table = new Map();
  put(decisions, 'decision|1', outcomes.all.value);
  for (const b of [
    outcomes.madeWhen,
    outcomes.outcome,
    outcomes.leftCare,
    outcomes.stillLookedAfter,
    outcomes.intact,
  ]) {
    for (const g of b.groups) put(decisions, `decision|${/^(\d[a-z]?(?:\.\d)?)/.exec(g.label)![1]}`, g.value);
  }
  put(
    decisions,
    'decision|3',
    groupValue(outcomes.outcome, '3. Ceased to be looked after without being adopted'),
  );
  put(decisions, 'decision|4', groupValue(outcomes.outcome, '4. Still looked after on 31 March'));
  put(decisions, 'decision|4c', groupValue(outcomes.stillLookedAfter, '4c Decision intact'));
  const reversed = reversedBreakdowns(children, period);
  const waiting = waitingBreakdowns(children, period);
  put(decisions, 'reversed|All', reversed.age.total.value);
  put(decisions, 'waiting|All', waiting.age.total.value);
  const reasonCodes = ['RD1', 'RD2', 'RD3', 'RD4'];
  for (const [cohort, sets] of [
    ['reversed', reversed],
    ['waiting', waiting],
  ] as const) {
    for (const family of ['age', 'sex', 'ethnicity', 'time', 'reason'] as const) {
      const b = (sets as unknown as Partial<Record<string, Breakdown>>)[family];
      if (!b) continue;
      b.groups.forEach((g, index) =>
        put(decisions, `${cohort}|${family}|${family === 'reason' ? reasonCodes[index] : g.label}`, g.value),
      );
    }
  }

  const byPlace: Table = new Map();
  const placeIdentities: Identity[] = [];
  for (const council of councils) {
    const own = adoptedBreakdowns(
      children.filter((child) => child.councilId === council),
      period,
    ).adoptionReason;
    put(byPlace, `council ${council}|Total`, own.total.value);
    for (const g of own.groups) put(byPlace, `council ${council}|${g.label}`, g.value);
    placeIdentities.push(reasonIdentity(`council ${council}`));
  }
  put(byPlace, 'England|Total', adopted.adoptionReason.total.value);
  for (const g of adopted.adoptionReason.groups) put(byPlace, `England|${g.label}`, g.value);
  placeIdentities.push(reasonIdentity('England'), {
    name: 'England = its councils',
    total: 'England|Total',
    parts: councils.map((council) => `council ${council}|Total`),
  });
  return { adopted, adoptedTable, decisions, byPlace, placeIdentities, outcomes, reversed, waiting };
}

/** Kindred's figures rounded as DfE rounds national figures, then read back as published cells. */
function roundedLikeDfe(table: Table): Table {
  const rounded: Table = new Map();
  for (const [key, range] of table) {
    const value = range?.low ?? 0;
    const cell = value === 0 ? '0' : value < 5 ? 'k' : String(Math.round(value / 10) * 10);
    rounded.set(key, rangeOf(cell, true));
  }
  return rounded;
}

describe('the same identities hold on Kindred’s own aggregation of synthetic journeys', () => {
  const children = syntheticChildren(6000, 20240331);

  it.each(['2022-03-31', '2023-03-31', '2024-03-31'])(
    'year ending %s, exactly and after DfE rounding',
    (yearEnd) => {
      const kindred = kindredTables(children, yearEnd);
      // Every synthetic child has every characteristic, so nothing falls in "Not known".
      for (const b of Object.values(kindred.adopted)) expect(groupValue(b, 'Not known')).toBe(0);
      expect(kindred.adopted.ageAtAdoption.total.value).toBeGreaterThan(100);
      expect(kindred.outcomes.all.value).toBeGreaterThan(500);
      expect(kindred.reversed.age.total.value).toBeGreaterThan(20);
      expect(kindred.waiting.age.total.value).toBeGreaterThan(20);

      const checks: Array<[Table, Identity[]]> = [
        [kindred.adoptedTable, [...adoptedIdentities(adoptedGroups), ...adopterIdentities]],
        [kindred.decisions, decisionIdentities],
        [kindred.byPlace, kindred.placeIdentities],
      ];
      for (const [table, identities] of checks) {
        expect(failures(table, identities)).toEqual([]);
        expect(failures(roundedLikeDfe(table), identities)).toEqual([]);
      }
    },
  );

  it('the scorecard’s council → spoke → RAA → hub sums agree with the national-style breakdown', () => {
    const tree = [
      { id: 'hub', name: 'Hub', kind: 'hub', parentId: null },
      { id: 'raa', name: 'RAA', kind: 'raa', parentId: 'hub' },
      { id: 'east', name: 'East', kind: 'spoke', parentId: 'raa' },
      { id: 'west', name: 'West', kind: 'spoke', parentId: 'raa' },
      ...councils.map((id, index) => ({
        id,
        name: id,
        kind: 'local_authority',
        parentId: index < 3 ? 'east' : 'west',
      })),
    ];
    const scorecardChildren: ScorecardChild[] = children.map((child) => ({
      id: child.id,
      councilId: child.councilId,
      enteredCare: child.enteredCare,
      placementOrder: child.placementOrder,
      shouldBePlacedDecisions: child.decision ? [child.decision] : [],
      matchDecision: null,
      placedForAdoption: child.placedForAdoption,
      movedInWithAdoptiveCarers: null,
      adoptionOrder: child.adoptionOrder,
      adoptedByFosterCarers: false,
      earlyPermanencePlacement: null,
    }));
    const results = scorecardByGroup(scorecardChildren, [], groupsFromTree(tree, councils), '2024-03-31');
    const figure = (id: string) => results.find((r) => r.group.id === id)!.figures;
    const sum = (ids: string[], pick: (f: ReturnType<typeof figure>) => number) =>
      ids.reduce((s, id) => s + pick(figure(id)), 0);
    for (const pick of [
      (f: ReturnType<typeof figure>) => f.adoptions.value,
      (f: ReturnType<typeof figure>) => f.placementOrders.value,
      (f: ReturnType<typeof figure>) => f.shouldBePlacedDecisions.value,
      (f: ReturnType<typeof figure>) => f.plansChangedAwayFromAdoption.value,
      (f: ReturnType<typeof figure>) => f.childrenWaiting.value,
      (f: ReturnType<typeof figure>) => f.A1.n,
      (f: ReturnType<typeof figure>) => f.A3.numerator,
    ]) {
      expect(pick(figure('east'))).toBe(sum(['lew', 'bro', 'gre'], pick));
      expect(pick(figure('raa'))).toBe(sum(['east', 'west'], pick));
      expect(pick(figure('hub'))).toBe(pick(figure('raa')));
    }
    // Three reporting years' adoptions, by Kindred's breakdown, are the scorecard window's adoptions.
    const threeYears = ['2022-03-31', '2023-03-31', '2024-03-31'].reduce(
      (total, end) => total + adoptedBreakdowns(children, reportingYear(end)).sex.total.value,
      0,
    );
    expect(figure('raa').adoptions.value).toBe(threeYears);
  });

  it('property: any children, any grouping — every child in exactly one group, totals equal the sum', () => {
    const child = fc.record({
      id: fc.uuid(),
      dateOfBirth: fc.option(
        fc
          .date({ min: new Date('2000-01-01'), max: new Date('2024-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10)),
      ),
      sex: fc.constantFrom('1', '2', '', 'x'),
      ethnicity: fc.constantFrom(...ethnicCodes, '', 'ZZZZ'),
    });
    fc.assert(
      fc.property(fc.uniqueArray(child, { selector: (c) => c.id, maxLength: 60 }), (rows) => {
        for (const b of [
          breakdown(rows, ethnicGroups, (c) => ethnicGroup(c.ethnicity)),
          breakdown(rows, sexGroups, (c) => sexGroup(c.sex)),
          breakdown(rows, ageAtAdoptionGroups, (c) =>
            ageAtAdoptionGroup(c.dateOfBirth === null ? null : ageInYears(c.dateOfBirth, '2024-03-31')),
          ),
        ]) {
          const ids = b.groups.flatMap((g) => g.ids);
          expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
          expect(b.groups.reduce((s, g) => s + g.value, 0)).toBe(b.total.value);
        }
      }),
      { numRuns: 100 },
    );
  });
});
