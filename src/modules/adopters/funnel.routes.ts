// The conversion funnel page and its CSV (issue 5 §5). Thin: parse the filters, call the service,
// present numbers for the view.
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { heardFromOptions } from './enquiry.forms.js';
import {
  conversionFunnelCsv,
  conversionFunnelView,
  dropOutLabel,
  funnelQuerySchema,
  sourceLabel,
  type FunnelQuery,
} from './funnel.service.js';
import { financialYearLabel, funnelStepLabels, funnelSteps, type FunnelCounts } from './funnel.js';

export const funnelPaths = { page: '/adopters/funnel', csv: '/adopters/funnel.csv' };

const triage = { access: { permission: 'enquiries:triage' as const } };

function searchOf(query: FunnelQuery & { year?: number }): string {
  const params = new URLSearchParams();
  if (query.year !== undefined) params.set('year', String(query.year));
  if (query.spoke) params.set('spoke', query.spoke);
  if (query.source) params.set('source', query.source);
  return params.size ? `?${params.toString()}` : '';
}

const percentText = (value: number | null) => (value === null ? '–' : `${value}%`);

const barWidth = (count: number, largest: number) =>
  Math.max(count > 0 ? 1 : 0, Math.round((count / Math.max(1, largest)) * 100));

const countCells = (counts: FunnelCounts) => [...funnelSteps.map((step) => counts[step]), counts.dropOuts];

export function registerFunnelRoutes(app: FastifyInstance, context: ModuleContext): void {
  context.navigation.push({
    text: 'Conversion funnel',
    href: funnelPaths.page,
    permission: 'enquiries:triage',
    order: 32,
  });
  const deps = { db: context.db, auditKey: context.auditKey };

  app.get(funnelPaths.page, { config: triage }, async (request, reply) => {
    const requested = funnelQuerySchema.parse(request.query ?? {});
    const result = await conversionFunnelView(deps, request.actor!, context.auditContext(request), requested);
    const { report, query } = result;
    const spokeNames = new Map(result.spokes.map((spoke) => [spoke.id, spoke.name]));
    const largest = Math.max(...report.conversion.map((step) => step.count));
    return reply.view('adopters/views/funnel.njk', {
      pageTitle: 'Conversion funnel',
      inScope: result.inScope,
      yearLabel: report.yearLabel,
      chart: report.conversion.map((step) => ({
        label: funnelStepLabels[step.step],
        count: step.count,
        ofPrevious: percentText(step.ofPrevious),
        ofEnquiries: percentText(step.ofEnquiries),
        percent: barWidth(step.count, largest),
      })),
      stepHeadings: funnelSteps.map((step) => funnelStepLabels[step]),
      quarters: report.quarters.map((q) => ({ label: q.label, cells: countCells(q.counts) })),
      total: countCells(report.total),
      bySpoke: report.bySpoke.map((g) => ({
        label: g.key === null ? 'No spoke' : (spokeNames.get(g.key) ?? 'Another spoke'),
        cells: countCells(g.counts),
        approvalRate: percentText(g.approvalRate),
      })),
      bySource: report.bySource.map((g) => ({
        label: sourceLabel(g.key),
        cells: countCells(g.counts),
        approvalRate: percentText(g.approvalRate),
      })),
      dropOuts: (() => {
        const most = Math.max(1, ...report.dropOuts.map((d) => d.count));
        return report.dropOuts.map((d) => ({
          label: dropOutLabel(d.reason),
          count: d.count,
          after: funnelSteps.map((step) => d.after[step]),
          percent: barWidth(d.count, most),
        }));
      })(),
      yearItems: result.years.map((year) => ({
        value: String(year),
        text: financialYearLabel(year),
        selected: year === query.year,
      })),
      spokeItems: [
        { value: '', text: 'All spokes' },
        ...result.spokes.map((s) => ({ value: s.id, text: s.name, selected: s.id === query.spoke })),
        { value: 'none', text: 'No spoke (outside the councils)', selected: query.spoke === 'none' },
      ],
      sourceItems: [
        { value: '', text: 'All sources' },
        ...Object.entries(heardFromOptions).map(([value, text]) => ({
          value,
          text,
          selected: value === query.source,
        })),
        { value: 'none', text: 'Not known', selected: query.source === 'none' },
      ],
      csvHref: `${funnelPaths.csv}${searchOf(query)}`,
    });
  });

  app.get(funnelPaths.csv, { config: triage }, async (request, reply) => {
    const query = funnelQuerySchema.parse(request.query ?? {});
    const { csv, year } = await conversionFunnelCsv(
      deps,
      request.actor!,
      context.auditContext(request),
      query,
    );
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="conversion-funnel-${financialYearLabel(year)}.csv"`,
      )
      .send(`\uFEFF${csv}`);
  });
}
