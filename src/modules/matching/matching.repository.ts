// SQL for matching (issue 6). The pool is read as projections for the engine: the children and
// households modules own those records and their changes; matching only reads them here, and
// writes its own tables (links, activities, weights, exclusions, sufficiency snapshots).
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { needAreas, type EthnicityCode, type NeedArea } from '../children/child-codes.js';
import { ageInYears } from '../children/hard-to-place.js';
import type {
  ChildMatchingConsiderations,
  ContactKind,
  MatchingChild,
  MatchingHousehold,
} from './matching-profiles.js';
import { noConsiderations } from './matching-profiles.js';
import './matching.tables.js';
import '../children/children.tables.js';
import '../adopters/households.tables.js';

export type Executor = Db | Transaction<DB>;

/** Stages in which a child may be searched for and linked: not yet matched, placed or off the plan. */
export const searchableChildStages = [
  'early_identification',
  'awaiting_decision',
  'awaiting_placement_order',
  'family_finding',
  'linked',
] as const;
/** Children "waiting" for sufficiency: a decision that they should be placed, not yet matched. */
export const waitingChildStages = ['awaiting_placement_order', 'family_finding', 'linked'] as const;

/** A household joins the pool when approved, and leaves it when matched (issue 7 §5). */
export const availableHouseholdStage = 'approved';

export interface PoolHouseholdRow {
  id: string;
  reference: string;
  agency_id: string;
  agency_name: string;
  agency_kind: string;
  relationship_status: string;
  postcode_district: string;
  offer: Record<string, unknown>;
  stage_since: string | null;
  applicant_names: string[] | null;
  applicant_ethnicities: string[] | null;
  applicant_religions: (string | null)[] | null;
  applicant_languages: string[] | null;
  excluded_by: string[] | null;
}

const isNeedArea = (value: unknown): value is NeedArea =>
  typeof value === 'string' && (needAreas as readonly string[]).includes(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function toMatchingHousehold(row: PoolHouseholdRow): MatchingHousehold {
  const offer = row.offer;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    id: row.id,
    agencyId: row.agency_id,
    postcodeDistrict: row.postcode_district,
    ageFrom: num(offer.ageFrom),
    ageTo: num(offer.ageTo),
    maxChildren: num(offer.maxChildren),
    siblingGroups: offer.siblingGroups === true,
    needsCanMeet: strings(offer.needsCanMeetAreas).filter(isNeedArea),
    needsCannotMeet: strings(offer.needsCannotMeetAreas).filter(isNeedArea),
    earlyPermanence: offer.earlyPermanence === true,
    contactSupported: strings(offer.contactSupported) as ContactKind[],
    ethnicities: (row.applicant_ethnicities ?? []) as EthnicityCode[],
    religions: (row.applicant_religions ?? []).filter((r): r is string => !!r),
    languages: (row.applicant_languages ?? []).filter(Boolean),
    excludedByCouncilIds: (row.excluded_by ?? []).filter(Boolean),
  };
}

/** Approved households of the given agencies, with what the engine needs, in one query. */
export function poolHouseholds(
  executor: Executor,
  agencyIds: readonly string[],
  options: { householdId?: string } = {},
): Promise<PoolHouseholdRow[]> {
  if (agencyIds.length === 0) return Promise.resolve([]);
  let query = executor
    .selectFrom('households')
    .innerJoin('organisations as agency', 'agency.id', 'households.raa_id')
    .select([
      'households.id',
      'households.reference',
      'households.raa_id as agency_id',
      'agency.name as agency_name',
      'agency.kind as agency_kind',
      'households.relationship_status',
      'households.postcode_district',
      'households.offer',
      'households.stage_since',
      sql<
        string[] | null
      >`(select array_agg(a.first_name || ' ' || a.last_name order by a.position) from household_applicants a where a.household_id = households.id)`.as(
        'applicant_names',
      ),
      sql<
        string[] | null
      >`(select array_agg(a.ethnicity) from household_applicants a where a.household_id = households.id)`.as(
        'applicant_ethnicities',
      ),
      sql<
        (string | null)[] | null
      >`(select array_agg(a.religion) from household_applicants a where a.household_id = households.id)`.as(
        'applicant_religions',
      ),
      sql<
        string[] | null
      >`(select array_agg(distinct l) from household_applicants a, unnest(a.languages) l where a.household_id = households.id)`.as(
        'applicant_languages',
      ),
      sql<
        string[] | null
      >`(select array_agg(e.council_id) from matching_exclusions e where e.household_id = households.id)`.as(
        'excluded_by',
      ),
    ])
    .where('households.raa_id', 'in', agencyIds)
    .where('households.current_stage', '=', availableHouseholdStage);
  if (options.householdId) query = query.where('households.id', '=', options.householdId);
  return query.orderBy('households.id').execute() as Promise<PoolHouseholdRow[]>;
}

export interface PoolChildRow {
  id: string;
  first_name: string;
  last_name: string;
  known_as: string | null;
  date_of_birth: string;
  sex: string;
  ethnicity: string;
  religion: string | null;
  languages: string[];
  needs: Record<string, { description?: string; uncertain?: boolean } | undefined>;
  early_permanence: string;
  matching: Partial<ChildMatchingConsiderations>;
  sibling_group_size: number;
  responsible_council_id: string;
  council_name: string;
  current_stage: string;
  placement_order_date: string | null;
  hard_to_place_tags: string[];
  birth_family_postcode_district: string | null;
}

export function considerationsOf(stored: Partial<ChildMatchingConsiderations> | null | undefined) {
  return { ...noConsiderations, ...(stored ?? {}) } satisfies ChildMatchingConsiderations;
}

export function toMatchingChild(row: PoolChildRow, today: string): MatchingChild {
  return {
    id: row.id,
    ageYears: ageInYears(row.date_of_birth, today),
    siblingGroupSize: Math.max(1, row.sibling_group_size),
    needs: needAreas
      .filter((area) => (row.needs[area]?.description ?? '').trim() !== '')
      .map((area) => ({ area, uncertain: row.needs[area]?.uncertain === true })),
    ethnicity: row.ethnicity as EthnicityCode,
    religion: row.religion,
    languages: row.languages,
    earlyPermanence: row.early_permanence === 'suitable' || row.early_permanence === 'being_considered',
    considerations: considerationsOf(row.matching),
    birthFamilyPostcodeDistrict: row.birth_family_postcode_district,
    responsibleCouncilId: row.responsible_council_id,
  };
}

function poolChildQuery(executor: Executor) {
  return executor
    .selectFrom('children')
    .innerJoin('organisations as council', 'council.id', 'children.responsible_council_id')
    .leftJoin('child_birth_families as bf', 'bf.child_id', 'children.id')
    .select([
      'children.id',
      'children.first_name',
      'children.last_name',
      'children.known_as',
      'children.date_of_birth',
      'children.sex',
      'children.ethnicity',
      'children.religion',
      'children.languages',
      'children.needs',
      'children.early_permanence',
      'children.matching',
      'children.sibling_group_size',
      'children.responsible_council_id',
      'council.name as council_name',
      'children.current_stage',
      'children.placement_order_date',
      'children.hard_to_place_tags',
      'bf.birth_family_postcode_district',
    ]);
}

/** One child, as the engine sees it, when it is in the given councils. */
export function poolChild(
  executor: Executor,
  councilIds: readonly string[],
  childId: string,
): Promise<PoolChildRow | undefined> {
  if (councilIds.length === 0) return Promise.resolve(undefined);
  return poolChildQuery(executor)
    .where('children.id', '=', childId)
    .where('children.responsible_council_id', 'in', councilIds)
    .executeTakeFirst() as Promise<PoolChildRow | undefined>;
}

/** Children of the given councils in the given stages. */
export function poolChildren(
  executor: Executor,
  councilIds: readonly string[],
  stages: readonly string[],
): Promise<PoolChildRow[]> {
  if (councilIds.length === 0) return Promise.resolve([]);
  return poolChildQuery(executor)
    .where('children.responsible_council_id', 'in', councilIds)
    .where('children.current_stage', 'in', stages)
    .orderBy('children.id')
    .execute() as Promise<PoolChildRow[]>;
}

/** The RAA a member council belongs to, and the agencies whose pools are its partners'. */
export async function poolsOf(
  executor: Executor,
  raaId: string,
): Promise<{ memberCouncilIds: string[]; partnerAgencyIds: string[]; hubRaaIds: string[] }> {
  const rows = await executor
    .selectFrom('organisations')
    .select(['id', 'kind', 'raa_id'])
    .where('active', '=', true)
    .where((eb) => eb.or([eb('raa_id', '=', raaId), eb('id', '=', raaId)]))
    .execute();
  return {
    memberCouncilIds: rows.filter((r) => r.kind === 'local_authority').map((r) => r.id),
    partnerAgencyIds: rows
      .filter((r) => r.kind === 'partner_raa' || r.kind === 'voluntary_adoption_agency')
      .map((r) => r.id),
    hubRaaIds: rows.filter((r) => r.kind === 'partner_raa').map((r) => r.id),
  };
}

export async function raaOfCouncil(executor: Executor, councilId: string): Promise<string | null> {
  const row = await executor
    .selectFrom('organisations')
    .select('raa_id')
    .where('id', '=', councilId)
    .executeTakeFirst();
  return row?.raa_id ?? null;
}

export interface LinkRow {
  id: string;
  child_id: string;
  household_id: string;
  state: string;
  closed_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  household_reference: string;
  household_agency_id: string;
  household_stage: string;
  child_first_name: string;
  child_last_name: string;
  child_council_id: string;
  child_stage: string;
}

function linkQuery(executor: Executor) {
  return executor
    .selectFrom('match_links')
    .innerJoin('households', 'households.id', 'match_links.household_id')
    .innerJoin('children', 'children.id', 'match_links.child_id')
    .select([
      'match_links.id',
      'match_links.child_id',
      'match_links.household_id',
      'match_links.state',
      'match_links.closed_reason',
      'match_links.version',
      'match_links.created_at',
      'match_links.updated_at',
      'households.reference as household_reference',
      'households.raa_id as household_agency_id',
      'households.current_stage as household_stage',
      'children.first_name as child_first_name',
      'children.last_name as child_last_name',
      'children.responsible_council_id as child_council_id',
      'children.current_stage as child_stage',
    ]);
}

export function linksForChild(executor: Executor, childId: string): Promise<LinkRow[]> {
  return linkQuery(executor)
    .where('match_links.child_id', '=', childId)
    .orderBy('match_links.created_at')
    .execute() as Promise<LinkRow[]>;
}

export function linksForHousehold(executor: Executor, householdId: string): Promise<LinkRow[]> {
  return linkQuery(executor)
    .where('match_links.household_id', '=', householdId)
    .orderBy('match_links.created_at')
    .execute() as Promise<LinkRow[]>;
}

/** A link whose child is in the given councils (the scope rule for links: the child's). */
export function linkInScope(
  executor: Executor,
  councilIds: readonly string[],
  linkId: string,
): Promise<LinkRow | undefined> {
  if (councilIds.length === 0) return Promise.resolve(undefined);
  return linkQuery(executor)
    .where('match_links.id', '=', linkId)
    .where('children.responsible_council_id', 'in', councilIds)
    .executeTakeFirst() as Promise<LinkRow | undefined>;
}

export function linkEvents(executor: Executor, linkId: string) {
  return executor
    .selectFrom('match_link_events')
    .leftJoin('users', 'users.id', 'match_link_events.recorded_by')
    .select([
      'match_link_events.id',
      'match_link_events.from_state',
      'match_link_events.to_state',
      'match_link_events.expressed_by',
      'match_link_events.note',
      'match_link_events.recorded_at',
      'users.name as recorded_by_name',
    ])
    .where('match_link_events.link_id', '=', linkId)
    .orderBy('match_link_events.recorded_at')
    .execute();
}

export function activitiesFor(executor: Executor, childId: string) {
  return executor
    .selectFrom('family_finding_activities')
    .leftJoin('users', 'users.id', 'family_finding_activities.recorded_by')
    .select([
      'family_finding_activities.id',
      'family_finding_activities.kind',
      'family_finding_activities.activity_date',
      'family_finding_activities.note',
      'family_finding_activities.recorded_at',
      'users.name as recorded_by_name',
    ])
    .where('family_finding_activities.child_id', '=', childId)
    .orderBy('family_finding_activities.activity_date', 'desc')
    .orderBy('family_finding_activities.recorded_at', 'desc')
    .execute();
}
