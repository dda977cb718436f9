// The panels' quality-assurance report for the partnership board, every six months (issue 7 §6;
// NMS 17.2; seeds 001 service schedule): how timely the papers were, the quality issues the
// panels raised about what came before them, how often the decision maker decided against the
// recommendation, and how long decisions took after the panel. Aggregates only: no case, child or
// family is named, so the board may see it. As a page, a PDF and a CSV.
import PDFDocument from 'pdfkit';
import { stringify } from 'csv-stringify/sync';
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/http/errors.js';
import { addCalendarDays, englandAndWalesCalendar, todayInLondon } from '../../platform/time/index.js';
import { assessingRaa } from '../adopters/households.service.js';
import {
  decisionClock,
  itemKindLabels,
  longDate,
  median,
  papersDueBy,
  previousReportPeriod,
  reportPeriodOf,
  reportPeriodStarting,
  type ReportPeriod,
} from './panel-rules.js';
import {
  circulationBetween,
  itemsHeardBetween,
  qualityIssuesBetween,
  sittingsHeldBetween,
} from './panels.repository.js';
import { auditPanel, rulesOf, todayOf, type PanelDeps } from './panels.service.js';
import { itemKinds, qualityCategories, type QualityCategory } from './panels.tables.js';

export const qualityCategoryLabels: Record<QualityCategory, string> = {
  report_quality: 'Quality of the report',
  missing_information: 'Information missing',
  late_papers: 'Papers late',
  analysis: 'Analysis or evidence not strong enough',
  other: 'Something else',
};

export interface Measure {
  label: string;
  value: number | null;
  /** "%", "working days" or "" for a count. */
  unit: string;
}

export interface QualityReport {
  period: ReportPeriod;
  previous: ReportPeriod;
  next: ReportPeriod | null;
  raaName: string;
  asAt: string;
  panels: Array<{ name: string; sittings: number; items: number }>;
  byKind: Array<{ label: string; count: number }>;
  papers: Measure[];
  quality: Array<{ label: string; count: number; percent: number }>;
  decisions: Measure[];
  papersLeadWorkingDays: number;
}

const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 100);

export function reportRaa(actor: Actor): string {
  const raaId = actor.permissions.has('panels:report') ? assessingRaa(actor) : null;
  if (!raaId)
    throw new AppError(
      'not-found',
      'The panels’ quality report belongs to the RAA: sign in as a member of its staff or board to see it.',
    );
  return raaId;
}

export async function qualityReport(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  periodStart: string | undefined,
  action: 'panels.quality.view' | 'panels.quality.export' = 'panels.quality.view',
): Promise<QualityReport> {
  const raaId = reportRaa(actor);
  const today = todayOf(auditContext);
  const current = reportPeriodOf(today);
  const period = periodStart ? reportPeriodStarting(periodStart) : previousReportPeriod(today);
  if (!period || period.start > current.start)
    throw new AppError(
      'bad-request',
      'Choose a six-month period that has begun, starting on 1 April or 1 October.',
    );
  const report = await buildReport(deps, raaId, period, today);
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'organisation',
    subjectId: raaId,
    organisationId: raaId,
    reason: `${period.start} to ${period.end}`,
  });
  return report;
}

export async function buildReport(
  deps: PanelDeps,
  raaId: string,
  period: ReportPeriod,
  today: string,
): Promise<QualityReport> {
  const rules = rulesOf(deps);
  const calendar = englandAndWalesCalendar();
  const to = period.end < today ? period.end : today;
  const [raa, sittings, items, circulation, issues] = await Promise.all([
    deps.db.selectFrom('organisations').select('name').where('id', '=', raaId).executeTakeFirstOrThrow(),
    sittingsHeldBetween(deps.db, raaId, period.start, to),
    itemsHeardBetween(deps.db, raaId, period.start, to),
    circulationBetween(deps.db, raaId, period.start, to),
    qualityIssuesBetween(deps.db, raaId, period.start, to),
  ]);

  const panelNames = [...new Set(sittings.map((s) => s.panel_name))].sort();
  const panels = panelNames.map((name) => ({
    name,
    sittings: sittings.filter((s) => s.panel_name === name).length,
    items: items.filter((i) => i.panel_name === name).length,
  }));
  const byKind = itemKinds.map((kind) => ({
    label: itemKindLabels[kind],
    count: items.filter((i) => i.kind === kind).length,
  }));

  // Papers: each member's pack sent by the lead time, and each item's papers in by then.
  const dueBy = new Map<string, string>();
  const due = (sittingDate: string) => {
    let date = dueBy.get(sittingDate);
    if (!date) {
      date = papersDueBy(sittingDate, rules, calendar);
      dueBy.set(sittingDate, date);
    }
    return date;
  };
  const packs = circulation.length;
  const packsOnTime = circulation.filter(
    (c) => c.papers_sent_on && c.papers_sent_on <= due(c.sitting_date),
  ).length;
  const packsLate = circulation.filter(
    (c) => c.papers_sent_on && c.papers_sent_on > due(c.sitting_date),
  ).length;
  const packsUnrecorded = circulation.filter((c) => !c.papers_sent_on).length;
  const withPapers = items.filter((i) => i.last_paper_at);
  const papersLate = withPapers.filter(
    (i) => todayInLondon(new Date(i.last_paper_at as Date | string)) > due(i.sitting_date),
  ).length;
  const papers: Measure[] = [
    { label: 'Member packs sent', value: packs - packsUnrecorded, unit: '' },
    {
      label: 'Member packs sent by the lead time',
      value: percent(packsOnTime, packs - packsUnrecorded),
      unit: '%',
    },
    { label: 'Member packs sent late', value: packsLate, unit: '' },
    { label: 'Member packs with no date sent recorded', value: packsUnrecorded, unit: '' },
    { label: 'Items heard', value: items.length, unit: '' },
    { label: 'Items whose last paper arrived after the lead time', value: papersLate, unit: '' },
    { label: 'Items heard with no papers in Kindred', value: items.length - withPapers.length, unit: '' },
  ];

  const quality = qualityCategories.map((category) => {
    const count = issues.filter((q) => q.category === category).length;
    return { label: qualityCategoryLabels[category], count, percent: 0 };
  });
  const maxQuality = Math.max(1, ...quality.map((q) => q.count));
  for (const q of quality) q.percent = Math.round((q.count / maxQuality) * 100);

  const decided = items.filter((i) => i.decided_on && i.signed_off_on);
  const against = decided.filter((i) => i.agrees_with_recommendation === false).length;
  const fromMinutes = decided.map((i) =>
    calendar.workingDaysBetween(i.signed_off_on as string, i.decided_on as string),
  );
  const fromSitting = decided.map((i) => calendar.workingDaysBetween(i.sitting_date, i.decided_on as string));
  const inTime = decided.filter((i) => (i.decided_on as string) <= (i.due_on as string)).length;
  const awaiting = items.filter((i) => i.signed_off_on && !i.decided_on && i.recommendation !== 'deferred');
  const overdue = awaiting.filter((i) => decisionClock(i.signed_off_on as string, today).overdue).length;
  const deferred = items.filter((i) => i.signed_off_on && i.recommendation === 'deferred').length;
  const decisions: Measure[] = [
    { label: 'Decisions made on items heard', value: decided.length, unit: '' },
    { label: 'Decisions against the panel’s recommendation', value: against, unit: '' },
    { label: 'Decisions against the recommendation', value: percent(against, decided.length), unit: '%' },
    { label: 'Items deferred by the panel', value: deferred, unit: '' },
    {
      label: 'Median time from the sitting to the decision',
      value: median(fromSitting),
      unit: 'working days',
    },
    {
      label: 'Median time from the final minutes to the decision',
      value: median(fromMinutes),
      unit: 'working days',
    },
    {
      label: 'Decisions within 7 working days of the final minutes',
      value: percent(inTime, decided.length),
      unit: '%',
    },
    { label: 'Decisions still awaited', value: awaiting.length, unit: '' },
    { label: 'Of them overdue', value: overdue, unit: '' },
  ];
  const current = reportPeriodOf(today);
  const nextStart = reportPeriodOf(addCalendarDays(period.end, 1));
  return {
    period,
    previous: previousReportPeriod(period.start),
    next: nextStart.start <= current.start ? nextStart : null,
    raaName: raa.name,
    asAt: today,
    panels,
    byKind,
    papers,
    quality,
    decisions,
    papersLeadWorkingDays: rules.papersLeadWorkingDays,
  };
}

export function formatMeasure(m: Measure): string {
  if (m.value === null) return 'None to measure';
  if (m.unit === '%') return `${m.value}%`;
  if (m.unit) return `${m.value} ${m.unit}`;
  return String(m.value);
}

/** Spreadsheet programs run cells that start with these; a leading apostrophe keeps them text (OWASP CSV injection). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function reportCsv(report: QualityReport): string {
  const rows: string[][] = [['Section', 'Measure', 'Value', 'Unit']];
  for (const p of report.panels) {
    rows.push(['Panels', `${p.name}: sittings`, String(p.sittings), '']);
    rows.push(['Panels', `${p.name}: items heard`, String(p.items), '']);
  }
  for (const k of report.byKind) rows.push(['Items by kind', k.label, String(k.count), '']);
  for (const m of report.papers)
    rows.push(['Timeliness of papers', m.label, m.value === null ? '' : String(m.value), m.unit]);
  for (const q of report.quality)
    rows.push(['Quality issues raised by the panels', q.label, String(q.count), '']);
  for (const m of report.decisions)
    rows.push(['Recommendations and decisions', m.label, m.value === null ? '' : String(m.value), m.unit]);
  return stringify(rows, { cast: { string: neutraliseFormula } });
}

export function reportPdf(report: QualityReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `Panel quality report, ${report.period.label}`,
      Author: report.raaName,
      Creator: 'Kindred',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(`${report.raaName}: adoption panels’ quality report`);
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(`${report.period.label}. For the partnership board. Worked out on ${longDate(report.asAt)}.`);
  doc.moveDown();
  const section = (title: string, lines: Array<[string, string]>) => {
    doc.font('Helvetica-Bold').fontSize(12).text(title);
    doc.font('Helvetica').fontSize(10);
    for (const [label, value] of lines) doc.text(`${label}: ${value}`);
    doc.moveDown();
  };
  section(
    'Panels',
    report.panels.length
      ? report.panels.map((p): [string, string] => [p.name, `${p.sittings} sittings, ${p.items} items heard`])
      : [['Sittings', 'none in this period']],
  );
  section(
    'Items by kind',
    report.byKind.map((k): [string, string] => [k.label, String(k.count)]),
  );
  section(
    `Timeliness of papers (lead time ${report.papersLeadWorkingDays} working days before the sitting, to be confirmed)`,
    report.papers.map((m): [string, string] => [m.label, formatMeasure(m)]),
  );
  section(
    'Quality issues raised by the panels',
    report.quality.map((q): [string, string] => [q.label, String(q.count)]),
  );
  section(
    'Recommendations and decisions',
    report.decisions.map((m): [string, string] => [m.label, formatMeasure(m)]),
  );
  doc.end();
  return finished;
}
