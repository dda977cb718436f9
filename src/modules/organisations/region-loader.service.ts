// Loads a region file into the organisations table in one transaction, idempotently: rows are
// matched by code, only changed fields are written (so a second load of the same file writes
// nothing), and organisations that left the file are deactivated, never deleted — case records
// may point at them for a hundred years.
import type { Transaction } from 'kysely';
import type { AuditContext, AuditKey } from '../../platform/audit/audit.js';
import { writeAudit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import type { DB } from '../../platform/db/schema.js';
import type { OrganisationKind } from './organisations.tables.js';
import type { ParsedRegion } from './region-file.js';

interface DesiredOrganisation {
  code: string;
  kind: OrganisationKind;
  name: string;
  parentCode: string | null;
  raaCode: string | null;
  la_code: string | null;
  ons_code: string | null;
  is_host: boolean;
  postcode_districts: string[];
  contact_email: string | null;
  contact_phone: string | null;
  website: string | null;
}

export interface RegionLoadResult {
  regionName: string;
  added: number;
  changed: number;
  deactivated: number;
  unchanged: number;
}

function desiredOrganisations(region: ParsedRegion['region']): DesiredOrganisation[] {
  const base = {
    la_code: null,
    ons_code: null,
    is_host: false,
    postcode_districts: [],
    contact_email: null,
    contact_phone: null,
    website: null,
  };
  const rows: DesiredOrganisation[] = [
    { ...base, code: region.hub.code, kind: 'hub', name: region.hub.name, parentCode: null, raaCode: null },
    {
      ...base,
      code: region.raa.code,
      kind: 'raa',
      name: region.raa.name,
      parentCode: region.hub.code,
      raaCode: null,
      contact_email: region.raa.contactEmail ?? null,
      contact_phone: region.raa.contactPhone ?? null,
      website: region.raa.website ?? null,
    },
  ];
  for (const spoke of region.spokes) {
    rows.push({
      ...base,
      code: spoke.code,
      kind: 'spoke',
      name: spoke.name,
      parentCode: region.raa.code,
      raaCode: region.raa.code,
    });
    for (const la of spoke.localAuthorities) {
      rows.push({
        ...base,
        code: la.code,
        kind: 'local_authority',
        name: la.name,
        parentCode: spoke.code,
        raaCode: region.raa.code,
        la_code: la.laCode,
        ons_code: la.onsCode,
        is_host: la.laCode === region.raa.hostLaCode,
        postcode_districts: [...la.postcodeDistricts].sort(),
        contact_email: la.contactEmail ?? null,
      });
    }
    for (const team of spoke.teams) {
      rows.push({
        ...base,
        code: team.code,
        kind: 'team',
        name: team.name,
        parentCode: spoke.code,
        raaCode: region.raa.code,
      });
    }
  }
  for (const partner of region.partners) {
    rows.push({
      ...base,
      code: partner.code,
      kind: partner.kind,
      name: partner.name,
      parentCode: partner.kind === 'partner_raa' ? region.hub.code : null,
      raaCode: region.raa.code,
      contact_email: partner.contactEmail ?? null,
      website: partner.website ?? null,
    });
  }
  return rows;
}

const comparedFields = [
  'kind',
  'name',
  'la_code',
  'ons_code',
  'is_host',
  'contact_email',
  'contact_phone',
  'website',
] as const;

export async function loadRegion(
  db: Db,
  parsed: ParsedRegion,
  options: { demo: boolean; auditKey: AuditKey; auditContext: AuditContext },
): Promise<RegionLoadResult> {
  const desired = desiredOrganisations(parsed.region);
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('organisations').selectAll().execute();
    const byCode = new Map(existing.map((row) => [row.code, row]));
    const idByCode = new Map(existing.map((row) => [row.code, row.id]));
    const result: RegionLoadResult = {
      regionName: parsed.region.raa.name,
      added: 0,
      changed: 0,
      deactivated: 0,
      unchanged: 0,
    };
    const now = options.auditContext.now;

    // Parents come before children in `desired`, so their ids are known when a child is written.
    for (const row of desired) {
      const parent_id = row.parentCode ? (idByCode.get(row.parentCode) ?? null) : null;
      const raa_id = row.raaCode ? (idByCode.get(row.raaCode) ?? null) : null;
      const values = {
        kind: row.kind,
        name: row.name,
        parent_id,
        raa_id,
        la_code: row.la_code,
        ons_code: row.ons_code,
        is_host: row.is_host,
        postcode_districts: row.postcode_districts,
        contact_email: row.contact_email,
        contact_phone: row.contact_phone,
        website: row.website,
        is_demo: options.demo,
        active: true,
      };
      const current = byCode.get(row.code);
      if (!current) {
        const inserted = await trx
          .insertInto('organisations')
          .values({ code: row.code, ...values, updated_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        idByCode.set(row.code, inserted.id);
        result.added += 1;
        continue;
      }
      const differs =
        comparedFields.some((field) => current[field] !== values[field]) ||
        current.parent_id !== parent_id ||
        current.raa_id !== raa_id ||
        current.is_demo !== options.demo ||
        !current.active ||
        current.postcode_districts.join(',') !== values.postcode_districts.join(',');
      if (!differs) {
        result.unchanged += 1;
        continue;
      }
      await trx
        .updateTable('organisations')
        .set((eb) => ({ ...values, version: eb('version', '+', 1), updated_at: now }))
        .where('id', '=', current.id)
        .execute();
      result.changed += 1;
    }

    const wanted = new Set(desired.map((row) => row.code));
    for (const row of existing) {
      if (row.active && !wanted.has(row.code)) {
        await trx
          .updateTable('organisations')
          .set((eb) => ({ active: false, version: eb('version', '+', 1), updated_at: now }))
          .where('id', '=', row.id)
          .execute();
        result.deactivated += 1;
      }
    }

    if (result.added + result.changed + result.deactivated > 0) {
      await recordRegionHash(trx, parsed.hash, now);
      await writeAudit(trx, options.auditKey, options.auditContext, {
        action: 'region.load',
        outcome: 'success',
        subjectType: 'organisation',
        subjectId: idByCode.get(parsed.region.raa.code) ?? null,
        subjectOrganisationId: idByCode.get(parsed.region.raa.code) ?? null,
        reason: `${result.added} added, ${result.changed} changed, ${result.deactivated} deactivated`,
      });
    }
    return result;
  });
}

async function recordRegionHash(trx: Transaction<DB>, hash: string, now: Date): Promise<void> {
  await trx
    .insertInto('installation_settings')
    .values({ key: 'region_file_sha256', value: hash, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: hash, updated_at: now }))
    .execute();
}
