// The staff account pages (issue 3 §4), for holders of 'users:manage'. Thin: parse, call the
// service with the actor, render or redirect. The service decides whose accounts the actor
// reaches and what they may change.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/access/actor.js';
import type { Role } from '../../../platform/access/permissions.js';
import type { ModuleContext } from '../../../platform/app.js';
import { cleanText, fieldErrorView, parseForm } from '../../../platform/http/validation.js';
import { adminUserPaths } from './identity-admin.paths.js';
import { inviteSchema, rolesSchema, userFilterSchema } from './user-admin.forms.js';
import {
  noticeFor,
  presentUserDetail,
  presentUserSummary,
  roleCheckboxes,
  roleHint,
  roleNames,
  statusLabels,
} from './user-admin.presenter.js';
import {
  changeRoles,
  deactivateUser,
  inviteOptions,
  inviteUser,
  listUsers,
  reactivateUser,
  resendInvitation,
  resetSecondFactor,
  RolesRefused,
  userDetail,
  userDetailAfterRefusal,
} from './user-admin.service.js';

const view = (name: string) => `identity/admin/views/${name}.njk`;
const access = { access: { permission: 'users:manage' as const } };

export async function registerIdentityAdminRoutes(
  app: FastifyInstance,
  context: ModuleContext,
): Promise<void> {
  context.navigation.push({
    text: 'Users',
    href: adminUserPaths.list,
    permission: 'users:manage',
    order: 85,
  });
  const deps = { db: context.db, auditKey: context.auditKey, config: context.config, mailer: context.mailer };
  const idFrom = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

  app.get(adminUserPaths.list, { config: access }, async (request, reply) => {
    const filter = userFilterSchema.parse(request.query ?? {});
    const { users, organisations } = await listUsers(deps, request.actor!, filter);
    return reply.view(view('users'), {
      pageTitle: 'Users',
      users: users.map(presentUserSummary),
      organisationItems: [
        { value: '', text: 'All organisations' },
        ...organisations.map((o) => ({ value: o.id, text: o.name, selected: o.id === filter.organisation })),
      ],
      statusItems: [
        { value: '', text: 'Any status' },
        ...(['active', 'invited', 'deactivated'] as const).map((status) => ({
          value: status,
          text: statusLabels[status],
          selected: status === filter.status,
        })),
      ],
    });
  });

  const renderInvite = async (
    reply: FastifyReply,
    actor: Actor,
    values: { name?: string; email?: string; organisationId?: string; roles?: readonly Role[] },
    errors?: ReturnType<typeof fieldErrorView>,
  ) => {
    const options = await inviteOptions(deps, actor);
    return reply.code(errors ? 400 : 200).view(view('invite'), {
      pageTitle: 'Invite a user',
      values,
      ...errors,
      organisationItems: [
        { value: '', text: 'Select an organisation' },
        ...options.organisations.map((o) => ({
          value: o.id,
          text: o.name,
          selected: o.id === values.organisationId,
        })),
      ],
      roleItems: roleCheckboxes(options.roles, values.roles ?? []),
      roleHint,
    });
  };

  app.get(adminUserPaths.invite, { config: access }, async (request, reply) =>
    renderInvite(reply, request.actor!, {}),
  );

  app.post(adminUserPaths.invite, { config: access }, async (request, reply) => {
    const form = parseForm(inviteSchema, request.body);
    const result = await inviteUser(deps, request.actor!, context.auditContext(request), form);
    if (result.kind === 'refused') {
      const body = (request.body ?? {}) as Record<string, unknown>;
      return renderInvite(
        reply,
        request.actor!,
        {
          name: echoed(body.name, 120),
          email: echoed(body.email, 254),
          organisationId: echoed(body.organisationId, 64),
          roles: form.ok ? form.data.roles : [],
        },
        fieldErrorView(result.errors),
      );
    }
    return reply.redirect(
      adminUserPaths.user(result.userId, result.emailSent ? 'invited' : 'invitation-not-sent'),
      303,
    );
  });

  app.get('/admin/users/:id', { config: access }, async (request, reply) => {
    const detail = await userDetail(deps, request.actor!, context.auditContext(request), idFrom(request));
    return reply.view(view('user'), {
      pageTitle: detail.name,
      user: presentUserDetail(detail),
      notice: noticeFor((request.query as Record<string, unknown> | undefined)?.done),
    });
  });

  app.post('/admin/users/:id/roles', { config: access }, async (request, reply) => {
    const actor = request.actor!;
    const id = idFrom(request);
    const form = parseForm(rolesSchema, request.body);
    try {
      await changeRoles(deps, actor, context.auditContext(request), id, form);
    } catch (error) {
      if (!(error instanceof RolesRefused)) throw error;
      // Show the account as it is now beside what was asked for.
      const detail = await userDetailAfterRefusal(deps, actor, id, context.clock());
      const chosen = form.ok ? form.data.roles : [];
      if (error.conflict) {
        return reply.code(409).view(view('conflict'), {
          pageTitle: 'Someone else changed this account',
          user: presentUserDetail(detail),
          chosenRoles: roleNames(chosen),
        });
      }
      return reply.code(400).view(view('user'), {
        pageTitle: detail.name,
        user: presentUserDetail(detail, chosen),
        ...fieldErrorView(error.errors),
      });
    }
    return reply.redirect(adminUserPaths.user(id, 'roles-changed'), 303);
  });

  app.post('/admin/users/:id/deactivate', { config: access }, async (request, reply) => {
    const id = idFrom(request);
    await deactivateUser(deps, request.actor!, context.auditContext(request), id);
    return reply.redirect(adminUserPaths.user(id, 'deactivated'), 303);
  });

  app.post('/admin/users/:id/reactivate', { config: access }, async (request, reply) => {
    const id = idFrom(request);
    await reactivateUser(deps, request.actor!, context.auditContext(request), id);
    return reply.redirect(adminUserPaths.user(id, 'reactivated'), 303);
  });

  app.post('/admin/users/:id/reset-second-factor', { config: access }, async (request, reply) => {
    const id = idFrom(request);
    await resetSecondFactor(deps, request.actor!, context.auditContext(request), id);
    return reply.redirect(adminUserPaths.user(id, 'second-factor-reset'), 303);
  });

  app.post('/admin/users/:id/resend-invitation', { config: access }, async (request, reply) => {
    const id = idFrom(request);
    const sent = await resendInvitation(deps, request.actor!, context.auditContext(request), id);
    return reply.redirect(adminUserPaths.user(id, sent ? 'invitation-resent' : 'invitation-not-sent'), 303);
  });
}

/** What was typed into a text field, tidied and shortened, to show again beside its error. */
function echoed(value: unknown, maxLength: number): string {
  return typeof value === 'string' ? cleanText(value.slice(0, maxLength * 2)).slice(0, maxLength) : '';
}
