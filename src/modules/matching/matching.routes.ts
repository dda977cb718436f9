// Matching pages (issue 6). Thin: parse (zod), call the service with the actor, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { fieldErrorView, parseForm } from '../../platform/http/validation.js';
import { todayInLondon } from '../../platform/time/index.js';
import { formatDate, formatDateTime } from '../../platform/views/render.js';
import { needAreaLabels } from '../children/child-codes.js';
import { hardToPlaceLabels, type HardToPlaceTag } from '../children/hard-to-place.js';
import { stageLabels, type Stage } from '../children/journey.js';
import {
  activitySchema,
  candidateFiltersSchema,
  compareSchema,
  considerationsSchema,
  exclusionSchema,
  householdFiltersSchema,
  linkMoveSchema,
  shortlistSchema,
} from './matching.forms.js';
import {
  contactKindLabels,
  contactKinds,
  separationRuleLabels,
  separationRules,
  weightKeys,
  weightLabels,
  weightsSchema,
} from './matching-profiles.js';
import { presentCandidate, scoreTag } from './matching.presenter.js';
import { activitiesFor, linkEvents, linkInScope, linksForChild, poolChild } from './matching.repository.js';
import {
  activityKindLabels,
  considerationsForm,
  excludeHousehold,
  LinkRefused,
  linkStateLabels,
  moveLink,
  nextLinkState,
  recordActivity,
  shortlist,
  StaleChild,
  StaleLink,
  updateConsiderations,
} from './linking.service.js';
import {
  auditMatching,
  candidatesForChild,
  candidatesForHousehold,
  compareForChild,
  isUuid,
  refusedAsNotFound,
  saveWeights,
  StaleWeights,
  weightsOf,
} from './matching.service.js';
import type { LinkState } from './matching.tables.js';
import {
  hubSufficiency,
  latestSufficiency,
  refreshSufficiency,
  sufficiencyBands,
  type SufficiencySnapshot,
} from './sufficiency.service.js';
import { assessingRaa } from '../adopters/households.service.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobTypes {
    /** Works out sufficiency for every RAA (issue 6 §4). */
    'matching.refresh-sufficiency': Record<string, never>;
  }
}

/** 05:30 every day, London time: fresh figures before anyone starts work. */
export const sufficiencySchedule = '30 5 * * *';

const view = (name: string) => `matching/views/${name}.njk`;
const readAccess = { access: { permission: 'matching:read' as const } };
const linkAccess = { access: { permission: 'matching:link' as const } };
const excludeAccess = { access: { permission: 'matching:exclude' as const } };
const configureAccess = { access: { permission: 'matching:configure' as const } };
const sufficiencyAccess = { access: { permission: 'sufficiency:read' as const } };
const considerationsAccess = { access: { permission: 'children:write' as const } };
const idFrom = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

export const matchingPaths = {
  matches: (childId: string) => `/children/${childId}/matches`,
  compare: (childId: string) => `/children/${childId}/matches/compare`,
  shortlist: (childId: string) => `/children/${childId}/shortlist`,
  exclusions: (childId: string) => `/children/${childId}/exclusions`,
  familyFinding: (childId: string) => `/children/${childId}/family-finding`,
  considerations: (childId: string) => `/children/${childId}/matching`,
  link: (linkId: string) => `/links/${linkId}`,
  householdMatches: (householdId: string) => `/households/${householdId}/matches`,
  weights: '/matching/weights',
  sufficiency: '/sufficiency',
  sufficiencyCsv: '/sufficiency.csv',
  sufficiencyRefresh: '/sufficiency/refresh',
};

const childName = (child: { first_name: string; last_name: string; known_as?: string | null }) =>
  `${child.known_as || child.first_name} ${child.last_name}`;

const items = (labels: Record<string, string>, chosen: string | undefined) =>
  Object.entries(labels).map(([value, text]) => ({
    value,
    text,
    selected: value === chosen,
    checked: value === chosen,
  }));

/** A bad query string is a 400 with a sentence, never a silent default. */
function badQuery(errors: { message: string }[]): AppError {
  return new AppError('bad-request', errors.map((e) => e.message).join('. '));
}

export async function registerMatchingRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  const deps = { db: context.db, auditKey: context.auditKey };
  context.navigation.push({
    text: 'Sufficiency',
    href: matchingPaths.sufficiency,
    permission: 'sufficiency:read',
    order: 45,
  });

  await context.jobs.work('matching.refresh-sufficiency', async () => {
    await refreshSufficiency(context.db, context.clock());
  });
  await context.jobs.schedule('matching.refresh-sufficiency', sufficiencySchedule);

  // ── For a child: ranked households ─────────────────────────────────────────────────────────
  app.get('/children/:id/matches', { config: readAccess }, async (request, reply) => {
    const query = candidateFiltersSchema.safeParse(request.query ?? {});
    if (!query.success) throw badQuery(query.error.issues);
    const filters = query.data;
    const found = await candidatesForChild(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      filters,
    );
    const childId = found.child.id;
    const actor = request.actor!;
    return reply.view(view('child-matches'), {
      pageTitle: `Families who might fit ${childName(found.child)}`,
      childName: childName(found.child),
      childHref: `/children/${childId}`,
      familyFindingHref: matchingPaths.familyFinding(childId),
      compareAction: matchingPaths.compare(childId),
      shortlistAction: matchingPaths.shortlist(childId),
      exclusionsAction: matchingPaths.exclusions(childId),
      mayLink: actor.permissions.has('matching:link'),
      mayExclude: actor.permissions.has('matching:exclude'),
      own: found.own.map((c) => presentCandidate(c, childId)),
      partners: found.partners.map((c) => presentCandidate(c, childId)),
      considered: found.considered,
      filters,
      poolItems: items(
        { all: 'All pools', own: "The RAA's own pool", partners: 'Partner pools' },
        filters.pool,
      ),
      weights: weightKeys.map((key) => ({ label: weightLabels[key], value: found.weights[key] })),
      childSummary: describeChildForMatching(found),
      notice: noticeFrom(request),
    });
  });

  app.get('/children/:id/matches/compare', { config: readAccess }, async (request, reply) => {
    const query = compareSchema.safeParse(request.query ?? {});
    if (!query.success) {
      // The child is looked up first so a wrong child is still "not found".
      const child = isUuid(idFrom(request))
        ? await poolChild(context.db, request.actor!.scope.organisationIds, idFrom(request))
        : undefined;
      if (!child)
        throw await refusedAsNotFound(
          deps,
          context.auditContext(request),
          'matching.compare',
          'child',
          idFrom(request),
        );
      throw badQuery(query.error.issues);
    }
    const found = await compareForChild(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      query.data.household,
    );
    const compared = found.compared.map((c) => presentCandidate(c, found.child.id));
    const rows = (compared[0]?.facts ?? []).map((fact, index) => ({
      label: fact.label,
      values: compared.map((c) => c.facts[index]?.value ?? ''),
    }));
    return reply.view(view('compare'), {
      pageTitle: `Compare families for ${childName(found.child)}`,
      childName: childName(found.child),
      backHref: matchingPaths.matches(found.child.id),
      compared,
      rows,
    });
  });

  app.post('/children/:id/shortlist', { config: linkAccess }, async (request, reply) => {
    const form = parseForm(shortlistSchema, request.body);
    const childId = idFrom(request);
    if (!form.ok) {
      // Judge scope before the form, so another council's child is "not found" whatever was sent.
      const child = isUuid(childId)
        ? await poolChild(context.db, request.actor!.scope.organisationIds, childId)
        : undefined;
      if (!child)
        throw await refusedAsNotFound(
          deps,
          context.auditContext(request),
          'matching.link.shortlist',
          'child',
          childId,
        );
      throw new AppError('bad-request', form.errors[0]?.message ?? 'Choose a household', {
        fieldErrors: form.errors,
      });
    }
    try {
      const linkId = await shortlist(
        deps,
        request.actor!,
        context.auditContext(request),
        childId,
        form.data.householdId,
      );
      return reply.redirect(`${matchingPaths.link(linkId)}?done=shortlisted`, 303);
    } catch (error) {
      if (error instanceof LinkRefused)
        throw new AppError('conflict', error.message, { fieldErrors: error.errors });
      throw error;
    }
  });

  app.post('/children/:id/exclusions', { config: excludeAccess }, async (request, reply) => {
    const childId = idFrom(request);
    const form = parseForm(exclusionSchema, request.body);
    if (!form.ok) {
      const child = isUuid(childId)
        ? await poolChild(context.db, request.actor!.scope.organisationIds, childId)
        : undefined;
      if (!child)
        throw await refusedAsNotFound(
          deps,
          context.auditContext(request),
          'matching.exclusion.add',
          'child',
          childId,
        );
      throw new AppError('bad-request', form.errors.map((e) => e.message).join('. '), {
        fieldErrors: form.errors,
      });
    }
    try {
      await excludeHousehold(deps, request.actor!, context.auditContext(request), childId, form.data);
    } catch (error) {
      if (error instanceof LinkRefused)
        throw new AppError('bad-request', error.message, { fieldErrors: error.errors });
      throw error;
    }
    return reply.redirect(`${matchingPaths.matches(childId)}?done=excluded`, 303);
  });

  // ── Links and the family-finding log ───────────────────────────────────────────────────────
  const renderFamilyFinding = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> = {},
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const childId = idFrom(request);
    const actor = request.actor!;
    const child = isUuid(childId)
      ? await poolChild(context.db, actor.scope.organisationIds, childId)
      : undefined;
    if (!child)
      throw await refusedAsNotFound(
        deps,
        context.auditContext(request),
        'matching.family-finding.view',
        'child',
        childId,
      );
    const [links, activities] = await Promise.all([
      linksForChild(context.db, child.id),
      activitiesFor(context.db, child.id),
    ]);
    await auditMatching(context.db, deps, context.auditContext(request), {
      action: 'matching.family-finding.view',
      outcome: 'success',
      subjectType: 'child',
      subjectId: child.id,
      organisationId: child.responsible_council_id,
    });
    return reply.code(errors ? 400 : 200).view(view('family-finding'), {
      pageTitle: `Links and family finding for ${childName(child)}`,
      childName: childName(child),
      childHref: `/children/${child.id}`,
      matchesHref: matchingPaths.matches(child.id),
      action: matchingPaths.familyFinding(child.id),
      mayLink: actor.permissions.has('matching:link'),
      hardToPlace: child.hard_to_place_tags.map((tag) => hardToPlaceLabels[tag as HardToPlaceTag] ?? tag),
      links: links.map((link) => ({
        href: matchingPaths.link(link.id),
        household: `Household ${link.household_reference}`,
        state: linkStateLabels[link.state as LinkState],
        since: formatDateTime(link.updated_at),
      })),
      activities: activities.map((a) => ({
        kind: activityKindLabels[a.kind],
        date: formatDate(a.activity_date),
        note: a.note,
        by: a.recorded_by_name ?? 'Kindred',
      })),
      kindItems: [
        { value: '', text: 'Choose the kind of activity' },
        ...items(activityKindLabels, values.kind),
      ],
      values,
      ...errors,
    });
  };

  app.get('/children/:id/family-finding', { config: readAccess }, (request, reply) =>
    renderFamilyFinding(request, reply),
  );

  app.post('/children/:id/family-finding', { config: linkAccess }, async (request, reply) => {
    const form = parseForm(activitySchema, request.body);
    const values = echo(request.body);
    if (!form.ok) return renderFamilyFinding(request, reply, values, fieldErrorView(form.errors));
    if (form.data.date > todayInLondon(context.clock())) {
      return renderFamilyFinding(
        request,
        reply,
        values,
        fieldErrorView([{ field: 'date', message: 'The date of the activity must be today or in the past' }]),
      );
    }
    await recordActivity(deps, request.actor!, context.auditContext(request), idFrom(request), form.data);
    return reply.redirect(`${matchingPaths.familyFinding(idFrom(request))}?done=activity`, 303);
  });

  const renderLink = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors?: ReturnType<typeof fieldErrorView>,
    values: Record<string, string> = {},
  ) => {
    const actor = request.actor!;
    const linkId = idFrom(request);
    const link = isUuid(linkId)
      ? await linkInScope(context.db, actor.scope.organisationIds, linkId)
      : undefined;
    if (!link)
      throw await refusedAsNotFound(
        deps,
        context.auditContext(request),
        'matching.link.view',
        'child',
        linkId,
      );
    const events = await linkEvents(context.db, link.id);
    await auditMatching(context.db, deps, context.auditContext(request), {
      action: 'matching.link.view',
      outcome: 'success',
      subjectType: 'child',
      subjectId: link.child_id,
      organisationId: link.child_council_id,
    });
    const next = nextLinkState(link.state as LinkState);
    return reply
      .code(errors ? (errors.errors.some((e) => e.field === 'to') ? 409 : 400) : 200)
      .view(view('link'), {
        pageTitle: `Link: ${childName({ first_name: link.child_first_name, last_name: link.child_last_name })} and household ${link.household_reference}`,
        childName: childName({ first_name: link.child_first_name, last_name: link.child_last_name }),
        childHref: `/children/${link.child_id}`,
        familyFindingHref: matchingPaths.familyFinding(link.child_id),
        householdReference: link.household_reference,
        householdHref:
          assessingRaa(actor) === link.household_agency_id ? `/households/${link.household_id}` : null,
        state: linkStateLabels[link.state as LinkState],
        closed: link.state === 'closed',
        closedReason: link.closed_reason,
        next: next ? { value: next, label: linkStateLabels[next] } : null,
        nextIsInterest: next === 'expression_of_interest',
        version: link.version,
        action: matchingPaths.link(link.id),
        mayLink: actor.permissions.has('matching:link'),
        events: events.map((e) => ({
          what: linkStateLabels[e.to_state],
          by: e.recorded_by_name ?? 'Kindred',
          when: formatDateTime(e.recorded_at),
          expressedBy:
            e.expressed_by === 'household'
              ? 'the household'
              : e.expressed_by === 'child_side'
                ? "the child's social worker or family finder"
                : null,
          note: e.note,
        })),
        notice: noticeFrom(request),
        values,
        ...errors,
      });
  };

  app.get('/links/:id', { config: readAccess }, (request, reply) => renderLink(request, reply));

  app.post('/links/:id', { config: linkAccess }, async (request, reply) => {
    const form = parseForm(linkMoveSchema, request.body);
    const values = echo(request.body);
    if (!form.ok) return renderLink(request, reply, fieldErrorView(form.errors), values);
    try {
      await moveLink(deps, request.actor!, context.auditContext(request), idFrom(request), form.data);
    } catch (error) {
      if (error instanceof LinkRefused)
        return renderLink(request, reply, fieldErrorView(error.errors), values);
      if (error instanceof StaleLink) {
        throw new AppError(
          'conflict',
          'Someone else moved this link on since you opened the page. Nothing was changed: look at the link again before you record the next step.',
        );
      }
      throw error;
    }
    return reply.redirect(`${matchingPaths.link(idFrom(request))}?done=moved`, 303);
  });

  // ── For a household: ranked children ───────────────────────────────────────────────────────
  app.get('/households/:id/matches', { config: readAccess }, async (request, reply) => {
    const query = householdFiltersSchema.safeParse(request.query ?? {});
    if (!query.success) throw badQuery(query.error.issues);
    const found = await candidatesForHousehold(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      query.data,
    );
    return reply.view(view('household-matches'), {
      pageTitle: `Children who might fit household ${found.household.reference}`,
      reference: found.household.reference,
      householdHref: `/households/${found.household.id}`,
      compatibleOnly: query.data.compatibleOnly,
      considered: found.considered,
      children: found.children.map(({ result, child }) => ({
        name: childName(child),
        href: `/children/${child.id}`,
        matchesHref: matchingPaths.matches(child.id),
        council: child.council_name,
        stage: stageLabels[child.current_stage as Stage] ?? child.current_stage,
        score: scoreTag(result),
        summary: result.summary,
      })),
    });
  });

  // ── The RAA's weights ──────────────────────────────────────────────────────────────────────
  const renderWeights = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, string>,
    errors?: ReturnType<typeof fieldErrorView>,
    status = 200,
  ) => {
    const raaId = assessingRaa(request.actor!);
    if (!raaId)
      throw new AppError(
        'not-found',
        'Matching weights belong to an RAA: sign in as a member of its staff to see them.',
      );
    const current = await weightsOf(context.db, raaId);
    return reply.code(errors ? status : 200).view(view('weights'), {
      pageTitle: 'Matching weights',
      action: matchingPaths.weights,
      version: values?.version ?? String(current.version),
      custom: current.custom,
      fields: weightKeys.map((key) => ({
        key,
        label: weightLabels[key],
        value: values?.[key] ?? String(current.weights[key]),
        error: errors?.fieldErrors[key],
      })),
      notice: noticeFrom(request),
      ...errors,
    });
  };
  app.get(matchingPaths.weights, { config: configureAccess }, (request, reply) =>
    renderWeights(request, reply),
  );
  app.post(matchingPaths.weights, { config: configureAccess }, async (request, reply) => {
    const values = echo(request.body);
    const form = parseForm(weightsSchema, request.body);
    const version = Number(values.version ?? '0');
    if (!form.ok) return renderWeights(request, reply, values, fieldErrorView(form.errors), 400);
    if (!Number.isInteger(version) || version < 0) {
      return renderWeights(
        request,
        reply,
        values,
        fieldErrorView([{ field: 'form', message: 'Open the weights page again and retry' }]),
        400,
      );
    }
    try {
      await saveWeights(deps, request.actor!, context.auditContext(request), { weights: form.data, version });
    } catch (error) {
      if (error instanceof StaleWeights) {
        return renderWeights(
          request,
          reply,
          {
            ...values,
            version: String((await weightsOf(context.db, assessingRaa(request.actor!)!)).version),
          },
          fieldErrorView([
            {
              field: 'needs',
              message:
                'Someone else changed the weights since you opened this page. The current weights are shown in the hint of each field; your numbers are kept — save again to replace them.',
            },
          ]),
          409,
        );
      }
      throw error;
    }
    return reply.redirect(`${matchingPaths.weights}?done=weights`, 303);
  });

  // ── The child's matching considerations ─────────────────────────────────────────────────────
  const renderConsiderations = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values?: Record<string, unknown>,
    errors?: ReturnType<typeof fieldErrorView>,
    status = 400,
  ) => {
    const child = await considerationsForm(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
    );
    const chosen = values ?? {
      heritage: child.considerations.heritage ? 'yes' : '',
      religion: child.considerations.religion ? 'yes' : '',
      language: child.considerations.language ? 'yes' : '',
      contactRequired: child.considerations.contactRequired,
      separation: child.considerations.separation,
      version: String(child.version),
    };
    const contactChosen = ([] as string[]).concat(
      (chosen.contactRequired as string[] | string | undefined) ?? [],
    );
    return reply.code(errors ? status : 200).view(view('considerations'), {
      pageTitle: `Matching considerations for ${childName(child)}`,
      childName: childName(child),
      childHref: `/children/${child.id}`,
      action: matchingPaths.considerations(child.id),
      version: chosen.version,
      identityItems: [
        {
          value: 'yes',
          name: 'heritage',
          text: "The family should reflect the child's heritage and identity",
          checked: chosen.heritage === 'yes',
        },
        {
          value: 'yes',
          name: 'religion',
          text: "The family should share or support the child's religion",
          checked: chosen.religion === 'yes',
        },
        {
          value: 'yes',
          name: 'language',
          text: "The family should speak the child's language",
          checked: chosen.language === 'yes',
        },
      ],
      contactItems: contactKinds.map((kind) => ({
        value: kind,
        text: contactKindLabels[kind].charAt(0).toUpperCase() + contactKindLabels[kind].slice(1),
        checked: contactChosen.includes(kind),
      })),
      separationItems: separationRules.map((rule) => ({
        value: rule,
        text: separationRuleLabels[rule],
        checked: chosen.separation === rule,
      })),
      ...errors,
    });
  };
  app.get('/children/:id/matching', { config: considerationsAccess }, (request, reply) =>
    renderConsiderations(request, reply),
  );
  app.post('/children/:id/matching', { config: considerationsAccess }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = parseForm(considerationsSchema, body);
    if (!form.ok) return renderConsiderations(request, reply, body, fieldErrorView(form.errors));
    try {
      await updateConsiderations(
        deps,
        request.actor!,
        context.auditContext(request),
        idFrom(request),
        form.data,
      );
    } catch (error) {
      if (error instanceof StaleChild) {
        throw new AppError(
          'conflict',
          "Someone else changed this child's record since you opened the page. Nothing was saved: open the page again and make your change.",
        );
      }
      throw error;
    }
    return reply.redirect(`/children/${idFrom(request)}?done=updated`, 303);
  });

  // ── Sufficiency ────────────────────────────────────────────────────────────────────────────
  const sufficiencyFor = async (request: FastifyRequest) => {
    const raaId = request.actor!.scope.raaId;
    if (!raaId || !assessingRaa(request.actor!)) {
      throw new AppError(
        'not-found',
        'Sufficiency is worked out for an RAA: sign in as a member of its staff to see it.',
      );
    }
    return { raaId, latest: await latestSufficiency(context.db, raaId) };
  };

  app.get(matchingPaths.sufficiency, { config: sufficiencyAccess }, async (request, reply) => {
    const actor = request.actor!;
    if (actor.organisation.kind === 'hub') {
      // The hub sees the cross-RAA picture, never a child or a family (issue 6 §5).
      const hub = await hubSufficiency(context.db, actor.organisation.id);
      await auditMatching(context.db, deps, context.auditContext(request), {
        action: 'matching.sufficiency.view',
        outcome: 'success',
        subjectType: 'organisation',
        subjectId: actor.organisation.id,
        organisationId: actor.organisation.id,
        reason: 'hub view',
      });
      const max = Math.max(1, ...hub.bands.map((b) => b.count));
      const maxPriority = Math.max(1, ...hub.priorities.map((p) => p.childrenWaiting));
      return reply.view(view('hub-sufficiency'), {
        pageTitle: 'Sufficiency of families across the hub',
        raas: hub.raas.map((r) => ({
          ...r,
          computedAt: r.computedAt ? formatDateTime(r.computedAt) : 'Not yet',
        })),
        bands: hub.bands.map((b) => ({ ...b, percent: Math.round((b.count / max) * 100) })),
        priorities: hub.priorities.map((p) => ({
          ...p,
          percent: Math.round((p.childrenWaiting / maxPriority) * 100),
        })),
      });
    }
    const { latest } = await sufficiencyFor(request);
    const named = latest
      ? await childNames(latest.snapshot, request.actor!.scope.organisationIds)
      : new Map();
    await auditMatching(context.db, deps, context.auditContext(request), {
      action: 'matching.sufficiency.view',
      outcome: 'success',
      subjectType: 'organisation',
      subjectId: request.actor!.scope.raaId,
      organisationId: request.actor!.scope.raaId,
    });
    return reply.view(view('sufficiency'), {
      pageTitle: 'Sufficiency of families',
      refreshAction: matchingPaths.sufficiencyRefresh,
      csvHref: matchingPaths.sufficiencyCsv,
      notice: noticeFrom(request),
      ...(latest ? presentSufficiency(latest.snapshot, latest.computedAt, named) : { empty: true }),
    });
  });

  app.get(matchingPaths.sufficiencyCsv, { config: sufficiencyAccess }, async (request, reply) => {
    const { latest } = await sufficiencyFor(request);
    if (!latest)
      throw new AppError('not-found', 'Sufficiency has not been worked out yet: refresh it first.');
    const named = await childNames(latest.snapshot, request.actor!.scope.organisationIds);
    await auditMatching(context.db, deps, context.auditContext(request), {
      action: 'matching.sufficiency.export',
      outcome: 'success',
      subjectType: 'organisation',
      subjectId: request.actor!.scope.raaId,
      organisationId: request.actor!.scope.raaId,
    });
    const rows = latest.snapshot.children
      .filter((c) => named.has(c.id))
      .map((c) => {
        const child = named.get(c.id)!;
        return [
          child.name,
          child.councilChildId,
          child.council,
          child.stage,
          c.region,
          c.hub,
          c.region <= 2 ? 'yes' : 'no',
        ];
      });
    const csv = stringify(
      [
        [
          'Child',
          'Council child ID',
          'Council',
          'Stage',
          'Compatible households in the region',
          'Compatible households in the hub',
          'Two or fewer',
        ],
        ...rows,
      ],
      { cast: { string: neutraliseFormula } },
    );
    return reply
      .header('content-disposition', `attachment; filename="sufficiency-${latest.snapshot.today}.csv"`)
      .type('text/csv; charset=utf-8')
      .send(csv);
  });

  app.post(matchingPaths.sufficiencyRefresh, { config: sufficiencyAccess }, async (request, reply) => {
    await sufficiencyFor(request);
    await context.jobs.send('matching.refresh-sufficiency', {});
    return reply.redirect(`${matchingPaths.sufficiency}?done=refresh`, 303);
  });

  async function childNames(snapshot: SufficiencySnapshot, scope: readonly string[]) {
    const ids = snapshot.children.map((c) => c.id);
    if (ids.length === 0 || scope.length === 0)
      return new Map<
        string,
        { name: string; council: string; stage: string; councilChildId: string; tags: string[] }
      >();
    const rows = await context.db
      .selectFrom('children')
      .innerJoin('organisations as council', 'council.id', 'children.responsible_council_id')
      .select([
        'children.id',
        'children.first_name',
        'children.last_name',
        'children.known_as',
        'children.council_child_id',
        'children.current_stage',
        'children.hard_to_place_tags',
        'council.name as council_name',
      ])
      .where('children.id', 'in', ids)
      .where('children.responsible_council_id', 'in', scope)
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          name: childName(r),
          council: r.council_name,
          stage: stageLabels[r.current_stage as Stage] ?? r.current_stage,
          councilChildId: r.council_child_id,
          tags: r.hard_to_place_tags.map((t) => hardToPlaceLabels[t as HardToPlaceTag] ?? t),
        },
      ]),
    );
  }
}

/** Spreadsheet programs run cells that start with these; a leading apostrophe keeps them text (OWASP CSV injection). */
function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function noticeFrom(request: FastifyRequest): string | undefined {
  const done = (request.query as Record<string, unknown> | undefined)?.done;
  const notices: Record<string, string> = {
    shortlisted: 'Household added to the shortlist',
    moved: 'Link updated',
    activity: 'Activity recorded',
    excluded: "The household is excluded from the council's searches",
    weights: 'Matching weights saved',
    refresh: 'Sufficiency is being worked out again: refresh this page in a minute',
  };
  return typeof done === 'string' ? notices[done] : undefined;
}

/** Strings only, bounded: what was typed, to show again. */
function echo(body: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries((body ?? {}) as Record<string, unknown>)
      .filter(([name, value]) => typeof value === 'string' && name !== '_csrf')
      .map(([name, value]) => [name, (value as string).slice(0, 5000)]),
  );
}

function describeChildForMatching(found: Awaited<ReturnType<typeof candidatesForChild>>): string[] {
  const c = found.matchingChild;
  return [
    `Aged ${c.ageYears}`,
    c.siblingGroupSize > 1
      ? `to be placed with ${c.siblingGroupSize - 1} ${c.siblingGroupSize === 2 ? 'sibling' : 'siblings'}`
      : 'to be placed alone',
    c.needs.length
      ? `needs: ${c.needs.map((n) => needAreaLabels[n.area].toLowerCase()).join(', ')}`
      : 'no needs recorded',
    c.earlyPermanence ? 'early permanence considered' : '',
    c.considerations.separation !== 'none'
      ? separationRuleLabels[c.considerations.separation].toLowerCase()
      : '',
  ].filter(Boolean);
}

function presentSufficiency(
  snapshot: SufficiencySnapshot,
  computedAt: Date,
  named: Map<string, { name: string; council: string; stage: string; tags: string[] }>,
) {
  const visible = snapshot.children.filter((c) => named.has(c.id));
  const bands = sufficiencyBands.map((band) => ({
    label: band.label,
    count: visible.filter((c) => band.test(c.region)).length,
  }));
  const max = Math.max(1, ...bands.map((b) => b.count));
  const maxPriority = Math.max(1, ...snapshot.priorities.map((p) => p.childrenWaiting));
  return {
    empty: false,
    computedAt: formatDateTime(computedAt),
    householdsInRegion: snapshot.householdsInRegion,
    householdsInHub: snapshot.householdsInHub,
    waitingCount: visible.length,
    fewCount: visible.filter((c) => c.region <= 2).length,
    bands: bands.map((b) => ({ ...b, percent: Math.round((b.count / max) * 100) })),
    priorities: snapshot.priorities.map((p) => ({
      ...p,
      percent: Math.round((p.childrenWaiting / maxPriority) * 100),
    })),
    children: visible
      .sort((a, b) => a.region - b.region || a.hub - b.hub)
      .map((c) => ({
        ...named.get(c.id)!,
        href: `/children/${c.id}`,
        matchesHref: matchingPaths.matches(c.id),
        region: c.region,
        hub: c.hub,
        few: c.region <= 2,
      })),
    waitingHouseholds: snapshot.waitingHouseholds.map((h) => ({
      ...h,
      href: `/households/${h.id}`,
      matchesHref: matchingPaths.householdMatches(h.id),
      approvedSince: formatDate(h.approvedSince),
    })),
  };
}
