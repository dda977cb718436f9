import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';

export async function registerOrganisationRoutes(
  _app: FastifyInstance,
  _context: ModuleContext,
): Promise<void> {}
