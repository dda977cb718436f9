// Issue 5 §1: the RAA's public front door and its triage queue, over real HTTP. Anyone may
// enquire without signing in; spam is turned away without third parties; the council of
// residence comes from the region's postcode districts; only RAA staff see enquiries; bad input
// is answered beside the field and writes nothing (property-tested).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, csrfFor, signedInUser, type SignedInUser } from '../support/sign-in.js';

let t: TestApp;
let raaId: string;
let councilId: string;
let raaWorker: SignedInUser;
let councilManager: SignedInUser;
let nextAddress = 1;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Front Door' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId });
  councilId = await anOrganisation(t, {
    kind: 'local_authority',
    parentId: spoke,
    raaId,
    name: 'Borough of Peckham',
  });
  await t.database.db
    .updateTable('organisations')
    .set({ postcode_districts: ['SE15', 'SE22'] })
    .where('id', '=', councilId)
    .execute();
  raaWorker = await signedInUser(t, { roles: ['assessing_social_worker'], organisationId: spoke });
  councilManager = await signedInUser(t, { roles: ['team_manager'], organisationId: councilId });
});
afterAll(async () => {
  await t?.close();
});

const enquiryFields = (overrides: Record<string, string> = {}) => ({
  name: 'Alex Hopeful',
  email: `alex.${Math.random().toString(36).slice(2, 8)}@example.test`,
  phone: '020 7946 0000',
  postcode: 'se15 5ab',
  applyingAs: 'couple',
  previousExperience: 'foster_carer',
  heardFrom: 'friend_or_family',
  message: 'We would like to know more.',
  website: '',
  ...overrides,
});

/** Each call comes from its own address unless told otherwise, so the rate limit is tested on purpose only. */
async function enquire(fields: Record<string, string>, remoteAddress = `198.51.100.${nextAddress++}`) {
  const { cookie, csrfToken } = await csrfFor(t);
  return t.app.inject({
    method: 'POST',
    url: '/adopt/enquire',
    remoteAddress,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken, ...fields }).toString(),
  });
}

const enquiryCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('adopter_enquiries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const errorSummary = (html: string) =>
  /govuk-error-summary__list">([\s\S]*?)<\/ul>/
    .exec(html)?.[1]
    ?.replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim() ?? '';

const get = (actor: { cookie: string }, url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: actor.cookie } });
const post = (actor: SignedInUser, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: actor.csrfToken, ...fields }).toString(),
  });

describe('the public enquiry form (issue 5 §1)', () => {
  it('explains adopting and offers the form without signing in', async () => {
    const about = await t.app.inject({ url: '/adopt' });
    expect(about.statusCode).toBe(200);
    expect(about.body).toContain('Adopting a child');
    expect(about.body).toContain('Adopt Front Door');
    const form = await t.app.inject({ url: '/adopt/enquire' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Ask about adopting');
  });

  it('stores an enquiry with its council of residence, confirms by email and audits it', async () => {
    const fields = enquiryFields();
    const response = await enquire(fields);
    expect(response.statusCode).toBe(303);
    const reference = /\?ref=([A-Z0-9-]+)$/.exec(response.headers.location as string)?.[1];
    expect(reference).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const row = await t.database.db
      .selectFrom('adopter_enquiries')
      .selectAll()
      .where('reference', '=', reference!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      raa_id: raaId,
      council_id: councilId,
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
      phone: '02079460000',
      applying_as: 'couple',
      previous_experience: 'foster_carer',
      status: 'new',
    });
    const received = await t.app.inject({ url: response.headers.location as string });
    expect(received.body).toContain(reference);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const mail = t.sentMail.find((m) => m.to === fields.email);
    expect(mail?.subject).toBe(`Your enquiry about adopting: reference ${reference}`);
    expect(mail?.text).toContain('Dear Alex,');
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['outcome', 'subject_organisation_id'])
      .where('action', '=', 'enquiry.create')
      .where('subject_id', '=', row.id)
      .execute();
    expect(audit).toEqual([{ outcome: 'success', subject_organisation_id: raaId }]);
  });

  it('sends a postcode outside the region to the RAA, marked as outside', async () => {
    const response = await enquire(enquiryFields({ postcode: 'M1 1AE' }));
    const reference = /\?ref=([A-Z0-9-]+)$/.exec(response.headers.location as string)?.[1];
    const row = await t.database.db
      .selectFrom('adopter_enquiries')
      .select(['council_id', 'raa_id'])
      .where('reference', '=', reference!)
      .executeTakeFirstOrThrow();
    expect(row.council_id).toBeNull();
  });

  it('answers mistakes beside each field, in page order, keeping what was typed, and stores nothing', async () => {
    const before = await enquiryCount();
    const response = await enquire(
      enquiryFields({ name: '', postcode: 'SE15', heardFrom: '', applyingAs: '' }),
    );
    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toBe(
      'Enter your name Enter a real postcode, like SE15 5AB Select whether you are thinking of adopting on your own or with a partner Select how you heard about us',
    );
    expect(response.body).toContain('We would like to know more.');
    expect(await enquiryCount()).toBe(before);
  });

  it('thanks a program that fills the honeypot but stores nothing', async () => {
    const before = await enquiryCount();
    const response = await enquire(enquiryFields({ website: 'http://spam.example' }));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/adopt/enquire/received');
    expect(await enquiryCount()).toBe(before);
  });

  it('answers the same enquiry sent twice within minutes with the first reference', async () => {
    const fields = enquiryFields();
    const first = await enquire(fields);
    const second = await enquire({ ...fields, email: fields.email.toUpperCase() });
    expect(second.headers.location).toBe(first.headers.location);
    t.clock.advance(11 * 60_000);
    const later = await enquire(fields);
    expect(later.headers.location).not.toBe(first.headers.location);
  });

  it('limits each address to 5 enquiries in 10 minutes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await enquire(enquiryFields(), '203.0.113.77')).statusCode);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
  });

  it('property: any input is answered with 303 or 400, never an error, and a 400 stores nothing', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('', '<script>alert(1)</script>', "' OR 1=1 --", '\u0000\uD800', 'x'.repeat(12_000)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          name: text,
          email: text,
          postcode: text,
          applyingAs: text,
          heardFrom: text,
          message: text,
        }),
        async (fields) => {
          const before = await enquiryCount();
          const response = await enquire({ ...enquiryFields(), ...fields });
          expect([303, 400, 413]).toContain(response.statusCode);
          if (response.statusCode !== 303) expect(await enquiryCount()).toBe(before);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('retention (issue 5 §6)', () => {
  it('minimises at half the period and deletes at the full period, auditing each by id only', async () => {
    const write = (reference: string, createdAt: string) =>
      t.database.db
        .insertInto('adopter_enquiries')
        .values({
          reference,
          raa_id: raaId,
          name: 'Old Enquirer',
          email: 'old@example.test',
          phone: '07700900000',
          postcode: 'SE15 5AB',
          postcode_district: 'SE15',
          applying_as: 'single',
          previous_experience: 'none',
          heard_from: 'search',
          message: 'An old message',
          created_at: createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    // Test clock: 2 November 2026 (advanced 11 minutes by an earlier test). Default retention 24 months.
    const old = await write('XDEL-AAAA', '2024-10-01T09:00:00Z');
    const middling = await write('XMAD-AAAA', '2025-09-01T09:00:00Z');
    const recent = await write('XREC-AAAA', '2026-09-01T09:00:00Z');
    await t.app.jobs.send('adopters.enquiry-retention', {});
    expect(await t.app.jobs.runDue('adopters.enquiry-retention')).toEqual({ completed: 1, failed: 0 });
    const left = await t.database.db
      .selectFrom('adopter_enquiries')
      .select(['id', 'phone', 'message', 'name'])
      .where('id', 'in', [old.id, middling.id, recent.id])
      .orderBy('reference')
      .execute();
    expect(left).toEqual([
      { id: middling.id, phone: null, message: null, name: 'Old Enquirer' },
      { id: recent.id, phone: '07700900000', message: 'An old message', name: 'Old Enquirer' },
    ]);
    const audits = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'subject_id', 'reason', 'actor_user_id'])
      .where('action', 'in', ['enquiry.delete', 'enquiry.minimise'])
      .where('subject_id', 'in', [old.id, middling.id, recent.id])
      .orderBy('seq')
      .execute();
    expect(audits).toEqual([
      {
        action: 'enquiry.delete',
        subject_id: old.id,
        reason: 'retention: older than 24 months and never registered',
        actor_user_id: null,
      },
      {
        action: 'enquiry.minimise',
        subject_id: middling.id,
        reason: 'retention: phone, message and note removed after 12 months',
        actor_user_id: null,
      },
    ]);
  });
});

describe('the triage queue (issue 5 §1, §7)', () => {
  it('shows RAA staff the enquiries with the council of residence; script in a message stays inert', async () => {
    const response = await enquire(
      enquiryFields({ name: 'Sam Script', message: '<script>alert("x")</script>' }),
    );
    const reference = /\?ref=([A-Z0-9-]+)$/.exec(response.headers.location as string)![1]!;
    const queue = await get(raaWorker, '/enquiries');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(reference);
    expect(queue.body).toContain('Borough of Peckham');
    const row = await t.database.db
      .selectFrom('adopter_enquiries')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const detail = await get(raaWorker, `/enquiries/${row.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(detail.body).not.toContain('<script>alert(');
    expect(detail.body).toContain('may be eligible for the fast track');
  });

  it('keeps enquiries from councils, even a council manager who may triage: empty queue, 404 for a record', async () => {
    const row = await t.database.db.selectFrom('adopter_enquiries').select('id').executeTakeFirstOrThrow();
    const queue = await get(councilManager, '/enquiries');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain('No enquiries here.');
    expect((await get(councilManager, `/enquiries/${row.id}`)).statusCode).toBe(404);
    const councilWorker = await signedInUser(t, { roles: ['la_social_worker'], organisationId: councilId });
    expect((await get(councilWorker, '/enquiries')).statusCode).toBe(403);
  });

  it('records what happened, needs a reason to close, and refuses a stale save at 409 keeping the note', async () => {
    const response = await enquire(enquiryFields({ name: 'Triage Me' }));
    const reference = /\?ref=([A-Z0-9-]+)$/.exec(response.headers.location as string)![1]!;
    const { id } = await t.database.db
      .selectFrom('adopter_enquiries')
      .select('id')
      .where('reference', '=', reference)
      .executeTakeFirstOrThrow();
    const noReason = await post(raaWorker, `/enquiries/${id}/triage`, { version: '1', status: 'closed' });
    expect(noReason.statusCode).toBe(400);
    expect(errorSummary(noReason.body)).toBe('Give the reason the enquiry is closed');
    const contacted = await post(raaWorker, `/enquiries/${id}/triage`, {
      version: '1',
      status: 'contacted',
      triageNote: 'Phoned, invited to March event',
    });
    expect(contacted.statusCode).toBe(303);
    const stale = await post(raaWorker, `/enquiries/${id}/triage`, {
      version: '1',
      status: 'invited',
      triageNote: 'A different note',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('A different note');
    expect(stale.body).toContain('name="version" value="2"');
    const row = await t.database.db
      .selectFrom('adopter_enquiries')
      .select(['status', 'triage_note', 'triaged_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'contacted',
      triage_note: 'Phoned, invited to March event',
      triaged_by: raaWorker.userId,
    });
  });
});
