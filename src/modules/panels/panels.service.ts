// Adoption panels (issue 7 §1–§2). The rules:
// - panels, sittings and the central list belong to an RAA: its own staff with 'panels:read' reach
//   them (assessingRaa); a panel member's account reaches only the sittings it is asked to; a
//   council's decision maker reaches only the items about its own children that it decides; anyone
//   else gets "not found", and the refusal is audited (AC-2);
// - an agenda is built from cases that are ready (a household with its Prospective Adopter's Report,
//   a link ready for the matching panel, a relinquished child's plan, an approved household's
//   review); a case is on one open agenda at a time;
// - papers are PDF or Word (.docx) files, checked by their first bytes, at most 10 MB, stored in
//   the database; each download is audited;
// - attendance decides the quorum (panel-rules.ts) before anything can be minuted; a member who
//   declares a conflict and withdraws does not count for that item;
// - every change and its audit entry share one transaction; refusals are audited after the
//   rollback, and write nothing else.
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import { rolePermissions, type Role } from '../../platform/access/permissions.js';
import {
  writeAudit,
  type AuditContext,
  type AuditKey,
  type AuditOutcome,
} from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, notFound, type FieldError } from '../../platform/http/errors.js';
import {
  addCalendarMonths,
  dayOfWeek,
  englandAndWalesCalendar,
  parCommentsDue,
  todayInLondon,
} from '../../platform/time/index.js';
import { assessingRaa } from '../adopters/households.service.js';
import type {
  AgendaAddInput,
  CirculationInput,
  ConflictInput,
  EditMemberInput,
  InterestInput,
  MemberInput,
  PanelInput,
  SittingInput,
  TrainingInput,
} from './panels.forms.js';
import {
  approvedHouseholds,
  applicantNames,
  householdsReadyForApproval,
  isUuid,
  itemById,
  linksReadyForPanel,
  memberOfRaa,
  openItemsForCase,
  panelMemberUserByEmail,
  panelOfRaa,
  relinquishedChildren,
  sittingById,
  sittingMembers,
  userSitsOn,
  type ItemRow,
  type SittingMemberRow,
  type SittingRow,
} from './panels.repository.js';
import {
  chairOf,
  checkQuorum,
  decidingSide,
  defaultPanelRules,
  type Attendee,
  type PanelRules,
  type QuorumCheck,
} from './panel-rules.js';
import type { ItemKind, PaperMediaType } from './panels.tables.js';

export interface PanelDeps {
  db: Db;
  auditKey: AuditKey;
  rules?: PanelRules;
}
export type Trx = Transaction<DB>;

export type PanelSubject =
  'panel' | 'panel_sitting' | 'panel_item' | 'panel_member' | 'household' | 'child' | 'organisation';

export function auditPanel(
  executor: Db | Trx,
  deps: { auditKey: AuditKey },
  auditContext: AuditContext,
  entry: {
    action: string;
    outcome: AuditOutcome;
    subjectType: PanelSubject;
    subjectId: string | null;
    organisationId?: string | null;
    reason?: string | null;
  },
): Promise<void> {
  return writeAudit(executor, deps.auditKey, auditContext, {
    action: entry.action,
    outcome: entry.outcome,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId && isUuid(entry.subjectId) ? entry.subjectId : null,
    subjectOrganisationId: entry.organisationId ?? null,
    reason: entry.reason ? entry.reason.slice(0, 300) : null,
  });
}

/** A refusal for a record outside the actor's reach (or that does not exist): audited, then "not found". */
export async function refusedAsNotFound(
  deps: PanelDeps,
  auditContext: AuditContext,
  action: string,
  subjectType: PanelSubject,
  subjectId: string,
  what: string,
): Promise<AppError> {
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'denied',
    subjectType,
    subjectId,
    reason: `not a ${what} you can reach`,
  });
  return notFound(what);
}

/**
 * After a change was refused (and rolled back, so it wrote nothing), audits the refusal outside the
 * transaction; returns the error for the caller to throw on. Any other error passes unaudited.
 */
export async function auditedRefusal(
  deps: PanelDeps,
  auditContext: AuditContext,
  error: unknown,
  entry: {
    action: string;
    subjectType: PanelSubject;
    subjectId: string | null;
    organisationId?: string | null;
    /** The outcome recorded; the refusal's own (failed or denied) when not given. */
    outcome?: AuditOutcome;
  },
): Promise<unknown> {
  if (error instanceof PanelRefused)
    await auditPanel(deps.db, deps, auditContext, {
      ...entry,
      outcome: entry.outcome ?? error.outcome,
      reason: error.message,
    });
  return error;
}

/**
 * Runs a change to an agenda item: `before` (checks that need no lock), then, in one transaction
 * under the item's row lock, the change and its audit entry (the reason it returns). A refusal
 * from either is audited after the rollback with `refusalOutcome`, or the refusal's own.
 */
export async function changeItem(
  deps: PanelDeps,
  auditContext: AuditContext,
  item: ItemRow,
  action: string,
  change: (trx: Trx) => Promise<string | null>,
  options: { before?: () => Promise<void>; refusalOutcome?: AuditOutcome } = {},
): Promise<void> {
  const subject = caseSubject(item);
  try {
    await options.before?.();
    await deps.db.transaction().execute(async (trx) => {
      await lockItem(trx, item.id);
      const reason = await change(trx);
      await auditPanel(trx, deps, auditContext, { action, outcome: 'success', ...subject, reason });
    });
  } catch (error) {
    throw await auditedRefusal(deps, auditContext, error, {
      action,
      outcome: options.refusalOutcome,
      ...subject,
    });
  }
}

/** Locks an agenda item's row for the rest of the transaction, so two changes to it queue. */
export async function lockItem(trx: Trx, itemId: string): Promise<void> {
  await trx.selectFrom('panel_agenda_items').select('id').where('id', '=', itemId).forUpdate().execute();
}

/**
 * A refusal with a sentence for the person, beside a field where there is one. `kind` picks the
 * status: a bad form (400), a state that does not allow it (409), or the wrong person (403).
 */
export class PanelRefused extends Error {
  constructor(
    readonly errors: FieldError[],
    readonly kind: 'bad-request' | 'conflict' | 'forbidden' = 'bad-request',
    readonly outcome: AuditOutcome = 'failed',
  ) {
    super(errors[0]?.message ?? 'refused');
  }
}
export const refuse = (
  message: string,
  field = 'form',
  kind: PanelRefused['kind'] = 'bad-request',
  outcome: AuditOutcome = 'failed',
) => new PanelRefused([{ field, message }], kind, outcome);

export const rulesOf = (deps: { rules?: PanelRules }): PanelRules => deps.rules ?? defaultPanelRules;
export const todayOf = (auditContext: AuditContext) => todayInLondon(auditContext.now);

// ── Who reaches what ───────────────────────────────────────────────────────────────────────────

/** Roles that read panels as the RAA's staff (everyone with 'panels:read' but a panel member's account). */
const staffRoles: ReadonlySet<Role> = new Set(
  (Object.keys(rolePermissions) as Role[]).filter(
    (role) => role !== 'panel_member' && rolePermissions[role].includes('panels:read'),
  ),
);

/** The RAA whose panels the actor works on as staff, or null. */
export function staffRaaOf(actor: Actor): string | null {
  if (!actor.roles.some((role) => staffRoles.has(role))) return null;
  return assessingRaa(actor);
}

export type ItemAccess = 'staff' | 'member' | 'decision_maker';

async function accessToItem(db: Db | Trx, actor: Actor, item: ItemRow): Promise<ItemAccess | null> {
  if (staffRaaOf(actor) === item.raa_id) return 'staff';
  if (item.status === 'removed') return null;
  if (
    decidingSide[item.kind] === 'child_council' &&
    actor.permissions.has('decisions:make') &&
    item.child_council_id === actor.organisation.id
  ) {
    return 'decision_maker';
  }
  if (actor.permissions.has('panels:read') && (await userSitsOn(db, actor.userId, item.sitting_id))) {
    return 'member';
  }
  return null;
}

/** The item, if the actor may see it; otherwise an audited "not found". */
export async function itemForActor(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  action: string,
): Promise<{ item: ItemRow; access: ItemAccess }> {
  const item = await itemById(deps.db, itemId);
  const access = item ? await accessToItem(deps.db, actor, item) : null;
  if (!item || !access)
    throw await refusedAsNotFound(deps, auditContext, action, 'panel_item', itemId, 'agenda item');
  return { item, access };
}

/** The item, if the actor is the RAA's staff; otherwise an audited "not found". */
export async function itemForStaff(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  action: string,
): Promise<ItemRow> {
  const item = await itemById(deps.db, itemId);
  if (!item || staffRaaOf(actor) !== item.raa_id)
    throw await refusedAsNotFound(deps, auditContext, action, 'panel_item', itemId, 'agenda item');
  return item;
}

export async function sittingForActor(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
  action: string,
  options: { staffOnly?: boolean } = {},
): Promise<{ sitting: SittingRow; asMember: boolean }> {
  const sitting = await sittingById(deps.db, sittingId);
  if (sitting && staffRaaOf(actor) === sitting.raa_id) return { sitting, asMember: false };
  if (sitting && !options.staffOnly && (await userSitsOn(deps.db, actor.userId, sitting.id)))
    return { sitting, asMember: true };
  throw await refusedAsNotFound(deps, auditContext, action, 'panel_sitting', sittingId, 'sitting');
}

/** The record an item is about, for audit entries: the child for child cases, else the household. */
export function caseSubject(
  item: Pick<ItemRow, 'kind' | 'household_id' | 'child_id' | 'raa_id' | 'child_council_id'>,
): {
  subjectType: 'household' | 'child';
  subjectId: string;
  organisationId: string;
} {
  if (item.kind === 'match' || item.kind === 'relinquished_plan') {
    return {
      subjectType: 'child',
      subjectId: item.child_id ?? '',
      organisationId: item.child_council_id ?? item.raa_id,
    };
  }
  return { subjectType: 'household', subjectId: item.household_id ?? '', organisationId: item.raa_id };
}

// ── Quorum from attendance ─────────────────────────────────────────────────────────────────────

export function attendeesOf(members: readonly SittingMemberRow[]): Attendee[] {
  return members
    .filter((m) => m.attendance === 'present')
    .map((m) => ({
      id: m.member_id,
      name: m.name,
      role: m.role,
      socialWorkQualifiedOn: m.social_work_qualified_on,
    }));
}

/** The quorum for one item: those present, less members who withdrew from it for a conflict of interest. */
export function quorumForItem(
  sitting: { joint: boolean; sitting_date: string; attendance_recorded_at: Date | null },
  members: readonly SittingMemberRow[],
  withdrawnMemberIds: ReadonlySet<string>,
  rules: PanelRules,
): QuorumCheck & { recorded: boolean } {
  if (!sitting.attendance_recorded_at) {
    return {
      recorded: false,
      quorate: false,
      present: 0,
      needed: sitting.joint ? rules.jointQuorumMinimum : rules.quorumMinimum,
      problems: ['Attendance has not been recorded for this sitting'],
    };
  }
  const present = attendeesOf(members).filter((a) => !withdrawnMemberIds.has(a.id));
  return {
    recorded: true,
    ...checkQuorum(present, { joint: sitting.joint, sittingDate: sitting.sitting_date }, rules),
  };
}

// ── Panels ─────────────────────────────────────────────────────────────────────────────────────

export async function createPanel(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: PanelInput,
): Promise<string> {
  const raaId = staffRaaOf(actor);
  if (!raaId) throw notFound('page');
  const organisation = await deps.db
    .selectFrom('organisations')
    .select(['id', 'kind'])
    .where('id', '=', input.organisationId)
    .where((eb) =>
      eb.or([eb('id', '=', raaId), eb.and([eb('kind', '=', 'spoke'), eb('raa_id', '=', raaId)])]),
    )
    .where('active', '=', true)
    .executeTakeFirst();
  const action = 'panels.panel.create';
  try {
    if (!organisation) throw refuse('Choose the spoke the panel belongs to from the list', 'organisationId');
    return await deps.db.transaction().execute(async (trx) => {
      const taken = await trx
        .selectFrom('panels')
        .select('id')
        .where('raa_id', '=', raaId)
        .where('name', '=', input.name)
        .executeTakeFirst();
      if (taken) throw refuse('There is already a panel with that name', 'name');
      const panel = await trx
        .insertInto('panels')
        .values({
          raa_id: raaId,
          organisation_id: organisation.id,
          name: input.name,
          joint: input.joint === 'yes',
          created_by: actor.userId,
          created_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'panel',
        subjectId: panel.id,
        organisationId: raaId,
      });
      return panel.id;
    });
  } catch (error) {
    throw await auditedRefusal(deps, auditContext, error, {
      action,
      outcome: 'failed',
      subjectType: 'organisation',
      subjectId: raaId,
      organisationId: raaId,
    });
  }
}

export async function panelForActor(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  panelId: string,
  action: string,
) {
  const raaId = staffRaaOf(actor);
  const panel = raaId ? await panelOfRaa(deps.db, raaId, panelId) : undefined;
  if (!panel) throw await refusedAsNotFound(deps, auditContext, action, 'panel', panelId, 'panel');
  return panel;
}

/** Schedules a sitting of a panel, on a working day from today on. */
export async function scheduleSitting(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  panelId: string,
  input: SittingInput,
): Promise<string> {
  const action = 'panels.sitting.schedule';
  const panel = await panelForActor(deps, actor, auditContext, panelId, action);
  const today = todayOf(auditContext);
  try {
    if (!panel.active) throw refuse('This panel no longer sits', 'sittingDate-day', 'conflict');
    if (input.sittingDate < today)
      throw refuse('The date of the sitting must be today or in the future', 'sittingDate-day');
    if (input.sittingDate > addCalendarMonths(today, 24))
      throw refuse('Sittings can be scheduled up to two years ahead', 'sittingDate-day');
    const calendar = englandAndWalesCalendar();
    if (!calendar.isWorkingDay(input.sittingDate)) {
      const holiday = calendar.bankHolidayOn(input.sittingDate);
      const day = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
        dayOfWeek(input.sittingDate)
      ];
      throw refuse(
        `Panels sit on working days: that date is ${holiday ? `a bank holiday (${holiday.title})` : `a ${day}`}`,
        'sittingDate-day',
      );
    }
  } catch (error) {
    throw await auditedRefusal(deps, auditContext, error, {
      action,
      outcome: 'failed',
      subjectType: 'panel',
      subjectId: panel.id,
      organisationId: panel.raa_id,
    });
  }
  return deps.db.transaction().execute(async (trx) => {
    const sitting = await trx
      .insertInto('panel_sittings')
      .values({
        panel_id: panel.id,
        sitting_date: input.sittingDate,
        starts_at: input.startsAt,
        venue: input.venue,
        created_by: actor.userId,
        created_at: auditContext.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await auditPanel(trx, deps, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'panel_sitting',
      subjectId: sitting.id,
      organisationId: panel.raa_id,
      reason: input.sittingDate,
    });
    return sitting.id;
  });
}

/** Runs a change to a sitting's own records (staff only) with its audit entry, auditing refusals after the rollback. */
async function changeSitting<T>(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
  action: string,
  change: (trx: Trx, sitting: SittingRow) => Promise<{ result: T; reason?: string }>,
): Promise<T> {
  const { sitting } = await sittingForActor(deps, actor, auditContext, sittingId, action, {
    staffOnly: true,
  });
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('panel_sittings')
        .select('id')
        .where('id', '=', sitting.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const { result, reason } = await change(trx, sitting);
      await trx
        .updateTable('panel_sittings')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', locked.id)
        .execute();
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'panel_sitting',
        subjectId: sitting.id,
        organisationId: sitting.raa_id,
        reason: reason ?? null,
      });
      return result;
    });
  } catch (error) {
    throw await auditedRefusal(deps, auditContext, error, {
      action,
      subjectType: 'panel_sitting',
      subjectId: sitting.id,
      organisationId: sitting.raa_id,
    });
  }
}

/** Asks members of the central list to sit: active on the date of the sitting. */
export function inviteMembers(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
  memberIds: readonly string[],
): Promise<number> {
  return changeSitting(
    deps,
    actor,
    auditContext,
    sittingId,
    'panels.sitting.invite',
    async (trx, sitting) => {
      if (memberIds.length === 0) throw refuse('Choose at least one member of the central list', 'memberId');
      if (sitting.status === 'cancelled') throw refuse('This sitting was cancelled', 'memberId', 'conflict');
      const members = await trx
        .selectFrom('panel_members')
        .select(['id', 'name', 'left_on'])
        .where('raa_id', '=', sitting.raa_id)
        .where('id', 'in', [...memberIds])
        .execute();
      if (members.length !== memberIds.length)
        throw refuse('Choose members from the central list', 'memberId');
      const gone = members.find((m) => m.left_on !== null && m.left_on <= sitting.sitting_date);
      if (gone) throw refuse(`${gone.name} left the central list on ${gone.left_on}`, 'memberId');
      const added = await trx
        .insertInto('panel_sitting_members')
        .values(members.map((m) => ({ sitting_id: sitting.id, member_id: m.id })))
        .onConflict((oc) => oc.columns(['sitting_id', 'member_id']).doNothing())
        .executeTakeFirst();
      const count = Number(added.numInsertedOrUpdatedRows ?? 0);
      return { result: count, reason: `${count} invited` };
    },
  );
}

/**
 * Records who came. Every member asked must be marked present, sent apologies or absent; then the
 * chair (or a vice chair) present is the one who chairs. Attendance cannot change once a minute
 * of the sitting has been signed off: the quorum of those minutes rests on it.
 */
export function recordAttendance(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
  body: Record<string, unknown>,
): Promise<{ present: number }> {
  return changeSitting(
    deps,
    actor,
    auditContext,
    sittingId,
    'panels.sitting.attendance',
    async (trx, sitting) => {
      if (sitting.status === 'cancelled') throw refuse('This sitting was cancelled', 'form', 'conflict');
      if (sitting.sitting_date > todayOf(auditContext))
        throw refuse('Attendance can be recorded on the day of the sitting or after it', 'form', 'conflict');
      const signedOff = await trx
        .selectFrom('panel_agenda_items as item')
        .innerJoin('panel_minutes as minute', 'minute.item_id', 'item.id')
        .select('item.id')
        .where('item.sitting_id', '=', sitting.id)
        .where('item.status', '=', 'listed')
        .where('minute.signed_off_at', 'is not', null)
        .executeTakeFirst();
      if (signedOff)
        throw refuse(
          'Minutes of this sitting are signed off, so its attendance can no longer change',
          'form',
          'conflict',
        );
      const members = await sittingMembers(trx, sitting.id);
      if (members.length === 0)
        throw refuse('Ask members to sit before recording attendance', 'form', 'conflict');
      const marks = new Map<string, 'present' | 'apologies' | 'absent'>();
      const errors: FieldError[] = [];
      for (const member of members) {
        const value = body[`attendance-${member.member_id}`];
        if (value === 'present' || value === 'apologies' || value === 'absent')
          marks.set(member.member_id, value);
        else
          errors.push({
            field: `attendance-${member.member_id}`,
            message: `Say whether ${member.name} was present`,
          });
      }
      if (errors.length) throw new PanelRefused(errors);
      for (const [memberId, attendance] of marks) {
        await trx
          .updateTable('panel_sitting_members')
          .set({ attendance })
          .where('sitting_id', '=', sitting.id)
          .where('member_id', '=', memberId)
          .execute();
      }
      const updated = members.map((m) => ({ ...m, attendance: marks.get(m.member_id) ?? m.attendance }));
      const chair = chairOf(attendeesOf(updated));
      await trx
        .updateTable('panel_sittings')
        .set({ attendance_recorded_at: auditContext.now, chaired_by_member_id: chair?.id ?? null })
        .where('id', '=', sitting.id)
        .execute();
      const present = [...marks.values()].filter((a) => a === 'present').length;
      return { result: { present }, reason: `${present} present` };
    },
  );
}

/** Records the papers sent to (or received by) members, on a date; the first date recorded stands. */
export function recordCirculation(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
  input: CirculationInput,
): Promise<number> {
  return changeSitting(
    deps,
    actor,
    auditContext,
    sittingId,
    'panels.sitting.papers',
    async (trx, sitting) => {
      if (input.memberId.length === 0) throw refuse('Choose the members', 'memberId');
      if (input.on > todayOf(auditContext)) throw refuse('The date must be today or in the past', 'on-day');
      const members = await sittingMembers(trx, sitting.id);
      const chosen = members.filter((m) => input.memberId.includes(m.member_id));
      if (chosen.length !== input.memberId.length)
        throw refuse('Choose members who are asked to this sitting', 'memberId');
      let changed = 0;
      for (const member of chosen) {
        if (input.step === 'sent') {
          if (member.papers_sent_on) continue;
          await trx
            .updateTable('panel_sitting_members')
            .set({ papers_sent_on: input.on })
            .where('sitting_id', '=', sitting.id)
            .where('member_id', '=', member.member_id)
            .execute();
        } else {
          if (member.papers_received_on) continue;
          if (!member.papers_sent_on)
            throw refuse(`Record that the papers were sent to ${member.name} first`, 'memberId');
          if (input.on < member.papers_sent_on)
            throw refuse(
              `${member.name} cannot have had the papers before they were sent on ${member.papers_sent_on}`,
              'on-day',
            );
          await trx
            .updateTable('panel_sitting_members')
            .set({ papers_received_on: input.on })
            .where('sitting_id', '=', sitting.id)
            .where('member_id', '=', member.member_id)
            .execute();
        }
        changed += 1;
      }
      return { result: changed, reason: `papers ${input.step} ${input.on}: ${changed}` };
    },
  );
}

export function cancelSitting(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
): Promise<void> {
  return changeSitting(
    deps,
    actor,
    auditContext,
    sittingId,
    'panels.sitting.cancel',
    async (trx, sitting) => {
      if (sitting.status === 'cancelled')
        throw refuse('This sitting is already cancelled', 'form', 'conflict');
      const minuted = await trx
        .selectFrom('panel_agenda_items as item')
        .innerJoin('panel_minutes as minute', 'minute.item_id', 'item.id')
        .select('item.id')
        .where('item.sitting_id', '=', sitting.id)
        .where('item.status', '=', 'listed')
        .executeTakeFirst();
      if (minuted) throw refuse('A sitting with minutes cannot be cancelled', 'form', 'conflict');
      await trx
        .updateTable('panel_sittings')
        .set({ status: 'cancelled' })
        .where('id', '=', sitting.id)
        .execute();
      return { result: undefined };
    },
  );
}

// ── The agenda ─────────────────────────────────────────────────────────────────────────────────

/** Councils whose children the RAA's panels hear: the member councils of the RAA. */
export async function memberCouncilsOf(executor: Db | Trx, raaId: string): Promise<string[]> {
  const rows = await executor
    .selectFrom('organisations')
    .select('id')
    .where('kind', '=', 'local_authority')
    .where('raa_id', '=', raaId)
    .execute();
  return rows.map((r) => r.id);
}

export interface ReadyCases {
  approvals: Array<{
    id: string;
    reference: string;
    names: string[];
    reportSentOn: string | null;
    commentsDue: string | null;
  }>;
  reviews: Array<{
    id: string;
    reference: string;
    names: string[];
    approvedOn: string | null;
    reviewDue: string | null;
  }>;
  matches: Array<{ id: string; childName: string; council: string; reference: string; names: string[] }>;
  relinquished: Array<{ id: string; childName: string; council: string; dateOfBirth: string }>;
}

const childNameOf = (c: { first_name: string | null; last_name: string | null; known_as?: string | null }) =>
  `${c.known_as || c.first_name || ''} ${c.last_name ?? ''}`.trim();

/** The cases ready to go before a panel of the RAA, less those already on an open agenda. Audited (it names people). */
export async function readyCases(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
): Promise<{ sitting: SittingRow; cases: ReadyCases }> {
  const action = 'panels.ready-cases.view';
  const { sitting } = await sittingForActor(deps, actor, auditContext, sittingId, action, {
    staffOnly: true,
  });
  const councils = await memberCouncilsOf(deps.db, sitting.raa_id);
  const [approvals, approved, links, babies, open] = await Promise.all([
    householdsReadyForApproval(deps.db, sitting.raa_id),
    approvedHouseholds(deps.db, sitting.raa_id),
    linksReadyForPanel(deps.db, sitting.raa_id, councils),
    relinquishedChildren(deps.db, councils),
    deps.db
      .selectFrom('panel_agenda_items as item')
      .innerJoin('panel_sittings as s', 's.id', 'item.sitting_id')
      .innerJoin('panels', 'panels.id', 's.panel_id')
      .leftJoin('panel_minutes as minute', 'minute.item_id', 'item.id')
      .leftJoin('panel_decisions as decision', 'decision.item_id', 'item.id')
      .select(['item.kind', 'item.household_id', 'item.child_id', 'item.match_link_id'])
      .where('panels.raa_id', '=', sitting.raa_id)
      .where('item.status', '=', 'listed')
      .where('s.status', '=', 'scheduled')
      .where('decision.id', 'is', null)
      .where((eb) =>
        eb.or([eb('minute.recommendation', 'is', null), eb('minute.recommendation', '<>', 'deferred')]),
      )
      .execute(),
  ]);
  const busy = new Set(open.map((o) => `${o.kind}:${o.match_link_id ?? o.household_id ?? o.child_id}`));
  const names = await applicantNames(deps.db, [
    ...approvals.map((h) => h.id),
    ...approved.map((h) => h.id),
    ...links.map((l) => l.household_id),
  ]);
  const cases: ReadyCases = {
    approvals: approvals
      .filter((h) => !busy.has(`adopter_approval:${h.id}`))
      .map((h) => ({
        id: h.id,
        reference: h.reference,
        names: names.get(h.id) ?? [],
        reportSentOn: h.report_sent_on ?? null,
        commentsDue: h.report_sent_on ? parCommentsDue(h.report_sent_on) : null,
      })),
    reviews: approved
      .filter((h) => !busy.has(`approval_review:${h.id}`) && !busy.has(`approval_termination:${h.id}`))
      .map((h) => ({
        id: h.id,
        reference: h.reference,
        names: names.get(h.id) ?? [],
        approvedOn: h.stage_since,
        reviewDue: h.stage_since ? addCalendarMonths(h.stage_since, 12) : null,
      })),
    matches: links
      .filter((l) => !busy.has(`match:${l.id}`))
      .map((l) => ({
        id: l.id,
        childName: childNameOf(l),
        council: l.council_name,
        reference: l.reference,
        names: names.get(l.household_id) ?? [],
      })),
    relinquished: babies
      .filter((c) => !busy.has(`relinquished_plan:${c.id}`))
      .map((c) => ({
        id: c.id,
        childName: childNameOf(c),
        council: c.council_name,
        dateOfBirth: c.date_of_birth,
      })),
  };
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    subjectType: 'panel_sitting',
    subjectId: sitting.id,
    organisationId: sitting.raa_id,
    reason: `${cases.approvals.length + cases.reviews.length + cases.matches.length + cases.relinquished.length} cases listed`,
  });
  return { sitting, cases };
}

/** Puts a ready case on a sitting's agenda; the case's own row is locked so two people cannot list it twice at once. */
export async function addToAgenda(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  sittingId: string,
  input: AgendaAddInput,
): Promise<string> {
  const action = 'panels.agenda.add';
  const { sitting } = await sittingForActor(deps, actor, auditContext, sittingId, action, {
    staffOnly: true,
  });
  let subject: { subjectType: 'household' | 'child'; subjectId: string; organisationId: string } | undefined;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('panel_sittings').select('id').where('id', '=', sitting.id).forUpdate().execute();
      if (sitting.status === 'cancelled') throw refuse('This sitting was cancelled', 'caseId', 'conflict');
      // A case can be added up to the end of the sitting's working day (an urgent item taken on
      // the day); once a working day has passed, it goes to a later sitting.
      if (englandAndWalesCalendar().workingDaysBetween(sitting.sitting_date, todayOf(auditContext)) >= 1)
        throw refuse(
          'This sitting has already taken place: add the case to a later sitting',
          'caseId',
          'conflict',
        );
      const councils = await memberCouncilsOf(trx, sitting.raa_id);
      const values = await caseForAgenda(trx, sitting.raa_id, councils, input);
      subject = values.subject;
      const column = values.match_link_id
        ? 'match_link_id'
        : values.household_id
          ? 'household_id'
          : 'child_id';
      const caseId = values.match_link_id ?? values.household_id ?? values.child_id ?? '';
      const kinds: ItemKind[] =
        input.kind === 'approval_review' || input.kind === 'approval_termination'
          ? ['approval_review', 'approval_termination']
          : [input.kind];
      for (const kind of kinds) {
        const open = (await openItemsForCase(trx, kind, column, caseId)).filter(
          (o) => !o.decision_id && o.recommendation !== 'deferred',
        );
        if (open[0])
          throw refuse(
            `This case is already on the agenda of the sitting on ${open[0].sitting_date}`,
            'caseId',
            'conflict',
          );
      }
      const last = await trx
        .selectFrom('panel_agenda_items')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('sitting_id', '=', sitting.id)
        .executeTakeFirst();
      const position = Number(last?.p ?? 0) + 1;
      if (position > 100) throw refuse('A sitting can hear up to 100 items', 'caseId', 'conflict');
      const item = await trx
        .insertInto('panel_agenda_items')
        .values({
          sitting_id: sitting.id,
          position,
          kind: input.kind,
          household_id: values.household_id,
          child_id: values.child_id,
          match_link_id: values.match_link_id,
          added_by: actor.userId,
          added_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        ...values.subject,
        reason: `${input.kind} on ${sitting.sitting_date}`,
      });
      return item.id;
    });
  } catch (error) {
    throw await auditedRefusal(deps, auditContext, error, {
      action,
      outcome: 'failed',
      ...(subject ?? {
        subjectType: 'panel_sitting',
        subjectId: sitting.id,
        organisationId: sitting.raa_id,
      }),
    });
  }
}

async function caseForAgenda(
  trx: Trx,
  raaId: string,
  councils: readonly string[],
  input: AgendaAddInput,
): Promise<{
  household_id: string | null;
  child_id: string | null;
  match_link_id: string | null;
  subject: { subjectType: 'household' | 'child'; subjectId: string; organisationId: string };
}> {
  const notReady = (message: string) => refuse(message, 'caseId', 'conflict');
  if (
    input.kind === 'adopter_approval' ||
    input.kind === 'approval_review' ||
    input.kind === 'approval_termination'
  ) {
    const household = await trx
      .selectFrom('households')
      .select(['id', 'current_stage'])
      .where('id', '=', input.caseId)
      .where('raa_id', '=', raaId)
      .forUpdate()
      .executeTakeFirst();
    if (!household) throw refuse('Choose a case from the list of cases ready for panel', 'caseId');
    if (input.kind === 'adopter_approval') {
      const ready = (await householdsReadyForApproval(trx, raaId)).some((h) => h.id === household.id);
      if (!ready)
        throw notReady(
          "This household is not ready for panel: it needs to be in Stage Two with its Prospective Adopter's Report sent",
        );
    } else if (household.current_stage !== 'approved') {
      throw notReady(
        'Only an approved household waiting for a match can have its approval reviewed at panel',
      );
    }
    return {
      household_id: household.id,
      child_id: null,
      match_link_id: null,
      subject: { subjectType: 'household', subjectId: household.id, organisationId: raaId },
    };
  }
  if (input.kind === 'match') {
    const link = await trx
      .selectFrom('match_links')
      .innerJoin('children', 'children.id', 'match_links.child_id')
      .innerJoin('households', 'households.id', 'match_links.household_id')
      .select([
        'match_links.id',
        'match_links.state',
        'match_links.child_id',
        'match_links.household_id',
        'children.responsible_council_id',
        'households.raa_id',
      ])
      .where('match_links.id', '=', input.caseId)
      .where('children.responsible_council_id', 'in', councils.length ? [...councils] : [raaId])
      .where('households.raa_id', '=', raaId)
      .forUpdate()
      .executeTakeFirst();
    if (!link) throw refuse('Choose a case from the list of cases ready for panel', 'caseId');
    if (link.state !== 'ready_for_panel')
      throw notReady(
        'This link is not ready for the matching panel yet: the linking workflow must reach that step first',
      );
    return {
      household_id: link.household_id,
      child_id: link.child_id,
      match_link_id: link.id,
      subject: {
        subjectType: 'child',
        subjectId: link.child_id,
        organisationId: link.responsible_council_id,
      },
    };
  }
  const child = await trx
    .selectFrom('children')
    .select(['id', 'responsible_council_id'])
    .where('id', '=', input.caseId)
    .where('responsible_council_id', 'in', councils.length ? [...councils] : [raaId])
    .forUpdate()
    .executeTakeFirst();
  if (!child) throw refuse('Choose a case from the list of cases ready for panel', 'caseId');
  const ready = (await relinquishedChildren(trx, councils)).some((c) => c.id === child.id);
  if (!ready)
    throw notReady(
      'Only a child accommodated with parental consent (section 20) with no decision yet that they should be placed goes to panel for their plan',
    );
  return {
    household_id: null,
    child_id: child.id,
    match_link_id: null,
    subject: { subjectType: 'child', subjectId: child.id, organisationId: child.responsible_council_id },
  };
}

/** Takes an item off the agenda before anything is minuted for it. */
export async function removeFromAgenda(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
): Promise<string> {
  const action = 'panels.agenda.remove';
  const item = await itemForStaff(deps, actor, auditContext, itemId, action);
  await changeItem(
    deps,
    auditContext,
    item,
    action,
    async (trx) => {
      const minute = await trx
        .selectFrom('panel_minutes')
        .select('item_id')
        .where('item_id', '=', item.id)
        .executeTakeFirst();
      if (minute) throw refuse('This item has a minute, so it stays on the agenda', 'form', 'conflict');
      if (item.status === 'removed') throw refuse('This item is already off the agenda', 'form', 'conflict');
      await trx
        .updateTable('panel_agenda_items')
        .set({ status: 'removed' })
        .where('id', '=', item.id)
        .execute();
      return null;
    },
    { refusalOutcome: 'failed' },
  );
  return item.sitting_id;
}

// ── Papers ─────────────────────────────────────────────────────────────────────────────────────

export const paperLimits = { maxBytes: 10 * 1024 * 1024, maxPerItem: 20 } as const;

/**
 * The file's real type from its bytes; the name and the browser's claim are not trusted. A PDF
 * starts "%PDF-". A .docx is a ZIP (local file header "PK\x03\x04") holding "[Content_Types].xml"
 * and a "word/" part; the entry names are stored as plain text in the ZIP headers, so they can be
 * looked for without unpacking. Anything else, old binary .doc files included, is refused.
 */
export function paperTypeOf(content: Buffer): PaperMediaType | null {
  if (content.length >= 5 && content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (
    content.length >= 30 &&
    content[0] === 0x50 &&
    content[1] === 0x4b &&
    content[2] === 0x03 &&
    content[3] === 0x04 &&
    content.includes('[Content_Types].xml', 0, 'latin1') &&
    content.includes('word/', 0, 'latin1')
  ) {
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  }
  return null;
}

export async function uploadPaper(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  upload: { title: string; content: Buffer; truncated: boolean },
): Promise<void> {
  const action = 'panels.paper.upload';
  const item = await itemForStaff(deps, actor, auditContext, itemId, action);
  await changeItem(
    deps,
    auditContext,
    item,
    action,
    async (trx) => {
      // The file is checked first: a wrong file is the same refusal whatever the item's state.
      if (upload.truncated || upload.content.length > paperLimits.maxBytes)
        throw refuse('The file must be 10 MB or smaller', 'paper');
      if (upload.content.length === 0) throw refuse('Choose a file to upload', 'paper');
      const mediaType = paperTypeOf(upload.content);
      if (!mediaType)
        throw refuse(
          'The file must be a PDF or a Word document (.docx); other kinds of file are not accepted',
          'paper',
        );
      if (item.status === 'removed') throw refuse('This item is off the agenda', 'paper', 'conflict');
      if (item.signed_off_at)
        throw refuse('The minutes are signed off: papers can no longer be added', 'paper', 'conflict');
      const count = await trx
        .selectFrom('panel_papers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('item_id', '=', item.id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= paperLimits.maxPerItem)
        throw refuse(`An item can have up to ${paperLimits.maxPerItem} papers`, 'paper', 'conflict');
      await trx
        .insertInto('panel_papers')
        .values({
          item_id: item.id,
          title: upload.title,
          media_type: mediaType,
          size_bytes: upload.content.length,
          content: upload.content,
          uploaded_by: actor.userId,
          uploaded_at: auditContext.now,
        })
        .execute();
      return `${mediaType === 'application/pdf' ? 'PDF' : 'DOCX'} ${upload.content.length} bytes`;
    },
    { refusalOutcome: 'failed' },
  );
}

export async function paperForActor(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  paperId: string,
): Promise<{ title: string; mediaType: string; content: Buffer }> {
  const action = 'panels.paper.download';
  const { item } = await itemForActor(deps, actor, auditContext, itemId, action);
  const paper = await deps.db
    .selectFrom('panel_papers')
    .select(['id', 'title', 'media_type', 'content'])
    .where('item_id', '=', item.id)
    .where('id', '=', isUuid(paperId) ? paperId : '00000000-0000-0000-0000-000000000000')
    .executeTakeFirst();
  if (!paper) throw new AppError('not-found', 'We could not find that paper.');
  await auditPanel(deps.db, deps, auditContext, {
    action,
    outcome: 'success',
    ...caseSubject(item),
    reason: `paper ${paper.id}`,
  });
  return { title: paper.title, mediaType: paper.media_type, content: paper.content };
}

// ── Conflicts of interest ──────────────────────────────────────────────────────────────────────

export async function recordConflict(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  itemId: string,
  input: ConflictInput,
): Promise<void> {
  const action = 'panels.conflict.record';
  const item = await itemForStaff(deps, actor, auditContext, itemId, action);
  await changeItem(
    deps,
    auditContext,
    item,
    action,
    async (trx) => {
      if (item.signed_off_at)
        throw refuse(
          'The minutes are signed off: record the conflict as an amendment to the minute',
          'memberId',
          'conflict',
        );
      const invited = await trx
        .selectFrom('panel_sitting_members as sm')
        .innerJoin('panel_members as m', 'm.id', 'sm.member_id')
        .select(['m.id', 'm.name'])
        .where('sm.sitting_id', '=', item.sitting_id)
        .where('sm.member_id', '=', input.memberId)
        .executeTakeFirst();
      if (!invited) throw refuse('Choose a member asked to this sitting', 'memberId');
      const existing = await trx
        .selectFrom('panel_conflicts')
        .select('id')
        .where('item_id', '=', item.id)
        .where('member_id', '=', invited.id)
        .executeTakeFirst();
      if (existing)
        throw refuse(
          `A conflict of interest is already recorded for ${invited.name} on this item`,
          'memberId',
          'conflict',
        );
      if (item.minute_version && input.withdrew === 'yes')
        throw refuse(
          'A minute is already recorded for this item: a member who withdraws must do so before the panel considers it',
          'withdrew',
          'conflict',
        );
      await trx
        .insertInto('panel_conflicts')
        .values({
          item_id: item.id,
          member_id: invited.id,
          description: input.description,
          withdrew: input.withdrew === 'yes',
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute();
      return input.withdrew === 'yes' ? 'member withdrew' : 'member stayed';
    },
    { refusalOutcome: 'failed' },
  );
}

// ── The central list ───────────────────────────────────────────────────────────────────────────

export function centralListRaa(actor: Actor): string {
  const raaId = staffRaaOf(actor);
  if (!raaId)
    throw new AppError(
      'not-found',
      'The central list belongs to the RAA: sign in as a member of its staff to see it.',
    );
  return raaId;
}

/** A member of the actor's RAA's central list, if the actor is its staff; otherwise an audited "not found". */
export async function memberForStaff(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  memberId: string,
  action: string,
): Promise<{ member: NonNullable<Awaited<ReturnType<typeof memberOfRaa>>>; raaId: string }> {
  const raaId = staffRaaOf(actor);
  const member = raaId ? await memberOfRaa(deps.db, raaId, memberId) : undefined;
  if (!member || !raaId)
    throw await refusedAsNotFound(deps, auditContext, action, 'panel_member', memberId, 'member');
  return { member, raaId };
}

/** The columns a member's form sets, alike when added and when changed. */
function memberColumns(input: MemberInput) {
  return {
    name: input.name,
    role: input.role,
    organisation: input.organisation,
    email: input.email,
    // Personal experience of adoption is recorded for independent members only.
    lived_experience: input.role === 'independent_member' ? (input.livedExperience ?? null) : null,
    social_work_qualified_on: input.socialWorkQualifiedOn,
    appointed_on: input.appointedOn,
    review_due: input.reviewDue,
  };
}

async function linkedUser(
  executor: Db | Trx,
  email: string | null,
  memberId: string | null,
): Promise<string | null> {
  if (!email) return null;
  const user = await panelMemberUserByEmail(executor, email);
  if (!user)
    throw refuse(
      'There is no active Kindred account with the panel member role and that email address',
      'linkedUserEmail',
    );
  const taken = await executor
    .selectFrom('panel_members')
    .select(['id', 'name'])
    .where('user_id', '=', user.id)
    .executeTakeFirst();
  if (taken && taken.id !== memberId)
    throw refuse(`That account is already linked to ${taken.name} on the central list`, 'linkedUserEmail');
  return user.id;
}

function memberProblems(input: MemberInput): FieldError[] {
  const problems: FieldError[] = [];
  if (input.reviewDue < input.appointedOn)
    problems.push({
      field: 'reviewDue-day',
      message: 'The review date must be on or after the date of appointment',
    });
  if (input.role === 'social_worker' && !input.socialWorkQualifiedOn)
    problems.push({
      field: 'socialWorkQualifiedOn-day',
      message:
        'Enter the date a social worker member qualified: the quorum needs three years’ post-qualifying experience',
    });
  if (input.socialWorkQualifiedOn && input.socialWorkQualifiedOn > input.appointedOn)
    problems.push({
      field: 'socialWorkQualifiedOn-day',
      message: 'The date they qualified must be before the date of appointment',
    });
  return problems;
}

export async function addMember(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  input: MemberInput,
): Promise<string> {
  const raaId = centralListRaa(actor);
  const action = 'panels.member.create';
  try {
    const problems = memberProblems(input);
    if (problems.length) throw new PanelRefused(problems);
    return await deps.db.transaction().execute(async (trx) => {
      const userId = await linkedUser(trx, input.linkedUserEmail, null);
      const member = await trx
        .insertInto('panel_members')
        .values({
          raa_id: raaId,
          ...memberColumns(input),
          user_id: userId,
          created_by: actor.userId,
          created_at: auditContext.now,
          updated_at: auditContext.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'panel_member',
        subjectId: member.id,
        organisationId: raaId,
        reason: input.role,
      });
      return member.id;
    });
  } catch (error) {
    throw await auditedRefusal(deps, auditContext, error, {
      action,
      outcome: 'failed',
      subjectType: 'organisation',
      subjectId: raaId,
      organisationId: raaId,
    });
  }
}

export class StaleMember extends Error {}

export async function updateMember(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  memberId: string,
  input: EditMemberInput,
): Promise<void> {
  const action = 'panels.member.update';
  const { member, raaId } = await memberForStaff(deps, actor, auditContext, memberId, action);
  try {
    const problems = memberProblems(input);
    if (input.leftOn && input.leftOn < input.appointedOn)
      problems.push({
        field: 'leftOn-day',
        message: 'The date they left must be on or after the date of appointment',
      });
    if (problems.length) throw new PanelRefused(problems);
    await deps.db.transaction().execute(async (trx) => {
      const current = await trx
        .selectFrom('panel_members')
        .select('version')
        .where('id', '=', member.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (current.version !== input.version) throw new StaleMember();
      const userId = await linkedUser(trx, input.linkedUserEmail, member.id);
      await trx
        .updateTable('panel_members')
        .set({
          ...memberColumns(input),
          left_on: input.leftOn,
          user_id: userId,
          version: input.version + 1,
          updated_at: auditContext.now,
        })
        .where('id', '=', member.id)
        .execute();
      await auditPanel(trx, deps, auditContext, {
        action,
        outcome: 'success',
        subjectType: 'panel_member',
        subjectId: member.id,
        organisationId: raaId,
      });
    });
  } catch (error) {
    if (error instanceof PanelRefused || error instanceof StaleMember)
      await auditPanel(deps.db, deps, auditContext, {
        action,
        outcome: 'failed',
        subjectType: 'panel_member',
        subjectId: member.id,
        organisationId: raaId,
        reason: error instanceof StaleMember ? 'stale edit' : error.message,
      });
    throw error;
  }
}

async function addToMember(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  memberId: string,
  action: string,
  date: string,
  insert: (trx: Trx, memberId: string) => Promise<void>,
): Promise<void> {
  const { member, raaId } = await memberForStaff(deps, actor, auditContext, memberId, action);
  if (date > todayOf(auditContext)) {
    await auditPanel(deps.db, deps, auditContext, {
      action,
      outcome: 'failed',
      subjectType: 'panel_member',
      subjectId: member.id,
      organisationId: raaId,
      reason: 'date in the future',
    });
    throw new PanelRefused([{ field: 'date', message: 'The date must be today or in the past' }]);
  }
  await deps.db.transaction().execute(async (trx) => {
    await insert(trx, member.id);
    await auditPanel(trx, deps, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'panel_member',
      subjectId: member.id,
      organisationId: raaId,
    });
  });
}

export function addTraining(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  memberId: string,
  input: TrainingInput,
): Promise<void> {
  return addToMember(
    deps,
    actor,
    auditContext,
    memberId,
    'panels.member.training',
    input.completedOn,
    (trx, id) =>
      trx
        .insertInto('panel_member_training')
        .values({
          member_id: id,
          course: input.course,
          completed_on: input.completedOn,
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute()
        .then(() => undefined),
  );
}

export function declareInterest(
  deps: PanelDeps,
  actor: Actor,
  auditContext: AuditContext,
  memberId: string,
  input: InterestInput,
): Promise<void> {
  return addToMember(
    deps,
    actor,
    auditContext,
    memberId,
    'panels.member.interest',
    input.declaredOn,
    (trx, id) =>
      trx
        .insertInto('panel_member_interests')
        .values({
          member_id: id,
          description: input.description,
          declared_on: input.declaredOn,
          recorded_by: actor.userId,
          recorded_at: auditContext.now,
        })
        .execute()
        .then(() => undefined),
  );
}
