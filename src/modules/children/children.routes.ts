// Children's pages (issue 4). Thin: parse, call the service with the actor, render or redirect.
// The services decide which children the actor reaches and what they may change.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { fieldErrorView, inFieldOrder, parseForm } from '../../platform/http/validation.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import {
  earlyPermanenceLabels,
  ethnicityCodes,
  legalStatusCodes,
  needAreaLabels,
  needAreas,
  sexCodes,
  siblingPlanLabels,
} from './child-codes.js';
import {
  addPhoto,
  birthFamily,
  childRecord,
  familyFindingProfile,
  photo,
  photoLimits,
  updateBirthFamily,
  updateProfile,
} from './child-record.service.js';
import {
  allocateSchema,
  birthFamilySchema,
  editChildSchema,
  factSchema,
  newChildSchema,
  profileSchema,
  siblingSchema,
} from './children.forms.js';
import { childPaths, type ChildNotice } from './children.paths.js';
import {
  choiceItems,
  ethnicityItems,
  fullName,
  hardToPlaceTagViews,
  legalStatusItems,
  overdueViews,
  presentBoardEntry,
  presentChildSummary,
  presentFacts,
  presentNeeds,
  presentSiblings,
  presentTask,
  stageTag,
} from './children.presenter.js';
import type { ChildWithNames } from './children.repository.js';
import {
  allocateFamilyFinder,
  ChangeRefused,
  councilsInScope,
  createChild,
  linkSibling,
  recordFact,
  StaleEdit,
  updateChildDetails,
} from './children.service.js';
import { hardToPlaceLabels, hardToPlaceTags } from './hard-to-place.js';
import { milestoneKinds, milestoneLabels, planChangeReasons, stageLabels, stages } from './journey.js';
import {
  boardQuerySchema,
  trackingBoard,
  trackingBoardCsv,
  waitingLabels,
} from './tracking-board.service.js';
import { overdueFlags, overdueLabels } from './tracking.js';

const view = (name: string) => `children/views/${name}.njk`;
const read = { access: { permission: 'children:read' as const } };
const write = { access: { permission: 'children:write' as const } };
const restricted = { access: { permission: 'children:restricted' as const } };

const notices: Record<ChildNotice, string> = {
  created: 'Child added',
  updated: 'Record saved',
  'fact-recorded': 'Added to the journey',
  'fact-corrected': 'Correction recorded',
  'family-finder-allocated': 'Family finder allocated',
  'sibling-linked': 'Sibling linked',
  'birth-family-saved': 'Birth family details saved',
  'profile-saved': 'Profile saved',
  'photo-added': 'Photo added',
};

/** How a value from the details form reads to a person: codes as their labels, blank as "Blank". */
const shown = (value: string | undefined, labels?: Record<string, string>) =>
  value ? (labels?.[value] ?? value) : 'Blank';

/**
 * Every field of the details form, as the stale-edit page compares them: each reads its value
 * from the form's values, so the record now and what was typed are compared the same way.
 */
const comparedFields: Array<{ label: string; show: (values: Record<string, string>) => string }> = [
  { label: 'First name', show: (v) => shown(v.firstName) },
  { label: 'Last name', show: (v) => shown(v.lastName) },
  { label: 'Known as', show: (v) => shown(v.knownAs) },
  {
    label: 'Date of birth',
    show: (v) =>
      [v['dateOfBirth-day'], v['dateOfBirth-month'], v['dateOfBirth-year']]
        .map((part) => String(Number(part ?? '') || part || ''))
        .join('/'),
  },
  { label: 'Sex', show: (v) => shown(v.sex, sexCodes) },
  { label: 'Ethnicity', show: (v) => shown(v.ethnicity, ethnicityCodes) },
  { label: 'Languages', show: (v) => shown(v.languages) },
  { label: 'Religion', show: (v) => shown(v.religion) },
  { label: 'Legal status', show: (v) => shown(v.legalStatus, legalStatusCodes) },
  { label: "Council's social worker", show: (v) => shown(v.councilSocialWorkerName) },
  { label: "Council's social worker's email", show: (v) => shown(v.councilSocialWorkerEmail) },
  { label: 'Early permanence', show: (v) => shown(v.earlyPermanence, earlyPermanenceLabels) },
  ...needAreas.flatMap((area) => [
    {
      label: `Needs: ${needAreaLabels[area]}`,
      show: (v: Record<string, string>) => shown(v[`needs-${area}`]),
    },
    {
      label: `Needs: uncertainty about ${needAreaLabels[area].toLowerCase()}`,
      show: (v: Record<string, string>) => (v[`needs-${area}-uncertain`] === 'yes' ? 'Yes' : 'No'),
    },
  ]),
  { label: 'Contact plan', show: (v) => shown(v.contactPlan) },
  { label: 'Family-finding strategy', show: (v) => shown(v.familyFindingStrategy) },
];

/** The child form's fields in page order, for the error summary. */
const childFormOrder = [
  'councilId',
  'councilChildId',
  'firstName',
  'lastName',
  'knownAs',
  'dateOfBirth-day',
  'sex',
  'ethnicity',
  'languages',
  'religion',
  'legalStatus',
  'councilSocialWorkerName',
  'councilSocialWorkerEmail',
  'earlyPermanence',
  ...needAreas.flatMap((area) => [`needs-${area}`, `needs-${area}-uncertain`]),
  'contactPlan',
  'familyFindingStrategy',
];
const factFormOrder = [
  'kind',
  'effectiveDate-day',
  'source',
  'planChangeReason',
  'disruptionTiming',
  'correctionReason',
  'note',
];

const staleMessage =
  'Someone else changed this record after you opened the form, so your changes are not saved yet. What you typed is below: check the record in another tab, then save again.';

const noticeFor = (request: FastifyRequest): string | undefined => {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done as ChildNotice] : undefined;
};

const idFrom = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');
const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;

/** What was typed, to show again beside its error: strings only, bounded. */
function echo(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(body)
      .filter(([name, value]) => typeof value === 'string' && name !== '_csrf')
      .map(([name, value]) => [name, (value as string).slice(0, 20_000)]),
  );
}

/** The child's details as form values (the edit form and the conflict page). */
function detailsValues(child: ChildWithNames): Record<string, string> {
  const [year, month, day] = child.date_of_birth.split('-');
  return {
    firstName: child.first_name,
    lastName: child.last_name,
    knownAs: child.known_as ?? '',
    'dateOfBirth-day': String(Number(day)),
    'dateOfBirth-month': String(Number(month)),
    'dateOfBirth-year': year ?? '',
    sex: child.sex,
    ethnicity: child.ethnicity,
    languages: child.languages.join(', '),
    religion: child.religion ?? '',
    legalStatus: child.legal_status ?? '',
    councilSocialWorkerName: child.council_social_worker_name ?? '',
    councilSocialWorkerEmail: child.council_social_worker_email ?? '',
    earlyPermanence: child.early_permanence,
    contactPlan: child.contact_plan ?? '',
    familyFindingStrategy: child.family_finding_strategy ?? '',
    ...Object.fromEntries(
      needAreas.flatMap((area) => [
        [`needs-${area}`, child.needs[area]?.description ?? ''],
        [`needs-${area}-uncertain`, child.needs[area]?.uncertain ? 'yes' : ''],
      ]),
    ),
  };
}

function detailsFormContext(values: Record<string, string>) {
  return {
    values,
    sexItems: choiceItems({ '1': 'Male', '2': 'Female' }, values.sex),
    ethnicityItems: ethnicityItems(values.ethnicity),
    legalStatusItems: legalStatusItems(values.legalStatus),
    earlyPermanenceItems: choiceItems(earlyPermanenceLabels, values.earlyPermanence ?? 'not_yet_considered'),
    needAreas: needAreas.map((area) => ({
      area,
      label: needAreaLabels[area],
      description: values[`needs-${area}`] ?? '',
      uncertain: values[`needs-${area}-uncertain`] === 'yes',
    })),
  };
}

export async function registerChildrenRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({
    text: 'Children',
    href: childPaths.board,
    permission: 'children:read',
    order: 20,
  });
  const deps = { db: context.db, auditKey: context.auditKey };

  app.get(childPaths.board, { config: read }, async (request, reply) => {
    const query = boardQuerySchema.parse(request.query ?? {});
    const board = await trackingBoard(deps, request.actor!, context.auditContext(request), query);
    const spokes = [
      ...new Map(board.councils.filter((c) => c.spoke).map((c) => [c.spoke!.id, c.spoke!])).values(),
    ];
    const search = new URLSearchParams(
      Object.entries(request.query as Record<string, unknown>).flatMap(([name, value]) =>
        name === 'page'
          ? []
          : (Array.isArray(value) ? value : [value])
              .filter((v) => typeof v === 'string')
              .map((v) => [name, v as string]),
      ),
    );
    const pageHref = (page: number) => {
      const params = new URLSearchParams(search);
      params.set('page', String(page));
      return `${childPaths.board}?${params.toString()}`;
    };
    return reply.view(view('board'), {
      pageTitle: 'Children',
      entries: board.entries.map(presentBoardEntry),
      byStage: (() => {
        const largest = Math.max(1, ...board.byStage.map((entry) => entry.count));
        return board.byStage.map((entry) => {
          const params = new URLSearchParams(search);
          params.delete('stage');
          params.set('stage', entry.stage);
          return {
            label: stageLabels[entry.stage],
            count: entry.count,
            percent: Math.round((entry.count / largest) * 100),
            href: `${childPaths.board}?${params.toString()}`,
          };
        });
      })(),
      total: board.total,
      page: board.page,
      pageCount: board.pageCount,
      previousHref: board.page > 1 ? pageHref(board.page - 1) : null,
      nextHref: board.page < board.pageCount ? pageHref(board.page + 1) : null,
      exportHref: `${childPaths.export}${search.size ? `?${search.toString()}` : ''}`,
      mayAdd: request.actor!.permissions.has('children:write'),
      councilItems: [
        { value: '', text: 'All councils' },
        ...board.councils.map((c) => ({ value: c.id, text: c.name, selected: query.council.includes(c.id) })),
      ],
      spokeItems: [
        { value: '', text: 'All spokes' },
        ...spokes.map((s) => ({ value: s.id, text: s.name, selected: s.id === query.spoke })),
      ],
      familyFinderItems: [
        { value: '', text: 'Anyone' },
        { value: 'unallocated', text: 'Not allocated', selected: query.familyFinder === 'unallocated' },
        ...board.familyFinders.map((f) => ({
          value: f.id,
          text: f.name,
          selected: f.id === query.familyFinder,
        })),
      ],
      stageItems: [
        { value: '', text: 'Any stage' },
        ...stages.map((s) => ({ value: s, text: stageLabels[s], selected: query.stage.includes(s) })),
      ],
      waitingItems: [
        { value: '', text: 'Any time' },
        ...Object.entries(waitingLabels).map(([value, text]) => ({
          value,
          text,
          selected: value === query.waiting,
        })),
      ],
      tagItems: hardToPlaceTags.map((tag) => ({
        value: tag,
        text: hardToPlaceLabels[tag],
        checked: query.tag.includes(tag),
      })),
      overdueItems: [
        { value: '', text: 'Show all' },
        { value: 'any', text: 'Anything overdue', selected: query.overdue === 'any' },
        ...overdueFlags.map((flag) => ({
          value: flag,
          text: overdueLabels[flag],
          selected: flag === query.overdue,
        })),
      ],
      q: query.q ?? '',
    });
  });

  app.get(childPaths.export, { config: read }, async (request, reply) => {
    const query = boardQuerySchema.parse(request.query ?? {});
    const { csv } = await trackingBoardCsv(deps, request.actor!, context.auditContext(request), query);
    const date = context.auditContext(request).now.toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="children-${date}.csv"`)
      .send(`\uFEFF${csv}`);
  });

  const renderNew = async (
    reply: FastifyReply,
    request: FastifyRequest,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const councils = await councilsInScope(context.db, request.actor!);
    return reply.code(errors ? 400 : 200).view(view('child-form'), {
      pageTitle: 'Add a child',
      isNew: true,
      action: '/children',
      ...detailsFormContext(values),
      councilItems: [
        { value: '', text: 'Select a council' },
        ...councils.map((c) => ({ value: c.id, text: c.name, selected: c.id === values.councilId })),
      ],
      ...errors,
    });
  };

  app.get(childPaths.new, { config: write }, async (request, reply) => renderNew(reply, request, {}));

  app.post('/children', { config: write }, async (request, reply) => {
    const form = parseForm(newChildSchema, request.body);
    if (!form.ok) {
      return renderNew(
        reply,
        request,
        echo(bodyOf(request)),
        fieldErrorView(inFieldOrder(form.errors, childFormOrder)),
      );
    }
    const result = await createChild(deps, request.actor!, context.auditContext(request), form.data);
    if (result.kind === 'refused') {
      return renderNew(reply, request, echo(bodyOf(request)), fieldErrorView(result.errors));
    }
    return reply.redirect(childPaths.child(result.childId, 'created'), 303);
  });

  app.get('/children/:id', { config: read }, async (request, reply) => {
    const record = await childRecord(deps, request.actor!, context.auditContext(request), idFrom(request));
    const child = record.child;
    return reply.view(view('child'), {
      pageTitle: fullName(child),
      notice: noticeFor(request),
      child: { id: child.id, name: fullName(child), version: child.version, councilName: child.council_name },
      paths: {
        edit: childPaths.edit(child.id),
        recordFact: childPaths.recordFact(child.id),
        familyFinder: childPaths.familyFinder(child.id),
        newSibling: childPaths.newSibling(child.id),
        birthFamily: childPaths.birthFamily(child.id),
        profile: childPaths.profile(child.id),
        audit: `/audit/records/child/${child.id}`,
        matches: `/children/${child.id}/matches`,
        familyFinding: `/children/${child.id}/family-finding`,
        considerations: `/children/${child.id}/matching`,
      },
      mayMatch: request.actor!.permissions.has('matching:read'),
      stage: stageTag(child.current_stage),
      stageSince: child.stage_since ? formatDate(child.stage_since) : null,
      summaryRows: presentChildSummary(child, record.today),
      needsRows: presentNeeds(child),
      contactPlan: child.contact_plan,
      strategy: child.family_finding_strategy,
      hardToPlace: hardToPlaceTagViews(record.hardToPlace),
      overdue: overdueViews(record.overdue),
      facts: presentFacts(record),
      stages: record.timeInStages.map((entry) => ({
        stage: stageLabels[entry.stage],
        from: formatDate(entry.from),
        days: entry.days,
      })),
      siblings: presentSiblings(record),
      tasks: record.tasks.map((task) => presentTask(task, record.today)),
      mayChange: record.mayChange,
      mayAllocate: record.mayAllocate,
      mayReadRestricted: record.mayReadRestricted,
      mayAudit: request.actor!.permissions.has('audit:read'),
      familyFinderItems: [
        { value: '', text: 'Select a family finder' },
        ...record.familyFinders.map((f) => ({
          value: f.id,
          text: f.name,
          selected: f.id === child.family_finder_id,
        })),
      ],
    });
  });

  const renderEdit = async (
    reply: FastifyReply,
    request: FastifyRequest,
    child: ChildWithNames,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) =>
    reply.code(errors ? 400 : 200).view(view('child-form'), {
      pageTitle: `Change ${fullName(child)}'s record`,
      isNew: false,
      action: childPaths.edit(child.id),
      cancelHref: childPaths.child(child.id),
      childName: fullName(child),
      version: values.version ?? String(child.version),
      ...detailsFormContext(values),
      ...errors,
    });

  app.get('/children/:id/edit', { config: write }, async (request, reply) => {
    const record = await childRecord(deps, request.actor!, context.auditContext(request), idFrom(request));
    return renderEdit(reply, request, record.child, {
      ...detailsValues(record.child),
      version: String(record.child.version),
    });
  });

  app.post('/children/:id/edit', { config: write }, async (request, reply) => {
    const id = idFrom(request);
    const form = parseForm(editChildSchema, request.body);
    const auditContext = context.auditContext(request);
    try {
      if (!form.ok) throw new ChangeRefused(form.errors);
      await updateChildDetails(deps, request.actor!, auditContext, id, form.data);
    } catch (error) {
      if (error instanceof StaleEdit) return renderConflict(reply, error.current, echo(bodyOf(request)));
      if (!(error instanceof ChangeRefused)) throw error;
      const record = await childRecord(deps, request.actor!, auditContext, id);
      return renderEdit(
        reply,
        request,
        record.child,
        echo(bodyOf(request)),
        fieldErrorView(inFieldOrder(error.errors, childFormOrder)),
      );
    }
    return reply.redirect(childPaths.child(id, 'updated'), 303);
  });

  /** Someone else saved first: show their version beside what this person typed, keep both. */
  const renderConflict = (reply: FastifyReply, current: ChildWithNames, typed: Record<string, string>) => {
    const now = detailsValues(current);
    const differences = comparedFields
      .map(({ label, show }) => ({ label, now: show(now), typed: show(typed) }))
      .filter((field) => field.now !== field.typed);
    return reply.code(409).view(view('conflict'), {
      pageTitle: 'Someone else changed this record',
      childName: fullName(current),
      childHref: childPaths.child(current.id),
      differences,
      changedAt: formatDateTime(current.updated_at),
      action: childPaths.edit(current.id),
      typed: { ...typed, version: String(current.version) },
    });
  };

  const renderFact = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const record = await childRecord(deps, request.actor!, context.auditContext(request), childId);
    const correcting = values.supersedes
      ? record.facts.find((fact) => fact.id === values.supersedes)
      : undefined;
    const kinds = milestoneKinds.filter((kind) => kind !== 'family_finder_allocated');
    return reply.code(errors ? 400 : 200).view(view('fact-form'), {
      pageTitle: correcting ? 'Correct a date in the journey' : 'Add to the journey',
      childName: fullName(record.child),
      childHref: childPaths.child(record.child.id),
      action: childPaths.facts(record.child.id),
      correcting: correcting
        ? {
            id: correcting.id,
            kind: correcting.kind,
            what: milestoneLabels[correcting.kind as keyof typeof milestoneLabels],
            date: formatDate(correcting.effective_date),
          }
        : null,
      values,
      kindItems: [
        { value: '', text: 'Select what happened' },
        ...kinds.map((kind) => ({
          value: kind,
          text: milestoneLabels[kind],
          selected: kind === (correcting?.kind ?? values.kind),
        })),
      ],
      planChangeItems: choiceItems(
        Object.fromEntries(
          Object.entries(planChangeReasons).map(([code, text]) => [code, `${code}: ${text}`]),
        ),
        values.planChangeReason,
      ),
      disruptionItems: choiceItems(
        { before_order: 'Before the adoption order', after_order: 'After the adoption order' },
        values.disruptionTiming,
      ),
      ...errors,
    });
  };

  app.get('/children/:id/journey/new', { config: write }, async (request, reply) => {
    const correct = (request.query as Record<string, unknown> | undefined)?.correct;
    return renderFact(reply, request, idFrom(request), {
      source: request.actor!.organisation.name,
      ...(typeof correct === 'string' && /^[0-9a-f-]{36}$/i.test(correct) ? { supersedes: correct } : {}),
    });
  });

  app.post('/children/:id/journey', { config: write }, async (request, reply) => {
    const id = idFrom(request);
    const form = parseForm(factSchema, request.body);
    try {
      if (!form.ok) throw new ChangeRefused(form.errors);
      await recordFact(deps, request.actor!, context.auditContext(request), id, form.data);
    } catch (error) {
      if (!(error instanceof ChangeRefused)) throw error;
      return renderFact(
        reply,
        request,
        id,
        echo(bodyOf(request)),
        fieldErrorView(inFieldOrder(error.errors, factFormOrder)),
      );
    }
    return reply.redirect(
      childPaths.child(id, form.data.supersedes ? 'fact-corrected' : 'fact-recorded'),
      303,
    );
  });

  app.post('/children/:id/family-finder', { config: write }, async (request, reply) => {
    const id = idFrom(request);
    const form = parseForm(allocateSchema, request.body);
    try {
      if (!form.ok) throw new ChangeRefused(form.errors);
      await allocateFamilyFinder(deps, request.actor!, context.auditContext(request), id, form.data);
    } catch (error) {
      if (error instanceof StaleEdit) {
        throw new AppError(
          'conflict',
          'Someone else changed this record since you opened it. Look at it again before allocating.',
        );
      }
      if (!(error instanceof ChangeRefused)) throw error;
      return renderSimpleForm(
        reply,
        request,
        id,
        'allocate',
        echo(bodyOf(request)),
        fieldErrorView(inFieldOrder(error.errors, ['familyFinderId', 'allocatedOn-day'])),
      );
    }
    return reply.redirect(childPaths.child(id, 'family-finder-allocated'), 303);
  });

  /** Small forms shown on their own page when they come back with errors. */
  const renderSimpleForm = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    form: 'allocate' | 'sibling',
    values: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const record = await childRecord(deps, request.actor!, context.auditContext(request), childId);
    const councils = await councilsInScope(context.db, request.actor!);
    return reply.code(errors ? 400 : 200).view(view(form === 'allocate' ? 'allocate-form' : 'sibling-form'), {
      pageTitle: form === 'allocate' ? 'Allocate a family finder' : 'Link a sibling',
      childName: fullName(record.child),
      childHref: childPaths.child(record.child.id),
      action:
        form === 'allocate' ? childPaths.familyFinder(record.child.id) : childPaths.siblings(record.child.id),
      version: String(record.child.version),
      values,
      familyFinderItems: [
        { value: '', text: 'Select a family finder' },
        ...record.familyFinders.map((f) => ({
          value: f.id,
          text: f.name,
          selected: f.id === values.familyFinderId,
        })),
      ],
      councilItems: [
        { value: '', text: 'Select a council' },
        ...councils.map((c) => ({
          value: c.id,
          text: c.name,
          selected: c.id === (values.siblingCouncilId ?? record.child.responsible_council_id),
        })),
      ],
      planItems: choiceItems(siblingPlanLabels, values.placementPlan),
      ...errors,
    });
  };

  app.get('/children/:id/siblings/new', { config: write }, async (request, reply) =>
    renderSimpleForm(reply, request, idFrom(request), 'sibling', {}),
  );

  app.post('/children/:id/siblings', { config: write }, async (request, reply) => {
    const id = idFrom(request);
    const form = parseForm(siblingSchema, request.body);
    try {
      if (!form.ok) throw new ChangeRefused(form.errors);
      await linkSibling(deps, request.actor!, context.auditContext(request), id, form.data);
    } catch (error) {
      if (!(error instanceof ChangeRefused)) throw error;
      return renderSimpleForm(
        reply,
        request,
        id,
        'sibling',
        echo(bodyOf(request)),
        fieldErrorView(error.errors),
      );
    }
    return reply.redirect(childPaths.child(id, 'sibling-linked'), 303);
  });

  // Need-to-know parts of the record (design.md §3).
  app.get('/children/:id/birth-family', { config: restricted }, async (request, reply) => {
    const { child, birthFamily: family } = await birthFamily(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    return reply.view(view('birth-family'), {
      pageTitle: `Birth family: ${fullName(child)}`,
      notice: noticeFor(request),
      childName: fullName(child),
      childHref: childPaths.child(child.id),
      editHref: childPaths.editBirthFamily(child.id),
      mayChange: request.actor!.permissions.has('children:write'),
      rows: [
        { key: { text: 'Birth mother' }, value: { text: family?.birth_mother_name || 'Not recorded' } },
        { key: { text: 'Birth father' }, value: { text: family?.birth_father_name || 'Not recorded' } },
        {
          key: { text: 'Postcode district' },
          value: { text: family?.birth_family_postcode_district || 'Not recorded' },
        },
        { key: { text: 'Other relatives' }, value: { text: family?.other_relatives || 'None recorded' } },
        { key: { text: 'Notes' }, value: { text: family?.notes || 'None' } },
      ],
      updatedAt: family ? formatDateTime(family.updated_at) : null,
    });
  });

  const renderBirthFamilyForm = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    values: Record<string, string> | null,
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const { child, birthFamily: family } = await birthFamily(
      deps,
      request.actor!,
      context.auditContext(request),
      childId,
    );
    return reply.code(reply.statusCode === 409 ? 409 : errors ? 400 : 200).view(view('birth-family-form'), {
      pageTitle: `Change birth family details: ${fullName(child)}`,
      childName: fullName(child),
      cancelHref: childPaths.birthFamily(child.id),
      action: childPaths.editBirthFamily(child.id),
      values: values ?? {
        version: String(child.version),
        birthMotherName: family?.birth_mother_name ?? '',
        birthFatherName: family?.birth_father_name ?? '',
        birthFamilyPostcodeDistrict: family?.birth_family_postcode_district ?? '',
        otherRelatives: family?.other_relatives ?? '',
        notes: family?.notes ?? '',
      },
      ...errors,
    });
  };

  app.get('/children/:id/birth-family/edit', { config: restricted }, async (request, reply) =>
    renderBirthFamilyForm(reply, request, idFrom(request), null),
  );

  app.post('/children/:id/birth-family/edit', { config: restricted }, async (request, reply) => {
    const id = idFrom(request);
    const form = parseForm(birthFamilySchema, request.body);
    requireWrite(request);
    try {
      if (!form.ok) throw new ChangeRefused(form.errors);
      await updateBirthFamily(deps, request.actor!, context.auditContext(request), id, form.data);
    } catch (error) {
      if (error instanceof StaleEdit) {
        // Keep what they typed in the form, on the current version, and say what happened.
        return renderBirthFamilyForm(
          reply.code(409),
          request,
          id,
          { ...echo(bodyOf(request)), version: String(error.current.version) },
          fieldErrorView([{ field: 'birthMotherName', message: staleMessage }]),
        );
      }
      if (!(error instanceof ChangeRefused)) throw error;
      return renderBirthFamilyForm(reply, request, id, echo(bodyOf(request)), fieldErrorView(error.errors));
    }
    return reply.redirect(`${childPaths.birthFamily(id)}?done=birth-family-saved`, 303);
  });

  const renderProfile = async (
    reply: FastifyReply,
    request: FastifyRequest,
    childId: string,
    options: {
      editing: boolean;
      values?: Record<string, string>;
      errors?: ReturnType<typeof fieldErrorView>;
    },
  ) => {
    const { child, profile, photos } = await familyFindingProfile(
      deps,
      request.actor!,
      context.auditContext(request),
      childId,
    );
    return reply
      .code(reply.statusCode === 409 ? 409 : options.errors ? 400 : 200)
      .view(view(options.editing ? 'profile-form' : 'profile'), {
        pageTitle: `Family-finding profile: ${fullName(child)}`,
        notice: noticeFor(request),
        childName: fullName(child),
        childHref: childPaths.child(child.id),
        editHref: childPaths.editProfile(child.id),
        cancelHref: childPaths.profile(child.id),
        action: childPaths.editProfile(child.id),
        photoAction: childPaths.photos(child.id),
        mayChange: request.actor!.permissions.has('children:write'),
        profileText: profile?.profile_text ?? null,
        updatedAt: profile ? formatDateTime(profile.updated_at) : null,
        photos: photos.map((p) => ({
          src: childPaths.photo(child.id, p.id),
          description: p.description ?? `Photo of ${child.first_name}`,
          uploadedAt: formatDateTime(p.uploaded_at),
        })),
        maxMegabytes: photoLimits.maxBytes / 1024 / 1024,
        values: options.values ?? {
          version: String(child.version),
          profileText: profile?.profile_text ?? '',
        },
        ...options.errors,
      });
  };

  app.get('/children/:id/profile', { config: restricted }, async (request, reply) =>
    renderProfile(reply, request, idFrom(request), { editing: false }),
  );
  app.get('/children/:id/profile/edit', { config: restricted }, async (request, reply) =>
    renderProfile(reply, request, idFrom(request), { editing: true }),
  );

  app.post('/children/:id/profile/edit', { config: restricted }, async (request, reply) => {
    const id = idFrom(request);
    requireWrite(request);
    const form = parseForm(profileSchema, request.body);
    try {
      if (!form.ok) throw new ChangeRefused(form.errors);
      await updateProfile(deps, request.actor!, context.auditContext(request), id, form.data);
    } catch (error) {
      if (error instanceof StaleEdit) {
        return renderProfile(reply.code(409), request, id, {
          editing: true,
          values: { ...echo(bodyOf(request)), version: String(error.current.version) },
          errors: fieldErrorView([{ field: 'profileText', message: staleMessage }]),
        });
      }
      if (!(error instanceof ChangeRefused)) throw error;
      return renderProfile(reply, request, id, {
        editing: true,
        values: echo(bodyOf(request)),
        errors: fieldErrorView(error.errors),
      });
    }
    return reply.redirect(`${childPaths.profile(id)}?done=profile-saved`, 303);
  });

  app.post(
    '/children/:id/photos',
    { config: restricted, bodyLimit: photoLimits.maxBytes + 64 * 1024 },
    async (request, reply) => {
      const id = idFrom(request);
      requireWrite(request);
      const body = bodyOf(request);
      const file = body.photo;
      const description =
        typeof body.description === 'string' ? body.description.trim().slice(0, 200) || null : null;
      try {
        await addPhoto(deps, request.actor!, context.auditContext(request), id, {
          content: Buffer.isBuffer(file) ? file : Buffer.alloc(0),
          truncated: Buffer.isBuffer(file) && file.length > photoLimits.maxBytes,
          description,
        });
      } catch (error) {
        if (!(error instanceof ChangeRefused)) throw error;
        return renderProfile(reply, request, id, { editing: false, errors: fieldErrorView(error.errors) });
      }
      return reply.redirect(`${childPaths.profile(id)}?done=photo-added`, 303);
    },
  );

  app.get('/children/:id/photos/:photoId', { config: restricted }, async (request, reply) => {
    const photoId = String((request.params as { photoId?: unknown }).photoId ?? '');
    const found = await photo(deps, request.actor!, context.auditContext(request), idFrom(request), photoId);
    return reply.type(found.mediaType).header('x-content-type-options', 'nosniff').send(found.content);
  });
}

function requireWrite(request: FastifyRequest): void {
  if (!request.actor!.permissions.has('children:write')) {
    throw new AppError('forbidden', 'You do not have permission to do that.');
  }
}
