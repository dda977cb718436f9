// Loads a region file into the organisations table, all or nothing and idempotently (issue 2 §2,
// design.md §4): rows are matched by code, only changed rows are written and only they get a new
// version, so loading the same file twice changes nothing. Organisations that left the file are
// deactivated, never deleted: case records may point at them for a hundred years.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Insertable } from 'kysely';
import { writeAudit, type AuditContext, type AuditKey } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/client.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import {
  allOrganisations,
  anyOrganisationExists,
  insertOrganisation,
  installationSetting,
  lockForRegionLoad,
  recordInstallationSetting,
  regionHashKey,
  updateOrganisation,
  type OrganisationRow,
} from './organisations.repository.js';
import type { OrganisationsTable } from './organisations.tables.js';
import { parseRegionFile, RegionFileError, type FieldPath, type ParsedRegion } from './region-file.js';

export const demoRegionFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../regions/demo-south-london.yaml',
);

/** Far larger than any region (a few dozen organisations); refuses a wrong file early. */
const maxFileBytes = 1024 * 1024;

export interface RegionLoadResult {
  regionName: string;
  added: number;
  changed: number;
  deactivated: number;
  unchanged: number;
}

/** An organisation as the file describes it, with its parent and RAA named by code. */
interface Wanted {
  path: FieldPath;
  parentCode: string | null;
  raaCode: string | null;
  fields: Omit<Insertable<OrganisationsTable>, 'parent_id' | 'raa_id'> & { code: string };
}

/** SE4 before SE12: districts in the order a reader expects, so the file's order does not matter. */
const byDistrict = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

const noContact = { contact_email: null, contact_phone: null, website: null };

/** Parents come before their children, so a child's parent id is known when it is written. */
function wantedOrganisations(region: ParsedRegion['region']): Wanted[] {
  const is_demo = region.demo;
  const plain = { la_code: null, ons_code: null, is_host: false, postcode_districts: [], is_demo };
  const hubCode = region.hub.code;
  const raaCode = region.raa.code;
  const wanted: Wanted[] = [
    {
      path: ['region', 'hub'],
      parentCode: null,
      raaCode: null,
      fields: { ...plain, ...noContact, code: hubCode, kind: 'hub', name: region.hub.name },
    },
    {
      path: ['region', 'raa'],
      parentCode: hubCode,
      raaCode: null,
      fields: {
        ...plain,
        code: raaCode,
        kind: 'raa',
        name: region.raa.name,
        contact_email: region.raa.contactEmail ?? null,
        contact_phone: region.raa.contactPhone ?? null,
        website: region.raa.website ?? null,
      },
    },
  ];
  region.spokes.forEach((spoke, s) => {
    wanted.push({
      path: ['region', 'spokes', s],
      parentCode: raaCode,
      raaCode,
      fields: { ...plain, ...noContact, code: spoke.code, kind: 'spoke', name: spoke.name },
    });
    spoke.localAuthorities.forEach((council, c) =>
      wanted.push({
        path: ['region', 'spokes', s, 'localAuthorities', c],
        parentCode: spoke.code,
        raaCode,
        fields: {
          ...plain,
          code: council.code,
          kind: 'local_authority',
          name: council.name,
          la_code: council.laCode,
          ons_code: council.onsCode,
          is_host: council.laCode === region.raa.hostLaCode,
          postcode_districts: [...council.postcodeDistricts].sort(byDistrict),
          contact_email: council.contactEmail ?? null,
          contact_phone: council.contactPhone ?? null,
          website: council.website ?? null,
        },
      }),
    );
    spoke.teams.forEach((team, t) =>
      wanted.push({
        path: ['region', 'spokes', s, 'teams', t],
        parentCode: spoke.code,
        raaCode,
        fields: {
          ...plain,
          ...noContact,
          code: team.code,
          kind: 'team',
          name: team.name,
          contact_email: team.contactEmail ?? null,
          contact_phone: team.contactPhone ?? null,
        },
      }),
    );
  });
  region.partners.forEach((partner, p) =>
    wanted.push({
      path: ['region', 'partners', p],
      // The hub's other RAAs sit under the hub; VAAs and support agencies stand alone (0001's checks).
      parentCode: partner.kind === 'partner_raa' ? hubCode : null,
      raaCode,
      fields: {
        ...plain,
        code: partner.code,
        kind: partner.kind,
        name: partner.name,
        contact_email: partner.contactEmail ?? null,
        contact_phone: partner.contactPhone ?? null,
        website: partner.website ?? null,
      },
    }),
  );
  return wanted;
}

const comparedFields = [
  'kind',
  'name',
  'parent_id',
  'raa_id',
  'la_code',
  'ons_code',
  'is_host',
  'contact_email',
  'contact_phone',
  'website',
  'is_demo',
  'active',
] as const;

type Desired = Pick<OrganisationRow, (typeof comparedFields)[number] | 'postcode_districts'>;

/** Only the fields that differ, so an unchanged organisation is left exactly as it was. */
function changesBetween(current: OrganisationRow, desired: Desired): Partial<Desired> {
  const changes: Partial<Desired> = {};
  for (const field of comparedFields) {
    if (current[field] !== desired[field]) Object.assign(changes, { [field]: desired[field] });
  }
  if (current.postcode_districts.join(' ') !== desired.postcode_districts.join(' ')) {
    changes.postcode_districts = desired.postcode_districts;
  }
  return changes;
}

export interface LoadOptions {
  auditKey: AuditKey;
  /** Who and when, for the audit entry; a command-line load has no actor (the system). */
  auditContext: AuditContext;
}

export async function loadRegion(
  db: Db,
  parsed: ParsedRegion,
  options: LoadOptions,
): Promise<RegionLoadResult> {
  const wanted = wantedOrganisations(parsed.region);
  const now = options.auditContext.now;
  try {
    return await db.transaction().execute(async (trx) => {
      await lockForRegionLoad(trx);
      const existing = await allOrganisations(trx);
      const byCode = new Map(existing.map((row) => [row.code, row]));
      refuseCodesHeldElsewhere(parsed, wanted, existing);

      const idByCode = new Map(existing.map((row) => [row.code, row.id]));
      const result: RegionLoadResult = {
        regionName: parsed.region.raa.name,
        added: 0,
        changed: 0,
        deactivated: 0,
        unchanged: 0,
      };
      for (const { fields, parentCode, raaCode } of wanted) {
        const parent_id = parentCode ? (idByCode.get(parentCode) ?? null) : null;
        const raa_id = raaCode ? (idByCode.get(raaCode) ?? null) : null;
        const current = byCode.get(fields.code);
        if (!current) {
          const id = await insertOrganisation(trx, {
            ...fields,
            parent_id,
            raa_id,
            created_at: now,
            updated_at: now,
          });
          idByCode.set(fields.code, id);
          result.added += 1;
          continue;
        }
        const desired: Desired = {
          kind: fields.kind,
          name: fields.name,
          parent_id,
          raa_id,
          la_code: fields.la_code ?? null,
          ons_code: fields.ons_code ?? null,
          is_host: fields.is_host ?? false,
          postcode_districts: fields.postcode_districts ?? [],
          contact_email: fields.contact_email ?? null,
          contact_phone: fields.contact_phone ?? null,
          website: fields.website ?? null,
          is_demo: fields.is_demo ?? false,
          active: true,
        };
        const changes = changesBetween(current, desired);
        if (Object.keys(changes).length === 0) {
          result.unchanged += 1;
          continue;
        }
        await updateOrganisation(trx, current.id, changes, now);
        result.changed += 1;
      }

      const inFile = new Set(wanted.map((row) => row.fields.code));
      for (const row of existing) {
        if (row.active && !inFile.has(row.code)) {
          await updateOrganisation(trx, row.id, { active: false }, now);
          result.deactivated += 1;
        }
      }

      const hashChanged = (await installationSetting(trx, regionHashKey)) !== parsed.hash;
      if (result.added + result.changed + result.deactivated > 0 || hashChanged) {
        await recordInstallationSetting(trx, regionHashKey, parsed.hash, now);
        const raaId = idByCode.get(parsed.region.raa.code) ?? null;
        // In the same transaction: if the audit cannot be written, nothing is loaded (LG-1).
        await writeAudit(trx, options.auditKey, options.auditContext, {
          action: 'region.load',
          outcome: 'success',
          subjectType: 'region',
          subjectId: raaId,
          subjectOrganisationId: raaId,
          reason: `${result.added} added, ${result.changed} changed, ${result.deactivated} deactivated`,
        });
      }
      return result;
    });
  } catch (error) {
    if (isAppError(error)) throw error;
    const detail = (error as { detail?: unknown }).detail;
    if ((error as { code?: unknown }).code === '23505') {
      throw new AppError(
        'conflict',
        `The region was not loaded because two organisations would share a code${typeof detail === 'string' ? ` (${detail.replace(/\.$/, '')})` : ''}; nothing was changed.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * A council code or ONS code kept by an organisation that is no longer in the file (it stays,
 * inactive, with its codes) cannot be given to another one: say which, before writing anything.
 */
function refuseCodesHeldElsewhere(parsed: ParsedRegion, wanted: Wanted[], existing: OrganisationRow[]): void {
  const inFile = new Set(wanted.map((row) => row.fields.code));
  const heldElsewhere = existing.filter((row) => !inFile.has(row.code));
  for (const { fields, path: at } of wanted) {
    for (const [column, field] of [
      ['la_code', 'laCode'],
      ['ons_code', 'onsCode'],
    ] as const) {
      const value = fields[column];
      const holder = value ? heldElsewhere.find((row) => row[column] === value) : undefined;
      if (holder) {
        throw new RegionFileError(
          parsed.lineOf([...at, field]),
          [...at, field],
          `'${value}' already belongs to '${holder.code}', which is not in this file: use the code '${holder.code}' for it instead`,
        );
      }
    }
  }
}

/** For `kindred start --demo` and `seed-demo`: the demo region, only into an installation without one. */
export async function loadDemoRegionIfEmpty(
  db: Db,
  options: LoadOptions,
): Promise<RegionLoadResult | undefined> {
  if (await anyOrganisationExists(db)) return undefined;
  return loadRegion(db, readRegionFile(demoRegionFile), options);
}

export function readRegionFile(file: string): ParsedRegion {
  let text: string;
  try {
    if (statSync(file).size > maxFileBytes) {
      throw new AppError('bad-request', `The region file ${file} is larger than 1 MB; is it the right file?`);
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('bad-request', `Cannot read the region file ${file}: check the path and permissions.`);
  }
  try {
    return parseRegionFile(text);
  } catch (error) {
    if (isAppError(error)) {
      throw new AppError('bad-request', `${file}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** "Loaded region 'Adopt London South (demo)': 27 organisations added, 0 changed, 0 deactivated." */
export function describeRegionLoad(result: RegionLoadResult): string {
  const { regionName, added, changed, deactivated, unchanged } = result;
  if (added + changed + deactivated === 0) {
    return `Region '${regionName}' is already up to date: ${unchanged} organisation${unchanged === 1 ? '' : 's'}, nothing changed.`;
  }
  return `Loaded region '${regionName}': ${added} organisation${added === 1 ? '' : 's'} added, ${changed} changed, ${deactivated} deactivated.`;
}
