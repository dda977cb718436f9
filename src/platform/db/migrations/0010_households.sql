-- Prospective adopters (issue 5 §2–§3): one or two applicants in a household, the household's
-- record, and its journey as dated facts (design.md §4), like a child's. A registration of interest
-- turns an enquiry into a household; the enquiry is then kept (retention applies only to people
-- who never registered).
create table households (
  id uuid primary key default gen_random_uuid(),
  reference text not null unique check (reference ~ '^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$'),
  raa_id uuid not null references organisations (id),
  council_id uuid references organisations (id),
  enquiry_id uuid unique references adopter_enquiries (id),
  -- SSDA903 AD1 LS_ADOPTR: L0 single, L11/L12 married (different/same gender), L2 civil
  -- partnership, L3/L4 unmarried couple (different/same gender).
  relationship_status text not null check (relationship_status in ('L0', 'L11', 'L12', 'L2', 'L3', 'L4')),
  address_line_1 text check (length(address_line_1) <= 200),
  address_line_2 text check (length(address_line_2) <= 200),
  town text check (length(town) <= 100),
  postcode text not null check (length(postcode) between 5 and 8),
  postcode_district text not null,
  children_in_household text check (length(children_in_household) <= 2000),
  support_network text check (length(support_network) <= 5000),
  -- What they can offer: {"ageFrom":0,"ageTo":4,"maxChildren":2,"siblingGroups":true,
  -- "needsCanMeet":"…","needsCannotMeet":"…","earlyPermanence":true,"contact":"…"}
  offer jsonb not null default '{}',
  previous_adopter boolean not null default false,
  approved_foster_carer boolean not null default false,
  heard_from text,
  assessing_social_worker_id uuid references users (id),
  -- Derived from the facts in the transaction that changes them, for the pipeline list.
  current_stage text not null default 'enquiry',
  stage_since date,
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index households_pipeline_idx on households (raa_id, current_stage);

create table household_applicants (
  id uuid primary key default gen_random_uuid(),
  household_id uuid not null references households (id),
  position smallint not null check (position in (1, 2)),
  first_name text not null check (length(first_name) between 1 and 100),
  last_name text not null check (length(last_name) between 1 and 100),
  date_of_birth date not null,
  sex text not null check (sex in ('1', '2')),
  ethnicity text not null check (ethnicity ~ '^[A-Z]{4}$'),
  religion text check (length(religion) <= 100),
  languages text[] not null default '{}',
  health text check (length(health) <= 5000),
  employment text check (length(employment) <= 1000),
  unique (household_id, position)
);

create table household_facts (
  id uuid primary key default gen_random_uuid(),
  household_id uuid not null references households (id),
  kind text not null,
  effective_date date not null,
  source text not null check (length(source) between 1 and 100),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now(),
  supersedes_id uuid references household_facts (id),
  correction_reason text check (length(correction_reason) <= 1000),
  -- The kind's own fields (decision, check, outcome, reason codes, clock, days), as pipeline.ts names them.
  details jsonb not null default '{}'
);
create index household_facts_household_idx on household_facts (household_id, effective_date);
create unique index household_facts_supersedes_key on household_facts (supersedes_id);
create trigger household_facts_no_update before update or delete on household_facts
  for each row execute function child_journey_facts_append_only();
