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
  /** See children's records in scope and the tracking board (issue 4). */
  'children:read',
  /** Add children, change their records and record journey facts. */
  'children:write',
  /** See and change need-to-know parts of a child's record: birth family, profile and photos (design.md §3). */
  'children:restricted',
  /** See the RAA's enquiries from people interested in adopting and record what was done (issue 5 §1). */
  'enquiries:triage',
  /** See and work on prospective adopters' households: registration, assessment, approval (issue 5 §2–§3). */
  'adopters:assess',
  /** A member council's answer to the RAA's statutory checks addressed to it (issue 5 §7). */
  'adopters:council-checks',
  /** See ranked candidates for a child or household in scope, and each child's linking and family-finding log (issue 6). */
  'matching:read',
  /** Shortlist households, move links through the linking workflow, log family-finding activity. */
  'matching:link',
  /** Exclude a household from the council's children's searches (a council's decision, issue 6 §1). */
  'matching:exclude',
  /** Set the RAA's matching weights (audited). */
  'matching:configure',
  /** See the sufficiency of families for the children waiting, and recruitment priorities (issue 6 §4). */
  'sufficiency:read',
] as const;
export type Permission = (typeof permissions)[number];

const everyone: Permission[] = ['organisations:read'];
/** Those who work a child's case day to day: they record the journey and need the birth family's details. */
const childCaseWork: Permission[] = ['children:read', 'children:write', 'children:restricted'];

// Enquiries from the public reach the RAA's recruitment and assessment staff and their managers;
// councils do not see them (issue 5 §7).
// Children's records (issue 4 §6): case workers and their managers on both sides of the service
// schedule; panel advisers and decision makers read them to prepare and decide; performance
// officers read the board for reporting. Board members see aggregates only (design.md §3), and
// support, panel administration and finance have no need of a child's record.
// Matching (issue 6 §5): family finders and the RAA's social workers work the pool and the links;
// council staff see candidate lists for their own children (non-identifying) and may exclude a
// household; managers set the weights; sufficiency is for those who plan family finding and
// recruitment.
const matchingWork: Permission[] = ['matching:read', 'matching:link', 'sufficiency:read'];
export const rolePermissions: Record<Role, readonly Permission[]> = {
  raa_social_worker: [...everyone, ...childCaseWork, 'enquiries:triage', 'adopters:assess', ...matchingWork],
  family_finder: [...everyone, ...childCaseWork, ...matchingWork],
  assessing_social_worker: [
    ...everyone,
    'children:read',
    'enquiries:triage',
    'adopters:assess',
    'matching:read',
    'sufficiency:read',
  ],
  support_worker: everyone,
  team_manager: [
    ...everyone,
    'users:manage',
    'audit:read',
    ...childCaseWork,
    'enquiries:triage',
    'adopters:assess',
    ...matchingWork,
    'matching:exclude',
    'matching:configure',
  ],
  panel_adviser: [...everyone, 'children:read'],
  panel_administrator: everyone,
  panel_member: [],
  agency_decision_maker: [...everyone, 'children:read', 'children:restricted'],
  head_of_service: [
    ...everyone,
    'audit:read',
    'children:read',
    'enquiries:triage',
    'adopters:assess',
    'matching:read',
    'matching:configure',
    'sufficiency:read',
  ],
  la_social_worker: [
    ...everyone,
    ...childCaseWork,
    'adopters:council-checks',
    'matching:read',
    'matching:exclude',
  ],
  la_manager: [
    ...everyone,
    'users:manage',
    'audit:read',
    ...childCaseWork,
    'adopters:council-checks',
    'matching:read',
    'matching:exclude',
  ],
  board_member: everyone,
  finance_officer: everyone,
  performance_officer: [...everyone, 'children:read', 'sufficiency:read'],
  system_administrator: [...everyone, 'organisations:manage', 'users:manage', 'audit:read'],
};

export function permissionsFor(userRoles: readonly Role[]): Set<Permission> {
  return new Set(userRoles.flatMap((role) => rolePermissions[role]));
}

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
