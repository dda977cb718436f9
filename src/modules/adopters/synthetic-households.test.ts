import { describe, expect, it } from 'vitest';
import { refuseImpossibleFact, type PipelineFact } from './pipeline.js';
import { syntheticAdopters } from './synthetic-households.js';

const options = {
  households: 400,
  enquiries: 50,
  councils: 6,
  from: '2022-04-01',
  today: '2026-11-01',
  seed: 7,
};

const strip = (data: ReturnType<typeof syntheticAdopters>) =>
  data.households.map((h) => ({
    ...h,
    facts: h.facts.map((f) => [f.kind, f.date, f.details, !!f.supersedes]),
  }));

describe('synthetic households', () => {
  it('is deterministic for a seed', () => {
    expect(strip(syntheticAdopters(options))).toEqual(strip(syntheticAdopters(options)));
    expect(syntheticAdopters(options).enquiries).toEqual(syntheticAdopters(options).enquiries);
  });

  it('writes journeys the pipeline accepts, fact by fact, none in the future, with drop-outs and approvals', () => {
    const { households } = syntheticAdopters(options);
    const kinds = new Set<string>();
    for (const household of households) {
      const recorded: PipelineFact[] = [];
      for (const fact of household.facts) {
        const proposed: PipelineFact = {
          id: fact.id,
          kind: fact.kind,
          effectiveDate: fact.date,
          source: 'Synthetic data',
          recordedBy: 'synthetic',
          recordedAt: `${fact.date}T12:00:00Z`,
          supersedes: fact.supersedes,
          correctionReason: fact.supersedes ? 'Date first recorded wrongly' : null,
          ...(fact.details as Partial<PipelineFact>),
        };
        expect(
          refuseImpossibleFact(recorded, proposed, { today: options.today }),
          `${fact.kind} ${fact.date}`,
        ).toBeNull();
        recorded.push(proposed);
        kinds.add(fact.supersedes ? 'correction' : fact.kind);
        if (fact.kind === 'agency_decision') kinds.add(String(fact.details.agencyDecision));
      }
    }
    for (const kind of [
      'withdrawn',
      'approved',
      'not_approved',
      'stage_one_outcome',
      'placed',
      'correction',
    ]) {
      expect(kinds).toContain(kind);
    }
  });
});
