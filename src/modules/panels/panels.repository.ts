// SQL for panels and agency decisions (issue 7). Every query is restricted to an RAA (the panel's)
// or, for decision makers of a council, to that council's children. The households, children and
// matching modules own their records: this module reads them here to list the cases ready for a
// panel and to describe an item, and changes them only through their services.
import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import './panels.tables.js';
import '../adopters/households.tables.js';
import '../children/children.tables.js';
import '../matching/matching.tables.js';
import type { ItemKind } from './panels.tables.js';

export type Executor = Db | Transaction<DB>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => uuidPattern.test(value);
const nothing = '00000000-0000-0000-0000-000000000000';

// ── Panels and sittings ────────────────────────────────────────────────────────────────────────

export function panelsOfRaa(executor: Executor, raaId: string, today: string) {
  return executor
    .selectFrom('panels')
    .innerJoin('organisations as org', 'org.id', 'panels.organisation_id')
    .select([
      'panels.id',
      'panels.name',
      'panels.joint',
      'panels.active',
      'panels.raa_id',
      'panels.organisation_id',
      'org.name as organisation_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('panel_sittings')
        .select((s) => s.fn.min('sitting_date').as('next'))
        .whereRef('panel_sittings.panel_id', '=', 'panels.id')
        .where('panel_sittings.status', '=', 'scheduled')
        .where('panel_sittings.sitting_date', '>=', today)
        .as('next_sitting'),
    )
    .where('panels.raa_id', '=', raaId)
    .orderBy('panels.name')
    .execute();
}

export function panelOfRaa(executor: Executor, raaId: string, panelId: string) {
  if (!isUuid(panelId)) return Promise.resolve(undefined);
  return executor
    .selectFrom('panels')
    .innerJoin('organisations as org', 'org.id', 'panels.organisation_id')
    .selectAll('panels')
    .select('org.name as organisation_name')
    .where('panels.id', '=', panelId)
    .where('panels.raa_id', '=', raaId)
    .executeTakeFirst();
}

/** A panel's sittings in a year, with how many items each has and whether attendance is in. */
export function sittingsOfPanel(executor: Executor, panelId: string, from: string, to: string) {
  return executor
    .selectFrom('panel_sittings')
    .select([
      'panel_sittings.id',
      'panel_sittings.sitting_date',
      'panel_sittings.starts_at',
      'panel_sittings.venue',
      'panel_sittings.status',
      'panel_sittings.attendance_recorded_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('panel_agenda_items')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('panel_agenda_items.sitting_id', '=', 'panel_sittings.id')
        .where('panel_agenda_items.status', '=', 'listed')
        .as('items'),
    )
    .select((eb) =>
      eb
        .selectFrom('panel_agenda_items')
        .innerJoin('panel_minutes', 'panel_minutes.item_id', 'panel_agenda_items.id')
        .select((s) => s.fn.countAll<number>().as('n'))
        .whereRef('panel_agenda_items.sitting_id', '=', 'panel_sittings.id')
        .where('panel_agenda_items.status', '=', 'listed')
        .where('panel_minutes.signed_off_at', 'is not', null)
        .as('signed_off'),
    )
    .where('panel_sittings.panel_id', '=', panelId)
    .where('panel_sittings.sitting_date', '>=', from)
    .where('panel_sittings.sitting_date', '<=', to)
    .orderBy('panel_sittings.sitting_date')
    .execute();
}

export async function sittingYears(executor: Executor, panelId: string): Promise<number[]> {
  const rows = await executor
    .selectFrom('panel_sittings')
    .select(sql<number>`distinct extract(year from sitting_date)::int`.as('year'))
    .where('panel_id', '=', panelId)
    .execute();
  return rows.map((r) => Number(r.year)).sort((a, b) => b - a);
}

export function sittingById(executor: Executor, sittingId: string) {
  if (!isUuid(sittingId)) return Promise.resolve(undefined);
  return executor
    .selectFrom('panel_sittings')
    .innerJoin('panels', 'panels.id', 'panel_sittings.panel_id')
    .innerJoin('organisations as org', 'org.id', 'panels.organisation_id')
    .selectAll('panel_sittings')
    .select([
      'panels.name as panel_name',
      'panels.raa_id',
      'panels.joint',
      'panels.organisation_id as panel_organisation_id',
      'org.name as panel_organisation_name',
    ])
    .where('panel_sittings.id', '=', sittingId)
    .executeTakeFirst();
}
export type SittingRow = NonNullable<Awaited<ReturnType<typeof sittingById>>>;

export function sittingMembers(executor: Executor, sittingId: string) {
  return executor
    .selectFrom('panel_sitting_members as sm')
    .innerJoin('panel_members as m', 'm.id', 'sm.member_id')
    .select([
      'sm.member_id',
      'sm.attendance',
      'sm.papers_sent_on',
      'sm.papers_received_on',
      'm.name',
      'm.role',
      'm.social_work_qualified_on',
      'm.user_id',
      'm.email',
    ])
    .where('sm.sitting_id', '=', sittingId)
    .orderBy('m.role')
    .orderBy('m.name')
    .execute();
}
export type SittingMemberRow = Awaited<ReturnType<typeof sittingMembers>>[number];

/** Whether the user is linked to a member asked to this sitting. */
export async function userSitsOn(executor: Executor, userId: string, sittingId: string): Promise<boolean> {
  if (!isUuid(sittingId)) return false;
  const row = await executor
    .selectFrom('panel_sitting_members as sm')
    .innerJoin('panel_members as m', 'm.id', 'sm.member_id')
    .select('sm.member_id')
    .where('sm.sitting_id', '=', sittingId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
  return !!row;
}

/** Sittings a panel member's account is asked to, newest first. */
export function sittingsForUser(executor: Executor, userId: string) {
  return executor
    .selectFrom('panel_sitting_members as sm')
    .innerJoin('panel_members as m', 'm.id', 'sm.member_id')
    .innerJoin('panel_sittings as s', 's.id', 'sm.sitting_id')
    .innerJoin('panels', 'panels.id', 's.panel_id')
    .select([
      's.id',
      's.sitting_date',
      's.starts_at',
      's.venue',
      's.status',
      'panels.name as panel_name',
      'sm.attendance',
      'sm.papers_sent_on',
    ])
    .where('m.user_id', '=', userId)
    .orderBy('s.sitting_date', 'desc')
    .limit(100)
    .execute();
}

// ── Agenda items ───────────────────────────────────────────────────────────────────────────────

function itemsQuery(executor: Executor) {
  return executor
    .selectFrom('panel_agenda_items as item')
    .innerJoin('panel_sittings as sitting', 'sitting.id', 'item.sitting_id')
    .innerJoin('panels', 'panels.id', 'sitting.panel_id')
    .leftJoin('households', 'households.id', 'item.household_id')
    .leftJoin('children', 'children.id', 'item.child_id')
    .leftJoin('organisations as council', 'council.id', 'children.responsible_council_id')
    .leftJoin('panel_minutes as minute', 'minute.item_id', 'item.id')
    .leftJoin('panel_decisions as decision', 'decision.item_id', 'item.id')
    .leftJoin('panel_determinations as determination', 'determination.decision_id', 'decision.id')
    .select([
      'item.id',
      'item.sitting_id',
      'item.position',
      'item.kind',
      'item.status',
      'item.household_id',
      'item.child_id',
      'item.match_link_id',
      'item.added_at',
      'sitting.sitting_date',
      'sitting.status as sitting_status',
      'sitting.attendance_recorded_at',
      'sitting.chaired_by_member_id',
      'sitting.panel_id',
      'panels.name as panel_name',
      'panels.raa_id',
      'panels.joint',
      'households.reference as household_reference',
      'households.current_stage as household_stage',
      'households.address_line_1',
      'households.address_line_2',
      'households.town',
      'households.postcode',
      'children.first_name as child_first_name',
      'children.last_name as child_last_name',
      'children.known_as as child_known_as',
      'children.council_child_id',
      'children.current_stage as child_stage',
      'children.responsible_council_id as child_council_id',
      'council.name as child_council_name',
      'minute.recommendation',
      'minute.reasons',
      'minute.dissent',
      'minute.conditions',
      'minute.votes_for',
      'minute.votes_against',
      'minute.abstentions',
      'minute.version as minute_version',
      'minute.recorded_at as minute_recorded_at',
      'minute.signed_off_at',
      'minute.signed_off_on',
      'minute.signed_off_by',
      'minute.signed_off_for_member_id',
      'minute.amendment_count',
      'decision.id as decision_id',
      'decision.outcome',
      'decision.reasons as decision_reasons',
      'decision.decided_on',
      'decision.due_on',
      'decision.decided_by',
      'decision.agrees_with_recommendation',
      'determination.representations_due',
      'determination.route',
      'determination.route_requested_on',
      'determination.final_outcome',
      'determination.final_reasons',
      'determination.final_decided_on',
    ]);
}

export function itemById(executor: Executor, itemId: string) {
  if (!isUuid(itemId)) return Promise.resolve(undefined);
  return itemsQuery(executor).where('item.id', '=', itemId).executeTakeFirst();
}
export type ItemRow = NonNullable<Awaited<ReturnType<typeof itemById>>>;

export function itemsOfSitting(executor: Executor, sittingId: string) {
  return itemsQuery(executor)
    .where('item.sitting_id', '=', sittingId)
    .where('item.status', '=', 'listed')
    .orderBy('item.position')
    .execute();
}

/** Applicants' names by household, in position order. */
export async function applicantNames(
  executor: Executor,
  householdIds: readonly string[],
): Promise<Map<string, string[]>> {
  const ids = [...new Set(householdIds)];
  if (ids.length === 0) return new Map();
  const rows = await executor
    .selectFrom('household_applicants')
    .select(['household_id', 'first_name', 'last_name'])
    .where('household_id', 'in', ids)
    .orderBy('household_id')
    .orderBy('position')
    .execute();
  const names = new Map<string, string[]>();
  for (const row of rows)
    names.set(row.household_id, [
      ...(names.get(row.household_id) ?? []),
      `${row.first_name} ${row.last_name}`,
    ]);
  return names;
}

export function papersOf(executor: Executor, itemId: string) {
  return executor
    .selectFrom('panel_papers')
    .leftJoin('users', 'users.id', 'panel_papers.uploaded_by')
    .select([
      'panel_papers.id',
      'panel_papers.title',
      'panel_papers.media_type',
      'panel_papers.size_bytes',
      'panel_papers.uploaded_at',
      'users.name as uploaded_by_name',
    ])
    .where('panel_papers.item_id', '=', itemId)
    .orderBy('panel_papers.uploaded_at')
    .execute();
}

export function paperContent(executor: Executor, itemId: string, paperId: string) {
  if (!isUuid(paperId)) return Promise.resolve(undefined);
  return executor
    .selectFrom('panel_papers')
    .select(['id', 'title', 'media_type', 'content'])
    .where('item_id', '=', itemId)
    .where('id', '=', paperId)
    .executeTakeFirst();
}

export function conflictsOf(executor: Executor, itemIds: readonly string[]) {
  if (itemIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('panel_conflicts')
    .innerJoin('panel_members', 'panel_members.id', 'panel_conflicts.member_id')
    .select([
      'panel_conflicts.id',
      'panel_conflicts.item_id',
      'panel_conflicts.member_id',
      'panel_conflicts.description',
      'panel_conflicts.withdrew',
      'panel_conflicts.recorded_at',
      'panel_members.name',
    ])
    .where('panel_conflicts.item_id', 'in', [...itemIds])
    .orderBy('panel_conflicts.recorded_at')
    .execute();
}

export function amendmentsOf(executor: Executor, itemId: string) {
  return executor
    .selectFrom('panel_minute_amendments')
    .leftJoin('users', 'users.id', 'panel_minute_amendments.amended_by')
    .select([
      'panel_minute_amendments.id',
      'panel_minute_amendments.changes',
      'panel_minute_amendments.reason',
      'panel_minute_amendments.amended_at',
      'users.name as amended_by_name',
    ])
    .where('panel_minute_amendments.item_id', '=', itemId)
    .orderBy('panel_minute_amendments.amended_at')
    .execute();
}

export function qualityIssuesOf(executor: Executor, itemId: string) {
  return executor
    .selectFrom('panel_quality_issues')
    .select(['id', 'category', 'note', 'recorded_at'])
    .where('item_id', '=', itemId)
    .orderBy('recorded_at')
    .execute();
}

export function lettersOf(executor: Executor, itemId: string) {
  return executor
    .selectFrom('panel_letters')
    .select(['id', 'template', 'file_name', 'size_bytes', 'created_at'])
    .where('item_id', '=', itemId)
    .orderBy('created_at')
    .execute();
}

export function letterById(executor: Executor, letterId: string) {
  if (!isUuid(letterId)) return Promise.resolve(undefined);
  return executor
    .selectFrom('panel_letters')
    .select(['id', 'item_id', 'file_name', 'content', 'template'])
    .where('id', '=', letterId)
    .executeTakeFirst();
}

export function escalationsOf(executor: Executor, itemId: string) {
  return executor
    .selectFrom('panel_decision_escalations')
    .select(['escalated_on', 'recipients'])
    .where('item_id', '=', itemId)
    .orderBy('escalated_on')
    .execute();
}

export function userName(executor: Executor, userId: string | null) {
  if (!userId) return Promise.resolve(undefined);
  return executor.selectFrom('users').select(['id', 'name']).where('id', '=', userId).executeTakeFirst();
}

// ── Cases ready for a panel ────────────────────────────────────────────────────────────────────

/** Households of the RAA in Stage Two with a Prospective Adopter's Report in force, not yet heard. */
export function householdsReadyForApproval(executor: Executor, raaId: string) {
  return executor
    .selectFrom('households')
    .select(['households.id', 'households.reference', 'households.stage_since'])
    .select((eb) =>
      eb
        .selectFrom('household_facts as f')
        .select((s) => s.fn.max('f.effective_date').as('d'))
        .whereRef('f.household_id', '=', 'households.id')
        .where('f.kind', '=', 'prospective_adopters_report')
        .where((w) =>
          w.not(
            w.exists(
              w.selectFrom('household_facts as s').select('s.id').whereRef('s.supersedes_id', '=', 'f.id'),
            ),
          ),
        )
        .as('report_sent_on'),
    )
    .where('households.raa_id', '=', raaId)
    .where('households.current_stage', '=', 'stage_two')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('household_facts as f')
          .select('f.id')
          .whereRef('f.household_id', '=', 'households.id')
          .where('f.kind', '=', 'prospective_adopters_report'),
      ),
    )
    .orderBy('households.stage_since')
    .limit(200)
    .execute();
}

/** Approved households of the RAA (reviews of approval and proposals to end it). */
export function approvedHouseholds(executor: Executor, raaId: string) {
  return executor
    .selectFrom('households')
    .select(['households.id', 'households.reference', 'households.stage_since'])
    .where('households.raa_id', '=', raaId)
    .where('households.current_stage', '=', 'approved')
    .orderBy('households.stage_since')
    .limit(200)
    .execute();
}

/** Links ready for the matching panel, between a member council's child and the RAA's household. */
export function linksReadyForPanel(executor: Executor, raaId: string, councilIds: readonly string[]) {
  return executor
    .selectFrom('match_links')
    .innerJoin('children', 'children.id', 'match_links.child_id')
    .innerJoin('households', 'households.id', 'match_links.household_id')
    .innerJoin('organisations as council', 'council.id', 'children.responsible_council_id')
    .select([
      'match_links.id',
      'match_links.child_id',
      'match_links.household_id',
      'match_links.updated_at',
      'children.first_name',
      'children.last_name',
      'children.known_as',
      'council.name as council_name',
      'households.reference',
      'households.raa_id as household_agency_id',
    ])
    .where('match_links.state', '=', 'ready_for_panel')
    .where('children.responsible_council_id', 'in', councilIds.length ? [...councilIds] : [nothing])
    .where('households.raa_id', '=', raaId)
    .orderBy('match_links.updated_at')
    .limit(200)
    .execute();
}

/**
 * Children of member councils accommodated with their parents' consent (section 20, legal status
 * V2) with no decision yet that they should be placed: the relinquished children whose plan goes
 * to the panel first (AAR 2005 reg 18 as amended in 2012; domain-detail.md §1). Kindred has no
 * "relinquished" flag of its own: the legal status is the nearest recorded sign.
 */
export function relinquishedChildren(executor: Executor, councilIds: readonly string[]) {
  return executor
    .selectFrom('children')
    .innerJoin('organisations as council', 'council.id', 'children.responsible_council_id')
    .select([
      'children.id',
      'children.first_name',
      'children.last_name',
      'children.known_as',
      'children.date_of_birth',
      'council.name as council_name',
    ])
    .where('children.responsible_council_id', 'in', councilIds.length ? [...councilIds] : [nothing])
    .where('children.legal_status', '=', 'V2')
    .where('children.current_stage', 'in', ['early_identification', 'awaiting_decision'])
    .orderBy('children.date_of_birth', 'desc')
    .limit(200)
    .execute();
}

/** Listed items still waiting for the panel or the decision maker for this case (any sitting). */
export function openItemsForCase(
  executor: Executor,
  kind: ItemKind,
  caseColumn: 'household_id' | 'child_id' | 'match_link_id',
  caseId: string,
) {
  return executor
    .selectFrom('panel_agenda_items as item')
    .innerJoin('panel_sittings as sitting', 'sitting.id', 'item.sitting_id')
    .leftJoin('panel_minutes as minute', 'minute.item_id', 'item.id')
    .leftJoin('panel_decisions as decision', 'decision.item_id', 'item.id')
    .select([
      'item.id',
      'sitting.sitting_date',
      'minute.recommendation',
      'minute.signed_off_at',
      'decision.id as decision_id',
    ])
    .where('item.kind', '=', kind)
    .where(`item.${caseColumn}`, '=', caseId)
    .where('item.status', '=', 'listed')
    .where('sitting.status', '=', 'scheduled')
    .execute();
}

// ── Decisions waiting ──────────────────────────────────────────────────────────────────────────

/** A case that has left its journey (the applicants withdrew, the child's plan changed) needs no decision. */
const caseStillOpen = (
  eb: ExpressionBuilder<
    DB & { households: DB['households']; children: DB['children'] },
    'households' | 'children'
  >,
) =>
  eb.and([
    eb.or([eb('households.current_stage', 'is', null), eb('households.current_stage', '<>', 'withdrawn')]),
    eb.or([eb('children.current_stage', 'is', null), eb('children.current_stage', '<>', 'plan_changed')]),
  ]);

/** Listed items with final (signed-off) minutes, not deferred, no decision yet, whose case is still open. */
function itemsAwaitingDecisionQuery(executor: Executor) {
  return itemsQuery(executor)
    .where('item.status', '=', 'listed')
    .where('minute.signed_off_at', 'is not', null)
    .where('minute.recommendation', '<>', 'deferred')
    .where('decision.id', 'is', null)
    .where(caseStillOpen);
}

/** Signed-off items, not deferred, with no decision: for the RAA's decision makers, or a council's. */
export function itemsAwaitingDecision(
  executor: Executor,
  filter: { raaId: string; kinds: readonly ItemKind[]; childCouncilId?: string },
) {
  let query = itemsAwaitingDecisionQuery(executor)
    .where('panels.raa_id', '=', filter.raaId)
    .where('item.kind', 'in', [...filter.kinds]);
  if (filter.childCouncilId)
    query = query.where('children.responsible_council_id', '=', filter.childCouncilId);
  return query.orderBy('minute.signed_off_on').limit(200).execute();
}

/** Qualifying determinations still waiting for the final decision. */
export function determinationsAwaitingFinal(executor: Executor, raaId: string) {
  return itemsQuery(executor)
    .where('panels.raa_id', '=', raaId)
    .where('decision.outcome', '=', 'qualifying_determination')
    .where('determination.final_outcome', 'is', null)
    .orderBy('determination.representations_due')
    .limit(200)
    .execute();
}

export function recentDecisions(
  executor: Executor,
  filter: { raaId: string; kinds: readonly ItemKind[]; childCouncilId?: string },
) {
  let query = itemsQuery(executor)
    .where('panels.raa_id', '=', filter.raaId)
    .where('item.kind', 'in', [...filter.kinds])
    .where('decision.id', 'is not', null);
  if (filter.childCouncilId)
    query = query.where('children.responsible_council_id', '=', filter.childCouncilId);
  return query.orderBy('decision.decided_on', 'desc').limit(30).execute();
}

/** Every signed-off, undecided, not-deferred item of every RAA: for the daily escalation job. */
export function everyItemAwaitingDecision(executor: Executor) {
  return itemsAwaitingDecisionQuery(executor)
    .select((eb) =>
      eb
        .selectFrom('panel_decision_escalations as e')
        .select((s) => s.fn.max('e.escalated_on').as('d'))
        .whereRef('e.item_id', '=', 'item.id')
        .as('last_escalated_on'),
    )
    .execute();
}

// ── The central list ───────────────────────────────────────────────────────────────────────────

/** Members of the central list, with the email of the Kindred account linked to each (if any). */
function membersQuery(executor: Executor) {
  return executor
    .selectFrom('panel_members')
    .leftJoin('users', 'users.id', 'panel_members.user_id')
    .selectAll('panel_members')
    .select('users.email as user_email');
}

export function membersOfRaa(executor: Executor, raaId: string) {
  return membersQuery(executor)
    .select((eb) =>
      eb
        .selectFrom('panel_member_training as t')
        .select((s) => s.fn.max('t.completed_on').as('d'))
        .whereRef('t.member_id', '=', 'panel_members.id')
        .as('last_training_on'),
    )
    .where('panel_members.raa_id', '=', raaId)
    .orderBy('panel_members.name')
    .execute();
}

export function memberOfRaa(executor: Executor, raaId: string, memberId: string) {
  if (!isUuid(memberId)) return Promise.resolve(undefined);
  return membersQuery(executor)
    .where('panel_members.id', '=', memberId)
    .where('panel_members.raa_id', '=', raaId)
    .executeTakeFirst();
}

export function trainingOf(executor: Executor, memberId: string) {
  return executor
    .selectFrom('panel_member_training')
    .select(['id', 'course', 'completed_on'])
    .where('member_id', '=', memberId)
    .orderBy('completed_on', 'desc')
    .execute();
}

export function interestsOf(executor: Executor, memberId: string) {
  return executor
    .selectFrom('panel_member_interests')
    .select(['id', 'description', 'declared_on'])
    .where('member_id', '=', memberId)
    .orderBy('declared_on', 'desc')
    .execute();
}

/** Members' places at sittings (sm), with the sitting (s) and its panel. */
function seatsQuery(executor: Executor) {
  return executor
    .selectFrom('panel_sitting_members as sm')
    .innerJoin('panel_sittings as s', 's.id', 'sm.sitting_id')
    .innerJoin('panels', 'panels.id', 's.panel_id');
}

export function memberSittings(executor: Executor, memberId: string) {
  return seatsQuery(executor)
    .select(['s.id', 's.sitting_date', 'panels.name as panel_name', 'sm.attendance'])
    .where('sm.member_id', '=', memberId)
    .orderBy('s.sitting_date', 'desc')
    .limit(50)
    .execute();
}

/** A user who may be linked to a member: an active account with the panel_member role, by email. */
export function panelMemberUserByEmail(executor: Executor, email: string) {
  return executor
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.name'])
    .where(sql`lower(users.email)`, '=', email.toLowerCase())
    .where('users.status', '=', 'active')
    .where('user_roles.role', '=', 'panel_member')
    .executeTakeFirst();
}

// ── Quality report ─────────────────────────────────────────────────────────────────────────────

/** Every listed item heard at a sitting in the period, with what the report needs. */
export function itemsHeardBetween(executor: Executor, raaId: string, from: string, to: string) {
  return itemsQuery(executor)
    .where('panels.raa_id', '=', raaId)
    .where('item.status', '=', 'listed')
    .where('sitting.status', '=', 'scheduled')
    .where('sitting.sitting_date', '>=', from)
    .where('sitting.sitting_date', '<=', to)
    .select((eb) =>
      eb
        .selectFrom('panel_papers as p')
        .select((s) => s.fn.max('p.uploaded_at').as('t'))
        .whereRef('p.item_id', '=', 'item.id')
        .as('last_paper_at'),
    )
    .orderBy('sitting.sitting_date')
    .execute();
}

export function circulationBetween(executor: Executor, raaId: string, from: string, to: string) {
  return seatsQuery(executor)
    .innerJoin('panel_members as m', 'm.id', 'sm.member_id')
    .select([
      's.id as sitting_id',
      's.sitting_date',
      'panels.name as panel_name',
      'sm.papers_sent_on',
      'm.role',
    ])
    .where('panels.raa_id', '=', raaId)
    .where('s.status', '=', 'scheduled')
    .where('s.sitting_date', '>=', from)
    .where('s.sitting_date', '<=', to)
    .where('sm.attendance', '<>', 'apologies')
    .execute();
}

export function qualityIssuesBetween(executor: Executor, raaId: string, from: string, to: string) {
  return executor
    .selectFrom('panel_quality_issues as q')
    .innerJoin('panel_agenda_items as item', 'item.id', 'q.item_id')
    .innerJoin('panel_sittings as s', 's.id', 'item.sitting_id')
    .innerJoin('panels', 'panels.id', 's.panel_id')
    .select(['q.category', 'item.kind', 'panels.name as panel_name'])
    .where('panels.raa_id', '=', raaId)
    .where('s.sitting_date', '>=', from)
    .where('s.sitting_date', '<=', to)
    .execute();
}

export function sittingsHeldBetween(executor: Executor, raaId: string, from: string, to: string) {
  return executor
    .selectFrom('panel_sittings as s')
    .innerJoin('panels', 'panels.id', 's.panel_id')
    .select(['s.id', 's.sitting_date', 'panels.id as panel_id', 'panels.name as panel_name'])
    .where('panels.raa_id', '=', raaId)
    .where('s.status', '=', 'scheduled')
    .where('s.sitting_date', '>=', from)
    .where('s.sitting_date', '<=', to)
    .execute();
}
