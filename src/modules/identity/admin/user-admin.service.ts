// Administering staff accounts (issue 3 §4): inviting, giving and taking away roles, deactivating,
// reactivating and resetting the second factor. The rules:
// - an actor reaches only the accounts of the organisations they manage (role-grants.ts); any
//   other account is "not found" (AC-2, pitfall P4), and an organisation chosen in a form must
//   be one of theirs (AC-5);
// - roles are given only if the actor may give them and the organisation may hold them;
// - nobody changes their own account here, nor an account holding a role they could not give;
// - every change is audited in its own transaction (LG-1), and every refusal too (LG-3).
import type { Transaction } from 'kysely';
import type { Actor } from '../../../platform/access/actor.js';
import { roleLabels, type Role } from '../../../platform/access/permissions.js';
import {
  writeAudit,
  type AuditContext,
  type AuditKey,
  type AuditOutcome,
} from '../../../platform/audit/audit.js';
import type { Config } from '../../../platform/config.js';
import type { Db } from '../../../platform/db/client.js';
import type { DB } from '../../../platform/db/schema.js';
import { AppError, notFound, type FieldError } from '../../../platform/http/errors.js';
import type { FormResult } from '../../../platform/http/validation.js';
import type { Mailer } from '../../../platform/mail/mailer.js';
import type { OrganisationKind } from '../../organisations/organisations.tables.js';
import { endAllSessions } from '../sessions.js';
import { issueLink, linkUrl } from '../recovery/account-recovery.service.js';
import { expireOutstandingLinks, outstandingLinkExpiry } from '../recovery/one-time-links.repository.js';
import { invitationEmail } from '../recovery/recovery-emails.js';
import {
  grantableRolesFor,
  mayManageHolderOf,
  organisationsActorManages,
  roleChange,
  rolesActorMayGrant,
  rolesByOrganisationKind,
} from './role-grants.js';
import type { InviteInput, RolesInput, UserFilter } from './user-admin.forms.js';
import {
  activeOrganisations,
  clearSecondFactor,
  emailInUse,
  grantRoles,
  insertInvitedUser,
  liveSessionCount,
  nextVersion,
  removeRoles,
  setStatus,
  userInOrganisations,
  usersInOrganisations,
  type OrganisationChoice,
  type UserRow,
  type UserSummaryRow,
} from './user-admin.repository.js';

export interface UserAdminDeps {
  db: Db;
  auditKey: AuditKey;
  config: Pick<Config, 'publicUrl'>;
  mailer: Mailer;
}

export interface UserDetail extends UserRow {
  liveSessions: number;
  invitationExpiresAt: Date | null;
  /** Roles the actor could give this user, for the roles form. */
  grantableRoles: Role[];
  isSelf: boolean;
  /** False for the actor's own account and for accounts holding roles the actor could not give. */
  mayChange: boolean;
}

const organisationKindPhrases: Record<OrganisationKind, string> = {
  hub: 'the hub',
  raa: 'the regional adoption agency',
  spoke: 'a spoke',
  local_authority: 'a member council',
  team: 'a team',
  voluntary_adoption_agency: 'a partner agency',
  adoption_support_agency: 'a partner agency',
  partner_raa: 'a partner agency',
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function audit(
  executor: Db | Transaction<DB>,
  deps: UserAdminDeps,
  auditContext: AuditContext,
  entry: {
    action: string;
    outcome: AuditOutcome;
    userId: string | null;
    organisationId?: string | null;
    reason?: string | null;
  },
): Promise<void> {
  return writeAudit(executor, deps.auditKey, auditContext, {
    action: entry.action,
    outcome: entry.outcome,
    subjectType: 'user',
    subjectId: entry.userId,
    subjectOrganisationId: entry.organisationId ?? null,
    reason: entry.reason ?? null,
  });
}

const describeRoles = (roles: readonly Role[]): string => (roles.length ? roles.join(', ') : 'none');

export async function listUsers(
  deps: Pick<UserAdminDeps, 'db'>,
  actor: Actor,
  filter: UserFilter,
): Promise<{ users: UserSummaryRow[]; organisations: OrganisationChoice[] }> {
  const managed = organisationsActorManages(actor);
  const [users, organisations] = await Promise.all([
    usersInOrganisations(deps.db, managed, { organisationId: filter.organisation, status: filter.status }),
    activeOrganisations(deps.db, managed),
  ]);
  return { users, organisations };
}

async function detailOf(
  executor: Db | Transaction<DB>,
  actor: Actor,
  user: UserRow,
  now: Date,
): Promise<UserDetail> {
  const isSelf = user.id === actor.userId;
  return {
    ...user,
    liveSessions: await liveSessionCount(executor, user.id, now),
    invitationExpiresAt:
      user.status === 'invited'
        ? ((await outstandingLinkExpiry(executor, user.id, 'invitation', now)) ?? null)
        : null,
    grantableRoles: grantableRolesFor(actor, user.organisation.kind),
    isSelf,
    mayChange: !isSelf && mayManageHolderOf(actor, user.roles),
  };
}

/** A user's page. Looking at someone's account is audited as it is served; a refusal is audited too. */
export async function userDetail(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  userId: string,
): Promise<UserDetail> {
  const detail = await deps.db.transaction().execute(async (trx) => {
    const user = uuidPattern.test(userId)
      ? await userInOrganisations(trx, organisationsActorManages(actor), userId)
      : undefined;
    if (!user) return null;
    await audit(trx, deps, auditContext, {
      action: 'user.view',
      outcome: 'success',
      userId: user.id,
      organisationId: user.organisation.id,
    });
    return detailOf(trx, actor, user, auditContext.now);
  });
  if (!detail) throw await refusedAsNotFound(deps, auditContext, 'user.view', userId);
  return detail;
}

/**
 * A user's page shown again after a refused change. Not audited as a view: the refusal's own
 * audit entry already names this account, so a rejected request writes only that one entry.
 */
export async function userDetailAfterRefusal(
  deps: Pick<UserAdminDeps, 'db'>,
  actor: Actor,
  userId: string,
  now: Date,
): Promise<UserDetail> {
  const user = uuidPattern.test(userId)
    ? await userInOrganisations(deps.db, organisationsActorManages(actor), userId)
    : undefined;
  if (!user) throw notFound('user');
  return detailOf(deps.db, actor, user, now);
}

async function refusedAsNotFound(
  deps: UserAdminDeps,
  auditContext: AuditContext,
  action: string,
  userId: string,
): Promise<AppError> {
  await audit(deps.db, deps, auditContext, {
    action,
    outcome: 'denied',
    userId: uuidPattern.test(userId) ? userId : null,
    reason: 'not an account in your organisations',
  });
  return notFound('user');
}

export interface InviteOptions {
  organisations: (OrganisationChoice & { roles: Role[] })[];
  /** Every role the actor may give someone in at least one of those organisations. */
  roles: Role[];
}

export async function inviteOptions(deps: Pick<UserAdminDeps, 'db'>, actor: Actor): Promise<InviteOptions> {
  const organisations = (await activeOrganisations(deps.db, organisationsActorManages(actor)))
    .map((organisation) => ({ ...organisation, roles: grantableRolesFor(actor, organisation.kind) }))
    .filter((organisation) => organisation.roles.length > 0);
  const offered = new Set(organisations.flatMap((organisation) => organisation.roles));
  return { organisations, roles: rolesActorMayGrant(actor).filter((role) => offered.has(role)) };
}

/** Problems with giving these roles to someone in this kind of organisation: first what the actor may not give, then what the organisation may not hold. */
function roleProblems(
  actor: Actor,
  kind: OrganisationKind,
  changed: readonly Role[],
  requested: readonly Role[],
): { denied: FieldError[]; failed: FieldError[] } {
  const grantable = new Set(rolesActorMayGrant(actor));
  const holdable = new Set(rolesByOrganisationKind[kind]);
  const denied = changed
    .filter((role) => !grantable.has(role))
    .map((role) => ({
      field: 'roles',
      message: `You cannot give or take away the ${roleLabels[role]} role: ask a system administrator`,
    }));
  const failed = requested
    .filter((role) => grantable.has(role) && !holdable.has(role))
    .map((role) => ({
      field: 'roles',
      message: `${roleLabels[role]} cannot be given to someone in ${organisationKindPhrases[kind]}`,
    }));
  return { denied, failed };
}

export type InviteResult =
  { kind: 'invited'; userId: string; emailSent: boolean } | { kind: 'refused'; errors: FieldError[] };

export async function inviteUser(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  form: FormResult<InviteInput>,
): Promise<InviteResult> {
  const refuse = async (outcome: AuditOutcome, reason: string, errors: FieldError[]) => {
    await audit(deps.db, deps, auditContext, { action: 'user.invite', outcome, userId: null, reason });
    return { kind: 'refused' as const, errors };
  };
  if (!form.ok) return refuse('failed', 'invalid form', form.errors);
  const input = form.data;

  const organisation = (await activeOrganisations(deps.db, organisationsActorManages(actor))).find(
    (candidate) => candidate.id === input.organisationId,
  );
  // An organisation outside the actor's own is refused, never quietly replaced (AC-5, pitfall P5).
  if (!organisation) {
    return refuse('denied', 'organisation outside your scope', [
      { field: 'organisationId', message: 'Select an organisation from the list' },
    ]);
  }
  const problems = roleProblems(actor, organisation.kind, input.roles, input.roles);
  if (problems.denied.length) {
    return refuse('denied', `may not give ${describeRoles(input.roles)}`, problems.denied);
  }
  if (problems.failed.length) return refuse('failed', 'role not held in that organisation', problems.failed);
  const emailTaken: FieldError[] = [
    { field: 'email', message: 'There is already a Kindred account with this email address' },
  ];
  if (await emailInUse(deps.db, input.email)) return refuse('failed', 'email address in use', emailTaken);

  const now = auditContext.now;
  const invited = await deps.db
    .transaction()
    .execute(async (trx) => {
      const userId = await insertInvitedUser(trx, {
        organisationId: organisation.id,
        email: input.email,
        name: input.name,
        now,
      });
      await grantRoles(trx, userId, input.roles, actor.userId, now);
      const link = await issueLink(trx, { purpose: 'invitation', userId, createdBy: actor.userId, now });
      await audit(trx, deps, auditContext, {
        action: 'user.invite',
        outcome: 'success',
        userId,
        organisationId: organisation.id,
        reason: `roles: ${describeRoles(input.roles)}`,
      });
      return { userId, ...link };
    })
    .catch((error: unknown) => {
      // Two invitations for one address at once: the unique index decides (migration 0003).
      if ((error as { code?: unknown })?.code === '23505') return null;
      throw error;
    });
  if (!invited) return refuse('failed', 'email address in use', emailTaken);

  const emailSent = await sendInvitation(deps, {
    to: input.email,
    organisationName: organisation.name,
    token: invited.token,
    expiresAt: invited.expiresAt,
  });
  return { kind: 'invited', userId: invited.userId, emailSent };
}

interface Invitation {
  to: string;
  organisationName: string;
  token: string;
  expiresAt: Date;
}

/** Sends an invitation after its transaction has committed; false if the mail server refused it. */
async function sendInvitation(deps: UserAdminDeps, invitation: Invitation): Promise<boolean> {
  try {
    await deps.mailer.send(
      invitationEmail({
        to: invitation.to,
        organisationName: invitation.organisationName,
        link: linkUrl(deps.config, 'invitation', invitation.token),
        expiresAt: invitation.expiresAt,
      }),
    );
    return true;
  } catch {
    return false;
  }
}

interface Refusal {
  outcome: AuditOutcome;
  reason: string;
  error: AppError;
}

/**
 * The frame of every change to an existing account: the account is found within the actor's
 * organisations and locked, the actor is checked against it, then the change and its audit entry
 * are made in one transaction. A refusal is audited after the transaction rolls back.
 */
async function changeAccount<T>(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  action: string,
  userId: string,
  change: (
    trx: Transaction<DB>,
    user: UserRow,
  ) => Promise<{ refusal: Refusal } | { done: T; reason?: string | null }>,
): Promise<T> {
  type Outcome = { missing: true } | { refusal: Refusal; user: UserRow } | { done: T };
  const outcome: Outcome = await deps.db
    .transaction()
    .execute(async (trx): Promise<Outcome> => {
      const user = uuidPattern.test(userId)
        ? await userInOrganisations(trx, organisationsActorManages(actor), userId, { lock: true })
        : undefined;
      if (!user) return { missing: true };
      if (user.id === actor.userId) {
        return {
          refusal: {
            outcome: 'denied',
            reason: 'own account',
            error: new AppError(
              'bad-request',
              'You cannot change your own account here. Ask another manager or a system administrator.',
            ),
          },
          user,
        };
      }
      if (!mayManageHolderOf(actor, user.roles)) {
        return {
          refusal: {
            outcome: 'denied',
            reason: `holds ${describeRoles(user.roles)}`,
            error: new AppError(
              'forbidden',
              'This person holds a role you cannot give, so only a system administrator can change their account.',
            ),
          },
          user,
        };
      }
      const result = await change(trx, user);
      if ('refusal' in result) throw new Refused(result.refusal, user);
      await audit(trx, deps, auditContext, {
        action,
        outcome: 'success',
        userId: user.id,
        organisationId: user.organisation.id,
        reason: result.reason ?? null,
      });
      return { done: result.done };
    })
    .catch((error: unknown): Outcome => {
      if (error instanceof Refused) return { refusal: error.refusal, user: error.user };
      throw error;
    });
  if ('missing' in outcome) throw await refusedAsNotFound(deps, auditContext, action, userId);
  if ('refusal' in outcome) {
    await audit(deps.db, deps, auditContext, {
      action,
      outcome: outcome.refusal.outcome,
      userId: outcome.user.id,
      organisationId: outcome.user.organisation.id,
      reason: outcome.refusal.reason,
    });
    throw outcome.refusal.error;
  }
  return outcome.done;
}

/** Rolls a change's transaction back when a check inside it refuses. */
class Refused extends Error {
  constructor(
    readonly refusal: Refusal,
    readonly user: UserRow,
  ) {
    super(refusal.reason);
  }
}

/** Raised for a roles form that cannot be saved: the page is shown again with the messages. */
export class RolesRefused extends AppError {
  constructor(
    readonly errors: FieldError[],
    readonly conflict: boolean,
  ) {
    super(conflict ? 'conflict' : 'bad-request', errors[0]?.message ?? 'Check the roles and try again');
  }
}

/**
 * Replaces a user's roles. The form carries the version it was based on: if someone else changed
 * the account since, nothing is saved and the page says so (design.md §4, pitfall P16).
 */
export async function changeRoles(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  userId: string,
  form: FormResult<RolesInput>,
): Promise<void> {
  const refusal = (outcome: AuditOutcome, reason: string, errors: FieldError[], conflict = false) => ({
    refusal: { outcome, reason, error: new RolesRefused(errors, conflict) },
  });
  await changeAccount(deps, actor, auditContext, 'user.roles.change', userId, async (trx, user) => {
    if (!form.ok) return refusal('failed', 'invalid form', form.errors);
    if (form.data.version !== user.version) {
      return refusal(
        'failed',
        'changed by someone else meanwhile',
        [{ field: 'roles', message: 'Someone else changed this account after you opened the page' }],
        true,
      );
    }
    const requested = form.data.roles;
    const { added, removed } = roleChange(user.roles, requested);
    const problems = roleProblems(actor, user.organisation.kind, [...added, ...removed], added);
    if (problems.denied.length) {
      return refusal('denied', `may not change ${describeRoles([...added, ...removed])}`, problems.denied);
    }
    if (problems.failed.length)
      return refusal('failed', 'role not held in that organisation', problems.failed);
    if (!(await nextVersion(trx, user.id, user.version, auditContext.now))) {
      return refusal(
        'failed',
        'changed by someone else meanwhile',
        [{ field: 'roles', message: 'Someone else changed this account after you opened the page' }],
        true,
      );
    }
    await removeRoles(trx, user.id, removed);
    await grantRoles(trx, user.id, added, actor.userId, auditContext.now);
    return { done: undefined, reason: `added: ${describeRoles(added)}; removed: ${describeRoles(removed)}` };
  });
}

/** Deactivates an account and ends all its sessions at once: the very next request is refused (AC-8). */
export async function deactivateUser(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  userId: string,
): Promise<void> {
  await changeAccount(deps, actor, auditContext, 'user.deactivate', userId, async (trx, user) => {
    if (user.status === 'deactivated') {
      return {
        refusal: {
          outcome: 'failed',
          reason: 'already deactivated',
          error: new AppError('bad-request', 'This account is already deactivated.'),
        },
      };
    }
    const now = auditContext.now;
    await setStatus(trx, user.id, 'deactivated', now);
    const ended = await endAllSessions(trx, user.id, 'account deactivated', now);
    await expireOutstandingLinks(trx, user.id, ['invitation', 'password_reset'], now);
    return { done: undefined, reason: `${ended} sessions ended` };
  });
}

/** Reactivates an account: active again if a password was ever set, otherwise back to waiting for an invitation. */
export async function reactivateUser(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  userId: string,
): Promise<void> {
  await changeAccount(deps, actor, auditContext, 'user.reactivate', userId, async (trx, user) => {
    if (user.status !== 'deactivated') {
      return {
        refusal: {
          outcome: 'failed',
          reason: 'not deactivated',
          error: new AppError('bad-request', 'This account is not deactivated.'),
        },
      };
    }
    const status = user.hasPassword ? 'active' : 'invited';
    await setStatus(trx, user.id, status, auditContext.now);
    return { done: undefined, reason: `now ${status}` };
  });
}

/**
 * Forgets the user's authenticator app and recovery codes and signs them out everywhere; they
 * set up an app again the next time they sign in (for a lost phone).
 */
export async function resetSecondFactor(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  userId: string,
): Promise<void> {
  await changeAccount(deps, actor, auditContext, 'user.second-factor.reset', userId, async (trx, user) => {
    if (user.status === 'deactivated') {
      return {
        refusal: {
          outcome: 'failed',
          reason: 'deactivated',
          error: new AppError('bad-request', 'Reactivate the account first.'),
        },
      };
    }
    const now = auditContext.now;
    const codes = await clearSecondFactor(trx, user.id, now);
    const ended = await endAllSessions(trx, user.id, 'second factor reset', now);
    return { done: undefined, reason: `${ended} sessions ended; ${codes} recovery codes retired` };
  });
}

/** Sends a fresh invitation, replacing any earlier one. Returns whether the email was accepted for delivery. */
export async function resendInvitation(
  deps: UserAdminDeps,
  actor: Actor,
  auditContext: AuditContext,
  userId: string,
): Promise<boolean> {
  const invitation = await changeAccount<Invitation>(
    deps,
    actor,
    auditContext,
    'user.invite.resend',
    userId,
    async (trx, user) => {
      if (user.status !== 'invited') {
        return {
          refusal: {
            outcome: 'failed',
            reason: `account ${user.status}`,
            error: new AppError(
              'bad-request',
              'Only an account that has not been set up yet can be sent an invitation.',
            ),
          },
        };
      }
      const link = await issueLink(trx, {
        purpose: 'invitation',
        userId: user.id,
        createdBy: actor.userId,
        now: auditContext.now,
      });
      return { done: { ...link, to: user.email, organisationName: user.organisation.name } };
    },
  );
  return sendInvitation(deps, invitation);
}
