// One-time links by email: invitations (7 days) and password resets (1 hour). The token is 256
// random bits in the link's path, never its query string (ASVS v5.0.0-14.2.1, security.md P27);
// only its SHA-256 digest is stored. A link works once: it is marked used in the same transaction
// as the password it sets. A newer link of the same kind replaces any older unused one.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { writeAudit, type AuditContext, type AuditKey } from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config.js';
import type { Db } from '../../../platform/db/client.js';
import type { DB } from '../../../platform/db/schema.js';
import type { OutgoingMail } from '../../../platform/mail/mailer.js';
import { hashPassword, passwordPolicyProblem } from '../passwords.js';
import { hashToken } from '../session-cookie.js';
import { endAllSessions } from '../sessions.js';
import type { UserStatus } from '../identity.tables.js';
import {
  accountForEmail,
  expireOutstandingLinks,
  insertLink,
  linkOwner,
  linksIssuedSince,
  setPassword,
  usableLinkHolder,
  useLink,
  type LinkHolder,
  type LinkPurpose,
} from './one-time-links.repository.js';
import { passwordChangedEmail, passwordResetEmail } from './recovery-emails.js';
import { recoveryPaths } from './recovery.paths.js';

export type { LinkHolder, LinkPurpose };

const hour = 60 * 60 * 1000;

export const linkLifetimeMs: Record<LinkPurpose, number> = {
  invitation: 7 * 24 * hour,
  password_reset: hour,
};

/**
 * Which accounts a link of each kind still works for. An invitation, only while the account is
 * waiting to be accepted. A reset, for active accounts and for invited ones whose invitation has
 * lapsed (proof of the mailbox is the same proof an invitation gives); never a deactivated one.
 */
const linkWorksFor: Record<LinkPurpose, readonly UserStatus[]> = {
  invitation: ['invited'],
  password_reset: ['active', 'invited'],
};

/** At most this many reset emails an hour for one account, so nobody can flood a colleague's inbox. */
export const resetEmailsPerHour = 3;

/** base64url of 32 random bytes: 43 characters. Anything else cannot be one of our tokens. */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedLinkToken(token: unknown): token is string {
  return typeof token === 'string' && tokenPattern.test(token);
}

export function linkUrl(config: Pick<Config, 'publicUrl'>, purpose: LinkPurpose, token: string): string {
  const path =
    purpose === 'invitation' ? recoveryPaths.invitation(token) : recoveryPaths.resetPassword(token);
  return new URL(path, config.publicUrl).toString();
}

/** Issues a new link, ending any unused link of the same kind. Returns the token: it exists nowhere else. */
export async function issueLink(
  trx: Transaction<DB>,
  link: { purpose: LinkPurpose; userId: string; createdBy: string | null; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  await expireOutstandingLinks(trx, link.userId, [link.purpose], link.now);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(link.now.getTime() + linkLifetimeMs[link.purpose]);
  await insertLink(trx, {
    tokenHash: hashToken(token),
    purpose: link.purpose,
    userId: link.userId,
    createdBy: link.createdBy,
    createdAt: link.now,
    expiresAt,
  });
  return { token, expiresAt };
}

export interface RecoveryDeps {
  db: Db;
  auditKey: AuditKey;
  config: Pick<Config, 'publicUrl'>;
}

/**
 * "Forgot password": issues a reset link when the address belongs to an account that may have
 * one, and returns the email to send. The caller answers the same way whatever this returns, so
 * nobody can learn which addresses have accounts (issue 3 §2, AU-3).
 */
export async function requestPasswordReset(
  deps: RecoveryDeps,
  auditContext: AuditContext,
  email: string,
): Promise<OutgoingMail | null> {
  const now = auditContext.now;
  return deps.db.transaction().execute(async (trx) => {
    const account = await accountForEmail(trx, email, linkWorksFor.password_reset);
    const audit = (outcome: 'success' | 'failed' | 'denied', reason: string | null) =>
      writeAudit(trx, deps.auditKey, auditContext, {
        action: 'auth.password-reset.request',
        outcome,
        subjectType: account ? 'user' : null,
        subjectId: account?.id ?? null,
        subjectOrganisationId: account?.organisationId ?? null,
        userId: account?.id ?? null,
        reason,
      });
    if (!account) {
      await audit('failed', 'no active or invited account for that address');
      return null;
    }
    const recent = await linksIssuedSince(trx, account.id, 'password_reset', new Date(now.getTime() - hour));
    if (recent >= resetEmailsPerHour) {
      await audit('denied', `more than ${resetEmailsPerHour} reset emails in an hour`);
      return null;
    }
    const { token } = await issueLink(trx, {
      purpose: 'password_reset',
      userId: account.id,
      createdBy: null,
      now,
    });
    await audit('success', null);
    return passwordResetEmail({ to: email, link: linkUrl(deps.config, 'password_reset', token) });
  });
}

/** Who a link belongs to, if it still works; null for expired, used, unknown and malformed links alike. */
export async function linkHolderFor(
  deps: Pick<RecoveryDeps, 'db'>,
  purpose: LinkPurpose,
  token: string,
  now: Date,
): Promise<LinkHolder | null> {
  if (!isWellFormedLinkToken(token)) return null;
  return (await usableLinkHolder(deps.db, hashToken(token), purpose, linkWorksFor[purpose], now)) ?? null;
}

export type ChoosePasswordResult =
  | { kind: 'done'; holder: LinkHolder; email: OutgoingMail | null }
  | { kind: 'link-unusable' }
  | { kind: 'password-refused'; holder: LinkHolder; message: string };

const actionFor: Record<LinkPurpose, string> = {
  invitation: 'user.invitation.accept',
  password_reset: 'auth.password-reset',
};

/**
 * Sets the password a link holder chose. In one transaction: the link is used, the password set,
 * the account made active, throttling cleared, every session ended (a reset must lock out whoever
 * knew the old password), other unused links ended, and the change audited.
 */
export async function choosePassword(
  deps: RecoveryDeps,
  auditContext: AuditContext,
  purpose: LinkPurpose,
  token: string,
  password: string | null,
  formProblem: string | null,
): Promise<ChoosePasswordResult> {
  const now = auditContext.now;
  const action = actionFor[purpose];
  const refuse = async (reason: string) => {
    const owner = isWellFormedLinkToken(token) ? await linkOwner(deps.db, hashToken(token)) : undefined;
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action,
      outcome: 'denied',
      subjectType: owner ? 'user' : null,
      subjectId: owner ?? null,
      userId: owner ?? null,
      reason,
    });
    return { kind: 'link-unusable' as const };
  };

  const holder = await linkHolderFor(deps, purpose, token, now);
  if (!holder) return refuse('link expired, used or unknown');
  const problem =
    formProblem ??
    (password === null
      ? 'Enter a password'
      : passwordPolicyProblem(password, { email: holder.email, name: holder.name }));
  if (problem || password === null) {
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action,
      outcome: 'failed',
      subjectType: 'user',
      subjectId: holder.userId,
      userId: holder.userId,
      reason: 'password not accepted',
    });
    return { kind: 'password-refused', holder, message: problem ?? 'Enter a password' };
  }

  // Hashing is slow on purpose, so it happens before the transaction opens.
  const passwordHash = await hashPassword(password);
  const changed = await deps.db
    .transaction()
    .execute(async (trx) => {
      const userId = await useLink(trx, hashToken(token), purpose, now);
      if (userId !== holder.userId) throw new LinkRaced();
      const account = await setPassword(trx, userId, passwordHash, linkWorksFor[purpose], now);
      if (!account) throw new LinkRaced();
      const ended = await endAllSessions(
        trx,
        userId,
        `password set by ${purpose.replace('_', ' ')} link`,
        now,
      );
      await expireOutstandingLinks(trx, userId, ['invitation', 'password_reset'], now);
      await writeAudit(trx, deps.auditKey, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'user',
        subjectId: userId,
        subjectOrganisationId: account.organisationId,
        userId,
        reason: ended ? `${ended} sessions ended` : null,
      });
      return account;
    })
    .catch((error: unknown) => {
      if (error instanceof LinkRaced) return null;
      throw error;
    });
  if (!changed) return refuse('link used or account changed meanwhile');
  return {
    kind: 'done',
    holder,
    email: purpose === 'password_reset' ? passwordChangedEmail({ to: changed.email, when: now }) : null,
  };
}

/** The account changed between reading the link and using it; rolls the transaction back. */
class LinkRaced extends Error {}
