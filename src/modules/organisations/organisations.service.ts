// The organisation tree's rules: who a member of an organisation may reach (design.md §3), and
// the region an actor may look at. Organisations are not personal data, so reading them is not
// audited; scope still applies, and an organisation outside it is not found (AC-2).
import type { Actor, OrganisationScope } from '../../platform/access/actor.js';
import type { Db } from '../../platform/db/client.js';
import { notFound } from '../../platform/http/errors.js';
import {
  activeSubtreeIds,
  organisationsInRegionOf,
  organisationWithRaaAbove,
  type OrganisationRow,
} from './organisations.repository.js';
import type { OrganisationKind } from './organisations.tables.js';

/** An unknown or deactivated organisation reaches nothing (fails closed, AC-11). */
const noScope: OrganisationScope = { organisationIds: [], raaId: null, nonIdentifyingOnly: true };

/**
 * The organisations whose records a member of `organisationId` may reach (design.md §3):
 * - the RAA itself: the RAA and everything below it (spokes, member councils, teams);
 * - a spoke: the spoke, its councils and its teams; a team: its spoke's scope;
 * - a member council: that council only, which keeps case responsibility for its children;
 * - the hub: itself only, and the cross-RAA pool it sees is non-identifying;
 * - a partner agency (VAA, adoption support agency, another RAA): itself only.
 */
export async function organisationScopeFor(
  db: Db,
  organisationId: string,
): Promise<{ organisationIds: string[]; raaId: string | null; nonIdentifyingOnly: boolean }> {
  const found = await organisationWithRaaAbove(db, organisationId);
  if (!found?.organisation.active) return { ...noScope, organisationIds: [] };
  const { organisation, raaAboveId } = found;
  switch (organisation.kind) {
    case 'raa':
    case 'spoke':
      return {
        organisationIds: await activeSubtreeIds(db, organisation.id),
        raaId: raaAboveId,
        nonIdentifyingOnly: false,
      };
    case 'team':
      // A team works for its spoke: its members reach what the spoke reaches.
      return organisation.parent_id
        ? organisationScopeFor(db, organisation.parent_id)
        : { organisationIds: [organisation.id], raaId: raaAboveId, nonIdentifyingOnly: false };
    case 'local_authority':
      return { organisationIds: [organisation.id], raaId: raaAboveId, nonIdentifyingOnly: false };
    case 'hub':
      return { organisationIds: [organisation.id], raaId: null, nonIdentifyingOnly: true };
    case 'voluntary_adoption_agency':
    case 'adoption_support_agency':
    case 'partner_raa':
      return { organisationIds: [organisation.id], raaId: null, nonIdentifyingOnly: false };
  }
}

export interface SpokeInRegion {
  spoke: OrganisationRow;
  councils: OrganisationRow[];
  teams: OrganisationRow[];
}

export interface RegionTree {
  hub: OrganisationRow | undefined;
  raa: OrganisationRow | undefined;
  spokes: SpokeInRegion[];
  partners: Array<{ kind: OrganisationKind; organisations: OrganisationRow[] }>;
  /** Active organisations in the actor's view that fit none of the places above. */
  others: OrganisationRow[];
  /** Organisations that have left the region: kept, because records may point at them. */
  inactive: OrganisationRow[];
  isDemo: boolean;
}

const partnerKindOrder: OrganisationKind[] = [
  'partner_raa',
  'voluntary_adoption_agency',
  'adoption_support_agency',
];

/** The actor's region: from their RAA when they have one, else walking up from their organisation. */
function regionStart(actor: Actor): string {
  return actor.scope.raaId ?? actor.organisation.id;
}

export async function regionFor(db: Db, actor: Actor): Promise<RegionTree> {
  const rows = await organisationsInRegionOf(db, regionStart(actor));
  const active = rows.filter((row) => row.active);
  const raa =
    active.find((row) => row.kind === 'raa' && row.id === actor.scope.raaId) ??
    active.find((row) => row.kind === 'raa');
  const childrenOf = (id: string, kind: OrganisationKind) =>
    active.filter((row) => row.parent_id === id && row.kind === kind);
  const spokes = raa
    ? childrenOf(raa.id, 'spoke').map((spoke) => ({
        spoke,
        councils: childrenOf(spoke.id, 'local_authority'),
        teams: childrenOf(spoke.id, 'team'),
      }))
    : [];
  const hub = active.find((row) => row.kind === 'hub' && row.id === raa?.parent_id);
  const partners = partnerKindOrder
    .map((kind) => ({ kind, organisations: active.filter((row) => row.kind === kind) }))
    .filter((group) => group.organisations.length > 0);
  const placed = new Set<string>(
    [
      hub,
      raa,
      ...spokes.flatMap((s) => [s.spoke, ...s.councils, ...s.teams]),
      ...partners.flatMap((p) => p.organisations),
    ]
      .filter((row): row is OrganisationRow => !!row)
      .map((row) => row.id),
  );
  return {
    hub,
    raa,
    spokes,
    partners,
    others: active.filter((row) => !placed.has(row.id)),
    inactive: rows.filter((row) => !row.active),
    isDemo: rows.some((row) => row.is_demo),
  };
}

export interface OrganisationDetail {
  organisation: OrganisationRow;
  parent: OrganisationRow | undefined;
  raa: OrganisationRow | undefined;
  children: OrganisationRow[];
}

export async function organisationDetailFor(db: Db, actor: Actor, code: string): Promise<OrganisationDetail> {
  const rows = await organisationsInRegionOf(db, regionStart(actor));
  const organisation = rows.find((row) => row.code === code);
  if (!organisation) throw notFound('organisation');
  return {
    organisation,
    parent: rows.find((row) => row.id === organisation.parent_id),
    raa: organisation.kind === 'raa' ? undefined : rows.find((row) => row.id === organisation.raa_id),
    children: rows.filter((row) => row.parent_id === organisation.id && row.active),
  };
}
