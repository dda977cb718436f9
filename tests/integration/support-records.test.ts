// Issue 8 §5 over real HTTP: birth records counselling, access to records and intermediary
// requests — requests, checks, outcomes, dates. People adopted before 12 November 1975 must see a
// counsellor before any information is given (ACA 2002 Sch 2); a disclosure needs the identity
// checked and a second worker's approval (security.md DP-7); an intermediary passes on contact
// only with consent. Need-to-know: only 'support:restricted' reaches these pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, requestsTo } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aSupportCase } from '../support/support.js';

let t: TestApp;
let raaId: string;
let worker: SignedInUser;
let manager: SignedInUser;
let head: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Records South (test)' });
  worker = await signedInUser(t, { roles: ['support_worker'], organisationId: raaId });
  manager = await signedInUser(t, { roles: ['team_manager'], organisationId: raaId });
  head = await signedInUser(t, { roles: ['head_of_service'], organisationId: raaId });
});
afterAll(async () => {
  await t?.close();
});

const { get, post } = requestsTo(() => t);
const text = pageText;
const on = (prefix: string, day: string) => ({
  [`${prefix}-day`]: day,
  [`${prefix}-month`]: '10',
  [`${prefix}-year`]: '2026',
});

async function aRequest(
  kind: string,
  adoptedOn: string | null,
  caseKind: 'adopted_adult' | 'birth_relative' = 'adopted_adult',
) {
  const caseId = await aSupportCase(t, raaId, { kind: caseKind, person: { adoptedOn } });
  const response = await post(worker, `/support/cases/${caseId}/records`, {
    requestKind: kind,
    ...on('receivedOn', '1'),
  });
  expect(response.statusCode).toBe(303);
  const request = await t.database.db
    .selectFrom('support_record_requests')
    .select('id')
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return request.id;
}
const check = (actor: SignedInUser, id: string, kind: string) =>
  post(actor, `/support/records/${id}/checks`, { checkKind: kind, ...on('doneOn', '5') });
const outcome = (actor: SignedInUser, id: string, value: string, version = '1') =>
  post(actor, `/support/records/${id}/outcome`, { version, outcome: value, ...on('outcomeOn', '20') });

describe('birth records for someone adopted before 12 November 1975 (issue 8 §5)', () => {
  it('says counselling comes first, and refuses a disclosure until it has happened and a second worker has approved', async () => {
    const id = await aRequest('access_to_records', '1972-03-01');
    const page = text((await get(worker, `/support/records/${id}`)).body);
    expect(page).toContain('they must see an adoption counsellor before they are given any information');
    expect(page).toContain('Adopted before 30 December 2005');

    expect(text((await outcome(worker, id, 'information_disclosed')).body)).toContain(
      'Record the check of the applicant’s identity before any information is given',
    );
    await check(worker, id, 'identity_checked');
    const noCounselling = await outcome(worker, id, 'information_disclosed');
    expect(noCounselling.statusCode).toBe(400);
    expect(text(noCounselling.body)).toContain(
      'This person was adopted before 12 November 1975, so they must see an adoption counsellor before they are given information from their birth records',
    );
    await check(worker, id, 'counselling_held');
    await check(worker, id, 'second_approval');
    expect(text((await outcome(worker, id, 'information_disclosed')).body)).toContain(
      'A second worker must approve the disclosure',
    );
    const row = await t.database.db
      .selectFrom('support_record_requests')
      .select(['outcome', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: null, version: 1 });

    await check(manager, id, 'second_approval');
    expect((await outcome(worker, id, 'information_disclosed')).statusCode).toBe(303);
    const audits = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('action', 'like', 'support.records.%')
      .where('outcome', '<>', 'success')
      .execute();
    expect(audits.filter((a) => a.action === 'support.records.outcome').length).toBeGreaterThanOrEqual(3);
    expect(text((await get(worker, `/support/records/${id}`)).body)).toContain(
      'Information disclosed, 20 October 2026',
    );
    expect((await outcome(worker, id, 'withdrawn', '2')).statusCode).toBe(409);
  });

  it('treats an adoption with no recorded date as needing counselling', async () => {
    const id = await aRequest('birth_records_counselling', null);
    await check(worker, id, 'identity_checked');
    expect(text((await outcome(worker, id, 'counselling_completed')).body)).toContain(
      'Record the date of the adoption first',
    );
  });

  it('lets a later adoption through without counselling once identity and approval are recorded', async () => {
    const id = await aRequest('access_to_records', '1990-06-01');
    await check(worker, id, 'identity_checked');
    await check(manager, id, 'second_approval');
    expect((await outcome(worker, id, 'partly_disclosed')).statusCode).toBe(303);
  });
});

describe('intermediary services (issue 8 §5)', () => {
  it('passes on contact only with the other person’s consent', async () => {
    const id = await aRequest('intermediary', null, 'birth_relative');
    await check(worker, id, 'identity_checked');
    const refused = await outcome(worker, id, 'contact_agreed');
    expect(text(refused.body)).toContain(
      'Record the other person’s consent before contact or information is passed on',
    );
    await check(worker, id, 'consent_given');
    expect((await outcome(worker, id, 'contact_agreed')).statusCode).toBe(303);
  });

  it('refuses birth records counselling on a birth relative’s case, and a check dated before the request', async () => {
    const caseId = await aSupportCase(t, raaId, { kind: 'birth_relative' });
    const response = await post(worker, `/support/cases/${caseId}/records`, {
      requestKind: 'birth_records_counselling',
      ...on('receivedOn', '1'),
    });
    expect(response.statusCode).toBe(400);
    expect(text(response.body)).toContain('Birth records counselling is for adopted adults');
    const id = await aRequest('intermediary', null, 'birth_relative');
    const early = await post(worker, `/support/records/${id}/checks`, {
      checkKind: 'identity_checked',
      'doneOn-day': '1',
      'doneOn-month': '9',
      'doneOn-year': '2026',
    });
    expect(early.statusCode).toBe(400);
    expect(text(early.body)).toContain('on or after the day the request came in');
  });
});

describe('need to know (issue 8 §6)', () => {
  it('keeps records pages from anyone without support:restricted', async () => {
    const id = await aRequest('access_to_records', '1990-06-01');
    expect((await get(head, `/support/records/${id}`)).statusCode).toBe(403);
    expect((await check(head, id, 'identity_checked')).statusCode).toBe(403);
    const other = await signedInUser(t, {
      roles: ['support_worker'],
      organisationId: await anOrganisation(t, { kind: 'raa' }),
    });
    expect((await get(other, `/support/records/${id}`)).statusCode).toBe(404);
  });
});
