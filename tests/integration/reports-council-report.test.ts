// The reports a head of service, a council and the board read (issue 9 §4): the monthly tracking
// report as a page, a PDF and an XLSX, with the head of service's commentary in all three; council
// scoping (another council's report is not found); and the board dashboard, which a board member
// may read though they may not export any return.
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aChild } from '../support/children.js';
import { aHousehold, approvedFacts } from '../support/panels.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { formPost } from '../support/panels.js';
import { pageText } from '../support/http.js';

let t: TestApp;
let head: SignedInUser;
let board: SignedInUser;
let councilManager: SignedInUser;
let council: string;
let otherCouncil: string;

const get = (user: SignedInUser, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: user.cookie } });
const pdfText = async (content: Buffer) =>
  (await extractText(await getDocumentProxy(new Uint8Array(content)), { mergePages: true })).text.replace(
    /\s+/g,
    ' ',
  );

beforeAll(async () => {
  t = await createTestApp();
  const raa = await anOrganisation(t, { kind: 'raa', name: 'Adopt Test Report' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raa, raaId: raa });
  council = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId: raa,
    name: 'Lewisham Test',
  });
  const second = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId: raa,
    name: 'Bromley Test',
  });
  const otherRaa = await anOrganisation(t, { kind: 'raa' });
  otherCouncil = await anOrganisation(t, { kind: 'local_authority', parentId: otherRaa, raaId: otherRaa });
  head = await signedInUser(t, { roles: ['head_of_service'], organisationId: raa, name: 'Hana Head' });
  board = await signedInUser(t, { roles: ['board_member'], organisationId: raa });
  councilManager = await signedInUser(t, { roles: ['la_manager'], organisationId: council });

  // October 2026 (the test clock is 2 November 2026): one match, one placement, children waiting.
  for (const [id, councilId, facts] of [
    [
      'W1',
      council,
      [
        ['entered_care', '2025-01-01'],
        ['should_be_placed_decision', '2025-12-01'],
      ],
    ],
    [
      'W2',
      council,
      [
        ['entered_care', '2025-01-01'],
        ['should_be_placed_decision', '2026-03-01'],
        ['placement_order', '2026-05-01'],
      ],
    ],
    [
      'M3',
      council,
      [
        ['entered_care', '2024-06-01'],
        ['should_be_placed_decision', '2025-06-01'],
        ['placement_order', '2025-08-01'],
        ['match_decision', '2026-10-10'],
      ],
    ],
    [
      'P4',
      second,
      [
        ['entered_care', '2024-06-01'],
        ['should_be_placed_decision', '2025-06-01'],
        ['placement_order', '2025-08-01'],
        ['match_decision', '2026-09-10'],
        ['placed_for_adoption', '2026-10-02'],
      ],
    ],
    [
      'X5',
      otherCouncil,
      [
        ['entered_care', '2024-06-01'],
        ['should_be_placed_decision', '2025-06-01'],
      ],
    ],
  ] as const) {
    await aChild(t, {
      councilId,
      councilChildId: id,
      facts: facts.map(([k, d]) => [k, d] as [never, string]),
    });
  }
  for (let i = 0; i < 6; i += 1) {
    await aChild(t, {
      councilId: council,
      councilChildId: `E${i}`,
      ethnicity: i < 3 ? 'MWBC' : 'WBRI',
      facts: [
        ['entered_care', '2025-01-01'],
        ['should_be_placed_decision', '2026-01-01'],
      ],
    });
  }
  const household = await aHousehold(t, raa, {
    facts: approvedFacts,
    stage: 'approved',
    stageSince: '2026-10-05',
  });
  await sql`select refresh_household_funnel(array[${household.id}]::uuid[])`.execute(t.database.db);
});
afterAll(async () => {
  await t?.close();
});

describe('the monthly tracking report', () => {
  it('shows children waiting by stage, matches, placements and adopters, with a chart and its table', async () => {
    const page = await get(head, '/reports/tracking?month=2026-10');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Monthly tracking report: October 2026');
    // W1, W2, M3 and the six E children are waiting; P4 was placed; X5 is another RAA's.
    expect(page.body).toMatch(/Children waiting<\/dt>\s*<dd class="govuk-summary-list__value">9</);
    expect(page.body).toMatch(/Children matched<\/dt>\s*<dd class="govuk-summary-list__value">1</);
    expect(page.body).toMatch(
      /Children placed for adoption<\/dt>\s*<dd class="govuk-summary-list__value">1</,
    );
    expect(page.body).toMatch(
      /Matched, not yet placed<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">1</,
    );
    expect(page.body).toMatch(
      /Approved, waiting for a match<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">1</,
    );
    expect(page.body).toContain('<title id="tracking-trend-title">Matches and placements each month</title>');
    expect(page.body).toContain('id="tracking-trend-table"');
    expect(page.body).toContain('Bromley Test');
    expect(page.body).not.toContain('<script>');
  });

  it('keeps the head of service’s commentary, and shows it on the page, in the PDF and in the XLSX', async () => {
    const empty = await formPost(t, head, '/reports/tracking/commentary', {
      period: '2026-10',
      version: '0',
      body: '   ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('href="#body"');

    const saved = await formPost(t, head, '/reports/tracking/commentary', {
      period: '2026-10',
      version: '0',
      body: 'Matching picked up in October.\nTwo sibling groups still wait.',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/reports/tracking?month=2026-10&saved=1');
    const page = await get(head, '/reports/tracking?month=2026-10&saved=1');
    expect(page.body).toContain('Commentary saved');
    expect(page.body).toContain('<p class="govuk-body">Matching picked up in October.</p>');
    expect(page.body).toContain('Last saved by Hana Head');

    const stale = await formPost(t, head, '/reports/tracking/commentary', {
      period: '2026-10',
      version: '0',
      body: 'Another version',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else saved this commentary');

    const pdf = await get(head, '/reports/tracking.pdf?month=2026-10');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(pdf.rawPayload);
    expect(text).toContain('Monthly tracking report: October 2026');
    expect(text).toContain('Matching picked up in October.');
    expect(text).toContain('Children waiting: 9');
    expect(text).toContain('Matches and placements each month');

    const xlsx = await get(head, '/reports/tracking.xlsx?month=2026-10');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('Summary')!;
    const cells: unknown[] = [];
    summary.eachRow((row) => cells.push(...(row.values as unknown[]).slice(1)));
    expect(cells).toContain('Matching picked up in October.\nTwo sibling groups still wait.');
    expect(cells).toContain('Children waiting');
    expect(workbook.worksheets.some((s) => s.name.startsWith('Matches and placements'))).toBe(true);

    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'subject_id'])
      .where('action', '=', 'reports.commentary.save')
      .execute();
    expect(audit).toEqual([{ action: 'reports.commentary.save', subject_id: 'tracking:2026-10' }]);
  });

  it('gives a council manager their own council only, and no commentary form', async () => {
    const page = await get(councilManager, '/reports/tracking?month=2026-10');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Bromley Test');
    expect(page.body).not.toContain('Save commentary');
    expect(page.body).not.toContain('id="tracking-adopters"');
  });
});

describe('the quarterly report to a council', () => {
  it('is not found for a council outside the actor’s scope', async () => {
    expect(
      (await get(councilManager, `/reports/councils/${otherCouncil}/quarterly?quarter=2026-Q2`)).statusCode,
    ).toBe(404);
    expect(
      (await get(head, `/reports/councils/${otherCouncil}/quarterly.pdf?quarter=2026-Q2`)).statusCode,
    ).toBe(404);
    const post = await formPost(t, head, `/reports/councils/${otherCouncil}/quarterly/commentary`, {
      period: '2026-Q2',
      version: '0',
      body: 'Not theirs',
    });
    expect(post.statusCode).toBe(404);
  });
});

describe('the board dashboard', () => {
  it('shows benefit measures and equalities with small numbers suppressed, to a board member', async () => {
    const page = await get(board, '/reports/board');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('counts from 1 to 4 are shown as “fewer than 5”');
    expect(page.body).toContain('Approvals ended at review');
    expect(page.body).toContain('Disruptions after the adoption order');
    // Nine children waiting in scope: 3 of Mixed heritage (suppressed), 6 White.
    expect(page.body).toContain('Children waiting: 9.');
    expect(page.body).toMatch(/Mixed or Multiple ethnic group<\/th>\s*<td[^>]*>fewer than 5</);
    expect(page.body).toMatch(/<th scope="row"[^>]*>White<\/th>\s*<td[^>]*>6</);
    expect(page.body).toContain('<title id="equalities-ethnicity-title">');
    // No child's CHILD id or name in what the page says (its text, not the random tokens and
    // nonces in its attributes, which can spell "E0" by chance).
    expect(pageText(page.body)).not.toMatch(/W1|E0|Lewisham Test/);
  });

  it('lets a board member read it but not export any return', async () => {
    expect((await get(board, '/reports/board')).statusCode).toBe(200);
    expect(
      (await get(board, '/reports/returns/asglb-children.xlsx?quarter=2026-Q2&anyway=yes')).statusCode,
    ).toBe(403);
  });
});

describe('the quarterly report to a council, with the scorecard’s figures', () => {
  it('shows the council’s scorecard, the trend against the thresholds, the comparison and the footnotes', async () => {
    const landing = await get(head, '/reports');
    expect(landing.body).toContain(`/reports/councils/${council}/quarterly`);
    const page = await get(head, `/reports/councils/${council}/quarterly?quarter=2026-Q2`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Quarterly report to Lewisham Test');
    expect(page.body).toContain('A1: average days from entering care to moving in');
    expect(page.body).toContain('<title id="quarterly-a1-title">');
    expect(page.body).toContain('A1 threshold: 426 days');
    expect(page.body).toContain('id="quarterly-comparison"');
    expect(page.body).toContain('Bromley Test');
    expect(page.body).toContain('Figures cover DfE’s three-year window');

    const saved = await formPost(t, head, `/reports/councils/${council}/quarterly/commentary`, {
      period: '2026-Q2',
      version: '0',
      body: 'Lewisham’s timeliness held steady.',
    });
    expect(saved.statusCode).toBe(303);
    const pdf = await pdfText(
      (await get(head, `/reports/councils/${council}/quarterly.pdf?quarter=2026-Q2`)).rawPayload,
    );
    expect(pdf).toContain('Lewisham’s timeliness held steady.');
    expect(pdf).toContain('A1 threshold');
  });

  it('shows a council manager their own council’s report and not a neighbour’s', async () => {
    expect(
      (await get(councilManager, `/reports/councils/${council}/quarterly?quarter=2026-Q2`)).statusCode,
    ).toBe(200);
    const bromley = await t.database.db
      .selectFrom('organisations')
      .select('id')
      .where('name', '=', 'Bromley Test')
      .executeTakeFirstOrThrow();
    expect(
      (await get(councilManager, `/reports/councils/${bromley.id}/quarterly?quarter=2026-Q2`)).statusCode,
    ).toBe(404);
  });
});
