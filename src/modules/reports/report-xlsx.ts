// A report as an XLSX workbook (exceljs): a summary sheet (figures, commentary, notes), one sheet
// per table and one per chart's figures, so a council can put the numbers in its own papers.
import ExcelJS from 'exceljs';
import type { ReportModel } from './report-model.js';

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], and unique. */
function sheetName(name: string, used: Set<string>): string {
  const base =
    name
      .replace(/[:\\/?*[\]]/g, ' ')
      .slice(0, 28)
      .trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; used.has(candidate); i += 1) candidate = `${base} ${i}`;
  used.add(candidate);
  return candidate;
}

export async function reportXlsx(report: ReportModel): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kindred';
  workbook.title = report.title;
  const used = new Set<string>();
  const summary = workbook.addWorksheet(sheetName('Summary', used));
  summary.getColumn(1).width = 60;
  summary.getColumn(2).width = 24;
  summary.getColumn(3).width = 60;
  summary.addRow([report.title]).font = { bold: true, size: 14 };
  summary.addRow([report.period.label]);
  summary.addRow([`Worked out on ${report.asAt}`]);
  summary.addRow([]);
  summary.addRow(['Commentary from the head of service']).font = { bold: true };
  summary.addRow([report.commentary?.body || 'No commentary has been written for this period.']);
  summary.addRow([]);
  for (const group of report.figures) {
    summary.addRow([group.heading]).font = { bold: true };
    for (const item of group.items) summary.addRow([item.label, item.value, item.note ?? '']);
    summary.addRow([]);
  }
  if (report.footnotes.length) {
    summary.addRow(['Notes']).font = { bold: true };
    report.footnotes.forEach((note, i) => summary.addRow([`${i + 1}. ${note}`]));
  }
  for (const table of report.tables) {
    const sheet = workbook.addWorksheet(sheetName(table.caption, used));
    sheet.addRow([table.caption]).font = { bold: true };
    sheet.addRow(table.headers).font = { bold: true };
    for (const row of table.rows) sheet.addRow([row.label, ...row.cells]);
    sheet.getColumn(1).width = 40;
  }
  for (const chart of report.charts) {
    const sheet = workbook.addWorksheet(sheetName(chart.title, used));
    sheet.addRow([chart.title]).font = { bold: true };
    sheet.addRow([chart.description]);
    sheet.addRow([chart.categoryHeading ?? 'Period', ...chart.table.headers]).font = { bold: true };
    chart.table.rows.forEach((row, j) =>
      sheet.addRow([
        row.category,
        ...chart.series.map((series, i) => series.values[j] ?? row.cells[i] ?? null),
      ]),
    );
    if (chart.referenceLine) sheet.addRow([chart.referenceLine.label]);
    sheet.getColumn(1).width = 30;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
