// "My work" (issue 4 §5): the signed-in person's tasks and their team's unassigned ones.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModuleContext } from '../../platform/app.js';
import { parseForm } from '../../platform/http/validation.js';
import { todayInLondon } from '../../platform/time/index.js';
import { taskActionSchema } from '../children/children.forms.js';
import { childPaths } from '../children/children.paths.js';
import { presentTask } from '../children/children.presenter.js';
import { completeTask, myWork, sendTaskReminders, takeTask } from './work.service.js';

declare module '../../platform/jobs/job-queue.js' {
  interface JobTypes {
    /** Emails each person their tasks due within 2 working days or overdue (issue 4 §5). */
    'work.task-reminders': Record<string, never>;
  }
}

/** 07:00 on weekdays, London time: before the working day starts. */
export const reminderSchedule = '0 7 * * 1-5';

const idFrom = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');
const caseWork = { access: { permission: 'children:write' as const } };

export async function registerWorkRoutes(app: FastifyInstance, context: ModuleContext): Promise<void> {
  context.navigation.push({
    text: 'My work',
    href: childPaths.myWork,
    permission: 'children:write',
    order: 10,
  });
  const deps = { db: context.db, auditKey: context.auditKey };

  await context.jobs.work('work.task-reminders', async () => {
    const onDate = todayInLondon(context.clock());
    await sendTaskReminders(
      { db: context.db, mailer: context.mailer, publicUrl: context.config.publicUrl },
      onDate,
    );
  });
  await context.jobs.schedule('work.task-reminders', reminderSchedule);

  app.get(childPaths.myWork, { config: caseWork }, async (request, reply) => {
    const onDate = todayInLondon(context.clock());
    const work = await myWork(deps, request.actor!, onDate);
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    return reply.view('work/views/my-work.njk', {
      pageTitle: 'My work',
      notice:
        done === 'taken'
          ? 'Task taken: it is now in your list'
          : done === 'done'
            ? 'Task marked as done'
            : undefined,
      mine: work.mine.map((task) => ({
        ...presentTask(task, onDate),
        completeHref: childPaths.completeTask(task.id),
      })),
      team: work.team.map((task) => ({
        ...presentTask(task, onDate),
        takeHref: childPaths.takeTask(task.id),
        completeHref: childPaths.completeTask(task.id),
      })),
      overdueCount: work.mine.filter((task) => task.due_date < onDate).length,
    });
  });

  const action = (kind: 'take' | 'done') => async (request: FastifyRequest) => {
    // The task is looked up in scope before the form is judged, so another team's task is "not found".
    const form = parseForm(taskActionSchema, request.body);
    const run = kind === 'take' ? takeTask : completeTask;
    await run(
      deps,
      request.actor!,
      context.auditContext(request),
      idFrom(request),
      form.ok ? form.data.version : null,
    );
  };

  app.post('/my-work/tasks/:id/take', { config: caseWork }, async (request, reply) => {
    await action('take')(request);
    return reply.redirect(`${childPaths.myWork}?done=taken`, 303);
  });
  app.post('/my-work/tasks/:id/done', { config: caseWork }, async (request, reply) => {
    await action('done')(request);
    return reply.redirect(`${childPaths.myWork}?done=done`, 303);
  });
}
