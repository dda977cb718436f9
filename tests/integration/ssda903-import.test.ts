// Issue 9 §1 and "Bad input": importing a council's SSDA903 return, through the service, the job
// and the pages, on a real database. All or nothing, idempotent, linked to existing children by
// council + CHILD, errors refused unless "only the valid children" is chosen, another
// organisation's import "not found", and bad files reported with nothing imported.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aChild } from '../support/children.js';
import { aReturn } from '../support/ssda903-returns.js';
import { importReturn } from '../../src/modules/ssda903/import.service.js';
import { generateReturn } from '../../src/modules/ssda903/generator.js';
import { readReturn } from '../../src/modules/ssda903/read-return.js';
import { auditKeyFrom, verifyAuditChain } from '../../src/platform/audit/audit.js';
import type { Actor } from '../../src/platform/access/actor.js';
import { permissionsFor } from '../../src/platform/access/permissions.js';

let t: TestApp;
let raaId: string;
let councilA: string;
let councilB: string;
let officer: SignedInUser;
let managerB: SignedInUser;
let officerActor: Actor;
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-ssda903-import-'));

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Example' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Example South' });
  councilA = await anOrganisation(t, { kind: 'local_authority', parentId: spoke, raaId, name: 'Council A' });
  councilB = await anOrganisation(t, { kind: 'local_authority', parentId: spoke, raaId, name: 'Council B' });
  officer = await signedInUser(t, { roles: ['performance_officer'], organisationId: raaId });
  managerB = await signedInUser(t, { roles: ['la_manager'], organisationId: councilB });
  officerActor = {
    userId: officer.userId,
    sessionId: 'test',
    name: 'Officer',
    email: 'officer@example.test',
    organisation: { id: raaId, code: 'raa', name: 'Adopt Example', kind: 'raa' },
    roles: ['performance_officer'],
    permissions: permissionsFor(['performance_officer']),
    scope: { organisationIds: [raaId, spoke, councilA, councilB], raaId, nonIdentifyingOnly: false },
    secondFactorSkipped: false,
  };
});
afterAll(async () => {
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const deps = () => ({ db: t.database.db, auditKey: auditKeyFrom(t.config.secret) });
const context = () => ({
  actor: officerActor,
  ip: null,
  userAgent: 'test',
  correlationId: null,
  now: t.clock.now(),
});
const count = async (table: 'children' | 'child_journey_facts' | 'audit_events' | 'tasks') =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const childAudits = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('audit_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subject_type', '=', 'child')
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Two children: A1 adopted in the year, A2 with a decision and a placement order, waiting. */
const goodTables = (a1 = 'A1', a2 = 'A2') => ({
  Header: [
    { CHILD: a1, SEX: '1', DOB: '01/02/2021', ETHNIC: 'WBRI' },
    { CHILD: a2, SEX: '2', DOB: '03/04/2022', ETHNIC: 'MWBA' },
  ],
  Episodes: [
    {
      CHILD: a1,
      DECOM: '01/03/2022',
      RNE: 'S',
      LS: 'C2',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      DEC: '01/06/2023',
      REC: 'X1',
    },
    {
      CHILD: a1,
      DECOM: '01/06/2023',
      RNE: 'L',
      LS: 'E1',
      PLACE: 'U4',
      PLACE_PROVIDER: 'PR1',
      DEC: '10/09/2024',
      REC: 'X1',
    },
    {
      CHILD: a1,
      DECOM: '10/09/2024',
      RNE: 'P',
      LS: 'E1',
      PLACE: 'A6',
      PLACE_PROVIDER: 'PR1',
      DEC: '20/03/2025',
      REC: 'E11',
    },
    {
      CHILD: a2,
      DECOM: '05/05/2024',
      RNE: 'S',
      LS: 'C2',
      PLACE: 'U1',
      PLACE_PROVIDER: 'PR1',
      DEC: '01/12/2024',
      REC: 'X1',
    },
    { CHILD: a2, DECOM: '01/12/2024', RNE: 'L', LS: 'E1', PLACE: 'U1', PLACE_PROVIDER: 'PR1' },
  ],
  PlacedAdoption: [
    { CHILD: a1, DOB: '01/02/2021', DATE_PLACED: '15/01/2023' },
    { CHILD: a2, DOB: '03/04/2022', DATE_PLACED: '10/10/2024' },
  ],
  AD1: [
    {
      CHILD: a1,
      DOB: '01/02/2021',
      DATE_INT: '15/01/2023',
      DATE_MATCH: '01/08/2024',
      FOSTER_CARE: '0',
      NB_ADOPTR: '2',
      SEX_ADOPTR: 'MF',
      LS_ADOPTR: 'L11',
    },
  ],
});

describe('importing a return (issue 9 §1)', () => {
  it('imports children and their journey facts, links to an existing child, and a second import changes nothing', async () => {
    const existing = await aChild(t, {
      councilId: councilA,
      councilChildId: 'A2',
      firstName: 'Robin',
      lastName: 'Example',
      dateOfBirth: '2022-04-03',
      facts: [['entered_care', '2024-05-05']],
    });
    const ret = aReturn(goodTables());
    const first = await importReturn(deps(), { kind: 'actor', actor: officerActor }, context(), {
      councilId: councilA,
      current: ret,
      validOnly: false,
    });
    expect(first).toMatchObject({
      status: 'imported',
      created: ['A1'],
      updated: ['A2'],
      collectionYear: '2024-25',
    });
    const a1 = await t.database.db
      .selectFrom('children')
      .selectAll()
      .where('responsible_council_id', '=', councilA)
      .where('council_child_id', '=', 'A1')
      .executeTakeFirstOrThrow();
    expect(a1).toMatchObject({
      first_name: 'Child',
      last_name: 'A1 (from SSDA903)',
      current_stage: 'adopted',
      adoption_order_date: '2025-03-20',
      placed_date: '2024-09-10',
      match_decision_date: '2024-08-01',
      entered_care_date: '2022-03-01',
    });
    const a2 = await t.database.db
      .selectFrom('children')
      .selectAll()
      .where('id', '=', existing)
      .executeTakeFirstOrThrow();
    // The existing record keeps its name; its board columns now reflect the return's facts.
    expect(a2).toMatchObject({
      first_name: 'Robin',
      current_stage: 'family_finding',
      placement_order_date: '2024-12-01',
      should_be_placed_date: '2024-10-10',
    });
    const facts = await t.database.db
      .selectFrom('child_journey_facts')
      .select(['kind', 'source'])
      .where('child_id', '=', existing)
      .execute();
    // entered_care 2024-05-05 was already there: not repeated.
    expect(facts.filter((f) => f.kind === 'entered_care')).toHaveLength(1);
    expect(facts.map((f) => f.source)).toContain('SSDA903 2024-25 return');

    const before = {
      children: await count('children'),
      facts: await count('child_journey_facts'),
      tasks: await count('tasks'),
      audits: await childAudits(),
    };
    const second = await importReturn(deps(), { kind: 'actor', actor: officerActor }, context(), {
      councilId: councilA,
      current: ret,
      validOnly: false,
    });
    expect(second).toMatchObject({
      status: 'imported',
      created: [],
      updated: [],
      factsAdded: 0,
      unchanged: 2,
    });
    expect({
      children: await count('children'),
      facts: await count('child_journey_facts'),
      tasks: await count('tasks'),
      audits: await childAudits(),
    }).toEqual(before);
    // The import's entries, written many at a time, still form one unbroken chain (LG-4).
    await expect(verifyAuditChain(t.database.db, auditKeyFrom(t.config.secret))).resolves.toMatchObject({
      ok: true,
    });
  });

  it('imports nothing from a return with errors unless only the valid children are chosen, and says which were skipped', async () => {
    const tables = goodTables('B1', 'B2');
    // B2's AD1 row says adopted, but no episode ended in adoption (rule 602), and a child in AD1 not in Header (INT01).
    tables.AD1.push({
      CHILD: 'B9',
      DOB: '03/04/2022',
      DATE_INT: '10/10/2024',
      DATE_MATCH: '01/01/2025',
      FOSTER_CARE: '0',
      NB_ADOPTR: '1',
      SEX_ADOPTR: 'F1',
      LS_ADOPTR: 'L0',
    });
    const ret = aReturn(tables);
    const before = await count('children');
    const strict = await importReturn(deps(), { kind: 'actor', actor: officerActor }, context(), {
      councilId: councilA,
      current: ret,
      validOnly: false,
    });
    expect(strict.status).toBe('refused');
    expect(strict.refusal).toBe('errors');
    expect(strict.errors.map((e) => e.code)).toContain('INT01');
    expect(await count('children')).toBe(before);
    const valid = await importReturn(deps(), { kind: 'actor', actor: officerActor }, context(), {
      councilId: councilA,
      current: ret,
      validOnly: true,
    });
    expect(valid.status).toBe('imported');
    expect(valid.created.sort()).toEqual(['B1', 'B2']);
    expect(valid.skipped.map((s) => s.child)).toEqual(['B9']);
    expect(valid.skipped[0]!.reasons.join(' ')).toMatch(/INT01/);
  });

  it('refuses a council outside the importer’s scope as not found, and writes nothing', async () => {
    const managerActor: Actor = {
      ...officerActor,
      userId: managerB.userId,
      roles: ['la_manager'],
      permissions: permissionsFor(['la_manager']),
      organisation: { id: councilB, code: 'b', name: 'Council B', kind: 'local_authority' },
      scope: { organisationIds: [councilB], raaId, nonIdentifyingOnly: false },
    };
    const before = await count('children');
    await expect(
      importReturn(
        deps(),
        { kind: 'actor', actor: managerActor },
        { ...context(), actor: managerActor },
        { councilId: councilA, current: aReturn(goodTables('C1', 'C2')), validOnly: true },
      ),
    ).rejects.toMatchObject({ kind: 'not-found' });
    expect(await count('children')).toBe(before);
  });

  it('imports a generated return: adoption journeys in, other looked-after children counted, and idempotent', async () => {
    const dir = path.join(scratch, 'generated');
    generateReturn(dir, { children: 400, seed: 7 });
    const ret = await readReturn(dir);
    const first = await importReturn(
      deps(),
      { kind: 'system' },
      { ...context(), actor: null },
      { councilId: councilB, current: ret, validOnly: true },
    );
    expect(first.status).toBe('imported');
    expect(first.created.length).toBeGreaterThan(20);
    expect(first.created.length + first.notOnAdoptionJourney + first.skipped.length).toBe(400);
    const auditsBefore = await childAudits();
    expect(auditsBefore).toBeGreaterThanOrEqual(first.created.length);
    const second = await importReturn(
      deps(),
      { kind: 'system' },
      { ...context(), actor: null },
      { councilId: councilB, current: ret, validOnly: true },
    );
    expect(second.created.length + second.updated.length + second.factsAdded).toBe(0);
    expect(await childAudits()).toBe(auditsBefore);
  });
});

function multipart(
  actor: SignedInUser,
  fields: Record<string, string>,
  files: Array<{ name: string; content: Buffer }>,
) {
  const boundary = `----kindred${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: actor.csrfToken, ...fields }))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const file of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, body: Buffer.concat(parts) };
}

async function upload(
  actor: SignedInUser,
  councilId: string,
  files: Array<{ name: string; content: Buffer }>,
) {
  const { boundary, body } = multipart(actor, { councilId }, files);
  const response = await t.app.inject({
    method: 'POST',
    url: '/imports/ssda903',
    headers: { cookie: actor.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  await t.app.jobs.runDue('ssda903.import');
  return response;
}

const csv = (header: string, ...rows: string[]) => Buffer.from(`${header}\n${rows.join('\n')}\n`);
const header = (rows: string[]) => csv('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB', ...rows);
const episodes = (rows: string[]) =>
  csv(
    'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN',
    ...rows,
  );
const placed = (rows: string[]) =>
  csv('CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED', ...rows);

describe('the import pages (issue 9 §1, bad input)', () => {
  const goodFiles = (child: string) => [
    { name: 'header.csv', content: header([`${child},1,01/02/2022,WBRI,UN1,,`]) },
    {
      name: 'episodes.csv',
      content: episodes([
        `${child},05/05/2024,S,C2,N1,U1,PR1,01/12/2024,X1,,,,`,
        `${child},01/12/2024,L,E1,N1,U1,PR1,,,,,,`,
      ]),
    },
    { name: 'placed_for_adoption.csv', content: placed([`${child},01/02/2022,10/10/2024,,`]) },
  ];

  it('refuses an upload from another site or without the form’s token, and keeps nothing (IO-6)', async () => {
    const imports = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('ssda903_imports')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await imports();
    const post = (body: Buffer, boundary: string, extra: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: '/imports/ssda903',
        headers: {
          cookie: officer.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...extra,
        },
        payload: body,
      });
    const fromElsewhere = multipart(officer, { councilId: councilA }, goodFiles('X1'));
    expect(
      (await post(fromElsewhere.body, fromElsewhere.boundary, { origin: 'https://attacker.example' }))
        .statusCode,
    ).toBe(403);
    const noToken = multipart(officer, { councilId: councilA, _csrf: '' }, goodFiles('X2'));
    expect((await post(noToken.body, noToken.boundary)).statusCode).toBe(403);
    expect(await imports()).toBe(before);
  });

  it('uploads, runs the job, shows the result, and another organisation’s import is not found', async () => {
    const response = await upload(officer, councilA, goodFiles('H1'));
    expect(response.statusCode).toBe(303);
    const jobUrl = response.headers.location as string;
    const page = await t.app.inject({ method: 'GET', url: jobUrl, headers: { cookie: officer.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Imported');
    const viewed = await t.database.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'subject_id'])
      .where('action', '=', 'ssda903.import.view')
      .where('outcome', '=', 'success')
      .execute();
    expect(viewed).toContainEqual({ actor_user_id: officer.userId, subject_id: jobUrl.split('/').pop() });
    const child = await t.database.db
      .selectFrom('children')
      .select('id')
      .where('council_child_id', '=', 'H1')
      .executeTakeFirst();
    expect(child).toBeDefined();
    for (const url of [jobUrl, `${jobUrl}/errors.csv`]) {
      const other = await t.app.inject({ method: 'GET', url, headers: { cookie: managerB.cookie } });
      expect(other.statusCode).toBe(404);
    }
    const list = await t.app.inject({
      method: 'GET',
      url: '/imports/ssda903',
      headers: { cookie: managerB.cookie },
    });
    expect(list.body).not.toContain(jobUrl);
  });

  it('a return with errors imports nothing, groups the errors, offers the choice and the error report', async () => {
    const files = goodFiles('H2');
    // A decision before the child was born (rule 184) and the duplicate child in Header.
    files[0] = {
      name: 'header.csv',
      content: header([
        'H2,1,01/02/2022,WBRI,UN1,,',
        'H3,1,01/02/2025,WBRI,UN1,,',
        'H3,2,01/02/2025,WBRI,UN1,,',
      ]),
    };
    files[2] = {
      name: 'placed_for_adoption.csv',
      content: placed(['H2,01/02/2022,10/10/2024,,', 'H3,01/02/2025,10/10/2024,,']),
    };
    const before = await count('children');
    const response = await upload(officer, councilA, files);
    const jobUrl = response.headers.location as string;
    const page = await t.app.inject({ method: 'GET', url: jobUrl, headers: { cookie: officer.cookie } });
    expect(page.body).toContain('Import only the children without errors');
    expect(page.body).toContain('Errors by table and rule');
    expect(await count('children')).toBe(before);
    const report = await t.app.inject({
      method: 'GET',
      url: `${jobUrl}/errors.csv`,
      headers: { cookie: officer.cookie },
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/text\/csv/);
    expect(report.body).toMatch(/H3/);
    const choose = await t.app.inject({
      method: 'POST',
      url: `${jobUrl}/valid-only`,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${officer.csrfToken}`,
    });
    expect(choose.statusCode).toBe(303);
    await t.app.jobs.runDue('ssda903.import');
    const names = (
      await t.database.db
        .selectFrom('children')
        .select('council_child_id')
        .where('council_child_id', 'in', ['H2', 'H3'])
        .execute()
    ).map((r) => r.council_child_id);
    expect(names).toEqual(['H2']);
  });

  it.each([
    ['an unknown table', [{ name: 'notes.csv', content: csv('FOO,BAR', '1,2') }]],
    [
      'a file in UTF-16',
      [
        {
          name: 'header.csv',
          content: Buffer.concat([
            Buffer.from([0xff, 0xfe]),
            Buffer.from('CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nX1,1,01/02/2022,WBRI,,,\n', 'utf16le'),
          ]),
        },
      ],
    ],
    [
      'an XML return with an external entity',
      [
        {
          name: 'return.xml',
          content: Buffer.from(
            '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Message><Children><Child><ChildID>&xxe;</ChildID></Child></Children></Message>',
          ),
        },
      ],
    ],
    [
      'a billion-laughs XML return',
      [
        {
          name: 'return.xml',
          content: Buffer.from(
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><Message>&lol2;</Message>',
          ),
        },
      ],
    ],
  ])('%s: a clear report, nothing imported', async (_name, files) => {
    const before = await count('children');
    const response = await upload(officer, councilA, files);
    expect(response.statusCode).toBe(303);
    const page = await t.app.inject({
      method: 'GET',
      url: response.headers.location as string,
      headers: { cookie: officer.cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/nothing imported/i);
    expect(await count('children')).toBe(before);
  });

  it('refuses a 200 MB upload with a clear message, without keeping it', async () => {
    const size = 200 * 1024 * 1024;
    const { boundary } = multipart(officer, {}, []);
    let sent = 0;
    const stream = new Readable({
      read() {
        if (sent >= size) return this.push(null);
        const chunk = Buffer.alloc(Math.min(1024 * 1024, size - sent), 0x61);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const response = await t.app.inject({
      method: 'POST',
      url: '/imports/ssda903',
      headers: {
        cookie: officer.cookie,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(size),
      },
      payload: stream,
    });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('the most Kindred accepts is 50 MB');
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(100 * 1024 * 1024);
  });
});
