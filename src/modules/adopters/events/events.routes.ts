// Events and courses (issue 5 §4): staff pages for the RAA's information events and preparation
// groups, and the public pages an enquirer reaches from the booking link in their email. Thin:
// parse, call the service, render or redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../../platform/app.js';
import { fieldErrorView, inFieldOrder, parseForm } from '../../../platform/http/validation.js';
import type { OutgoingMail } from '../../../platform/mail/mailer.js';
import { formatDateTime } from '../../../platform/views/render.js';
import { enquiryDetail, StaleTriage } from '../enquiries.service.js';
import {
  attendanceSchema,
  bookSchema,
  eventFormOrder,
  eventKindLabels,
  eventSchema,
  inviteSchema,
  sessionFormOrder,
  sessionSchema,
} from './events.forms.js';
import {
  addSession,
  bookWithLink,
  cancelWithLink,
  createEvent,
  eventDetail,
  invitableEvents,
  inviteEnquirer,
  linkPage,
  listEvents,
  recordAttendance,
  sessionBookings,
  StaleBooking,
  type LinkProblem,
  type SessionSummary,
} from './events.service.js';
import type { BookingStatus } from './events.tables.js';

const view = (name: string) => `adopters/events/views/${name}.njk`;
const publicPage = { access: { public: true as const } };
const triage = { access: { permission: 'enquiries:triage' as const } };
// A few tries per address: the booking pages are public (issue 5 §4, like the enquiry form).
const publicPost = {
  bodyLimit: 8 * 1024,
  config: { ...publicPage, rateLimit: { max: 10, timeWindow: '10 minutes' } },
};

export const eventPaths = {
  list: '/events',
  create: '/events/new',
  event: (id: string) => `/events/${id}`,
  newSession: (id: string) => `/events/${id}/sessions/new`,
  sessions: (id: string) => `/events/${id}/sessions`,
  bookings: (id: string) => `/event-sessions/${id}`,
  attendance: (id: string) => `/event-sessions/${id}/attendance`,
  invite: (enquiryId: string) => `/enquiries/${enquiryId}/invite`,
  book: (token: string) => `/adopt/events/book/${token}`,
  cancel: (token: string) => `/adopt/events/book/${token}/cancel`,
};

export const bookingStatusLabels: Record<BookingStatus, string> = {
  booked: 'Booked',
  waiting: 'Waiting list',
  cancelled: 'Cancelled',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
};

const problemText: Record<LinkProblem, { title: string; body: string }> = {
  unknown: {
    title: 'This booking link does not work',
    body: 'Check that you copied the whole link from the email. If it still does not work, reply to the email and we will send you a new one.',
  },
  expired: {
    title: 'This booking link has expired',
    body: 'Booking links work for 60 days. Reply to the email and we will send you a new one.',
  },
  spent: {
    title: 'This booking link has been used',
    body: 'You cancelled your booking with this link, so it no longer works. Reply to the email if you would like to book again.',
  },
};

const timeOnly = (date: Date) => formatDateTime(date).split(' at ')[1] ?? '';

function presentSession(session: SessionSummary, options: { showLink?: boolean } = {}) {
  return {
    id: session.id,
    href: eventPaths.bookings(session.id),
    when: `${formatDateTime(session.startsAt)} to ${timeOnly(session.endsAt)}`,
    where: session.online ? 'Online' : [session.venueName, session.venueAddress].filter(Boolean).join(', '),
    online: session.online,
    meetingLink: options.showLink ? session.meetingLink : null,
    capacity: session.capacity,
    taken: session.taken,
    waiting: session.waiting,
    placesLeft: session.placesLeft,
    placesText:
      session.placesLeft === 0
        ? 'Full: you can join the waiting list'
        : `${session.placesLeft} ${session.placesLeft === 1 ? 'place' : 'places'} left`,
  };
}

function typedStrings(body: unknown, names: readonly string[]): Record<string, string> {
  const fields = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    names.filter((n) => typeof fields[n] === 'string').map((n) => [n, (fields[n] as string).slice(0, 2000)]),
  );
}

export function registerEventRoutes(app: FastifyInstance, context: ModuleContext): void {
  context.navigation.push({
    text: 'Events',
    href: eventPaths.list,
    permission: 'enquiries:triage',
    order: 31,
  });
  const deps = { db: context.db, auditKey: context.auditKey };
  const param = (request: FastifyRequest, name = 'id') =>
    String((request.params as Record<string, unknown>)[name] ?? '');

  const raaName = async () =>
    (
      await context.db
        .selectFrom('organisations')
        .select('name')
        .where('kind', '=', 'raa')
        .where('active', '=', true)
        .orderBy('created_at')
        .executeTakeFirst()
    )?.name ?? 'your regional adoption agency';

  /** Sent after answering; a failure is logged without the address. */
  const sendLater = (mail: OutgoingMail, what: string) =>
    setImmediate(() => {
      context.mailer.send(mail).catch((error: unknown) => {
        app.log.error({ code: (error as { code?: unknown })?.code }, `${what} email not sent`);
      });
    });

  // ---- Staff ----

  app.get(eventPaths.list, { config: triage }, async (request, reply) => {
    const events = await listEvents(deps, request.actor!);
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    return reply.view(view('events'), {
      pageTitle: 'Events and courses',
      notice: done === 'created' ? 'Event created' : undefined,
      events: events.map((event) => ({
        href: eventPaths.event(event.id),
        title: event.title,
        kind: eventKindLabels[event.kind],
        sessions: event.sessions.map((s) => presentSession(s)),
      })),
    });
  });

  const renderEventForm = (
    reply: FastifyReply,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) =>
    reply.code(errors ? 400 : 200).view(view('event-form'), {
      pageTitle: 'Create an event',
      values,
      kindItems: Object.entries(eventKindLabels).map(([value, text]) => ({
        value,
        text,
        checked: value === values.kind,
      })),
      ...errors,
    });

  app.get(eventPaths.create, { config: triage }, async (_request, reply) => renderEventForm(reply, {}));

  app.post(eventPaths.list, { config: triage }, async (request, reply) => {
    const form = parseForm(eventSchema, request.body);
    if (!form.ok)
      return renderEventForm(
        reply,
        typedStrings(request.body, eventFormOrder),
        fieldErrorView(inFieldOrder(form.errors, eventFormOrder)),
      );
    const id = await createEvent(deps, request.actor!, context.auditContext(request), form.data);
    return reply.redirect(`${eventPaths.event(id)}?done=created`, 303);
  });

  app.get('/events/:id', { config: triage }, async (request, reply) => {
    const { event, sessions } = await eventDetail(
      deps,
      request.actor!,
      context.auditContext(request),
      param(request),
    );
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    return reply.view(view('event'), {
      pageTitle: event.title,
      notice: done === 'created' ? 'Event created' : done === 'session' ? 'Session added' : undefined,
      event: { ...event, kindLabel: eventKindLabels[event.kind] },
      newSessionHref: eventPaths.newSession(event.id),
      sessions: sessions.map((s) => presentSession(s, { showLink: true })),
    });
  });

  const sessionFields = [
    'date-day',
    'date-month',
    'date-year',
    'startTime',
    'endTime',
    'online',
    'venueName',
    'venueAddress',
    'meetingLink',
    'capacity',
  ];
  const renderSessionForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const { event } = await eventDetail(deps, request.actor!, context.auditContext(request), param(request));
    return reply.code(errors ? 400 : 200).view(view('session-form'), {
      pageTitle: `Add a session: ${event.title}`,
      event,
      backHref: eventPaths.event(event.id),
      action: eventPaths.sessions(event.id),
      values,
      ...errors,
    });
  };

  app.get('/events/:id/sessions/new', { config: triage }, async (request, reply) =>
    renderSessionForm(request, reply, {}),
  );

  app.post('/events/:id/sessions', { config: triage }, async (request, reply) => {
    const form = parseForm(sessionSchema, request.body);
    if (!form.ok)
      return renderSessionForm(
        request,
        reply,
        typedStrings(request.body, sessionFields),
        fieldErrorView(inFieldOrder(form.errors, sessionFormOrder)),
      );
    await addSession(deps, request.actor!, context.auditContext(request), param(request), form.data);
    return reply.redirect(`${eventPaths.event(param(request))}?done=session`, 303);
  });

  const renderBookings = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { notice?: string; errors?: ReturnType<typeof fieldErrorView> } = {},
  ) => {
    const { session, bookings } = await sessionBookings(
      deps,
      request.actor!,
      context.auditContext(request),
      param(request),
    );
    return reply.view(view('session'), {
      pageTitle: `Bookings: ${session.title}`,
      notice: options.notice,
      ...options.errors,
      title: session.title,
      eventHref: eventPaths.event(session.eventId),
      session: presentSession(session, { showLink: true }),
      action: eventPaths.attendance(session.id),
      bookings: bookings.map((b) => ({
        id: b.id,
        name: b.name,
        email: b.email,
        version: b.version,
        status: bookingStatusLabels[b.status],
        mayRecord: b.status === 'booked' || b.status === 'attended' || b.status === 'did_not_attend',
        enquiryHref: b.enquiry_id ? `/enquiries/${b.enquiry_id}` : null,
        enquiryReference: b.enquiry_reference,
        booked: formatDateTime(b.created_at),
      })),
    });
  };

  app.get('/event-sessions/:id', { config: triage }, async (request, reply) => {
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    return renderBookings(request, reply, {
      notice: done === 'attendance' ? 'Attendance recorded' : undefined,
    });
  });

  app.post('/event-sessions/:id/attendance', { config: triage }, async (request, reply) => {
    const form = parseForm(attendanceSchema, request.body);
    if (!form.ok) {
      return renderBookings(request, reply.code(400), {
        errors: fieldErrorView([
          { field: 'form', message: form.errors[0]?.message ?? 'Select whether they came' },
        ]),
      });
    }
    try {
      await recordAttendance(deps, request.actor!, context.auditContext(request), param(request), form.data);
    } catch (error) {
      if (!(error instanceof StaleBooking)) throw error;
      return renderBookings(request, reply.code(409), {
        errors: fieldErrorView([
          {
            field: 'form',
            message:
              'Someone else changed this booking after you opened this page. Check the list below, then record attendance again.',
          },
        ]),
      });
    }
    return reply.redirect(`${eventPaths.bookings(param(request))}?done=attendance`, 303);
  });

  const renderInvite = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const enquiry = await enquiryDetail(deps, request.actor!, context.auditContext(request), param(request));
    const events = await invitableEvents(deps, request.actor!, context.clock());
    return reply.code(reply.statusCode === 409 ? 409 : errors ? 400 : 200).view(view('invite'), {
      pageTitle: `Invite ${enquiry.name} to an event`,
      notice:
        (request.query as Record<string, unknown> | undefined)?.sent === '1'
          ? `Invitation sent to ${enquiry.email}`
          : undefined,
      enquiry: { name: enquiry.name, email: enquiry.email, reference: enquiry.reference },
      backHref: `/enquiries/${enquiry.id}`,
      action: eventPaths.invite(enquiry.id),
      createHref: eventPaths.create,
      values: { version: String(enquiry.version), ...values },
      eventItems: events.map((e) => ({
        value: e.id,
        text: e.title,
        hint: { text: eventKindLabels[e.kind] },
        checked: e.id === values.eventId,
      })),
      ...errors,
    });
  };

  app.get('/enquiries/:id/invite', { config: triage }, async (request, reply) =>
    renderInvite(request, reply, {}),
  );

  app.post('/enquiries/:id/invite', { config: triage }, async (request, reply) => {
    const typed = typedStrings(request.body, ['eventId']);
    const form = parseForm(inviteSchema, request.body);
    if (!form.ok) return renderInvite(request, reply, typed, fieldErrorView(form.errors));
    let invitation;
    try {
      invitation = await inviteEnquirer(
        deps,
        request.actor!,
        context.auditContext(request),
        param(request),
        form.data.eventId,
        form.data.version,
      );
    } catch (error) {
      if (!(error instanceof StaleTriage)) throw error;
      return renderInvite(
        request,
        reply.code(409),
        { ...typed, version: String(error.current.version) },
        fieldErrorView([
          {
            field: 'eventId',
            message:
              'Someone else changed this enquiry after you opened this page. Check it, then send the invitation again.',
          },
        ]),
      );
    }
    const link = new URL(eventPaths.book(invitation.token), context.config.publicUrl).toString();
    const raa = await raaName();
    sendLater(
      {
        to: invitation.email,
        subject: `Book your place: ${invitation.title}`,
        text: [
          `Dear ${invitation.name.split(' ')[0] ?? invitation.name},`,
          `Thank you for your interest in adopting with ${raa}. We would like to invite you to ${invitation.title}.`,
          `Choose a date and book your place here:\n${link}`,
          `You can also cancel from the same link. It works for 60 days, until ${formatDateTime(invitation.expiresAt)}. Please do not share it: anyone with it can book or cancel for you.`,
          raa,
        ].join('\n\n'),
      },
      'event invitation',
    );
    return reply.redirect(`${eventPaths.invite(param(request))}?sent=1`, 303);
  });

  // ---- Public, from the emailed link ----

  const renderLink = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
    extra: { errors?: ReturnType<typeof fieldErrorView>; notice?: string } = {},
  ) => {
    const page = await linkPage(deps, token, context.clock());
    if (page.kind === 'problem') {
      const text = problemText[page.problem];
      return reply.code(page.problem === 'unknown' ? 404 : 410).view(view('link-problem'), {
        pageTitle: text.title,
        ...text,
        raaName: await raaName(),
      });
    }
    return reply.code(extra.errors ? 400 : reply.statusCode).view(view('book'), {
      pageTitle: page.booking ? 'Your booking' : `Book a place: ${page.event.title}`,
      raaName: await raaName(),
      name: page.name,
      event: { ...page.event, kindLabel: eventKindLabels[page.event.kind as keyof typeof eventKindLabels] },
      action: eventPaths.book(token),
      cancelAction: eventPaths.cancel(token),
      notice: extra.notice,
      booking: page.booking
        ? {
            status: page.booking.status,
            statusText: bookingStatusLabels[page.booking.status],
            session: presentSession(page.booking.session, {
              showLink: page.booking.status === 'booked',
            }),
            mayCancel: page.booking.status === 'booked' || page.booking.status === 'waiting',
          }
        : null,
      sessionItems: page.sessions.map((s) => {
        const shown = presentSession(s);
        return { value: s.id, text: shown.when, hint: { text: `${shown.where}. ${shown.placesText}` } };
      }),
      expires: formatDateTime(page.expiresAt),
      ...extra.errors,
    });
  };

  app.get('/adopt/events/book/:token', { config: publicPage }, async (request, reply) => {
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    return renderLink(request, reply, param(request, 'token'), {
      notice:
        done === 'booked'
          ? 'You have a place'
          : done === 'waiting'
            ? 'You are on the waiting list'
            : undefined,
    });
  });

  app.post('/adopt/events/book/:token', publicPost, async (request, reply) => {
    const token = param(request, 'token');
    const form = parseForm(bookSchema, request.body);
    if (!form.ok)
      return renderLink(request, reply, token, {
        errors: fieldErrorView([{ field: 'sessionId', message: 'Select a session' }]),
      });
    const outcome = await bookWithLink(deps, context.auditContext(request), token, form.data.sessionId);
    if (outcome.kind === 'problem' || outcome.kind === 'already')
      return reply.redirect(eventPaths.book(token), 303);
    if (outcome.kind === 'no-session')
      return renderLink(request, reply, token, {
        errors: fieldErrorView([{ field: 'sessionId', message: 'Select one of the sessions shown' }]),
      });
    return reply.redirect(`${eventPaths.book(token)}?done=${outcome.kind}`, 303);
  });

  app.post('/adopt/events/book/:token/cancel', publicPost, async (request, reply) => {
    const token = param(request, 'token');
    const outcome = await cancelWithLink(deps, context.auditContext(request), token);
    if (outcome.kind !== 'cancelled') return reply.redirect(eventPaths.book(token), 303);
    if (outcome.promoted) {
      const raa = await raaName();
      sendLater(
        {
          to: outcome.promoted.email,
          subject: `A place is free: ${outcome.title}`,
          text: [
            `Dear ${outcome.promoted.name.split(' ')[0] ?? outcome.promoted.name},`,
            `A place has become free at ${outcome.title} on ${formatDateTime(outcome.startsAt)}, and it is yours: you were first on the waiting list.`,
            'You can see your booking, or cancel it, from the link in the email that invited you.',
            raa,
          ].join('\n\n'),
        },
        'waiting list place',
      );
    }
    return reply.view(view('cancelled'), {
      pageTitle: 'Booking cancelled',
      raaName: await raaName(),
      title: outcome.title,
      when: formatDateTime(outcome.startsAt),
    });
  });
}
