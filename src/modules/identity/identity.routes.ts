// Signing in and out: password, then the second factor (TOTP or a recovery code), enrolment of
// the authenticator on first sign-in, the account page with sessions, and session extension.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { cleanText, fieldErrorView, parseForm } from '../../platform/http/validation.js';
import { formatDateTime } from '../../platform/views/render.js';
import { roleLabels } from '../../platform/access/permissions.js';
import { authenticateRequest } from './authenticate.js';
import { secretBox } from './secret-box.js';
import { endAllSessions, endSession, clearSessionCookie, startSession } from './sessions.js';
import {
  checkPassword,
  currentThrottle,
  NoAccountThrottle,
  recordFailure,
  throttleMessage,
  wrongCredentialsMessage,
} from './sign-in.service.js';
import { ssoSignInOptions } from './sso/sso.service.js';
import {
  checkTotp,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseCode,
  qrCodeSvg,
  totpUri,
} from './two-factor.js';

export { authenticateRequest };

const signInSchema = z.object({
  email: z
    .string({ error: 'Enter your email address' })
    .max(254, 'Email address must be 254 characters or fewer')
    .transform(cleanText)
    .pipe(
      z
        .string()
        .min(1, 'Enter your email address')
        .pipe(z.email('Enter an email address in the correct format, like name@example.com')),
    ),
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(1024, 'Password must be 1,024 characters or fewer'),
});

const codeSchema = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .max(64, 'Enter the 6-digit code from your authenticator app')
    .transform((value) => normaliseCode(cleanText(value)))
    .pipe(z.string().regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app')),
});

const recoveryCodeSchema = z.object({
  code: z
    .string({ error: 'Enter one of your recovery codes' })
    .max(64, 'Enter a recovery code in the format shown, like k7q2m-x9d4p')
    .transform((value) => normaliseCode(cleanText(value)).toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9]{10}$/, 'Enter a recovery code in the format shown, like k7q2m-x9d4p')),
});

export async function registerIdentityRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  // Per-IP limits on the sign-in steps, beside the per-account throttle (issue 3 §1).
  const signInRateLimit = {
    rateLimit: { max: context.config.signInAttemptsPerMinute, timeWindow: '1 minute' },
  };
  app.decorateRequest('sessionId', null);
  app.decorateRequest('sessionSecondsLeft', null);
  const noAccount = new NoAccountThrottle();
  context.navigation.push({ text: 'Your account', href: '/account', order: 90 });
  const totpBox = secretBox(context.config.secret, 'totp-v1');

  const afterPassword = async (
    request: FastifyRequest,
    reply: FastifyReply,
    userId: string,
    totpEnrolled: boolean,
  ) => {
    if (context.config.demo) {
      // Demo mode only: the second factor is skipped, and every page says so (issue 3 §8).
      await startSession(context, request, reply, userId, 'demo_skipped');
      await markSignedIn(userId);
      await context.audit(request, {
        action: 'auth.sign-in',
        outcome: 'success',
        subjectType: 'user',
        subjectId: userId,
        userId,
        reason: 'demo: second factor skipped',
      });
      return reply.redirect('/');
    }
    await startSession(context, request, reply, userId, null);
    return reply.redirect(totpEnrolled ? '/sign-in/two-factor' : '/account/two-factor/setup');
  };

  const markSignedIn = async (userId: string, timeStep?: number) => {
    await context.db
      .updateTable('users')
      .set({
        failed_sign_ins: 0,
        throttled_until: null,
        last_sign_in_at: context.clock(),
        ...(timeStep === undefined ? {} : { totp_last_time_step: timeStep }),
      })
      .where('id', '=', userId)
      .execute();
  };

  const requirePending = (request: FastifyRequest): string => {
    if (!request.pendingUserId)
      throw new AppError('unauthenticated', 'Sign in with your email address and password first.');
    return request.pendingUserId;
  };

  /** Where a GET of a second-factor page goes when there is no half-finished sign-in. */
  const elsewhere = (request: FastifyRequest): string | null =>
    request.actor ? '/' : request.pendingUserId ? null : '/sign-in';

  app.get('/sign-in', { config: { access: { public: true } } }, async (request, reply) => {
    if (request.actor) return reply.redirect('/');
    const query = request.query as Record<string, unknown>;
    return reply.view('identity/views/sign-in.njk', {
      pageTitle: 'Sign in',
      timedOut: query.timedOut === '1',
      signedOut: query.signedOut === '1',
      values: {},
      ssoOptions: await ssoSignInOptions(context.db),
    });
  });

  app.post(
    '/sign-in',
    { config: { access: { public: true }, ...signInRateLimit } },
    async (request, reply) => {
      const form = parseForm(signInSchema, request.body);
      const rawEmail =
        typeof (request.body as Record<string, unknown>)?.email === 'string'
          ? cleanText(String((request.body as Record<string, unknown>).email)).slice(0, 254)
          : '';
      if (!form.ok) {
        await context.audit(request, { action: 'auth.sign-in', outcome: 'failed', reason: 'invalid form' });
        return reply
          .code(400)
          .view('identity/views/sign-in.njk', { pageTitle: 'Sign in', ...form, values: { email: rawEmail } });
      }
      const outcome = await checkPassword(context, noAccount, form.data.email, form.data.password);
      if (outcome.kind !== 'ok') {
        const message =
          outcome.kind === 'throttled'
            ? throttleMessage(outcome.until, context.clock())
            : wrongCredentialsMessage;
        await context.audit(request, {
          action: 'auth.sign-in',
          outcome: outcome.kind === 'throttled' ? 'denied' : 'failed',
          subjectType: outcome.userId ? 'user' : null,
          subjectId: outcome.userId,
          userId: outcome.userId,
          reason: outcome.kind === 'throttled' ? 'throttled' : 'wrong email or password',
        });
        // One response for unknown accounts and wrong passwords alike (AU-3, ASVS 6.3.8).
        return reply.code(outcome.kind === 'throttled' ? 429 : 401).view('identity/views/sign-in.njk', {
          pageTitle: 'Sign in',
          ...fieldErrorView([{ field: 'email', message }]),
          values: { email: form.data.email },
        });
      }
      await context.audit(request, {
        action: 'auth.password',
        outcome: 'success',
        subjectType: 'user',
        subjectId: outcome.user.id,
        userId: outcome.user.id,
      });
      return afterPassword(request, reply, outcome.user.id, outcome.user.totpEnrolled);
    },
  );

  app.get('/sign-in/two-factor', { config: { access: { public: true } } }, async (request, reply) => {
    const redirect = elsewhere(request);
    if (redirect) return reply.redirect(redirect);
    return reply.view('identity/views/two-factor.njk', { pageTitle: 'Enter your security code' });
  });

  app.post(
    '/sign-in/two-factor',
    { config: { access: { public: true }, ...signInRateLimit } },
    async (request, reply) => {
      const userId = requirePending(request);
      const throttled = await currentThrottle(context, userId);
      const form = parseForm(codeSchema, request.body);
      const user = await context.db
        .selectFrom('users')
        .select(['totp_secret_encrypted', 'totp_enrolled_at', 'totp_last_time_step'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      let message: string | null = throttled ? throttleMessage(throttled, context.clock()) : null;
      if (!message && !form.ok)
        message = form.errors[0]?.message ?? 'Enter the 6-digit code from your authenticator app';
      if (!message && form.ok && user.totp_secret_encrypted && user.totp_enrolled_at) {
        const check = await checkTotp(
          totpBox.open(user.totp_secret_encrypted),
          form.data.code,
          context.clock(),
          user.totp_last_time_step,
        );
        if (check.valid) {
          await startSession(context, request, reply, userId, 'totp');
          await markSignedIn(userId, check.timeStep);
          await context.audit(request, {
            action: 'auth.sign-in',
            outcome: 'success',
            subjectType: 'user',
            subjectId: userId,
            userId,
            reason: 'totp',
          });
          return reply.redirect('/');
        }
        const until = await recordFailure(context, userId);
        message = until
          ? throttleMessage(until, context.clock())
          : 'The security code is not correct or has expired. Enter the latest code from your authenticator app';
      }
      message ??=
        'The security code is not correct or has expired. Enter the latest code from your authenticator app';
      await context.audit(request, {
        action: 'auth.second-factor',
        outcome: 'failed',
        subjectType: 'user',
        subjectId: userId,
        userId,
        reason: 'totp',
      });
      return reply.code(throttled ? 429 : 400).view('identity/views/two-factor.njk', {
        pageTitle: 'Enter your security code',
        ...fieldErrorView([{ field: 'code', message }]),
      });
    },
  );

  app.get('/sign-in/recovery-code', { config: { access: { public: true } } }, async (request, reply) => {
    const redirect = elsewhere(request);
    if (redirect) return reply.redirect(redirect);
    return reply.view('identity/views/recovery-code.njk', { pageTitle: 'Use a recovery code' });
  });

  app.post(
    '/sign-in/recovery-code',
    { config: { access: { public: true }, ...signInRateLimit } },
    async (request, reply) => {
      const userId = requirePending(request);
      const throttled = await currentThrottle(context, userId);
      const form = parseForm(recoveryCodeSchema, request.body);
      let message: string | null = throttled ? throttleMessage(throttled, context.clock()) : null;
      if (!message && !form.ok) message = form.errors[0]?.message ?? 'Enter one of your recovery codes';
      if (!message && form.ok) {
        const used = await context.db.transaction().execute(async (trx) => {
          const result = await trx
            .updateTable('recovery_codes')
            .set({ used_at: context.clock() })
            .where('user_id', '=', userId)
            .where('code_hash', '=', hashRecoveryCode(form.data.code))
            .where('used_at', 'is', null)
            .executeTakeFirst();
          if (Number(result.numUpdatedRows) !== 1) return false;
          await startSession(context, request, reply, userId, 'recovery_code', trx);
          await context.audit(
            request,
            {
              action: 'auth.sign-in',
              outcome: 'success',
              subjectType: 'user',
              subjectId: userId,
              userId,
              reason: 'recovery code',
            },
            trx,
          );
          return true;
        });
        if (used) {
          await markSignedIn(userId);
          return reply.redirect('/account?recoveryCodeUsed=1');
        }
        const until = await recordFailure(context, userId);
        message = until
          ? throttleMessage(until, context.clock())
          : 'That recovery code is not correct or has already been used';
      }
      message ??= 'That recovery code is not correct or has already been used';
      await context.audit(request, {
        action: 'auth.second-factor',
        outcome: 'failed',
        subjectType: 'user',
        subjectId: userId,
        userId,
        reason: 'recovery code',
      });
      return reply.code(throttled ? 429 : 400).view('identity/views/recovery-code.njk', {
        pageTitle: 'Use a recovery code',
        ...fieldErrorView([{ field: 'code', message }]),
      });
    },
  );

  app.get('/account/two-factor/setup', { config: { access: { public: true } } }, async (request, reply) => {
    const redirect = elsewhere(request);
    if (redirect) return reply.redirect(redirect);
    const userId = requirePending(request);
    const user = await context.db
      .selectFrom('users')
      .select(['email', 'totp_secret_encrypted', 'totp_enrolled_at'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    if (user.totp_enrolled_at) return reply.redirect('/sign-in/two-factor');
    let secret = user.totp_secret_encrypted ? totpBox.open(user.totp_secret_encrypted) : undefined;
    if (!secret) {
      secret = newTotpSecret();
      await context.db
        .updateTable('users')
        .set({ totp_secret_encrypted: totpBox.seal(secret) })
        .where('id', '=', userId)
        .execute();
    }
    return reply.view('identity/views/two-factor-setup.njk', {
      pageTitle: 'Set up your authenticator app',
      qrCode: await qrCodeSvg(totpUri(secret, user.email)),
      secret: secret.replace(/(.{4})/g, '$1 ').trim(),
    });
  });

  app.post(
    '/account/two-factor/setup',
    { config: { access: { public: true }, ...signInRateLimit } },
    async (request, reply) => {
      const userId = requirePending(request);
      const user = await context.db
        .selectFrom('users')
        .select(['email', 'totp_secret_encrypted', 'totp_enrolled_at'])
        .where('id', '=', userId)
        .executeTakeFirstOrThrow();
      if (user.totp_enrolled_at || !user.totp_secret_encrypted) return reply.redirect('/sign-in/two-factor');
      const secret = totpBox.open(user.totp_secret_encrypted);
      const form = parseForm(codeSchema, request.body);
      const check = form.ok
        ? await checkTotp(secret, form.data.code, context.clock(), null)
        : { valid: false as const };
      if (!check.valid) {
        return reply.code(400).view('identity/views/two-factor-setup.njk', {
          pageTitle: 'Set up your authenticator app',
          qrCode: await qrCodeSvg(totpUri(secret, user.email)),
          secret: secret.replace(/(.{4})/g, '$1 ').trim(),
          ...fieldErrorView([
            {
              field: 'code',
              message: form.ok
                ? 'The code is not correct. Check the time on your phone and enter the latest code'
                : (form.errors[0]?.message ?? 'Enter the 6-digit code'),
            },
          ]),
        });
      }
      const codes = newRecoveryCodes();
      await context.db.transaction().execute(async (trx) => {
        const now = context.clock();
        await trx
          .updateTable('users')
          .set({ totp_enrolled_at: now, totp_last_time_step: check.timeStep })
          .where('id', '=', userId)
          .execute();
        await trx
          .updateTable('recovery_codes')
          .set({ used_at: now })
          .where('user_id', '=', userId)
          .where('used_at', 'is', null)
          .execute();
        await trx
          .insertInto('recovery_codes')
          .values(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code) })))
          .execute();
        await startSession(context, request, reply, userId, 'totp', trx);
        await context.audit(
          request,
          {
            action: 'auth.second-factor.enrol',
            outcome: 'success',
            subjectType: 'user',
            subjectId: userId,
            userId,
          },
          trx,
        );
      });
      await markSignedIn(userId, check.timeStep);
      // Shown once, in this response only: the codes are stored hashed (issue 3 §1).
      request.actor = await authenticateRequest(context, request, reply);
      return reply.view('identity/views/recovery-codes.njk', {
        pageTitle: 'Save your recovery codes',
        codes,
      });
    },
  );

  app.post('/sign-out', { config: { access: { public: true } } }, async (request, reply) => {
    if (request.sessionId) {
      await endSession(context.db, request.sessionId, 'signed out', context.clock());
      await context.audit(request, {
        action: 'auth.sign-out',
        outcome: 'success',
        subjectType: 'user',
        subjectId: request.actor?.userId ?? request.pendingUserId,
        userId: request.pendingUserId,
      });
    }
    clearSessionCookie(context, reply);
    return reply.redirect('/sign-in?signedOut=1');
  });

  app.get('/account', { config: { access: { signedIn: true } } }, async (request, reply) => {
    const actor = request.actor!;
    const sessions = await context.db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent', 'second_factor'])
      .where('user_id', '=', actor.userId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', context.clock())
      .orderBy('last_seen_at', 'desc')
      .execute();
    const unusedCodes = await context.db
      .selectFrom('recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', actor.userId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return reply.view('identity/views/account.njk', {
      pageTitle: 'Your account',
      roles: actor.roles.map((role) => roleLabels[role]),
      recoveryCodeUsed: (request.query as Record<string, unknown>).recoveryCodeUsed === '1',
      unusedRecoveryCodes: Number(unusedCodes.n),
      sessions: sessions.map((s) => ({
        current: s.id === actor.sessionId,
        started: formatDateTime(s.created_at),
        lastActive: formatDateTime(s.last_seen_at),
        ip: s.ip ?? 'Unknown',
        browser: describeBrowser(s.user_agent),
      })),
    });
  });

  app.post(
    '/account/sign-out-everywhere',
    { config: { access: { signedIn: true } } },
    async (request, reply) => {
      const actor = request.actor!;
      await context.db.transaction().execute(async (trx) => {
        const ended = await endAllSessions(trx, actor.userId, 'signed out everywhere', context.clock());
        await context.audit(
          request,
          {
            action: 'auth.sign-out-everywhere',
            outcome: 'success',
            subjectType: 'user',
            subjectId: actor.userId,
            reason: `${ended} sessions ended`,
          },
          trx,
        );
      });
      clearSessionCookie(context, reply);
      return reply.redirect('/sign-in?signedOut=1');
    },
  );

  // "Stay signed in" from the session-timeout warning (WCAG 2.2 SC 2.2.1; security.md AU-5).
  // The answer is the time left before the idle limit or the absolute limit, whichever is sooner.
  app.post('/session/extend', { config: { access: { signedIn: true } } }, async (request, reply) => {
    const now = context.clock();
    const session = await context.db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id', '=', request.actor!.sessionId)
      .returning('expires_at')
      .executeTakeFirstOrThrow();
    const absoluteLeft = Math.floor((session.expires_at.getTime() - now.getTime()) / 1000);
    return reply.send({ expiresInSeconds: Math.min(context.config.sessionIdleSeconds, absoluteLeft) });
  });
}

function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : 'Other browser';
  const system = /Windows/.test(userAgent)
    ? 'Windows'
    : /Mac OS X/.test(userAgent)
      ? 'macOS'
      : /Android/.test(userAgent)
        ? 'Android'
        : /iPhone|iPad/.test(userAgent)
          ? 'iOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : '';
  return system ? `${browser} on ${system}` : browser;
}
