// The statutory returns' pages and downloads (issue 9 §5). Thin: parse the quarter, build the
// return over the actor's scope, list its problems; a download with problems needs the user's
// explicit "download anyway", and every download is audited with the records in it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import type { ReturnKind } from './reports.tables.js';
import { adoptersRaaOf, buildReturnFor, recordReturnExport } from './returns.service.js';
import {
  latestClosedQuarter,
  parseQuarter,
  quartersOffered,
  returnCsv,
  returnFileName,
  returnKindInfo,
  returnKinds,
  returnXlsx,
} from './returns.js';

export const returnsPaths = {
  index: '/reports/returns',
  preview: (kind: ReturnKind) => `/reports/returns/${kind}`,
  download: (kind: ReturnKind, format: 'xlsx' | 'csv') => `/reports/returns/${kind}.${format}`,
};

const exportAccess = { access: { permission: 'returns:export' as const } };

const querySchema = z.object({
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/)
    .optional()
    .catch(undefined),
  anyway: z.literal('yes').optional().catch(undefined),
});

const problemsShown = 500;

export function registerReturnsRoutes(app: FastifyInstance, context: ModuleContext): void {
  const deps = { db: context.db, auditKey: context.auditKey };
  const today = () => todayInLondon(context.clock());
  const quarterFrom = (request: FastifyRequest) => {
    const query = querySchema.parse(request.query ?? {});
    const quarter = parseQuarter(query.quarter ?? latestClosedQuarter(today()));
    if (!quarter) throw new AppError('bad-request', 'Choose a quarter such as 2026-Q2.');
    return { quarter, anyway: query.anyway === 'yes' };
  };

  app.get(returnsPaths.index, { config: exportAccess }, async (request, reply) => {
    const { quarter } = quarterFrom(request);
    const actor = request.actor!;
    return reply.view('reports/views/returns.njk', {
      pageTitle: 'Statutory returns',
      quarter,
      quarterItems: quartersOffered(today()).map((key) => ({
        value: key,
        text: parseQuarter(key)!.label,
        selected: key === quarter.key,
      })),
      returns: returnKinds.map((kind) => ({
        kind,
        ...returnKindInfo[kind],
        href: `${returnsPaths.preview(kind)}?quarter=${quarter.key}`,
        unavailable: returnKindInfo[kind].subject === 'household' && !adoptersRaaOf(actor),
      })),
    });
  });

  for (const kind of returnKinds) {
    const info = returnKindInfo[kind];
    app.get(returnsPaths.preview(kind), { config: exportAccess }, async (request, reply) => {
      const { quarter } = quarterFrom(request);
      const built = await buildReturnFor(deps, request.actor!, kind, quarter);
      const q = `?quarter=${quarter.key}`;
      const anyway = built.problems.length ? '&anyway=yes' : '';
      return reply.view('reports/views/return.njk', {
        pageTitle: `${info.title}: ${quarter.label}`,
        info,
        quarter,
        period: built.period,
        rowCount: built.rows.length,
        subjectCount: built.subjectIds.length,
        subjectNoun: info.subject === 'child' ? 'children' : 'households',
        councilsOnly: info.subject === 'household' && !adoptersRaaOf(request.actor!),
        problems: built.problems.slice(0, problemsShown),
        problemCount: built.problems.length,
        moreProblems: Math.max(0, built.problems.length - problemsShown),
        headers: built.headers,
        xlsxHref: `${returnsPaths.download(kind, 'xlsx')}${q}${anyway}`,
        csvHref: `${returnsPaths.download(kind, 'csv')}${q}${anyway}`,
        backHref: `${returnsPaths.index}${q}`,
      });
    });
    for (const format of ['xlsx', 'csv'] as const) {
      app.get(
        returnsPaths.download(kind, format),
        { config: exportAccess },
        async (request, reply: FastifyReply) => {
          const { quarter, anyway } = quarterFrom(request);
          const built = await buildReturnFor(deps, request.actor!, kind, quarter);
          // Problems are shown before anything leaves: without the explicit choice, back to the list.
          if (built.problems.length && !anyway) {
            return reply.redirect(`${returnsPaths.preview(kind)}?quarter=${quarter.key}`, 303);
          }
          const body = format === 'xlsx' ? await returnXlsx(built) : returnCsv(built);
          await recordReturnExport(deps, request.actor!, context.auditContext(request), built, format);
          return reply
            .header('content-disposition', `attachment; filename="${returnFileName(built, format)}"`)
            .type(
              format === 'xlsx'
                ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
                : 'text/csv; charset=utf-8',
            )
            .send(body);
        },
      );
    }
  }
}
