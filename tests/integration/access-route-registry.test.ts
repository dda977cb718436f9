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
import { aChild } from '../support/children.js';
import { supportCrossOrganisationFixtures } from '../support/support.js';

/** For a route with parameters: values naming a record that belongs to `otherOrganisationId`. */
type CrossOrganisationFixture = (t: TestApp, otherOrganisationId: string) => Promise<Record<string, string>>;

const userInOtherOrganisation: CrossOrganisationFixture = async (t, other) => {
  const user = await signedInUser(t, { roles: ['raa_social_worker'], organisationId: other });
  return { id: user.userId };
};

const childInOtherOrganisation: CrossOrganisationFixture = async (t, other) => ({
  id: await aChild(t, { councilId: other }),
});

const taskInOtherOrganisation: CrossOrganisationFixture = async (t, other) => {
  const childId = await aChild(t, { councilId: other });
  const task = await t.database.db
    .insertInto('tasks')
    .values({
      child_id: childId,
      kind: 'custom',
      title: 'A task',
      owner_organisation_id: other,
      due_date: '2026-12-01',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: task.id };
};

const enquiryToOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const row = await t.database.db
    .insertInto('adopter_enquiries')
    .values({
      reference: `${randomLetters()}-${randomLetters()}`,
      raa_id: other,
      name: 'Someone Else',
      email: 'someone@example.test',
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
      applying_as: 'single',
      previous_experience: 'none',
      heard_from: 'search',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};
const randomLetters = () =>
  Array.from({ length: 4 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(Math.random() * 24)]).join('');

const councilOfOtherRaa: CrossOrganisationFixture = async (t, other) => ({
  id: await anOrganisation(t, { kind: 'local_authority', parentId: other, raaId: other }),
});

const householdOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const row = await t.database.db
    .insertInto('households')
    .values({
      reference: `${randomLetters()}-${randomLetters()}`,
      raa_id: other,
      relationship_status: 'L0',
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};

const eventOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const row = await t.database.db
    .insertInto('adopter_events')
    .values({ raa_id: other, kind: 'information_event', title: 'Their event' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};

const eventSessionOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const { id } = await eventOfOtherRaa(t, other);
  const row = await t.database.db
    .insertInto('adopter_event_sessions')
    .values({
      event_id: id!,
      starts_at: '2027-01-10T18:00:00Z',
      ends_at: '2027-01-10T20:00:00Z',
      online: true,
      capacity: 10,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};

const linkInOtherOrganisation: CrossOrganisationFixture = async (t, other) => {
  const childId = await aChild(t, { councilId: other });
  const { id: householdId } = await householdOfOtherRaa(t, other);
  const link = await t.database.db
    .insertInto('match_links')
    .values({ child_id: childId, household_id: householdId!, state: 'shortlisted' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: link.id };
};

// Panels (issue 7): a panel, sitting, agenda item, paper, letter and central-list member of another RAA.
const panelOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const row = await t.database.db
    .insertInto('panels')
    .values({ raa_id: other, organisation_id: other, name: `Their panel ${randomLetters()}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};
const sittingOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const { id } = await panelOfOtherRaa(t, other);
  const row = await t.database.db
    .insertInto('panel_sittings')
    .values({ panel_id: id!, sitting_date: '2026-10-28' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};
const panelItemOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const { id: sittingId } = await sittingOfOtherRaa(t, other);
  const { id: householdId } = await householdOfOtherRaa(t, other);
  const row = await t.database.db
    .insertInto('panel_agenda_items')
    .values({ sitting_id: sittingId!, position: 1, kind: 'adopter_approval', household_id: householdId! })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};
const panelMemberOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const row = await t.database.db
    .insertInto('panel_members')
    .values({
      raa_id: other,
      name: 'Their member',
      role: 'independent_member',
      appointed_on: '2026-01-05',
      review_due: '2027-01-05',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id };
};

const ssda903ImportOfOtherRaa: CrossOrganisationFixture = async (t, other) => {
  const council = await anOrganisation(t, { kind: 'local_authority', parentId: other, raaId: other });
  const job = await t.database.db
    .insertInto('ssda903_imports')
    .values({ council_id: council, requested_by: null, origin: 'command', collection_year: '2025-26' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: job.id };
};

const crossOrganisationFixtures: Record<string, CrossOrganisationFixture> = {
  ...supportCrossOrganisationFixtures,
  '/reports/councils/:id/quarterly': councilOfOtherRaa,
  '/reports/councils/:id/quarterly.pdf': councilOfOtherRaa,
  '/reports/councils/:id/quarterly.xlsx': councilOfOtherRaa,
  '/reports/councils/:id/quarterly/commentary': councilOfOtherRaa,
  '/panels/:id': panelOfOtherRaa,
  '/imports/ssda903/:id': ssda903ImportOfOtherRaa,
  '/imports/ssda903/:id/valid-only': ssda903ImportOfOtherRaa,
  '/imports/ssda903/:id/errors.csv': ssda903ImportOfOtherRaa,
  '/reports/scorecard/:measure/:organisationId': async (_t, other) => ({
    measure: 'A1',
    organisationId: other,
  }),
  '/panels/:id/sittings': panelOfOtherRaa,
  '/panel-sittings/:id': sittingOfOtherRaa,
  '/panel-sittings/:id/members': sittingOfOtherRaa,
  '/panel-sittings/:id/attendance': sittingOfOtherRaa,
  '/panel-sittings/:id/papers': sittingOfOtherRaa,
  '/panel-sittings/:id/cancel': sittingOfOtherRaa,
  '/panel-sittings/:id/agenda/new': sittingOfOtherRaa,
  '/panel-sittings/:id/agenda': sittingOfOtherRaa,
  '/panel-items/:id': panelItemOfOtherRaa,
  '/panel-items/:id/remove': panelItemOfOtherRaa,
  '/panel-items/:id/papers': panelItemOfOtherRaa,
  '/panel-items/:id/papers/:paperId': async (t, other) => {
    const { id } = await panelItemOfOtherRaa(t, other);
    const paper = await t.database.db
      .insertInto('panel_papers')
      .values({
        item_id: id!,
        title: 'Their paper',
        media_type: 'application/pdf',
        size_bytes: 5,
        content: Buffer.from('%PDF-'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: id!, paperId: paper.id };
  },
  '/panel-items/:id/conflicts': panelItemOfOtherRaa,
  '/panel-items/:id/minute': panelItemOfOtherRaa,
  '/panel-items/:id/sign-off': panelItemOfOtherRaa,
  '/panel-items/:id/amendments': panelItemOfOtherRaa,
  '/panel-items/:id/quality': panelItemOfOtherRaa,
  '/panel-items/:id/decision': panelItemOfOtherRaa,
  '/panel-items/:id/determination-route': panelItemOfOtherRaa,
  '/panel-items/:id/final-decision': panelItemOfOtherRaa,
  '/panel-letters/:id': async (t, other) => {
    const { id } = await panelItemOfOtherRaa(t, other);
    const decider = await signedInUser(t, { roles: ['agency_decision_maker'], organisationId: other });
    const decision = await t.database.db
      .insertInto('panel_decisions')
      .values({
        item_id: id!,
        outcome: 'approved',
        reasons: 'Theirs',
        decided_on: '2026-10-30',
        due_on: '2026-11-06',
        agrees_with_recommendation: true,
        decided_by: decider.userId,
        decision_maker_organisation_id: other,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const letter = await t.database.db
      .insertInto('panel_letters')
      .values({
        item_id: id!,
        decision_id: decision.id,
        template: 'adopter_approval.approved',
        file_name: 'x.pdf',
        size_bytes: 5,
        content: Buffer.from('%PDF-'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: letter.id };
  },
  '/central-list/:id': panelMemberOfOtherRaa,
  '/central-list/:id/edit': panelMemberOfOtherRaa,
  '/central-list/:id/training': panelMemberOfOtherRaa,
  '/central-list/:id/interests': panelMemberOfOtherRaa,
  '/children/:id/matches': childInOtherOrganisation,
  '/children/:id/matches/compare': childInOtherOrganisation,
  '/children/:id/shortlist': childInOtherOrganisation,
  '/children/:id/exclusions': childInOtherOrganisation,
  '/children/:id/family-finding': childInOtherOrganisation,
  '/children/:id/matching': childInOtherOrganisation,
  '/links/:id': linkInOtherOrganisation,
  '/households/:id/matches': householdOfOtherRaa,
  '/events/:id': eventOfOtherRaa,
  '/events/:id/sessions/new': eventOfOtherRaa,
  '/events/:id/sessions': eventOfOtherRaa,
  '/event-sessions/:id': eventSessionOfOtherRaa,
  '/event-sessions/:id/attendance': eventSessionOfOtherRaa,
  '/enquiries/:id/invite': enquiryToOtherRaa,
  '/enquiries/:id/register': enquiryToOtherRaa,
  '/council-checks/:id/answer': async (t, other) => {
    const { id } = await householdOfOtherRaa(t, other);
    const fact = await t.database.db
      .insertInto('household_facts')
      .values({
        household_id: id!,
        kind: 'statutory_check',
        effective_date: '2026-10-01',
        source: 'Test',
        details: JSON.stringify({
          check: { type: 'local_authority', subject: 'someone', step: 'requested' },
        }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: fact.id };
  },
  '/households/:id': householdOfOtherRaa,
  '/households/:id/applicants/:position': async (t, other) => {
    const { id } = await householdOfOtherRaa(t, other);
    await t.database.db
      .insertInto('household_applicants')
      .values({
        household_id: id!,
        position: 1,
        first_name: 'A',
        last_name: 'B',
        date_of_birth: '1980-01-01',
        sex: '1',
        ethnicity: 'WBRI',
      })
      .execute();
    return { id: id!, position: '1' };
  },
  '/households/:id/details': householdOfOtherRaa,
  '/households/:id/journey/new': householdOfOtherRaa,
  '/households/:id/journey': householdOfOtherRaa,
  '/enquiries/:id': enquiryToOtherRaa,
  '/enquiries/:id/triage': enquiryToOtherRaa,
  '/children/:id': childInOtherOrganisation,
  '/children/:id/edit': childInOtherOrganisation,
  '/children/:id/journey/new': childInOtherOrganisation,
  '/children/:id/journey': childInOtherOrganisation,
  '/children/:id/family-finder': childInOtherOrganisation,
  '/children/:id/siblings/new': childInOtherOrganisation,
  '/children/:id/siblings': childInOtherOrganisation,
  '/children/:id/birth-family': childInOtherOrganisation,
  '/children/:id/birth-family/edit': childInOtherOrganisation,
  '/children/:id/profile': childInOtherOrganisation,
  '/children/:id/profile/edit': childInOtherOrganisation,
  '/children/:id/photos': childInOtherOrganisation,
  '/children/:id/photos/:photoId': async (t, other) => {
    const id = await aChild(t, { councilId: other });
    const photo = await t.database.db
      .insertInto('child_photos')
      .values({
        child_id: id,
        media_type: 'image/png',
        size_bytes: 8,
        content: Buffer.from('89504e470d0a1a0a', 'hex'),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id, photoId: photo.id };
  },
  '/my-work/tasks/:id/take': taskInOtherOrganisation,
  '/my-work/tasks/:id/done': taskInOtherOrganisation,
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
    for (const row of table) expect(row.access).toMatch(/^(public|signed-in|[a-z][a-z0-9]*:[a-z-]+)$/);
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
