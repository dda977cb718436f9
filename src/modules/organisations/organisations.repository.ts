// SQL for organisations. Reads are limited to the actor's region: their RAA, everything under
// it, its partner agencies and its hub. Anything else is simply not found.
import type { Selectable } from 'kysely';
import type { Actor } from '../../platform/access/actor.js';
import type { Db } from '../../platform/db/client.js';
import type { OrganisationsTable } from './organisations.tables.js';

export type OrganisationRow = Selectable<OrganisationsTable>;

export async function organisationsInRegionOf(db: Db, actor: Actor): Promise<OrganisationRow[]> {
  const raaId = actor.scope.raaId;
  if (!raaId) {
    return db
      .selectFrom('organisations')
      .selectAll()
      .where('id', 'in', [...actor.scope.organisationIds, actor.organisation.id])
      .execute();
  }
  const raa = await db
    .selectFrom('organisations')
    .select(['id', 'parent_id'])
    .where('id', '=', raaId)
    .executeTakeFirst();
  return db
    .selectFrom('organisations')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('id', '=', raaId),
        eb('raa_id', '=', raaId),
        ...(raa?.parent_id ? [eb('id', '=', raa.parent_id)] : []),
      ]),
    )
    .orderBy('name')
    .execute();
}
