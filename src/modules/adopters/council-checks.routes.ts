// The member council's page for the RAA's statutory checks addressed to it (issue 5 §7).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { fieldErrorView, parseForm } from '../../platform/http/validation.js';
import { formatDate } from '../../platform/views/render.js';
import { todayInLondon } from '../../platform/time/index.js';
import { dateFields } from '../../platform/http/form-fields.js';
import { answerCheck, checksForCouncil } from './council-checks.service.js';
import { HouseholdRefused } from './households.service.js';

const access = { access: { permission: 'adopters:council-checks' as const } };
const answerSchema = z.object({}).and(dateFields('answeredOn', 'date the council answered'));

export async function registerCouncilCheckRoutes(
  app: FastifyInstance,
  context: ModuleContext,
): Promise<void> {
  context.navigation.push({
    text: 'Adopter checks',
    href: '/council-checks',
    permission: 'adopters:council-checks',
    order: 35,
  });
  const deps = { db: context.db, auditKey: context.auditKey };

  const render = async (
    reply: FastifyReply,
    request: FastifyRequest,
    errors?: ReturnType<typeof fieldErrorView>,
    failedId?: string,
  ) => {
    const today = todayInLondon(context.clock());
    const checks = await checksForCouncil(deps, request.actor!, context.auditContext(request));
    return reply.code(errors ? 400 : 200).view('adopters/views/council-checks.njk', {
      pageTitle: 'Checks on prospective adopters',
      notice:
        (request.query as Record<string, unknown> | undefined)?.done === 'answered'
          ? 'Answer recorded'
          : undefined,
      checks: checks.map((check) => ({
        id: check.requestId,
        action: `/council-checks/${check.requestId}/answer`,
        reference: check.reference,
        applicants: check.applicants.map(
          (a) => `${a.first_name} ${a.last_name}, born ${formatDate(a.date_of_birth)}`,
        ),
        address: check.address,
        requested: formatDate(check.requested),
        due: formatDate(check.due),
        overdue: !check.answered && check.due < today,
        answered: check.answered ? formatDate(check.answered) : null,
        errors: check.requestId === failedId ? errors?.fieldErrors : undefined,
      })),
      ...errors,
      // The summary links to the date input of the check that failed (each card's inputs have their own ids).
      errorList: errors?.errorList.map((item) => ({ ...item, href: `#answeredOn-${failedId}-day` })),
    });
  };

  app.get('/council-checks', { config: access }, async (request, reply) => render(reply, request));

  app.post('/council-checks/:id/answer', { config: access }, async (request, reply) => {
    const id = String((request.params as { id?: unknown }).id ?? '');
    const form = parseForm(answerSchema, request.body);
    try {
      await answerCheck(
        deps,
        request.actor!,
        context.auditContext(request),
        id,
        form.ok ? { answeredOn: (form.data as { answeredOn: string }).answeredOn } : { errors: form.errors },
      );
    } catch (error) {
      if (!(error instanceof HouseholdRefused)) throw error;
      return render(reply, request, fieldErrorView(error.errors), id);
    }
    return reply.redirect('/council-checks?done=answered', 303);
  });
}
