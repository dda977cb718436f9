// Issue 8 §4 over real HTTP: setting up a letterbox agreement; logging an item for one of its
// months; the worker's check (identifying details removed, the text scanned as it is saved);
// forwarding, holding, and releasing a held item only after another worker has checked it again;
// items refused for an agreement that has ended; stale actions; the months due and missed; the
// daily reminders to workers (references only) and writers; need-to-know contact details.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, requestsTo } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import {
  aFamily,
  aSupportCase,
  aSupportChild,
  anAgreement,
  anExchange,
  type FamilyDetails,
} from '../support/support.js';

let t: TestApp;
let raaId: string;
let worker: SignedInUser;
let colleague: SignedInUser;
let head: SignedInUser;
let finder: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Letterbox South (test)' });
  worker = await signedInUser(t, { roles: ['support_worker'], organisationId: raaId, name: 'Sam Support' });
  colleague = await signedInUser(t, {
    roles: ['support_worker'],
    organisationId: raaId,
    name: 'Chris Colleague',
  });
  head = await signedInUser(t, { roles: ['head_of_service'], organisationId: raaId });
  finder = await signedInUser(t, { roles: ['family_finder'], organisationId: raaId });
});
afterAll(async () => {
  await t?.close();
});

const { get, post } = requestsTo(() => t);
const text = pageText;
const version = async (id: string) =>
  String(
    (
      await t.database.db
        .selectFrom('letterbox_exchanges')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).version,
  );
const statusOf = async (id: string) =>
  (
    await t.database.db
      .selectFrom('letterbox_exchanges')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).status;

async function aFamilyAgreement(
  options: Parameters<typeof anAgreement>[2] extends infer O ? Partial<O> : never = {},
) {
  const family = aFamily();
  const caseId = await aSupportCase(t, raaId, { family, workerId: worker.userId });
  const childId = await aSupportChild(t, caseId, { lastName: family.surnames[0] });
  const agreement = await anAgreement(t, caseId, { raaId, childId, ...options });
  return { family, caseId, childId, ...agreement };
}

describe('setting up an agreement (issue 8 §4)', () => {
  it('records who writes, who receives and in which months, with the first month due', async () => {
    const family = aFamily();
    const caseId = await aSupportCase(t, raaId, { family });
    const childId = await aSupportChild(t, caseId);
    const bad = await post(worker, `/support/cases/${caseId}/letterbox`, {
      familyName: 'Mum and Dad',
      'startsOn-day': '1',
      'startsOn-month': '1',
      'startsOn-year': '2026',
    });
    expect(bad.statusCode).toBe(400);
    const problems = text(bad.body);
    expect(problems).toContain('Choose the month or months the letters are exchanged');
    expect(problems).toContain('Name at least one birth relative in the agreement');
    const response = await post(worker, `/support/cases/${caseId}/letterbox`, {
      supportChildId: childId,
      months: ['3', '9'],
      'startsOn-day': '1',
      'startsOn-month': '1',
      'startsOn-year': '2026',
      familyName: 'Mum and Dad',
      familyWrites: 'yes',
      familyReceives: 'yes',
      'relative1-name': 'Jo Thornbury',
      'relative1-relationship': 'Birth mother',
      'relative1-writes': 'yes',
      'relative1-receives': 'yes',
      'relative1-addressLine1': '4 Example Street',
      'relative1-town': 'Lewisham',
      'relative1-postcode': 'se13 0zz',
    });
    expect(response.statusCode).toBe(303);
    const agreementId = /\/support\/letterbox\/([0-9a-f-]{36})/.exec(String(response.headers.location))![1]!;
    const parties = await t.database.db
      .selectFrom('letterbox_parties')
      .selectAll()
      .where('agreement_id', '=', agreementId)
      .orderBy('side')
      .execute();
    expect(parties.map((p) => [p.side, p.name, p.writes, p.receives, p.next_due_on, p.postcode])).toEqual([
      ['adoptive_family', 'Mum and Dad', true, true, '2026-03-01', null],
      ['birth_relative', 'Jo Thornbury', true, true, '2026-03-01', 'SE13 0ZZ'],
    ]);
    const page = text((await get(worker, String(response.headers.location))).body);
    expect(page).toContain('Letters are exchanged in March and September');
    expect(page).toContain('4 Example Street');
  });

  it("shows a birth relative's contact details only to those with need to know", async () => {
    const { agreementId } = await aFamilyAgreement();
    const asHead = text((await get(head, `/support/letterbox/${agreementId}`)).body);
    expect(asHead).toContain('Need-to-know: support workers only');
    expect(asHead).not.toContain('4 Example Street');
    expect((await get(finder, `/support/letterbox/${agreementId}`)).statusCode).toBe(403);
  });
});

describe('an item, from arrival to forwarding (issue 8 §4)', () => {
  let s: Awaited<ReturnType<typeof aFamilyAgreement>>;
  let family: FamilyDetails;
  let itemId: string;
  beforeAll(async () => {
    s = await aFamilyAgreement();
    family = s.family;
  });

  it('logs an item for one of the agreement’s months and moves the next month on', async () => {
    const wrongMonth = await post(worker, `/support/letterbox/${s.agreementId}/items`, {
      fromPartyId: s.familyPartyId,
      forPeriod: '2026-04-01',
      'receivedOn-day': '10',
      'receivedOn-month': '9',
      'receivedOn-year': '2026',
      originalText: 'Dear Jo',
    });
    expect(wrongMonth.statusCode).toBe(400);
    expect(text(wrongMonth.body)).toContain('Choose one of the agreement’s months for the item');
    const response = await post(worker, `/support/letterbox/${s.agreementId}/items`, {
      fromPartyId: s.familyPartyId,
      forPeriod: '2023-03-01',
      'receivedOn-day': '10',
      'receivedOn-month': '3',
      'receivedOn-year': '2023',
      originalText: `Dear Jo,\nMaya started at ${family.school} and we moved to ${family.town}.\nLove from the ${family.surnames[0]} family`,
    });
    expect(response.statusCode).toBe(303);
    itemId = /letterbox-items\/([0-9a-f-]{36})/.exec(String(response.headers.location))![1]!;
    const party = await t.database.db
      .selectFrom('letterbox_parties')
      .select('next_due_on')
      .where('id', '=', s.familyPartyId)
      .executeTakeFirstOrThrow();
    expect(party.next_due_on).toBe('2023-09-01');
    expect(await statusOf(itemId)).toBe('received');
  });

  it('refuses to forward an item nobody has checked', async () => {
    const response = await post(worker, `/support/letterbox-items/${itemId}/forward`, {
      version: await version(itemId),
    });
    expect(response.statusCode).toBe(409);
    expect(text(response.body)).toContain(
      'Check the item and record what you removed before it is forwarded',
    );
  });

  it('refuses a check whose text still holds the family’s details, naming what is left', async () => {
    const response = await post(worker, `/support/letterbox-items/${itemId}/check`, {
      version: await version(itemId),
      redactedText: `Dear Jo,\nMaya started at a new school and we moved to ${family.town}.`,
      redactionNote: 'Removed the school and the surname',
    });
    expect(response.statusCode).toBe(400);
    expect(text(response.body)).toContain(
      'The checked text still contains the adoptive family’s town: remove it before you record the check',
    );
    expect(await statusOf(itemId)).toBe('received');
  });

  it('records the check, forwards the letter, and the letter holds the checked text only', async () => {
    const checked = await post(worker, `/support/letterbox-items/${itemId}/check`, {
      version: await version(itemId),
      redactedText: 'Dear Jo,\nMaya started at a new school and loves it.\nLove from Mum and Dad',
      redactionNote: 'Removed the school, the town and the surname',
    });
    expect(checked.statusCode).toBe(303);
    const forwarded = await post(worker, `/support/letterbox-items/${itemId}/forward`, {
      version: await version(itemId),
    });
    expect(forwarded.statusCode).toBe(303);
    expect(await statusOf(itemId)).toBe('forwarded');
    const [output] = await t.database.db
      .selectFrom('letterbox_outputs')
      .selectAll()
      .where('exchange_id', '=', itemId)
      .execute();
    expect(output).toMatchObject({ audience: 'birth_relative', kind: 'forwarded-letter', channel: 'letter' });
    expect(output!.body).toContain('Maya started at a new school and loves it.');
    expect(output!.body).not.toContain(family.surnames[0]);
    const page = text((await get(worker, String(forwarded.headers.location))).body);
    expect(page).toContain('Item forwarded');
    expect(page).toContain('Covering letter with the family’s letter');
    const actions = (
      await t.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('subject_id', '=', s.caseId)
        .orderBy('seq')
        .execute()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'support.letterbox.item.receive',
        'support.letterbox.item.check',
        'support.letterbox.item.forward',
        'support.letterbox.item.view',
      ]),
    );
  });

  it('refuses an action on an out-of-date page', async () => {
    const id = await anExchange(t, s.agreementId, s.relativePartyId);
    const response = await post(worker, `/support/letterbox-items/${id}/hold`, {
      version: '7',
      reason: 'Wait for the review',
    });
    expect(response.statusCode).toBe(409);
    expect(text(response.body)).toContain('Someone else changed this record');
    expect(await statusOf(id)).toBe('received');
  });
});

describe('holding and releasing (issue 8 §4)', () => {
  it('refuses to release a held item without a fresh check by another worker, then releases it', async () => {
    const s = await aFamilyAgreement();
    const id = await anExchange(t, s.agreementId, s.relativePartyId, {
      text: 'Dear Maya, I am sorry for everything.',
    });
    expect(
      (await post(worker, `/support/letterbox-items/${id}/hold`, { version: await version(id), reason: '' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await post(worker, `/support/letterbox-items/${id}/hold`, {
          version: await version(id),
          reason: 'Discuss with the family first',
        })
      ).statusCode,
    ).toBe(303);

    const release = await post(worker, `/support/letterbox-items/${id}/forward`, {
      version: await version(id),
    });
    expect(release.statusCode).toBe(409);
    expect(text(release.body)).toContain(
      'This item is held, so it cannot be released yet: a worker other than the one who held it must check it again first',
    );
    expect(await statusOf(id)).toBe('held');
    const refusal = await t.database.db
      .selectFrom('audit_events')
      .select(['outcome'])
      .where('subject_id', '=', s.caseId)
      .where('action', '=', 'support.letterbox.item.forward')
      .executeTakeFirstOrThrow();
    expect(refusal.outcome).toBe('failed');

    const sameWorker = await post(worker, `/support/letterbox-items/${id}/check`, {
      version: await version(id),
      redactedText: 'Dear Maya, I think of you.',
      redactionNote: 'Nothing identifying',
    });
    expect(sameWorker.statusCode).toBe(400);
    expect(text(sameWorker.body)).toContain(
      'You held this item, so another worker must check it again before it can be released',
    );

    const check = await post(colleague, `/support/letterbox-items/${id}/check`, {
      version: await version(id),
      redactedText: 'Dear Maya, I think of you every day.',
      redactionNote: 'Discussed with the family; nothing identifying',
    });
    expect(check.statusCode).toBe(303);
    expect(
      (await post(worker, `/support/letterbox-items/${id}/forward`, { version: await version(id) }))
        .statusCode,
    ).toBe(303);
    const events = await t.database.db
      .selectFrom('letterbox_exchange_events')
      .select(['action', 'note'])
      .where('exchange_id', '=', id)
      .orderBy('recorded_at')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['held', 'checked', 'forwarded']);
    expect(events[1]!.note).toMatch(/^Checked again for release/);
    const [output] = await t.database.db
      .selectFrom('letterbox_outputs')
      .selectAll()
      .where('exchange_id', '=', id)
      .execute();
    expect(output).toMatchObject({ audience: 'adoptive_family', kind: 'family-forwarded-letter' });
    expect(output!.body).not.toContain('4 Example Street');
  });

  it("refuses a check that would pass the birth relative's address to the family", async () => {
    const s = await aFamilyAgreement();
    const id = await anExchange(t, s.agreementId, s.relativePartyId);
    const response = await post(worker, `/support/letterbox-items/${id}/check`, {
      version: await version(id),
      redactedText: 'Write to me at 4 Example Street, SE13 0ZZ',
      redactionNote: 'Nothing',
    });
    expect(response.statusCode).toBe(400);
    expect(text(response.body)).toContain('The checked text still contains the birth relative’s address');
  });
});

describe('an agreement that has ended (issue 8, bad input)', () => {
  it('refuses new items with a clear message, writes nothing, and audits the refusal', async () => {
    const s = await aFamilyAgreement({ status: 'ended' });
    const before = await t.database.db
      .selectFrom('letterbox_exchanges')
      .select('id')
      .where('agreement_id', '=', s.agreementId)
      .execute();
    const response = await post(worker, `/support/letterbox/${s.agreementId}/items`, {
      fromPartyId: s.relativePartyId,
      forPeriod: '2026-03-01',
      'receivedOn-day': '1',
      'receivedOn-month': '10',
      'receivedOn-year': '2026',
      originalText: 'A late letter',
    });
    expect(response.statusCode).toBe(409);
    expect(text(response.body)).toContain(
      'This agreement ended on 30 June 2026, so no new items can be logged for it. Nothing was saved',
    );
    const after = await t.database.db
      .selectFrom('letterbox_exchanges')
      .select('id')
      .where('agreement_id', '=', s.agreementId)
      .execute();
    expect(after).toEqual(before);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('outcome')
      .where('subject_id', '=', s.caseId)
      .where('action', '=', 'support.letterbox.item.receive')
      .executeTakeFirstOrThrow();
    expect(audit.outcome).toBe('failed');
  });

  it('ends an agreement with a reason, under its version', async () => {
    const s = await aFamilyAgreement();
    const fields = {
      version: '1',
      reason: 'Maya asked to stop',
      'endedOn-day': '1',
      'endedOn-month': '11',
      'endedOn-year': '2026',
    };
    expect((await post(worker, `/support/letterbox/${s.agreementId}/end`, fields)).statusCode).toBe(303);
    const again = await post(worker, `/support/letterbox/${s.agreementId}/end`, fields);
    expect(again.statusCode).toBe(409);
    const row = await t.database.db
      .selectFrom('letterbox_agreements')
      .select(['status', 'ended_on'])
      .where('id', '=', s.agreementId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'ended', ended_on: '2026-11-01' });
  });
});

describe('months due and missed, and the daily reminders (issue 8 §4)', () => {
  it('shows the worker what is due or missed on their cases', async () => {
    const s = await aFamilyAgreement({ months: [5, 11], nextDueOn: '2026-11-01' });
    const page = text((await get(worker, '/support?worker=mine')).body);
    expect(page).toContain('My letterbox work');
    const reference = (
      await t.database.db
        .selectFrom('letterbox_agreements')
        .select('reference')
        .where('id', '=', s.agreementId)
        .executeTakeFirstOrThrow()
    ).reference;
    expect(page).toContain(reference);
    expect(page).toContain('November 2026 Due');
  });

  it('reminds the worker by email without names, and the writers by letter; a second run repeats nothing', async () => {
    const s = await aFamilyAgreement({ months: [5, 11], nextDueOn: '2026-11-01' });
    const mailBefore = t.sentMail.length;
    await t.app.jobs.send('support.letterbox-reminders', {});
    expect(await t.app.jobs.runDue('support.letterbox-reminders')).toEqual({ completed: 1, failed: 0 });
    const mail = t.sentMail.slice(mailBefore).filter((m) => m.to === worker.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toBe('Kindred: letterbox exchanges due or missed');
    expect(mail[0]!.text).toContain('is due in November 2026');
    expect(mail[0]!.text).toContain('was due in May 2026 and has not arrived');
    expect(mail[0]!.text).not.toContain(s.family.surnames[0]);
    expect(mail[0]!.text).not.toContain('Jo Thornbury');
    const outputs = await t.database.db
      .selectFrom('letterbox_outputs')
      .select(['kind', 'audience'])
      .where('agreement_id', '=', s.agreementId)
      .execute();
    expect(outputs.map((o) => o.kind).sort()).toEqual(['family-reminder-letter', 'reminder-letter']);
    const reminders = await t.database.db
      .selectFrom('letterbox_reminders')
      .select(['kind', 'period'])
      .where('agreement_id', '=', s.agreementId)
      .execute();
    expect(reminders.map((r) => `${r.kind} ${r.period}`).sort()).toEqual([
      'due 2026-11-01',
      'due 2026-11-01',
      'missed 2026-05-01',
      'missed 2026-05-01',
    ]);
    const sent = t.sentMail.length;
    await t.app.jobs.send('support.letterbox-reminders', {});
    await t.app.jobs.runDue('support.letterbox-reminders');
    expect(t.sentMail.length).toBe(sent);
    expect(
      await t.database.db
        .selectFrom('letterbox_outputs')
        .select('id')
        .where('agreement_id', '=', s.agreementId)
        .execute(),
    ).toHaveLength(2);
  });
});
