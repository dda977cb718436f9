// SQL for administering staff accounts. Every read of a user is limited to the organisations the
// actor manages: an account anywhere else is simply not found (design.md §2, pitfall P4). An
// empty list of organisations reaches nothing (pitfall P1).
import type { Transaction } from 'kysely';
import { isRole, type Role } from '../../../platform/access/permissions.js';
import type { Db } from '../../../platform/db/client.js';
import type { DB } from '../../../platform/db/schema.js';
import type { OrganisationKind } from '../../organisations/organisations.tables.js';
import type { UserStatus } from '../identity.tables.js';

type Executor = Db | Transaction<DB>;

export interface OrganisationChoice {
  id: string;
  name: string;
  kind: OrganisationKind;
}

export interface UserSummaryRow {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  organisationId: string;
  organisationName: string;
  roles: Role[];
}

export interface UserRow {
  id: string;
  name: string;
  email: string;
  status: UserStatus;
  version: number;
  hasPassword: boolean;
  secondFactorSetUpAt: Date | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  organisation: OrganisationChoice;
  roles: Role[];
}

/** The active organisations among these ids, by name. */
export async function activeOrganisations(
  executor: Executor,
  organisationIds: readonly string[],
): Promise<OrganisationChoice[]> {
  if (organisationIds.length === 0) return [];
  return executor
    .selectFrom('organisations')
    .select(['id', 'name', 'kind'])
    .where('id', 'in', [...organisationIds])
    .where('active', '=', true)
    .orderBy('name')
    .execute();
}

export async function usersInOrganisations(
  executor: Executor,
  organisationIds: readonly string[],
  filter: { organisationId?: string | undefined; status?: UserStatus | undefined },
): Promise<UserSummaryRow[]> {
  const ids = filter.organisationId
    ? organisationIds.filter((id) => id === filter.organisationId)
    : [...organisationIds];
  if (ids.length === 0) return [];
  let query = executor
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.status',
      'users.organisation_id as organisationId',
      'organisations.name as organisationName',
    ])
    .where('users.organisation_id', 'in', ids);
  if (filter.status) query = query.where('users.status', '=', filter.status);
  const rows = await query.orderBy('users.name').orderBy('users.email').execute();
  const roles = await rolesOf(
    executor,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, roles: roles.get(row.id) ?? [] }));
}

/** One user, if they belong to one of these organisations; locked for the rest of the transaction when asked. */
export async function userInOrganisations(
  executor: Executor,
  organisationIds: readonly string[],
  userId: string,
  options: { lock?: boolean } = {},
): Promise<UserRow | undefined> {
  if (organisationIds.length === 0) return undefined;
  let query = executor
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.status',
      'users.version',
      'users.password_hash',
      'users.totp_enrolled_at',
      'users.last_sign_in_at',
      'users.created_at',
      'organisations.id as organisationId',
      'organisations.name as organisationName',
      'organisations.kind as organisationKind',
    ])
    .where('users.id', '=', userId)
    .where('users.organisation_id', 'in', [...organisationIds]);
  if (options.lock) query = query.forUpdate('users');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const roles = await rolesOf(executor, [row.id]);
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    version: row.version,
    hasPassword: row.password_hash !== null,
    secondFactorSetUpAt: row.totp_enrolled_at,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    organisation: { id: row.organisationId, name: row.organisationName, kind: row.organisationKind },
    roles: roles.get(row.id) ?? [],
  };
}

async function rolesOf(executor: Executor, userIds: readonly string[]): Promise<Map<string, Role[]>> {
  const byUser = new Map<string, Role[]>();
  if (userIds.length === 0) return byUser;
  const rows = await executor
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where('user_id', 'in', [...userIds])
    .execute();
  for (const row of rows) {
    if (!isRole(row.role)) continue;
    byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.role]);
  }
  return byUser;
}

export async function liveSessionCount(executor: Executor, userId: string, now: Date): Promise<number> {
  const row = await executor
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether any account, in any organisation, already uses this address (addresses are unique). */
export async function emailInUse(executor: Executor, email: string): Promise<boolean> {
  const row = await executor.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  return !!row;
}

export async function insertInvitedUser(
  trx: Transaction<DB>,
  user: { organisationId: string; email: string; name: string; now: Date },
): Promise<string> {
  const row = await trx
    .insertInto('users')
    .values({
      organisation_id: user.organisationId,
      email: user.email,
      name: user.name,
      password_hash: null,
      totp_secret_encrypted: null,
      totp_enrolled_at: null,
      status: 'invited',
      throttled_until: null,
      last_sign_in_at: null,
      created_at: user.now,
      updated_at: user.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function grantRoles(
  trx: Transaction<DB>,
  userId: string,
  roles: readonly Role[],
  grantedBy: string,
  now: Date,
): Promise<void> {
  if (roles.length === 0) return;
  await trx
    .insertInto('user_roles')
    .values(roles.map((role) => ({ user_id: userId, role, granted_by: grantedBy, granted_at: now })))
    .execute();
}

export async function removeRoles(
  trx: Transaction<DB>,
  userId: string,
  roles: readonly Role[],
): Promise<void> {
  if (roles.length === 0) return;
  await trx
    .deleteFrom('user_roles')
    .where('user_id', '=', userId)
    .where('role', 'in', [...roles])
    .execute();
}

/** Moves the user's version on, only from the version the change was based on (optimistic locking). */
export async function nextVersion(
  trx: Transaction<DB>,
  userId: string,
  fromVersion: number,
  now: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', userId)
    .where('version', '=', fromVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setStatus(
  trx: Transaction<DB>,
  userId: string,
  status: UserStatus,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('users')
    .set((eb) => ({
      status,
      failed_sign_ins: 0,
      throttled_until: null,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', userId)
    .execute();
}

/** Forgets the authenticator app and retires the recovery codes, so the user enrols again at next sign-in. */
export async function clearSecondFactor(trx: Transaction<DB>, userId: string, now: Date): Promise<number> {
  await trx
    .updateTable('users')
    .set((eb) => ({
      totp_secret_encrypted: null,
      totp_enrolled_at: null,
      totp_last_time_step: null,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', userId)
    .execute();
  const codes = await trx
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(codes.numUpdatedRows);
}
