// Issue 3 §2: invitations and password resets by one-time links sent over real SMTP. The app
// sends through nodemailer to an SMTP server in this process; the tests read the message a
// person would receive and follow its link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/modules/identity/session-cookie.js';
import { verifyPassword } from '../../src/modules/identity/passwords.js';
import { createMailer } from '../../src/platform/mail/mailer.js';
import { createTestApp, testConfig, type TestApp } from '../support/test-app.js';
import { anOrganisation, csrfFor, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aStaffAccount, Browser } from '../support/people.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.js';

let t: TestApp;
let sink: SmtpSink;
let raaId: string;
let admin: SignedInUser;

const newPassword = 'lantern orchard cobalt 77';
const hour = 60 * 60 * 1000;
const linkPattern = /(https?:\/\/\S+\/(invitation|reset-password)\/([A-Za-z0-9_-]+))/;

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestApp({
    config: { smtpUrl: sink.url },
    mailer: createMailer(testConfig({ smtpUrl: sink.url })),
  });
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Example' });
  admin = await signedInUser(t, { roles: ['system_administrator'], organisationId: raaId });
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

let lastIp = 0;
/** A fresh client address, so the per-address limits of one test do not spill into the next. */
const nextIp = () => {
  lastIp += 1;
  return `10.1.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
};

function linkIn(mail: ReceivedMail): { url: string; path: string; token: string } {
  const match = linkPattern.exec(mail.text);
  if (!match) throw new Error('No link in the email');
  return { url: match[1]!, path: new URL(match[1]!).pathname, token: match[3]! };
}

/** The page with the parts that differ on every response (CSRF token, CSP nonce) blanked out. */
const normalised = (body: string) =>
  body
    .replace(/(name="csrf-token" content=")[^"]+/g, '$1')
    .replace(/(name="_csrf" value=")[^"]+/g, '$1')
    .replace(/nonce="[^"]*"/g, 'nonce=""');

async function inviteByAdmin(email: string, roles: string[] = ['raa_social_worker']) {
  const form = new URLSearchParams([
    ['_csrf', admin.csrfToken],
    ['name', 'Jo Newstarter'],
    ['email', email],
    ['organisationId', raaId],
    ...roles.map((role) => ['roles', role]),
  ]);
  const response = await t.app.inject({
    method: 'POST',
    url: '/admin/users/invite',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
  expect(response.statusCode).toBe(303);
  return response;
}

async function postForm(url: string, form: Record<string, string>, ip = nextIp()) {
  const { cookie, csrfToken } = await csrfFor(t);
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: ip,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken, ...form }).toString(),
  });
}

const getPage = (url: string) => t.app.inject({ method: 'GET', url, remoteAddress: nextIp() });

async function auditRows(action: string, outcome?: string) {
  let query = t.database.db
    .selectFrom('audit_events')
    .select(['subject_id', 'outcome', 'reason', 'actor_user_id'])
    .where('action', '=', action);
  if (outcome) query = query.where('outcome', '=', outcome as 'success');
  return query.orderBy('seq').execute();
}

const uniqueEmail = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}@example.test`;

describe('invitations by email (issue 3 §2)', () => {
  it('sends a plain-text invitation over SMTP whose link works once, then the person signs in (P27, AU-2)', async () => {
    const email = uniqueEmail('invitee');
    const invited = await inviteByAdmin(email);
    const userId = /\/admin\/users\/([0-9a-f-]{36})\?done=invited$/.exec(
      invited.headers.location as string,
    )?.[1];
    expect(userId).toBeTruthy();

    const mail = await sink.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toBe('You have been invited to use Kindred');
    expect(mail.hasHtml).toBe(false);
    expect(mail.text).toContain('Adopt Example');
    const link = linkIn(mail);
    // The token is 256 bits in the path of an absolute link on the public address, never a query string.
    expect(link.url.startsWith(`${t.config.publicUrl}/invitation/`)).toBe(true);
    expect(link.url).not.toContain('?');
    expect(Buffer.from(link.token, 'base64url')).toHaveLength(32);

    // Only the digest is stored, with a 7-day expiry.
    const tokens = await t.database.db
      .selectFrom('one_time_tokens')
      .selectAll()
      .where('user_id', '=', userId!)
      .execute();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.token_hash).toBe(hashToken(link.token));
    expect(tokens[0]!.purpose).toBe('invitation');
    expect(tokens[0]!.expires_at.getTime() - t.clock.now().getTime()).toBe(7 * 24 * hour);

    const form = await getPage(link.path);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Create your password');
    expect(form.body).toContain(email);
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.headers['referrer-policy']).toBe('no-referrer');

    const accepted = await postForm(link.path, { password: newPassword });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toContain('Your account is ready');
    const user = await t.database.db
      .selectFrom('users')
      .select(['status', 'password_hash'])
      .where('id', '=', userId!)
      .executeTakeFirstOrThrow();
    expect(user.status).toBe('active');
    expect(await verifyPassword(user.password_hash!, newPassword)).toBe(true);
    expect(await auditRows('user.invitation.accept', 'success')).toEqual([
      expect.objectContaining({ subject_id: userId }),
    ]);

    // Once only.
    const again = await getPage(link.path);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('This link has expired or has already been used');
    const reuse = await postForm(link.path, { password: 'another fine passphrase 12' });
    expect(reuse.statusCode).toBe(404);
    const after = await t.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', userId!)
      .executeTakeFirstOrThrow();
    expect(after.password_hash).toBe(user.password_hash);

    // Then on to sign in, where a first-time user sets up their authenticator app.
    const browser = new Browser(t);
    await browser.get('/sign-in');
    const signIn = await browser.post('/sign-in', { email, password: newPassword });
    expect(signIn.headers.location).toBe('/account/two-factor/setup');
  });

  it('stops an invitation link working after 7 days', async () => {
    const email = uniqueEmail('late');
    await inviteByAdmin(email);
    const link = linkIn(await sink.waitFor((m) => m.to.includes(email)));
    t.clock.advance(7 * 24 * hour + 1000);
    try {
      expect((await getPage(link.path)).statusCode).toBe(404);
      const late = await postForm(link.path, { password: newPassword });
      expect(late.statusCode).toBe(404);
      expect(late.body).toContain('This link has expired or has already been used');
      const user = await t.database.db
        .selectFrom('users')
        .select(['status', 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      expect(user).toEqual({ status: 'invited', password_hash: null });
      expect(await auditRows('user.invitation.accept', 'denied')).toContainEqual(
        expect.objectContaining({ reason: 'link expired, used or unknown' }),
      );
    } finally {
      t.clock.advance(-(7 * 24 * hour + 1000));
    }
  });

  it('replaces the earlier link when the invitation is sent again', async () => {
    const email = uniqueEmail('resent');
    const invited = await inviteByAdmin(email);
    const first = linkIn(await sink.waitFor((m) => m.to.includes(email)));
    const userPath = (invited.headers.location as string).split('?')[0]!;
    const resend = await t.app.inject({
      method: 'POST',
      url: `${userPath}/resend-invitation`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: admin.csrfToken }).toString(),
    });
    expect(resend.statusCode).toBe(303);
    expect(resend.headers.location).toContain('done=invitation-resent');
    const second = linkIn(await sink.waitFor((m) => m.to.includes(email) && !m.text.includes(first.token)));
    expect(second.token).not.toBe(first.token);
    expect((await getPage(first.path)).statusCode).toBe(404);
    expect((await getPage(second.path)).statusCode).toBe(200);
  });

  it('keeps the link usable when the password is refused, and says why', async () => {
    const email = uniqueEmail('weak');
    await inviteByAdmin(email);
    const link = linkIn(await sink.waitFor((m) => m.to.includes(email)));
    const weak = await postForm(link.path, { password: 'password1234' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('govuk-error-summary');
    expect(weak.body).toContain('commonly used passwords');
    expect((await postForm(link.path, { password: newPassword })).statusCode).toBe(200);
  });
});

describe('password reset by email (issue 3 §2)', () => {
  it('answers byte-for-byte the same whether or not the address has an account (AU-3)', async () => {
    const active = await aStaffAccount(t, { organisationId: raaId });
    const deactivated = await aStaffAccount(t, { organisationId: raaId, status: 'deactivated' });
    const unknown = uniqueEmail('nobody');
    const responses = [];
    for (const email of [active.email, unknown, deactivated.email, active.email.toUpperCase()]) {
      responses.push(await postForm('/forgot-password', { email }));
    }
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(normalised(response.body)).toBe(normalised(responses[0]!.body));
      expect(Object.keys(response.headers).sort()).toEqual(Object.keys(responses[0]!.headers).sort());
    }
    expect(responses[0]!.body).toContain('If an account exists for that email address, we have sent a link');

    // Only the active account is sent anything.
    await sink.waitFor((m) => m.to.includes(active.email) && m.subject === 'Reset your Kindred password');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sink.messages.filter((m) => m.to.includes(unknown) || m.to.includes(deactivated.email))).toEqual(
      [],
    );
  });

  it('sets a new password once, ends every session and clears throttling (AC-8, issue 3 §2)', async () => {
    const account = await aStaffAccount(t, { organisationId: raaId });
    const browser = new Browser(t);
    await browser.signIn(account);
    expect((await browser.get('/')).statusCode).toBe(200);
    await t.database.db
      .updateTable('users')
      .set({ failed_sign_ins: 7, throttled_until: new Date(t.clock.now().getTime() + hour) })
      .where('id', '=', account.id)
      .execute();

    expect((await postForm('/forgot-password', { email: account.email })).statusCode).toBe(200);
    const mail = await sink.waitFor((m) => m.to.includes(account.email) && m.subject.startsWith('Reset'));
    expect(mail.hasHtml).toBe(false);
    expect(mail.text).toContain('expires in 1 hour');
    const link = linkIn(mail);
    expect(link.url.startsWith(`${t.config.publicUrl}/reset-password/`)).toBe(true);
    const stored = await t.database.db
      .selectFrom('one_time_tokens')
      .select(['token_hash', 'expires_at'])
      .where('user_id', '=', account.id)
      .where('purpose', '=', 'password_reset')
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(link.token));
    expect(stored.expires_at.getTime() - t.clock.now().getTime()).toBe(hour);

    expect((await getPage(link.path)).body).toContain('Choose a new password');
    const changed = await postForm(link.path, { password: newPassword });
    expect(changed.statusCode).toBe(200);
    expect(changed.body).toContain('Your password has been changed');

    // The session signed in with the old password is gone on its very next request.
    expect((await browser.get('/')).headers.location).toBe('/sign-in');
    const live = await t.database.db
      .selectFrom('sessions')
      .select('id')
      .where('user_id', '=', account.id)
      .where('ended_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
    const user = await t.database.db
      .selectFrom('users')
      .select(['password_hash', 'failed_sign_ins', 'throttled_until', 'status'])
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(user.password_hash!, newPassword)).toBe(true);
    expect(user).toMatchObject({ failed_sign_ins: 0, throttled_until: null, status: 'active' });
    expect(await auditRows('auth.password-reset', 'success')).toContainEqual(
      expect.objectContaining({ subject_id: account.id }),
    );

    // Signing in with the new password works; the link does not work twice.
    const fresh = new Browser(t);
    await fresh.get('/sign-in');
    const signIn = await fresh.post('/sign-in', { email: account.email, password: newPassword });
    expect(signIn.headers.location).toBe('/sign-in/two-factor');
    expect((await postForm(link.path, { password: 'yet another passphrase 9' })).statusCode).toBe(404);
    const notice = await sink.waitFor(
      (m) => m.to.includes(account.email) && m.subject === 'Your Kindred password has been changed',
    );
    expect(notice.text).not.toMatch(linkPattern);
  });

  it('stops a reset link working after 1 hour', async () => {
    const account = await aStaffAccount(t, { organisationId: raaId });
    await postForm('/forgot-password', { email: account.email });
    const link = linkIn(await sink.waitFor((m) => m.to.includes(account.email)));
    t.clock.advance(hour + 1000);
    try {
      expect((await getPage(link.path)).statusCode).toBe(404);
      expect((await postForm(link.path, { password: newPassword })).statusCode).toBe(404);
    } finally {
      t.clock.advance(-(hour + 1000));
    }
  });

  it('lets a newer reset link replace an older unused one', async () => {
    const account = await aStaffAccount(t, { organisationId: raaId });
    await postForm('/forgot-password', { email: account.email });
    const first = linkIn(await sink.waitFor((m) => m.to.includes(account.email)));
    await postForm('/forgot-password', { email: account.email });
    const second = linkIn(
      await sink.waitFor((m) => m.to.includes(account.email) && !m.text.includes(first.token)),
    );
    expect((await getPage(first.path)).statusCode).toBe(404);
    expect((await getPage(second.path)).statusCode).toBe(200);
  });

  it('refuses a reset link once the account is deactivated', async () => {
    const account = await aStaffAccount(t, { organisationId: raaId });
    await postForm('/forgot-password', { email: account.email });
    const link = linkIn(await sink.waitFor((m) => m.to.includes(account.email)));
    const deactivate = await t.app.inject({
      method: 'POST',
      url: `/admin/users/${account.id}/deactivate`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: admin.csrfToken }).toString(),
    });
    expect(deactivate.statusCode).toBe(303);
    expect((await postForm(link.path, { password: newPassword })).statusCode).toBe(404);
    const user = await t.database.db
      .selectFrom('users')
      .select('status')
      .where('id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(user.status).toBe('deactivated');
  });

  it('shows one page for expired, used, unknown and malformed links', async () => {
    const bodies = [];
    for (const path of [
      `/reset-password/${'A'.repeat(43)}`,
      '/reset-password/short',
      `/reset-password/${'%27%20OR%201%3D1%20--'}`,
      `/invitation/${'B'.repeat(43)}`,
      `/invitation/${'x'.repeat(200)}`,
    ]) {
      const response = await getPage(path);
      expect(response.statusCode).toBe(404);
      bodies.push(normalised(response.body));
    }
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('This link has expired or has already been used');
  });

  it('limits reset requests to 5 per address in 15 minutes', async () => {
    const ip = nextIp();
    const statuses = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await postForm('/forgot-password', { email: uniqueEmail('limit') }, ip)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('sends at most 3 reset emails an hour to one account, answering the same every time', async () => {
    const account = await aStaffAccount(t, { organisationId: raaId });
    const before = sink.messages.length;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await postForm('/forgot-password', { email: account.email })).statusCode).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.messages.slice(before).filter((m) => m.to.includes(account.email))).toHaveLength(3);
    expect(await auditRows('auth.password-reset.request', 'denied')).toContainEqual(
      expect.objectContaining({ subject_id: account.id }),
    );
  });

  it('never writes a link or its token to the logs (LG-2)', () => {
    const tokens = sink.messages.map((m) => linkPattern.exec(m.text)?.[3]).filter(Boolean) as string[];
    expect(tokens.length).toBeGreaterThan(3);
    const logs = t.logs.join('\n');
    for (const token of tokens) expect(logs).not.toContain(token);
  });
});
