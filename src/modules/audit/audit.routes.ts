// The audit pages: a look-up by record, and "who has seen or changed this record" for managers
// and the data protection officer (security.md LG-6; issue 3 §6). Only entries about records in
// the viewer's own organisations are shown; anything else is not found (design.md §2, pitfall P4).
// Verifying the chain is the job of `kindred audit verify`, not of a web page.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { AppError, notFound, type FieldError } from '../../platform/http/errors.js';
import { fieldErrorView } from '../../platform/http/validation.js';
import { formatDateTime } from '../../platform/views/render.js';
import { describeSubjectType } from './action-labels.js';
import { presentAccessEntries } from './audit.presenter.js';
import { auditPaths, type RecordAccessQuery } from './audit.paths.js';
import { latestAuditEntry } from './audit.repository.js';
import { recordAccessLog } from './audit.service.js';

// The same shapes the audit table's checks allow (migration 0002).
const subjectTypePattern = /^[a-z][a-z0-9_]{1,40}$/;
const subjectSchema = z.object({
  subjectType: z.string().regex(subjectTypePattern),
  subjectId: z.string().min(1).max(100),
});

const lookupSchema = z.object({
  subjectType: z.string().max(100).optional(),
  subjectId: z.string().max(200).optional(),
});

const datePart = z.string().trim().max(10).optional();
const recordAccessQuerySchema = z.object({
  'from-day': datePart,
  'from-month': datePart,
  'from-year': datePart,
  'to-day': datePart,
  'to-month': datePart,
  'to-year': datePart,
  before: z.coerce.number().int().positive().optional(),
});
type RecordAccessQueryInput = z.output<typeof recordAccessQuerySchema>;

/** A GOV.UK date input's three parts as 'YYYY-MM-DD', null when left empty, or what is wrong. */
export function parseDateParts(
  prefix: 'from' | 'to',
  label: string,
  parts: { day?: string | undefined; month?: string | undefined; year?: string | undefined },
): { value: string | null; error?: FieldError } {
  const day = parts.day ?? '';
  const month = parts.month ?? '';
  const year = parts.year ?? '';
  if (!day && !month && !year) return { value: null };
  const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
  const first = (missing[0] as string | undefined) ?? 'day';
  if (missing.length > 0) {
    return {
      value: null,
      error: { field: `${prefix}-${first}`, message: `${label} must include a ${missing.join(' and ')}` },
    };
  }
  const valid = /^\d{1,2}$/.test(day) && /^\d{1,2}$/.test(month) && /^\d{4}$/.test(year);
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  if (!valid || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    return { value: null, error: { field: `${prefix}-day`, message: `${label} must be a real date` } };
  }
  return { value: iso };
}

function parseWindow(query: RecordAccessQueryInput): {
  from: string | null;
  to: string | null;
  errors: FieldError[];
} {
  const from = parseDateParts('from', 'The ‘from’ date', {
    day: query['from-day'],
    month: query['from-month'],
    year: query['from-year'],
  });
  const to = parseDateParts('to', 'The ‘to’ date', {
    day: query['to-day'],
    month: query['to-month'],
    year: query['to-year'],
  });
  const errors = [from.error, to.error].filter((error): error is FieldError => !!error);
  if (errors.length === 0 && from.value && to.value && from.value > to.value) {
    errors.push({ field: 'to-day', message: 'The ‘to’ date must be the same as or after the ‘from’ date' });
  }
  return { from: from.value, to: to.value, errors };
}

export async function registerAuditRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({ text: 'Audit', href: auditPaths.home(), permission: 'audit:read', order: 95 });

  const lookupPage = async (values: { subjectType?: string; subjectId?: string }) => {
    const latest = await latestAuditEntry(context.db);
    return {
      pageTitle: 'Audit',
      values,
      latest: latest ? { seq: latest.seq, when: formatDateTime(latest.occurredAt) } : null,
    };
  };

  app.get('/audit', { config: { access: { permission: 'audit:read' } } }, async (request, reply) => {
    const query = lookupSchema.safeParse(request.query);
    if (!query.success) throw new AppError('bad-request', 'Enter the type of record and its reference.');
    const values = {
      subjectType: query.data.subjectType?.trim(),
      subjectId: query.data.subjectId?.trim(),
    };
    if (values.subjectType === undefined && values.subjectId === undefined) {
      return reply.view('audit/views/lookup.njk', await lookupPage({}));
    }
    const subject = subjectSchema.safeParse(values);
    if (subject.success) {
      return reply.redirect(auditPaths.recordAccess(subject.data.subjectType, subject.data.subjectId));
    }
    const errors: FieldError[] = [];
    if (!subjectTypePattern.test(values.subjectType ?? '')) {
      errors.push({
        field: 'subjectType',
        message: 'Enter the type of record in lower case, like child or user',
      });
    }
    if (!values.subjectId) errors.push({ field: 'subjectId', message: 'Enter the record’s reference' });
    else if (values.subjectId.length > 100) {
      errors.push({ field: 'subjectId', message: 'The record’s reference must be 100 characters or fewer' });
    }
    return reply
      .code(400)
      .view('audit/views/lookup.njk', { ...(await lookupPage(values)), ...fieldErrorView(errors) });
  });

  app.get(
    '/audit/records/:subjectType/:subjectId',
    { config: { access: { permission: 'audit:read' } } },
    async (request, reply) => {
      const params = subjectSchema.safeParse(request.params);
      if (!params.success) {
        throw new AppError('bad-request', 'That is not a record type and reference that Kindred uses.');
      }
      const query = recordAccessQuerySchema.safeParse(request.query);
      if (!query.success) throw new AppError('bad-request', 'Check the dates and try again.');
      const subject = params.data;
      const window = parseWindow(query.data);
      const values: RecordAccessQuery = { ...query.data, before: undefined };
      const page = {
        pageTitle: 'Who has seen or changed this record',
        subject,
        subjectLabel: describeSubjectType(subject.subjectType),
        values,
        homeHref: auditPaths.home(),
        filterAction: auditPaths.recordAccess(subject.subjectType, subject.subjectId),
        filtered: window.from !== null || window.to !== null,
      };
      if (window.errors.length > 0) {
        return reply
          .code(400)
          .view('audit/views/record-access.njk', { ...page, ...fieldErrorView(window.errors) });
      }
      const actor = request.actor!;
      const log = await recordAccessLog(context, actor, context.auditContext(request), subject, {
        from: window.from,
        to: window.to,
        beforeSeq: query.data.before ?? null,
      });
      if (!log) throw notFound('record');
      return reply.view('audit/views/record-access.njk', {
        ...page,
        entries: presentAccessEntries(log.entries),
        paged: query.data.before !== undefined,
        newestHref: auditPaths.recordAccess(subject.subjectType, subject.subjectId, values),
        olderHref:
          log.olderBefore === null
            ? null
            : auditPaths.recordAccess(subject.subjectType, subject.subjectId, {
                ...values,
                before: log.olderBefore,
              }),
      });
    },
  );
}
