// design.md §3 and security.md AC-2: which organisations a member of each organisation reaches
// (organisationScopeFor, used by sign-in to build the actor's scope), and which region each actor
// may look at on the organisation pages. Table-driven against the demo region, beside a second,
// unrelated region whose organisations must never appear. Runs on PGlite and PostgreSQL.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/platform/access/actor.js';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';
import { parseRegionFile } from '../../src/modules/organisations/region-file.js';
import { demoRegionFile, loadRegion } from '../../src/modules/organisations/region-loader.service.js';
import {
  organisationDetailFor,
  organisationScopeFor,
  regionFor,
} from '../../src/modules/organisations/organisations.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation } from '../support/sign-in.js';

let t: TestApp;
let demoCodes: string[];
const ids = new Map<string, string>();
const codes = new Map<string, string>();
const id = (code: string) => ids.get(code)!;
const codesOf = (organisationIds: readonly string[]) => organisationIds.map((x) => codes.get(x)).sort();

const southEast = [
  'als-south-east',
  'southwark',
  'lambeth',
  'lewisham',
  'greenwich',
  'croydon',
  'als-se-recruitment',
  'als-se-family-finding',
  'als-se-support',
].sort();
const southWest = [
  'als-south-west',
  'merton',
  'sutton',
  'kingston',
  'wandsworth',
  'richmond',
  'als-sw-recruitment',
  'als-sw-family-finding',
  'als-sw-support',
].sort();
const elsewhere = ['elsewhere-hub', 'elsewhere-raa', 'elsewhere-spoke', 'elsewhere-council', 'elsewhere-vaa'];

async function actorIn(code: string): Promise<Actor> {
  const organisation = await t.database.db
    .selectFrom('organisations')
    .select(['id', 'code', 'name', 'kind'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return {
    userId: '00000000-0000-4000-8000-000000000001',
    sessionId: 'test',
    name: 'Test Worker',
    email: 'worker@example.test',
    organisation,
    roles: ['raa_social_worker'],
    permissions: new Set(['organisations:read']),
    scope: await organisationScopeFor(t.database.db, organisation.id),
    secondFactorSkipped: false,
  };
}

beforeAll(async () => {
  t = await createTestApp();
  await loadRegion(t.database.db, parseRegionFile(readFileSync(demoRegionFile, 'utf8')), {
    auditKey: auditKeyFrom(t.config.secret),
    auditContext: { actor: null, ip: null, userAgent: 'test', correlationId: null, now: t.clock.now() },
  });
  // A second region in the same database, as another installation's data would look.
  const hub = await anOrganisation(t, { code: 'elsewhere-hub', kind: 'hub' });
  const raa = await anOrganisation(t, { code: 'elsewhere-raa', kind: 'raa', parentId: hub });
  const spoke = await anOrganisation(t, {
    code: 'elsewhere-spoke',
    kind: 'spoke',
    parentId: raa,
    raaId: raa,
  });
  await anOrganisation(t, {
    code: 'elsewhere-council',
    kind: 'local_authority',
    parentId: spoke,
    raaId: raa,
    laCode: '999',
  });
  await anOrganisation(t, { code: 'elsewhere-vaa', kind: 'voluntary_adoption_agency', raaId: raa });
  const rows = await t.database.db.selectFrom('organisations').select(['id', 'code', 'is_demo']).execute();
  for (const row of rows) {
    ids.set(row.code, row.id);
    codes.set(row.id, row.code);
  }
  demoCodes = rows
    .filter((row) => row.is_demo)
    .map((row) => row.code)
    .sort();
});
afterAll(async () => {
  await t.close();
});

describe('organisationScopeFor: whose records a member of an organisation reaches (design.md §3)', () => {
  const raaScope = ['adopt-london-south', ...southEast, ...southWest].sort();
  it.each<[string, string, string[], 'adopt-london-south' | null, boolean]>([
    ['the RAA', 'adopt-london-south', raaScope, 'adopt-london-south', false],
    ['a spoke', 'als-south-east', southEast, 'adopt-london-south', false],
    ['the other spoke', 'als-south-west', southWest, 'adopt-london-south', false],
    ["a team (its spoke's scope)", 'als-se-family-finding', southEast, 'adopt-london-south', false],
    [
      "a team in the other spoke (its spoke's scope)",
      'als-sw-support',
      southWest,
      'adopt-london-south',
      false,
    ],
    ['a member council (itself only)', 'lewisham', ['lewisham'], 'adopt-london-south', false],
    ['the host council (itself only)', 'southwark', ['southwark'], 'adopt-london-south', false],
    ['the hub (non-identifying only)', 'adopt-london-hub', ['adopt-london-hub'], null, true],
    ['another RAA in the hub', 'adopt-london-north', ['adopt-london-north'], null, false],
    ['a voluntary adoption agency', 'riverside-families-vaa', ['riverside-families-vaa'], null, false],
    ['an adoption support agency', 'hearth-therapies-asa', ['hearth-therapies-asa'], null, false],
  ])('%s (%s)', async (_label, code, expected, raaCode, nonIdentifyingOnly) => {
    const scope = await organisationScopeFor(t.database.db, id(code));
    expect(codesOf(scope.organisationIds)).toEqual(expected);
    expect(scope.raaId).toBe(raaCode ? id(raaCode) : null);
    expect(scope.nonIdentifyingOnly).toBe(nonIdentifyingOnly);
  });

  it('never reaches into another region', async () => {
    const scope = await organisationScopeFor(t.database.db, id('elsewhere-raa'));
    expect(codesOf(scope.organisationIds)).toEqual(['elsewhere-council', 'elsewhere-raa', 'elsewhere-spoke']);
  });

  it('fails closed for an unknown organisation (AC-11)', async () => {
    const scope = await organisationScopeFor(t.database.db, '00000000-0000-4000-8000-00000000dead');
    expect(scope).toEqual({ organisationIds: [], raaId: null, nonIdentifyingOnly: true });
  });

  it('leaves deactivated organisations out, and a deactivated organisation reaches nothing', async () => {
    await t.database.db
      .updateTable('organisations')
      .set({ active: false })
      .where('code', '=', 'lambeth')
      .execute();
    try {
      const spoke = await organisationScopeFor(t.database.db, id('als-south-east'));
      expect(codesOf(spoke.organisationIds)).toEqual(southEast.filter((code) => code !== 'lambeth'));
      expect((await organisationScopeFor(t.database.db, id('lambeth'))).organisationIds).toEqual([]);
    } finally {
      await t.database.db
        .updateTable('organisations')
        .set({ active: true })
        .where('code', '=', 'lambeth')
        .execute();
    }
  });
});

describe('the region an actor may look at (AC-2: anything else is not found)', () => {
  it('is the whole demo region for a member of any of its organisations', async () => {
    expect(demoCodes).toHaveLength(27);
    for (const code of demoCodes) {
      const tree = await regionFor(t.database.db, await actorIn(code));
      const seen = [
        tree.hub,
        tree.raa,
        ...tree.spokes.flatMap((s) => [s.spoke, ...s.councils, ...s.teams]),
        ...tree.partners.flatMap((p) => p.organisations),
        ...tree.others,
      ].map((row) => row!.code);
      expect(seen.sort(), code).toEqual(demoCodes);
      expect(tree.raa?.code, code).toBe('adopt-london-south');
    }
  });

  it.each(elsewhere)('is the other region for a member of %s, and never the demo region', async (code) => {
    const actor = await actorIn(code);
    const tree = await regionFor(t.database.db, actor);
    expect(tree.raa?.code).toBe('elsewhere-raa');
    await expect(organisationDetailFor(t.database.db, actor, 'lewisham')).rejects.toMatchObject({
      kind: 'not-found',
    });
    await expect(organisationDetailFor(t.database.db, actor, 'adopt-london-hub')).rejects.toMatchObject({
      kind: 'not-found',
    });
    expect((await organisationDetailFor(t.database.db, actor, 'elsewhere-council')).organisation.code).toBe(
      'elsewhere-council',
    );
  });

  it('does not show another region’s organisations to a member of the demo region', async () => {
    const actor = await actorIn('lewisham');
    for (const code of elsewhere) {
      await expect(organisationDetailFor(t.database.db, actor, code)).rejects.toMatchObject({
        kind: 'not-found',
      });
    }
  });
});
