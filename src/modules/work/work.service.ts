// "My work" (issue 4 §5): the tasks the service schedule raises, for each person and their team.
// A task belongs to an organisation (the child's council, or the spoke of the RAA that serves it)
// and, once someone takes it, to a person. Reminders go by email through the job queue; they
// carry task titles and due dates only, never a child's name (they leave Kindred).
import type { Actor } from '../../platform/access/actor.js';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Mailer, OutgoingMail } from '../../platform/mail/mailer.js';
import { addWorkingDays } from '../../platform/time/index.js';
import { formatDate } from '../../platform/views/render.js';
import { openTasks, taskInScope, type TaskWithChild } from '../children/children.repository.js';

export interface WorkDeps {
  db: Db;
  auditKey: AuditKey;
}

/** Organisations whose unassigned work is the actor's team's: their own council, or the RAA side they work in. */
export function teamOrganisations(actor: Actor): string[] {
  if (actor.organisation.kind === 'local_authority') return [actor.organisation.id];
  return [actor.organisation.id, ...actor.scope.organisationIds.filter((id) => id !== actor.organisation.id)];
}

export async function myWork(
  deps: WorkDeps,
  actor: Actor,
  onDate: string,
): Promise<{ mine: TaskWithChild[]; team: TaskWithChild[]; today: string }> {
  const scope = actor.scope.organisationIds;
  const [mine, team] = await Promise.all([
    openTasks(deps.db, { scope, ownerUserId: actor.userId }),
    openTasks(deps.db, { scope, unassignedIn: teamOrganisations(actor) }),
  ]);
  // Council staff see their council's unassigned work; RAA staff the RAA side's, not the councils'.
  const ownSide = actor.organisation.kind === 'local_authority';
  const teamWork = team.filter((task) => ownSide || !isCouncilTask(task));
  return { mine, team: teamWork, today: onDate };
}

const isCouncilTask = (task: TaskWithChild): boolean => councilKinds.has(task.kind);
// plan_placement_council: the council's half of placement planning after a match decision (issue 7 §5).
const councilKinds = new Set(['update_cpr', 'first_adoption_review', 'plan_placement_council']);

async function changeTask(
  deps: WorkDeps,
  actor: Actor,
  auditContext: AuditContext,
  taskId: string,
  version: number | null,
  action: 'task.take' | 'task.complete',
): Promise<TaskWithChild> {
  const task = await taskInScope(deps.db, actor.scope.organisationIds, taskId);
  if (!task || !teamOrganisations(actor).includes(task.owner_organisation_id)) {
    await writeAudit(deps.db, deps.auditKey, auditContext, {
      action,
      outcome: 'denied',
      subjectType: 'task',
      subjectId: /^[0-9a-f-]{36}$/i.test(taskId) ? taskId : null,
      reason: 'not a task of your team',
    });
    throw notFound('task');
  }
  if (version === null) throw new AppError('bad-request', 'Reload the page and try again.');
  if (task.status !== 'open') throw new AppError('conflict', 'This task is already closed.');
  const changed = await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('tasks')
      .set((eb) =>
        action === 'task.take'
          ? { owner_user_id: actor.userId, version: eb('version', '+', 1) }
          : {
              status: 'done' as const,
              completed_by: actor.userId,
              completed_at: auditContext.now,
              version: eb('version', '+', 1),
            },
      )
      .where('id', '=', task.id)
      .where('version', '=', version)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await writeAudit(trx, deps.auditKey, auditContext, {
      action,
      outcome: 'success',
      subjectType: 'child',
      subjectId: task.child_id,
      subjectOrganisationId: task.owner_organisation_id,
      reason: `task ${task.kind}`,
    });
    return true;
  });
  if (!changed) {
    throw new AppError(
      'conflict',
      'Someone else changed this task since you opened the page. Look at it again.',
    );
  }
  return task;
}

export const takeTask = (
  deps: WorkDeps,
  actor: Actor,
  ctx: AuditContext,
  id: string,
  version: number | null,
) => changeTask(deps, actor, ctx, id, version, 'task.take');
export const completeTask = (
  deps: WorkDeps,
  actor: Actor,
  ctx: AuditContext,
  id: string,
  version: number | null,
) => changeTask(deps, actor, ctx, id, version, 'task.complete');

/** How far ahead a reminder warns: tasks due within this many working days. */
export const reminderWorkingDays = 2;

/**
 * Emails each person their open tasks that are due soon or overdue, once a day. Unassigned tasks
 * go to the owning organisation's active staff who can work on children. Returns what was sent.
 */
export async function sendTaskReminders(
  deps: { db: Db; mailer: Mailer; publicUrl: string },
  onDate: string,
): Promise<{ emails: number; tasks: number }> {
  const horizon = addWorkingDays(onDate, reminderWorkingDays);
  const due = await deps.db
    .selectFrom('tasks')
    .select(['id', 'title', 'due_date', 'owner_user_id', 'owner_organisation_id'])
    .where('status', '=', 'open')
    .where('due_date', '<=', horizon)
    .where((eb) => eb.or([eb('last_reminded_on', 'is', null), eb('last_reminded_on', '<', onDate)]))
    .orderBy('due_date')
    .execute();
  if (due.length === 0) return { emails: 0, tasks: 0 };
  const recipients = await deps.db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.email', 'users.organisation_id', 'user_roles.role'])
    .where('users.status', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('users.id', 'in', [
          ...new Set(due.map((task) => task.owner_user_id).filter((id): id is string => !!id)),
          '00000000-0000-0000-0000-000000000000',
        ]),
        eb('users.organisation_id', 'in', [...new Set(due.map((task) => task.owner_organisation_id))]),
      ]),
    )
    .execute();
  const caseWorkRoles = new Set([
    'family_finder',
    'raa_social_worker',
    'team_manager',
    'la_social_worker',
    'la_manager',
  ]);
  const byEmail = new Map<string, typeof due>();
  for (const task of due) {
    const people = task.owner_user_id
      ? recipients.filter((person) => person.id === task.owner_user_id)
      : recipients.filter(
          (person) => person.organisation_id === task.owner_organisation_id && caseWorkRoles.has(person.role),
        );
    for (const email of new Set(people.map((person) => person.email))) {
      byEmail.set(email, [...(byEmail.get(email) ?? []), task]);
    }
  }
  let emails = 0;
  for (const [to, tasks] of byEmail) {
    await deps.mailer.send(reminderEmail(to, tasks, onDate, deps.publicUrl));
    emails += 1;
  }
  await deps.db
    .updateTable('tasks')
    .set({ last_reminded_on: onDate })
    .where(
      'id',
      'in',
      due.map((task) => task.id),
    )
    .execute();
  return { emails, tasks: due.length };
}

function reminderEmail(
  to: string,
  tasks: Array<{ title: string; due_date: string }>,
  onDate: string,
  publicUrl: string,
): OutgoingMail {
  const overdue = tasks.filter((task) => task.due_date < onDate).length;
  const lines = tasks.map(
    (task) =>
      `- ${task.title}: ${task.due_date < onDate ? 'overdue, was due' : 'due'} ${formatDate(task.due_date)}`,
  );
  return {
    to,
    subject: overdue
      ? `Kindred: ${overdue} overdue ${overdue === 1 ? 'task' : 'tasks'}`
      : 'Kindred: tasks due soon',
    text: [
      `You have ${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'} in Kindred that ${tasks.length === 1 ? 'is' : 'are'} due soon or overdue:`,
      lines.join('\n'),
      'See them in My work:',
      `${publicUrl.replace(/\/$/, '')}/my-work`,
      'This email does not name the children: sign in to Kindred to see them.',
      'Kindred',
    ].join('\n\n'),
  };
}
