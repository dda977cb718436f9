// Adoption Support Fund pages (issue 8 §2): the application form, an application and its moves,
// and spend by council as a page and a CSV.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { ModuleContext } from '../../platform/app.js';
import { parseForm } from '../../platform/http/validation.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import {
  createFundApplication,
  fundApplication,
  fundForm,
  fundMoves,
  fundStatusLabels,
  moveFundApplication,
  spend,
} from './fund.service.js';
import {
  fundMoveSchema,
  fundSchema,
  serviceTypes,
  spendQuerySchema,
  type ServiceType,
} from './support.forms.js';
import {
  badQuery,
  echo,
  errorsFor,
  idFrom,
  neutraliseFormula,
  noticeFrom,
  staleMessage,
  supportView,
} from './support.http.js';
import { caseName, fundCategoryLabels, items, supportPaths } from './support.presenter.js';
import { financialYearLabel, formatPounds } from './support-rules.js';
import { StaleSupportRecord, SupportRefused, type SupportDeps } from './support.service.js';
import type { FundStatus } from './support.tables.js';

const fundAccess = { access: { permission: 'support:fund' as const } };
const spendAccess = { access: { permission: 'support:spend' as const } };

export function registerFundRoutes(app: FastifyInstance, context: ModuleContext, deps: SupportDeps): void {
  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    caseId: string,
    values: Record<string, unknown> = {},
    errors?: ReturnType<typeof errorsFor>,
  ) => {
    const form = await fundForm(deps, request.actor!, context.auditContext(request), caseId);
    return reply.view(supportView('fund-form'), {
      pageTitle: 'Apply to the Adoption Support Fund',
      caseHref: supportPaths.case(form.found.id),
      caseName: caseName(form.found),
      reference: form.found.reference,
      action: supportPaths.fundCreate(form.found.id),
      yearLabel: financialYearLabel(form.year),
      children: form.children.map((c) => ({
        name: `${c.child.first_name} ${c.child.last_name}`,
        therapyLeft: formatPounds(c.therapyLeft),
        assessmentLeft: formatPounds(c.assessmentLeft),
        limits: c.limits
          ? `${formatPounds(c.limits.therapyPence)} therapy, ${formatPounds(c.limits.assessmentPence)} specialist assessment${c.limits.combinedPence ? `, ${formatPounds(c.limits.combinedPence)} in all` : ''}`
          : 'none recorded',
        confirm: c.limits?.confirm ?? false,
        source: c.limits?.source ?? '',
      })),
      childItems: items(
        Object.fromEntries(
          form.children.map((c) => [c.child.id, `${c.child.first_name} ${c.child.last_name}`]),
        ),
        values.supportChildId,
        'Choose the child',
      ),
      categoryItems: Object.entries(fundCategoryLabels).map(([value, text]) => ({
        value,
        text,
        checked: values.category === value,
      })),
      serviceItems: items(serviceTypes, values.serviceType, 'Choose'),
      providerItems: items(
        Object.fromEntries(form.providers.map((p) => [p.id, p.name])),
        values.providerId,
        'Another provider (enter its name)',
      ),
      councilItems: items(
        Object.fromEntries(form.councils.map((c) => [c.id, c.name])),
        values.councilId,
        'The responsible council (worked out from the case)',
      ),
      values,
      ...errors,
    });
  };

  app.get('/support/cases/:id/fund/new', { config: fundAccess }, (request, reply) =>
    renderForm(request, reply, idFrom(request)),
  );

  app.post('/support/cases/:id/fund', { config: fundAccess }, async (request, reply) => {
    const caseId = idFrom(request);
    const values = echo(request.body);
    const form = parseForm(fundSchema, request.body);
    if (!form.ok) return renderForm(request, reply.code(400), caseId, values, form);
    try {
      const id = await createFundApplication(
        deps,
        request.actor!,
        context.auditContext(request),
        caseId,
        form.data,
      );
      return reply.redirect(supportPaths.fund(id, 'fund'), 303);
    } catch (error) {
      if (error instanceof SupportRefused)
        return renderForm(request, reply.code(error.status), caseId, values, errorsFor(error.errors));
      throw error;
    }
  });

  const renderApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: ReturnType<typeof errorsFor>,
  ) => {
    const found = await fundApplication(deps, request.actor!, context.auditContext(request), idFrom(request));
    const { row } = found;
    const moves = fundMoves[row.status];
    return reply.view(supportView('fund'), {
      pageTitle: `Adoption Support Fund application for ${row.child_first_name} ${row.child_last_name}`,
      notice: noticeFrom(request),
      caseHref: supportPaths.case(row.case_id),
      caseReference: row.case_reference,
      childName: `${row.child_first_name} ${row.child_last_name}`,
      status: fundStatusLabels[row.status],
      rows: [
        {
          key: { text: 'What for' },
          value: {
            text: `${fundCategoryLabels[row.category]}: ${serviceTypes[row.service_type as ServiceType] ?? row.service_type}`,
          },
        },
        { key: { text: 'Provider' }, value: { text: row.provider_org_name ?? row.provider_name ?? '' } },
        { key: { text: 'Description' }, value: { text: row.description } },
        {
          key: { text: 'Starts' },
          value: {
            text: `${formatDate(row.starts_on)} (financial year ${financialYearLabel(row.financial_year)})`,
          },
        },
        { key: { text: 'Cost' }, value: { text: formatPounds(row.total_cost_pence) } },
        { key: { text: 'Asked of the fund' }, value: { text: formatPounds(row.fund_share_pence) } },
        {
          key: { text: 'Council match funding' },
          value: {
            text: `${formatPounds(row.match_funding_pence)}${row.council_name ? ` (${row.council_name})` : ''}`,
          },
        },
        ...(row.exception_reason
          ? [{ key: { text: 'Exception to the limit' }, value: { text: row.exception_reason } }]
          : []),
        {
          key: { text: 'Left of the limit before this' },
          value: {
            text: `${formatPounds(found.remainingBefore)}${found.limits?.confirm ? ' (confirm)' : ''}`,
          },
        },
        ...(row.approved_pence !== null
          ? [
              {
                key: { text: 'Approved' },
                value: { text: `${formatPounds(row.approved_pence)} on ${formatDate(row.decided_on)}` },
              },
            ]
          : []),
        ...(row.paid_pence !== null
          ? [
              {
                key: { text: 'Paid' },
                value: { text: `${formatPounds(row.paid_pence)} on ${formatDate(row.paid_on)}` },
              },
            ]
          : []),
        ...(row.decline_reason
          ? [{ key: { text: 'Declined because' }, value: { text: row.decline_reason } }]
          : []),
      ],
      events: found.events.map((e) => ({
        what: fundStatusLabels[e.to_status as FundStatus],
        by: e.recorded_by_name ?? 'Kindred',
        when: formatDateTime(e.recorded_at),
        note: e.note,
      })),
      action: supportPaths.fund(row.id),
      version: row.version,
      moveItems: moves.map((to) => ({ value: to, text: fundStatusLabels[to], checked: values.to === to })),
      values,
      ...errors,
    });
  };

  app.get('/support/fund/:id', { config: fundAccess }, (request, reply) => renderApplication(request, reply));

  app.post('/support/fund/:id', { config: fundAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(fundMoveSchema, request.body);
    if (!form.ok) return renderApplication(request, reply.code(400), values, form);
    try {
      await moveFundApplication(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        form.data,
      );
    } catch (error) {
      if (error instanceof SupportRefused)
        return renderApplication(request, reply.code(error.status), values, errorsFor(error.errors));
      if (error instanceof StaleSupportRecord) {
        return renderApplication(
          request,
          reply.code(409),
          values,
          errorsFor([{ field: 'to', message: staleMessage }]),
        );
      }
      throw error;
    }
    return reply.redirect(supportPaths.fund(idFrom(request), 'moved'), 303);
  });

  const spendFor = async (request: FastifyRequest, exported: boolean) => {
    const query = spendQuerySchema.safeParse(request.query ?? {});
    if (!query.success) throw badQuery(query.error.issues);
    const year = query.data.year ?? null;
    return { year, ...(await spend(deps, request.actor!, context.auditContext(request), year, exported)) };
  };

  app.get(supportPaths.spend, { config: spendAccess }, async (request, reply) => {
    const found = await spendFor(request, false);
    const max = Math.max(1, ...found.rows.map((r) => r.approvedPence + r.matchPence));
    return reply.view(supportView('spend'), {
      pageTitle: 'Adoption Support Fund spend by council',
      action: supportPaths.spend,
      csvHref: `${supportPaths.spendCsv}${found.year ? `?year=${found.year}` : ''}`,
      yearItems: [
        { value: '', text: 'All years', selected: found.year === null },
        ...found.years.map((y) => ({
          value: String(y),
          text: financialYearLabel(y),
          selected: y === found.year,
        })),
      ],
      rows: found.rows.map((r) => ({
        year: financialYearLabel(r.year),
        council: r.councilName,
        applications: r.applications,
        approved: formatPounds(r.approvedPence),
        paid: formatPounds(r.paidPence),
        match: formatPounds(r.matchPence),
        percent: Math.round(((r.approvedPence + r.matchPence) / max) * 100),
      })),
      totals: {
        applications: found.rows.reduce((a, r) => a + r.applications, 0),
        approved: formatPounds(found.rows.reduce((a, r) => a + r.approvedPence, 0)),
        paid: formatPounds(found.rows.reduce((a, r) => a + r.paidPence, 0)),
        match: formatPounds(found.rows.reduce((a, r) => a + r.matchPence, 0)),
      },
    });
  });

  app.get(supportPaths.spendCsv, { config: spendAccess }, async (request, reply) => {
    const found = await spendFor(request, true);
    const pounds = (pence: number) => (pence / 100).toFixed(2);
    const csv = stringify(
      [
        [
          'Financial year',
          'Council',
          'Applications approved or paid',
          'Approved from the fund (£)',
          'Paid by the fund (£)',
          'Council match funding (£)',
        ],
        ...found.rows.map((r) => [
          financialYearLabel(r.year),
          r.councilName,
          String(r.applications),
          pounds(r.approvedPence),
          pounds(r.paidPence),
          pounds(r.matchPence),
        ]),
      ],
      { cast: { string: neutraliseFormula } },
    );
    return reply
      .header(
        'content-disposition',
        `attachment; filename="fund-spend-by-council${found.year ? `-${found.year}` : ''}.csv"`,
      )
      .type('text/csv; charset=utf-8')
      .send(csv);
  });
}
