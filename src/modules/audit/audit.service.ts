// "Who has seen or changed this record" (security.md LG-6; issue 3 §6). Looking at a record's
// access log is itself an access, so it is audited in the same transaction as the read (LG-1),
// and a look-up that finds nothing in the viewer's organisations is audited as refused (LG-3)
// while answering exactly as for a record that does not exist (pitfall P4).
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import {
  accessEntries,
  subjectOrganisationInScope,
  type AccessEntryRow,
  type AccessWindow,
  type SubjectRef,
} from './audit.repository.js';

export const recordAccessPageSize = 100;

export interface RecordAccessLog {
  entries: AccessEntryRow[];
  /** The sequence number to page on from when older entries exist. */
  olderBefore: number | null;
}

export async function recordAccessLog(
  deps: { db: Db; auditKey: AuditKey },
  actor: Actor,
  auditContext: AuditContext,
  subject: SubjectRef,
  window: Omit<AccessWindow, 'limit'>,
): Promise<RecordAccessLog | null> {
  const found = await deps.db.transaction().execute(async (trx) => {
    const organisationId = await subjectOrganisationInScope(trx, subject, actor.scope.organisationIds);
    if (!organisationId) return null;
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'audit.record-access.view',
      outcome: 'success',
      subjectType: subject.subjectType,
      subjectId: subject.subjectId,
      subjectOrganisationId: organisationId,
    });
    const rows = await accessEntries(trx, subject, actor.scope.organisationIds, {
      ...window,
      limit: recordAccessPageSize + 1,
    });
    const entries = rows.slice(0, recordAccessPageSize);
    return {
      entries,
      olderBefore: rows.length > recordAccessPageSize ? (entries.at(-1)?.seq ?? null) : null,
    };
  });
  if (!found) {
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action: 'audit.record-access.view',
      outcome: 'denied',
      subjectType: subject.subjectType,
      subjectId: subject.subjectId,
      reason: "no entries about this record within the viewer's organisations",
    });
  }
  return found;
}
