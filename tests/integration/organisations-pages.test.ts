// Issue 2 §2: the organisation pages show the actor's region as a tree and one organisation's
// details; security.md AC-1 (declared access), AC-2 (outside the region: 404), AC-4 (list and
// detail agree), LG-3 (refusals audited), IO-4 (names escaped). Real app, real HTML, both drivers.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';
import { organisationPaths } from '../../src/modules/organisations/organisations.paths.js';
import { parseRegionFile } from '../../src/modules/organisations/region-file.js';
import { demoRegionFile, loadRegion } from '../../src/modules/organisations/region-loader.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';

const demo = readFileSync(demoRegionFile, 'utf8');
let t: TestApp;
let familyFinder: SignedInUser;

const idOf = async (code: string) =>
  (
    await t.database.db
      .selectFrom('organisations')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id;

const get = (url: string, user?: SignedInUser) =>
  t.app.inject({ url, headers: user ? { cookie: user.cookie } : {} });

/** The text of an HTML fragment, tags removed and spaces collapsed, for reading like a person. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The rows of the summary list as "Key: value" lines. */
function summary(html: string): string[] {
  return [
    ...html.matchAll(
      /<dt class="govuk-summary-list__key">([\s\S]*?)<\/dt>\s*<dd class="govuk-summary-list__value">([\s\S]*?)<\/dd>/g,
    ),
  ].map((match) => `${text(match[1]!)}: ${text(match[2]!)}`);
}

const load = (file: string) =>
  loadRegion(t.database.db, parseRegionFile(file), {
    auditKey: auditKeyFrom(t.config.secret),
    auditContext: { actor: null, ip: null, userAgent: 'test', correlationId: null, now: t.clock.now() },
  });

beforeAll(async () => {
  t = await createTestApp();
  await load(demo);
  familyFinder = await signedInUser(t, {
    roles: ['family_finder'],
    organisationId: await idOf('als-se-family-finding'),
  });
});
afterAll(async () => {
  await t.close();
});

describe('GET /organisations (issue 2 §2)', () => {
  it('shows the region as a tree: the RAA, its spokes with councils and teams, then partners by kind', async () => {
    const page = await get(organisationPaths.list(), familyFinder);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Organisations – Kindred</title>');
    const body = text(page.body.slice(page.body.indexOf('<main')));
    expect(body).toContain(
      'Adopt London South (demo) , hosted by London Borough of Southwark , is part of Adopt London hub (demo) .',
    );
    const order = [
      'South East spoke',
      'London Borough of Lewisham 209 E09000023 SE4, SE6, SE8, SE12, SE13, SE14, SE23, SE26',
      'London Borough of Southwark Host 210 E09000028',
      'South East family finding and matching team',
      'South West spoke',
      'Royal Borough of Kingston upon Thames 314 E09000021',
      'South West adoption support team',
      'Partner agencies',
      'Other regional adoption agencies in the hub',
      'Adopt London North (demo)',
      'Voluntary adoption agencies',
      'Riverside Families Adoption (demo)',
      'Adoption support agencies',
      'Hearth Therapeutic Services (demo)',
    ].map((fragment) => body.indexOf(fragment));
    expect(
      order.every((position) => position >= 0),
      body,
    ).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page.body.match(/govuk-tag--blue">\s*Host/g)).toHaveLength(1);
  });

  it('offers the page in the navigation to those who may read organisations', async () => {
    const page = await get('/', familyFinder);
    expect(page.body).toMatch(/href="\/organisations"[^>]*>\s*Organisations/);
  });

  it('says the organisations are demo data when the shell is not in demo mode', async () => {
    const page = await get(organisationPaths.list(), familyFinder);
    expect(page.body).toContain('data-testid="organisations-demo-notice"');
    expect(text(page.body)).toContain('Demo data: these organisations come from the demo region file.');
  });

  it('every organisation listed opens, and nothing opens that is not listed (AC-4)', async () => {
    const list = await get(organisationPaths.list(), familyFinder);
    const links = [...new Set([...list.body.matchAll(/href="(\/organisations\/[^"]+)"/g)].map((m) => m[1]!))];
    expect(links).toHaveLength(27);
    for (const link of links) expect((await get(link, familyFinder)).statusCode, link).toBe(200);
  });
});

describe('GET /organisations/:code (issue 2 §2)', () => {
  it('shows a member council’s codes, districts, parent and contact details', async () => {
    const page = await get(organisationPaths.detail('lewisham'), familyFinder);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<h1 class="govuk-heading-l">London Borough of Lewisham<\/h1>/);
    expect(summary(page.body)).toEqual([
      'Type: Member council',
      'Kindred code: lewisham',
      'Part of: South East spoke',
      'Regional adoption agency: Adopt London South (demo)',
      'DfE local authority code: 209',
      'ONS code: E09000023',
      'Postcode districts: SE4, SE6, SE8, SE12, SE13, SE14, SE23, SE26',
      'Email: adoption@lewisham.demo.kindred.invalid',
      'Status: Part of the region',
    ]);
    expect(page.body).toContain('href="/organisations/als-south-east"');
    expect(page.body).toContain('href="mailto:adoption@lewisham.demo.kindred.invalid"');
  });

  it('marks the host council and lists a spoke’s councils and teams', async () => {
    expect(summary((await get(organisationPaths.detail('southwark'), familyFinder)).body)[0]).toBe(
      'Type: Member council (hosts the RAA)',
    );
    const spoke = text((await get(organisationPaths.detail('als-south-west'), familyFinder)).body);
    expect(spoke).toContain('Within South West spoke');
    expect(spoke).toContain('London Borough of Merton (member council)');
    expect(spoke).toContain('South West recruitment and assessment team (team)');
  });

  it('shows a partner agency beside the RAA it works with', async () => {
    const page = await get(organisationPaths.detail('thames-permanence-vaa'), familyFinder);
    expect(summary(page.body)).toEqual([
      'Type: Voluntary adoption agency',
      'Kindred code: thames-permanence-vaa',
      'Works with: Adopt London South (demo)',
      'Email: referrals@thames-permanence.demo.kindred.invalid',
      'Website: https://thames-permanence.demo.kindred.invalid',
      'Status: Part of the region',
    ]);
  });

  it('answers 404 for a code that cannot exist, as for one that does not', async () => {
    expect((await get('/organisations/NOT%20A%20CODE', familyFinder)).statusCode).toBe(404);
    expect((await get(organisationPaths.detail('no-such-organisation'), familyFinder)).statusCode).toBe(404);
  });
});

describe('access (AC-1, AC-2, LG-3)', () => {
  it('sends an anonymous visitor to sign in (AC-1)', async () => {
    for (const url of [organisationPaths.list(), organisationPaths.detail('lewisham')]) {
      const page = await get(url);
      expect(page.statusCode).toBe(302);
      expect(page.headers.location).toBe('/sign-in');
    }
  });

  it('refuses a role without organisations:read with 403 and audits the refusal (AC-1, LG-3)', async () => {
    const panelMember = await signedInUser(t, {
      roles: ['panel_member'],
      organisationId: await idOf('adopt-london-south'),
    });
    expect((await get(organisationPaths.list(), panelMember)).statusCode).toBe(403);
    const denial = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'actor_user_id'])
      .where('actor_user_id', '=', panelMember.userId)
      .executeTakeFirstOrThrow();
    expect(denial).toEqual({ action: 'access.route', outcome: 'denied', actor_user_id: panelMember.userId });
  });

  it('answers 404 for an organisation in another region, and does not list it (AC-2)', async () => {
    const otherHub = await anOrganisation(t, { code: 'pages-other-hub', kind: 'hub', name: 'Other hub' });
    const otherRaa = await anOrganisation(t, {
      code: 'pages-other-raa',
      kind: 'raa',
      name: 'Other RAA',
      parentId: otherHub,
    });
    const councilWorker = await signedInUser(t, {
      roles: ['la_social_worker'],
      organisationId: await idOf('lewisham'),
    });
    expect((await get(organisationPaths.detail('pages-other-raa'), councilWorker)).statusCode).toBe(404);
    expect((await get(organisationPaths.detail('pages-other-hub'), councilWorker)).statusCode).toBe(404);
    expect((await get(organisationPaths.list(), councilWorker)).body).not.toContain('Other RAA');

    const otherWorker = await signedInUser(t, { roles: ['raa_social_worker'], organisationId: otherRaa });
    const otherList = await get(organisationPaths.list(), otherWorker);
    expect(otherList.statusCode).toBe(200);
    expect(otherList.body).toContain('Other RAA');
    expect(otherList.body).not.toContain('Adopt London South');
    for (const code of ['lewisham', 'adopt-london-south', 'adopt-london-hub', 'riverside-families-vaa']) {
      expect((await get(organisationPaths.detail(code), otherWorker)).statusCode, code).toBe(404);
    }
  });
});

describe('organisations that left the region, and names that are not safe HTML (IO-4)', () => {
  it('lists a deactivated organisation apart and escapes names', async () => {
    const changed = demo
      .replace(
        'name: Hearth Therapeutic Services (demo)',
        'name: "<script>alert(1)</script> Services (demo)"',
      )
      .replace(/^ {4}- code: kestrel-adoption-vaa\n(?: {6}.*\n)+/m, '');
    await load(changed);
    try {
      const page = await get(organisationPaths.list(), familyFinder);
      expect(page.body).not.toContain('<script>alert(1)</script>');
      expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Services (demo)');
      const body = text(page.body);
      expect(body.indexOf('No longer part of the region')).toBeLessThan(
        body.indexOf('Kestrel Children and Families Adoption (demo)'),
      );
      const detail = await get(organisationPaths.detail('kestrel-adoption-vaa'), familyFinder);
      expect(detail.statusCode).toBe(200);
      expect(summary(detail.body)).toContain('Status: No longer part of the region');
    } finally {
      await load(demo);
    }
  });
});
