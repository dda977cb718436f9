// bench/matching: the compatibility engine in memory, no database (issue 6, benchmark).
// (1) Ranking 20,000 households for one child: goal p95 ≤ 20 ms, shown beside the naive ranking
//     (scoreMatch for every household, then sort) timed the same way in the same run.
// (2) Sufficiency: for each of 30,000 children, how many of 20,000 households pass every hard
//     constraint: goal ≤ 3 s, beside the naive nested loop. The naive loop over every child would
//     take minutes, so it is timed over a sample of children and extrapolated linearly.
// (3) Peak RSS of the process.
// The bench also checks that the fast answers equal the naive ones, and exits 1 if they do not.
//
// The data are invented by a seeded mulberry32, so every run sees the same children and households.
// Env: BENCH_CHILDREN (30,000), BENCH_HOUSEHOLDS (20,000), BENCH_ROUNDS (50 children ranked),
// BENCH_NAIVE_CHILDREN (300 children in the naive sufficiency sample).
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import type { EthnicityCode, NeedArea } from '../src/modules/children/child-codes.js';
import { mulberry32 } from '../src/modules/children/synthetic-children.js';
import {
  defaultWeights,
  type ContactKind,
  type MatchingChild,
  type MatchingHousehold,
  type SeparationRule,
} from '../src/modules/matching/matching-profiles.js';
import {
  compatibleCounts,
  compatibleCountsNaive,
  prepareHouseholds,
  rankHouseholds,
  rankHouseholdsNaive,
} from '../src/modules/matching/ranking.js';

const childCount = Number(process.env.BENCH_CHILDREN ?? 30_000);
const householdCount = Number(process.env.BENCH_HOUSEHOLDS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 50);
const naiveSampleSize = Math.min(childCount, Number(process.env.BENCH_NAIVE_CHILDREN ?? 300));
const warmUps = 5;
const rankGoalMs = 20;
const sufficiencyGoalS = 3;

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p95: at(95), p99: at(99), n: values.length };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let at = this.next() * total;
    for (const [value, weight] of choices) {
      at -= weight;
      if (at < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
  /** Each item kept with its own probability. */
  some<T>(choices: readonly (readonly [T, number])[]): T[] {
    return choices.filter(([, p]) => this.chance(p)).map(([value]) => value);
  }
  /** A UUID-shaped id, so the ranking sorts ids as it will in production. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

// About 60 postcode districts of south London and the south east, in ten postcode areas.
const districts = ['SE', 'SW', 'CR', 'BR', 'DA', 'E', 'N', 'TN', 'ME', 'KT'].flatMap((area) =>
  Array.from({ length: 6 }, (_, i) => `${area}${area === 'CR' ? i : i + 1}`),
);
const councilIds = Array.from({ length: 150 }, (_, i) => `council-${String(i + 1).padStart(3, '0')}`);

const ethnicityMix: [EthnicityCode, number][] = [
  ['WBRI', 55],
  ['WOTH', 6],
  ['WROM', 1],
  ['MWBC', 6],
  ['MWBA', 4],
  ['MWAS', 3],
  ['MOTH', 4],
  ['AIND', 2],
  ['APKN', 3],
  ['ABAN', 2],
  ['BCRB', 3],
  ['BAFR', 5],
  ['BOTH', 2],
  ['CHNE', 1],
  ['OOTH', 2],
  ['NOBT', 1],
];
const religionMix: [string, number][] = [
  ['Christian', 50],
  ['Muslim', 30],
  ['Hindu', 8],
  ['Sikh', 5],
  ['Jewish', 4],
  ['Buddhist', 3],
];
const otherLanguages = ['Polish', 'Romanian', 'Urdu', 'Bengali', 'Somali', 'Arabic', 'Portuguese'];

function syntheticChildren(count: number, seed: number): MatchingChild[] {
  const r = new Random(seed);
  // Councils differ in size: some have three times the children of others.
  const councilMix = councilIds.map((id) => [id, 1 + r.int(0, 2)] as const);
  return Array.from({ length: count }, () => {
    const ageYears = r.weighted<() => number>([
      [() => r.int(0, 4), 75],
      [() => r.int(5, 8), 18],
      [() => r.int(9, 15), 7],
    ])();
    const siblingGroupSize = r.chance(0.25)
      ? r.weighted([
          [2, 80],
          [3, 20],
        ] as const)
      : 1;
    const needs = r
      .some<NeedArea>([
        ['health', 0.3],
        ['development', 0.35],
        ['disability', 0.1],
        ['education', ageYears >= 4 ? 0.3 : 0.05],
        ['emotional_behavioural', 0.3],
      ])
      .map((area) => ({ area, uncertain: r.chance(0.3) }));
    const religion = r.chance(0.4) ? r.weighted(religionMix) : null;
    const languages = r.chance(0.15) ? ['English', r.one(otherLanguages)] : ['English'];
    const contactRequired = r.some<ContactKind>([
      ['letterbox', 0.75],
      ['direct_siblings', siblingGroupSize > 1 ? 0.1 : 0.25],
      ['direct_birth_parents', 0.05],
      ['direct_other', 0.1],
    ]);
    const separation = r.weighted<SeparationRule>([
      ['none', 70],
      ['outside_district', 20],
      ['outside_postcode_area', 10],
    ]);
    return {
      id: r.uuid(),
      ageYears,
      siblingGroupSize,
      needs,
      ethnicity: r.weighted(ethnicityMix),
      religion,
      languages,
      earlyPermanence: r.chance(ageYears <= 1 ? 0.4 : 0.05),
      considerations: {
        heritage: r.chance(0.5),
        religion: religion !== null && r.chance(0.5),
        language: languages.length > 1 && r.chance(0.6),
        contactRequired,
        separation,
      },
      birthFamilyPostcodeDistrict: r.chance(0.9) ? r.one(districts) : null,
      responsibleCouncilId: r.weighted(councilMix),
    };
  });
}

function syntheticHouseholds(count: number, seed: number): MatchingHousehold[] {
  const r = new Random(seed);
  return Array.from({ length: count }, () => {
    const maxChildren = r.weighted<number | null>([
      [1, 45],
      [2, 40],
      [3, 12],
      [null, 3],
    ]);
    const needsCanMeet = r.some<NeedArea>([
      ['health', 0.6],
      ['development', 0.55],
      ['disability', 0.3],
      ['education', 0.5],
      ['emotional_behavioural', 0.45],
    ]);
    const needsCannotMeet = r
      .some<NeedArea>([
        ['health', 0.15],
        ['development', 0.15],
        ['disability', 0.3],
        ['education', 0.1],
        ['emotional_behavioural', 0.2],
      ])
      .filter((area) => !needsCanMeet.includes(area));
    const applicants = r.chance(0.7) ? 2 : 1;
    const ethnicities = Array.from({ length: applicants }, () => r.weighted(ethnicityMix));
    const religions = Array.from({ length: applicants }, () =>
      r.chance(0.4) ? r.weighted(religionMix) : '',
    ).filter(Boolean);
    return {
      id: r.uuid(),
      agencyId: r.chance(0.8) ? 'raa' : `vaa-${r.int(1, 5)}`,
      postcodeDistrict: r.one(districts),
      ageFrom: r.weighted<number | null>([
        [0, 80],
        [1, 10],
        [2, 5],
        [null, 5],
      ]),
      ageTo: r.weighted<number | null>([
        [4, 35],
        [5, 35],
        [3, 10],
        [8, 10],
        [10, 5],
        [null, 5],
      ]),
      maxChildren,
      siblingGroups: maxChildren === 1 ? r.chance(0.05) : r.chance(0.75),
      needsCanMeet,
      needsCannotMeet,
      earlyPermanence: r.chance(0.3),
      contactSupported: r.some<ContactKind>([
        ['letterbox', 0.95],
        ['direct_siblings', 0.5],
        ['direct_birth_parents', 0.15],
        ['direct_other', 0.3],
      ]),
      ethnicities,
      religions,
      languages: r.chance(0.1) ? ['English', r.one(otherLanguages)] : ['English'],
      excludedByCouncilIds: r.chance(0.1) ? [r.one(councilIds)] : [],
    };
  });
}

const timed = <T>(run: () => T): [T, number] => {
  const t0 = performance.now();
  const value = run();
  return [value, performance.now() - t0];
};

const generated = performance.now();
const children = syntheticChildren(childCount, 0x6b696e64);
// In id order, as poolHouseholds returns them (order by households.id).
const households = syntheticHouseholds(householdCount, 0x72656421).sort((a, b) =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
);
const generatedMs = performance.now() - generated;
const failures: string[] = [];

// (1) Ranking one child against every household.
const [prepared, prepareMs] = timed(() => prepareHouseholds(households));
const step = Math.max(1, Math.floor(childCount / rounds));
const rankedChildren = Array.from({ length: rounds }, (_, i) => children[(i * step) % childCount]!);
const warmUpChildren = Array.from({ length: warmUps }, (_, i) => children[(i * step + 1) % childCount]!);
/** Each way timed over the same children, one series after another, each after its own warm-up. */
function series(rank: (child: MatchingChild) => unknown): number[] {
  for (const child of warmUpChildren) rank(child);
  return rankedChildren.map((child) => timed(() => rank(child))[1]);
}
const fast = series((child) => rankHouseholds(child, prepared, defaultWeights));
const naive = series((child) => rankHouseholdsNaive(child, households, defaultWeights));
const preparedEachTime = series((child) =>
  rankHouseholds(child, prepareHouseholds(households), defaultWeights),
);
// Deep comparison is slow over 20,000 results, so one child in five is compared in full.
let comparedRankings = 0;
for (const child of rankedChildren.filter((_, i) => i % 5 === 0)) {
  comparedRankings += 1;
  const same = isDeepStrictEqual(
    rankHouseholds(child, prepared, defaultWeights),
    rankHouseholdsNaive(child, households, defaultWeights),
  );
  if (!same) failures.push(`ranking for child ${child.id} differs`);
}
const fastStats = stats(fast);
const naiveStats = stats(naive);
const prepareEachStats = stats(preparedEachTime);
const rankRatio = naiveStats.p95 / Math.max(fastStats.p95, 0.001);

// (2) Sufficiency: first run cold, then two more; the median is reported.
const sufficiencyRuns: number[] = [];
let counts = new Map<string, number>();
for (let run = 0; run < 3; run += 1) {
  const [result, ms] = timed(() => compatibleCounts(children, households));
  counts = result;
  sufficiencyRuns.push(ms);
}
const sufficiencyMs = stats(sufficiencyRuns).p50;
const sampleStep = childCount / naiveSampleSize;
const sample = Array.from({ length: naiveSampleSize }, (_, i) => children[Math.floor(i * sampleStep)]!);
const [naiveCounts, naiveSampleMs] = timed(() => compatibleCountsNaive(sample, households));
const naiveExtrapolatedMs = (naiveSampleMs * childCount) / naiveSampleSize;
const sufficiencyRatio = naiveExtrapolatedMs / Math.max(sufficiencyMs, 0.001);
for (const child of sample) {
  if (counts.get(child.id) !== naiveCounts.get(child.id)) {
    failures.push(
      `count for child ${child.id}: fast ${counts.get(child.id)}, naive ${naiveCounts.get(child.id)}`,
    );
  }
}
const countValues = [...counts.values()];
const noFamily = countValues.filter((n) => n === 0).length;

const peakRssMb = process.resourceUsage().maxRSS / 1024;

const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (s: Stats) => `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}`;
const en = (n: number) => n.toLocaleString('en-GB');
const cpu = cpus();
console.log(
  `${en(childCount)} synthetic children, ${en(householdCount)} synthetic households (generated in ${ms(generatedMs)}); ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
);
console.log('');
console.log(
  `(1) Rank ${en(householdCount)} households for one child: the same ${rounds} children each way, one at a time, after ${warmUps} warm-up children`,
);
console.log(`  prepareHouseholds, once:                     ${ms(prepareMs)}`);
console.log(`  baseline — rankHouseholdsNaive:              ${line(naiveStats)}`);
console.log(
  `  rankHouseholds (prepared once):              ${line(fastStats)}  ${rankRatio.toFixed(1)}× faster than naive at p95  goal p95 ≤ ${rankGoalMs} ms: ${fastStats.p95 <= rankGoalMs ? 'met' : 'NOT met'}`,
);
console.log(
  `  prepareHouseholds + rankHouseholds each time: ${line(prepareEachStats)}  (a caller that prepares on every request)`,
);
console.log(`  fast and naive rankings compared in full for ${comparedRankings} children`);
console.log('');
console.log(`(2) Sufficiency: compatible households for each of ${en(childCount)} children`);
console.log(
  `  compatibleCounts, all children:              ${(sufficiencyMs / 1000).toFixed(2)} s (median of 3 runs: ${sufficiencyRuns.map((t) => ms(t)).join(', ')})  goal ≤ ${sufficiencyGoalS} s: ${sufficiencyMs <= sufficiencyGoalS * 1000 ? 'met' : 'NOT met'}`,
);
console.log(
  `  baseline — compatibleCountsNaive:            ${(naiveExtrapolatedMs / 1000).toFixed(1)} s for all children, EXTRAPOLATED linearly from ${en(naiveSampleSize)} children × ${en(householdCount)} households (${ms(naiveSampleMs)})  ${sufficiencyRatio.toFixed(0)}× slower`,
);
console.log(
  `  fast counts equal naive for the ${en(naiveSampleSize)} sampled children: ${failures.some((f) => f.startsWith('count')) ? 'NO' : 'yes'}`,
);
console.log(
  `  children with no compatible household: ${en(noFamily)}; median compatible households per child: ${en(stats(countValues).p50)}`,
);
console.log('');
console.log(`(3) Peak RSS: ${peakRssMb.toFixed(0)} MB`);

for (const failure of failures.slice(0, 10)) console.error(`MISMATCH: ${failure}`);
const rankMet = fastStats.p95 <= rankGoalMs;
const sufficiencyMet = sufficiencyMs <= sufficiencyGoalS * 1000;
const verdict =
  failures.length > 0
    ? 'fast and naive DISAGREE'
    : rankMet && sufficiencyMet
      ? 'both goals met'
      : `${[rankMet ? '' : 'rank', sufficiencyMet ? '' : 'sufficiency'].filter(Boolean).join(' and ')} goal NOT met`;
console.log(
  `bench:matching — rank p95 ${ms(fastStats.p95)} (goal ≤ ${rankGoalMs} ms, ${rankRatio.toFixed(0)}× naive); sufficiency ${(sufficiencyMs / 1000).toFixed(2)} s (goal ≤ ${sufficiencyGoalS} s, ${sufficiencyRatio.toFixed(0)}× naive, extrapolated) — ${verdict}`,
);
if (failures.length > 0) process.exit(1);
