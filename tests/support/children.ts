// Test builders for children: a child of a council with a journey of dated facts, written the
// way the service writes them (derived columns refreshed in the same transaction).
import { randomBytes } from 'node:crypto';
import { refreshDerived } from '../../src/modules/children/children.service.js';
import type { MilestoneKind } from '../../src/modules/children/journey.js';
import type { TestApp } from './test-app.js';

export interface ChildOptions {
  councilId: string;
  firstName?: string;
  lastName?: string;
  councilChildId?: string;
  dateOfBirth?: string;
  ethnicity?: string;
  familyFinderId?: string | null;
  facts?: Array<[MilestoneKind, string]>;
  strategy?: string | null;
}

export async function aChild(t: TestApp, options: ChildOptions): Promise<string> {
  const today = t.clock.now().toISOString().slice(0, 10);
  return t.database.db.transaction().execute(async (trx) => {
    const child = await trx
      .insertInto('children')
      .values({
        responsible_council_id: options.councilId,
        council_child_id: options.councilChildId ?? `C${randomBytes(4).toString('hex')}`.slice(0, 10),
        first_name: options.firstName ?? 'Sam',
        last_name: options.lastName ?? `Test${randomBytes(2).toString('hex')}`,
        date_of_birth: options.dateOfBirth ?? '2023-05-04',
        sex: '1',
        ethnicity: options.ethnicity ?? 'WBRI',
        family_finder_id: options.familyFinderId ?? null,
        family_finding_strategy: options.strategy ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [kind, date] of options.facts ?? []) {
      await trx
        .insertInto('child_journey_facts')
        .values({ child_id: child.id, kind, effective_date: date, source: 'Test' })
        .execute();
    }
    await refreshDerived(trx, [child.id], today);
    return child.id;
  });
}
