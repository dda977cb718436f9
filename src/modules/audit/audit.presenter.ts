// Shapes access-log rows for the page: UK times, people by name and organisation, actions in
// plain words. The view never sees raw rows (design.md §2).
import { isRole, roleLabels } from '../../platform/access/permissions.js';
import { formatDateTime } from '../../platform/views/render.js';
import { describeAction, outcomeLabels } from './action-labels.js';
import type { AccessEntryRow } from './audit.repository.js';

export interface AccessEntryView {
  seq: number;
  when: string;
  whenIso: string;
  who: string;
  whoDetail: string;
  what: string;
  action: string;
  outcome: string;
  refused: boolean;
  reason: string;
}

export function presentAccessEntries(rows: readonly AccessEntryRow[]): AccessEntryView[] {
  return rows.map((row) => {
    const roles = row.actorRoles.map((role) => (isRole(role) ? roleLabels[role] : role)).join(', ');
    const who = row.actorUserId ? (row.userName ?? 'A user who no longer exists') : 'Kindred (system)';
    return {
      seq: row.seq,
      when: formatDateTime(row.occurredAt),
      whenIso: row.occurredAt.toISOString(),
      who,
      whoDetail: [row.organisationName, roles].filter(Boolean).join(' · '),
      what: describeAction(row.action),
      action: row.action,
      outcome: outcomeLabels[row.outcome],
      refused: row.outcome !== 'success',
      reason: row.reason ?? '',
    };
  });
}
