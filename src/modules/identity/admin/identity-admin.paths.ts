// Typed URL builders for the staff account pages, used by routes, views and tests.
export type AdminNotice =
  | 'invited'
  | 'invitation-not-sent'
  | 'invitation-resent'
  | 'roles-changed'
  | 'deactivated'
  | 'reactivated'
  | 'second-factor-reset';

export const adminUserPaths = {
  list: '/admin/users',
  invite: '/admin/users/invite',
  user: (id: string, notice?: AdminNotice) =>
    `/admin/users/${encodeURIComponent(id)}${notice ? `?done=${notice}` : ''}`,
  roles: (id: string) => `/admin/users/${encodeURIComponent(id)}/roles`,
  deactivate: (id: string) => `/admin/users/${encodeURIComponent(id)}/deactivate`,
  reactivate: (id: string) => `/admin/users/${encodeURIComponent(id)}/reactivate`,
  resetSecondFactor: (id: string) => `/admin/users/${encodeURIComponent(id)}/reset-second-factor`,
  resendInvitation: (id: string) => `/admin/users/${encodeURIComponent(id)}/resend-invitation`,
};
