// Test builders for people and their sessions: a user with given roles in a given organisation,
// already signed in (password and second factor done), so a test can act as them over HTTP.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/platform/access/permissions.js';
import { hashToken, newSessionToken, sessionCookieName } from '../../src/modules/identity/session-cookie.js';
import type { TestApp } from './test-app.js';

export interface SignedInUser {
  userId: string;
  email: string;
  organisationId: string;
  /** Cookie header value carrying the session and the CSRF secret. */
  cookie: string;
  /** A CSRF token to send as `_csrf` (forms) or `x-csrf-token` (API). */
  csrfToken: string;
}

/** Creates an organisation for tests unless one with the code exists; returns its id. */
export async function anOrganisation(
  t: TestApp,
  options: {
    code?: string;
    kind?: 'raa' | 'local_authority' | 'spoke' | 'hub' | 'team' | 'voluntary_adoption_agency';
    name?: string;
    parentId?: string | null;
    raaId?: string | null;
    laCode?: string;
  } = {},
): Promise<string> {
  const code = options.code ?? `org-${randomBytes(4).toString('hex')}`;
  const existing = await t.database.db
    .selectFrom('organisations')
    .select('id')
    .where('code', '=', code)
    .executeTakeFirst();
  if (existing) return existing.id;
  const kind = options.kind ?? 'raa';
  const laCode = kind === 'local_authority' ? (options.laCode ?? (await anUnusedLaCode(t))) : null;
  const row = await t.database.db
    .insertInto('organisations')
    .values({
      code,
      kind,
      name: options.name ?? `Test ${kind} ${code}`,
      parent_id: options.parentId ?? null,
      raa_id: options.raaId ?? null,
      la_code: laCode,
      ons_code: null,
      contact_email: null,
      contact_phone: null,
      website: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A three-digit DfE LA code no organisation in this test's database holds yet. LA codes are
 * unique, so a random pick collided now and then (1 in 899 per pair) and failed a test's set-up.
 */
async function anUnusedLaCode(t: TestApp): Promise<string> {
  const taken = new Set(
    (
      await t.database.db
        .selectFrom('organisations')
        .select('la_code')
        .where('la_code', 'is not', null)
        .execute()
    ).map((row) => row.la_code),
  );
  const start = 100 + Math.floor(Math.random() * 899);
  for (let offset = 0; offset < 900; offset += 1) {
    const candidate = String(100 + ((start - 100 + offset) % 900));
    if (!taken.has(candidate)) return candidate;
  }
  throw new Error('Every three-digit LA code is taken in this test database.');
}

/** Fetches a page to obtain the CSRF cookie and a matching token. */
export async function csrfFor(t: TestApp, cookie = ''): Promise<{ cookie: string; csrfToken: string }> {
  const response = await t.app.inject({ url: '/accessibility', headers: cookie ? { cookie } : {} });
  const csrfToken = /<meta name="csrf-token" content="([^"]+)">/.exec(response.body)?.[1];
  const setCookies = ([] as string[]).concat(response.headers['set-cookie'] ?? []);
  const csrfCookie = setCookies.map((c) => c.split(';')[0]).find((c) => c?.includes('csrf'));
  if (!csrfToken || !csrfCookie) throw new Error('No CSRF token on /accessibility');
  return { cookie: [cookie, csrfCookie].filter(Boolean).join('; '), csrfToken };
}

export async function signedInUser(
  t: TestApp,
  options: { roles: Role[]; organisationId?: string; email?: string; name?: string },
): Promise<SignedInUser> {
  const organisationId = options.organisationId ?? (await anOrganisation(t));
  const email = options.email ?? `user-${randomBytes(5).toString('hex')}@example.test`;
  const now = t.clock.now();
  const user = await t.database.db
    .insertInto('users')
    .values({
      organisation_id: organisationId,
      email,
      name: options.name ?? 'Test User',
      password_hash: null,
      totp_secret_encrypted: null,
      totp_enrolled_at: now,
      status: 'active',
      throttled_until: null,
      last_sign_in_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (options.roles.length) {
    await t.database.db
      .insertInto('user_roles')
      .values(options.roles.map((role) => ({ user_id: user.id, role, granted_by: null })))
      .execute();
  }
  const token = newSessionToken();
  await t.database.db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: user.id,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + t.config.sessionAbsoluteSeconds * 1000),
      second_factor: 'totp',
      ip: '127.0.0.1',
      user_agent: 'test',
      ended_at: null,
      ended_reason: null,
    })
    .execute();
  const sessionCookie = `${sessionCookieName(t.config)}=${token}`;
  const { cookie, csrfToken } = await csrfFor(t, sessionCookie);
  return { userId: user.id, email, organisationId, cookie, csrfToken };
}
