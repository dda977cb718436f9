// The board dashboard page (issue 9 §4): benefit measures and equalities monitoring, aggregates
// only, small numbers suppressed.
import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { chartModel } from './charts.js';
import { suppressionNote } from './dashboard.js';
import { boardDashboard } from './dashboard.service.js';

export const dashboardPaths = { board: '/reports/board' };

export function registerDashboardRoutes(app: FastifyInstance, context: ModuleContext): void {
  const deps = { db: context.db, auditKey: context.auditKey };
  app.get(
    dashboardPaths.board,
    { config: { access: { permission: 'reports:read' } } },
    async (request, reply) => {
      const dashboard = await boardDashboard(deps, request.actor!, context.auditContext(request));
      const { tables } = dashboard.equalities;
      const charts = tables.map((table) =>
        chartModel({
          id: table.id,
          title: `${table.heading}: children waiting and households approved`,
          description: `Bars compare the children waiting with the households approved and waiting to be matched, by ${table.heading.toLowerCase()}. Suppressed counts are not drawn.`,
          categories: table.rows.map((row) => row.label),
          series: [
            {
              name: 'Children waiting',
              values: table.rows.map((row) => row.children.value),
              texts: table.rows.map((row) => row.children.text),
            },
            ...(dashboard.householdsShown
              ? [
                  {
                    name: table.householdsMeaning,
                    values: table.rows.map((row) => row.households.value),
                    texts: table.rows.map((row) => row.households.text),
                  },
                ]
              : []),
          ],
          unit: '',
          kind: 'bar',
          categoryHeading: table.heading,
        }),
      );
      return reply.view('reports/views/board.njk', {
        pageTitle: 'Board dashboard',
        dashboard,
        charts,
        suppressionNote,
      });
    },
  );
}
