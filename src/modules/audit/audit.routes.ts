import type { FastifyInstance } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';

export async function registerAuditRoutes(_app: FastifyInstance, _context: ModuleContext): Promise<void> {}
