// Issue 8 §1, §3 and §6 over real HTTP: opening support cases for adoptive families, adopted
// adults and birth relatives; assessments within the (to-confirm) timescale; plans with goals and
// reviews; liaison with the child's council, who sees only the notes addressed to it; the core
// offer with attendance and feedback. Access: family finders are refused (403), another RAA's
// case is "not found" (404, audited), adopted adults' and birth relatives' records need
// 'support:restricted'. Bad input and stale edits: clear messages, nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, requestsTo } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aFamily, aSupportCase } from '../support/support.js';

let t: TestApp;
let raaId: string;
let otherRaaId: string;
let councilId: string;
let otherCouncilId: string;
let worker: SignedInUser;
let manager: SignedInUser;
let head: SignedInUser;
let finder: SignedInUser;
let otherWorker: SignedInUser;
let councilWorker: SignedInUser;
let otherCouncilWorker: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Support South (test)' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId });
  const team = await anOrganisation(t, { kind: 'team', parentId: spoke, raaId, name: 'Support team (test)' });
  councilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId,
    name: 'Borough Support A',
  });
  otherCouncilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId,
    name: 'Borough Support B',
  });
  otherRaaId = await anOrganisation(t, { kind: 'raa', name: 'Another RAA (test)' });
  worker = await signedInUser(t, { roles: ['support_worker'], organisationId: team, name: 'Sam Support' });
  manager = await signedInUser(t, { roles: ['team_manager'], organisationId: spoke, name: 'Mo Manager' });
  head = await signedInUser(t, { roles: ['head_of_service'], organisationId: raaId, name: 'Hana Head' });
  finder = await signedInUser(t, { roles: ['family_finder'], organisationId: spoke });
  otherWorker = await signedInUser(t, { roles: ['support_worker'], organisationId: otherRaaId });
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
const date = (prefix: string, iso: string) => ({
  [`${prefix}-day`]: String(Number(iso.slice(8))),
  [`${prefix}-month`]: String(Number(iso.slice(5, 7))),
  [`${prefix}-year`]: iso.slice(0, 4),
});
const idFrom = (location: string | undefined) =>
  /\/support\/cases\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';
const audits = async (subjectId: string) =>
  (
    await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('subject_id', '=', subjectId)
      .orderBy('seq')
      .execute()
  ).map((row) => `${row.action}:${row.outcome}`);
const count = async (
  table: 'support_cases' | 'support_assessments' | 'support_plans' | 'support_liaison_notes',
) =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const familyCase = {
  kind: 'adoptive_family',
  ...date('referralOn', '2026-10-20'),
  referralSource: 'self',
  referralReason: 'Help with their son’s anxiety at school and with letterbox contact',
  familyName: 'Robin and Alex Brightwater',
  familySurnames: 'Brightwater',
  addressLine1: '3 Kestrel Mews',
  town: 'Pellham',
  postcode: 'SE21 7ZZ',
  email: 'brightwater@example.test',
  phone: '020 7946 0999',
  school: 'Oakwell Primary',
};

describe('access to support records (issue 8 §6)', () => {
  it('keeps family finders and councils out of the caseload, and lets managers and the head of service in', async () => {
    expect((await get(finder, '/support')).statusCode).toBe(403);
    expect((await get(councilWorker, '/support')).statusCode).toBe(403);
    expect((await get(worker, '/support')).statusCode).toBe(200);
    expect((await get(manager, '/support')).statusCode).toBe(200);
    expect((await get(head, '/support')).statusCode).toBe(200);
  });

  it("answers another RAA's case as not found, audited as refused, and leaves it out of their caseload", async () => {
    const caseId = await aSupportCase(t, raaId, {
      family: aFamily({ familyName: 'The Larkspur-Hidden family' }),
    });
    expect((await get(otherWorker, `/support/cases/${caseId}`)).statusCode).toBe(404);
    expect(await audits(caseId)).toContain('support.case.view:denied');
    expect(text((await get(otherWorker, '/support')).body)).not.toContain('Larkspur-Hidden');
  });

  it("keeps adopted adults' and birth relatives' records to those with need to know", async () => {
    const adult = await aSupportCase(t, raaId, {
      kind: 'adopted_adult',
      person: { firstName: 'Dana', lastName: 'Needtoknow' },
    });
    const relative = await aSupportCase(t, raaId, {
      kind: 'birth_relative',
      person: { firstName: 'Eli', lastName: 'Needtoknow' },
    });
    // The head of service reads family cases, not restricted ones: not listed, not found, audited.
    const asHead = text((await get(head, '/support?q=Needtoknow')).body);
    expect(asHead).toContain('0 cases');
    expect((await get(head, `/support/cases/${adult}`)).statusCode).toBe(404);
    expect((await get(head, `/support/cases/${relative}`)).statusCode).toBe(404);
    expect(await audits(adult)).toContain('support.case.view:denied');
    const reason = await t.database.db
      .selectFrom('audit_events')
      .select('reason')
      .where('subject_id', '=', adult)
      .where('outcome', '=', 'denied')
      .executeTakeFirstOrThrow();
    expect(reason.reason).toBe('restricted record: needs support:restricted');
    // Support workers and their managers see them.
    expect(text((await get(worker, '/support?q=Needtoknow')).body)).toContain('Dana Needtoknow');
    expect((await get(manager, `/support/cases/${adult}`)).statusCode).toBe(200);
  });

  it('audits every view of a case as it is served', async () => {
    const caseId = await aSupportCase(t, raaId);
    expect((await get(worker, `/support/cases/${caseId}`)).statusCode).toBe(200);
    expect(await audits(caseId)).toEqual(['support.case.view:success']);
  });
});

describe('opening and changing a case (issue 8 §1)', () => {
  it('opens a case for an adoptive family who adopted before Kindred, with their protected details', async () => {
    const response = await post(worker, '/support/cases', {
      ...familyCase,
      allocatedWorkerId: worker.userId,
      placingCouncilId: councilId,
    });
    expect(response.statusCode).toBe(303);
    const caseId = idFrom(response.headers.location as string);
    const page = text((await get(worker, response.headers.location as string)).body);
    expect(page).toContain('Support case opened');
    expect(page).toContain('Robin and Alex Brightwater');
    expect(page).toContain('Borough Support A');
    expect(page).toContain('Sam Support');
    expect(await audits(caseId)).toContain('support.case.create:success');
  });

  it('opens an adopted adult’s case with their own record', async () => {
    const response = await post(worker, '/support/cases', {
      kind: 'adopted_adult',
      ...date('referralOn', '2026-10-21'),
      referralSource: 'self',
      referralReason: 'Wants to see her birth records',
      firstName: 'Morgan',
      lastName: 'Fernleigh',
      ...date('adoptedOn', '1971-06-30'),
    });
    expect(response.statusCode).toBe(303);
    const caseId = idFrom(response.headers.location as string);
    const person = await t.database.db
      .selectFrom('support_people')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      first_name: 'Morgan',
      last_name: 'Fernleigh',
      relationship: 'adopted_adult',
      adopted_on: '1971-06-30',
    });
  });

  it('refuses a case without what it needs, says what is missing, and writes nothing', async () => {
    const before = await count('support_cases');
    const response = await post(worker, '/support/cases', {
      kind: 'birth_relative',
      ...date('referralOn', '2026-10-21'),
      referralSource: 'self',
      referralReason: 'x',
    });
    expect(response.statusCode).toBe(400);
    const page = text(response.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('Enter their first name');
    expect(page).toContain('Choose their relationship to the adopted person');
    const noFamily = await post(worker, '/support/cases', { ...familyCase, familyName: '', referralOn: '' });
    expect(noFamily.statusCode).toBe(400);
    expect(text(noFamily.body)).toContain(
      'Enter the household reference, or the family’s name if they adopted before Kindred',
    );
    const future = await post(worker, '/support/cases', {
      ...familyCase,
      ...date('referralOn', '2027-01-01'),
    });
    expect(text(future.body)).toContain('must be today or in the past');
    const unknownHousehold = await post(worker, '/support/cases', {
      ...familyCase,
      householdReference: 'ZZZZ-ZZZZ',
    });
    expect(text(unknownHousehold.body)).toContain('There is no household ZZZZ-ZZZZ in this RAA');
    expect(await count('support_cases')).toBe(before);
  });

  it('refuses a stale edit, keeps what was typed, and changes nothing', async () => {
    const created = await post(worker, '/support/cases', familyCase);
    const caseId = idFrom(created.headers.location as string);
    const edit = { ...familyCase, version: '1', status: 'open', referralReason: 'First change' };
    expect((await post(worker, `/support/cases/${caseId}/edit`, edit)).statusCode).toBe(303);
    const stale = await post(manager, `/support/cases/${caseId}/edit`, {
      ...edit,
      referralReason: 'A change made on an old page',
    });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain(
      'Someone else changed this record since you opened the page, so nothing was saved',
    );
    expect(stale.body).toContain('A change made on an old page');
    const row = await t.database.db
      .selectFrom('support_cases')
      .select(['referral_reason', 'version'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ referral_reason: 'First change', version: 2 });
  });

  it('closes a case only with a reason', async () => {
    const created = await post(worker, '/support/cases', familyCase);
    const caseId = idFrom(created.headers.location as string);
    const noReason = await post(worker, `/support/cases/${caseId}/edit`, {
      ...familyCase,
      version: '1',
      status: 'closed',
    });
    expect(noReason.statusCode).toBe(400);
    expect(text(noReason.body)).toContain('Say why the case is closing');
    const closed = await post(worker, `/support/cases/${caseId}/edit`, {
      ...familyCase,
      version: '1',
      status: 'closed',
      closedReason: 'Support plan completed',
    });
    expect(closed.statusCode).toBe(303);
    expect(text((await get(worker, `/support/cases/${caseId}`)).body)).toContain('Support plan completed');
  });
});

describe('assessments and plans (issue 8 §1; ASSR 2005 regs 13–19)', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await aSupportCase(t, raaId, { workerId: worker.userId });
  });

  it('starts an assessment due 30 working days later, shown "(confirm)", and refuses a second while one is open', async () => {
    expect(
      (await post(worker, `/support/cases/${caseId}/assessments`, date('requestedOn', '2026-10-01')))
        .statusCode,
    ).toBe(303);
    const page = text((await get(worker, `/support/cases/${caseId}`)).body);
    expect(page).toContain('within 30 working days of the request (confirm)');
    expect(page).toContain('12 November 2026');
    const again = await post(
      worker,
      `/support/cases/${caseId}/assessments`,
      date('requestedOn', '2026-10-02'),
    );
    expect(again.statusCode).toBe(400);
    expect(text(again.body)).toContain('An assessment is already in progress');
    const caseload = text((await get(worker, '/support?worker=mine')).body);
    expect(caseload).toContain('Due 12 November 2026');
  });

  it('completes the assessment, refusing a date before it was asked for', async () => {
    const assessment = await t.database.db
      .selectFrom('support_assessments')
      .select('id')
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const early = await post(worker, `/support/assessments/${assessment.id}`, {
      version: '1',
      outcome: 'services_to_be_provided',
      assessmentSummary: 'Therapeutic parenting support and help with school',
      ...date('completedOn', '2026-09-30'),
    });
    expect(early.statusCode).toBe(400);
    expect(text(early.body)).toContain('on or after the day it was asked for');
    const done = await post(worker, `/support/assessments/${assessment.id}`, {
      version: '1',
      outcome: 'services_to_be_provided',
      assessmentSummary: 'Therapeutic parenting support and help with school',
      ...date('completedOn', '2026-10-20'),
    });
    expect(done.statusCode).toBe(303);
    const page = text((await get(worker, `/support/cases/${caseId}`)).body);
    expect(page).toContain('Support to be provided: a plan follows');
    expect(page).toContain(
      'Apply to the Adoption Support Fund by 20 January 2027, within 3 months of the assessment (confirm)',
    );
  });

  it('saves a plan with goals, the representations date and a review, and records the review', async () => {
    const before = await count('support_plans');
    const noGoal = await post(worker, `/support/cases/${caseId}/plans`, {
      planSummary: 'Therapy and school liaison',
      ...date('agreedOn', '2026-10-25'),
      ...date('reviewOn', '2027-04-25'),
    });
    expect(noGoal.statusCode).toBe(400);
    expect(text(noGoal.body)).toContain('Enter at least one goal for the plan');
    expect(await count('support_plans')).toBe(before);
    const saved = await post(worker, `/support/cases/${caseId}/plans`, {
      planSummary: 'Therapy and school liaison',
      'goal-1': 'Weekly theraplay sessions',
      'responsible-1': 'provider',
      'goal-2': 'Meet the school with the family',
      'responsible-2': 'raa',
      ...date('proposalSentOn', '2026-10-21'),
      ...date('agreedOn', '2026-10-25'),
      ...date('reviewOn', '2027-04-25'),
    });
    expect(saved.statusCode).toBe(303);
    const page = text((await get(worker, `/support/cases/${caseId}`)).body);
    expect(page).toContain('Notice of proposal sent 21 October 2026; representations by 18 November 2026');
    expect(page).toContain('Weekly theraplay sessions');
    const plan = await t.database.db
      .selectFrom('support_plans')
      .selectAll()
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    const goals = await t.database.db
      .selectFrom('support_plan_goals')
      .selectAll()
      .where('plan_id', '=', plan.id)
      .orderBy('position')
      .execute();
    const reviewed = await post(worker, `/support/plans/${plan.id}/review`, {
      version: '1',
      [`goal-${goals[0]!.id}`]: 'met',
      reviewNote: 'Sessions finished well',
      ...date('reviewedOn', '2026-11-01'),
      ...date('nextReviewOn', '2027-05-01'),
    });
    expect(reviewed.statusCode).toBe(303);
    const after = await t.database.db
      .selectFrom('support_plan_goals')
      .select('status')
      .where('id', '=', goals[0]!.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('met');
    const stale = await post(manager, `/support/plans/${plan.id}/review`, {
      version: '1',
      reviewNote: 'On an old page',
      ...date('reviewedOn', '2026-11-01'),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('On an old page');
  });
});

describe('liaison with the child’s council (issue 8 §1; the schedule’s “Section 47”)', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await aSupportCase(t, raaId, {
      family: aFamily({ familyName: 'The Saltmarsh-Private family' }),
      placingCouncilId: councilId,
    });
  });

  it('records a section 47 note with who does what, and shows the enquiry on the case', async () => {
    const missing = await post(worker, `/support/cases/${caseId}/liaison`, {
      councilId,
      liaisonKind: 'section_47',
      note: 'Referral made',
    });
    expect(missing.statusCode).toBe(400);
    expect(text(missing.body)).toContain('Say whether the section 47 enquiry has started or concluded');
    const response = await post(worker, `/support/cases/${caseId}/liaison`, {
      councilId,
      liaisonKind: 'section_47',
      section47Status: 'started',
      raaActions: 'Allocated worker offered to the family during the enquiry',
      councilActions: 'Section 47 enquiry; council social worker allocated',
      note: 'School raised a concern; the council is making enquiries',
    });
    expect(response.statusCode).toBe(303);
    const page = text((await get(worker, `/support/cases/${caseId}`)).body);
    expect(page).toContain('is running a section 47 enquiry');
    expect(page).toContain('Allocated worker offered to the family during the enquiry');
  });

  it('shows the council its own notes and nothing else of the case, and lets it reply', async () => {
    const page = await get(councilWorker, '/support/liaison');
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('School raised a concern');
    expect(body).not.toContain('Saltmarsh-Private');
    expect((await get(councilWorker, `/support/cases/${caseId}`)).statusCode).toBe(403);
    const reply = await post(councilWorker, `/support/liaison/cases/${caseId}`, {
      liaisonKind: 'section_47',
      section47Status: 'concluded',
      councilActions: 'No further action; family supported by the RAA',
      note: 'Enquiry concluded',
    });
    expect(reply.statusCode).toBe(303);
    expect(text((await get(worker, `/support/cases/${caseId}`)).body)).not.toContain(
      'is running a section 47 enquiry',
    );
  });

  it('keeps another council out: it sees none of the notes and cannot write to the case', async () => {
    expect(text((await get(otherCouncilWorker, '/support/liaison')).body)).not.toContain(
      'School raised a concern',
    );
    const before = await count('support_liaison_notes');
    const refused = await post(otherCouncilWorker, `/support/liaison/cases/${caseId}`, {
      liaisonKind: 'general',
      note: 'Hello',
    });
    expect(refused.statusCode).toBe(404);
    expect(await count('support_liaison_notes')).toBe(before);
  });
});

describe('the core offer (issue 8 §3)', () => {
  it('adds an event, records who came with their feedback, and refuses feedback from someone who did not come', async () => {
    const bad = await post(worker, '/support/offer', { kind: 'event', title: '' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Choose who it is for');
    const created = await post(worker, '/support/offer', {
      kind: 'event',
      audience: 'families',
      title: 'Summer picnic',
      ...date('heldOn', '2026-08-15'),
    });
    expect(created.statusCode).toBe(303);
    const itemId = /\/support\/offer\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1]!;
    const caseReference = (
      await t.database.db
        .selectFrom('support_cases')
        .select('reference')
        .where('raa_id', '=', raaId)
        .executeTakeFirstOrThrow()
    ).reference;
    expect(
      (
        await post(worker, `/support/offer/${itemId}/attendance`, {
          attendee: '2 adults, 2 children',
          caseReference,
          attended: 'yes',
          rating: '5',
          feedback: 'Lovely day',
        })
      ).statusCode,
    ).toBe(303);
    const noShow = await post(worker, `/support/offer/${itemId}/attendance`, {
      attendee: 'A family',
      attended: 'no',
      rating: '2',
    });
    expect(noShow.statusCode).toBe(400);
    expect(text(noShow.body)).toContain('Feedback is from people who came');
    const page = text((await get(worker, `/support/offer/${itemId}`)).body);
    expect(page).toContain('1 came; average feedback 5 out of 5');
    expect(text((await get(worker, '/support/offer')).body)).toContain('Summer picnic');
    expect((await get(otherWorker, `/support/offer/${itemId}`)).statusCode).toBe(404);
  });
});
