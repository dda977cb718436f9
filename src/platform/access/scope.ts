// Which organisations' records a member of an organisation may reach (design.md §3):
// - the RAA itself: the RAA and everything below it (spokes, member councils, teams);
// - a spoke, or a team within it: the spoke, its councils and its teams;
// - a member council: that council only (it keeps case responsibility for its own children);
// - the hub: itself only, and cross-RAA views are non-identifying;
// - a partner agency (VAA, adoption support agency, another RAA): itself only.
import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { OrganisationScope } from './actor.js';

const noScope: OrganisationScope = { organisationIds: [], raaId: null, nonIdentifyingOnly: true };

export async function organisationScopeFor(db: Db, organisationId: string): Promise<OrganisationScope> {
  const organisation = await db
    .selectFrom('organisations')
    .select(['id', 'kind', 'parent_id', 'raa_id', 'active'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!organisation || !organisation.active) return noScope;

  let root = organisation.id;
  if (organisation.kind === 'team' && organisation.parent_id) root = organisation.parent_id;

  if (
    organisation.kind === 'local_authority' ||
    organisation.kind === 'hub' ||
    !['raa', 'spoke', 'team'].includes(organisation.kind)
  ) {
    return {
      organisationIds: [organisation.id],
      raaId: organisation.kind === 'local_authority' ? await raaAbove(db, organisation.id) : null,
      nonIdentifyingOnly: organisation.kind === 'hub',
    };
  }

  const rows = await sql<{ id: string }>`
    with recursive subtree as (
      select id from organisations where id = ${root}
      union all
      select o.id from organisations o join subtree s on o.parent_id = s.id where o.active
    )
    select id from subtree`.execute(db);
  return {
    organisationIds: rows.rows.map((row) => row.id),
    raaId: organisation.kind === 'raa' ? organisation.id : await raaAbove(db, organisation.id),
    nonIdentifyingOnly: false,
  };
}

/** The RAA an organisation sits under, walking up the tree. */
async function raaAbove(db: Db, organisationId: string): Promise<string | null> {
  const rows = await sql<{ id: string; kind: string }>`
    with recursive ancestors as (
      select id, kind, parent_id, 0 as depth from organisations where id = ${organisationId}
      union all
      select o.id, o.kind, o.parent_id, a.depth + 1 from organisations o join ancestors a on o.id = a.parent_id where a.depth < 10
    )
    select id, kind from ancestors where kind = 'raa' limit 1`.execute(db);
  return rows.rows[0]?.id ?? null;
}
