import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addCalendarMonths,
  isWorkingDay,
  stageOneTarget,
} from '../../platform/time/index.js';
import {
  annualReviewDue,
  checksStillToRequest,
  currentStage,
  currentStageSince,
  daysInCurrentStage,
  defaultPipelineRules,
  delayReasons,
  determinationReviewDeadline,
  factsInForce,
  pauseReasons,
  pipelineFactKinds,
  pipelineFactLabels,
  pipelineFactNouns,
  pipelineRuleSources,
  pipelineStageLabels,
  pipelineStages,
  refuseImpossibleFact,
  registrationDecisionDeadline,
  stageClocks,
  stageTwoNotificationDeadline,
  statutoryChecks,
  withdrawalReasons,
  type PipelineFact,
  type PipelineFactKind,
  type PipelineStage,
} from './pipeline.js';

let nextId = 0;
/** A fact recorded by an RAA worker; ids and recording times rise, as they would in use. */
function fact(
  kind: PipelineFactKind,
  effectiveDate: string,
  extra: Partial<PipelineFact> = {},
): PipelineFact {
  nextId += 1;
  return {
    id: `f${String(nextId).padStart(6, '0')}`,
    kind,
    effectiveDate,
    source: 'RAA worker',
    recordedBy: 'u1',
    recordedAt: `2026-01-01T00:00:00.${String(nextId).padStart(6, '0')}Z`,
    ...extra,
  };
}

const today = '2026-11-22';
const context = { today };

const enquiry = fact('enquiry', '2025-01-06', { source: 'enquiry form' });
const informationEvent = fact('information_event_attended', '2025-01-20');
const registration = fact('registration_of_interest_received', '2025-01-27');
const accepted = fact('registration_of_interest_decision', '2025-01-31', {
  registrationDecision: 'accepted',
});
const stageOneStart = fact('stage_one_started', '2025-01-31');
const dbsRequested = fact('statutory_check', '2025-02-03', {
  check: { type: 'enhanced_dbs', subject: 'Sam Applicant', step: 'requested' },
});
const councilRequested = fact('statutory_check', '2025-02-03', {
  check: { type: 'local_authority', subject: 'SWK', step: 'requested' },
});
const councilReceived = fact('statutory_check', '2025-02-07', {
  check: { type: 'local_authority', subject: 'SWK', step: 'received' },
});
const dbsReceived = fact('statutory_check', '2025-02-20', {
  check: { type: 'enhanced_dbs', subject: 'Sam Applicant', step: 'received' },
});
const stageOneDone = fact('stage_one_outcome', '2025-03-28', { stageOneOutcome: 'may_be_suitable' });
const stageTwoStart = fact('stage_two_notified', '2025-05-01');
const report = fact('prospective_adopters_report', '2025-08-04');
const panel = fact('panel', '2025-08-21', { panelRecommendation: 'suitable' });
const approved = fact('agency_decision', '2025-08-28', { agencyDecision: 'approved' });
const matched = fact('matched', '2026-03-02');
const placed = fact('placed', '2026-04-13');

/** A household's whole journey, each fact with the stage it leaves the household in. */
const typicalJourney: Array<[PipelineFact, PipelineStage]> = [
  [enquiry, 'enquiry'],
  [informationEvent, 'information_event_attended'],
  [registration, 'registration_of_interest'],
  [accepted, 'registration_accepted'],
  [stageOneStart, 'stage_one'],
  [dbsRequested, 'stage_one'],
  [councilRequested, 'stage_one'],
  [councilReceived, 'stage_one'],
  [dbsReceived, 'stage_one'],
  [stageOneDone, 'between_stages'],
  [stageTwoStart, 'stage_two'],
  [report, 'stage_two'],
  [panel, 'awaiting_agency_decision'],
  [approved, 'approved'],
  [matched, 'matched'],
  [placed, 'placed'],
];
const journey = typicalJourney.map(([f]) => f);
/** The journey up to and including the given fact. */
const upTo = (last: PipelineFact): PipelineFact[] => journey.slice(0, journey.indexOf(last) + 1);

const fastTrackAccepted = fact('registration_of_interest_decision', '2025-01-31', {
  registrationDecision: 'accepted',
  fastTrack: 'approved_foster_carer',
});
const fastTrackStageTwo = fact('stage_two_notified', '2025-02-10');
const fastTrack = [enquiry, registration, fastTrackAccepted];

describe('current stage (issue 5 §3; domain.md §3)', () => {
  it.each(typicalJourney.map(([f, stage], i) => [i + 1, f.kind, stage] as const))(
    'after %i facts (the last a %s) the household is %s',
    (count, _kind, stage) => {
      expect(currentStage(journey.slice(0, count))).toBe(stage);
    },
  );

  it('starts at the enquiry with no facts', () => {
    expect(currentStageSince([])).toEqual({ stage: 'enquiry', since: null });
  });

  it('takes a fast-track household from registration straight to Stage Two (domain.md §3.5)', () => {
    expect(currentStage(fastTrack)).toBe('registration_accepted');
    expect(currentStage([...fastTrack, fastTrackStageTwo])).toBe('stage_two');
  });

  it.each([
    [
      'a declined registration of interest',
      [
        enquiry,
        registration,
        fact('registration_of_interest_decision', '2025-02-03', { registrationDecision: 'declined' }),
      ],
      'registration_declined',
    ],
    [
      'Stage One ending "not suitable" (reg 27; complaints route, not the IRM)',
      [...upTo(dbsReceived), fact('stage_one_outcome', '2025-03-20', { stageOneOutcome: 'not_suitable' })],
      'not_suitable',
    ],
    [
      'a qualifying determination (reg 30B(5))',
      [...upTo(panel), fact('agency_decision', '2025-08-28', { agencyDecision: 'qualifying_determination' })],
      'qualifying_determination',
    ],
    [
      'a final decision not to approve after the qualifying determination',
      [
        ...upTo(panel),
        fact('agency_decision', '2025-08-28', { agencyDecision: 'qualifying_determination' }),
        fact('agency_decision', '2025-11-03', { agencyDecision: 'not_approved' }),
      ],
      'not_approved',
    ],
    [
      'a deferred panel, which leaves the household in Stage Two',
      [...upTo(report), fact('panel', '2025-08-21', { panelRecommendation: 'deferred' })],
      'stage_two',
    ],
    [
      'a review that ends approval',
      [...upTo(approved), fact('approval_review', '2026-08-01', { approvalReviewOutcome: 'approval_ended' })],
      'approval_ended',
    ],
    [
      'a withdrawal in Stage Two',
      [...upTo(stageTwoStart), fact('withdrawn', '2025-06-01', { withdrawalReason: 'health' })],
      'withdrawn',
    ],
    [
      'a withdrawal after the information event',
      [enquiry, informationEvent, fact('withdrawn', '2025-02-01', { withdrawalReason: 'not_right_now' })],
      'withdrawn',
    ],
  ])('shows %s', (_case, facts, stage) => {
    expect(currentStage(facts)).toBe(stage);
  });

  it('counts the days in the current stage from the fact that began it', () => {
    expect(currentStageSince(upTo(stageOneDone))).toEqual({ stage: 'between_stages', since: '2025-03-28' });
    expect(daysInCurrentStage(upTo(stageOneDone), '2025-04-07')).toBe(10);
  });

  it('uses only facts in force: a correction supersedes, never overwrites (design.md §4)', () => {
    const corrected = fact('stage_one_outcome', '2025-03-20', {
      stageOneOutcome: 'not_suitable',
      supersedes: stageOneDone.id,
      correctionReason: 'Outcome recorded against the wrong household',
    });
    const facts = [...upTo(stageOneDone), corrected];
    expect(factsInForce(facts)).not.toContain(stageOneDone);
    expect(facts).toContain(stageOneDone);
    expect(currentStage(facts)).toBe('not_suitable');
  });
});

describe('impossible facts are refused with a sentence (issue 5 §3, "Bad input")', () => {
  const qualifyingDetermination = fact('agency_decision', '2025-09-01', {
    agencyDecision: 'qualifying_determination',
  });
  const afterDetermination = [...upTo(panel), qualifyingDetermination];

  it.each([
    [
      'a date before the enquiry',
      [enquiry],
      fact('information_event_attended', '2025-01-05'),
      'The information event cannot be before the enquiry on 2025-01-06',
    ],
    [
      'a date in the future',
      [enquiry],
      fact('information_event_attended', '2026-11-23'),
      'The information event cannot be in the future',
    ],
    [
      'a date that is not real',
      [enquiry],
      fact('panel', '2025-02-30'),
      'Enter the date of the panel as a real date',
    ],
    [
      'anything before the enquiry is recorded',
      [],
      fact('registration_of_interest_received', '2025-01-27'),
      "Record the enquiry first: every household's journey starts with it",
    ],
    [
      'a second enquiry',
      [enquiry],
      fact('enquiry', '2025-01-07'),
      'The enquiry is already recorded: correct it rather than adding another',
    ],
    [
      'a corrected enquiry dated after later facts',
      upTo(registration),
      fact('enquiry', '2025-01-21', { supersedes: enquiry.id, correctionReason: 'Wrong date' }),
      'The enquiry cannot be after the information event on 2025-01-20',
    ],
    [
      'a second registration of interest (one agency at a time: domain-detail.md §2)',
      upTo(registration),
      fact('registration_of_interest_received', '2025-01-28'),
      'A registration of interest is already recorded for this household',
    ],
    [
      'a registration decision with no decision',
      upTo(registration),
      fact('registration_of_interest_decision', '2025-01-31'),
      'Say whether the registration of interest was accepted or declined',
    ],
    [
      'a registration decision before the registration',
      [enquiry],
      fact('registration_of_interest_decision', '2025-01-31', { registrationDecision: 'accepted' }),
      'A decision cannot be recorded before the registration of interest is received',
    ],
    [
      'the fast track on a declined registration',
      upTo(registration),
      fact('registration_of_interest_decision', '2025-01-31', {
        registrationDecision: 'declined',
        fastTrack: 'previous_adopter',
      }),
      'Only an accepted registration of interest can go on the fast track',
    ],
    [
      'Stage One before the registration is accepted (AAR 2005 reg 21)',
      upTo(registration),
      fact('stage_one_started', '2025-01-31'),
      'Stage One cannot start before the registration of interest is accepted',
    ],
    [
      'Stage One for a fast-track household (domain.md §3.5)',
      fastTrack,
      fact('stage_one_started', '2025-02-03'),
      'This household is on the fast track, which skips Stage One: correct the registration decision if they are not',
    ],
    [
      'Stage Two before Stage One is completed (AAR 2005 reg 28)',
      upTo(dbsReceived),
      fact('stage_two_notified', '2025-03-20'),
      'Stage Two cannot start before Stage One is completed, unless the household is on the fast track',
    ],
    [
      'Stage Two more than six months after Stage One (AAR 2005 reg 28(2))',
      upTo(stageOneDone),
      fact('stage_two_notified', '2025-09-29'),
      'Stage Two cannot start more than six months after Stage One ended (the last day was 2025-09-28): the applicants must do Stage One again',
    ],
    [
      'Stage One again while the six months to go on are running (reg 28(2))',
      upTo(stageOneDone),
      fact('stage_one_started', '2025-06-01'),
      'Stage One is complete: the applicants can say they wish to go on to Stage Two until 2025-09-28',
    ],
    [
      'a check received before it was requested',
      upTo(stageOneStart),
      fact('statutory_check', '2025-02-05', {
        check: { type: 'medical', subject: 'Sam Applicant', step: 'received' },
      }),
      'The medical report for Sam Applicant cannot be received before it is requested',
    ],
    [
      'a check chased before the date of its request',
      upTo(dbsRequested),
      fact('statutory_check', '2025-02-01', {
        check: { type: 'enhanced_dbs', subject: 'Sam Applicant', step: 'chased' },
      }),
      'The enhanced dbs check for Sam Applicant cannot be chased before it was requested on 2025-02-03',
    ],
    [
      'a check received twice',
      upTo(councilReceived),
      fact('statutory_check', '2025-02-10', {
        check: { type: 'local_authority', subject: 'SWK', step: 'received' },
      }),
      'The local authority check for SWK has already been received',
    ],
    [
      'a check before the registration is accepted',
      upTo(registration),
      fact('statutory_check', '2025-01-28', {
        check: { type: 'enhanced_dbs', subject: 'Sam Applicant', step: 'requested' },
      }),
      'Checks cannot be requested before the registration of interest is accepted',
    ],
    [
      'a check with no subject',
      upTo(stageOneStart),
      fact('statutory_check', '2025-02-03', { check: { type: 'referee', subject: ' ', step: 'requested' } }),
      'Say who or what the personal reference is for',
    ],
    [
      '"may be suitable" while a check is awaited (AAR 2005 regs 25–27)',
      upTo(councilReceived),
      fact('stage_one_outcome', '2025-03-28', { stageOneOutcome: 'may_be_suitable' }),
      'Stage One cannot end with "may be suitable" while checks are awaited: enhanced dbs check (Sam Applicant)',
    ],
    [
      "the panel before the Prospective Adopter's Report (AAR 2005 reg 30)",
      upTo(stageTwoStart),
      fact('panel', '2025-08-21', { panelRecommendation: 'suitable' }),
      "The panel cannot consider the household before the Prospective Adopter's Report is sent to them",
    ],
    [
      'approval before the panel (reg 30B: the panel recommends, the ADM decides)',
      upTo(report),
      fact('agency_decision', '2025-08-28', { agencyDecision: 'approved' }),
      "The agency decision cannot be made before the panel's recommendation",
    ],
    [
      'approval dated before the panel',
      upTo(panel),
      fact('agency_decision', '2025-08-20', { agencyDecision: 'approved' }),
      'The agency decision cannot be before the panel on 2025-08-21',
    ],
    [
      'approval after a deferred panel only',
      [...upTo(report), fact('panel', '2025-08-21', { panelRecommendation: 'deferred' })],
      fact('agency_decision', '2025-08-28', { agencyDecision: 'approved' }),
      "The agency decision cannot be made before the panel's recommendation",
    ],
    [
      'refusal without a qualifying determination (reg 30B(5))',
      upTo(panel),
      fact('agency_decision', '2025-08-28', { agencyDecision: 'not_approved' }),
      'Before deciding not to approve, send a qualifying determination so the applicants can make representations or apply to the IRM',
    ],
    [
      'a final decision inside the 40 working days with no representations (reg 30B(5)(c))',
      afterDetermination,
      fact('agency_decision', '2025-10-24', { agencyDecision: 'not_approved' }),
      'The final decision must wait until the 40 working days for representations or an IRM application end on 2025-10-24',
    ],
    [
      'representations after the 40 working days (reg 30B(5)(c))',
      afterDetermination,
      fact('determination_review_requested', '2025-10-27', { reviewRoute: 'independent_review_mechanism' }),
      'The 40 working days for representations or an IRM application ended on 2025-10-24',
    ],
    [
      'both representations and the IRM (domain-detail.md §2: not both)',
      [
        ...afterDetermination,
        fact('determination_review_requested', '2025-09-10', { reviewRoute: 'representations_to_agency' }),
      ],
      fact('determination_review_requested', '2025-09-12', { reviewRoute: 'independent_review_mechanism' }),
      'The applicants can make representations to the agency or apply to the IRM, not both',
    ],
    [
      'representations without a qualifying determination',
      upTo(approved),
      fact('determination_review_requested', '2025-09-10', { reviewRoute: 'representations_to_agency' }),
      'Representations or an IRM review can only follow a qualifying determination',
    ],
    [
      'a second agency decision',
      upTo(approved),
      fact('agency_decision', '2025-09-01', { agencyDecision: 'approved' }),
      'The agency decision is already recorded: correct it instead',
    ],
    [
      'a match before approval',
      upTo(panel),
      fact('matched', '2025-09-01'),
      'A household cannot be matched before it is approved',
    ],
    [
      'a placement before the match',
      upTo(approved),
      fact('placed', '2025-09-01'),
      'A child cannot be placed before the match is recorded',
    ],
    [
      'a review of approval after a match (reviews run until a match: domain-detail.md §2)',
      upTo(matched),
      fact('approval_review', '2026-08-01', { approvalReviewOutcome: 'approval_continues' }),
      'Approval is reviewed only while the household waits for a match',
    ],
    [
      'a withdrawal with no reason',
      upTo(stageOneStart),
      fact('withdrawn', '2025-02-10'),
      'Choose why the household left the process',
    ],
    [
      'a withdrawal for "another reason" without details',
      upTo(stageOneStart),
      fact('withdrawn', '2025-02-10', { withdrawalReason: 'other', reasonDetail: '  ' }),
      'Give details of why the household left the process',
    ],
    [
      'anything after a withdrawal',
      [...upTo(stageOneStart), fact('withdrawn', '2025-02-10', { withdrawalReason: 'relationship' })],
      fact('statutory_check', '2025-02-11', {
        check: { type: 'enhanced_dbs', subject: 'Sam Applicant', step: 'requested' },
      }),
      "The household's journey ended on 2025-02-10 (withdrawn): a new application starts a new record",
    ],
    [
      'a pause with no reason',
      upTo(stageOneStart),
      fact('clock_paused', '2025-02-10', { clock: 'stage_one' }),
      'Give a reason for the pause',
    ],
    [
      'an extension with no reason (domain-detail.md §2: extensions recorded with reasons)',
      upTo(stageOneStart),
      fact('clock_extended', '2025-03-20', { clock: 'stage_one', extensionDays: 14 }),
      'Give a reason for the extension',
    ],
    [
      'an extension of no days',
      upTo(stageOneStart),
      fact('clock_extended', '2025-03-20', {
        clock: 'stage_one',
        extensionDays: 0,
        delayReason: 'medical_late',
      }),
      'Enter the extension as a whole number of days from 1 to 366',
    ],
    [
      'a pause of the Stage One clock on the fast track',
      [...fastTrack, fastTrackStageTwo],
      fact('clock_paused', '2025-02-20', { clock: 'stage_one', pauseReason: 'ill_health' }),
      'This household is on the fast track: there is no Stage One clock',
    ],
    [
      'a pause of a clock not yet started',
      upTo(stageOneDone),
      fact('clock_paused', '2025-04-01', { clock: 'stage_two', pauseReason: 'ill_health' }),
      'The Stage Two clock has not started',
    ],
    [
      'a pause after the stage ended',
      upTo(stageOneDone),
      fact('clock_paused', '2025-04-01', { clock: 'stage_one', pauseReason: 'ill_health' }),
      'Stage One ended on 2025-03-28: its clock can no longer be paused, restarted or extended',
    ],
    [
      'a restart with no pause',
      upTo(stageOneStart),
      fact('clock_resumed', '2025-02-10', { clock: 'stage_one' }),
      'The Stage One clock is not paused',
    ],
    [
      'a correction with no reason',
      upTo(stageOneStart),
      fact('stage_one_started', '2025-02-01', { supersedes: stageOneStart.id }),
      'Give a reason for the correction',
    ],
    [
      'a correction of a different kind of fact',
      upTo(stageOneStart),
      fact('information_event_attended', '2025-01-21', {
        supersedes: stageOneStart.id,
        correctionReason: 'x',
      }),
      'A correction must be another start of Stage One',
    ],
  ])('refuses %s', (_case, existing, proposed, message) => {
    expect(refuseImpossibleFact(existing, proposed, context)).toBe(message);
  });

  it('accepts every step of a coherent journey', () => {
    journey.forEach((proposed, i) => {
      expect(refuseImpossibleFact(journey.slice(0, i), proposed, context)).toBeNull();
    });
  });

  it.each([
    ['Stage Two on the fast track without Stage One (domain.md §3.5)', fastTrack, fastTrackStageTwo],
    [
      'Stage Two on the last day of the six months (reg 28(2), corresponding date)',
      upTo(stageOneDone),
      fact('stage_two_notified', '2025-09-28'),
    ],
    [
      'Stage One again once the six months have lapsed (reg 28(2))',
      upTo(stageOneDone),
      fact('stage_one_started', '2025-09-29'),
    ],
    [
      'the final decision the working day after the 40 working days end',
      afterDetermination,
      fact('agency_decision', '2025-10-27', { agencyDecision: 'not_approved' }),
    ],
    [
      'approval after representations, inside the 40 working days',
      [
        ...afterDetermination,
        fact('determination_review_requested', '2025-09-10', { reviewRoute: 'representations_to_agency' }),
      ],
      fact('agency_decision', '2025-09-20', { agencyDecision: 'approved' }),
    ],
    [
      'a withdrawal at the enquiry',
      [enquiry],
      fact('withdrawn', '2025-01-07', { withdrawalReason: 'no_contact' }),
    ],
    [
      'a correction of a fact dated before a withdrawal',
      [...upTo(stageOneStart), fact('withdrawn', '2025-02-10', { withdrawalReason: 'relationship' })],
      fact('stage_one_started', '2025-02-01', {
        supersedes: stageOneStart.id,
        correctionReason: 'Typed the wrong day',
      }),
    ],
    [
      'a reason for delay after the stage ended late',
      upTo(stageOneDone),
      fact('delay_recorded', '2025-04-01', { clock: 'stage_one', delayReason: 'dbs_check_late' }),
    ],
  ])('accepts %s', (_case, existing, proposed) => {
    expect(refuseImpossibleFact(existing, proposed, context)).toBeNull();
  });
});

describe('Stage One and Stage Two clocks: "day N of M" (issue 5 §3; domain-detail.md §10)', () => {
  it('runs Stage One for two months from its start, by the corresponding date (stageOneTarget)', () => {
    const { stageOne, stageTwo } = stageClocks(upTo(stageOneStart), '2025-03-01');
    expect(stageTwo).toBeNull();
    expect(stageOne).toMatchObject({
      start: '2025-01-31',
      statutoryTarget: '2025-03-31',
      target: '2025-03-31',
      day: 29,
      totalDays: 59,
      overdue: false,
      daysRemaining: 30,
      label: 'Day 29 of 59',
    });
  });

  it('flags an overdue Stage One and asks for a reason for delay until one is recorded', () => {
    const late = stageClocks(upTo(stageOneStart), '2025-04-02').stageOne;
    expect(late).toMatchObject({
      day: 61,
      totalDays: 59,
      overdue: true,
      daysOverdue: 2,
      needsDelayReason: true,
    });
    expect(late?.label).toBe('Day 61 of 59: 2 days overdue');
    const explained = stageClocks(
      [
        ...upTo(stageOneStart),
        fact('delay_recorded', '2025-04-01', { clock: 'stage_one', delayReason: 'dbs_check_late' }),
      ],
      '2025-04-02',
    ).stageOne;
    expect(explained?.needsDelayReason).toBe(false);
    expect(explained?.delays).toEqual([{ on: '2025-04-01', reason: 'dbs_check_late', detail: null }]);
  });

  it('stops the clock for the length of a pause and moves the target by as much', () => {
    const facts = [
      ...upTo(stageOneStart),
      fact('clock_paused', '2025-02-10', { clock: 'stage_one', pauseReason: 'bereavement' }),
    ];
    const during = stageClocks(facts, '2025-02-20').stageOne;
    expect(during).toMatchObject({
      day: 10,
      totalDays: 59,
      paused: true,
      pausedDays: 10,
      label: 'Day 10 of 59 (paused)',
    });
    expect(stageClocks(facts, '2025-02-25').stageOne?.day).toBe(10);

    const resumed = [...facts, fact('clock_resumed', '2025-02-24', { clock: 'stage_one' })];
    const after = stageClocks(resumed, '2025-03-01').stageOne;
    expect(after).toMatchObject({
      day: 15,
      totalDays: 59,
      paused: false,
      pausedDays: 14,
      target: '2025-04-14',
    });
    expect(after?.pauses).toEqual([
      { from: '2025-02-10', to: '2025-02-24', reason: 'bereavement', detail: null },
    ]);
  });

  it('adds an extension, with its reason, to the target and to M', () => {
    const facts = [
      ...upTo(stageOneStart),
      fact('clock_extended', '2025-03-20', {
        clock: 'stage_one',
        extensionDays: 14,
        delayReason: 'medical_late',
      }),
    ];
    const clock = stageClocks(facts, '2025-04-02').stageOne;
    expect(clock).toMatchObject({
      target: '2025-04-14',
      day: 61,
      totalDays: 73,
      overdue: false,
      extendedDays: 14,
    });
    expect(clock?.needsDelayReason).toBe(false);
  });

  it('stops Stage One at its outcome and says whether it finished in time', () => {
    const clock = stageClocks(upTo(stageOneDone), '2025-06-01').stageOne;
    expect(clock).toMatchObject({
      stoppedOn: '2025-03-28',
      day: 56,
      overdue: false,
      label: 'Finished on day 56 of 59',
    });
  });

  it('runs Stage Two for four months from the notification (reg 30B(1); stageTwoTarget) and stops at the agency decision', () => {
    expect(stageClocks(upTo(report), '2025-08-04').stageTwo).toMatchObject({
      start: '2025-05-01',
      target: '2025-09-01',
      day: 95,
      totalDays: 123,
      label: 'Day 95 of 123',
    });
    expect(stageClocks(upTo(approved), today).stageTwo).toMatchObject({
      stoppedOn: '2025-08-28',
      day: 119,
      label: 'Finished on day 119 of 123',
    });
  });

  it('has no Stage One clock on the fast track, and a Stage Two clock from the notification', () => {
    const clocks = stageClocks([...fastTrack, fastTrackStageTwo], '2025-03-10');
    expect(clocks.stageOne).toBeNull();
    expect(clocks.stageTwo).toMatchObject({ start: '2025-02-10', target: '2025-06-10', day: 28 });
  });

  it('runs a new Stage One clock when Stage One is done again after the gap lapsed (reg 28(2))', () => {
    const again = fact('stage_one_started', '2025-10-06');
    const clock = stageClocks([...upTo(stageOneDone), again], '2025-10-16').stageOne;
    expect(clock).toMatchObject({ start: '2025-10-06', target: '2025-12-06', day: 10, stoppedOn: null });
  });
});

describe('deadlines', () => {
  it('gives the registration decision about five working days, marked to confirm (domain.md §3.2)', () => {
    // 17 April 2025 is the Thursday before Good Friday and Easter Monday.
    const received = fact('registration_of_interest_received', '2025-04-17');
    const status = registrationDecisionDeadline([enquiry, received], '2025-04-25');
    expect(status).toEqual({
      from: '2025-04-17',
      due: '2025-04-28',
      metOn: null,
      overdue: false,
      toConfirm: true,
    });
    expect(registrationDecisionDeadline([enquiry, received], '2025-04-29')?.overdue).toBe(true);
    expect(pipelineRuleSources.registrationDecisionWorkingDays.confirm).toBe(true);
    expect(
      registrationDecisionDeadline([enquiry, received], '2025-04-29', {
        ...defaultPipelineRules,
        registrationDecisionWorkingDays: 10,
      })?.due,
    ).toBe('2025-05-06'); // 5 May 2025 is the early May bank holiday
  });

  it("gives a member council's check 5 working days, over Christmas too (service schedule; councilCheckDue)", () => {
    const stageOne = upTo(stageOneStart);
    const requested = fact('statutory_check', '2025-12-22', {
      check: { type: 'local_authority', subject: 'LBH', step: 'requested' },
    });
    const elsewhere = fact('statutory_check', '2025-12-22', {
      check: { type: 'local_authority', subject: 'Cardiff', step: 'requested' },
    });
    const chased = fact('statutory_check', '2026-01-02', {
      check: { type: 'local_authority', subject: 'LBH', step: 'chased' },
    });
    const checks = statutoryChecks([...stageOne, requested, elsewhere, chased], '2026-01-05', {
      memberCouncils: new Set(['LBH', 'SWK']),
    });
    expect(checks).toEqual([
      {
        type: 'local_authority',
        subject: 'LBH',
        requested: '2025-12-22',
        chased: ['2026-01-02'],
        received: null,
        due: '2025-12-31',
        overdue: true,
      },
      {
        type: 'local_authority',
        subject: 'Cardiff',
        requested: '2025-12-22',
        chased: [],
        received: null,
        due: null,
        overdue: false,
      },
    ]);
  });

  it('lists the Stage One checks still to request (reg 25; domain.md §3.3)', () => {
    const facts = [
      ...upTo(councilReceived),
      fact('statutory_check', '2025-02-04', {
        check: { type: 'referee', subject: 'A Friend', step: 'requested' },
      }),
    ];
    expect(
      checksStillToRequest(facts, {
        applicants: ['Sam Applicant', 'Alex Applicant'],
        adults: ['Sam Applicant', 'Alex Applicant', 'Jo Lodger'],
      }),
    ).toEqual([
      'Request an enhanced DBS check for Alex Applicant',
      'Request an enhanced DBS check for Jo Lodger',
      'Request a medical report for Sam Applicant',
      'Request a medical report for Alex Applicant',
      'Request 2 more personal references',
    ]);
  });

  it('gives the applicants six months after Stage One to go on, by the corresponding date (reg 28(2))', () => {
    const endOfAugust = fact('stage_one_outcome', '2025-08-31', { stageOneOutcome: 'may_be_suitable' });
    expect(stageTwoNotificationDeadline([...upTo(dbsReceived), endOfAugust])).toBe('2026-02-28');
    expect(stageTwoNotificationDeadline(upTo(dbsReceived))).toBeNull();
  });

  it('gives 40 working days beginning with the qualifying determination letter (reg 30B(5)(c))', () => {
    const letter = fact('agency_decision', '2025-06-02', { agencyDecision: 'qualifying_determination' });
    const facts = [...upTo(panel).map((f) => ({ ...f })), letter];
    expect(determinationReviewDeadline(facts, '2025-07-28')).toMatchObject({
      from: '2025-06-02',
      due: '2025-07-25',
      metOn: null,
      overdue: true,
      route: null,
    });
    const request = fact('determination_review_requested', '2025-07-01', {
      reviewRoute: 'independent_review_mechanism',
    });
    expect(determinationReviewDeadline([...facts, request], '2025-07-28')).toMatchObject({
      metOn: '2025-07-01',
      overdue: false,
      route: 'independent_review_mechanism',
    });
  });

  it.each([
    ['approved and waiting: 12 months after approval', upTo(approved), '2026-08-28'],
    [
      'after a review: 12 months after the review',
      [
        ...upTo(approved),
        fact('approval_review', '2026-08-10', { approvalReviewOutcome: 'approval_continues' }),
      ],
      '2027-08-10',
    ],
    ['once matched: no more reviews', upTo(matched), null],
    ['before approval', upTo(panel), null],
  ])('reviews approval yearly until a match (domain-detail.md §2, §10): %s', (_case, facts, due) => {
    expect(annualReviewDue(facts)).toBe(due);
  });

  it('takes the review period from configuration, since domain.md marks it "(confirm)"', () => {
    expect(annualReviewDue(upTo(approved), { ...defaultPipelineRules, approvalReviewMonths: 6 })).toBe(
      '2026-02-28',
    );
    expect(pipelineRuleSources.approvalReviewMonths.confirm).toBe(true);
  });
});

describe('labels and reason codes are data', () => {
  it('labels every fact kind and every stage', () => {
    for (const kind of pipelineFactKinds) {
      expect(pipelineFactLabels[kind]).toBeTruthy();
      expect(pipelineFactNouns[kind]).toBeTruthy();
    }
    for (const stage of pipelineStages) expect(pipelineStageLabels[stage]).toBeTruthy();
  });

  it('lets every reason list take "other", which needs details', () => {
    for (const list of [withdrawalReasons, pauseReasons, delayReasons]) expect(list).toHaveProperty('other');
  });
});

describe('properties', () => {
  const base = '2025-01-06';
  const dayOffset = (max: number) => fc.integer({ min: 0, max });
  const addDays = (date: string, n: number) => addCalendarDays(date, n);

  it('refuses any fact dated before the enquiry or after today', () => {
    const kinds = fc.constantFrom(...pipelineFactKinds.filter((kind) => kind !== 'enquiry'));
    fc.assert(
      fc.property(kinds, fc.integer({ min: 1, max: 2000 }), fc.boolean(), (kind, n, before) => {
        const date = before ? addDays(enquiry.effectiveDate, -n) : addDays(today, n);
        const verdict = refuseImpossibleFact(journey.slice(0, 12), fact(kind, date), context);
        return before
          ? verdict ===
              `The ${pipelineFactNouns[kind]} cannot be before the enquiry on ${enquiry.effectiveDate}`
          : verdict === `The ${pipelineFactNouns[kind]} cannot be in the future`;
      }),
      { numRuns: 400 },
    );
  });

  it('accepts a Stage Two start exactly when it falls within six months of Stage One ending (reg 28(2))', () => {
    fc.assert(
      fc.property(dayOffset(400), dayOffset(260), (outcomeDay, gap) => {
        const outcomeDate = addDays('2025-02-01', outcomeDay);
        const outcome = fact('stage_one_outcome', outcomeDate, { stageOneOutcome: 'may_be_suitable' });
        const existing = [...upTo(stageOneStart), outcome];
        const proposedDate = addDays(outcomeDate, gap);
        // A date after today is refused for that reason first (another property checks it).
        fc.pre(proposedDate <= today);
        const verdict = refuseImpossibleFact(existing, fact('stage_two_notified', proposedDate), context);
        const inTime = proposedDate <= addCalendarMonths(outcomeDate, 6);
        return inTime ? verdict === null : verdict?.includes('must do Stage One again') === true;
      }),
      { numRuns: 500 },
    );
  });

  it('keeps Stage Two closed to a household that has not finished Stage One, unless on the fast track', () => {
    fc.assert(
      fc.property(fc.boolean(), dayOffset(300), (onFastTrack, gap) => {
        const existing = onFastTrack ? fastTrack : upTo(dbsReceived);
        const verdict = refuseImpossibleFact(
          existing,
          fact('stage_two_notified', addDays('2025-03-01', gap)),
          context,
        );
        return onFastTrack ? verdict === null : verdict !== null;
      }),
    );
  });

  it('moves the target by exactly the days paused and extended, and is overdue from the day after', () => {
    fc.assert(
      fc.property(
        dayOffset(500),
        dayOffset(55),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom<'stage_one' | 'stage_two'>('stage_one', 'stage_two'),
        (startDay, pauseAfter, pauseLength, extension, clock) => {
          const start = addDays('2025-01-06', startDay);
          const opening =
            clock === 'stage_one'
              ? [
                  enquiry,
                  fact('registration_of_interest_received', start),
                  fact('registration_of_interest_decision', start, { registrationDecision: 'accepted' }),
                  fact('stage_one_started', start),
                ]
              : [
                  enquiry,
                  fact('registration_of_interest_received', start),
                  fact('registration_of_interest_decision', start, {
                    registrationDecision: 'accepted',
                    fastTrack: 'previous_adopter',
                  }),
                  fact('stage_two_notified', start),
                ];
          const pauseFrom = addDays(start, pauseAfter);
          const facts = [
            ...opening,
            fact('clock_paused', pauseFrom, { clock, pauseReason: 'applicants_asked' }),
            fact('clock_resumed', addDays(pauseFrom, pauseLength), { clock }),
            ...(extension > 0
              ? [
                  fact('clock_extended', pauseFrom, {
                    clock,
                    extensionDays: extension,
                    delayReason: 'other',
                    reasonDetail: 'x',
                  }),
                ]
              : []),
          ];
          const statutory = clock === 'stage_one' ? stageOneTarget(start) : addCalendarMonths(start, 4);
          const target = addDays(statutory, pauseLength + extension);
          const pick = (on: string) =>
            stageClocks(facts, on)[clock === 'stage_one' ? 'stageOne' : 'stageTwo'];
          const onTarget = pick(target);
          const dayAfter = pick(addDays(target, 1));
          const midPause = pick(addDays(pauseFrom, Math.floor(pauseLength / 2)));
          return (
            onTarget?.target === target &&
            onTarget.day === onTarget.totalDays &&
            !onTarget.overdue &&
            dayAfter?.overdue === true &&
            dayAfter.daysOverdue === 1 &&
            midPause?.day === pauseAfter
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts a coherent journey with any gaps between steps, one step at a time, and reaches each stage', () => {
    fc.assert(
      fc.property(
        fc.array(dayOffset(40), { minLength: 14, maxLength: 14 }),
        fc.boolean(),
        (gaps, onFastTrack) => {
          let date = base;
          let i = 0;
          const next = () => (date = addDays(date, gaps[i++] ?? 0));
          const steps: Array<[PipelineFact, PipelineStage]> = [
            [fact('enquiry', date), 'enquiry'],
            [fact('information_event_attended', next()), 'information_event_attended'],
            [fact('registration_of_interest_received', next()), 'registration_of_interest'],
            [
              fact('registration_of_interest_decision', next(), {
                registrationDecision: 'accepted',
                fastTrack: onFastTrack ? 'previous_adopter' : null,
              }),
              'registration_accepted',
            ],
          ];
          if (!onFastTrack) {
            const check = (step: 'requested' | 'received') =>
              fact('statutory_check', next(), { check: { type: 'enhanced_dbs', subject: 'A', step } });
            steps.push(
              [fact('stage_one_started', next()), 'stage_one'],
              [check('requested'), 'stage_one'],
              [check('received'), 'stage_one'],
              [fact('stage_one_outcome', next(), { stageOneOutcome: 'may_be_suitable' }), 'between_stages'],
            );
          }
          steps.push(
            [fact('stage_two_notified', next()), 'stage_two'],
            [fact('prospective_adopters_report', next()), 'stage_two'],
            [fact('panel', next(), { panelRecommendation: 'suitable' }), 'awaiting_agency_decision'],
            [fact('agency_decision', next(), { agencyDecision: 'approved' }), 'approved'],
            [fact('matched', next()), 'matched'],
            [fact('placed', next()), 'placed'],
          );
          const facts: PipelineFact[] = [];
          for (const [proposed, stage] of steps) {
            if (refuseImpossibleFact(facts, proposed, { today: date }) !== null) return false;
            facts.push(proposed);
            if (currentStage(facts) !== stage) return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('derives the same stage and clocks whatever order the facts are stored in', () => {
    const withPause = [
      ...upTo(stageOneStart),
      fact('clock_paused', '2025-02-10', { clock: 'stage_one', pauseReason: 'ill_health' }),
      fact('clock_resumed', '2025-02-17', { clock: 'stage_one' }),
      ...upTo(approved).slice(upTo(stageOneStart).length),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(withPause, { minLength: withPause.length }), (shuffled) => {
        expect(currentStage(shuffled)).toBe('approved');
        expect(stageClocks(shuffled, today)).toEqual(stageClocks(withPause, today));
      }),
      { numRuns: 200 },
    );
  });

  it("dates a member council's answer 5 working days on, always a working day, and flags it only once late", () => {
    fc.assert(
      fc.property(dayOffset(1500), dayOffset(20), (requestDay, answerAfter) => {
        const requestedOn = addDays('2025-02-03', requestDay);
        const receivedOn = addDays(requestedOn, answerAfter);
        const facts = [
          ...upTo(stageOneStart),
          fact('statutory_check', requestedOn, {
            check: { type: 'local_authority', subject: 'SWK', step: 'requested' },
          }),
          fact('statutory_check', receivedOn, {
            check: { type: 'local_authority', subject: 'SWK', step: 'received' },
          }),
        ];
        const [status] = statutoryChecks(facts, addDays(receivedOn, 30));
        return (
          status !== undefined &&
          status.due !== null &&
          isWorkingDay(status.due) &&
          status.due > requestedOn &&
          status.overdue === receivedOn > status.due
        );
      }),
      { numRuns: 300 },
    );
  });
});
