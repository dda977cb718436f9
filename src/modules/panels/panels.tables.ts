// Kysely types for migration 0013_panels.sql (issue 7). The migration is the truth.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DateString, NullableTimestamp } from '../../platform/db/schema.js';

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableDate = ColumnType<DateString | null, DateString | null | undefined, DateString | null>;

export const memberRoles = [
  'independent_chair',
  'vice_chair',
  'social_worker',
  'independent_member',
  'other_member',
  'medical_adviser',
  'legal_adviser',
  'panel_adviser',
  'panel_administrator',
] as const;
export type MemberRole = (typeof memberRoles)[number];

export const livedExperiences = ['adopted_adult', 'adoptive_parent', 'birth_relative', 'other'] as const;
export type LivedExperience = (typeof livedExperiences)[number];

export const itemKinds = [
  'adopter_approval',
  'match',
  'relinquished_plan',
  'approval_review',
  'approval_termination',
] as const;
export type ItemKind = (typeof itemKinds)[number];

export const attendances = ['invited', 'present', 'apologies', 'absent'] as const;
export type Attendance = (typeof attendances)[number];

export const recommendations = ['in_favour', 'not_in_favour', 'deferred'] as const;
export type Recommendation = (typeof recommendations)[number];

export const decisionOutcomes = [
  'approved',
  'qualifying_determination',
  'approval_continues',
  'approval_ended',
  'match_agreed',
  'match_not_agreed',
  'should_be_placed',
  'should_not_be_placed',
] as const;
export type DecisionOutcome = (typeof decisionOutcomes)[number];

export const qualityCategories = [
  'report_quality',
  'missing_information',
  'late_papers',
  'analysis',
  'other',
] as const;
export type QualityCategory = (typeof qualityCategories)[number];

export const reviewRoutes = ['representations_to_agency', 'independent_review_mechanism'] as const;
export type ReviewRoute = (typeof reviewRoutes)[number];

export const paperMediaTypes = [
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
] as const;
export type PaperMediaType = (typeof paperMediaTypes)[number];

export interface PanelsTable {
  id: Generated<string>;
  raa_id: string;
  organisation_id: string;
  name: string;
  joint: Generated<boolean>;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PanelMembersTable {
  id: Generated<string>;
  raa_id: string;
  name: string;
  role: MemberRole;
  organisation: string | null;
  email: string | null;
  lived_experience: LivedExperience | null;
  social_work_qualified_on: NullableDate;
  appointed_on: DateString;
  review_due: DateString;
  left_on: NullableDate;
  user_id: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PanelMemberTrainingTable {
  id: Generated<string>;
  member_id: string;
  course: string;
  completed_on: DateString;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface PanelMemberInterestsTable {
  id: Generated<string>;
  member_id: string;
  declared_on: DateString;
  description: string;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface PanelSittingsTable {
  id: Generated<string>;
  panel_id: string;
  sitting_date: DateString;
  starts_at: string | null;
  venue: string | null;
  status: Generated<'scheduled' | 'cancelled'>;
  attendance_recorded_at: NullableTimestamp;
  chaired_by_member_id: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PanelSittingMembersTable {
  sitting_id: string;
  member_id: string;
  attendance: Generated<Attendance>;
  papers_sent_on: NullableDate;
  papers_received_on: NullableDate;
}

export interface PanelAgendaItemsTable {
  id: Generated<string>;
  sitting_id: string;
  position: number;
  kind: ItemKind;
  household_id: string | null;
  child_id: string | null;
  match_link_id: string | null;
  status: Generated<'listed' | 'removed'>;
  added_by: string | null;
  added_at: CreatedAt;
}

export interface PanelPapersTable {
  id: Generated<string>;
  item_id: string;
  title: string;
  media_type: PaperMediaType;
  size_bytes: number;
  content: Buffer;
  uploaded_by: string | null;
  uploaded_at: CreatedAt;
}

export interface PanelConflictsTable {
  id: Generated<string>;
  item_id: string;
  member_id: string;
  description: string;
  withdrew: boolean;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface PanelMinutesTable {
  item_id: string;
  recommendation: Recommendation;
  reasons: string;
  dissent: string | null;
  conditions: string | null;
  votes_for: number | null;
  votes_against: number | null;
  abstentions: number | null;
  version: Generated<number>;
  recorded_by: string | null;
  recorded_at: CreatedAt;
  updated_at: UpdatedAt;
  signed_off_at: NullableTimestamp;
  signed_off_on: NullableDate;
  signed_off_by: string | null;
  signed_off_for_member_id: string | null;
  amendment_count: Generated<number>;
}

export interface PanelMinuteAmendmentsTable {
  id: Generated<string>;
  item_id: string;
  changes: ColumnType<Record<string, { from: unknown; to: unknown }>, string, never>;
  reason: string;
  amended_by: string | null;
  amended_at: CreatedAt;
}

export interface PanelQualityIssuesTable {
  id: Generated<string>;
  item_id: string;
  category: QualityCategory;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface PanelDecisionsTable {
  id: Generated<string>;
  item_id: string;
  outcome: DecisionOutcome;
  reasons: string;
  decided_on: DateString;
  due_on: DateString;
  agrees_with_recommendation: boolean;
  decided_by: string;
  decision_maker_organisation_id: string;
  created_at: CreatedAt;
}

export interface PanelDeterminationsTable {
  decision_id: string;
  representations_due: DateString;
  route: ReviewRoute | null;
  route_requested_on: NullableDate;
  route_recorded_by: string | null;
  final_outcome: 'approved' | 'not_approved' | null;
  final_reasons: string | null;
  final_decided_on: NullableDate;
  final_decided_by: string | null;
}

export interface PanelLettersTable {
  id: Generated<string>;
  item_id: string;
  decision_id: string;
  template: string;
  file_name: string;
  size_bytes: number;
  content: Buffer;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface PanelDecisionEscalationsTable {
  id: Generated<string>;
  item_id: string;
  escalated_on: DateString;
  recipients: number;
  created_at: CreatedAt;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    panels: PanelsTable;
    panel_members: PanelMembersTable;
    panel_member_training: PanelMemberTrainingTable;
    panel_member_interests: PanelMemberInterestsTable;
    panel_sittings: PanelSittingsTable;
    panel_sitting_members: PanelSittingMembersTable;
    panel_agenda_items: PanelAgendaItemsTable;
    panel_papers: PanelPapersTable;
    panel_conflicts: PanelConflictsTable;
    panel_minutes: PanelMinutesTable;
    panel_minute_amendments: PanelMinuteAmendmentsTable;
    panel_quality_issues: PanelQualityIssuesTable;
    panel_decisions: PanelDecisionsTable;
    panel_determinations: PanelDeterminationsTable;
    panel_letters: PanelLettersTable;
    panel_decision_escalations: PanelDecisionEscalationsTable;
  }
}
