// Agency decisions on panel items (issue 7 §4–§5). The rules:
// - the right decision maker decides: a user with 'decisions:make' on the RAA's staff for
//   prospective adopters (approval, review, ending approval); the child's council's for the match
//   and for a relinquished child's plan (seeds 001 §11.6, service schedule). Anyone else is refused
//   with a sentence naming who decides, and the refusal is audited;
// - a decision maker who sat on the panel for the item does not decide it (statutory guidance
//   ch. 1: the ADM is not a panel member);
// - only on final (signed-off) minutes, never on a deferral, and once per item: the service checks
//   under a row lock, and a unique index is the second wall;
// - within 7 working days of the final minutes (panel-rules.ts decisionClock); a daily job raises
//   overdue decisions by email with the decision makers and panel advisers, once a week;
// - a proposal not to approve prospective adopters is a qualifying determination: the applicants
//   have 40 working days for representations or the IRM (reg 30B(5)); the route is recorded, and
//   the final decision follows;
// - the decision moves the journeys through their own services in the same transaction, and its
//   letter is drawn from its template, stored and audited when downloaded.
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext, AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/http/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { addWorkingDays, todayInLondon } from '../../platform/time/index.js';
import { assessingRaa } from '../adopters/households.service.js';
import type { DecisionInput, FinalDecisionInput, RouteInput } from './panels.forms.js';
import { childFact, householdFact, recordChildStep, recordHouseholdStep } from './journey-effects.js';
import { settleLinkByDecision } from '../matching/linking.service.js';
import { letterFileName, renderLetterPdf, type LetterTemplateKey, type LetterValues } from './letters.js';
import {
  decidingSide,
  decisionClock,
  escalationDue,
  itemKindLabels,
  outcomesFor,
  agreesWithRecommendation,
  recommendationLabels,
  representationsDue,
} from './panel-rules.js';
import {
  applicantNames,
  determinationsAwaitingFinal,
  everyItemAwaitingDecision,
  itemsAwaitingDecision,
  letterById,
  recentDecisions,
  type ItemRow,
} from './panels.repository.js';
import {
  auditedRefusal,
  auditPanel,
  caseSubject,
  changeItem,
  itemForActor,
  itemForStaff,
  lockItem,
  refuse,
  rulesOf,
  todayOf,
  type PanelDeps,
  type Trx,
} from './panels.service.js';
import type { DecisionOutcome, ItemKind, ReviewRoute } from './panels.tables.js';

const raaKinds: ItemKind[] = ['adopter_approval', 'approval_review', 'approval_termination'];
const childKinds: ItemKind[] = ['match', 'relinquished_plan'];

export const reviewRouteLabels: Record<ReviewRoute, string> = {
  representations_to_agency: 'Representations to the agency decision maker',
  independent_review_mechanism: 'Application to the Independent Review Mechanism (IRM)',
};

async function organisationName(executor: Db | Trx, id: string): Promise<string> {
  const row = await executor
    .selectFrom('organisations')
    .select('name')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.name ?? 'the agency';
}

/** Why this actor may not decide this item, as a sentence; null when they may. */
export async function deciderRefusal(
  executor: Db | Trx,
  actor: Actor,
  item: ItemRow,
): Promise<string | null> {
  if (!actor.permissions.has('decisions:make')) return 'Only an agency decision maker can make this decision';
  if (decidingSide[item.kind] === 'raa') {
    if (assessingRaa(actor) === item.raa_id) return null;
    return `Prospective adopters are approved by the agency decision maker of ${await organisationName(executor, item.raa_id)}, the RAA: this decision is not for your organisation`;
  }
  if (item.child_council_id && actor.organisation.id === item.child_council_id) return null;
  const what = item.kind === 'match' ? 'The match' : 'The plan for the child';
  return `${what} is decided by the agency decision maker of ${item.child_council_name ?? 'the child’s council'}, the child’s council: this decision is not for your organisation`;
}

async function satOnPanel(executor: Db | Trx, actor: Actor, item: ItemRow): Promise<boolean> {
  const row = await executor
    .selectFrom('panel_sitting_members as sm')
    .innerJoin('panel_members as m', 'm.id', 'sm.member_id')
    .select('m.id')
    .where('sm.sitting_id', '=', item.sitting_id)
    .where('sm.attendance', '=', 'present')
    .where('m.user_id', '=', actor.userId)
    .executeTakeFirst();
  return !!row;
}

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/** The letter's values for an item and a decision; no birth family details are read at all. */
async function letterValues(
  trx: Trx,
  actor: Actor,
  item: ItemRow,
  decision: {
    outcome: DecisionOutcome | 'not_approved';
    reasons: string;
    decidedOn: string;
    recommendation: string;
  },
  extra: Partial<LetterValues> = {},
): Promise<LetterValues> {
  const deciderOrganisation = actor.organisation.name;
  const common = {
    panel: item.panel_name,
    sittingDate: item.sitting_date,
    decisionDate: decision.decidedOn,
    recommendation: recommendationLabels[item.kind][decision.recommendation as 'in_favour'].toLowerCase(),
    reasons: decision.reasons,
    deciderName: actor.name,
    deciderOrganisation,
    ...extra,
  };
  if (item.kind === 'relinquished_plan') {
    const child = await trx
      .selectFrom('children')
      .select(['council_social_worker_name', 'first_name', 'known_as', 'council_child_id'])
      .where('id', '=', item.child_id ?? '')
      .executeTakeFirstOrThrow();
    return {
      ...common,
      addressee: [child.council_social_worker_name ?? 'The child’s social worker'],
      address: [item.child_council_name ?? ''],
      salutation: child.council_social_worker_name ?? 'colleague',
      reference: child.council_child_id,
      agencyName: item.child_council_name ?? deciderOrganisation,
      childFirstName: child.known_as || child.first_name,
    };
  }
  const names = (await applicantNames(trx, [item.household_id ?? ''])).get(item.household_id ?? '') ?? [];
  const address = [item.address_line_1, item.address_line_2, item.town, item.postcode].filter(
    (line): line is string => !!line,
  );
  return {
    ...common,
    addressee: names,
    address,
    salutation: names.join(' and ') || 'applicant',
    reference: item.household_reference ?? '',
    agencyName:
      item.kind === 'match' ? (item.child_council_name ?? deciderOrganisation) : deciderOrganisation,
    ...(item.kind === 'match'
      ? { childFirstName: item.child_known_as || item.child_first_name || 'the child' }
      : {}),
  };
}

async function storeLetter(
  trx: Trx,
  actor: Actor,
  auditContext: AuditContext,
  item: ItemRow,
  decisionId: string,
  template: LetterTemplateKey,
  values: LetterValues,
  final: boolean,
): Promise<void> {
  const pdf = await renderLetterPdf(template, values);
  await trx
    .insertInto('panel_letters')
    .values({
      item_id: item.id,
      decision_id: decisionId,
      template,
      file_name: letterFileName(values.reference, values.decisionDate, final),
      size_bytes: pdf.length,
      content: pdf,
      created_by: actor.userId,
      created_at: auditContext.now,
    })
    .execute();
}

/** Placement planning for the child's council and the RAA's spoke that serves it, after a match decision. */
async function openPlacementPlanning(
  trx: Trx,
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  item: ItemRow,
): Promise<void> {
  if (!item.child_id || !item.child_council_id) return;
  const council = await trx
    .selectFrom('organisations as council')
    .leftJoin('organisations as parent', 'parent.id', 'council.parent_id')
    .select(['council.id', 'council.raa_id', 'parent.id as parent_id', 'parent.kind as parent_kind'])
    .where('council.id', '=', item.child_council_id)
    .executeTakeFirstOrThrow();
  const raaSide = (council.parent_kind === 'spoke' ? council.parent_id : council.raa_id) ?? item.raa_id;
  const due = addWorkingDays(todayOf(auditContext), rulesOf(deps).placementPlanningWorkingDays);
  // Titles never name the child: they travel in reminder emails (service-schedule.ts).
  await trx
    .insertInto('tasks')
    .values([
      {
        child_id: item.child_id,
        kind: 'plan_placement_council',
        title: 'Hold the placement planning meeting after the match decision',
        owner_organisation_id: council.id,
        due_date: due,
        created_by: actor.userId,
        created_at: auditContext.now,
      },
      {
        child_id: item.child_id,
        kind: 'plan_placement_raa',
        title: 'Plan introductions with the adopters after the match decision',
        owner_organisation_id: raaSide,
        due_date: due,
        created_by: actor.userId,
        created_at: auditContext.now,
      },
    ])
    .onConflict((oc) =>
      oc.columns(['child_id', 'kind']).where('status', '=', 'open').where('kind', '<>', 'custom').doNothing(),
    )
    .execute();
}

/** What a decision does to the journeys (issue 7 §5). */
async function applyDecision(
  trx: Trx,
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  item: ItemRow,
  outcome: DecisionOutcome,
  date: string,
): Promise<void> {
  const source = 'Agency decision (panel)';
  const household = { id: item.household_id ?? '', raaId: item.raa_id };
  switch (outcome) {
    case 'approved':
    case 'qualifying_determination':
      // The household's stage becomes approved (in the pool), or "proposed not to approve".
      await recordHouseholdStep(
        trx,
        deps,
        actor,
        auditContext,
        household,
        householdFact('agency_decision', date, source, { agencyDecision: outcome }),
      );
      return;
    case 'approval_continues':
    case 'approval_ended':
      await recordHouseholdStep(
        trx,
        deps,
        actor,
        auditContext,
        household,
        householdFact('approval_review', date, source, { approvalReviewOutcome: outcome }),
      );
      return;
    case 'match_agreed':
      await recordChildStep(
        trx,
        deps,
        actor,
        auditContext,
        item.child_id ?? '',
        childFact('match_decision', date, source),
      );
      await recordHouseholdStep(
        trx,
        deps,
        actor,
        auditContext,
        household,
        householdFact('matched', date, source),
      );
      if (item.match_link_id)
        await settleLinkByDecision(trx, deps, actor, auditContext, item.match_link_id, true);
      await openPlacementPlanning(trx, deps, actor, auditContext, item);
      return;
    case 'should_be_placed':
      await recordChildStep(
        trx,
        deps,
        actor,
        auditContext,
        item.child_id ?? '',
        childFact('should_be_placed_decision', date, source),
      );
      return;
    case 'match_not_agreed':
      if (item.match_link_id)
        await settleLinkByDecision(trx, deps, actor, auditContext, item.match_link_id, false);
      return;
    case 'should_not_be_placed':
      return;
  }
}

/** The decision maker's decision on an item, its effects and its letter, in one transaction. */
export async function makeDecision(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: DecisionInput,
): Promise<void> {
  const action = 'panels.decision.make';
  const { item } = await itemForActor(deps, actor, auditContext, itemId, action);
  const subject = caseSubject(item);
  try {
    const wrong = await deciderRefusal(deps.db, actor, item);
    if (wrong) throw refuse(wrong, 'outcome', 'forbidden', 'denied');
    if (await satOnPanel(deps.db, actor, item))
      throw refuse(
        'You sat on the panel that heard this item: another agency decision maker must decide it',
        'outcome',
        'forbidden',
        'denied',
      );
    await deps.db.transaction().execute(async (trx) => {
      await lockItem(trx, item.id);
      const existing = await trx
        .selectFrom('panel_decisions')
        .leftJoin('users', 'users.id', 'panel_decisions.decided_by')
        .select(['panel_decisions.decided_on', 'users.name'])
        .where('panel_decisions.item_id', '=', item.id)
        .executeTakeFirst();
      if (existing)
        throw refuse(
          `A decision on this item was already made on ${existing.decided_on} by ${existing.name ?? 'another decision maker'}: there is one decision per item`,
          'outcome',
          'conflict',
        );
      const minute = await trx
        .selectFrom('panel_minutes')
        .select(['recommendation', 'signed_off_on'])
        .where('item_id', '=', item.id)
        .executeTakeFirst();
      if (!minute?.signed_off_on)
        throw refuse(
          'The minutes are not final yet: the chair signs them off before the decision is made',
          'outcome',
          'conflict',
        );
      if (minute.recommendation === 'deferred')
        throw refuse(
          'The panel deferred this item: there is no recommendation to decide on; list it at a later sitting',
          'outcome',
          'conflict',
        );
      if (!outcomesFor[item.kind].includes(input.outcome))
        throw refuse('Choose one of the decisions offered for this kind of case', 'outcome');
      const today = todayOf(auditContext);
      const clock = decisionClock(minute.signed_off_on, today);
      const decision = await trx
        .insertInto('panel_decisions')
        .values({
          item_id: item.id,
          outcome: input.outcome,
          reasons: input.reasons,
          decided_on: today,
          due_on: clock.due,
          agrees_with_recommendation: agreesWithRecommendation(
            item.kind,
            minute.recommendation,
            input.outcome,
          ),
          decided_by: actor.userId,
          decision_maker_organisation_id: actor.organisation.id,
          created_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const extra: Partial<LetterValues> = {};
      if (input.outcome === 'qualifying_determination') {
        extra.representationsDue = representationsDue(today);
        await trx
          .insertInto('panel_determinations')
          .values({ decision_id: decision.id, representations_due: extra.representationsDue })
          .execute();
      }
      await applyDecision(trx, deps, actor, auditContext, item, input.outcome, today);
      const values = await letterValues(
        trx,
        actor,
        item,
        {
          outcome: input.outcome,
          reasons: input.reasons,
          decidedOn: today,
          recommendation: minute.recommendation,
        },
        extra,
      );
      const template =
        `${item.kind === 'approval_termination' ? 'approval_review' : item.kind}.${input.outcome}` as LetterTemplateKey;
      await storeLetter(trx, actor, auditContext, item, decision.id, template, values, false);
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        ...subject,
        reason: `${input.outcome}${clock.overdue ? ` (${clock.label.toLowerCase()})` : ''}`,
      });
    });
  } catch (error) {
    // The unique index is the second wall against two decisions made at once.
    const refused = isUniqueViolation(error)
      ? refuse(
          'A decision on this item was made a moment ago by someone else: there is one decision per item',
          'outcome',
          'conflict',
        )
      : error;
    throw await auditedRefusal(deps, auditContext, refused, { action, ...subject });
  }
}

/** The applicants' answer to a qualifying determination: representations, or the IRM (not both). */
export async function recordReviewRoute(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: RouteInput,
): Promise<void> {
  const action = 'panels.determination.route';
  const item = await itemForStaff(deps, actor, auditContext, itemId, action);
  await changeItem(deps, auditContext, item, action, async (trx) => {
    const found = await trx
      .selectFrom('panel_decisions as d')
      .innerJoin('panel_determinations as q', 'q.decision_id', 'd.id')
      .select(['d.id', 'd.decided_on', 'q.route', 'q.representations_due', 'q.final_outcome'])
      .where('d.item_id', '=', item.id)
      .executeTakeFirst();
    if (!found) throw refuse('There is no qualifying determination on this item', 'route', 'conflict');
    if (found.final_outcome) throw refuse('The final decision has been made', 'route', 'conflict');
    if (found.route)
      throw refuse(
        'The applicants’ route is already recorded: they can make representations or apply to the IRM, not both',
        'route',
        'conflict',
      );
    if (input.requestedOn > todayOf(auditContext))
      throw refuse('The date must be today or in the past', 'requestedOn-day');
    if (input.requestedOn < found.decided_on)
      throw refuse(
        `The request cannot be before the qualifying determination on ${found.decided_on}`,
        'requestedOn-day',
      );
    if (input.requestedOn > found.representations_due)
      throw refuse(
        `The 40 working days for representations or an IRM application ended on ${found.representations_due}`,
        'requestedOn-day',
        'conflict',
      );
    await trx
      .updateTable('panel_determinations')
      .set({ route: input.route, route_requested_on: input.requestedOn, route_recorded_by: actor.userId })
      .where('decision_id', '=', found.id)
      .execute();
    await recordHouseholdStep(
      trx,
      deps,
      actor,
      auditContext,
      { id: item.household_id ?? '', raaId: item.raa_id },
      householdFact('determination_review_requested', input.requestedOn, 'Applicants’ request (panel)', {
        reviewRoute: input.route,
      }),
    );
    return input.route;
  });
}

/** The final decision after a qualifying determination, once the representations or the IRM are done, or the 40 days have ended. */
export async function makeFinalDecision(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: FinalDecisionInput,
): Promise<void> {
  const action = 'panels.decision.final';
  const { item } = await itemForActor(deps, actor, auditContext, itemId, action);
  await changeItem(
    deps,
    auditContext,
    item,
    action,
    async (trx) => {
      const found = await trx
        .selectFrom('panel_decisions as d')
        .innerJoin('panel_determinations as q', 'q.decision_id', 'd.id')
        .innerJoin('panel_minutes as m', 'm.item_id', 'd.item_id')
        .select(['d.id', 'd.decided_on', 'q.route', 'q.final_outcome', 'm.recommendation'])
        .where('d.item_id', '=', item.id)
        .executeTakeFirst();
      if (!found)
        throw refuse('There is no qualifying determination on this item', 'finalOutcome', 'conflict');
      if (found.final_outcome)
        throw refuse('The final decision on this item has already been made', 'finalOutcome', 'conflict');
      const today = todayOf(auditContext);
      await trx
        .updateTable('panel_determinations')
        .set({
          final_outcome: input.outcome,
          final_reasons: input.reasons,
          final_decided_on: today,
          final_decided_by: actor.userId,
        })
        .where('decision_id', '=', found.id)
        .where('final_outcome', 'is', null)
        .execute();
      // The pipeline decides whether the applicants' 40 working days allow a final decision yet.
      await recordHouseholdStep(
        trx,
        deps,
        actor,
        auditContext,
        { id: item.household_id ?? '', raaId: item.raa_id },
        householdFact('agency_decision', today, 'Agency decision (final)', { agencyDecision: input.outcome }),
      );
      const values = await letterValues(
        trx,
        actor,
        item,
        {
          outcome: input.outcome,
          reasons: input.reasons,
          decidedOn: today,
          recommendation: found.recommendation,
        },
        {
          proposalDate: found.decided_on,
          reviewConsidered:
            found.route === 'independent_review_mechanism'
              ? 'the recommendation of the Independent Review Mechanism'
              : found.route === 'representations_to_agency'
                ? 'your representations'
                : 'your case again, having received no representations within the 40 working days',
        },
      );
      await storeLetter(trx, actor, auditContext, item, found.id, `final.${input.outcome}`, values, true);
      return input.outcome;
    },
    {
      before: async () => {
        const wrong = await deciderRefusal(deps.db, actor, item);
        if (wrong) throw refuse(wrong, 'finalOutcome', 'forbidden', 'denied');
      },
    },
  );
}

/** A stored letter, for anyone who may see its item; every download audited. */
export async function letterForActor(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  letterId: string,
): Promise<{ fileName: string; content: Buffer }> {
  const action = 'panels.letter.download';
  const letter = await letterById(deps.db, letterId);
  if (!letter) {
    await auditPanel(deps.db, deps, auditContext, {
      action,
      outcome: 'denied',
      subjectType: 'panel_item',
      subjectId: letterId,
      reason: 'not a letter you can reach',
    });
    throw new AppError('not-found', 'We could not find that letter.');
  }
  const { item } = await itemForActor(deps, actor, auditContext, letter.item_id, action);
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    ...caseSubject(item),
    reason: `letter ${letter.id} (${letter.template})`,
  });
  return { fileName: letter.file_name, content: letter.content };
}

// ── The decision maker's list ──────────────────────────────────────────────────────────────────

export interface DecisionsView {
  side: 'raa' | 'council' | 'none';
  awaiting: Array<ItemRow & { clock: ReturnType<typeof decisionClock> }>;
  determinations: ItemRow[];
  recent: ItemRow[];
  /** Applicants' names by household, for the cases listed. */
  names: Map<string, string[]>;
}

export async function decisionsFor(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
): Promise<DecisionsView> {
  const today = todayOf(auditContext);
  const raaId = assessingRaa(actor);
  let view: DecisionsView;
  if (raaId) {
    const filter = { raaId, kinds: raaKinds };
    const [awaiting, determinations, recent] = await Promise.all([
      itemsAwaitingDecision(deps.db, filter),
      determinationsAwaitingFinal(deps.db, raaId),
      recentDecisions(deps.db, filter),
    ]);
    view = {
      side: 'raa',
      awaiting: awaiting.map((i) => ({ ...i, clock: decisionClock(i.signed_off_on ?? today, today) })),
      determinations,
      recent,
      names: new Map(),
    };
  } else if (actor.organisation.kind === 'local_authority' && actor.scope.raaId) {
    const filter = { raaId: actor.scope.raaId, kinds: childKinds, childCouncilId: actor.organisation.id };
    const [awaiting, recent] = await Promise.all([
      itemsAwaitingDecision(deps.db, filter),
      recentDecisions(deps.db, filter),
    ]);
    view = {
      side: 'council',
      awaiting: awaiting.map((i) => ({ ...i, clock: decisionClock(i.signed_off_on ?? today, today) })),
      determinations: [],
      recent,
      names: new Map(),
    };
  } else {
    return { side: 'none', awaiting: [], determinations: [], recent: [], names: new Map() };
  }
  view.names = await applicantNames(
    deps.db,
    [...view.awaiting, ...view.determinations, ...view.recent]
      .map((item) => item.household_id)
      .filter((id): id is string => !!id),
  );
  await auditPanel(deps.db, deps, auditContext, {
    action: 'panels.decisions.view',
    outcome: 'success',
    subjectType: 'organisation',
    subjectId: actor.organisation.id,
    organisationId: actor.organisation.id,
    reason: `${view.awaiting.length} awaiting`,
  });
  return view;
}

// ── Escalation of overdue decisions (the daily job) ────────────────────────────────────────────

/** Active accounts with their roles and organisations: whom an escalation can be sent to. */
const activeUsersByRole = (db: Db) =>
  db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('organisations as org', 'org.id', 'users.organisation_id')
    .select('users.email')
    .where('users.status', '=', 'active');

/**
 * Raises every decision not made within 7 working days of the final minutes with those who can
 * act: the agency decision makers of the deciding organisation and the RAA's panel advisers, by
 * email, then again every `escalationIntervalWorkingDays` while it stays overdue. Each escalation
 * is recorded (the item's page shows it) and audited. The emails name no one: they leave Kindred.
 */
export async function escalateOverdueDecisions(
  deps: { db: Db; auditKey: AuditKey; mailer: Mailer; publicUrl: string; rules?: PanelDeps['rules'] },
  now: Date,
): Promise<{ escalated: number; emails: number }> {
  const today = todayInLondon(now);
  const rules = rulesOf(deps);
  const items = await everyItemAwaitingDecision(deps.db);
  let escalated = 0;
  let emails = 0;
  for (const item of items) {
    if (!item.signed_off_on) continue;
    const clock = decisionClock(item.signed_off_on, today);
    if (!escalationDue(clock, item.last_escalated_on ?? null, today, rules)) continue;
    const deciders =
      decidingSide[item.kind] === 'raa'
        ? activeUsersByRole(deps.db)
            .where('user_roles.role', 'in', ['agency_decision_maker', 'panel_adviser'])
            .where((eb) =>
              eb.and([
                eb('org.kind', 'in', ['raa', 'spoke', 'team']),
                eb.or([eb('org.id', '=', item.raa_id), eb('org.raa_id', '=', item.raa_id)]),
              ]),
            )
        : activeUsersByRole(deps.db).where((eb) =>
            eb.or([
              eb.and([
                eb('user_roles.role', '=', 'agency_decision_maker'),
                eb('org.id', '=', item.child_council_id ?? ''),
              ]),
              eb.and([
                eb('user_roles.role', '=', 'panel_adviser'),
                eb('org.kind', 'in', ['raa', 'spoke', 'team']),
                eb.or([eb('org.id', '=', item.raa_id), eb('org.raa_id', '=', item.raa_id)]),
              ]),
            ]),
          );
    const recipients = [...new Set((await deciders.execute()).map((r) => r.email))];
    for (const to of recipients) {
      await deps.mailer.send({
        to,
        subject: 'Kindred: an agency decision is overdue',
        text: [
          `A decision on an item heard by the ${item.panel_name} on ${item.sitting_date} is overdue.`,
          `What it is: ${itemKindLabels[item.kind].toLowerCase()}. The final minutes were signed off on ${item.signed_off_on}; the decision was due by ${clock.due} (${clock.label.toLowerCase()}).`,
          'Open it in Kindred:',
          `${deps.publicUrl.replace(/\/$/, '')}/panel-items/${item.id}`,
          'This email does not name the people involved: sign in to Kindred to see them.',
          'Kindred',
        ].join('\n\n'),
      });
      emails += 1;
    }
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('panel_decision_escalations')
        .values({ item_id: item.id, escalated_on: today, recipients: recipients.length, created_at: now })
        .onConflict((oc) => oc.columns(['item_id', 'escalated_on']).doNothing())
        .execute();
      await auditPanel(
        trx,
        deps,
        {
          actor: null,
          ip: null,
          userAgent: 'kindred panels.escalate-overdue-decisions',
          correlationId: null,
          now,
        },
        {
          action: 'panels.decision.escalate',
          outcome: 'success',
          ...caseSubject(item),
          reason: `${clock.label}; ${recipients.length} recipients`,
        },
      );
    });
    escalated += 1;
  }
  return { escalated, emails };
}
