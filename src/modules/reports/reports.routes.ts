// Reports (issue 9 §4–§5): the quarterly report to each member council, the monthly tracking
// report, the board dashboard and the statutory returns. Thin: parse (zod), call the service with
// the actor, render the report model as a page, a PDF or an XLSX.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { cleanText, fieldErrorView, parseForm } from '../../platform/http/validation.js';
import { todayInLondon } from '../../platform/time/index.js';
import { registerDashboardRoutes } from './dashboard.routes.js';
import { reportPdf } from './report-pdf.js';
import type { ReportModel } from './report-model.js';
import { reportXlsx } from './report-xlsx.js';
import {
  auditReportView,
  councilForReport,
  councilsInScope,
  defaultMonth,
  defaultQuarter,
  parseMonth,
  previousMonth,
  previousQuarter,
  quarterlyReport,
  saveCommentary,
  StaleCommentary,
  trackingOwner,
  trackingReport,
  type FiguresAt,
} from './reports.service.js';
import type { ReportKind } from './reports.tables.js';
import { registerReturnsRoutes } from './returns.routes.js';
import { scorecardsFor } from './scorecard.service.js';
import { parseQuarter, quarterOf } from './returns.js';

export const reportPaths = {
  tracking: '/reports/tracking',
  trackingPdf: '/reports/tracking.pdf',
  trackingXlsx: '/reports/tracking.xlsx',
  trackingCommentary: '/reports/tracking/commentary',
  quarterly: (councilId: string) => `/reports/councils/${councilId}/quarterly`,
  quarterlyPdf: (councilId: string) => `/reports/councils/${councilId}/quarterly.pdf`,
  quarterlyXlsx: (councilId: string) => `/reports/councils/${councilId}/quarterly.xlsx`,
  quarterlyCommentary: (councilId: string) => `/reports/councils/${councilId}/quarterly/commentary`,
};

const read = { access: { permission: 'reports:read' as const } };
const comment = { access: { permission: 'reports:comment' as const } };

const monthQuery = z.object({
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .optional()
    .catch(undefined),
});
const quarterQuery = z.object({
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/)
    .optional()
    .catch(undefined),
});
const commentarySchema = z.object({
  period: z.string().regex(/^\d{4}-(Q[1-4]|\d{2})$/, { message: 'Choose the report period again' }),
  version: z.coerce.number().int().min(0).catch(0),
  body: z
    .string({ message: 'Enter the commentary' })
    .transform(cleanText)
    .pipe(
      z
        .string()
        .min(1, { message: 'Enter the commentary' })
        .max(10000, { message: 'Commentary must be 10,000 characters or fewer' }),
    ),
});

const idOf = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

/** The quarterly report's figures are the scorecard's own (scorecard.service.ts), for each quarter end. */
export interface ReportsOptions {
  figuresFor?: (actor: Actor) => FiguresAt;
}

export function registerReportsRoutes(
  app: FastifyInstance,
  context: ModuleContext,
  options: ReportsOptions = {},
): void {
  registerReturnsRoutes(app, context);
  registerDashboardRoutes(app, context);
  const deps = { db: context.db, auditKey: context.auditKey };
  const today = () => todayInLondon(context.clock());

  app.get('/reports', { config: read }, async (request, reply) => {
    const actor = request.actor!;
    const councils = await councilsInScope(context.db, actor);
    return reply.view('reports/views/index.njk', {
      pageTitle: 'Reports',
      councils: councils.map((c) => ({ name: c.name, href: reportPaths.quarterly(c.id) })),
      mayExport: actor.permissions.has('returns:export'),
    });
  });

  const sendAs = async (
    request: FastifyRequest,
    reply: FastifyReply,
    report: ReportModel,
    format: 'pdf' | 'xlsx',
  ) => {
    await auditReportView(
      deps,
      context.auditContext(request),
      { kind: report.kind, organisationId: report.organisationId, period: report.period.key },
      'reports.report.export',
    );
    const name = `${report.kind}-report-${report.period.key}.${format}`;
    return reply
      .header('content-disposition', `attachment; filename="${name}"`)
      .type(
        format === 'pdf'
          ? 'application/pdf'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      .send(format === 'pdf' ? await reportPdf(report) : await reportXlsx(report));
  };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    report: ReportModel,
    links: { action: string; commentary: string; pdf: string; xlsx: string },
    periods: {
      field: 'month' | 'quarter';
      label: string;
      items: Array<{ value: string; text: string; selected: boolean }>;
    },
    form: { status?: number; errors?: ReturnType<typeof fieldErrorView>; body?: string } = {},
  ) => {
    if (!form.status)
      await auditReportView(
        deps,
        context.auditContext(request),
        { kind: report.kind, organisationId: report.organisationId, period: report.period.key },
        'reports.report.view',
      );
    const q = `?${periods.field}=${report.period.key}`;
    return reply.code(form.status ?? 200).view('reports/views/report.njk', {
      pageTitle: report.title,
      report,
      periodAction: links.action,
      periodField: periods.field,
      periodLabel: periods.label,
      periodItems: periods.items,
      pdfHref: `${links.pdf}${q}`,
      xlsxHref: `${links.xlsx}${q}`,
      commentaryAction: links.commentary,
      mayComment: request.actor!.permissions.has('reports:comment'),
      commentaryValue: form.body ?? report.commentary?.body ?? '',
      flash: (request.query as Record<string, unknown> | undefined)?.saved ? 'Commentary saved' : undefined,
      ...(form.errors ?? {}),
    });
  };

  // ── Monthly tracking ─────────────────────────────────────────────────────────────────────────
  const monthFrom = (request: FastifyRequest) => {
    const key = monthQuery.parse(request.query ?? {}).month ?? defaultMonth(today());
    const month = parseMonth(key);
    if (!month) throw new AppError('bad-request', 'Choose a month such as 2026-05.');
    return month;
  };
  const monthItems = (selected: string) =>
    Array.from({ length: 13 }, (_, i) => previousMonth(today().slice(0, 7), i)).map((key) => ({
      value: key,
      text: parseMonth(key)!.label,
      selected: key === selected,
    }));
  const trackingLinks = {
    action: reportPaths.tracking,
    commentary: reportPaths.trackingCommentary,
    pdf: reportPaths.trackingPdf,
    xlsx: reportPaths.trackingXlsx,
  };
  app.get(reportPaths.tracking, { config: read }, async (request, reply) => {
    const month = monthFrom(request);
    const report = await trackingReport(deps, request.actor!, month, context.clock());
    return page(request, reply, report, trackingLinks, {
      field: 'month',
      label: 'Month',
      items: monthItems(month.key),
    });
  });
  app.get(reportPaths.trackingPdf, { config: read }, async (request, reply) =>
    sendAs(
      request,
      reply,
      await trackingReport(deps, request.actor!, monthFrom(request), context.clock()),
      'pdf',
    ),
  );
  app.get(reportPaths.trackingXlsx, { config: read }, async (request, reply) =>
    sendAs(
      request,
      reply,
      await trackingReport(deps, request.actor!, monthFrom(request), context.clock()),
      'xlsx',
    ),
  );

  const postCommentary = async (
    request: FastifyRequest,
    reply: FastifyReply,
    kind: ReportKind,
    organisationId: string,
    redirectTo: (period: string) => string,
    rerender: (
      period: string,
      status: number,
      errors: ReturnType<typeof fieldErrorView>,
      body: string,
    ) => Promise<unknown>,
  ) => {
    const body =
      typeof (request.body as Record<string, unknown>)?.body === 'string'
        ? String((request.body as Record<string, unknown>).body).slice(0, 20000)
        : '';
    const form = parseForm(commentarySchema, request.body);
    const period =
      typeof (request.body as Record<string, unknown>)?.period === 'string'
        ? String((request.body as Record<string, unknown>).period)
        : '';
    if (!form.ok) return rerender(period, 400, form, body);
    try {
      await saveCommentary(deps, request.actor!, context.auditContext(request), {
        kind,
        organisationId,
        period: form.data.period,
        body: form.data.body,
        version: form.data.version,
      });
    } catch (error) {
      if (error instanceof StaleCommentary) {
        return rerender(
          form.data.period,
          409,
          fieldErrorView([
            {
              field: 'body',
              message:
                'Someone else saved this commentary while you were writing. Their text is shown above; copy yours from below, then save again.',
            },
          ]),
          body,
        );
      }
      throw error;
    }
    return reply.redirect(redirectTo(form.data.period), 303);
  };

  app.post(reportPaths.trackingCommentary, { config: comment }, async (request, reply) =>
    postCommentary(
      request,
      reply,
      'tracking',
      trackingOwner(request.actor!),
      (period) => `${reportPaths.tracking}?month=${period}&saved=1`,
      async (period, status, errors, body) => {
        const month = parseMonth(period) ?? parseMonth(defaultMonth(today()))!;
        const report = await trackingReport(deps, request.actor!, month, context.clock());
        return page(
          request,
          reply,
          report,
          trackingLinks,
          { field: 'month', label: 'Month', items: monthItems(month.key) },
          { status, errors, body },
        );
      },
    ),
  );

  // ── Quarterly report to a member council ─────────────────────────────────────────────────────
  // Called once per request: the eight quarter ends share one read of the records.
  const figuresFor = options.figuresFor ?? ((actor: Actor): FiguresAt => scorecardsFor(deps, actor));
  const quarterFrom = (request: FastifyRequest) => {
    const key = quarterQuery.parse(request.query ?? {}).quarter ?? defaultQuarter(today());
    const quarter = parseQuarter(key);
    if (!quarter) throw new AppError('bad-request', 'Choose a quarter such as 2026-Q2.');
    return quarter;
  };
  const quarterItems = (selected: string) =>
    Array.from({ length: 9 }, (_, i) => previousQuarter(quarterOf(today()), i)).map((key) => ({
      value: key,
      text: parseQuarter(key)!.label,
      selected: key === selected,
    }));
  const quarterlyFor = async (request: FastifyRequest, quarterKey?: string) => {
    const council = await councilForReport(context.db, request.actor!, idOf(request));
    const quarter = quarterKey ? (parseQuarter(quarterKey) ?? quarterFrom(request)) : quarterFrom(request);
    return quarterlyReport(deps, council, quarter, figuresFor(request.actor!), context.clock());
  };
  const quarterlyLinks = (councilId: string) => ({
    action: reportPaths.quarterly(councilId),
    commentary: reportPaths.quarterlyCommentary(councilId),
    pdf: reportPaths.quarterlyPdf(councilId),
    xlsx: reportPaths.quarterlyXlsx(councilId),
  });
  app.get('/reports/councils/:id/quarterly', { config: read }, async (request, reply) => {
    const report = await quarterlyFor(request);
    return page(request, reply, report, quarterlyLinks(report.organisationId), {
      field: 'quarter',
      label: 'Quarter',
      items: quarterItems(report.period.key),
    });
  });
  app.get('/reports/councils/:id/quarterly.pdf', { config: read }, async (request, reply) =>
    sendAs(request, reply, await quarterlyFor(request), 'pdf'),
  );
  app.get('/reports/councils/:id/quarterly.xlsx', { config: read }, async (request, reply) =>
    sendAs(request, reply, await quarterlyFor(request), 'xlsx'),
  );
  app.post('/reports/councils/:id/quarterly/commentary', { config: comment }, async (request, reply) => {
    const council = await councilForReport(context.db, request.actor!, idOf(request));
    return postCommentary(
      request,
      reply,
      'quarterly',
      council.id,
      (period) => `${reportPaths.quarterly(council.id)}?quarter=${period}&saved=1`,
      async (period, status, errors, body) => {
        const report = await quarterlyFor(request, /^\d{4}-Q[1-4]$/.test(period) ? period : undefined);
        return page(
          request,
          reply,
          report,
          quarterlyLinks(council.id),
          { field: 'quarter', label: 'Quarter', items: quarterItems(report.period.key) },
          { status, errors, body },
        );
      },
    );
  });
}
