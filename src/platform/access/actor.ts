// The signed-in person a service acts for. Services take an Actor explicitly; nothing reads
// "the current user" from a global. Scope (which organisations' records the actor reaches)
// is resolved once per request from the organisation tree (design.md §3).
import type { OrganisationKind } from '../../modules/organisations/organisations.tables.js';
import type { Permission, Role } from './permissions.js';

export interface ActorOrganisation {
  id: string;
  code: string;
  name: string;
  kind: OrganisationKind;
}

export interface OrganisationScope {
  /** Organisations whose records this actor may reach, including its own. Never empty for a real actor. */
  organisationIds: readonly string[];
  /** The RAA the actor works in or for, if any. */
  raaId: string | null;
  /** Hub users see the cross-RAA pool only as non-identifying profiles. */
  nonIdentifyingOnly: boolean;
}

export interface Actor {
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  organisation: ActorOrganisation;
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  scope: OrganisationScope;
  /** True when demo mode let this session skip the second factor (shown in the banner). */
  secondFactorSkipped: boolean;
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
  return !!actor && actor.permissions.has(permission);
}

export function inScope(actor: Actor, organisationId: string | null | undefined): boolean {
  return !!organisationId && actor.scope.organisationIds.includes(organisationId);
}
