// Statutory returns (issue 9 §5): ASGLB child- and adopter-level returns and Ofsted Annex A Lists
// 10 and 11, as a performance officer would check and download them: the rows in scope, the
// problems listed before download, the published column order, and one audit event per download
// that names the records in it.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ofstedList10Headers, ofstedList11Headers } from '../../src/modules/reports/returns.js';
import { aChild } from '../support/children.js';
import { aHousehold, approvedFacts } from '../support/panels.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let officer: SignedInUser;
let board: SignedInUser;
let councilOfficer: SignedInUser;
let raa: string;
let council: string;
let otherCouncil: string;
const ids: Record<string, string> = {};

const get = (user: SignedInUser, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: user.cookie } });

async function readXlsx(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { name: sheet.name, rows };
}

beforeAll(async () => {
  t = await createTestApp();
  raa = await anOrganisation(t, { kind: 'raa', name: 'Adopt Test South' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raa, raaId: raa });
  council = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId: raa,
    laCode: '210',
    name: 'Southwark',
  });
  const otherRaa = await anOrganisation(t, { kind: 'raa' });
  otherCouncil = await anOrganisation(t, { kind: 'local_authority', parentId: otherRaa, raaId: otherRaa });
  officer = await signedInUser(t, { roles: ['performance_officer'], organisationId: raa });
  board = await signedInUser(t, { roles: ['board_member'], organisationId: raa });
  councilOfficer = await signedInUser(t, { roles: ['performance_officer'], organisationId: council });

  ids.placed = await aChild(t, {
    councilId: council,
    councilChildId: 'PLACED1',
    dateOfBirth: '2023-01-10',
    facts: [
      ['entered_care', '2024-02-01'],
      ['should_be_placed_decision', '2025-06-01'],
      ['placement_order', '2025-09-01'],
      ['early_permanence_placement', '2025-07-01'],
      ['match_decision', '2026-06-20'],
      ['placed_for_adoption', '2026-07-05'],
    ],
  });
  ids.sibling = await aChild(t, {
    councilId: council,
    councilChildId: 'SIB2',
    dateOfBirth: '2024-03-01',
    facts: [
      ['entered_care', '2024-04-01'],
      ['should_be_placed_decision', '2026-07-15'],
    ],
  });
  const [a, b] = [ids.placed, ids.sibling].sort() as [string, string];
  await t.database.db
    .insertInto('child_sibling_links')
    .values({ child_a_id: a, child_b_id: b, placement_plan: 'together' })
    .execute();
  // A decision with no date of entering care: a problem the page must list.
  ids.problem = await aChild(t, {
    councilId: council,
    councilChildId: 'NOCARE3',
    facts: [['should_be_placed_decision', '2026-08-01']],
  });
  // Adopted before the quarter: not in the ASGLB Q2 return.
  ids.adoptedEarlier = await aChild(t, {
    councilId: council,
    councilChildId: 'OLD4',
    dateOfBirth: '2020-01-01',
    facts: [
      ['entered_care', '2021-01-01'],
      ['should_be_placed_decision', '2021-06-01'],
      ['placement_order', '2021-09-01'],
      ['match_decision', '2022-01-10'],
      ['placed_for_adoption', '2022-02-01'],
      ['adoption_order', '2023-01-05'],
    ],
  });
  ids.elsewhere = await aChild(t, {
    councilId: otherCouncil,
    councilChildId: 'ELSE5',
    facts: [
      ['entered_care', '2025-01-01'],
      ['should_be_placed_decision', '2026-07-01'],
    ],
  });
  const household = await aHousehold(t, raa, {
    facts: approvedFacts,
    stage: 'approved',
    stageSince: '2026-10-05',
  });
  ids.household = household.id;
  ids.householdReference = household.reference;
  await sql`select refresh_household_funnel(array[${household.id}]::uuid[])`.execute(t.database.db);
});
afterAll(async () => {
  await t?.close();
});

describe('statutory returns (issue 9 §5)', () => {
  it('lists the four returns for the quarter, saying Q4 covers the whole year', async () => {
    const page = await get(officer, '/reports/returns?quarter=2025-Q4');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ASGLB quarterly return: children');
    expect(page.body).toContain('Ofsted Annex A List 11: adopters');
    expect(page.body).toContain('The whole year, 1 April 2025 to 31 March 2026');
  });

  it('lists the problems before download and only downloads with "download anyway"', async () => {
    const page = await get(officer, '/reports/returns/asglb-children?quarter=2026-Q2');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3 rows for 3 children');
    expect(page.body).toMatch(/NOCARE3<\/td>\s*<td class="govuk-table__cell">Date entered care/);
    expect(page.body).toContain('Download anyway as XLSX');
    const refused = await get(officer, '/reports/returns/asglb-children.csv?quarter=2026-Q2');
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/reports/returns/asglb-children?quarter=2026-Q2');
  });

  it('exports the child-level CSV for the councils in scope, siblings on their own rows', async () => {
    const response = await get(officer, '/reports/returns/asglb-children.csv?quarter=2026-Q2&anyway=yes');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('asglb-children-2026-Q2.csv');
    const rows = parse(response.body.replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((r) => r['Child ID']).sort()).toEqual(['NOCARE3', 'PLACED1', 'SIB2']);
    const placed = rows.find((r) => r['Child ID'] === 'PLACED1')!;
    expect(placed).toMatchObject({
      'LA code': '210',
      'Date entered care': '01/02/2024',
      'Date of placement order': '01/09/2025',
      'Date placed for adoption': '05/07/2026',
      'Date of FfA or concurrent planning placement': '01/07/2025',
      'Date first placed with the foster carers who adopt': '01/07/2025',
      'Number of children in sibling group': '2',
      'Sibling group ID': 'PLACED1',
    });
    expect(rows.find((r) => r['Child ID'] === 'SIB2')!['Sibling group ID']).toBe('PLACED1');
  });

  it('writes List 10 with Ofsted’s published headers in order, and real dates', async () => {
    const sample = new ExcelJS.Workbook();
    await sample.xlsx.readFile('tests/fixtures/ofsted/ofsted-annex-a-sample.xlsx');
    const published = (sheet: string) => (sample.getWorksheet(sheet)!.getRow(1).values as unknown[]).slice(1);
    expect([...ofstedList10Headers]).toEqual(published('List 10'));
    expect([...ofstedList11Headers]).toEqual(published('List 11'));

    const response = await get(officer, '/reports/returns/ofsted-list-10.xlsx?quarter=2026-Q2&anyway=yes');
    expect(response.statusCode).toBe(200);
    const { name, rows } = await readXlsx(response.rawPayload);
    expect(name).toBe('List 10');
    expect(rows[0]).toEqual(published('List 10'));
    const placed = rows.find((r) => r[0] === 'PLACED1')!;
    expect(placed[2]).toBe('a) Male');
    expect(placed[3]).toBe('a) WBRI');
    expect(placed[7]).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(rows.some((r) => r[0] === 'ELSE5')).toBe(false);
  });

  it('exports List 11 with one row per adopter and the household as family identifier', async () => {
    const response = await get(officer, '/reports/returns/ofsted-list-11.csv?quarter=2026-Q3');
    // Q3 ends 31 December 2026, after the test clock: no problem of dates after the period.
    expect(response.statusCode).toBe(200);
    const rows = parse(response.body.replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    const family = rows.filter((r) => r['Family identifier'] === ids.householdReference);
    expect(family.map((r) => r['Individual adopter identifier'])).toEqual([
      `${ids.householdReference}-1`,
      `${ids.householdReference}-2`,
    ]);
    expect(family[0]).toMatchObject({
      'Date enquiry received': '01/03/2026',
      'Date Stage 2 started': '01/04/2026',
      'Date Stage 2 ended': '05/10/2026',
      'Date application approved': '05/10/2026',
      'Date application submitted': '05/03/2026',
    });
  });

  it("writes List 11's Disability as Ofsted's Yes/No from each applicant's answer, blank when not given", async () => {
    const list11 = async () => {
      const response = await get(officer, '/reports/returns/ofsted-list-11.csv?quarter=2026-Q3');
      expect(response.statusCode).toBe(200);
      const rows = parse(response.body.replace(/^\uFEFF/, ''), { columns: true }) as Array<
        Record<string, string>
      >;
      return rows
        .filter((r) => r['Family identifier'] === ids.householdReference)
        .map((r) => r['Disability']);
    };
    const answer = (position: 1 | 2, disability: 'yes' | 'no' | 'not_stated' | null) =>
      t.database.db
        .updateTable('household_applicants')
        .set({ disability })
        .where('household_id', '=', ids.household!)
        .where('position', '=', position)
        .execute();
    // Not asked yet: blank.
    expect(await list11()).toEqual(['', '']);
    await answer(1, 'yes');
    await answer(2, 'no');
    expect(await list11()).toEqual(['a) Yes', 'b) No']);
    // Prefers not to say: blank too, List 11 has no such answer.
    await answer(2, 'not_stated');
    expect(await list11()).toEqual(['a) Yes', '']);
    await answer(1, null);
    await answer(2, null);
  });

  it('audits each download once, with every child in it listed', async () => {
    const before = await t.database.db.selectFrom('return_exports').select('id').execute();
    await get(officer, '/reports/returns/asglb-children.xlsx?quarter=2026-Q2&anyway=yes');
    const exports = await t.database.db
      .selectFrom('return_exports')
      .selectAll()
      .where(
        'id',
        'not in',
        before.length ? before.map((r) => r.id) : ['00000000-0000-4000-8000-000000000000'],
      )
      .execute();
    expect(exports).toHaveLength(1);
    const exported = exports[0]!;
    expect(exported).toMatchObject({
      kind: 'asglb-children',
      period: '2026-Q2',
      format: 'xlsx',
      row_count: 3,
    });
    const subjects = await t.database.db
      .selectFrom('return_export_subjects')
      .select('subject_id')
      .where('export_id', '=', exported.id)
      .execute();
    expect(subjects.map((s) => s.subject_id).sort()).toEqual([ids.placed, ids.sibling, ids.problem].sort());
    const audit = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'returns.export')
      .where('subject_id', '=', exported.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.reason).toContain('3 children');
  });

  it('gives a council user only their council, and no adopters', async () => {
    const children = await get(
      councilOfficer,
      '/reports/returns/asglb-children.csv?quarter=2026-Q2&anyway=yes',
    );
    const rows = parse(children.body.replace(/^\uFEFF/, ''), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((r) => r['Child ID']).sort()).toEqual(['NOCARE3', 'PLACED1', 'SIB2']);
    const adopters = await get(councilOfficer, '/reports/returns/asglb-adopters?quarter=2026-Q3');
    expect(adopters.body).toContain('0 rows for 0 households');
    expect(adopters.body).toContain('Only the RAA’s staff see its adopters');
  });

  it('refuses a board member the returns (aggregates only)', async () => {
    expect((await get(board, '/reports/returns')).statusCode).toBe(403);
    expect((await get(board, '/reports/returns/ofsted-list-10.csv?quarter=2026-Q2')).statusCode).toBe(403);
  });
});
