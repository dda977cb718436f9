// Letterbox pages (issue 8 §4): an agreement with its parties, months and exchanges; an item's
// check, hold and forward; the letters produced, as PDFs built through the birth-relative guard.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { parseForm } from '../../platform/http/validation.js';
import { addCalendarMonths } from '../../platform/time/index.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import {
  birthRelativeOutputs,
  BirthRelativeOutputRefused,
  isBirthRelativeOutputKind,
} from './birth-relative-output.js';
import { familyOutputLabels, FamilyOutputRefused, type FamilyOutputKind } from './family-letters.js';
import {
  agreementForm,
  agreementPage,
  checkExchange,
  createAgreement,
  endAgreement,
  exchangePage,
  exchangeStatusLabels,
  forwardExchange,
  holdExchange,
  logExchange,
  noticeToBirthRelative,
  outputDocument,
} from './letterbox.service.js';
import {
  agreementEndSchema,
  agreementSchema,
  checkSchema,
  exchangeSchema,
  holdSchema,
  versionOnlySchema,
} from './support.forms.js';
import { echo, errorsFor, idFrom, noticeFrom, staleMessage, supportView } from './support.http.js';
import {
  caseName,
  items,
  monthName,
  monthYear,
  periodStatusTags,
  supportPaths,
} from './support.presenter.js';
import { StaleSupportRecord, SupportRefused, type SupportDeps } from './support.service.js';

const readAccess = { access: { permission: 'support:read' as const } };
const writeAccess = { access: { permission: 'support:write' as const } };

type Errors = ReturnType<typeof errorsFor>;

const outputLabel = (kind: string) =>
  isBirthRelativeOutputKind(kind)
    ? birthRelativeOutputs[kind].label
    : (familyOutputLabels[kind as FamilyOutputKind] ?? kind);

export function registerLetterboxRoutes(
  app: FastifyInstance,
  context: ModuleContext,
  deps: SupportDeps,
): void {
  const mailDeps = { ...deps, mailer: context.mailer };

  // ── Setting up an agreement ───────────────────────────────────────────────────────────────
  const renderNew = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: Errors,
  ) => {
    const { found, children } = await agreementForm(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    const chosenMonths = ([] as unknown[]).concat(values.months ?? []).map(String);
    const checkbox = (name: string, text: string) => ({
      value: 'yes',
      text,
      name,
      checked: values[name] === 'yes',
    });
    return reply.view(supportView('agreement-form'), {
      pageTitle: 'Set up a letterbox agreement',
      caseHref: supportPaths.case(found.id),
      caseName: caseName(found),
      reference: found.reference,
      action: supportPaths.agreementCreate(found.id),
      childItems: items(
        Object.fromEntries(children.map((c) => [c.id, `${c.first_name} ${c.last_name}`])),
        values.supportChildId,
        'Choose the child',
      ),
      monthItems: Array.from({ length: 12 }, (_, i) => ({
        value: String(i + 1),
        text: monthName(i + 1),
        checked: chosenMonths.includes(String(i + 1)),
      })),
      familyItems: [
        checkbox('familyWrites', 'The family writes'),
        checkbox('familyReceives', 'The family receives letters'),
      ],
      relatives: [1, 2, 3].map((n) => ({
        n,
        items: [
          checkbox(`relative${n}-writes`, 'Writes'),
          checkbox(`relative${n}-receives`, 'Receives letters'),
        ],
        emailItems: [
          checkbox(`relative${n}-prefersEmail`, 'Send their acknowledgements and reminders by email'),
        ],
      })),
      values,
      ...errors,
    });
  };

  app.get('/support/cases/:id/letterbox/new', { config: writeAccess }, (request, reply) =>
    renderNew(request, reply),
  );

  app.post('/support/cases/:id/letterbox', { config: writeAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(agreementSchema, request.body);
    if (!form.ok) return renderNew(request, reply.code(400), values, form);
    try {
      const id = await createAgreement(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        form.data,
      );
      return reply.redirect(supportPaths.agreement(id, 'agreement'), 303);
    } catch (error) {
      if (error instanceof SupportRefused)
        return renderNew(request, reply.code(error.status), values, errorsFor(error.errors));
      throw error;
    }
  });

  // ── An agreement ──────────────────────────────────────────────────────────────────────────
  const renderAgreement = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: Record<string, unknown>; errors?: Errors; open?: string } = {},
  ) => {
    const found = await agreementPage(deps, request.actor!, context.auditContext(request), idFrom(request));
    const { agreement, today } = found;
    const values = state.values ?? {};
    const windowStart = addCalendarMonths(today, -24);
    const windowEnd = addCalendarMonths(today, 12);
    const periods = [
      ...new Set(
        found.schedules.flatMap((s) =>
          s.states.filter((p) => p.period >= windowStart && p.period <= windowEnd).map((p) => p.period),
        ),
      ),
    ].sort();
    const outstanding = found.schedules
      .flatMap((s) => s.states.filter((p) => p.status === 'due' || p.status === 'missed'))
      .map((p) => p.period);
    const defaultPeriod =
      (values.forPeriod as string | undefined) ??
      outstanding.sort()[0] ??
      periods.find((p) => p >= today) ??
      '';
    return reply.view(supportView('agreement'), {
      pageTitle: `Letterbox agreement ${agreement.reference}`,
      notice: noticeFrom(request),
      caseHref: supportPaths.case(agreement.case_id),
      caseReference: agreement.case_reference,
      familyName: agreement.family_name ?? 'Adoptive family',
      reference: agreement.reference,
      ended: agreement.status === 'ended',
      rows: [
        {
          key: { text: 'Child' },
          value: {
            text: agreement.child_first_name
              ? `${agreement.child_first_name} ${agreement.child_last_name}`
              : 'Not recorded',
          },
        },
        {
          key: { text: 'Letters are exchanged in' },
          value: { text: agreement.months.map(monthName).join(' and ') },
        },
        { key: { text: 'Started' }, value: { text: formatDate(agreement.starts_on) } },
        {
          key: { text: 'Review' },
          value: { text: agreement.review_on ? formatDate(agreement.review_on) : 'Not set' },
        },
        {
          key: { text: 'Status' },
          value: {
            text:
              agreement.status === 'ended'
                ? `Ended ${formatDate(agreement.ended_on)}: ${agreement.end_reason ?? ''}`
                : 'Active',
          },
        },
      ],
      parties: found.parties.map((p) => ({
        name: p.name,
        side: p.side === 'adoptive_family' ? 'Adoptive family' : (p.relationship ?? 'Birth relative'),
        writes: p.writes ? 'Yes' : 'No',
        receives: p.receives ? 'Yes' : 'No',
        contact:
          p.side === 'birth_relative'
            ? found.mayReadContacts
              ? [p.address_line_1, p.address_line_2, p.town, p.postcode, p.email].filter(Boolean).join(', ') +
                (p.prefers_email ? ' (by email)' : '')
              : 'Need-to-know: support workers only'
            : 'On the case (protected)',
      })),
      schedules: found.schedules.map((s) => ({
        name: s.party.side === 'adoptive_family' ? 'From the adoptive family' : `From ${s.party.name}`,
        states: s.states
          .filter((p) => p.period >= addCalendarMonths(today, -18))
          .slice(0, 8)
          .map((p) => ({
            month: monthYear(p.period),
            tag: periodStatusTags[p.status],
            missedAfter: formatDate(p.missedAfter),
          })),
      })),
      exchanges: found.exchanges.map((x) => ({
        href: supportPaths.item(x.id),
        month: monthYear(String(x.for_period)),
        from: x.from_side === 'adoptive_family' ? 'The adoptive family' : x.from_name,
        receivedOn: formatDate(x.received_on),
        status: exchangeStatusLabels[x.status],
      })),
      outputs: found.outputs.map((o) => ({
        href: supportPaths.output(o.id),
        what: outputLabel(o.kind),
        to: o.party_name,
        channel: o.channel === 'email' ? 'Email' : 'Letter (PDF)',
        when: formatDateTime(o.created_at),
      })),
      partyItems: items(
        Object.fromEntries(
          found.parties
            .filter((p) => p.writes)
            .map((p) => [p.id, p.side === 'adoptive_family' ? `The adoptive family (${p.name})` : p.name]),
        ),
        values.fromPartyId,
        'Choose who it is from',
      ),
      periodItems: periods.map((p) => ({ value: p, text: monthYear(p), selected: p === defaultPeriod })),
      itemsAction: supportPaths.items(agreement.id),
      endAction: supportPaths.endAgreement(agreement.id),
      version: agreement.version,
      mayWrite: request.actor!.permissions.has('support:write'),
      values,
      open: state.open,
      ...state.errors,
    });
  };

  app.get('/support/letterbox/:id', { config: readAccess }, (request, reply) =>
    renderAgreement(request, reply),
  );

  app.post('/support/letterbox/:id/items', { config: writeAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(exchangeSchema, request.body);
    if (!form.ok) return renderAgreement(request, reply.code(400), { values, errors: form, open: 'item' });
    try {
      const id = await logExchange(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        form.data,
      );
      return reply.redirect(supportPaths.item(id, 'item'), 303);
    } catch (error) {
      if (error instanceof SupportRefused) {
        return renderAgreement(request, reply.code(error.status), {
          values,
          errors: errorsFor(error.errors),
          open: 'item',
        });
      }
      throw error;
    }
  });

  app.post('/support/letterbox/:id/end', { config: writeAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(agreementEndSchema, request.body);
    if (!form.ok) return renderAgreement(request, reply.code(400), { values, errors: form, open: 'end' });
    try {
      await endAgreement(deps, request.actor!, context.auditContext(request), idFrom(request), form.data);
    } catch (error) {
      if (error instanceof SupportRefused) {
        return renderAgreement(request, reply.code(error.status), {
          values,
          errors: errorsFor(error.errors),
          open: 'end',
        });
      }
      if (error instanceof StaleSupportRecord) {
        return renderAgreement(request, reply.code(409), {
          values,
          errors: errorsFor([{ field: 'reason', message: staleMessage }]),
          open: 'end',
        });
      }
      throw error;
    }
    return reply.redirect(supportPaths.agreement(idFrom(request), 'ended'), 303);
  });

  // ── An item ───────────────────────────────────────────────────────────────────────────────
  const renderItem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values?: Record<string, unknown>; errors?: Errors } = {},
  ) => {
    const found = await exchangePage(deps, request.actor!, context.auditContext(request), idFrom(request));
    const { exchange } = found;
    const values = state.values ?? {};
    const fromFamily = exchange.from_side === 'adoptive_family';
    return reply.view(supportView('item'), {
      pageTitle: `Letterbox item for ${monthYear(String(exchange.for_period))}`,
      notice: noticeFrom(request),
      agreementHref: supportPaths.agreement(exchange.agreement_id),
      agreementReference: exchange.agreement_reference,
      caseReference: exchange.case_reference,
      month: monthYear(String(exchange.for_period)),
      status: exchange.status,
      statusLabel: exchangeStatusLabels[exchange.status],
      fromFamily,
      rows: [
        {
          key: { text: 'From' },
          value: { text: fromFamily ? `The adoptive family (${exchange.from_name})` : exchange.from_name },
        },
        { key: { text: 'For' }, value: { text: monthYear(String(exchange.for_period)) } },
        { key: { text: 'Arrived' }, value: { text: formatDate(exchange.received_on) } },
        { key: { text: 'Status' }, value: { text: exchangeStatusLabels[exchange.status] } },
        ...(exchange.checked_by_name
          ? [
              {
                key: { text: 'Checked by' },
                value: { text: `${exchange.checked_by_name}, ${formatDateTime(exchange.checked_at)}` },
              },
            ]
          : []),
        ...(exchange.redaction_note
          ? [{ key: { text: 'What was removed' }, value: { text: exchange.redaction_note } }]
          : []),
        ...(exchange.status === 'held'
          ? [
              {
                key: { text: 'Held' },
                value: { text: `By ${exchange.held_by_name ?? 'a worker'}: ${exchange.held_reason ?? ''}` },
              },
            ]
          : []),
        {
          key: { text: 'Goes to' },
          value: {
            text: found.receivers.map((r) => r.name).join(', ') || 'Nobody receives letters from them',
          },
        },
      ],
      // A birth relative's letter as it arrived may hold their own details: need-to-know.
      original:
        fromFamily || request.actor!.permissions.has('support:restricted')
          ? exchange.original_text
          : 'Need-to-know: a birth relative’s letter as it arrived is shown to support workers only.',
      redacted: exchange.redacted_text,
      events: found.events.map((e) => ({
        what: e.action.replace('_', ' '),
        by: e.recorded_by_name ?? 'Kindred',
        when: formatDateTime(e.recorded_at),
        note: e.note,
      })),
      outputs: found.outputs.map((o) => ({
        href: supportPaths.output(o.id),
        what: outputLabel(o.kind),
        to: o.party_name,
        channel: o.channel === 'email' ? 'Email' : 'Letter (PDF)',
      })),
      version: exchange.version,
      mayWrite: request.actor!.permissions.has('support:write'),
      mayRelease: found.mayRelease,
      acknowledged: found.acknowledged,
      heldNoticeSent: found.heldNoticeSent,
      actions: {
        check: supportPaths.check(exchange.id),
        hold: supportPaths.hold(exchange.id),
        forward: supportPaths.forward(exchange.id),
        acknowledge: supportPaths.acknowledge(exchange.id),
        heldNotice: supportPaths.heldNotice(exchange.id),
      },
      receiverNames: found.receivers.map((r) => r.name).join(' and '),
      values: { redactedText: exchange.redacted_text ?? exchange.original_text, ...values },
      ...state.errors,
    });
  };

  app.get('/support/letterbox-items/:id', { config: readAccess }, (request, reply) =>
    renderItem(request, reply),
  );

  const itemAction =
    (
      done: string,
      parse: (
        body: unknown,
      ) =>
        | ReturnType<typeof parseForm<typeof versionOnlySchema>>
        | ReturnType<typeof parseForm<typeof checkSchema>>
        | ReturnType<typeof parseForm<typeof holdSchema>>,
      act: (request: FastifyRequest, data: Record<string, unknown> & { version: number }) => Promise<unknown>,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const values = echo(request.body);
      const form = parse(request.body);
      if (!form.ok) return renderItem(request, reply.code(400), { values, errors: form });
      try {
        await act(request, form.data as Record<string, unknown> & { version: number });
      } catch (error) {
        if (error instanceof SupportRefused)
          return renderItem(request, reply.code(error.status), { values, errors: errorsFor(error.errors) });
        if (error instanceof BirthRelativeOutputRefused || error instanceof FamilyOutputRefused) {
          return renderItem(request, reply.code(409), {
            values,
            errors: errorsFor([
              { field: done === 'forwarded' ? 'release' : 'notice', message: error.message },
            ]),
          });
        }
        if (error instanceof StaleSupportRecord) {
          return renderItem(request, reply.code(409), {
            values,
            errors: errorsFor([{ field: 'redactedText', message: staleMessage }]),
          });
        }
        throw error;
      }
      return reply.redirect(supportPaths.item(idFrom(request), done), 303);
    };

  /** Every action on an item is a POST to /support/letterbox-items/:id/… by someone who may write. */
  const itemRoute = (path: string, ...action: Parameters<typeof itemAction>) =>
    app.post(`/support/letterbox-items/:id/${path}`, { config: writeAccess }, itemAction(...action));

  itemRoute(
    'check',
    'checked',
    (body) => parseForm(checkSchema, body),
    (request, data) =>
      checkExchange(deps, request.actor!, context.auditContext(request), idFrom(request), data as never),
  );
  itemRoute(
    'hold',
    'held',
    (body) => parseForm(holdSchema, body),
    (request, data) =>
      holdExchange(deps, request.actor!, context.auditContext(request), idFrom(request), data as never),
  );
  itemRoute(
    'forward',
    'forwarded',
    (body) => parseForm(versionOnlySchema, body),
    (request, data) =>
      forwardExchange(deps, request.actor!, context.auditContext(request), idFrom(request), data.version),
  );
  itemRoute(
    'acknowledge',
    'acknowledged',
    (body) => parseForm(versionOnlySchema, body),
    (request, data) =>
      noticeToBirthRelative(
        mailDeps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        data.version,
        'acknowledgement',
      ),
  );
  itemRoute(
    'held-notice',
    'held-notice',
    (body) => parseForm(versionOnlySchema, body),
    (request, data) =>
      noticeToBirthRelative(
        mailDeps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        data.version,
        'held-notice',
      ),
  );

  // ── A produced letter ─────────────────────────────────────────────────────────────────────
  app.get('/support/letterbox-outputs/:id', { config: readAccess }, async (request, reply) => {
    const document = await outputDocument(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    if (document.kind === 'pdf') {
      return reply
        .header('content-disposition', `attachment; filename="${document.filename}"`)
        .type('application/pdf')
        .send(document.pdf);
    }
    return reply.view(supportView('output-email'), {
      pageTitle: document.subject,
      subject: document.subject,
      body: document.body,
      caseHref: supportPaths.case(document.caseId),
    });
  });
}
