// The core offer pages (issue 8 §3): the list with a form to add to it, and an item with its
// attendance and feedback.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { parseForm } from '../../platform/http/validation.js';
import { formatDate } from '../../platform/views/render.js';
import {
  createOfferItem,
  listOffer,
  offerAudienceLabels,
  offerItem,
  offerKindLabels,
  recordAttendance,
} from './offer.service.js';
import { attendanceSchema, offerSchema } from './support.forms.js';
import { echo, errorsFor, idFrom, noticeFrom, supportView } from './support.http.js';
import { supportPaths } from './support.presenter.js';
import { SupportRefused, type SupportDeps } from './support.service.js';

const readAccess = { access: { permission: 'support:read' as const } };
const writeAccess = { access: { permission: 'support:write' as const } };

export function registerOfferRoutes(app: FastifyInstance, context: ModuleContext, deps: SupportDeps): void {
  const renderList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: ReturnType<typeof errorsFor>,
  ) => {
    const offer = await listOffer(deps, request.actor!);
    return reply.view(supportView('offer'), {
      pageTitle: 'The core offer',
      notice: noticeFrom(request),
      backHref: supportPaths.caseload,
      action: supportPaths.offer,
      mayWrite: request.actor!.permissions.has('support:write'),
      offer: offer.map((item) => ({
        href: supportPaths.offerItem(item.id),
        title: item.title,
        kind: offerKindLabels[item.kind],
        audience: offerAudienceLabels[item.audience],
        heldOn: formatDate(item.held_on),
        reach:
          item.kind === 'newsletter' ? `Sent to ${item.reach ?? 0}` : `${Number(item.attended ?? 0)} came`,
        rating: item.average_rating ? `${item.average_rating} out of 5` : '',
      })),
      kindItems: Object.entries(offerKindLabels).map(([value, text]) => ({
        value,
        text,
        checked: values.kind === value,
      })),
      audienceItems: Object.entries(offerAudienceLabels).map(([value, text]) => ({
        value,
        text,
        checked: values.audience === value,
      })),
      values,
      open: !!errors,
      ...errors,
    });
  };

  app.get(supportPaths.offer, { config: readAccess }, (request, reply) => renderList(request, reply));
  app.post(supportPaths.offer, { config: writeAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(offerSchema, request.body);
    if (!form.ok) return renderList(request, reply.code(400), values, form);
    const id = await createOfferItem(deps, request.actor!, context.auditContext(request), form.data);
    return reply.redirect(supportPaths.offerItem(id, 'offer'), 303);
  });

  const renderItem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: ReturnType<typeof errorsFor>,
  ) => {
    const found = await offerItem(deps, request.actor!, context.auditContext(request), idFrom(request));
    return reply.view(supportView('offer-item'), {
      pageTitle: found.item.title,
      notice: noticeFrom(request),
      backHref: supportPaths.offer,
      item: {
        title: found.item.title,
        kind: offerKindLabels[found.item.kind],
        audience: offerAudienceLabels[found.item.audience],
        heldOn: formatDate(found.item.held_on),
        description: found.item.description,
        newsletter: found.item.kind === 'newsletter',
        reach: found.item.reach,
      },
      attended: found.attended,
      averageRating: found.averageRating,
      attendance: found.attendance.map((a) => ({
        attendee: a.attendee,
        caseReference: a.case_reference,
        caseHref: a.case_id ? supportPaths.case(a.case_id) : null,
        attended: a.attended ? 'Came' : 'Did not come',
        rating: a.rating ? `${a.rating} out of 5` : '',
        feedback: a.feedback,
      })),
      action: supportPaths.attendance(found.item.id),
      mayWrite: request.actor!.permissions.has('support:write'),
      attendedItems: [
        { value: 'yes', text: 'Yes', checked: values.attended === 'yes' },
        { value: 'no', text: 'No', checked: values.attended === 'no' },
      ],
      ratingItems: ['1', '2', '3', '4', '5'].map((value) => ({
        value,
        text: value,
        checked: values.rating === value,
      })),
      values,
      ...errors,
    });
  };

  app.get('/support/offer/:id', { config: readAccess }, (request, reply) => renderItem(request, reply));
  app.post('/support/offer/:id/attendance', { config: writeAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(attendanceSchema, request.body);
    if (!form.ok) return renderItem(request, reply.code(400), values, form);
    try {
      await recordAttendance(deps, request.actor!, context.auditContext(request), idFrom(request), form.data);
    } catch (error) {
      if (error instanceof SupportRefused)
        return renderItem(request, reply.code(error.status), values, errorsFor(error.errors));
      throw error;
    }
    return reply.redirect(supportPaths.offerItem(idFrom(request), 'attendance'), 303);
  });
}
