// The compatibility engine (issue 6 §1): whether a household can be considered for a child at all
// (hard constraints) and, if so, how well it fits what the child's plan asks for (weighted
// considerations). It is pure and deterministic, and written to read like the rules: it is the
// reference that the fast paths in ranking.ts are proved against. The wording is shared with
// them through `matchWording`, so a reason reads the same whichever path produced it.
//
// The engine only suggests. The decision to link is the agency's, and the match is the adoption
// panel's and the agency decision maker's (Adoption Agencies Regulations 2005, regs 31–33).
// Heritage, religion and language are weights, never hard constraints: the Children and Families
// Act 2014 s.3 removed the duty to give them due consideration in England, so that a child does
// not wait for a "perfect" match (Adoption: statutory guidance, July 2013).
import {
  ethnicityCodes,
  isEthnicityCode,
  needAreaLabels,
  needAreas,
  type EthnicityCode,
  type NeedArea,
} from '../children/child-codes.js';
import {
  contactKindLabels,
  contactKinds,
  type ContactKind,
  type MatchingChild,
  type MatchingHousehold,
  type MatchingWeights,
  type WeightKey,
} from './matching-profiles.js';

export interface MatchReason {
  kind: 'met' | 'partly' | 'unmet' | 'blocker';
  text: string;
}

export interface MatchResult {
  childId: string;
  householdId: string;
  /** No hard constraint broken. */
  compatible: boolean;
  /** 0–100, a whole number; 0 when not compatible. */
  score: number;
  /** Plain-English hard-constraint failures, in a fixed order. */
  blockers: string[];
  /** One per weighted consideration that applies and has a weight above 0, in weightKeys order. */
  reasons: MatchReason[];
  summary: string;
}

/** Case and surrounding spaces never make two religions or languages different. */
export const textKey = (value: string): string => value.trim().toLowerCase();

/** Postcode districts are compared as written on an envelope: upper case, no surrounding spaces. */
export const districtKeyOf = (district: string): string => district.trim().toUpperCase();

/** The postcode area is the district's leading letters: 'SE15' → 'SE', 'E1' → 'E', 'CR0' → 'CR'. */
export function postcodeAreaOf(district: string): string {
  return /^[A-Z]+/.exec(districtKeyOf(district))?.[0] ?? '';
}

const noHeritageGroup: ReadonlySet<EthnicityCode> = new Set(['REFU', 'NOBT']);

/**
 * The SSDA903 code's broad group: its first letter (W White, M Mixed, A Asian, B Black), with
 * Chinese and any other ethnic group together as 'O'. Refused and not yet obtained are not a
 * heritage, so they have no group ('') and never match one; nor does a code that is not SSDA903's.
 */
export const heritageGroupOf = (code: EthnicityCode): string => {
  if (!isEthnicityCode(code) || noHeritageGroup.has(code)) return '';
  if (code === 'CHNE' || code === 'OOTH') return 'O';
  return code.charAt(0);
};

const heritageGroupWording: Record<string, string> = {
  W: 'shares a White heritage',
  M: 'shares a Mixed heritage',
  A: 'shares an Asian heritage',
  B: 'shares a Black heritage',
  O: 'shares a Chinese or other ethnic heritage',
};

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const needLabel = (area: NeedArea): string => needAreaLabels[area].toLowerCase();
const ageText = (age: number): string => (age === 0 ? 'aged under 1' : `aged ${age}`);
const groupText = (size: number): string => (size === 1 ? 'a single child' : `sibling group of ${size}`);
const childrenText = (count: number): string => (count === 1 ? '1 child' : `${count} children`);
const kindOf = (done: number, total: number): MatchReason['kind'] =>
  done === total ? 'met' : done > 0 ? 'partly' : 'unmet';

/** Every sentence the engine says, in one place, so the reference and the fast paths agree. */
export const matchWording = {
  age(age: number, from: number | null, to: number | null): string {
    if (from !== null && to !== null) {
      const range = from === to ? `age of ${from}` : `${from}–${to}`;
      return `${ageText(age)}, outside the ${range} the household can offer`;
    }
    if (to !== null) return `${ageText(age)}, older than ${to}, the oldest the household can offer`;
    return `${ageText(age)}, younger than ${from ?? 0}, the youngest the household can offer`;
  },
  tooManyChildren: (size: number, max: number): string =>
    `${groupText(size)}, more than the ${childrenText(max)} the household can take`,
  noSiblingGroups: (size: number): string =>
    `${groupText(size)}; the household is not offering to take siblings`,
  cannotMeet: (areas: readonly NeedArea[]): string => `cannot meet: ${listed(areas.map(needLabel))} needs`,
  inBirthFamilyDistrict: "lives in the birth family's postcode district",
  inBirthFamilyArea: (area: string): string => `lives in the birth family's postcode area (${area})`,
  // Safety first: a distance rule that cannot be checked is never treated as passed.
  birthFamilyAreaUnrecorded:
    "the birth family's area is not recorded, so the distance rule cannot be checked",
  excludedByCouncil: "excluded by the child's council",

  needs(
    total: number,
    met: readonly NeedArea[],
    cannot: readonly NeedArea[],
    notStated: readonly NeedArea[],
    uncertain: readonly NeedArea[],
  ): MatchReason {
    let text = `can meet needs in ${met.length} of ${total} area${total === 1 ? '' : 's'}`;
    if (met.length > 0) text += ` (${met.map(needLabel).join(', ')})`;
    if (cannot.length > 0) text += `; cannot meet: ${listed(cannot.map(needLabel))}`;
    if (notStated.length > 0) text += `; not stated: ${listed(notStated.map(needLabel))}`;
    if (uncertain.length > 0) text += `; uncertain: ${listed(uncertain.map(needLabel))}`;
    return { kind: kindOf(met.length, total), text };
  },
  heritageUnrecorded: {
    kind: 'unmet',
    text: "the child's heritage is not recorded, so it cannot be matched",
  } satisfies MatchReason,
  heritageShared: (code: EthnicityCode): MatchReason => ({
    kind: 'met',
    text: `shares the child's heritage (${ethnicityCodes[code]})`,
  }),
  heritageGroupShared: (group: string): MatchReason => ({
    kind: 'partly',
    text: heritageGroupWording[group] ?? 'shares a heritage in the same group',
  }),
  heritageNotShared: { kind: 'unmet', text: "does not share the child's heritage" } satisfies MatchReason,
  religion: (shared: boolean, religion: string): MatchReason =>
    shared
      ? { kind: 'met', text: `shares the child's religion (${religion})` }
      : { kind: 'unmet', text: `does not share the child's religion (${religion})` },
  language(spoken: readonly string[], missing: readonly string[]): MatchReason {
    const total = spoken.length + missing.length;
    const noun = total === 1 ? "the child's language" : "the child's languages";
    let text: string;
    if (missing.length === 0) text = `speaks ${noun} (${listed(spoken)})`;
    else if (spoken.length === 0) text = `does not speak ${noun} (${listed(missing)})`;
    else
      text = `speaks ${spoken.length} of the child's ${total} languages (${listed(spoken)}); not spoken: ${listed(missing)}`;
    return { kind: kindOf(spoken.length, total), text };
  },
  earlyPermanence: (open: boolean): MatchReason =>
    open
      ? { kind: 'met', text: 'open to early permanence' }
      : { kind: 'unmet', text: 'not offering early permanence' },
  contact(required: number, missing: readonly ContactKind[]): MatchReason {
    const supported = required - missing.length;
    const names = listed(missing.map((kind) => contactKindLabels[kind]));
    let text: string;
    if (missing.length === 0) text = "can support the contact the child's plan needs";
    else if (supported === 0) text = `cannot support the contact the child's plan needs: ${names}`;
    else
      text = `can support ${supported} of the ${required} kinds of contact the child's plan needs; cannot support: ${names}`;
    return { kind: kindOf(supported, required), text };
  },
  nothingToWeigh: 'meets every hard constraint; no weighted consideration applies',
  summary(blockers: readonly string[], reasons: readonly MatchReason[]): string {
    if (blockers.length > 0) return blockers.join('; ');
    if (reasons.length === 0) return matchWording.nothingToWeigh;
    return reasons.map((reason) => reason.text).join('; ');
  },
};

/** The child's languages, each once (case-insensitively), blank entries dropped, first spelling kept. */
export function distinctLanguages(languages: readonly string[]): { key: string; label: string }[] {
  const seen = new Set<string>();
  const out: { key: string; label: string }[] = [];
  for (const language of languages) {
    const key = textKey(language);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ key, label: language.trim() });
  }
  return out;
}

const childNeedAreas = (child: MatchingChild): NeedArea[] =>
  needAreas.filter((area) => child.needs.some((need) => need.area === area));

function separationFailure(child: MatchingChild, household: MatchingHousehold): string | null {
  const rule = child.considerations.separation;
  if (rule === 'none') return null;
  const birth =
    child.birthFamilyPostcodeDistrict === null ? '' : districtKeyOf(child.birthFamilyPostcodeDistrict);
  if (rule === 'outside_district') {
    if (birth === '') return matchWording.birthFamilyAreaUnrecorded;
    return districtKeyOf(household.postcodeDistrict) === birth ? matchWording.inBirthFamilyDistrict : null;
  }
  const birthArea = postcodeAreaOf(birth);
  if (birthArea === '') return matchWording.birthFamilyAreaUnrecorded;
  return postcodeAreaOf(household.postcodeDistrict) === birthArea
    ? matchWording.inBirthFamilyArea(birthArea)
    : null;
}

/** Why this household cannot be considered for this child; empty when it can. */
export function hardConstraintFailures(child: MatchingChild, household: MatchingHousehold): string[] {
  const blockers: string[] = [];
  const { ageFrom, ageTo, maxChildren } = household;
  const age = child.ageYears;
  const size = child.siblingGroupSize;
  if ((ageFrom !== null && age < ageFrom) || (ageTo !== null && age > ageTo)) {
    blockers.push(matchWording.age(age, ageFrom, ageTo));
  }
  if (maxChildren !== null && size > maxChildren)
    blockers.push(matchWording.tooManyChildren(size, maxChildren));
  if (size > 1 && !household.siblingGroups) blockers.push(matchWording.noSiblingGroups(size));
  const cannot = childNeedAreas(child).filter((area) => household.needsCannotMeet.includes(area));
  if (cannot.length > 0) blockers.push(matchWording.cannotMeet(cannot));
  const separation = separationFailure(child, household);
  if (separation !== null) blockers.push(separation);
  if (household.excludedByCouncilIds.includes(child.responsibleCouncilId)) {
    blockers.push(matchWording.excludedByCouncil);
  }
  return blockers;
}

interface Considered {
  key: WeightKey;
  fraction: number;
  reason: MatchReason;
}

/** Each weighted consideration that applies to this child, in weightKeys order. */
function weighedConsiderations(child: MatchingChild, household: MatchingHousehold): Considered[] {
  const out: Considered[] = [];
  const asked = child.considerations;

  const areas = childNeedAreas(child);
  if (areas.length > 0) {
    // An area the household both can and cannot meet counts as cannot: the safer reading.
    const cannot = areas.filter((area) => household.needsCannotMeet.includes(area));
    const met = areas.filter((area) => household.needsCanMeet.includes(area) && !cannot.includes(area));
    const notStated = areas.filter((area) => !met.includes(area) && !cannot.includes(area));
    const uncertain = areas.filter((area) =>
      child.needs.some((need) => need.area === area && need.uncertain),
    );
    out.push({
      key: 'needs',
      fraction: met.length / areas.length,
      reason: matchWording.needs(areas.length, met, cannot, notStated, uncertain),
    });
  }

  if (asked.heritage) {
    const group = heritageGroupOf(child.ethnicity);
    if (group === '') {
      out.push({ key: 'heritage', fraction: 0, reason: matchWording.heritageUnrecorded });
    } else if (household.ethnicities.includes(child.ethnicity)) {
      out.push({ key: 'heritage', fraction: 1, reason: matchWording.heritageShared(child.ethnicity) });
    } else if (household.ethnicities.some((code) => heritageGroupOf(code) === group)) {
      out.push({ key: 'heritage', fraction: 0.5, reason: matchWording.heritageGroupShared(group) });
    } else {
      out.push({ key: 'heritage', fraction: 0, reason: matchWording.heritageNotShared });
    }
  }

  const religion = child.religion?.trim() ?? '';
  if (asked.religion && religion !== '') {
    const shared = household.religions.some((r) => textKey(r) === textKey(religion));
    out.push({ key: 'religion', fraction: shared ? 1 : 0, reason: matchWording.religion(shared, religion) });
  }

  const languages = distinctLanguages(child.languages);
  if (asked.language && languages.length > 0) {
    const spoken = languages.filter((l) => household.languages.some((h) => textKey(h) === l.key));
    const missing = languages.filter((l) => !spoken.includes(l));
    out.push({
      key: 'language',
      fraction: spoken.length / languages.length,
      reason: matchWording.language(
        spoken.map((l) => l.label),
        missing.map((l) => l.label),
      ),
    });
  }

  if (child.earlyPermanence) {
    const open = household.earlyPermanence;
    out.push({ key: 'earlyPermanence', fraction: open ? 1 : 0, reason: matchWording.earlyPermanence(open) });
  }

  const required = contactKinds.filter((kind) => asked.contactRequired.includes(kind));
  if (required.length > 0) {
    const supported = required.filter((kind) => household.contactSupported.includes(kind));
    const missing = required.filter((kind) => !supported.includes(kind));
    out.push({
      key: 'contact',
      fraction: supported.length / required.length,
      reason: matchWording.contact(required.length, missing),
    });
  }
  return out;
}

/** The weighted mean of the fractions, as a whole percentage; 100 when nothing is weighed. */
export function scoreOf(weighted: number, totalWeight: number): number {
  return totalWeight === 0 ? 100 : Math.round((100 * weighted) / totalWeight);
}

export function scoreMatch(
  child: MatchingChild,
  household: MatchingHousehold,
  weights: MatchingWeights,
): MatchResult {
  const blockers = hardConstraintFailures(child, household);
  const reasons: MatchReason[] = [];
  let weighted = 0;
  let totalWeight = 0;
  for (const considered of weighedConsiderations(child, household)) {
    const weight = weights[considered.key];
    // A weight of 0 is the RAA saying the consideration does not count, so it is not shown either.
    if (!(weight > 0)) continue;
    weighted += weight * considered.fraction;
    totalWeight += weight;
    reasons.push({ kind: considered.reason.kind, text: considered.reason.text });
  }
  const compatible = blockers.length === 0;
  return {
    childId: child.id,
    householdId: household.id,
    compatible,
    score: compatible ? scoreOf(weighted, totalWeight) : 0,
    blockers,
    reasons,
    summary: matchWording.summary(blockers, reasons),
  };
}
