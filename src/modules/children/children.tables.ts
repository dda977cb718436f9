import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DateString, NullableTimestamp } from '../../platform/db/schema.js';
import type { ChildMatchingConsiderations } from '../matching/matching-profiles.js';
import type { NeedArea } from './child-codes.js';

export interface NeedEntry {
  description: string;
  uncertain: boolean;
}
export type Needs = Partial<Record<NeedArea, NeedEntry>>;

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableDate = ColumnType<DateString | null, DateString | null | undefined, DateString | null>;

export interface ChildrenTable {
  id: Generated<string>;
  responsible_council_id: string;
  council_child_id: string;
  first_name: string;
  last_name: string;
  known_as: string | null;
  date_of_birth: DateString;
  sex: '1' | '2';
  ethnicity: string;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  religion: string | null;
  legal_status: string | null;
  council_social_worker_name: string | null;
  council_social_worker_email: string | null;
  family_finder_id: string | null;
  early_permanence: Generated<EarlyPermanence>;
  contact_plan: string | null;
  needs: ColumnType<Needs, string | undefined, string>;
  family_finding_strategy: string | null;
  /** What the child's social worker records for matching (matching-profiles.ts), migration 0012. */
  matching: ColumnType<Partial<ChildMatchingConsiderations>, string | undefined, string>;
  current_stage: Generated<string>;
  stage_since: NullableDate;
  entered_care_date: NullableDate;
  should_be_placed_date: NullableDate;
  placement_order_date: NullableDate;
  family_finder_allocated_date: NullableDate;
  latest_cpr_date: NullableDate;
  match_decision_date: NullableDate;
  placed_date: NullableDate;
  adoption_order_date: NullableDate;
  sibling_group_size: Generated<number>;
  hard_to_place_tags: ColumnType<string[], string[] | undefined, string[]>;
  is_synthetic: Generated<boolean>;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type EarlyPermanence = 'not_yet_considered' | 'being_considered' | 'suitable' | 'not_suitable';

export interface ChildBirthFamiliesTable {
  child_id: string;
  birth_mother_name: string | null;
  birth_father_name: string | null;
  birth_family_postcode_district: string | null;
  other_relatives: string | null;
  notes: string | null;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface ChildProfilesTable {
  child_id: string;
  profile_text: string | null;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface ChildPhotosTable {
  id: Generated<string>;
  child_id: string;
  media_type: 'image/jpeg' | 'image/png';
  size_bytes: number;
  content: Buffer;
  description: string | null;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
}

export type SiblingPlacementPlan = 'together' | 'apart' | 'to_be_decided';

export interface ChildSiblingLinksTable {
  id: Generated<string>;
  child_a_id: string;
  child_b_id: string;
  placement_plan: SiblingPlacementPlan;
  reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface ChildJourneyFactsTable {
  id: Generated<string>;
  child_id: string;
  kind: string;
  effective_date: DateString;
  source: string;
  recorded_by: string | null;
  recorded_at: CreatedAt;
  supersedes_id: string | null;
  correction_reason: string | null;
  plan_change_reason: string | null;
  disruption_timing: string | null;
  note: string | null;
}

export type TaskStatus = 'open' | 'done' | 'cancelled';

export interface TasksTable {
  id: Generated<string>;
  child_id: string | null;
  kind: string;
  title: string;
  owner_organisation_id: string;
  owner_user_id: string | null;
  due_date: DateString;
  status: Generated<TaskStatus>;
  raised_by_fact_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  completed_by: string | null;
  completed_at: NullableTimestamp;
  last_reminded_on: NullableDate;
  version: Generated<number>;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    children: ChildrenTable;
    child_birth_families: ChildBirthFamiliesTable;
    child_profiles: ChildProfilesTable;
    child_photos: ChildPhotosTable;
    child_sibling_links: ChildSiblingLinksTable;
    child_journey_facts: ChildJourneyFactsTable;
    tasks: TasksTable;
  }
}
