// Issue 3 §3; security.md AU-1: single sign-on through a council's own OpenID Connect provider,
// against a real provider on this machine. A known, linked, active user signs in; everyone else
// is refused with a clear page and an audit entry; roles never come from the provider.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  configureIdentityProvider,
  linkExternalIdentity,
} from '../../src/modules/identity/sso/sso.service.js';
import { sessionCookieName } from '../../src/modules/identity/session-cookie.js';
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
let base: string;
let councilId: string;
let otherCouncilId: string;

beforeAll(async () => {
  const appPort = await freePort();
  base = `http://127.0.0.1:${appPort}`;
  t = await createTestApp({ config: { publicUrl: base } });
  await t.app.listen({ port: appPort, host: '127.0.0.1' });
  provider = await startTestProvider(await freePort(), `${base}/sign-in/sso/callback`);
  const raa = await anOrganisation(t, { code: 'sso-raa', kind: 'raa' });
  councilId = await anOrganisation(t, {
    code: 'sso-council',
    kind: 'local_authority',
    name: 'Single Sign-On Council',
    laCode: '901',
    parentId: raa,
    raaId: raa,
  });
  otherCouncilId = await anOrganisation(t, {
    code: 'other-council',
    kind: 'local_authority',
    name: 'Other Council',
    laCode: '902',
    parentId: raa,
    raaId: raa,
  });
  await configureIdentityProvider(t.database.db, t.config, {
    organisationCode: 'sso-council',
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    displayName: 'Single Sign-On Council account',
    requireMfa: true,
  });
});

afterAll(async () => {
  await provider?.close();
  await t?.close();
});

/** Follows the redirects a browser would, keeping cookies per host; returns the final response. */
async function signInThroughProvider(): Promise<{
  status: number;
  body: string;
  sessionCookie: string | undefined;
}> {
  const jars = new Map<string, Map<string, string>>();
  let url = `${base}/sign-in/sso/sso-council`;
  for (let hop = 0; hop < 15; hop += 1) {
    const host = new URL(url).host;
    const jar = jars.get(host) ?? new Map<string, string>();
    jars.set(host, jar);
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) jar.set(name.trim(), value.join('='));
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    const appJar = jars.get(new URL(base).host);
    return {
      status: response.status,
      body: await response.text(),
      sessionCookie: appJar?.get(sessionCookieName(t.config)),
    };
  }
  throw new Error('too many redirects');
}

async function lastSsoAudit() {
  return t.database.db
    .selectFrom('audit_events')
    .select(['outcome', 'reason', 'actor_user_id'])
    .where('action', '=', 'auth.sso')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}

describe('single sign-on with a council’s OpenID Connect provider (issue 3 §3)', () => {
  it('signs in a known, linked user with a second factor, using PKCE with S256 (AU-1)', async () => {
    const account = await aStaffAccount(t, { roles: ['la_social_worker'], organisationId: councilId });
    await linkExternalIdentity(t.database.db, { email: account.email, subject: 'council-staff-001' });
    provider.nextSignIn = { subject: 'council-staff-001', amr: ['pwd', 'mfa'] };
    const result = await signInThroughProvider();
    expect(result.sessionCookie).toBeTruthy();
    expect(provider.challengeMethods.at(-1)).toBe('S256');
    const home = await fetch(`${base}/account`, {
      headers: { cookie: `${sessionCookieName(t.config)}=${result.sessionCookie}` },
    });
    const page = await home.text();
    expect(home.status).toBe(200);
    expect(page).toContain('Sam Example');
    // Roles come from Kindred only: the provider's roles claim is ignored.
    expect(page).toContain('Council social worker');
    expect(page).not.toContain('System administrator');
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'success', actor_user_id: account.id });
    const session = await t.database.db
      .selectFrom('sessions')
      .select('second_factor')
      .where('user_id', '=', account.id)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(session.second_factor).toBe('oidc');
  });

  it('refuses an unknown subject with a clear page and a denied audit entry', async () => {
    provider.nextSignIn = { subject: 'stranger-999', amr: ['mfa'] };
    const result = await signInThroughProvider();
    expect(result.status).toBe(403);
    expect(result.body).toContain('We could not sign you in with Single Sign-On Council account');
    expect(result.body).toContain('is not linked to a Kindred account');
    expect(result.sessionCookie).toBeUndefined();
    expect(await lastSsoAudit()).toMatchObject({ outcome: 'denied' });
  });

  it('refuses a sign-in without evidence of a second factor when the council requires one (AU-1)', async () => {
    const account = await aStaffAccount(t, { roles: ['la_social_worker'], organisationId: councilId });
    await linkExternalIdentity(t.database.db, { email: account.email, subject: 'council-staff-002' });
    provider.nextSignIn = { subject: 'council-staff-002', amr: ['pwd'] };
    const result = await signInThroughProvider();
    expect(result.status).toBe(403);
    expect(result.body).toContain('with a second factor');
    expect(result.sessionCookie).toBeUndefined();
  });

  it('refuses a deactivated account, and a subject linked to another organisation’s account', async () => {
    const deactivated = await aStaffAccount(t, {
      roles: ['la_social_worker'],
      organisationId: councilId,
      status: 'deactivated',
    });
    await linkExternalIdentity(t.database.db, { email: deactivated.email, subject: 'council-staff-003' });
    provider.nextSignIn = { subject: 'council-staff-003', amr: ['mfa'] };
    expect((await signInThroughProvider()).body).toContain('is not active');

    const elsewhere = await aStaffAccount(t, { roles: ['la_social_worker'], organisationId: otherCouncilId });
    await t.database.db
      .insertInto('user_external_identities')
      .values({ user_id: elsewhere.id, issuer: provider.issuer, subject: 'council-staff-004' })
      .execute();
    provider.nextSignIn = { subject: 'council-staff-004', amr: ['mfa'] };
    const result = await signInThroughProvider();
    expect(result.body).toContain('belongs to another organisation');
    expect(result.sessionCookie).toBeUndefined();
  });

  it('refuses a callback that was not started here (tampered or missing state)', async () => {
    const response = await fetch(`${base}/sign-in/sso/callback?code=forged&state=forged`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('was not started here');
  });

  it('lists the organisations that offer single sign-on on the sign-in page', async () => {
    const page = await fetch(`${base}/sign-in`);
    expect(await page.text()).toContain('href="/sign-in/sso/sso-council"');
  });
});
