// A member council's side of Stage One (issue 5 §7; AAR 2005 reg 25): the council sees only the
// statutory checks the RAA has addressed to it — the applicants' names, dates of birth and address,
// which it needs to search its records — and records its answer, due within 5 working days under
// the service schedule. It sees nothing else of the household.
import { sql } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { notFound, type FieldError } from '../../platform/http/errors.js';
import { councilCheckDue, todayInLondon } from '../../platform/time/index.js';
import { HouseholdRefused } from './households.service.js';
import { factsInForce, refuseImpossibleFact, type PipelineFact, type PipelineFactKind } from './pipeline.js';

export interface CouncilCheckDeps {
  db: Db;
  auditKey: AuditKey;
}

const councilOf = (actor: Actor) =>
  actor.organisation.kind === 'local_authority' ? actor.organisation : null;

/** Open and answered requests addressed to the actor's council, newest first. */
export async function checksForCouncil(deps: CouncilCheckDeps, actor: Actor, auditContext: AuditContext) {
  const council = councilOf(actor);
  if (!council) return [];
  const rows = await deps.db
    .selectFrom('household_facts as fact')
    .innerJoin('households', 'households.id', 'fact.household_id')
    .select([
      'fact.id',
      'fact.household_id',
      'fact.effective_date',
      'fact.details',
      'households.reference',
      'households.address_line_1',
      'households.town',
      'households.postcode',
    ])
    .where('fact.kind', '=', 'statutory_check')
    .where(sql<string>`fact.details->'check'->>'type'`, '=', 'local_authority')
    .where(sql<string>`lower(fact.details->'check'->>'subject')`, '=', council.code.toLowerCase())
    .where('households.raa_id', '=', actor.scope.raaId ?? '00000000-0000-0000-0000-000000000000')
    .orderBy('fact.effective_date', 'desc')
    .limit(200)
    .execute();
  const households = [...new Set(rows.map((row) => row.household_id))];
  const [applicants, allFacts] = households.length
    ? await Promise.all([
        deps.db
          .selectFrom('household_applicants')
          .selectAll()
          .where('household_id', 'in', households)
          .orderBy('position')
          .execute(),
        deps.db
          .selectFrom('household_facts')
          .select(['id', 'household_id', 'kind', 'supersedes_id', 'details', 'effective_date'])
          .where('household_id', 'in', households)
          .execute(),
      ])
    : [[], []];
  const requests = rows.filter(
    (row) => (row.details as { check?: { step?: string } }).check?.step === 'requested',
  );
  for (const householdId of new Set(requests.map((r) => r.household_id))) {
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action: 'household.council-check.view',
      outcome: 'success',
      subjectType: 'household',
      subjectId: householdId,
      subjectOrganisationId: council.id,
    });
  }
  return requests.map((request) => {
    const inForce = factsInForce(
      allFacts
        .filter((f) => f.household_id === request.household_id)
        .map((f) => ({ ...f, supersedes: f.supersedes_id })),
    );
    const answered = inForce.find(
      (f) =>
        f.kind === 'statutory_check' &&
        (f.details as { check?: { type?: string; subject?: string; step?: string } }).check?.step ===
          'received' &&
        (f.details as { check?: { subject?: string } }).check?.subject?.toLowerCase() ===
          council.code.toLowerCase() &&
        f.effective_date >= request.effective_date,
    );
    return {
      requestId: request.id,
      reference: request.reference,
      applicants: applicants.filter((a) => a.household_id === request.household_id),
      address: [request.address_line_1, request.town, request.postcode].filter(Boolean).join(', '),
      requested: request.effective_date,
      due: councilCheckDue(request.effective_date),
      answered: answered?.effective_date ?? null,
    };
  });
}

/** Records the council's answer as the check's "received" step on the household's journey. */
export async function answerCheck(
  deps: CouncilCheckDeps,
  actor: Actor,
  auditContext: AuditContext,
  requestId: string,
  answer: { answeredOn: string } | { errors: FieldError[] },
): Promise<void> {
  const council = councilOf(actor);
  const request =
    council && /^[0-9a-f-]{36}$/i.test(requestId)
      ? await deps.db
          .selectFrom('household_facts as fact')
          .innerJoin('households', 'households.id', 'fact.household_id')
          .select(['fact.id', 'fact.household_id', 'fact.details', 'households.raa_id'])
          .where('fact.id', '=', requestId)
          .where('fact.kind', '=', 'statutory_check')
          .where(sql<string>`lower(fact.details->'check'->>'subject')`, '=', council.code.toLowerCase())
          .where('households.raa_id', '=', actor.scope.raaId ?? '00000000-0000-0000-0000-000000000000')
          .executeTakeFirst()
      : undefined;
  if (!request || !council) {
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action: 'household.council-check.answer',
      outcome: 'denied',
      subjectType: 'household',
      reason: 'not a check addressed to your council',
    });
    throw notFound('check');
  }
  // Judged after the scope check, so a check of another council is "not found" whatever was sent.
  if ('errors' in answer) throw new HouseholdRefused(answer.errors);
  const { answeredOn } = answer;
  const check = (request.details as { check: { type: string; subject: string } }).check;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .selectFrom('households')
      .select('id')
      .where('id', '=', request.household_id)
      .forUpdate()
      .execute();
    const existing = (
      await trx
        .selectFrom('household_facts')
        .selectAll()
        .where('household_id', '=', request.household_id)
        .execute()
    ).map((row): PipelineFact => ({
      ...(row.details as Partial<PipelineFact>),
      id: row.id,
      kind: row.kind as PipelineFactKind,
      effectiveDate: row.effective_date,
      source: row.source,
      recordedBy: row.recorded_by ?? '',
      recordedAt: row.recorded_at.toISOString(),
      supersedes: row.supersedes_id,
      correctionReason: row.correction_reason,
    }));
    const proposed = {
      kind: 'statutory_check' as const,
      effectiveDate: answeredOn,
      source: council.name.slice(0, 100),
      recordedBy: actor.userId,
      check: { type: 'local_authority' as const, subject: check.subject, step: 'received' as const },
    };
    const refusal = refuseImpossibleFact(existing, proposed, { today: todayInLondon(auditContext.now) });
    if (refusal) throw new HouseholdRefused([{ field: 'answeredOn-day', message: refusal }]);
    await trx
      .insertInto('household_facts')
      .values({
        household_id: request.household_id,
        kind: 'statutory_check',
        effective_date: answeredOn,
        source: proposed.source,
        recorded_by: actor.userId,
        recorded_at: auditContext.now,
        details: JSON.stringify({ check: proposed.check }),
      })
      .execute();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'household.council-check.answer',
      outcome: 'success',
      subjectType: 'household',
      subjectId: request.household_id,
      subjectOrganisationId: council.id,
    });
  });
}
