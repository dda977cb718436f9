// One shape for a performance report, drawn three ways: the HTML page (views/report.njk), the PDF
// (report-pdf.ts) and the XLSX (report-xlsx.ts), so the three always say the same thing.
import type { ChartModel } from './charts.js';
import type { ReportKind } from './reports.tables.js';

export interface ReportFigure {
  label: string;
  value: string;
  /** A sentence beside the figure, e.g. the threshold it is compared with. */
  note?: string;
}

export interface ReportTable {
  id: string;
  caption: string;
  headers: string[];
  rows: Array<{ label: string; cells: string[] }>;
}

export interface ReportModel {
  kind: ReportKind;
  title: string;
  organisationId: string;
  organisationName: string;
  period: { key: string; label: string; start: string; end: string };
  asAt: string;
  intro: string;
  figures: Array<{ heading: string; items: ReportFigure[] }>;
  tables: ReportTable[];
  charts: ChartModel[];
  commentary: { body: string; version: number; updatedAt: Date | null; updatedBy: string | null } | null;
  footnotes: string[];
}
