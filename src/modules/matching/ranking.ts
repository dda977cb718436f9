// Ranking households for a child, children for a household, and the sufficiency counts (issue 6
// §2, §4). Each has a naive reference that calls the engine in compatibility.ts pair by pair, and
// a fast version that must give exactly the same answer (ranking.test.ts proves it with
// fast-check). The fast versions make the same checks and the same additions in the same order,
// but on bitmasks and normalised keys made once per household; ranking households also words
// each distinct blocker, reason and summary once per child rather than once per household, since
// across 20,000 households most sentences repeat.
//
// Kindred runs through tsx, which keeps function names by wrapping each named closure as it is
// made: so the hot loops here make none, and use arrays indexed by bitmask rather than maps.
import { ethnicityCodes, needAreas, type EthnicityCode, type NeedArea } from '../children/child-codes.js';
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

/** Name → bit, with no prototype, so that a stray name such as 'constructor' finds nothing. */
type Bits = Readonly<Record<string, number | undefined>>;
const bitTable = (entries: [string, number][]): Bits =>
  Object.assign(Object.create(null) as Record<string, number>, Object.fromEntries(entries));
const bitsOf = (names: readonly string[]): Bits => bitTable(names.map((name, i) => [name, 1 << i]));
const needBit = bitsOf(needAreas);
const needAreaCount = needAreas.length;
const contactBit = bitsOf(contactKinds);
const ethnicityBit = bitsOf(Object.keys(ethnicityCodes));
const heritageGroupBit = bitsOf(['W', 'M', 'A', 'B', 'O']);
const heritageGroupBitOfCode = bitTable(
  Object.keys(ethnicityCodes).map((code) => [
    code,
    heritageGroupBit[heritageGroupOf(code as EthnicityCode)] ?? 0,
  ]),
);

function maskOf(names: readonly string[], bits: Bits): number {
  let mask = 0;
  for (const name of names) mask |= bits[name] ?? 0;
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
  /** The age bounds as one small index when both are null or whole numbers 0–30; otherwise -1. */
  readonly ageKey: number;
  readonly maxChildren: number | null;
  readonly siblingGroups: boolean;
  /** Need areas it can meet and has not also said it cannot (cannot wins, as in the engine). */
  readonly canMask: number;
  readonly cannotMask: number;
  readonly districtKey: string;
  readonly areaKey: string;
  readonly ethnicityMask: number;
  readonly heritageGroupMask: number;
  // Arrays, not sets: a household has one to three of each, and includes() beats a hash there.
  readonly religionKeys: readonly string[];
  readonly languageKeys: readonly string[];
  readonly earlyPermanence: boolean;
  readonly contactMask: number;
  readonly excludedBy: readonly string[];
}

const smallBound = (bound: number | null) =>
  bound === null ? 0 : Number.isInteger(bound) && bound >= 0 && bound <= 30 ? bound + 1 : -1;
function ageKeyOf(from: number | null, to: number | null): number {
  const f = smallBound(from);
  const t = smallBound(to);
  return f < 0 || t < 0 ? -1 : f * 32 + t;
}

const noKeys: readonly string[] = Object.freeze([]);

/** Each value once, after `key`; most households have none or one, so those make no set. */
function distinct(values: readonly string[], key: (value: string) => string): readonly string[] {
  if (values.length === 0) return noKeys;
  const out: string[] = [];
  for (const value of values) {
    const k = key(value);
    if (!out.includes(k)) out.push(k);
  }
  return out;
}
const asIs = (value: string) => value;

/** A pool has a few dozen postcode districts, so each is normalised once per preparation. */
type Places = Map<string, { districtKey: string; areaKey: string }>;

function prepareHousehold(household: MatchingHousehold, places: Places): PreparedHousehold {
  const cannotMask = maskOf(household.needsCannotMeet, needBit);
  let place = places.get(household.postcodeDistrict);
  if (place === undefined) {
    place = {
      districtKey: districtKeyOf(household.postcodeDistrict),
      areaKey: postcodeAreaOf(household.postcodeDistrict),
    };
    places.set(household.postcodeDistrict, place);
  }
  return {
    household,
    id: household.id,
    ageFrom: household.ageFrom,
    ageTo: household.ageTo,
    ageKey: ageKeyOf(household.ageFrom, household.ageTo),
    maxChildren: household.maxChildren,
    siblingGroups: household.siblingGroups,
    canMask: maskOf(household.needsCanMeet, needBit) & ~cannotMask,
    cannotMask,
    districtKey: place.districtKey,
    areaKey: place.areaKey,
    ethnicityMask: maskOf(household.ethnicities, ethnicityBit),
    heritageGroupMask: maskOf(household.ethnicities, heritageGroupBitOfCode),
    religionKeys: distinct(household.religions, textKey),
    languageKeys: distinct(household.languages, textKey),
    earlyPermanence: household.earlyPermanence,
    contactMask: maskOf(household.contactSupported, contactBit),
    excludedBy: distinct(household.excludedByCouncilIds, asIs),
  };
}

const byId = (a: PreparedHousehold, b: PreparedHousehold) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Lists made by prepareHouseholds: frozen, so still in id order when they come back to be ranked. */
const inIdOrder = new WeakSet<readonly PreparedHousehold[]>();

/**
 * Households prepared once, sorted by id (a stable sort) and frozen, which lets rankHouseholds
 * skip sorting. Copy the list to filter or reorder it; it still ranks the same, only less quickly.
 */
export function prepareHouseholds(households: readonly MatchingHousehold[]): PreparedHousehold[] {
  const places: Places = new Map();
  const prepared = Object.freeze(
    households.map((household) => prepareHousehold(household, places)).sort(byId),
  );
  inIdOrder.add(prepared);
  return prepared as PreparedHousehold[];
}

/**
 * A step towards an outcome: a blocker, or a reason with what it adds to the score (its
 * consideration's weight and the fraction met). Each is made once per ranking and numbered, so
 * the outcome tree below can be walked by array index.
 */
interface Step {
  id: number;
  blocker: string | null;
  reason: MatchReason | null;
  weight: number;
  fraction: number;
}

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

/**
 * One outcome for the child: the blockers and reasons so far, with the score and summary they
 * make. Outcomes form a tree, each the one before plus a step: most households of a pool reach
 * one of a few hundred outcomes, so each is built once per ranking and its frozen arrays are
 * shared by every result that reaches it.
 */
interface Outcome {
  blockers: readonly string[];
  reasons: readonly MatchReason[];
  weighted: number;
  totalWeight: number;
  compatible: boolean;
  score: number;
  /** Worded when a result first reaches it (most outcomes are only on the way to another). */
  summary: string | null;
  /** Where it sorts: 0 for incompatible, score + 1 for compatible; -1 for a score that is not 0–100. */
  place: number;
  next: (Outcome | undefined)[] | null;
}

function outcome(
  blockers: readonly string[],
  reasons: readonly MatchReason[],
  weighted: number,
  totalWeight: number,
): Outcome {
  const compatible = blockers.length === 0;
  const score = compatible ? scoreOf(weighted, totalWeight) : 0;
  return {
    blockers: Object.freeze(blockers),
    reasons: Object.freeze(reasons),
    weighted,
    totalWeight,
    compatible,
    score,
    summary: null,
    place: !compatible ? 0 : Number.isInteger(score) && score >= 0 && score <= 100 ? score + 1 : -1,
    next: null,
  };
}

function step(from: Outcome, by: Step): Outcome {
  const next = (from.next ??= []);
  let to = next[by.id];
  if (to !== undefined) return to;
  // The same additions, in the same order, as scoreMatch's loop: the floating point agrees exactly.
  to =
    by.reason === null
      ? outcome([...from.blockers, by.blocker ?? ''], from.reasons, from.weighted, from.totalWeight)
      : outcome(
          from.blockers,
          [...from.reasons, by.reason],
          from.weighted + by.weight * by.fraction,
          from.totalWeight + by.weight,
        );
  next[by.id] = to;
  return to;
}

/** The steps that do not depend on what the household offers beyond a yes or no. */
const enum Fixed {
  Separation,
  NoSiblingGroups,
  Excluded,
  HeritageUnrecorded,
  HeritageShared,
  HeritageGroup,
  HeritageNone,
  ReligionNotShared,
  ReligionShared,
  NotEarlyPermanence,
  EarlyPermanence,
}

/** Everything about the child the engine needs, worked out once per ranking, and what it has worded. */
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
  // Each weight is 0 when its consideration does not apply to the child.
  wNeeds: number;
  wHeritage: number;
  wReligion: number;
  wLanguage: number;
  wEarlyPermanence: number;
  wContact: number;
  ethnicityBit: number;
  heritageGroup: string;
  heritageGroupBit: number;
  religion: string;
  religionKey: string;
  languages: { key: string; label: string }[];
  contactMask: number;
  contactCount: number;
  root: Outcome;
  steps: number;
  // Worded when first needed, by the bitmask (or bounds) of what the household offers.
  fixed: (Step | undefined)[];
  ageBlockers: (Step | undefined)[];
  otherBlockers: Map<string, Step>;
  tooManyChildrenBlockers: (Step | undefined)[];
  cannotMeetBlockers: (Step | undefined)[];
  needsReasons: (Step | undefined)[];
  languageReasons: (Step | undefined)[];
  contactReasons: (Step | undefined)[];
}

const weightIf = (applies: boolean, weight: number) => (applies && weight > 0 ? weight : 0);

function blockerStep(ctx: ChildContext, blocker: string): Step {
  return { id: ctx.steps++, blocker, reason: null, weight: 0, fraction: 0 };
}

function reasonStep(ctx: ChildContext, reason: MatchReason, weight: number, fraction: number): Step {
  const shared = Object.freeze({ kind: reason.kind, text: reason.text });
  return { id: ctx.steps++, blocker: null, reason: shared, weight, fraction };
}

function childContext(child: MatchingChild, weights: MatchingWeights): ChildContext {
  const asked = child.considerations;
  let uncertainMask = 0;
  for (const need of child.needs) if (need.uncertain) uncertainMask |= needBit[need.area] ?? 0;
  const needMask = maskOf(
    child.needs.map((need) => need.area),
    needBit,
  );
  const heritageGroup = heritageGroupOf(child.ethnicity);
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
    wNeeds: weightIf(needMask !== 0, weights.needs),
    wHeritage: weightIf(asked.heritage, weights.heritage),
    wReligion: weightIf(asked.religion && religion !== '', weights.religion),
    wLanguage: weightIf(asked.language && languages.length > 0, weights.language),
    wEarlyPermanence: weightIf(child.earlyPermanence, weights.earlyPermanence),
    wContact: weightIf(contactMask !== 0, weights.contact),
    ethnicityBit: ethnicityBit[child.ethnicity] ?? 0,
    heritageGroup,
    heritageGroupBit: heritageGroupBit[heritageGroup] ?? 0,
    religion,
    religionKey: textKey(religion),
    languages,
    contactMask,
    contactCount: bitCount(contactMask),
    root: outcome([], [], 0, 0),
    steps: 0,
    fixed: [],
    ageBlockers: [],
    otherBlockers: new Map(),
    tooManyChildrenBlockers: [],
    cannotMeetBlockers: [],
    needsReasons: [],
    languageReasons: [],
    contactReasons: [],
  };
}

function fixedStep(ctx: ChildContext, which: Fixed): Step {
  return (ctx.fixed[which] ??= newFixedStep(ctx, which));
}

function newFixedStep(ctx: ChildContext, which: Fixed): Step {
  switch (which) {
    case Fixed.Separation:
      return blockerStep(
        ctx,
        ctx.separation === Separation.District
          ? matchWording.inBirthFamilyDistrict
          : ctx.separation === Separation.Area
            ? matchWording.inBirthFamilyArea(ctx.separationKey)
            : matchWording.birthFamilyAreaUnrecorded,
      );
    case Fixed.NoSiblingGroups:
      return blockerStep(ctx, matchWording.noSiblingGroups(ctx.size));
    case Fixed.Excluded:
      return blockerStep(ctx, matchWording.excludedByCouncil);
    case Fixed.HeritageUnrecorded:
      return reasonStep(ctx, matchWording.heritageUnrecorded, ctx.wHeritage, 0);
    case Fixed.HeritageShared:
      return reasonStep(ctx, matchWording.heritageShared(ctx.child.ethnicity), ctx.wHeritage, 1);
    case Fixed.HeritageGroup:
      return reasonStep(ctx, matchWording.heritageGroupShared(ctx.heritageGroup), ctx.wHeritage, 0.5);
    case Fixed.HeritageNone:
      return reasonStep(ctx, matchWording.heritageNotShared, ctx.wHeritage, 0);
    case Fixed.ReligionNotShared:
      return reasonStep(ctx, matchWording.religion(false, ctx.religion), ctx.wReligion, 0);
    case Fixed.ReligionShared:
      return reasonStep(ctx, matchWording.religion(true, ctx.religion), ctx.wReligion, 1);
    case Fixed.NotEarlyPermanence:
      return reasonStep(ctx, matchWording.earlyPermanence(false), ctx.wEarlyPermanence, 0);
    case Fixed.EarlyPermanence:
      return reasonStep(ctx, matchWording.earlyPermanence(true), ctx.wEarlyPermanence, 1);
  }
}

function ageBlocker(ctx: ChildContext, p: PreparedHousehold): Step {
  if (p.ageKey >= 0) {
    return (ctx.ageBlockers[p.ageKey] ??= blockerStep(ctx, matchWording.age(ctx.age, p.ageFrom, p.ageTo)));
  }
  const key = `${p.ageFrom}|${p.ageTo}`;
  let blocker = ctx.otherBlockers.get(key);
  if (blocker === undefined) {
    blocker = blockerStep(ctx, matchWording.age(ctx.age, p.ageFrom, p.ageTo));
    ctx.otherBlockers.set(key, blocker);
  }
  return blocker;
}

function tooManyChildrenBlocker(ctx: ChildContext, max: number): Step {
  if (Number.isInteger(max) && max >= 0 && max <= 30) {
    return (ctx.tooManyChildrenBlockers[max] ??= blockerStep(
      ctx,
      matchWording.tooManyChildren(ctx.size, max),
    ));
  }
  const key = `max|${max}`;
  let blocker = ctx.otherBlockers.get(key);
  if (blocker === undefined) {
    blocker = blockerStep(ctx, matchWording.tooManyChildren(ctx.size, max));
    ctx.otherBlockers.set(key, blocker);
  }
  return blocker;
}

function cannotMeetBlocker(ctx: ChildContext, cannot: number): Step {
  return (ctx.cannotMeetBlockers[cannot] ??= blockerStep(ctx, matchWording.cannotMeet(needAreasIn(cannot))));
}

function needsReason(ctx: ChildContext, met: number, cannot: number): Step {
  return (ctx.needsReasons[met | (cannot << needAreaCount)] ??= reasonStep(
    ctx,
    matchWording.needs(
      ctx.needCount,
      needAreasIn(met),
      needAreasIn(cannot),
      needAreasIn(ctx.needMask & ~met & ~cannot),
      needAreasIn(ctx.uncertainMask),
    ),
    ctx.wNeeds,
    bitCount(met) / ctx.needCount,
  ));
}

function languageReason(ctx: ChildContext, household: PreparedHousehold): Step {
  const { languages } = ctx;
  // Keyed by which of the child's languages the household speaks, while that fits a small index.
  if (languages.length > 12) return newLanguageReason(ctx, household);
  let mask = 0;
  for (let i = 0; i < languages.length; i += 1) {
    if (household.languageKeys.includes(languages[i]!.key)) mask |= 1 << i;
  }
  return (ctx.languageReasons[mask] ??= newLanguageReason(ctx, household));
}

function newLanguageReason(ctx: ChildContext, household: PreparedHousehold): Step {
  const { languages } = ctx;
  const spoken = languages.filter((l) => household.languageKeys.includes(l.key));
  const missing = languages.filter((l) => !household.languageKeys.includes(l.key));
  return reasonStep(
    ctx,
    matchWording.language(
      spoken.map((l) => l.label),
      missing.map((l) => l.label),
    ),
    ctx.wLanguage,
    spoken.length / languages.length,
  );
}

function contactReason(ctx: ChildContext, supported: number): Step {
  return (ctx.contactReasons[supported] ??= reasonStep(
    ctx,
    matchWording.contact(ctx.contactCount, contactKindsIn(ctx.contactMask & ~supported)),
    ctx.wContact,
    bitCount(supported) / ctx.contactCount,
  ));
}

/** scoreMatch on prepared data: the same checks, in the same order, with the same arithmetic. */
function outcomeFor(ctx: ChildContext, p: PreparedHousehold): Outcome {
  let o = ctx.root;
  const { age, size } = ctx;
  if ((p.ageFrom !== null && age < p.ageFrom) || (p.ageTo !== null && age > p.ageTo)) {
    o = step(o, ageBlocker(ctx, p));
  }
  if (p.maxChildren !== null && size > p.maxChildren) o = step(o, tooManyChildrenBlocker(ctx, p.maxChildren));
  if (size > 1 && !p.siblingGroups) o = step(o, fixedStep(ctx, Fixed.NoSiblingGroups));
  const cannot = ctx.needMask & p.cannotMask;
  if (cannot !== 0) o = step(o, cannotMeetBlocker(ctx, cannot));
  if (
    ctx.separation === Separation.Unrecorded ||
    (ctx.separation === Separation.District && p.districtKey === ctx.separationKey) ||
    (ctx.separation === Separation.Area && p.areaKey === ctx.separationKey)
  ) {
    o = step(o, fixedStep(ctx, Fixed.Separation));
  }
  if (p.excludedBy.length > 0 && p.excludedBy.includes(ctx.council))
    o = step(o, fixedStep(ctx, Fixed.Excluded));

  if (ctx.wNeeds > 0) o = step(o, needsReason(ctx, ctx.needMask & p.canMask, cannot));
  if (ctx.wHeritage > 0) {
    const heritage =
      ctx.heritageGroupBit === 0
        ? Fixed.HeritageUnrecorded
        : (p.ethnicityMask & ctx.ethnicityBit) !== 0
          ? Fixed.HeritageShared
          : (p.heritageGroupMask & ctx.heritageGroupBit) !== 0
            ? Fixed.HeritageGroup
            : Fixed.HeritageNone;
    o = step(o, fixedStep(ctx, heritage));
  }
  if (ctx.wReligion > 0) {
    const shared = p.religionKeys.includes(ctx.religionKey);
    o = step(o, fixedStep(ctx, shared ? Fixed.ReligionShared : Fixed.ReligionNotShared));
  }
  if (ctx.wLanguage > 0) o = step(o, languageReason(ctx, p));
  if (ctx.wEarlyPermanence > 0) {
    o = step(o, fixedStep(ctx, p.earlyPermanence ? Fixed.EarlyPermanence : Fixed.NotEarlyPermanence));
  }
  if (ctx.wContact > 0) o = step(o, contactReason(ctx, ctx.contactMask & p.contactMask));
  return o;
}

function resultOf(ctx: ChildContext, p: PreparedHousehold, o: Outcome): MatchResult {
  return {
    childId: ctx.child.id,
    householdId: p.id,
    compatible: o.compatible,
    score: o.score,
    // Shared with every result of the same outcome, and frozen so that no one result can change another.
    blockers: o.blockers as string[],
    reasons: o.reasons as MatchReason[],
    summary: (o.summary ??= matchWording.summary(o.blockers, o.reasons)),
  };
}

/**
 * scoreMatch on a prepared household, for one child at a time (ranking children for a household):
 * nothing to share between children, so it words each result directly rather than via outcomes.
 */
function scorePrepared(child: MatchingChild, p: PreparedHousehold, weights: MatchingWeights): MatchResult {
  const blockers: string[] = [];
  const age = child.ageYears;
  const size = child.siblingGroupSize;
  const asked = child.considerations;
  if ((p.ageFrom !== null && age < p.ageFrom) || (p.ageTo !== null && age > p.ageTo)) {
    blockers.push(matchWording.age(age, p.ageFrom, p.ageTo));
  }
  if (p.maxChildren !== null && size > p.maxChildren)
    blockers.push(matchWording.tooManyChildren(size, p.maxChildren));
  if (size > 1 && !p.siblingGroups) blockers.push(matchWording.noSiblingGroups(size));
  let needMask = 0;
  let uncertainMask = 0;
  for (const need of child.needs) {
    const bit = needBit[need.area] ?? 0;
    needMask |= bit;
    if (need.uncertain) uncertainMask |= bit;
  }
  const cannot = needMask & p.cannotMask;
  if (cannot !== 0) blockers.push(matchWording.cannotMeet(needAreasIn(cannot)));
  const separation = separationOf(child);
  if (separation.rule === Separation.Unrecorded) blockers.push(matchWording.birthFamilyAreaUnrecorded);
  else if (separation.rule === Separation.District && p.districtKey === separation.key) {
    blockers.push(matchWording.inBirthFamilyDistrict);
  } else if (separation.rule === Separation.Area && p.areaKey === separation.key) {
    blockers.push(matchWording.inBirthFamilyArea(separation.key));
  }
  if (p.excludedBy.length > 0 && p.excludedBy.includes(child.responsibleCouncilId)) {
    blockers.push(matchWording.excludedByCouncil);
  }

  // Reasons and their weights and fractions side by side, added up in order at the end as scoreMatch does.
  const reasons: MatchReason[] = [];
  const weightsOf: number[] = [];
  const fractions: number[] = [];
  if (needMask !== 0 && weights.needs > 0) {
    const met = needMask & p.canMask;
    const count = bitCount(needMask);
    reasons.push(
      matchWording.needs(
        count,
        needAreasIn(met),
        needAreasIn(cannot),
        needAreasIn(needMask & ~met & ~cannot),
        needAreasIn(uncertainMask),
      ),
    );
    weightsOf.push(weights.needs);
    fractions.push(bitCount(met) / count);
  }
  if (asked.heritage && weights.heritage > 0) {
    const group = heritageGroupOf(child.ethnicity);
    const groupBit = heritageGroupBit[group] ?? 0;
    let fraction = 0;
    if (groupBit === 0) reasons.push({ ...matchWording.heritageUnrecorded });
    else if ((p.ethnicityMask & (ethnicityBit[child.ethnicity] ?? 0)) !== 0) {
      reasons.push(matchWording.heritageShared(child.ethnicity));
      fraction = 1;
    } else if ((p.heritageGroupMask & groupBit) !== 0) {
      reasons.push(matchWording.heritageGroupShared(group));
      fraction = 0.5;
    } else reasons.push({ ...matchWording.heritageNotShared });
    weightsOf.push(weights.heritage);
    fractions.push(fraction);
  }
  const religion = child.religion?.trim() ?? '';
  if (asked.religion && religion !== '' && weights.religion > 0) {
    const shared = p.religionKeys.includes(textKey(religion));
    reasons.push(matchWording.religion(shared, religion));
    weightsOf.push(weights.religion);
    fractions.push(shared ? 1 : 0);
  }
  if (asked.language && weights.language > 0) {
    const languages = distinctLanguages(child.languages);
    if (languages.length > 0) {
      const spoken: string[] = [];
      const missing: string[] = [];
      for (const language of languages) {
        (p.languageKeys.includes(language.key) ? spoken : missing).push(language.label);
      }
      reasons.push(matchWording.language(spoken, missing));
      weightsOf.push(weights.language);
      fractions.push(spoken.length / languages.length);
    }
  }
  if (child.earlyPermanence && weights.earlyPermanence > 0) {
    reasons.push(matchWording.earlyPermanence(p.earlyPermanence));
    weightsOf.push(weights.earlyPermanence);
    fractions.push(p.earlyPermanence ? 1 : 0);
  }
  const contactMask = maskOf(asked.contactRequired, contactBit);
  if (contactMask !== 0 && weights.contact > 0) {
    const supported = contactMask & p.contactMask;
    const count = bitCount(contactMask);
    reasons.push(matchWording.contact(count, contactKindsIn(contactMask & ~supported)));
    weightsOf.push(weights.contact);
    fractions.push(bitCount(supported) / count);
  }
  let weighted = 0;
  let totalWeight = 0;
  for (let i = 0; i < reasons.length; i += 1) {
    weighted += weightsOf[i]! * fractions[i]!;
    totalWeight += weightsOf[i]!;
  }
  const compatible = blockers.length === 0;
  return {
    childId: child.id,
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

/**
 * Fast: same output, exactly. The results' blockers and reasons arrays (and each reason) are
 * frozen and shared between results with the same outcome: read them, copy them to change them.
 */
export function rankHouseholds(
  child: MatchingChild,
  prepared: readonly PreparedHousehold[],
  weights: MatchingWeights,
): MatchResult[] {
  const ctx = childContext(child, weights);
  const n = prepared.length;
  const outcomes = new Array<Outcome>(n);
  // A counting sort on the place (incompatible, then compatible scoring 0 … 100, best first).
  // Households from prepareHouseholds are in id order, so each place fills in id order; for any
  // other list, a place that did not is sorted by id afterwards.
  const perPlace = new Int32Array(102);
  let ordinary = true;
  for (let i = 0; i < n; i += 1) {
    const o = outcomeFor(ctx, prepared[i]!);
    outcomes[i] = o;
    if (o.place < 0) ordinary = false;
    else perPlace[o.place]! += 1;
  }
  if (!ordinary) return prepared.map((p, i) => resultOf(ctx, p, outcomes[i]!)).sort(householdOrder);
  const next = new Int32Array(102);
  for (let place = 100, at = perPlace[101]!; place >= 0; place -= 1) {
    next[place] = at;
    at += perPlace[place]!;
  }
  const ranked = new Array<MatchResult>(n);
  if (inIdOrder.has(prepared)) {
    for (let i = 0; i < n; i += 1) {
      const o = outcomes[i]!;
      ranked[next[o.place]!++] = resultOf(ctx, prepared[i]!, o);
    }
    return ranked;
  }
  const lastId = new Array<string | undefined>(102);
  const unsorted = new Uint8Array(102);
  for (let i = 0; i < n; i += 1) {
    const p = prepared[i]!;
    const o = outcomes[i]!;
    const last = lastId[o.place];
    if (last !== undefined && last > p.id) unsorted[o.place] = 1;
    lastId[o.place] = p.id;
    ranked[next[o.place]!++] = resultOf(ctx, p, o);
  }
  for (let place = 0; place < 102; place += 1) {
    if (unsorted[place] === 0) continue;
    const end = next[place]!;
    const start = end - perPlace[place]!;
    const sorted = ranked.slice(start, end).sort((a, b) => byIdString(a.householdId, b.householdId));
    for (let i = 0; i < sorted.length; i += 1) ranked[start + i] = sorted[i]!;
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
  const prepared = prepareHousehold(household, new Map());
  return children.map((child) => scorePrepared(child, prepared, weights)).sort(childOrder);
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
