// What each panel page shows, gathered under the same reach rules as the changes (panels.service.ts)
// and audited as it is served when it names people (LG-2): a sitting's agenda, an item with its
// papers, minute and decision, the central list and a member's record.
import type { Actor } from '../../platform/access/actor.js';
import type { AuditContext } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/http/errors.js';
import { assessingRaa } from '../adopters/households.service.js';
import { deciderRefusal } from './decisions.service.js';
import { decisionClock, papersDueBy, type DecisionClock } from './panel-rules.js';
import {
  amendmentsOf,
  applicantNames,
  conflictsOf,
  escalationsOf,
  interestsOf,
  itemsOfSitting,
  lettersOf,
  memberOfRaa,
  memberSittings,
  membersOfRaa,
  panelsOfRaa,
  papersOf,
  qualityIssuesOf,
  sittingMembers,
  sittingsForUser,
  sittingsOfPanel,
  sittingYears,
  trainingOf,
  userName,
} from './panels.repository.js';
import {
  auditPanel,
  caseSubject,
  itemForActor,
  panelForActor,
  quorumForItem,
  refusedAsNotFound,
  rulesOf,
  sittingForActor,
  staffRaaOf,
  todayOf,
  type PanelDeps,
} from './panels.service.js';

export async function panelsOverview(deps: PanelDeps, actor: Actor, auditContext: AuditContext) {
  const today = todayOf(auditContext);
  const raaId = staffRaaOf(actor);
  if (raaId) {
    const [panels, spokes] = await Promise.all([
      panelsOfRaa(deps.db, raaId, today),
      deps.db
        .selectFrom('organisations')
        .select(['id', 'name', 'kind'])
        .where((eb) =>
          eb.or([eb('id', '=', raaId), eb.and([eb('kind', '=', 'spoke'), eb('raa_id', '=', raaId)])]),
        )
        .where('active', '=', true)
        .orderBy('kind')
        .orderBy('name')
        .execute(),
    ]);
    return { kind: 'staff' as const, panels, spokes, today };
  }
  const sittings = await sittingsForUser(deps.db, actor.userId);
  if (sittings.length) return { kind: 'member' as const, sittings, today };
  return { kind: 'none' as const, today };
}

export async function panelPage(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  panelId: string,
  year: number | undefined,
) {
  const panel = await panelForActor(deps, actor, auditContext, panelId, 'panels.panel.view');
  const today = todayOf(auditContext);
  const thisYear = Number(today.slice(0, 4));
  const years = await sittingYears(deps.db, panel.id);
  if (!years.includes(thisYear)) years.unshift(thisYear);
  years.sort((a, b) => b - a);
  const chosen = year ?? thisYear;
  const sittings = await sittingsOfPanel(deps.db, panel.id, `${chosen}-01-01`, `${chosen}-12-31`);
  return { panel, years, year: chosen, sittings, today };
}

export async function sittingPage(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
) {
  const action = 'panels.sitting.view';
  const { sitting, asMember } = await sittingForActor(deps, actor, auditContext, sittingId, action);
  const rules = rulesOf(deps);
  const [members, items] = await Promise.all([
    sittingMembers(deps.db, sitting.id),
    itemsOfSitting(deps.db, sitting.id),
  ]);
  const [names, conflicts, candidates] = await Promise.all([
    applicantNames(
      deps.db,
      items.map((i) => i.household_id).filter((id): id is string => !!id),
    ),
    conflictsOf(
      deps.db,
      items.map((i) => i.id),
    ),
    asMember
      ? Promise.resolve([])
      : membersOfRaa(deps.db, sitting.raa_id).then((all) =>
          all.filter(
            (m) =>
              !members.some((s) => s.member_id === m.id) &&
              (m.left_on === null || m.left_on > sitting.sitting_date),
          ),
        ),
  ]);
  const quorum = quorumForItem(sitting, members, new Set(), rules);
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'panel_sitting',
    subjectId: sitting.id,
    organisationId: sitting.raa_id,
    reason: `${items.length} items`,
  });
  return {
    sitting,
    asMember,
    members,
    items,
    names,
    conflicts,
    candidates,
    quorum,
    papersDue: papersDueBy(sitting.sitting_date, rules),
    rules,
    today: todayOf(auditContext),
  };
}

export async function itemPage(deps: PanelDeps, actor: Actor, auditContext: AuditContext, itemId: string) {
  const action = 'panels.item.view';
  const { item, access } = await itemForActor(deps, actor, auditContext, itemId, action);
  const rules = rulesOf(deps);
  const today = todayOf(auditContext);
  const [members, papers, conflicts, amendments, quality, letters, escalations, names, signer, decider] =
    await Promise.all([
      sittingMembers(deps.db, item.sitting_id),
      papersOf(deps.db, item.id),
      conflictsOf(deps.db, [item.id]),
      amendmentsOf(deps.db, item.id),
      qualityIssuesOf(deps.db, item.id),
      lettersOf(deps.db, item.id),
      escalationsOf(deps.db, item.id),
      applicantNames(deps.db, item.household_id ? [item.household_id] : []),
      userName(deps.db, item.signed_off_by),
      userName(deps.db, item.decided_by),
    ]);
  const withdrawn = new Set(conflicts.filter((c) => c.withdrew).map((c) => c.member_id));
  const quorum = quorumForItem(
    {
      joint: item.joint,
      sitting_date: item.sitting_date,
      attendance_recorded_at: item.attendance_recorded_at,
    },
    members,
    withdrawn,
    rules,
  );
  const clock: DecisionClock | null =
    item.signed_off_on && item.recommendation !== 'deferred'
      ? decisionClock(item.signed_off_on, today, item.decided_on ?? null)
      : null;
  const deciderProblem = actor.permissions.has('decisions:make')
    ? await deciderRefusal(deps.db, actor, item)
    : null;
  const subject = caseSubject(item);
  await auditPanel(deps.db, deps, auditContext, { action, outcome: 'success', ...subject });
  if (item.kind === 'match' && item.household_id) {
    await auditPanel(deps.db, deps, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'household',
      subjectId: item.household_id,
      organisationId: item.raa_id,
    });
  }
  return {
    item,
    access,
    members,
    papers,
    conflicts,
    amendments,
    quality,
    letters,
    escalations,
    applicants: item.household_id ? (names.get(item.household_id) ?? []) : [],
    quorum,
    clock,
    papersDue: papersDueBy(item.sitting_date, rules),
    signedOffByName: signer?.name ?? null,
    decidedByName: decider?.name ?? null,
    chair: members.find((m) => m.member_id === item.chaired_by_member_id) ?? null,
    deciderProblem,
    today,
  };
}
export type ItemPage = Awaited<ReturnType<typeof itemPage>>;

export async function centralList(deps: PanelDeps, actor: Actor, auditContext: AuditContext) {
  const raaId = staffRaaOf(actor);
  if (!raaId)
    throw new AppError(
      'not-found',
      'The central list belongs to the RAA: sign in as a member of its staff to see it.',
    );
  const members = await membersOfRaa(deps.db, raaId);
  await auditPanel(deps.db, deps, auditContext, {
    action: 'panels.central-list.view',
    outcome: 'success',
    subjectType: 'organisation',
    subjectId: raaId,
    organisationId: raaId,
    reason: `${members.length} members`,
  });
  return { members, today: todayOf(auditContext) };
}

export async function memberPage(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  memberId: string,
) {
  const action = 'panels.member.view';
  const raaId = staffRaaOf(actor);
  const member = raaId ? await memberOfRaa(deps.db, raaId, memberId) : undefined;
  if (!member) throw await refusedAsNotFound(deps, auditContext, action, 'panel_member', memberId, 'member');
  const [training, interests, sittings] = await Promise.all([
    trainingOf(deps.db, member.id),
    interestsOf(deps.db, member.id),
    memberSittings(deps.db, member.id),
  ]);
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'panel_member',
    subjectId: member.id,
    organisationId: member.raa_id,
  });
  return { member, training, interests, sittings, today: todayOf(auditContext) };
}

/** Whether the actor may see the decisions page at all: an RAA or a council decision maker. */
export function decisionSide(actor: Actor): 'raa' | 'council' | 'none' {
  if (assessingRaa(actor)) return 'raa';
  if (actor.organisation.kind === 'local_authority') return 'council';
  return 'none';
}
