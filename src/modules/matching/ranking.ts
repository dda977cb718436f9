// Ranking households for a child, children for a household, and the sufficiency counts (issue 6
// §2, §4). Each has a naive reference that calls the engine in compatibility.ts pair by pair, and
// a fast version that must give exactly the same answer (ranking.test.ts proves it with
// fast-check). The fast versions do the same arithmetic in the same order, but on bitmasks and
// lower-cased sets made once per household, and they build each distinct reason once per child
// rather than once per household: with 20,000 households most sentences repeat.
import { ethnicityCodes, needAreas, type NeedArea } from '../children/child-codes.js';
import {
  contactKinds,
  type ContactKind,
  type MatchingChild,
  type MatchingHousehold,
  type MatchingWeights,
} from './matching-profiles.js';
import {
  districtKeyOf,
  distinctLanguages,
  hardConstraintFailures,
  heritageGroupOf,
  matchWording,
  postcodeAreaOf,
  scoreMatch,
  scoreOf,
  textKey,
  type MatchReason,
  type MatchResult,
} from './compatibility.js';

const bitsOf = (names: readonly string[]) => new Map(names.map((name, i) => [name, 1 << i]));
const needBit = bitsOf(needAreas);
const contactBit = bitsOf(contactKinds);
const ethnicityBit = bitsOf(Object.keys(ethnicityCodes));
const heritageGroupBit = bitsOf(['W', 'M', 'A', 'B', 'O']);

function maskOf(names: readonly string[], bits: ReadonlyMap<string, number>): number {
  let mask = 0;
  for (const name of names) mask |= bits.get(name) ?? 0;
  return mask;
}
const needAreasIn = (mask: number): NeedArea[] => needAreas.filter((_, i) => (mask >> i) & 1);
const contactKindsIn = (mask: number): ContactKind[] => contactKinds.filter((_, i) => (mask >> i) & 1);
function bitCount(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count += 1;
  return count;
}

/** What the engine reads of a household, worked out once however many children it is ranked for. */
export interface PreparedHousehold {
  readonly household: MatchingHousehold;
  readonly id: string;
  readonly ageFrom: number | null;
  readonly ageTo: number | null;
  readonly maxChildren: number | null;
  readonly siblingGroups: boolean;
  /** Need areas it can meet and has not also said it cannot (cannot wins, as in the engine). */
  readonly canMask: number;
  readonly cannotMask: number;
  readonly districtKey: string;
  readonly areaKey: string;
  readonly ethnicityMask: number;
  readonly heritageGroupMask: number;
  readonly religionKeys: ReadonlySet<string>;
  readonly languageKeys: ReadonlySet<string>;
  readonly earlyPermanence: boolean;
  readonly contactMask: number;
  readonly excludedBy: ReadonlySet<string> | null;
}

function prepareHousehold(household: MatchingHousehold): PreparedHousehold {
  const cannotMask = maskOf(household.needsCannotMeet, needBit);
  let heritageGroupMask = 0;
  for (const code of household.ethnicities)
    heritageGroupMask |= heritageGroupBit.get(heritageGroupOf(code)) ?? 0;
  return {
    household,
    id: household.id,
    ageFrom: household.ageFrom,
    ageTo: household.ageTo,
    maxChildren: household.maxChildren,
    siblingGroups: household.siblingGroups,
    canMask: maskOf(household.needsCanMeet, needBit) & ~cannotMask,
    cannotMask,
    districtKey: districtKeyOf(household.postcodeDistrict),
    areaKey: postcodeAreaOf(household.postcodeDistrict),
    ethnicityMask: maskOf(household.ethnicities, ethnicityBit),
    heritageGroupMask,
    religionKeys: new Set(household.religions.map(textKey)),
    languageKeys: new Set(household.languages.map(textKey)),
    earlyPermanence: household.earlyPermanence,
    contactMask: maskOf(household.contactSupported, contactBit),
    excludedBy: household.excludedByCouncilIds.length > 0 ? new Set(household.excludedByCouncilIds) : null,
  };
}

const byId = (a: PreparedHousehold, b: PreparedHousehold) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Households prepared once and sorted by id (a stable sort), which lets rankHouseholds skip sorting. */
export function prepareHouseholds(households: readonly MatchingHousehold[]): PreparedHousehold[] {
  return households.map(prepareHousehold).sort(byId);
}

interface Weighed {
  kind: MatchReason['kind'];
  text: string;
  fraction: number;
}
const weighed = (reason: MatchReason, fraction: number): Weighed => ({ ...reason, fraction });

const enum Separation {
  None,
  District,
  Area,
  Unrecorded,
}

function separationOf(child: MatchingChild): { rule: Separation; key: string } {
  const rule = child.considerations.separation;
  if (rule === 'none') return { rule: Separation.None, key: '' };
  const birth =
    child.birthFamilyPostcodeDistrict === null ? '' : districtKeyOf(child.birthFamilyPostcodeDistrict);
  if (rule === 'outside_district') {
    return birth === ''
      ? { rule: Separation.Unrecorded, key: '' }
      : { rule: Separation.District, key: birth };
  }
  const area = postcodeAreaOf(birth);
  return area === '' ? { rule: Separation.Unrecorded, key: '' } : { rule: Separation.Area, key: area };
}

/** Reasons already worded for this child, by the bitmask of what the household offers. */
interface Caches {
  needs: (Weighed | undefined)[];
  cannotMeet: (string | undefined)[];
  languages: Map<number, Weighed>;
  contact: (Weighed | undefined)[];
  tooManyChildren: Map<number, string>;
}

/** Everything about the child the engine needs, worked out once per ranking. */
interface ChildContext {
  child: MatchingChild;
  age: number;
  size: number;
  council: string;
  needMask: number;
  uncertainMask: number;
  needCount: number;
  separation: Separation;
  separationKey: string;
  separationText: string;
  // Each weight is 0 when its consideration does not apply to the child.
  wNeeds: number;
  wHeritage: number;
  wReligion: number;
  wLanguage: number;
  wEarlyPermanence: number;
  wContact: number;
  ethnicityBit: number;
  heritageGroupBit: number;
  heritage: { unrecorded: Weighed; shared: Weighed; group: Weighed; none: Weighed };
  religionKey: string;
  religion: [Weighed, Weighed];
  languages: { key: string; label: string }[];
  earlyPermanence: [Weighed, Weighed];
  contactMask: number;
  contactCount: number;
  caches: Caches | null;
}

const weightIf = (applies: boolean, weight: number) => (applies && weight > 0 ? weight : 0);

function childContext(child: MatchingChild, weights: MatchingWeights, cached: boolean): ChildContext {
  const asked = child.considerations;
  let uncertainMask = 0;
  for (const need of child.needs) if (need.uncertain) uncertainMask |= needBit.get(need.area) ?? 0;
  const needMask = maskOf(
    child.needs.map((need) => need.area),
    needBit,
  );
  const group = heritageGroupOf(child.ethnicity);
  const religion = child.religion?.trim() ?? '';
  const languages = distinctLanguages(child.languages);
  const contactMask = maskOf(asked.contactRequired, contactBit);
  const separation = separationOf(child);
  return {
    child,
    age: child.ageYears,
    size: child.siblingGroupSize,
    council: child.responsibleCouncilId,
    needMask,
    uncertainMask,
    needCount: bitCount(needMask),
    separation: separation.rule,
    separationKey: separation.key,
    separationText:
      separation.rule === Separation.District
        ? matchWording.inBirthFamilyDistrict
        : separation.rule === Separation.Area
          ? matchWording.inBirthFamilyArea(separation.key)
          : matchWording.birthFamilyAreaUnrecorded,
    wNeeds: weightIf(needMask !== 0, weights.needs),
    wHeritage: weightIf(asked.heritage, weights.heritage),
    wReligion: weightIf(asked.religion && religion !== '', weights.religion),
    wLanguage: weightIf(asked.language && languages.length > 0, weights.language),
    wEarlyPermanence: weightIf(child.earlyPermanence, weights.earlyPermanence),
    wContact: weightIf(contactMask !== 0, weights.contact),
    ethnicityBit: ethnicityBit.get(child.ethnicity) ?? 0,
    heritageGroupBit: heritageGroupBit.get(group) ?? 0,
    heritage: {
      unrecorded: weighed(matchWording.heritageUnrecorded, 0),
      shared: weighed(matchWording.heritageShared(child.ethnicity), 1),
      group: weighed(matchWording.heritageGroupShared(group), 0.5),
      none: weighed(matchWording.heritageNotShared, 0),
    },
    religionKey: textKey(religion),
    religion: [
      weighed(matchWording.religion(false, religion), 0),
      weighed(matchWording.religion(true, religion), 1),
    ],
    languages,
    earlyPermanence: [
      weighed(matchWording.earlyPermanence(false), 0),
      weighed(matchWording.earlyPermanence(true), 1),
    ],
    contactMask,
    contactCount: bitCount(contactMask),
    caches: cached
      ? {
          needs: new Array<Weighed | undefined>(1 << (2 * needAreas.length)),
          cannotMeet: new Array<string | undefined>(1 << needAreas.length),
          languages: new Map(),
          contact: new Array<Weighed | undefined>(1 << contactKinds.length),
          tooManyChildren: new Map(),
        }
      : null,
  };
}

function needsReason(ctx: ChildContext, met: number, cannot: number): Weighed {
  const key = met | (cannot << needAreas.length);
  const hit = ctx.caches?.needs[key];
  if (hit) return hit;
  const reason = weighed(
    matchWording.needs(
      ctx.needCount,
      needAreasIn(met),
      needAreasIn(cannot),
      needAreasIn(ctx.needMask & ~met & ~cannot),
      needAreasIn(ctx.uncertainMask),
    ),
    bitCount(met) / ctx.needCount,
  );
  if (ctx.caches) ctx.caches.needs[key] = reason;
  return reason;
}

function cannotMeetText(ctx: ChildContext, cannot: number): string {
  const hit = ctx.caches?.cannotMeet[cannot];
  if (hit !== undefined) return hit;
  const text = matchWording.cannotMeet(needAreasIn(cannot));
  if (ctx.caches) ctx.caches.cannotMeet[cannot] = text;
  return text;
}

function tooManyChildrenText(ctx: ChildContext, max: number): string {
  const hit = ctx.caches?.tooManyChildren.get(max);
  if (hit !== undefined) return hit;
  const text = matchWording.tooManyChildren(ctx.size, max);
  ctx.caches?.tooManyChildren.set(max, text);
  return text;
}

function languageReason(ctx: ChildContext, household: PreparedHousehold): Weighed {
  const { languages } = ctx;
  // Bitmask keys only while they fit comfortably; a child with more languages is worded directly.
  const maskable = languages.length <= 20;
  let mask = 0;
  if (maskable) {
    for (let i = 0; i < languages.length; i += 1) {
      if (household.languageKeys.has(languages[i]!.key)) mask |= 1 << i;
    }
    const hit = ctx.caches?.languages.get(mask);
    if (hit) return hit;
  }
  const spoken = languages.filter((l) => household.languageKeys.has(l.key));
  const missing = languages.filter((l) => !household.languageKeys.has(l.key));
  const reason = weighed(
    matchWording.language(
      spoken.map((l) => l.label),
      missing.map((l) => l.label),
    ),
    spoken.length / languages.length,
  );
  if (maskable) ctx.caches?.languages.set(mask, reason);
  return reason;
}

function contactReason(ctx: ChildContext, supported: number): Weighed {
  const hit = ctx.caches?.contact[supported];
  if (hit) return hit;
  const reason = weighed(
    matchWording.contact(ctx.contactCount, contactKindsIn(ctx.contactMask & ~supported)),
    bitCount(supported) / ctx.contactCount,
  );
  if (ctx.caches) ctx.caches.contact[supported] = reason;
  return reason;
}

/** scoreMatch on prepared data: same checks, same order, same arithmetic. */
function evaluate(ctx: ChildContext, p: PreparedHousehold): MatchResult {
  const blockers: string[] = [];
  const { age, size } = ctx;
  if ((p.ageFrom !== null && age < p.ageFrom) || (p.ageTo !== null && age > p.ageTo)) {
    blockers.push(matchWording.age(age, p.ageFrom, p.ageTo));
  }
  if (p.maxChildren !== null && size > p.maxChildren) blockers.push(tooManyChildrenText(ctx, p.maxChildren));
  if (size > 1 && !p.siblingGroups) blockers.push(matchWording.noSiblingGroups(size));
  const cannot = ctx.needMask & p.cannotMask;
  if (cannot !== 0) blockers.push(cannotMeetText(ctx, cannot));
  if (
    ctx.separation === Separation.Unrecorded ||
    (ctx.separation === Separation.District && p.districtKey === ctx.separationKey) ||
    (ctx.separation === Separation.Area && p.areaKey === ctx.separationKey)
  ) {
    blockers.push(ctx.separationText);
  }
  if (p.excludedBy !== null && p.excludedBy.has(ctx.council)) blockers.push(matchWording.excludedByCouncil);

  const reasons: MatchReason[] = [];
  let weighted = 0;
  let totalWeight = 0;
  const add = (weight: number, reason: Weighed) => {
    weighted += weight * reason.fraction;
    totalWeight += weight;
    reasons.push({ kind: reason.kind, text: reason.text });
  };
  if (ctx.wNeeds > 0) add(ctx.wNeeds, needsReason(ctx, ctx.needMask & p.canMask, cannot));
  if (ctx.wHeritage > 0) {
    const h = ctx.heritage;
    add(
      ctx.wHeritage,
      ctx.heritageGroupBit === 0
        ? h.unrecorded
        : (p.ethnicityMask & ctx.ethnicityBit) !== 0
          ? h.shared
          : (p.heritageGroupMask & ctx.heritageGroupBit) !== 0
            ? h.group
            : h.none,
    );
  }
  if (ctx.wReligion > 0) add(ctx.wReligion, ctx.religion[p.religionKeys.has(ctx.religionKey) ? 1 : 0]);
  if (ctx.wLanguage > 0) add(ctx.wLanguage, languageReason(ctx, p));
  if (ctx.wEarlyPermanence > 0) add(ctx.wEarlyPermanence, ctx.earlyPermanence[p.earlyPermanence ? 1 : 0]);
  if (ctx.wContact > 0) add(ctx.wContact, contactReason(ctx, ctx.contactMask & p.contactMask));

  const compatible = blockers.length === 0;
  return {
    childId: ctx.child.id,
    householdId: p.id,
    compatible,
    score: compatible ? scoreOf(weighted, totalWeight) : 0,
    blockers,
    reasons,
    summary: matchWording.summary(blockers, reasons),
  };
}

const byIdString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byFit = (a: MatchResult, b: MatchResult) =>
  Number(b.compatible) - Number(a.compatible) || b.score - a.score;
const householdOrder = (a: MatchResult, b: MatchResult) =>
  byFit(a, b) || byIdString(a.householdId, b.householdId);
const childOrder = (a: MatchResult, b: MatchResult) => byFit(a, b) || byIdString(a.childId, b.childId);

/** Naive: scoreMatch for every household, then sort. */
export function rankHouseholdsNaive(
  child: MatchingChild,
  households: readonly MatchingHousehold[],
  weights: MatchingWeights,
): MatchResult[] {
  return households.map((household) => scoreMatch(child, household, weights)).sort(householdOrder);
}

/** Fast: same output, exactly. */
export function rankHouseholds(
  child: MatchingChild,
  prepared: readonly PreparedHousehold[],
  weights: MatchingWeights,
): MatchResult[] {
  const ctx = childContext(child, weights, true);
  // A bucket per place in the order (incompatible, then compatible scoring 0 … 100). Households
  // arrive sorted by id from prepareHouseholds, so each bucket fills already in order and the
  // whole ranking is one pass; a bucket that is not (the caller reordered) is sorted by id.
  const buckets: MatchResult[][] = Array.from({ length: 102 }, () => []);
  const unsorted = new Uint8Array(102);
  const results: MatchResult[] = [];
  let bucketable = true;
  for (const p of prepared) {
    const result = evaluate(ctx, p);
    results.push(result);
    const place = result.compatible ? result.score + 1 : 0;
    const bucket = buckets[place];
    if (bucket === undefined || !Number.isInteger(place)) {
      bucketable = false;
      continue;
    }
    const last = bucket[bucket.length - 1];
    if (last !== undefined && last.householdId > result.householdId) unsorted[place] = 1;
    bucket.push(result);
  }
  if (!bucketable) return results.sort(householdOrder);
  const ranked: MatchResult[] = [];
  for (let place = 101; place >= 0; place -= 1) {
    const bucket = buckets[place]!;
    if (unsorted[place] === 1) bucket.sort((a, b) => byIdString(a.householdId, b.householdId));
    for (const result of bucket) ranked.push(result);
  }
  return ranked;
}

export function rankChildrenNaive(
  household: MatchingHousehold,
  children: readonly MatchingChild[],
  weights: MatchingWeights,
): MatchResult[] {
  return children.map((child) => scoreMatch(child, household, weights)).sort(childOrder);
}

export function rankChildren(
  household: MatchingHousehold,
  children: readonly MatchingChild[],
  weights: MatchingWeights,
): MatchResult[] {
  const prepared = prepareHousehold(household);
  return children.map((child) => evaluate(childContext(child, weights, false), prepared)).sort(childOrder);
}

/** For each child, how many households pass every hard constraint. */
export function compatibleCountsNaive(
  children: readonly MatchingChild[],
  households: readonly MatchingHousehold[],
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const child of children) {
    let count = 0;
    for (const household of households) {
      if (hardConstraintFailures(child, household).length === 0) count += 1;
    }
    counts.set(child.id, count);
  }
  return counts;
}

/** The part of a household the child-independent hard constraints read. */
interface Signature {
  ageFrom: number | null;
  ageTo: number | null;
  maxChildren: number | null;
  siblingGroups: boolean;
  cannotMask: number;
}

/** hardConstraintFailures' age, number-of-children and needs checks, written the same way. */
const fits = (age: number, size: number, needMask: number, s: Signature): boolean =>
  !(
    (s.ageFrom !== null && age < s.ageFrom) ||
    (s.ageTo !== null && age > s.ageTo) ||
    (s.maxChildren !== null && size > s.maxChildren) ||
    (size > 1 && !s.siblingGroups) ||
    (needMask & s.cannotMask) !== 0
  );

/** Signature → number of households, as parallel arrays for a quick loop. */
interface Tally {
  signatures: number[];
  counts: number[];
}

function tallies(perKey: Map<string, Map<number, number>>): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const [key, bySignature] of perKey) {
    out.set(key, { signatures: [...bySignature.keys()], counts: [...bySignature.values()] });
  }
  return out;
}

function bump(perKey: Map<string, Map<number, number>>, key: string, signature: number) {
  let bySignature = perKey.get(key);
  if (!bySignature) perKey.set(key, (bySignature = new Map()));
  bySignature.set(signature, (bySignature.get(signature) ?? 0) + 1);
}

/**
 * Fast: households grouped by signature (counted once), and by signature within each postcode
 * district and area for the separation rule; children grouped by (age, number, needs). A child's
 * count is the households of every signature that fits its group, less those in the district or
 * area it must be outside, less those excluded by its council that were still counted.
 */
export function compatibleCounts(
  children: readonly MatchingChild[],
  households: readonly MatchingHousehold[],
): Map<string, number> {
  const signatureIndex = new Map<string, number>();
  const signatures: Signature[] = [];
  const signatureCounts: number[] = [];
  const byDistrictKeyed = new Map<string, Map<number, number>>();
  const byAreaKeyed = new Map<string, Map<number, number>>();
  const excludedFor = new Map<string, { signature: number; district: string; area: string }[]>();
  for (const household of households) {
    const cannotMask = maskOf(household.needsCannotMeet, needBit);
    const key = `${household.ageFrom}|${household.ageTo}|${household.maxChildren}|${household.siblingGroups}|${cannotMask}`;
    let signature = signatureIndex.get(key);
    if (signature === undefined) {
      signature = signatures.length;
      signatureIndex.set(key, signature);
      signatures.push({
        ageFrom: household.ageFrom,
        ageTo: household.ageTo,
        maxChildren: household.maxChildren,
        siblingGroups: household.siblingGroups,
        cannotMask,
      });
      signatureCounts.push(0);
    }
    signatureCounts[signature]! += 1;
    const district = districtKeyOf(household.postcodeDistrict);
    const area = postcodeAreaOf(household.postcodeDistrict);
    bump(byDistrictKeyed, district, signature);
    bump(byAreaKeyed, area, signature);
    // A household excluded twice by the same council is still one household.
    for (const council of new Set(household.excludedByCouncilIds)) {
      let list = excludedFor.get(council);
      if (!list) excludedFor.set(council, (list = []));
      list.push({ signature, district, area });
    }
  }
  const byDistrict = tallies(byDistrictKeyed);
  const byArea = tallies(byAreaKeyed);

  const groupIndex = new Map<string, number>();
  const groups: { fitting: Uint8Array; total: number }[] = [];
  const forbiddenMemo = new Map<string, number>();
  const countMemo = new Map<string, number>();
  const counts = new Map<string, number>();

  for (const child of children) {
    const { rule, key: separationKey } = separationOf(child);
    if (rule === Separation.Unrecorded) {
      counts.set(child.id, 0);
      continue;
    }
    const needMask = maskOf(
      child.needs.map((need) => need.area),
      needBit,
    );
    const { ageYears: age, siblingGroupSize: size } = child;
    const groupKey = `${age}|${size}|${needMask}`;
    let g = groupIndex.get(groupKey);
    if (g === undefined) {
      g = groups.length;
      groupIndex.set(groupKey, g);
      const fitting = new Uint8Array(signatures.length);
      let total = 0;
      for (let s = 0; s < signatures.length; s += 1) {
        if (fits(age, size, needMask, signatures[s]!)) {
          fitting[s] = 1;
          total += signatureCounts[s]!;
        }
      }
      groups.push({ fitting, total });
    }
    const group = groups[g]!;
    const excluded = excludedFor.get(child.responsibleCouncilId);
    const memoKey = `${g}|${rule}|${separationKey}|${excluded ? child.responsibleCouncilId : ''}`;
    let count = countMemo.get(memoKey);
    if (count === undefined) {
      count = group.total;
      if (rule !== Separation.None) {
        const forbiddenKey = `${g}|${rule}|${separationKey}`;
        let forbidden = forbiddenMemo.get(forbiddenKey);
        if (forbidden === undefined) {
          forbidden = 0;
          const tally = (rule === Separation.District ? byDistrict : byArea).get(separationKey);
          if (tally) {
            for (let i = 0; i < tally.signatures.length; i += 1) {
              if (group.fitting[tally.signatures[i]!] === 1) forbidden += tally.counts[i]!;
            }
          }
          forbiddenMemo.set(forbiddenKey, forbidden);
        }
        count -= forbidden;
      }
      // Excluded households not already taken off for being too close: never subtract one twice.
      for (const e of excluded ?? []) {
        if (group.fitting[e.signature] !== 1) continue;
        if (rule === Separation.District && e.district === separationKey) continue;
        if (rule === Separation.Area && e.area === separationKey) continue;
        count -= 1;
      }
      countMemo.set(memoKey, count);
    }
    counts.set(child.id, count);
  }
  return counts;
}
