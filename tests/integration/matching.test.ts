// Issue 6 over real HTTP on a real database: ranked households for a child from the RAA's own pool
// and then partner pools, with reasons and the interagency-fee flag; a household's identity hidden
// from other agencies until a link is agreed; the linking workflow with who did what and when;
// two links racing for one household; a council's exclusion; the RAA's weights, audited; the
// family-finding log; sufficiency worked out by its job, as a page and a CSV.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, requestsTo } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aChild } from '../support/children.js';

let t: TestApp;
let raaId: string;
let councilId: string;
let otherCouncilId: string;
let vaaId: string;
let finder: SignedInUser;
let manager: SignedInUser;
let councilWorker: SignedInUser;
let otherCouncilWorker: SignedInUser;
let assessor: SignedInUser;

const inFamilyFinding: Array<['entered_care' | 'should_be_placed_decision' | 'placement_order', string]> = [
  ['entered_care', '2024-01-10'],
  ['should_be_placed_decision', '2024-06-03'],
  ['placement_order', '2024-09-02'],
];

/** An approved household waiting in an agency's pool, with its applicants and what it offers. */
async function aHousehold(
  agencyId: string,
  options: {
    surname?: string;
    offer?: Record<string, unknown>;
    district?: string;
    ethnicity?: string;
    approvedOn?: string;
    stage?: string;
  } = {},
): Promise<string> {
  const letters = () =>
    Array.from({ length: 4 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(Math.random() * 24)]).join('');
  const household = await t.database.db
    .insertInto('households')
    .values({
      reference: `${letters()}-${letters()}`,
      raa_id: agencyId,
      relationship_status: 'L11',
      postcode: `${options.district ?? 'SE22'} 8AA`,
      postcode_district: options.district ?? 'SE22',
      current_stage: options.stage ?? 'approved',
      stage_since: options.approvedOn ?? '2026-09-01',
      offer: JSON.stringify(
        options.offer ?? {
          ageFrom: 0,
          ageTo: 5,
          maxChildren: 2,
          siblingGroups: true,
          needsCanMeetAreas: ['health'],
          contactSupported: ['letterbox'],
        },
      ),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const surname = options.surname ?? `Family${randomBytes(2).toString('hex')}`;
  await t.database.db
    .insertInto('household_applicants')
    .values(
      [1, 2].map((position) => ({
        household_id: household.id,
        position: position as 1 | 2,
        first_name: position === 1 ? 'Robin' : 'Alex',
        last_name: surname,
        date_of_birth: '1985-04-01',
        sex: '2' as const,
        ethnicity: options.ethnicity ?? 'WBRI',
      })),
    )
    .execute();
  return household.id;
}

async function aWaitingChild(options: { councilId?: string; dateOfBirth?: string } = {}) {
  const id = await aChild(t, {
    councilId: options.councilId ?? councilId,
    dateOfBirth: options.dateOfBirth ?? '2023-05-04',
    facts: inFamilyFinding,
  });
  await t.database.db
    .updateTable('children')
    .set({ needs: JSON.stringify({ health: { description: 'Asthma, well managed', uncertain: false } }) })
    .where('id', '=', id)
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Matching (test)' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId });
  councilId = await anOrganisation(t, { kind: 'local_authority', parentId: spoke, raaId, name: 'Borough A' });
  otherCouncilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId,
    name: 'Borough B',
  });
  vaaId = await anOrganisation(t, { kind: 'voluntary_adoption_agency', raaId, name: 'Partner VAA (test)' });
  finder = await signedInUser(t, { roles: ['family_finder'], organisationId: spoke, name: 'Fran Finder' });
  manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raaId, name: 'Mo Manager' });
  assessor = await signedInUser(t, { roles: ['assessing_social_worker'], organisationId: spoke });
  councilWorker = await signedInUser(t, {
    roles: ['la_social_worker'],
    organisationId: councilId,
    name: 'Cal Council',
  });
  otherCouncilWorker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: otherCouncilId });
});
afterAll(async () => {
  await t?.close();
});

const { get, post } = requestsTo(() => t);
const text = pageText;
const auditActions = async (subjectId: string) =>
  (
    await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('subject_id', '=', subjectId)
      .orderBy('seq')
      .execute()
  ).map((row) => `${row.action}:${row.outcome}`);
const linkIdFrom = (location: string | undefined) =>
  /\/links\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';
const versionOf = async (linkId: string) =>
  (
    await t.database.db
      .selectFrom('match_links')
      .select('version')
      .where('id', '=', linkId)
      .executeTakeFirstOrThrow()
  ).version;

describe('households ranked for a child (issue 6 §1, §2, §5)', () => {
  let childId: string;
  beforeAll(async () => {
    childId = await aWaitingChild();
    await aHousehold(raaId, { surname: 'Ownpool' });
    await aHousehold(vaaId, { surname: 'Partnerpool' });
    await aHousehold(raaId, {
      surname: 'Tooyoung',
      offer: { ageFrom: 0, ageTo: 1, needsCanMeetAreas: ['health'] },
    });
    await aHousehold(raaId, { surname: 'Notapproved', stage: 'stage_two' });
  });

  it("lists the RAA's own pool first, then partner pools with the interagency fee, each with its reasons", async () => {
    const response = await get(finder, `/children/${childId}/matches`);
    expect(response.statusCode).toBe(200);
    const page = text(response.body);
    const own = page.indexOf("The RAA's own pool");
    const partners = page.indexOf('Partner pools: other RAAs in the hub');
    expect(own).toBeGreaterThan(-1);
    expect(partners).toBeGreaterThan(own);
    expect(page.indexOf('Ownpool')).toBeGreaterThan(own);
    expect(page.indexOf('Ownpool')).toBeLessThan(partners);
    expect(page.slice(partners)).toContain('Partner VAA (test)');
    expect(page.slice(partners)).toContain('Interagency fee applies');
    expect(page).toContain('can meet needs in 1 of 1 area (health)');
    // Not approved and waiting: never in the pool. Too young a range: does not fit, so hidden by default.
    expect(page).not.toContain('Notapproved');
    expect(page).not.toContain('Tooyoung');
  });

  it("hides a partner household's names from the RAA's staff, and every name from council staff", async () => {
    const asFinder = text((await get(finder, `/children/${childId}/matches`)).body);
    expect(asFinder).toContain('Robin Ownpool');
    expect(asFinder).not.toContain('Partnerpool');
    const asCouncil = await get(councilWorker, `/children/${childId}/matches`);
    expect(asCouncil.statusCode).toBe(200);
    expect(asCouncil.body).not.toContain('Ownpool');
    expect(asCouncil.body).not.toContain('Partnerpool');
    expect(text(asCouncil.body)).toContain('non-identifying profile');
  });

  it("answers another council's staff with 404 and audits the refusal", async () => {
    const response = await get(otherCouncilWorker, `/children/${childId}/matches`);
    expect(response.statusCode).toBe(404);
    expect(await auditActions(childId)).toContain('matching.candidates.child:denied');
  });

  it('shows households that do not fit, with the rule they break, when asked', async () => {
    const page = text((await get(finder, `/children/${childId}/matches?compatible=no`)).body);
    expect(page).toContain('Tooyoung');
    expect(page).toMatch(/aged 3, outside the 0–1 the household can offer/);
  });

  it('audits every candidate list served against the child', async () => {
    await get(finder, `/children/${childId}/matches`);
    expect(await auditActions(childId)).toContain('matching.candidates.child:success');
  });

  it('refuses unknown filters and impossible scores with a sentence, changing nothing', async () => {
    const unknown = await get(finder, `/children/${childId}/matches?colour=blue`);
    expect(unknown.statusCode).toBe(400);
    expect(text(unknown.body)).toContain('Unknown filter: colour');
    const score = await get(finder, `/children/${childId}/matches?minScore=250`);
    expect(score.statusCode).toBe(400);
    expect(text(score.body)).toContain('The lowest score must be a whole number from 0 to 100');
  });

  it('compares two to four households side by side, and refuses five', async () => {
    const households = await t.database.db
      .selectFrom('households')
      .select('id')
      .where('raa_id', 'in', [raaId, vaaId])
      .where('current_stage', '=', 'approved')
      .execute();
    const ids = households.map((h) => h.id);
    const two = await get(
      finder,
      `/children/${childId}/matches/compare?household=${ids[0]}&household=${ids[1]}`,
    );
    expect(two.statusCode).toBe(200);
    expect(two.body).toContain('<table class="govuk-table" id="comparison">');
    expect((two.body.match(/<th scope="col" class="govuk-table__header">/g) ?? []).length).toBe(2);
    const extra = [...ids, ...ids].slice(0, 5).map((id, i) => `${id.slice(0, -1)}${i}`);
    const five = await get(
      finder,
      `/children/${childId}/matches/compare?${extra.map((id) => `household=${id}`).join('&')}`,
    );
    expect(five.statusCode).toBe(400);
    expect(text(five.body)).toContain('You can compare up to four households at a time');
  });
});

describe('the linking workflow (issue 6 §3)', () => {
  it('moves a link one step at a time, recording who did what, and reveals the family only once agreed', async () => {
    const childId = await aWaitingChild();
    const householdId = await aHousehold(vaaId, { surname: 'Linkedup' });
    const shortlisted = await post(finder, `/children/${childId}/shortlist`, { householdId });
    expect(shortlisted.statusCode).toBe(303);
    const linkId = linkIdFrom(shortlisted.headers.location);

    // A step may not be skipped.
    const skip = await post(finder, `/links/${linkId}`, { to: 'visits', version: '1' });
    expect(skip.statusCode).toBe(409);
    expect(text(skip.body)).toContain('can only move on to "profile shared" next');

    expect((await post(finder, `/links/${linkId}`, { to: 'profile_shared', version: '1' })).statusCode).toBe(
      303,
    );
    const noSide = await post(finder, `/links/${linkId}`, { to: 'expression_of_interest', version: '2' });
    expect(noSide.statusCode).toBe(400);
    expect(text(noSide.body)).toContain('Say who expressed an interest');
    expect(
      (
        await post(finder, `/links/${linkId}`, {
          to: 'expression_of_interest',
          version: '2',
          expressedBy: 'household',
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (await post(finder, `/links/${linkId}`, { to: 'visits', version: '3', note: 'Two visits' })).statusCode,
    ).toBe(303);

    // Before the link is agreed, the child's council sees no names for this partner household.
    expect((await get(councilWorker, `/children/${childId}/matches`)).body).not.toContain('Linkedup');
    expect((await post(finder, `/links/${linkId}`, { to: 'link_agreed', version: '4' })).statusCode).toBe(
      303,
    );
    expect(text((await get(councilWorker, `/children/${childId}/matches`)).body)).toContain('Robin Linkedup');

    const page = text((await get(finder, `/links/${linkId}`)).body);
    expect(page).toContain('Link: Link agreed');
    expect(page).toMatch(/Expression of interest — Fran Finder, .* \(expressed by the household\)/);
    expect(page).toContain('Visits — Fran Finder');
    const events = await t.database.db
      .selectFrom('match_link_events')
      .select('to_state')
      .where('link_id', '=', linkId)
      .execute();
    expect(events.map((e) => e.to_state)).toEqual([
      'shortlisted',
      'profile_shared',
      'expression_of_interest',
      'visits',
      'link_agreed',
    ]);
    expect((await auditActions(childId)).filter((a) => a === 'matching.link.move:success')).toHaveLength(4);
  });

  it('refuses a stale step (409) and changes nothing', async () => {
    const childId = await aWaitingChild();
    const householdId = await aHousehold(raaId);
    const linkId = linkIdFrom(
      (await post(finder, `/children/${childId}/shortlist`, { householdId })).headers.location,
    );
    await post(finder, `/links/${linkId}`, { to: 'profile_shared', version: '1' });
    const stale = await post(manager, `/links/${linkId}`, {
      to: 'closed',
      version: '1',
      closedReason: 'Wrong family',
    });
    expect(stale.statusCode).toBe(409);
    expect(await versionOf(linkId)).toBe(2);
  });

  it('lets one of two links racing to "agreed" for the same household win; the other gets a clear message', async () => {
    const householdId = await aHousehold(raaId, { surname: 'Sought' });
    const links: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const childId = await aWaitingChild();
      const linkId = linkIdFrom(
        (await post(finder, `/children/${childId}/shortlist`, { householdId })).headers.location,
      );
      let version = 1;
      for (const to of ['profile_shared', 'expression_of_interest', 'visits']) {
        await post(finder, `/links/${linkId}`, { to, version: String(version), expressedBy: 'child_side' });
        version += 1;
      }
      links.push(linkId);
    }
    const answers = await Promise.all(
      links.map((linkId) => post(finder, `/links/${linkId}`, { to: 'link_agreed', version: '4' })),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([303, 409]);
    const loser = answers.find((a) => a.statusCode === 409)!;
    expect(text(loser.body)).toContain('This household has just been agreed for another child');
    const states = await t.database.db
      .selectFrom('match_links')
      .select('state')
      .where('id', 'in', links)
      .execute();
    expect(states.map((s) => s.state).sort()).toEqual(['link_agreed', 'visits']);
  });

  it('refuses a link for a child already placed, or a household not approved', async () => {
    const placed = await aChild(t, {
      councilId,
      facts: [
        ...inFamilyFinding,
        ['linked', '2025-01-06'],
        ['matching_panel', '2025-02-03'],
        ['match_decision', '2025-02-10'],
        ['placed_for_adoption', '2025-03-03'],
      ],
    });
    const householdId = await aHousehold(raaId);
    const refused = await post(finder, `/children/${placed}/shortlist`, { householdId });
    expect(refused.statusCode).toBe(409);
    expect(text(refused.body)).toContain('This child has already been placed for adoption');

    const waiting = await aWaitingChild();
    const inAssessment = await aHousehold(raaId, { stage: 'stage_two' });
    const notApproved = await post(finder, `/children/${waiting}/shortlist`, { householdId: inAssessment });
    expect(notApproved.statusCode).toBe(409);
    expect(text(notApproved.body)).toContain('not approved and waiting');
    const written = await t.database.db
      .selectFrom('match_links')
      .select('id')
      .where('child_id', 'in', [placed, waiting])
      .execute();
    expect(written).toEqual([]);
  });
});

describe("a council's exclusion, the weights and the family-finding log", () => {
  it("takes an excluded household out of the council's children's lists, with the reason shown when asked", async () => {
    const childId = await aWaitingChild();
    const householdId = await aHousehold(raaId, { surname: 'Excludable' });
    expect(text((await get(councilWorker, `/children/${childId}/matches`)).body)).toContain(
      'can meet needs in 1 of 1 area',
    );
    const refused = await post(councilWorker, `/children/${childId}/exclusions`, { householdId, reason: '' });
    expect(refused.statusCode).toBe(400);
    const excluded = await post(councilWorker, `/children/${childId}/exclusions`, {
      householdId,
      reason: 'Known to the birth family',
    });
    expect(excluded.statusCode).toBe(303);
    const asFinder = text((await get(finder, `/children/${childId}/matches`)).body);
    expect(asFinder).not.toContain('Excludable');
    expect(text((await get(finder, `/children/${childId}/matches?compatible=no`)).body)).toContain(
      "excluded by the child's council",
    );
    expect(await auditActions(householdId)).toContain('matching.exclusion.add:success');
  });

  it('saves the RAA weights with an audit entry, and refuses impossible ones', async () => {
    const weights = {
      needs: '8',
      heritage: '5',
      religion: '2',
      language: '3',
      earlyPermanence: '4',
      contact: '1',
    };
    const tooHigh = await post(manager, '/matching/weights', { ...weights, needs: '11', version: '0' });
    expect(tooHigh.statusCode).toBe(400);
    expect(text(tooHigh.body)).toContain('The weight for needs the household can meet must be 10 or less');
    const allZero = await post(manager, '/matching/weights', {
      version: '0',
      ...Object.fromEntries(Object.keys(weights).map((k) => [k, '0'])),
    });
    expect(allZero.statusCode).toBe(400);
    expect(text(allZero.body)).toContain('Give at least one consideration a weight above 0');
    expect(await t.database.db.selectFrom('matching_weights').selectAll().execute()).toEqual([]);

    expect((await post(manager, '/matching/weights', { ...weights, version: '0' })).statusCode).toBe(303);
    const stored = await t.database.db.selectFrom('matching_weights').selectAll().executeTakeFirstOrThrow();
    expect(stored.weights).toEqual({
      needs: 8,
      heritage: 5,
      religion: 2,
      language: 3,
      earlyPermanence: 4,
      contact: 1,
    });
    expect(await auditActions(raaId)).toContain('matching.weights.change:success');
    const stale = await post(manager, '/matching/weights', { ...weights, needs: '9', version: '0' });
    expect(stale.statusCode).toBe(409);
    expect((await get(finder, '/matching/weights')).statusCode).toBe(403);
  });

  it('logs family-finding activity, refusing a future date', async () => {
    const childId = await aWaitingChild();
    const future = await post(finder, `/children/${childId}/family-finding`, {
      kind: 'publicity',
      'date-day': '1',
      'date-month': '1',
      'date-year': '2030',
      note: 'Featured in the newsletter',
    });
    expect(future.statusCode).toBe(400);
    expect(text(future.body)).toContain('The date of the activity must be today or in the past');
    expect(
      (
        await post(finder, `/children/${childId}/family-finding`, {
          kind: 'profile_sent',
          'date-day': '20',
          'date-month': '10',
          'date-year': '2026',
          note: 'Profile sent to Adopt London North',
        })
      ).statusCode,
    ).toBe(303);
    const page = text((await get(councilWorker, `/children/${childId}/family-finding`)).body);
    expect(page).toContain('Profile sent to Adopt London North');
    expect(page).toContain('20 October 2026');
  });

  it("applies the child's distance rule from the birth family's postcode district", async () => {
    const childId = await aWaitingChild();
    await aHousehold(raaId, { surname: 'Nearby', district: 'SE15' });
    await t.database.db
      .insertInto('child_birth_families')
      .values({ child_id: childId, birth_family_postcode_district: 'SE15' })
      .execute();
    const version = (
      await t.database.db
        .selectFrom('children')
        .select('version')
        .where('id', '=', childId)
        .executeTakeFirstOrThrow()
    ).version;
    const saved = await post(finder, `/children/${childId}/matching`, {
      version: String(version),
      heritage: 'yes',
      separation: 'outside_district',
      contactRequired: ['letterbox'],
    });
    expect(saved.statusCode).toBe(303);
    const page = text((await get(finder, `/children/${childId}/matches?compatible=no`)).body);
    expect(page).toMatch(/Nearby[\s\S]*lives in the birth family's postcode district/);
    expect(text((await get(finder, `/children/${childId}/matches`)).body)).not.toContain('Nearby');
  });
});

describe('for a household, and sufficiency (issue 6 §2, §4)', () => {
  it("ranks children for an approved household for its own agency's staff only", async () => {
    const householdId = await aHousehold(raaId);
    const response = await get(assessor, `/households/${householdId}/matches`);
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('id="ranked-children"');
    expect(await auditActions(householdId)).toContain('matching.candidates.household:success');
    expect((await get(councilWorker, `/households/${householdId}/matches`)).statusCode).toBe(404);
  });

  it('works out sufficiency by its job, with children of 0–2 families highlighted and a CSV', async () => {
    const lonely = await aWaitingChild({ dateOfBirth: '2012-01-01' });
    const before = await get(manager, '/sufficiency');
    expect(text(before.body)).toContain('Sufficiency has not been worked out yet');
    expect((await post(manager, '/sufficiency/refresh', {})).statusCode).toBe(303);
    expect(await t.app.jobs.runDue('matching.refresh-sufficiency')).toEqual({ completed: 1, failed: 0 });
    const page = await get(manager, '/sufficiency');
    expect(page.statusCode).toBe(200);
    const row = new RegExp(
      `<tr class="govuk-table__row kindred-row--few">\\s*<td[^>]*><a class="govuk-link" href="/children/${lonely}/matches">`,
    );
    expect(page.body).toMatch(row);
    expect(text(page.body)).toContain('Aged four or over');
    const csv = await get(manager, '/sufficiency.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe(
      'Child,Council child ID,Council,Stage,Compatible households in the region,Compatible households in the hub,Two or fewer',
    );
    expect(lines.some((line) => line.endsWith(',0,0,yes'))).toBe(true);
    expect((await get(councilWorker, '/sufficiency')).statusCode).toBe(403);

    // The hub's view: counts per RAA, never a child or a family (issue 6 §5).
    const hubId = await anOrganisation(t, { kind: 'hub', name: 'Test hub' });
    await t.database.db
      .updateTable('organisations')
      .set({ parent_id: hubId })
      .where('id', '=', raaId)
      .execute();
    const hubOfficer = await signedInUser(t, { roles: ['performance_officer'], organisationId: hubId });
    const hubPage = await get(hubOfficer, '/sufficiency');
    expect(hubPage.statusCode).toBe(200);
    expect(text(hubPage.body)).toContain('Sufficiency of families across the hub');
    expect(text(hubPage.body)).toContain('Adopt Matching (test)');
    const names = await t.database.db.selectFrom('children').select(['first_name', 'last_name']).execute();
    for (const name of names) expect(hubPage.body).not.toContain(name.last_name);
    expect(hubPage.body).not.toMatch(/\/children\/[0-9a-f-]{36}/);
    expect(hubPage.body).not.toContain('Robin');
  });
});
