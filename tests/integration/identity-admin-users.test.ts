// Issue 3 §4: administering staff accounts. Managers reach only their own organisation's
// accounts (system administrators, their whole scope); everything else is not found (AC-2);
// organisations and roles chosen in a form are checked, never trusted (AC-5); revocation works
// on the next request (AC-8); every change and every refusal is audited (LG-1, LG-3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/platform/access/permissions.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aStaffAccount, Browser } from '../support/people.js';

let t: TestApp;
let raaId: string;
let councilA: string;
let councilB: string;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Example' });
  councilA = await anOrganisation(t, { kind: 'local_authority', parentId: raaId, raaId, name: 'Council A' });
  councilB = await anOrganisation(t, { kind: 'local_authority', parentId: raaId, raaId, name: 'Council B' });
});
afterAll(async () => {
  await t?.close();
});

function post(actor: SignedInUser, url: string, fields: [string, string][] = []) {
  return t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', actor.csrfToken], ...fields]).toString(),
  });
}

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });

async function rolesOf(userId: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', userId)
    .execute();
  return rows.map((row) => row.role).sort();
}

async function userRow(userId: string) {
  return t.database.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirstOrThrow();
}

async function audits(action: string, subjectId: string | null, outcome?: 'success' | 'denied' | 'failed') {
  let query = t.database.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'actor_user_id', 'subject_organisation_id'])
    .where('action', '=', action);
  query =
    subjectId === null ? query.where('subject_id', 'is', null) : query.where('subject_id', '=', subjectId);
  if (outcome) query = query.where('outcome', '=', outcome);
  return query.orderBy('seq').execute();
}

async function tableCounts() {
  const count = async (table: 'users' | 'user_roles' | 'one_time_tokens') =>
    Number(
      (
        await t.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    users: await count('users'),
    userRoles: await count('user_roles'),
    tokens: await count('one_time_tokens'),
  };
}

const inviteFields = (
  organisationId: string,
  roles: Role[],
  email = `new-${Math.random().toString(36).slice(2)}@example.test`,
) =>
  [
    ['name', 'Alex Newstarter'],
    ['email', email],
    ['organisationId', organisationId],
    ...roles.map((role) => ['roles', role]),
  ] as [string, string][];

describe.each(['team_manager', 'la_manager'] as const)('a %s of council A (AC-2, LG-3)', (managerRole) => {
  let manager: SignedInUser;
  let colleague: SignedInUser;
  let stranger: SignedInUser;
  // A role this manager may give and a council may hold: the colleague is someone they can manage.
  const colleagueRole = managerRole === 'team_manager' ? 'panel_member' : 'la_social_worker';

  beforeAll(async () => {
    manager = await signedInUser(t, { roles: [managerRole], organisationId: councilA, name: 'Manager A' });
    colleague = await signedInUser(t, {
      roles: [colleagueRole],
      organisationId: councilA,
      name: 'Colleague A',
    });
    stranger = await signedInUser(t, {
      roles: ['la_social_worker'],
      organisationId: councilB,
      name: 'Stranger B',
    });
  });

  it("lists council A's users and not council B's", async () => {
    const list = await get(manager, '/admin/users');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(colleague.email);
    expect(list.body).not.toContain(stranger.email);
    expect(list.body).not.toContain('Council B');
    // A filter naming council B shows nothing rather than B's users (AC-5).
    const filtered = await get(manager, `/admin/users?organisation=${councilB}`);
    expect(filtered.statusCode).toBe(200);
    expect(filtered.body).not.toContain(stranger.email);
  });

  it("answers 404 for council B's user on every page and action, changes nothing, and audits each refusal", async () => {
    const before = await userRow(stranger.userId);
    const rolesBefore = await rolesOf(stranger.userId);
    expect((await get(manager, `/admin/users/${stranger.userId}`)).statusCode).toBe(404);
    const attempts: [string, string, [string, string][]][] = [
      [
        'user.roles.change',
        'roles',
        [
          ['roles', 'la_manager'],
          ['version', String(before.version)],
        ],
      ],
      ['user.deactivate', 'deactivate', []],
      ['user.reactivate', 'reactivate', []],
      ['user.second-factor.reset', 'reset-second-factor', []],
      ['user.invite.resend', 'resend-invitation', []],
    ];
    for (const [, path, fields] of attempts) {
      const response = await post(manager, `/admin/users/${stranger.userId}/${path}`, fields);
      expect(response.statusCode, path).toBe(404);
      expect(response.body).toContain('Page not found');
    }
    expect(await userRow(stranger.userId)).toEqual(before);
    expect(await rolesOf(stranger.userId)).toEqual(rolesBefore);
    for (const [action] of [['user.view'], ...attempts]) {
      const denied = await audits(action!, stranger.userId, 'denied');
      expect(
        denied.filter((row) => row.actor_user_id === manager.userId),
        action,
      ).toHaveLength(1);
    }
    // The stranger can still use Kindred.
    expect((await get(stranger, '/')).statusCode).toBe(200);
  });

  it('cannot give system_administrator: 400 with a message, nothing written, refusal audited (AC-5)', async () => {
    const before = await tableCounts();
    const invite = await post(
      manager,
      '/admin/users/invite',
      inviteFields(councilA, ['system_administrator']),
    );
    expect(invite.statusCode).toBe(400);
    expect(invite.body).toContain('govuk-error-summary');
    expect(invite.body).toContain('You cannot give or take away the System administrator role');
    expect(await tableCounts()).toEqual(before);
    expect(
      (await audits('user.invite', null, 'denied')).filter((row) => row.actor_user_id === manager.userId),
    ).toHaveLength(1);

    const version = (await userRow(colleague.userId)).version;
    const change = await post(manager, `/admin/users/${colleague.userId}/roles`, [
      ['roles', colleagueRole],
      ['roles', 'system_administrator'],
      ['version', String(version)],
    ]);
    expect(change.statusCode).toBe(400);
    expect(change.body).toContain('You cannot give or take away the System administrator role');
    expect(await rolesOf(colleague.userId)).toEqual([colleagueRole]);
    expect((await userRow(colleague.userId)).version).toBe(version);
    expect(await audits('user.roles.change', colleague.userId, 'denied')).toContainEqual(
      expect.objectContaining({ actor_user_id: manager.userId }),
    );
  });

  it('refuses an organisation outside council A in the invite form, writing nothing (AC-5)', async () => {
    const before = await tableCounts();
    for (const organisationId of [councilB, raaId, '00000000-0000-4000-8000-000000000000']) {
      const response = await post(
        manager,
        '/admin/users/invite',
        inviteFields(organisationId, ['la_social_worker']),
      );
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Select an organisation from the list');
    }
    expect(await tableCounts()).toEqual(before);
    const denied = await audits('user.invite', null, 'denied');
    expect(
      denied.filter(
        (row) => row.reason === 'organisation outside your scope' && row.actor_user_id === manager.userId,
      ),
    ).toHaveLength(3);
  });

  it('offers only council A and the roles the manager may give', async () => {
    const page = await get(manager, '/admin/users/invite');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`value="${councilA}"`);
    expect(page.body).not.toContain(`value="${councilB}"`);
    expect(page.body).not.toContain('value="system_administrator"');
    expect(page.body).not.toContain('value="agency_decision_maker"');
  });
});

describe('inviting (issue 3 §4)', () => {
  it('creates an invited account with its roles, a 7-day link and an audit entry, in one go', async () => {
    const admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    const email = `Invited.Person-${Date.now()}@Example.test`;
    const response = await post(
      admin,
      '/admin/users/invite',
      inviteFields(councilA, ['la_social_worker', 'panel_member'], email),
    );
    expect(response.statusCode).toBe(303);
    const userId = /\/admin\/users\/([0-9a-f-]{36})/.exec(response.headers.location as string)![1]!;
    const user = await userRow(userId);
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      status: 'invited',
      organisation_id: councilA,
      password_hash: null,
    });
    expect(await rolesOf(userId)).toEqual(['la_social_worker', 'panel_member']);
    const grants = await t.database.db
      .selectFrom('user_roles')
      .select('granted_by')
      .where('user_id', '=', userId)
      .execute();
    expect(grants.every((g) => g.granted_by === admin.userId)).toBe(true);
    expect(await audits('user.invite', userId, 'success')).toEqual([
      expect.objectContaining({
        reason: 'roles: la_social_worker, panel_member',
        subject_organisation_id: councilA,
      }),
    ]);
    expect(t.sentMail.filter((mail) => mail.to === email.toLowerCase())).toHaveLength(1);

    const detail = await get(admin, response.headers.location as string);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('Invitation sent');
    expect(detail.body).toContain('Their invitation link expires on');
  });

  it('applies the role-by-organisation rule: a council cannot hold RAA roles (issue 3 §4)', async () => {
    const admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    const before = await tableCounts();
    const response = await post(admin, '/admin/users/invite', inviteFields(councilA, ['raa_social_worker']));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('RAA social worker cannot be given to someone in a member council');
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses an address that already has an account, writing nothing', async () => {
    const admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    const existing = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilB });
    const before = await tableCounts();
    const response = await post(
      admin,
      '/admin/users/invite',
      inviteFields(councilA, ['la_social_worker'], existing.email.toUpperCase()),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is already a Kindred account with this email address');
    expect(await tableCounts()).toEqual(before);
  });

  it("lets a system administrator see every organisation in the RAA's scope, filtered by organisation and status", async () => {
    const admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    const inA = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
    const inB = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilB });
    const outside = await signedInUser(t, {
      roles: ['raa_social_worker'],
      organisationId: await anOrganisation(t, { kind: 'raa' }),
    });
    const all = await get(admin, '/admin/users');
    expect(all.body).toContain(inA.email);
    expect(all.body).toContain(inB.email);
    expect(all.body).not.toContain(outside.email);
    const onlyB = await get(admin, `/admin/users?organisation=${councilB}&status=active`);
    expect(onlyB.body).toContain(inB.email);
    expect(onlyB.body).not.toContain(inA.email);
    const invited = await get(admin, `/admin/users?status=invited`);
    expect(invited.body).not.toContain(inA.email);
    expect((await get(admin, `/admin/users/${outside.userId}`)).statusCode).toBe(404);
  });
});

describe('changing roles (issue 3 §4)', () => {
  it('replaces the roles, audits what was added and removed, and takes effect on the next request', async () => {
    const manager = await signedInUser(t, { roles: ['la_manager'], organisationId: councilA });
    const worker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
    expect((await get(worker, '/admin/users')).statusCode).toBe(403);
    const version = (await userRow(worker.userId)).version;
    const response = await post(manager, `/admin/users/${worker.userId}/roles`, [
      ['roles', 'la_manager'],
      ['version', String(version)],
    ]);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/admin/users/${worker.userId}?done=roles-changed`);
    expect(await rolesOf(worker.userId)).toEqual(['la_manager']);
    expect((await userRow(worker.userId)).version).toBe(version + 1);
    expect(await audits('user.roles.change', worker.userId, 'success')).toEqual([
      expect.objectContaining({
        reason: 'added: la_manager; removed: la_social_worker',
        actor_user_id: manager.userId,
      }),
    ]);
    expect((await get(worker, '/admin/users')).statusCode).toBe(200);
  });

  it('refuses a stale edit with a 409 page and keeps the other change (design.md §4)', async () => {
    const manager = await signedInUser(t, { roles: ['la_manager'], organisationId: councilA });
    const worker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
    const version = String((await userRow(worker.userId)).version);
    const first = await post(manager, `/admin/users/${worker.userId}/roles`, [
      ['roles', 'la_social_worker'],
      ['roles', 'performance_officer'],
      ['version', version],
    ]);
    expect(first.statusCode).toBe(303);
    const stale = await post(manager, `/admin/users/${worker.userId}/roles`, [
      ['roles', 'finance_officer'],
      ['version', version],
    ]);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this account');
    expect(stale.body).toContain('Performance officer');
    expect(await rolesOf(worker.userId)).toEqual(['la_social_worker', 'performance_officer']);
    expect(await audits('user.roles.change', worker.userId, 'failed')).toEqual([
      expect.objectContaining({ reason: 'changed by someone else meanwhile' }),
    ]);
  });

  it('will not let a manager change an account holding a role they cannot give', async () => {
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raaId });
    const senior = await signedInUser(t, { roles: ['head_of_service'], organisationId: raaId });
    const page = await get(manager, `/admin/users/${senior.userId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('only a system administrator can change their account');
    expect(page.body).not.toContain('Deactivate account');
    const response = await post(manager, `/admin/users/${senior.userId}/deactivate`);
    expect(response.statusCode).toBe(403);
    expect((await userRow(senior.userId)).status).toBe('active');
    expect(await audits('user.deactivate', senior.userId, 'denied')).toHaveLength(1);
  });
});

describe('deactivating, reactivating and resetting the second factor (issue 3 §4)', () => {
  it("takes effect on the victim's very next request and ends all their sessions (AC-8)", async () => {
    const manager = await signedInUser(t, { roles: ['la_manager'], organisationId: councilA });
    const victim = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
    expect((await get(victim, '/')).statusCode).toBe(200);
    const response = await post(manager, `/admin/users/${victim.userId}/deactivate`);
    expect(response.statusCode).toBe(303);
    expect((await get(victim, '/')).headers.location).toBe('/sign-in');
    const write = await t.app.inject({
      method: 'POST',
      url: '/account/sign-out-everywhere',
      headers: { cookie: victim.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: victim.csrfToken }).toString(),
    });
    expect(write.statusCode).toBe(401);
    const live = await t.database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', victim.userId)
      .where('ended_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
    expect((await userRow(victim.userId)).status).toBe('deactivated');
    const page = await get(manager, response.headers.location as string);
    expect(page.body).toContain('Account deactivated. They have been signed out everywhere.');
    expect(page.body).toContain('Reactivate account');
    expect(page.body).not.toContain('Deactivate account');
    expect(await audits('user.deactivate', victim.userId, 'success')).toEqual([
      expect.objectContaining({ reason: '1 sessions ended', actor_user_id: manager.userId }),
    ]);

    const reactivated = await post(manager, `/admin/users/${victim.userId}/reactivate`);
    expect(reactivated.statusCode).toBe(303);
    // This test user never set a password, so the account waits for an invitation again.
    expect((await userRow(victim.userId)).status).toBe('invited');
    expect(await audits('user.reactivate', victim.userId, 'success')).toEqual([
      expect.objectContaining({ reason: 'now invited' }),
    ]);
  });

  it('reactivates an account that had a password as active', async () => {
    const manager = await signedInUser(t, { roles: ['la_manager'], organisationId: councilA });
    const account = await aStaffAccount(t, {
      organisationId: councilA,
      roles: ['la_social_worker'],
      status: 'deactivated',
    });
    expect((await post(manager, `/admin/users/${account.id}/reactivate`)).statusCode).toBe(303);
    expect((await userRow(account.id)).status).toBe('active');
    const browser = new Browser(t);
    await browser.signIn(account);
    expect((await browser.get('/')).statusCode).toBe(200);
  });

  it('refuses to let anyone deactivate or change their own account', async () => {
    const manager = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    const version = String((await userRow(manager.userId)).version);
    for (const [path, fields] of [
      ['deactivate', []],
      ['reset-second-factor', []],
      [
        'roles',
        [
          ['roles', 'raa_social_worker'],
          ['version', version],
        ],
      ],
    ] as [string, [string, string][]][]) {
      const response = await post(manager, `/admin/users/${manager.userId}/${path}`, fields);
      expect(response.statusCode, path).toBe(400);
      expect(response.body).toContain('You cannot change your own account here');
    }
    expect((await userRow(manager.userId)).status).toBe('active');
    expect(await rolesOf(manager.userId)).toEqual(['system_administrator']);
    expect(await audits('user.deactivate', manager.userId, 'denied')).toEqual([
      expect.objectContaining({ reason: 'own account' }),
    ]);
    expect((await get(manager, '/')).statusCode).toBe(200);
    const own = await get(manager, `/admin/users/${manager.userId}`);
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('This is your own account');
    expect(own.body).not.toContain('Deactivate account');
  });

  it('resets the second factor: app and recovery codes forgotten, sessions ended, set up again at next sign-in', async () => {
    const manager = await signedInUser(t, { roles: ['la_manager'], organisationId: councilA });
    const account = await aStaffAccount(t, { organisationId: councilA, roles: ['la_social_worker'] });
    await t.database.db
      .insertInto('recovery_codes')
      .values([
        { user_id: account.id, code_hash: 'a'.repeat(64) },
        { user_id: account.id, code_hash: 'b'.repeat(64) },
      ])
      .execute();
    const browser = new Browser(t);
    await browser.signIn(account);
    const response = await post(manager, `/admin/users/${account.id}/reset-second-factor`);
    expect(response.statusCode).toBe(303);
    expect((await browser.get('/')).headers.location).toBe('/sign-in');
    const user = await userRow(account.id);
    expect(user).toMatchObject({
      totp_secret_encrypted: null,
      totp_enrolled_at: null,
      totp_last_time_step: null,
    });
    const codes = await t.database.db
      .selectFrom('recovery_codes')
      .select('id')
      .where('user_id', '=', account.id)
      .where('used_at', 'is', null)
      .execute();
    expect(codes).toEqual([]);
    expect(await audits('user.second-factor.reset', account.id, 'success')).toEqual([
      expect.objectContaining({ reason: '1 sessions ended; 2 recovery codes retired' }),
    ]);
    const again = new Browser(t);
    await again.get('/sign-in');
    const signIn = await again.post('/sign-in', { email: account.email, password: account.password });
    expect(signIn.headers.location).toBe('/account/two-factor/setup');
  });
});

describe('the Users pages', () => {
  it('appear in the navigation only for holders of users:manage', async () => {
    const manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raaId });
    const worker = await signedInUser(t, { roles: ['family_finder'], organisationId: raaId });
    expect((await get(manager, '/')).body).toContain('href="/admin/users"');
    expect((await get(worker, '/')).body).not.toContain('href="/admin/users"');
    expect((await get(worker, '/admin/users')).statusCode).toBe(403);
  });

  it('shows a user with roles, sessions and last sign-in, and audits the view (LG-1)', async () => {
    const admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    const worker = await signedInUser(t, {
      roles: ['la_social_worker', 'panel_member'],
      organisationId: councilA,
      name: 'Robin <b>Bold</b>',
    });
    const page = await get(admin, `/admin/users/${worker.userId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Council social worker, Panel member');
    expect(page.body).toContain('1 session');
    expect(page.body).toContain('Robin &lt;b&gt;Bold&lt;/b&gt;');
    expect(page.body).not.toContain('<b>Bold</b>');
    expect(await audits('user.view', worker.userId, 'success')).toEqual([
      expect.objectContaining({ actor_user_id: admin.userId, subject_organisation_id: councilA }),
    ]);
  });

  it('answers 404 for an id that is not an id', async () => {
    const admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
    for (const id of ['not-a-uuid', "1' OR '1'='1", 'x'.repeat(300)]) {
      expect((await get(admin, `/admin/users/${encodeURIComponent(id)}`)).statusCode).toBe(404);
    }
  });
});
