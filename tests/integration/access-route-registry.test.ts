// AC-1 / AC-2: every registered route is enumerated and proved to deny by default.
// - anonymous: pages redirect to sign-in, everything else answers 401;
// - signed in without the route's permission: 403;
// - with the permission, but the record belongs to another organisation: 404.
// A route with path parameters must have a cross-organisation fixture below, so a new route
// cannot be added without saying how its records are scoped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyFrom, writeAudit } from '../../src/platform/audit/audit.js';
import { rolePermissions, roles, type Permission, type Role } from '../../src/platform/access/permissions.js';
import { routeAccessRecorder, type RouteAccessRow } from '../../src/platform/app.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';

/** For a route with parameters: values naming a record that belongs to `otherOrganisationId`. */
type CrossOrganisationFixture = (t: TestApp, otherOrganisationId: string) => Promise<Record<string, string>>;

const userInOtherOrganisation: CrossOrganisationFixture = async (t, other) => {
  const user = await signedInUser(t, { roles: ['raa_social_worker'], organisationId: other });
  return { id: user.userId };
};

const crossOrganisationFixtures: Record<string, CrossOrganisationFixture> = {
  '/organisations/:code': async (t, other) => {
    const row = await t.database.db
      .selectFrom('organisations')
      .select('code')
      .where('id', '=', other)
      .executeTakeFirstOrThrow();
    return { code: row.code };
  },
  '/admin/users/:id': userInOtherOrganisation,
  '/admin/users/:id/roles': userInOtherOrganisation,
  '/admin/users/:id/deactivate': userInOtherOrganisation,
  '/admin/users/:id/reactivate': userInOtherOrganisation,
  '/admin/users/:id/reset-second-factor': userInOtherOrganisation,
  '/admin/users/:id/resend-invitation': userInOtherOrganisation,
  '/audit/records/:subjectType/:subjectId': async (t, other) => {
    const user = await signedInUser(t, { roles: ['raa_social_worker'], organisationId: other });
    await t.database.db.transaction().execute(async (trx) => {
      await writeAudit(
        trx,
        auditKeyFrom(t.config.secret),
        { actor: null, ip: null, userAgent: null, correlationId: null, now: t.clock.now() },
        {
          action: 'user.view',
          outcome: 'success',
          subjectType: 'user',
          subjectId: user.userId,
          subjectOrganisationId: other,
        },
      );
    });
    return { subjectType: 'user', subjectId: user.userId };
  },
};

/** Routes whose parameters are not records (tokens, provider codes): they are public and prove themselves. */
const parameterisedPublicRoutes = new Set(['/assets/*']);

const fill = (url: string, values: Record<string, string>): string =>
  url.replace(/:([A-Za-z]+)/g, (_whole, name: string) => encodeURIComponent(values[name] ?? 'x'));

const roleWith = (permission: Permission): Role => {
  const role = roles.find((r) => rolePermissions[r].includes(permission));
  if (!role) throw new Error(`No role grants ${permission}`);
  return role;
};

let t: TestApp;
let table: RouteAccessRow[];
let noRoles: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  table = t.app.routeAccessTable().filter((r) => r.method !== 'HEAD');
  noRoles = await signedInUser(t, { roles: [] });
});
afterAll(async () => {
  await t?.close();
});

describe('route registry (AC-1)', () => {
  it('lists every route with its declared access', () => {
    expect(table.length).toBeGreaterThan(5);
    for (const row of table) expect(row.access).toMatch(/^(public|signed-in|[a-z]+:[a-z-]+)$/);
  });

  it('refuses to register a route that declares no access', async () => {
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    const rows: RouteAccessRow[] = [];
    app.addHook('onRoute', routeAccessRecorder(rows));
    app.get('/declared', { config: { access: { public: true } } }, async () => 'fine');
    expect(() => app.get('/undeclared', async () => 'open')).toThrowError(
      'Route GET /undeclared does not declare its access (config.access).',
    );
    expect(rows).toContainEqual({ method: 'GET', url: '/declared', access: 'public' });
    await app.close();
  });

  it('has a cross-organisation fixture for every non-public route with parameters', () => {
    const missing = table
      .filter((r) => r.access !== 'public' && /[:*]/.test(r.url))
      .map((r) => r.url)
      .filter((url) => !crossOrganisationFixtures[url]);
    expect(missing).toEqual([]);
  });

  it('answers anonymous requests with a sign-in redirect (pages) or 401 (everything else)', async () => {
    const failures: string[] = [];
    for (const row of table.filter((r) => r.access !== 'public')) {
      const response = await t.app.inject({ method: row.method as 'GET', url: fill(row.url, {}) });
      const expected = row.method === 'GET' && !row.url.startsWith('/api/') ? 302 : 401;
      if (
        response.statusCode !== expected ||
        (expected === 302 && response.headers.location !== '/sign-in')
      ) {
        failures.push(`${row.method} ${row.url}: ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a signed-in user without the permission', async () => {
    const failures: string[] = [];
    for (const row of table.filter((r) => r.access.includes(':'))) {
      const response = await t.app.inject({
        method: row.method as 'GET',
        url: fill(row.url, {}),
        headers: { cookie: noRoles.cookie, 'x-csrf-token': noRoles.csrfToken },
        ...(row.method === 'GET' ? {} : { payload: { _csrf: noRoles.csrfToken } }),
      });
      if (response.statusCode !== 403) failures.push(`${row.method} ${row.url}: ${response.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 for another organisation's record even with the permission (AC-2)", async () => {
    const failures: string[] = [];
    for (const row of table.filter((r) => r.access !== 'public' && /:/.test(r.url))) {
      const fixture = crossOrganisationFixtures[row.url];
      if (!fixture) continue;
      const own = await anOrganisation(t, { kind: 'raa' });
      const other = await anOrganisation(t, { kind: 'raa' });
      const permission = row.access.includes(':') ? (row.access as Permission) : undefined;
      const actor = await signedInUser(t, {
        roles: permission ? [roleWith(permission)] : ['raa_social_worker'],
        organisationId: own,
      });
      const values = await fixture(t, other);
      const response = await t.app.inject({
        method: row.method as 'GET',
        url: fill(row.url, values),
        headers: { cookie: actor.cookie, 'x-csrf-token': actor.csrfToken },
        ...(row.method === 'GET' ? {} : { payload: { _csrf: actor.csrfToken } }),
      });
      if (response.statusCode !== 404) failures.push(`${row.method} ${row.url}: ${response.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('keeps parameterised public routes to a known list', () => {
    const publicWithParameters = table
      .filter((r) => r.access === 'public' && /[:*]/.test(r.url))
      .map((r) => r.url);
    for (const url of publicWithParameters) {
      expect(
        parameterisedPublicRoutes.has(url) || /token|callback|sso/.test(url),
        `${url} is public and takes parameters`,
      ).toBe(true);
    }
  });
});
