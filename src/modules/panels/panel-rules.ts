// The rules of adoption panels and agency decisions as pure functions (issue 7): who counts
// towards a quorum, when papers must reach members, the decision maker's clock after the final
// minutes, who decides each kind of case, and the six-monthly reporting periods. No database, and
// no clock but the dates passed in.
//
// Sources: shared/domain.md §3–§4 and domain-detail.md §3 (Adoption Agencies Regulations 2005
// regs 3–6 as amended by the 2012 panel changes; statutory guidance on adoption (2013) ch. 1 and
// 4; National Minimum Standards 17). Figures the brief marks "(confirm)" are in PanelRules, not
// constants, and each page that uses one says so.
import {
  addCalendarDays,
  addCalendarMonths,
  adrDecisionDue,
  englandAndWalesCalendar,
  qualifyingDeterminationRepresentationsDue,
  type IsoDate,
  type WorkingDayCalendar,
  monthNames,
} from '../../platform/time/index.js';
import type { DecisionOutcome, ItemKind, MemberRole, Recommendation } from './panels.tables.js';

export interface PanelRules {
  /** Members present for a quorum (reg 6 as amended in 2012). */
  quorumMinimum: number;
  /** Members present for a panel set up jointly by several agencies. */
  jointQuorumMinimum: number;
  /** Post-qualifying experience of the social worker the quorum needs, in years. */
  socialWorkerExperienceYears: number;
  /** Working days before the sitting by which members have their papers. */
  papersLeadWorkingDays: number;
  /** Working days after the decision by which placement planning is due (local practice). */
  placementPlanningWorkingDays: number;
  /** Working days between reminders of an overdue decision. */
  escalationIntervalWorkingDays: number;
}

export const defaultPanelRules: PanelRules = {
  quorumMinimum: 5,
  jointQuorumMinimum: 6,
  socialWorkerExperienceYears: 3,
  papersLeadWorkingDays: 5,
  placementPlanningWorkingDays: 10,
  escalationIntervalWorkingDays: 5,
};

/** Where each figure comes from, and whether the brief asks for it to be confirmed (shown in the UI). */
export const panelRuleSources: Record<keyof PanelRules, { source: string; confirm: boolean }> = {
  quorumMinimum: {
    source:
      'At least five members, including the chair or a vice chair, a social worker with three years’ ' +
      'post-qualifying experience and one independent member (AAR 2005 reg 6 as amended in 2012; ' +
      'domain.md §4).',
    confirm: true,
  },
  jointQuorumMinimum: {
    source: 'Six for a panel set up jointly by several agencies (domain.md §4; domain-detail.md §3).',
    confirm: true,
  },
  socialWorkerExperienceYears: {
    source: 'A social worker with at least three years’ relevant post-qualifying experience (reg 6).',
    confirm: false,
  },
  papersLeadWorkingDays: {
    source:
      'Papers reach members in good time before the sitting: practice is at least five working days ' +
      '(domain.md §4; packs 5–14 days before in agency procedures, domain-detail.md §3).',
    confirm: true,
  },
  placementPlanningWorkingDays: {
    source: 'Placement planning after the match decision: local practice, not a statutory limit.',
    confirm: true,
  },
  escalationIntervalWorkingDays: {
    source: 'How often an overdue decision is raised again with the decision makers: Kindred’s choice.',
    confirm: false,
  },
};

export const memberRoleLabels: Record<MemberRole, string> = {
  independent_chair: 'Independent chair',
  vice_chair: 'Vice chair',
  social_worker: 'Social worker member',
  independent_member: 'Independent member',
  other_member: 'Other member (relevant experience)',
  medical_adviser: 'Medical adviser',
  legal_adviser: 'Legal adviser',
  panel_adviser: 'Panel (agency) adviser',
  panel_administrator: 'Panel administrator',
};

/** Members vote and count towards the quorum; advisers and the administrator advise or minute but do not (regs 8–9). */
const memberRolesSet: ReadonlySet<MemberRole> = new Set([
  'independent_chair',
  'vice_chair',
  'social_worker',
  'independent_member',
  'other_member',
]);
export function isPanelMember(role: MemberRole): boolean {
  return memberRolesSet.has(role);
}

export interface Attendee {
  id: string;
  name: string;
  role: MemberRole;
  /** For social workers: the date they qualified, for the three years' post-qualifying experience. */
  socialWorkQualifiedOn: IsoDate | null;
}

export interface QuorumCheck {
  quorate: boolean;
  /** Members (not advisers) counted. */
  present: number;
  needed: number;
  /** One sentence per requirement not met, for the page and the refusal. */
  problems: string[];
}

/**
 * Whether the members present make a quorum for an item (AAR 2005 reg 6 as amended in 2012): at
 * least `quorumMinimum` members (more for a joint panel), among them the chair or a vice chair, a
 * social worker with the post-qualifying experience on the date of the sitting, and an independent
 * member. Advisers do not count. Members who withdrew from the item because of a conflict of
 * interest are left out by the caller. Each requirement is met by a different person: the chair
 * does not double as the independent member.
 */
export function checkQuorum(
  present: readonly Attendee[],
  context: { joint: boolean; sittingDate: IsoDate },
  rules: PanelRules = defaultPanelRules,
): QuorumCheck {
  const members = present.filter((a) => isPanelMember(a.role));
  const needed = context.joint ? rules.jointQuorumMinimum : rules.quorumMinimum;
  const problems: string[] = [];
  if (members.length < needed) {
    problems.push(
      `${members.length} ${members.length === 1 ? 'member is' : 'members are'} present: the quorum is ${needed}${context.joint ? ' for a joint panel' : ''} (advisers do not count)`,
    );
  }
  if (!members.some((m) => m.role === 'independent_chair' || m.role === 'vice_chair')) {
    problems.push('Neither the chair nor a vice chair is present');
  }
  const experiencedBy = addCalendarMonths(context.sittingDate, -12 * rules.socialWorkerExperienceYears);
  const socialWorkers = members.filter((m) => m.role === 'social_worker');
  if (
    !socialWorkers.some((m) => m.socialWorkQualifiedOn !== null && m.socialWorkQualifiedOn <= experiencedBy)
  ) {
    problems.push(
      socialWorkers.length === 0
        ? 'No social worker member is present'
        : `No social worker present has ${rules.socialWorkerExperienceYears} years’ post-qualifying experience (qualified on or before ${experiencedBy})`,
    );
  }
  if (!members.some((m) => m.role === 'independent_member')) {
    problems.push('No independent member is present');
  }
  return { quorate: problems.length === 0, present: members.length, needed, problems };
}

/** Who chairs: the independent chair if present, otherwise the first vice chair present (by name). */
export function chairOf(present: readonly Attendee[]): Attendee | undefined {
  return (
    present.find((a) => a.role === 'independent_chair') ??
    [...present].filter((a) => a.role === 'vice_chair').sort((a, b) => a.name.localeCompare(b.name))[0]
  );
}

/**
 * The last day members may receive the papers: `papersLeadWorkingDays` working days before the
 * sitting, so that between that day and the sitting there are that many working days (the sitting
 * day counted, the day the papers arrive not). For a Wednesday sitting and 5 days: the Wednesday
 * before, when no bank holiday falls between.
 */
export function papersDueBy(
  sittingDate: IsoDate,
  rules: PanelRules = defaultPanelRules,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): IsoDate {
  let day = addCalendarDays(sittingDate, -1);
  while (
    !calendar.isWorkingDay(day) ||
    calendar.workingDaysBetween(day, sittingDate) < rules.papersLeadWorkingDays
  ) {
    day = addCalendarDays(day, -1);
  }
  return day;
}

export interface DecisionClock {
  /** The day the final minutes were signed off (received by the decision maker). */
  from: IsoDate;
  due: IsoDate;
  decidedOn: IsoDate | null;
  /** Working days left to the due date (0 on it); negative once overdue. */
  workingDaysLeft: number;
  overdue: boolean;
  /** "Due 12 March 2026: 3 working days left", "Overdue by 2 working days", "Decided in time". */
  label: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The decision maker decides within 7 working days of receiving the final panel minutes
 * (adrDecisionDue; statutory guidance ch. 1). The clock starts on the day the chair signs the
 * minutes off, which is the day Kindred gives them to the decision maker.
 */
export function decisionClock(
  signedOffOn: IsoDate,
  today: IsoDate,
  decidedOn: IsoDate | null = null,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): DecisionClock {
  const due = adrDecisionDue(signedOffOn, calendar);
  const asAt = decidedOn ?? today;
  const workingDaysLeft = calendar.workingDaysBetween(asAt, due);
  const overdue = asAt > due;
  let label: string;
  if (decidedOn) {
    label = overdue ? `Decided ${plural(-workingDaysLeft, 'working day')} late` : 'Decided in time';
  } else if (overdue) {
    label = `Overdue by ${plural(-workingDaysLeft, 'working day')}`;
  } else {
    label = `${plural(workingDaysLeft, 'working day')} left`;
  }
  return { from: signedOffOn, due, decidedOn, workingDaysLeft, overdue, label };
}

/** Whether an overdue decision should be raised again today: never raised, or not for `escalationIntervalWorkingDays`. */
export function escalationDue(
  clock: Pick<DecisionClock, 'overdue' | 'decidedOn'>,
  lastEscalatedOn: IsoDate | null,
  today: IsoDate,
  rules: PanelRules = defaultPanelRules,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): boolean {
  if (!clock.overdue || clock.decidedOn) return false;
  if (!lastEscalatedOn) return true;
  return calendar.workingDaysBetween(lastEscalatedOn, today) >= rules.escalationIntervalWorkingDays;
}

/** The applicants' last day for representations or an IRM application after a qualifying determination. */
export function representationsDue(letterDate: IsoDate): IsoDate {
  return qualifyingDeterminationRepresentationsDue(letterDate);
}

// ── What each kind of case asks, and who decides ────────────────────────────────────────────────

export const itemKindLabels: Record<ItemKind, string> = {
  adopter_approval: 'Approval of prospective adopters',
  match: 'Match',
  relinquished_plan: 'Plan for a relinquished child',
  approval_review: 'Review of approval',
  approval_termination: 'Proposal to end approval',
};

/** The question the panel answers, per kind: "in favour" is a yes to it. */
export const recommendationLabels: Record<ItemKind, Record<Recommendation, string>> = {
  adopter_approval: {
    in_favour: 'Recommends that the applicants are suitable to adopt',
    not_in_favour: 'Does not recommend approval',
    deferred: 'Deferred for more information',
  },
  match: {
    in_favour: 'Recommends the match',
    not_in_favour: 'Does not recommend the match',
    deferred: 'Deferred for more information',
  },
  relinquished_plan: {
    in_favour: 'Recommends that the child should be placed for adoption',
    not_in_favour: 'Does not recommend that the child should be placed for adoption',
    deferred: 'Deferred for more information',
  },
  approval_review: {
    in_favour: 'Recommends that approval continues',
    not_in_favour: 'Recommends that approval ends',
    deferred: 'Deferred for more information',
  },
  approval_termination: {
    in_favour: 'Recommends that approval ends',
    not_in_favour: 'Recommends that approval continues',
    deferred: 'Deferred for more information',
  },
};

export const decisionOutcomeLabels: Record<DecisionOutcome, string> = {
  approved: 'Approved as suitable to adopt',
  qualifying_determination: 'Proposes not to approve (qualifying determination)',
  approval_continues: 'Approval continues',
  approval_ended: 'Approval ends',
  match_agreed: 'Match agreed',
  match_not_agreed: 'Match not agreed',
  should_be_placed: 'The child should be placed for adoption',
  should_not_be_placed: 'The child should not be placed for adoption',
};

/**
 * The decisions open to the decision maker for each kind, the first being the one that agrees
 * with a recommendation in favour. A refusal of prospective adopters starts as a qualifying
 * determination (reg 30B(4)–(5)); the final decision follows the applicants' representations or
 * the IRM, or the end of their 40 working days.
 */
export const outcomesFor: Record<ItemKind, readonly [DecisionOutcome, DecisionOutcome]> = {
  adopter_approval: ['approved', 'qualifying_determination'],
  match: ['match_agreed', 'match_not_agreed'],
  relinquished_plan: ['should_be_placed', 'should_not_be_placed'],
  approval_review: ['approval_continues', 'approval_ended'],
  approval_termination: ['approval_ended', 'approval_continues'],
};

export function agreesWithRecommendation(
  kind: ItemKind,
  recommendation: Recommendation,
  outcome: DecisionOutcome,
): boolean {
  const [yes, no] = outcomesFor[kind];
  return recommendation === 'in_favour' ? outcome === yes : outcome === no;
}

/**
 * Whose decision maker decides (seeds 001 §11.6 and the service schedule): the RAA's for
 * prospective adopters (approval, review, ending approval); the child's council's for the plan
 * that a child should be placed for adoption and for the match.
 */
export type DecidingSide = 'raa' | 'child_council';
export const decidingSide: Record<ItemKind, DecidingSide> = {
  adopter_approval: 'raa',
  approval_review: 'raa',
  approval_termination: 'raa',
  match: 'child_council',
  relinquished_plan: 'child_council',
};

// ── Six-monthly quality reports ─────────────────────────────────────────────────────────────────

export interface ReportPeriod {
  start: IsoDate;
  end: IsoDate;
  /** "1 April to 30 September 2026", "1 October 2026 to 31 March 2027". */
  label: string;
}

/**
 * The six-month period a date falls in. The panel's quality report goes to the partnership board
 * every six months (NMS 17.2; seeds 001 service schedule): 1 April to 30 September, and
 * 1 October to 31 March, in step with the financial year.
 */
export function reportPeriodOf(date: IsoDate): ReportPeriod {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (month >= 4 && month <= 9) {
    return { start: `${year}-04-01`, end: `${year}-09-30`, label: `1 April to 30 September ${year}` };
  }
  const startYear = month >= 10 ? year : year - 1;
  return {
    start: `${startYear}-10-01`,
    end: `${startYear + 1}-03-31`,
    label: `1 October ${startYear} to 31 March ${startYear + 1}`,
  };
}

/** The period before the one a date falls in. */
export function previousReportPeriod(date: IsoDate): ReportPeriod {
  return reportPeriodOf(addCalendarDays(reportPeriodOf(date).start, -1));
}

/** The period starting on `start`, if start is the first day of one; otherwise undefined. */
export function reportPeriodStarting(start: IsoDate): ReportPeriod | undefined {
  const period = reportPeriodOf(start);
  return period.start === start ? period : undefined;
}

/** "4 March 2026" for a period label in a letter or PDF, without Intl's time-zone handling. */
export function longDate(date: IsoDate): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${monthNames[Number(month) - 1] ?? ''} ${year}`;
}

/** The median of some numbers, or null if there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
