// Sufficiency (issue 6 §4): does the region have the families its waiting children need?
// Worked out by a job (nightly, or on request) into a snapshot the page reads, because counting
// every waiting child against every approved household is too much work for a page request.
//
// - For every waiting child (a decision that they should be placed, not yet matched): how many
//   approved households pass every hard constraint, in the RAA's own pool ("region") and across
//   the hub (the RAA and the other RAAs it shares the hub with). 0–2 is highlighted.
// - Recruitment priorities: for each characteristic the seeds single out (age four or over,
//   sibling groups, minority ethnic heritage, each area of need, early permanence), how many
//   waiting children have it, how many of those have 0–2 families, and how many households are
//   open to it — the marketing plan's targets.
// - Approved households waiting more than three months (the A12 threshold) and why.
//
// The snapshot holds ids and counts only; names are read, in the viewer's scope, when shown.
import type { Db } from '../../platform/db/client.js';
import { addCalendarMonths, calendarDaysBetween, todayInLondon } from '../../platform/time/index.js';
import { minorityEthnicCodes, needAreaLabels, needAreas, type NeedArea } from '../children/child-codes.js';
import { hardConstraintFailures } from './compatibility.js';
import type { MatchingChild, MatchingHousehold } from './matching-profiles.js';
import {
  linksForHousehold,
  poolChildren,
  poolHouseholds,
  poolsOf,
  toMatchingChild,
  toMatchingHousehold,
  waitingChildStages,
} from './matching.repository.js';
import { compatibleCounts } from './ranking.js';

export const fewFamiliesThreshold = 2;

export interface SufficiencyChild {
  id: string;
  region: number;
  hub: number;
}

export interface RecruitmentPriority {
  key: string;
  label: string;
  childrenWaiting: number;
  childrenWithFewFamilies: number;
  householdsOpen: number;
}

export interface WaitingHousehold {
  id: string;
  reference: string;
  approvedSince: string;
  daysWaiting: number;
  compatibleChildren: number;
  why: string;
}

export interface SufficiencySnapshot {
  today: string;
  children: SufficiencyChild[];
  householdsInRegion: number;
  householdsInHub: number;
  priorities: RecruitmentPriority[];
  waitingHouseholds: WaitingHousehold[];
}

interface Characteristic {
  key: string;
  label: string;
  child: (child: MatchingChild) => boolean;
  householdOpen: (household: MatchingHousehold) => boolean;
}

const needCharacteristic = (area: NeedArea): Characteristic => ({
  key: `need:${area}`,
  label: `${needAreaLabels[area]} needs`,
  child: (c) => c.needs.some((n) => n.area === area),
  householdOpen: (h) => h.needsCanMeet.includes(area),
});

export const characteristics: Characteristic[] = [
  {
    key: 'aged_four_or_over',
    label: 'Aged four or over',
    child: (c) => c.ageYears >= 4,
    householdOpen: (h) => h.ageTo === null || h.ageTo >= 4,
  },
  {
    key: 'sibling_group',
    label: 'In a sibling group of two or more',
    child: (c) => c.siblingGroupSize >= 2,
    householdOpen: (h) => h.siblingGroups && (h.maxChildren === null || h.maxChildren >= 2),
  },
  {
    key: 'minority_ethnic_heritage',
    label: 'Black or minority ethnic heritage',
    child: (c) => minorityEthnicCodes.has(c.ethnicity),
    householdOpen: (h) => h.ethnicities.some((e) => minorityEthnicCodes.has(e)),
  },
  ...needAreas.map(needCharacteristic),
  {
    key: 'early_permanence',
    label: 'Early permanence',
    child: (c) => c.earlyPermanence,
    householdOpen: (h) => h.earlyPermanence,
  },
];

/** Why an approved household has waited: what stands between it and the children waiting. */
function whyWaiting(
  household: MatchingHousehold,
  children: readonly MatchingChild[],
  openLinks: number,
): { compatible: number; why: string } {
  let compatible = 0;
  const blockerCounts = new Map<string, number>();
  for (const child of children) {
    const failures = hardConstraintFailures(child, household);
    if (failures.length === 0) compatible += 1;
    else {
      // The constraint's kind, not the child's details: "aged …" → age, "sibling group …" → siblings.
      const kind = failures[0]!.startsWith('aged')
        ? 'the ages they offer'
        : failures[0]!.startsWith('sibling group')
          ? 'the number of children they can take'
          : failures[0]!.startsWith('cannot meet')
            ? 'needs they said they cannot meet'
            : 'safety and exclusion rules';
      blockerCounts.set(kind, (blockerCounts.get(kind) ?? 0) + 1);
    }
  }
  if (openLinks > 0)
    return { compatible, why: `In linking with ${openLinks === 1 ? 'a child' : `${openLinks} children`}` };
  if (compatible > 0) {
    return {
      compatible,
      why: `Compatible with ${compatible} waiting ${compatible === 1 ? 'child' : 'children'}; not yet linked`,
    };
  }
  const top = [...blockerCounts.entries()].sort((a, b) => b[1] - a[1])[0];
  return {
    compatible,
    why: top ? `No waiting child fits: mostly ${top[0]}` : 'No children are waiting',
  };
}

export async function computeSufficiency(db: Db, raaId: string, now: Date): Promise<SufficiencySnapshot> {
  const today = todayInLondon(now);
  const pools = await poolsOf(db, raaId);
  const [childRows, regionRows, hubRows] = await Promise.all([
    poolChildren(db, pools.memberCouncilIds, waitingChildStages),
    poolHouseholds(db, [raaId]),
    poolHouseholds(db, pools.hubRaaIds),
  ]);
  const children = childRows.map((row) => toMatchingChild(row, today));
  const region = regionRows.map(toMatchingHousehold);
  const hub = [...region, ...hubRows.map(toMatchingHousehold)];
  const regionCounts = compatibleCounts(children, region);
  const hubCounts = compatibleCounts(children, hub);
  const counted: SufficiencyChild[] = children.map((child) => ({
    id: child.id,
    region: regionCounts.get(child.id) ?? 0,
    hub: hubCounts.get(child.id) ?? 0,
  }));
  const few = new Set(counted.filter((c) => c.region <= fewFamiliesThreshold).map((c) => c.id));
  const priorities = characteristics
    .map((ch) => {
      const having = children.filter(ch.child);
      return {
        key: ch.key,
        label: ch.label,
        childrenWaiting: having.length,
        childrenWithFewFamilies: having.filter((c) => few.has(c.id)).length,
        householdsOpen: region.filter(ch.householdOpen).length,
      };
    })
    .filter((p) => p.childrenWaiting > 0)
    .sort((a, b) => b.childrenWithFewFamilies - a.childrenWithFewFamilies || a.key.localeCompare(b.key));

  const threeMonthsAgo = addCalendarMonths(today, -3);
  const longWaiting = regionRows.filter((row) => row.stage_since && row.stage_since <= threeMonthsAgo);
  const waitingHouseholds: WaitingHousehold[] = [];
  for (const row of longWaiting) {
    const links = await linksForHousehold(db, row.id);
    const open = links.filter((l) => l.state !== 'closed').length;
    const { compatible, why } = whyWaiting(toMatchingHousehold(row), children, open);
    waitingHouseholds.push({
      id: row.id,
      reference: row.reference,
      approvedSince: row.stage_since!,
      daysWaiting: calendarDaysBetween(row.stage_since!, today),
      compatibleChildren: compatible,
      why,
    });
  }
  waitingHouseholds.sort((a, b) => b.daysWaiting - a.daysWaiting);
  return {
    today,
    children: counted,
    householdsInRegion: region.length,
    householdsInHub: hub.length,
    priorities,
    waitingHouseholds,
  };
}

/** Works out and stores a snapshot for every RAA. */
export async function refreshSufficiency(db: Db, now: Date): Promise<number> {
  const raas = await db
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'raa')
    .where('active', '=', true)
    .execute();
  for (const raa of raas) {
    const snapshot = await computeSufficiency(db, raa.id, now);
    await db
      .insertInto('sufficiency_snapshots')
      .values({ raa_id: raa.id, computed_at: now, data: JSON.stringify(snapshot) })
      .execute();
  }
  return raas.length;
}

export async function latestSufficiency(
  db: Db,
  raaId: string,
): Promise<{ computedAt: Date; snapshot: SufficiencySnapshot } | undefined> {
  const row = await db
    .selectFrom('sufficiency_snapshots')
    .select(['computed_at', 'data'])
    .where('raa_id', '=', raaId)
    .orderBy('computed_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { computedAt: row.computed_at, snapshot: row.data as SufficiencySnapshot } : undefined;
}

export interface HubSufficiency {
  raas: Array<{
    name: string;
    computedAt: Date | null;
    waiting: number;
    fewFamilies: number;
    households: number;
  }>;
  bands: Array<{ label: string; count: number }>;
  priorities: RecruitmentPriority[];
}

export const sufficiencyBands = [
  { label: 'No families', test: (n: number) => n === 0 },
  { label: 'One or two families', test: (n: number) => n >= 1 && n <= 2 },
  { label: 'Three to nine families', test: (n: number) => n >= 3 && n <= 9 },
  { label: 'Ten or more families', test: (n: number) => n >= 10 },
];

/**
 * The hub's view (issue 6 §5; design.md §3): the cross-RAA picture for joint sufficiency planning,
 * non-identifying — counts per RAA, bands and recruitment priorities, never a child or a family.
 */
export async function hubSufficiency(db: Db, hubId: string): Promise<HubSufficiency> {
  const raas = await db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('parent_id', '=', hubId)
    .where('kind', '=', 'raa')
    .where('active', '=', true)
    .orderBy('name')
    .execute();
  const latest = await Promise.all(raas.map((raa) => latestSufficiency(db, raa.id)));
  const bands = sufficiencyBands.map((band) => ({
    label: band.label,
    count: latest.reduce(
      (sum, l) => sum + (l?.snapshot.children.filter((c) => band.test(c.region)).length ?? 0),
      0,
    ),
  }));
  const priorities = new Map<string, RecruitmentPriority>();
  for (const l of latest) {
    for (const p of l?.snapshot.priorities ?? []) {
      const sum = priorities.get(p.key) ?? {
        ...p,
        childrenWaiting: 0,
        childrenWithFewFamilies: 0,
        householdsOpen: 0,
      };
      sum.childrenWaiting += p.childrenWaiting;
      sum.childrenWithFewFamilies += p.childrenWithFewFamilies;
      sum.householdsOpen += p.householdsOpen;
      priorities.set(p.key, sum);
    }
  }
  return {
    raas: raas.map((raa, i) => {
      const snapshot = latest[i]?.snapshot;
      return {
        name: raa.name,
        computedAt: latest[i]?.computedAt ?? null,
        waiting: snapshot?.children.length ?? 0,
        fewFamilies: snapshot?.children.filter((c) => c.region <= fewFamiliesThreshold).length ?? 0,
        households: snapshot?.householdsInRegion ?? 0,
      };
    }),
    bands,
    priorities: [...priorities.values()].sort(
      (a, b) => b.childrenWithFewFamilies - a.childrenWithFewFamilies || a.key.localeCompare(b.key),
    ),
  };
}
