import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../platform/access/actor.js';
import { permissionsFor, rolePermissions, roles, type Role } from '../../../platform/access/permissions.js';
import { organisationKinds } from '../../organisations/organisations.tables.js';
import {
  grantableBy,
  grantableRolesFor,
  mayManageHolderOf,
  organisationsActorManages,
  roleChange,
  rolesActorMayGrant,
  rolesByOrganisationKind,
} from './role-grants.js';

function anActor(actorRoles: Role[], scope: string[] = ['own', 'below-1', 'below-2']): Actor {
  return {
    userId: 'u',
    sessionId: 's',
    name: 'n',
    email: 'e@example.test',
    organisation: { id: 'own', code: 'own', name: 'Own', kind: 'raa' },
    roles: actorRoles,
    permissions: permissionsFor(actorRoles),
    scope: { organisationIds: scope, raaId: 'own', nonIdentifyingOnly: false },
    secondFactorSkipped: false,
  };
}

describe('who may give which roles (issue 3 §4, pitfall P7)', () => {
  it('lists a grant table for exactly the roles that hold users:manage (P1: none means none)', () => {
    const managers = roles.filter((role) => rolePermissions[role].includes('users:manage'));
    expect(Object.keys(grantableBy).sort()).toEqual([...managers].sort());
  });

  it.each([
    ['team_manager', 'system_administrator', false],
    ['team_manager', 'head_of_service', false],
    ['team_manager', 'agency_decision_maker', false],
    ['team_manager', 'board_member', false],
    ['team_manager', 'family_finder', true],
    ['la_manager', 'system_administrator', false],
    ['la_manager', 'agency_decision_maker', false],
    ['la_manager', 'raa_social_worker', false],
    ['la_manager', 'la_social_worker', true],
    ['system_administrator', 'system_administrator', true],
    ['system_administrator', 'agency_decision_maker', true],
    ['family_finder', 'family_finder', false],
  ] as const)('a %s may give %s: %s', (manager, role, allowed) => {
    expect(rolesActorMayGrant(anActor([manager])).includes(role)).toBe(allowed);
  });

  it.each([
    ['local_authority', 'la_social_worker', true],
    ['local_authority', 'agency_decision_maker', true],
    ['local_authority', 'raa_social_worker', false],
    ['local_authority', 'system_administrator', false],
    ['raa', 'system_administrator', true],
    ['raa', 'la_manager', false],
    ['spoke', 'system_administrator', false],
    ['team', 'head_of_service', false],
    ['voluntary_adoption_agency', 'panel_member', false],
  ] as const)('someone in a %s may hold %s: %s', (kind, role, allowed) => {
    expect(rolesByOrganisationKind[kind].includes(role)).toBe(allowed);
    expect(grantableRolesFor(anActor(['system_administrator']), kind).includes(role)).toBe(allowed);
  });

  it('names only real roles, for every kind of organisation', () => {
    for (const kind of organisationKinds) {
      for (const role of rolesByOrganisationKind[kind]) expect(roles).toContain(role);
    }
  });

  it('offers a council manager only council roles, and a team manager nothing in a council', () => {
    expect(grantableRolesFor(anActor(['la_manager']), 'local_authority')).toEqual([
      'la_social_worker',
      'la_manager',
      'finance_officer',
      'performance_officer',
    ]);
    expect(grantableRolesFor(anActor(['team_manager']), 'local_authority')).toEqual([
      'panel_member',
      'finance_officer',
      'performance_officer',
    ]);
  });
});

describe('whose accounts an actor manages (AC-2)', () => {
  it('gives a system administrator every organisation in scope', () => {
    expect(organisationsActorManages(anActor(['system_administrator']))).toEqual([
      'own',
      'below-1',
      'below-2',
    ]);
  });

  it('gives a team manager or council manager their own organisation only', () => {
    expect(organisationsActorManages(anActor(['team_manager']))).toEqual(['own']);
    expect(organisationsActorManages(anActor(['la_manager']))).toEqual(['own']);
  });

  it('gives nothing without users:manage, or without a scope (P1)', () => {
    expect(organisationsActorManages(anActor(['family_finder']))).toEqual([]);
    expect(organisationsActorManages(anActor(['team_manager'], []))).toEqual([]);
    expect(organisationsActorManages(anActor(['system_administrator'], []))).toEqual([]);
  });
});

describe('changing an account', () => {
  it('needs the actor to be able to give every role its holder has', () => {
    expect(mayManageHolderOf(anActor(['team_manager']), ['family_finder', 'panel_member'])).toBe(true);
    expect(mayManageHolderOf(anActor(['team_manager']), ['family_finder', 'head_of_service'])).toBe(false);
    expect(mayManageHolderOf(anActor(['system_administrator']), ['system_administrator'])).toBe(true);
  });

  it('describes a replacement as roles added and removed', () => {
    expect(roleChange(['family_finder', 'panel_member'], ['panel_member', 'team_manager'])).toEqual({
      added: ['team_manager'],
      removed: ['family_finder'],
    });
  });
});
