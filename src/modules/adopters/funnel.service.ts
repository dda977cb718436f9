// The conversion funnel's data (issue 5 §5): one row per enquiry or household of the actor's RAA,
// with the date each step was first reached according to the facts in force (a fact that a
// correction supersedes is not counted), the spoke serving the council of residence, how they
// heard of the RAA, and when and why they left. Counting is funnel.ts's. Like the triage queue,
// only RAA-side staff see it; councils see nothing of the RAA's adopters (issue 5 §7). A view and
// an export are each audited once, with the filter, since they show numbers and no one's record.
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { todayInLondon } from '../../platform/time/index.js';
import { heardFromOptions } from './enquiry.forms.js';
import {
  conversionFunnel,
  financialQuarters,
  financialYearLabel,
  financialYearOf,
  funnelStepLabels,
  funnelSteps,
  type FunnelReport,
  type FunnelStep,
  type FunnelRow,
} from './funnel.js';
import { withdrawalReasons, type WithdrawalReason } from './pipeline.js';

export interface FunnelDeps {
  db: Db;
  auditKey: AuditKey;
}

/** Years offered: this financial year and the five before it. */
export const yearsShown = 6;

export const funnelQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  spoke: z
    .union([z.uuid(), z.literal('none')])
    .optional()
    .catch(undefined),
  source: z
    .union([z.enum(Object.keys(heardFromOptions) as [keyof typeof heardFromOptions]), z.literal('none')])
    .optional()
    .catch(undefined),
});
export type FunnelQuery = z.output<typeof funnelQuerySchema>;

/** Why people left, in words; withdrawals carry the household's reason. */
export function dropOutLabel(reason: string): string {
  if (reason.startsWith('withdrawn:')) {
    const code = reason.slice('withdrawn:'.length) as WithdrawalReason;
    return `Withdrew: ${withdrawalReasons[code] ?? 'reason not recorded'}`;
  }
  return (
    {
      enquiry_closed: 'Enquiry closed without a registration of interest',
      registration_declined: 'Registration of interest declined',
      not_suitable: 'Not suitable after Stage One',
      not_approved: 'Not approved',
    }[reason] ?? reason
  );
}

export const sourceLabel = (source: string | null): string =>
  source === null
    ? 'Not known'
    : (heardFromOptions[source as keyof typeof heardFromOptions] ?? `Other (${source})`);

/** The RAA an actor reports on, or null: councils and partners never see the RAA's adopters. */
function funnelRaa(actor: Actor): string | null {
  return ['raa', 'spoke', 'team'].includes(actor.organisation.kind) ? actor.scope.raaId : null;
}

interface RawRow {
  enquiry_date: string | null;
  registration_date: string | null;
  stage_one_date: string | null;
  stage_two_date: string | null;
  approval_date: string | null;
  spoke_id: string | null;
  source: string | null;
  drop_out_date: string | null;
  drop_out_reason: string | null;
  step_before_leaving: FunnelStep | null;
  n: number;
}

/** Every row with a step or a drop-out in [from, to], for one RAA, narrowed by spoke and source. */
async function funnelRows(
  db: Db,
  raaId: string,
  from: string,
  to: string,
  query: FunnelQuery,
): Promise<FunnelRow[]> {
  const { rows } = await funnelQuery(raaId, from, to, query).execute(db);
  return rows.map((row) => ({
    enquiryDate: row.enquiry_date,
    registrationDate: row.registration_date,
    stageOneDate: row.stage_one_date,
    stageTwoDate: row.stage_two_date,
    approvalDate: row.approval_date,
    spoke: row.spoke_id,
    source: row.source,
    dropOut:
      row.drop_out_date && row.drop_out_reason
        ? { date: row.drop_out_date, reason: row.drop_out_reason }
        : null,
    stepBeforeLeaving: row.step_before_leaving,
    count: row.n,
  }));
}

/** The funnel's query (exported for EXPLAIN when tuning). */
export function funnelQuery(raaId: string, from: string, to: string, query: FunnelQuery) {
  const spokeFilter =
    query.spoke === undefined
      ? sql``
      : query.spoke === 'none'
        ? sql`and spoke_id is null`
        : sql`and spoke_id = ${query.spoke}::uuid`;
  const sourceFilter =
    query.source === undefined
      ? sql``
      : query.source === 'none'
        ? sql`and source is null`
        : sql`and source = ${query.source}`;
  // The report counts each step in the financial quarter its date falls in (funnel.ts), and a
  // date outside the period not at all, so each date is sent as the first day of its quarter, or
  // null outside the period, and rows alike in every column are sent once with their number
  // (counted within each part of the union first, so the union carries a few thousand rows, not
  // one per household and enquiry). The quarters' first days are worked out once here; the rows
  // need only comparisons (no time zone or date_trunc per row, which was most of the query's
  // time on PGlite).
  const [q1, q2, q3, q4] = quarterStartsOf(from);
  const quarterOfDate = (date: ReturnType<typeof sql>) => sql`case
      when ${date} is null or ${date} < ${q1}::date or ${date} > ${to}::date then null
      when ${date} < ${q2}::date then ${q1}::date
      when ${date} < ${q3}::date then ${q2}::date
      when ${date} < ${q4}::date then ${q3}::date
      else ${q4}::date end`;
  // Instants compare with instants: each quarter's first midnight in London, computed once (bounds).
  const quarterOfInstant = (instant: ReturnType<typeof sql>) => sql`case
      when ${instant} < b.q1 or ${instant} >= b.after then null
      when ${instant} < b.q2 then ${q1}::date
      when ${instant} < b.q3 then ${q2}::date
      when ${instant} < b.q4 then ${q3}::date
      else ${q4}::date end`;
  return sql<RawRow>`
    with bounds as materialized (
      select
        ${q1}::date::timestamp at time zone 'Europe/London' as q1,
        ${q2}::date::timestamp at time zone 'Europe/London' as q2,
        ${q3}::date::timestamp at time zone 'Europe/London' as q3,
        ${q4}::date::timestamp at time zone 'Europe/London' as q4,
        (${to}::date + 1)::timestamp at time zone 'Europe/London' as after
    ),
    households_in_period as (
      -- Each household's milestones are kept on it (migration 0015, refreshed with each fact), and
      -- only households whose journey overlaps the period can count in it (migration 0018).
      select h.*,
        least(h.funnel_withdrawn_date, h.funnel_declined_date, h.funnel_not_suitable_date,
          h.funnel_not_approved_date) as left_date
      from households h
      where h.raa_id = ${raaId}
        and h.funnel_last_date >= ${from}::date and h.funnel_first_date <= ${to}::date
    ),
    journeys as (
      select
        ${quarterOfDate(sql`funnel_enquiry_date`)} as enquiry_date,
        ${quarterOfDate(sql`funnel_registration_date`)} as registration_date,
        ${quarterOfDate(sql`funnel_stage_one_date`)} as stage_one_date,
        ${quarterOfDate(sql`funnel_stage_two_date`)} as stage_two_date,
        ${quarterOfDate(sql`funnel_approval_date`)} as approval_date,
        coalesce(council_id, funnel_enquiry_council_id) as council_id,
        coalesce(funnel_enquiry_heard_from, heard_from) as source,
        ${quarterOfDate(sql`left_date`)} as drop_out_date,
        case
          when left_date is null then null
          when left_date = funnel_withdrawn_date then 'withdrawn:' || funnel_withdrawal_reason
          when left_date = funnel_declined_date then 'registration_declined'
          when left_date = funnel_not_suitable_date then 'not_suitable'
          else 'not_approved'
        end as drop_out_reason,
        -- The last step reached on or before the day they left (funnel.ts lastStepBefore), from
        -- the exact dates.
        case
          when left_date is null then null
          when funnel_approval_date <= left_date then 'approval'
          when funnel_stage_two_date <= left_date then 'stageTwo'
          when funnel_stage_one_date <= left_date then 'stageOne'
          when funnel_registration_date <= left_date then 'registration'
          when funnel_enquiry_date <= left_date then 'enquiry'
        end as step_before_leaving,
        count(*) as n
      from households_in_period
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
      union all
      -- Enquiries that never registered reach one step and perhaps leave (closed, on the day
      -- they were triaged): made in the period, or made before it and closed in it.
      select
        ${quarterOfInstant(sql`e.created_at`)}, null, null, null, null,
        e.council_id, e.heard_from,
        ${quarterOfInstant(sql`coalesce(e.triaged_at, e.created_at)`)},
        'enquiry_closed',
        'enquiry',
        count(*)
      from adopter_enquiries e cross join bounds b
      where e.raa_id = ${raaId} and e.status = 'closed'
        and coalesce(e.triaged_at, e.created_at) >= b.q1 and e.created_at < b.after
        and not e.registered
      group by 1, 6, 7, 8
      union all
      select
        ${quarterOfInstant(sql`e.created_at`)}, null, null, null, null,
        e.council_id, e.heard_from,
        null, null, null,
        count(*)
      from adopter_enquiries e cross join bounds b
      where e.raa_id = ${raaId} and e.status <> 'closed'
        and e.created_at >= b.q1 and e.created_at < b.after
        and not e.registered
      group by 1, 6, 7
    ),
    counted as (
      select enquiry_date, registration_date, stage_one_date, stage_two_date, approval_date,
        case when spoke.kind = 'spoke' then spoke.id end as spoke_id,
        source,
        -- A drop-out outside the period is not counted, nor is its reason.
        drop_out_date,
        case when drop_out_date is not null then drop_out_reason end as drop_out_reason,
        case when drop_out_date is not null then step_before_leaving end as step_before_leaving,
        sum(j.n)::int as n
      from journeys j
      left join organisations council on council.id = j.council_id
      left join organisations spoke on spoke.id = council.parent_id
      where coalesce(enquiry_date, registration_date, stage_one_date, stage_two_date, approval_date,
          drop_out_date) is not null
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    )
    select
      to_char(enquiry_date, 'YYYY-MM-DD') as enquiry_date,
      to_char(registration_date, 'YYYY-MM-DD') as registration_date,
      to_char(stage_one_date, 'YYYY-MM-DD') as stage_one_date,
      to_char(stage_two_date, 'YYYY-MM-DD') as stage_two_date,
      to_char(approval_date, 'YYYY-MM-DD') as approval_date,
      spoke_id::text as spoke_id, source,
      to_char(drop_out_date, 'YYYY-MM-DD') as drop_out_date,
      drop_out_reason, step_before_leaving, n
    from counted
    where true ${spokeFilter} ${sourceFilter}
  `;
}

/** The first days of the four financial quarters of the year that starts on `from` (1 April). */
function quarterStartsOf(from: string): [string, string, string, string] {
  const year = Number(from.slice(0, 4));
  return [`${year}-04-01`, `${year}-07-01`, `${year}-10-01`, `${year + 1}-01-01`];
}

export interface FunnelResult {
  report: FunnelReport;
  query: FunnelQuery & { year: number };
  spokes: Array<{ id: string; name: string }>;
  years: number[];
  /** False for actors outside the RAA's side: they see an empty funnel. */
  inScope: boolean;
}

const spokesOf = (db: Db, raaId: string) =>
  db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'spoke')
    .where('raa_id', '=', raaId)
    .orderBy('name')
    .execute();

function describeQuery(query: FunnelQuery & { year: number }, rows: number): string {
  const parts = [
    `year=${financialYearLabel(query.year)}`,
    query.spoke ? `spoke=${query.spoke}` : '',
    query.source ? `source=${query.source}` : '',
  ].filter(Boolean);
  return `${rows} enquiries or households; ${parts.join(' ')}`;
}

async function build(
  deps: FunnelDeps,
  actor: Actor,
  auditContext: AuditContext,
  requested: FunnelQuery,
  action: 'adopters.funnel.view' | 'adopters.funnel.export',
): Promise<FunnelResult> {
  const thisYear = financialYearOf(todayInLondon(auditContext.now));
  const query = { ...requested, year: requested.year ?? thisYear };
  const quarters = financialQuarters(query.year);
  const raaId = funnelRaa(actor);
  const [rows, spokes] = raaId
    ? await Promise.all([
        funnelRows(deps.db, raaId, quarters[0]!.from, quarters[3]!.to, query),
        spokesOf(deps.db, raaId),
      ])
    : [[], []];
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'adopter',
    subjectOrganisationId: raaId,
    reason: raaId
      ? describeQuery(
          query,
          rows.reduce((sum, row) => sum + (row.count ?? 1), 0),
        )
      : 'not on the RAA side: nothing shown',
  });
  const years = Array.from({ length: yearsShown }, (_, i) => thisYear - i);
  if (!years.includes(query.year)) years.push(query.year);
  return {
    report: conversionFunnel(rows, query.year),
    query,
    spokes,
    years: years.sort((a, b) => b - a),
    inScope: raaId !== null,
  };
}

export function conversionFunnelView(
  deps: FunnelDeps,
  actor: Actor,
  auditContext: AuditContext,
  query: FunnelQuery,
): Promise<FunnelResult> {
  return build(deps, actor, auditContext, query, 'adopters.funnel.view');
}

const csvColumns = [
  'Financial year',
  'Period',
  'Breakdown',
  'Group',
  ...funnelSteps.map((step) => funnelStepLabels[step]),
  'Drop-outs',
  'Approved as % of enquiries',
];

/**
 * The funnel as CSV: a row per quarter and for the year, then per spoke and per source for the
 * year, then the drop-outs by reason (where each step's column counts those who left after
 * reaching that step). Counts only; a cell that could run as a formula is defused.
 */
export async function conversionFunnelCsv(
  deps: FunnelDeps,
  actor: Actor,
  auditContext: AuditContext,
  query: FunnelQuery,
): Promise<{ csv: string; year: number }> {
  const result = await build(deps, actor, auditContext, query, 'adopters.funnel.export');
  const { report } = result;
  const spokeNames = new Map(result.spokes.map((spoke) => [spoke.id, spoke.name]));
  const counts = (c: FunnelReport['total']) => [...funnelSteps.map((step) => c[step]), c.dropOuts];
  const rate = (value: number | null) => (value === null ? '' : String(value));
  const rows: Array<Array<string | number>> = [
    ...report.quarters.map((q) => [
      report.yearLabel,
      q.label,
      'All',
      'All',
      ...counts(q.counts),
      rate(q.counts.enquiry ? Math.round((q.counts.approval / q.counts.enquiry) * 1000) / 10 : null),
    ]),
    [
      report.yearLabel,
      'Year',
      'All',
      'All',
      ...counts(report.total),
      rate(report.conversion.at(-1)!.ofEnquiries),
    ],
    ...report.bySpoke.map((g) => [
      report.yearLabel,
      'Year',
      'Spoke',
      g.key === null ? 'No spoke' : (spokeNames.get(g.key) ?? g.key),
      ...counts(g.counts),
      rate(g.approvalRate),
    ]),
    ...report.bySource.map((g) => [
      report.yearLabel,
      'Year',
      'Source',
      sourceLabel(g.key),
      ...counts(g.counts),
      rate(g.approvalRate),
    ]),
    ...report.dropOuts.map((d) => [
      report.yearLabel,
      'Year',
      'Drop-out reason',
      dropOutLabel(d.reason),
      ...funnelSteps.map((step) => d.after[step]),
      d.count,
      '',
    ]),
  ];
  const csv = stringify(rows, {
    header: true,
    columns: csvColumns,
    // A cell that starts with = + - @ would run as a formula in a spreadsheet (CSV injection).
    cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
  });
  return { csv, year: report.year };
}
