// Issue 5 §4: information events and preparation groups, over real HTTP. RAA staff create events
// and sessions, invite an enquirer (the enquiry becomes 'invited', with the version check), see
// the booking list and record attendance; the enquirer books, joins the waiting list or cancels
// from the link in their email without an account; capacity holds when two people book the last
// place at once; used, expired and unknown links get a clear page, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { anOrganisation, csrfFor, signedInUser, type SignedInUser } from '../support/sign-in.js';

let t: TestApp;
let raaId: string;
let worker: SignedInUser;
let councilManager: SignedInUser;
let nextAddress = 1;

beforeAll(async () => {
  t = await createTestApp();
  raaId = await anOrganisation(t, { kind: 'raa', name: 'Adopt Events' });
  const spoke = await anOrganisation(t, { kind: 'spoke', parentId: raaId, raaId });
  const council = await anOrganisation(t, { kind: 'local_authority', parentId: spoke, raaId });
  worker = await signedInUser(t, { roles: ['assessing_social_worker'], organisationId: spoke });
  councilManager = await signedInUser(t, { roles: ['team_manager'], organisationId: council });
});
afterAll(async () => {
  await t?.close();
});

const letters = () =>
  Array.from({ length: 4 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(Math.random() * 24)]).join('');

async function anEnquiry(name = 'Sam Booker') {
  return t.database.db
    .insertInto('adopter_enquiries')
    .values({
      reference: `${letters()}-${letters()}`,
      raa_id: raaId,
      name,
      email: `${name.split(' ')[0]!.toLowerCase()}.${Math.random().toString(36).slice(2, 8)}@example.test`,
      postcode: 'SE15 5AB',
      postcode_district: 'SE15',
      applying_as: 'single',
      previous_experience: 'none',
      heard_from: 'search',
    })
    .returning(['id', 'email', 'version'])
    .executeTakeFirstOrThrow();
}

const get = (actor: { cookie: string } | null, url: string) =>
  t.app.inject({ method: 'GET', url, headers: actor ? { cookie: actor.cookie } : {} });
const post = (actor: SignedInUser, url: string, fields: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { cookie: actor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: actor.csrfToken, ...fields }).toString(),
  });
async function publicPost(url: string, fields: Record<string, string> = {}) {
  const { cookie, csrfToken } = await csrfFor(t);
  return t.app.inject({
    method: 'POST',
    url,
    remoteAddress: `203.0.113.${nextAddress++}`,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken, ...fields }).toString(),
  });
}

async function anEvent(title = 'Information evening') {
  const created = await post(worker, '/events', {
    kind: 'information_event',
    title,
    description: 'Meet adopters.',
  });
  expect(created.statusCode).toBe(303);
  return /\/events\/([0-9a-f-]{36})/.exec(created.headers.location as string)![1]!;
}

async function aSession(eventId: string, fields: Record<string, string> = {}) {
  const response = await post(worker, `/events/${eventId}/sessions`, {
    'date-day': '14',
    'date-month': '1',
    'date-year': '2027',
    startTime: '18:30',
    endTime: '20:30',
    online: 'yes',
    meetingLink: 'https://meet.example.test/abc',
    capacity: '2',
    ...fields,
  });
  expect(response.statusCode).toBe(303);
  return t.database.db
    .selectFrom('adopter_event_sessions')
    .select(['id', 'starts_at'])
    .where('event_id', '=', eventId)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

/** Invites a new enquirer through the enquiry's page; returns the booking link from the email. */
async function invite(eventId: string, name = 'Sam Booker') {
  const enquiry = await anEnquiry(name);
  const response = await post(worker, `/enquiries/${enquiry.id}/invite`, {
    eventId,
    version: String(enquiry.version),
  });
  expect(response.statusCode).toBe(303);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const mail = t.sentMail.findLast((m) => m.to === enquiry.email);
  const link = /http\S+\/adopt\/events\/book\/([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '');
  expect(link, 'the invitation email has a booking link').not.toBeNull();
  return { enquiry, path: `/adopt/events/book/${link![1]}`, mail: mail! };
}

describe('events and sessions (issue 5 §4, staff)', () => {
  it('creates an event and a session, in UK time, with places left, audited', async () => {
    const eventId = await anEvent('Summer information evening');
    const session = await aSession(eventId, { 'date-day': '1', 'date-month': '7', 'date-year': '2027' });
    // 18:30 in London in July is 17:30 UTC.
    expect(new Date(session.starts_at).toISOString()).toBe('2027-07-01T17:30:00.000Z');
    const list = await get(worker, '/events');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Summer information evening');
    expect(list.body).toContain('1 July 2027 at 6:30pm to 8:30pm');
    expect(list.body).toContain('2 of 2');
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_id', 'in', [eventId, session.id])
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'adopter-event.create',
      'adopter-event.session.create',
    ]);
  });

  it('answers bad session details beside the fields, keeping what was typed', async () => {
    const eventId = await anEvent();
    const response = await post(worker, `/events/${eventId}/sessions`, {
      'date-day': '31',
      'date-month': '2',
      'date-year': '2027',
      startTime: '20:00',
      endTime: 'later',
      online: 'no',
      venueName: '',
      capacity: '0',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a real date');
    expect(response.body).toContain('Enter an end time, like 20:30');
    expect(response.body).toContain('Enter the name of the venue');
    expect(response.body).toContain('The number of places must be between 1 and 1,000');
    expect(response.body).toContain('value="later"');
  });

  it('shows councils no events and refuses them an event of the RAA', async () => {
    const eventId = await anEvent('Not for councils');
    const list = await get(councilManager, '/events');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('Not for councils');
    expect((await get(councilManager, `/events/${eventId}`)).statusCode).toBe(404);
  });
});

describe('booking from the emailed link (issue 5 §4, public)', () => {
  it('invites an enquirer (status invited), who books without signing in and sees the joining link', async () => {
    const eventId = await anEvent('Winter information evening');
    const session = await aSession(eventId);
    const { enquiry, path, mail } = await invite(eventId);
    expect(mail.subject).toBe('Book your place: Winter information evening');
    const row = await t.database.db
      .selectFrom('adopter_enquiries')
      .select(['status', 'version'])
      .where('id', '=', enquiry.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'invited', version: enquiry.version + 1 });

    const page = await get(null, path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Book a place: Winter information evening');
    expect(page.body).toContain('14 January 2027 at 6:30pm to 8:30pm');
    expect(page.body).not.toContain('meet.example.test');

    const unchosen = await publicPost(path, {});
    expect(unchosen.statusCode).toBe(400);
    expect(unchosen.body).toContain('Select a session');
    const booked = await publicPost(path, { sessionId: session.id });
    expect(booked.statusCode).toBe(303);
    const confirmation = await get(null, booked.headers.location as string);
    expect(confirmation.body).toContain('You have a place');
    expect(confirmation.body).toContain('https://meet.example.test/abc');
    const booking = await t.database.db
      .selectFrom('adopter_event_bookings')
      .select(['status', 'enquiry_id'])
      .where('session_id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(booking).toEqual({ status: 'booked', enquiry_id: enquiry.id });

    // A second press of "Book" does not book twice.
    await publicPost(path, { sessionId: session.id });
    const count = await t.database.db
      .selectFrom('adopter_event_bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', session.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('refuses a stale invitation with 409, keeping the chosen event, and sends nothing', async () => {
    const eventId = await anEvent('Stale event');
    await aSession(eventId);
    const enquiry = await anEnquiry('Stale Person');
    await t.database.db
      .updateTable('adopter_enquiries')
      .set({ status: 'contacted', version: enquiry.version + 1 })
      .where('id', '=', enquiry.id)
      .execute();
    const sent = t.sentMail.length;
    const response = await post(worker, `/enquiries/${enquiry.id}/invite`, {
      eventId,
      version: String(enquiry.version),
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('Someone else changed this enquiry');
    expect(response.body).toMatch(new RegExp(`value="${eventId}" checked`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.sentMail.length).toBe(sent);
    const links = await t.database.db
      .selectFrom('adopter_event_links')
      .select('token_hash')
      .where('enquiry_id', '=', enquiry.id)
      .execute();
    expect(links).toEqual([]);
  });

  it('puts the next person on the waiting list when full, and gives them the place when someone cancels', async () => {
    const eventId = await anEvent('Small group');
    const session = await aSession(eventId, { capacity: '1' });
    const first = await invite(eventId, 'First Person');
    const second = await invite(eventId, 'Second Person');
    expect((await publicPost(first.path, { sessionId: session.id })).headers.location).toContain(
      'done=booked',
    );
    expect((await publicPost(second.path, { sessionId: session.id })).headers.location).toContain(
      'done=waiting',
    );
    const waiting = await get(null, `${second.path}?done=waiting`);
    expect(waiting.body).toContain('You are on the waiting list');
    expect(waiting.body).not.toContain('meet.example.test');

    const cancelled = await publicPost(`${first.path}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.body).toContain('Booking cancelled');
    const statuses = await t.database.db
      .selectFrom('adopter_event_bookings')
      .select(['name', 'status'])
      .where('session_id', '=', session.id)
      .orderBy('created_at')
      .execute();
    expect(statuses).toEqual([
      { name: 'First Person', status: 'cancelled' },
      { name: 'Second Person', status: 'booked' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.sentMail.findLast((m) => m.to === second.enquiry.email)?.subject).toBe(
      'A place is free: Small group',
    );

    // The cancelling link is spent: a clear page, not an error.
    const spent = await get(null, first.path);
    expect(spent.statusCode).toBe(410);
    expect(spent.body).toContain('This booking link has been used');
    expect((await publicPost(`${first.path}/cancel`)).statusCode).toBe(303);
  });

  it('holds capacity when two people book the last place at the same moment', async () => {
    const eventId = await anEvent('Race');
    const session = await aSession(eventId, { capacity: '1' });
    const a = await invite(eventId, 'Ann Racer');
    const b = await invite(eventId, 'Bob Racer');
    const [one, two] = await Promise.all([
      publicPost(a.path, { sessionId: session.id }),
      publicPost(b.path, { sessionId: session.id }),
    ]);
    expect(
      [one.headers.location, two.headers.location].map((l) => /done=(\w+)/.exec(String(l))?.[1]).sort(),
    ).toEqual(['booked', 'waiting']);
    const rows = await t.database.db
      .selectFrom('adopter_event_bookings')
      .select('status')
      .where('session_id', '=', session.id)
      .execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['booked', 'waiting']);
  });

  it('answers expired, unknown and malformed links with a clear page', async () => {
    const eventId = await anEvent('Expiring');
    await aSession(eventId);
    const { path } = await invite(eventId);
    const unknown = await get(null, `/adopt/events/book/${'A'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This booking link does not work');
    const malformed = await get(null, '/adopt/events/book/%E0%A4%A');
    expect(malformed.statusCode).toBeLessThan(500);
    expect((await publicPost(`/adopt/events/book/nonsense`, { sessionId: 'x' })).statusCode).toBeLessThan(
      500,
    );
    t.clock.advance(61 * 86_400_000);
    try {
      const expired = await get(null, path);
      expect(expired.statusCode).toBe(410);
      expect(expired.body).toContain('This booking link has expired');
    } finally {
      t.clock.advance(-61 * 86_400_000);
    }
  });

  it('never logs the token', async () => {
    const eventId = await anEvent('Logged');
    await aSession(eventId);
    const { path } = await invite(eventId);
    await get(null, path);
    const token = path.split('/').pop()!;
    expect(t.logs.join('\n')).not.toContain(token);
  });
});

describe('booking list and attendance (issue 5 §4, staff)', () => {
  it('shows the bookings, audits each view, records attendance and refuses a stale record with 409', async () => {
    const eventId = await anEvent('Preparation group');
    const session = await aSession(eventId);
    const { path } = await invite(eventId, 'Pat Attender');
    await publicPost(path, { sessionId: session.id });
    const list = await get(worker, `/event-sessions/${session.id}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Pat Attender');
    const views = await t.database.db
      .selectFrom('audit_events')
      .select('outcome')
      .where('action', '=', 'adopter-event.bookings.view')
      .where('subject_id', '=', session.id)
      .execute();
    expect(views).toEqual([{ outcome: 'success' }]);

    const booking = await t.database.db
      .selectFrom('adopter_event_bookings')
      .select(['id', 'version'])
      .where('session_id', '=', session.id)
      .executeTakeFirstOrThrow();
    const recorded = await post(worker, `/event-sessions/${session.id}/attendance`, {
      bookingId: booking.id,
      version: String(booking.version),
      outcome: 'attended',
    });
    expect(recorded.statusCode).toBe(303);
    const stale = await post(worker, `/event-sessions/${session.id}/attendance`, {
      bookingId: booking.id,
      version: String(booking.version),
      outcome: 'did_not_attend',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this booking');
    const after = await t.database.db
      .selectFrom('adopter_event_bookings')
      .select('status')
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('attended');
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select('reason')
      .where('action', '=', 'adopter-event.attendance')
      .where('subject_id', '=', booking.id)
      .execute();
    expect(audit).toEqual([{ reason: 'attended' }]);
  });
});
