// Adoption Support Fund applications (issue 8 §2). The RAA applies for the children of its
// adoptive families (seeds' schedule: "The RAA will be responsible for undertaking all funding
// applications to the Adoption Support Fund"); the child's council funds what sits outside it.
// - the fund's share (the cost less the council's match funding) counts against the child's
//   fair-access limit for the financial year (support-rules.ts), checked when the application is
//   made and again when it is submitted, with the child's row locked so two at once cannot both
//   pass; over the limit needs match funding or a reason for an exception;
// - draft → submitted → approved → paid, or declined or withdrawn; each move versioned, recorded
//   and audited; approved and paid amounts may not exceed what was asked;
// - spend by council for finance ('support:spend'): approved and paid money by financial year.
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import type { FundInput, FundMoveInput } from './support.forms.js';
import {
  childrenOfCase,
  committedFor,
  councilsOfRaa,
  fundApplicationInRaa,
  fundEventsOf,
  fundYears,
  providersOfRaa,
  spendByCouncil,
  type Executor,
} from './support.repository.js';
import {
  checkFundRequest,
  fairAccessLimitsFor,
  financialYearLabel,
  financialYearOf,
  formatPounds,
  remainingLimit,
  responsibleCouncil,
} from './support-rules.js';
import {
  auditFormView,
  auditOnCase,
  auditSupport,
  caseForActor,
  inActorRaa,
  StaleSupportRecord,
  type SupportDeps,
  supportRaa,
  SupportRefused,
} from './support.service.js';
import type { FundStatus } from './support.tables.js';

export const fundStatusLabels: Record<FundStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted to the fund',
  approved: 'Approved',
  paid: 'Paid',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

/** Where an application may go next. */
export const fundMoves: Record<FundStatus, readonly FundStatus[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['approved', 'declined', 'withdrawn'],
  approved: ['paid', 'withdrawn'],
  paid: [],
  declined: [],
  withdrawn: [],
};

/** Each child's use of the limit in a financial year: what is committed and what is left. */
export async function limitsByChild(executor: Executor, caseId: string, year: number) {
  const limits = fairAccessLimitsFor(year);
  const children = await childrenOfCase(executor, caseId);
  return Promise.all(
    children.map(async (child) => {
      const committed = await committedFor(executor, child.id, year, null);
      return {
        child,
        year,
        limits,
        committed,
        therapyLeft: limits ? remainingLimit(limits, committed, 'therapy') : 0,
        assessmentLeft: limits ? remainingLimit(limits, committed, 'specialist_assessment') : 0,
      };
    }),
  );
}

export async function fundForm(deps: SupportDeps, actor: Actor, auditContext: AuditContext, caseId: string) {
  const found = await caseForActor(deps, actor, auditContext, 'support.fund.create', caseId);
  if (found.kind !== 'adoptive_family') {
    throw new AppError(
      'conflict',
      'Applications to the Adoption Support Fund are made for the children of adoptive families.',
    );
  }
  const year = financialYearOf(todayInLondon(auditContext.now));
  const [children, providers, councils] = await Promise.all([
    limitsByChild(deps.db, found.id, year),
    providersOfRaa(deps.db, found.raa_id),
    councilsOfRaa(deps.db, found.raa_id),
  ]);
  await auditFormView(deps, auditContext, found, 'fund application form');
  return { found, children, providers, councils, year };
}

export async function createFundApplication(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  caseId: string,
  input: FundInput,
): Promise<string> {
  const action = 'support.fund.create';
  const found = await caseForActor(deps, actor, auditContext, action, caseId);
  const year = financialYearOf(input.startsOn);
  const limits = fairAccessLimitsFor(year);
  const refuse = async (field: string, message: string): Promise<never> => {
    await auditSupport(deps.db, deps, auditContext, {
      action,
      outcome: 'failed',
      caseId: found.id,
      raaId: found.raa_id,
      reason: message,
    });
    throw new SupportRefused([{ field, message }]);
  };
  if (found.kind !== 'adoptive_family')
    return refuse('supportChildId', 'Applications are made for the children of adoptive families');
  if (!limits)
    return refuse(
      'startsOn-day',
      `Kindred holds fair-access limits from 2016/17: the service cannot start in ${financialYearLabel(year)}`,
    );
  const [children, providers, councils] = await Promise.all([
    childrenOfCase(deps.db, found.id),
    providersOfRaa(deps.db, found.raa_id),
    councilsOfRaa(deps.db, found.raa_id),
  ]);
  const child = children.find((c) => c.id === input.supportChildId);
  if (!child) return refuse('supportChildId', 'Choose the child the application is for');
  if (input.providerId && !providers.some((p) => p.id === input.providerId)) {
    return refuse('providerId', 'Choose a provider the RAA commissions, or enter its name');
  }
  const today = todayInLondon(auditContext.now);
  const councilId =
    input.councilId ??
    responsibleCouncil({
      placingCouncilId: found.placing_council_id,
      residenceCouncilId: found.residence_council_id,
      adoptionOrderOn: child.adoption_order_on,
      today,
    });
  if (councilId && !councils.some((c) => c.id === councilId))
    return refuse('councilId', 'Choose one of the RAA’s councils');
  try {
    return await deps.db.transaction().execute(async (trx) => {
      // The child's row is the lock: two applications for one child are judged one after the other.
      await trx.selectFrom('support_children').select('id').where('id', '=', child.id).forUpdate().execute();
      const committed = await committedFor(trx, child.id, year, null);
      const check = checkFundRequest(
        limits,
        committed,
        {
          category: input.category,
          totalCostPence: input.totalCost,
          matchFundingPence: input.matchFunding,
          exceptionReason: input.exceptionReason,
        },
        year,
      );
      if (check.refusal)
        throw new SupportRefused([{ field: check.refusal.field, message: check.refusal.message }]);
      const row = await trx
        .insertInto('support_fund_applications')
        .values({
          case_id: found.id,
          raa_id: found.raa_id,
          support_child_id: child.id,
          financial_year: year,
          category: input.category,
          service_type: input.serviceType,
          provider_id: input.providerId,
          provider_name: input.providerId ? null : input.providerName,
          description: input.description,
          starts_on: input.startsOn,
          total_cost_pence: input.totalCost,
          fund_share_pence: check.fundSharePence,
          match_funding_pence: input.matchFunding,
          council_id: councilId,
          exception_reason: check.overLimitPence > 0 ? input.exceptionReason : null,
          created_by: actor.userId,
          created_at: auditContext.now,
          updated_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('support_fund_events')
        .values({
          application_id: row.id,
          from_status: null,
          to_status: 'draft',
          note: null,
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute();
      await auditSupport(trx, deps, auditContext, {
        action,
        outcome: 'success',
        caseId: found.id,
        raaId: found.raa_id,
        reason: `${input.category} ${formatPounds(input.totalCost)}${check.overLimitPence > 0 ? ' over the limit by exception' : ''}`,
      });
      return row.id;
    });
  } catch (error) {
    if (error instanceof SupportRefused) {
      await auditSupport(deps.db, deps, auditContext, {
        action,
        outcome: 'failed',
        caseId: found.id,
        raaId: found.raa_id,
        reason: error.message,
      });
    }
    throw error;
  }
}

const applicationForActor = inActorRaa(fundApplicationInRaa, {
  reason: 'not a fund application of your RAA',
  what: 'application',
  subjectType: 'support_fund_application',
});

export async function fundApplication(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
) {
  const action = 'support.fund.view';
  const row = await applicationForActor(deps, actor, auditContext, action, id);
  const [events, committed] = await Promise.all([
    fundEventsOf(deps.db, row.id),
    committedFor(deps.db, row.support_child_id, row.financial_year, row.id),
  ]);
  const limits = fairAccessLimitsFor(row.financial_year);
  await auditOnCase(deps.db, deps, auditContext, action, row);
  return {
    row,
    events,
    limits,
    otherCommitted: committed,
    remainingBefore: limits ? remainingLimit(limits, committed, row.category) : 0,
  };
}

export async function moveFundApplication(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  id: string,
  input: FundMoveInput,
): Promise<void> {
  const action = `support.fund.${input.to === 'submitted' ? 'submit' : input.to}`;
  const row = await applicationForActor(deps, actor, auditContext, action, id);
  const today = todayInLondon(auditContext.now);
  const on = input.on ?? today;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .selectFrom('support_children')
        .select('id')
        .where('id', '=', row.support_child_id)
        .forUpdate()
        .execute();
      const current = await trx
        .selectFrom('support_fund_applications')
        .selectAll()
        .where('id', '=', row.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.version !== input.version) throw new StaleSupportRecord();
      if (!fundMoves[current.status].includes(input.to)) {
        throw new SupportRefused(
          [
            {
              field: 'to',
              message: `An application that is “${fundStatusLabels[current.status].toLowerCase()}” cannot be marked “${fundStatusLabels[input.to].toLowerCase()}”`,
            },
          ],
          409,
        );
      }
      if (on > today)
        throw new SupportRefused([{ field: 'on-day', message: 'The date must be today or in the past' }]);
      const changes: Record<string, unknown> = {};
      if (input.to === 'submitted') {
        const limits = fairAccessLimitsFor(current.financial_year);
        const committed = await committedFor(
          trx,
          current.support_child_id,
          current.financial_year,
          current.id,
        );
        const check = limits
          ? checkFundRequest(
              limits,
              committed,
              {
                category: current.category,
                totalCostPence: current.total_cost_pence,
                matchFundingPence: current.match_funding_pence,
                exceptionReason: current.exception_reason,
              },
              current.financial_year,
            )
          : null;
        if (check?.refusal) {
          throw new SupportRefused([
            {
              field: 'to',
              message: `${check.refusal.message}. Other applications for this child have used the limit since this one was drafted: withdraw it and make a new one`,
            },
          ]);
        }
        changes.submitted_on = on;
      }
      if (input.to === 'approved') {
        const amount = input.amount || current.fund_share_pence;
        if (amount > current.fund_share_pence) {
          throw new SupportRefused([
            {
              field: 'amount',
              message: `The fund cannot approve more than was asked for (${formatPounds(current.fund_share_pence)})`,
            },
          ]);
        }
        changes.approved_pence = amount;
        changes.decided_on = on;
      }
      if (input.to === 'declined') {
        if (!input.note)
          throw new SupportRefused([{ field: 'note', message: 'Say why the fund declined the application' }]);
        changes.decline_reason = input.note;
        changes.decided_on = on;
      }
      if (input.to === 'paid') {
        const approved = current.approved_pence ?? current.fund_share_pence;
        const amount = input.amount || approved;
        if (amount > approved) {
          throw new SupportRefused([
            {
              field: 'amount',
              message: `The payment cannot be more than the approved amount (${formatPounds(approved)})`,
            },
          ]);
        }
        changes.paid_pence = amount;
        changes.paid_on = on;
      }
      await trx
        .updateTable('support_fund_applications')
        .set((eb) => ({
          ...changes,
          status: input.to,
          version: eb('version', '+', 1),
          updated_at: auditContext.now,
        }))
        .where('id', '=', current.id)
        .execute();
      await trx
        .insertInto('support_fund_events')
        .values({
          application_id: current.id,
          from_status: current.status,
          to_status: input.to,
          note: input.note,
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute();
      await auditOnCase(trx, deps, auditContext, action, row, { reason: `${current.status} to ${input.to}` });
    });
  } catch (error) {
    if (error instanceof SupportRefused) {
      await auditOnCase(deps.db, deps, auditContext, action, row, {
        outcome: 'failed',
        reason: error.message,
      });
    }
    throw error;
  }
}

/** Approved and paid money by council: for finance, without any family's or child's name. */
export async function spend(
  deps: SupportDeps,
  actor: Actor,
  auditContext: AuditContext,
  year: number | null,
  exported: boolean,
) {
  const raaId = supportRaa(actor);
  if (!raaId) throw notFound('page');
  const [rows, years] = await Promise.all([spendByCouncil(deps.db, raaId, year), fundYears(deps.db, raaId)]);
  await auditSupport(deps.db, deps, auditContext, {
    action: exported ? 'support.spend.export' : 'support.spend.view',
    outcome: 'success',
    caseId: raaId,
    raaId,
    subjectType: 'organisation',
    reason: year === null ? 'all years' : financialYearLabel(year),
  });
  return {
    years,
    rows: rows.map((r) => ({
      year: r.financial_year,
      councilName: r.council_name ?? 'No council recorded',
      applications: Number(r.applications),
      approvedPence: Number(r.approved_pence),
      paidPence: Number(r.paid_pence),
      matchPence: Number(r.match_pence),
    })),
  };
}
