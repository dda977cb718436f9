// The panel rules as tables (issue 7): quorum under AAR 2005 reg 6 as amended in 2012, the papers'
// lead time in working days, the decision maker's 7 working days after the final minutes, when an
// overdue decision is raised again, the six-monthly reporting periods, and which decision agrees
// with which recommendation.
import { describe, expect, it } from 'vitest';
import {
  agreesWithRecommendation,
  chairOf,
  checkQuorum,
  decisionClock,
  defaultPanelRules,
  escalationDue,
  longDate,
  median,
  papersDueBy,
  previousReportPeriod,
  reportPeriodOf,
  reportPeriodStarting,
  type Attendee,
} from './panel-rules.js';
import { fillTemplate, letterTemplates } from './letters.js';
import { paperTypeOf } from './panels.service.js';
import type { MemberRole } from './panels.tables.js';

let n = 0;
const a = (
  role: MemberRole,
  socialWorkQualifiedOn: string | null = null,
  name = `${role} ${++n}`,
): Attendee => ({
  id: `m${n}`,
  name,
  role,
  socialWorkQualifiedOn,
});
const chair = a('independent_chair');
const vice = a('vice_chair');
const sw = a('social_worker', '2015-06-01');
const newSw = a('social_worker', '2024-06-01');
const swNoDate = a('social_worker', null);
const independent = a('independent_member');
const other = a('other_member');
const other2 = a('other_member');
const medical = a('medical_adviser');
const legal = a('legal_adviser');
const adviser = a('panel_adviser');

describe('quorum (AAR 2005 reg 6 as amended in 2012; domain.md §4)', () => {
  const sittingDate = '2026-11-04';
  it.each([
    [
      'five members with the chair, an experienced social worker and an independent member',
      [chair, sw, independent, other, other2],
      false,
      [],
    ],
    ['a vice chair in the chair’s absence', [vice, sw, independent, other, other2], false, []],
    [
      'four members: advisers do not count',
      [chair, sw, independent, other, medical, legal, adviser],
      false,
      ['4 members are present: the quorum is 5 (advisers do not count)'],
    ],
    [
      'no chair or vice chair',
      [sw, independent, other, other2, a('other_member')],
      false,
      ['Neither the chair nor a vice chair is present'],
    ],
    [
      'a social worker qualified under three years before the sitting',
      [chair, newSw, independent, other, other2],
      false,
      [
        'No social worker present has 3 years’ post-qualifying experience (qualified on or before 2023-11-04)',
      ],
    ],
    [
      'a social worker with no qualification date recorded',
      [chair, swNoDate, independent, other, other2],
      false,
      [
        'No social worker present has 3 years’ post-qualifying experience (qualified on or before 2023-11-04)',
      ],
    ],
    [
      'no social worker',
      [chair, vice, independent, other, other2],
      false,
      ['No social worker member is present'],
    ],
    [
      'no independent member (the chair does not double as one)',
      [chair, vice, sw, other, other2],
      false,
      ['No independent member is present'],
    ],
    [
      'five members of a joint panel: six needed',
      [chair, sw, independent, other, other2],
      true,
      ['5 members are present: the quorum is 6 for a joint panel (advisers do not count)'],
    ],
    ['six members of a joint panel', [chair, vice, sw, independent, other, other2], true, []],
  ] as const)('%s', (_label, present, joint, problems) => {
    const result = checkQuorum(present, { joint, sittingDate });
    expect(result.problems).toEqual(problems);
    expect(result.quorate).toBe(problems.length === 0);
  });

  it('counts three years to the day: qualified exactly three years before the sitting is enough', () => {
    const exactly = a('social_worker', '2023-11-04');
    expect(
      checkQuorum([chair, exactly, independent, other, other2], { joint: false, sittingDate }).quorate,
    ).toBe(true);
    const dayShort = a('social_worker', '2023-11-05');
    expect(
      checkQuorum([chair, dayShort, independent, other, other2], { joint: false, sittingDate }).quorate,
    ).toBe(false);
  });

  it('takes the numbers from the rules, which are configuration', () => {
    const rules = { ...defaultPanelRules, quorumMinimum: 3 };
    expect(checkQuorum([chair, sw, independent], { joint: false, sittingDate }, rules).quorate).toBe(true);
  });

  it('has the chair chair, or a vice chair in their absence', () => {
    expect(chairOf([sw, vice, chair])).toBe(chair);
    const viceB = a('vice_chair', null, 'B Vice');
    const viceA = a('vice_chair', null, 'A Vice');
    expect(chairOf([sw, viceB, viceA])).toBe(viceA);
    expect(chairOf([sw, independent])).toBeUndefined();
  });
});

describe('papers reach members 5 working days before the sitting (domain.md §4, to be confirmed)', () => {
  it.each([
    ['a Wednesday sitting: the Wednesday before', '2026-11-18', '2026-11-11'],
    ['a Monday sitting: the Monday before', '2026-11-16', '2026-11-09'],
    ['over the late May bank holiday (25 May 2026)', '2026-05-29', '2026-05-21'],
    ['over New Year’s Day 2027 (a Friday)', '2027-01-06', '2026-12-29'],
    ['over Christmas and Boxing Day (substitute 28 December 2026)', '2026-12-30', '2026-12-21'],
    ['over Easter 2027 (Good Friday 26 March, Easter Monday 29 March)', '2027-03-31', '2027-03-22'],
  ])('%s', (_label, sitting, due) => {
    expect(papersDueBy(sitting)).toBe(due);
  });

  it('uses the lead time from the rules', () => {
    expect(papersDueBy('2026-11-18', { ...defaultPanelRules, papersLeadWorkingDays: 10 })).toBe('2026-11-04');
  });
});

describe('the decision maker’s clock: 7 working days after the final minutes (statutory guidance ch. 1)', () => {
  it.each([
    [
      'signed off on a Monday, looked at the same day',
      '2026-11-02',
      '2026-11-02',
      null,
      '2026-11-11',
      7,
      false,
      '7 working days left',
    ],
    ['on the due day', '2026-11-02', '2026-11-11', null, '2026-11-11', 0, false, '0 working days left'],
    ['the day after', '2026-11-02', '2026-11-12', null, '2026-11-11', -1, true, 'Overdue by 1 working day'],
    [
      'on a Sunday: the weekend does not count',
      '2026-11-02',
      '2026-11-15',
      null,
      '2026-11-11',
      -2,
      true,
      'Overdue by 2 working days',
    ],
    ['over Christmas', '2026-12-21', '2026-12-21', null, '2027-01-04', 7, false, '7 working days left'],
    ['decided in time', '2026-11-02', '2026-11-20', '2026-11-10', '2026-11-11', 1, false, 'Decided in time'],
    [
      'decided late',
      '2026-11-02',
      '2026-11-20',
      '2026-11-13',
      '2026-11-11',
      -2,
      true,
      'Decided 2 working days late',
    ],
  ] as const)('%s', (_label, signedOff, today, decided, due, left, overdue, label) => {
    const clock = decisionClock(signedOff, today, decided);
    expect(clock).toMatchObject({ due, workingDaysLeft: left, overdue, label });
  });

  it.each([
    ['not overdue', { overdue: false, decidedOn: null }, null, '2026-11-12', false],
    ['overdue, never raised', { overdue: true, decidedOn: null }, null, '2026-11-12', true],
    ['raised yesterday', { overdue: true, decidedOn: null }, '2026-11-12', '2026-11-13', false],
    ['raised five working days ago', { overdue: true, decidedOn: null }, '2026-11-12', '2026-11-19', true],
    ['decided late: nothing to raise', { overdue: true, decidedOn: '2026-11-13' }, null, '2026-11-19', false],
  ] as const)('escalation: %s', (_label, clock, last, today, due) => {
    expect(escalationDue(clock, last, today)).toBe(due);
  });
});

describe('six-monthly quality reports (NMS 17.2; seeds 001 service schedule)', () => {
  it.each([
    ['2026-04-01', '2026-04-01', '2026-09-30', '1 April to 30 September 2026'],
    ['2026-09-30', '2026-04-01', '2026-09-30', '1 April to 30 September 2026'],
    ['2026-10-01', '2026-10-01', '2027-03-31', '1 October 2026 to 31 March 2027'],
    ['2027-01-15', '2026-10-01', '2027-03-31', '1 October 2026 to 31 March 2027'],
    ['2027-03-31', '2026-10-01', '2027-03-31', '1 October 2026 to 31 March 2027'],
  ])('%s falls in %s to %s', (date, start, end, label) => {
    expect(reportPeriodOf(date)).toEqual({ start, end, label });
  });

  it('steps back one period and recognises a period by its first day only', () => {
    expect(previousReportPeriod('2026-11-02').start).toBe('2026-04-01');
    expect(previousReportPeriod('2026-05-02').start).toBe('2025-10-01');
    expect(reportPeriodStarting('2026-10-01')?.end).toBe('2027-03-31');
    expect(reportPeriodStarting('2026-10-02')).toBeUndefined();
  });

  it('works out medians and long dates for the report', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(longDate('2026-03-04')).toBe('4 March 2026');
  });
});

describe('decisions against recommendations', () => {
  it.each([
    ['adopter_approval', 'in_favour', 'approved', true],
    ['adopter_approval', 'in_favour', 'qualifying_determination', false],
    ['adopter_approval', 'not_in_favour', 'qualifying_determination', true],
    ['adopter_approval', 'not_in_favour', 'approved', false],
    ['match', 'in_favour', 'match_agreed', true],
    ['match', 'in_favour', 'match_not_agreed', false],
    ['approval_review', 'in_favour', 'approval_continues', true],
    ['approval_termination', 'in_favour', 'approval_ended', true],
    ['approval_termination', 'not_in_favour', 'approval_ended', false],
    ['relinquished_plan', 'not_in_favour', 'should_not_be_placed', true],
  ] as const)('%s: recommendation %s, decision %s agrees: %s', (kind, recommendation, outcome, agrees) => {
    expect(agreesWithRecommendation(kind, recommendation, outcome)).toBe(agrees);
  });
});

describe('papers: only PDF and Word (.docx), by their bytes', () => {
  const zip = (names: string[]) =>
    Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(26),
      Buffer.from(names.join(''), 'latin1'),
    ]);
  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n...'), 'application/pdf'],
    [
      'a .docx',
      zip(['[Content_Types].xml', 'word/document.xml']),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['a spreadsheet (.xlsx)', zip(['[Content_Types].xml', 'xl/workbook.xml']), null],
    ['a plain ZIP', zip(['photo.jpg']), null],
    ['an old binary .doc', Buffer.from('d0cf11e0a1b11ae1', 'hex'), null],
    ['a PNG called .pdf', Buffer.from('89504e470d0a1a0a', 'hex'), null],
    ['an executable', Buffer.from('MZ\x90\x00', 'latin1'), null],
    ['nothing', Buffer.alloc(0), null],
  ])('%s', (_label, content, type) => {
    expect(paperTypeOf(content)).toBe(type);
  });
});

describe('letter templates', () => {
  it('fills each placeholder and drops a paragraph whose value the letter does not have', () => {
    const filled = fillTemplate(letterTemplates['match.match_agreed'], {
      addressee: ['Robin Example'],
      address: [],
      salutation: 'Robin Example',
      reference: 'ABCD-EFGH',
      agencyName: 'Borough',
      panel: 'South East panel',
      sittingDate: '2026-11-04',
      decisionDate: '2026-11-06',
      recommendation: 'recommends the match',
      reasons: 'Good reasons.',
      deciderName: 'Dana',
      deciderOrganisation: 'Borough',
    });
    expect(filled.subject).toBe('The decision on the proposed match');
    expect(filled.paragraphs[0]).toBe('Dear Robin Example,');
    expect(filled.paragraphs.join(' ')).toContain('I have decided on 6 November 2026 to agree the match');
    // No child's first name given: the paragraphs that need it are left out, never filled with a blank.
    expect(filled.paragraphs.some((p) => p.includes('{') || p.includes('should be placed with you'))).toBe(
      false,
    );
  });
});
