// The browser side of single sign-on: choose your organisation, go to its provider, come back.
// The PKCE verifier, state and nonce travel in a short-lived signed HttpOnly cookie; it is
// SameSite=Lax because the provider's redirect back is a top-level cross-site navigation.
import type { FastifyInstance, FastifyReply } from 'fastify';
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

const pendingCookie = 'kindred-sso';
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

export async function registerSsoRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  const cookieOptions = {
    path: '/sign-in/sso',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.config.tls,
    signed: true,
  };

  const failed = async (reply: FastifyReply, providerName: string, reason: string) =>
    reply.code(403).view('identity/sso/views/failed.njk', {
      pageTitle: `We could not sign you in with ${providerName}`,
      providerName,
      reason,
    });

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
        started = await beginSignIn(settings, context.config);
      } catch {
        return failed(
          reply,
          settings.displayName,
          'Its sign-in service did not answer. Try again later, or sign in with your Kindred password.',
        );
      }
      reply.setCookie(pendingCookie, JSON.stringify(started.pending), {
        ...cookieOptions,
        maxAge: pendingLifetimeMs / 1000,
      });
      return reply.redirect(started.url.href);
    },
  );

  app.get(ssoCallbackPath, { config: { access: { public: true } } }, async (request, reply) => {
    const raw = request.cookies[pendingCookie];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    reply.clearCookie(pendingCookie, cookieOptions);
    let pending: PendingSsoSignIn | undefined;
    try {
      const parsed = pendingSchema.safeParse(unsigned?.valid ? JSON.parse(unsigned.value ?? '') : undefined);
      pending = parsed.success ? parsed.data : undefined;
    } catch {
      pending = undefined;
    }
    if (!pending || Date.now() - pending.startedAt > pendingLifetimeMs) {
      await context.audit(request, {
        action: 'auth.sso',
        outcome: 'denied',
        reason: 'no sign-in in progress',
      });
      return failed(
        reply,
        'your organisation',
        'The sign-in took too long or was not started here. Start again.',
      );
    }
    const settings = await providerFor(context.db, context.config, pending.organisationCode);
    if (!settings) throw notFound('organisation');
    const outcome = await completeSignIn(
      context.db,
      context.config,
      settings,
      pending,
      new URL(request.url, context.config.publicUrl),
    );
    if (!outcome.ok) {
      await context.audit(request, {
        action: 'auth.sso',
        outcome: 'denied',
        subjectType: outcome.userId ? 'user' : null,
        subjectId: outcome.userId ?? null,
        subjectOrganisationId: settings.organisationId,
        userId: outcome.userId ?? null,
        reason: outcome.reason.slice(0, 200),
      });
      return failed(reply, settings.displayName, outcome.reason);
    }
    await context.db.transaction().execute(async (trx) => {
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
          reason: settings.displayName,
        },
        trx,
      );
    });
    return reply.redirect('/');
  });
}
