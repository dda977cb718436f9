// Issue 5 §5: the conversion funnel from enquiries to approval, per quarter, by spoke and by
// source, with drop-out reasons, as a page and a CSV. Enquiries, households and their facts are
// seeded directly; corrections (superseded facts) are not counted; only RAA-side staff see it.
import { randomBytes } from 'node:crypto';
import { refreshHouseholdFunnel } from '../../src/modules/adopters/households.service.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';

let t: TestApp;
let raaId: string;
let eastSpoke: string;
let westSpoke: string;
let worker: SignedInUser;
let otherRaaWorker: SignedInUser;
let councilManager: SignedInUser;
let councilWorker: SignedInUser;

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const reference = () =>
  Array.from(randomBytes(8), (b, i) => (i === 4 ? '-' : '') + letters[b % letters.length]).join('');

async function anEnquiry(options: {
  raaId: string;
  councilId: string | null;
  heardFrom: string;
  on: string;
  status?: 'new' | 'closed';
  closedOn?: string;
}): Promise<string> {
  const row = await t.database.db
    .insertInto('adopter_enquiries')
    .values({
      reference: reference(),
      raa_id: options.raaId,
      council_id: options.councilId,
      name: 'Synthetic Enquirer',
      email: `e-${randomBytes(4).toString('hex')}@example.test`,
      phone: null,
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
      applying_as: 'couple',
      previous_experience: 'none',
      heard_from: options.heardFrom,
      message: null,
      status: options.status ?? 'new',
      closed_reason: options.status === 'closed' ? 'Decided not to go ahead' : null,
      triaged_at: options.closedOn ? new Date(`${options.closedOn}T12:00:00Z`) : null,
      created_at: new Date(`${options.on}T12:00:00Z`),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

type Fact = [kind: string, date: string, details?: Record<string, unknown>, correctedBy?: Fact];

async function aHousehold(options: {
  raaId: string;
  councilId: string | null;
  enquiryId?: string;
  heardFrom?: string;
  facts: Fact[];
}): Promise<void> {
  const household = await t.database.db
    .insertInto('households')
    .values({
      reference: reference(),
      raa_id: options.raaId,
      council_id: options.councilId,
      enquiry_id: options.enquiryId ?? null,
      relationship_status: 'L11',
      address_line_1: null,
      address_line_2: null,
      town: null,
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
      children_in_household: null,
      support_network: null,
      heard_from: options.heardFrom ?? null,
      assessing_social_worker_id: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [kind, date, details, correctedBy] of options.facts) {
    const fact = await t.database.db
      .insertInto('household_facts')
      .values({
        household_id: household.id,
        kind,
        effective_date: date,
        source: 'test',
        recorded_by: null,
        supersedes_id: null,
        correction_reason: null,
        details: JSON.stringify(details ?? {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (correctedBy) {
      const [ckind, cdate, cdetails] = correctedBy;
      await t.database.db
        .insertInto('household_facts')
        .values({
          household_id: household.id,
          kind: ckind,
          effective_date: cdate,
          source: 'test',
          recorded_by: null,
          supersedes_id: fact.id,
          correction_reason: 'Wrong date',
          details: JSON.stringify(cdetails ?? {}),
        })
        .execute();
    }
  }
  // As recording a fact through the service does: the funnel's milestone columns follow the facts.
  await refreshHouseholdFunnel(t.database.db, [household.id]);
}

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Funnel' });
  eastSpoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'East spoke' });
  westSpoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'West spoke' });
  const hostileSpoke = await anOrganisation(t, {
    kind: 'spoke',
    parentId: raaId,
    raaId,
    name: '=HYPERLINK("http://evil.example")',
  });
  const east = await anOrganisation(t, { kind: 'local_authority', parentId: eastSpoke, raaId });
  const west = await anOrganisation(t, { kind: 'local_authority', parentId: westSpoke, raaId });
  const hostile = await anOrganisation(t, { kind: 'local_authority', parentId: hostileSpoke, raaId });
  const otherRaa = await anOrganisation(t, { kind: 'raa', name: 'Another RAA' });
  const otherSpoke = await anOrganisation(t, { kind: 'spoke', parentId: otherRaa, raaId: otherRaa });

  // A: East, search. Stage One first recorded in the previous year, corrected to 20 May.
  const a = await anEnquiry({ raaId, councilId: east, heardFrom: 'search', on: '2026-04-10' });
  await aHousehold({
    raaId,
    councilId: east,
    enquiryId: a,
    facts: [
      ['enquiry', '2026-04-10'],
      ['registration_of_interest_received', '2026-05-01'],
      ['registration_of_interest_decision', '2026-05-05', { registrationDecision: 'accepted' }],
      ['stage_one_started', '2026-03-30', {}, ['stage_one_started', '2026-05-20']],
      ['stage_one_outcome', '2026-07-20', { stageOneOutcome: 'may_be_suitable' }],
      ['stage_two_notified', '2026-08-01'],
      ['agency_decision', '2026-12-01', { agencyDecision: 'approved' }],
    ],
  });
  // B: West, event. Withdrawal first recorded as a relationship change, corrected to health.
  const b = await anEnquiry({ raaId, councilId: west, heardFrom: 'event', on: '2026-07-10' });
  await aHousehold({
    raaId,
    councilId: west,
    enquiryId: b,
    facts: [
      ['registration_of_interest_received', '2026-07-15'],
      ['registration_of_interest_decision', '2026-07-16', { registrationDecision: 'accepted' }],
      ['stage_one_started', '2026-07-20'],
      [
        'withdrawn',
        '2026-09-01',
        { withdrawalReason: 'relationship' },
        ['withdrawn', '2026-10-05', { withdrawalReason: 'health' }],
      ],
    ],
  });
  // C: West, search, closed without registering. D: East, social media, open. E: outside the councils.
  await anEnquiry({
    raaId,
    councilId: west,
    heardFrom: 'search',
    on: '2026-10-20',
    status: 'closed',
    closedOn: '2026-11-01',
  });
  await anEnquiry({ raaId, councilId: east, heardFrom: 'social_media', on: '2026-05-05' });
  await anEnquiry({ raaId, councilId: null, heardFrom: 'council', on: '2026-06-01' });
  // F: a household without an enquiry record, on the fast track.
  await aHousehold({
    raaId,
    councilId: east,
    heardFrom: 'friend_or_family',
    facts: [
      ['enquiry', '2026-04-20'],
      ['registration_of_interest_received', '2026-04-25'],
      [
        'registration_of_interest_decision',
        '2026-04-28',
        { registrationDecision: 'accepted', fastTrack: 'approved_foster_carer' },
      ],
      ['stage_two_notified', '2026-06-10'],
    ],
  });
  // G: enquired in 2025-26, registered in 2026-27.
  const g = await anEnquiry({ raaId, councilId: east, heardFrom: 'search', on: '2026-03-15' });
  await aHousehold({
    raaId,
    councilId: east,
    enquiryId: g,
    facts: [['registration_of_interest_received', '2026-04-02']],
  });
  // H: a spoke whose name would run as a spreadsheet formula.
  await anEnquiry({ raaId, councilId: hostile, heardFrom: 'advert', on: '2026-09-10' });
  // Another RAA's enquiry and household: never counted here.
  const otherCouncil = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: otherSpoke,
    raaId: otherRaa,
  });
  const other = await anEnquiry({
    raaId: otherRaa,
    councilId: otherCouncil,
    heardFrom: 'search',
    on: '2026-05-01',
  });
  await aHousehold({
    raaId: otherRaa,
    councilId: otherCouncil,
    enquiryId: other,
    facts: [['registration_of_interest_received', '2026-05-10']],
  });

  worker = await signedInUser(t, { roles: ['assessing_social_worker'], organisationId: eastSpoke });
  otherRaaWorker = await signedInUser(t, { roles: ['assessing_social_worker'], organisationId: otherSpoke });
  councilManager = await signedInUser(t, { roles: ['team_manager'], organisationId: east });
  councilWorker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: east });
});
afterAll(async () => {
  await t?.close();
});

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/** The rows of one table on the page, as lists of cell texts. */
function table(html: string, id: string): string[][] {
  const body = new RegExp(`<table[^>]*id="${id}"[\\s\\S]*?<tbody[^>]*>([\\s\\S]*?)</tbody>`).exec(html)?.[1];
  if (!body) return [];
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]!)),
  );
}

describe('the conversion funnel', () => {
  it('counts each step in the quarter it happened, the corrected facts only', async () => {
    const response = await get(worker, '/adopters/funnel?year=2026');
    expect(response.statusCode).toBe(200);
    // Quarter, enquiries, registrations, Stage One, Stage Two, approved, drop-outs.
    expect(table(response.body, 'funnel-quarters')).toEqual([
      ['2026-27 Q1', '4', '3', '1', '1', '0', '0'],
      ['2026-27 Q2', '2', '1', '1', '1', '0', '0'],
      ['2026-27 Q3', '1', '0', '0', '0', '1', '2'],
      ['2026-27 Q4', '0', '0', '0', '0', '0', '0'],
      ['Year', '7', '4', '2', '2', '1', '2'],
    ]);
    expect(table(response.body, 'funnel-chart')).toEqual([
      ['Enquiries', '7', '–', '–', ''],
      ['Registrations of interest', '4', '57.1%', '57.1%', ''],
      ['Stage One started', '2', '50%', '28.6%', ''],
      ['Stage Two started', '2', '100%', '28.6%', ''],
      ['Approved', '1', '50%', '14.3%', ''],
    ]);
    expect(response.body).toContain('kindred-chart__bar--100');
    expect(response.body).toContain('kindred-chart__bar--14');
    expect(response.body).not.toMatch(/style=/);
  });

  it('breaks the year down by spoke and by source, with drop-outs by reason', async () => {
    const html = (await get(worker, '/adopters/funnel?year=2026')).body;
    expect(table(html, 'funnel-spokes')).toEqual([
      ['East spoke', '3', '3', '1', '2', '1', '0', '33.3%'],
      ['West spoke', '2', '1', '1', '0', '0', '2', '0%'],
      ['=HYPERLINK("http://evil.example")', '1', '0', '0', '0', '0', '0', '0%'],
      ['No spoke', '1', '0', '0', '0', '0', '0', '0%'],
    ]);
    expect(table(html, 'funnel-sources')).toEqual([
      ['An internet search', '2', '2', '1', '1', '1', '1', '50%'],
      ['An advert (radio, bus, poster)', '1', '0', '0', '0', '0', '0', '0%'],
      ['My local council', '1', '0', '0', '0', '0', '0', '0%'],
      ['An event or talk', '1', '1', '1', '0', '0', '1', '0%'],
      ['A friend or family member', '1', '1', '0', '1', '0', '0', '0%'],
      ['Social media', '1', '0', '0', '0', '0', '0', '0%'],
    ]);
    // Reason, people, then how many left after each step.
    expect(table(html, 'funnel-drop-outs')).toEqual([
      ['Enquiry closed without a registration of interest', '1', '1', '0', '0', '0', '0', ''],
      ['Withdrew: Health', '1', '0', '0', '1', '0', '0', ''],
    ]);
    expect(html).not.toContain('Relationship change');
  });

  it('narrows to a spoke or a source, and shows other years', async () => {
    const west = table(
      (await get(worker, `/adopters/funnel?year=2026&spoke=${westSpoke}`)).body,
      'funnel-quarters',
    );
    expect(west.at(-1)).toEqual(['Year', '2', '1', '1', '0', '0', '2']);
    const none = table((await get(worker, '/adopters/funnel?year=2026&spoke=none')).body, 'funnel-quarters');
    expect(none.at(-1)).toEqual(['Year', '1', '0', '0', '0', '0', '0']);
    const search = table(
      (await get(worker, '/adopters/funnel?year=2026&source=search')).body,
      'funnel-quarters',
    );
    expect(search.at(-1)).toEqual(['Year', '2', '2', '1', '1', '1', '1']);
    const before = table((await get(worker, '/adopters/funnel?year=2025')).body, 'funnel-quarters');
    expect(before.at(-1)).toEqual(['Year', '1', '0', '0', '0', '0', '0']);
    // This financial year by default (the test clock is in November 2026); nonsense filters are ignored.
    const fallback = await get(worker, `/adopters/funnel?year=abc&spoke=x&source=%3Cscript%3E`);
    expect(fallback.statusCode).toBe(200);
    expect(table(fallback.body, 'funnel-quarters').at(-1)).toEqual(['Year', '7', '4', '2', '2', '1', '2']);
    expect(fallback.body).not.toContain('<script>');
    expect(eastSpoke).toBeTruthy();
  });

  it('downloads the same numbers as CSV, formulas defused', async () => {
    const response = await get(worker, '/adopters/funnel.csv?year=2026');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="conversion-funnel-2026-27.csv"',
    );
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(
      'Financial year,Period,Breakdown,Group,Enquiries,Registrations of interest,Stage One started,Stage Two started,Approved,Drop-outs,Approved as % of enquiries',
    );
    expect(lines).toContain('2026-27,2026-27 Q1,All,All,4,3,1,1,0,0,0');
    expect(lines).toContain('2026-27,Year,All,All,7,4,2,2,1,2,14.3');
    expect(lines).toContain('2026-27,Year,Spoke,East spoke,3,3,1,2,1,0,33.3');
    expect(lines).toContain('2026-27,Year,Source,An internet search,2,2,1,1,1,1,50');
    expect(lines).toContain('2026-27,Year,Drop-out reason,Withdrew: Health,0,0,1,0,0,1,');
    expect(lines).toContain(`2026-27,Year,Spoke,"'=HYPERLINK(""http://evil.example"")",1,0,0,0,0,0,0`);
  });

  it('audits each view and each download once, with the filter', async () => {
    const before = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'reason', 'subject_organisation_id'])
      .where('action', 'in', ['adopters.funnel.view', 'adopters.funnel.export'])
      .orderBy('seq')
      .execute();
    await get(worker, `/adopters/funnel?year=2026&spoke=${westSpoke}`);
    await get(worker, '/adopters/funnel.csv?year=2026&source=event');
    const after = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'reason', 'subject_organisation_id'])
      .where('action', 'in', ['adopters.funnel.view', 'adopters.funnel.export'])
      .orderBy('seq')
      .execute();
    expect(after.slice(before.length)).toEqual([
      {
        action: 'adopters.funnel.view',
        reason: `2 enquiries or households; year=2026-27 spoke=${westSpoke}`,
        subject_organisation_id: raaId,
      },
      {
        action: 'adopters.funnel.export',
        reason: '1 enquiries or households; year=2026-27 source=event',
        subject_organisation_id: raaId,
      },
    ]);
  });

  it("shows another RAA's staff only their own RAA", async () => {
    const rows = table((await get(otherRaaWorker, '/adopters/funnel?year=2026')).body, 'funnel-quarters');
    expect(rows.at(-1)).toEqual(['Year', '1', '1', '0', '0', '0', '0']);
  });

  it('refuses council staff without the permission and shows a council manager nothing of the RAA', async () => {
    expect((await get(councilWorker, '/adopters/funnel')).statusCode).toBe(403);
    expect((await get(councilWorker, '/adopters/funnel.csv')).statusCode).toBe(403);
    const page = await get(councilManager, '/adopters/funnel?year=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      "Only the regional adoption agency's staff see its enquiries and households.",
    );
    expect(table(page.body, 'funnel-quarters').at(-1)).toEqual(['Year', '0', '0', '0', '0', '0', '0']);
    expect(page.body).not.toContain('East spoke');
    const csv = await get(councilManager, '/adopters/funnel.csv?year=2026');
    expect(
      csv.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\n'),
    ).toHaveLength(6);
  });

  it('offers the page in the navigation to those who may see it', async () => {
    expect((await get(worker, '/adopters/funnel')).body).toContain('href="/adopters/funnel"');
    expect((await get(councilWorker, '/children')).body).not.toContain('href="/adopters/funnel"');
  });
});

describe('an enquiry that became a household (migration 0020)', () => {
  const registered = async (enquiryId: string) =>
    (
      await t.database.db
        .selectFrom('adopter_enquiries')
        .select('registered')
        .where('id', '=', enquiryId)
        .executeTakeFirstOrThrow()
    ).registered;

  it('is marked registered however the household is written, and unmarked when it goes', async () => {
    const enquiryId = await anEnquiry({ raaId, councilId: null, heardFrom: 'search', on: '2026-05-01' });
    expect(await registered(enquiryId)).toBe(false);
    await aHousehold({ raaId, councilId: null, enquiryId, facts: [] });
    expect(await registered(enquiryId)).toBe(true);
    const household = await t.database.db
      .selectFrom('households')
      .select('id')
      .where('enquiry_id', '=', enquiryId)
      .executeTakeFirstOrThrow();
    // Linked to another enquiry instead: the first is no longer registered, the second is.
    const otherId = await anEnquiry({ raaId, councilId: null, heardFrom: 'search', on: '2026-05-02' });
    await t.database.db
      .updateTable('households')
      .set({ enquiry_id: otherId })
      .where('id', '=', household.id)
      .execute();
    expect([await registered(enquiryId), await registered(otherId)]).toEqual([false, true]);
    await t.database.db.deleteFrom('households').where('id', '=', household.id).execute();
    expect(await registered(otherId)).toBe(false);
  });
});
