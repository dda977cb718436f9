// A report as a PDF (pdfkit, as the panels' letters and quality report): the same figures,
// tables, charts, commentary and footnotes as the page. Charts are drawn from the same chart
// model as the SVG, each followed by its figures as text, so the PDF reads without the picture.
import PDFDocument from 'pdfkit';
import type { ChartModel } from './charts.js';
import type { ReportModel } from './report-model.js';

type Doc = PDFKit.PDFDocument;

function drawChart(doc: Doc, chart: ChartModel): void {
  const scale = (doc.page.width - doc.page.margins.left - doc.page.margins.right) / chart.width;
  const height = chart.height * scale;
  if (doc.y + height + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font('Helvetica-Bold').fontSize(11).text(chart.title);
  const originX = doc.page.margins.left;
  const originY = doc.y + 4;
  const x = (value: number) => originX + value * scale;
  const y = (value: number) => originY + value * scale;
  doc.save();
  doc.lineWidth(0.5).strokeColor('#b1b4b6');
  doc.font('Helvetica').fontSize(7).fillColor('#0b0c0c');
  for (const tick of chart.yTicks) {
    doc.moveTo(x(chart.plot.left), y(tick.y)).lineTo(x(chart.plot.right), y(tick.y)).stroke();
    doc.text(tick.label, x(0), y(tick.y) - 3, {
      width: x(chart.plot.left - 6) - x(0),
      align: 'right',
      lineBreak: false,
    });
  }
  for (const label of chart.xLabels) {
    doc.text(label.label, x(label.x) - 40, y(chart.plot.bottom + 8), {
      width: 80,
      align: 'center',
      lineBreak: false,
    });
  }
  for (const bar of chart.bars) {
    doc.rect(x(bar.x), y(bar.y), bar.width * scale, bar.height * scale).fill(bar.colour);
  }
  for (const series of chart.lines) {
    const [first, ...rest] = series.points;
    if (!first) continue;
    doc.lineWidth(2).strokeColor(series.colour);
    if (series.dash)
      doc.dash(Number(series.dash.split(' ')[0]), { space: Number(series.dash.split(' ')[1] ?? 3) });
    else doc.undash();
    doc.moveTo(x(first.x), y(first.y));
    for (const point of rest) doc.lineTo(x(point.x), y(point.y));
    doc.stroke();
    doc.undash();
    for (const point of series.points) doc.circle(x(point.x), y(point.y), 2.5).fill(series.colour);
  }
  if (chart.referenceLine) {
    doc.lineWidth(1).strokeColor('#0b0c0c').dash(6, { space: 3 });
    doc
      .moveTo(x(chart.plot.left), y(chart.referenceLine.y))
      .lineTo(x(chart.plot.right), y(chart.referenceLine.y))
      .stroke();
    doc.undash();
    doc
      .fillColor('#0b0c0c')
      .text(chart.referenceLine.label, x(chart.plot.left), y(chart.referenceLine.y) - 9, {
        width: x(chart.plot.right) - x(chart.plot.left),
        align: 'right',
        lineBreak: false,
      });
  }
  chart.legend.forEach((item, i) => {
    const left = x(chart.plot.left + i * 240);
    doc.rect(left, y(chart.height - 14), 12, 5).fill(item.colour);
    doc.fillColor('#0b0c0c').text(item.name, left + 16, y(chart.height - 15), { lineBreak: false });
  });
  doc.restore();
  doc.x = doc.page.margins.left;
  doc.y = originY + height + 6;
  doc.font('Helvetica').fontSize(9).fillColor('#0b0c0c');
  doc.text(chart.description);
  for (const row of chart.table.rows) {
    doc.text(
      `${row.category}: ${row.cells.map((cell, i) => `${chart.table.headers[i]} ${cell}`).join('; ')}`,
    );
  }
  doc.moveDown();
}

export function reportPdf(report: ReportModel): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: report.title, Author: report.organisationName, Creator: 'Kindred' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(report.title);
  doc.font('Helvetica').fontSize(10).text(`${report.period.label}. Worked out on ${report.asAt}.`);
  doc.moveDown(0.5).text(report.intro);
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(12).text('Commentary from the head of service');
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(report.commentary?.body || 'No commentary has been written for this period.');
  doc.moveDown();

  for (const group of report.figures) {
    doc.font('Helvetica-Bold').fontSize(12).text(group.heading);
    doc.font('Helvetica').fontSize(10);
    for (const item of group.items)
      doc.text(`${item.label}: ${item.value}${item.note ? ` (${item.note})` : ''}`);
    doc.moveDown();
  }
  for (const table of report.tables) {
    doc.font('Helvetica-Bold').fontSize(12).text(table.caption);
    doc.font('Helvetica').fontSize(9);
    for (const row of table.rows) {
      doc.text(
        `${row.label}: ${row.cells.map((cell, i) => `${table.headers[i + 1] ?? ''} ${cell}`).join('; ')}`,
      );
    }
    doc.moveDown();
  }
  for (const chart of report.charts) drawChart(doc, chart);

  if (report.footnotes.length) {
    doc.font('Helvetica-Bold').fontSize(11).text('Notes');
    doc.font('Helvetica').fontSize(8);
    report.footnotes.forEach((note, i) => doc.text(`${i + 1}. ${note}`));
  }
  doc.end();
  return finished;
}
