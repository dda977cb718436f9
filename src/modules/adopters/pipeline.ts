// The prospective adopter household's journey as dated facts (issue 5 §3; design.md §4), in the
// style of the child's journey (children/journey.ts): each step is a fact with an effective date,
// a source and a recorder; a correction supersedes an earlier fact with a reason and never
// overwrites it. The stage, the statutory clocks and the deadlines are derived from the facts in
// force. Pure functions: no database, and no clock but the `today` passed in.
//
// Steps and clocks follow shared/domain.md §3 and domain-detail.md §2 and §10 (Adoption Agencies
// Regulations 2005 Part 4 as amended by the Adoption Agencies (Miscellaneous Amendments)
// Regulations 2013; statutory guidance on adoption (2013) ch. 3). Figures the brief marks
// "(confirm)" are in PipelineRules, not constants, so the UI can say they are to be confirmed.
import {
  addCalendarDays,
  addCalendarMonths,
  calendarDaysBetween,
  councilCheckDue,
  describeClock,
  englandAndWalesCalendar,
  isValidIsoDate,
  qualifyingDeterminationRepresentationsDue,
  stageOneTarget,
  stageTwoTarget,
} from '../../platform/time/index.js';
import type { IsoDate, WorkingDayCalendar } from '../../platform/time/index.js';

export interface PipelineRules {
  /** Working days the agency takes to decide on a registration of interest. */
  registrationDecisionWorkingDays: number;
  /** Months from approval (then from each review) to the next review of approval. */
  approvalReviewMonths: number;
  /** Personal referees usually asked for in Stage One. */
  refereesExpected: number;
}

export const defaultPipelineRules: PipelineRules = {
  registrationDecisionWorkingDays: 5,
  approvalReviewMonths: 12,
  refereesExpected: 3,
};

/** Why each configurable figure is what it is, and whether the brief asks for it to be confirmed. */
export const pipelineRuleSources: Record<keyof PipelineRules, { source: string; confirm: boolean }> = {
  registrationDecisionWorkingDays: {
    source:
      'Guidance expects a decision on a registration of interest in about five working days; found only ' +
      'in agency pages and blogs (domain.md §3.2, domain-detail.md §2 and §11.5).',
    confirm: true,
  },
  approvalReviewMonths: {
    source:
      'Approval is reviewed within 12 months and then yearly until a match (domain.md §3.7, ' +
      'domain-detail.md §2 "Approval review"; the regulation number is unconfirmed, §11.8).',
    confirm: true,
  },
  refereesExpected: {
    source:
      'Usually at least three personal referees, one of them family (domain.md §3.3; York and Kent ' +
      'Stage One pages in domain-detail.md §2).',
    confirm: false,
  },
};

/**
 * After Stage One the applicants have six months to tell the agency they wish to proceed; after
 * that they must start Stage One again (AAR 2005 reg 28(2); domain-detail.md §2, "Stage 1 outcome").
 */
export const gapBetweenStagesMonths = 6;

export const pipelineFactKinds = [
  'enquiry',
  'information_event_attended',
  'registration_of_interest_received',
  'registration_of_interest_decision',
  'stage_one_started',
  'statutory_check',
  'preparation_training_started',
  'preparation_training_completed',
  'stage_one_outcome',
  'stage_two_notified',
  'prospective_adopters_report',
  'panel',
  'agency_decision',
  'determination_review_requested',
  'approval_review',
  'matched',
  'placed',
  'withdrawn',
  'clock_paused',
  'clock_resumed',
  'clock_extended',
  'delay_recorded',
] as const;
export type PipelineFactKind = (typeof pipelineFactKinds)[number];

export const pipelineFactLabels: Record<PipelineFactKind, string> = {
  enquiry: 'Enquiry',
  information_event_attended: 'Information event attended',
  registration_of_interest_received: 'Registration of interest received',
  registration_of_interest_decision: 'Decision on the registration of interest',
  stage_one_started: 'Stage One started',
  statutory_check: 'Statutory check',
  preparation_training_started: 'Preparation training started',
  preparation_training_completed: 'Preparation training completed',
  stage_one_outcome: 'Stage One outcome',
  stage_two_notified: 'Stage Two started (applicants said they wish to proceed)',
  prospective_adopters_report: "Prospective Adopter's Report sent to the applicants",
  panel: 'Adoption panel',
  agency_decision: 'Agency decision',
  determination_review_requested: 'Representations or IRM review requested',
  approval_review: 'Review of approval',
  matched: 'Matched',
  placed: 'Child placed',
  withdrawn: 'Withdrawn',
  clock_paused: 'Clock paused',
  clock_resumed: 'Clock restarted',
  clock_extended: 'Target extended',
  delay_recorded: 'Reason for delay',
};

/** Each fact as the subject of a sentence ("The panel cannot be …"). */
export const pipelineFactNouns: Record<PipelineFactKind, string> = {
  enquiry: 'enquiry',
  information_event_attended: 'information event',
  registration_of_interest_received: 'registration of interest',
  registration_of_interest_decision: 'decision on the registration of interest',
  stage_one_started: 'start of Stage One',
  statutory_check: 'statutory check',
  preparation_training_started: 'start of preparation training',
  preparation_training_completed: 'end of preparation training',
  stage_one_outcome: 'Stage One outcome',
  stage_two_notified: 'start of Stage Two',
  prospective_adopters_report: "Prospective Adopter's Report",
  panel: 'panel',
  agency_decision: 'agency decision',
  determination_review_requested: 'request for representations or an IRM review',
  approval_review: 'review of approval',
  matched: 'match',
  placed: 'placement',
  withdrawn: 'withdrawal',
  clock_paused: 'pause',
  clock_resumed: 'restart of the clock',
  clock_extended: 'extension',
  delay_recorded: 'reason for delay',
};

/**
 * Fast track: approved foster carers and people who have adopted before (in England or Wales
 * since 30 December 2005) go straight to Stage Two (AAR 2005 as amended in 2013; domain.md §3.5,
 * domain-detail.md §2 "Fast-track"). The regulation number is unconfirmed (domain-detail.md §11.8).
 */
export const fastTrackBases = {
  previous_adopter: 'Has adopted before (approved in England or Wales since 30 December 2005)',
  approved_foster_carer: 'Currently an approved foster carer',
} as const;
export type FastTrackBasis = keyof typeof fastTrackBases;

export const registrationDecisions = {
  accepted: 'Accepted',
  declined: 'Declined',
} as const;
export type RegistrationDecision = keyof typeof registrationDecisions;

/** The Stage One checks (AAR 2005 regs 21–27: police checks reg 25; domain.md §3.3). */
export const checkTypes = {
  enhanced_dbs: 'Enhanced DBS check',
  medical: 'Medical report',
  referee: 'Personal reference',
  local_authority: 'Local authority check',
  previous_partner: 'Previous partner',
} as const;
export type CheckType = keyof typeof checkTypes;

export const checkSteps = {
  requested: 'Requested',
  chased: 'Chased',
  received: 'Received',
} as const;
export type CheckStep = keyof typeof checkSteps;

export interface StatutoryCheckDetail {
  type: CheckType;
  /** Who or what the check is about: the adult for a DBS check, the referee, the council's code. */
  subject: string;
  step: CheckStep;
}

/** The reg 27(4) notice at the end of Stage One. "Not suitable" goes to complaints; the IRM does not apply. */
export const stageOneOutcomes = {
  may_be_suitable: 'May be suitable to adopt: Stage Two can follow',
  not_suitable: 'Not suitable to adopt',
} as const;
export type StageOneOutcome = keyof typeof stageOneOutcomes;

/** The panel recommends and never decides (domain.md §1, §4); a panel lacking information defers. */
export const panelRecommendations = {
  suitable: 'Recommends approval',
  not_suitable: 'Does not recommend approval',
  deferred: 'Deferred for more information',
} as const;
export type PanelRecommendation = keyof typeof panelRecommendations;

/**
 * The agency decision maker's decision (AAR 2005 reg 30B). Refusal goes through a qualifying
 * determination first: the applicants may make representations or apply to the IRM within 40
 * working days (reg 30B(5)(c)), and only then is a final decision made.
 */
export const agencyDecisions = {
  approved: 'Approved as suitable to adopt',
  qualifying_determination: 'Proposes not to approve (qualifying determination)',
  not_approved: 'Not approved',
} as const;
export type AgencyDecision = keyof typeof agencyDecisions;

/** After a qualifying determination: one route or the other, not both (domain-detail.md §2). */
export const determinationReviewRoutes = {
  representations_to_agency: 'Representations to the agency decision maker',
  independent_review_mechanism: 'Application to the Independent Review Mechanism',
} as const;
export type DeterminationReviewRoute = keyof typeof determinationReviewRoutes;

export const approvalReviewOutcomes = {
  approval_continues: 'Approval continues',
  approval_ended: 'Approval ended',
} as const;
export type ApprovalReviewOutcome = keyof typeof approvalReviewOutcomes;

/** Why a household left the process (ASGLB collects "leaving the process and reason": domain.md §5). */
export const withdrawalReasons = {
  not_right_now: 'Decided adoption is not right for them now',
  circumstances_changed: 'Change in circumstances (work, money or housing)',
  relationship: 'Relationship change',
  health: 'Health',
  pregnancy_or_fertility: 'Pregnancy or fertility treatment',
  another_agency: 'Moved to another adoption agency',
  moved_away: 'Moved away from the region',
  no_contact: 'No contact from the household',
  other: 'Another reason (give details)',
} as const;
export type WithdrawalReason = keyof typeof withdrawalReasons;

export const pauseReasons = {
  applicants_asked: 'The applicants asked for a pause',
  ill_health: 'Ill health',
  bereavement: 'Bereavement',
  household_change: 'Change in the household',
  house_move: 'Moving house',
  other: 'Another reason (give details)',
} as const;
export type PauseReason = keyof typeof pauseReasons;

/** Reasons for delay, recorded because the board asks (issue 5 §3); extensions use the same list. */
export const delayReasons = {
  dbs_check_late: 'DBS check late',
  local_authority_check_late: 'Local authority check late',
  medical_late: 'Medical report late',
  references_late: 'References late',
  applicants_availability: "Applicants' availability",
  applicants_circumstances: "Change in the applicants' circumstances",
  further_information_needed: 'Further information needed',
  social_worker_capacity: 'No social worker available',
  training_availability: 'No place on preparation training',
  panel_availability: 'No panel date available',
  other: 'Another reason (give details)',
} as const;
export type DelayReason = keyof typeof delayReasons;

export const stageClockKinds = {
  stage_one: 'Stage One',
  stage_two: 'Stage Two',
} as const;
export type StageClockKind = keyof typeof stageClockKinds;

export interface PipelineFact {
  id: string;
  kind: PipelineFactKind;
  /** The date it happened: 'YYYY-MM-DD'. */
  effectiveDate: IsoDate;
  /** Where the fact came from, e.g. 'enquiry form', 'RAA worker', 'council check reply'. */
  source: string;
  recordedBy: string;
  recordedAt: string;
  /** The fact this one corrects, if any; the corrected fact is no longer in force. */
  supersedes?: string | null;
  correctionReason?: string | null;
  registrationDecision?: RegistrationDecision | null;
  /** On an accepted registration of interest: the household goes straight to Stage Two. */
  fastTrack?: FastTrackBasis | null;
  check?: StatutoryCheckDetail | null;
  stageOneOutcome?: StageOneOutcome | null;
  panelRecommendation?: PanelRecommendation | null;
  agencyDecision?: AgencyDecision | null;
  reviewRoute?: DeterminationReviewRoute | null;
  approvalReviewOutcome?: ApprovalReviewOutcome | null;
  withdrawalReason?: WithdrawalReason | null;
  /** For pauses, restarts, extensions and delays: which clock. */
  clock?: StageClockKind | null;
  pauseReason?: PauseReason | null;
  extensionDays?: number | null;
  delayReason?: DelayReason | null;
  /** Free text; required when a reason is "other". */
  reasonDetail?: string | null;
}

export type ProposedPipelineFact = Omit<PipelineFact, 'id' | 'recordedAt'> &
  Partial<Pick<PipelineFact, 'id' | 'recordedAt'>>;

export const pipelineStages = [
  'enquiry',
  'information_event_attended',
  'registration_of_interest',
  'registration_accepted',
  'stage_one',
  'between_stages',
  'stage_two',
  'awaiting_agency_decision',
  'qualifying_determination',
  'approved',
  'matched',
  'placed',
  'registration_declined',
  'not_suitable',
  'not_approved',
  'approval_ended',
  'withdrawn',
] as const;
export type PipelineStage = (typeof pipelineStages)[number];

export const pipelineStageLabels: Record<PipelineStage, string> = {
  enquiry: 'Enquiry',
  information_event_attended: 'Attended an information event',
  registration_of_interest: 'Registration of interest: decision due',
  registration_accepted: 'Registration accepted: assessment to start',
  stage_one: 'Stage One (pre-assessment)',
  between_stages: 'Between Stage One and Stage Two',
  stage_two: 'Stage Two (assessment)',
  awaiting_agency_decision: 'Panel held: agency decision due',
  qualifying_determination: 'Proposed not to approve: representations or IRM',
  approved: 'Approved, waiting for a match',
  matched: 'Matched',
  placed: 'Child placed',
  registration_declined: 'Registration of interest declined',
  not_suitable: 'Not suitable after Stage One',
  not_approved: 'Not approved',
  approval_ended: 'Approval ended',
  withdrawn: 'Withdrawn',
};

/** Stages that end the household's journey: a new application is a new record. */
export const closedStages: readonly PipelineStage[] = [
  'placed',
  'registration_declined',
  'not_suitable',
  'not_approved',
  'approval_ended',
  'withdrawn',
];

/** The facts in force: every fact that no correction supersedes. */
export function factsInForce<T extends Pick<PipelineFact, 'id' | 'supersedes'>>(facts: readonly T[]): T[] {
  const superseded = new Set(facts.map((fact) => fact.supersedes).filter((id): id is string => !!id));
  return facts.filter((fact) => !superseded.has(fact.id));
}

/** Date order; same-day facts in the order they were recorded, so the answer never depends on array order. */
function byDate(a: PipelineFact, b: PipelineFact): number {
  return (
    a.effectiveDate.localeCompare(b.effectiveDate) ||
    a.recordedAt.localeCompare(b.recordedAt) ||
    a.id.localeCompare(b.id)
  );
}

function ofKind(
  facts: readonly PipelineFact[],
  kind: PipelineFactKind,
  where: (fact: PipelineFact) => boolean = () => true,
): PipelineFact[] {
  return facts.filter((fact) => fact.kind === kind && where(fact)).sort(byDate);
}

function latest(
  facts: readonly PipelineFact[],
  kind: PipelineFactKind,
  where?: (fact: PipelineFact) => boolean,
): PipelineFact | undefined {
  return ofKind(facts, kind, where).at(-1);
}

function earliest(
  facts: readonly PipelineFact[],
  kind: PipelineFactKind,
  where?: (fact: PipelineFact) => boolean,
): PipelineFact | undefined {
  return ofKind(facts, kind, where)[0];
}

/** The accepted registration of interest in force, if any. */
function acceptance(facts: readonly PipelineFact[]): PipelineFact | undefined {
  return latest(facts, 'registration_of_interest_decision', (f) => f.registrationDecision === 'accepted');
}

/** True when the accepted registration puts the household on the fast track past Stage One. */
export function isFastTrack(allFacts: readonly PipelineFact[]): boolean {
  return !!acceptance(factsInForce(allFacts))?.fastTrack;
}

interface StageOneCycle {
  started: PipelineFact;
  outcome: PipelineFact | undefined;
}

/** The latest Stage One and its outcome (Stage One can be done again after the six-month gap lapses). */
function latestStageOne(facts: readonly PipelineFact[]): StageOneCycle | undefined {
  const started = latest(facts, 'stage_one_started');
  if (!started) return undefined;
  const outcome = latest(facts, 'stage_one_outcome', (f) => f.effectiveDate >= started.effectiveDate);
  return { started, outcome };
}

/** The Stage Two notification in force (reg 30B(1): the Stage Two clock starts on it). */
function stageTwoStart(facts: readonly PipelineFact[]): PipelineFact | undefined {
  return latest(facts, 'stage_two_notified');
}

function agencyDecisionsInForce(facts: readonly PipelineFact[]): PipelineFact[] {
  return ofKind(facts, 'agency_decision', (f) => !!f.agencyDecision);
}

export interface StageNow {
  stage: PipelineStage;
  /** The date of the fact that put the household in this stage; null before the enquiry is recorded. */
  since: IsoDate | null;
}

/** The stage and the date it began, from the facts in force. */
export function currentStageSince(allFacts: readonly PipelineFact[]): StageNow {
  const facts = factsInForce(allFacts);
  const at = (stage: PipelineStage, fact: PipelineFact | undefined): StageNow => ({
    stage,
    since: fact?.effectiveDate ?? null,
  });

  const withdrawn = earliest(facts, 'withdrawn');
  if (withdrawn) return at('withdrawn', withdrawn);
  const placed = latest(facts, 'placed');
  if (placed) return at('placed', placed);
  const ended = earliest(facts, 'approval_review', (f) => f.approvalReviewOutcome === 'approval_ended');
  if (ended) return at('approval_ended', ended);
  const matched = latest(facts, 'matched');
  if (matched) return at('matched', matched);

  const decision = agencyDecisionsInForce(facts).at(-1);
  if (decision?.agencyDecision === 'approved') return at('approved', decision);
  if (decision?.agencyDecision === 'not_approved') return at('not_approved', decision);
  if (decision?.agencyDecision === 'qualifying_determination')
    return at('qualifying_determination', decision);

  const stageTwo = stageTwoStart(facts);
  if (stageTwo) {
    const panel = latest(
      facts,
      'panel',
      (f) => f.effectiveDate >= stageTwo.effectiveDate && f.panelRecommendation !== 'deferred',
    );
    return panel ? at('awaiting_agency_decision', panel) : at('stage_two', stageTwo);
  }

  const stageOne = latestStageOne(facts);
  if (stageOne?.outcome?.stageOneOutcome === 'not_suitable') return at('not_suitable', stageOne.outcome);
  if (stageOne?.outcome) return at('between_stages', stageOne.outcome);
  if (stageOne) return at('stage_one', stageOne.started);

  const registration = latest(facts, 'registration_of_interest_decision', (f) => !!f.registrationDecision);
  if (registration?.registrationDecision === 'declined') return at('registration_declined', registration);
  if (registration) return at('registration_accepted', registration);
  const received = latest(facts, 'registration_of_interest_received');
  if (received) return at('registration_of_interest', received);
  const event = earliest(facts, 'information_event_attended');
  if (event) return at('information_event_attended', event);
  return at('enquiry', earliest(facts, 'enquiry'));
}

export function currentStage(allFacts: readonly PipelineFact[]): PipelineStage {
  return currentStageSince(allFacts).stage;
}

/** Calendar days in the current stage up to today (0 on the day it began). */
export function daysInCurrentStage(allFacts: readonly PipelineFact[], today: IsoDate): number {
  const { since } = currentStageSince(allFacts);
  return since === null ? 0 : Math.max(0, calendarDaysBetween(since, today));
}

export interface StatutoryCheckStatus {
  type: CheckType;
  subject: string;
  requested: IsoDate;
  chased: IsoDate[];
  received: IsoDate | null;
  /** A member council's answer is due 5 working days after the request (service schedule); null otherwise. */
  due: IsoDate | null;
  overdue: boolean;
}

const checkStepOrder: Record<CheckStep, number> = { requested: 0, chased: 1, received: 2 };

/** Checks in date order; on the same day a request comes before its chaser and its answer. */
function checksInOrder(
  facts: readonly PipelineFact[],
): Array<PipelineFact & { check: StatutoryCheckDetail }> {
  return facts
    .filter(
      (f): f is PipelineFact & { check: StatutoryCheckDetail } => f.kind === 'statutory_check' && !!f.check,
    )
    .sort(
      (a, b) =>
        a.effectiveDate.localeCompare(b.effectiveDate) ||
        checkStepOrder[a.check.step] - checkStepOrder[b.check.step] ||
        byDate(a, b),
    );
}

const checkKey = (check: Pick<StatutoryCheckDetail, 'type' | 'subject'>): string =>
  `${check.type}\u0000${check.subject.trim().toLowerCase()}`;

/**
 * Each check requested, with its chasers and receipt. A local authority check addressed to a member
 * council is due within 5 working days (the RAA's service schedule, domain.md §3.3; councilCheckDue).
 * memberCouncils holds the council codes used as the check's subject; without it every local
 * authority check is treated as addressed to a member council.
 */
export function statutoryChecks(
  allFacts: readonly PipelineFact[],
  today: IsoDate,
  options: { memberCouncils?: ReadonlySet<string>; calendar?: WorkingDayCalendar } = {},
): StatutoryCheckStatus[] {
  const calendar = options.calendar ?? englandAndWalesCalendar();
  const checks = new Map<string, StatutoryCheckStatus>();
  for (const fact of checksInOrder(factsInForce(allFacts))) {
    const check = fact.check;
    const key = checkKey(check);
    if (check.step === 'requested') {
      const isMemberCouncil =
        check.type === 'local_authority' &&
        (options.memberCouncils === undefined || options.memberCouncils.has(check.subject));
      checks.set(key, {
        type: check.type,
        subject: check.subject,
        requested: fact.effectiveDate,
        chased: [],
        received: null,
        due: isMemberCouncil ? councilCheckDue(fact.effectiveDate, calendar) : null,
        overdue: false,
      });
      continue;
    }
    const status = checks.get(key);
    if (!status) continue;
    if (check.step === 'chased') status.chased.push(fact.effectiveDate);
    if (check.step === 'received') status.received = fact.effectiveDate;
  }
  return [...checks.values()].map((status) => ({
    ...status,
    overdue: status.due !== null && (status.received ?? today) > status.due,
  }));
}

/**
 * The Stage One checks still to be requested for a household: an enhanced DBS check for every adult
 * in the household (reg 25), a medical report for each applicant, the usual number of referees and
 * at least one local authority check (domain.md §3.3). Sentences, for a checklist.
 */
export function checksStillToRequest(
  allFacts: readonly PipelineFact[],
  household: { applicants: readonly string[]; adults: readonly string[] },
  rules: PipelineRules = defaultPipelineRules,
): string[] {
  const requested = ofKind(
    factsInForce(allFacts),
    'statutory_check',
    (f) => f.check?.step === 'requested',
  ).map((f) => f.check as StatutoryCheckDetail);
  const has = (type: CheckType, subject: string) =>
    requested.some((check) => checkKey(check) === checkKey({ type, subject }));
  const missing: string[] = [];
  for (const adult of household.adults) {
    if (!has('enhanced_dbs', adult)) missing.push(`Request an enhanced DBS check for ${adult}`);
  }
  for (const applicant of household.applicants) {
    if (!has('medical', applicant)) missing.push(`Request a medical report for ${applicant}`);
  }
  const referees = new Set(
    requested.filter((check) => check.type === 'referee').map((check) => checkKey(check)),
  ).size;
  if (referees < rules.refereesExpected) {
    const more = rules.refereesExpected - referees;
    missing.push(`Request ${more} more personal reference${more === 1 ? '' : 's'}`);
  }
  if (!requested.some((check) => check.type === 'local_authority')) {
    missing.push('Request a check from each council the applicants have lived in');
  }
  return missing;
}

export interface ClockPause {
  from: IsoDate;
  /** The date the clock restarted; null while it is still paused. */
  to: IsoDate | null;
  reason: PauseReason;
  detail: string | null;
}

export interface ClockExtension {
  on: IsoDate;
  days: number;
  reason: DelayReason;
  detail: string | null;
}

export interface RecordedDelay {
  on: IsoDate;
  reason: DelayReason;
  detail: string | null;
}

export interface StageClock {
  clock: StageClockKind;
  start: IsoDate;
  /** The target the regulations set: 2 months for Stage One, 4 months for Stage Two. */
  statutoryTarget: IsoDate;
  /** The target after pauses and extensions. While a pause lasts it moves a day each day. */
  target: IsoDate;
  /** Days the clock has run, pauses not counted: "day N". */
  day: number;
  /** The statutory length in days plus extensions: "of M". */
  totalDays: number;
  overdue: boolean;
  /** Days by which the clock ran past its target; 0 when in time. */
  daysOverdue: number;
  daysRemaining: number;
  paused: boolean;
  pausedDays: number;
  extendedDays: number;
  /** The date the stage ended (outcome, agency decision or withdrawal); null while it runs. */
  stoppedOn: IsoDate | null;
  pauses: ClockPause[];
  extensions: ClockExtension[];
  delays: RecordedDelay[];
  /** Overdue (or finished late) with no reason for delay recorded: the board will ask. */
  needsDelayReason: boolean;
  /** "Day 40 of 61", "Day 70 of 61: 9 days overdue", "Day 40 of 61 (paused)". */
  label: string;
}

export interface StageClocks {
  /** Null before Stage One starts, and for a fast-track household (which skips it). */
  stageOne: StageClock | null;
  stageTwo: StageClock | null;
}

function clockFacts(facts: readonly PipelineFact[], clock: StageClockKind, start: IsoDate) {
  const mine = (f: PipelineFact) => f.clock === clock && f.effectiveDate >= start;
  return {
    pausesAndRestarts: facts
      .filter((f) => (f.kind === 'clock_paused' || f.kind === 'clock_resumed') && mine(f))
      .sort(byDate),
    extensions: ofKind(facts, 'clock_extended', mine),
    delays: ofKind(facts, 'delay_recorded', mine),
  };
}

function pausesOf(ordered: readonly PipelineFact[]): ClockPause[] {
  const pauses: ClockPause[] = [];
  let open: ClockPause | undefined;
  for (const fact of ordered) {
    if (fact.kind === 'clock_paused' && !open) {
      open = {
        from: fact.effectiveDate,
        to: null,
        reason: fact.pauseReason ?? 'other',
        detail: fact.reasonDetail ?? null,
      };
      pauses.push(open);
    } else if (fact.kind === 'clock_resumed' && open) {
      open.to = fact.effectiveDate;
      open = undefined;
    }
  }
  return pauses;
}

/** When the stage ended, if it has: the first of its closing facts on or after the start. */
function stopDate(facts: readonly PipelineFact[], clock: StageClockKind, start: IsoDate): IsoDate | null {
  const closing = facts
    .filter((f) => f.effectiveDate >= start)
    .filter((f) =>
      clock === 'stage_one'
        ? (f.kind === 'stage_one_outcome' && !!f.stageOneOutcome) || f.kind === 'withdrawn'
        : (f.kind === 'agency_decision' && !!f.agencyDecision) || f.kind === 'withdrawn',
    )
    .sort(byDate);
  return closing[0]?.effectiveDate ?? null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function buildClock(
  facts: readonly PipelineFact[],
  clock: StageClockKind,
  start: IsoDate,
  today: IsoDate,
): StageClock {
  const statutoryTarget = clock === 'stage_one' ? stageOneTarget(start) : stageTwoTarget(start);
  const stoppedOn = stopDate(facts, clock, start);
  const asAt = stoppedOn !== null && stoppedOn < today ? stoppedOn : today;
  const { pausesAndRestarts, extensions, delays } = clockFacts(facts, clock, start);
  const pauses = pausesOf(pausesAndRestarts.filter((f) => f.effectiveDate <= asAt));

  // A pause stops the clock for its length, so the target moves by the days paused so far; an
  // open pause keeps moving it (domain-detail.md §2: extensions and delays recorded with reasons).
  const pausedDays = pauses.reduce(
    (sum, pause) => sum + Math.max(0, calendarDaysBetween(pause.from, pause.to ?? asAt)),
    0,
  );
  const extensionList: ClockExtension[] = extensions
    .filter((f) => f.effectiveDate <= asAt)
    .map((f) => ({
      on: f.effectiveDate,
      days: f.extensionDays ?? 0,
      reason: f.delayReason ?? 'other',
      detail: f.reasonDetail ?? null,
    }));
  const extendedDays = extensionList.reduce((sum, extension) => sum + extension.days, 0);
  const target = addCalendarDays(statutoryTarget, extendedDays + pausedDays);

  const raw = describeClock(start, target, asAt);
  const day = Math.max(0, raw.day - pausedDays);
  const totalDays = raw.totalDays - pausedDays;
  const daysOverdue = raw.overdue ? day - totalDays : 0;
  const paused = pauses.some((pause) => pause.to === null) && stoppedOn === null;
  const delayList: RecordedDelay[] = delays.map((f) => ({
    on: f.effectiveDate,
    reason: f.delayReason ?? 'other',
    detail: f.reasonDetail ?? null,
  }));

  let label = `Day ${day} of ${totalDays}`;
  if (stoppedOn !== null) {
    label = raw.overdue
      ? `Finished on day ${day} of ${totalDays}: ${plural(daysOverdue, 'day')} late`
      : `Finished on day ${day} of ${totalDays}`;
  } else if (raw.overdue) {
    label += `: ${plural(daysOverdue, 'day')} overdue`;
  } else if (paused) {
    label += ' (paused)';
  }

  return {
    clock,
    start,
    statutoryTarget,
    target,
    day,
    totalDays,
    overdue: raw.overdue,
    daysOverdue,
    daysRemaining: raw.daysRemaining,
    paused,
    pausedDays,
    extendedDays,
    stoppedOn,
    pauses,
    extensions: extensionList,
    delays: delayList,
    needsDelayReason: raw.overdue && delayList.length === 0 && extensionList.length === 0,
    label,
  };
}

/**
 * The Stage One and Stage Two clocks, "day N of M" with an overdue flag (issue 5 §3).
 * Stage One: two months from its start (AAR 2005 regs 21–27; statutory guidance ch. 3; stageOneTarget).
 * Stage Two: four months from the applicants' notification that they wish to proceed (reg 30B(1);
 * stageTwoTarget), stopped by the agency decision. Pauses and extensions move the target.
 */
export function stageClocks(allFacts: readonly PipelineFact[], today: IsoDate): StageClocks {
  const facts = factsInForce(allFacts);
  const stageOne = isFastTrack(facts) ? undefined : latestStageOne(facts);
  const stageTwo = stageTwoStart(facts);
  return {
    stageOne: stageOne ? buildClock(facts, 'stage_one', stageOne.started.effectiveDate, today) : null,
    stageTwo: stageTwo ? buildClock(facts, 'stage_two', stageTwo.effectiveDate, today) : null,
  };
}

export interface DeadlineStatus {
  from: IsoDate;
  due: IsoDate;
  /** The date it was met, if it has been. */
  metOn: IsoDate | null;
  overdue: boolean;
  /** True when the figure is one the brief marks "(confirm)": say so beside it. */
  toConfirm: boolean;
}

/**
 * The decision on a registration of interest, due a configurable number of working days after it
 * arrives (about five: domain.md §3.2, marked "(confirm)"). Null until a registration is received.
 */
export function registrationDecisionDeadline(
  allFacts: readonly PipelineFact[],
  today: IsoDate,
  rules: PipelineRules = defaultPipelineRules,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): DeadlineStatus | null {
  const facts = factsInForce(allFacts);
  const received = latest(facts, 'registration_of_interest_received');
  if (!received) return null;
  const due = calendar.addWorkingDays(received.effectiveDate, rules.registrationDecisionWorkingDays);
  const decided =
    latest(facts, 'registration_of_interest_decision', (f) => !!f.registrationDecision)?.effectiveDate ??
    null;
  return {
    from: received.effectiveDate,
    due,
    metOn: decided,
    overdue: (decided ?? today) > due,
    toConfirm: pipelineRuleSources.registrationDecisionWorkingDays.confirm,
  };
}

/**
 * The last date the applicants can notify that they wish to go on to Stage Two: six months after the
 * Stage One outcome (reg 28(2)). Null unless Stage One ended with "may be suitable".
 */
export function stageTwoNotificationDeadline(allFacts: readonly PipelineFact[]): IsoDate | null {
  const stageOne = latestStageOne(factsInForce(allFacts));
  if (stageOne?.outcome?.stageOneOutcome !== 'may_be_suitable') return null;
  return addCalendarMonths(stageOne.outcome.effectiveDate, gapBetweenStagesMonths);
}

/**
 * After a qualifying determination the applicants have 40 working days, beginning with the date of
 * the letter, to make representations or apply to the IRM (reg 30B(5)(c);
 * qualifyingDeterminationRepresentationsDue). Null without a qualifying determination in force.
 */
export function determinationReviewDeadline(
  allFacts: readonly PipelineFact[],
  today: IsoDate,
  calendar: WorkingDayCalendar = englandAndWalesCalendar(),
): (DeadlineStatus & { route: DeterminationReviewRoute | null }) | null {
  const facts = factsInForce(allFacts);
  const letter = latest(facts, 'agency_decision', (f) => f.agencyDecision === 'qualifying_determination');
  if (!letter) return null;
  const due = qualifyingDeterminationRepresentationsDue(letter.effectiveDate, calendar);
  const request = latest(
    facts,
    'determination_review_requested',
    (f) => f.effectiveDate >= letter.effectiveDate && !!f.reviewRoute,
  );
  return {
    from: letter.effectiveDate,
    due,
    metOn: request?.effectiveDate ?? null,
    overdue: !request && today > due,
    toConfirm: false,
    route: request?.reviewRoute ?? null,
  };
}

/**
 * When the approval must next be reviewed: within 12 months of approval and then yearly until a
 * match (domain.md §3.7 "(confirm)"; domain-detail.md §2 and §10). Null unless the household is
 * approved and waiting: a match or a closed journey ends the cycle.
 */
export function annualReviewDue(
  allFacts: readonly PipelineFact[],
  rules: PipelineRules = defaultPipelineRules,
): IsoDate | null {
  const facts = factsInForce(allFacts);
  if (currentStage(facts) !== 'approved') return null;
  const approval = latest(facts, 'agency_decision', (f) => f.agencyDecision === 'approved');
  if (!approval) return null;
  const lastReview = latest(
    facts,
    'approval_review',
    (f) => f.approvalReviewOutcome === 'approval_continues' && f.effectiveDate >= approval.effectiveDate,
  );
  return addCalendarMonths((lastReview ?? approval).effectiveDate, rules.approvalReviewMonths);
}

export interface RefusalContext {
  today: IsoDate;
  calendar?: WorkingDayCalendar;
}

const maxExtensionDays = 366;

function missingDetail(reason: string | null | undefined, detail: string | null | undefined): boolean {
  return reason === 'other' && !detail?.trim();
}

/** Why a proposed fact cannot be recorded, as a sentence for the person recording it; null if it can. */
export function refuseImpossibleFact(
  existing: readonly PipelineFact[],
  proposed: ProposedPipelineFact,
  context: RefusalContext,
): string | null {
  const date = proposed.effectiveDate;
  const noun = pipelineFactNouns[proposed.kind];
  if (!isValidIsoDate(date)) return `Enter the date of the ${noun} as a real date`;
  if (date > context.today) return `The ${noun} cannot be in the future`;

  if (proposed.supersedes) {
    if (!proposed.correctionReason?.trim()) return 'Give a reason for the correction';
    const target = existing.find((fact) => fact.id === proposed.supersedes);
    if (!target) return 'The fact being corrected is not on this record';
    if (existing.some((fact) => fact.supersedes === target.id)) {
      return 'That fact has already been corrected: correct the latest version';
    }
    if (target.kind !== proposed.kind)
      return `A correction must be another ${pipelineFactNouns[target.kind]}`;
  }

  const facts = factsInForce(existing).filter((fact) => fact.id !== proposed.supersedes);
  const enquiry = earliest(facts, 'enquiry');
  if (proposed.kind === 'enquiry') {
    if (enquiry) return 'The enquiry is already recorded: correct it rather than adding another';
    const first = [...facts].sort(byDate)[0];
    if (first && date > first.effectiveDate) {
      return `The enquiry cannot be after the ${pipelineFactNouns[first.kind]} on ${first.effectiveDate}`;
    }
    return null;
  }
  if (!enquiry) return "Record the enquiry first: every household's journey starts with it";
  if (date < enquiry.effectiveDate) {
    return `The ${noun} cannot be before the enquiry on ${enquiry.effectiveDate}`;
  }
  const field = fieldRefusal(proposed);
  if (field) return field;

  const { stage, since } = currentStageSince(facts);
  if (closedStages.includes(stage) && since !== null && date > since) {
    return `The household's journey ended on ${since} (${pipelineStageLabels[stage].toLowerCase()}): a new application starts a new record`;
  }

  return sequenceRefusal(facts, proposed, context);
}

/** The details each kind of fact needs, whatever the sequence. */
function fieldRefusal(proposed: ProposedPipelineFact): string | null {
  switch (proposed.kind) {
    case 'registration_of_interest_decision':
      if (!proposed.registrationDecision) {
        return 'Say whether the registration of interest was accepted or declined';
      }
      if (proposed.fastTrack && proposed.registrationDecision !== 'accepted') {
        return 'Only an accepted registration of interest can go on the fast track';
      }
      return null;
    case 'statutory_check':
      if (!proposed.check) return 'Choose the check and whether it was requested, chased or received';
      if (!proposed.check.subject.trim()) {
        return `Say who or what the ${checkTypes[proposed.check.type].toLowerCase()} is for`;
      }
      return null;
    case 'stage_one_outcome':
      return proposed.stageOneOutcome ? null : 'Choose the outcome of Stage One';
    case 'panel':
      return proposed.panelRecommendation ? null : "Choose the panel's recommendation";
    case 'agency_decision':
      return proposed.agencyDecision ? null : "Choose the agency decision maker's decision";
    case 'determination_review_requested':
      return proposed.reviewRoute
        ? null
        : 'Say whether the applicants made representations to the agency or applied to the IRM';
    case 'approval_review':
      return proposed.approvalReviewOutcome ? null : 'Choose the outcome of the review of approval';
    case 'withdrawn':
      if (!proposed.withdrawalReason) return 'Choose why the household left the process';
      return missingDetail(proposed.withdrawalReason, proposed.reasonDetail)
        ? 'Give details of why the household left the process'
        : null;
    case 'clock_paused':
      if (!proposed.clock) return 'Choose which clock to pause: Stage One or Stage Two';
      if (!proposed.pauseReason) return 'Give a reason for the pause';
      return missingDetail(proposed.pauseReason, proposed.reasonDetail)
        ? 'Give details of the reason for the pause'
        : null;
    case 'clock_resumed':
      return proposed.clock ? null : 'Choose which clock to restart: Stage One or Stage Two';
    case 'clock_extended': {
      if (!proposed.clock) return 'Choose which target to extend: Stage One or Stage Two';
      const days = proposed.extensionDays;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > maxExtensionDays) {
        return `Enter the extension as a whole number of days from 1 to ${maxExtensionDays}`;
      }
      if (!proposed.delayReason) return 'Give a reason for the extension';
      return missingDetail(proposed.delayReason, proposed.reasonDetail)
        ? 'Give details of the reason for the extension'
        : null;
    }
    case 'delay_recorded':
      if (!proposed.clock) return 'Choose which stage is delayed: Stage One or Stage Two';
      if (!proposed.delayReason) return 'Choose the reason for the delay';
      return missingDetail(proposed.delayReason, proposed.reasonDetail)
        ? 'Give details of the reason for the delay'
        : null;
    default:
      return null;
  }
}

function sequenceRefusal(
  facts: readonly PipelineFact[],
  proposed: ProposedPipelineFact,
  context: RefusalContext,
): string | null {
  const date = proposed.effectiveDate;
  const calendar = context.calendar ?? englandAndWalesCalendar();
  const accepted = acceptance(facts);
  const fastTrack = !!accepted?.fastTrack;
  const stageOne = latestStageOne(facts);
  const stageTwo = stageTwoStart(facts);
  const decisions = agencyDecisionsInForce(facts);
  const lastDecision = decisions.at(-1);
  const approval = latest(facts, 'agency_decision', (f) => f.agencyDecision === 'approved');

  switch (proposed.kind) {
    case 'information_event_attended':
      return null;

    case 'registration_of_interest_received': {
      // One registration of interest with one agency at a time (domain-detail.md §2).
      if (latest(facts, 'registration_of_interest_received')) {
        return 'A registration of interest is already recorded for this household';
      }
      return null;
    }

    case 'registration_of_interest_decision': {
      const received = latest(facts, 'registration_of_interest_received');
      if (!received) return 'A decision cannot be recorded before the registration of interest is received';
      if (date < received.effectiveDate) {
        return `The decision cannot be before the registration of interest was received on ${received.effectiveDate}`;
      }
      if (latest(facts, 'registration_of_interest_decision', (f) => !!f.registrationDecision)) {
        return 'The registration of interest has already been decided: correct that decision instead';
      }
      return null;
    }

    case 'stage_one_started': {
      // Stage One begins once the agency accepts the registration of interest (AAR 2005 reg 21).
      if (!accepted) return 'Stage One cannot start before the registration of interest is accepted';
      if (fastTrack) {
        return 'This household is on the fast track, which skips Stage One: correct the registration decision if they are not';
      }
      if (date < accepted.effectiveDate) {
        return `Stage One cannot start before the registration of interest was accepted on ${accepted.effectiveDate}`;
      }
      if (stageOne && !stageOne.outcome) return 'Stage One has already started';
      if (stageOne?.outcome) {
        // Stage One is done again only when the six-month gap lapsed without a Stage Two (reg 28(2)).
        const lastDay = addCalendarMonths(stageOne.outcome.effectiveDate, gapBetweenStagesMonths);
        if (stageTwo) return 'Stage Two has already started';
        if (date <= lastDay) {
          return `Stage One is complete: the applicants can say they wish to go on to Stage Two until ${lastDay}`;
        }
      }
      return null;
    }

    case 'statutory_check':
      return checkRefusal(facts, proposed, accepted);

    case 'preparation_training_started': {
      // Preparation begins in Stage One (reg 24), or in Stage Two on the fast track.
      if (!accepted)
        return 'Preparation training cannot start before the registration of interest is accepted';
      if (date < accepted.effectiveDate) {
        return `Preparation training cannot start before the registration of interest was accepted on ${accepted.effectiveDate}`;
      }
      return null;
    }

    case 'preparation_training_completed': {
      const started = latest(facts, 'preparation_training_started');
      if (!started) return 'Preparation training cannot be completed before it has started';
      if (date < started.effectiveDate) {
        return `Preparation training cannot be completed before it started on ${started.effectiveDate}`;
      }
      return null;
    }

    case 'stage_one_outcome': {
      if (!stageOne) return 'Stage One cannot have an outcome before it has started';
      if (stageOne.outcome) return 'Stage One already has an outcome: correct it instead';
      if (date < stageOne.started.effectiveDate) {
        return `The Stage One outcome cannot be before Stage One started on ${stageOne.started.effectiveDate}`;
      }
      if (proposed.stageOneOutcome === 'may_be_suitable') {
        // The agency decides on the Stage One checks (regs 25–27): none may still be awaited.
        const waiting = statutoryChecks(facts, context.today, { calendar }).filter(
          (check) => check.received === null,
        );
        if (waiting.length > 0) {
          const list = waiting.map((c) => `${checkTypes[c.type].toLowerCase()} (${c.subject})`).join(', ');
          return `Stage One cannot end with "may be suitable" while checks are awaited: ${list}`;
        }
      }
      return null;
    }

    case 'stage_two_notified': {
      if (stageTwo) return 'Stage Two has already started';
      if (fastTrack && accepted) {
        if (date < accepted.effectiveDate) {
          return `Stage Two cannot start before the registration of interest was accepted on ${accepted.effectiveDate}`;
        }
        return null;
      }
      const outcome = stageOne?.outcome;
      if (outcome?.stageOneOutcome !== 'may_be_suitable') {
        return 'Stage Two cannot start before Stage One is completed, unless the household is on the fast track';
      }
      if (date < outcome.effectiveDate) {
        return `Stage Two cannot start before Stage One ended on ${outcome.effectiveDate}`;
      }
      const lastDay = addCalendarMonths(outcome.effectiveDate, gapBetweenStagesMonths);
      if (date > lastDay) {
        return `Stage Two cannot start more than six months after Stage One ended (the last day was ${lastDay}): the applicants must do Stage One again`;
      }
      return null;
    }

    case 'prospective_adopters_report': {
      if (!stageTwo) return "The Prospective Adopter's Report cannot be written before Stage Two starts";
      if (date < stageTwo.effectiveDate) {
        return `The Prospective Adopter's Report cannot be before Stage Two started on ${stageTwo.effectiveDate}`;
      }
      return null;
    }

    case 'panel': {
      if (!stageTwo) return 'The panel cannot consider the household before Stage Two starts';
      const report = latest(
        facts,
        'prospective_adopters_report',
        (f) => f.effectiveDate >= stageTwo.effectiveDate,
      );
      if (!report) {
        return "The panel cannot consider the household before the Prospective Adopter's Report is sent to them";
      }
      if (date < report.effectiveDate) {
        return `The panel cannot be before the Prospective Adopter's Report was sent on ${report.effectiveDate}`;
      }
      if (lastDecision) return 'The agency decision is already made: no further suitability panel is needed';
      return null;
    }

    case 'agency_decision':
      return agencyDecisionRefusal(facts, proposed, lastDecision, calendar);

    case 'determination_review_requested': {
      if (lastDecision?.agencyDecision !== 'qualifying_determination') {
        return 'Representations or an IRM review can only follow a qualifying determination';
      }
      if (date < lastDecision.effectiveDate) {
        return `The request cannot be before the qualifying determination on ${lastDecision.effectiveDate}`;
      }
      if (
        latest(facts, 'determination_review_requested', (f) => f.effectiveDate >= lastDecision.effectiveDate)
      ) {
        return 'The applicants can make representations to the agency or apply to the IRM, not both';
      }
      const due = qualifyingDeterminationRepresentationsDue(lastDecision.effectiveDate, calendar);
      if (date > due) {
        return `The 40 working days for representations or an IRM application ended on ${due}`;
      }
      return null;
    }

    case 'approval_review': {
      if (!approval) return 'Approval cannot be reviewed before the household is approved';
      if (latest(facts, 'matched')) return 'Approval is reviewed only while the household waits for a match';
      if (date < approval.effectiveDate) {
        return `The review of approval cannot be before the approval on ${approval.effectiveDate}`;
      }
      return null;
    }

    case 'matched': {
      if (!approval) return 'A household cannot be matched before it is approved';
      if (date < approval.effectiveDate)
        return `The match cannot be before the approval on ${approval.effectiveDate}`;
      if (latest(facts, 'matched')) return 'The match is already recorded: correct it instead';
      return null;
    }

    case 'placed': {
      const matched = latest(facts, 'matched');
      if (!matched) return 'A child cannot be placed before the match is recorded';
      if (date < matched.effectiveDate)
        return `The placement cannot be before the match on ${matched.effectiveDate}`;
      return null;
    }

    case 'withdrawn':
      return null;

    case 'clock_paused':
    case 'clock_resumed':
    case 'clock_extended':
    case 'delay_recorded':
      return clockFactRefusal(facts, proposed, context.today);

    default:
      return null;
  }
}

function checkRefusal(
  facts: readonly PipelineFact[],
  proposed: ProposedPipelineFact,
  accepted: PipelineFact | undefined,
): string | null {
  const check = proposed.check as StatutoryCheckDetail;
  const date = proposed.effectiveDate;
  const what = checkTypes[check.type].toLowerCase();
  if (!accepted) return 'Checks cannot be requested before the registration of interest is accepted';
  if (date < accepted.effectiveDate) {
    return `Checks cannot be requested before the registration of interest was accepted on ${accepted.effectiveDate}`;
  }
  const same = checksInOrder(facts).filter((f) => checkKey(f.check) === checkKey(check));
  const lastRequest = same.findLastIndex((f) => f.check.step === 'requested');
  const requested = same[lastRequest];
  const received = same.slice(lastRequest + 1).find((f) => f.check.step === 'received');
  if (check.step === 'requested') {
    if (requested && !received) return `The ${what} for ${check.subject} has already been requested`;
    return null;
  }
  if (!requested) return `The ${what} for ${check.subject} cannot be ${check.step} before it is requested`;
  if (date < requested.effectiveDate) {
    return `The ${what} for ${check.subject} cannot be ${check.step} before it was requested on ${requested.effectiveDate}`;
  }
  if (received) return `The ${what} for ${check.subject} has already been received`;
  return null;
}

function agencyDecisionRefusal(
  facts: readonly PipelineFact[],
  proposed: ProposedPipelineFact,
  lastDecision: PipelineFact | undefined,
  calendar: WorkingDayCalendar,
): string | null {
  const date = proposed.effectiveDate;
  // The panel recommends and the agency decision maker decides after it (reg 30B; domain.md §3.6).
  const panel = latest(facts, 'panel', (f) => f.panelRecommendation !== 'deferred');
  if (!panel) return "The agency decision cannot be made before the panel's recommendation";
  if (date < panel.effectiveDate) {
    return `The agency decision cannot be before the panel on ${panel.effectiveDate}`;
  }
  if (!lastDecision) {
    if (proposed.agencyDecision === 'not_approved') {
      return 'Before deciding not to approve, send a qualifying determination so the applicants can make representations or apply to the IRM';
    }
    return null;
  }
  if (lastDecision.agencyDecision !== 'qualifying_determination') {
    return 'The agency decision is already recorded: correct it instead';
  }
  if (proposed.agencyDecision === 'qualifying_determination') {
    return 'A qualifying determination has already been sent: record the final decision';
  }
  if (date < lastDecision.effectiveDate) {
    return `The final decision cannot be before the qualifying determination on ${lastDecision.effectiveDate}`;
  }
  const request = latest(
    facts,
    'determination_review_requested',
    (f) => f.effectiveDate >= lastDecision.effectiveDate,
  );
  if (request) {
    if (date < request.effectiveDate) {
      return `The final decision cannot be before the applicants' request on ${request.effectiveDate}`;
    }
    return null;
  }
  // Without representations the decision waits for the 40 working days to end (reg 30B(5)(c)).
  const due = qualifyingDeterminationRepresentationsDue(lastDecision.effectiveDate, calendar);
  if (date <= due) {
    return `The final decision must wait until the 40 working days for representations or an IRM application end on ${due}`;
  }
  return null;
}

function clockFactRefusal(
  facts: readonly PipelineFact[],
  proposed: ProposedPipelineFact,
  today: IsoDate,
): string | null {
  const clock = proposed.clock as StageClockKind;
  const name = stageClockKinds[clock];
  const date = proposed.effectiveDate;
  const clocks = stageClocks(facts, today);
  const state = clock === 'stage_one' ? clocks.stageOne : clocks.stageTwo;
  if (!state) {
    return clock === 'stage_one' && isFastTrack(facts)
      ? 'This household is on the fast track: there is no Stage One clock'
      : `The ${name} clock has not started`;
  }
  if (date < state.start) {
    return `The ${pipelineFactNouns[proposed.kind]} cannot be before ${name} started on ${state.start}`;
  }
  if (proposed.kind === 'delay_recorded') return null;
  if (state.stoppedOn !== null && date >= state.stoppedOn) {
    return `${name} ended on ${state.stoppedOn}: its clock can no longer be paused, restarted or extended`;
  }
  const lastPause = state.pauses.at(-1);
  if (proposed.kind === 'clock_paused') {
    if (lastPause && lastPause.to === null) return `The ${name} clock is already paused`;
    if (lastPause?.to && date < lastPause.to) {
      return `A new pause cannot begin before the last one ended on ${lastPause.to}`;
    }
    return null;
  }
  if (proposed.kind === 'clock_resumed') {
    if (!lastPause || lastPause.to !== null) return `The ${name} clock is not paused`;
    if (date < lastPause.from) return `The clock cannot restart before the pause began on ${lastPause.from}`;
    return null;
  }
  return null;
}
