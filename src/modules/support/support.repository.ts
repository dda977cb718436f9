// SQL for adoption support. Every query is restricted to one RAA (the actor's, passed in by the
// service) or to one council's liaison notes; nothing here decides who may see what.
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import type { CaseKind, ExchangeAction, FundStatus } from './support.tables.js';
import './support.tables.js';
import '../adopters/households.tables.js';
import '../adopters/enquiries.tables.js';
import '../children/children.tables.js';

export type Executor = Db | Transaction<DB>;
const noId = '00000000-0000-0000-0000-000000000000';
const nonEmpty = (ids: readonly string[]) => (ids.length ? [...ids] : [noId]);

// ── Cases ─────────────────────────────────────────────────────────────────────────────────────

export interface CaseloadFilter {
  raaId: string;
  kinds: readonly CaseKind[];
  status: 'open' | 'closed' | 'all';
  workerId: string | null;
  search: string | null;
}

function caseloadQuery(db: Executor, filter: CaseloadFilter) {
  let query = db
    .selectFrom('support_cases as c')
    .where('c.raa_id', '=', filter.raaId)
    .where('c.kind', 'in', nonEmpty(filter.kinds) as CaseKind[]);
  if (filter.status !== 'all') query = query.where('c.status', '=', filter.status);
  if (filter.workerId) query = query.where('c.allocated_worker_id', '=', filter.workerId);
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.reference', 'ilike', like),
        eb('c.family_name', 'ilike', like),
        // Not correlated, so it is worked out once and hashed rather than probed per case.
        eb(
          'c.id',
          'in',
          eb
            .selectFrom('support_people as p')
            .select('p.case_id')
            .where(sql<string>`p.first_name || ' ' || p.last_name`, 'ilike', like),
        ),
      ]),
    );
  }
  return query;
}

export async function countCaseload(db: Executor, filter: CaseloadFilter): Promise<number> {
  const row = await caseloadQuery(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * One page of the caseload, with each case's next letterbox month and latest assessment. The page's
 * cases are chosen first (an index scan in reference order), and only those fifty get the
 * per-case look-ups: a deep page does not pay for the rows it skips.
 */
export function caseloadPage(db: Executor, filter: CaseloadFilter, page: { limit: number; offset: number }) {
  const chosen = caseloadQuery(db, filter)
    .select(['c.id as page_id'])
    .orderBy('c.reference')
    .limit(page.limit)
    .offset(page.offset);
  return db
    .selectFrom(chosen.as('page'))
    .innerJoin('support_cases as c', 'c.id', 'page.page_id')
    .leftJoin('users as worker', 'worker.id', 'c.allocated_worker_id')
    .leftJoin('support_people as person', 'person.case_id', 'c.id')
    .select([
      'c.id',
      'c.reference',
      'c.kind',
      'c.status',
      'c.referral_on',
      'c.family_name',
      'worker.name as worker_name',
      'person.first_name as person_first_name',
      'person.last_name as person_last_name',
    ])
    .select((eb) => [
      eb
        .selectFrom('letterbox_parties as p')
        .innerJoin('letterbox_agreements as a', 'a.id', 'p.agreement_id')
        .select((inner) => inner.fn.min('p.next_due_on').as('d'))
        .whereRef('a.case_id', '=', 'c.id')
        .where('a.status', '=', 'active')
        .where('p.writes', '=', true)
        .as('letterbox_next_due'),
      eb
        .selectFrom('support_assessments as s')
        .select(sql<string>`s.due_on || '|' || coalesce(s.completed_on::text, '')`.as('x'))
        .whereRef('s.case_id', '=', 'c.id')
        .orderBy('s.requested_on', 'desc')
        .limit(1)
        .as('latest_assessment'),
    ])
    .orderBy('c.reference')
    .execute();
}
export type CaseloadRow = Awaited<ReturnType<typeof caseloadPage>>[number];

/** The allocated worker's letterbox months due soon or missed, earliest first. */
export function letterboxWorkFor(db: Executor, raaId: string, workerId: string, horizon: string, limit = 20) {
  return db
    .selectFrom('letterbox_parties as p')
    .innerJoin('letterbox_agreements as a', 'a.id', 'p.agreement_id')
    .innerJoin('support_cases as c', 'c.id', 'a.case_id')
    .select([
      'p.id as party_id',
      'p.side',
      'p.name as party_name',
      'p.next_due_on',
      'a.id as agreement_id',
      'a.reference as agreement_reference',
      'c.id as case_id',
      'c.reference as case_reference',
      'c.family_name',
    ])
    .where('c.raa_id', '=', raaId)
    .where('c.allocated_worker_id', '=', workerId)
    .where('a.status', '=', 'active')
    .where('p.writes', '=', true)
    .where('p.next_due_on', '<=', horizon)
    .orderBy('p.next_due_on')
    .limit(limit)
    .execute();
}

export function caseInRaa(db: Executor, raaId: string, caseId: string) {
  return db
    .selectFrom('support_cases as c')
    .leftJoin('users as worker', 'worker.id', 'c.allocated_worker_id')
    .leftJoin('organisations as placing', 'placing.id', 'c.placing_council_id')
    .leftJoin('organisations as residence', 'residence.id', 'c.residence_council_id')
    .leftJoin('households as h', 'h.id', 'c.household_id')
    .selectAll('c')
    .select([
      'worker.name as worker_name',
      'placing.name as placing_council_name',
      'residence.name as residence_council_name',
      'h.reference as household_reference',
    ])
    .where('c.raa_id', '=', raaId)
    .where('c.id', '=', caseId)
    .executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof caseInRaa>>>;

export const personOf = (db: Executor, caseId: string) =>
  db.selectFrom('support_people').selectAll().where('case_id', '=', caseId).executeTakeFirst();

export const childrenOfCase = (db: Executor, caseId: string) =>
  db
    .selectFrom('support_children')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('date_of_birth')
    .execute();

/** An assessment of a case in the RAA, with the case's kind (restricted kinds are the service's call). */
export const assessmentInRaa = (db: Executor, raaId: string, id: string) =>
  db
    .selectFrom('support_assessments as s')
    .innerJoin('support_cases as c', 'c.id', 's.case_id')
    .select(['s.id', 's.case_id', 's.requested_on', 's.completed_on', 's.version', 'c.kind', 'c.raa_id'])
    .where('s.id', '=', id)
    .where('c.raa_id', '=', raaId)
    .executeTakeFirst();

/** A support plan of a case in the RAA, with the case's kind. */
export const planInRaa = (db: Executor, raaId: string, id: string) =>
  db
    .selectFrom('support_plans as p')
    .innerJoin('support_cases as c', 'c.id', 'p.case_id')
    .select(['p.id', 'p.case_id', 'p.agreed_on', 'c.kind', 'c.raa_id'])
    .where('p.id', '=', id)
    .where('c.raa_id', '=', raaId)
    .executeTakeFirst();

export const assessmentsOf = (db: Executor, caseId: string) =>
  db
    .selectFrom('support_assessments as s')
    .leftJoin('users as u', 'u.id', 's.completed_by')
    .selectAll('s')
    .select('u.name as completed_by_name')
    .where('s.case_id', '=', caseId)
    .orderBy('s.requested_on', 'desc')
    .execute();

export async function plansOf(db: Executor, caseId: string) {
  const plans = await db
    .selectFrom('support_plans')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('agreed_on', 'desc')
    .execute();
  if (plans.length === 0) return [];
  const ids = plans.map((p) => p.id);
  const [goals, reviews] = await Promise.all([
    db.selectFrom('support_plan_goals').selectAll().where('plan_id', 'in', ids).orderBy('position').execute(),
    db
      .selectFrom('support_plan_reviews as r')
      .leftJoin('users as u', 'u.id', 'r.recorded_by')
      .selectAll('r')
      .select('u.name as recorded_by_name')
      .where('r.plan_id', 'in', ids)
      .orderBy('r.reviewed_on')
      .execute(),
  ]);
  return plans.map((plan) => ({
    ...plan,
    goals: goals.filter((g) => g.plan_id === plan.id),
    reviews: reviews.filter((r) => r.plan_id === plan.id),
  }));
}

function liaisonNotes(db: Executor) {
  return db
    .selectFrom('support_liaison_notes as n')
    .innerJoin('organisations as council', 'council.id', 'n.council_id')
    .leftJoin('users as u', 'u.id', 'n.recorded_by')
    .leftJoin('organisations as by_org', 'by_org.id', 'n.recorded_by_organisation_id')
    .selectAll('n')
    .select([
      'council.name as council_name',
      'u.name as recorded_by_name',
      'by_org.name as recorded_by_organisation',
    ])
    .orderBy('n.recorded_at', 'desc');
}

export const liaisonOf = (db: Executor, caseId: string) =>
  liaisonNotes(db).where('n.case_id', '=', caseId).execute();

/** The notes addressed to one council, newest first, with the case's reference. */
export const liaisonForCouncil = (db: Executor, councilId: string, limit = 200) =>
  liaisonNotes(db)
    .innerJoin('support_cases as c', 'c.id', 'n.case_id')
    .select(['c.reference as case_reference', 'c.raa_id'])
    .where('n.council_id', '=', councilId)
    .limit(limit)
    .execute();

/** A case a council may write to: one of its children's, or one that has written to it. */
export const caseForCouncil = (db: Executor, councilId: string, caseId: string) =>
  db
    .selectFrom('support_cases as c')
    .select(['c.id', 'c.reference', 'c.raa_id'])
    .where('c.id', '=', caseId)
    .where((eb) =>
      eb.or([
        eb('c.placing_council_id', '=', councilId),
        eb('c.residence_council_id', '=', councilId),
        eb.exists(
          eb
            .selectFrom('support_liaison_notes as n')
            .select('n.id')
            .whereRef('n.case_id', '=', 'c.id')
            .where('n.council_id', '=', councilId),
        ),
      ]),
    )
    .executeTakeFirst();

export const councilsOfRaa = (db: Executor, raaId: string) =>
  db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'local_authority')
    .where('raa_id', '=', raaId)
    .where('active', '=', true)
    .orderBy('name')
    .execute();

/** Adoption support agencies the RAA commissions (the region's partner list). */
export const providersOfRaa = (db: Executor, raaId: string) =>
  db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'adoption_support_agency')
    .where('raa_id', '=', raaId)
    .where('active', '=', true)
    .orderBy('name')
    .execute();

/** Staff of the RAA who do support work, for allocation. */
export const supportWorkers = (db: Executor, organisationIds: readonly string[]) =>
  db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.name'])
    .distinct()
    .where('users.organisation_id', 'in', nonEmpty(organisationIds))
    .where('users.status', '=', 'active')
    .where('user_roles.role', 'in', ['support_worker', 'team_manager'])
    .orderBy('users.name')
    .execute();

/**
 * A household of the RAA by its reference, for an adoptive family approved through Kindred.
 * Read here rather than through the adopters' service because that service audits a view of the
 * whole household record, and linking needs only the id.
 */
export const householdByReference = (db: Executor, raaId: string, reference: string) =>
  db
    .selectFrom('households')
    .select(['id', 'reference', 'council_id'])
    .where('raa_id', '=', raaId)
    .where('reference', '=', reference)
    .executeTakeFirst();

export async function householdNames(db: Executor, householdId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('household_applicants')
    .select(['first_name', 'last_name'])
    .where('household_id', '=', householdId)
    .orderBy('position')
    .execute();
  return rows.map((r) => `${r.first_name} ${r.last_name}`);
}

/** Every protected value of the adoptive family behind a case: the case, its household, its enquiry. */
export async function protectedSourcesOf(db: Executor, caseId: string) {
  const found = await db
    .selectFrom('support_cases as c')
    .leftJoin('households as h', 'h.id', 'c.household_id')
    .leftJoin('adopter_enquiries as e', 'e.id', 'h.enquiry_id')
    .select([
      'c.family_name',
      'c.family_surnames',
      'c.address_line_1',
      'c.address_line_2',
      'c.town',
      'c.postcode',
      'c.postcode_district',
      'c.email',
      'c.phone',
      'c.school',
      'c.household_id',
      'h.address_line_1 as h_address_line_1',
      'h.address_line_2 as h_address_line_2',
      'h.town as h_town',
      'h.postcode as h_postcode',
      'h.postcode_district as h_postcode_district',
      'e.email as e_email',
      'e.phone as e_phone',
      'e.name as e_name',
    ])
    .where('c.id', '=', caseId)
    .executeTakeFirst();
  if (!found) return undefined;
  const [applicants, children] = await Promise.all([
    found.household_id
      ? db
          .selectFrom('household_applicants')
          .select(['first_name', 'last_name'])
          .where('household_id', '=', found.household_id)
          .execute()
      : Promise.resolve([]),
    db
      .selectFrom('support_children')
      .select(['first_name', 'last_name', 'birth_first_name', 'birth_last_name'])
      .where('case_id', '=', caseId)
      .execute(),
  ]);
  return { ...found, applicants, children };
}

// ── Fund applications ─────────────────────────────────────────────────────────────────────────

/** Statuses whose money counts against the fair-access limit. */
export const committedStatuses: readonly FundStatus[] = ['submitted', 'approved', 'paid'];

export async function committedFor(
  db: Executor,
  supportChildId: string,
  financialYear: number,
  excludeApplicationId: string | null,
): Promise<{ therapyPence: number; assessmentPence: number }> {
  let query = db
    .selectFrom('support_fund_applications')
    .select(['category'])
    .select(sql<string>`sum(coalesce(approved_pence, fund_share_pence))`.as('pence'))
    .where('support_child_id', '=', supportChildId)
    .where('financial_year', '=', financialYear)
    .where('status', 'in', [...committedStatuses])
    .groupBy('category');
  if (excludeApplicationId) query = query.where('id', '<>', excludeApplicationId);
  const rows = await query.execute();
  const of = (category: string) => Number(rows.find((r) => r.category === category)?.pence ?? 0);
  return { therapyPence: of('therapy'), assessmentPence: of('specialist_assessment') };
}

function applications(db: Executor) {
  return db
    .selectFrom('support_fund_applications as f')
    .innerJoin('support_children as child', 'child.id', 'f.support_child_id')
    .innerJoin('support_cases as c', 'c.id', 'f.case_id')
    .leftJoin('organisations as provider', 'provider.id', 'f.provider_id')
    .leftJoin('organisations as council', 'council.id', 'f.council_id')
    .selectAll('f')
    .select([
      'child.first_name as child_first_name',
      'child.last_name as child_last_name',
      'c.reference as case_reference',
      'c.kind as case_kind',
      'provider.name as provider_org_name',
      'council.name as council_name',
    ]);
}

export const fundApplicationsOfCase = (db: Executor, caseId: string) =>
  applications(db).where('f.case_id', '=', caseId).orderBy('f.starts_on', 'desc').execute();

export const fundApplicationInRaa = (db: Executor, raaId: string, id: string) =>
  applications(db).where('f.raa_id', '=', raaId).where('f.id', '=', id).executeTakeFirst();
export type FundApplicationRow = NonNullable<Awaited<ReturnType<typeof fundApplicationInRaa>>>;

export const fundEventsOf = (db: Executor, applicationId: string) =>
  db
    .selectFrom('support_fund_events as e')
    .leftJoin('users as u', 'u.id', 'e.recorded_by')
    .selectAll('e')
    .select('u.name as recorded_by_name')
    .where('e.application_id', '=', applicationId)
    .orderBy('e.recorded_at')
    .execute();

/** Approved and paid money by council and financial year: the fund's share and the councils' match. */
export function spendByCouncil(db: Executor, raaId: string, financialYear: number | null) {
  let query = db
    .selectFrom('support_fund_applications as f')
    .leftJoin('organisations as council', 'council.id', 'f.council_id')
    .select(['f.financial_year', 'f.council_id', 'council.name as council_name'])
    .select((eb) => [
      eb.fn.countAll<string>().as('applications'),
      sql<string>`coalesce(sum(coalesce(f.approved_pence, f.fund_share_pence)), 0)`.as('approved_pence'),
      sql<string>`coalesce(sum(f.paid_pence), 0)`.as('paid_pence'),
      sql<string>`coalesce(sum(f.match_funding_pence), 0)`.as('match_pence'),
    ])
    .where('f.raa_id', '=', raaId)
    .where('f.status', 'in', ['approved', 'paid'])
    .groupBy(['f.financial_year', 'f.council_id', 'council.name'])
    .orderBy('f.financial_year', 'desc')
    .orderBy('council.name');
  if (financialYear !== null) query = query.where('f.financial_year', '=', financialYear);
  return query.execute();
}

export async function fundYears(db: Executor, raaId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('support_fund_applications')
    .select('financial_year')
    .distinct()
    .where('raa_id', '=', raaId)
    .orderBy('financial_year', 'desc')
    .execute();
  return rows.map((r) => r.financial_year);
}

// ── Letterbox ─────────────────────────────────────────────────────────────────────────────────

export const agreementsOfCase = (db: Executor, caseId: string) =>
  db
    .selectFrom('letterbox_agreements as a')
    .selectAll('a')
    .select((eb) => [
      eb
        .selectFrom('letterbox_parties as p')
        .select((inner) => inner.fn.min('p.next_due_on').as('d'))
        .whereRef('p.agreement_id', '=', 'a.id')
        .where('p.writes', '=', true)
        .as('next_due_on'),
    ])
    .where('a.case_id', '=', caseId)
    .orderBy('a.starts_on', 'desc')
    .execute();

export const agreementInRaa = (db: Executor, raaId: string, agreementId: string) =>
  db
    .selectFrom('letterbox_agreements as a')
    .innerJoin('support_cases as c', 'c.id', 'a.case_id')
    .leftJoin('support_children as child', 'child.id', 'a.support_child_id')
    .selectAll('a')
    .select([
      'c.reference as case_reference',
      'c.family_name',
      'c.allocated_worker_id',
      'child.first_name as child_first_name',
      'child.last_name as child_last_name',
      'child.birth_first_name as child_birth_first_name',
    ])
    .where('a.raa_id', '=', raaId)
    .where('a.id', '=', agreementId)
    .executeTakeFirst();
export type AgreementRow = NonNullable<Awaited<ReturnType<typeof agreementInRaa>>>;

export const partiesOf = (db: Executor, agreementId: string) =>
  db
    .selectFrom('letterbox_parties')
    .selectAll()
    .where('agreement_id', '=', agreementId)
    .orderBy('side')
    .orderBy('name')
    .execute();
export type PartyRow = Awaited<ReturnType<typeof partiesOf>>[number];

export const exchangesOf = (db: Executor, agreementId: string) =>
  db
    .selectFrom('letterbox_exchanges as x')
    .innerJoin('letterbox_parties as p', 'p.id', 'x.from_party_id')
    .select([
      'x.id',
      'x.for_period',
      'x.received_on',
      'x.status',
      'x.from_party_id',
      'p.name as from_name',
      'p.side as from_side',
    ])
    .where('x.agreement_id', '=', agreementId)
    .orderBy('x.for_period', 'desc')
    .orderBy('x.received_on', 'desc')
    .execute();

export async function receivedPeriodsOf(db: Executor, partyId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('letterbox_exchanges')
    .select('for_period')
    .distinct()
    .where('from_party_id', '=', partyId)
    .execute();
  return new Set(rows.map((r) => String(r.for_period)));
}

export const exchangeInRaa = (db: Executor, raaId: string, exchangeId: string) =>
  db
    .selectFrom('letterbox_exchanges as x')
    .innerJoin('letterbox_agreements as a', 'a.id', 'x.agreement_id')
    .innerJoin('letterbox_parties as p', 'p.id', 'x.from_party_id')
    .innerJoin('support_cases as c', 'c.id', 'a.case_id')
    .leftJoin('users as checker', 'checker.id', 'x.checked_by')
    .leftJoin('users as holder', 'holder.id', 'x.held_by')
    .selectAll('x')
    .select([
      'a.reference as agreement_reference',
      'a.status as agreement_status',
      'a.ended_on as agreement_ended_on',
      'a.case_id',
      'a.raa_id',
      'p.name as from_name',
      'p.side as from_side',
      'c.reference as case_reference',
      'checker.name as checked_by_name',
      'holder.name as held_by_name',
    ])
    .where('a.raa_id', '=', raaId)
    .where('x.id', '=', exchangeId)
    .executeTakeFirst();
export type ExchangeRow = NonNullable<Awaited<ReturnType<typeof exchangeInRaa>>>;

/** One line of an item's history: what was done to it, by whom and when. */
export const addExchangeEvent = (
  db: Executor,
  exchangeId: string,
  action: ExchangeAction,
  note: string | null,
  recordedBy: string,
  recordedAt: Date,
) =>
  db
    .insertInto('letterbox_exchange_events')
    .values({ exchange_id: exchangeId, action, note, recorded_by: recordedBy, recorded_at: recordedAt })
    .execute();

export const exchangeEventsOf = (db: Executor, exchangeId: string) =>
  db
    .selectFrom('letterbox_exchange_events as e')
    .leftJoin('users as u', 'u.id', 'e.recorded_by')
    .selectAll('e')
    .select('u.name as recorded_by_name')
    .where('e.exchange_id', '=', exchangeId)
    .orderBy('e.recorded_at')
    .execute();

export const outputsOf = (db: Executor, agreementId: string) =>
  db
    .selectFrom('letterbox_outputs as o')
    .innerJoin('letterbox_parties as p', 'p.id', 'o.party_id')
    .select([
      'o.id',
      'o.kind',
      'o.channel',
      'o.audience',
      'o.exchange_id',
      'o.subject',
      'o.created_at',
      'p.name as party_name',
    ])
    .where('o.agreement_id', '=', agreementId)
    .orderBy('o.created_at', 'desc')
    .execute();

export const outputInRaa = (db: Executor, raaId: string, outputId: string) =>
  db
    .selectFrom('letterbox_outputs as o')
    .innerJoin('letterbox_agreements as a', 'a.id', 'o.agreement_id')
    .selectAll('o')
    .select(['a.case_id', 'a.raa_id', 'a.reference as agreement_reference'])
    .where('a.raa_id', '=', raaId)
    .where('o.id', '=', outputId)
    .executeTakeFirst();

// ── Core offer ────────────────────────────────────────────────────────────────────────────────

export const offerItems = (db: Executor, raaId: string) =>
  db
    .selectFrom('support_offer_items as i')
    .selectAll('i')
    .select((eb) => [
      eb
        .selectFrom('support_offer_attendance as a')
        .select((inner) => inner.fn.countAll<string>().as('n'))
        .whereRef('a.item_id', '=', 'i.id')
        .where('a.attended', '=', true)
        .as('attended'),
      eb
        .selectFrom('support_offer_attendance as a')
        .select(sql<string>`round(avg(a.rating), 1)`.as('r'))
        .whereRef('a.item_id', '=', 'i.id')
        .as('average_rating'),
    ])
    .where('i.raa_id', '=', raaId)
    .orderBy('i.held_on', 'desc')
    .limit(200)
    .execute();

export const offerItemInRaa = (db: Executor, raaId: string, id: string) =>
  db
    .selectFrom('support_offer_items')
    .selectAll()
    .where('raa_id', '=', raaId)
    .where('id', '=', id)
    .executeTakeFirst();

export const attendanceOf = (db: Executor, itemId: string) =>
  db
    .selectFrom('support_offer_attendance as a')
    .leftJoin('support_cases as c', 'c.id', 'a.case_id')
    .selectAll('a')
    .select('c.reference as case_reference')
    .where('a.item_id', '=', itemId)
    .orderBy('a.recorded_at')
    .execute();

export const caseByReference = (db: Executor, raaId: string, reference: string) =>
  db
    .selectFrom('support_cases')
    .select(['id', 'kind'])
    .where('raa_id', '=', raaId)
    .where('reference', '=', reference)
    .executeTakeFirst();

// ── Records and intermediary ──────────────────────────────────────────────────────────────────

export const recordRequestsOf = (db: Executor, caseId: string) =>
  db
    .selectFrom('support_record_requests')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('received_on', 'desc')
    .execute();

export const recordRequestInRaa = (db: Executor, raaId: string, id: string) =>
  db
    .selectFrom('support_record_requests as r')
    .innerJoin('support_cases as c', 'c.id', 'r.case_id')
    .leftJoin('users as u', 'u.id', 'r.outcome_by')
    .selectAll('r')
    .select(['c.reference as case_reference', 'c.kind as case_kind', 'u.name as outcome_by_name'])
    .where('r.raa_id', '=', raaId)
    .where('r.id', '=', id)
    .executeTakeFirst();
export type RecordRequestRow = NonNullable<Awaited<ReturnType<typeof recordRequestInRaa>>>;

export const recordChecksOf = (db: Executor, requestId: string) =>
  db
    .selectFrom('support_record_checks as k')
    .leftJoin('users as u', 'u.id', 'k.recorded_by')
    .selectAll('k')
    .select('u.name as recorded_by_name')
    .where('k.request_id', '=', requestId)
    .orderBy('k.done_on')
    .orderBy('k.recorded_at')
    .execute();

/** The RAA's own name and contact details, for letters it sends. */
export const agencyOf = (db: Executor, raaId: string) =>
  db
    .selectFrom('organisations')
    .select(['name', 'contact_email', 'contact_phone'])
    .where('id', '=', raaId)
    .executeTakeFirstOrThrow();

/** Parties whose next item is due by the horizon, across every RAA, for the daily reminder job. */
export const partiesDueBy = (db: Executor, horizon: string) =>
  db
    .selectFrom('letterbox_parties as p')
    .innerJoin('letterbox_agreements as a', 'a.id', 'p.agreement_id')
    .innerJoin('support_cases as c', 'c.id', 'a.case_id')
    .leftJoin('support_children as child', 'child.id', 'a.support_child_id')
    .leftJoin('users as worker', 'worker.id', 'c.allocated_worker_id')
    .selectAll('p')
    .select([
      'a.reference as agreement_reference',
      'a.months',
      'a.starts_on',
      'a.ended_on',
      'a.case_id',
      'a.raa_id',
      'c.family_name',
      'c.allocated_worker_id',
      'worker.email as worker_email',
      'worker.name as worker_name',
      'worker.status as worker_status',
      'child.first_name as child_first_name',
      'child.birth_first_name as child_birth_first_name',
    ])
    .where('a.status', '=', 'active')
    .where('c.status', '=', 'open')
    .where('p.writes', '=', true)
    .where('p.next_due_on', '<=', horizon)
    .orderBy('a.raa_id')
    .orderBy('p.next_due_on')
    .execute();
