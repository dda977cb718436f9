// Issue 2 §2, §9 and design.md §4: a region file loads all or nothing and idempotently. Loading
// the same file twice changes nothing (every row, version, updated_at and the audit trail); a
// changed file updates only what changed, in one transaction with one audit entry; anything that
// goes wrong leaves the organisations exactly as they were. Runs on PGlite and PostgreSQL.
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { parse } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditKeyFrom } from '../../src/platform/audit/audit.js';
import { parseRegionFile } from '../../src/modules/organisations/region-file.js';
import { demoRegionFile, loadRegion } from '../../src/modules/organisations/region-loader.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const demo = readFileSync(demoRegionFile, 'utf8');
let t: TestApp;

function edit(from: string, to: string, file = demo): string {
  if (!file.includes(from)) throw new Error(`the demo region does not contain ${from}`);
  return file.replace(from, to);
}

const load = (text: string) =>
  loadRegion(t.database.db, parseRegionFile(text), {
    auditKey: auditKeyFrom(t.config.secret),
    auditContext: { actor: null, ip: null, userAgent: 'test', correlationId: null, now: t.clock.now() },
  });

const organisations = () => t.database.db.selectFrom('organisations').selectAll().orderBy('code').execute();
const byCode = async () => new Map((await organisations()).map((row) => [row.code, row]));
const auditCount = async () =>
  (await t.database.db.selectFrom('audit_events').select('seq').execute()).length;
const settings = () => t.database.db.selectFrom('installation_settings').selectAll().orderBy('key').execute();
const snapshot = async () => ({
  organisations: await organisations(),
  audit: await auditCount(),
  settings: await settings(),
});

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('loading the demo region into an empty installation (issue 2 §2)', () => {
  it('adds the South London shape: a hub, one RAA, two spokes of five councils, teams and partners', async () => {
    const result = await load(demo);
    expect(result).toEqual({
      regionName: 'Adopt London South (demo)',
      added: 27,
      changed: 0,
      deactivated: 0,
      unchanged: 0,
    });
    const rows = await organisations();
    const codesOf = (kind: string) => rows.filter((row) => row.kind === kind).map((row) => row.code);
    expect(codesOf('hub')).toEqual(['adopt-london-hub']);
    expect(codesOf('raa')).toEqual(['adopt-london-south']);
    expect(codesOf('spoke')).toEqual(['als-south-east', 'als-south-west']);
    expect(codesOf('local_authority')).toHaveLength(10);
    expect(codesOf('team')).toHaveLength(6);
    expect(codesOf('partner_raa')).toEqual(['adopt-london-east', 'adopt-london-north', 'adopt-london-west']);
    expect(codesOf('voluntary_adoption_agency')).toHaveLength(3);
    expect(codesOf('adoption_support_agency')).toHaveLength(1);
    expect(rows.filter((row) => row.is_host).map((row) => row.code)).toEqual(['southwark']);
    expect(rows.every((row) => row.is_demo && row.active && row.version === 1)).toBe(true);
  });

  it('links the tree: hub → RAA → spoke → council, teams in spokes, partners beside the RAA', async () => {
    const rows = await byCode();
    const id = (code: string) => rows.get(code)!.id;
    const links = (code: string) => ({ parent: rows.get(code)!.parent_id, raa: rows.get(code)!.raa_id });
    expect(links('adopt-london-hub')).toEqual({ parent: null, raa: null });
    expect(links('adopt-london-south')).toEqual({ parent: id('adopt-london-hub'), raa: null });
    expect(links('als-south-west')).toEqual({
      parent: id('adopt-london-south'),
      raa: id('adopt-london-south'),
    });
    expect(links('lewisham')).toEqual({ parent: id('als-south-east'), raa: id('adopt-london-south') });
    expect(links('richmond')).toEqual({ parent: id('als-south-west'), raa: id('adopt-london-south') });
    expect(links('als-se-family-finding')).toEqual({
      parent: id('als-south-east'),
      raa: id('adopt-london-south'),
    });
    expect(links('adopt-london-north')).toEqual({
      parent: id('adopt-london-hub'),
      raa: id('adopt-london-south'),
    });
    expect(links('riverside-families-vaa')).toEqual({ parent: null, raa: id('adopt-london-south') });
    expect(links('hearth-therapies-asa')).toEqual({ parent: null, raa: id('adopt-london-south') });
    expect(rows.get('southwark')).toMatchObject({ la_code: '210', ons_code: 'E09000028' });
    expect(rows.get('lewisham')!.postcode_districts).toContain('SE13');
  });

  it('records the file’s hash and audits the load as the system (LG-1, LG-2)', async () => {
    expect(await settings()).toEqual([
      expect.objectContaining({ key: 'region.file_sha256', value: parseRegionFile(demo).hash }),
    ]);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'region.load')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_user_id: null,
      outcome: 'success',
      subject_type: 'region',
      subject_id: (await byCode()).get('adopt-london-south')!.id,
      reason: '27 added, 0 changed, 0 deactivated',
    });
  });
});

describe('loading again (issue 2 §2: idempotent)', () => {
  beforeEach(async () => {
    await load(demo);
    t.clock.advance(60_000);
  });

  it('changes nothing when the same file is loaded twice: rows, versions, updated_at, settings, audit', async () => {
    const before = await snapshot();
    const result = await load(demo);
    expect(result).toMatchObject({ added: 0, changed: 0, deactivated: 0, unchanged: 27 });
    expect(await snapshot()).toEqual(before);
  });

  it('changes nothing when the same region comes as JSON', async () => {
    const before = await snapshot();
    expect(await load(JSON.stringify(parse(demo), null, 2))).toMatchObject({ added: 0, changed: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('updates only what changed, bumping those versions alone, with one audit entry', async () => {
    const before = await byCode();
    const audits = await auditCount();
    const changed = edit('name: South West spoke', 'name: South West spoke (Merton office)')
      .replace('[SW11, SW12, SW15, SW17, SW18]', '[SW11, SW12, SW15, SW17, SW18, SW10]')
      .replace(
        '        - code: als-se-support\n',
        '        - code: als-se-early-permanence\n          name: South East early permanence team\n        - code: als-se-support\n',
      )
      .replace(/ {4}- code: kestrel-adoption-vaa\n(?: {6}.*\n)+/, '');
    expect(changed).not.toContain('kestrel');

    const result = await load(changed);
    expect(result).toMatchObject({ added: 1, changed: 2, deactivated: 1, unchanged: 24 });

    const after = await byCode();
    const now = t.clock.now();
    for (const code of ['als-south-west', 'wandsworth', 'kestrel-adoption-vaa']) {
      expect(after.get(code)).toMatchObject({ version: before.get(code)!.version + 1, updated_at: now });
    }
    expect(after.get('als-south-west')!.name).toBe('South West spoke (Merton office)');
    expect(after.get('wandsworth')!.postcode_districts).toEqual([
      'SW10',
      'SW11',
      'SW12',
      'SW15',
      'SW17',
      'SW18',
    ]);
    expect(after.get('kestrel-adoption-vaa')!.active).toBe(false);
    expect(after.get('als-se-early-permanence')).toMatchObject({
      kind: 'team',
      parent_id: after.get('als-south-east')!.id,
      version: 1,
    });
    for (const [code, row] of before) {
      if (['als-south-west', 'wandsworth', 'kestrel-adoption-vaa'].includes(code)) continue;
      expect(after.get(code), code).toEqual(row);
    }
    expect(await auditCount()).toBe(audits + 1);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'reason'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'region.load', reason: '1 added, 2 changed, 1 deactivated' });
    expect((await settings())[0]!.value).toBe(parseRegionFile(changed).hash);
  });

  it('never deletes: an organisation that returns to the file is reactivated, not duplicated', async () => {
    const without = demo.replace(/^ {4}- code: hearth-therapies-asa\n(?: {6}.*\n)+/m, '');
    expect(await load(without)).toMatchObject({ deactivated: 1 });
    const gone = (await byCode()).get('hearth-therapies-asa')!;
    expect(gone.active).toBe(false);
    t.clock.advance(60_000);
    expect(await load(demo)).toMatchObject({ added: 0, changed: 1, deactivated: 0 });
    const back = (await byCode()).get('hearth-therapies-asa')!;
    expect(back).toMatchObject({ id: gone.id, active: true, version: gone.version + 1 });
    expect((await organisations()).filter((row) => row.code === 'hearth-therapies-asa')).toHaveLength(1);
  });

  it('lets two councils swap LA and ONS codes in one load (checked at commit)', async () => {
    const swapped = edit("laCode: '314'", "laCode: 'TMP'")
      .replace("laCode: '318'", "laCode: '314'")
      .replace("laCode: 'TMP'", "laCode: '318'")
      .replace('E09000021', 'TMP')
      .replace('E09000027', 'E09000021')
      .replace('TMP', 'E09000027');
    expect(await load(swapped)).toMatchObject({ changed: 2 });
    const rows = await byCode();
    expect(rows.get('kingston')).toMatchObject({ la_code: '318', ons_code: 'E09000027' });
    expect(rows.get('richmond')).toMatchObject({ la_code: '314', ons_code: 'E09000021' });
  });
});

describe('nothing half-applied (issue 2 §9, design.md §4)', () => {
  beforeEach(async () => {
    await load(demo);
    t.clock.advance(60_000);
  });

  it('refuses an LA code still held by an organisation that left the file, naming the line', async () => {
    // Croydon leaves the region but keeps its code; a new council cannot take 306.
    const taken = edit('        - code: croydon\n', '        - code: croydon-new\n').replace(
      'name: South East spoke',
      'name: South East spoke (renamed)',
    );
    const before = await snapshot();
    const line = taken.split('\n').findIndex((text) => text.includes("laCode: '306'")) + 1;
    await expect(load(taken)).rejects.toThrow(
      `Line ${line}: spokes[0].localAuthorities[4].laCode '306' already belongs to 'croydon', which is not in this file: use the code 'croydon' for it instead.`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('rolls the whole load back when the audit entry cannot be written (LG-1)', async () => {
    await sql`create function test_refuse_region_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit store unavailable'; end; $$`.execute(t.database.db);
    await sql`create trigger test_refuse_region_audit before insert on audit_events for each row
      when (new.action = 'region.load') execute function test_refuse_region_audit()`.execute(t.database.db);
    try {
      const before = await snapshot();
      const changed = edit('name: South East spoke', 'name: South East spoke (renamed)').replace(
        /^ {4}- code: adopt-london-west\n(?: {6}.*\n)+/m,
        '',
      );
      await expect(load(changed)).rejects.toThrow(/audit store unavailable/);
      expect(await snapshot()).toEqual(before);
    } finally {
      await sql`drop trigger test_refuse_region_audit on audit_events`.execute(t.database.db);
      await sql`drop function test_refuse_region_audit()`.execute(t.database.db);
    }
  });
});
