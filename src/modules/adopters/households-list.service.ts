// Households listed by id for another module (issue 9 §3: the drill-down behind A11–A13). Only
// the RAA that assesses a household sees it (issue 5 §7: councils see nothing of the RAA's
// adopters). The listing is audited once, as the pipeline list is, and then once for each
// household named, so that "who has seen this record" (security.md LG-6) shows the report.
import { writeAuditEntries, type AuditContext } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/access/actor.js';
import type { HouseholdDeps } from './households.service.js';
import { assessingRaa } from './households.service.js';

export interface NamedHousehold {
  id: string;
  reference: string;
  names: string[];
  currentStage: string;
}

export async function namedHouseholds(
  deps: HouseholdDeps,
  actor: Actor,
  auditContext: AuditContext,
  householdIds: readonly string[],
  purpose: string,
): Promise<NamedHousehold[]> {
  const raaId = assessingRaa(actor);
  const ids = householdIds.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const rows =
    raaId && ids.length > 0
      ? await deps.db
          .selectFrom('households')
          .select(['id', 'reference', 'current_stage'])
          .where('raa_id', '=', raaId)
          .where('id', 'in', ids)
          .execute()
      : [];
  const applicants = rows.length
    ? await deps.db
        .selectFrom('household_applicants')
        .select(['household_id', 'first_name', 'last_name'])
        .where(
          'household_id',
          'in',
          rows.map((row) => row.id),
        )
        .orderBy('position')
        .execute()
    : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const listed = householdIds.flatMap((id) => {
    const row = byId.get(id);
    return row
      ? [
          {
            id: row.id,
            reference: row.reference,
            currentStage: row.current_stage,
            names: applicants
              .filter((a) => a.household_id === id)
              .map((a) => `${a.first_name} ${a.last_name}`),
          },
        ]
      : [];
  });
  await deps.db.transaction().execute((trx) =>
    writeAuditEntries(trx, deps.auditKey, auditContext, [
      {
        action: 'households.list.view',
        outcome: 'success',
        subjectType: 'household',
        subjectId: null,
        subjectOrganisationId: raaId,
        reason: `${purpose}: ${listed.length} households listed`.slice(0, 500),
      },
      ...listed.map((household) => ({
        action: 'household.listed',
        outcome: 'success' as const,
        subjectType: 'household',
        subjectId: household.id,
        subjectOrganisationId: raaId,
        reason: purpose.slice(0, 500),
      })),
    ]),
  );
  return listed;
}
