// Issue 2 §2: the region file is schema-checked with line numbers, loads idempotently, and a
// changed file updates in one transaction; the organisation pages follow the actor's region.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationScopeFor } from '../../src/platform/access/scope.js';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';
import { parseRegionFile } from '../../src/modules/organisations/region-file.js';
import { loadRegion } from '../../src/modules/organisations/region-loader.service.js';
import { demoRegionFile } from '../../src/modules/organisations/region.commands.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { signedInUser } from '../support/sign-in.js';

const demoText = readFileSync(demoRegionFile, 'utf8');
let t: TestApp;

const load = (text: string) =>
  loadRegion(t.database.db, parseRegionFile(text, 'region.yaml'), {
    demo: true,
    auditKey: auditKeyFrom(t.config.secret),
    auditContext: { actor: null, ip: null, userAgent: null, correlationId: null, now: t.clock.now() },
  });

const idOf = async (code: string) =>
  (
    await t.database.db
      .selectFrom('organisations')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow()
  ).id;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('region file validation', () => {
  it.each([
    ['a malformed YAML file', 'region:\n  hub: [unclosed\n', /^region\.yaml line \d+: /],
    [
      'a missing section',
      'region:\n  hub: { code: hub, name: Hub }\n',
      /^region\.yaml line 2: region\.raa is missing\.$/,
    ],
    [
      'an unknown field',
      demoText.replace('    hostLaCode:', '    colour: blue\n    hostLaCode:'),
      /^region\.yaml line 13: region\.raa\.colour is not a known field\.$/,
    ],
    [
      'a bad LA code',
      demoText.replace("laCode: '208'", "laCode: '28'"),
      /^region\.yaml line 21: region\.spokes\[0\]\.localAuthorities\[1\]\.laCode must be three digits\.$/,
    ],
    ['a bad ONS code', demoText.replace('E09000023', 'X123'), /line 22: .*onsCode must be an ONS code/],
    [
      'a bad postcode district',
      demoText.replace('[SE1, SE5,', '[se1, SE5,'),
      /line 20: .*postcodeDistricts\[0\] must be a postcode district/,
    ],
    [
      'a duplicate code',
      demoText.replace('code: lambeth', 'code: southwark'),
      /line 21: region\.spokes\[0\]\.localAuthorities\[1\]\.code uses code 'southwark', already used by region\.spokes\[0\]\.localAuthorities\[0\]/,
    ],
    [
      'a district claimed twice',
      demoText.replace('SE25]', 'SE1]'),
      /'SE1' is already claimed by London Borough of Southwark/,
    ],
    [
      'a host that is not a member',
      demoText.replace("hostLaCode: '210'", "hostLaCode: '999'"),
      /line 13: region\.raa\.hostLaCode '999' is not the LA code of any member council/,
    ],
  ])('reports %s with the line and field', (_case, text, message) => {
    expect(() => parseRegionFile(text, 'region.yaml')).toThrowError(message);
  });
});

describe('loading a region (issue 2 §2)', () => {
  it('loads the demo region: a hub, one RAA, two spokes of five councils, one host, partners', async () => {
    const result = await load(demoText);
    expect(result).toMatchObject({ added: 26, changed: 0, deactivated: 0 });
    const rows = await t.database.db
      .selectFrom('organisations')
      .selectAll()
      .where('is_demo', '=', true)
      .execute();
    const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
    expect([
      count('hub'),
      count('raa'),
      count('spoke'),
      count('local_authority'),
      count('partner_raa'),
    ]).toEqual([1, 1, 2, 10, 3]);
    expect(count('voluntary_adoption_agency')).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.is_host).map((r) => r.code)).toEqual(['southwark']);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const before = await t.database.db.selectFrom('organisations').selectAll().orderBy('code').execute();
    const audits = await t.database.db.selectFrom('audit_events').select('seq').execute();
    const result = await load(demoText);
    expect(result).toMatchObject({ added: 0, changed: 0, deactivated: 0, unchanged: 26 });
    expect(await t.database.db.selectFrom('organisations').selectAll().orderBy('code').execute()).toEqual(
      before,
    );
    expect(await t.database.db.selectFrom('audit_events').select('seq').execute()).toHaveLength(
      audits.length,
    );
  });

  it('updates a changed file in one transaction, deactivating what left it, and audits the load', async () => {
    const changed = demoText
      .replace('name: South West spoke', 'name: South West spoke (Merton office)')
      .replace(/ {4}- \{ code: hearth-therapies-asa.*\n/, '');
    const result = await load(changed);
    expect(result).toMatchObject({ added: 0, changed: 1, deactivated: 1 });
    const asa = await t.database.db
      .selectFrom('organisations')
      .select(['active', 'version'])
      .where('code', '=', 'hearth-therapies-asa')
      .executeTakeFirstOrThrow();
    expect(asa).toEqual({ active: false, version: 2 });
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'reason'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'region.load', reason: '0 added, 1 changed, 1 deactivated' });
    // Back to the original: the partner returns.
    expect(await load(demoText)).toMatchObject({ changed: 2 });
  });

  it('applies nothing when the database refuses part of a change', async () => {
    const before = await t.database.db.selectFrom('organisations').selectAll().orderBy('code').execute();
    // A new council whose ONS code collides with Southwark's breaks a unique index mid-load.
    const broken = demoText
      .replace('name: South East spoke', 'name: South East spoke (renamed)')
      .replace(
        '- { code: croydon,',
        "- { code: bexley, name: London Borough of Bexley, laCode: '303', onsCode: E09000028, postcodeDistricts: [DA5] }\n        - { code: croydon,",
      );
    await expect(load(broken)).rejects.toThrow();
    expect(await t.database.db.selectFrom('organisations').selectAll().orderBy('code').execute()).toEqual(
      before,
    );
  });
});

describe('organisational scope (design.md §3)', () => {
  it.each([
    ['adopt-london-south', 19, 'the RAA, its two spokes, ten councils and six teams'],
    ['als-south-east', 9, 'the spoke, its five councils and three teams'],
    ['als-se-family-finding', 9, "a team's scope is its spoke's"],
    ['lewisham', 1, 'a council sees only itself'],
    ['riverside-families-vaa', 1, 'a partner agency sees only itself'],
    ['adopt-london-hub', 1, 'the hub, non-identifying only'],
  ])('%s reaches %i organisations (%s)', async (code, size) => {
    const scope = await organisationScopeFor(t.database.db, await idOf(code));
    expect(scope.organisationIds).toHaveLength(size);
    expect(scope.nonIdentifyingOnly).toBe(code === 'adopt-london-hub');
    if (code !== 'adopt-london-hub' && !code.endsWith('vaa'))
      expect(scope.raaId).toBe(await idOf('adopt-london-south'));
  });
});

describe('organisation pages', () => {
  it('shows the region as a tree with codes and the host council', async () => {
    const user = await signedInUser(t, {
      roles: ['family_finder'],
      organisationId: await idOf('als-se-family-finding'),
    });
    const page = await t.app.inject({ url: '/organisations', headers: { cookie: user.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Adopt London South (demo)');
    expect(page.body).toContain('South East spoke');
    expect(page.body).toContain('London Borough of Lewisham');
    expect(page.body).toContain('E09000023');
    expect(page.body).toMatch(
      /London Borough of Southwark<\/a> <strong class="govuk-tag govuk-tag--blue">\s*Host/,
    );
    expect(page.body).toContain('Riverside Families Adoption (demo VAA)');
    const detail = await t.app.inject({ url: '/organisations/lewisham', headers: { cookie: user.cookie } });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('SE13');
    expect(detail.body).toContain('South East spoke');
  });

  it('answers 404 for an organisation outside the actor’s region (AC-2)', async () => {
    await t.database.db
      .insertInto('organisations')
      .values({
        code: 'elsewhere-raa',
        kind: 'raa',
        name: 'Elsewhere RAA',
        parent_id: null,
        raa_id: null,
        la_code: null,
        ons_code: null,
        contact_email: null,
        contact_phone: null,
        website: null,
      })
      .execute();
    const user = await signedInUser(t, {
      roles: ['la_social_worker'],
      organisationId: await idOf('lewisham'),
    });
    expect(
      (await t.app.inject({ url: '/organisations/elsewhere-raa', headers: { cookie: user.cookie } }))
        .statusCode,
    ).toBe(404);
    expect(
      (await t.app.inject({ url: '/organisations/lewisham', headers: { cookie: user.cookie } })).statusCode,
    ).toBe(200);
  });
});
