// SQL for children's records. Every query that reaches a child takes the organisations the
// actor may reach and restricts to children whose responsible council is one of them, so a
// child outside scope is simply not found (design.md §2–3, security.md AC-2).
import {
  expressionBuilder,
  sql,
  type Expression,
  type Selectable,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import type {
  ChildBirthFamiliesTable,
  ChildJourneyFactsTable,
  ChildProfilesTable,
  ChildrenTable,
  ChildSiblingLinksTable,
  TasksTable,
} from './children.tables.js';
import './children.tables.js';

export type Executor = Db | Transaction<DB>;
export type ChildRow = Selectable<ChildrenTable>;
export type FactRow = Selectable<ChildJourneyFactsTable>;
export type SiblingLinkRow = Selectable<ChildSiblingLinksTable>;
export type BirthFamilyRow = Selectable<ChildBirthFamiliesTable>;
export type ProfileRow = Selectable<ChildProfilesTable>;
export type TaskRow = Selectable<TasksTable>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => uuidPattern.test(value);

export interface ChildWithNames extends ChildRow {
  council_name: string;
  council_code: string;
  family_finder_name: string | null;
}

function childWithNames(executor: Executor) {
  return executor
    .selectFrom('children')
    .innerJoin('organisations as council', 'council.id', 'children.responsible_council_id')
    .leftJoin('users as finder', 'finder.id', 'children.family_finder_id')
    .selectAll('children')
    .select([
      'council.name as council_name',
      'council.code as council_code',
      'finder.name as family_finder_name',
    ]);
}

/** A child in scope, or undefined. `lock` takes a row lock for a change. */
export async function childInScope(
  executor: Executor,
  scope: readonly string[],
  childId: string,
  options: { lock?: boolean } = {},
): Promise<ChildWithNames | undefined> {
  if (!isUuid(childId) || scope.length === 0) return undefined;
  if (options.lock) {
    // Lock the child's row alone (a join cannot be locked FOR UPDATE on the nullable side).
    const locked = await executor
      .selectFrom('children')
      .select('id')
      .where('id', '=', childId)
      .where('responsible_council_id', 'in', scope)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) return undefined;
  }
  return childWithNames(executor)
    .where('children.id', '=', childId)
    .where('children.responsible_council_id', 'in', scope)
    .executeTakeFirst();
}

export async function childrenInScope(
  executor: Executor,
  scope: readonly string[],
  childIds: readonly string[],
): Promise<ChildWithNames[]> {
  const ids = childIds.filter(isUuid);
  if (ids.length === 0 || scope.length === 0) return [];
  return childWithNames(executor)
    .where('children.id', 'in', ids)
    .where('children.responsible_council_id', 'in', scope)
    .execute();
}

export async function councilChildIdTaken(
  executor: Executor,
  councilId: string,
  councilChildId: string,
): Promise<boolean> {
  const row = await executor
    .selectFrom('children')
    .select('id')
    .where('responsible_council_id', '=', councilId)
    .where(sql`lower(council_child_id)`, '=', councilChildId.toLowerCase())
    .executeTakeFirst();
  return !!row;
}

export function factsFor(executor: Executor, childId: string): Promise<FactRow[]> {
  return executor
    .selectFrom('child_journey_facts')
    .selectAll()
    .where('child_id', '=', childId)
    .orderBy('effective_date')
    .orderBy('recorded_at')
    .execute();
}

export interface FactWithRecorder extends FactRow {
  recorded_by_name: string | null;
}

export function factsWithRecorders(executor: Executor, childId: string): Promise<FactWithRecorder[]> {
  return executor
    .selectFrom('child_journey_facts')
    .leftJoin('users', 'users.id', 'child_journey_facts.recorded_by')
    .selectAll('child_journey_facts')
    .select('users.name as recorded_by_name')
    .where('child_journey_facts.child_id', '=', childId)
    .orderBy('child_journey_facts.effective_date')
    .orderBy('child_journey_facts.recorded_at')
    .execute();
}

/** Every sibling link in the groups of these children (links touching any child reached). */
export async function siblingLinksAround(
  executor: Executor,
  childIds: readonly string[],
): Promise<SiblingLinkRow[]> {
  const found = new Map<string, SiblingLinkRow>();
  let frontier = [...new Set(childIds)];
  const seen = new Set(frontier);
  while (frontier.length) {
    const links = await executor
      .selectFrom('child_sibling_links')
      .selectAll()
      .where((eb) => eb.or([eb('child_a_id', 'in', frontier), eb('child_b_id', 'in', frontier)]))
      .execute();
    const next: string[] = [];
    for (const link of links) {
      found.set(link.id, link);
      for (const id of [link.child_a_id, link.child_b_id]) {
        if (!seen.has(id)) {
          seen.add(id);
          next.push(id);
        }
      }
    }
    frontier = next;
  }
  return [...found.values()];
}

export function birthFamilyOf(executor: Executor, childId: string): Promise<BirthFamilyRow | undefined> {
  return executor
    .selectFrom('child_birth_families')
    .selectAll()
    .where('child_id', '=', childId)
    .executeTakeFirst();
}

export function profileOf(executor: Executor, childId: string): Promise<ProfileRow | undefined> {
  return executor.selectFrom('child_profiles').selectAll().where('child_id', '=', childId).executeTakeFirst();
}

export function photosOf(executor: Executor, childId: string) {
  return executor
    .selectFrom('child_photos')
    .select(['id', 'media_type', 'size_bytes', 'description', 'uploaded_at'])
    .where('child_id', '=', childId)
    .orderBy('uploaded_at')
    .execute();
}

export function photoContent(executor: Executor, childId: string, photoId: string) {
  if (!isUuid(photoId)) return Promise.resolve(undefined);
  return executor
    .selectFrom('child_photos')
    .select(['id', 'media_type', 'content'])
    .where('child_id', '=', childId)
    .where('id', '=', photoId)
    .executeTakeFirst();
}

export interface TaskWithChild extends TaskRow {
  owner_organisation_name: string;
  owner_user_name: string | null;
  child_first_name: string | null;
  child_last_name: string | null;
  child_council_child_id: string | null;
}

function tasksWithChildren(executor: Executor) {
  return executor
    .selectFrom('tasks')
    .innerJoin('organisations as owner', 'owner.id', 'tasks.owner_organisation_id')
    .leftJoin('users as owner_user', 'owner_user.id', 'tasks.owner_user_id')
    .leftJoin('children', 'children.id', 'tasks.child_id')
    .selectAll('tasks')
    .select([
      'owner.name as owner_organisation_name',
      'owner_user.name as owner_user_name',
      'children.first_name as child_first_name',
      'children.last_name as child_last_name',
      'children.council_child_id as child_council_child_id',
    ]);
}

export function tasksForChild(executor: Executor, childId: string): Promise<TaskWithChild[]> {
  return tasksWithChildren(executor)
    .where('tasks.child_id', '=', childId)
    .orderBy('tasks.status')
    .orderBy('tasks.due_date')
    .execute();
}

/** Open tasks for a person, or unassigned open tasks for organisations, on children in scope. */
export function openTasks(
  executor: Executor,
  filter: { scope: readonly string[]; ownerUserId?: string; unassignedIn?: readonly string[] },
): Promise<TaskWithChild[]> {
  if (filter.scope.length === 0) return Promise.resolve([]);
  let query = tasksWithChildren(executor)
    .where('tasks.status', '=', 'open')
    .where('children.responsible_council_id', 'in', filter.scope);
  if (filter.ownerUserId) query = query.where('tasks.owner_user_id', '=', filter.ownerUserId);
  if (filter.unassignedIn) {
    if (filter.unassignedIn.length === 0) return Promise.resolve([]);
    query = query
      .where('tasks.owner_user_id', 'is', null)
      .where('tasks.owner_organisation_id', 'in', filter.unassignedIn);
  }
  return query.orderBy('tasks.due_date').orderBy('tasks.created_at').limit(500).execute();
}

export function taskInScope(executor: Executor, scope: readonly string[], taskId: string) {
  if (!isUuid(taskId) || scope.length === 0) return Promise.resolve(undefined);
  return tasksWithChildren(executor)
    .where('tasks.id', '=', taskId)
    .where('children.responsible_council_id', 'in', scope)
    .executeTakeFirst();
}

export interface BoardFilter {
  councilIds?: readonly string[];
  familyFinderId?: string;
  unallocated?: boolean;
  stages?: readonly string[];
  minDaysSincePlacementOrder?: number;
  hardToPlaceTags?: readonly string[];
  agedFourOrOverBornOnOrBefore?: string;
  overdue?: {
    kinds: readonly ('cpr_update_overdue' | 'no_family_finder' | 'no_match' | 'no_strategy')[];
    cprBefore: string;
    decisionBefore: string;
    orderBefore: string;
    fourthBirthdayCutoff: string;
  };
  search?: string;
  placementOrderOnOrBefore?: string;
}

export interface BoardRow {
  id: string;
  first_name: string;
  last_name: string;
  council_child_id: string;
  date_of_birth: string;
  ethnicity: string;
  council_name: string;
  council_code: string;
  spoke_name: string | null;
  family_finder_id: string | null;
  family_finder_name: string | null;
  current_stage: string;
  stage_since: string | null;
  should_be_placed_date: string | null;
  placement_order_date: string | null;
  family_finder_allocated_date: string | null;
  latest_cpr_date: string | null;
  match_decision_date: string | null;
  hard_to_place_tags: string[];
  has_strategy: boolean;
}

const familyFindingStages = ['awaiting_placement_order', 'family_finding', 'linked'];

/**
 * The board's filter as one condition on the children table alone, so the counts need no join
 * (the foreign key already guarantees each child's council exists).
 */
function boardWhere(scope: readonly string[], filter: BoardFilter): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'children'>();
  {
    const conditions: Expression<SqlBool>[] = [eb('children.responsible_council_id', 'in', scope)];
    if (filter.councilIds?.length)
      conditions.push(eb('children.responsible_council_id', 'in', filter.councilIds));
    if (filter.familyFinderId) conditions.push(eb('children.family_finder_id', '=', filter.familyFinderId));
    if (filter.unallocated) conditions.push(eb('children.family_finder_id', 'is', null));
    if (filter.stages?.length) conditions.push(eb('children.current_stage', 'in', filter.stages));
    if (filter.placementOrderOnOrBefore) {
      conditions.push(eb('children.placement_order_date', '<=', filter.placementOrderOnOrBefore));
      conditions.push(eb('children.current_stage', 'in', familyFindingStages));
    }
    if (filter.search) {
      const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(
        eb.or([
          eb(sql<string>`children.first_name || ' ' || children.last_name`, 'ilike', pattern),
          eb('children.council_child_id', 'ilike', pattern),
        ]),
      );
    }
    for (const tag of filter.hardToPlaceTags ?? []) {
      if (tag === 'aged_four_or_over' && filter.agedFourOrOverBornOnOrBefore) {
        conditions.push(eb('children.date_of_birth', '<=', filter.agedFourOrOverBornOnOrBefore));
      } else {
        conditions.push(eb(sql.val(tag), '=', eb.fn.any('children.hard_to_place_tags')));
      }
    }
    if (filter.overdue?.kinds.length) {
      const o = filter.overdue;
      const either: Expression<SqlBool>[] = [];
      if (o.kinds.includes('cpr_update_overdue')) {
        either.push(
          eb.and([
            eb('children.current_stage', 'in', familyFindingStages),
            eb(
              eb.fn.coalesce('children.latest_cpr_date', 'children.should_be_placed_date'),
              '<',
              o.cprBefore,
            ),
          ]),
        );
      }
      if (o.kinds.includes('no_family_finder')) {
        either.push(
          eb.and([
            eb('children.current_stage', 'in', [...familyFindingStages, 'matched']),
            eb('children.family_finder_id', 'is', null),
            eb('children.family_finder_allocated_date', 'is', null),
            eb('children.should_be_placed_date', '<', o.decisionBefore),
          ]),
        );
      }
      if (o.kinds.includes('no_match')) {
        either.push(
          eb.and([
            eb('children.current_stage', 'in', familyFindingStages),
            eb('children.match_decision_date', 'is', null),
            eb('children.placement_order_date', '<', o.orderBefore),
          ]),
        );
      }
      if (o.kinds.includes('no_strategy')) {
        either.push(
          eb.and([
            eb('children.current_stage', 'not in', ['adopted', 'plan_changed']),
            eb('children.family_finding_strategy', 'is', null),
            eb.or([
              eb(sql`cardinality(children.hard_to_place_tags)`, '>', 0),
              eb('children.date_of_birth', '<=', o.fourthBirthdayCutoff),
            ]),
          ]),
        );
      }
      conditions.push(eb.or(either));
    }
    return eb.and(conditions);
  }
}

/** One page of the board, in name order (the children_board_order index walks it). */
export function boardPage(
  executor: Executor,
  scope: readonly string[],
  filter: BoardFilter,
  page: { limit: number; offset: number },
): Promise<BoardRow[]> {
  if (scope.length === 0) return Promise.resolve([]);
  return boardRows(executor, boardWhere(scope, filter)).limit(page.limit).offset(page.offset).execute();
}

function boardRows(executor: Executor, where: Expression<SqlBool>) {
  return executor
    .selectFrom('children')
    .innerJoin('organisations as council', 'council.id', 'children.responsible_council_id')
    .leftJoin('organisations as spoke', (join) =>
      join.onRef('spoke.id', '=', 'council.parent_id').on('spoke.kind', '=', 'spoke'),
    )
    .leftJoin('users as finder', 'finder.id', 'children.family_finder_id')
    .where(where)
    .select([
      'children.id',
      'children.first_name',
      'children.last_name',
      'children.council_child_id',
      'children.date_of_birth',
      'children.ethnicity',
      'council.name as council_name',
      'council.code as council_code',
      'spoke.name as spoke_name',
      'children.family_finder_id',
      'finder.name as family_finder_name',
      'children.current_stage',
      'children.stage_since',
      'children.should_be_placed_date',
      'children.placement_order_date',
      'children.family_finder_allocated_date',
      'children.latest_cpr_date',
      'children.match_decision_date',
      'children.hard_to_place_tags',
    ])
    .select(sql<boolean>`children.family_finding_strategy is not null`.as('has_strategy'))
    .orderBy('children.last_name')
    .orderBy('children.first_name')
    .orderBy('children.id');
}

/** How many children the filter matches in each stage (the board's at-a-glance chart). */
export async function boardStageCounts(
  executor: Executor,
  scope: readonly string[],
  filter: BoardFilter,
): Promise<Record<string, number>> {
  if (scope.length === 0) return {};
  const rows = await executor
    .selectFrom('children')
    .where(boardWhere(scope, filter))
    .select(['children.current_stage as stage', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('children.current_stage')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.stage, Number(row.n)]));
}

/** Every row the filter matches, for the CSV export (bounded by the scope, at most a region). */
export function boardAll(
  executor: Executor,
  scope: readonly string[],
  filter: BoardFilter,
): Promise<BoardRow[]> {
  if (scope.length === 0) return Promise.resolve([]);
  return boardRows(executor, boardWhere(scope, filter)).limit(100_000).execute();
}

/** Family finders the board can filter by and a child can be allocated: RAA-side holders of the role. */
export function familyFindersIn(executor: Executor, organisationIds: readonly string[]) {
  if (organisationIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.name'])
    .where('user_roles.role', '=', 'family_finder')
    .where('users.status', '=', 'active')
    .where('users.organisation_id', 'in', organisationIds)
    .orderBy('users.name')
    .execute();
}
