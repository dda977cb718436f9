// Forgotten passwords and accepting invitations: public pages reached from an email link.
// Whatever is entered, "forgot password" answers the same, so it cannot be used to find out who
// has an account (issue 3 §2; security.md AU-3). Expired, used, unknown and malformed links all
// get one page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../../platform/app.js';
import { cleanText, fieldErrorView, parseForm } from '../../../platform/http/validation.js';
import type { OutgoingMail } from '../../../platform/mail/mailer.js';
import {
  choosePassword,
  linkHolderFor,
  requestPasswordReset,
  type LinkPurpose,
} from './account-recovery.service.js';
import { forgotPasswordSchema, newPasswordSchema } from './recovery.forms.js';
import { recoveryPaths } from './recovery.paths.js';

const view = (name: string) => `identity/recovery/views/${name}.njk`;

const tokenParams = z.object({ token: z.string().max(100) });

const pageCopy: Record<
  LinkPurpose,
  { heading: string; button: string; doneHeading: string; doneParagraphs: string[] }
> = {
  invitation: {
    heading: 'Create your password',
    button: 'Create password',
    doneHeading: 'Your account is ready',
    doneParagraphs: [
      'Sign in with your email address and the password you chose.',
      'The first time you sign in, you will set up an authenticator app on your phone. Have your phone with you.',
    ],
  },
  password_reset: {
    heading: 'Choose a new password',
    button: 'Change password',
    doneHeading: 'Your password has been changed',
    doneParagraphs: [
      'You have been signed out on every device. Sign in with your new password.',
      'We have sent you an email to confirm the change.',
    ],
  },
};

/** Limits per address: 5 reset requests in 15 minutes (issue 3 §2); the link forms, a few tries each. */
const forgotPasswordRateLimit = { rateLimit: { max: 5, timeWindow: '15 minutes' } };
const linkFormRateLimit = { rateLimit: { max: 20, timeWindow: '15 minutes' } };

export async function registerAccountRecoveryRoutes(
  app: FastifyInstance,
  context: ModuleContext,
): Promise<void> {
  const deps = { db: context.db, auditKey: context.auditKey, config: context.config };

  // Reset emails go after the answer, so an address with an account is not answered more slowly
  // than one without (AU-3). A failure is logged without the address or the link.
  const sending = new Set<Promise<void>>();
  const sendAfterAnswering = (mail: OutgoingMail, what: string) => {
    const delivery = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => context.mailer.send(mail))
      .catch((error: unknown) => {
        const code = (error as { code?: unknown; responseCode?: unknown }) ?? {};
        app.log.error({ code: code.code, responseCode: code.responseCode }, `${what} email not sent`);
      })
      .finally(() => sending.delete(delivery));
    sending.add(delivery);
  };
  app.addHook('onClose', async () => {
    await Promise.allSettled([...sending]);
  });

  app.get(recoveryPaths.forgotPassword, { config: { access: { public: true } } }, async (_request, reply) =>
    reply.view(view('forgot-password'), { pageTitle: 'Reset your password', values: {} }),
  );

  app.post(
    recoveryPaths.forgotPassword,
    { config: { access: { public: true }, ...forgotPasswordRateLimit } },
    async (request, reply) => {
      const form = parseForm(forgotPasswordSchema, request.body);
      if (!form.ok) {
        await context.audit(request, {
          action: 'auth.password-reset.request',
          outcome: 'failed',
          reason: 'invalid form',
        });
        return reply.code(400).view(view('forgot-password'), {
          pageTitle: 'Reset your password',
          ...form,
          values: { email: echoed(request.body, 'email', 254) },
        });
      }
      const mail = await requestPasswordReset(deps, context.auditContext(request), form.data.email);
      if (mail) sendAfterAnswering(mail, 'password reset');
      return reply.view(view('forgot-password-sent'), { pageTitle: 'Check your email' });
    },
  );

  const registerLinkPages = (purpose: LinkPurpose, path: string, pathFor: (token: string) => string) => {
    const copy = pageCopy[purpose];
    const tokenFrom = (request: FastifyRequest) => {
      const params = tokenParams.safeParse(request.params);
      return params.success ? params.data.token : '';
    };
    const unusable = (reply: FastifyReply) =>
      reply.code(404).view(view('link-unusable'), {
        pageTitle: 'This link has expired or has already been used',
      });

    app.get(path, { config: { access: { public: true } } }, async (request, reply) => {
      privateLinkPage(reply);
      const token = tokenFrom(request);
      const holder = await linkHolderFor(deps, purpose, token, context.clock());
      if (!holder) return unusable(reply);
      return reply.view(view('choose-password'), {
        pageTitle: copy.heading,
        heading: copy.heading,
        buttonText: copy.button,
        formAction: pathFor(token),
        holder,
      });
    });

    app.post(path, { config: { access: { public: true }, ...linkFormRateLimit } }, async (request, reply) => {
      privateLinkPage(reply);
      const token = tokenFrom(request);
      const form = parseForm(newPasswordSchema, request.body);
      const result = await choosePassword(
        deps,
        context.auditContext(request),
        purpose,
        token,
        form.ok ? form.data.password : null,
        form.ok ? null : (form.errors[0]?.message ?? 'Enter a password'),
      );
      if (result.kind === 'link-unusable') return unusable(reply);
      if (result.kind === 'password-refused') {
        return reply.code(400).view(view('choose-password'), {
          pageTitle: copy.heading,
          heading: copy.heading,
          buttonText: copy.button,
          formAction: pathFor(token),
          holder: result.holder,
          ...fieldErrorView([{ field: 'password', message: result.message }]),
        });
      }
      if (result.email) sendAfterAnswering(result.email, 'password changed');
      return reply.view(view('password-set'), {
        pageTitle: copy.doneHeading,
        heading: copy.doneHeading,
        paragraphs: copy.doneParagraphs,
      });
    });
  };

  registerLinkPages('password_reset', '/reset-password/:token', recoveryPaths.resetPassword);
  registerLinkPages('invitation', '/invitation/:token', recoveryPaths.invitation);
}

/**
 * A page whose address holds a one-time token: never cached, and the address is never sent on
 * as a referrer, even to our own pages (ASVS v5.0.0-14.2.1, 14.3.2).
 */
function privateLinkPage(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

/** What was typed into a text field, tidied and shortened, to show again beside its error. */
function echoed(body: unknown, field: string, maxLength: number): string {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? cleanText(value.slice(0, maxLength * 2)).slice(0, maxLength) : '';
}
