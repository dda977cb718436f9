-- One regional pool: matching, linking and sufficiency (issue 6).
--
-- What the child's social worker records for matching (heritage, religion and language
-- considerations, the contact the plan needs, the distance rule from the birth family):
-- {"heritage":true,"religion":false,"language":true,"contactRequired":["letterbox"],"separation":"outside_district"}
alter table children add column matching jsonb not null default '{}';

-- The weights an RAA gives each consideration (matching-profiles.ts): one row per RAA, versioned
-- so two managers cannot overwrite each other; every change audited.
create table matching_weights (
  raa_id uuid primary key references organisations (id),
  weights jsonb not null,
  version integer not null default 1,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now()
);

-- A council may exclude a household from its children's searches (for example a known
-- connection to a birth family): a hard constraint in the engine.
create table matching_exclusions (
  id uuid primary key default gen_random_uuid(),
  household_id uuid not null references households (id),
  council_id uuid not null references organisations (id),
  reason text not null check (length(reason) between 1 and 2000),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  unique (household_id, council_id)
);

-- A link between a child (with the brothers and sisters to be placed with them) and a household,
-- moving through the linking workflow; each move is a row in match_link_events. 'matched' is set
-- only by the agency decision maker's match decision (the panels module), never by hand.
create table match_links (
  id uuid primary key default gen_random_uuid(),
  child_id uuid not null references children (id),
  household_id uuid not null references households (id),
  state text not null check (state in (
    'shortlisted', 'profile_shared', 'expression_of_interest', 'visits', 'link_agreed',
    'matching_meeting', 'ready_for_panel', 'matched', 'closed'
  )),
  closed_reason text check (length(closed_reason) <= 2000),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index match_links_open_pair_key on match_links (child_id, household_id) where state <> 'closed';
-- Once a link is agreed, the household is spoken for, and so is the child: a second link racing
-- to "agreed" for either fails here even if two requests pass the service's check together.
create unique index match_links_household_agreed_key on match_links (household_id)
  where state in ('link_agreed', 'matching_meeting', 'ready_for_panel', 'matched');
create unique index match_links_child_agreed_key on match_links (child_id)
  where state in ('link_agreed', 'matching_meeting', 'ready_for_panel', 'matched');
create index match_links_household_idx on match_links (household_id);

create table match_link_events (
  id uuid primary key default gen_random_uuid(),
  link_id uuid not null references match_links (id),
  from_state text,
  to_state text not null,
  -- For an expression of interest: which side expressed it.
  expressed_by text check (expressed_by in ('household', 'child_side')),
  note text check (length(note) <= 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index match_link_events_link_idx on match_link_events (link_id, recorded_at);
create trigger match_link_events_no_update before update or delete on match_link_events
  for each row execute function child_journey_facts_append_only();

-- The family-finding activity log each child needs (profiling events, publicity, profiles sent):
-- the seeds' service schedule asks for it for harder-to-place children.
create table family_finding_activities (
  id uuid primary key default gen_random_uuid(),
  child_id uuid not null references children (id),
  kind text not null check (kind in (
    'strategy_meeting', 'profiling_event', 'publicity', 'profile_sent', 'national_register', 'other'
  )),
  activity_date date not null,
  note text not null check (length(note) between 1 and 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index family_finding_activities_child_idx on family_finding_activities (child_id, activity_date);
create trigger family_finding_activities_no_update before update or delete on family_finding_activities
  for each row execute function child_journey_facts_append_only();

-- Sufficiency, worked out by a job and read by the page: aggregates and, per waiting child, counts.
create table sufficiency_snapshots (
  id uuid primary key default gen_random_uuid(),
  raa_id uuid not null references organisations (id),
  computed_at timestamptz not null default now(),
  data jsonb not null
);
create index sufficiency_snapshots_raa_idx on sufficiency_snapshots (raa_id, computed_at desc);
