// Issue 9 §3: the Adoption Scorecard page from Kindred's own journey facts, over real HTTP. The
// figures are checked against sums done by hand for children built with the test builders; a
// council's manager sees their council only; a board member sees the aggregates but cannot open
// the names behind them; a figure of another council answers 404.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aChild } from '../support/children.js';

let t: TestApp;
let raaId: string;
let eastId: string;
let councilA: string;
let councilB: string;
let councilC: string;
let headOfService: SignedInUser;
let councilManagerA: SignedInUser;
let boardMember: SignedInUser;
const ids: Record<string, string> = {};

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const reference = () =>
  Array.from({ length: 9 }, (_, i) => (i === 4 ? '-' : letters[randomBytes(1)[0]! % letters.length])).join(
    '',
  );

async function aHousehold(options: {
  councilId: string | null;
  surname: string;
  facts: Array<[string, string, Record<string, unknown>?]>;
}): Promise<string> {
  const household = await t.database.db
    .insertInto('households')
    .values({
      reference: reference(),
      raa_id: raaId,
      council_id: options.councilId,
      relationship_status: 'L11',
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await t.database.db
    .insertInto('household_applicants')
    .values({
      household_id: household.id,
      position: 1,
      first_name: 'Alex',
      last_name: options.surname,
      date_of_birth: '1985-01-01',
      sex: '1',
      ethnicity: 'WBRI',
    })
    .execute();
  for (const [kind, date, details] of options.facts) {
    await t.database.db
      .insertInto('household_facts')
      .values({
        household_id: household.id,
        kind,
        effective_date: date,
        source: 'test',
        details: JSON.stringify(details ?? {}),
      })
      .execute();
  }
  await sql`select refresh_household_funnel(array[${household.id}::uuid])`.execute(t.database.db);
  return household.id;
}

beforeAll(async () => {
  // Test clock: 2 November 2026, so the latest window is 1 April 2023 to 31 March 2026.
  t = await createTestApp();
  const hubId = await anOrganisation(t, { kind: 'hub', name: 'Scorecard Hub' });
  raaId = await anOrganisation(t, { kind: 'raa', parentId: hubId, name: 'Adopt Scorecard' });
  eastId = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Scorecard East' });
  const westId = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Scorecard West' });
  councilA = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: eastId,
    raaId,
    name: 'Council Alpha',
  });
  councilB = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: eastId,
    raaId,
    name: 'Council Beta',
  });
  councilC = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: westId,
    raaId,
    name: 'Council Gamma',
  });
  headOfService = await signedInUser(t, { roles: ['head_of_service'], organisationId: raaId });
  councilManagerA = await signedInUser(t, { roles: ['la_manager'], organisationId: councilA });
  boardMember = await signedInUser(t, { roles: ['board_member'], organisationId: raaId });

  // Alpha: placed 276 days after entering care; matched 70 days after the placement order.
  ids.ann = await aChild(t, {
    councilId: councilA,
    firstName: 'Ann',
    lastName: 'Alpha',
    facts: [
      ['entered_care', '2023-05-01'],
      ['should_be_placed_decision', '2023-09-01'],
      ['placement_order', '2023-11-01'],
      ['match_decision', '2024-01-10'],
      ['placed_for_adoption', '2024-02-01'],
      ['adoption_order', '2024-08-01'],
    ],
  });
  // Alpha: fostering for adoption four days after entering care, matched before the order (A2 = 0),
  // placed for adoption with the same carers 213 days after entering care.
  ids.bea = await aChild(t, {
    councilId: councilA,
    firstName: 'Bea',
    lastName: 'Alpha',
    facts: [
      ['entered_care', '2024-01-01'],
      ['early_permanence_placement', '2024-01-05'],
      ['should_be_placed_decision', '2024-03-01'],
      ['match_decision', '2024-05-20'],
      ['placement_order', '2024-06-01'],
      ['placed_for_adoption', '2024-08-01'],
      ['adoption_order', '2025-01-15'],
    ],
  });
  // Beta: 638 days to placement (over 14 months), 365 from order to match.
  ids.cal = await aChild(t, {
    councilId: councilB,
    firstName: 'Cal',
    lastName: 'Beta',
    facts: [
      ['entered_care', '2022-01-01'],
      ['should_be_placed_decision', '2022-06-01'],
      ['placement_order', '2022-09-01'],
      ['match_decision', '2023-09-01'],
      ['placed_for_adoption', '2023-10-01'],
      ['adoption_order', '2024-05-01'],
    ],
  });
  // Gamma: waiting with a placement order; and a decision reversed.
  ids.dan = await aChild(t, {
    councilId: councilC,
    firstName: 'Dan',
    lastName: 'Gamma',
    facts: [
      ['entered_care', '2025-01-01'],
      ['should_be_placed_decision', '2025-05-01'],
      ['placement_order', '2025-08-01'],
    ],
  });
  ids.eve = await aChild(t, {
    councilId: councilC,
    firstName: 'Eve',
    lastName: 'Gamma',
    facts: [
      ['entered_care', '2024-02-01'],
      ['should_be_placed_decision', '2024-06-01'],
      ['plan_changed', '2025-02-01'],
    ],
  });

  const approved = { agencyDecision: 'approved' };
  // Living in Alpha, approved June 2025, not matched: A11.
  ids.waiting = await aHousehold({
    councilId: councilA,
    surname: 'Waitwell',
    facts: [
      ['registration_of_interest_received', '2024-09-01'],
      ['agency_decision', '2025-06-01', approved],
    ],
  });
  // Living outside the region: approved January 2024, matched June 2024 (waited 3 months or more): A12.
  ids.matched = await aHousehold({
    councilId: null,
    surname: 'Matchford',
    facts: [
      ['registration_of_interest_received', '2023-03-01'],
      ['agency_decision', '2024-01-10', approved],
      ['matched', '2024-06-01'],
    ],
  });
  // Registered in January 2026, still being assessed: A13.
  ids.assessing = await aHousehold({
    councilId: councilB,
    surname: 'Stageone',
    facts: [['registration_of_interest_received', '2026-01-10']],
  });
});
afterAll(async () => {
  await t?.close();
});

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ')
    .trim();

/** The figures in a row of a scorecard table, by organisation name: the first word of each cell. */
function row(html: string, tableId: string, name: string): string[] {
  const table = new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`).exec(html)?.[0];
  if (!table) throw new Error(`no table ${tableId}`);
  const rowHtml = [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
    .map((m) => m[1]!)
    .find((r) => text(/<th[^>]*>([\s\S]*?)<\/th>/.exec(r)?.[1] ?? '') === name);
  if (!rowHtml) throw new Error(`no row ${name} in ${tableId}`);
  return [...rowHtml.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => text(m[1]!).split(' ')[0]!);
}

// Columns: A1, A10, A2, A3, adopted, placement orders, decisions, reversed, waiting, early permanence.
describe('the scorecard page (issue 9 §3)', () => {
  it('shows each council, spoke and the RAA with figures that match the sums done by hand', async () => {
    const page = await get(headOfService, '/reports/scorecard');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1 April 2023');
    expect(page.body).toContain('31 March 2026');
    // Alpha: A1 (276 + 213) / 2 = 244.5 → 245; A10 (276 + 4) / 2 = 140; A2 (70 + 0) / 2 = 35.
    expect(row(page.body, 'scorecard-council-children', 'Council Alpha')).toEqual([
      '245',
      '140',
      '35',
      '100%',
      '2',
      '2',
      '2',
      '0',
      '0',
      '1',
    ]);
    expect(row(page.body, 'scorecard-council-children', 'Council Beta')).toEqual([
      '638',
      '638',
      '365',
      '0%',
      '1',
      '0',
      '0',
      '0',
      '0',
      '0',
    ]);
    expect(row(page.body, 'scorecard-council-children', 'Council Gamma')).toEqual([
      'None',
      'None',
      'None',
      'None',
      '0',
      '1',
      '2',
      '1',
      '1',
      '0',
    ]);
    // East = Alpha + Beta: A1 (276 + 213 + 638) / 3 = 375.7 → 376; A10 918 / 3 = 306; A2 435 / 3 = 145.
    expect(row(page.body, 'scorecard-spoke-children', 'Scorecard East')).toEqual([
      '376',
      '306',
      '145',
      '67%',
      '3',
      '2',
      '2',
      '0',
      '0',
      '1',
    ]);
    expect(row(page.body, 'scorecard-raa-children', 'Adopt Scorecard')).toEqual([
      '376',
      '306',
      '145',
      '67%',
      '3',
      '3',
      '4',
      '1',
      '1',
      '1',
    ]);
    // A1 of 376 days is under the 426-day threshold; Beta's 638 is above it.
    expect(page.body).toContain('Threshold 426 days');
    expect(page.body).toContain('Above threshold');
    // Adopters, for the RAA's staff: A11, A12, A13.
    expect(row(page.body, 'scorecard-raa-households', 'Adopt Scorecard')).toEqual(['1', '100%', '1']);
    expect(row(page.body, 'scorecard-council-households', 'Council Alpha')).toEqual(['1', 'None', '0']);
    // The readings of the definitions are printed as footnotes.
    expect(text(page.body)).toContain('counts zero days when the match came first');
  });

  it('offers earlier windows', async () => {
    const page = await get(headOfService, '/reports/scorecard?windowEnd=2024-03-31');
    // 1 April 2021 – 31 March 2024: nobody adopted yet; Ann, Bea and Cal's decisions; Bea waiting.
    expect(row(page.body, 'scorecard-raa-children', 'Adopt Scorecard')).toEqual([
      'None',
      'None',
      'None',
      'None',
      '0',
      '2',
      '3',
      '0',
      '1',
      '1',
    ]);
    // An unknown window falls back to the latest.
    const fallback = await get(headOfService, '/reports/scorecard?windowEnd=1999-03-31');
    expect(fallback.body).toContain('31 March 2026');
  });

  it('links each figure to the children behind it, through the audited list', async () => {
    const page = await get(headOfService, '/reports/scorecard');
    expect(page.body).toContain(`/reports/scorecard/A1/${councilA}?windowEnd=2026-03-31`);
    const list = await get(headOfService, `/reports/scorecard/A1/${eastId}?windowEnd=2026-03-31`);
    expect(list.statusCode).toBe(200);
    const names = [...list.body.matchAll(/href="\/children\/[0-9a-f-]{36}">([^<]+)</g)].map((m) => m[1]);
    expect(names).toEqual(['Ann Alpha', 'Bea Alpha', 'Cal Beta']);
    // A3 lists its denominator and says who was counted.
    const a3 = await get(headOfService, `/reports/scorecard/A3/${eastId}?windowEnd=2026-03-31`);
    expect(text(a3.body)).toMatch(/Ann Alpha.* Yes Bea Alpha.* Yes Cal Beta.* No /);
    const audited = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'reason'])
      .where('action', '=', 'children.list.view')
      .where('reason', 'like', 'scorecard A1 for Scorecard East%')
      .execute();
    expect(audited).toEqual([
      {
        action: 'children.list.view',
        reason: 'scorecard A1 for Scorecard East, window ending 2026-03-31: 3 children listed',
      },
    ]);
    // And once per child named, so each child's "who has seen this record" shows the report.
    const perChild = await t.database.db
      .selectFrom('audit_events')
      .select(['subject_id', 'subject_organisation_id', 'actor_user_id'])
      .where('action', '=', 'child.listed')
      .where('reason', '=', 'scorecard A1 for Scorecard East, window ending 2026-03-31')
      .execute();
    const listedNames = await t.database.db
      .selectFrom('children')
      .select('first_name')
      .where(
        'id',
        'in',
        perChild.map((entry) => entry.subject_id!),
      )
      .orderBy('first_name')
      .execute();
    expect(listedNames.map((child) => child.first_name)).toEqual(['Ann', 'Bea', 'Cal']);
    expect(perChild).toHaveLength(3);
    expect(perChild.every((entry) => entry.actor_user_id === headOfService.userId)).toBe(true);
    expect(perChild.every((entry) => entry.subject_organisation_id !== null)).toBe(true);
    // Households behind A11, for the RAA's staff who assess adopters.
    const households = await get(headOfService, `/reports/scorecard/A11/${raaId}?windowEnd=2026-03-31`);
    expect(households.statusCode).toBe(200);
    expect(text(households.body)).toContain('Alex Waitwell');
    const perHousehold = await t.database.db
      .selectFrom('audit_events')
      .select(['subject_type', 'subject_id'])
      .where('action', '=', 'household.listed')
      .where('reason', 'like', 'scorecard A11%')
      .execute();
    expect(perHousehold.length).toBeGreaterThan(0);
    expect(
      perHousehold.every((entry) => entry.subject_type === 'household' && entry.subject_id !== null),
    ).toBe(true);
  });

  it('shows a council manager their council only, and 404 for another council’s figure', async () => {
    const page = await get(councilManagerA, '/reports/scorecard');
    expect(page.statusCode).toBe(200);
    expect(row(page.body, 'scorecard-council-children', 'Council Alpha').slice(0, 5)).toEqual([
      '245',
      '140',
      '35',
      '100%',
      '2',
    ]);
    expect(page.body).not.toContain('Council Beta');
    expect(page.body).not.toContain('id="scorecard-spoke-children"');
    expect(page.body).not.toContain('id="scorecard-raa-children"');
    // Adopters are the RAA's.
    expect(page.body).not.toContain('-households"');
    const own = await get(councilManagerA, `/reports/scorecard/adoptions/${councilA}`);
    expect(own.statusCode).toBe(200);
    expect([...own.body.matchAll(/href="\/children\/[0-9a-f-]{36}">([^<]+)</g)].map((m) => m[1])).toEqual([
      'Ann Alpha',
      'Bea Alpha',
    ]);
    expect((await get(councilManagerA, `/reports/scorecard/adoptions/${councilB}`)).statusCode).toBe(404);
    expect((await get(councilManagerA, `/reports/scorecard/adoptions/${raaId}`)).statusCode).toBe(404);
    expect((await get(councilManagerA, `/reports/scorecard/A11/${councilA}`)).statusCode).toBe(403);
    expect((await get(councilManagerA, `/reports/scorecard/nonsense/${councilA}`)).statusCode).toBe(404);
  });

  it('shows a board member the aggregates without links, and refuses the names behind them', async () => {
    const page = await get(boardMember, '/reports/scorecard');
    expect(page.statusCode).toBe(200);
    expect(row(page.body, 'scorecard-raa-children', 'Adopt Scorecard').slice(0, 3)).toEqual([
      '376',
      '306',
      '145',
    ]);
    expect(page.body).not.toContain('href="/reports/scorecard/');
    expect(page.body).not.toContain('Ann Alpha');
    const refused = await get(boardMember, `/reports/scorecard/A1/${raaId}`);
    expect([403, 404]).toContain(refused.statusCode);
    expect(refused.body).not.toContain('Ann Alpha');
  });

  it('puts Reports in the navigation for those who may read reports', async () => {
    const page = await get(boardMember, '/');
    expect(page.body).toMatch(/<a[^>]*href="\/reports"[^>]*>\s*Reports/);
    const worker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilA });
    expect((await get(worker, '/')).body).not.toContain('href="/reports"');
    expect((await get(worker, '/reports/scorecard')).statusCode).toBe(403);
  });
});
