// Charts as server-rendered SVG (issue 9 §4): d3-scale and d3-shape do the arithmetic here, the
// markup is the Nunjucks partial views/_chart.njk, and report-pdf.ts draws the same model with
// pdfkit. No script runs in the browser. Every chart has a title and a description the screen
// reader announces (role="img" with aria-labelledby), and a data table beside it holding every
// value, so nobody needs to read the picture (WCAG 2.2 1.1.1; GOV.UK guidance on data
// visualisation).
import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

export interface ChartSeries {
  name: string;
  /** One value per category; null where there is no figure. */
  values: Array<number | null>;
  /** What the data table prints for each value, when it differs from the number (e.g. "fewer than 5"). */
  texts?: string[];
}

export interface ChartReferenceLine {
  label: string;
  value: number;
}

export interface ChartInput {
  id: string;
  title: string;
  /** One or two sentences that say what the chart shows and what it means. */
  description: string;
  categories: string[];
  series: ChartSeries[];
  /** A threshold or target drawn across the chart, e.g. the A1 threshold of 426 days. */
  reference?: ChartReferenceLine;
  unit: string;
  kind: 'line' | 'bar';
  /** The data table's first column heading; "Period" when not given. */
  categoryHeading?: string;
}

export interface ChartModel extends ChartInput {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: Array<{ y: number; label: string }>;
  xLabels: Array<{ x: number; label: string }>;
  lines: Array<{
    name: string;
    d: string;
    colour: string;
    dash: string;
    points: Array<{ x: number; y: number; label: string }>;
  }>;
  bars: Array<{ x: number; y: number; width: number; height: number; colour: string; label: string }>;
  referenceLine: { y: number; label: string } | null;
  legend: Array<{ name: string; colour: string; dash: string }>;
  /** The data table: one row per category, one column per series. */
  table: { headers: string[]; rows: Array<{ category: string; cells: string[] }> };
}

// GOV.UK palette colours with enough contrast against white (at least 3:1 for graphics, WCAG 1.4.11),
// and each series also has its own dash pattern so colour is never the only difference (1.4.1).
const colours = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92', '#f47738', '#505a5f'];
const dashes = ['', '6 3', '2 3', '10 4 2 4', '1 2', '8 2'];

const formatValue = (value: number | null, unit: string) =>
  value === null
    ? 'No figure'
    : `${Number.isInteger(value) ? value : value.toFixed(1)}${unit ? ` ${unit}` : ''}`;

export function chartModel(input: ChartInput, size: { width?: number; height?: number } = {}): ChartModel {
  const width = size.width ?? 640;
  const height = size.height ?? 300;
  const plot = { left: 56, top: 16, right: width - 16, bottom: height - 48 };
  const all = input.series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const top = Math.max(1, ...all, input.reference?.value ?? 0);
  const y = scaleLinear().domain([0, top]).nice(5).range([plot.bottom, plot.top]);
  const x = scaleBand<string>().domain(input.categories).range([plot.left, plot.right]).padding(0.2);
  const centre = (category: string) => (x(category) ?? plot.left) + x.bandwidth() / 2;

  const lines =
    input.kind === 'line'
      ? input.series.map((series, i) => {
          const points = input.categories
            .map((category, j) => ({ category, value: series.values[j] ?? null }))
            .filter((p): p is { category: string; value: number } => p.value !== null)
            .map((p) => ({
              x: centre(p.category),
              y: y(p.value),
              label: `${p.category}: ${formatValue(p.value, input.unit)}`,
            }));
          const path = line<{ x: number; y: number }>()
            .x((p) => p.x)
            .y((p) => p.y);
          return {
            name: series.name,
            d: points.length ? (path(points) ?? '') : '',
            colour: colours[i % colours.length]!,
            dash: dashes[i % dashes.length]!,
            points,
          };
        })
      : [];

  const bars: ChartModel['bars'] = [];
  if (input.kind === 'bar') {
    const inner = scaleBand<number>()
      .domain(input.series.map((_, i) => i))
      .range([0, x.bandwidth()])
      .padding(0.1);
    input.categories.forEach((category, j) => {
      input.series.forEach((series, i) => {
        const value = series.values[j] ?? null;
        if (value === null) return;
        bars.push({
          x: (x(category) ?? 0) + (inner(i) ?? 0),
          y: y(value),
          width: inner.bandwidth(),
          height: plot.bottom - y(value),
          colour: colours[i % colours.length]!,
          label: `${series.name}, ${category}: ${formatValue(value, input.unit)}`,
        });
      });
    });
  }

  return {
    ...input,
    width,
    height,
    plot,
    yTicks: y.ticks(5).map((tick) => ({ y: y(tick), label: String(tick) })),
    xLabels: input.categories.map((category) => ({ x: centre(category), label: category })),
    lines,
    bars,
    referenceLine: input.reference
      ? {
          y: y(input.reference.value),
          label: `${input.reference.label}: ${formatValue(input.reference.value, input.unit)}`,
        }
      : null,
    legend: input.series.map((series, i) => ({
      name: series.name,
      colour: colours[i % colours.length]!,
      dash: input.kind === 'line' ? dashes[i % dashes.length]! : '',
    })),
    table: {
      headers: input.series.map((s) => s.name),
      rows: input.categories.map((category, j) => ({
        category,
        cells: input.series.map((s) => s.texts?.[j] ?? formatValue(s.values[j] ?? null, input.unit)),
      })),
    },
  };
}
