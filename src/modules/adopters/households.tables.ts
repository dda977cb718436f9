import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DateString } from '../../platform/db/schema.js';
import type { NeedArea } from '../children/child-codes.js';
import type { ContactKind } from '../matching/matching-profiles.js';

export const relationshipStatuses = {
  L0: 'Single',
  L11: 'Married couple (different gender)',
  L12: 'Married couple (same gender)',
  L2: 'Civil partners',
  L3: 'Unmarried couple (different gender)',
  L4: 'Unmarried couple (same gender)',
} as const;
export type RelationshipStatus = keyof typeof relationshipStatuses;

export interface HouseholdOffer {
  ageFrom?: number;
  ageTo?: number;
  maxChildren?: number;
  siblingGroups?: boolean;
  needsCanMeet?: string;
  needsCannotMeet?: string;
  earlyPermanence?: boolean;
  contact?: string;
  /** The need areas they said they could and could not meet, for the matching engine (issue 6). */
  needsCanMeetAreas?: NeedArea[];
  needsCannotMeetAreas?: NeedArea[];
  contactSupported?: ContactKind[];
}

export const applicantDisabilities = {
  yes: 'Yes',
  no: 'No',
  not_stated: 'Prefers not to say',
} as const;
export type ApplicantDisability = keyof typeof applicantDisabilities;

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface HouseholdsTable {
  id: Generated<string>;
  reference: string;
  raa_id: string;
  council_id: string | null;
  enquiry_id: string | null;
  relationship_status: RelationshipStatus;
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  postcode: string;
  postcode_district: string;
  children_in_household: string | null;
  support_network: string | null;
  offer: ColumnType<HouseholdOffer, string | undefined, string>;
  previous_adopter: Generated<boolean>;
  approved_foster_carer: Generated<boolean>;
  heard_from: string | null;
  assessing_social_worker_id: string | null;
  current_stage: Generated<string>;
  stage_since: ColumnType<DateString | null, DateString | null | undefined, DateString | null>;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface HouseholdApplicantsTable {
  id: Generated<string>;
  household_id: string;
  position: 1 | 2;
  first_name: string;
  last_name: string;
  date_of_birth: DateString;
  sex: '1' | '2';
  ethnicity: string;
  religion: string | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  health: string | null;
  employment: string | null;
  /** Self-declared (Equality Act 2010 s.6); null = not asked yet. Migration 0019. */
  disability: ColumnType<
    ApplicantDisability | null,
    ApplicantDisability | null | undefined,
    ApplicantDisability | null
  >;
}

export interface HouseholdFactsTable {
  id: Generated<string>;
  household_id: string;
  kind: string;
  effective_date: DateString;
  source: string;
  recorded_by: string | null;
  recorded_at: CreatedAt;
  supersedes_id: string | null;
  correction_reason: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    households: HouseholdsTable;
    household_applicants: HouseholdApplicantsTable;
    household_facts: HouseholdFactsTable;
  }
}
