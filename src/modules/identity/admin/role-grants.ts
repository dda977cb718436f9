// Who may give which roles, and which roles each kind of organisation may hold, kept as data so
// the admin pages, the checks and the tests all read one table (security.md pitfall P7). Anything
// not listed is refused: a manager's role missing from `grantableBy` grants nothing (pitfall P1).
import type { Actor } from '../../../platform/access/actor.js';
import { roles, type Role } from '../../../platform/access/permissions.js';
import type { OrganisationKind } from '../../organisations/organisations.tables.js';

/** The RAA's own practice roles, held in the RAA, its spokes and (for front-line staff) its teams. */
const raaPracticeRoles: readonly Role[] = [
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
  'finance_officer',
  'performance_officer',
];

/**
 * Roles a member of each kind of organisation may hold.
 * - Councils keep case responsibility for their children (design.md §3), so their staff hold the
 *   council roles; the council's agency decision maker decides whether a child should be placed
 *   for adoption (Adoption Agencies Regulations 2005 reg 19); council directors sit on the RAA
 *   board; council finance staff pay allowances and inter-agency fees, and council performance
 *   staff prepare the DfE returns; independent panel members may be drawn from a council.
 * - System administrators and board members belong to the RAA (or the hub), not to a spoke or team.
 * - Partner agencies get no accounts until sharing with them is explicit and time-boxed (AC-9).
 */
export const rolesByOrganisationKind: Record<OrganisationKind, readonly Role[]> = {
  hub: ['system_administrator', 'performance_officer', 'board_member'],
  raa: [...raaPracticeRoles, 'board_member', 'system_administrator'],
  spoke: raaPracticeRoles,
  team: [
    'raa_social_worker',
    'family_finder',
    'assessing_social_worker',
    'support_worker',
    'team_manager',
    'panel_administrator',
  ],
  local_authority: [
    'la_social_worker',
    'la_manager',
    'agency_decision_maker',
    'panel_member',
    'board_member',
    'finance_officer',
    'performance_officer',
  ],
  voluntary_adoption_agency: [],
  adoption_support_agency: [],
  partner_raa: [],
};

/**
 * Roles each managing role may give or take away. Statutory and governance appointments (agency
 * decision maker, head of service, board member) and system administration are given only by a
 * system administrator; managers give the roles of the teams they run.
 */
export const grantableBy: Partial<Record<Role, readonly Role[]>> = {
  system_administrator: roles,
  team_manager: [
    'raa_social_worker',
    'family_finder',
    'assessing_social_worker',
    'support_worker',
    'team_manager',
    'panel_adviser',
    'panel_administrator',
    'panel_member',
    'finance_officer',
    'performance_officer',
  ],
  la_manager: ['la_social_worker', 'la_manager', 'finance_officer', 'performance_officer'],
};

/** Roles whose holders manage accounts across the actor's whole scope, not just their own organisation. */
const scopeWideManagers: readonly Role[] = ['system_administrator'];

/** Every role the actor may give or take away, in the order roles are listed everywhere else. */
export function rolesActorMayGrant(actor: Pick<Actor, 'roles'>): Role[] {
  const grantable = new Set(actor.roles.flatMap((role) => grantableBy[role] ?? []));
  return roles.filter((role) => grantable.has(role));
}

/** The roles the actor may give someone in an organisation of this kind. */
export function grantableRolesFor(actor: Pick<Actor, 'roles'>, kind: OrganisationKind): Role[] {
  const held = new Set(rolesByOrganisationKind[kind]);
  return rolesActorMayGrant(actor).filter((role) => held.has(role));
}

/**
 * The organisations whose accounts the actor manages: a system administrator, every organisation
 * in their scope; a team manager or council manager, their own organisation only. An actor with
 * no scope manages nothing.
 */
export function organisationsActorManages(
  actor: Pick<Actor, 'roles' | 'organisation' | 'scope' | 'permissions'>,
): string[] {
  if (!actor.permissions.has('users:manage')) return [];
  if (actor.roles.some((role) => scopeWideManagers.includes(role))) return [...actor.scope.organisationIds];
  return actor.scope.organisationIds.includes(actor.organisation.id) ? [actor.organisation.id] : [];
}

/**
 * Whether the actor may change an account holding these roles at all: only if they could have
 * given every one of them, so a manager cannot deactivate or strip someone more senior.
 */
export function mayManageHolderOf(actor: Pick<Actor, 'roles'>, heldRoles: readonly Role[]): boolean {
  const grantable = new Set(rolesActorMayGrant(actor));
  return heldRoles.every((role) => grantable.has(role));
}

export interface RoleChange {
  added: Role[];
  removed: Role[];
}

export function roleChange(current: readonly Role[], requested: readonly Role[]): RoleChange {
  return {
    added: requested.filter((role) => !current.includes(role)),
    removed: current.filter((role) => !requested.includes(role)),
  };
}
