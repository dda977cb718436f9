// Who is asking: the session cookie → an Actor, read fresh on every request so a change of
// roles, a deactivation or an ended session takes effect at once (AC-8, pitfall P6).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/access/actor.js';
import { isRole, permissionsFor, type Role } from '../../platform/access/permissions.js';
import type { ModuleContext } from '../../platform/app.js';
import { organisationScopeFor } from '../organisations/organisations.service.js';
import { endSession, sessionTokenFrom } from './sessions.js';
import { hashToken } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The current session's id, when the browser has a live session (complete or not). */
    sessionId: string | null;
    /** Seconds before the signed-in session ends if nothing more happens (the timeout warning's clock). */
    sessionSecondsLeft: number | null;
  }
}

/** last_seen_at is written at most this often, to spare a write on every request. */
const touchIntervalMs = 60_000;

/** A sign-in left half-done (password but no second factor) lapses after this (ASVS v5.0.0-7.1.1). */
export const pendingSessionSeconds = 15 * 60;

export async function authenticateRequest(
  context: ModuleContext,
  request: FastifyRequest,
  _reply: FastifyReply,
): Promise<Actor | null> {
  const token = sessionTokenFrom(context, request);
  if (!token || token.length > 100) return null;
  const now = context.clock();
  const row = await context.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'sessions.id as sessionId',
      'sessions.created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.second_factor',
      'users.id as userId',
      'users.name',
      'users.email',
      'users.status',
      'organisations.id as organisationId',
      'organisations.code as organisationCode',
      'organisations.name as organisationName',
      'organisations.kind as organisationKind',
    ])
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.ended_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;

  if (now >= row.expires_at) {
    await endSession(context.db, row.sessionId, 'expired', now);
    return null;
  }
  if (now.getTime() - row.last_seen_at.getTime() > context.config.sessionIdleSeconds * 1000) {
    await endSession(context.db, row.sessionId, 'idle', now);
    return null;
  }
  if (row.status !== 'active') {
    await endSession(context.db, row.sessionId, `user ${row.status}`, now);
    return null;
  }
  // A session whose second factor was skipped by demo mode counts as unfinished everywhere else.
  if (!row.second_factor || (row.second_factor === 'demo_skipped' && !context.config.demo)) {
    if (now.getTime() - row.created_at.getTime() > pendingSessionSeconds * 1000) {
      await endSession(context.db, row.sessionId, 'second factor not given', now);
      return null;
    }
    request.sessionId = row.sessionId;
    request.pendingUserId = row.userId;
    return null;
  }
  request.sessionId = row.sessionId;

  const roleRows = await context.db
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', row.userId)
    .execute();
  const roles = roleRows.map((r) => r.role).filter(isRole) as Role[];
  const scope = await organisationScopeFor(context.db, row.organisationId);
  let lastSeen = row.last_seen_at;
  if (now.getTime() - lastSeen.getTime() > touchIntervalMs) {
    await context.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id', '=', row.sessionId)
      .execute();
    lastSeen = now;
  }
  // Measured from the stored last_seen_at, so the warning's clock matches the server's exactly.
  request.sessionSecondsLeft = Math.floor(
    Math.min(
      lastSeen.getTime() + context.config.sessionIdleSeconds * 1000 - now.getTime(),
      row.expires_at.getTime() - now.getTime(),
    ) / 1000,
  );
  return {
    userId: row.userId,
    sessionId: row.sessionId,
    name: row.name,
    email: row.email,
    organisation: {
      id: row.organisationId,
      code: row.organisationCode,
      name: row.organisationName,
      kind: row.organisationKind,
    },
    roles,
    permissions: permissionsFor(roles),
    scope,
    secondFactorSkipped: row.second_factor === 'demo_skipped',
  };
}
