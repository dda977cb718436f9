-- Events and courses (issue 5 §4): information events and preparation groups the RAA runs, their
-- sessions (in person at a venue or online), bookings with a waiting list and attendance, and the
-- one-time links an enquirer books with from their email, without an account.
create table adopter_events (
  id uuid primary key default gen_random_uuid(),
  raa_id uuid not null references organisations (id),
  kind text not null check (kind in ('information_event', 'preparation_group')),
  title text not null check (length(title) between 1 and 120),
  description text check (length(description) <= 2000),
  created_by uuid references users (id),
  created_at timestamptz not null default now()
);
create index adopter_events_raa_idx on adopter_events (raa_id, created_at);

create table adopter_event_sessions (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references adopter_events (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  online boolean not null,
  venue_name text check (length(venue_name) <= 120),
  venue_address text check (length(venue_address) <= 500),
  -- Shown only to people with a place.
  meeting_link text check (length(meeting_link) <= 500),
  capacity integer not null check (capacity between 1 and 1000),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check (online or venue_name is not null)
);
create index adopter_event_sessions_event_idx on adopter_event_sessions (event_id, starts_at);

create table adopter_event_bookings (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references adopter_event_sessions (id) on delete cascade,
  enquiry_id uuid references adopter_enquiries (id) on delete set null,
  name text not null check (length(name) between 1 and 120),
  email text not null check (length(email) between 3 and 254),
  status text not null check (status in ('booked', 'waiting', 'cancelled', 'attended', 'did_not_attend')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  version integer not null default 1
);
create index adopter_event_bookings_session_idx on adopter_event_bookings (session_id, status, created_at);

-- Only the SHA-256 digest of a link's token is stored. A link belongs to one event and one person;
-- it books once (booking_id), shows that booking, and is spent when the booking is cancelled.
create table adopter_event_links (
  token_hash text primary key,
  event_id uuid not null references adopter_events (id) on delete cascade,
  enquiry_id uuid references adopter_enquiries (id) on delete set null,
  name text not null check (length(name) between 1 and 120),
  email text not null check (length(email) between 3 and 254),
  booking_id uuid references adopter_event_bookings (id) on delete set null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index adopter_event_links_enquiry_idx on adopter_event_links (enquiry_id);
