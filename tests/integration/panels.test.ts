// Issue 7 over real HTTP on a real database: the central list, a panel's sitting with its agenda,
// papers, attendance and quorum; minutes with the chair's sign-off and amendments; the agency
// decision by the right decision maker, its letter, and what it does to the household's and the
// child's journeys; the applicants' route after a qualifying determination; overdue decisions
// escalated by the daily job; the six-monthly quality report as a CSV. Every refusal in the
// issue's "bad input" list: a clear message, nothing written, the attempt audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { qualifyingDeterminationRepresentationsDue } from '../../src/platform/time/index.js';
import { longDate } from '../../src/modules/panels/panel-rules.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aChild } from '../support/children.js';
import {
  aHousehold,
  aMember,
  approvedFacts,
  dateFields,
  formPost,
  multipartPost,
  pageText,
  reportSentFacts,
  tinyPdf,
} from '../support/panels.js';

let t: TestApp;
let raaId: string;
let spokeId: string;
let councilId: string;
let otherCouncilId: string;
let adviser: SignedInUser;
let administrator: SignedInUser;
let adm: SignedInUser;
let councilAdm: SignedInUser;
let otherCouncilAdm: SignedInUser;
let manager: SignedInUser;
let chairUser: SignedInUser;
let board: SignedInUser;
let panelId: string;
let members: {
  chair: string;
  vice: string;
  sw: string;
  sw2: string;
  independent: string;
  other: string;
  medical: string;
};

// The test clock starts on Monday 2 November 2026 at 10:00.
const today = '2026-11-02';

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });
const post = (actor: SignedInUser, url: string, fields: Record<string, string | string[]> = {}) =>
  formPost(t, actor, url, fields);
const audits = async (action: string) =>
  (
    await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'subject_type', 'subject_id', 'reason', 'actor_user_id'])
      .where('action', '=', action)
      .orderBy('seq')
      .execute()
  ).map((r) => ({ ...r }));
const lastAudit = async (action: string) => (await audits(action)).at(-1);
const idFrom = (location: string | undefined, prefix: string) =>
  new RegExp(`${prefix}/([0-9a-f-]{36})`).exec(location ?? '')?.[1] ?? '';
const householdStage = async (id: string) =>
  (
    await t.database.db
      .selectFrom('households')
      .select('current_stage')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).current_stage;
const childStage = async (id: string) =>
  (
    await t.database.db
      .selectFrom('children')
      .select('current_stage')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).current_stage;
const minuteOf = (itemId: string) =>
  t.database.db.selectFrom('panel_minutes').selectAll().where('item_id', '=', itemId).executeTakeFirst();
const decisionsOf = (itemId: string) =>
  t.database.db.selectFrom('panel_decisions').selectAll().where('item_id', '=', itemId).execute();
/** The PDF's text with its line breaks folded into spaces, as a reader would take it. */
const pdfText = async (content: Buffer) =>
  (await extractText(await getDocumentProxy(new Uint8Array(content)), { mergePages: true })).text.replace(
    /\s+/g,
    ' ',
  );

async function scheduleSitting(date = today): Promise<string> {
  const response = await post(administrator, `/panels/${panelId}/sittings`, {
    ...dateFields('sittingDate', date),
    startsAt: '10:00',
    venue: 'Civic Centre, committee room 2',
  });
  expect(response.statusCode, response.body).toBe(303);
  return idFrom(response.headers.location, '/panel-sittings');
}

async function invite(sittingId: string, memberIds: string[]) {
  const response = await post(administrator, `/panel-sittings/${sittingId}/members`, { memberId: memberIds });
  expect(response.statusCode, pageText(response.body)).toBe(303);
}

async function attendance(sittingId: string, marks: Record<string, 'present' | 'apologies' | 'absent'>) {
  const fields = Object.fromEntries(Object.entries(marks).map(([id, mark]) => [`attendance-${id}`, mark]));
  return post(administrator, `/panel-sittings/${sittingId}/attendance`, fields);
}

async function addItem(sittingId: string, kind: string, caseId: string): Promise<string> {
  const response = await post(administrator, `/panel-sittings/${sittingId}/agenda`, { kind, caseId });
  expect(response.statusCode, pageText(response.body)).toBe(303);
  const item = await t.database.db
    .selectFrom('panel_agenda_items')
    .select('id')
    .where('sitting_id', '=', sittingId)
    .where('kind', '=', kind as never)
    .orderBy('added_at', 'desc')
    .executeTakeFirstOrThrow();
  return item.id;
}

const everyone = () => Object.values(members);
const quorate = () => Object.fromEntries(everyone().map((id) => [id, 'present' as const]));

async function minute(
  itemId: string,
  recommendation: string,
  reasons = 'The panel read the report and heard from the social worker.',
) {
  const current = await minuteOf(itemId);
  return post(administrator, `/panel-items/${itemId}/minute`, {
    recommendation,
    reasons,
    dissent: '',
    conditions: '',
    votesFor: '5',
    votesAgainst: '0',
    abstentions: '0',
    version: String(current?.version ?? 0),
  });
}

async function signOffItem(itemId: string, actor: SignedInUser = adviser) {
  const current = await minuteOf(itemId);
  return post(actor, `/panel-items/${itemId}/sign-off`, { version: String(current?.version ?? 0) });
}

/** A sitting today, everyone present, with one item on it: the case given. */
async function quorateSittingWith(kind: string, caseId: string): Promise<string> {
  const sittingId = await scheduleSitting();
  const itemId = await addItem(sittingId, kind, caseId);
  await invite(sittingId, everyone());
  expect((await attendance(sittingId, quorate())).statusCode).toBe(303);
  return itemId;
}

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Panels (test)' });
  spokeId = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId, name: 'Test spoke' });
  councilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeId,
    raaId,
    name: 'Borough of Testham',
  });
  otherCouncilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spokeId,
    raaId,
    name: 'Borough of Elsewhere',
  });
  adviser = await signedInUser(t, { roles: ['panel_adviser'], organisationId: raaId, name: 'Pat Adviser' });
  administrator = await signedInUser(t, {
    roles: ['panel_administrator'],
    organisationId: spokeId,
    name: 'Ali Admin',
  });
  adm = await signedInUser(t, {
    roles: ['agency_decision_maker'],
    organisationId: raaId,
    name: 'Dana Decider',
  });
  councilAdm = await signedInUser(t, {
    roles: ['agency_decision_maker'],
    organisationId: councilId,
    name: 'Cory Council',
  });
  otherCouncilAdm = await signedInUser(t, {
    roles: ['agency_decision_maker'],
    organisationId: otherCouncilId,
  });
  manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raaId });
  chairUser = await signedInUser(t, { roles: ['panel_member'], organisationId: raaId, name: 'Chris Chair' });
  board = await signedInUser(t, { roles: ['board_member'], organisationId: raaId });
  members = {
    chair: await aMember(t, raaId, 'independent_chair', { name: 'Chris Chair', userId: chairUser.userId }),
    vice: await aMember(t, raaId, 'vice_chair', { name: 'Vic Vice' }),
    sw: await aMember(t, raaId, 'social_worker', { name: 'Sam Social', qualifiedOn: '2012-09-01' }),
    sw2: await aMember(t, raaId, 'social_worker', { name: 'Newly Qualified', qualifiedOn: '2025-07-01' }),
    independent: await aMember(t, raaId, 'independent_member', { name: 'Indy Pendent' }),
    other: await aMember(t, raaId, 'other_member', { name: 'Olu Other' }),
    medical: await aMember(t, raaId, 'medical_adviser', { name: 'Dr Med' }),
  };
  const created = await post(adviser, '/panels', {
    name: 'Test panel',
    organisationId: spokeId,
    joint: 'no',
  });
  expect(created.statusCode, pageText(created.body)).toBe(303);
  panelId = idFrom(created.headers.location, '/panels');
});
afterAll(async () => {
  await t?.close();
});

describe('the central list and sittings (issue 7 §1–§2)', () => {
  it('adds a member with their role, dates and linked account, then training and a declared interest', async () => {
    const newcomer = await signedInUser(t, {
      roles: ['panel_member'],
      organisationId: raaId,
      email: 'newcomer@example.test',
    });
    const response = await post(adviser, '/central-list', {
      name: 'Ngozi Newcomer',
      role: 'independent_member',
      organisation: 'Independent',
      email: 'ngozi@example.test',
      livedExperience: 'adopted_adult',
      linkedUserEmail: 'newcomer@example.test',
      ...dateFields('appointedOn', '2026-10-01'),
      ...dateFields('reviewDue', '2027-10-01'),
    });
    expect(response.statusCode, pageText(response.body)).toBe(303);
    const memberId = idFrom(response.headers.location, '/central-list');
    expect(
      (
        await t.database.db
          .selectFrom('panel_members')
          .select('user_id')
          .where('id', '=', memberId)
          .executeTakeFirstOrThrow()
      ).user_id,
    ).toBe(newcomer.userId);
    expect(
      (
        await post(adviser, `/central-list/${memberId}/training`, {
          course: 'Panel induction',
          ...dateFields('completedOn', '2026-10-20'),
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await post(adviser, `/central-list/${memberId}/interests`, {
          description: 'Sits on a fostering panel for another council',
          ...dateFields('declaredOn', '2026-10-20'),
        })
      ).statusCode,
    ).toBe(303);
    const page = pageText((await get(adviser, `/central-list/${memberId}`)).body);
    expect(page).toContain('Independent member');
    expect(page).toContain('Adopted adult');
    expect(page).toContain('Panel induction');
    expect(page).toContain('Sits on a fostering panel for another council');
    expect(page).toContain('Linked to newcomer@example.test');
    const list = pageText((await get(manager, '/central-list')).body);
    expect(list).toContain('Ngozi Newcomer');
    expect(await lastAudit('panels.central-list.view')).toMatchObject({
      outcome: 'success',
      actor_user_id: manager.userId,
    });
  });

  it('refuses a social worker member without a qualification date, beside the field', async () => {
    const response = await post(adviser, '/central-list', {
      name: 'Sol Worker',
      role: 'social_worker',
      ...dateFields('appointedOn', '2026-10-01'),
      ...dateFields('reviewDue', '2027-10-01'),
    });
    expect(response.statusCode).toBe(400);
    expect(pageText(response.body)).toContain('Enter the date a social worker member qualified');
    expect(
      await t.database.db.selectFrom('panel_members').select('id').where('name', '=', 'Sol Worker').execute(),
    ).toEqual([]);
  });

  it('refuses a sitting on a weekend or bank holiday, and shows when papers are due', async () => {
    const saturday = await post(
      administrator,
      `/panels/${panelId}/sittings`,
      dateFields('sittingDate', '2026-11-07'),
    );
    expect(saturday.statusCode).toBe(400);
    expect(pageText(saturday.body)).toContain('Panels sit on working days: that date is a Saturday');
    const christmas = await post(
      administrator,
      `/panels/${panelId}/sittings`,
      dateFields('sittingDate', '2026-12-25'),
    );
    expect(pageText(christmas.body)).toContain('a bank holiday (Christmas Day)');
    // Wednesday 18 November 2026: five working days before is Wednesday 11 November.
    const sittingId = await scheduleSitting('2026-11-18');
    const page = pageText((await get(administrator, `/panel-sittings/${sittingId}`)).body);
    expect(page).toContain(
      'Papers due with members by 11 November 2026 (5 working days before (to be confirmed))',
    );
    expect(page).toContain('Attendance Not recorded yet');
  });

  it('lists only cases that are ready, and puts a case on one open agenda at a time', async () => {
    const ready = await aHousehold(t, raaId, {
      facts: reportSentFacts,
      stage: 'stage_two',
      stageSince: '2026-04-01',
      surname: 'Readyfamily',
    });
    const early = await aHousehold(t, raaId, {
      facts: reportSentFacts.slice(0, 4),
      stage: 'stage_two',
      stageSince: '2026-04-01',
      surname: 'Notyet',
    });
    const sittingId = await scheduleSitting('2026-11-18');
    const page = pageText((await get(administrator, `/panel-sittings/${sittingId}/agenda/new`)).body);
    expect(page).toContain('Readyfamily');
    expect(page).not.toContain('Notyet');
    const notReady = await post(administrator, `/panel-sittings/${sittingId}/agenda`, {
      kind: 'adopter_approval',
      caseId: early.id,
    });
    expect(notReady.statusCode).toBe(409);
    expect(pageText(notReady.body)).toContain(
      "needs to be in Stage Two with its Prospective Adopter's Report sent",
    );
    await addItem(sittingId, 'adopter_approval', ready.id);
    const other = await scheduleSitting('2026-11-25');
    const twice = await post(administrator, `/panel-sittings/${other}/agenda`, {
      kind: 'adopter_approval',
      caseId: ready.id,
    });
    expect(twice.statusCode).toBe(409);
    expect(pageText(twice.body)).toContain('This case is already on the agenda of the sitting on 2026-11-18');
    expect(await lastAudit('panels.agenda.add')).toMatchObject({ outcome: 'failed', subject_id: ready.id });
  });

  it('records papers sent and received per member, and flags those sent after the lead time', async () => {
    const sittingId = await scheduleSitting('2026-11-04');
    await invite(sittingId, [members.chair, members.sw]);
    expect(
      (
        await post(administrator, `/panel-sittings/${sittingId}/papers`, {
          memberId: members.chair,
          step: 'sent',
          ...dateFields('on', '2026-10-27'),
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await post(administrator, `/panel-sittings/${sittingId}/papers`, {
          memberId: members.sw,
          step: 'sent',
          ...dateFields('on', '2026-11-02'),
        })
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await post(administrator, `/panel-sittings/${sittingId}/papers`, {
          memberId: members.chair,
          step: 'received',
          ...dateFields('on', '2026-10-28'),
        })
      ).statusCode,
    ).toBe(303);
    const before = await post(administrator, `/panel-sittings/${sittingId}/papers`, {
      memberId: members.sw,
      step: 'received',
      ...dateFields('on', '2026-10-30'),
    });
    expect(before.statusCode).toBe(400);
    expect(pageText(before.body)).toContain(
      'Sam Social cannot have had the papers before they were sent on 2026-11-02',
    );
    const rows = pageText((await get(administrator, `/panel-sittings/${sittingId}`)).body);
    expect(rows).toMatch(/Chris Chair Independent chair Not yet recorded 27 October 2026 28 October 2026/);
    expect(rows).toMatch(/Sam Social Social worker member Not yet recorded 2 November 2026 Late/);
  });
});

describe('the panels pages for each kind of reader', () => {
  it('shows staff the panels and rules (with what is to be confirmed), a panel its sittings by year, a member their sittings', async () => {
    const staffPage = pageText((await get(manager, '/panels')).body);
    expect(staffPage).toContain('Test panel');
    expect(staffPage).toContain(
      'Quorum: 5 members (to be confirmed) (6 for a joint panel (to be confirmed))',
    );
    expect(staffPage).toContain('Papers reach members 5 working days before the sitting (to be confirmed).');
    const panelPage = pageText((await get(adviser, `/panels/${panelId}?year=2026`)).body);
    expect(panelPage).toContain('Sittings in 2026');
    expect(panelPage).toContain('18 November 2026');
    expect((await get(adviser, `/panels/${panelId}?year=nonsense`)).statusCode).toBe(400);
    const memberPage = pageText((await get(chairUser, '/panels')).body);
    expect(memberPage).toContain('Sittings you are asked to');
    expect(memberPage).not.toContain('Add a panel');
    const sittingId = await t.database.db
      .selectFrom('panel_sittings')
      .select('id')
      .where('panel_id', '=', panelId)
      .where('sitting_date', '=', '2026-11-04')
      .executeTakeFirstOrThrow();
    expect((await get(chairUser, `/panel-sittings/${sittingId.id}`)).statusCode).toBe(200);
    expect((await get(chairUser, '/central-list')).statusCode).toBe(404);
    expect((await get(councilAdm, '/panels')).statusCode).toBe(200);
    expect((await get(councilAdm, `/panel-sittings/${sittingId.id}`)).statusCode).toBe(404);
  });

  it('opens the forms to add and change a member of the central list', async () => {
    expect((await get(adviser, '/central-list/new')).statusCode).toBe(200);
    const page = await get(adviser, `/central-list/${members.sw}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Sam Social"');
    const stale = await post(adviser, `/central-list/${members.sw}`, {
      name: 'Sam Social',
      role: 'social_worker',
      version: '99',
      ...dateFields('socialWorkQualifiedOn', '2012-09-01'),
      ...dateFields('appointedOn', '2025-01-06'),
      ...dateFields('reviewDue', '2027-01-06'),
    });
    expect(stale.statusCode).toBe(409);
    expect(pageText(stale.body)).toContain('Someone else changed this since you opened the page');
  });
});

describe('an approval from agenda to decision (issue 7 §2–§5)', () => {
  let household: Awaited<ReturnType<typeof aHousehold>>;
  let sittingId: string;
  let itemId: string;

  beforeAll(async () => {
    household = await aHousehold(t, raaId, {
      facts: reportSentFacts,
      stage: 'stage_two',
      stageSince: '2026-04-01',
      surname: 'Okonkwo-Smith',
      firstNames: ['Jordan', 'Casey'],
    });
    sittingId = await scheduleSitting();
    itemId = await addItem(sittingId, 'adopter_approval', household.id);
    await invite(sittingId, everyone());
  });

  it('refuses a recommendation before attendance is recorded, and without a quorum: clear message, nothing written, audited', async () => {
    const noAttendance = await minute(itemId, 'in_favour');
    expect(noAttendance.statusCode).toBe(409);
    expect(pageText(noAttendance.body)).toContain('Record the attendance of the sitting first');
    // Four members, no independent member, and only the newly qualified social worker: not quorate.
    const response = await attendance(sittingId, {
      [members.chair]: 'present',
      [members.vice]: 'present',
      [members.sw]: 'apologies',
      [members.sw2]: 'present',
      [members.independent]: 'absent',
      [members.other]: 'present',
      [members.medical]: 'present',
    });
    expect(response.statusCode).toBe(303);
    const refused = await minute(itemId, 'in_favour');
    expect(refused.statusCode).toBe(409);
    const page = pageText(refused.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('The panel is not quorate for this item, so nothing can be recorded');
    expect(page).toContain('4 members are present: the quorum is 5 (advisers do not count)');
    expect(page).toContain('No social worker present has 3 years’ post-qualifying experience');
    expect(page).toContain('No independent member is present');
    expect(await minuteOf(itemId)).toBeUndefined();
    expect(await lastAudit('panels.minute.record')).toMatchObject({
      outcome: 'failed',
      subject_type: 'household',
      subject_id: household.id,
    });
  });

  it('counts a member who withdrew for a conflict of interest out of the quorum for that item', async () => {
    expect((await attendance(sittingId, quorate())).statusCode).toBe(303);
    const conflict = await post(administrator, `/panel-items/${itemId}/conflicts`, {
      memberId: members.independent,
      description: 'Knows the applicants through church',
      withdrew: 'yes',
    });
    expect(conflict.statusCode).toBe(303);
    const refused = await minute(itemId, 'in_favour');
    expect(refused.statusCode).toBe(409);
    expect(pageText(refused.body)).toContain('No independent member is present');
    // Another independent member joins the sitting: quorate again.
    const second = await aMember(t, raaId, 'independent_member', { name: 'Second Independent' });
    await invite(sittingId, [second]);
    expect((await attendance(sittingId, { ...quorate(), [second]: 'present' })).statusCode).toBe(303);
    members = { ...members, ...{ second } } as typeof members;
  });

  it('refuses papers of a forbidden type: clear message, nothing written, audited; takes a PDF', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const refused = await multipartPost(
      t,
      administrator,
      `/panel-items/${itemId}/papers`,
      { title: 'Photo of the house' },
      {
        field: 'paper',
        filename: 'report.pdf',
        type: 'application/pdf',
        content: png,
      },
    );
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused.body)).toContain(
      'The file must be a PDF or a Word document (.docx); other kinds of file are not accepted',
    );
    const oldWord = Buffer.from('d0cf11e0a1b11ae1000000000000000000000000', 'hex');
    const doc = await multipartPost(
      t,
      administrator,
      `/panel-items/${itemId}/papers`,
      { title: 'Old Word file' },
      {
        field: 'paper',
        filename: 'report.doc',
        type: 'application/msword',
        content: oldWord,
      },
    );
    expect(doc.statusCode).toBe(400);
    expect(
      await t.database.db.selectFrom('panel_papers').select('id').where('item_id', '=', itemId).execute(),
    ).toEqual([]);
    expect(await lastAudit('panels.paper.upload')).toMatchObject({
      outcome: 'failed',
      subject_id: household.id,
    });

    const accepted = await multipartPost(
      t,
      administrator,
      `/panel-items/${itemId}/papers`,
      { title: "Prospective Adopter's Report" },
      {
        field: 'paper',
        filename: 'par.pdf',
        type: 'application/pdf',
        content: tinyPdf,
      },
    );
    expect(accepted.statusCode, pageText(accepted.body)).toBe(303);
    const paper = await t.database.db
      .selectFrom('panel_papers')
      .select(['id', 'media_type'])
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(paper.media_type).toBe('application/pdf');
    const download = await get(chairUser, `/panel-items/${itemId}/papers/${paper.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(await lastAudit('panels.paper.download')).toMatchObject({
      outcome: 'success',
      actor_user_id: chairUser.userId,
    });
  });

  it('refuses a file over 10 MB beside the field', async () => {
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 10, 32)]);
    const response = await multipartPost(
      t,
      administrator,
      `/panel-items/${itemId}/papers`,
      { title: 'Huge' },
      {
        field: 'paper',
        filename: 'huge.pdf',
        type: 'application/pdf',
        content: big,
      },
    );
    expect(response.statusCode).toBe(400);
    expect(pageText(response.body)).toContain('The file must be 10 MB or smaller');
  });

  it('minutes the recommendation; the chair signs off from their own account; the household records the panel', async () => {
    const saved = await minute(itemId, 'in_favour');
    expect(saved.statusCode, pageText(saved.body)).toBe(303);
    const page = pageText((await get(chairUser, `/panel-items/${itemId}`)).body);
    expect(page).toContain('Recommends that the applicants are suitable to adopt');
    expect(page).toContain('Draft: not signed off');
    // A panel member who is not the chair cannot sign off.
    const otherMemberUser = await signedInUser(t, { roles: ['panel_member'], organisationId: raaId });
    await t.database.db
      .updateTable('panel_members')
      .set({ user_id: otherMemberUser.userId })
      .where('id', '=', members.vice)
      .execute();
    const notChair = await signOffItem(itemId, otherMemberUser);
    expect(notChair.statusCode).toBe(403);
    expect(pageText(notChair.body)).toContain(
      'Only the chair of this sitting (Chris Chair), or the panel adviser on their behalf, can sign the minute off',
    );
    expect((await minuteOf(itemId))?.signed_off_at).toBeNull();

    const signed = await signOffItem(itemId, chairUser);
    expect(signed.statusCode, pageText(signed.body)).toBe(303);
    const final = await minuteOf(itemId);
    expect(final?.signed_off_on).toBe(today);
    expect(final?.signed_off_for_member_id).toBe(members.chair);
    expect(await householdStage(household.id)).toBe('awaiting_agency_decision');
    const facts = await t.database.db
      .selectFrom('household_facts')
      .select(['kind', 'details'])
      .where('household_id', '=', household.id)
      .where('kind', '=', 'panel')
      .execute();
    expect(facts).toEqual([{ kind: 'panel', details: { panelRecommendation: 'suitable' } }]);
  });

  it('refuses an edit of the signed-off minute without an amendment: clear message, unchanged, audited', async () => {
    const before = await minuteOf(itemId);
    const response = await minute(itemId, 'in_favour', 'Rewritten after the event');
    expect(response.statusCode).toBe(409);
    expect(pageText(response.body)).toContain(
      'The minute is signed off: it can only be changed by a recorded amendment, with the reason for it',
    );
    expect(await minuteOf(itemId)).toEqual(before);
    expect(await lastAudit('panels.minute.record')).toMatchObject({ outcome: 'failed' });
    // The database refuses it too, whoever tries.
    await expect(
      t.database.db
        .updateTable('panel_minutes')
        .set({ reasons: 'Quietly changed' })
        .where('item_id', '=', itemId)
        .execute(),
    ).rejects.toThrow(/changes only by a recorded amendment/);
  });

  it('changes the signed-off minute by a recorded amendment with its reason', async () => {
    const current = await minuteOf(itemId);
    const response = await post(administrator, `/panel-items/${itemId}/amendments`, {
      reasons: 'The panel read the report and heard from the social worker and the applicants.',
      dissent: '',
      conditions: 'Support with contact arrangements.',
      votesFor: '5',
      votesAgainst: '0',
      abstentions: '0',
      amendmentReason: 'The chair noticed the applicants’ attendance was left out.',
      version: String(current?.version),
    });
    expect(response.statusCode, pageText(response.body)).toBe(303);
    const amended = await minuteOf(itemId);
    expect(amended?.reasons).toContain('and the applicants');
    expect(amended?.amendment_count).toBe(1);
    const rows = await t.database.db
      .selectFrom('panel_minute_amendments')
      .selectAll()
      .where('item_id', '=', itemId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!.changes).sort()).toEqual(['conditions', 'reasons']);
    const page = pageText((await get(adviser, `/panel-items/${itemId}`)).body);
    expect(page).toContain('The chair noticed the applicants’ attendance was left out.');
  });

  it('refuses a decision by someone without the role: 403, nothing written, audited', async () => {
    const response = await post(adviser, `/panel-items/${itemId}/decision`, {
      outcome: 'approved',
      decisionReasons: 'Fine by me',
    });
    expect(response.statusCode).toBe(403);
    expect(await decisionsOf(itemId)).toEqual([]);
    expect(await lastAudit('access.route')).toMatchObject({
      outcome: 'denied',
      actor_user_id: adviser.userId,
      reason: 'missing permission decisions:make',
    });
  });

  it("keeps another council's decision maker out of the RAA's adopters (not found, audited)", async () => {
    const response = await post(councilAdm, `/panel-items/${itemId}/decision`, {
      outcome: 'approved',
      decisionReasons: 'x',
    });
    expect(response.statusCode).toBe(404);
    expect(await decisionsOf(itemId)).toEqual([]);
    expect(await lastAudit('panels.decision.make')).toMatchObject({
      outcome: 'denied',
      subject_type: 'panel_item',
    });
  });

  it("shows the decision maker the clock; the RAA's decision maker approves; the household joins the pool; the letter goes to the applicants", async () => {
    const list = pageText((await get(adm, '/decisions')).body);
    expect(list).toContain(`Household ${household.reference}`);
    expect(list).toMatch(/11 November 2026 7 working days left/);
    const response = await post(adm, `/panel-items/${itemId}/decision`, {
      outcome: 'approved',
      decisionReasons: 'A thorough assessment; the panel’s reasons are sound.',
    });
    expect(response.statusCode, pageText(response.body)).toBe(303);
    const [decision] = await decisionsOf(itemId);
    expect(decision).toMatchObject({
      outcome: 'approved',
      decided_on: today,
      due_on: '2026-11-11',
      agrees_with_recommendation: true,
    });
    expect(await householdStage(household.id)).toBe('approved');
    const letter = await t.database.db
      .selectFrom('panel_letters')
      .selectAll()
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(letter.template).toBe('adopter_approval.approved');
    const download = await get(adm, `/panel-letters/${letter.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(download.rawPayload);
    expect(text).toContain('Jordan Okonkwo-Smith');
    expect(text).toContain('Casey Okonkwo-Smith');
    expect(text).toContain('Dear Jordan Okonkwo-Smith and Casey Okonkwo-Smith');
    expect(text).toContain('I have decided on 2 November 2026 that you are suitable to adopt a child');
    expect(text).toContain('Dana Decider');
    expect(await lastAudit('panels.letter.download')).toMatchObject({
      outcome: 'success',
      subject_id: household.id,
    });
    expect(await lastAudit('panels.decision.make')).toMatchObject({
      outcome: 'success',
      subject_id: household.id,
    });
  });

  it('refuses a second decision on the same item: clear message, one decision, audited', async () => {
    const response = await post(adm, `/panel-items/${itemId}/decision`, {
      outcome: 'qualifying_determination',
      decisionReasons: 'Changed my mind',
    });
    expect(response.statusCode).toBe(409);
    expect(pageText(response.body)).toContain(
      'A decision on this item was already made on 2026-11-02 by Dana Decider: there is one decision per item',
    );
    expect(await decisionsOf(itemId)).toHaveLength(1);
    expect(await householdStage(household.id)).toBe('approved');
    expect(await lastAudit('panels.decision.make')).toMatchObject({ outcome: 'failed' });
  });
});

describe('a match: the child’s council decides (issue 7 §4–§5)', () => {
  let childId: string;
  let household: Awaited<ReturnType<typeof aHousehold>>;
  let itemId: string;

  beforeAll(async () => {
    childId = await aChild(t, {
      councilId,
      firstName: 'Mia',
      lastName: 'Birthsurname',
      facts: [
        ['entered_care', '2025-01-10'],
        ['should_be_placed_decision', '2025-06-03'],
        ['placement_order', '2025-09-02'],
        ['linked', '2026-09-01'],
      ],
    });
    await t.database.db
      .insertInto('child_birth_families')
      .values({
        child_id: childId,
        birth_mother_name: 'Bernadette Birthmother',
        birth_family_postcode_district: 'SE4',
      })
      .execute();
    household = await aHousehold(t, raaId, {
      facts: approvedFacts,
      stage: 'approved',
      stageSince: '2026-10-05',
      surname: 'Matchfamily',
    });
    const link = await t.database.db
      .insertInto('match_links')
      .values({ child_id: childId, household_id: household.id, state: 'ready_for_panel' })
      .returning('id')
      .executeTakeFirstOrThrow();
    itemId = await quorateSittingWith('match', link.id);
    expect((await minute(itemId, 'in_favour')).statusCode).toBe(303);
    expect((await signOffItem(itemId)).statusCode).toBe(303);
  });

  it('records the matching panel on the child’s journey at sign-off', async () => {
    const facts = await t.database.db
      .selectFrom('child_journey_facts')
      .select('kind')
      .where('child_id', '=', childId)
      .execute();
    expect(facts.map((f) => f.kind)).toContain('matching_panel');
  });

  it("refuses the RAA's decision maker (wrong organisation) with a sentence naming who decides: nothing written, audited", async () => {
    const response = await post(adm, `/panel-items/${itemId}/decision`, {
      outcome: 'match_agreed',
      decisionReasons: 'Good match',
    });
    expect(response.statusCode).toBe(403);
    expect(pageText(response.body)).toContain(
      'The match is decided by the agency decision maker of Borough of Testham, the child’s council: this decision is not for your organisation',
    );
    expect(await decisionsOf(itemId)).toEqual([]);
    expect(await childStage(childId)).toBe('linked');
    expect(await lastAudit('panels.decision.make')).toMatchObject({
      outcome: 'denied',
      subject_type: 'child',
      subject_id: childId,
    });
  });

  it("keeps another council's decision maker out (not found)", async () => {
    expect((await get(otherCouncilAdm, `/panel-items/${itemId}`)).statusCode).toBe(404);
    expect(
      (
        await post(otherCouncilAdm, `/panel-items/${itemId}/decision`, {
          outcome: 'match_agreed',
          decisionReasons: 'x',
        })
      ).statusCode,
    ).toBe(404);
    expect(await decisionsOf(itemId)).toEqual([]);
  });

  it('the child’s council agrees the match: child and household matched, placement planning opened, letter without birth family details', async () => {
    const list = pageText((await get(councilAdm, '/decisions')).body);
    expect(list).toContain('Mia Birthsurname with household');
    const response = await post(councilAdm, `/panel-items/${itemId}/decision`, {
      outcome: 'match_agreed',
      decisionReasons: 'The family can meet Mia’s needs.',
    });
    expect(response.statusCode, pageText(response.body)).toBe(303);
    expect(await childStage(childId)).toBe('matched');
    expect(await householdStage(household.id)).toBe('matched');
    // The link from the linking workflow is settled by the decision (issue 6 §3, issue 7 §5).
    const settled = await t.database.db
      .selectFrom('match_links')
      .select(['id', 'state'])
      .where('child_id', '=', childId)
      .executeTakeFirstOrThrow();
    expect(settled.state).toBe('matched');
    const history = await t.database.db
      .selectFrom('match_link_events')
      .select(['from_state', 'to_state'])
      .where('link_id', '=', settled.id)
      .execute();
    expect(history).toContainEqual({ from_state: 'ready_for_panel', to_state: 'matched' });
    const tasks = await t.database.db
      .selectFrom('tasks')
      .select(['kind', 'owner_organisation_id', 'status', 'due_date'])
      .where('child_id', '=', childId)
      .where('kind', 'like', 'plan_placement%')
      .orderBy('kind')
      .execute();
    expect(tasks).toEqual([
      {
        kind: 'plan_placement_council',
        owner_organisation_id: councilId,
        status: 'open',
        due_date: '2026-11-16',
      },
      { kind: 'plan_placement_raa', owner_organisation_id: spokeId, status: 'open', due_date: '2026-11-16' },
    ]);
    const letter = await t.database.db
      .selectFrom('panel_letters')
      .select(['id', 'content'])
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    const text = await pdfText(letter.content);
    expect(text).toContain('Robin Matchfamily');
    expect(text).toContain('Mia');
    expect(text).toContain('I have decided on 2 November 2026 to agree the match');
    expect(text).toContain('Borough of Testham');
    expect(text).not.toContain('Birthsurname');
    expect(text).not.toContain('Bernadette');
    expect(text).not.toContain('SE4');
  });
});

describe('a relinquished child’s plan (issue 7 §2, §4)', () => {
  it('goes to panel, then the child’s council decides the child should be placed; the letter names no birth family', async () => {
    const childId = await aChild(t, {
      councilId,
      firstName: 'Noah',
      lastName: 'Relinquishedsurname',
      dateOfBirth: '2026-09-01',
      facts: [['entered_care', '2026-09-05']],
    });
    await t.database.db
      .updateTable('children')
      .set({ legal_status: 'V2', council_social_worker_name: 'Sasha Socialworker' })
      .where('id', '=', childId)
      .execute();
    const sittingId = await scheduleSitting();
    const ready = pageText((await get(administrator, `/panel-sittings/${sittingId}/agenda/new`)).body);
    expect(ready).toContain('Noah Relinquishedsurname (Borough of Testham)');
    const itemId = await addItem(sittingId, 'relinquished_plan', childId);
    await invite(sittingId, everyone());
    expect((await attendance(sittingId, quorate())).statusCode).toBe(303);
    expect((await minute(itemId, 'in_favour')).statusCode).toBe(303);
    expect((await signOffItem(itemId)).statusCode).toBe(303);
    const decided = await post(councilAdm, `/panel-items/${itemId}/decision`, {
      outcome: 'should_be_placed',
      decisionReasons: 'His parents’ consent is informed and adoption meets his needs.',
    });
    expect(decided.statusCode, pageText(decided.body)).toBe(303);
    expect(await childStage(childId)).toBe('awaiting_placement_order');
    const letter = await t.database.db
      .selectFrom('panel_letters')
      .select('content')
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    const text = await pdfText(letter.content);
    expect(text).toContain('Dear Sasha Socialworker');
    expect(text).toContain('that Noah should be placed for adoption');
    expect(text).not.toContain('Relinquishedsurname');
  });
});

describe('a qualifying determination and the applicants’ route (issue 7 §4)', () => {
  it('proposes not to approve, gives 40 working days, records the IRM route and the final decision', async () => {
    const household = await aHousehold(t, raaId, {
      facts: reportSentFacts,
      stage: 'stage_two',
      stageSince: '2026-04-01',
      surname: 'Declined',
    });
    const itemId = await quorateSittingWith('adopter_approval', household.id);
    expect((await minute(itemId, 'not_in_favour', 'Concerns about the support network.')).statusCode).toBe(
      303,
    );
    expect((await signOffItem(itemId)).statusCode).toBe(303);
    const decided = await post(adm, `/panel-items/${itemId}/decision`, {
      outcome: 'qualifying_determination',
      decisionReasons: 'The support network is not yet in place.',
    });
    expect(decided.statusCode, pageText(decided.body)).toBe(303);
    expect(await householdStage(household.id)).toBe('qualifying_determination');
    const due = qualifyingDeterminationRepresentationsDue(today);
    const determination = await t.database.db
      .selectFrom('panel_determinations')
      .innerJoin('panel_decisions', 'panel_decisions.id', 'panel_determinations.decision_id')
      .select(['representations_due', 'route'])
      .where('panel_decisions.item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    expect(determination).toEqual({ representations_due: due, route: null });
    const letter = await t.database.db
      .selectFrom('panel_letters')
      .select('content')
      .where('item_id', '=', itemId)
      .executeTakeFirstOrThrow();
    const text = await pdfText(letter.content);
    expect(text).toContain('qualifying determination');
    expect(text).toContain('Independent Review Mechanism');
    expect(text).toContain(`by ${longDate(due)}`);

    const route = await post(administrator, `/panel-items/${itemId}/determination-route`, {
      route: 'independent_review_mechanism',
      ...dateFields('requestedOn', today),
    });
    expect(route.statusCode, pageText(route.body)).toBe(303);
    const again = await post(administrator, `/panel-items/${itemId}/determination-route`, {
      route: 'representations_to_agency',
      ...dateFields('requestedOn', today),
    });
    expect(again.statusCode).toBe(409);
    expect(pageText(again.body)).toContain('they can make representations or apply to the IRM, not both');
    // Later the same day: the journey orders same-day facts by when they were recorded.
    t.clock.advance(60 * 1000);
    const final = await post(adm, `/panel-items/${itemId}/final-decision`, {
      finalOutcome: 'not_approved',
      finalReasons: 'The IRM panel agreed.',
    });
    expect(final.statusCode, pageText(final.body)).toBe(303);
    expect(await householdStage(household.id)).toBe('not_approved');
    const letters = await t.database.db
      .selectFrom('panel_letters')
      .select(['template', 'content'])
      .where('item_id', '=', itemId)
      .orderBy('created_at')
      .execute();
    expect(letters.map((l) => l.template)).toEqual([
      'adopter_approval.qualifying_determination',
      'final.not_approved',
    ]);
    expect(await pdfText(letters[1]!.content)).toContain(
      'the recommendation of the Independent Review Mechanism',
    );
  });
});

describe('a decision the journey refuses writes nothing (issue 7, bad input)', () => {
  it('rolls back the decision, its letter and the household step together, and audits the refusal', async () => {
    const household = await aHousehold(t, raaId, {
      facts: reportSentFacts,
      stage: 'stage_two',
      stageSince: '2026-04-01',
      surname: 'Withdrawnfamily',
    });
    const itemId = await quorateSittingWith('adopter_approval', household.id);
    expect((await minute(itemId, 'in_favour')).statusCode).toBe(303);
    expect((await signOffItem(itemId)).statusCode).toBe(303);
    // The applicants' withdrawal (dated before the decision) is recorded after the panel.
    await t.database.db
      .insertInto('household_facts')
      .values({
        household_id: household.id,
        kind: 'withdrawn',
        effective_date: '2026-10-30',
        source: 'Test',
        details: JSON.stringify({ withdrawalReason: 'not_right_now' }),
      })
      .execute();
    const factsBefore = await t.database.db
      .selectFrom('household_facts')
      .select('id')
      .where('household_id', '=', household.id)
      .execute();
    const response = await post(adm, `/panel-items/${itemId}/decision`, {
      outcome: 'approved',
      decisionReasons: 'Approve',
    });
    expect(response.statusCode).toBe(409);
    expect(pageText(response.body)).toContain('The household’s record cannot take this:');
    expect(await decisionsOf(itemId)).toEqual([]);
    expect(
      await t.database.db.selectFrom('panel_letters').select('id').where('item_id', '=', itemId).execute(),
    ).toEqual([]);
    expect(
      await t.database.db
        .selectFrom('household_facts')
        .select('id')
        .where('household_id', '=', household.id)
        .execute(),
    ).toHaveLength(factsBefore.length);
    expect(await lastAudit('panels.decision.make')).toMatchObject({
      outcome: 'failed',
      subject_id: household.id,
    });
  });
});

describe('overdue decisions and the quality report (issue 7 §4, §6)', () => {
  it('escalates a decision overdue after the final minutes by email, naming no one, and shows it on the item', async () => {
    const household = await aHousehold(t, raaId, {
      facts: reportSentFacts,
      stage: 'stage_two',
      stageSince: '2026-04-01',
      surname: 'Waitingfamily',
    });
    const itemId = await quorateSittingWith('adopter_approval', household.id);
    expect((await minute(itemId, 'in_favour')).statusCode).toBe(303);
    expect((await signOffItem(itemId)).statusCode).toBe(303);
    t.clock.set('2026-11-12T08:00:00Z');
    t.sentMail.length = 0;
    try {
      await t.app.jobs.send('panels.escalate-overdue-decisions', {});
      expect(await t.app.jobs.runDue('panels.escalate-overdue-decisions')).toEqual({
        completed: 1,
        failed: 0,
      });
      const escalations = await t.database.db
        .selectFrom('panel_decision_escalations')
        .selectAll()
        .where('item_id', '=', itemId)
        .execute();
      expect(escalations).toHaveLength(1);
      const toAdm = t.sentMail.filter((m) => m.to === adm.email && m.text.includes(itemId));
      expect(toAdm).toHaveLength(1);
      expect(toAdm[0]!.subject).toBe('Kindred: an agency decision is overdue');
      expect(toAdm[0]!.text).toContain('overdue by 1 working day');
      expect(toAdm[0]!.text).not.toContain('Waitingfamily');
      expect(t.sentMail.some((m) => m.to === adviser.email)).toBe(true);
      // A session of the day (the earlier ones have timed out).
      const later = await signedInUser(t, { roles: ['agency_decision_maker'], organisationId: raaId });
      const page = pageText((await get(later, `/panel-items/${itemId}`)).body);
      expect(page).toContain('Overdue by 1 working day');
      expect(page).toContain('Raised as overdue');
    } finally {
      t.clock.set('2026-11-02T10:00:00Z');
    }
  });

  it('gives the board the six-monthly report as a page and a CSV, aggregates only', async () => {
    await t.database.db
      .insertInto('panels')
      .values({ raa_id: raaId, organisation_id: raaId, name: '=HYPERLINK("http://evil.test")' })
      .execute();
    const evil = await t.database.db
      .selectFrom('panels')
      .select('id')
      .where('name', 'like', '=HYPERLINK%')
      .executeTakeFirstOrThrow();
    await t.database.db
      .insertInto('panel_sittings')
      .values({ panel_id: evil.id, sitting_date: '2026-10-20' })
      .execute();
    const page = await get(board, '/panels/quality?period=2026-10-01');
    expect(page.statusCode).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain('Panels’ quality report: 1 October 2026 to 31 March 2027');
    expect(text).not.toContain('Okonkwo-Smith');
    const csv = await get(board, '/panels/quality.csv?period=2026-10-01');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('Section,Measure,Value,Unit');
    expect(csv.body).toContain('Recommendations and decisions,Decisions made on items heard,');
    expect(csv.body).toContain('Timeliness of papers,Member packs sent late,');
    expect(csv.body).toContain('Quality issues raised by the panels,Quality of the report,0,');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil.test""): sittings",1,`);
    expect(csv.body).not.toContain('Okonkwo-Smith');
    const pdf = await get(board, '/panels/quality.pdf?period=2026-10-01');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(pdf.rawPayload)).toContain('Recommendations and decisions');
    expect((await get(board, '/panels')).statusCode).toBe(403);
    expect((await get(board, '/panels/quality?period=2027-04-01')).statusCode).toBe(400);
  });
});
