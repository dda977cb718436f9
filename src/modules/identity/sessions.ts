// Server-side sessions (security.md AU-4, AU-5, AC-8): an unguessable token in an HttpOnly
// cookie, only its digest stored; a new token at every step up in sign-in (rotation); idle and
// absolute lifetimes checked on every request; ending a session takes effect at once.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { ModuleContext } from '../../platform/app.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import type { SecondFactor } from './identity.tables.js';
import { hashToken, newSessionToken, sessionCookieName } from './session-cookie.js';

type Executor = Db | Transaction<DB>;

export function sessionTokenFrom(context: ModuleContext, request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookieName(context.config)];
}

function setSessionCookie(context: ModuleContext, reply: FastifyReply, token: string): void {
  reply.setCookie(sessionCookieName(context.config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: context.config.tls,
  });
}

export function clearSessionCookie(context: ModuleContext, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(context.config), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: context.config.tls,
  });
}

/**
 * Starts a session for the user and sets its cookie. Any session the browser already had is
 * ended first, so every step of sign-in gets a fresh identifier (session fixation, ASVS 7.2.4).
 */
export async function startSession(
  context: ModuleContext,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  secondFactor: SecondFactor | null,
  trx?: Transaction<DB>,
): Promise<string> {
  const executor: Executor = trx ?? context.db;
  const now = context.clock();
  const previous = sessionTokenFrom(context, request);
  if (previous) {
    await executor
      .updateTable('sessions')
      .set({ ended_at: now, ended_reason: 'rotated' })
      .where('token_hash', '=', hashToken(previous))
      .where('ended_at', 'is', null)
      .execute();
  }
  const token = newSessionToken();
  const row = await executor
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + context.config.sessionAbsoluteSeconds * 1000),
      second_factor: secondFactor,
      ip: request.ip.slice(0, 64),
      user_agent: (request.headers['user-agent'] ?? '').slice(0, 300) || null,
      ended_at: null,
      ended_reason: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  setSessionCookie(context, reply, token);
  // The rest of this request (e.g. the page shown straight after enrolment) sees the new session.
  request.cookies[sessionCookieName(context.config)] = token;
  return row.id;
}

export async function endSession(
  executor: Executor,
  sessionId: string,
  reason: string,
  now: Date,
): Promise<void> {
  await executor
    .updateTable('sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('id', '=', sessionId)
    .where('ended_at', 'is', null)
    .execute();
}

/** Ends every session the user has, everywhere (sign out of all devices; deactivation: AC-8). */
export async function endAllSessions(
  executor: Executor,
  userId: string,
  reason: string,
  now: Date,
): Promise<number> {
  const result = await executor
    .updateTable('sessions')
    .set({ ended_at: now, ended_reason: reason })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
