// The region's organisations as pages: the tree of the actor's region and one organisation's
// details. Thin: parse, ask the service (which applies scope), present, render.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { notFound } from '../../platform/http/errors.js';
import { organisationRoutes } from './organisations.paths.js';
import { presentOrganisation, presentRegion } from './organisations.presenter.js';
import { organisationDetailFor, regionFor } from './organisations.service.js';

const detailParams = z.strictObject({ code: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/) });

export async function registerOrganisationRoutes(
  app: FastifyInstance,
  context: ModuleContext,
): Promise<void> {
  context.navigation.push({
    text: 'Organisations',
    href: organisationRoutes.list,
    permission: 'organisations:read',
    order: 80,
  });

  app.get(
    organisationRoutes.list,
    { config: { access: { permission: 'organisations:read' } } },
    async (request, reply) => {
      const tree = await regionFor(context.db, request.actor!);
      return reply.view(
        'organisations/views/list.njk',
        presentRegion(tree, { shellDemo: context.config.demo }),
      );
    },
  );

  app.get(
    organisationRoutes.detail,
    { config: { access: { permission: 'organisations:read' } } },
    async (request, reply) => {
      // A code that cannot exist is simply not found, like one outside the actor's region.
      const params = detailParams.safeParse(request.params);
      if (!params.success) throw notFound('organisation');
      const detail = await organisationDetailFor(context.db, request.actor!, params.data.code);
      return reply.view(
        'organisations/views/detail.njk',
        presentOrganisation(detail, { shellDemo: context.config.demo }),
      );
    },
  );
}
