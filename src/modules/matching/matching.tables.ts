import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DateString } from '../../platform/db/schema.js';
import type { MatchingWeights } from './matching-profiles.js';

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface MatchingWeightsTable {
  raa_id: string;
  weights: ColumnType<MatchingWeights, string, string>;
  version: Generated<number>;
  updated_by: string | null;
  updated_at: UpdatedAt;
}

export interface MatchingExclusionsTable {
  id: Generated<string>;
  household_id: string;
  council_id: string;
  reason: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export const linkStates = [
  'shortlisted',
  'profile_shared',
  'expression_of_interest',
  'visits',
  'link_agreed',
  'matching_meeting',
  'ready_for_panel',
  'matched',
  'closed',
] as const;
export type LinkState = (typeof linkStates)[number];

export interface MatchLinksTable {
  id: Generated<string>;
  child_id: string;
  household_id: string;
  state: LinkState;
  closed_reason: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MatchLinkEventsTable {
  id: Generated<string>;
  link_id: string;
  from_state: LinkState | null;
  to_state: LinkState;
  expressed_by: 'household' | 'child_side' | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export const activityKinds = [
  'strategy_meeting',
  'profiling_event',
  'publicity',
  'profile_sent',
  'national_register',
  'other',
] as const;
export type ActivityKind = (typeof activityKinds)[number];

export interface FamilyFindingActivitiesTable {
  id: Generated<string>;
  child_id: string;
  kind: ActivityKind;
  activity_date: DateString;
  note: string;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface SufficiencySnapshotsTable {
  id: Generated<string>;
  raa_id: string;
  computed_at: CreatedAt;
  data: ColumnType<unknown, string, string>;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    matching_weights: MatchingWeightsTable;
    matching_exclusions: MatchingExclusionsTable;
    match_links: MatchLinksTable;
    match_link_events: MatchLinkEventsTable;
    family_finding_activities: FamilyFindingActivitiesTable;
    sufficiency_snapshots: SufficiencySnapshotsTable;
  }
}
