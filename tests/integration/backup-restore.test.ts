// Backups are proven by restores (issue 2 §5; security.md RL-5, pitfall P20): a backup restored
// into an empty database reproduces every row of every table exactly, on PGlite and PostgreSQL and
// across them, and a damaged file or a non-empty target restores nothing.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditKeyFrom, verifyAuditChain, writeAudit } from '../../src/platform/audit/audit.js';
import { backupDatabase, restoreDatabase } from '../../src/platform/db/backup.js';
import { openDatabase, type Database, type Db } from '../../src/platform/db/client.js';
import { adminUrl } from '../support/database-names.js';
import { createTestDatabase, testDriver } from '../support/test-database.js';

const key = auditKeyFrom('backup-test-secret-that-is-long-enough-0123');
const scratch = mkdtempSync(path.join(tmpdir(), 'kindred-backup-test-'));
let fileNumber = 0;
const aBackupFile = () => path.join(scratch, `backup-${(fileNumber += 1)}.jsonl.gz`);

/** The ids are chosen so that every child sorts before its parent: key order is not tree order. */
const ids = {
  hub: 'f0000000-0000-4000-8000-000000000001',
  raa: 'e0000000-0000-4000-8000-000000000002',
  spoke: 'd0000000-0000-4000-8000-000000000003',
  council: 'c0000000-0000-4000-8000-000000000004',
  team: 'b0000000-0000-4000-8000-000000000005',
  agency: 'a0000000-0000-4000-8000-000000000006',
  manager: '90000000-0000-4000-8000-000000000007',
  worker: '80000000-0000-4000-8000-000000000008',
};

/**
 * Puts rows in every table, with the values that are easy to lose on the way: microsecond
 * timestamps, a bigint beyond 2^53, arrays, nulls, booleans, quotes, newlines and non-ASCII text.
 */
async function fillEveryTable(db: Db): Promise<void> {
  const organisation = (
    id: string,
    code: string,
    kind: string,
    name: string,
    parent: string | null,
    raa: string | null,
    laCode: string | null = null,
  ) => sql`
    insert into organisations (id, code, kind, name, parent_id, raa_id, la_code, ons_code, is_host,
      postcode_districts, contact_email, is_demo, version, created_at, updated_at)
    values (${id}, ${code}, ${kind}, ${name}, ${parent}, ${raa}, ${laCode},
      ${laCode ? 'E09000008' : null}, ${laCode !== null}, ${laCode ? ['CR0', 'SE25'] : []},
      ${laCode ? 'adoption@croydon.example' : null}, false, 3,
      '2026-01-02T03:04:05.123456Z', '2026-06-30T23:59:59.999999+01:00')`;
  await organisation(ids.hub, 'test-hub', 'hub', 'Test hub', null, null).execute(db);
  await organisation(ids.raa, 'test-raa', 'raa', 'Adopt “Test” – Llanfair’s RAA', ids.hub, null).execute(db);
  await organisation(ids.spoke, 'test-spoke', 'spoke', 'South spoke', ids.raa, ids.raa).execute(db);
  await organisation(
    ids.council,
    'test-council',
    'local_authority',
    'Croydon',
    ids.spoke,
    ids.raa,
    '306',
  ).execute(db);
  await organisation(ids.team, 'test-team', 'team', 'Family finding\nteam', ids.spoke, ids.raa).execute(db);
  await organisation(ids.agency, 'test-vaa', 'voluntary_adoption_agency', 'A VAA', null, ids.raa).execute(db);
  await sql`insert into installation_settings (key, value, updated_at)
    values ('region.file', 'sha256:abc', '2026-03-04T05:06:07.000001Z')`.execute(db);

  const user = (
    id: string,
    organisationId: string,
    email: string,
    name: string,
    timeStep: string | null,
  ) => sql`
    insert into users (id, organisation_id, email, name, password_hash, totp_secret_encrypted, totp_enrolled_at,
      totp_last_time_step, status, failed_sign_ins, throttled_until, last_sign_in_at, version, created_at, updated_at)
    values (${id}, ${organisationId}, ${email}, ${name}, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
      'v1.sealed', '2026-02-03T04:05:06.654321Z', ${timeStep}::int8, 'active', 2, null,
      '2026-11-02T10:00:00.000001Z', 2, '2026-02-03T04:05:06.000009Z', '2026-02-03T04:05:06.00001Z')`;
  await user(ids.manager, ids.raa, 'manager@example.test', 'Siân O’Brien-Łukasz', '9007199254740993').execute(
    db,
  );
  await user(ids.worker, ids.council, 'worker@example.test', 'Worker "Quoted" Person', null).execute(db);
  await sql`insert into user_roles (user_id, role, granted_by, granted_at) values
    (${ids.manager}, 'team_manager', null, '2026-02-03T04:05:06.1Z'),
    (${ids.worker}, 'la_social_worker', ${ids.manager}, '2026-02-03T04:05:06.2Z')`.execute(db);
  await sql`insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, second_factor,
      ip, user_agent, ended_at, ended_reason)
    values (${randomUUID()}, 'sha256-token', ${ids.manager}, '2026-11-02T10:00:00.5Z', '2026-11-02T10:10:00.25Z',
      '2026-11-02T22:00:00Z', 'totp', '203.0.113.9', 'Firefox', null, null)`.execute(db);
  await sql`insert into recovery_codes (id, user_id, code_hash, created_at, used_at)
    values (${randomUUID()}, ${ids.manager}, 'sha256-code', '2026-02-03T04:05:06Z', null)`.execute(db);
  await sql`insert into one_time_tokens (token_hash, purpose, user_id, created_by, created_at, expires_at, used_at)
    values ('sha256-invite', 'invitation', ${ids.worker}, ${ids.manager}, '2026-02-03T04:05:06Z',
      '2026-02-10T04:05:06Z', '2026-02-04T09:00:00.000001Z')`.execute(db);
  await sql`insert into identity_providers (organisation_id, issuer, client_id, client_secret_encrypted,
      display_name, enabled)
    values (${ids.council}, 'https://login.croydon.example', 'kindred', 'v1.sealed', 'Croydon staff sign-in', true)`.execute(
    db,
  );
  await sql`insert into user_external_identities (user_id, issuer, subject)
    values (${ids.worker}, 'https://login.croydon.example', 'subject-123')`.execute(db);

  // Children (migration 0007): a correction that supersedes an earlier fact is a foreign key into
  // its own table, and a photo is binary, so both must survive the round trip byte for byte.
  const childA = randomUUID();
  const childB = randomUUID();
  const [first, second] = [childA, childB].sort() as [string, string];
  await sql`insert into children (id, responsible_council_id, council_child_id, first_name, last_name, date_of_birth,
      sex, ethnicity, languages, needs, current_stage, placement_order_date, hard_to_place_tags, family_finder_id)
    values (${childA}, ${ids.council}, 'A123', 'Zoë', 'O’Connor', '2021-02-28', '2', 'MWBC', ${['English', 'Polski']},
      ${JSON.stringify({ development: { description: 'Speech "delay"', uncertain: true } })}::jsonb, 'family_finding',
      '2024-01-05', ${['minority_ethnic_heritage']}, ${ids.manager}),
      (${childB}, ${ids.council}, 'B456', 'Ben', 'O’Connor', '2019-07-01', '1', 'MWBC', '{}', '{}', 'early_identification',
      null, '{}', null)`.execute(db);
  const original = randomUUID();
  await sql`insert into child_journey_facts (id, child_id, kind, effective_date, source, recorded_by, recorded_at)
    values (${original}, ${childA}, 'placement_order', '2024-01-04', 'Court', ${ids.worker}, '2026-01-02T03:04:05.1Z')`.execute(
    db,
  );
  await sql`insert into child_journey_facts (id, child_id, kind, effective_date, source, recorded_by, recorded_at,
      supersedes_id, correction_reason)
    values (${randomUUID()}, ${childA}, 'placement_order', '2024-01-05', 'Court', ${ids.worker},
      '2026-01-03T03:04:05.1Z', ${original}, 'Sealed order')`.execute(db);
  await sql`insert into child_sibling_links (child_a_id, child_b_id, placement_plan, reason)
    values (${first}, ${second}, 'together', null)`.execute(db);
  await sql`insert into child_birth_families (child_id, birth_mother_name, birth_family_postcode_district)
    values (${childA}, 'Birth Mother', 'SE15')`.execute(db);
  await sql`insert into child_profiles (child_id, profile_text) values (${childA}, 'Loves the swings.')`.execute(
    db,
  );
  await sql`insert into child_photos (child_id, media_type, size_bytes, content)
    values (${childA}, 'image/png', 9, ${Buffer.from('89504e470d0a1a0a00', 'hex')})`.execute(db);
  await sql`insert into tasks (child_id, kind, title, owner_organisation_id, owner_user_id, due_date)
    values (${childA}, 'update_cpr', 'Update the Child Permanence Report', ${ids.council}, null, '2026-07-31')`.execute(
    db,
  );
  // An SSDA903 import (migration 0016) with its file and one error.
  await sql`insert into ssda903_imports (id, council_id, requested_by, requested_at, origin, collection_year, status,
      children_total, error_count, read_problems, skipped, finished_at)
    values ('c1000000-0000-4000-8000-000000000016', ${ids.council}, null, '2026-05-01T09:00:00Z', 'command', '2025-26',
      'needs-choice', 2, 1, '[{"code":"unknown-table","message":"notes.csv is not a table","fatal":false}]',
      '[{"child":"A1","reasons":["INT01: Child in AD1 does not exist in Header."]}]', null)`.execute(db);
  await sql`insert into ssda903_import_files (import_id, position, file_name, size_bytes, content)
    values ('c1000000-0000-4000-8000-000000000016', 0, 'header.csv', 8, ${Buffer.from('CHILD,SEX')})`.execute(
    db,
  );
  await sql`insert into ssda903_import_errors (import_id, position, code, table_name, row_number, child, fields, message)
    values ('c1000000-0000-4000-8000-000000000016', 0, 'INT01', 'AD1', 0, 'A1', ${['CHILD']},
      'Data Integrity Check: Child in AD1 does not exist in Header.')`.execute(db);

  // Prospective adopters (migrations 0009–0010): an enquiry, the household it became, its
  // applicants and a fact whose details are JSON.
  const enquiry = randomUUID();
  const household = randomUUID();
  await sql`insert into adopter_enquiries (id, reference, raa_id, council_id, name, email, phone, postcode,
      postcode_district, applying_as, previous_experience, heard_from, message, created_at)
    values (${enquiry}, 'ABCD-EFGH', ${ids.raa}, ${ids.council}, 'Ré Enquirer', 're@example.test', '02079460000',
      'CR0 1AA', 'CR0', 'couple', 'foster_carer', 'search', 'Line one
line "two"', '2026-05-06T07:08:09.123Z')`.execute(db);
  await sql`insert into households (id, reference, raa_id, council_id, enquiry_id, relationship_status, postcode,
      postcode_district, offer, current_stage, stage_since)
    values (${household}, 'HJKM-NPQR', ${ids.raa}, ${ids.council}, ${enquiry}, 'L2', 'CR0 1AA', 'CR0',
      ${JSON.stringify({ ageFrom: 0, ageTo: 4, siblingGroups: true })}::jsonb, 'stage_one', '2026-06-01')`.execute(
    db,
  );
  await sql`insert into household_applicants (household_id, position, first_name, last_name, date_of_birth, sex,
      ethnicity, languages)
    values (${household}, 1, 'Ré', 'Enquirer', '1985-01-01', '2', 'WIRI', ${['English', 'Gaeilge']})`.execute(
    db,
  );
  await sql`insert into household_facts (household_id, kind, effective_date, source, details)
    values (${household}, 'statutory_check', '2026-06-02', 'Test',
      ${JSON.stringify({ check: { type: 'enhanced_dbs', subject: 'Ré Enquirer', step: 'requested' } })}::jsonb)`.execute(
    db,
  );

  // Events and courses (migration 0011): an event, a session, a booking from the enquiry and the
  // one-time link it was booked with.
  const event = randomUUID();
  const session = randomUUID();
  const booking = randomUUID();
  await sql`insert into adopter_events (id, raa_id, kind, title, description)
    values (${event}, ${ids.raa}, 'information_event', 'Soirée d’information', 'Line one
line "two"')`.execute(db);
  await sql`insert into adopter_event_sessions (id, event_id, starts_at, ends_at, online, venue_name, capacity)
    values (${session}, ${event}, '2026-07-01T17:30:00.123456Z', '2026-07-01T19:30:00Z', false, 'Hall', 12)`.execute(
    db,
  );
  await sql`insert into adopter_event_bookings (id, session_id, enquiry_id, name, email, status)
    values (${booking}, ${session}, ${enquiry}, 'Ré Enquirer', 're@example.test', 'booked')`.execute(db);
  await sql`insert into adopter_event_links (token_hash, event_id, enquiry_id, name, email, booking_id, expires_at)
    values ('0123456789abcdef', ${event}, ${enquiry}, 'Ré Enquirer', 're@example.test', ${booking},
      '2026-08-30T00:00:00Z')`.execute(db);

  // Matching (migration 0012): a link with its history, an exclusion, the weights, an activity
  // and a sufficiency snapshot (jsonb that holds ids and counts).
  const link = randomUUID();
  await sql`insert into match_links (id, child_id, household_id, state, version, created_by)
    values (${link}, ${childA}, ${household}, 'profile_shared', 2, ${ids.worker})`.execute(db);
  await sql`insert into match_link_events (link_id, from_state, to_state, note, recorded_by, recorded_at)
    values (${link}, 'shortlisted', 'profile_shared', 'Profile sent — “with care”', ${ids.worker},
      '2026-06-03T09:00:00.5Z')`.execute(db);
  await sql`insert into matching_exclusions (household_id, council_id, reason, created_by)
    values (${household}, ${ids.council}, 'Known to the birth family', ${ids.manager})`.execute(db);
  await sql`insert into matching_weights (raa_id, weights, version, updated_by)
    values (${ids.raa}, ${JSON.stringify({ needs: 9, heritage: 5, religion: 2, language: 3, earlyPermanence: 4, contact: 1 })}::jsonb,
      3, ${ids.manager})`.execute(db);
  await sql`insert into family_finding_activities (child_id, kind, activity_date, note, recorded_by)
    values (${childA}, 'profiling_event', '2026-05-20', 'Activity day; Zoë’s profile shown', ${ids.worker})`.execute(
    db,
  );
  await sql`insert into sufficiency_snapshots (raa_id, computed_at, data)
    values (${ids.raa}, '2026-06-04T05:30:00Z', ${JSON.stringify({ today: '2026-06-04', children: [{ id: childA, region: 2, hub: 5 }] })}::jsonb)`.execute(
    db,
  );

  // Panels (migration 0013): a panel and a member of its central list with training and an
  // interest; a sitting with its member, an item with a paper (bytea), a conflict, a signed-off
  // minute and its amendment (jsonb), a quality issue, the decision, a qualifying determination,
  // its letter (bytea) and an escalation.
  const panel = randomUUID();
  const member = randomUUID();
  const sitting = randomUUID();
  const item = randomUUID();
  const decision = randomUUID();
  await sql`insert into panels (id, raa_id, organisation_id, name, joint, created_by)
    values (${panel}, ${ids.raa}, ${ids.spoke}, 'South “panel” – Llanfair', false, ${ids.manager})`.execute(
    db,
  );
  await sql`insert into panel_members (id, raa_id, name, role, organisation, lived_experience, social_work_qualified_on,
      appointed_on, review_due, user_id, version)
    values (${member}, ${ids.raa}, 'Siân Chair-O’Brien', 'independent_chair', 'Independent\nand unpaid', 'adopted_adult',
      null, '2025-01-06', '2027-01-06', ${ids.manager}, 2)`.execute(db);
  await sql`insert into panel_member_training (member_id, course, completed_on)
    values (${member}, 'Induction — “panel” basics', '2025-02-01')`.execute(db);
  await sql`insert into panel_member_interests (member_id, declared_on, description)
    values (${member}, '2025-02-01', 'Knows a foster carer in Croydon')`.execute(db);
  await sql`insert into panel_sittings (id, panel_id, sitting_date, starts_at, venue, attendance_recorded_at, chaired_by_member_id)
    values (${sitting}, ${panel}, '2026-06-03', '10:00', 'Room 3', '2026-06-03T10:05:00.123456Z', ${member})`.execute(
    db,
  );
  await sql`insert into panel_sitting_members (sitting_id, member_id, attendance, papers_sent_on, papers_received_on)
    values (${sitting}, ${member}, 'present', '2026-05-26', '2026-05-27')`.execute(db);
  await sql`insert into panel_agenda_items (id, sitting_id, position, kind, household_id, added_by)
    values (${item}, ${sitting}, 1, 'adopter_approval', ${household}, ${ids.manager})`.execute(db);
  await sql`insert into panel_papers (item_id, title, media_type, size_bytes, content)
    values (${item}, 'PAR', 'application/pdf', 8, ${Buffer.from('%PDF-1.4', 'latin1')})`.execute(db);
  await sql`insert into panel_conflicts (item_id, member_id, description, withdrew)
    values (${item}, ${member}, 'Met them once', false)`.execute(db);
  await sql`insert into panel_minutes (item_id, recommendation, reasons, votes_for, signed_off_at, signed_off_on,
      signed_off_by, signed_off_for_member_id, amendment_count, version)
    values (${item}, 'in_favour', 'Line one\nline “two”', 5, '2026-06-03T16:00:00.5Z', '2026-06-03', ${ids.manager},
      ${member}, 1, 3)`.execute(db);
  await sql`insert into panel_minute_amendments (item_id, changes, reason, amended_by)
    values (${item}, ${JSON.stringify({ reasons: { from: 'Line one', to: 'Line one\nline “two”' } })}::jsonb, 'Typo', ${ids.manager})`.execute(
    db,
  );
  await sql`insert into panel_quality_issues (item_id, category, note)
    values (${item}, 'report_quality', 'Chronology thin')`.execute(db);
  await sql`insert into panel_decisions (id, item_id, outcome, reasons, decided_on, due_on, agrees_with_recommendation,
      decided_by, decision_maker_organisation_id)
    values (${decision}, ${item}, 'qualifying_determination', 'Not yet', '2026-06-05', '2026-06-12', false,
      ${ids.manager}, ${ids.raa})`.execute(db);
  await sql`insert into panel_determinations (decision_id, representations_due, route, route_requested_on)
    values (${decision}, '2026-07-31', 'independent_review_mechanism', '2026-06-20')`.execute(db);
  await sql`insert into panel_letters (item_id, decision_id, template, file_name, size_bytes, content)
    values (${item}, ${decision}, 'adopter_approval.qualifying_determination', 'decision-HJKM-NPQR-2026-06-05.pdf', 8,
      ${Buffer.from('%PDF-1.4', 'latin1')})`.execute(db);
  await sql`insert into panel_decision_escalations (item_id, escalated_on, recipients)
    values (${item}, '2026-06-15', 2)`.execute(db);

  // Adoption support (migration 0014): a family's case with its household, protected details in
  // an array and a child; an adopted adult's case; an assessment, a plan with a goal and a review, a
  // liaison note; a fund application and its history; the core offer with attendance; a letterbox
  // agreement (smallint[] months), its parties, an exchange with its history, an output (jsonb
  // view), a reminder; a records request and a check.
  const supportCase = randomUUID();
  const adultCase = randomUUID();
  const supportChild = randomUUID();
  const supportPlan = randomUUID();
  const fundApplication = randomUUID();
  const offerItem = randomUUID();
  const agreement = randomUUID();
  const familyParty = randomUUID();
  const relativeParty = randomUUID();
  const exchange = randomUUID();
  const recordRequest = randomUUID();
  await sql`insert into support_cases (id, reference, raa_id, kind, referral_on, referral_source, referral_reason,
      allocated_worker_id, household_id, family_name, family_surnames, town, postcode, postcode_district,
      placing_council_id, version)
    values (${supportCase}, 'SPRT-CASE', ${ids.raa}, 'adoptive_family', '2026-06-01', 'self', 'Line one
line "two"', ${ids.worker}, ${household}, 'Ré and Zoë Enquirer', ${['Enquirer', 'Ó Briain']}, 'Croydon',
      'CR0 1AA', 'CR0', ${ids.council}, 2)`.execute(db);
  await sql`insert into support_cases (id, reference, raa_id, kind, referral_on, referral_source, referral_reason)
    values (${adultCase}, 'SPRT-ADLT', ${ids.raa}, 'adopted_adult', '2026-06-02', 'self', 'Birth records')`.execute(
    db,
  );
  await sql`insert into support_people (case_id, first_name, last_name, relationship, adopted_on)
    values (${adultCase}, 'Siân', 'Adopted', 'adopted_adult', '1972-03-01')`.execute(db);
  await sql`insert into support_children (id, case_id, child_id, first_name, last_name, birth_first_name, date_of_birth)
    values (${supportChild}, ${supportCase}, ${childA}, 'Zoë', 'Enquirer', 'Zoë', '2019-05-12')`.execute(db);
  await sql`insert into support_assessments (case_id, requested_on, due_on, completed_on, outcome, summary)
    values (${supportCase}, '2026-06-01', '2026-07-13', '2026-06-20', 'services_to_be_provided', 'Theraplay')`.execute(
    db,
  );
  await sql`insert into support_plans (id, case_id, agreed_on, review_on, summary)
    values (${supportPlan}, ${supportCase}, '2026-06-25', '2026-12-25', 'Plan — “therapy”')`.execute(db);
  await sql`insert into support_plan_goals (plan_id, position, goal, responsible)
    values (${supportPlan}, 1, 'Twelve sessions', 'provider')`.execute(db);
  await sql`insert into support_plan_reviews (plan_id, reviewed_on, note, recorded_by)
    values (${supportPlan}, '2026-07-01', 'Going well', ${ids.worker})`.execute(db);
  await sql`insert into support_liaison_notes (case_id, council_id, kind, section_47_status, note, recorded_by)
    values (${supportCase}, ${ids.council}, 'section_47', 'started', 'Enquiry started', ${ids.worker})`.execute(
    db,
  );
  await sql`insert into support_fund_applications (id, case_id, raa_id, support_child_id, financial_year, category,
      service_type, provider_id, description, starts_on, total_cost_pence, fund_share_pence, match_funding_pence,
      council_id, status, approved_pence)
    values (${fundApplication}, ${supportCase}, ${ids.raa}, ${supportChild}, 2026, 'therapy', 'theraplay', ${ids.agency},
      'Theraplay', '2026-07-01', 240000, 200000, 40000, ${ids.council}, 'approved', 200000)`.execute(db);
  await sql`insert into support_fund_events (application_id, from_status, to_status, recorded_by)
    values (${fundApplication}, 'submitted', 'approved', ${ids.worker})`.execute(db);
  await sql`insert into support_offer_items (id, raa_id, kind, audience, title, held_on)
    values (${offerItem}, ${ids.raa}, 'event', 'families', 'Pique-nique d’été', '2026-08-01')`.execute(db);
  await sql`insert into support_offer_attendance (item_id, case_id, attendee, attended, rating, feedback)
    values (${offerItem}, ${supportCase}, 'Ré and Zoë', true, 5, null)`.execute(db);
  await sql`insert into letterbox_agreements (id, reference, case_id, raa_id, support_child_id, months, starts_on)
    values (${agreement}, 'LB-ABCDEF', ${supportCase}, ${ids.raa}, ${supportChild}, ${[3, 9]}::smallint[], '2023-03-01')`.execute(
    db,
  );
  await sql`insert into letterbox_parties (id, agreement_id, side, name, writes, receives, next_due_on)
    values (${familyParty}, ${agreement}, 'adoptive_family', 'Mum and Dad', true, true, '2026-09-01'),
      (${relativeParty}, ${agreement}, 'birth_relative', 'Jo Birth', true, false, null)`.execute(db);
  await sql`insert into letterbox_exchanges (id, agreement_id, from_party_id, for_period, received_on, original_text,
      redacted_text, redaction_note, status, checked_by, checked_at)
    values (${exchange}, ${agreement}, ${familyParty}, '2026-03-01', '2026-03-10', 'Dear Jo,
Zoë is well', 'Dear Jo, she is well', 'Removed the name', 'forwarded', ${ids.worker}, '2026-03-11T09:00:00.123456Z')`.execute(
    db,
  );
  await sql`insert into letterbox_exchange_events (exchange_id, action, note, recorded_by)
    values (${exchange}, 'forwarded', 'To Jo Birth', ${ids.worker})`.execute(db);
  await sql`insert into letterbox_outputs (agreement_id, exchange_id, party_id, audience, kind, channel, view, subject, body)
    values (${agreement}, ${exchange}, ${relativeParty}, 'birth_relative', 'forwarded-letter', 'letter',
      ${JSON.stringify({ recipientName: 'Jo Birth', body: 'Dear Jo, she is well' })}::jsonb, 'A letter', 'Dear Jo Birth')`.execute(
    db,
  );
  await sql`insert into letterbox_reminders (agreement_id, party_id, period, kind)
    values (${agreement}, ${familyParty}, '2026-09-01', 'due')`.execute(db);
  await sql`insert into support_record_requests (id, case_id, raa_id, kind, received_on)
    values (${recordRequest}, ${adultCase}, ${ids.raa}, 'birth_records_counselling', '2026-06-02')`.execute(
    db,
  );
  await sql`insert into support_record_checks (request_id, kind, done_on, recorded_by)
    values (${recordRequest}, 'identity_checked', '2026-06-03', ${ids.worker})`.execute(db);

  // Reports (issue 9): a head of service's commentary, and a return's download with what it held.
  await sql`insert into report_commentaries (report_kind, organisation_id, period, body, version, updated_by)
    values ('quarterly', ${ids.council}, '2026-Q2', 'Timeliness “held” – see note
line two', 2, ${ids.manager})`.execute(db);
  const returnExport = randomUUID();
  await sql`insert into return_exports (id, kind, period, format, row_count, problem_count, exported_by, exported_at)
    values (${returnExport}, 'ofsted-list-10', '2026-Q2', 'xlsx', 2, 1, ${ids.manager}, '2026-07-31T10:11:12.345678Z')`.execute(
    db,
  );
  await sql`insert into return_export_subjects (export_id, subject_type, subject_id)
    values (${returnExport}, 'child', ${childA}), (${returnExport}, 'child', ${childB})`.execute(db);

  for (let i = 0; i < 5; i += 1) {
    await writeAudit(
      db,
      key,
      {
        actor: null,
        ip: '198.51.100.7',
        userAgent: 'vitest',
        correlationId: randomUUID(),
        now: new Date(Date.UTC(2026, 10, 2, 10, 0, i, 123)),
      },
      {
        action: 'child.view',
        outcome: i === 3 ? 'denied' : 'success',
        subjectType: 'child',
        subjectId: `child-${i}`,
        subjectOrganisationId: ids.council,
        userId: ids.worker,
      },
    );
  }
}

async function tableNames(db: Db): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> 'schema_migrations'
    order by c.relname`.execute(db);
  return result.rows.map((row) => row.name);
}

/** Every row of every table as PostgreSQL's own JSON text, in a fixed order. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables: Record<string, string[]> = {};
  for (const name of await tableNames(db)) {
    await sql`set timezone = 'UTC'`.execute(db);
    const rows = await sql<{ row: string }>`
      select to_jsonb(t)::text as row from ${sql.id('public', name)} t order by 1`.execute(db);
    tables[name] = rows.rows.map((row) => row.row);
  }
  return tables;
}

async function rowCount(db: Db): Promise<number> {
  let total = 0;
  for (const name of await tableNames(db)) {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.id('public', name)}`.execute(
      db,
    );
    total += result.rows[0]?.n ?? 0;
  }
  return total;
}

/** A migrated PostgreSQL database from the run's template, whichever driver the run uses. */
async function postgresDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL!;
  const name = `kindred_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = await openDatabase({ databaseUrl: adminUrl(url), poolSize: 1 });
  await sql`create database ${sql.id(name)} template ${sql.id(inject('postgresTemplate'))}`.execute(admin.db);
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: parsed.toString(), poolSize: 3 });
  return {
    ...database,
    close: async () => {
      await database.close();
      await sql`drop database if exists ${sql.id(name)} with (force)`
        .execute(admin.db)
        .catch(() => undefined);
      await admin.close();
    },
  };
}

async function pgliteDatabase(): Promise<Database> {
  return openDatabase({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
}

let source: Database;
let sourceBackup: string;
let expected: Record<string, string[]>;

beforeAll(async () => {
  source = await createTestDatabase();
  await fillEveryTable(source.db);
  expected = await snapshot(source.db);
  sourceBackup = aBackupFile();
  await backupDatabase(source, sourceBackup, { auditKey: key });
});
afterAll(async () => {
  await source.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function withEmptyDatabase<T>(
  use: (database: Database) => Promise<T>,
  open = createTestDatabase,
): Promise<T> {
  const database = await open();
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

describe(`backup and restore on ${testDriver()} (RL-5, P20)`, () => {
  it('the fixture puts rows in every table, so the round trip covers every table that exists', () => {
    const empty = Object.entries(expected)
      .filter(([, rows]) => rows.length === 0)
      .map(([name]) => name);
    expect(empty, 'Add rows for these tables to fillEveryTable in this test').toEqual([]);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(10);
  });

  it('writes an owner-only gzipped file whose header names the format, migrations and tables', () => {
    expect(statSync(sourceBackup).mode & 0o777).toBe(0o600);
    const lines = gunzipSync(readFileSync(sourceBackup)).toString('utf8').split('\n');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ format: 'kindred-backup', version: 1, source: source.kind });
    const tables = header.tables as string[];
    expect([...tables].sort()).toEqual(Object.keys(expected).sort());
    // Parents before children: organisations before users before sessions.
    expect(tables.indexOf('organisations')).toBeLessThan(tables.indexOf('users'));
    expect(tables.indexOf('users')).toBeLessThan(tables.indexOf('sessions'));
    expect(JSON.parse(lines.at(-2)!)).toMatchObject({ end: 'kindred-backup', rows: expect.any(Number) });
  });

  it('restores into an empty database every row of every table exactly, and the audit chain verifies', async () => {
    await withEmptyDatabase(async (target) => {
      const summary = await restoreDatabase(target, sourceBackup, key);
      expect(await snapshot(target.db)).toEqual(expected);
      const total = Object.values(expected).reduce((sum, rows) => sum + rows.length, 0);
      expect(summary.rows).toBe(total);
      expect(summary.audit).toMatchObject({ checked: 5, headSeq: 5 });
      expect(await verifyAuditChain(target.db, key)).toMatchObject({ ok: true, checked: 5 });
      // The constraints deferred for the organisation tree are back as they were.
      const deferrable = await sql<{ n: number }>`
        select count(*)::int as n from pg_constraint where contype = 'f' and condeferrable`.execute(
        target.db,
      );
      expect(deferrable.rows[0]?.n).toBe(0);
      // And the restored database is a working one: the audit chain carries on from its head.
      await writeAudit(
        target.db,
        key,
        { actor: null, ip: null, userAgent: null, correlationId: null, now: new Date() },
        {
          action: 'child.view',
          outcome: 'success',
        },
      );
      expect(await verifyAuditChain(target.db, key)).toMatchObject({ ok: true, checked: 6 });
    });
  });

  it('a backup of the restored database is the same as the original, line for line between header and trailer', async () => {
    await withEmptyDatabase(async (target) => {
      await restoreDatabase(target, sourceBackup, key);
      const again = aBackupFile();
      await backupDatabase(target, again, { auditKey: key });
      const body = (file: string) => gunzipSync(readFileSync(file)).toString('utf8').split('\n').slice(1, -2);
      expect(body(again)).toEqual(body(sourceBackup));
    });
  });

  it('refuses to restore into a database that already holds data', async () => {
    await expect(restoreDatabase(source, sourceBackup, key)).rejects.toThrowError(
      `The database at ${source.location} already holds data; restore only into an empty database.`,
    );
    expect(await snapshot(source.db)).toEqual(expected);
  });

  it('refuses to overwrite an existing file', async () => {
    await expect(backupDatabase(source, sourceBackup)).rejects.toThrowError(
      `The file ${sourceBackup} already exists; give a new file name so that no earlier backup is overwritten.`,
    );
  });

  it('a truncated file is reported as damaged and nothing is restored', async () => {
    const truncated = aBackupFile();
    const bytes = readFileSync(sourceBackup);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    await withEmptyDatabase(async (target) => {
      await expect(restoreDatabase(target, truncated, key)).rejects.toThrowError(
        new RegExp(`^The backup file ${truncated.replaceAll('.', '\\.')} is incomplete or damaged: `),
      );
      expect(await rowCount(target.db)).toBe(0);
    });
  });

  it('a row altered inside the file fails the checksum after every row was inserted, and nothing is restored', async () => {
    const altered = aBackupFile();
    const text = gunzipSync(readFileSync(sourceBackup)).toString('utf8');
    expect(text).toContain('Worker \\"Quoted\\" Person');
    writeFileSync(altered, gzipSync(text.replace('Worker \\"Quoted\\" Person', 'Someone Else')));
    await withEmptyDatabase(async (target) => {
      await expect(restoreDatabase(target, altered, key)).rejects.toThrowError(
        `The backup file ${altered} is incomplete or damaged: its checksum does not match.`,
      );
      expect(await rowCount(target.db)).toBe(0);
    });
  });

  it('a file that is not a backup at all is refused in one sentence', async () => {
    const notBackup = aBackupFile();
    writeFileSync(notBackup, 'name,date of birth\n');
    await withEmptyDatabase(async (target) => {
      await expect(restoreDatabase(target, notBackup, key)).rejects.toThrowError(
        /^The backup file .* is incomplete or damaged: incorrect header check\.$/,
      );
    });
  });

  it('refuses a backup made with another installation’s secret before touching the database', async () => {
    await withEmptyDatabase(async (target) => {
      await expect(
        restoreDatabase(target, sourceBackup, auditKeyFrom('another-installation-secret-0123456789abc')),
      ).rejects.toThrowError(/^The backup was made by an installation with a different secret/);
      expect(await rowCount(target.db)).toBe(0);
    });
  });

  it('refuses a target whose migrations differ from the backup’s', async () => {
    await withEmptyDatabase(async (target) => {
      await sql`update schema_migrations set checksum = 'edited' where version = 1`.execute(target.db);
      await expect(restoreDatabase(target, sourceBackup, key)).rejects.toThrowError(
        /^The backup's migrations differ from those applied to the database at /,
      );
    });
  });
});

// Runs in the PGlite pass whenever a PostgreSQL server is configured (once per run is enough).
describe.skipIf(!process.env.TEST_DATABASE_URL || testDriver() === 'postgres')(
  'a backup moves between PGlite and PostgreSQL (RL-5)',
  () => {
    it('PGlite → PostgreSQL → PGlite reproduces every row', async () => {
      await withEmptyDatabase(async (laptop) => {
        await fillEveryTable(laptop.db);
        const original = await snapshot(laptop.db);
        const fromLaptop = aBackupFile();
        await backupDatabase(laptop, fromLaptop, { auditKey: key });
        await withEmptyDatabase(async (server) => {
          await restoreDatabase(server, fromLaptop, key);
          expect(await snapshot(server.db)).toEqual(original);
          const fromServer = aBackupFile();
          await backupDatabase(server, fromServer, { auditKey: key });
          await withEmptyDatabase(async (back) => {
            await restoreDatabase(back, fromServer, key);
            expect(await snapshot(back.db)).toEqual(original);
            expect(await verifyAuditChain(back.db, key)).toMatchObject({ ok: true, checked: 5 });
          }, pgliteDatabase);
        }, postgresDatabase);
      }, pgliteDatabase);
    });
  },
);
