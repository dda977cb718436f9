// Records and intermediary requests (issue 8 §5): a request, its checks and its outcome. Need-to-know.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { parseForm } from '../../platform/http/validation.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import {
  addRecordCheck,
  recordCheckLabels,
  recordOutcome,
  recordOutcomeLabels,
  recordRequest,
  recordRequestKindLabels,
} from './records.service.js';
import { recordCheckSchema, recordOutcomeSchema } from './support.forms.js';
import { echo, errorsFor, idFrom, noticeFrom, staleMessage, supportView } from './support.http.js';
import { supportPaths } from './support.presenter.js';
import { outcomesFor } from './support-rules.js';
import { StaleSupportRecord, SupportRefused, type SupportDeps } from './support.service.js';

const restrictedAccess = { access: { permission: 'support:restricted' as const } };

const routeText = {
  pre_commencement:
    'Adopted before 30 December 2005: birth records through the General Register Office, intermediary services under the Adoption Information and Intermediary Services (Pre-Commencement Adoptions) Regulations 2005.',
  agency:
    'Adopted on or after 30 December 2005: the adoption agency holds the records and discloses them (Adoption and Children Act 2002 sections 56 to 65).',
  unknown: 'The date of the adoption is not recorded: record it on the case to know which route applies.',
};

export function registerRecordRoutes(app: FastifyInstance, context: ModuleContext, deps: SupportDeps): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, unknown> = {},
    errors?: ReturnType<typeof errorsFor>,
  ) => {
    const found = await recordRequest(deps, request.actor!, context.auditContext(request), idFrom(request));
    const { row } = found;
    return reply.view(supportView('record-request'), {
      pageTitle: `${recordRequestKindLabels[row.kind]} for ${found.person ? `${found.person.first_name} ${found.person.last_name}` : row.case_reference}`,
      notice: noticeFrom(request),
      caseHref: supportPaths.case(row.case_id),
      caseReference: row.case_reference,
      kind: recordRequestKindLabels[row.kind],
      name: found.person ? `${found.person.first_name} ${found.person.last_name}` : '',
      rows: [
        { key: { text: 'Came in' }, value: { text: formatDate(row.received_on) } },
        ...(row.sought_person ? [{ key: { text: 'Looking for' }, value: { text: row.sought_person } }] : []),
        ...(row.details ? [{ key: { text: 'Details' }, value: { text: row.details } }] : []),
        ...(row.case_kind === 'adopted_adult'
          ? [
              {
                key: { text: 'Adopted' },
                value: { text: found.adoptedOn ? formatDate(found.adoptedOn) : 'Date not recorded' },
              },
            ]
          : []),
        ...(row.outcome
          ? [
              {
                key: { text: 'Outcome' },
                value: {
                  text: `${recordOutcomeLabels[row.outcome]}, ${formatDate(row.outcome_on)}${row.outcome_by_name ? ` (${row.outcome_by_name})` : ''}${row.outcome_note ? `: ${row.outcome_note}` : ''}`,
                },
              },
            ]
          : []),
      ],
      counsellingRequired: found.counsellingRequired,
      route: row.case_kind === 'adopted_adult' ? routeText[found.route] : null,
      checks: found.checks.map((c) => ({
        what: recordCheckLabels[c.kind],
        on: formatDate(c.done_on),
        by: c.recorded_by_name ?? 'Kindred',
        at: formatDateTime(c.recorded_at),
        note: c.note,
      })),
      open: !row.outcome,
      checkAction: supportPaths.recordChecks(row.id),
      outcomeAction: supportPaths.recordOutcome(row.id),
      version: row.version,
      checkItems: Object.entries(recordCheckLabels).map(([value, text]) => ({
        value,
        text,
        checked: values.checkKind === value,
      })),
      outcomeItems: outcomesFor[row.kind].map((value) => ({
        value,
        text: recordOutcomeLabels[value],
        checked: values.outcome === value,
      })),
      values,
      ...errors,
    });
  };

  app.get('/support/records/:id', { config: restrictedAccess }, (request, reply) => render(request, reply));

  const act =
    (done: string, parse: 'check' | 'outcome') => async (request: FastifyRequest, reply: FastifyReply) => {
      const values = echo(request.body);
      try {
        if (parse === 'check') {
          const form = parseForm(recordCheckSchema, request.body);
          if (!form.ok) return render(request, reply.code(400), values, form);
          await addRecordCheck(deps, request.actor!, context.auditContext(request), idFrom(request), {
            kind: form.data.checkKind,
            doneOn: form.data.doneOn,
            note: form.data.checkNote,
          });
        } else {
          const form = parseForm(recordOutcomeSchema, request.body);
          if (!form.ok) return render(request, reply.code(400), values, form);
          await recordOutcome(deps, request.actor!, context.auditContext(request), idFrom(request), {
            version: form.data.version,
            outcome: form.data.outcome,
            outcomeOn: form.data.outcomeOn,
            note: form.data.outcomeNote,
          });
        }
      } catch (error) {
        if (error instanceof SupportRefused)
          return render(request, reply.code(error.status), values, errorsFor(error.errors));
        if (error instanceof StaleSupportRecord) {
          return render(
            request,
            reply.code(409),
            values,
            errorsFor([{ field: 'outcome', message: staleMessage }]),
          );
        }
        throw error;
      }
      return reply.redirect(supportPaths.record(idFrom(request), done), 303);
    };

  app.post('/support/records/:id/checks', { config: restrictedAccess }, act('check', 'check'));
  app.post('/support/records/:id/outcome', { config: restrictedAccess }, act('outcome', 'outcome'));
}
