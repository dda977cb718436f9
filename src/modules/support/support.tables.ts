// Kysely types for the support tables (migration 0014_support.sql). The SQL is the truth.
import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, DateString, NullableTimestamp } from '../../platform/db/schema.js';

type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Version = Generated<number>;

export const caseKinds = ['adoptive_family', 'adopted_adult', 'birth_relative'] as const;
export type CaseKind = (typeof caseKinds)[number];
/** Adopted adults' and birth relatives' cases: need-to-know ('support:restricted'). */
export const restrictedCaseKinds: readonly CaseKind[] = ['adopted_adult', 'birth_relative'];

export const referralSources = ['self', 'council', 'school', 'health', 'other_agency', 'other'] as const;
export type ReferralSource = (typeof referralSources)[number];

export interface SupportCasesTable {
  id: Generated<string>;
  reference: string;
  raa_id: string;
  kind: CaseKind;
  status: Generated<'open' | 'closed'>;
  referral_on: DateString;
  referral_source: ReferralSource;
  referral_reason: string;
  allocated_worker_id: string | null;
  household_id: string | null;
  family_name: string | null;
  family_surnames: ColumnType<string[], string[] | undefined, string[]>;
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  postcode: string | null;
  postcode_district: string | null;
  email: string | null;
  phone: string | null;
  school: string | null;
  placing_council_id: string | null;
  residence_council_id: string | null;
  closed_on: DateString | null;
  closed_reason: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const personRelationships = [
  'adopted_adult',
  'birth_mother',
  'birth_father',
  'birth_sibling',
  'birth_grandparent',
  'other_birth_relative',
] as const;
export type PersonRelationship = (typeof personRelationships)[number];

export interface SupportPeopleTable {
  case_id: string;
  first_name: string;
  last_name: string;
  date_of_birth: DateString | null;
  relationship: PersonRelationship;
  adopted_on: DateString | null;
  address_line_1: string | null;
  town: string | null;
  postcode: string | null;
  email: string | null;
  phone: string | null;
}

export interface SupportChildrenTable {
  id: Generated<string>;
  case_id: string;
  child_id: string | null;
  first_name: string;
  last_name: string;
  birth_first_name: string | null;
  birth_last_name: string | null;
  date_of_birth: DateString;
  adoption_order_on: DateString | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export const assessmentOutcomes = ['services_to_be_provided', 'no_services_needed', 'signposted'] as const;
export type AssessmentOutcome = (typeof assessmentOutcomes)[number];

export interface SupportAssessmentsTable {
  id: Generated<string>;
  case_id: string;
  requested_on: DateString;
  due_on: DateString;
  completed_on: DateString | null;
  outcome: AssessmentOutcome | null;
  summary: string | null;
  completed_by: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
}

export const goalResponsibles = ['raa', 'council', 'provider', 'family'] as const;
export type GoalResponsible = (typeof goalResponsibles)[number];
export const goalStatuses = ['open', 'met', 'not_met', 'no_longer_needed'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export interface SupportPlansTable {
  id: Generated<string>;
  case_id: string;
  assessment_id: string | null;
  proposal_sent_on: DateString | null;
  representations_due_on: DateString | null;
  agreed_on: DateString;
  review_on: DateString;
  summary: string;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SupportPlanGoalsTable {
  id: Generated<string>;
  plan_id: string;
  position: number;
  goal: string;
  responsible: GoalResponsible;
  status: Generated<GoalStatus>;
}

export interface SupportPlanReviewsTable {
  id: Generated<string>;
  plan_id: string;
  reviewed_on: DateString;
  next_review_on: DateString | null;
  note: string;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export const liaisonKinds = ['general', 'section_47', 'services_split', 'adoption_specific_work'] as const;
export type LiaisonKind = (typeof liaisonKinds)[number];

export interface SupportLiaisonNotesTable {
  id: Generated<string>;
  case_id: string;
  council_id: string;
  kind: LiaisonKind;
  section_47_status: 'started' | 'concluded' | null;
  raa_actions: string | null;
  council_actions: string | null;
  note: string;
  recorded_by: string | null;
  recorded_by_organisation_id: string | null;
  recorded_at: CreatedAt;
}

export const fundCategories = ['therapy', 'specialist_assessment'] as const;
export type FundCategory = (typeof fundCategories)[number];
export const fundStatuses = ['draft', 'submitted', 'approved', 'paid', 'declined', 'withdrawn'] as const;
export type FundStatus = (typeof fundStatuses)[number];

export interface SupportFundApplicationsTable {
  id: Generated<string>;
  case_id: string;
  raa_id: string;
  support_child_id: string;
  financial_year: number;
  category: FundCategory;
  service_type: string;
  provider_id: string | null;
  provider_name: string | null;
  description: string;
  starts_on: DateString;
  total_cost_pence: number;
  fund_share_pence: number;
  match_funding_pence: Generated<number>;
  council_id: string | null;
  exception_reason: string | null;
  status: Generated<FundStatus>;
  submitted_on: DateString | null;
  decided_on: DateString | null;
  approved_pence: number | null;
  paid_on: DateString | null;
  paid_pence: number | null;
  decline_reason: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SupportFundEventsTable {
  id: Generated<string>;
  application_id: string;
  from_status: FundStatus | null;
  to_status: FundStatus;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export const offerKinds = ['event', 'group', 'training', 'newsletter'] as const;
export type OfferKind = (typeof offerKinds)[number];
export const offerAudiences = [
  'adoptive_parents',
  'children_and_young_people',
  'families',
  'birth_relatives',
  'adopted_adults',
] as const;
export type OfferAudience = (typeof offerAudiences)[number];

export interface SupportOfferItemsTable {
  id: Generated<string>;
  raa_id: string;
  kind: OfferKind;
  audience: OfferAudience;
  title: string;
  held_on: DateString;
  description: string | null;
  reach: number | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SupportOfferAttendanceTable {
  id: Generated<string>;
  item_id: string;
  case_id: string | null;
  attendee: string;
  attended: boolean;
  rating: number | null;
  feedback: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface LetterboxAgreementsTable {
  id: Generated<string>;
  reference: string;
  case_id: string;
  raa_id: string;
  support_child_id: string | null;
  months: ColumnType<number[], number[], number[]>;
  starts_on: DateString;
  review_on: DateString | null;
  status: Generated<'active' | 'ended'>;
  ended_on: DateString | null;
  end_reason: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
}

export type PartySide = 'adoptive_family' | 'birth_relative';

export interface LetterboxPartiesTable {
  id: Generated<string>;
  agreement_id: string;
  side: PartySide;
  name: string;
  relationship: string | null;
  writes: boolean;
  receives: boolean;
  address_line_1: string | null;
  address_line_2: string | null;
  town: string | null;
  postcode: string | null;
  email: string | null;
  phone: string | null;
  prefers_email: Generated<boolean>;
  next_due_on: DateString | null;
}

export const exchangeStatuses = ['received', 'checked', 'forwarded', 'held'] as const;
export type ExchangeStatus = (typeof exchangeStatuses)[number];

export interface LetterboxExchangesTable {
  id: Generated<string>;
  agreement_id: string;
  from_party_id: string;
  for_period: DateString;
  received_on: DateString;
  original_text: string;
  redacted_text: string | null;
  redaction_note: string | null;
  status: Generated<ExchangeStatus>;
  checked_by: string | null;
  checked_at: NullableTimestamp;
  held_reason: string | null;
  held_by: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export type ExchangeAction = 'received' | 'checked' | 'held' | 'forwarded' | 'acknowledged' | 'held_notice';

export interface LetterboxExchangeEventsTable {
  id: Generated<string>;
  exchange_id: string;
  action: ExchangeAction;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface LetterboxOutputsTable {
  id: Generated<string>;
  agreement_id: string;
  exchange_id: string | null;
  party_id: string;
  audience: 'birth_relative' | 'adoptive_family';
  kind: string;
  channel: 'letter' | 'email';
  view: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  subject: string | null;
  body: string;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface LetterboxRemindersTable {
  id: Generated<string>;
  agreement_id: string;
  party_id: string;
  period: DateString;
  kind: 'due' | 'missed';
  created_at: CreatedAt;
}

export const recordRequestKinds = ['birth_records_counselling', 'access_to_records', 'intermediary'] as const;
export type RecordRequestKind = (typeof recordRequestKinds)[number];
export const recordOutcomes = [
  'counselling_completed',
  'information_disclosed',
  'partly_disclosed',
  'refused',
  'contact_agreed',
  'contact_declined',
  'not_traced',
  'information_shared',
  'referred_elsewhere',
  'withdrawn',
] as const;
export type RecordOutcome = (typeof recordOutcomes)[number];
export const recordCheckKinds = [
  'identity_checked',
  'counselling_offered',
  'counselling_held',
  'views_sought',
  'consent_given',
  'consent_refused',
  'second_approval',
] as const;
export type RecordCheckKind = (typeof recordCheckKinds)[number];

export interface SupportRecordRequestsTable {
  id: Generated<string>;
  case_id: string;
  raa_id: string;
  kind: RecordRequestKind;
  received_on: DateString;
  sought_person: string | null;
  details: string | null;
  outcome: RecordOutcome | null;
  outcome_on: DateString | null;
  outcome_note: string | null;
  outcome_by: string | null;
  version: Version;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface SupportRecordChecksTable {
  id: Generated<string>;
  request_id: string;
  kind: RecordCheckKind;
  done_on: DateString;
  note: string | null;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    support_cases: SupportCasesTable;
    support_people: SupportPeopleTable;
    support_children: SupportChildrenTable;
    support_assessments: SupportAssessmentsTable;
    support_plans: SupportPlansTable;
    support_plan_goals: SupportPlanGoalsTable;
    support_plan_reviews: SupportPlanReviewsTable;
    support_liaison_notes: SupportLiaisonNotesTable;
    support_fund_applications: SupportFundApplicationsTable;
    support_fund_events: SupportFundEventsTable;
    support_offer_items: SupportOfferItemsTable;
    support_offer_attendance: SupportOfferAttendanceTable;
    letterbox_agreements: LetterboxAgreementsTable;
    letterbox_parties: LetterboxPartiesTable;
    letterbox_exchanges: LetterboxExchangesTable;
    letterbox_exchange_events: LetterboxExchangeEventsTable;
    letterbox_outputs: LetterboxOutputsTable;
    letterbox_reminders: LetterboxRemindersTable;
    support_record_requests: SupportRecordRequestsTable;
    support_record_checks: SupportRecordChecksTable;
  }
}
