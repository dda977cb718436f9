// The work each journey fact raises under the service schedule (issue 4 §5).
import { describe, expect, it } from 'vitest';
import { taskChangesFor } from './service-schedule.js';

describe('service schedule', () => {
  it('raises the RAA’s allocation of a family finder, due 10 working days after the decision', () => {
    const change = taskChangesFor('should_be_placed_decision', '2025-12-12');
    expect(change.raise.map((r) => [r.rule.kind, r.rule.owner, r.dueDate])).toEqual([
      ['allocate_family_finder', 'raa', '2025-12-30'],
      ['national_register_referral', 'raa', '2026-03-12'],
    ]);
    expect(change.cancelAll).toBe(false);
  });

  it('completes the allocation task when a family finder is allocated', () => {
    expect(taskChangesFor('family_finder_allocated', '2026-01-05')).toEqual({
      raise: [],
      complete: ['allocate_family_finder'],
      cancelAll: false,
    });
  });

  it('asks the council to update the CPR 6 months after each completion or update', () => {
    const completed = taskChangesFor('cpr_completed', '2026-01-31');
    expect(completed.raise.map((r) => [r.rule.kind, r.rule.owner, r.dueDate])).toEqual([
      ['update_cpr', 'council', '2026-07-31'],
    ]);
    const updated = taskChangesFor('cpr_updated', '2026-08-31');
    expect(updated.complete).toEqual(['update_cpr']);
    expect(updated.raise.map((r) => r.dueDate)).toEqual(['2027-02-28']);
  });

  it('gives the RAA the life appreciation day after linking, and the council the first review after placement', () => {
    expect(taskChangesFor('linked', '2026-03-02').raise.map((r) => [r.rule.kind, r.rule.owner])).toEqual([
      ['life_appreciation_day', 'raa'],
    ]);
    expect(
      taskChangesFor('placed_for_adoption', '2026-03-02').raise.map((r) => [r.rule.kind, r.dueDate]),
    ).toEqual([['first_adoption_review', '2026-03-30']]);
  });

  it('cancels the remaining work when the plan changes or the adoption order is made', () => {
    expect(taskChangesFor('plan_changed', '2026-03-02')).toEqual({
      raise: [],
      complete: [],
      cancelAll: true,
    });
    expect(taskChangesFor('adoption_order', '2026-03-02')).toEqual({
      raise: [],
      complete: ['first_adoption_review'],
      cancelAll: true,
    });
  });
});
