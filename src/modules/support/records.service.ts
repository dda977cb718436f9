// Birth records counselling, access to adoption records and intermediary services (issue 8 §5).
// Requests belong to adopted adults' and birth relatives' cases, so every route needs
// 'support:restricted'. Checks are appended, never changed; the outcome is recorded once, under the
// request's version, and only when support-rules.ts `outcomeRefusal` agrees: identity checked,
// counselling first for people adopted before 12 November 1975, a second worker's approval for a
// disclosure, the other person's consent for contact.
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { todayInLondon } from '../../platform/time/index.js';
import { personOf, recordChecksOf, recordRequestInRaa } from './support.repository.js';
import { counsellingRequired, outcomeRefusal, recordsRoute } from './support-rules.js';
import {
  auditOnCase,
  auditSupport,
  caseForActor,
  inActorRaa,
  StaleSupportRecord,
  type SupportDeps,
  SupportRefused,
} from './support.service.js';
import type { RecordCheckKind, RecordOutcome, RecordRequestKind } from './support.tables.js';

export const recordRequestKindLabels: Record<RecordRequestKind, string> = {
  birth_records_counselling: 'Birth records counselling',
  access_to_records: 'Access to adoption records',
  intermediary: 'Intermediary service',
};

export const recordCheckLabels: Record<RecordCheckKind, string> = {
  identity_checked: 'Identity checked',
  counselling_offered: 'Counselling offered',
  counselling_held: 'Seen by an adoption counsellor',
  views_sought: 'Views of the person the information is about sought and recorded',
  consent_given: 'The other person consented',
  consent_refused: 'The other person did not consent',
  second_approval: 'Disclosure approved by a second worker',
};

export const recordOutcomeLabels: Record<RecordOutcome, string> = {
  counselling_completed: 'Counselling completed',
  information_disclosed: 'Information disclosed',
  partly_disclosed: 'Information partly disclosed',
  refused: 'Disclosure refused',
  contact_agreed: 'Contact agreed',
  contact_declined: 'Contact declined',
  not_traced: 'Person not traced',
  information_shared: 'Information shared with consent',
  referred_elsewhere: 'Referred elsewhere',
  withdrawn: 'Withdrawn by the applicant',
};

export async function openRecordRequest(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: { kind: RecordRequestKind; receivedOn: string; soughtPerson: string | null; details: string | null },
): Promise<string> {
  const action = 'support.records.create';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  if (found.kind === 'adoptive_family') {
    throw new SupportRefused([
      {
        field: 'kind',
        message: 'Records and intermediary requests belong to an adopted adult’s or a birth relative’s case',
      },
    ]);
  }
  if (input.kind === 'birth_records_counselling' && found.kind !== 'adopted_adult') {
    throw new SupportRefused([{ field: 'kind', message: 'Birth records counselling is for adopted adults' }]);
  }
  if (input.receivedOn > todayInLondon(auditContext.now)) {
    throw new SupportRefused([
      { field: 'receivedOn-day', message: 'The date the request came in must be today or in the past' },
    ]);
  }
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('support_record_requests')
      .values({
        case_id: found.id,
        raa_id: found.raa_id,
        kind: input.kind,
        received_on: input.receivedOn,
        sought_person: input.soughtPerson,
        details: input.details,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditSupport(trx, deps, auditContext, {
      action,
      outcome: 'success',
      caseId: found.id,
      raaId: found.raa_id,
      reason: input.kind,
    });
    return row.id;
  });
}

const requestForActor = inActorRaa(recordRequestInRaa, {
  reason: 'not a records request of your RAA',
  what: 'request',
});

export async function recordRequest(deps: SupportDeps, actor: Actor, auditContext: AuditContext, id: string) {
  const action = 'support.records.view';
  const row = await requestForActor(deps, actor, auditContext, action, id);
  const [checks, person] = await Promise.all([
    recordChecksOf(deps.db, row.id),
    personOf(deps.db, row.case_id),
  ]);
  await auditOnCase(deps.db, deps, auditContext, action, row);
  const adoptedOn = person?.adopted_on ?? null;
  return {
    row,
    checks,
    person,
    adoptedOn,
    counsellingRequired: row.case_kind === 'adopted_adult' && counsellingRequired(adoptedOn),
    route: recordsRoute(adoptedOn),
  };
}

export async function addRecordCheck(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: { kind: RecordCheckKind; doneOn: string; note: string | null },
): Promise<void> {
  const action = 'support.records.check';
  const row = await requestForActor(deps, actor, auditContext, action, id);
  if (row.outcome)
    throw new SupportRefused(
      [{ field: 'kind', message: 'The outcome is already recorded: the request is finished' }],
      409,
    );
  if (input.doneOn > todayInLondon(auditContext.now) || input.doneOn < row.received_on) {
    throw new SupportRefused([
      {
        field: 'doneOn-day',
        message: 'The check must be on or after the day the request came in, and not in the future',
      },
    ]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('support_record_checks')
      .values({
        request_id: row.id,
        kind: input.kind,
        done_on: input.doneOn,
        note: input.note,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
      })
      .execute();
    await auditOnCase(trx, deps, auditContext, action, row, { reason: input.kind });
  });
}

export async function recordOutcome(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: { version: number; outcome: RecordOutcome; outcomeOn: string; note: string | null },
): Promise<void> {
  const action = 'support.records.outcome';
  const row = await requestForActor(deps, actor, auditContext, action, id);
  const failed = async (field: string, message: string, status: 400 | 409 = 400): Promise<never> => {
    await auditOnCase(deps.db, deps, auditContext, action, row, { outcome: 'failed', reason: message });
    throw new SupportRefused([{ field, message }], status);
  };
  if (row.outcome) return failed('outcome', 'The outcome is already recorded', 409);
  if (input.outcomeOn > todayInLondon(auditContext.now) || input.outcomeOn < row.received_on) {
    return failed(
      'outcomeOn-day',
      'The outcome must be on or after the day the request came in, and not in the future',
    );
  }
  const [checks, person] = await Promise.all([
    recordChecksOf(deps.db, row.id),
    personOf(deps.db, row.case_id),
  ]);
  const refusal = outcomeRefusal({
    kind: row.kind,
    outcome: input.outcome,
    // The counselling rule is about people adopted before 1975; a birth relative's request is not theirs.
    adoptedOn: row.case_kind === 'adopted_adult' ? (person?.adopted_on ?? null) : '9999-12-31',
    checks: checks.map((check) => ({ kind: check.kind, recordedBy: check.recorded_by })),
    recordedBy: actor.userId,
  });
  if (refusal) return failed('outcome', refusal);
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('support_record_requests')
      .set((eb) => ({
        outcome: input.outcome,
        outcome_on: input.outcomeOn,
        outcome_note: input.note,
        outcome_by: actor.userId,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', row.id)
      .where('version', '=', input.version)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await auditSupport(trx, deps, auditContext, {
      action:
        input.outcome === 'information_disclosed' || input.outcome === 'partly_disclosed'
          ? 'support.records.disclose'
          : action,
      outcome: 'success',
      caseId: row.case_id,
      raaId: row.raa_id,
      reason: input.outcome,
    });
    return true;
  });
  if (!changed) throw new StaleSupportRecord();
}
