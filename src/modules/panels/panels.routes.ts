// Panel and decision pages (issue 7). Thin: parse (zod), call the service with the actor, render or
// redirect. A refusal re-renders the page it came from with the sentence in the error summary and
// beside the field, at 400 (bad form), 409 (the state does not allow it) or 403 (wrong person).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import type { ModuleContext } from '../../platform/app.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError, type FieldError } from '../../platform/http/errors.js';
import { fieldErrorView, parseForm } from '../../platform/http/validation.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import {
  decisionsFor,
  escalateOverdueDecisions,
  letterForActor,
  makeDecision,
  makeFinalDecision,
  recordReviewRoute,
} from './decisions.service.js';
import { amendMinute, recordMinute, recordQualityIssue, signOff, StaleMinute } from './minutes.service.js';
import {
  centralList,
  itemPage,
  memberPage,
  panelPage,
  panelsOverview,
  sittingPage,
} from './panel-pages.service.js';
import {
  attendanceLabels,
  confirmNote,
  itemStatus,
  caseName,
  livedExperienceLabels,
  memberRows,
  panelPaths,
  presentItem,
} from './panels.presenter.js';
import {
  agendaAddSchema,
  amendmentSchema,
  circulationSchema,
  conflictSchema,
  decisionSchema,
  editMemberSchema,
  finalDecisionSchema,
  interestSchema,
  inviteSchema,
  minuteSchema,
  newMemberSchema,
  panelSchema,
  paperTitleSchema,
  qualitySchema,
  reportQuerySchema,
  routeSchema,
  signOffSchema,
  sittingSchema,
  sittingsQuerySchema,
  trainingSchema,
} from './panels.forms.js';
import {
  addMember,
  addToAgenda,
  addTraining,
  cancelSitting,
  centralListRaa,
  createPanel,
  declareInterest,
  inviteMembers,
  itemForActor,
  memberForStaff,
  paperForActor,
  paperLimits,
  PanelRefused,
  readyCases,
  recordAttendance,
  sittingForActor,
  recordCirculation,
  recordConflict,
  removeFromAgenda,
  scheduleSitting,
  StaleMember,
  updateMember,
  uploadPaper,
  type PanelDeps,
} from './panels.service.js';
import { defaultPanelRules, itemKindLabels, memberRoleLabels, type PanelRules } from './panel-rules.js';
import { formatMeasure, qualityReport, reportCsv, reportPdf } from './quality-report.js';
import { livedExperiences, memberRoles, type ItemKind, type MemberRole } from './panels.tables.js';
import type { memberOfRaa } from './panels.repository.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobTypes {
    /** Raises agency decisions overdue after the final minutes (issue 7 §4). */
    'panels.escalate-overdue-decisions': Record<string, never>;
  }
}

/** 07:00 every day, London time: before the decision makers start work. */
export const escalationSchedule = '0 7 * * *';

const view = (name: string) => `panels/views/${name}.njk`;
const access = (
  permission:
    | 'panels:read'
    | 'panels:manage'
    | 'panels:minute'
    | 'panels:sign-off'
    | 'decisions:make'
    | 'panels:report',
) => ({
  access: { permission },
});
const idFrom = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');
type Errors = ReturnType<typeof fieldErrorView>;
type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldError[] };
const statusOf: Record<PanelRefused['kind'], number> = { 'bad-request': 400, conflict: 409, forbidden: 403 };

/** Strings only, bounded: what was typed, to show again. */
function echo(body: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>)
      .filter(([name, value]) => typeof value === 'string' && name !== '_csrf')
      .map(([name, value]) => [name, (value as string).slice(0, 10000)]),
  );
}

function noticeFrom(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  const notices: Record<string, string> = {
    panel: 'Panel added',
    sitting: 'Sitting scheduled',
    invited: 'Members asked to sit',
    attendance: 'Attendance recorded',
    papers: 'Papers recorded',
    cancelled: 'Sitting cancelled',
    added: 'Case added to the agenda',
    removed: 'Item taken off the agenda',
    paper: 'Paper added',
    conflict: 'Conflict of interest recorded',
    minute: 'Minute saved',
    'signed-off':
      'Minute signed off: these are the final minutes, and the decision maker’s clock has started',
    amended: 'Amendment recorded',
    quality: 'Quality issue recorded',
    decided: 'Decision recorded and its letter created',
    route: 'The applicants’ route recorded',
    final: 'Final decision recorded and its letter created',
    member: 'Member saved',
    training: 'Training recorded',
    interest: 'Interest recorded',
  };
  return typeof done === 'string' ? notices[done] : undefined;
}

const dateValues = (prefix: string, iso: string | null | undefined): Record<string, string> => {
  if (!iso) return {};
  const [year = '', month = '', day = ''] = iso.split('-');
  return {
    [`${prefix}-day`]: String(Number(day)),
    [`${prefix}-month`]: String(Number(month)),
    [`${prefix}-year`]: year,
  };
};

const radios = (labels: Record<string, string>, chosen: string | undefined) =>
  Object.entries(labels).map(([value, text]) => ({ value, text, checked: value === chosen }));

export async function registerPanelRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  const rules: PanelRules = defaultPanelRules;
  const deps: PanelDeps = { db: context.db, auditKey: context.auditKey, rules };
  context.navigation.push({ text: 'Panels', href: panelPaths.panels, permission: 'panels:read', order: 50 });
  context.navigation.push({
    text: 'Decisions',
    href: panelPaths.decisions,
    permission: 'decisions:make',
    order: 51,
  });
  // The board's way in: the quality report holds aggregates only.
  context.navigation.push({
    text: 'Panel quality',
    href: panelPaths.report,
    permission: 'panels:report',
    order: 52,
  });

  await context.jobs.work('panels.escalate-overdue-decisions', async () => {
    await escalateOverdueDecisions(
      {
        db: context.db,
        auditKey: context.auditKey,
        mailer: context.mailer,
        publicUrl: context.config.publicUrl,
        rules,
      },
      context.clock(),
    );
  });
  await context.jobs.schedule('panels.escalate-overdue-decisions', escalationSchedule);

  /** Runs a change; a refusal re-renders the page (render) with its sentence, anything else is thrown. */
  const orRefused = async (
    request: FastifyRequest,
    reply: FastifyReply,
    change: () => Promise<string>,
    render: (status: number, errors: Errors, values: Record<string, string>) => Promise<FastifyReply>,
  ) => {
    try {
      return reply.redirect(await change(), 303);
    } catch (error) {
      if (error instanceof PanelRefused)
        return render(statusOf[error.kind], fieldErrorView(error.errors), echo(request.body));
      if (error instanceof StaleMinute || error instanceof StaleMember)
        return render(
          409,
          fieldErrorView([
            {
              field: 'form',
              message:
                'Someone else changed this since you opened the page. Nothing was saved: what you typed is kept below; look at the page again before saving.',
            },
          ]),
          echo(request.body),
        );
      throw error;
    }
  };

  type Render = (
    request: FastifyRequest,
    reply: FastifyReply,
    status?: number,
    errors?: Errors,
    values?: Record<string, string>,
  ) => Promise<FastifyReply>;
  /**
   * A page's form: invalid, the page again at 400 with what was typed; refused, the page again with
   * the sentence; done, a redirect to where change says.
   */
  const formPost = <S extends z.ZodType>(
    path: string,
    permission: Parameters<typeof access>[0],
    schema: S,
    render: Render,
    change: (request: FastifyRequest, form: z.output<S>) => Promise<string>,
  ) =>
    app.post(path, { config: access(permission) }, async (request, reply) => {
      const form = parseForm(schema, request.body);
      if (!form.ok) return render(request, reply, 400, form, echo(request.body));
      return orRefused(
        request,
        reply,
        () => change(request, form.data),
        (status, errors, values) => render(request, reply, status, errors, values),
      );
    });

  /**
   * A POST that changes the record at :id, then shows its page (pageOf, or redirect) with a notice;
   * a refusal re-renders that page with its sentence.
   */
  const recordChange =
    (render: Render, pageOf: (id: string) => string) =>
    (
      path: string,
      permission: Parameters<typeof access>[0],
      done: string,
      run: (request: FastifyRequest) => Promise<unknown>,
      redirect?: (request: FastifyRequest, result: unknown) => string,
    ) =>
      app.post(path, { config: access(permission) }, async (request, reply) =>
        orRefused(
          request,
          reply,
          async () => {
            const result = await run(request);
            return redirect ? redirect(request, result) : `${pageOf(idFrom(request))}?done=${done}`;
          },
          (status, errors, values) => render(request, reply, status, errors, values),
        ),
      );

  /** Scope first: a form that failed validation still answers "not found" for a record the actor cannot reach. */
  const parsedWithin =
    (reach: (request: FastifyRequest) => Promise<unknown>) =>
    async <T>(request: FastifyRequest, result: Parsed<T>): Promise<T> => {
      if (result.ok) return result.data;
      await reach(request);
      throw new PanelRefused(result.errors);
    };

  // ── Panels ───────────────────────────────────────────────────────────────────────────────────
  const renderPanels = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors?: Errors,
    values: Record<string, string> = {},
  ) => {
    const overview = await panelsOverview(deps, request.actor!, context.auditContext(request));
    const actor = request.actor!;
    return reply.code(status).view(view('panels'), {
      pageTitle: 'Adoption panels',
      notice: noticeFrom(request),
      kind: overview.kind,
      panels:
        overview.kind === 'staff'
          ? overview.panels.map((p) => ({
              name: p.name,
              href: panelPaths.panel(p.id),
              organisation: p.organisation_name,
              joint: p.joint,
              next: p.next_sitting ? formatDate(p.next_sitting) : 'None scheduled',
            }))
          : [],
      sittings:
        overview.kind === 'member'
          ? overview.sittings.map((s) => ({
              href: panelPaths.sitting(s.id),
              date: formatDate(s.sitting_date),
              panel: s.panel_name,
              status:
                s.status === 'cancelled'
                  ? 'Cancelled'
                  : s.sitting_date < overview.today
                    ? 'Held'
                    : 'Coming up',
            }))
          : [],
      rules: [
        `Quorum: ${rules.quorumMinimum} members${confirmNote('quorumMinimum')} (${rules.jointQuorumMinimum} for a joint panel${confirmNote('jointQuorumMinimum')}), including the chair or a vice chair, a social worker with ${rules.socialWorkerExperienceYears} years’ post-qualifying experience and an independent member. Advisers do not count.`,
        `Papers reach members ${rules.papersLeadWorkingDays} working days before the sitting${confirmNote('papersLeadWorkingDays')}.`,
        'The agency decision maker decides within 7 working days of the final (signed-off) minutes.',
      ],
      mayManage: actor.permissions.has('panels:manage') && overview.kind === 'staff',
      mayReport: actor.permissions.has('panels:report'),
      mayDecide: actor.permissions.has('decisions:make'),
      links: {
        centralList: panelPaths.centralList,
        report: panelPaths.report,
        decisions: panelPaths.decisions,
      },
      action: panelPaths.panels,
      spokeItems:
        overview.kind === 'staff'
          ? [
              { value: '', text: 'Choose the spoke' },
              ...overview.spokes.map((s) => ({
                value: s.id,
                text: s.name,
                selected: values.organisationId === s.id,
              })),
            ]
          : [],
      jointItems: radios({ no: 'No', yes: 'Yes' }, values.joint ?? 'no'),
      values,
      ...errors,
    });
  };
  app.get(panelPaths.panels, { config: access('panels:read') }, (request, reply) =>
    renderPanels(request, reply),
  );
  formPost(
    panelPaths.panels,
    'panels:manage',
    panelSchema,
    renderPanels,
    async (request, form) =>
      `${panelPaths.panel(await createPanel(deps, request.actor!, context.auditContext(request), form))}?done=panel`,
  );

  // ── The quality report (before /panels/:id so "quality" is never read as an id) ───────────────
  const reportFor = async (
    request: FastifyRequest,
    action: 'panels.quality.view' | 'panels.quality.export',
  ) => {
    const query = reportQuerySchema.safeParse(request.query ?? {});
    if (!query.success)
      throw new AppError('bad-request', query.error.issues.map((i) => i.message).join('. '));
    return qualityReport(deps, request.actor!, context.auditContext(request), query.data.period, action);
  };
  app.get(panelPaths.report, { config: access('panels:report') }, async (request, reply) => {
    const report = await reportFor(request, 'panels.quality.view');
    const q = `?period=${report.period.start}`;
    return reply.view(view('quality'), {
      pageTitle: `Panels’ quality report: ${report.period.label}`,
      report,
      papers: report.papers.map((m) => ({ label: m.label, value: formatMeasure(m) })),
      decisions: report.decisions.map((m) => ({ label: m.label, value: formatMeasure(m) })),
      leadNote: `${report.papersLeadWorkingDays} working days before the sitting${confirmNote('papersLeadWorkingDays')}`,
      asAt: formatDate(report.asAt),
      previousHref: `${panelPaths.report}?period=${report.previous.start}`,
      nextHref: report.next ? `${panelPaths.report}?period=${report.next.start}` : null,
      csvHref: `${panelPaths.reportCsv}${q}`,
      pdfHref: `${panelPaths.reportPdf}${q}`,
    });
  });
  app.get(panelPaths.reportCsv, { config: access('panels:report') }, async (request, reply) => {
    const report = await reportFor(request, 'panels.quality.export');
    return reply
      .header('content-disposition', `attachment; filename="panel-quality-${report.period.start}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(reportCsv(report));
  });
  app.get(panelPaths.reportPdf, { config: access('panels:report') }, async (request, reply) => {
    const report = await reportFor(request, 'panels.quality.export');
    return reply
      .header('content-disposition', `attachment; filename="panel-quality-${report.period.start}.pdf"`)
      .type('application/pdf')
      .send(await reportPdf(report));
  });

  // ── One panel and its sittings ───────────────────────────────────────────────────────────────
  const renderPanel = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors?: Errors,
    values: Record<string, string> = {},
  ) => {
    const query = sittingsQuerySchema.safeParse(request.query ?? {});
    const year = query.success && query.data.year ? Number(query.data.year) : undefined;
    const page = await panelPage(deps, request.actor!, context.auditContext(request), idFrom(request), year);
    if (!query.success)
      throw new AppError('bad-request', query.error.issues.map((i) => i.message).join('. '));
    return reply.code(status).view(view('panel'), {
      pageTitle: page.panel.name,
      notice: noticeFrom(request),
      panel: { name: page.panel.name, organisation: page.panel.organisation_name, joint: page.panel.joint },
      years: page.years.map((y) => ({
        year: y,
        href: `${panelPaths.panel(page.panel.id)}?year=${y}`,
        current: y === page.year,
      })),
      year: page.year,
      sittings: page.sittings.map((s) => ({
        href: panelPaths.sitting(s.id),
        date: formatDate(s.sitting_date),
        time: s.starts_at ?? '',
        venue: s.venue ?? '',
        items: Number(s.items ?? 0),
        signedOff: Number(s.signed_off ?? 0),
        status:
          s.status === 'cancelled'
            ? 'Cancelled'
            : s.sitting_date < page.today
              ? 'Held'
              : s.sitting_date === page.today
                ? 'Today'
                : 'Coming up',
      })),
      mayManage: request.actor!.permissions.has('panels:manage'),
      action: panelPaths.sittings(page.panel.id),
      values,
      ...errors,
    });
  };
  app.get('/panels/:id', { config: access('panels:read') }, (request, reply) => renderPanel(request, reply));
  formPost(
    '/panels/:id/sittings',
    'panels:manage',
    sittingSchema,
    renderPanel,
    async (request, form) =>
      `${panelPaths.sitting(await scheduleSitting(deps, request.actor!, context.auditContext(request), idFrom(request), form))}?done=sitting`,
  );

  // ── A sitting ────────────────────────────────────────────────────────────────────────────────
  const renderSitting = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors?: Errors,
    values: Record<string, string> = {},
  ) => {
    const page = await sittingPage(deps, request.actor!, context.auditContext(request), idFrom(request));
    const actor = request.actor!;
    const staff = !page.asMember;
    const held = page.sitting.sitting_date <= page.today;
    const withdrawnBy = (itemId: string) =>
      page.conflicts
        .filter((c) => c.item_id === itemId)
        .map((c) => `${c.name}${c.withdrew ? ' (withdrew)' : ''}`);
    return reply.code(status).view(view('sitting'), {
      pageTitle: `${page.sitting.panel_name}: sitting on ${formatDate(page.sitting.sitting_date)}`,
      notice: noticeFrom(request),
      panelHref: staff ? panelPaths.panel(page.sitting.panel_id) : panelPaths.panels,
      panelName: page.sitting.panel_name,
      date: formatDate(page.sitting.sitting_date),
      cancelled: page.sitting.status === 'cancelled',
      summary: [
        {
          key: { text: 'Date' },
          value: {
            text: `${formatDate(page.sitting.sitting_date)}${page.sitting.starts_at ? ` at ${page.sitting.starts_at}` : ''}`,
          },
        },
        { key: { text: 'Venue' }, value: { text: page.sitting.venue ?? 'Not recorded' } },
        {
          key: { text: 'Papers due with members by' },
          value: {
            text: `${formatDate(page.papersDue)} (${page.rules.papersLeadWorkingDays} working days before${confirmNote('papersLeadWorkingDays')})`,
          },
        },
        {
          key: { text: 'Attendance' },
          value: {
            text: page.sitting.attendance_recorded_at
              ? `Recorded ${formatDateTime(page.sitting.attendance_recorded_at)}`
              : 'Not recorded yet',
          },
        },
      ],
      quorum: page.quorum,
      quorumNote: `The quorum is ${page.sitting.joint ? page.rules.jointQuorumMinimum : page.rules.quorumMinimum} members${confirmNote(page.sitting.joint ? 'jointQuorumMinimum' : 'quorumMinimum')}, including the chair or a vice chair, a social worker with ${page.rules.socialWorkerExperienceYears} years’ post-qualifying experience and an independent member; advisers do not count. A member who withdraws from an item does not count for it.`,
      items: page.items.map((item) => ({
        position: item.position,
        href: panelPaths.item(item.id),
        kind: itemKindLabels[item.kind as ItemKind],
        name: caseName(item, page.names.get(item.household_id ?? '') ?? []),
        status: itemStatus(item),
        conflicts: withdrawnBy(item.id),
      })),
      members: memberRows(page.members, page.papersDue),
      candidates: page.candidates.map((m) => ({
        value: m.id,
        text: `${m.name} (${memberRoleLabels[m.role]})`,
        hint:
          m.review_due < page.sitting.sitting_date
            ? { text: `Appointment review was due ${formatDate(m.review_due)}` }
            : undefined,
      })),
      staff,
      mayManage: staff && actor.permissions.has('panels:manage') && page.sitting.status === 'scheduled',
      mayRecordAttendance:
        staff && actor.permissions.has('panels:manage') && held && page.sitting.status === 'scheduled',
      actions: {
        members: panelPaths.members(page.sitting.id),
        attendance: panelPaths.attendance(page.sitting.id),
        circulation: panelPaths.circulation(page.sitting.id),
        cancel: panelPaths.cancel(page.sitting.id),
        readyCases: panelPaths.readyCases(page.sitting.id),
      },
      attendanceFields: page.members.map((m) => ({
        name: `attendance-${m.member_id}`,
        legend: `${m.name} (${memberRoleLabels[m.role]})`,
        items: radios(
          { present: 'Present', apologies: 'Sent apologies', absent: 'Absent' },
          values[`attendance-${m.member_id}`] ?? (m.attendance === 'invited' ? undefined : m.attendance),
        ),
        error: errors?.fieldErrors[`attendance-${m.member_id}`],
      })),
      circulationItems: page.members.map((m) => ({ value: m.member_id, text: m.name })),
      stepItems: radios(
        { sent: 'Sent to them', received: 'They confirmed they have them' },
        values.step ?? 'sent',
      ),
      values: { ...dateValues('on', page.today), ...values },
      ...errors,
    });
  };
  app.get('/panel-sittings/:id', { config: access('panels:read') }, (request, reply) =>
    renderSitting(request, reply),
  );

  const sittingChange = recordChange(renderSitting, panelPaths.sitting);

  /** Scope first: a form that failed validation still answers "not found" for another RAA's sitting. */
  const parsedForSitting = (action: 'panels.sitting.invite' | 'panels.sitting.papers') =>
    parsedWithin((request) =>
      sittingForActor(deps, request.actor!, context.auditContext(request), idFrom(request), action, {
        staffOnly: true,
      }),
    );

  sittingChange('/panel-sittings/:id/members', 'panels:manage', 'invited', async (request) => {
    const form = await parsedForSitting('panels.sitting.invite')(
      request,
      parseForm(inviteSchema, request.body),
    );
    return inviteMembers(deps, request.actor!, context.auditContext(request), idFrom(request), form.memberId);
  });
  sittingChange('/panel-sittings/:id/attendance', 'panels:manage', 'attendance', (request) =>
    recordAttendance(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      (request.body ?? {}) as Record<string, unknown>,
    ),
  );
  sittingChange('/panel-sittings/:id/papers', 'panels:manage', 'papers', async (request) => {
    const form = await parsedForSitting('panels.sitting.papers')(
      request,
      parseForm(circulationSchema, request.body),
    );
    return recordCirculation(deps, request.actor!, context.auditContext(request), idFrom(request), form);
  });
  sittingChange('/panel-sittings/:id/cancel', 'panels:manage', 'cancelled', (request) =>
    cancelSitting(deps, request.actor!, context.auditContext(request), idFrom(request)),
  );

  // ── Building the agenda ──────────────────────────────────────────────────────────────────────
  const renderReady = async (request: FastifyRequest, reply: FastifyReply, status = 200, errors?: Errors) => {
    const { sitting, cases } = await readyCases(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    return reply.code(status).view(view('ready-cases'), {
      pageTitle: `Cases ready for panel: sitting on ${formatDate(sitting.sitting_date)}`,
      sittingHref: panelPaths.sitting(sitting.id),
      caption: `${sitting.panel_name}, sitting on ${formatDate(sitting.sitting_date)}`,
      action: panelPaths.agenda(sitting.id),
      approvals: cases.approvals.map((c) => ({
        id: c.id,
        label: `Household ${c.reference}${c.names.length ? ` (${c.names.join(' and ')})` : ''}`,
        report: c.reportSentOn ? formatDate(c.reportSentOn) : '',
        commentsDue: c.commentsDue ? formatDate(c.commentsDue) : '',
        commentsOpen: !!c.commentsDue && c.commentsDue >= sitting.sitting_date,
      })),
      reviews: cases.reviews.map((c) => ({
        id: c.id,
        label: `Household ${c.reference}${c.names.length ? ` (${c.names.join(' and ')})` : ''}`,
        approved: c.approvedOn ? formatDate(c.approvedOn) : '',
        reviewDue: c.reviewDue ? formatDate(c.reviewDue) : '',
      })),
      matches: cases.matches.map((c) => ({
        id: c.id,
        label: `${c.childName} (${c.council}) with household ${c.reference}${c.names.length ? ` (${c.names.join(' and ')})` : ''}`,
      })),
      relinquished: cases.relinquished.map((c) => ({
        id: c.id,
        label: `${c.childName} (${c.council}), born ${formatDate(c.dateOfBirth)}`,
      })),
      ...errors,
    });
  };
  app.get('/panel-sittings/:id/agenda/new', { config: access('panels:manage') }, (request, reply) =>
    renderReady(request, reply),
  );
  formPost(
    '/panel-sittings/:id/agenda',
    'panels:manage',
    agendaAddSchema,
    renderReady,
    async (request, form) => {
      await addToAgenda(deps, request.actor!, context.auditContext(request), idFrom(request), form);
      return `${panelPaths.sitting(idFrom(request))}?done=added`;
    },
  );

  // ── An item ──────────────────────────────────────────────────────────────────────────────────
  const renderItem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors?: Errors,
    values: Record<string, string> = {},
  ) => {
    const actor = request.actor!;
    const page = await itemPage(deps, actor, context.auditContext(request), idFrom(request));
    const vm = presentItem(page, actor, rules);
    const item = page.item;
    const minuteValues = {
      recommendation: item.recommendation ?? '',
      reasons: item.reasons ?? '',
      dissent: item.dissent ?? '',
      conditions: item.conditions ?? '',
      votesFor: item.votes_for === null ? '' : String(item.votes_for),
      votesAgainst: item.votes_against === null ? '' : String(item.votes_against),
      abstentions: item.abstentions === null ? '' : String(item.abstentions),
      version: vm.minuteVersion,
      ...dateValues('requestedOn', page.today),
      ...values,
    };
    return reply.code(status).view(view('item'), {
      ...vm,
      notice: noticeFrom(request),
      values: minuteValues,
      recommendationItems: vm.recommendationItems(minuteValues.recommendation),
      outcomeItems: vm.outcomeItems(values.outcome),
      finalItems: radios(
        { approved: 'Approve as suitable to adopt', not_approved: 'Do not approve' },
        values.finalOutcome,
      ),
      routeItems: vm.routeItems(values.route),
      withdrewItems: radios(
        { yes: 'Yes, they withdrew from this item', no: 'No, they stayed' },
        values.withdrew,
      ),
      maxMegabytes: paperLimits.maxBytes / 1024 / 1024,
      ...errors,
    });
  };
  app.get('/panel-items/:id', { config: access('panels:read') }, (request, reply) =>
    renderItem(request, reply),
  );

  const itemChange = recordChange(renderItem, panelPaths.item);

  /** A form that failed validation still answers "not found" first for an item the actor cannot reach. */
  const parsedOrRefused = parsedWithin((request) =>
    itemForActor(deps, request.actor!, context.auditContext(request), idFrom(request), 'panels.item.change'),
  );

  /** A change to an item from its form: the service is called with the actor, the item's id and the parsed form. */
  const itemFormChange = <S extends z.ZodType>(
    path: string,
    permission: Parameters<typeof access>[0],
    done: string,
    schema: S,
    change: (
      deps: PanelDeps,
      actor: Actor,
      auditContext: AuditContext,
      itemId: string,
      form: z.output<S>,
    ) => Promise<unknown>,
  ) =>
    itemChange(path, permission, done, async (request) =>
      change(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        await parsedOrRefused(request, parseForm(schema, request.body)),
      ),
    );

  itemChange(
    '/panel-items/:id/remove',
    'panels:manage',
    'removed',
    (request) => removeFromAgenda(deps, request.actor!, context.auditContext(request), idFrom(request)),
    (_request, sittingId) => `${panelPaths.sitting(String(sittingId))}?done=removed`,
  );
  itemFormChange('/panel-items/:id/conflicts', 'panels:minute', 'conflict', conflictSchema, recordConflict);
  itemFormChange('/panel-items/:id/minute', 'panels:minute', 'minute', minuteSchema, recordMinute);
  itemFormChange(
    '/panel-items/:id/sign-off',
    'panels:sign-off',
    'signed-off',
    signOffSchema,
    (d, actor, audit, id, form) => signOff(d, actor, audit, id, form.version),
  );
  itemFormChange('/panel-items/:id/amendments', 'panels:minute', 'amended', amendmentSchema, amendMinute);
  itemFormChange('/panel-items/:id/quality', 'panels:minute', 'quality', qualitySchema, recordQualityIssue);
  itemFormChange('/panel-items/:id/decision', 'decisions:make', 'decided', decisionSchema, makeDecision);
  itemFormChange(
    '/panel-items/:id/determination-route',
    'panels:manage',
    'route',
    routeSchema,
    recordReviewRoute,
  );
  itemFormChange(
    '/panel-items/:id/final-decision',
    'decisions:make',
    'final',
    finalDecisionSchema,
    makeFinalDecision,
  );

  // Papers: multipart, one file of up to 10 MB (the app-wide limit is 5 MB for photos; this route
  // raises it). A larger file arrives truncated and is refused beside the field.
  app.post(
    '/panel-items/:id/papers',
    {
      config: {
        ...access('panels:manage'),
        multipartOptions: { limits: { fileSize: paperLimits.maxBytes + 1 } },
      },
      bodyLimit: paperLimits.maxBytes + 64 * 1024,
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const file = body.paper;
      return orRefused(
        request,
        reply,
        async () => {
          const title = paperTitleSchema.safeParse(body);
          const content = Buffer.isBuffer(file) ? file : Buffer.alloc(0);
          await uploadPaper(deps, request.actor!, context.auditContext(request), idFrom(request), {
            title: title.success ? title.data.title : '',
            content,
            truncated: content.length > paperLimits.maxBytes,
          });
          return `${panelPaths.item(idFrom(request))}?done=paper`;
        },
        (status, errors, values) => renderItem(request, reply, status, errors, values),
      );
    },
  );
  app.get('/panel-items/:id/papers/:paperId', { config: access('panels:read') }, async (request, reply) => {
    const paperId = String((request.params as { paperId?: unknown }).paperId ?? '');
    const paper = await paperForActor(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      paperId,
    );
    const extension = paper.mediaType === 'application/pdf' ? 'pdf' : 'docx';
    const name =
      paper.title
        .replace(/[^A-Za-z0-9 ._-]/g, '')
        .trim()
        .slice(0, 80) || 'paper';
    return reply
      .type(paper.mediaType)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${name}.${extension}"`)
      .send(paper.content);
  });
  app.get('/panel-letters/:id', { config: access('panels:read') }, async (request, reply) => {
    const letter = await letterForActor(deps, request.actor!, context.auditContext(request), idFrom(request));
    return reply
      .type('application/pdf')
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename="${letter.fileName}"`)
      .send(letter.content);
  });

  // ── Decisions ────────────────────────────────────────────────────────────────────────────────
  app.get(panelPaths.decisions, { config: access('decisions:make') }, async (request, reply) => {
    const found = await decisionsFor(deps, request.actor!, context.auditContext(request));
    const row = (item: (typeof found.recent)[number]) => ({
      href: panelPaths.item(item.id),
      kind: itemKindLabels[item.kind as ItemKind],
      name: caseName(item, found.names.get(item.household_id ?? '') ?? []),
      panel: `${item.panel_name}, ${formatDate(item.sitting_date)}`,
    });
    return reply.view(view('decisions'), {
      pageTitle: 'Agency decisions',
      side: found.side,
      awaiting: found.awaiting.map((item) => ({
        ...row(item),
        signedOff: formatDate(item.signed_off_on),
        due: formatDate(item.clock.due),
        clock: item.clock.label,
        overdue: item.clock.overdue,
      })),
      determinations: found.determinations.map((item) => ({
        ...row(item),
        due: formatDate(item.representations_due),
        route: item.route ? 'Request received' : 'No request recorded',
      })),
      recent: found.recent.map((item) => ({
        ...row(item),
        outcome: item.outcome ? itemStatus(item).text : '',
        on: formatDate(item.decided_on),
        late: !!item.decided_on && !!item.due_on && item.decided_on > item.due_on,
      })),
    });
  });

  // ── The central list ─────────────────────────────────────────────────────────────────────────
  app.get(panelPaths.centralList, { config: access('panels:read') }, async (request, reply) => {
    const { members, today } = await centralList(deps, request.actor!, context.auditContext(request));
    return reply.view(view('central-list'), {
      pageTitle: 'Central list of panel members',
      notice: noticeFrom(request),
      mayManage: request.actor!.permissions.has('panels:manage'),
      newHref: panelPaths.newMember,
      members: members.map((m) => ({
        href: panelPaths.member(m.id),
        name: m.name,
        role: memberRoleLabels[m.role],
        organisation: m.organisation ?? '',
        appointed: formatDate(m.appointed_on),
        reviewDue: formatDate(m.review_due),
        reviewOverdue: m.review_due < today && !m.left_on,
        lastTraining: m.last_training_on ? formatDate(m.last_training_on) : 'None recorded',
        left: m.left_on ? formatDate(m.left_on) : null,
        linked: !!m.user_id,
      })),
    });
  });

  const roleItems = (chosen?: string) =>
    memberRoles.map((role: MemberRole) => ({
      value: role,
      text: memberRoleLabels[role],
      checked: role === chosen,
    }));
  const renderMemberForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors?: Errors,
    values?: Record<string, string>,
  ) => {
    const editing = !!(request.params as { id?: string }).id;
    let member: Awaited<ReturnType<typeof memberOfRaa>>;
    if (editing) {
      member = (await memberPage(deps, request.actor!, context.auditContext(request), idFrom(request)))
        .member;
    } else {
      centralListRaa(request.actor!);
    }
    const shown =
      values ??
      (member
        ? {
            name: member.name,
            role: member.role,
            organisation: member.organisation ?? '',
            email: member.email ?? '',
            livedExperience: member.lived_experience ?? '',
            linkedUserEmail: member.user_email ?? '',
            version: String(member.version),
            ...dateValues('socialWorkQualifiedOn', member.social_work_qualified_on),
            ...dateValues('appointedOn', member.appointed_on),
            ...dateValues('reviewDue', member.review_due),
            ...dateValues('leftOn', member.left_on),
          }
        : {});
    return reply.code(status).view(view('member-form'), {
      pageTitle: member ? `Change ${member.name}` : 'Add a member to the central list',
      editing,
      backHref: member ? panelPaths.member(member.id) : panelPaths.centralList,
      action: member ? panelPaths.member(member.id) : panelPaths.centralList,
      values: shown,
      roleItems: roleItems(shown.role),
      livedItems: [
        { value: '', text: 'None, or not applicable' },
        ...livedExperiences.map((l) => ({
          value: l,
          text: livedExperienceLabels[l],
          selected: shown.livedExperience === l,
        })),
      ],
      ...errors,
    });
  };
  app.get(panelPaths.newMember, { config: access('panels:manage') }, (request, reply) =>
    renderMemberForm(request, reply),
  );
  formPost(
    panelPaths.centralList,
    'panels:manage',
    newMemberSchema,
    renderMemberForm,
    async (request, form) =>
      `${panelPaths.member(await addMember(deps, request.actor!, context.auditContext(request), form))}?done=member`,
  );

  const renderMember = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status = 200,
    errors?: Errors,
    values: Record<string, string> = {},
  ) => {
    const page = await memberPage(deps, request.actor!, context.auditContext(request), idFrom(request));
    const m = page.member;
    return reply.code(status).view(view('member'), {
      pageTitle: m.name,
      notice: noticeFrom(request),
      name: m.name,
      summary: [
        { key: { text: 'Role' }, value: { text: memberRoleLabels[m.role] } },
        { key: { text: 'Organisation' }, value: { text: m.organisation ?? 'Not recorded' } },
        { key: { text: 'Email' }, value: { text: m.email ?? 'Not recorded' } },
        ...(m.lived_experience
          ? [
              {
                key: { text: 'Personal experience of adoption' },
                value: { text: livedExperienceLabels[m.lived_experience] },
              },
            ]
          : []),
        ...(m.social_work_qualified_on
          ? [
              {
                key: { text: 'Qualified as a social worker' },
                value: { text: formatDate(m.social_work_qualified_on) },
              },
            ]
          : []),
        { key: { text: 'Appointed' }, value: { text: formatDate(m.appointed_on) } },
        {
          key: { text: 'Appointment review due' },
          value: {
            text: `${formatDate(m.review_due)}${m.review_due < page.today && !m.left_on ? ' (overdue)' : ''}`,
          },
        },
        ...(m.left_on ? [{ key: { text: 'Left the list' }, value: { text: formatDate(m.left_on) } }] : []),
        {
          key: { text: 'Kindred account' },
          value: { text: m.user_email ? `Linked to ${m.user_email}` : 'Not linked' },
        },
      ],
      editHref: panelPaths.editMember(m.id),
      backHref: panelPaths.centralList,
      mayManage: request.actor!.permissions.has('panels:manage'),
      training: page.training.map((t) => ({ course: t.course, on: formatDate(t.completed_on) })),
      interests: page.interests.map((i) => ({ description: i.description, on: formatDate(i.declared_on) })),
      sittings: page.sittings.map((s) => ({
        href: panelPaths.sitting(s.id),
        date: formatDate(s.sitting_date),
        panel: s.panel_name,
        attendance: attendanceLabels[s.attendance].toLowerCase(),
      })),
      trainingAction: panelPaths.training(m.id),
      interestAction: panelPaths.interests(m.id),
      values,
      ...errors,
    });
  };
  app.get('/central-list/:id', { config: access('panels:read') }, (request, reply) =>
    renderMember(request, reply),
  );
  app.get('/central-list/:id/edit', { config: access('panels:manage') }, (request, reply) =>
    renderMemberForm(request, reply),
  );
  formPost(
    '/central-list/:id',
    'panels:manage',
    editMemberSchema,
    renderMemberForm,
    async (request, form) => {
      await updateMember(deps, request.actor!, context.auditContext(request), idFrom(request), form);
      return `${panelPaths.member(idFrom(request))}?done=member`;
    },
  );
  const memberAddition = recordChange(renderMember, panelPaths.member);
  const parsedForMember = parsedWithin((request) =>
    memberForStaff(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      'panels.member.change',
    ),
  );
  /** The service refuses a date in the future on 'date': the form shows it beside its own date field. */
  const refusedBeside =
    (field: string) =>
    (error: unknown): never => {
      throw error instanceof PanelRefused ? new PanelRefused([{ field, message: error.message }]) : error;
    };
  memberAddition('/central-list/:id/training', 'panels:manage', 'training', async (request) => {
    const input = await parsedForMember(request, parseForm(trainingSchema, request.body));
    await addTraining(deps, request.actor!, context.auditContext(request), idFrom(request), input).catch(
      refusedBeside('completedOn-day'),
    );
  });
  memberAddition('/central-list/:id/interests', 'panels:manage', 'interest', async (request) => {
    const input = await parsedForMember(request, parseForm(interestSchema, request.body));
    await declareInterest(deps, request.actor!, context.auditContext(request), idFrom(request), input).catch(
      refusedBeside('declaredOn-day'),
    );
  });
}
