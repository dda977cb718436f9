// The browser side of single sign-on: choose your organisation, go to its provider, come back.
// The PKCE verifier, state and nonce travel in a short-lived signed HttpOnly cookie; it is
// SameSite=Lax because the provider's redirect back is a top-level cross-site navigation, which
// a Strict cookie would not accompany. Every refusal is a page and an `auth.sso` audit entry.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../../platform/app.js';
import { notFound } from '../../../platform/http/errors.js';
import { startSession } from '../sessions.js';
import {
  beginSignIn,
  completeSignIn,
  providerFor,
  ssoCallbackPath,
  ssoSignInOptions,
  type PendingSsoSignIn,
} from './sso.service.js';

const pendingLifetimeMs = 10 * 60_000;
const organisationParams = z.object({ organisationCode: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/) });
const pendingSchema = z.object({
  organisationCode: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  startedAt: z.number(),
});

export { ssoSignInOptions };

function readPending(raw: string | undefined, request: FastifyRequest): PendingSsoSignIn | undefined {
  const unsigned = raw ? request.unsignCookie(raw) : undefined;
  if (!unsigned?.valid || unsigned.value === null) return undefined;
  try {
    const parsed = pendingSchema.safeParse(JSON.parse(unsigned.value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function registerSsoRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  // With TLS the __Secure- prefix makes the browser refuse the cookie over plain http.
  const pendingCookie = context.config.tls ? '__Secure-kindred-sso' : 'kindred-sso';
  const cookieOptions = {
    path: '/sign-in/sso',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.config.tls,
    signed: true,
  };

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refusal: {
      providerName: string;
      reason: string;
      detail: string;
      organisationId?: string;
      userId?: string;
    },
  ) => {
    await context.audit(request, {
      action: 'auth.sso',
      outcome: 'denied',
      subjectType: refusal.userId ? 'user' : null,
      subjectId: refusal.userId ?? null,
      subjectOrganisationId: refusal.organisationId ?? null,
      userId: refusal.userId ?? null,
      reason: refusal.detail.slice(0, 200),
    });
    return reply.code(403).view('identity/sso/views/failed.njk', {
      pageTitle: `We could not sign you in with ${refusal.providerName}`,
      providerName: refusal.providerName,
      reason: refusal.reason,
    });
  };

  app.get('/sign-in/sso', { config: { access: { public: true } } }, async (_request, reply) => {
    return reply.view('identity/sso/views/choose.njk', {
      pageTitle: 'Sign in with your organisation',
      options: await ssoSignInOptions(context.db),
    });
  });

  app.get(
    '/sign-in/sso/:organisationCode',
    { config: { access: { public: true } } },
    async (request, reply) => {
      const params = organisationParams.safeParse(request.params);
      const settings = params.success
        ? await providerFor(context.db, context.config, params.data.organisationCode)
        : undefined;
      if (!settings) throw notFound('organisation');
      let started;
      try {
        started = await beginSignIn(settings, context.config, context.clock());
      } catch (error) {
        return refuse(request, reply, {
          providerName: settings.displayName,
          reason:
            'Its sign-in service did not answer. Try again later, or sign in with your Kindred email address and password.',
          detail: `discovery failed: ${error instanceof Error ? error.message : 'unknown error'}`,
          organisationId: settings.organisationId,
        });
      }
      reply.setCookie(pendingCookie, JSON.stringify(started.pending), {
        ...cookieOptions,
        maxAge: pendingLifetimeMs / 1000,
      });
      return reply.redirect(started.url.href);
    },
  );

  app.get(ssoCallbackPath, { config: { access: { public: true } } }, async (request, reply) => {
    const pending = readPending(request.cookies[pendingCookie], request);
    // One answer per sign-in started: the cookie goes whatever happens next.
    reply.clearCookie(pendingCookie, cookieOptions);
    if (!pending || context.clock().getTime() - pending.startedAt > pendingLifetimeMs) {
      return refuse(request, reply, {
        providerName: 'your organisation',
        reason: 'The sign-in took too long or was not started here. Start again.',
        detail: pending ? 'sign-in started more than 10 minutes ago' : 'no sign-in in progress',
      });
    }
    const settings = await providerFor(context.db, context.config, pending.organisationCode);
    if (!settings) {
      return refuse(request, reply, {
        providerName: 'your organisation',
        reason:
          'Your organisation no longer signs its staff in this way. Sign in with your Kindred email address and password.',
        detail: `no enabled provider for ${pending.organisationCode}`,
      });
    }
    const outcome = await completeSignIn(
      context.db,
      context.config,
      settings,
      pending,
      new URL(request.url, context.config.publicUrl),
    );
    if (!outcome.ok) {
      return refuse(request, reply, {
        providerName: settings.displayName,
        reason: outcome.reason,
        detail: outcome.detail,
        organisationId: settings.organisationId,
        ...(outcome.userId ? { userId: outcome.userId } : {}),
      });
    }
    await context.db.transaction().execute(async (trx) => {
      // A new session token at sign-in; any session the browser had is ended (AU-4).
      await startSession(context, request, reply, outcome.userId, 'oidc', trx);
      await trx
        .updateTable('users')
        .set({ last_sign_in_at: context.clock(), failed_sign_ins: 0 })
        .where('id', '=', outcome.userId)
        .execute();
      await context.audit(
        request,
        {
          action: 'auth.sso',
          outcome: 'success',
          subjectType: 'user',
          subjectId: outcome.userId,
          subjectOrganisationId: settings.organisationId,
          userId: outcome.userId,
          reason: settings.displayName.slice(0, 200),
        },
        trx,
      );
    });
    return reply.redirect('/');
  });
}
