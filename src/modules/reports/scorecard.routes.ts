// The Adoption Scorecard page (issue 9 §3): the figures per council, spoke, RAA and hub for a
// three-year window ending on a 31 March, against the published thresholds, each figure a link
// to the children or households behind it. Thin: parse (zod), call the service, present.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ModuleContext } from '../../platform/app.js';
import { AppError } from '../../platform/http/errors.js';
import { todayInLondon } from '../../platform/time/index.js';
import { childPaths } from '../children/children.paths.js';
import { stageLabels, type Stage } from '../children/journey.js';
import { householdPaths } from '../adopters/households.routes.js';
import {
  childMeasures,
  householdMeasures,
  measureLabels,
  measureUnit,
  scorecardFootnotes,
  scorecardMeasures,
  thresholdFor,
  type GroupFigures,
  type ScorecardLevel,
  type ScorecardMeasure,
} from './scorecard.js';
import { scorecardDrillDown, scorecardFor, windowEndChoices } from './scorecard.service.js';

export const scorecardPaths = {
  page: '/reports/scorecard',
  pageFor: (windowEnd: string) => `/reports/scorecard?windowEnd=${windowEnd}`,
  drillDown: (measure: ScorecardMeasure, organisationId: string, windowEnd: string) =>
    `/reports/scorecard/${measure}/${organisationId}?windowEnd=${windowEnd}`,
};

const read = { access: { permission: 'reports:read' as const } };
const drillDown = { access: { permission: 'reports:drill-down' as const } };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const levelHeadings: Record<ScorecardLevel, string> = {
  council: 'Councils',
  spoke: 'Spokes',
  raa: 'Regional adoption agency',
  hub: 'Hub',
  all: 'All',
};

/** The children's columns of each level's table, in the order DfE lists them. */
const childColumns: ScorecardMeasure[] = [
  'A1',
  'A10',
  'A2',
  'A3',
  'adoptions',
  'placementOrders',
  'shouldBePlacedDecisions',
  'plansChangedAwayFromAdoption',
  'childrenWaiting',
  'earlyPermanencePlacements',
];
const shortHeadings: Record<ScorecardMeasure, string> = {
  A1: 'A1 days',
  A10: 'A10 days',
  A2: 'A2 days',
  A3: 'A3 under 14 months',
  adoptions: 'Adopted',
  adoptedByFosterCarers: 'Adopted by foster carers',
  placementOrders: 'Placement orders',
  shouldBePlacedDecisions: 'Decisions',
  plansChangedAwayFromAdoption: 'Decisions reversed',
  childrenWaiting: 'Waiting at the end',
  earlyPermanencePlacements: 'Early permanence',
  A11: 'A11 approved, waiting',
  A12: 'A12 waited 3 months or more',
  A13: 'A13 still to be assessed',
};

function cellFor(group: GroupFigures, measure: ScorecardMeasure, windowEnd: string, mayDrillDown: boolean) {
  const figure = group.figures[measure];
  const unit = measureUnit(measure);
  let text: string;
  let detail = '';
  if ('numerator' in figure) {
    text = figure.value === null ? 'None' : `${figure.value}%`;
    if (figure.value !== null) detail = `${figure.numerator} of ${figure.n}`;
  } else if (unit === 'days' && 'n' in figure) {
    text = figure.value === null ? 'None' : String(figure.value);
    detail = `${figure.n} ${figure.n === 1 ? 'child' : 'children'}`;
  } else {
    text = String(figure.value);
  }
  const threshold =
    measure === 'A1' || measure === 'A10' || measure === 'A2' ? thresholdFor(measure, windowEnd) : null;
  const value = figure.value;
  return {
    text,
    detail,
    href: mayDrillDown ? scorecardPaths.drillDown(measure, group.group.id, windowEnd) : null,
    aboveThreshold: threshold !== null && value !== null && value > threshold.days,
  };
}

function headingFor(measure: ScorecardMeasure, windowEnd: string) {
  const threshold =
    measure === 'A1' || measure === 'A10' || measure === 'A2' ? thresholdFor(measure, windowEnd) : null;
  return {
    text: shortHeadings[measure],
    title: measureLabels[measure],
    threshold: threshold
      ? `Threshold ${threshold.days} days (${threshold.label}${threshold.carriedForward ? '; the latest published, not one for this window' : ''})`
      : null,
  };
}

export function registerScorecardRoutes(app: FastifyInstance, context: ModuleContext): void {
  context.navigation.push({
    text: 'Reports',
    href: '/reports',
    permission: 'reports:read',
    order: 70,
  });
  const deps = { db: context.db, auditKey: context.auditKey };

  const windowEndOf = (request: FastifyRequest) => {
    const choices = windowEndChoices(todayInLondon(context.clock()));
    const query = z
      .object({
        windowEnd: z
          .enum(choices as [string, ...string[]])
          .optional()
          .catch(undefined),
      })
      .parse(request.query ?? {});
    return { windowEnd: query.windowEnd ?? choices[0]!, choices };
  };

  app.get(scorecardPaths.page, { config: read }, async (request, reply) => {
    const actor = request.actor!;
    const { windowEnd, choices } = windowEndOf(request);
    const report = await scorecardFor(deps, actor, { windowEnd });
    const mayDrillDown = actor.permissions.has('reports:drill-down');
    const mayOpenChildren = mayDrillDown && actor.permissions.has('children:read');
    const mayOpenHouseholds =
      mayDrillDown && report.householdsShown && actor.permissions.has('adopters:assess');
    const levels = (['council', 'spoke', 'raa', 'hub'] as const)
      .map((level) => ({ level, groups: report.groups.filter((group) => group.group.level === level) }))
      .filter((entry) => entry.groups.length > 0)
      .map(({ level, groups }) => ({
        id: `scorecard-${level}`,
        heading: levelHeadings[level],
        childHeadings: childColumns.map((measure) => headingFor(measure, windowEnd)),
        childRows: groups.map((group) => ({
          name: group.group.name,
          cells: childColumns.map((measure) => cellFor(group, measure, windowEnd, mayOpenChildren)),
        })),
        householdHeadings: householdMeasures.map((measure) => headingFor(measure, windowEnd)),
        householdRows: report.householdsShown
          ? groups.map((group) => ({
              name: group.group.name,
              cells: householdMeasures.map((measure) =>
                cellFor(group, measure, windowEnd, mayOpenHouseholds),
              ),
            }))
          : [],
      }));
    return reply.view('reports/views/scorecard.njk', {
      pageTitle: 'Adoption Scorecard',
      windowStart: report.window.start,
      windowEnd,
      windowItems: choices.map((choice) => ({
        value: choice,
        text: `Three years to 31 March ${choice.slice(0, 4)}`,
        selected: choice === windowEnd,
      })),
      levels,
      householdsShown: report.householdsShown,
      footnotes: scorecardFootnotes,
    });
  });

  app.get(
    `${scorecardPaths.page}/:measure/:organisationId`,
    { config: drillDown },
    async (request, reply) => {
      const params = request.params as { measure?: string; organisationId?: string };
      const measure = params.measure ?? '';
      const organisationId = params.organisationId ?? '';
      if (!(scorecardMeasures as readonly string[]).includes(measure) || !uuid.test(organisationId)) {
        throw new AppError('not-found', 'Page not found');
      }
      const { windowEnd } = windowEndOf(request);
      const result = await scorecardDrillDown(deps, request.actor!, context.auditContext(request), {
        windowEnd,
        measure: measure as ScorecardMeasure,
        organisationId,
      });
      const figure = result.group.figures[result.measure];
      const numeratorIds = new Set('numerator' in figure ? figure.ids : []);
      return reply.view('reports/views/scorecard-drill-down.njk', {
        pageTitle: `${measureLabels[result.measure]}: ${result.group.group.name}`,
        measureLabel: measureLabels[result.measure],
        organisationName: result.group.group.name,
        windowStart: result.group.window.start,
        windowEnd,
        backHref: scorecardPaths.pageFor(windowEnd),
        isPercent: 'numerator' in figure,
        children:
          result.kind === 'children'
            ? result.children.map((child) => ({
                ...child,
                href: childPaths.child(child.id),
                stage: stageLabels[child.currentStage as Stage] ?? child.currentStage,
                counted: numeratorIds.has(child.id),
              }))
            : null,
        households:
          result.kind === 'households'
            ? result.households.map((household) => ({
                ...household,
                href: householdPaths.household(household.id),
                counted: numeratorIds.has(household.id),
              }))
            : null,
        isChildMeasure: (childMeasures as readonly string[]).includes(result.measure),
      });
    },
  );
}
