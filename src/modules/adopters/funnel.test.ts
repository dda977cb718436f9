import { describe, expect, it } from 'vitest';
import {
  conversion,
  conversionFunnel,
  financialQuarterOf,
  financialYearOf,
  lastStepBefore,
  percent,
  type FunnelRow,
} from './funnel.js';

const row = (overrides: Partial<FunnelRow> = {}): FunnelRow => ({
  enquiryDate: null,
  registrationDate: null,
  stageOneDate: null,
  stageTwoDate: null,
  approvalDate: null,
  spoke: null,
  source: null,
  dropOut: null,
  ...overrides,
});

describe('financial quarters (ASGLB: April–June is Q1)', () => {
  it.each([
    ['2026-04-01', 2026, '2026-27 Q1'],
    ['2026-06-30', 2026, '2026-27 Q1'],
    ['2026-07-01', 2026, '2026-27 Q2'],
    ['2026-11-23', 2026, '2026-27 Q3'],
    ['2026-12-31', 2026, '2026-27 Q3'],
    ['2027-01-01', 2026, '2026-27 Q4'],
    ['2027-03-31', 2026, '2026-27 Q4'],
    ['2000-02-29', 1999, '1999-00 Q4'],
  ])('%s is in financial year %i, %s', (date, year, label) => {
    expect(financialYearOf(date)).toBe(year);
    expect(financialQuarterOf(date).label).toBe(label);
  });
});

describe('percent', () => {
  it.each([
    [1, 3, 33.3],
    [2, 3, 66.7],
    [0, 5, 0],
    [5, 0, null],
    [7, 4, 175],
  ])('%i of %i is %s', (part, whole, expected) => {
    expect(percent(part, whole)).toBe(expected);
  });
});

describe('conversion', () => {
  it('gives each step against the one before and against enquiries', () => {
    const steps = conversion({
      enquiry: 200,
      registration: 50,
      stageOne: 40,
      stageTwo: 30,
      approval: 20,
      dropOuts: 9,
    });
    expect(steps.map((s) => [s.step, s.count, s.ofPrevious, s.ofEnquiries])).toEqual([
      ['enquiry', 200, null, null],
      ['registration', 50, 25, 25],
      ['stageOne', 40, 80, 20],
      ['stageTwo', 30, 75, 15],
      ['approval', 20, 66.7, 10],
    ]);
  });
});

describe('lastStepBefore', () => {
  const journey = row({
    enquiryDate: '2026-04-10',
    registrationDate: '2026-05-01',
    stageOneDate: '2026-05-20',
  });
  it.each([
    ['2026-04-01', null],
    ['2026-04-10', 'enquiry'],
    ['2026-05-10', 'registration'],
    ['2026-09-01', 'stageOne'],
  ])('leaving on %s is after %s', (date, step) => {
    expect(lastStepBefore(journey, date)).toBe(step);
  });
});

describe('conversionFunnel', () => {
  const rows: FunnelRow[] = [
    // Whole journey inside 2026-27.
    row({
      enquiryDate: '2026-04-02',
      registrationDate: '2026-05-01',
      stageOneDate: '2026-05-10',
      stageTwoDate: '2026-08-01',
      approvalDate: '2026-12-01',
      spoke: 'east',
      source: 'search',
    }),
    // Enquired in 2025-26, registered in 2026-27: each step is counted in its own quarter.
    row({ enquiryDate: '2026-03-31', registrationDate: '2026-04-01', spoke: 'east', source: 'event' }),
    // Fast track: straight to Stage Two.
    row({
      enquiryDate: '2026-07-15',
      registrationDate: '2026-07-20',
      stageTwoDate: '2026-08-01',
      spoke: 'west',
      source: 'search',
    }),
    // Withdrew in Stage One.
    row({
      enquiryDate: '2026-10-01',
      registrationDate: '2026-10-05',
      stageOneDate: '2026-10-20',
      spoke: 'west',
      source: 'council',
      dropOut: { date: '2026-11-01', reason: 'withdrawn:health' },
    }),
    // An enquiry closed without registering, in Q4.
    row({
      enquiryDate: '2027-01-05',
      source: null,
      dropOut: { date: '2027-02-01', reason: 'enquiry_closed' },
    }),
    // Outside the year altogether.
    row({ enquiryDate: '2027-04-01', spoke: 'east', source: 'search' }),
  ];
  const report = conversionFunnel(rows, 2026);

  it('labels the year and its quarters', () => {
    expect(report.yearLabel).toBe('2026-27');
    expect(report.quarters.map((q) => q.label)).toEqual([
      '2026-27 Q1',
      '2026-27 Q2',
      '2026-27 Q3',
      '2026-27 Q4',
    ]);
  });

  it.each([
    ['2026-27 Q1', { enquiry: 1, registration: 2, stageOne: 1, stageTwo: 0, approval: 0, dropOuts: 0 }],
    ['2026-27 Q2', { enquiry: 1, registration: 1, stageOne: 0, stageTwo: 2, approval: 0, dropOuts: 0 }],
    ['2026-27 Q3', { enquiry: 1, registration: 1, stageOne: 1, stageTwo: 0, approval: 1, dropOuts: 1 }],
    ['2026-27 Q4', { enquiry: 1, registration: 0, stageOne: 0, stageTwo: 0, approval: 0, dropOuts: 1 }],
  ])('counts each step in the quarter its date falls in: %s', (label, counts) => {
    expect(report.quarters.find((q) => q.label === label)?.counts).toEqual(counts);
  });

  it('totals the year and converts', () => {
    expect(report.total).toEqual({
      enquiry: 4,
      registration: 4,
      stageOne: 2,
      stageTwo: 2,
      approval: 1,
      dropOuts: 2,
    });
    expect(report.conversion.at(-1)).toEqual({
      step: 'approval',
      count: 1,
      ofPrevious: 50,
      ofEnquiries: 25,
    });
  });

  it('gives drop-outs by reason and the step they left after', () => {
    expect(report.dropOuts).toEqual([
      {
        reason: 'enquiry_closed',
        count: 1,
        after: { none: 0, enquiry: 1, registration: 0, stageOne: 0, stageTwo: 0, approval: 0 },
      },
      {
        reason: 'withdrawn:health',
        count: 1,
        after: { none: 0, enquiry: 0, registration: 0, stageOne: 1, stageTwo: 0, approval: 0 },
      },
    ]);
  });

  it('breaks the year down by spoke and by source, leaving out groups with nothing in the year', () => {
    expect(
      report.bySpoke.map((g) => [g.key, g.counts.enquiry, g.counts.registration, g.approvalRate]),
    ).toEqual([
      ['west', 2, 2, 0],
      ['east', 1, 2, 100],
      [null, 1, 0, 0],
    ]);
    expect(report.bySource.map((g) => [g.key, g.counts.enquiry, g.counts.approval])).toEqual([
      ['search', 2, 1],
      ['council', 1, 0],
      [null, 1, 0],
      ['event', 0, 0],
    ]);
  });

  it('is empty, not wrong, for a year with nothing in it', () => {
    const empty = conversionFunnel(rows, 2020);
    expect(empty.total).toEqual({
      enquiry: 0,
      registration: 0,
      stageOne: 0,
      stageTwo: 0,
      approval: 0,
      dropOuts: 0,
    });
    expect(empty.conversion.every((s) => s.ofPrevious === null)).toBe(true);
    expect(empty.bySpoke).toEqual([]);
    expect(empty.dropOuts).toEqual([]);
  });
});
