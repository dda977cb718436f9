-- Children with adoption plans (issue 4). The child's council keeps case responsibility until
-- the adoption order (seeds' service schedule), so every child belongs to its responsible
-- council and is reached through it: council staff see their own council's children, RAA staff
-- the children of their RAA's member councils (design.md §3).
--
-- Restricted parts of the record live in their own tables (birth family, family-finding profile,
-- photos) so that reading them is a separate, separately permitted and audited act.

create table children (
  id uuid primary key default gen_random_uuid(),
  responsible_council_id uuid not null references organisations (id),
  -- The council's SSDA903 CHILD id: up to 10 characters, unique within the council.
  council_child_id text not null check (council_child_id ~ '^[A-Za-z0-9]{1,10}$'),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  known_as text check (length(known_as) <= 100),
  date_of_birth date not null,
  -- SSDA903 SEX: 1 male, 2 female.
  sex text not null check (sex in ('1', '2')),
  -- SSDA903 ETHNIC code list (WBRI … NOBT).
  ethnicity text not null check (ethnicity ~ '^[A-Z]{4}$'),
  languages text[] not null default '{}',
  religion text check (length(religion) <= 100),
  -- SSDA903 LS legal status (C2 care order, E1 placement order, V2 section 20 …).
  legal_status text check (legal_status ~ '^[A-Z][0-9]$'),
  council_social_worker_name text check (length(council_social_worker_name) <= 120),
  council_social_worker_email text check (length(council_social_worker_email) <= 254),
  family_finder_id uuid references users (id),
  early_permanence text not null default 'not_yet_considered'
    check (early_permanence in ('not_yet_considered', 'being_considered', 'suitable', 'not_suitable')),
  contact_plan text check (length(contact_plan) <= 5000),
  -- Needs by area (health, development, disability, education, emotional and behavioural), each
  -- with a description and whether there is uncertainty: {"health": {"description": "…", "uncertain": true}}.
  needs jsonb not null default '{}',
  family_finding_strategy text check (length(family_finding_strategy) <= 10000),

  -- Derived from the journey facts and sibling links in the same transaction that changes them,
  -- so the tracking board reads one indexed table (bench/children).
  current_stage text not null default 'early_identification',
  stage_since date,
  entered_care_date date,
  should_be_placed_date date,
  placement_order_date date,
  family_finder_allocated_date date,
  latest_cpr_date date,
  match_decision_date date,
  placed_date date,
  adoption_order_date date,
  sibling_group_size integer not null default 1,
  -- Hard-to-place tags that do not depend on today's date; "aged four or over" is worked out from
  -- date_of_birth when the board is read.
  hard_to_place_tags text[] not null default '{}',

  is_synthetic boolean not null default false,
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index children_council_child_id_key on children (responsible_council_id, council_child_id);
create index children_board_idx on children (responsible_council_id, current_stage, last_name, first_name, id);
create index children_family_finder_idx on children (family_finder_id);
create index children_placement_order_idx on children (placement_order_date);

-- Birth family details: need-to-know (design.md §3). Never shown to roles without
-- 'children:restricted'; every read audited separately.
create table child_birth_families (
  child_id uuid primary key references children (id),
  birth_mother_name text check (length(birth_mother_name) <= 120),
  birth_father_name text check (length(birth_father_name) <= 120),
  -- The postcode district the birth family lives in, for the matching engine's distance rule.
  birth_family_postcode_district text check (birth_family_postcode_district ~ '^[A-Z]{1,2}[0-9][0-9A-Z]?$'),
  other_relatives text check (length(other_relatives) <= 5000),
  notes text check (length(notes) <= 10000),
  updated_by uuid references users (id),
  updated_at timestamptz not null default now()
);

-- The family-finding profile: text shared with prospective adopters' social workers and photos.
create table child_profiles (
  child_id uuid primary key references children (id),
  profile_text text check (length(profile_text) <= 20000),
  updated_by uuid references users (id),
  updated_at timestamptz not null default now()
);

create table child_photos (
  id uuid primary key default gen_random_uuid(),
  child_id uuid not null references children (id),
  media_type text not null check (media_type in ('image/jpeg', 'image/png')),
  size_bytes integer not null check (size_bytes between 1 and 5242880),
  content bytea not null,
  description text check (length(description) <= 200),
  uploaded_by uuid references users (id),
  uploaded_at timestamptz not null default now()
);
create index child_photos_child_idx on child_photos (child_id);

-- Siblings: one row per pair (child_a_id < child_b_id), with the plan to place together or apart.
create table child_sibling_links (
  id uuid primary key default gen_random_uuid(),
  child_a_id uuid not null references children (id),
  child_b_id uuid not null references children (id),
  placement_plan text not null check (placement_plan in ('together', 'apart', 'to_be_decided')),
  reason text check (length(reason) <= 2000),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  check (child_a_id < child_b_id)
);
create unique index child_sibling_links_pair_key on child_sibling_links (child_a_id, child_b_id);
create index child_sibling_links_b_idx on child_sibling_links (child_b_id);

-- The journey as dated facts (design.md §4): a correction is a new row that supersedes an
-- earlier one with a reason; nothing is updated or deleted.
create table child_journey_facts (
  id uuid primary key default gen_random_uuid(),
  child_id uuid not null references children (id),
  kind text not null,
  effective_date date not null,
  source text not null check (length(source) between 1 and 100),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now(),
  supersedes_id uuid references child_journey_facts (id),
  correction_reason text check (length(correction_reason) <= 1000),
  plan_change_reason text check (plan_change_reason in ('RD1', 'RD2', 'RD3', 'RD4')),
  disruption_timing text check (disruption_timing in ('before_order', 'after_order')),
  note text check (length(note) <= 2000)
);
create index child_journey_facts_child_idx on child_journey_facts (child_id, effective_date);
-- A fact is superseded at most once: a second correction corrects the correction.
create unique index child_journey_facts_supersedes_key on child_journey_facts (supersedes_id);

create function child_journey_facts_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'journey facts are never changed or deleted: record a correction instead';
end $$;
create trigger child_journey_facts_no_update before update or delete on child_journey_facts
  for each row execute function child_journey_facts_append_only();

-- Work split by the service schedule (issue 4 §5): each task belongs to an organisation and,
-- once picked up, to a person; due dates are working days or months from the fact that raised it.
create table tasks (
  id uuid primary key default gen_random_uuid(),
  child_id uuid references children (id),
  kind text not null,
  title text not null check (length(title) between 1 and 200),
  owner_organisation_id uuid not null references organisations (id),
  owner_user_id uuid references users (id),
  due_date date not null,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  raised_by_fact_id uuid references child_journey_facts (id),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  completed_by uuid references users (id),
  completed_at timestamptz,
  last_reminded_on date,
  version integer not null default 1
);
-- A rule of the schedule raises one open task of its kind per child.
create unique index tasks_open_kind_key on tasks (child_id, kind) where status = 'open' and kind <> 'custom';
create index tasks_owner_user_idx on tasks (owner_user_id) where status = 'open';
create index tasks_owner_organisation_idx on tasks (owner_organisation_id, due_date) where status = 'open';
