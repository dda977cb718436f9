// Prospective adopters' pages (issue 5 §2–§3): the pipeline list, registering an enquiry's
// interest, the household's record with its clocks and checks, its details, and recording steps.
import { paginationFor } from '../../platform/views/pagination.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { fieldErrorView, inFieldOrder, parseForm } from '../../platform/http/validation.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import { ethnicityCodes, needAreaLabels, type EthnicityCode } from '../children/child-codes.js';
import { contactKindLabels } from '../matching/matching-profiles.js';
import {
  applicantDetailsSchema,
  householdDetailsSchema,
  householdFactSchema,
  parseRegistration,
} from './households.forms.js';
import { AppError } from '../../platform/http/errors.js';
import { applicantDisabilities, relationshipStatuses } from './households.tables.js';
import { enquiryDetail, enquiryNotFound, findEnquiry } from './enquiries.service.js';
import {
  householdRecord,
  HouseholdRefused,
  pipelineList,
  recordHouseholdFact,
  registerInterest,
  StaleHousehold,
  updateApplicant,
  updateHouseholdDetails,
} from './households.service.js';
import {
  agencyDecisions,
  approvalReviewOutcomes,
  checkSteps,
  checkTypes,
  delayReasons,
  determinationReviewRoutes,
  fastTrackBases,
  panelRecommendations,
  pauseReasons,
  pipelineFactKinds,
  pipelineFactLabels,
  pipelineStageLabels,
  pipelineStages,
  registrationDecisions,
  stageClockKinds,
  stageOneOutcomes,
  withdrawalReasons,
  type PipelineFact,
  type PipelineStage,
} from './pipeline.js';

const view = (name: string) => `adopters/views/${name}.njk`;
const assess = { access: { permission: 'adopters:assess' as const } };
const idFrom = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

export const householdPaths = {
  pipeline: '/adopters',
  household: (id: string, done?: string) => `/households/${id}${done ? `?done=${done}` : ''}`,
  details: (id: string) => `/households/${id}/details`,
  recordStep: (id: string) => `/households/${id}/journey/new`,
  steps: (id: string) => `/households/${id}/journey`,
  register: (enquiryId: string) => `/enquiries/${enquiryId}/register`,
};

const notices: Record<string, string> = {
  registered: 'Registration of interest recorded: the household is in the pipeline',
  recorded: 'Step recorded',
  corrected: 'Correction recorded',
  saved: 'Details saved',
};

/** Strings only, bounded: what was typed, to show again (a list of checkboxes joined with commas). */
function echo(body: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>)
      .map(([name, value]): [string, unknown] => [
        name,
        Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(',') : value,
      ])
      .filter(([name, value]) => typeof value === 'string' && name !== '_csrf')
      .map(([name, value]) => [name, (value as string).slice(0, 5000)]),
  );
}

const items = (labels: Record<string, string>, chosen: string | undefined, blank?: string) => [
  ...(blank !== undefined ? [{ value: '', text: blank }] : []),
  ...Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    selected: value === chosen,
    checked: value === chosen,
  })),
];

/** One line saying what a fact records, with its own details. */
function describeFact(fact: PipelineFact): string {
  const parts: string[] = [pipelineFactLabels[fact.kind]];
  if (fact.registrationDecision) parts.push(registrationDecisions[fact.registrationDecision]);
  if (fact.fastTrack) parts.push(`fast track: ${fastTrackBases[fact.fastTrack]}`);
  if (fact.check)
    parts.push(`${checkTypes[fact.check.type]} (${fact.check.subject}): ${checkSteps[fact.check.step]}`);
  if (fact.stageOneOutcome) parts.push(stageOneOutcomes[fact.stageOneOutcome]);
  if (fact.panelRecommendation) parts.push(panelRecommendations[fact.panelRecommendation]);
  if (fact.agencyDecision) parts.push(agencyDecisions[fact.agencyDecision]);
  if (fact.reviewRoute) parts.push(determinationReviewRoutes[fact.reviewRoute]);
  if (fact.approvalReviewOutcome) parts.push(approvalReviewOutcomes[fact.approvalReviewOutcome]);
  if (fact.withdrawalReason) parts.push(withdrawalReasons[fact.withdrawalReason]);
  if (fact.clock) parts.push(stageClockKinds[fact.clock]);
  if (fact.pauseReason) parts.push(pauseReasons[fact.pauseReason]);
  if (fact.extensionDays) parts.push(`${fact.extensionDays} days`);
  if (fact.delayReason) parts.push(delayReasons[fact.delayReason]);
  if (fact.reasonDetail) parts.push(fact.reasonDetail);
  return parts.join(': ');
}

const registrationOrder = [
  'relationshipStatus',
  'applicant1-firstName',
  'applicant1-lastName',
  'applicant1-dateOfBirth-day',
  'applicant1-sex',
  'applicant1-ethnicity',
  'applicant2-firstName',
  'applicant2-lastName',
  'applicant2-dateOfBirth-day',
  'applicant2-sex',
  'applicant2-ethnicity',
  'addressLine1',
  'addressLine2',
  'town',
  'postcode',
  'receivedOn-day',
];

export async function registerHouseholdRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({
    text: 'Adopters',
    href: householdPaths.pipeline,
    permission: 'adopters:assess',
    order: 25,
  });
  const deps = { db: context.db, auditKey: context.auditKey };
  const ethnicityItems = (chosen: string | undefined) =>
    items(
      Object.fromEntries(Object.entries(ethnicityCodes).map(([code, label]) => [code, `${label} (${code})`])),
      chosen,
      'Select ethnicity',
    );

  app.get(householdPaths.pipeline, { config: assess }, async (request, reply) => {
    const requested = (request.query as Record<string, unknown> | undefined)?.stage;
    const stage =
      typeof requested === 'string' && (pipelineStages as readonly string[]).includes(requested)
        ? requested
        : undefined;
    const requestedPage = Number((request.query as Record<string, unknown> | undefined)?.page ?? 1);
    const found = await pipelineList(deps, request.actor!, context.auditContext(request), {
      stage,
      page: Number.isInteger(requestedPage) && requestedPage >= 1 ? requestedPage : 1,
    });
    const pages = Math.max(1, Math.ceil(found.total / found.pageSize));
    const link = (page: number) =>
      `${householdPaths.pipeline}?${new URLSearchParams({ ...(stage ? { stage } : {}), page: String(page) })}`;
    return reply.view(view('pipeline'), {
      pageTitle: 'Prospective adopters',
      stageItems: items(pipelineStageLabels, stage, 'Any stage'),
      total: found.total,
      first: found.total ? (found.page - 1) * found.pageSize + 1 : 0,
      last: (found.page - 1) * found.pageSize + found.rows.length,
      pagination: paginationFor(found.page, pages, link),
      households: found.rows.map(({ household, names }) => ({
        href: householdPaths.household(household.id),
        reference: household.reference,
        names: names.join(' and '),
        council: household.council_name ?? `Outside the region (${household.postcode_district})`,
        stage: pipelineStageLabels[household.current_stage as PipelineStage] ?? household.current_stage,
        since: household.stage_since ? formatDate(household.stage_since) : '',
        worker: household.worker_name ?? 'Not allocated',
      })),
    });
  });

  const renderRegister = (
    reply: FastifyReply,
    enquiryId: string,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) =>
    reply.code(errors ? 400 : 200).view(view('register'), {
      pageTitle: 'Record a registration of interest',
      action: householdPaths.register(enquiryId),
      backHref: `/enquiries/${enquiryId}`,
      values,
      relationshipItems: items(relationshipStatuses, values.relationshipStatus),
      ethnicityItems1: ethnicityItems(values['applicant1-ethnicity']),
      ethnicityItems2: ethnicityItems(values['applicant2-ethnicity']),
      sexItems1: items({ '1': 'Male', '2': 'Female' }, values['applicant1-sex']),
      sexItems2: items({ '1': 'Male', '2': 'Female' }, values['applicant2-sex']),
      ...errors,
    });

  app.get('/enquiries/:id/register', { config: assess }, async (request, reply) => {
    // Read through the enquiries service: scoped to the actor's RAA and audited as a view.
    const enquiry = await enquiryDetail(deps, request.actor!, context.auditContext(request), idFrom(request));
    const [first, ...rest] = enquiry.name.split(' ');
    return renderRegister(reply, enquiry.id, {
      'applicant1-firstName': first ?? '',
      'applicant1-lastName': rest.join(' '),
      postcode: enquiry.postcode,
      relationshipStatus: enquiry.applying_as === 'single' ? 'L0' : '',
    });
  });

  app.post('/enquiries/:id/register', { config: assess }, async (request, reply) => {
    const enquiryId = idFrom(request);
    // Another RAA's enquiry (or none) is "not found" before the form is judged (AC-2).
    if (!(await findEnquiry(deps, request.actor!, enquiryId))) {
      throw await enquiryNotFound(deps, context.auditContext(request), 'household.create', enquiryId);
    }
    const form = parseForm(parseRegistration(request.body), request.body);
    try {
      if (!form.ok) throw new HouseholdRefused(form.errors);
      const householdId = await registerInterest(
        deps,
        request.actor!,
        context.auditContext(request),
        enquiryId,
        form.data,
      );
      return reply.redirect(householdPaths.household(householdId, 'registered'), 303);
    } catch (error) {
      if (!(error instanceof HouseholdRefused)) throw error;
      return renderRegister(
        reply,
        enquiryId,
        echo(request.body),
        fieldErrorView(inFieldOrder(error.errors, registrationOrder)),
      );
    }
  });

  app.get('/households/:id', { config: assess }, async (request, reply) => {
    const record = await householdRecord(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    const { household } = record;
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const clock = (c: typeof record.clocks.stageOne) =>
      c && {
        label: c.label,
        overdue: c.overdue,
        target: formatDate(c.target),
        start: formatDate(c.start),
        needsDelayReason: c.needsDelayReason,
        paused: c.paused,
      };
    return reply.view(view('household'), {
      pageTitle: `Household ${household.reference}`,
      notice: typeof done === 'string' ? notices[done] : undefined,
      reference: household.reference,
      names: record.applicants.map((a) => `${a.first_name} ${a.last_name}`).join(' and '),
      stage: pipelineStageLabels[household.current_stage as PipelineStage] ?? household.current_stage,
      since: household.stage_since ? formatDate(household.stage_since) : null,
      registrationDecision: record.registrationDecision && {
        due: formatDate(record.registrationDecision.due),
        metOn: record.registrationDecision.metOn ? formatDate(record.registrationDecision.metOn) : null,
        overdue: record.registrationDecision.overdue,
        toConfirm: record.registrationDecision.toConfirm,
      },
      annualReview: record.annualReview
        ? { due: formatDate(record.annualReview), overdue: record.annualReview < record.today }
        : null,
      stageOne: clock(record.clocks.stageOne),
      stageTwo: clock(record.clocks.stageTwo),
      detailsRows: [
        {
          key: { text: 'Relationship status' },
          value: { text: relationshipStatuses[household.relationship_status] },
        },
        {
          key: { text: 'Address' },
          value: {
            text: [household.address_line_1, household.address_line_2, household.town, household.postcode]
              .filter(Boolean)
              .join(', '),
          },
        },
        {
          key: { text: 'Council of residence' },
          value: { text: household.council_name ?? `Outside the region (${household.postcode_district})` },
        },
        {
          key: { text: 'Assessing social worker' },
          value: { text: household.worker_name ?? 'Not allocated' },
        },
        { key: { text: 'Adopted before' }, value: { text: household.previous_adopter ? 'Yes' : 'No' } },
        {
          key: { text: 'Approved foster carer' },
          value: { text: household.approved_foster_carer ? 'Yes' : 'No' },
        },
        {
          key: { text: 'Children in the household' },
          value: { text: household.children_in_household ?? 'None recorded' },
        },
        { key: { text: 'Support network' }, value: { text: household.support_network ?? 'Not recorded' } },
      ],
      offerRows: [
        {
          key: { text: 'Ages' },
          value: {
            text:
              household.offer.ageFrom !== undefined || household.offer.ageTo !== undefined
                ? `${household.offer.ageFrom ?? 0} to ${household.offer.ageTo ?? 17}`
                : 'Not recorded',
          },
        },
        {
          key: { text: 'Number of children' },
          value: {
            text: household.offer.maxChildren ? `Up to ${household.offer.maxChildren}` : 'Not recorded',
          },
        },
        { key: { text: 'Sibling groups' }, value: { text: household.offer.siblingGroups ? 'Yes' : 'No' } },
        {
          key: { text: 'Early permanence' },
          value: { text: household.offer.earlyPermanence ? 'Yes' : 'No' },
        },
        {
          key: { text: 'Needs they could meet' },
          value: {
            text:
              [
                (household.offer.needsCanMeetAreas ?? []).map((a) => needAreaLabels[a]).join(', '),
                household.offer.needsCanMeet,
              ]
                .filter(Boolean)
                .join('. ') || 'Not recorded',
          },
        },
        {
          key: { text: 'Needs they could not meet' },
          value: {
            text:
              [
                (household.offer.needsCannotMeetAreas ?? []).map((a) => needAreaLabels[a]).join(', '),
                household.offer.needsCannotMeet,
              ]
                .filter(Boolean)
                .join('. ') || 'Not recorded',
          },
        },
        {
          key: { text: 'Contact they would support' },
          value: { text: household.offer.contact ?? 'Not recorded' },
        },
      ],
      applicants: record.applicants.map((a) => ({
        href: `/households/${household.id}/applicants/${a.position}`,
        details: [
          a.religion,
          a.languages.join(', '),
          a.employment,
          a.disability ? `disability: ${applicantDisabilities[a.disability].toLowerCase()}` : null,
        ]
          .filter(Boolean)
          .join('; '),
        name: `${a.first_name} ${a.last_name}`,
        born: formatDate(a.date_of_birth),
        ethnicity: ethnicityCodes[a.ethnicity as EthnicityCode] ?? a.ethnicity,
      })),
      checks: record.checks.map((check) => ({
        what: `${checkTypes[check.type]}: ${check.subject}`,
        requested: formatDate(check.requested),
        chased: check.chased.map(formatDate).join(', '),
        received: check.received ? formatDate(check.received) : null,
        due: check.due ? formatDate(check.due) : null,
        overdue: check.overdue,
      })),
      facts: record.facts.map((row) => ({
        what: describeFact(row.fact),
        date: formatDate(row.effective_date),
        source: row.source,
        recordedBy: row.recorded_by_name ?? 'Kindred',
        recordedAt: formatDateTime(row.recorded_at),
        inForce: !row.corrected,
        correction: row.correction_reason,
        correctHref: row.corrected ? null : `${householdPaths.recordStep(household.id)}?correct=${row.id}`,
      })),
      recordStepHref: householdPaths.recordStep(household.id),
      // Only an approved household waiting is in the pool (issue 6).
      matchesHref:
        household.current_stage === 'approved' && request.actor!.permissions.has('matching:read')
          ? `/households/${household.id}/matches`
          : null,
      detailsHref: householdPaths.details(household.id),
    });
  });

  const renderDetails = async (
    reply: FastifyReply,
    request: FastifyRequest,
    values: Record<string, string> | null,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const record = await householdRecord(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    const h = record.household;
    const chosen = (list: string | undefined) => (list ?? '').split(',').filter(Boolean);
    const shown = values ?? {
      version: String(h.version),
      needsCanMeetAreas: (h.offer.needsCanMeetAreas ?? []).join(','),
      needsCannotMeetAreas: (h.offer.needsCannotMeetAreas ?? []).join(','),
      contactSupported: (h.offer.contactSupported ?? []).join(','),
    };
    const checkboxItems = (labels: Record<string, string>, field: string) =>
      Object.entries(labels).map(([value, text]) => ({
        value,
        text: text.charAt(0).toUpperCase() + text.slice(1),
        checked: chosen(shown[field]).includes(value),
      }));
    return reply.code(reply.statusCode === 409 ? 409 : errors ? 400 : 200).view(view('household-details'), {
      pageTitle: `Change household ${h.reference}`,
      canMeetItems: checkboxItems(needAreaLabels, 'needsCanMeetAreas'),
      cannotMeetItems: checkboxItems(needAreaLabels, 'needsCannotMeetAreas'),
      contactItems: checkboxItems(contactKindLabels, 'contactSupported'),
      action: householdPaths.details(h.id),
      backHref: householdPaths.household(h.id),
      values: values ?? {
        version: String(h.version),
        childrenInHousehold: h.children_in_household ?? '',
        supportNetwork: h.support_network ?? '',
        ageFrom: h.offer.ageFrom?.toString() ?? '',
        ageTo: h.offer.ageTo?.toString() ?? '',
        maxChildren: h.offer.maxChildren?.toString() ?? '',
        siblingGroups: h.offer.siblingGroups ? 'yes' : '',
        earlyPermanence: h.offer.earlyPermanence ? 'yes' : '',
        needsCanMeet: h.offer.needsCanMeet ?? '',
        needsCannotMeet: h.offer.needsCannotMeet ?? '',
        needsCanMeetAreas: (h.offer.needsCanMeetAreas ?? []).join(','),
        needsCannotMeetAreas: (h.offer.needsCannotMeetAreas ?? []).join(','),
        contactSupported: (h.offer.contactSupported ?? []).join(','),
        contact: h.offer.contact ?? '',
        previousAdopter: h.previous_adopter ? 'yes' : '',
        approvedFosterCarer: h.approved_foster_carer ? 'yes' : '',
      },
      ...errors,
    });
  };

  app.get('/households/:id/details', { config: assess }, async (request, reply) =>
    renderDetails(reply, request, null),
  );

  app.post('/households/:id/details', { config: assess }, async (request, reply) => {
    const form = parseForm(householdDetailsSchema, request.body);
    try {
      if (!form.ok) throw new HouseholdRefused(form.errors);
      await updateHouseholdDetails(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        form.data,
      );
    } catch (error) {
      if (error instanceof StaleHousehold) {
        const current = await context.db
          .selectFrom('households')
          .select('version')
          .where('id', '=', idFrom(request))
          .executeTakeFirstOrThrow();
        return renderDetails(
          reply.code(409),
          request,
          { ...echo(request.body), version: String(current.version) },
          fieldErrorView([
            {
              field: 'childrenInHousehold',
              message:
                'Someone else changed this household after you opened the form, so your changes are not saved yet. What you typed is below: check the record in another tab, then save again.',
            },
          ]),
        );
      }
      if (!(error instanceof HouseholdRefused)) throw error;
      return renderDetails(reply, request, echo(request.body), fieldErrorView(error.errors));
    }
    return reply.redirect(householdPaths.household(idFrom(request), 'saved'), 303);
  });

  const positionFrom = (request: FastifyRequest): 1 | 2 | null => {
    const value = String((request.params as { position?: unknown }).position ?? '');
    return value === '1' ? 1 : value === '2' ? 2 : null;
  };

  const renderApplicant = async (
    reply: FastifyReply,
    request: FastifyRequest,
    values: Record<string, string> | null,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const record = await householdRecord(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    const applicant = record.applicants.find((a) => a.position === positionFrom(request));
    if (!applicant) throw new AppError('not-found', 'We could not find that applicant.');
    const chosenDisability = values ? values.disability : (applicant.disability ?? undefined);
    return reply.code(reply.statusCode === 409 ? 409 : errors ? 400 : 200).view(view('applicant'), {
      pageTitle: `${applicant.first_name} ${applicant.last_name}`,
      disabilityItems: items(applicantDisabilities, chosenDisability),
      reference: record.household.reference,
      backHref: householdPaths.household(record.household.id),
      action: `/households/${record.household.id}/applicants/${applicant.position}`,
      values: values ?? {
        version: String(record.household.version),
        religion: applicant.religion ?? '',
        languages: applicant.languages.join(', '),
        health: applicant.health ?? '',
        employment: applicant.employment ?? '',
        disability: applicant.disability ?? '',
      },
      ...errors,
    });
  };

  app.get('/households/:id/applicants/:position', { config: assess }, async (request, reply) =>
    renderApplicant(reply, request, null),
  );

  app.post('/households/:id/applicants/:position', { config: assess }, async (request, reply) => {
    const position = positionFrom(request);
    const form = parseForm(applicantDetailsSchema, request.body);
    try {
      if (!position) throw new AppError('not-found', 'We could not find that applicant.');
      if (!form.ok) throw new HouseholdRefused(form.errors);
      await updateApplicant(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        position,
        form.data,
      );
    } catch (error) {
      if (error instanceof StaleHousehold) {
        const current = await context.db
          .selectFrom('households')
          .select('version')
          .where('id', '=', idFrom(request))
          .executeTakeFirstOrThrow();
        return renderApplicant(
          reply.code(409),
          request,
          { ...echo(request.body), version: String(current.version) },
          fieldErrorView([
            {
              field: 'religion',
              message:
                'Someone else changed this household after you opened the form, so your changes are not saved yet. What you typed is below: check the record in another tab, then save again.',
            },
          ]),
        );
      }
      if (!(error instanceof HouseholdRefused)) throw error;
      return renderApplicant(reply, request, echo(request.body), fieldErrorView(error.errors));
    }
    return reply.redirect(householdPaths.household(idFrom(request), 'saved'), 303);
  });

  const renderStep = async (
    reply: FastifyReply,
    request: FastifyRequest,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const record = await householdRecord(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    const correcting = values.supersedes
      ? record.facts.find((row) => row.id === values.supersedes)
      : undefined;
    return reply.code(errors ? 400 : 200).view(view('household-fact'), {
      pageTitle: correcting ? 'Correct a step' : 'Record a step',
      reference: record.household.reference,
      backHref: householdPaths.household(record.household.id),
      action: householdPaths.steps(record.household.id),
      correcting: correcting
        ? {
            id: correcting.id,
            kind: correcting.kind,
            what: describeFact(correcting.fact),
            date: formatDate(correcting.effective_date),
          }
        : null,
      values,
      kindItems: items(
        Object.fromEntries(
          pipelineFactKinds.filter((k) => k !== 'enquiry').map((k) => [k, pipelineFactLabels[k]]),
        ),
        correcting?.kind ?? values.kind,
        'Select what happened',
      ),
      registrationDecisionItems: items(registrationDecisions, values.registrationDecision, 'Not applicable'),
      fastTrackItems: items(fastTrackBases, values.fastTrack, 'Not on the fast track'),
      checkTypeItems: items(checkTypes, values.checkType, 'Not applicable'),
      checkStepItems: items(checkSteps, values.checkStep, 'Not applicable'),
      stageOneOutcomeItems: items(stageOneOutcomes, values.stageOneOutcome, 'Not applicable'),
      panelItems: items(panelRecommendations, values.panelRecommendation, 'Not applicable'),
      agencyDecisionItems: items(agencyDecisions, values.agencyDecision, 'Not applicable'),
      reviewRouteItems: items(determinationReviewRoutes, values.reviewRoute, 'Not applicable'),
      approvalReviewItems: items(approvalReviewOutcomes, values.approvalReviewOutcome, 'Not applicable'),
      withdrawalItems: items(withdrawalReasons, values.withdrawalReason, 'Not applicable'),
      clockItems: items(stageClockKinds, values.clock, 'Not applicable'),
      pauseItems: items(pauseReasons, values.pauseReason, 'Not applicable'),
      delayItems: items(delayReasons, values.delayReason, 'Not applicable'),
      ...errors,
    });
  };

  app.get('/households/:id/journey/new', { config: assess }, async (request, reply) => {
    const correct = (request.query as Record<string, unknown> | undefined)?.correct;
    return renderStep(reply, request, {
      source: request.actor!.organisation.name,
      ...(typeof correct === 'string' && /^[0-9a-f-]{36}$/i.test(correct) ? { supersedes: correct } : {}),
    });
  });

  app.post('/households/:id/journey', { config: assess }, async (request, reply) => {
    const form = parseForm(householdFactSchema, request.body);
    try {
      if (!form.ok) throw new HouseholdRefused(form.errors);
      await recordHouseholdFact(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        form.data,
      );
    } catch (error) {
      if (!(error instanceof HouseholdRefused)) throw error;
      return renderStep(
        reply,
        request,
        echo(request.body),
        fieldErrorView(inFieldOrder(error.errors, ['kind', 'effectiveDate-day', 'source'])),
      );
    }
    return reply.redirect(
      householdPaths.household(idFrom(request), form.ok && form.data.supersedes ? 'corrected' : 'recorded'),
      303,
    );
  });
}
