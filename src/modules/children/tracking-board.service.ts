// The tracking board (issue 4 §4): every child in the actor's scope by stage, filterable by
// council, spoke, family finder, stage, days since the placement order, hard-to-place tags and
// what is overdue; the same filter exports as CSV. Listing is audited once per page or export
// (with the filter), not per child, because it shows names but no record.
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { addCalendarDays } from '../../platform/time/index.js';
import { ethnicityCodes, type EthnicityCode } from './child-codes.js';
import {
  boardAll,
  boardPage,
  boardStageCounts,
  type BoardFilter,
  type BoardRow,
} from './children.repository.js';
import { regionFor } from '../organisations/organisations.service.js';
import {
  auditChild,
  councilsInScope,
  familyFinderChoices,
  today,
  type ChildrenDeps,
} from './children.service.js';
import { fourthBirthday, hardToPlaceLabels, hardToPlaceTags, type HardToPlaceTag } from './hard-to-place.js';
import { stageLabels, stages, type Stage } from './journey.js';
import { overdueCutoffs, overdueFlags, overdueFor, overdueLabels, type OverdueFlag } from './tracking.js';

export const pageSize = 50;

type Councils = Awaited<ReturnType<typeof councilsInScope>>;

/** Waiting since the placement order: ASGLB counts children waiting over 90 days and 18 months. */
export const waitingBands = { '90': 90, '182': 182, '365': 365, '548': 548 } as const;
export const waitingLabels: Record<keyof typeof waitingBands, string> = {
  '90': 'More than 90 days',
  '182': 'More than 6 months',
  '365': 'More than a year',
  '548': 'More than 18 months',
};

const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z
      .array(z.unknown())
      .max(20)
      .transform((values) => values.filter((v) => item.safeParse(v).success) as z.output<T>[]),
  );

/** The board's filters from the query string: anything unrecognised is simply not applied. */
export const boardQuerySchema = z.object({
  council: oneOrMany(z.uuid()).catch([]),
  spoke: z.uuid().optional().catch(undefined),
  familyFinder: z
    .union([z.uuid(), z.literal('unallocated')])
    .optional()
    .catch(undefined),
  stage: oneOrMany(z.enum(stages)).catch([]),
  waiting: z.enum(['90', '182', '365', '548']).optional().catch(undefined),
  tag: oneOrMany(z.enum(hardToPlaceTags)).catch([]),
  overdue: z
    .union([z.enum(overdueFlags), z.literal('any')])
    .optional()
    .catch(undefined),
  q: z
    .string()
    .max(200)
    .optional()
    .catch(undefined)
    .transform((value) => value?.trim().slice(0, 100) || undefined),
  page: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined),
});
export type BoardQuery = z.output<typeof boardQuerySchema>;

export interface BoardEntry extends BoardRow {
  hardToPlace: HardToPlaceTag[];
  overdue: OverdueFlag[];
  daysSincePlacementOrder: number | null;
}

function filterFor(query: BoardQuery, councils: Councils, onDate: string): BoardFilter {
  let councilIds = query.council;
  if (query.spoke) {
    const inSpoke = councils
      .filter((council) => council.spoke?.id === query.spoke)
      .map((council) => council.id);
    councilIds = councilIds.length ? councilIds.filter((id) => inSpoke.includes(id)) : inSpoke;
    if (councilIds.length === 0) councilIds = ['00000000-0000-0000-0000-000000000000'];
  }
  const cutoffs = overdueCutoffs(onDate);
  // Born on or before this date means aged four or over today.
  const bornOnOrBefore = latestBirthForAgeFour(onDate);
  return {
    councilIds,
    familyFinderId:
      query.familyFinder && query.familyFinder !== 'unallocated' ? query.familyFinder : undefined,
    unallocated: query.familyFinder === 'unallocated',
    stages: query.stage,
    placementOrderOnOrBefore: query.waiting
      ? addCalendarDays(onDate, -waitingBands[query.waiting] - 1)
      : undefined,
    hardToPlaceTags: query.tag,
    agedFourOrOverBornOnOrBefore: bornOnOrBefore,
    overdue: query.overdue
      ? {
          kinds: query.overdue === 'any' ? overdueFlags : [query.overdue],
          ...cutoffs,
          fourthBirthdayCutoff: bornOnOrBefore,
        }
      : undefined,
    search: query.q,
  };
}

/** The latest date of birth of a child who is four or over on the given day. */
function latestBirthForAgeFour(onDate: string): string {
  let born = addCalendarDays(onDate, -4 * 365);
  while (fourthBirthday(addCalendarDays(born, 1)) <= onDate) born = addCalendarDays(born, 1);
  while (fourthBirthday(born) > onDate) born = addCalendarDays(born, -1);
  return born;
}

function entryFor(row: BoardRow, onDate: string): BoardEntry {
  const agedFour = fourthBirthday(row.date_of_birth) <= onDate;
  const lasting = new Set(row.hard_to_place_tags);
  if (agedFour) lasting.add('aged_four_or_over');
  const hardToPlace = hardToPlaceTags.filter((tag) => lasting.has(tag));
  const stage = row.current_stage as Stage;
  return {
    ...row,
    hardToPlace,
    overdue: overdueFor(
      {
        currentStage: stage,
        shouldBePlacedDate: row.should_be_placed_date,
        placementOrderDate: row.placement_order_date,
        familyFinderAllocatedDate: row.family_finder_allocated_date,
        hasFamilyFinder: !!row.family_finder_id,
        latestCprDate: row.latest_cpr_date,
        matchDecisionDate: row.match_decision_date,
        hardToPlace: hardToPlace.length > 0,
        hasFamilyFindingStrategy: row.has_strategy,
      },
      onDate,
    ),
    daysSincePlacementOrder:
      row.placement_order_date && ['family_finding', 'linked', 'awaiting_placement_order'].includes(stage)
        ? Math.round((Date.parse(onDate) - Date.parse(row.placement_order_date)) / 86_400_000)
        : null,
  };
}

export interface BoardResult {
  entries: BoardEntry[];
  total: number;
  page: number;
  pageCount: number;
  byStage: Array<{ stage: Stage; count: number }>;
  councils: Awaited<ReturnType<typeof councilsInScope>>;
  familyFinders: Array<{ id: string; name: string }>;
  today: string;
}

export async function trackingBoard(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  query: BoardQuery,
): Promise<BoardResult> {
  const onDate = today(auditContext);
  // The region is read once per request: it gives the council and family-finder choices and the spoke filter.
  const region = await regionFor(deps.db, actor);
  const [councils, familyFinders] = await Promise.all([
    councilsInScope(deps.db, actor, region),
    familyFinderChoices(deps.db, actor, region),
  ]);
  const filter = filterFor(query, councils, onDate);
  const page = query.page ?? 1;
  const [rows, byStage] = await Promise.all([
    boardPage(deps.db, actor.scope.organisationIds, filter, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
    // Counted without the stage filter, so the chart shows where the chosen children sit among the rest.
    boardStageCounts(deps.db, actor.scope.organisationIds, { ...filter, stages: [] }),
  ]);
  // The total is the chosen stages' share of the counts already made, rather than another pass.
  const total = Object.entries(byStage)
    .filter(([stage]) => !filter.stages?.length || filter.stages.includes(stage))
    .reduce((sum, [, count]) => sum + count, 0);
  await auditChild(deps.db, deps, auditContext, {
    action: 'children.board.view',
    outcome: 'success',
    childId: null,
    reason: describeQuery(query, total),
  });
  return {
    entries: rows.map((row) => entryFor(row, onDate)),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    byStage: stages.map((stage) => ({ stage, count: byStage[stage] ?? 0 })),
    councils,
    familyFinders,
    today: onDate,
  };
}

function describeQuery(query: BoardQuery, total: number): string {
  const parts = Object.entries(query)
    .filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))
    .map(([name, value]) => `${name}=${Array.isArray(value) ? value.join('|') : String(value)}`);
  return `${total} children${parts.length ? `; ${parts.join(' ')}` : ''}`;
}

/** The filtered board as CSV: one row per child, the columns the board shows, dates as YYYY-MM-DD. */
export async function trackingBoardCsv(
  deps: ChildrenDeps,
  actor: Actor,
  auditContext: AuditContext,
  query: BoardQuery,
): Promise<{ csv: string; count: number }> {
  const onDate = today(auditContext);
  const filter = filterFor(query, await councilsInScope(deps.db, actor), onDate);
  const rows = (await boardAll(deps.db, actor.scope.organisationIds, filter)).map((row) =>
    entryFor(row, onDate),
  );
  await auditChild(deps.db, deps, auditContext, {
    action: 'children.export',
    outcome: 'success',
    childId: null,
    reason: describeQuery({ ...query, page: undefined }, rows.length),
  });
  const csv = stringify(
    rows.map((row) => [
      row.council_name,
      row.council_child_id,
      row.first_name,
      row.last_name,
      row.date_of_birth,
      ethnicityCodes[row.ethnicity as EthnicityCode] ?? row.ethnicity,
      stageLabels[row.current_stage as Stage] ?? row.current_stage,
      row.stage_since ?? '',
      row.spoke_name ?? '',
      row.family_finder_name ?? '',
      row.should_be_placed_date ?? '',
      row.placement_order_date ?? '',
      row.daysSincePlacementOrder ?? '',
      row.latest_cpr_date ?? '',
      row.match_decision_date ?? '',
      row.hardToPlace.map((tag) => hardToPlaceLabels[tag]).join('; '),
      row.overdue.map((flag) => overdueLabels[flag]).join('; '),
    ]),
    {
      header: true,
      columns: [
        'Council',
        'Council child ID',
        'First name',
        'Last name',
        'Date of birth',
        'Ethnicity',
        'Stage',
        'In stage since',
        'Spoke',
        'Family finder',
        'Decision to place for adoption',
        'Placement order',
        'Days since placement order',
        'Latest permanence report',
        'Match decision',
        'Hard to place',
        'Overdue',
      ],
      // A cell that starts with = + - @ would run as a formula in a spreadsheet (CSV injection).
      cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
    },
  );
  return { csv, count: rows.length };
}

export { stageLabels, hardToPlaceLabels, overdueLabels, waitingBands as waitingOptions };
