import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, NullableTimestamp } from '../../platform/db/schema.js';

export const enquiryStatuses = ['new', 'contacted', 'invited', 'closed'] as const;
export type EnquiryStatus = (typeof enquiryStatuses)[number];

export interface AdopterEnquiriesTable {
  id: Generated<string>;
  reference: string;
  raa_id: string | null;
  council_id: string | null;
  name: string;
  email: string;
  phone: string | null;
  postcode: string;
  postcode_district: string;
  applying_as: 'single' | 'couple';
  previous_experience: 'none' | 'adopted' | 'foster_carer';
  heard_from: string;
  message: string | null;
  status: Generated<EnquiryStatus>;
  closed_reason: string | null;
  triage_note: string | null;
  triaged_by: string | null;
  triaged_at: NullableTimestamp;
  /** Whether a household came of it; kept by a trigger on households (migration 0020). */
  registered: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    adopter_enquiries: AdopterEnquiriesTable;
  }
}

export type EnquiryVersion = ColumnType<number, never, number>;
