// Issue 3 §3; security.md AU-1, AU-4, P6, P27: single sign-on through a council's own OpenID
// Connect provider, against a real provider (oidc-provider) on this machine, followed the way a
// browser follows it. A known, linked, active user signs in with a second factor; everyone else
// is refused with a clear page and an audit entry; roles never come from the provider.
//
// Kindred runs as it would behind a TLS-terminating proxy: its public address is https, so its
// cookies are __Host-/__Secure- and Secure; the test "browser" reaches it over plain http.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';
import { sessionCookieName } from '../../src/modules/identity/session-cookie.js';
import {
  configureIdentityProvider,
  linkExternalIdentity,
} from '../../src/modules/identity/sso/sso.service.js';
import { adminUserPaths } from '../../src/modules/identity/admin/identity-admin.paths.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { anOrganisation } from '../support/sign-in.js';
import { aStaffAccount } from '../support/people.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

let t: TestApp;
let provider: TestProvider;
let publicBase: string;
let listeningBase: string;
let councilId: string;
let otherCouncilId: string;
let acrCouncilId: string;
const requiredAcr = 'urn:kindred-test:loa:mfa';

function systemAudit() {
  return {
    auditKey: auditKeyFrom(t.config.secret),
    auditContext: { actor: null, ip: null, userAgent: 'test', correlationId: null, now: new Date() },
  };
}

beforeAll(async () => {
  const appPort = await freePort();
  publicBase = `https://127.0.0.1:${appPort}`;
  listeningBase = `http://127.0.0.1:${appPort}`;
  t = await createTestApp({ config: { publicUrl: publicBase, tls: true } });
  await t.app.listen({ port: appPort, host: '127.0.0.1' });
  provider = await startTestProvider([`${publicBase}/sign-in/sso/callback`]);
  const raa = await anOrganisation(t, { code: 'sso-raa', kind: 'raa' });
  const council = (code: string, name: string, laCode: string) =>
    anOrganisation(t, { code, kind: 'local_authority', name, laCode, parentId: raa, raaId: raa });
  councilId = await council('sso-council', 'Single Sign-On Council', '901');
  otherCouncilId = await council('other-council', 'Other Council', '902');
  acrCouncilId = await council('acr-council', 'Assurance Level Council', '903');
  // Three councils sharing one provider, as councils sharing an IT service would.
  const shared = {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
  };
  await configureIdentityProvider(
    t.database.db,
    t.config,
    { organisationCode: 'sso-council', ...shared, displayName: 'Single Sign-On Council', requireMfa: true },
    systemAudit(),
  );
  await configureIdentityProvider(
    t.database.db,
    t.config,
    { organisationCode: 'other-council', ...shared, displayName: 'Other Council', requireMfa: false },
    systemAudit(),
  );
  await configureIdentityProvider(
    t.database.db,
    t.config,
    {
      organisationCode: 'acr-council',
      ...shared,
      displayName: 'Assurance Level Council',
      requireMfa: true,
      requiredAcr,
    },
    systemAudit(),
  );
});

afterAll(async () => {
  await provider?.close();
  await t?.close();
});

type Jar = Map<string, string>;

interface Browsed {
  status: number;
  body: string;
  /** Set-Cookie headers Kindred sent, in order. */
  appSetCookies: string[];
  /** Locations Kindred redirected to, in order. */
  appRedirects: string[];
  appJar: Jar;
}

/**
 * Follows redirects as a browser would, keeping cookies per host (attributes are not enforced:
 * the tests read them from the headers instead). `beforeCallback` may change the provider's
 * answer, or the cookies, before the browser takes it back to Kindred.
 */
async function browse(
  startPath: string,
  options: { appJar?: Jar; beforeCallback?: (url: URL, appJar: Jar) => void } = {},
): Promise<Browsed> {
  const appHost = new URL(publicBase).host;
  const jars = new Map<string, Jar>([[appHost, options.appJar ?? new Map()]]);
  const appSetCookies: string[] = [];
  const appRedirects: string[] = [];
  let url = new URL(startPath, publicBase);
  for (let hop = 0; hop < 15; hop += 1) {
    const jar = jars.get(url.host) ?? new Map<string, string>();
    jars.set(url.host, jar);
    const isApp = url.host === appHost;
    if (isApp && url.pathname === '/sign-in/sso/callback') options.beforeCallback?.(url, jar);
    const target = isApp ? new URL(url.pathname + url.search, listeningBase) : url;
    const response = await fetch(target, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const header of response.headers.getSetCookie()) {
      if (isApp) appSetCookies.push(header);
      const [pair = ''] = header.split(';');
      const separator = pair.indexOf('=');
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1);
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      if (isApp) appRedirects.push(location);
      url = new URL(location, url);
      continue;
    }
    return {
      status: response.status,
      body: await response.text(),
      appSetCookies,
      appRedirects,
      appJar: jars.get(appHost) ?? new Map(),
    };
  }
  throw new Error('too many redirects');
}

function sessionFrom(result: Browsed): string | undefined {
  return result.appJar.get(sessionCookieName(t.config));
}

async function get(path: string, session: string | undefined) {
  const response = await fetch(new URL(path, listeningBase), {
    redirect: 'manual',
    headers: session ? { cookie: `${sessionCookieName(t.config)}=${session}` } : {},
  });
  return { status: response.status, body: await response.text() };
}

async function lastSsoAudit() {
  return t.database.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'actor_user_id', 'subject_organisation_id'])
    .where('action', '=', 'auth.sso')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

async function aLinkedAccount(
  subject: string,
  options: { organisationId?: string; status?: 'active' | 'deactivated' } = {},
) {
  const account = await aStaffAccount(t, {
    roles: ['la_social_worker'],
    organisationId: options.organisationId ?? councilId,
    ...(options.status ? { status: options.status } : {}),
  });
  await linkExternalIdentity(t.database.db, { email: account.email, subject }, systemAudit());
  return account;
}

describe('single sign-on with a council’s OpenID Connect provider (issue 3 §3)', () => {
  it('AU-1, AU-4, P27: a known, linked user signs in with a second factor; PKCE S256; a new __Host- session cookie; no secrets in URLs', async () => {
    const account = await aLinkedAccount('council-staff-001');
    provider.nextSignIn = { subject: 'council-staff-001', amr: ['pwd', 'mfa'] };
    const result = await browse('/sign-in/sso/sso-council');

    const request = provider.authorisationRequests.at(-1);
    expect(request?.get('code_challenge_method')).toBe('S256');
    expect(request?.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(request?.get('max_age')).toBe(String(12 * 60 * 60));
    expect(request?.get('redirect_uri')).toBe(`${publicBase}/sign-in/sso/callback`);
    // P27: neither the client secret nor the PKCE verifier travels in a URL.
    expect([...(request?.keys() ?? [])].sort()).toEqual(
      [
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'max_age',
        'nonce',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ].sort(),
    );
    expect(result.appRedirects.at(-1)).toBe('/');

    const pendingCookie = result.appSetCookies.find((header) => header.startsWith('__Secure-kindred-sso='));
    expect(pendingCookie).toMatch(/Max-Age=600/);
    expect(pendingCookie).toMatch(/Path=\/sign-in\/sso/);
    expect(pendingCookie).toMatch(/HttpOnly/);
    expect(pendingCookie).toMatch(/Secure/);
    expect(pendingCookie).toMatch(/SameSite=Lax/);
    const sessionCookie = result.appSetCookies.find((header) => header.startsWith('__Host-kindred-session='));
    expect(sessionCookie).toMatch(/Path=\/(;|$)/);
    expect(sessionCookie).toMatch(/HttpOnly/);
    expect(sessionCookie).toMatch(/Secure/);
    expect(sessionCookie).toMatch(/SameSite=Lax/);
    expect(sessionCookie).not.toMatch(/Domain=/i);

    const session = sessionFrom(result);
    expect(session).toBeTruthy();
    const home = await get('/', session);
    expect(home.status).toBe(200);
    expect(home.body).toContain('Welcome, Sam Example.');
    expect(home.body).toContain('Single Sign-On Council');
    expect(await lastSsoAudit()).toMatchObject({
      outcome: 'success',
      actor_user_id: account.id,
      subject_organisation_id: councilId,
    });
    const row = await t.database.db
      .selectFrom('sessions')
      .select('second_factor')
      .where('user_id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(row.second_factor).toBe('oidc');

    // AU-4: signing in again in the same browser gives a new token and ends the old session.
    const again = await browse('/sign-in/sso/sso-council', { appJar: result.appJar });
    const newSession = sessionFrom(again);
    expect(newSession).toBeTruthy();
    expect(newSession).not.toBe(session);
    expect((await get('/', newSession)).status).toBe(200);
    expect((await get('/', session)).status).not.toBe(200);
  });

  it('P6: roles come only from Kindred — the provider’s roles claim is ignored and a role change applies at once', async () => {
    const account = await aLinkedAccount('council-staff-010');
    // The test provider says this person is a system administrator and head of service.
    provider.nextSignIn = { subject: 'council-staff-010', amr: ['pwd', 'otp'] };
    const session = sessionFrom(await browse('/sign-in/sso/sso-council'));
    const accountPage = await get('/account', session);
    expect(accountPage.status).toBe(200);
    expect(accountPage.body).toContain('Council social worker');
    expect(accountPage.body).not.toContain('System administrator');
    expect(accountPage.body).not.toContain('Head of service');
    expect((await get(adminUserPaths.list, session)).status).not.toBe(200);

    // Granted in Kindred, the same session may manage users at once; removed, it may not.
    await t.database.db
      .insertInto('user_roles')
      .values({ user_id: account.id, role: 'la_manager', granted_by: null })
      .execute();
    expect((await get(adminUserPaths.list, session)).status).toBe(200);
    await t.database.db
      .deleteFrom('user_roles')
      .where('user_id', '=', account.id)
      .where('role', '=', 'la_manager')
      .execute();
    expect((await get(adminUserPaths.list, session)).status).not.toBe(200);
  });

  it('refuses an unknown subject with a clear page and a denied audit entry', async () => {
    provider.nextSignIn = { subject: 'stranger-999', amr: ['mfa'] };
    const result = await browse('/sign-in/sso/sso-council');
    expect(result.status).toBe(403);
    expect(result.body).toContain('We could not sign you in with Single Sign-On Council');
    expect(result.body).toContain('is not linked to a Kindred account');
    expect(sessionFrom(result)).toBeUndefined();
    expect(await lastSsoAudit()).toMatchObject({
      outcome: 'denied',
      reason: 'subject not linked',
      subject_organisation_id: councilId,
    });
  });

  it('refuses a subject linked to an account in another organisation', async () => {
    const elsewhere = await aLinkedAccount('council-staff-004', { organisationId: otherCouncilId });
    provider.nextSignIn = { subject: 'council-staff-004', amr: ['mfa'] };
    const result = await browse('/sign-in/sso/sso-council');
    expect(result.status).toBe(403);
    expect(result.body).toContain('belongs to another organisation');
    expect(sessionFrom(result)).toBeUndefined();
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied', actor_user_id: elsewhere.id });
  });

  it('refuses a deactivated account', async () => {
    await aLinkedAccount('council-staff-003', { status: 'deactivated' });
    provider.nextSignIn = { subject: 'council-staff-003', amr: ['mfa'] };
    const result = await browse('/sign-in/sso/sso-council');
    expect(result.status).toBe(403);
    expect(result.body).toContain('is not active');
    expect(sessionFrom(result)).toBeUndefined();
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied', reason: 'account deactivated' });
  });

  it('AU-1: refuses a sign-in without evidence of a second factor when the council requires it, and accepts it where not required', async () => {
    await aLinkedAccount('council-staff-002');
    provider.nextSignIn = { subject: 'council-staff-002', amr: ['pwd'] };
    const refused = await browse('/sign-in/sso/sso-council');
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('with a second factor');
    expect(sessionFrom(refused)).toBeUndefined();
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied' });
    expect((await lastSsoAudit()).reason).toContain('no-second-factor');

    await aLinkedAccount('other-staff-002', { organisationId: otherCouncilId });
    provider.nextSignIn = { subject: 'other-staff-002', amr: ['pwd'] };
    const accepted = await browse('/sign-in/sso/other-council');
    expect((await get('/', sessionFrom(accepted))).body).toContain('Other Council');
  });

  it('AU-1: accepts the acr value a council has configured as evidence of a second factor', async () => {
    await aLinkedAccount('acr-staff-001', { organisationId: acrCouncilId });
    provider.nextSignIn = { subject: 'acr-staff-001', amr: ['pwd'], acr: 'urn:kindred-test:loa:low' };
    expect((await browse('/sign-in/sso/acr-council')).body).toContain('with a second factor');
    provider.nextSignIn = { subject: 'acr-staff-001', amr: ['pwd'], acr: requiredAcr };
    const accepted = await browse('/sign-in/sso/acr-council');
    expect((await get('/', sessionFrom(accepted))).status).toBe(200);
  });

  it('P27: refuses a second factor sent by text message', async () => {
    await aLinkedAccount('council-staff-005');
    provider.nextSignIn = { subject: 'council-staff-005', amr: ['pwd', 'sms', 'mfa'] };
    const result = await browse('/sign-in/sso/sso-council');
    expect(result.status).toBe(403);
    expect(result.body).toContain('does not accept a code sent by text message');
    expect(sessionFrom(result)).toBeUndefined();
  });

  it('AU-1: refuses a sign-in the provider says happened longer ago than Kindred asked for', async () => {
    await aLinkedAccount('council-staff-006');
    provider.nextSignIn = {
      subject: 'council-staff-006',
      amr: ['pwd', 'mfa'],
      authenticatedSecondsAgo: 13 * 60 * 60,
    };
    const result = await browse('/sign-in/sso/sso-council');
    expect(result.status).toBe(403);
    expect(result.body).toContain('did not confirm that you signed in recently');
    expect(sessionFrom(result)).toBeUndefined();
    expect((await lastSsoAudit()).reason).toContain('too much time has elapsed');
  });

  it('refuses an answer whose state was tampered with', async () => {
    await aLinkedAccount('council-staff-007');
    provider.nextSignIn = { subject: 'council-staff-007', amr: ['mfa'] };
    const result = await browse('/sign-in/sso/sso-council', {
      beforeCallback: (url) => url.searchParams.set('state', 'forged-state'),
    });
    expect(result.status).toBe(403);
    expect(result.body).toContain('does not belong to the sign-in you started here');
    expect(sessionFrom(result)).toBeUndefined();
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied', reason: 'state did not match' });
  });

  it('refuses an answer when the sign-in cookie was tampered with, or never set', async () => {
    await aLinkedAccount('council-staff-008');
    provider.nextSignIn = { subject: 'council-staff-008', amr: ['mfa'] };
    const tampered = await browse('/sign-in/sso/sso-council', {
      beforeCallback: (_url, jar) => {
        const value = decodeURIComponent(jar.get('__Secure-kindred-sso') ?? '');
        jar.set('__Secure-kindred-sso', encodeURIComponent(value.replace('sso-council', 'acr-council')));
      },
    });
    expect(tampered.status).toBe(403);
    expect(tampered.body).toContain('was not started here');
    expect(sessionFrom(tampered)).toBeUndefined();

    const forged = await get('/sign-in/sso/callback?code=forged&state=forged', undefined);
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('was not started here');
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied', reason: 'no sign-in in progress' });
  });

  it('refuses a sign-in that took more than ten minutes', async () => {
    await aLinkedAccount('council-staff-009');
    provider.nextSignIn = { subject: 'council-staff-009', amr: ['mfa'] };
    const result = await browse('/sign-in/sso/sso-council', {
      beforeCallback: () => t.clock.advance(11 * 60_000),
    });
    expect(result.status).toBe(403);
    expect(result.body).toContain('took too long');
    expect(await lastSsoAudit()).toMatchObject({
      outcome: 'denied',
      reason: 'sign-in started more than 10 minutes ago',
    });
  });

  it('shows a clear page, not an error, when the provider refuses or does not answer', async () => {
    provider.nextSignIn = { subject: 'council-staff-001', refuse: true };
    const refused = await browse('/sign-in/sso/sso-council');
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('Single Sign-On Council did not sign you in');
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied', reason: 'provider said access_denied' });

    await anOrganisation(t, { code: 'silent-council', kind: 'raa', name: 'Silent Council' });
    await configureIdentityProvider(
      t.database.db,
      t.config,
      {
        organisationCode: 'silent-council',
        issuer: `http://127.0.0.1:${await freePort()}`,
        clientId: 'nobody',
        clientSecret: null,
        displayName: 'Silent Council',
        requireMfa: true,
      },
      systemAudit(),
    );
    const silent = await browse('/sign-in/sso/silent-council');
    expect(silent.status).toBe(403);
    expect(silent.body).toContain('We could not sign you in with Silent Council');
    expect(silent.body).toContain('did not answer');
  });

  it('lists the organisations that offer single sign-on', async () => {
    const chooser = await get('/sign-in/sso', undefined);
    expect(chooser.body).toContain('href="/sign-in/sso/sso-council"');
    expect(chooser.body).toContain('Single Sign-On Council');
    const signIn = await get('/sign-in', undefined);
    expect(signIn.body).toContain('href="/sign-in/sso/sso-council"');
    expect((await get('/sign-in/sso/no-such-council', undefined)).status).toBe(404);
  });
});

describe('configuring single sign-on (issue 3 §3)', () => {
  it('stores the client secret sealed, and audits configuring and linking as the system', async () => {
    const row = await t.database.db
      .selectFrom('identity_providers')
      .select(['client_secret_encrypted', 'issuer', 'require_mfa'])
      .where('organisation_id', '=', councilId)
      .executeTakeFirstOrThrow();
    expect(row.issuer).toBe(provider.issuer);
    expect(row.require_mfa).toBe(true);
    expect(row.client_secret_encrypted).toMatch(/^v1\./);
    expect(row.client_secret_encrypted).not.toContain(provider.clientSecret);
    const entries = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'subject_organisation_id'])
      .where('action', 'in', ['sso.configure', 'sso.link'])
      .execute();
    expect(entries).toContainEqual({
      action: 'sso.configure',
      actor_user_id: null,
      subject_organisation_id: councilId,
    });
    expect(entries.some((entry) => entry.action === 'sso.link' && entry.actor_user_id === null)).toBe(true);
  });

  it('will not move a linked subject to another account, nor accept an insecure issuer', async () => {
    const someoneElse = await aStaffAccount(t, { organisationId: councilId });
    await expect(
      linkExternalIdentity(
        t.database.db,
        { email: someoneElse.email, subject: 'council-staff-001' },
        systemAudit(),
      ),
    ).rejects.toThrow('already linked to another Kindred account');
    const configure = (issuer: string, environment: 'test' | 'production') =>
      configureIdentityProvider(
        t.database.db,
        { ...t.config, environment },
        {
          organisationCode: 'sso-council',
          issuer,
          clientId: 'x',
          clientSecret: null,
          displayName: 'x',
          requireMfa: true,
        },
        systemAudit(),
      );
    await expect(configure('http://idp.example.test', 'test')).rejects.toThrow('must use https');
    await expect(configure(provider.issuer, 'production')).rejects.toThrow('must use https');
  });
});
