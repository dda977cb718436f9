// SQL for one-time links (invitations and password resets). Only the SHA-256 digest of a link's
// token is stored; a link is usable while it is unused and unexpired, and using it is one
// conditional UPDATE, so two requests racing with the same link cannot both succeed.
import type { Transaction } from 'kysely';
import type { Db } from '../../../platform/db/client.js';
import type { DB } from '../../../platform/db/schema.js';
import type { UserStatus } from '../identity.tables.js';

type Executor = Db | Transaction<DB>;

export type LinkPurpose = 'invitation' | 'password_reset';

export interface LinkHolder {
  userId: string;
  email: string;
  name: string;
  status: UserStatus;
  organisationName: string;
}

export async function insertLink(
  trx: Transaction<DB>,
  link: {
    tokenHash: string;
    purpose: LinkPurpose;
    userId: string;
    createdBy: string | null;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('one_time_tokens')
    .values({
      token_hash: link.tokenHash,
      purpose: link.purpose,
      user_id: link.userId,
      created_by: link.createdBy,
      created_at: link.createdAt,
      expires_at: link.expiresAt,
      used_at: null,
    })
    .execute();
}

/** Makes the user's unused links of these kinds expire now (superseded, or the account changed). */
export async function expireOutstandingLinks(
  trx: Transaction<DB>,
  userId: string,
  purposes: readonly LinkPurpose[],
  now: Date,
): Promise<number> {
  const result = await trx
    .updateTable('one_time_tokens')
    .set({ expires_at: now })
    .where('user_id', '=', userId)
    .where('purpose', 'in', [...purposes])
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The person a usable link belongs to, if the link is usable and their account is in one of these states. */
export async function usableLinkHolder(
  executor: Executor,
  tokenHash: string,
  purpose: LinkPurpose,
  statuses: readonly UserStatus[],
  now: Date,
): Promise<LinkHolder | undefined> {
  return executor
    .selectFrom('one_time_tokens')
    .innerJoin('users', 'users.id', 'one_time_tokens.user_id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id as userId',
      'users.email',
      'users.name',
      'users.status',
      'organisations.name as organisationName',
    ])
    .where('one_time_tokens.token_hash', '=', tokenHash)
    .where('one_time_tokens.purpose', '=', purpose)
    .where('one_time_tokens.used_at', 'is', null)
    .where('one_time_tokens.expires_at', '>', now)
    .where('users.status', 'in', [...statuses])
    .executeTakeFirst();
}

/** Marks a usable link used; the user's id if it was usable, undefined if not (expired, used, unknown). */
export async function useLink(
  trx: Transaction<DB>,
  tokenHash: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<string | undefined> {
  const row = await trx
    .updateTable('one_time_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

/** Whose link this was, usable or not: for the audit entry of a refused attempt only. */
export async function linkOwner(executor: Executor, tokenHash: string): Promise<string | undefined> {
  const row = await executor
    .selectFrom('one_time_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row?.user_id;
}

export async function linksIssuedSince(
  executor: Executor,
  userId: string,
  purpose: LinkPurpose,
  since: Date,
): Promise<number> {
  const row = await executor
    .selectFrom('one_time_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the user's unused invitation expires, if they have one. */
export async function outstandingLinkExpiry(
  executor: Executor,
  userId: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<Date | undefined> {
  const row = await executor
    .selectFrom('one_time_tokens')
    .select('expires_at')
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
  return row?.expires_at;
}

/** The account a password-reset request names, if it is one that may receive a link. */
export async function accountForEmail(
  executor: Executor,
  email: string,
  statuses: readonly UserStatus[],
): Promise<{ id: string; organisationId: string } | undefined> {
  const row = await executor
    .selectFrom('users')
    .select(['id', 'organisation_id'])
    .where('email', '=', email)
    .where('status', 'in', [...statuses])
    .executeTakeFirst();
  return row ? { id: row.id, organisationId: row.organisation_id } : undefined;
}

/** Sets a new password and clears throttling; only while the account is in one of these states. */
export async function setPassword(
  trx: Transaction<DB>,
  userId: string,
  passwordHash: string,
  fromStatuses: readonly UserStatus[],
  now: Date,
): Promise<{ organisationId: string; email: string } | undefined> {
  const row = await trx
    .updateTable('users')
    .set((eb) => ({
      password_hash: passwordHash,
      status: 'active',
      failed_sign_ins: 0,
      throttled_until: null,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', userId)
    .where('status', 'in', [...fromStatuses])
    .returning(['organisation_id', 'email'])
    .executeTakeFirst();
  return row ? { organisationId: row.organisation_id, email: row.email } : undefined;
}
