-- Staff identity: accounts belong to one organisation and hold roles (issue 3 §1).
-- Secrets are never stored in the clear: passwords as argon2id hashes, session and one-time
-- tokens as SHA-256 digests, TOTP secrets encrypted with a key derived from KINDRED_SECRET.

create table users (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  email text not null check (email = lower(email) and length(email) between 3 and 254),
  name text not null check (length(name) between 1 and 120),
  password_hash text,
  totp_secret_encrypted text,
  totp_enrolled_at timestamptz,
  status text not null default 'invited' check (status in ('invited', 'active', 'deactivated')),
  failed_sign_ins integer not null default 0,
  throttled_until timestamptz,
  last_sign_in_at timestamptz,
  is_demo boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_key on users (email);
create index users_organisation_idx on users (organisation_id);

create table user_roles (
  user_id uuid not null references users (id),
  role text not null,
  granted_by uuid references users (id),
  granted_at timestamptz not null default now(),
  primary key (user_id, role)
);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique,
  user_id uuid not null references users (id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  -- Null until the second factor is satisfied; a session without it reaches only the second-factor pages.
  second_factor text check (second_factor in ('totp', 'recovery_code', 'oidc', 'demo_skipped')),
  ip text,
  user_agent text,
  ended_at timestamptz,
  ended_reason text
);
create index sessions_user_idx on sessions (user_id) where ended_at is null;

create table recovery_codes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id),
  code_hash text not null,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index recovery_codes_user_idx on recovery_codes (user_id) where used_at is null;

create table one_time_tokens (
  token_hash text primary key,
  purpose text not null check (purpose in ('invitation', 'password_reset')),
  user_id uuid not null references users (id),
  created_by uuid references users (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index one_time_tokens_user_idx on one_time_tokens (user_id, purpose);

-- Single sign-on through an organisation's own OpenID Connect provider (issue 3 §3).
create table identity_providers (
  organisation_id uuid primary key references organisations (id),
  issuer text not null,
  client_id text not null,
  client_secret_encrypted text,
  display_name text not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- A staff account linked to a subject at its organisation's provider. Roles always come from
-- Kindred, never from the provider's claims.
create table user_external_identities (
  user_id uuid not null references users (id),
  issuer text not null,
  subject text not null,
  linked_at timestamptz not null default now(),
  primary key (issuer, subject)
);
create index user_external_identities_user_idx on user_external_identities (user_id);
