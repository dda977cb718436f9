-- Adoption support, letterbox contact and access to records (issue 8). Every support record
-- belongs to the RAA that delivers adoption support (seeds' service schedule, "Post adoption
-- support services"), and is reached only through it (design.md §3).
--
-- The adoptive family's identity and whereabouts are protected from birth relatives (domain.md
-- §7): the columns marked "protected" below are never put into anything that faces a birth
-- relative — src/modules/support/birth-relative-output.ts enforces it in one place.

-- A support case: a request for support from an adoptive family, an adopted adult or a birth
-- relative (Adoption Support Services Regulations 2005 reg 13: who may ask for an assessment).
create table support_cases (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$'),
  raa_id uuid not null references organisations (id),
  kind text not null check (kind in ('adoptive_family', 'adopted_adult', 'birth_relative')),
  status text not null default 'open' check (status in ('open', 'closed')),
  referral_on date not null,
  referral_source text not null check (referral_source in (
    'self', 'council', 'school', 'health', 'other_agency', 'other'
  )),
  referral_reason text not null check (length(referral_reason) between 1 and 5000),
  allocated_worker_id uuid references users (id),
  -- The adoptive family: a household approved through Kindred, or recorded here when they adopted
  -- before Kindred. All protected.
  household_id uuid references households (id),
  family_name text check (length(family_name) <= 200),
  family_surnames text[] not null default '{}',
  address_line_1 text check (length(address_line_1) <= 200),
  address_line_2 text check (length(address_line_2) <= 200),
  town text check (length(town) <= 100),
  postcode text check (length(postcode) between 5 and 8),
  postcode_district text,
  email text check (length(email) <= 254),
  phone text check (length(phone) <= 30),
  school text check (length(school) <= 200),
  -- Who pays (ASSR 2005 reg 7): the placing council for three years after the order, then the
  -- council where the family lives.
  placing_council_id uuid references organisations (id),
  residence_council_id uuid references organisations (id),
  closed_on date,
  closed_reason text check (length(closed_reason) <= 2000),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index support_cases_caseload_idx on support_cases (raa_id, status, reference);
create index support_cases_worker_idx on support_cases (allocated_worker_id, status, reference);
create index support_cases_household_idx on support_cases (household_id);

-- The person at the centre of an adopted adult's or a birth relative's case: need-to-know.
create table support_people (
  case_id uuid primary key references support_cases (id),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  date_of_birth date,
  relationship text not null check (relationship in (
    'adopted_adult', 'birth_mother', 'birth_father', 'birth_sibling', 'birth_grandparent',
    'other_birth_relative'
  )),
  -- Adopted adults: the date of the adoption order (the 12 November 1975 counselling rule).
  adopted_on date,
  address_line_1 text check (length(address_line_1) <= 200),
  town text check (length(town) <= 100),
  postcode text check (length(postcode) <= 8),
  email text check (length(email) <= 254),
  phone text check (length(phone) <= 30)
);

-- The children of an adoptive family's case. The name now may differ from the name the birth
-- family knows: the new name is protected.
create table support_children (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references support_cases (id),
  child_id uuid references children (id),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  birth_first_name text check (length(birth_first_name) <= 100),
  birth_last_name text check (length(birth_last_name) <= 100),
  date_of_birth date not null,
  adoption_order_on date,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index support_children_case_idx on support_children (case_id);
create unique index support_children_child_key on support_children (child_id) where child_id is not null;

-- Assessments of adoption support needs (ACA 2002 s4; ASSR 2005 regs 13–14).
create table support_assessments (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references support_cases (id),
  requested_on date not null,
  due_on date not null,
  completed_on date,
  outcome text check (outcome in ('services_to_be_provided', 'no_services_needed', 'signposted')),
  summary text check (length(summary) <= 5000),
  completed_by uuid references users (id),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check ((completed_on is null) = (outcome is null))
);
create index support_assessments_case_idx on support_assessments (case_id, requested_on desc);

-- Support plans (ASSR 2005 regs 16–19): notice of proposal, goals, reviews.
create table support_plans (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references support_cases (id),
  assessment_id uuid references support_assessments (id),
  proposal_sent_on date,
  representations_due_on date,
  agreed_on date not null,
  review_on date not null,
  summary text not null check (length(summary) between 1 and 5000),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index support_plans_case_idx on support_plans (case_id, agreed_on desc);

create table support_plan_goals (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null references support_plans (id),
  position smallint not null,
  goal text not null check (length(goal) between 1 and 1000),
  responsible text not null check (responsible in ('raa', 'council', 'provider', 'family')),
  status text not null default 'open' check (status in ('open', 'met', 'not_met', 'no_longer_needed')),
  unique (plan_id, position)
);

create table support_plan_reviews (
  id uuid primary key default gen_random_uuid(),
  plan_id uuid not null references support_plans (id),
  reviewed_on date not null,
  next_review_on date,
  note text not null check (length(note) between 1 and 5000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);

-- Liaison with the child's council (seeds' schedule, "Section 47"): who does what, each note
-- addressed to one council; councils see only the notes addressed to them. Append-only.
create table support_liaison_notes (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references support_cases (id),
  council_id uuid not null references organisations (id),
  kind text not null check (kind in ('general', 'section_47', 'services_split', 'adoption_specific_work')),
  section_47_status text check (section_47_status in ('started', 'concluded')),
  raa_actions text check (length(raa_actions) <= 2000),
  council_actions text check (length(council_actions) <= 2000),
  note text not null check (length(note) between 1 and 5000),
  recorded_by uuid references users (id),
  recorded_by_organisation_id uuid references organisations (id),
  recorded_at timestamptz not null default now(),
  check ((kind = 'section_47') = (section_47_status is not null))
);
create index support_liaison_notes_case_idx on support_liaison_notes (case_id, recorded_at);
create index support_liaison_notes_council_idx on support_liaison_notes (council_id, recorded_at desc);
create trigger support_liaison_notes_no_update before update or delete on support_liaison_notes
  for each row execute function child_journey_facts_append_only();

-- Adoption Support Fund applications (now the Adoption and Special Guardianship Support Fund).
-- Money in pence. The fund's share counts against the child's fair-access limit for the financial
-- year (April–March); the council's match funding pays the rest.
create table support_fund_applications (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references support_cases (id),
  raa_id uuid not null references organisations (id),
  support_child_id uuid not null references support_children (id),
  financial_year integer not null check (financial_year between 2015 and 2100),
  category text not null check (category in ('therapy', 'specialist_assessment')),
  service_type text not null,
  provider_id uuid references organisations (id),
  provider_name text check (length(provider_name) <= 200),
  description text not null check (length(description) between 1 and 2000),
  starts_on date not null,
  total_cost_pence integer not null check (total_cost_pence > 0),
  fund_share_pence integer not null check (fund_share_pence >= 0),
  match_funding_pence integer not null default 0 check (match_funding_pence >= 0),
  council_id uuid references organisations (id),
  exception_reason text check (length(exception_reason) <= 2000),
  status text not null default 'draft' check (status in (
    'draft', 'submitted', 'approved', 'paid', 'declined', 'withdrawn'
  )),
  submitted_on date,
  decided_on date,
  approved_pence integer check (approved_pence >= 0),
  paid_on date,
  paid_pence integer check (paid_pence >= 0),
  decline_reason text check (length(decline_reason) <= 2000),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (fund_share_pence + match_funding_pence = total_cost_pence),
  check (provider_id is not null or provider_name is not null)
);
create index support_fund_child_year_idx on support_fund_applications (support_child_id, financial_year);
create index support_fund_spend_idx on support_fund_applications (raa_id, financial_year, council_id);

create table support_fund_events (
  id uuid primary key default gen_random_uuid(),
  application_id uuid not null references support_fund_applications (id),
  from_status text,
  to_status text not null,
  note text check (length(note) <= 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index support_fund_events_application_idx on support_fund_events (application_id, recorded_at);
create trigger support_fund_events_no_update before update or delete on support_fund_events
  for each row execute function child_journey_facts_append_only();

-- The core offer: events, groups, training and newsletters, with attendance and feedback.
create table support_offer_items (
  id uuid primary key default gen_random_uuid(),
  raa_id uuid not null references organisations (id),
  kind text not null check (kind in ('event', 'group', 'training', 'newsletter')),
  audience text not null check (audience in (
    'adoptive_parents', 'children_and_young_people', 'families', 'birth_relatives', 'adopted_adults'
  )),
  title text not null check (length(title) between 1 and 200),
  held_on date not null,
  description text check (length(description) <= 2000),
  reach integer check (reach >= 0),
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index support_offer_items_raa_idx on support_offer_items (raa_id, held_on desc);

create table support_offer_attendance (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references support_offer_items (id),
  case_id uuid references support_cases (id),
  attendee text not null check (length(attendee) between 1 and 200),
  attended boolean not null,
  rating smallint check (rating between 1 and 5),
  feedback text check (length(feedback) <= 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index support_offer_attendance_item_idx on support_offer_attendance (item_id);

-- Letterbox (indirect) contact: an agreement between an adoptive family and named birth relatives
-- — who writes, who receives, in which months — and every exchange through the agency.
create table letterbox_agreements (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^LB-[A-HJ-NP-Z2-9]{6}$'),
  case_id uuid not null references support_cases (id),
  raa_id uuid not null references organisations (id),
  support_child_id uuid references support_children (id),
  months smallint[] not null check (cardinality(months) between 1 and 4 and months <@ '{1,2,3,4,5,6,7,8,9,10,11,12}'),
  starts_on date not null,
  review_on date,
  status text not null default 'active' check (status in ('active', 'ended')),
  ended_on date,
  end_reason text check (length(end_reason) <= 2000),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check ((status = 'ended') = (ended_on is not null))
);
create index letterbox_agreements_case_idx on letterbox_agreements (case_id);

-- The parties to an agreement: the adoptive family (one row; its details stay on the case) and
-- each named birth relative, with their own address for letters (need-to-know: never shown to
-- the adoptive family either). next_due_on is the first month whose exchange from this party has
-- not arrived, refreshed in the transaction that logs an exchange.
create table letterbox_parties (
  id uuid primary key default gen_random_uuid(),
  agreement_id uuid not null references letterbox_agreements (id),
  side text not null check (side in ('adoptive_family', 'birth_relative')),
  name text not null check (length(name) between 1 and 200),
  relationship text check (length(relationship) <= 100),
  writes boolean not null,
  receives boolean not null,
  address_line_1 text check (length(address_line_1) <= 200),
  address_line_2 text check (length(address_line_2) <= 200),
  town text check (length(town) <= 100),
  postcode text check (length(postcode) <= 8),
  email text check (length(email) <= 254),
  phone text check (length(phone) <= 30),
  prefers_email boolean not null default false,
  next_due_on date
);
create index letterbox_parties_agreement_idx on letterbox_parties (agreement_id);
create index letterbox_parties_due_idx on letterbox_parties (next_due_on, agreement_id) where writes;

-- Each item: received → checked by a worker (identifying details redacted) → forwarded, or held
-- with a reason; a held item is released only after a fresh check by another worker.
create table letterbox_exchanges (
  id uuid primary key default gen_random_uuid(),
  agreement_id uuid not null references letterbox_agreements (id),
  from_party_id uuid not null references letterbox_parties (id),
  for_period date not null check (extract(day from for_period) = 1),
  received_on date not null,
  original_text text not null check (length(original_text) between 1 and 20000),
  redacted_text text check (length(redacted_text) <= 20000),
  redaction_note text check (length(redaction_note) <= 2000),
  status text not null default 'received' check (status in ('received', 'checked', 'forwarded', 'held')),
  checked_by uuid references users (id),
  checked_at timestamptz,
  held_reason text check (length(held_reason) <= 2000),
  held_by uuid references users (id),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index letterbox_exchanges_agreement_idx on letterbox_exchanges (agreement_id, for_period);

create table letterbox_exchange_events (
  id uuid primary key default gen_random_uuid(),
  exchange_id uuid not null references letterbox_exchanges (id),
  action text not null check (action in (
    'received', 'checked', 'held', 'forwarded', 'acknowledged', 'held_notice'
  )),
  note text check (length(note) <= 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index letterbox_exchange_events_exchange_idx on letterbox_exchange_events (exchange_id, recorded_at);
create trigger letterbox_exchange_events_no_update before update or delete on letterbox_exchange_events
  for each row execute function child_journey_facts_append_only();

-- What Kindred produced for someone outside it: letters and emails, to whom, from which view.
-- A birth relative's output keeps only its birth-relative-safe view; a download re-produces it
-- through the guard, so a family's later move cannot slip into an old letter.
create table letterbox_outputs (
  id uuid primary key default gen_random_uuid(),
  agreement_id uuid not null references letterbox_agreements (id),
  exchange_id uuid references letterbox_exchanges (id),
  party_id uuid not null references letterbox_parties (id),
  audience text not null check (audience in ('birth_relative', 'adoptive_family')),
  kind text not null check (length(kind) between 1 and 60),
  channel text not null check (channel in ('letter', 'email')),
  view jsonb,
  subject text check (length(subject) <= 300),
  body text not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index letterbox_outputs_agreement_idx on letterbox_outputs (agreement_id, created_at);
create index letterbox_outputs_exchange_idx on letterbox_outputs (exchange_id);

-- One reminder per party, month and kind, so the daily job can run twice without repeating itself.
create table letterbox_reminders (
  id uuid primary key default gen_random_uuid(),
  agreement_id uuid not null references letterbox_agreements (id),
  party_id uuid not null references letterbox_parties (id),
  period date not null,
  kind text not null check (kind in ('due', 'missed')),
  created_at timestamptz not null default now(),
  unique (party_id, period, kind)
);

-- Birth records counselling, access to adoption records and intermediary services (ACA 2002
-- ss56–65 and Sch 2; DAI(PCA)R 2005; AIIS(PCA)R 2005): requests, checks, outcomes, dates.
create table support_record_requests (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references support_cases (id),
  raa_id uuid not null references organisations (id),
  kind text not null check (kind in ('birth_records_counselling', 'access_to_records', 'intermediary')),
  received_on date not null,
  sought_person text check (length(sought_person) <= 500),
  details text check (length(details) <= 5000),
  outcome text check (outcome in (
    'counselling_completed', 'information_disclosed', 'partly_disclosed', 'refused', 'contact_agreed',
    'contact_declined', 'not_traced', 'information_shared', 'referred_elsewhere', 'withdrawn'
  )),
  outcome_on date,
  outcome_note text check (length(outcome_note) <= 5000),
  outcome_by uuid references users (id),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check ((outcome is null) = (outcome_on is null))
);
create index support_record_requests_case_idx on support_record_requests (case_id, received_on desc);

create table support_record_checks (
  id uuid primary key default gen_random_uuid(),
  request_id uuid not null references support_record_requests (id),
  kind text not null check (kind in (
    'identity_checked', 'counselling_offered', 'counselling_held', 'views_sought', 'consent_given',
    'consent_refused', 'second_approval'
  )),
  done_on date not null,
  note text check (length(note) <= 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index support_record_checks_request_idx on support_record_checks (request_id, done_on);
create trigger support_record_checks_no_update before update or delete on support_record_checks
  for each row execute function child_journey_facts_append_only();
