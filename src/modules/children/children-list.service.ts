// Named children listed by id for another module (issue 9 §3: a report figure's drill-down).
// The children module owns who may see a child's name: the list is narrowed to the actor's scope
// here, and the listing is audited once, naming why and how many, as the tracking board audits a
// page (it shows names but no record; design.md §3).
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { childrenInScope } from './children.repository.js';
import { auditChild, type ChildrenDeps } from './children.service.js';

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
  await auditChild(deps.db, deps, auditContext, {
    action: 'children.list.view',
    outcome: 'success',
    childId: null,
    reason: `${purpose}: ${listed.length} children listed`.slice(0, 500),
  });
  return listed;
}
