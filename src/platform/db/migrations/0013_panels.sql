-- Adoption panels and agency decisions (issue 7): the RAA's central list of people who may sit
-- (AAR 2005 reg 3), its panels (one per spoke in the seeds), sittings with their agendas, papers,
-- attendance and conflicts of interest, minutes with the chair's sign-off and amendments, the
-- agency decision maker's decision on each item, decision letters, and the escalations of late
-- decisions. Panels recommend; they never decide (domain.md §1, §4).

-- A panel belongs to a spoke (or to the RAA itself). A joint panel (set up by several agencies)
-- may need a higher quorum (panel-rules.ts, "(confirm)").
create table panels (
  id uuid primary key default gen_random_uuid(),
  raa_id uuid not null references organisations (id),
  organisation_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 120),
  joint boolean not null default false,
  active boolean not null default true,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  unique (raa_id, name)
);

-- The central list: people the agency considers suitable to sit, and its advisers. They need not
-- be Kindred users; one may be linked to a user with the panel_member role (who then sees the
-- sittings they are invited to and may sign off as chair).
create table panel_members (
  id uuid primary key default gen_random_uuid(),
  raa_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 120),
  role text not null check (role in (
    'independent_chair', 'vice_chair', 'social_worker', 'independent_member', 'other_member',
    'medical_adviser', 'legal_adviser', 'panel_adviser', 'panel_administrator'
  )),
  organisation text check (length(organisation) <= 200),
  email text check (length(email) <= 254),
  -- Independent members with personal experience of adoption (statutory guidance ch. 1).
  lived_experience text check (lived_experience in ('adopted_adult', 'adoptive_parent', 'birth_relative', 'other')),
  -- For the quorum's social worker with three years' post-qualifying experience (reg 6).
  social_work_qualified_on date,
  appointed_on date not null,
  review_due date not null,
  left_on date,
  user_id uuid references users (id),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index panel_members_raa_idx on panel_members (raa_id, name);
create unique index panel_members_user_key on panel_members (user_id) where user_id is not null;

create function panels_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'panel records of this kind are never changed or deleted: add a new one instead';
end $$;

create table panel_member_training (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references panel_members (id),
  course text not null check (length(course) between 1 and 200),
  completed_on date not null,
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index panel_member_training_member_idx on panel_member_training (member_id, completed_on);
create trigger panel_member_training_no_update before update or delete on panel_member_training
  for each row execute function panels_append_only();

create table panel_member_interests (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references panel_members (id),
  declared_on date not null,
  description text not null check (length(description) between 1 and 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index panel_member_interests_member_idx on panel_member_interests (member_id, declared_on);
create trigger panel_member_interests_no_update before update or delete on panel_member_interests
  for each row execute function panels_append_only();

create table panel_sittings (
  id uuid primary key default gen_random_uuid(),
  panel_id uuid not null references panels (id),
  sitting_date date not null,
  starts_at text check (starts_at ~ '^[0-2][0-9]:[0-5][0-9]$'),
  venue text check (length(venue) <= 200),
  status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
  -- Set when attendance is recorded: who chairs (the chair, or a vice chair in their absence).
  attendance_recorded_at timestamptz,
  chaired_by_member_id uuid references panel_members (id),
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index panel_sittings_panel_idx on panel_sittings (panel_id, sitting_date);

-- Who is asked to sit, whether they came, and when they had the papers.
create table panel_sitting_members (
  sitting_id uuid not null references panel_sittings (id),
  member_id uuid not null references panel_members (id),
  attendance text not null default 'invited' check (attendance in ('invited', 'present', 'apologies', 'absent')),
  papers_sent_on date,
  papers_received_on date,
  primary key (sitting_id, member_id)
);
create index panel_sitting_members_member_idx on panel_sitting_members (member_id);

create table panel_agenda_items (
  id uuid primary key default gen_random_uuid(),
  sitting_id uuid not null references panel_sittings (id),
  position integer not null check (position between 1 and 100),
  kind text not null check (kind in (
    'adopter_approval', 'match', 'relinquished_plan', 'approval_review', 'approval_termination'
  )),
  household_id uuid references households (id),
  child_id uuid references children (id),
  match_link_id uuid references match_links (id),
  status text not null default 'listed' check (status in ('listed', 'removed')),
  added_by uuid references users (id),
  added_at timestamptz not null default now(),
  check (
    (kind in ('adopter_approval', 'approval_review', 'approval_termination')
      and household_id is not null and child_id is null and match_link_id is null)
    or (kind = 'match' and household_id is not null and child_id is not null and match_link_id is not null)
    or (kind = 'relinquished_plan' and child_id is not null and household_id is null and match_link_id is null)
  )
);
create index panel_agenda_items_sitting_idx on panel_agenda_items (sitting_id, position);
create index panel_agenda_items_household_idx on panel_agenda_items (household_id) where household_id is not null;
create index panel_agenda_items_child_idx on panel_agenda_items (child_id) where child_id is not null;

-- Papers for an item: PDF or Word (.docx) only, checked by their first bytes, at most 10 MB.
create table panel_papers (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_agenda_items (id),
  title text not null check (length(title) between 1 and 200),
  media_type text not null check (media_type in (
    'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  )),
  size_bytes integer not null check (size_bytes between 1 and 10485760),
  content bytea not null,
  uploaded_by uuid references users (id),
  uploaded_at timestamptz not null default now()
);
create index panel_papers_item_idx on panel_papers (item_id, uploaded_at);

create table panel_conflicts (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_agenda_items (id),
  member_id uuid not null references panel_members (id),
  description text not null check (length(description) between 1 and 2000),
  -- A member who withdraws from the item does not count towards its quorum.
  withdrew boolean not null,
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now(),
  unique (item_id, member_id)
);

-- The minute of one item: the recommendation, its reasons and any dissent (domain.md §4).
create table panel_minutes (
  item_id uuid primary key references panel_agenda_items (id),
  recommendation text not null check (recommendation in ('in_favour', 'not_in_favour', 'deferred')),
  reasons text not null check (length(reasons) between 1 and 10000),
  dissent text check (length(dissent) <= 5000),
  conditions text check (length(conditions) <= 5000),
  votes_for integer check (votes_for between 0 and 50),
  votes_against integer check (votes_against between 0 and 50),
  abstentions integer check (abstentions between 0 and 50),
  version integer not null default 1,
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- The chair's sign-off makes these the final minutes; the decision clock starts from it.
  signed_off_at timestamptz,
  signed_off_on date,
  signed_off_by uuid references users (id),
  signed_off_for_member_id uuid references panel_members (id),
  amendment_count integer not null default 0
);

-- After sign-off a minute changes only through a recorded amendment, made in the same
-- transaction (issue 7 §3): the database refuses any other change, and any deletion.
create function panel_minutes_signed_off_guard() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'minutes are never deleted';
  end if;
  if old.signed_off_at is not null then
    if new.signed_off_at is distinct from old.signed_off_at
       or new.recommendation <> old.recommendation
       or new.amendment_count <> old.amendment_count + 1 then
      raise exception 'a signed-off minute changes only by a recorded amendment';
    end if;
  end if;
  return new;
end $$;
create trigger panel_minutes_guard before update or delete on panel_minutes
  for each row execute function panel_minutes_signed_off_guard();

create table panel_minute_amendments (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_minutes (item_id),
  -- {"reasons": {"from": "…", "to": "…"}}
  changes jsonb not null,
  reason text not null check (length(reason) between 1 and 2000),
  amended_by uuid references users (id),
  amended_at timestamptz not null default now()
);
create index panel_minute_amendments_item_idx on panel_minute_amendments (item_id, amended_at);
create trigger panel_minute_amendments_no_update before update or delete on panel_minute_amendments
  for each row execute function panels_append_only();

-- Quality issues the panel raises about what came before it (NMS 17.2; the six-monthly report).
create table panel_quality_issues (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_agenda_items (id),
  category text not null check (category in (
    'report_quality', 'missing_information', 'late_papers', 'analysis', 'other'
  )),
  note text check (length(note) <= 2000),
  recorded_by uuid references users (id),
  recorded_at timestamptz not null default now()
);
create index panel_quality_issues_item_idx on panel_quality_issues (item_id);

-- The agency decision maker's decision on an item: one per item, whatever two people try at once.
create table panel_decisions (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_agenda_items (id),
  outcome text not null check (outcome in (
    'approved', 'qualifying_determination', 'approval_continues', 'approval_ended',
    'match_agreed', 'match_not_agreed', 'should_be_placed', 'should_not_be_placed'
  )),
  reasons text not null check (length(reasons) between 1 and 10000),
  decided_on date not null,
  due_on date not null,
  agrees_with_recommendation boolean not null,
  decided_by uuid not null references users (id),
  decision_maker_organisation_id uuid not null references organisations (id),
  created_at timestamptz not null default now()
);
create unique index panel_decisions_item_key on panel_decisions (item_id);

-- After a qualifying determination (reg 30B(5)): the applicants' 40 working days, the route they
-- chose (representations to the agency decision maker, or the Independent Review Mechanism; not
-- both), and the final decision.
create table panel_determinations (
  decision_id uuid primary key references panel_decisions (id),
  representations_due date not null,
  route text check (route in ('representations_to_agency', 'independent_review_mechanism')),
  route_requested_on date,
  route_recorded_by uuid references users (id),
  final_outcome text check (final_outcome in ('approved', 'not_approved')),
  final_reasons text check (length(final_reasons) <= 10000),
  final_decided_on date,
  final_decided_by uuid references users (id)
);

create table panel_letters (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_agenda_items (id),
  decision_id uuid not null references panel_decisions (id),
  template text not null,
  file_name text not null check (length(file_name) between 1 and 200),
  size_bytes integer not null,
  content bytea not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index panel_letters_item_idx on panel_letters (item_id, created_at);
create trigger panel_letters_no_update before update or delete on panel_letters
  for each row execute function panels_append_only();

-- Escalations of decisions not made within the time after the final minutes (the daily job).
create table panel_decision_escalations (
  id uuid primary key default gen_random_uuid(),
  item_id uuid not null references panel_agenda_items (id),
  escalated_on date not null,
  recipients integer not null,
  created_at timestamptz not null default now(),
  unique (item_id, escalated_on)
);
