// Events and courses (issue 5 §4): the RAA's information events and preparation groups, their
// sessions and bookings. Staff (RAA side, 'enquiries:triage') create events and sessions, invite
// enquirers and record attendance; an enquirer books, joins the waiting list or cancels from a
// one-time link in their email, without an account.
//
// Capacity holds under concurrent bookings: a booking or cancellation locks the session's row
// (select … for update) and counts its places in the same transaction. A cancelled place goes to
// the first person waiting. Every view of a booking list and every change is audited.
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Actor } from '../../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../../platform/audit/audit.js';
import type { Db } from '../../../platform/db/client.js';
import type { DB } from '../../../platform/db/schema.js';
import { notFound } from '../../../platform/http/errors.js';
import { findEnquiry, markEnquiryInvited, StaleTriage } from '../enquiries.service.js';
import type { EventInput, SessionInput } from './events.forms.js';
import { placeTaking, type BookingStatus } from './events.tables.js';
import './events.tables.js';

export interface EventDeps {
  db: Db;
  auditKey: AuditKey;
}

/** How long an emailed booking link works. */
export const linkLifetimeDays = 60;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** base64url of 32 random bytes: 43 characters. Anything else cannot be one of our tokens. */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The RAA an actor works for, or null: councils and partners do not run events (issue 5 §7). */
function eventRaa(actor: Actor): string | null {
  return ['raa', 'spoke', 'team'].includes(actor.organisation.kind) ? actor.scope.raaId : null;
}

async function refuse(
  deps: EventDeps,
  auditContext: AuditContext,
  action: string,
  subjectType: string,
  id: string,
) {
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action,
    outcome: 'denied',
    subjectType,
    subjectId: uuidPattern.test(id) ? id : null,
    reason: 'not your RAA',
  });
  return notFound(subjectType === 'adopter_event' ? 'event' : 'session');
}

function sessionsWithCounts(db: Db | Transaction<DB>) {
  return db
    .selectFrom('adopter_event_sessions as session')
    .selectAll('session')
    .select((eb) => [
      eb
        .selectFrom('adopter_event_bookings')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('adopter_event_bookings.session_id', '=', 'session.id')
        .where('adopter_event_bookings.status', 'in', [...placeTaking])
        .as('taken'),
      eb
        .selectFrom('adopter_event_bookings')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('adopter_event_bookings.session_id', '=', 'session.id')
        .where('adopter_event_bookings.status', '=', 'waiting')
        .as('waiting'),
    ]);
}
export type SessionRow = Awaited<
  ReturnType<ReturnType<typeof sessionsWithCounts>['executeTakeFirstOrThrow']>
>;

export interface SessionSummary {
  id: string;
  eventId: string;
  startsAt: Date;
  endsAt: Date;
  online: boolean;
  venueName: string | null;
  venueAddress: string | null;
  meetingLink: string | null;
  capacity: number;
  taken: number;
  waiting: number;
  placesLeft: number;
}

const summarise = (row: SessionRow): SessionSummary => {
  const taken = Number(row.taken ?? 0);
  return {
    id: row.id,
    eventId: row.event_id,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    online: row.online,
    venueName: row.venue_name,
    venueAddress: row.venue_address,
    meetingLink: row.meeting_link,
    capacity: row.capacity,
    taken,
    waiting: Number(row.waiting ?? 0),
    placesLeft: Math.max(0, row.capacity - taken),
  };
};

function findEvent(db: Db | Transaction<DB>, raaId: string, eventId: string) {
  return db
    .selectFrom('adopter_events')
    .select(['id', 'raa_id', 'kind', 'title', 'description', 'created_at'])
    .where('raa_id', '=', raaId)
    .where('id', '=', eventId)
    .executeTakeFirst();
}

/** The RAA's events, newest first, each with its sessions and places left. */
export async function listEvents(deps: EventDeps, actor: Actor) {
  const raaId = eventRaa(actor);
  if (!raaId) return [];
  const events = await deps.db
    .selectFrom('adopter_events')
    .select(['id', 'raa_id', 'kind', 'title', 'description', 'created_at'])
    .where('raa_id', '=', raaId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  if (events.length === 0) return [];
  const sessions = (
    await sessionsWithCounts(deps.db)
      .where(
        'session.event_id',
        'in',
        events.map((e) => e.id),
      )
      .orderBy('session.starts_at')
      .execute()
  ).map(summarise);
  return events.map((event) => ({ ...event, sessions: sessions.filter((s) => s.eventId === event.id) }));
}

export async function createEvent(
  deps: EventDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: EventInput,
): Promise<string> {
  const raaId = eventRaa(actor);
  if (!raaId) throw notFound('event');
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('adopter_events')
      .values({
        raa_id: raaId,
        kind: input.kind,
        title: input.title,
        description: input.description,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'adopter-event.create',
      outcome: 'success',
      subjectType: 'adopter_event',
      subjectId: row.id,
      subjectOrganisationId: raaId,
    });
    return row.id;
  });
}

export async function eventDetail(
  deps: EventDeps,
  actor: Actor,
  auditContext: AuditContext,
  eventId: string,
) {
  const raaId = eventRaa(actor);
  const event = raaId && uuidPattern.test(eventId) ? await findEvent(deps.db, raaId, eventId) : undefined;
  if (!event) throw await refuse(deps, auditContext, 'adopter-event.view', 'adopter_event', eventId);
  const sessions = (
    await sessionsWithCounts(deps.db)
      .where('session.event_id', '=', event.id)
      .orderBy('session.starts_at')
      .execute()
  ).map(summarise);
  return { event, sessions };
}

export async function addSession(
  deps: EventDeps,
  actor: Actor,
  auditContext: AuditContext,
  eventId: string,
  input: SessionInput,
): Promise<string> {
  const { event } = await eventDetail(deps, actor, auditContext, eventId);
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('adopter_event_sessions')
      .values({
        event_id: event.id,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        online: input.online,
        venue_name: input.venueName,
        venue_address: input.venueAddress,
        meeting_link: input.meetingLink,
        capacity: input.capacity,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'adopter-event.session.create',
      outcome: 'success',
      subjectType: 'adopter_event_session',
      subjectId: row.id,
      subjectOrganisationId: event.raa_id,
    });
    return row.id;
  });
}

async function findSession(deps: EventDeps, actor: Actor, sessionId: string) {
  const raaId = eventRaa(actor);
  if (!raaId || !uuidPattern.test(sessionId)) return undefined;
  const row = await sessionsWithCounts(deps.db)
    .innerJoin('adopter_events as event', 'event.id', 'session.event_id')
    .select(['event.title', 'event.kind', 'event.raa_id'])
    .where('event.raa_id', '=', raaId)
    .where('session.id', '=', sessionId)
    .executeTakeFirst();
  return row ? { ...summarise(row), title: row.title, kind: row.kind, raaId: row.raa_id } : undefined;
}

/** A session's booking list: who has a place, who is waiting, who came. Audited: it names people. */
export async function sessionBookings(
  deps: EventDeps,
  actor: Actor,
  auditContext: AuditContext,
  sessionId: string,
) {
  const session = await findSession(deps, actor, sessionId);
  if (!session)
    throw await refuse(deps, auditContext, 'adopter-event.bookings.view', 'adopter_event_session', sessionId);
  const bookings = await deps.db
    .selectFrom('adopter_event_bookings as booking')
    .leftJoin('adopter_enquiries as enquiry', 'enquiry.id', 'booking.enquiry_id')
    .select([
      'booking.id',
      'booking.name',
      'booking.email',
      'booking.status',
      'booking.version',
      'booking.created_at',
      'booking.enquiry_id',
      'enquiry.reference as enquiry_reference',
    ])
    .where('booking.session_id', '=', session.id)
    .orderBy('booking.created_at')
    .orderBy('booking.id')
    .execute();
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action: 'adopter-event.bookings.view',
    outcome: 'success',
    subjectType: 'adopter_event_session',
    subjectId: session.id,
    subjectOrganisationId: session.raaId,
    reason: `${bookings.length} bookings`,
  });
  return { session, bookings };
}

/** Thrown when attendance was recorded against an older version of the booking. */
export class StaleBooking extends Error {
  constructor() {
    super('Someone else changed this booking first');
  }
}

export async function recordAttendance(
  deps: EventDeps,
  actor: Actor,
  auditContext: AuditContext,
  sessionId: string,
  input: { bookingId: string; version: number; outcome: 'attended' | 'did_not_attend' },
): Promise<void> {
  const session = await findSession(deps, actor, sessionId);
  if (!session)
    throw await refuse(deps, auditContext, 'adopter-event.attendance', 'adopter_event_session', sessionId);
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('adopter_event_bookings')
      .set((eb) => ({ status: input.outcome, updated_at: auditContext.now, version: eb('version', '+', 1) }))
      .where('id', '=', input.bookingId)
      .where('session_id', '=', session.id)
      .where('version', '=', input.version)
      .where('status', 'in', [...placeTaking])
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'adopter-event.attendance',
      outcome: 'success',
      subjectType: 'adopter_event_booking',
      subjectId: input.bookingId,
      subjectOrganisationId: session.raaId,
      reason: input.outcome,
    });
    return true;
  });
  if (!changed) throw new StaleBooking();
}

/** Events an enquirer may be invited to: the RAA's events with a session still to come. */
export async function invitableEvents(deps: EventDeps, actor: Actor, now: Date) {
  const raaId = eventRaa(actor);
  if (!raaId) return [];
  return deps.db
    .selectFrom('adopter_events')
    .select(['id', 'kind', 'title'])
    .where('raa_id', '=', raaId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('adopter_event_sessions')
          .select('adopter_event_sessions.id')
          .whereRef('adopter_event_sessions.event_id', '=', 'adopter_events.id')
          .where('adopter_event_sessions.starts_at', '>', now),
      ),
    )
    .orderBy('created_at', 'desc')
    .execute();
}

export { StaleTriage };

/**
 * Invites an enquirer to an event: a one-time booking link (only its hash is kept) and the
 * enquiry's status set to 'invited', in one transaction, if the enquiry is still as the member of
 * staff saw it (otherwise StaleTriage, and nothing is sent).
 */
export async function inviteEnquirer(
  deps: EventDeps,
  actor: Actor,
  auditContext: AuditContext,
  enquiryId: string,
  eventId: string,
  version: number,
): Promise<{ token: string; name: string; email: string; title: string; expiresAt: Date }> {
  const enquiry = await findEnquiry(deps, actor, enquiryId);
  if (!enquiry) throw await refuse(deps, auditContext, 'adopter-event.invite', 'enquiry', enquiryId);
  const raaId = eventRaa(actor)!;
  const event = uuidPattern.test(eventId) ? await findEvent(deps.db, raaId, eventId) : undefined;
  if (!event) throw await refuse(deps, auditContext, 'adopter-event.invite', 'adopter_event', eventId);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(auditContext.now.getTime() + linkLifetimeDays * 86_400_000);
  const invited = await deps.db.transaction().execute(async (trx) => {
    if (!(await markEnquiryInvited(trx, deps, actor, auditContext, enquiry, version))) return false;
    await trx
      .insertInto('adopter_event_links')
      .values({
        token_hash: hashToken(token),
        event_id: event.id,
        enquiry_id: enquiry.id,
        name: enquiry.name,
        email: enquiry.email,
        created_by: actor.userId,
        created_at: auditContext.now,
        expires_at: expiresAt,
      })
      .execute();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'adopter-event.invite',
      outcome: 'success',
      subjectType: 'enquiry',
      subjectId: enquiry.id,
      subjectOrganisationId: raaId,
    });
    return true;
  });
  if (!invited) throw new StaleTriage((await findEnquiry(deps, actor, enquiryId)) ?? enquiry);
  return { token, name: enquiry.name, email: enquiry.email, title: event.title, expiresAt };
}

// ---- The public side: everything below is reached with a token, never with a session. ----

export type LinkProblem = 'unknown' | 'expired' | 'spent';

async function linkFor(executor: Db | Transaction<DB>, token: string, lock = false) {
  if (!tokenPattern.test(token)) return undefined;
  let query = executor
    .selectFrom('adopter_event_links')
    .selectAll()
    .where('token_hash', '=', hashToken(token));
  if (lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

function problemWith(link: Awaited<ReturnType<typeof linkFor>>, now: Date): LinkProblem | null {
  if (!link) return 'unknown';
  if (link.used_at) return 'spent';
  if (new Date(link.expires_at) <= now) return 'expired';
  return null;
}

export type LinkPage =
  | { kind: 'problem'; problem: LinkProblem }
  | {
      kind: 'choose' | 'booked';
      name: string;
      event: { title: string; kind: string; description: string | null };
      sessions: SessionSummary[];
      booking: { status: BookingStatus; session: SessionSummary } | null;
      expiresAt: Date;
    };

/** What the emailed link shows: the sessions to choose from, or the booking it made. */
export async function linkPage(deps: EventDeps, token: string, now: Date): Promise<LinkPage> {
  const link = await linkFor(deps.db, token);
  const problem = problemWith(link, now);
  if (problem || !link) return { kind: 'problem', problem: problem ?? 'unknown' };
  const event = await deps.db
    .selectFrom('adopter_events')
    .select(['title', 'kind', 'description'])
    .where('id', '=', link.event_id)
    .executeTakeFirstOrThrow();
  const sessions = (
    await sessionsWithCounts(deps.db)
      .where('session.event_id', '=', link.event_id)
      .orderBy('session.starts_at')
      .execute()
  ).map(summarise);
  let booking: { status: BookingStatus; session: SessionSummary } | null = null;
  if (link.booking_id) {
    const row = await deps.db
      .selectFrom('adopter_event_bookings')
      .select(['status', 'session_id'])
      .where('id', '=', link.booking_id)
      .executeTakeFirst();
    const session = sessions.find((s) => s.id === row?.session_id);
    if (row && session) booking = { status: row.status, session };
  }
  return {
    kind: booking ? 'booked' : 'choose',
    name: link.name,
    event,
    sessions: booking ? sessions : sessions.filter((s) => s.startsAt > now),
    booking,
    expiresAt: new Date(link.expires_at),
  };
}

export type BookOutcome =
  | { kind: 'problem'; problem: LinkProblem }
  | { kind: 'no-session' }
  | { kind: 'already' }
  | { kind: 'booked' | 'waiting' };

/**
 * Books the link's holder onto a session of the link's event: a place if one is left, otherwise
 * the waiting list. The session row is locked while its places are counted, so two people
 * booking the last place at once get one place and one waiting-list entry.
 */
export async function bookWithLink(
  deps: EventDeps,
  auditContext: AuditContext,
  token: string,
  sessionId: string,
): Promise<BookOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const link = await linkFor(trx, token, true);
    const problem = problemWith(link, auditContext.now);
    if (problem || !link) return { kind: 'problem', problem: problem ?? 'unknown' };
    if (link.booking_id) return { kind: 'already' };
    const session = await trx
      .selectFrom('adopter_event_sessions')
      .select(['id', 'capacity', 'starts_at'])
      .where('id', '=', sessionId)
      .where('event_id', '=', link.event_id)
      .where('starts_at', '>', auditContext.now)
      .forUpdate()
      .executeTakeFirst();
    if (!session) return { kind: 'no-session' };
    const taken = await trx
      .selectFrom('adopter_event_bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', session.id)
      .where('status', 'in', [...placeTaking])
      .executeTakeFirstOrThrow();
    const status: BookingStatus = Number(taken.n) < session.capacity ? 'booked' : 'waiting';
    const booking = await trx
      .insertInto('adopter_event_bookings')
      .values({
        session_id: session.id,
        enquiry_id: link.enquiry_id,
        name: link.name,
        email: link.email,
        status,
        created_at: auditContext.now,
        updated_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('adopter_event_links')
      .set({ booking_id: booking.id })
      .where('token_hash', '=', link.token_hash)
      .execute();
    const raa = await trx
      .selectFrom('adopter_events')
      .select('raa_id')
      .where('id', '=', link.event_id)
      .executeTakeFirstOrThrow();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'adopter-event.book',
      outcome: 'success',
      subjectType: 'adopter_event_booking',
      subjectId: booking.id,
      subjectOrganisationId: raa.raa_id,
      reason: status,
    });
    return { kind: status };
  });
}

export type CancelOutcome =
  | { kind: 'problem'; problem: LinkProblem }
  | { kind: 'nothing' }
  | { kind: 'cancelled'; promoted: { name: string; email: string } | null; title: string; startsAt: Date };

/**
 * Cancels the link's booking and spends the link. A freed place goes to the first person on the
 * session's waiting list, in the same transaction, under the session's lock.
 */
export async function cancelWithLink(
  deps: EventDeps,
  auditContext: AuditContext,
  token: string,
): Promise<CancelOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    const link = await linkFor(trx, token, true);
    const problem = problemWith(link, auditContext.now);
    if (problem || !link) return { kind: 'problem', problem: problem ?? 'unknown' };
    if (!link.booking_id) return { kind: 'nothing' };
    const current = await trx
      .selectFrom('adopter_event_bookings')
      .select(['id', 'session_id'])
      .where('id', '=', link.booking_id)
      .executeTakeFirst();
    if (!current) return { kind: 'nothing' };
    const session = await trx
      .selectFrom('adopter_event_sessions')
      .innerJoin('adopter_events', 'adopter_events.id', 'adopter_event_sessions.event_id')
      .select([
        'adopter_event_sessions.id',
        'adopter_event_sessions.starts_at',
        'adopter_events.title',
        'adopter_events.raa_id',
      ])
      .where('adopter_event_sessions.id', '=', current.session_id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const booking = await trx
      .selectFrom('adopter_event_bookings')
      .select(['id', 'status'])
      .where('id', '=', current.id)
      .executeTakeFirstOrThrow();
    if (booking.status !== 'booked' && booking.status !== 'waiting') return { kind: 'nothing' };
    await trx
      .updateTable('adopter_event_bookings')
      .set((eb) => ({
        status: 'cancelled' as const,
        updated_at: auditContext.now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', booking.id)
      .execute();
    await trx
      .updateTable('adopter_event_links')
      .set({ used_at: auditContext.now })
      .where('token_hash', '=', link.token_hash)
      .execute();
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'adopter-event.cancel',
      outcome: 'success',
      subjectType: 'adopter_event_booking',
      subjectId: booking.id,
      subjectOrganisationId: session.raa_id,
    });
    let promoted: { name: string; email: string } | null = null;
    if (booking.status === 'booked') {
      const next = await trx
        .selectFrom('adopter_event_bookings')
        .select(['id', 'name', 'email'])
        .where('session_id', '=', session.id)
        .where('status', '=', 'waiting')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (next) {
        await trx
          .updateTable('adopter_event_bookings')
          .set((eb) => ({
            status: 'booked' as const,
            updated_at: auditContext.now,
            version: eb('version', '+', 1),
          }))
          .where('id', '=', next.id)
          .execute();
        await writeAudit(trx, deps.auditKey, auditContext, {
          action: 'adopter-event.promote',
          outcome: 'success',
          subjectType: 'adopter_event_booking',
          subjectId: next.id,
          subjectOrganisationId: session.raa_id,
        });
        promoted = { name: next.name, email: next.email };
      }
    }
    return { kind: 'cancelled', promoted, title: session.title, startsAt: new Date(session.starts_at) };
  });
}
