-- The RAA's front door (issue 5 §1): enquiries from members of the public about adopting, made
-- without signing in, waiting in the RAA's triage queue. The council of residence is derived from
-- the postcode district and the region file's list of districts per council.
create table adopter_enquiries (
  id uuid primary key default gen_random_uuid(),
  -- Shown to the enquirer and quoted when they phone: short, unambiguous, not guessable as a sequence.
  reference text not null unique check (reference ~ '^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$'),
  raa_id uuid references organisations (id),
  council_id uuid references organisations (id),
  name text not null check (length(name) between 1 and 120),
  email text not null check (length(email) between 3 and 254),
  phone text check (length(phone) <= 30),
  postcode text not null check (length(postcode) between 5 and 8),
  postcode_district text not null,
  applying_as text not null check (applying_as in ('single', 'couple')),
  previous_experience text not null check (previous_experience in ('none', 'adopted', 'foster_carer')),
  heard_from text not null,
  message text check (length(message) <= 2000),
  status text not null default 'new' check (status in ('new', 'contacted', 'invited', 'closed')),
  closed_reason text check (length(closed_reason) <= 500),
  triage_note text check (length(triage_note) <= 2000),
  triaged_by uuid references users (id),
  triaged_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now()
);
create index adopter_enquiries_queue_idx on adopter_enquiries (raa_id, status, created_at);
-- Duplicate submissions from one address within minutes are answered with the first enquiry.
create index adopter_enquiries_email_idx on adopter_enquiries (lower(email), created_at);
