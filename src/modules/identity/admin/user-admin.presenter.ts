// View-models for the staff account pages: labels in plain words, dates in UK time, never raw rows.
import { roleLabels, type Role } from '../../../platform/access/permissions.js';
import { formatDateTime } from '../../../platform/views/render.js';
import type { UserStatus } from '../identity.tables.js';
import { adminUserPaths, type AdminNotice } from './identity-admin.paths.js';
import type { UserDetail } from './user-admin.service.js';
import type { UserSummaryRow } from './user-admin.repository.js';

export const statusLabels: Record<UserStatus, string> = {
  invited: 'Invited',
  active: 'Active',
  deactivated: 'Deactivated',
};

const statusTagClasses: Record<UserStatus, string> = {
  invited: 'govuk-tag--blue',
  active: 'govuk-tag--green',
  deactivated: 'govuk-tag--grey',
};

const notices: Record<AdminNotice, { text: string; type: 'success' | 'important' }> = {
  invited: { text: 'Invitation sent', type: 'success' },
  'invitation-not-sent': {
    text: 'The account was created, but the invitation email could not be sent. Try sending it again.',
    type: 'important',
  },
  'invitation-resent': { text: 'Invitation sent again', type: 'success' },
  'roles-changed': { text: 'Roles saved', type: 'success' },
  deactivated: { text: 'Account deactivated. They have been signed out everywhere.', type: 'success' },
  reactivated: { text: 'Account reactivated', type: 'success' },
  'second-factor-reset': {
    text: 'Second factor reset. They will set up an authenticator app the next time they sign in.',
    type: 'success',
  },
};

export function noticeFor(value: unknown): { text: string; type: string } | undefined {
  return typeof value === 'string' && Object.hasOwn(notices, value)
    ? notices[value as AdminNotice]
    : undefined;
}

const statusTag = (status: UserStatus) => ({ text: statusLabels[status], classes: statusTagClasses[status] });

export const roleNames = (roles: readonly Role[]): string[] => roles.map((role) => roleLabels[role]);

export function presentUserSummary(row: UserSummaryRow) {
  return {
    href: adminUserPaths.user(row.id),
    name: row.name,
    email: row.email,
    organisationName: row.organisationName,
    roles: roleNames(row.roles),
    status: statusTag(row.status),
  };
}

export const roleHint =
  'Give only the roles they need for their work. Which roles someone can hold depends on their organisation: council roles, for example, only in a member council.';

export function roleCheckboxes(roles: readonly Role[], checked: readonly Role[]) {
  return roles.map((role) => ({ value: role, text: roleLabels[role], checked: checked.includes(role) }));
}

export function presentUserDetail(detail: UserDetail, checkedRoles: readonly Role[] = detail.roles) {
  const grantable = new Set(detail.grantableRoles);
  return {
    id: detail.id,
    name: detail.name,
    email: detail.email,
    organisationName: detail.organisation.name,
    status: detail.status,
    statusTag: statusTag(detail.status),
    version: detail.version,
    roles: roleNames(detail.roles),
    liveSessions: detail.liveSessions,
    lastSignIn: detail.lastSignInAt ? formatDateTime(detail.lastSignInAt) : 'Never',
    secondFactor: detail.secondFactorSetUpAt
      ? `Authenticator app set up on ${formatDateTime(detail.secondFactorSetUpAt)}`
      : 'Not set up yet',
    hasSecondFactor: detail.secondFactorSetUpAt !== null,
    invitationExpires: detail.invitationExpiresAt ? formatDateTime(detail.invitationExpiresAt) : null,
    isSelf: detail.isSelf,
    mayChange: detail.mayChange,
    roleItems: roleCheckboxes(detail.grantableRoles, checkedRoles),
    // Roles the form cannot show (this organisation cannot hold them): kept visible so nothing is hidden.
    otherRoles: roleNames(detail.roles.filter((role) => !grantable.has(role))),
    paths: {
      roles: adminUserPaths.roles(detail.id),
      deactivate: adminUserPaths.deactivate(detail.id),
      reactivate: adminUserPaths.reactivate(detail.id),
      resetSecondFactor: adminUserPaths.resetSecondFactor(detail.id),
      resendInvitation: adminUserPaths.resendInvitation(detail.id),
    },
  };
}
