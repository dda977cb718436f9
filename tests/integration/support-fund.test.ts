// Issue 8 §2 over real HTTP: Adoption Support Fund applications against the child's fair-access
// limit for the financial year; over the limit only with match funding or a reason for an
// exception; draft → submitted → approved → paid, with declines, stale moves and impossible moves
// refused; spend by council for finance as a page and a CSV, with no names in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageText, requestsTo } from '../support/http.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, signedInUser, type SignedInUser } from '../support/sign-in.js';
import { aFamily, aSupportCase, aSupportChild } from '../support/support.js';

let t: TestApp;
let raaId: string;
let councilId: string;
let providerId: string;
let worker: SignedInUser;
let finance: SignedInUser;
let finder: SignedInUser;
let otherWorker: SignedInUser;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Fund South (test)' });
  councilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: raaId,
    raaId,
    name: 'Borough Fund A',
  });
  providerId = (
    await t.database.db
      .insertInto('organisations')
      .values({
        code: 'willowbank-asa-test',
        kind: 'adoption_support_agency',
        name: 'Willowbank Therapies (test)',
        raa_id: raaId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  worker = await signedInUser(t, { roles: ['support_worker'], organisationId: raaId });
  finance = await signedInUser(t, { roles: ['finance_officer'], organisationId: raaId });
  finder = await signedInUser(t, { roles: ['family_finder'], organisationId: raaId });
  otherWorker = await signedInUser(t, {
    roles: ['support_worker'],
    organisationId: await anOrganisation(t, { kind: 'raa' }),
  });
});
afterAll(async () => {
  await t?.close();
});

const { get, post } = requestsTo(() => t);
const text = pageText;
const fundIdFrom = (location: unknown) =>
  /\/support\/fund\/([0-9a-f-]{36})/.exec(String(location))?.[1] ?? '';
const applications = async (caseId: string) =>
  t.database.db.selectFrom('support_fund_applications').selectAll().where('case_id', '=', caseId).execute();

async function aFamilyWithChild() {
  const caseId = await aSupportCase(t, raaId, { family: aFamily(), placingCouncilId: councilId });
  const childId = await aSupportChild(t, caseId);
  return { caseId, childId };
}

const application = (childId: string, fields: Record<string, string> = {}) => ({
  supportChildId: childId,
  category: 'therapy',
  serviceType: 'theraplay',
  providerId,
  description: 'Twelve theraplay sessions for Maya and her parents',
  'startsOn-day': '10',
  'startsOn-month': '11',
  'startsOn-year': '2026',
  totalCost: '2,000',
  ...fields,
});

describe('fund applications against the fair-access limit (issue 8 §2)', () => {
  it('saves a draft within the limit, with the responsible council worked out from the case', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    const form = await get(worker, `/support/cases/${caseId}/fund/new`);
    expect(text(form.body)).toContain(
      '£3,000.00 therapy, £2,500.00 specialist assessment, £3,000.00 in all (confirm)',
    );
    const response = await post(worker, `/support/cases/${caseId}/fund`, application(childId));
    expect(response.statusCode).toBe(303);
    const [row] = await applications(caseId);
    expect(row).toMatchObject({
      status: 'draft',
      financial_year: 2026,
      total_cost_pence: 200_000,
      fund_share_pence: 200_000,
      match_funding_pence: 0,
      council_id: councilId,
    });
    const page = text((await get(worker, String(response.headers.location))).body);
    expect(page).toContain('Application saved as a draft');
    expect(page).toContain('Willowbank Therapies (test)');
  });

  it('refuses a request over what is left without match funding or a reason, says by how much, writes nothing, and audits it', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    expect(
      (await post(worker, `/support/cases/${caseId}/fund`, application(childId, { totalCost: '2000' })))
        .statusCode,
    ).toBe(303);
    const [draft] = await applications(caseId);
    expect(
      (await post(worker, `/support/fund/${draft!.id}`, { version: '1', to: 'submitted' })).statusCode,
    ).toBe(303);
    const over = await post(
      worker,
      `/support/cases/${caseId}/fund`,
      application(childId, { totalCost: '1500' }),
    );
    expect(over.statusCode).toBe(400);
    expect(text(over.body)).toContain(
      'This asks the fund for £1,500.00, which is £500.00 over what is left of the child’s fair-access limit for 2026/27 (£1,000.00 of £3,000.00)',
    );
    expect(over.body).toContain('Twelve theraplay sessions');
    expect(await applications(caseId)).toHaveLength(1);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['outcome', 'reason'])
      .where('subject_id', '=', caseId)
      .where('action', '=', 'support.fund.create')
      .where('outcome', '=', 'failed')
      .executeTakeFirst();
    expect(audit?.reason).toContain('over what is left');
    // With the council matching the £500 difference, it goes ahead; so does an exception with a reason.
    expect(
      (
        await post(
          worker,
          `/support/cases/${caseId}/fund`,
          application(childId, { totalCost: '1500', matchFunding: '500', councilId }),
        )
      ).statusCode,
    ).toBe(303);
    expect(
      (
        await post(
          worker,
          `/support/cases/${caseId}/fund`,
          application(childId, { totalCost: '1500', exceptionReason: 'Crisis: the placement is at risk' }),
        )
      ).statusCode,
    ).toBe(303);
    const rows = await applications(caseId);
    expect(rows.map((r) => [r.fund_share_pence, r.match_funding_pence, r.exception_reason]).sort()).toEqual(
      [
        [100_000, 50_000, null],
        [150_000, 0, 'Crisis: the placement is at risk'],
        [200_000, 0, null],
      ].sort(),
    );
  });

  it('checks the limit again at submission: two drafts that each fit cannot both be submitted', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    await post(worker, `/support/cases/${caseId}/fund`, application(childId, { totalCost: '2000' }));
    await post(worker, `/support/cases/${caseId}/fund`, application(childId, { totalCost: '2000' }));
    const [first, second] = await applications(caseId);
    expect(
      (await post(worker, `/support/fund/${first!.id}`, { version: '1', to: 'submitted' })).statusCode,
    ).toBe(303);
    const refused = await post(worker, `/support/fund/${second!.id}`, { version: '1', to: 'submitted' });
    expect(refused.statusCode).toBe(400);
    expect(text(refused.body)).toContain(
      'Other applications for this child have used the limit since this one was drafted',
    );
    const after = await t.database.db
      .selectFrom('support_fund_applications')
      .select(['status', 'version'])
      .where('id', '=', second!.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({ status: 'draft', version: 1 });
  });

  it('moves an application on: approved no more than asked, paid no more than approved, declined with a reason', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    const id = fundIdFrom(
      (await post(worker, `/support/cases/${caseId}/fund`, application(childId))).headers.location,
    );
    expect((await post(worker, `/support/fund/${id}`, { version: '1', to: 'approved' })).statusCode).toBe(
      409,
    );
    expect((await post(worker, `/support/fund/${id}`, { version: '1', to: 'submitted' })).statusCode).toBe(
      303,
    );
    const tooMuch = await post(worker, `/support/fund/${id}`, {
      version: '2',
      to: 'approved',
      amount: '2500',
    });
    expect(tooMuch.statusCode).toBe(400);
    expect(text(tooMuch.body)).toContain('The fund cannot approve more than was asked for (£2,000.00)');
    expect(
      (await post(worker, `/support/fund/${id}`, { version: '2', to: 'approved', amount: '1800' }))
        .statusCode,
    ).toBe(303);
    const stale = await post(worker, `/support/fund/${id}`, { version: '2', to: 'paid' });
    expect(stale.statusCode).toBe(409);
    expect(text(stale.body)).toContain('Someone else changed this record');
    expect((await post(worker, `/support/fund/${id}`, { version: '3', to: 'paid' })).statusCode).toBe(303);
    const row = await t.database.db
      .selectFrom('support_fund_applications')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'paid', approved_pence: 180_000, paid_pence: 180_000 });
    const page = text((await get(worker, `/support/fund/${id}`)).body);
    expect(page).toContain('Paid £1,800.00');
    const events = await t.database.db
      .selectFrom('support_fund_events')
      .select('to_status')
      .where('application_id', '=', id)
      .orderBy('recorded_at')
      .execute();
    expect(events.map((e) => e.to_status)).toEqual(['draft', 'submitted', 'approved', 'paid']);

    const declined = fundIdFrom(
      (await post(worker, `/support/cases/${caseId}/fund`, application(childId, { totalCost: '100' })))
        .headers.location,
    );
    await post(worker, `/support/fund/${declined}`, { version: '1', to: 'submitted' });
    const noReason = await post(worker, `/support/fund/${declined}`, { version: '2', to: 'declined' });
    expect(text(noReason.body)).toContain('Say why the fund declined the application');
    expect(
      (
        await post(worker, `/support/fund/${declined}`, {
          version: '2',
          to: 'declined',
          note: 'Not a therapeutic service',
        })
      ).statusCode,
    ).toBe(303);
  });

  it('refuses bad input beside the field: no child, no provider, a cost in words', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    const response = await post(
      worker,
      `/support/cases/${caseId}/fund`,
      application(childId, { supportChildId: '', providerId: '', totalCost: 'lots' }),
    );
    expect(response.statusCode).toBe(400);
    const page = text(response.body);
    expect(page).toContain('Choose the child the application is for');
    expect(page).toContain('Enter the cost of the service in pounds, like 1250.00');
    expect(await applications(caseId)).toHaveLength(0);
  });

  it('keeps family finders and other RAAs out', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    const id = fundIdFrom(
      (await post(worker, `/support/cases/${caseId}/fund`, application(childId))).headers.location,
    );
    expect((await get(finder, `/support/fund/${id}`)).statusCode).toBe(403);
    expect((await get(otherWorker, `/support/fund/${id}`)).statusCode).toBe(404);
  });
});

describe('spend by council (issue 8 §2)', () => {
  it('shows finance approved and paid money by council and year, as a page and a CSV without names', async () => {
    const { caseId, childId } = await aFamilyWithChild();
    const id = fundIdFrom(
      (
        await post(
          worker,
          `/support/cases/${caseId}/fund`,
          application(childId, { totalCost: '1200', matchFunding: '200', councilId }),
        )
      ).headers.location,
    );
    await post(worker, `/support/fund/${id}`, { version: '1', to: 'submitted' });
    await post(worker, `/support/fund/${id}`, { version: '2', to: 'approved' });
    const page = await get(finance, '/support/spend?year=2026');
    expect(page.statusCode).toBe(200);
    const body = text(page.body);
    expect(body).toContain('Borough Fund A');
    expect(body).not.toContain('Quillfeather');
    expect(body).not.toContain('Maya');
    const csv = await get(finance, '/support/spend.csv?year=2026');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe(
      'Financial year,Council,Applications approved or paid,Approved from the fund (£),Paid by the fund (£),Council match funding (£)',
    );
    expect(csv.body).toMatch(/2026\/27,Borough Fund A,\d+,[\d.]+,[\d.]+,[\d.]+/);
    expect(csv.body).not.toMatch(/Quillfeather|Maya/);
    expect((await get(finance, '/support')).statusCode).toBe(403);
    expect((await get(finance, `/support/fund/${id}`)).statusCode).toBe(403);
    expect((await get(finance, '/support/spend?year=soon')).statusCode).toBe(400);
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'support.spend.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['support.spend.view', 'support.spend.export']),
    );
  });
});
