import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName } from '../../src/modules/identity/session-cookie.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { aStaffAccount, Browser, totpCodeAt } from '../support/people.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const cookieName = () => sessionCookieName(t.config);

async function auditCount(action: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('staff sign-in with a second factor (issue 3 §1)', () => {
  it('signs in with password then TOTP, rotating the session id at each step (AU-4)', async () => {
    const account = await aStaffAccount(t, { roles: ['family_finder'] });
    const browser = new Browser(t);
    await browser.get('/sign-in');
    const afterPassword = await browser.post('/sign-in', {
      email: account.email.toUpperCase(),
      password: account.password,
    });
    expect(afterPassword.statusCode).toBe(302);
    expect(afterPassword.headers.location).toBe('/sign-in/two-factor');
    const pendingToken = browser.cookie(cookieName());
    expect(pendingToken).toBeTruthy();
    // The half-signed-in session reaches nothing but the second-factor pages.
    expect((await browser.get('/')).headers.location).toBe('/sign-in');

    const code = await totpCodeAt(t, account.totpSecret!);
    const afterCode = await browser.post('/sign-in/two-factor', { code });
    expect(afterCode.headers.location).toBe('/');
    const fullToken = browser.cookie(cookieName());
    expect(fullToken).not.toBe(pendingToken);
    const home = await browser.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Sam Example');

    // The pre-authentication token no longer works.
    const replay = await t.app.inject({ url: '/', headers: { cookie: `${cookieName()}=${pendingToken}` } });
    expect(replay.headers.location).toBe('/sign-in');
    // The same TOTP code cannot be used twice.
    const second = new Browser(t);
    await second.post('/sign-in', { email: account.email, password: account.password });
    const reused = await second.post('/sign-in/two-factor', { code });
    expect(reused.statusCode).toBe(400);
    expect(reused.body).toContain('The security code is not correct or has expired');
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ (AU-4)', async () => {
    const account = await aStaffAccount(t);
    const browser = new Browser(t);
    await browser.get('/sign-in');
    const response = await browser.post('/sign-in', { email: account.email, password: account.password });
    const cookie = ([] as string[])
      .concat(response.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${cookieName()}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('uses a Secure __Host- cookie behind TLS (AU-4)', async () => {
    const tls = await createTestApp({ config: { tls: true, publicUrl: 'https://kindred.example' } });
    try {
      const account = await aStaffAccount(tls);
      const browser = new Browser(tls);
      await browser.get('/sign-in');
      const response = await browser.post('/sign-in', { email: account.email, password: account.password });
      const cookie = ([] as string[])
        .concat(response.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('__Host-kindred-session='));
      expect(cookie).toMatch(/Secure/);
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await tls.close();
    }
  });

  it('gives the same answer for an unknown email and a wrong password (AU-3)', async () => {
    const account = await aStaffAccount(t);
    const wrong = new Browser(t);
    await wrong.get('/sign-in');
    const a = await wrong.post('/sign-in', {
      email: account.email,
      password: 'not the right password at all',
    });
    const unknown = new Browser(t);
    await unknown.get('/sign-in');
    const b = await unknown.post('/sign-in', {
      email: 'nobody-here@example.test',
      password: 'not the right password at all',
    });
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    const strip = (html: string) =>
      html.replace(/(nonce|content|value)="[^"]*"/g, '').replace(/[0-9a-f]{12}\//g, '');
    expect(strip(a.body)).toContain('Enter a correct email address and password');
    expect(strip(a.body).replace(account.email, '')).toBe(
      strip(b.body).replace('nobody-here@example.test', ''),
    );
  });

  it('slows an account after five failures, even for the right password (AU-3)', async () => {
    const account = await aStaffAccount(t);
    const browser = new Browser(t);
    await browser.get('/sign-in');
    for (let i = 0; i < 4; i += 1) {
      expect(
        (await browser.post('/sign-in', { email: account.email, password: `wrong password number ${i}` }))
          .statusCode,
      ).toBe(401);
    }
    const fifth = await browser.post('/sign-in', {
      email: account.email,
      password: 'wrong password number 5',
    });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.body).toContain('You have tried to sign in too many times. Wait 1 minute, then try again.');
    const right = await browser.post('/sign-in', { email: account.email, password: account.password });
    expect(right.statusCode).toBe(429);
    t.clock.advance(61_000);
    const later = await browser.post('/sign-in', { email: account.email, password: account.password });
    expect(later.headers.location).toBe('/sign-in/two-factor');
  });

  it('enrols an authenticator on first sign-in and shows ten recovery codes once; each works once', async () => {
    const account = await aStaffAccount(t, { enrolled: false });
    const browser = new Browser(t);
    await browser.get('/sign-in');
    const afterPassword = await browser.post('/sign-in', {
      email: account.email,
      password: account.password,
    });
    expect(afterPassword.headers.location).toBe('/account/two-factor/setup');
    const setup = await browser.get('/account/two-factor/setup');
    expect(setup.body).toContain('<svg');
    const secret = /data-testid="totp-secret">([A-Z2-7 ]+)</.exec(setup.body)?.[1]?.replace(/ /g, '');
    expect(secret).toBeTruthy();
    const { generate } = await import('otplib');
    const code = await generate({ secret: secret!, epoch: Math.floor(t.clock.now().getTime() / 1000) });
    const confirmed = await browser.post('/account/two-factor/setup', { code });
    expect(confirmed.statusCode).toBe(200);
    // Shown signed in, with the new session, and the codes are not cached anywhere (IO-7).
    expect(confirmed.body).toContain('action="/sign-out"');
    expect(confirmed.headers['cache-control']).toBe('no-store');
    const codes = [...confirmed.body.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    const stored = await t.database.db
      .selectFrom('recovery_codes')
      .select('code_hash')
      .where('user_id', '=', account.id)
      .execute();
    expect(stored).toHaveLength(10);
    for (const row of stored) expect(codes).not.toContain(row.code_hash);

    const other = new Browser(t);
    await other.post('/sign-in', { email: account.email, password: account.password });
    const used = await other.post('/sign-in/recovery-code', { code: codes[0]!.toUpperCase() });
    expect(used.headers.location).toBe('/account?recoveryCodeUsed=1');
    const third = new Browser(t);
    await third.post('/sign-in', { email: account.email, password: account.password });
    const again = await third.post('/sign-in/recovery-code', { code: codes[0]! });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('That recovery code is not correct or has already been used');
  });
});

describe('session lifetime (AU-5, AC-8)', () => {
  it('ends a session after 30 minutes idle, and extending keeps it alive', async () => {
    const account = await aStaffAccount(t);
    const browser = new Browser(t);
    await browser.signIn(account);
    t.clock.advance(29 * 60_000);
    const extended = await t.app.inject({
      method: 'POST',
      url: '/session/extend',
      headers: { cookie: browser.cookieHeader, 'x-csrf-token': browser.csrfToken },
    });
    expect(extended.json()).toEqual({ expiresInSeconds: 1800 });
    t.clock.advance(29 * 60_000);
    expect((await browser.get('/account')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    expect((await browser.get('/account')).headers.location).toBe('/sign-in');
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const account = await aStaffAccount(t);
    const browser = new Browser(t);
    await browser.signIn(account);
    for (let i = 0; i < 25; i += 1) {
      t.clock.advance(29 * 60_000);
      await browser.get('/account');
    }
    expect((await browser.get('/account')).headers.location).toBe('/sign-in');
  });

  it('signs out, and the old cookie no longer works (AU-4)', async () => {
    const account = await aStaffAccount(t);
    const browser = new Browser(t);
    await browser.signIn(account);
    const token = browser.cookie(cookieName());
    const out = await browser.post('/sign-out');
    expect(out.headers.location).toBe('/sign-in?signedOut=1');
    const replay = await t.app.inject({ url: '/account', headers: { cookie: `${cookieName()}=${token}` } });
    expect(replay.headers.location).toBe('/sign-in');
    expect(await auditCount('auth.sign-out')).toBeGreaterThan(0);
  });

  it('signs out of all devices', async () => {
    const account = await aStaffAccount(t);
    const laptop = new Browser(t);
    const desktop = new Browser(t);
    await laptop.signIn(account);
    t.clock.advance(31_000);
    await desktop.signIn(account);
    const page = await laptop.get('/account');
    expect(page.body).toContain('(this device)');
    await laptop.post('/account/sign-out-everywhere');
    expect((await desktop.get('/account')).headers.location).toBe('/sign-in');
    expect((await laptop.get('/account')).headers.location).toBe('/sign-in');
  });

  it("refuses a deactivated user's existing session on the very next request (AC-8)", async () => {
    const account = await aStaffAccount(t);
    const browser = new Browser(t);
    await browser.signIn(account);
    await t.database.db
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('id', '=', account.id)
      .execute();
    expect((await browser.get('/account')).headers.location).toBe('/sign-in');
  });

  it('skips the second factor only in demo mode, and says so on every page', async () => {
    const demo = await createTestApp({ config: { demo: true } });
    try {
      const account = await aStaffAccount(demo, { enrolled: false });
      const browser = new Browser(demo);
      await browser.get('/sign-in');
      const response = await browser.post('/sign-in', { email: account.email, password: account.password });
      expect(response.headers.location).toBe('/');
      const home = await browser.get('/');
      expect(home.body).toContain('The second sign-in factor is switched off in this demo.');
    } finally {
      await demo.close();
    }
    const account = await aStaffAccount(t, { enrolled: false });
    const browser = new Browser(t);
    await browser.get('/sign-in');
    expect(
      (await browser.post('/sign-in', { email: account.email, password: account.password })).headers.location,
    ).toBe('/account/two-factor/setup');
  });
});

describe('per-IP limits (issue 3 §1)', () => {
  it('refuses a burst of sign-in attempts from one address with the GOV.UK 429 page', async () => {
    const limited = await createTestApp({ config: { signInAttemptsPerMinute: 3 } });
    try {
      const browser = new Browser(limited);
      await browser.get('/sign-in');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push(
          (await browser.post('/sign-in', { email: 'a@example.test', password: 'x' })).statusCode,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
      const page = await browser.post('/sign-in', { email: 'a@example.test', password: 'x' });
      expect(page.body).toContain('Too many attempts');
    } finally {
      await limited.close();
    }
  });
});
