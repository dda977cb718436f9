// The public front door (no sign-in) and the RAA's triage queue (issue 5 §1). Thin: parse, call
// the service, render or redirect.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { fieldErrorView, inFieldOrder, parseForm } from '../../platform/http/validation.js';
import type { OutgoingMail } from '../../platform/mail/mailer.js';
import { formatDateTime } from '../../platform/views/render.js';
import {
  applyingAsOptions,
  enquirySchema,
  heardFromOptions,
  previousExperienceOptions,
  triageSchema,
} from './enquiry.forms.js';
import { enquiryStatuses, type EnquiryStatus } from './enquiries.tables.js';
import {
  applyEnquiryRetention,
  enquiryDetail,
  receiveEnquiry,
  recordTriage,
  StaleTriage,
  triageQueue,
  type EnquiryRow,
} from './enquiries.service.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobTypes {
    /** Minimises and deletes enquiries from people who never registered (issue 5 §6). */
    'adopters.enquiry-retention': Record<string, never>;
  }
}

const view = (name: string) => `adopters/views/${name}.njk`;
const publicPage = { access: { public: true as const } };
const triage = { access: { permission: 'enquiries:triage' as const } };

export const enquiryPaths = {
  about: '/adopt',
  enquire: '/adopt/enquire',
  received: '/adopt/enquire/received',
  queue: '/enquiries',
  enquiry: (id: string) => `/enquiries/${id}`,
  triage: (id: string) => `/enquiries/${id}/triage`,
};

export const statusLabels: Record<EnquiryStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  invited: 'Invited to an information event',
  closed: 'Closed',
};

const enquiryFormOrder = [
  'name',
  'email',
  'phone',
  'postcode',
  'applyingAs',
  'previousExperience',
  'heardFrom',
  'message',
];

const radioItems = (options: Record<string, string>, chosen: string | undefined) =>
  Object.entries(options).map(([value, text]) => ({ value, text, checked: value === chosen }));

/** What was typed, to show again beside its error: strings only, bounded; never the honeypot. */
function echo(body: unknown): Record<string, string> {
  const fields = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    enquiryFormOrder
      .filter((name) => typeof fields[name] === 'string')
      .map((name) => [name, (fields[name] as string).slice(0, 2000)]),
  );
}

function confirmationEmail(to: string, firstName: string, reference: string, raaName: string): OutgoingMail {
  return {
    to,
    subject: `Your enquiry about adopting: reference ${reference}`,
    text: [
      `Dear ${firstName},`,
      `Thank you for asking about adopting with ${raaName}. We have your enquiry, reference ${reference}.`,
      'What happens next: someone from our team will get in touch to talk it through and to invite you to an information event, where you can meet adopters and ask anything you like. There is no commitment at this stage.',
      'If you did not send this enquiry, you do not need to do anything.',
      raaName,
    ].join('\n\n'),
  };
}

export async function registerEnquiryRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({
    text: 'Enquiries',
    href: enquiryPaths.queue,
    permission: 'enquiries:triage',
    order: 30,
  });
  const deps = { db: context.db, auditKey: context.auditKey };

  // Nightly, out of hours. Audited as the system (no actor).
  await context.jobs.work('adopters.enquiry-retention', async () => {
    await applyEnquiryRetention(
      deps,
      {
        actor: null,
        ip: null,
        userAgent: 'kindred retention job',
        correlationId: null,
        now: context.clock(),
      },
      context.config.enquiryRetentionMonths,
    );
  });
  await context.jobs.schedule('adopters.enquiry-retention', '30 2 * * *');

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

  app.get(enquiryPaths.about, { config: publicPage }, async (_request, reply) =>
    reply.view(view('adopt'), { pageTitle: 'Adopting a child', raaName: await raaName() }),
  );

  const renderForm = async (
    reply: FastifyReply,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) =>
    reply.code(errors ? 400 : 200).view(view('enquire'), {
      pageTitle: 'Ask about adopting',
      raaName: await raaName(),
      values,
      applyingAsItems: radioItems(applyingAsOptions, values.applyingAs),
      previousExperienceItems: radioItems(previousExperienceOptions, values.previousExperience),
      heardFromItems: [
        { value: '', text: 'Select an option' },
        ...Object.entries(heardFromOptions).map(([value, text]) => ({
          value,
          text,
          selected: value === values.heardFrom,
        })),
      ],
      ...errors,
    });

  app.get(enquiryPaths.enquire, { config: publicPage }, async (_request, reply) => renderForm(reply, {}));

  app.post(
    enquiryPaths.enquire,
    {
      // Small body, a few tries per address: the form is short and public (issue 5 §1).
      bodyLimit: 16 * 1024,
      config: { ...publicPage, rateLimit: { max: 5, timeWindow: '10 minutes' } },
    },
    async (request, reply) => {
      const form = parseForm(enquirySchema, request.body);
      if (!form.ok)
        return renderForm(
          reply,
          echo(request.body),
          fieldErrorView(inFieldOrder(form.errors, enquiryFormOrder)),
        );
      const outcome = await receiveEnquiry(deps, context.auditContext(request), form.data);
      if (outcome.kind === 'received') {
        const mail = confirmationEmail(outcome.email, outcome.firstName, outcome.reference, await raaName());
        // Sent after answering; a mail failure is logged without the address and does not lose the enquiry.
        setImmediate(() => {
          context.mailer.send(mail).catch((error: unknown) => {
            app.log.error(
              { code: (error as { code?: unknown })?.code },
              'enquiry confirmation email not sent',
            );
          });
        });
      }
      // A program that filled the honeypot is thanked like anyone else, so it learns nothing.
      const reference = outcome.kind === 'ignored' ? null : outcome.reference;
      return reply.redirect(`${enquiryPaths.received}${reference ? `?ref=${reference}` : ''}`, 303);
    },
  );

  app.get(enquiryPaths.received, { config: publicPage }, async (request, reply) => {
    const ref = (request.query as Record<string, unknown> | undefined)?.ref;
    return reply.view(view('received'), {
      pageTitle: 'Enquiry received',
      raaName: await raaName(),
      reference: typeof ref === 'string' && /^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/.test(ref) ? ref : null,
    });
  });

  app.get(enquiryPaths.queue, { config: triage }, async (request, reply) => {
    const requested = (request.query as Record<string, unknown> | undefined)?.status;
    const status =
      typeof requested === 'string' && (enquiryStatuses as readonly string[]).includes(requested)
        ? (requested as EnquiryStatus)
        : 'open';
    const { enquiries, counts } = await triageQueue(
      deps,
      request.actor!,
      context.auditContext(request),
      status,
    );
    return reply.view(view('queue'), {
      pageTitle: 'Enquiries',
      status,
      tabs: [
        {
          status: 'open',
          text: 'Open',
          count: Object.entries(counts)
            .filter(([s]) => s !== 'closed')
            .reduce((n, [, c]) => n + c, 0),
        },
        ...enquiryStatuses.map((s) => ({ status: s, text: statusLabels[s], count: counts[s] ?? 0 })),
      ].map((tab) => ({
        ...tab,
        href: `${enquiryPaths.queue}?status=${tab.status}`,
        current: tab.status === status,
      })),
      enquiries: enquiries.map((enquiry) => presentEnquiry(enquiry)),
    });
  });

  /** Whether the enquiry has become a household, for the link from the enquiry's page. */
  const registration = async (request: FastifyRequest, enquiryId: string) => {
    const household = await context.db
      .selectFrom('households')
      .select(['id', 'reference'])
      .where('enquiry_id', '=', enquiryId)
      .executeTakeFirst();
    return {
      householdHref: household ? `/households/${household.id}` : null,
      householdReference: household?.reference ?? null,
      mayRegister: !household && request.actor!.permissions.has('adopters:assess'),
      registerHref: `/enquiries/${enquiryId}/register`,
    };
  };

  const renderEnquiry = async (
    reply: FastifyReply,
    request: FastifyRequest,
    enquiry: EnquiryRow,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) =>
    reply.code(reply.statusCode === 409 ? 409 : errors ? 400 : 200).view(view('enquiry'), {
      pageTitle: `Enquiry ${enquiry.reference}`,
      ...(await registration(request, enquiry.id)),
      enquiry: presentEnquiry(enquiry),
      notice:
        (request.query as Record<string, unknown> | undefined)?.done === 'triaged' ? 'Saved' : undefined,
      action: enquiryPaths.triage(enquiry.id),
      values: { version: String(enquiry.version), ...values },
      statusItems: (['contacted', 'invited', 'closed'] as const).map((s) => ({
        value: s,
        text: statusLabels[s],
        checked: s === (values.status ?? enquiry.status),
      })),
      ...errors,
    });

  app.get('/enquiries/:id', { config: triage }, async (request, reply) => {
    const id = String((request.params as { id?: unknown }).id ?? '');
    const enquiry = await enquiryDetail(deps, request.actor!, context.auditContext(request), id);
    return renderEnquiry(reply, request, enquiry, {
      triageNote: enquiry.triage_note ?? '',
      closedReason: enquiry.closed_reason ?? '',
    });
  });

  app.post('/enquiries/:id/triage', { config: triage }, async (request, reply) => {
    const id = String((request.params as { id?: unknown }).id ?? '');
    const auditContext = context.auditContext(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const typed = Object.fromEntries(
      ['status', 'closedReason', 'triageNote']
        .filter((k) => typeof body[k] === 'string')
        .map((k) => [k, String(body[k]).slice(0, 2000)]),
    );
    const form = parseForm(triageSchema, request.body);
    try {
      if (!form.ok) throw new AppError('bad-request', 'invalid', { fieldErrors: form.errors });
      await recordTriage(deps, request.actor!, auditContext, id, form.data);
    } catch (error) {
      if (error instanceof StaleTriage) {
        return renderEnquiry(
          reply.code(409),
          request,
          error.current,
          { ...typed, version: String(error.current.version) },
          fieldErrorView([
            {
              field: 'status',
              message:
                'Someone else recorded what happened after you opened this page. Check it below, then save again.',
            },
          ]),
        );
      }
      if (!(error instanceof AppError) || error.kind !== 'bad-request' || error.fieldErrors.length === 0)
        throw error;
      const enquiry = await enquiryDetail(deps, request.actor!, auditContext, id);
      return renderEnquiry(reply, request, enquiry, typed, fieldErrorView(error.fieldErrors));
    }
    return reply.redirect(`${enquiryPaths.enquiry(id)}?done=triaged`, 303);
  });
}

function presentEnquiry(enquiry: EnquiryRow) {
  return {
    id: enquiry.id,
    href: enquiryPaths.enquiry(enquiry.id),
    reference: enquiry.reference,
    name: enquiry.name,
    email: enquiry.email,
    phone: enquiry.phone,
    postcode: enquiry.postcode,
    council: enquiry.council_name ?? `Outside the region (${enquiry.postcode_district})`,
    applyingAs: applyingAsOptions[enquiry.applying_as],
    previousExperience: previousExperienceOptions[enquiry.previous_experience],
    fastTrack: enquiry.previous_experience !== 'none',
    heardFrom: heardFromOptions[enquiry.heard_from as keyof typeof heardFromOptions] ?? enquiry.heard_from,
    message: enquiry.message,
    status: statusLabels[enquiry.status],
    closedReason: enquiry.closed_reason,
    triageNote: enquiry.triage_note,
    triagedBy: enquiry.triaged_by_name,
    triagedAt: enquiry.triaged_at ? formatDateTime(enquiry.triaged_at) : null,
    received: formatDateTime(enquiry.created_at),
  };
}
