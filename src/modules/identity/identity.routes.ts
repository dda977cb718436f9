// Identity: sign-in, sessions, second factor, invitations and administration.
// (Being built: see issue 3. Until then no request is authenticated.)
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.js';
import type { ModuleContext } from '../../platform/app.js';

export async function authenticateRequest(
  _context: ModuleContext,
  _request: FastifyRequest,
  _reply: FastifyReply,
): Promise<Actor | null> {
  return null;
}

export async function registerIdentityRoutes(_app: FastifyInstance, _context: ModuleContext): Promise<void> {}
