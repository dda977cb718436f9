-- Organisations form a tree: hub → RAA → spoke → member local authority, with teams inside
-- spokes and partner agencies (VAAs, adoption support agencies, the hub's other RAAs) beside it.
-- design.md §3. The region file's `code` is the stable key that makes loading idempotent.

create table organisations (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  kind text not null check (kind in (
    'hub', 'raa', 'spoke', 'local_authority', 'team',
    'voluntary_adoption_agency', 'adoption_support_agency', 'partner_raa'
  )),
  name text not null check (length(name) between 1 and 200),
  parent_id uuid references organisations (id),
  -- The RAA this organisation belongs to or partners with (null for the hub itself).
  raa_id uuid references organisations (id),
  -- DfE three-digit local authority code and ONS GSS code, for member councils only.
  la_code text check (la_code ~ '^[0-9]{3}$'),
  ons_code text check (ons_code ~ '^E0[6-9][0-9]{6}$'),
  is_host boolean not null default false,
  postcode_districts text[] not null default '{}',
  contact_email text,
  contact_phone text,
  website text,
  is_demo boolean not null default false,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'local_authority') = (la_code is not null)),
  check (kind = 'hub' or parent_id is not null or kind in ('voluntary_adoption_agency', 'adoption_support_agency', 'partner_raa', 'raa'))
);

create unique index organisations_la_code_key on organisations (la_code) where la_code is not null;
create unique index organisations_ons_code_key on organisations (ons_code) where ons_code is not null;
create index organisations_parent_idx on organisations (parent_id);
create index organisations_raa_idx on organisations (raa_id);

-- Key/value facts about this installation (e.g. which region file was loaded, and its hash).
create table installation_settings (
  key text primary key,
  value text not null,
  updated_at timestamptz not null default now()
);
