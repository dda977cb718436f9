// The quarterly report to each member council and the monthly tracking report (issue 9 §4;
// seeds 001 service schedule "Data analysis": "The RAA will produce a quarterly report to each LA
// on performance and key performance indicators agreed by the Board"; domain.md §8: monthly
// tracking reports from the hub). Each is a ReportModel drawn as a page, a PDF and an XLSX, with
// the head of service's commentary stored per report, organisation and period.
//
// Scope: a council's report is found only when the council is in the actor's scope (404
// otherwise, design.md §3). The tracking report covers the councils the actor reaches (for the
// hub: every member council of its RAAs, as aggregates). Figures are aggregates without names, so
// a view is audited once as a report view, not per child.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import { calendarDaysBetween, monthNames, todayInLondon } from '../../platform/time/index.js';
import { formatDate } from '../../platform/views/render.js';
import { chartModel } from './charts.js';
import type { ReportModel, ReportTable } from './report-model.js';
import type { ReportKind } from './reports.tables.js';
import { adoptersRaaOf } from './returns.service.js';
import { parseQuarter, quarterOf, type ReturnQuarter } from './returns.js';
import './reports.tables.js';
import {
  measureLabels,
  scorecardFootnotes,
  thresholdFor,
  type AverageFigure,
  type CountFigure,
  type GroupFigures,
  type PercentFigure,
} from './scorecard.js';

export interface ReportsDeps {
  db: Db;
  auditKey: AuditKey;
}

const iso = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : value instanceof Date
      ? value.toISOString().slice(0, 10)
      : String(value).slice(0, 10);

// ── Periods ─────────────────────────────────────────────────────────────────────────────────────

export interface ReportMonth {
  key: string;
  start: string;
  end: string;
  label: string;
  short: string;
}

export function parseMonth(key: string): ReportMonth | null {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12 || year < 2000 || year > 2100) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return {
    key,
    start: `${key}-01`,
    end: `${key}-${String(last).padStart(2, '0')}`,
    label: `${monthNames[month - 1]} ${year}`,
    short: `${monthNames[month - 1]!.slice(0, 3)} ${String(year).slice(2)}`,
  };
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function previousMonth(key: string, back = 1): string {
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7)) - 1 - back;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  return `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousQuarter(key: string, back = 1): string {
  let q = parseQuarter(key)!;
  for (let i = 0; i < back; i += 1) {
    q = parseQuarter(q.quarter === 1 ? `${q.year - 1}-Q4` : `${q.year}-Q${q.quarter - 1}`)!;
  }
  return q.key;
}

/** The last complete month and quarter by `today`: reports are written after the period closes. */
export function defaultMonth(today: string): string {
  return previousMonth(monthOf(today));
}
export function defaultQuarter(today: string): string {
  return previousQuarter(quarterOf(today));
}

// ── Commentary ──────────────────────────────────────────────────────────────────────────────────

export interface Commentary {
  body: string;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export async function commentaryFor(
  db: Db | Transaction<DB>,
  kind: ReportKind,
  organisationId: string,
  period: string,
): Promise<Commentary | null> {
  const row = await db
    .selectFrom('report_commentaries as c')
    .leftJoin('users as u', 'u.id', 'c.updated_by')
    .select(['c.body', 'c.version', 'c.updated_at', 'u.name as updated_by_name'])
    .where('c.report_kind', '=', kind)
    .where('c.organisation_id', '=', organisationId)
    .where('c.period', '=', period)
    .executeTakeFirst();
  return row
    ? {
        body: row.body,
        version: row.version,
        updatedAt: row.updated_at,
        updatedBy: row.updated_by_name ?? null,
      }
    : null;
}

export class StaleCommentary extends Error {
  constructor(readonly current: Commentary | null) {
    super('Someone else changed this commentary while you were editing it.');
  }
}

/**
 * Saves the commentary for one report and period; `version` is the one the writer started from
 * (0 for none), so a second writer is told rather than overwriting. Audited in the same transaction.
 */
export async function saveCommentary(
  deps: ReportsDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: { kind: ReportKind; organisationId: string; period: string; body: string; version: number },
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('report_commentaries')
      .select(['id', 'version'])
      .where('report_kind', '=', input.kind)
      .where('organisation_id', '=', input.organisationId)
      .where('period', '=', input.period)
      .forUpdate()
      .executeTakeFirst();
    if ((existing?.version ?? 0) !== input.version) {
      throw new StaleCommentary(await commentaryFor(trx, input.kind, input.organisationId, input.period));
    }
    if (existing) {
      await trx
        .updateTable('report_commentaries')
        .set({
          body: input.body,
          version: existing.version + 1,
          updated_by: actor.userId,
          updated_at: auditContext.now,
        })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('report_commentaries')
        .values({
          report_kind: input.kind,
          organisation_id: input.organisationId,
          period: input.period,
          body: input.body,
          updated_by: actor.userId,
          updated_at: auditContext.now,
        })
        .execute();
    }
    await writeAudit(trx, deps.auditKey, auditContext, {
      action: 'reports.commentary.save',
      outcome: 'success',
      subjectType: 'report_commentary',
      subjectId: `${input.kind}:${input.period}`,
      subjectOrganisationId: input.organisationId,
    });
  });
}

export async function auditReportView(
  deps: ReportsDeps,
  auditContext: AuditContext,
  report: { kind: ReportKind; organisationId: string; period: string },
  action: 'reports.report.view' | 'reports.report.export',
): Promise<void> {
  await writeAudit(deps.db, deps.auditKey, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'report',
    subjectId: `${report.kind}:${report.period}`,
    subjectOrganisationId: report.organisationId,
  });
}

// ── Organisations ───────────────────────────────────────────────────────────────────────────────

export interface CouncilInScope {
  id: string;
  name: string;
  raaId: string | null;
}

/** The member councils an actor's reports cover; for the hub, every council of its RAAs. */
export async function councilsInScope(db: Db, actor: Actor): Promise<CouncilInScope[]> {
  const query = db
    .selectFrom('organisations')
    .select(['id', 'name', 'raa_id'])
    .where('kind', '=', 'local_authority')
    .where('active', '=', true)
    .orderBy('name');
  const rows =
    actor.organisation.kind === 'hub'
      ? await query
          .where(
            'raa_id',
            'in',
            db
              .selectFrom('organisations')
              .select('id')
              .where('kind', '=', 'raa')
              .where('parent_id', '=', actor.organisation.id),
          )
          .execute()
      : actor.scope.organisationIds.length
        ? await query.where('id', 'in', [...actor.scope.organisationIds]).execute()
        : [];
  return rows.map((r) => ({ id: r.id, name: r.name, raaId: r.raa_id }));
}

/** The organisation a tracking report belongs to: the actor's RAA, the hub, or their own council. */
export function trackingOwner(actor: Actor): string {
  if (actor.organisation.kind === 'hub') return actor.organisation.id;
  return actor.scope.raaId ?? actor.organisation.id;
}

export async function councilForReport(db: Db, actor: Actor, councilId: string): Promise<CouncilInScope> {
  const councils = await councilsInScope(db, actor);
  const council = /^[0-9a-f-]{36}$/i.test(councilId) ? councils.find((c) => c.id === councilId) : undefined;
  if (!council) throw new AppError('not-found', 'We could not find that council’s report.');
  return council;
}

// ── The monthly tracking report ─────────────────────────────────────────────────────────────────

interface TrackedChild {
  councilId: string;
  shouldBePlaced: string | null;
  placementOrder: string | null;
  familyFinder: string | null;
  linked: string | null;
  matched: string | null;
  placed: string | null;
  adoptionOrder: string | null;
  planChanged: string | null;
}

async function trackedChildren(db: Db, councilIds: string[]): Promise<TrackedChild[]> {
  if (!councilIds.length) return [];
  const { rows } = await sql<Record<string, unknown>>`
    select c.responsible_council_id, c.should_be_placed_date, c.placement_order_date,
      c.family_finder_allocated_date, c.match_decision_date, c.placed_date, c.adoption_order_date,
      f.linked, f.plan_changed
    from children c
    left join lateral (
      select min(x.effective_date) filter (where x.kind = 'linked') as linked,
        max(x.effective_date) filter (where x.kind = 'plan_changed') as plan_changed
      from child_journey_facts x
      where x.child_id = c.id and x.kind in ('linked', 'plan_changed')
        and not exists (select 1 from child_journey_facts s where s.supersedes_id = x.id)
    ) f on true
    where c.responsible_council_id = any(${councilIds}::uuid[])
      and (c.should_be_placed_date is not null or c.placement_order_date is not null)
  `.execute(db);
  return rows.map((r) => ({
    councilId: String(r.responsible_council_id),
    shouldBePlaced: iso(r.should_be_placed_date),
    placementOrder: iso(r.placement_order_date),
    familyFinder: iso(r.family_finder_allocated_date),
    linked: iso(r.linked),
    matched: iso(r.match_decision_date),
    placed: iso(r.placed_date),
    adoptionOrder: iso(r.adoption_order_date),
    planChanged: iso(r.plan_changed),
  }));
}

const by = (date: string | null, end: string) => date !== null && date <= end;
const inMonth = (date: string | null, month: ReportMonth) =>
  date !== null && date >= month.start && date <= month.end;

/** Waiting at a date: decision or order by then; not placed, adopted or with the plan changed by then. */
export function waitingAt(child: TrackedChild, end: string): boolean {
  return (
    (by(child.shouldBePlaced, end) || by(child.placementOrder, end)) &&
    !by(child.placed, end) &&
    !by(child.adoptionOrder, end) &&
    !by(child.planChanged, end)
  );
}

export const trackingStages = [
  'Awaiting placement order',
  'Family finding',
  'Linked',
  'Matched, not yet placed',
] as const;

/** The stage a waiting child was at on a date, from the dates alone. */
export function trackingStageAt(child: TrackedChild, end: string): (typeof trackingStages)[number] {
  if (by(child.matched, end)) return 'Matched, not yet placed';
  if (by(child.linked, end)) return 'Linked';
  if (by(child.placementOrder, end)) return 'Family finding';
  return 'Awaiting placement order';
}

export const waitBands = [
  { label: 'Under 6 months', below: 183 },
  { label: '6 to 12 months', below: 366 },
  { label: '12 to 18 months', below: 548 },
  { label: '18 months or more', below: Infinity },
] as const;

const daysBetween = calendarDaysBetween;

interface PipelineHousehold {
  enquiry: string | null;
  stageOne: string | null;
  stageTwo: string | null;
  approved: string | null;
  matched: string | null;
  left: string | null;
}

async function pipelineHouseholds(db: Db, actor: Actor): Promise<PipelineHousehold[] | null> {
  const raaIds =
    actor.organisation.kind === 'hub'
      ? (
          await db
            .selectFrom('organisations')
            .select('id')
            .where('kind', '=', 'raa')
            .where('parent_id', '=', actor.organisation.id)
            .execute()
        ).map((r) => r.id)
      : adoptersRaaOf(actor)
        ? [adoptersRaaOf(actor)!]
        : [];
  if (!raaIds.length) return null;
  const spokeFilter =
    actor.organisation.kind === 'raa' || actor.organisation.kind === 'hub'
      ? sql``
      : sql`and h.council_id = any(${[...actor.scope.organisationIds]}::uuid[])`;
  const { rows } = await sql<Record<string, unknown>>`
    select coalesce(h.funnel_enquiry_fact_date, h.funnel_registration_date) as enquiry,
      h.funnel_stage_one_date as stage_one, h.funnel_stage_two_date as stage_two,
      h.funnel_approval_date as approved,
      (select min(x.effective_date) from household_facts x where x.household_id = h.id and x.kind = 'matched'
        and not exists (select 1 from household_facts s where s.supersedes_id = x.id)) as matched,
      least(h.funnel_withdrawn_date, h.funnel_declined_date, h.funnel_not_suitable_date, h.funnel_not_approved_date) as left_on
    from households h
    where h.raa_id = any(${raaIds}::uuid[]) ${spokeFilter}
  `.execute(db);
  return rows.map((r) => ({
    enquiry: iso(r.enquiry),
    stageOne: iso(r.stage_one),
    stageTwo: iso(r.stage_two),
    approved: iso(r.approved),
    matched: iso(r.matched),
    left: iso(r.left_on),
  }));
}

export const pipelineSteps = [
  'Enquiry or registration',
  'Stage One',
  'Stage Two',
  'Approved, waiting for a match',
] as const;

export function pipelineStepAt(
  household: PipelineHousehold,
  end: string,
): (typeof pipelineSteps)[number] | null {
  if (by(household.left, end) || by(household.matched, end)) return null;
  if (by(household.approved, end)) return 'Approved, waiting for a match';
  if (by(household.stageTwo, end)) return 'Stage Two';
  if (by(household.stageOne, end)) return 'Stage One';
  if (by(household.enquiry, end)) return 'Enquiry or registration';
  return null;
}

export async function trackingReport(
  deps: ReportsDeps,
  actor: Actor,
  month: ReportMonth,
  now: Date,
): Promise<ReportModel> {
  const today = todayInLondon(now);
  const asOf = month.end < today ? month.end : today;
  const councils = await councilsInScope(deps.db, actor);
  const children = await trackedChildren(
    deps.db,
    councils.map((c) => c.id),
  );
  const households = await pipelineHouseholds(deps.db, actor);
  const ownerId = trackingOwner(actor);
  const owner = await deps.db
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', ownerId)
    .executeTakeFirst();

  const waiting = children.filter((c) => waitingAt(c, asOf));
  const count = (pick: (c: TrackedChild) => string | null, m: ReportMonth) =>
    children.filter((c) => inMonth(pick(c), m)).length;
  const months = Array.from({ length: 12 }, (_, i) => parseMonth(previousMonth(month.key, 11 - i))!);

  const stageTable: ReportTable = {
    id: 'tracking-stages',
    caption: `Children waiting by stage on ${formatDate(asOf)}`,
    headers: ['Stage', 'Children'],
    rows: trackingStages.map((stage) => ({
      label: stage,
      cells: [String(waiting.filter((c) => trackingStageAt(c, asOf) === stage).length)],
    })),
  };
  const waitTable: ReportTable = {
    id: 'tracking-wait',
    caption: 'Children waiting: time since the decision that they should be placed for adoption',
    headers: ['Time since the decision', 'Children'],
    rows: [
      ...waitBands.map((band, i) => ({
        label: band.label,
        cells: [
          String(
            waiting.filter((c) => {
              if (!c.shouldBePlaced) return false;
              const d = daysBetween(c.shouldBePlaced, asOf);
              return d < band.below && d >= (i === 0 ? -Infinity : waitBands[i - 1]!.below);
            }).length,
          ),
        ],
      })),
      {
        label: 'No decision recorded (placement order only)',
        cells: [String(waiting.filter((c) => !c.shouldBePlaced).length)],
      },
    ],
  };
  const councilTable: ReportTable = {
    id: 'tracking-councils',
    caption: `By council, ${month.label}`,
    headers: [
      'Council',
      'Children waiting',
      'Matched in the month',
      'Placed in the month',
      'Adoption orders in the month',
      'Average days waiting since the decision',
    ],
    rows: councils.map((council) => {
      const mine = children.filter((c) => c.councilId === council.id);
      const mineWaiting = mine.filter((c) => waitingAt(c, asOf) && c.shouldBePlaced);
      const average = mineWaiting.length
        ? String(
            Math.round(
              mineWaiting.reduce((sum, c) => sum + daysBetween(c.shouldBePlaced!, asOf), 0) /
                mineWaiting.length,
            ),
          )
        : '–';
      return {
        label: council.name,
        cells: [
          String(mine.filter((c) => waitingAt(c, asOf)).length),
          String(mine.filter((c) => inMonth(c.matched, month)).length),
          String(mine.filter((c) => inMonth(c.placed, month)).length),
          String(mine.filter((c) => inMonth(c.adoptionOrder, month)).length),
          average,
        ],
      };
    }),
  };
  const tables = [stageTable, waitTable, councilTable];
  if (households) {
    tables.push({
      id: 'tracking-adopters',
      caption: `Adopters in the pipeline on ${formatDate(asOf)}`,
      headers: ['Step', 'Households'],
      rows: pipelineSteps.map((step) => ({
        label: step,
        cells: [String(households.filter((h) => pipelineStepAt(h, asOf) === step).length)],
      })),
    });
  }

  const charts = [
    chartModel({
      id: 'tracking-trend',
      title: 'Matches and placements each month',
      description: `Children matched and children placed for adoption in each of the 12 months to ${month.label}.`,
      categories: months.map((m) => m.short),
      series: [
        { name: 'Matched', values: months.map((m) => count((c) => c.matched, m)) },
        { name: 'Placed', values: months.map((m) => count((c) => c.placed, m)) },
      ],
      unit: '',
      kind: 'line',
    }),
    chartModel({
      id: 'tracking-waiting',
      title: 'Children waiting at the end of each month',
      description: `Children with a decision or placement order who had not been placed, at the end of each of the 12 months to ${month.label}.`,
      categories: months.map((m) => m.short),
      series: [
        {
          name: 'Children waiting',
          values: months.map(
            (m) => children.filter((c) => waitingAt(c, m.end < today ? m.end : today)).length,
          ),
        },
      ],
      unit: '',
      kind: 'bar',
    }),
  ];

  return {
    kind: 'tracking',
    title: `Monthly tracking report: ${month.label}`,
    organisationId: ownerId,
    organisationName: owner?.name ?? actor.organisation.name,
    period: { key: month.key, label: month.label, start: month.start, end: month.end },
    asAt: today,
    intro: `Children with adoption plans and adopters in the pipeline for ${councils.length === 1 ? councils[0]!.name : `${councils.length} member councils`}, on ${formatDate(asOf)}. Figures are counts of children and households, without names.`,
    figures: [
      {
        heading: 'This month',
        items: [
          { label: 'Children waiting', value: String(waiting.length) },
          {
            label: 'Decisions that a child should be placed for adoption',
            value: String(count((c) => c.shouldBePlaced, month)),
          },
          { label: 'Placement orders', value: String(count((c) => c.placementOrder, month)) },
          { label: 'Children matched', value: String(count((c) => c.matched, month)) },
          { label: 'Children placed for adoption', value: String(count((c) => c.placed, month)) },
          { label: 'Adoption orders', value: String(count((c) => c.adoptionOrder, month)) },
          { label: 'Plans changed away from adoption', value: String(count((c) => c.planChanged, month)) },
        ],
      },
    ],
    tables,
    charts,
    commentary: await commentaryFor(deps.db, 'tracking', ownerId, month.key),
    footnotes: [
      'Children waiting have a decision that they should be placed for adoption or a placement order, and had not been placed, adopted or had their plan changed by the date shown.',
      'Stages are worked out from the dates of the journey facts in force: matched (the agency decision maker’s match decision), linked, family finding (placement order granted), otherwise awaiting the placement order.',
      ...(households
        ? [
            'Adopters in the pipeline count households by the furthest step they had reached and not left; matched households are no longer counted.',
          ]
        : ['Figures about the RAA’s adopters are shown only to the RAA’s staff.']),
      'A month still in progress is counted to the day the report is worked out.',
    ],
  };
}

// ── The quarterly report to a member council ────────────────────────────────────────────────────

/** The scorecard's figures for every group in the actor's scope, for a three-year window ending on a date. */
export type FiguresAt = (windowEnd: string) => Promise<{ groups: GroupFigures[]; householdsShown: boolean }>;

const days = (figure: AverageFigure) =>
  figure.value === null ? 'no children to count' : `${figure.value} days (${figure.n} children)`;
const pct = (figure: PercentFigure) =>
  figure.value === null ? 'no children to count' : `${figure.value}% (${figure.numerator} of ${figure.n})`;
const num = (figure: CountFigure) => String(figure.value);

export async function quarterlyReport(
  deps: ReportsDeps,
  council: CouncilInScope,
  quarter: ReturnQuarter,
  figuresAt: FiguresAt,
  now: Date,
): Promise<ReportModel> {
  const quarterKeys = Array.from({ length: 8 }, (_, i) => previousQuarter(quarter.key, 7 - i));
  const quarters = quarterKeys.map((key) => parseQuarter(key)!);
  const results = [];
  for (const q of quarters) results.push(await figuresAt(q.quarterEnd));
  const trend = results.map((r) => r.groups);
  const householdsShown = results.at(-1)?.householdsShown ?? false;
  const current = trend.at(-1) ?? [];
  const mine = current.find((g) => g.group.level === 'council' && g.group.id === council.id);
  const raa = current.find((g) => g.group.level === 'raa');
  if (!mine) throw new AppError('not-found', 'We could not find that council’s report.');
  const f = mine.figures;
  const a1Threshold = thresholdFor('A1', quarter.quarterEnd);
  const a2Threshold = thresholdFor('A2', quarter.quarterEnd);
  const thresholdNote = (t: ReturnType<typeof thresholdFor>) =>
    t ? `threshold ${t.days} days, ${t.label}${t.carriedForward ? ', the latest published' : ''}` : undefined;

  const series = (level: 'council' | 'raa', pick: (g: GroupFigures) => number | null) =>
    trend.map((groups) => {
      const group = groups.find(
        (g) => g.group.level === level && (level !== 'council' || g.group.id === council.id),
      );
      return group ? pick(group) : null;
    });
  const short = (q: ReturnQuarter) =>
    `Q${q.quarter} ${q.year}-${String((q.year + 1) % 100).padStart(2, '0')}`;
  const chartFor = (measure: 'A1' | 'A2', threshold: ReturnType<typeof thresholdFor>) =>
    chartModel({
      id: `quarterly-${measure.toLowerCase()}`,
      title: `${measureLabels[measure]}: trend`,
      description: `${measure} over the three years to the end of each of the last eight quarters, for ${council.name}${raa ? ` and ${raa.group.name}` : ''}${threshold ? `, against the ${threshold.days}-day threshold` : ''}.`,
      categories: quarters.map(short),
      series: [
        { name: council.name, values: series('council', (g) => g.figures[measure].value) },
        ...(raa ? [{ name: raa.group.name, values: series('raa', (g) => g.figures[measure].value) }] : []),
      ],
      ...(threshold ? { reference: { label: `${measure} threshold`, value: threshold.days } } : {}),
      unit: 'days',
      kind: 'line',
    });

  const councils = current.filter((g) => g.group.level === 'council');
  const comparison: ReportTable = {
    id: 'quarterly-comparison',
    caption: 'Comparison across the RAA’s councils (three years to the end of the quarter)',
    headers: ['Council', 'A1 days', 'A2 days', 'A3 %', 'Adoptions', 'Children waiting', 'Placement orders'],
    rows: [...councils, ...(raa ? [raa] : [])].map((g) => ({
      label: g.group.level === 'raa' ? `${g.group.name} (the RAA)` : g.group.name,
      cells: [
        g.figures.A1.value === null ? '–' : String(g.figures.A1.value),
        g.figures.A2.value === null ? '–' : String(g.figures.A2.value),
        g.figures.A3.value === null ? '–' : String(g.figures.A3.value),
        String(g.figures.adoptions.value),
        String(g.figures.childrenWaiting.value),
        String(g.figures.placementOrders.value),
      ],
    })),
  };

  return {
    kind: 'quarterly',
    title: `Quarterly report to ${council.name}: ${quarter.label}`,
    organisationId: council.id,
    organisationName: council.name,
    period: { key: quarter.key, label: quarter.label, start: quarter.quarterStart, end: quarter.quarterEnd },
    asAt: todayInLondon(now),
    intro: `The Adoption Scorecard and related figures for ${council.name}'s children, over the three years to ${formatDate(quarter.quarterEnd)}, with the trend over the last eight quarters and a comparison with the other councils of the RAA.`,
    figures: [
      {
        heading: 'Adoption Scorecard',
        items: [
          {
            label: measureLabels.A1,
            value: days(f.A1),
            ...(thresholdNote(a1Threshold) ? { note: thresholdNote(a1Threshold)! } : {}),
          },
          { label: measureLabels.A10, value: days(f.A10) },
          {
            label: measureLabels.A2,
            value: days(f.A2),
            ...(thresholdNote(a2Threshold) ? { note: thresholdNote(a2Threshold)! } : {}),
          },
          { label: measureLabels.A3, value: pct(f.A3) },
          ...(householdsShown
            ? [
                { label: measureLabels.A11, value: num(f.A11) },
                { label: measureLabels.A12, value: pct(f.A12) },
                { label: measureLabels.A13, value: num(f.A13) },
              ]
            : []),
        ],
      },
      {
        heading: 'Related figures',
        items: (
          [
            'adoptions',
            'adoptedByFosterCarers',
            'shouldBePlacedDecisions',
            'placementOrders',
            'plansChangedAwayFromAdoption',
            'earlyPermanencePlacements',
            'childrenWaiting',
          ] as const
        ).map((measure) => ({ label: measureLabels[measure], value: num(f[measure]) })),
      },
    ],
    tables: [comparison],
    charts: [chartFor('A1', a1Threshold), chartFor('A2', a2Threshold)],
    commentary: await commentaryFor(deps.db, 'quarterly', council.id, quarter.key),
    footnotes: [...scorecardFootnotes],
  };
}
