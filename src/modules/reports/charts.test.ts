// Charts are pictures with words: an SVG with a title and a description, and the same figures in
// a table beside it (issue 9 §4; WCAG 2.2 1.1.1 and 1.4.1).
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { viewSearchPaths } from '../../platform/views/render.js';
import { chartModel, type ChartInput } from './charts.js';

const a1Trend: ChartInput = {
  id: 'a1-trend',
  title: 'A1: days from entering care to moving in',
  description: 'A1 for each three-year window, against the 426-day threshold.',
  categories: ['2023-26 Q1', '2023-26 Q2', '2023-26 Q3'],
  series: [
    { name: 'Southwark', values: [400, null, 380] },
    { name: 'The RAA', values: [410, 420, 415] },
  ],
  reference: { label: 'A1 threshold', value: 426 },
  unit: 'days',
  kind: 'line',
};

function render(input: ChartInput): string {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(viewSearchPaths), { autoescape: true });
  return env.renderString(
    '{% from "reports/views/_chart.njk" import reportChart %}{{ reportChart(chart) }}',
    { chart: chartModel(input) },
  );
}

describe('charts', () => {
  it('draws an SVG named by its title and description, with every figure in a data table', () => {
    const html = render(a1Trend);
    expect(html).toMatch(/<svg[^>]+role="img"[^>]+aria-labelledby="a1-trend-title a1-trend-desc"/);
    expect(html).toContain('<title id="a1-trend-title">A1: days from entering care to moving in</title>');
    expect(html).toContain('<desc id="a1-trend-desc">A1 for each three-year window');
    expect(html).toContain('<table class="govuk-table" id="a1-trend-table">');
    for (const value of ['400 days', 'No figure', '380 days', '410 days', '420 days', '415 days']) {
      expect(html).toContain(value);
    }
    expect(html).not.toContain('<script');
  });

  it('scales so the threshold line and the highest value fit, and skips missing points', () => {
    const model = chartModel(a1Trend);
    expect(model.referenceLine!.y).toBeGreaterThanOrEqual(model.plot.top);
    expect(model.referenceLine!.y).toBeLessThan(model.plot.bottom);
    expect(model.lines[0]!.points).toHaveLength(2);
    expect(model.lines[1]!.points).toHaveLength(3);
    // A higher value sits higher on the page (smaller y).
    const [p400, p380] = model.lines[0]!.points;
    expect(p380!.y).toBeGreaterThan(p400!.y);
    // Series differ by dash pattern as well as colour.
    expect(model.legend[0]!.dash).not.toBe(model.legend[1]!.dash);
  });

  it('draws bars from the baseline, one per series and category', () => {
    const model = chartModel({ ...a1Trend, kind: 'bar', reference: undefined });
    expect(model.bars).toHaveLength(5);
    for (const bar of model.bars) expect(bar.y + bar.height).toBeCloseTo(model.plot.bottom);
  });
});
