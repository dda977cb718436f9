// SQL for organisations. Pages read only the actor's region (their RAA, everything under it, its
// partner agencies and its hub); anything else is simply not found (design.md §2, AC-2).
import { sql, type Insertable, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import type { OrganisationKind, OrganisationsTable } from './organisations.tables.js';

export type OrganisationRow = Selectable<OrganisationsTable>;
type Executor = Db | Transaction<DB>;

/** Deep enough for hub → RAA → spoke → council/team with room to spare; stops a cycle. */
const maxDepth = 16;

/**
 * The ids of the region an organisation belongs to: walk up from it to the nearest RAA (or, for a
 * partner agency, the RAA it works with; for a hub, the RAAs it contains), then take those RAAs,
 * everything that belongs to them, and their hub. The organisation itself is always included.
 */
function regionIds(startId: string) {
  return sql`
    with recursive up (id, kind, parent_id, raa_id, depth) as (
      select id, kind, parent_id, raa_id, 0 from organisations where id = ${startId}
      union all
      select o.id, o.kind, o.parent_id, o.raa_id, up.depth + 1
        from organisations o join up on o.id = up.parent_id
       where up.depth < ${maxDepth}
    ),
    region_raa (id) as (
      select coalesce(
        (select id from up where kind = 'raa' order by depth limit 1),
        (select raa_id from up where depth = 0)
      )
      union
      select o.id from organisations o join up on up.depth = 0 and up.kind = 'hub' and o.parent_id = up.id
       where o.kind = 'raa'
    )
    select o.id from organisations o
     where o.id = ${startId}
        or o.id in (select id from region_raa)
        or o.raa_id in (select id from region_raa)
        or o.id in (select r.parent_id from organisations r where r.id in (select id from region_raa))`;
}

export async function organisationsInRegionOf(db: Db, startId: string): Promise<OrganisationRow[]> {
  return db
    .selectFrom('organisations')
    .selectAll()
    .where(sql<boolean>`id in (${regionIds(startId)})`)
    .orderBy('name')
    .orderBy('code')
    .execute();
}

export interface OrganisationWithAncestors {
  organisation: Pick<OrganisationRow, 'id' | 'kind' | 'parent_id' | 'active'>;
  /** The nearest RAA at or above the organisation, if there is one. */
  raaAboveId: string | null;
}

export async function organisationWithRaaAbove(
  db: Db,
  organisationId: string,
): Promise<OrganisationWithAncestors | undefined> {
  const { rows } = await sql<{
    id: string;
    kind: OrganisationKind;
    parent_id: string | null;
    active: boolean;
    raa_above_id: string | null;
  }>`
    with recursive up (id, kind, parent_id, depth) as (
      select id, kind, parent_id, 0 from organisations where id = ${organisationId}
      union all
      select o.id, o.kind, o.parent_id, up.depth + 1
        from organisations o join up on o.id = up.parent_id
       where up.depth < ${maxDepth}
    )
    select o.id, o.kind, o.parent_id, o.active,
           (select id from up where kind = 'raa' order by depth limit 1) as raa_above_id
      from organisations o where o.id = ${organisationId}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { raa_above_id, ...organisation } = row;
  return { organisation, raaAboveId: raa_above_id };
}

/** An organisation and every active organisation below it (`union` also stops at a cycle). */
export async function activeSubtreeIds(db: Db, rootId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    with recursive down (id) as (
      select id from organisations where id = ${rootId}
      union
      select o.id from organisations o join down on o.parent_id = down.id where o.active
    )
    select id from down`.execute(db);
  return rows.map((row) => row.id);
}

export async function anyOrganisationExists(db: Db): Promise<boolean> {
  return !!(await db.selectFrom('organisations').select('id').limit(1).executeTakeFirst());
}

// Writes for the region loader, always inside its transaction.

/** One region load at a time, even with several Kindred processes on one PostgreSQL server. */
export async function lockForRegionLoad(trx: Transaction<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(7231004)`.execute(trx);
  // Councils' codes are checked at commit, so two councils can swap codes in one load (0004).
  await sql`set constraints organisations_la_code_key, organisations_ons_code_key deferred`.execute(trx);
}

export async function allOrganisations(trx: Executor): Promise<OrganisationRow[]> {
  return trx.selectFrom('organisations').selectAll().orderBy('code').execute();
}

export async function insertOrganisation(
  trx: Transaction<DB>,
  values: Insertable<OrganisationsTable>,
): Promise<string> {
  const row = await trx.insertInto('organisations').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Writes the changed fields and bumps the version, so an unchanged row is never touched. */
export async function updateOrganisation(
  trx: Transaction<DB>,
  id: string,
  changes: Updateable<OrganisationsTable>,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('organisations')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .execute();
}

export const regionHashKey = 'region.file_sha256';

export async function installationSetting(trx: Executor, key: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('installation_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

export async function recordInstallationSetting(
  trx: Transaction<DB>,
  key: string,
  value: string,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('installation_settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}
