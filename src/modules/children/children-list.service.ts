// Named children listed by id for another module (issue 9 §3: a report figure's drill-down).
// The children module owns who may see a child's name: the list is narrowed to the actor's scope
// here. The listing is audited once, naming why and how many, and then once for each child named,
// so that "who has seen this child's record" (security.md LG-6) shows the report that named them.
import type { Actor } from '../../platform/access/actor.js';
import { writeAuditEntries, type AuditContext } from '../../platform/audit/audit.js';
import { childrenInScope } from './children.repository.js';
import type { ChildrenDeps } from './children.service.js';

export interface NamedChild {
  id: string;
  name: string;
  councilChildId: string;
  councilId: string;
  councilName: string;
  dateOfBirth: string;
  currentStage: string;
}

/**
 * The children with these ids that the actor may see, in the order given. `purpose` says why
 * they were listed (e.g. "scorecard A1 for Lewisham, window ending 2024-03-31").
 */
export async function namedChildren(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  childIds: readonly string[],
  purpose: string,
): Promise<NamedChild[]> {
  const rows = await childrenInScope(deps.db, actor.scope.organisationIds, childIds);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const listed = childIds.flatMap((id) => {
    const row = byId.get(id);
    return row
      ? [
          {
            id: row.id,
            name: `${row.known_as ?? row.first_name} ${row.last_name}`,
            councilChildId: row.council_child_id,
            councilId: row.responsible_council_id,
            councilName: row.council_name,
            dateOfBirth: String(row.date_of_birth).slice(0, 10),
            currentStage: row.current_stage,
          },
        ]
      : [];
  });
  await deps.db.transaction().execute((trx) =>
    writeAuditEntries(trx, deps.auditKey, auditContext, [
      {
        action: 'children.list.view',
        outcome: 'success',
        subjectType: 'child',
        subjectId: null,
        reason: `${purpose}: ${listed.length} children listed`.slice(0, 500),
      },
      ...listed.map((child) => ({
        action: 'child.listed',
        outcome: 'success' as const,
        subjectType: 'child',
        subjectId: child.id,
        subjectOrganisationId: child.councilId,
        reason: purpose.slice(0, 500),
      })),
    ]),
  );
  return listed;
}
