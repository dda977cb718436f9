// Roles and what each may do, kept as data so the route-registry test and the admin pages read
// the same table the checks use (security.md AC-1, pitfall P7). A role grants permissions; the
// user's organisation decides *which* records those permissions reach (see scope.ts).

export const roles = [
  'raa_social_worker',
  'family_finder',
  'assessing_social_worker',
  'support_worker',
  'team_manager',
  'panel_adviser',
  'panel_administrator',
  'panel_member',
  'agency_decision_maker',
  'head_of_service',
  'la_social_worker',
  'la_manager',
  'board_member',
  'finance_officer',
  'performance_officer',
  'system_administrator',
] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  raa_social_worker: 'RAA social worker',
  family_finder: 'Family finder',
  assessing_social_worker: 'Assessing social worker',
  support_worker: 'Adoption support worker',
  team_manager: 'Team manager',
  panel_adviser: 'Panel adviser',
  panel_administrator: 'Panel administrator',
  panel_member: 'Panel member',
  agency_decision_maker: 'Agency decision maker',
  head_of_service: 'Head of service',
  la_social_worker: 'Council social worker',
  la_manager: 'Council manager',
  board_member: 'Board member',
  finance_officer: 'Finance officer',
  performance_officer: 'Performance officer',
  system_administrator: 'System administrator',
};

export const permissions = [
  /** See the organisations of the region and their details. */
  'organisations:read',
  /** Load and change the region's organisations. */
  'organisations:manage',
  /** Invite users, assign roles, deactivate accounts, reset second factors (own organisation's scope). */
  'users:manage',
  /** See who viewed or changed a record ("who viewed this record"). */
  'audit:read',
] as const;
export type Permission = (typeof permissions)[number];

const everyone: Permission[] = ['organisations:read'];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  raa_social_worker: everyone,
  family_finder: everyone,
  assessing_social_worker: everyone,
  support_worker: everyone,
  team_manager: [...everyone, 'users:manage', 'audit:read'],
  panel_adviser: everyone,
  panel_administrator: everyone,
  panel_member: [],
  agency_decision_maker: everyone,
  head_of_service: [...everyone, 'audit:read'],
  la_social_worker: everyone,
  la_manager: [...everyone, 'users:manage', 'audit:read'],
  board_member: everyone,
  finance_officer: everyone,
  performance_officer: everyone,
  system_administrator: [...everyone, 'organisations:manage', 'users:manage', 'audit:read'],
};

export function permissionsFor(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => rolePermissions[role]));
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
