// The synthetic children generator (issue 4, benchmark): deterministic, coherent journeys that
// the service itself would accept fact by fact, intervals near the national averages, nothing in
// the future, sibling links forming trees within a council, derived columns as the service's.
import { describe, expect, it } from 'vitest';
import { isEthnicityCode } from './child-codes.js';
import { currentStage, refuseImpossibleFact, type MilestoneFact } from './journey.js';
import { siblingGroup } from './siblings.js';
import {
  childRow,
  syntheticDerivedColumns,
  factRows,
  generateSyntheticChildren,
  mulberry32,
  syntheticSource,
} from './synthetic-children.js';

const today = '2026-11-22';
const councils = Array.from({ length: 12 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  code: `synthetic-borough-${String(i + 1).padStart(3, '0')}`,
}));
const familyFinders = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002'];
const generate = (count: number, seed = 7, firstNumber = 1) =>
  generateSyntheticChildren({ count, councils, familyFinders, today, seed, firstNumber });

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
const dateOf = (facts: readonly MilestoneFact[], kind: string) =>
  facts.find((fact) => fact.kind === kind)?.effectiveDate;
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe('synthetic children', () => {
  const children = generate(4000);

  it('mulberry32 is deterministic and spreads over [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(mean(values)).toBeCloseTo(0.5, 1);
  });

  it('is deterministic for a seed and numbering, and different for another', () => {
    expect(generate(200)).toEqual(generate(200));
    expect(generate(200, 8)[0]!.id).not.toBe(generate(200)[0]!.id);
    const later = generate(10, 7, 4001);
    expect(later[0]!.councilChildId).toBe('SY00004001');
    expect(new Set([...children, ...later].map((c) => c.id)).size).toBe(4010);
  });

  it('makes exactly the number asked for, with unique ids and council child ids, all obviously invented', () => {
    expect(children).toHaveLength(4000);
    expect(new Set(children.map((c) => c.id)).size).toBe(4000);
    expect(new Set(children.map((c) => c.councilChildId)).size).toBe(4000);
    for (const child of children) {
      expect(child.councilChildId).toMatch(/^SY\d{8}$/);
      expect(child.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(isEthnicityCode(child.ethnicity)).toBe(true);
      expect(child.councilSocialWorkerEmail).toMatch(/\.invalid$/);
      expect(child.facts.every((fact) => fact.source === syntheticSource)).toBe(true);
    }
  });

  it('every fact passes refuseImpossibleFact when added in date order, and none is in the future', () => {
    for (const child of children) {
      const recorded: MilestoneFact[] = [];
      const dates = child.facts.map((fact) => fact.effectiveDate);
      expect(dates).toEqual([...dates].sort());
      expect(child.facts[0]?.kind).toBe('entered_care');
      for (const fact of child.facts) {
        const refusal = refuseImpossibleFact(recorded, fact, { dateOfBirth: child.dateOfBirth, today });
        expect(refusal, `${child.councilChildId} ${fact.kind} ${fact.effectiveDate}`).toBeNull();
        expect(Date.parse(fact.recordedAt)).toBeLessThanOrEqual(Date.parse(`${today}T23:59:59.999Z`));
        recorded.push(fact);
      }
    }
  });

  it('draws intervals around the national averages (entry→decision 9 months, decision→match 10, match→placed 1, placed→order 9)', () => {
    const interval = (from: string, to: string) =>
      children
        .map((c) => [dateOf(c.facts, from), dateOf(c.facts, to)] as const)
        .filter((pair): pair is readonly [string, string] => !!pair[0] && !!pair[1])
        .map(([a, b]) => days(a, b) / 30.44);
    const entryToDecision = mean(interval('entered_care', 'should_be_placed_decision'));
    const decisionToMatch = mean(interval('should_be_placed_decision', 'match_decision'));
    const matchToPlaced = mean(interval('match_decision', 'placed_for_adoption'));
    const placedToOrder = mean(interval('placed_for_adoption', 'adoption_order'));
    // Facts are cut at today, so finished intervals lean a little short; these are loose bands.
    expect(entryToDecision).toBeGreaterThan(6);
    expect(entryToDecision).toBeLessThan(12);
    expect(decisionToMatch).toBeGreaterThan(7);
    expect(decisionToMatch).toBeLessThan(14);
    expect(matchToPlaced).toBeGreaterThan(0.5);
    expect(matchToPlaced).toBeLessThan(2);
    expect(placedToOrder).toBeGreaterThan(6);
    expect(placedToOrder).toBeLessThan(12);
  });

  it('spreads children over every stage, with some plan changes and disruptions', () => {
    const stageCounts = new Map<string, number>();
    for (const child of children) {
      const stage = currentStage(child.facts);
      stageCounts.set(stage, (stageCounts.get(stage) ?? 0) + 1);
    }
    for (const stage of [
      'early_identification',
      'awaiting_decision',
      'family_finding',
      'matched',
      'placed',
      'adopted',
      'plan_changed',
    ]) {
      expect(stageCounts.get(stage) ?? 0, stage).toBeGreaterThan(10);
    }
    const kinds = new Set(children.flatMap((c) => c.facts.map((f) => f.kind)));
    expect(kinds).toContain('disruption');
    expect(kinds).toContain('early_permanence_placement');
    const reasons = new Set(children.flatMap((c) => c.facts.map((f) => f.planChangeReason).filter(Boolean)));
    expect([...reasons].sort()).toEqual(['RD1', 'RD2', 'RD3', 'RD4']);
  });

  it('updates the permanence report at most every six months while waiting, except where a council let it lapse', () => {
    let lapsed = 0;
    let waited = 0;
    for (const child of children) {
      const decided = dateOf(child.facts, 'should_be_placed_decision');
      if (!decided) continue;
      waited += 1;
      // Waiting for a match: from the decision to the first match, change of plan, or today.
      const end =
        child.facts.find((f) => f.kind === 'match_decision' || f.kind === 'plan_changed')?.effectiveDate ??
        today;
      const reports = child.facts
        .filter((f) => (f.kind === 'cpr_completed' || f.kind === 'cpr_updated') && f.effectiveDate <= end)
        .map((f) => f.effectiveDate);
      const points = [...reports, end];
      const gaps = points.slice(1).map((date, i) => days(points[i]!, date));
      if (gaps.some((gap) => gap > 181)) lapsed += 1;
    }
    expect(lapsed / waited).toBeGreaterThan(0.01);
    expect(lapsed / waited).toBeLessThan(0.12);
  });

  it('uses SSDA903 ethnicity codes in plausible proportions', () => {
    const share = (codes: string[]) =>
      children.filter((c) => codes.includes(c.ethnicity)).length / children.length;
    expect(share(['WBRI'])).toBeGreaterThan(0.6);
    expect(share(['WBRI'])).toBeLessThan(0.85);
    expect(share(['MWBC', 'MWBA', 'MWAS', 'MOTH'])).toBeGreaterThan(0.05);
    expect(share(['REFU', 'NOBT'])).toBeGreaterThan(0);
  });

  it('links siblings in pairs and triples within one council, as trees stored a < b', () => {
    const byId = new Map(children.map((c) => [c.id, c]));
    const links = [...new Map(children.flatMap((c) => c.siblingLinks).map((l) => [l.id, l])).values()];
    expect(links.length).toBeGreaterThan(300);
    for (const link of links) {
      expect(link.childAId < link.childBId).toBe(true);
      expect(byId.get(link.childAId)!.councilId).toBe(byId.get(link.childBId)!.councilId);
      if (link.plan === 'apart') expect(link.reason).toBeTruthy();
    }
    const sizes = new Map<number, number>();
    for (const child of children) {
      const group = siblingGroup(links, child.id);
      // A tree: a group of n children has n - 1 links.
      const inGroup = links.filter((l) => group.includes(l.childAId));
      expect(inGroup).toHaveLength(group.length - 1);
      sizes.set(group.length, (sizes.get(group.length) ?? 0) + 1);
    }
    expect(sizes.get(2)).toBeGreaterThan(0);
    expect(sizes.get(3)).toBeGreaterThan(0);
    expect([...sizes.keys()].every((size) => size <= 3)).toBe(true);
  });

  it('gives a family finder only to children whose allocation is recorded', () => {
    for (const child of children) {
      const allocated = child.facts.some((f) => f.kind === 'family_finder_allocated');
      expect(child.familyFinderId !== null).toBe(allocated);
    }
    expect(children.some((c) => c.familyFinderId)).toBe(true);
  });

  it('records needs with some uncertainty, and strategies only for hard-to-place children', () => {
    expect(children.some((c) => Object.values(c.needs).some((need) => need?.uncertain))).toBe(true);
    expect(children.some((c) => Object.values(c.needs).some((need) => need && !need.uncertain))).toBe(true);
    for (const child of children.filter((c) => c.familyFindingStrategy)) {
      const tags = syntheticDerivedColumns(child, today).hard_to_place_tags;
      const agedFour = days(child.dateOfBirth, today) >= 4 * 365;
      expect(tags.length > 0 || agedFour).toBe(true);
    }
  });

  it('computes the rows the database gets as the service would', () => {
    const child = children.find((c) => c.siblingLinks.length > 0 && c.facts.length > 6)!;
    const row = childRow(child, today, new Date(`${today}T12:00:00Z`));
    expect(row).toMatchObject({
      id: child.id,
      is_synthetic: true,
      current_stage: currentStage(child.facts),
      sibling_group_size: siblingGroup(child.siblingLinks, child.id).length,
      needs: JSON.stringify(child.needs),
    });
    const facts = factRows(child);
    expect(facts).toHaveLength(child.facts.length);
    expect(facts.every((fact) => fact.recorded_by === null && fact.source === 'Synthetic data')).toBe(true);
  });
});
