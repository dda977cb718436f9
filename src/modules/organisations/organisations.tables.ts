import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt } from '../../platform/db/schema.js';

export const organisationKinds = [
  'hub',
  'raa',
  'spoke',
  'local_authority',
  'team',
  'voluntary_adoption_agency',
  'adoption_support_agency',
  'partner_raa',
] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export interface OrganisationsTable {
  id: Generated<string>;
  code: string;
  kind: OrganisationKind;
  name: string;
  parent_id: string | null;
  raa_id: string | null;
  la_code: string | null;
  ons_code: string | null;
  is_host: Generated<boolean>;
  postcode_districts: ColumnType<string[], string[] | undefined, string[]>;
  contact_email: string | null;
  contact_phone: string | null;
  website: string | null;
  is_demo: Generated<boolean>;
  active: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface InstallationSettingsTable {
  key: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    organisations: OrganisationsTable;
    installation_settings: InstallationSettingsTable;
  }
}
