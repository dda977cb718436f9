// The region's organisations: a tree of the RAA's spokes, member councils and teams, and its
// partner agencies. Not personal data, so views are not audited; scope still applies.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { notFound } from '../../platform/http/errors.js';
import { organisationsInRegionOf, type OrganisationRow } from './organisations.repository.js';

export const organisationKindLabels: Record<OrganisationRow['kind'], string> = {
  hub: 'Hub',
  raa: 'Regional adoption agency',
  spoke: 'Spoke',
  local_authority: 'Member council',
  team: 'Team',
  voluntary_adoption_agency: 'Voluntary adoption agency',
  adoption_support_agency: 'Adoption support agency',
  partner_raa: 'Partner RAA',
};

const codeParams = z.object({ code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/) });

export async function registerOrganisationRoutes(
  app: FastifyInstance,
  context: ModuleContext,
): Promise<void> {
  context.navigation.push({
    text: 'Organisations',
    href: '/organisations',
    permission: 'organisations:read',
    order: 80,
  });

  app.get(
    '/organisations',
    { config: { access: { permission: 'organisations:read' } } },
    async (request, reply) => {
      const rows = (await organisationsInRegionOf(context.db, request.actor!)).filter((row) => row.active);
      const childrenOf = (id: string) => rows.filter((row) => row.parent_id === id);
      const raa = rows.find((row) => row.kind === 'raa' && row.id === request.actor!.scope.raaId);
      const spokes = raa
        ? childrenOf(raa.id)
            .filter((row) => row.kind === 'spoke')
            .map((spoke) => ({
              spoke,
              councils: childrenOf(spoke.id).filter((row) => row.kind === 'local_authority'),
              teams: childrenOf(spoke.id).filter((row) => row.kind === 'team'),
            }))
        : [];
      const partners = (['partner_raa', 'voluntary_adoption_agency', 'adoption_support_agency'] as const)
        .map((kind) => ({
          label: organisationKindLabels[kind],
          organisations: rows.filter((row) => row.kind === kind),
        }))
        .filter((group) => group.organisations.length > 0);
      return reply.view('organisations/views/list.njk', {
        pageTitle: 'Organisations',
        raa,
        hub: rows.find((row) => row.kind === 'hub'),
        spokes,
        partners,
        others: raa ? [] : rows,
        kindLabels: organisationKindLabels,
      });
    },
  );

  app.get(
    '/organisations/:code',
    { config: { access: { permission: 'organisations:read' } } },
    async (request, reply) => {
      const params = codeParams.safeParse(request.params);
      if (!params.success) throw notFound('organisation');
      const rows = await organisationsInRegionOf(context.db, request.actor!);
      const organisation = rows.find((row) => row.code === params.data.code);
      if (!organisation) throw notFound('organisation');
      return reply.view('organisations/views/detail.njk', {
        pageTitle: organisation.name,
        organisation,
        kindLabel: organisationKindLabels[organisation.kind],
        parent: rows.find((row) => row.id === organisation.parent_id),
        children: rows.filter((row) => row.parent_id === organisation.id && row.active),
        kindLabels: organisationKindLabels,
      });
    },
  );
}
