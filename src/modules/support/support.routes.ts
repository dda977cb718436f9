// Adoption support pages (issue 8). Thin: parse (zod), call the service with the actor, render.
// Every route declares its permission; scope (the actor's RAA, need-to-know) is judged by the
// services before any form is, so another RAA's record is "not found" whatever was sent.
import { paginationFor } from '../../platform/views/pagination.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { RouteAccess } from '../../platform/access/route-access.js';
import type { ModuleContext } from '../../platform/app.js';
import type { FieldError } from '../../platform/http/errors.js';
import { parseForm } from '../../platform/http/validation.js';
import { todayInLondon } from '../../platform/time/index.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import { caseRecord } from './case-record.service.js';
import { fundStatusLabels } from './fund.service.js';
import { registerFundRoutes } from './fund.routes.js';
import { registerLetterboxRoutes } from './letterbox.routes.js';
import { sendLetterboxReminders } from './letterbox.service.js';
import { registerOfferRoutes } from './offer.routes.js';
import { registerRecordRoutes } from './records.routes.js';
import { recordOutcomeLabels, recordRequestKindLabels } from './records.service.js';
import {
  assessmentCompleteSchema,
  assessmentRequestSchema,
  caseEditSchema,
  caseloadQuerySchema,
  caseSchema,
  childSchema,
  councilLiaisonSchema,
  liaisonSchema,
  planReviewSchema,
  planSchema,
  recordRequestSchema,
} from './support.forms.js';
import { badQuery, echo, errorsFor, idFrom, noticeFrom, staleMessage, supportView } from './support.http.js';
import {
  assessmentOutcomeLabels,
  caseKindLabels,
  caseName,
  fundCategoryLabels,
  goalResponsibleLabels,
  goalStatusLabels,
  items,
  liaisonKindLabels,
  monthName,
  monthYear,
  periodStatusTags,
  referralSourceLabels,
  relationshipLabels,
  supportPaths,
} from './support.presenter.js';
import { openRecordRequest } from './records.service.js';
import {
  defaultSupportRules,
  financialYearLabel,
  formatPounds,
  periodState,
  supportRuleSources,
} from './support-rules.js';
import {
  addChild,
  addCouncilLiaisonNote,
  addLiaisonNote,
  addPlan,
  auditFormView,
  caseForActor,
  caseIdOf,
  caseload,
  completeAssessment,
  councilLiaison,
  liaisonSchedule,
  openCase,
  requestAssessment,
  reviewPlan,
  StaleSupportRecord,
  SupportRefused,
  supportRaa,
  updateCase,
  visibleKinds,
  type SupportDeps,
} from './support.service.js';
import { councilsOfRaa, personOf, supportWorkers } from './support.repository.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobTypes {
    /** Letterbox exchanges due and missed: reminders to workers and writers (issue 8 §4). */
    'support.letterbox-reminders': Record<string, never>;
  }
}

/** 06:45 every day, London time: before the working day, after the night's other work. */
export const letterboxReminderSchedule = '45 6 * * *';

const readAccess = { access: { permission: 'support:read' as const } };
const writeAccess = { access: { permission: 'support:write' as const } };
const restrictedAccess = { access: { permission: 'support:restricted' as const } };
const liaisonAccess = { access: { permission: 'support:liaison' as const } };

type FormErrors = ReturnType<typeof errorsFor>;
interface FormState {
  values?: Record<string, unknown>;
  errors?: FormErrors;
  open?: string;
}

export async function registerSupportRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  const deps: SupportDeps = { db: context.db, auditKey: context.auditKey, mailer: context.mailer };
  context.navigation.push({
    text: 'Adoption support',
    href: supportPaths.caseload,
    permission: 'support:read',
    order: 50,
  });
  context.navigation.push({
    text: 'Support liaison',
    href: supportPaths.councilLiaison,
    permission: 'support:liaison',
    order: 51,
  });

  await context.jobs.work('support.letterbox-reminders', async () => {
    await sendLetterboxReminders(
      {
        db: context.db,
        auditKey: context.auditKey,
        mailer: context.mailer,
        publicUrl: context.config.publicUrl,
      },
      context.clock(),
    );
  });
  await context.jobs.schedule('support.letterbox-reminders', letterboxReminderSchedule);

  // ── The caseload ──────────────────────────────────────────────────────────────────────────
  app.get(supportPaths.caseload, { config: readAccess }, async (request, reply) => {
    const query = caseloadQuerySchema.safeParse(request.query ?? {});
    if (!query.success) throw badQuery(query.error.issues);
    const actor = request.actor!;
    const found = await caseload(deps, actor, context.auditContext(request), query.data);
    const pages = Math.max(1, Math.ceil(found.total / found.pageSize));
    const link = (page: number) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query.data)) {
        if (name !== 'page' && name !== 'done' && value) search.set(name, String(value));
      }
      search.set('page', String(page));
      return `${supportPaths.caseload}?${search.toString()}`;
    };
    return reply.view(supportView('caseload'), {
      pageTitle: 'Adoption support',
      notice: noticeFrom(request),
      mayWrite: actor.permissions.has('support:write'),
      newCaseHref: supportPaths.newCase,
      offerHref: supportPaths.offer,
      spendHref: actor.permissions.has('support:spend') ? supportPaths.spend : null,
      action: supportPaths.caseload,
      filters: query.data,
      kindItems: items(
        Object.fromEntries(visibleKinds(actor).map((kind) => [kind, caseKindLabels[kind]])),
        query.data.kind ?? '',
        'Everyone',
      ),
      statusItems: items(
        { open: 'Open', closed: 'Closed', all: 'Open and closed' },
        query.data.status ?? 'open',
      ),
      workerItems: items({ all: 'Everyone’s cases', mine: 'My cases' }, query.data.worker ?? 'all'),
      total: found.total,
      page: found.page,
      pages,
      pagination: paginationFor(found.page, pages, link),
      cases: found.rows.map((row) => {
        const [dueOn, completedOn] = (row.latest_assessment ?? '').split('|');
        const next = row.letterbox_next_due
          ? periodState(String(row.letterbox_next_due), false, found.today)
          : null;
        return {
          href: supportPaths.case(row.id),
          reference: row.reference,
          name: caseName(row),
          kind: caseKindLabels[row.kind],
          closed: row.status === 'closed',
          worker: row.worker_name ?? 'Not allocated',
          referralOn: formatDate(row.referral_on),
          assessment: !dueOn
            ? null
            : completedOn
              ? { text: 'Completed', classes: 'govuk-tag--green' }
              : dueOn < found.today
                ? { text: `Overdue since ${formatDate(dueOn)}`, classes: 'govuk-tag--red' }
                : { text: `Due ${formatDate(dueOn)}`, classes: 'govuk-tag--blue' },
          letterbox: next ? monthYear(next.period) : '',
          letterboxTag:
            next && (next.status === 'missed' || next.status === 'due')
              ? periodStatusTags[next.status]
              : null,
        };
      }),
      letterboxWork: found.letterboxWork.map((w) => {
        const state = periodState(String(w.next_due_on), false, found.today);
        return {
          href: supportPaths.agreement(w.agreement_id),
          reference: w.agreement_reference,
          caseHref: supportPaths.case(w.case_id),
          caseReference: w.case_reference,
          caseName: w.family_name ?? '',
          from: w.side === 'adoptive_family' ? 'The adoptive family' : w.party_name,
          month: monthYear(String(w.next_due_on)),
          tag: periodStatusTags[state.status],
        };
      }),
    });
  });

  // ── Opening and changing a case ───────────────────────────────────────────────────────────
  const renderCaseForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: { values: Record<string, unknown>; errors?: FormErrors; editing?: { id: string; kind: string } },
  ) => {
    const actor = request.actor!;
    const raaId = supportRaa(actor)!;
    const [councils, workers] = await Promise.all([
      councilsOfRaa(context.db, raaId),
      supportWorkers(context.db, actor.scope.organisationIds),
    ]);
    const values = state.values;
    const kind = state.editing?.kind;
    const councilItems = (chosen: unknown, blank: string) =>
      items(Object.fromEntries(councils.map((c) => [c.id, c.name])), chosen, blank);
    return reply.view(supportView('case-form'), {
      pageTitle: state.editing ? 'Change the case details' : 'Open a support case',
      backText: state.editing ? 'Back to the case' : 'Back to adoption support',
      backHref: state.editing ? supportPaths.case(state.editing.id) : supportPaths.caseload,
      action: state.editing ? supportPaths.editCase(state.editing.id) : supportPaths.cases,
      editing: !!state.editing,
      kindLabel: kind ? caseKindLabels[kind as keyof typeof caseKindLabels] : '',
      showFamily: !kind || kind === 'adoptive_family',
      showPerson: !kind || kind !== 'adoptive_family',
      kindItems: visibleKinds(actor).map((k) => ({
        value: k,
        text: caseKindLabels[k],
        checked: values.kind === k,
      })),
      sourceItems: items(referralSourceLabels, values.referralSource, 'Choose'),
      workerItems: items(
        Object.fromEntries(workers.map((w) => [w.id, w.name])),
        values.allocatedWorkerId,
        'Not allocated yet',
      ),
      relationshipItems: items(
        Object.fromEntries(Object.entries(relationshipLabels).filter(([k]) => k !== 'adopted_adult')),
        values.relationship,
        'Choose (birth relatives)',
      ),
      placingItems: councilItems(values.placingCouncilId, 'Not known or outside the region'),
      residenceItems: councilItems(values.residenceCouncilId, 'Not known or outside the region'),
      statusItems: [
        { value: 'open', text: 'Open', checked: values.status === 'open' },
        { value: 'closed', text: 'Closed', checked: values.status === 'closed' },
      ],
      submitText: state.editing ? 'Save the details' : 'Open the case',
      values,
      ...state.errors,
    });
  };

  app.get(supportPaths.newCase, { config: writeAccess }, async (request, reply) => {
    if (!supportRaa(request.actor!))
      throw badQuery([{ message: 'Sign in as a member of the RAA’s staff to open a support case' }]);
    const today = todayInLondon(context.clock());
    return renderCaseForm(request, reply, {
      values: {
        'referralOn-day': today.slice(8),
        'referralOn-month': today.slice(5, 7),
        'referralOn-year': today.slice(0, 4),
      },
    });
  });

  app.post(supportPaths.cases, { config: writeAccess }, async (request, reply) => {
    const values = echo(request.body);
    if (!supportRaa(request.actor!))
      throw badQuery([{ message: 'Sign in as a member of the RAA’s staff to open a support case' }]);
    const form = parseForm(caseSchema, request.body);
    if (!form.ok) return renderCaseForm(request, reply.code(400), { values, errors: form });
    try {
      const id = await openCase(deps, request.actor!, context.auditContext(request), form.data);
      return reply.redirect(supportPaths.case(id, 'created'), 303);
    } catch (error) {
      if (error instanceof SupportRefused) {
        return renderCaseForm(request, reply.code(error.status), { values, errors: errorsFor(error.errors) });
      }
      throw error;
    }
  });

  const caseValues = async (caseId: string, found: Awaited<ReturnType<typeof caseForActor>>) => {
    const person = found.kind === 'adoptive_family' ? undefined : await personOf(context.db, caseId);
    const date = (prefix: string, iso: string | null | undefined) =>
      iso
        ? {
            [`${prefix}-day`]: iso.slice(8),
            [`${prefix}-month`]: iso.slice(5, 7),
            [`${prefix}-year`]: iso.slice(0, 4),
          }
        : {};
    return {
      version: String(found.version),
      kind: found.kind,
      status: found.status,
      closedReason: found.closed_reason ?? '',
      referralSource: found.referral_source,
      referralReason: found.referral_reason,
      allocatedWorkerId: found.allocated_worker_id ?? '',
      placingCouncilId: found.placing_council_id ?? '',
      residenceCouncilId: found.residence_council_id ?? '',
      householdReference: found.household_reference ?? '',
      familyName: found.family_name ?? '',
      familySurnames: found.family_surnames.join(', '),
      school: found.school ?? '',
      addressLine1: (person ? person.address_line_1 : found.address_line_1) ?? '',
      addressLine2: found.address_line_2 ?? '',
      town: (person ? person.town : found.town) ?? '',
      postcode: (person ? person.postcode : found.postcode) ?? '',
      email: (person ? person.email : found.email) ?? '',
      phone: (person ? person.phone : found.phone) ?? '',
      firstName: person?.first_name ?? '',
      lastName: person?.last_name ?? '',
      relationship: person?.relationship ?? '',
      ...date('referralOn', found.referral_on),
      ...date('dateOfBirth', person?.date_of_birth),
      ...date('adoptedOn', person?.adopted_on),
    };
  };

  app.get('/support/cases/:id/edit', { config: writeAccess }, async (request, reply) => {
    const found = await caseForActor(
      deps,
      request.actor!,
      context.auditContext(request),
      'support.case.view',
      idFrom(request),
    );
    await auditFormView(deps, context.auditContext(request), found, 'case details form');
    return renderCaseForm(request, reply, {
      values: await caseValues(found.id, found),
      editing: { id: found.id, kind: found.kind },
    });
  });

  app.post('/support/cases/:id/edit', { config: writeAccess }, async (request, reply) => {
    const actor = request.actor!;
    const found = await caseForActor(
      deps,
      actor,
      context.auditContext(request),
      'support.case.update',
      idFrom(request),
    );
    const values = { ...echo(request.body), kind: found.kind };
    const editing = { id: found.id, kind: found.kind };
    const form = parseForm(caseEditSchema, values);
    if (!form.ok) return renderCaseForm(request, reply.code(400), { values, errors: form, editing });
    try {
      await updateCase(deps, actor, context.auditContext(request), found.id, form.data);
    } catch (error) {
      if (error instanceof StaleSupportRecord) {
        const current = await caseForActor(
          deps,
          actor,
          context.auditContext(request),
          'support.case.view',
          found.id,
        );
        return renderCaseForm(request, reply.code(409), {
          values: { ...values, version: String(current.version) },
          errors: errorsFor([{ field: 'referralReason', message: staleMessage }]),
          editing,
        });
      }
      if (error instanceof SupportRefused) {
        return renderCaseForm(request, reply.code(error.status), {
          values,
          errors: errorsFor(error.errors),
          editing,
        });
      }
      throw error;
    }
    return reply.redirect(supportPaths.case(found.id, 'updated'), 303);
  });

  // ── The case page and its forms ───────────────────────────────────────────────────────────
  const renderCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    caseId: string,
    state: FormState = {},
  ) => {
    const actor = request.actor!;
    const record = await caseRecord(deps, actor, context.auditContext(request), caseId);
    const { found, today } = record;
    const values = state.values ?? {};
    const name = caseName(
      {
        kind: found.kind,
        family_name: found.family_name,
        person_first_name: record.person?.first_name,
        person_last_name: record.person?.last_name,
      },
      record.householdPeople,
    );
    const family = found.kind === 'adoptive_family';
    const latestPlan = record.plans[0];
    const openAssessment = record.assessments.find((a) => !a.completed_on);
    const liaisonKind = typeof values.liaisonKind === 'string' ? values.liaisonKind : 'general';
    return reply.view(supportView('case'), {
      pageTitle: `Support case ${found.reference}`,
      notice: noticeFrom(request),
      caseloadHref: supportPaths.caseload,
      editHref: supportPaths.editCase(found.id),
      c: {
        reference: found.reference,
        name,
        kindLabel: caseKindLabels[found.kind],
        closed: found.status === 'closed',
      },
      section47: record.section47Open
        ? { council: record.section47Open.council_name, since: formatDate(record.section47Open.recorded_at) }
        : null,
      summaryRows: [
        {
          key: { text: 'Request came in' },
          value: {
            text: `${formatDate(found.referral_on)} (${referralSourceLabels[found.referral_source].toLowerCase()})`,
          },
        },
        {
          key: { text: 'What they asked for' },
          value: { text: found.referral_reason, classes: 'kindred-preserve-lines' },
        },
        { key: { text: 'Allocated worker' }, value: { text: found.worker_name ?? 'Not allocated' } },
        ...(family
          ? [
              {
                key: { text: 'Household in Kindred' },
                value: { text: found.household_reference ?? 'Adopted before Kindred' },
              },
              ...(record.householdPeople.length
                ? [
                    {
                      key: { text: 'Adoptive parents' },
                      value: { text: record.householdPeople.join(' and ') },
                    },
                  ]
                : []),
            ]
          : []),
        { key: { text: 'Placing council' }, value: { text: found.placing_council_name ?? 'Not recorded' } },
        {
          key: { text: 'Council where they live' },
          value: { text: found.residence_council_name ?? 'Not recorded' },
        },
        ...(found.status === 'closed'
          ? [
              {
                key: { text: 'Closed' },
                value: { text: `${formatDate(found.closed_on)}: ${found.closed_reason ?? ''}` },
              },
            ]
          : []),
      ],
      children: family
        ? record.children.map((c) => ({
            name: `${c.child.first_name} ${c.child.last_name}`,
            birthName:
              c.child.birth_first_name && c.child.birth_first_name !== c.child.first_name
                ? c.child.birth_first_name
                : null,
            born: formatDate(c.child.date_of_birth),
            order: c.child.adoption_order_on ? formatDate(c.child.adoption_order_on) : 'Not yet',
            fund: c.limits
              ? `Therapy: ${formatPounds(c.therapyLeft)} left · assessment: ${formatPounds(c.assessmentLeft)} left`
              : 'No limits recorded',
          }))
        : null,
      yearLabel: financialYearLabel(record.year),
      limitsToConfirm: record.children.some((c) => c.limits?.confirm),
      person: record.person
        ? {
            heading: found.kind === 'adopted_adult' ? 'The adopted adult' : 'The birth relative',
            rows: [
              {
                key: { text: 'Name' },
                value: { text: `${record.person.first_name} ${record.person.last_name}` },
              },
              {
                key: { text: 'Relationship' },
                value: { text: relationshipLabels[record.person.relationship] },
              },
              {
                key: { text: 'Date of birth' },
                value: { text: formatDate(record.person.date_of_birth) || 'Not known' },
              },
              ...(found.kind === 'adopted_adult'
                ? [
                    {
                      key: { text: 'Adopted' },
                      value: { text: formatDate(record.person.adopted_on) || 'Date not recorded' },
                    },
                  ]
                : []),
              {
                key: { text: 'Address and contact' },
                value: {
                  text:
                    [
                      record.person.address_line_1,
                      record.person.town,
                      record.person.postcode,
                      record.person.email,
                      record.person.phone,
                    ]
                      .filter(Boolean)
                      .join(', ') || 'Not recorded',
                },
              },
            ],
          }
        : null,
      assessmentWorkingDays: defaultSupportRules.assessmentWorkingDays,
      assessmentToConfirm: supportRuleSources.assessmentWorkingDays.confirm,
      assessments: record.assessments.map((a) => ({
        requestedOn: formatDate(a.requested_on),
        dueOn: formatDate(a.due_on),
        tag: !a.completed_on && a.due_on < today ? { text: 'Overdue', classes: 'govuk-tag--red' } : null,
        completedOn: a.completed_on ? formatDate(a.completed_on) : 'In progress',
        by: a.completed_by_name,
        outcome: a.outcome ? assessmentOutcomeLabels[a.outcome] : '',
        summary: a.summary,
      })),
      openAssessment: openAssessment
        ? {
            action: supportPaths.assessment(openAssessment.id),
            version: values.version ?? openAssessment.version,
          }
        : null,
      outcomeItems: Object.entries(assessmentOutcomeLabels).map(([value, text]) => ({
        value,
        text,
        checked: values.outcome === value,
      })),
      fundApplyBy: record.fundApplyBy ? formatDate(record.fundApplyBy) : null,
      fundMonths: defaultSupportRules.fundApplicationMonths,
      fundToConfirm: supportRuleSources.fundApplicationMonths.confirm,
      plans: record.plans.map((p, index) => ({
        latest: index === 0,
        agreedOn: formatDate(p.agreed_on),
        summary: p.summary,
        proposalSentOn: p.proposal_sent_on ? formatDate(p.proposal_sent_on) : null,
        representationsDue: formatDate(p.representations_due_on),
        reviewOn: formatDate(p.review_on),
        reviewTag:
          index === 0 && p.review_on < today ? { text: 'Review overdue', classes: 'govuk-tag--red' } : null,
        goals: p.goals.map((g) => ({
          goal: g.goal,
          responsible: goalResponsibleLabels[g.responsible],
          status: goalStatusLabels[g.status],
        })),
        reviews: p.reviews.map((r) => ({
          reviewedOn: formatDate(r.reviewed_on),
          by: r.recorded_by_name,
          note: r.note,
        })),
      })),
      latestPlan: latestPlan
        ? {
            action: supportPaths.planReview(latestPlan.id),
            version: latestPlan.version,
            goals: latestPlan.goals.map((g) => ({
              id: g.id,
              position: g.position,
              goal: g.goal,
              items: items(goalStatusLabels, values[`goal-${g.id}`] ?? g.status),
            })),
          }
        : null,
      assessmentItems: [
        { value: '', text: 'None' },
        ...record.assessments
          .filter((a) => a.completed_on)
          .map((a) => ({
            value: a.id,
            text: `Completed ${formatDate(a.completed_on)}`,
            selected: values.assessmentId === a.id,
          })),
      ],
      responsibleItems: (chosen: unknown) => items(goalResponsibleLabels, chosen, 'Choose'),
      representationsDays: defaultSupportRules.representationsDays,
      liaison: record.liaison.map((n) => ({
        kind: liaisonKindLabels[n.kind],
        status:
          n.section_47_status === 'started'
            ? 'started'
            : n.section_47_status === 'concluded'
              ? 'concluded'
              : null,
        council: n.council_name,
        note: n.note,
        raaActions: n.raa_actions,
        councilActions: n.council_actions,
        by: [n.recorded_by_name, n.recorded_by_organisation].filter(Boolean).join(', '),
        when: formatDateTime(n.recorded_at),
      })),
      councilItems: items(
        Object.fromEntries(record.councils.map((c) => [c.id, c.name])),
        values.councilId ?? found.placing_council_id,
        'Choose the council',
      ),
      liaisonKindItems: Object.entries(liaisonKindLabels).map(([value, text]) => ({
        value,
        text,
        checked: liaisonKind === value,
      })),
      section47Items: [
        { value: 'started', text: 'Started', checked: values.section47Status === 'started' },
        { value: 'concluded', text: 'Concluded', checked: values.section47Status === 'concluded' },
      ],
      schedule: liaisonSchedule[liaisonKind] ?? liaisonSchedule.general,
      fundSection: family && record.may.fund,
      fund: record.fund.map((f) => ({
        href: supportPaths.fund(f.id),
        what: `${fundCategoryLabels[f.category]}: ${f.provider_org_name ?? f.provider_name ?? ''}`,
        child: `${f.child_first_name} ${f.child_last_name}`,
        year: financialYearLabel(f.financial_year),
        fundShare: formatPounds(f.approved_pence ?? f.fund_share_pence),
        status: fundStatusLabels[f.status],
      })),
      newFundHref: supportPaths.newFund(found.id),
      letterboxSection: family,
      agreements: record.agreements.map((a) => ({
        href: supportPaths.agreement(a.id),
        reference: a.reference,
        months: a.months.map((m) => monthName(m)).join(' and '),
        next: a.next_due_on ? monthYear(String(a.next_due_on)) : '',
        tag:
          a.nextState && (a.nextState.status === 'due' || a.nextState.status === 'missed')
            ? periodStatusTags[a.nextState.status]
            : null,
        status: a.status === 'ended' ? `Ended ${formatDate(a.ended_on)}` : 'Active',
      })),
      newAgreementHref: supportPaths.newAgreement(found.id),
      recordsSection: !family && record.may.restricted,
      records: record.records.map((r) => ({
        href: supportPaths.record(r.id),
        kind: recordRequestKindLabels[r.kind],
        receivedOn: formatDate(r.received_on),
        outcome: r.outcome ? `${recordOutcomeLabels[r.outcome]}, ${formatDate(r.outcome_on)}` : 'Open',
      })),
      requestKindItems: Object.entries(recordRequestKindLabels)
        .filter(([value]) => found.kind === 'adopted_adult' || value !== 'birth_records_counselling')
        .map(([value, text]) => ({ value, text, checked: values.requestKind === value })),
      actions: {
        children: supportPaths.children(found.id),
        assessments: supportPaths.assessments(found.id),
        plans: supportPaths.plans(found.id),
        liaison: supportPaths.liaison(found.id),
        records: supportPaths.records(found.id),
      },
      may: record.may,
      values,
      open: state.open,
      ...state.errors,
    });
  };

  app.get('/support/cases/:id', { config: readAccess }, (request, reply) =>
    renderCase(request, reply, idFrom(request)),
  );

  /** Runs a form on the case page: errors re-render the page with the form open and what was typed. */
  const caseForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    caseId: string,
    open: string,
    done: string,
    parsed: { ok: true; run: () => Promise<unknown> } | { ok: false; errors: FieldError[] },
  ) => {
    const values = echo(request.body);
    if (!parsed.ok)
      return renderCase(request, reply.code(400), caseId, { values, errors: errorsFor(parsed.errors), open });
    try {
      await parsed.run();
    } catch (error) {
      if (error instanceof SupportRefused) {
        return renderCase(request, reply.code(error.status), caseId, {
          values,
          errors: errorsFor(error.errors),
          open,
        });
      }
      if (error instanceof StaleSupportRecord) {
        return renderCase(request, reply.code(409), caseId, {
          values: { ...values, version: undefined },
          errors: errorsFor([{ field: firstFieldOf[open] ?? 'form', message: staleMessage }]),
          open,
        });
      }
      throw error;
    }
    return reply.redirect(supportPaths.case(caseId, done), 303);
  };

  const run = <T>(
    result: { ok: true; data: T } | { ok: false; errors: FieldError[] },
    action: (data: T) => Promise<unknown>,
  ): { ok: true; run: () => Promise<unknown> } | { ok: false; errors: FieldError[] } =>
    result.ok ? { ok: true, run: () => action(result.data) } : { ok: false, errors: result.errors };

  /** A form on the case page at /support/cases/:id/…, written by one service call. */
  const caseFormRoute = <S extends z.ZodType>(
    path: string,
    config: { access: RouteAccess },
    open: string,
    done: string,
    schema: S,
    write: (request: FastifyRequest, caseId: string, data: z.output<S>) => Promise<unknown>,
  ) =>
    app.post(`/support/cases/:id/${path}`, { config }, (request, reply) => {
      const id = idFrom(request);
      return caseForm(
        request,
        reply,
        id,
        open,
        done,
        run(parseForm(schema, request.body), (data) => write(request, id, data)),
      );
    });

  caseFormRoute('children', writeAccess, 'children', 'child', childSchema, (request, id, data) =>
    addChild(deps, request.actor!, context.auditContext(request), id, data),
  );

  caseFormRoute(
    'assessments',
    writeAccess,
    'assessments',
    'assessment',
    assessmentRequestSchema,
    (request, id, data) =>
      requestAssessment(deps, request.actor!, context.auditContext(request), id, data.requestedOn),
  );

  app.post('/support/assessments/:id', { config: writeAccess }, async (request, reply) => {
    const action = 'support.assessment.complete';
    const caseId = await caseIdOf(
      deps,
      request.actor!,
      context.auditContext(request),
      'assessment',
      idFrom(request),
      action,
    );
    return caseForm(
      request,
      reply,
      caseId,
      'assessment',
      'assessed',
      run(parseForm(assessmentCompleteSchema, request.body), (data) =>
        completeAssessment(deps, request.actor!, context.auditContext(request), idFrom(request), {
          version: data.version,
          outcome: data.outcome,
          summary: data.assessmentSummary,
          completedOn: data.completedOn,
        }),
      ),
    );
  });

  caseFormRoute('plans', writeAccess, 'plans', 'plan', planSchema, (request, id, data) =>
    addPlan(deps, request.actor!, context.auditContext(request), id, data),
  );

  app.post('/support/plans/:id/review', { config: writeAccess }, async (request, reply) => {
    const action = 'support.plan.review';
    const caseId = await caseIdOf(
      deps,
      request.actor!,
      context.auditContext(request),
      'plan',
      idFrom(request),
      action,
    );
    return caseForm(
      request,
      reply,
      caseId,
      'review',
      'reviewed',
      run(parseForm(planReviewSchema, request.body), (data) =>
        reviewPlan(
          deps,
          request.actor!,
          context.auditContext(request),
          idFrom(request),
          request.body as Record<string, unknown>,
          {
            version: data.version,
            note: data.reviewNote,
            reviewedOn: data.reviewedOn,
            nextReviewOn: data.nextReviewOn,
          },
        ),
      ),
    );
  });

  caseFormRoute('liaison', writeAccess, 'liaison', 'liaison', liaisonSchema, (request, id, data) =>
    addLiaisonNote(deps, request.actor!, context.auditContext(request), id, data),
  );

  caseFormRoute('records', restrictedAccess, 'records', 'request', recordRequestSchema, (request, id, data) =>
    openRecordRequest(deps, request.actor!, context.auditContext(request), id, {
      kind: data.requestKind,
      receivedOn: data.receivedOn,
      soughtPerson: data.soughtPerson,
      details: data.details,
    }),
  );

  // ── A council's liaison notes ─────────────────────────────────────────────────────────────
  const renderCouncilLiaison = async (
    request: FastifyRequest,
    reply: FastifyReply,
    state: FormState & { caseId?: string } = {},
  ) => {
    const notes = await councilLiaison(deps, request.actor!, context.auditContext(request));
    const byCase = new Map<string, { reference: string; action: string; id: string; notes: typeof notes }>();
    for (const note of notes) {
      const entry = byCase.get(note.case_id) ?? {
        id: note.case_id,
        reference: note.case_reference,
        action: supportPaths.councilLiaisonCase(note.case_id),
        notes: [],
      };
      entry.notes.push(note);
      byCase.set(note.case_id, entry);
    }
    const values = state.values ?? {};
    // Each thread has its own form, so its fields carry the case's id; the summary links to them.
    const errors =
      state.errors && state.caseId
        ? {
            ...state.errors,
            errorList: state.errors.errorList.map((e) => ({ ...e, href: `${e.href}-${state.caseId}` })),
          }
        : state.errors;
    return reply.view(supportView('council-liaison'), {
      pageTitle: 'Adoption support liaison',
      notice: noticeFrom(request),
      threads: [...byCase.values()].map((thread) => ({
        ...thread,
        open: state.caseId === thread.id,
        notes: thread.notes.map((n) => ({
          kind: liaisonKindLabels[n.kind],
          status: n.section_47_status,
          note: n.note,
          raaActions: n.raa_actions,
          councilActions: n.council_actions,
          by: [n.recorded_by_name, n.recorded_by_organisation].filter(Boolean).join(', '),
          when: formatDateTime(n.recorded_at),
        })),
      })),
      liaisonKindItems: (caseId: string) =>
        Object.entries(liaisonKindLabels).map(([value, text]) => ({
          value,
          text,
          checked: state.caseId === caseId ? values.liaisonKind === value : value === 'general',
        })),
      values,
      postedCaseId: state.caseId,
      ...errors,
    });
  };

  app.get(supportPaths.councilLiaison, { config: liaisonAccess }, (request, reply) =>
    renderCouncilLiaison(request, reply),
  );

  app.post('/support/liaison/cases/:id', { config: liaisonAccess }, async (request, reply) => {
    const caseId = idFrom(request);
    const form = parseForm(councilLiaisonSchema, request.body);
    try {
      await addCouncilLiaisonNote(
        deps,
        request.actor!,
        context.auditContext(request),
        caseId,
        form.ok ? form.data : null,
      );
    } catch (error) {
      if (error instanceof SupportRefused) {
        return renderCouncilLiaison(request, reply.code(400), {
          values: echo(request.body),
          errors: errorsFor(form.ok ? error.errors : form.errors),
          caseId,
        });
      }
      throw error;
    }
    return reply.redirect(`${supportPaths.councilLiaison}?done=liaison`, 303);
  });

  registerFundRoutes(app, context, deps);
  registerLetterboxRoutes(app, context, deps);
  registerOfferRoutes(app, context, deps);
  registerRecordRoutes(app, context, deps);
}

/** The field each case-page form's messages point to when the whole form is refused. */
const firstFieldOf: Record<string, string> = {
  children: 'firstName',
  assessments: 'requestedOn-day',
  assessment: 'outcome',
  plans: 'planSummary',
  review: 'reviewNote',
  liaison: 'note',
  records: 'requestKind',
};
