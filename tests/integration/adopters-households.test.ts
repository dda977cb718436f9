// Issue 5 §2–§3 over real HTTP: an enquiry's registration of interest becomes a household with
// its applicants; steps are recorded as dated facts checked by the pipeline's rules, with clocks
// shown as "day N of M"; corrections supersede; the details form refuses stale saves; only the
// RAA's own staff reach households, and every view and change is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { formPost, pageText } from '../support/http.js';

let t: TestApp;
let raaId: string;
let councilId: string;
let worker: SignedInUser;
let otherRaaWorker: SignedInUser;
let councilManager: SignedInUser;
let counter = 0;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Households' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId });
  councilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId,
    name: 'Borough of Camberwell',
  });
  await t.database.db
    .updateTable('organisations')
    .set({ postcode_districts: ['SE5'] })
    .where('id', '=', councilId)
    .execute();
  worker = await signedInUser(t, {
    roles: ['assessing_social_worker'],
    organisationId: spoke,
    name: 'Asha Assessor',
  });
  const otherRaa = await anOrganisation(t, { kind: 'raa' });
  otherRaaWorker = await signedInUser(t, { roles: ['assessing_social_worker'], organisationId: otherRaa });
  councilManager = await signedInUser(t, { roles: ['team_manager'], organisationId: councilId });
});
afterAll(async () => {
  await t?.close();
});

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });
const post = (actor: SignedInUser, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: actor.csrfToken, ...fields }).toString(),
  });

const errorSummary = (html: string) =>
  /govuk-error-summary__list">([\s\S]*?)<\/ul>/
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim() ?? '';

async function anEnquiry(createdAt = '2026-09-01T10:00:00Z'): Promise<string> {
  counter += 1;
  const row = await t.database.db
    .insertInto('adopter_enquiries')
    .values({
      reference: `HHHH-${'ABCDEFGH'[counter % 8]}${'JKLMNPQR'[Math.floor(counter / 8) % 8]}ZZ`,
      raa_id: raaId,
      council_id: councilId,
      name: 'Casey Couple',
      email: `casey${counter}@example.test`,
      postcode: 'SE5 8AA',
      postcode_district: 'SE5',
      applying_as: 'couple',
      previous_experience: 'none',
      heard_from: 'search',
      created_at: createdAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const applicant = (n: 1 | 2, first: string, last: string) => ({
  [`applicant${n}-firstName`]: first,
  [`applicant${n}-lastName`]: last,
  [`applicant${n}-dateOfBirth-day`]: '3',
  [`applicant${n}-dateOfBirth-month`]: '4',
  [`applicant${n}-dateOfBirth-year`]: '1988',
  [`applicant${n}-sex`]: n === 1 ? '2' : '1',
  [`applicant${n}-ethnicity`]: 'WBRI',
});

/** Each registration is of different people unless the test names them, so none is a second registration. */
let lastNames = 0;
const registration = (overrides: Record<string, string> = {}, lastName = `Couple${(lastNames += 1)}`) => ({
  relationshipStatus: 'L11',
  ...applicant(1, 'Casey', lastName),
  ...applicant(2, 'Jamie', lastName),
  addressLine1: '1 Example Road',
  postcode: 'se5 8aa',
  'receivedOn-day': '15',
  'receivedOn-month': '9',
  'receivedOn-year': '2026',
  ...overrides,
});

const step = (kind: string, date: string, extra: Record<string, string> = {}) => {
  const [year, month, day] = date.split('-');
  return {
    kind,
    source: 'Assessing social worker',
    'effectiveDate-day': String(Number(day)),
    'effectiveDate-month': String(Number(month)),
    'effectiveDate-year': year!,
    ...extra,
  };
};

async function registeredHousehold(lastName?: string): Promise<string> {
  const enquiryId = await anEnquiry();
  const response = await post(worker, `/enquiries/${enquiryId}/register`, registration({}, lastName));
  expect(response.statusCode).toBe(303);
  return /\/households\/([0-9a-f-]{36})/.exec(response.headers.location as string)![1]!;
}

describe('registering interest (issue 5 §2)', () => {
  it('turns an enquiry into a household with both applicants, its council and its first facts', async () => {
    const householdId = await registeredHousehold();
    const household = await t.database.db
      .selectFrom('households')
      .selectAll()
      .where('id', '=', householdId)
      .executeTakeFirstOrThrow();
    expect(household).toMatchObject({
      raa_id: raaId,
      council_id: councilId,
      relationship_status: 'L11',
      postcode: 'SE5 8AA',
      current_stage: 'registration_of_interest',
      stage_since: '2026-09-15',
    });
    const applicants = await t.database.db
      .selectFrom('household_applicants')
      .select(['position', 'first_name'])
      .where('household_id', '=', householdId)
      .orderBy('position')
      .execute();
    expect(applicants).toEqual([
      { position: 1, first_name: 'Casey' },
      { position: 2, first_name: 'Jamie' },
    ]);
    const page = await get(worker, `/households/${householdId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Casey Couple\d+ and Jamie Couple\d+/);
    // Received Tuesday 15 September 2026: the decision is due 5 working days later, and is now late.
    expect(page.body).toMatch(
      /Decision on the registration of interest:<\/strong>\s*due 22 September 2026\s*<strong class="govuk-tag govuk-tag--red">Late<\/strong>/,
    );
    expect(page.body).toContain('Borough of Camberwell');
  });

  it('needs the second applicant for a couple, and registers an enquiry only once', async () => {
    const enquiryId = await anEnquiry();
    const missing = await post(worker, `/enquiries/${enquiryId}/register`, {
      ...registration(),
      'applicant2-firstName': '',
    });
    expect(missing.statusCode).toBe(400);
    expect(errorSummary(missing.body)).toBe("Enter the second applicant's first name");
    expect((await post(worker, `/enquiries/${enquiryId}/register`, registration())).statusCode).toBe(303);
    const again = await post(worker, `/enquiries/${enquiryId}/register`, registration());
    expect(again.statusCode).toBe(400);
    expect(errorSummary(again.body)).toBe('This enquiry is already registered as a household');
    const count = await t.database.db
      .selectFrom('households')
      .select('id')
      .where('enquiry_id', '=', enquiryId)
      .execute();
    expect(count).toHaveLength(1);
  });
});

describe('a second registration for the same person (issue 5, Bad input)', () => {
  it('is refused while their first household is still open, naming it', async () => {
    const first = await registeredHousehold('Twice');
    const { reference } = await t.database.db
      .selectFrom('households')
      .select('reference')
      .where('id', '=', first)
      .executeTakeFirstOrThrow();
    const enquiryId = await anEnquiry();
    const again = await post(worker, `/enquiries/${enquiryId}/register`, registration({}, 'Twice'));
    expect(again.statusCode).toBe(400);
    expect(errorSummary(again.body)).toBe(
      `Casey Twice, born 03/04/1988, is already registered with us (household ${reference})`,
    );
    expect(
      await t.database.db.selectFrom('households').select('id').where('enquiry_id', '=', enquiryId).execute(),
    ).toHaveLength(0);
  });
});

describe('the pipeline (issue 5 §3)', () => {
  it('records steps with the clocks as day N of M, and refuses an impossible step with a sentence', async () => {
    const id = await registeredHousehold();
    const { code: councilCode } = await t.database.db
      .selectFrom('organisations')
      .select('code')
      .where('id', '=', councilId)
      .executeTakeFirstOrThrow();
    const early = await post(worker, `/households/${id}/journey`, step('stage_two_notified', '2026-09-20'));
    expect(early.statusCode).toBe(400);
    expect(errorSummary(early.body).length).toBeGreaterThan(10);
    expect(
      (
        await post(
          worker,
          `/households/${id}/journey`,
          step('registration_of_interest_decision', '2026-09-18', { registrationDecision: 'accepted' }),
        )
      ).statusCode,
    ).toBe(303);
    expect(
      (await post(worker, `/households/${id}/journey`, step('stage_one_started', '2026-09-21'))).statusCode,
    ).toBe(303);
    expect(
      (
        await post(
          worker,
          `/households/${id}/journey`,
          step('statutory_check', '2026-09-22', {
            checkType: 'local_authority',
            checkSubject: councilCode,
            checkStep: 'requested',
          }),
        )
      ).statusCode,
    ).toBe(303);
    const household = await t.database.db
      .selectFrom('households')
      .select(['current_stage', 'stage_since', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(household).toMatchObject({ current_stage: 'stage_one', stage_since: '2026-09-21' });
    const page = await get(worker, `/households/${id}`);
    // Test clock: 2 November 2026, day 42 of Stage One (21 September + 2 months = 21 November).
    expect(page.body).toMatch(/Stage One:<\/strong> Day 42 of 61/);
    // A member council answers within 5 working days (service schedule): due 29 September, now overdue.
    expect(page.body).toContain(`Local authority check: ${councilCode}`);
    expect(page.body).toContain('answer due 29 September 2026');
    expect(page.body).toMatch(/<td class="govuk-table__cell"><strong>Overdue<\/strong><\/td>/);
  });

  it('corrects a step by superseding it with a reason', async () => {
    const id = await registeredHousehold();
    const original = await t.database.db
      .selectFrom('household_facts')
      .select('id')
      .where('household_id', '=', id)
      .where('kind', '=', 'registration_of_interest_received')
      .executeTakeFirstOrThrow();
    const noReason = await post(
      worker,
      `/households/${id}/journey`,
      step('registration_of_interest_received', '2026-09-14', { supersedes: original.id }),
    );
    expect(noReason.statusCode).toBe(400);
    const corrected = await post(
      worker,
      `/households/${id}/journey`,
      step('registration_of_interest_received', '2026-09-14', {
        supersedes: original.id,
        correctionReason: 'Form was date-stamped the 14th',
      }),
    );
    expect(corrected.statusCode).toBe(303);
    const facts = await t.database.db
      .selectFrom('household_facts')
      .select(['effective_date', 'supersedes_id'])
      .where('household_id', '=', id)
      .where('kind', '=', 'registration_of_interest_received')
      .execute();
    expect(facts.map((f) => f.effective_date).sort()).toEqual(['2026-09-14', '2026-09-15']);
  });

  it('saves the details, refusing a stale save at 409 with what was typed', async () => {
    const id = await registeredHousehold();
    const first = await post(worker, `/households/${id}/details`, {
      version: '1',
      ageFrom: '0',
      ageTo: '4',
      maxChildren: '2',
      siblingGroups: 'yes',
      needsCannotMeet: 'Severe disability',
    });
    expect(first.statusCode).toBe(303);
    const row = await t.database.db
      .selectFrom('households')
      .select(['offer', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.offer).toMatchObject({
      ageFrom: 0,
      ageTo: 4,
      maxChildren: 2,
      siblingGroups: true,
      needsCannotMeet: 'Severe disability',
    });
    const backwards = await post(worker, `/households/${id}/details`, {
      version: String(row.version),
      ageFrom: '6',
      ageTo: '2',
    });
    expect(errorSummary(backwards.body)).toBe('The oldest age must be the same as or more than the youngest');
    const stale = await post(worker, `/households/${id}/details`, {
      version: '1',
      supportNetwork: 'Grandparents nearby',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Grandparents nearby');
  });

  it('lists the households 50 to a page, longest in their stage first, with links between the pages', async () => {
    for (let n = 0; n < 51; n += 1) {
      await t.database.db
        .insertInto('households')
        .values({
          // References use the unambiguous letters and digits only (migration 0010).
          reference: `PAGE-${'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(n / 32)]!}${'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[n % 32]!}ZZ`,
          raa_id: raaId,
          council_id: null,
          enquiry_id: null,
          relationship_status: 'L0',
          address_line_1: null,
          address_line_2: null,
          town: null,
          postcode: 'SE15 5AB',
          postcode_district: 'SE15',
          children_in_household: null,
          support_network: null,
          heard_from: null,
          assessing_social_worker_id: null,
          created_by: null,
        })
        .execute();
    }
    const total = Number(
      (
        await t.database.db
          .selectFrom('households')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('raa_id', '=', raaId)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const pages = Math.ceil(total / 50);
    const first = await get(worker, '/adopters');
    expect(pageText(first.body)).toContain(`${total} households Showing 1 to 50`);
    expect(first.body).toContain('href="/adopters?page=2"');
    const last = await get(worker, `/adopters?page=${pages}`);
    expect(pageText(last.body)).toContain(`Showing ${(pages - 1) * 50 + 1} to ${total}`);
    // A page past the end shows the last one; nonsense shows the first.
    expect(pageText((await get(worker, '/adopters?page=999')).body)).toContain(
      `Showing ${(pages - 1) * 50 + 1} to ${total}`,
    );
    expect(pageText((await get(worker, '/adopters?page=two')).body)).toContain('Showing 1 to 50');
  });

  it('lists households for the RAA only: another RAA and a council get 404 and an empty list', async () => {
    const id = await registeredHousehold();
    const list = await get(worker, '/adopters?stage=registration_of_interest');
    expect(list.body).toContain(`/households/${id}`);
    expect((await get(otherRaaWorker, `/households/${id}`)).statusCode).toBe(404);
    expect((await get(otherRaaWorker, '/adopters')).body).not.toContain(id);
    expect((await get(councilManager, `/households/${id}`)).statusCode).toBe(404);
    const audits = await t.database.db
      .selectFrom('audit_events')
      .select(['outcome', 'actor_user_id'])
      .where('action', '=', 'household.view')
      .where('subject_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(audits).toEqual([
      { outcome: 'denied', actor_user_id: otherRaaWorker.userId },
      { outcome: 'denied', actor_user_id: councilManager.userId },
    ]);
  });
});

describe("an applicant's own details (issue 5 §2)", () => {
  it('saves religion, languages, health and employment, refusing a stale save', async () => {
    const id = await registeredHousehold('Details');
    const saved = await post(worker, `/households/${id}/applicants/2`, {
      version: '1',
      religion: 'Quaker',
      languages: 'English, Welsh',
      employment: 'Teacher',
    });
    expect(saved.statusCode).toBe(303);
    const row = await t.database.db
      .selectFrom('household_applicants')
      .select(['religion', 'languages', 'employment'])
      .where('household_id', '=', id)
      .where('position', '=', 2)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ religion: 'Quaker', languages: ['English', 'Welsh'], employment: 'Teacher' });
    const page = await get(worker, `/households/${id}`);
    expect(page.body).toContain('Quaker; English, Welsh; Teacher');
    expect(
      (await post(worker, `/households/${id}/applicants/1`, { version: '1', religion: 'None' })).statusCode,
    ).toBe(409);
    expect((await get(worker, `/households/${id}/applicants/3`)).statusCode).toBe(404);
  });
});

describe("an applicant's disability (Ofsted Annex A List 11)", () => {
  const applicantRow = (id: string, position: 1 | 2) =>
    t.database.db
      .selectFrom('household_applicants')
      .select(['disability', 'religion'])
      .where('household_id', '=', id)
      .where('position', '=', position)
      .executeTakeFirstOrThrow();
  const versionOf = async (id: string) =>
    (
      await t.database.db
        .selectFrom('households')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).version;

  it('asks the question, saves Yes through the audited, versioned update and shows it back', async () => {
    const id = await registeredHousehold('Disclosed');
    const form = await get(worker, `/households/${id}/applicants/1`);
    expect(pageText(form.body)).toContain(
      'Does Casey Disclosed consider themselves to have a disability? (optional) The Equality Act 2010 defines disability as a physical or mental impairment that has a substantial and long-term effect on normal day-to-day activities. Yes No Prefers not to say',
    );
    // Not asked yet: a save that leaves it unanswered keeps it null.
    expect(
      (await post(worker, `/households/${id}/applicants/1`, { version: '1', religion: 'None' })).statusCode,
    ).toBe(303);
    expect(await applicantRow(id, 1)).toEqual({ disability: null, religion: 'None' });

    const saved = await post(worker, `/households/${id}/applicants/1`, {
      version: '2',
      religion: 'None',
      disability: 'yes',
    });
    expect(saved.statusCode).toBe(303);
    expect(await applicantRow(id, 1)).toEqual({ disability: 'yes', religion: 'None' });
    expect(await versionOf(id)).toBe(3);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['outcome', 'reason'])
      .where('action', '=', 'household.applicant.update')
      .where('subject_id', '=', id)
      .execute();
    expect(audit).toEqual([
      { outcome: 'success', reason: 'applicant 1' },
      { outcome: 'success', reason: 'applicant 1' },
    ]);
    expect(pageText((await get(worker, `/households/${id}`)).body)).toContain(
      'Casey Disclosed , born 3 April 1988, White British; None; disability: yes',
    );
    expect((await get(worker, `/households/${id}/applicants/1`)).body).toContain('value="yes" checked');
    expect(await applicantRow(id, 2)).toEqual({ disability: null, religion: null });
  });

  it('refuses any other answer with the error summary, changing nothing', async () => {
    const id = await registeredHousehold('Undisclosed');
    expect(
      (await post(worker, `/households/${id}/applicants/2`, { version: '1', disability: 'no' })).statusCode,
    ).toBe(303);
    // A value not offered, and two radios' values at once (a hand-made request).
    for (const disability of ['maybe', ['yes', 'no']]) {
      const refused = await formPost(t, worker, `/households/${id}/applicants/2`, {
        version: '2',
        religion: 'Quaker',
        disability,
      });
      expect(refused.statusCode).toBe(400);
      expect(errorSummary(refused.body)).toBe(
        'Select whether they consider themselves to have a disability, or that they prefer not to say',
      );
      expect(await applicantRow(id, 2)).toEqual({ disability: 'no', religion: null });
      expect(await versionOf(id)).toBe(2);
    }
  });
});

describe("the council's part in Stage One (issue 5 §7)", () => {
  it('shows a council only the checks addressed to it, and records its answer on the household', async () => {
    const id = await registeredHousehold('Checked');
    const { code } = await t.database.db
      .selectFrom('organisations')
      .select('code')
      .where('id', '=', councilId)
      .executeTakeFirstOrThrow();
    for (const [kind, extra] of [
      ['registration_of_interest_decision', { registrationDecision: 'accepted' }],
      ['stage_one_started', {}],
      ['statutory_check', { checkType: 'local_authority', checkSubject: code, checkStep: 'requested' }],
    ] as const) {
      expect(
        (await post(worker, `/households/${id}/journey`, step(kind, '2026-10-26', extra))).statusCode,
      ).toBe(303);
    }
    const councilWorker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilId });
    const page = await get(councilWorker, '/council-checks');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Casey Checked, born 3 April 1988; Jamie Checked, born 3 April 1988');
    expect(page.body).toContain('2 November 2026');
    // Nothing else of the household reaches the council.
    expect((await get(councilWorker, `/households/${id}`)).statusCode).toBe(403);

    const otherCouncil = await anOrganisation(t, { kind: 'local_authority', parentId: raaId, raaId });
    const otherWorker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: otherCouncil });
    expect((await get(otherWorker, '/council-checks')).body).not.toContain('Checked');
    const request = await t.database.db
      .selectFrom('household_facts')
      .select('id')
      .where('household_id', '=', id)
      .where('kind', '=', 'statutory_check')
      .executeTakeFirstOrThrow();
    const answer = { 'answeredOn-day': '30', 'answeredOn-month': '10', 'answeredOn-year': '2026' };
    expect((await post(otherWorker, `/council-checks/${request.id}/answer`, answer)).statusCode).toBe(404);
    expect((await post(councilWorker, `/council-checks/${request.id}/answer`, answer)).statusCode).toBe(303);
    const received = await t.database.db
      .selectFrom('household_facts')
      .select(['details', 'recorded_by'])
      .where('household_id', '=', id)
      .where('kind', '=', 'statutory_check')
      .where('recorded_by', '=', councilWorker.userId)
      .executeTakeFirstOrThrow();
    expect(received).toEqual({
      details: { check: { type: 'local_authority', subject: code, step: 'received' } },
      recorded_by: councilWorker.userId,
    });
    expect((await get(councilWorker, '/council-checks')).body).toContain('30 October 2026');
  });
});
