-- The audit trail: append-only and hash-chained (security.md LG-1..LG-4, issue 3 §6).
-- Each row's hash is HMAC-SHA-256 over the previous row's hash and a canonical serialisation of
-- the row, so editing or removing any row breaks the chain from that row on. Rows hold who did
-- what to which record, never the record's content.

create table audit_events (
  seq bigint primary key check (seq > 0),
  occurred_at timestamptz not null,
  actor_user_id uuid,
  actor_organisation_id uuid,
  actor_roles text[] not null default '{}',
  action text not null check (action ~ '^[a-z][a-z0-9_.-]{1,80}$'),
  outcome text not null check (outcome in ('success', 'denied', 'failed')),
  subject_type text check (subject_type ~ '^[a-z][a-z0-9_]{1,40}$'),
  subject_id text check (length(subject_id) <= 100),
  subject_organisation_id uuid,
  reason text check (length(reason) <= 500),
  ip text check (length(ip) <= 64),
  user_agent text check (length(user_agent) <= 300),
  correlation_id text check (length(correlation_id) <= 100),
  alg text not null,
  prev_hash text not null,
  hash text not null unique
);

create index audit_events_subject_idx on audit_events (subject_type, subject_id, seq);
create index audit_events_actor_idx on audit_events (actor_user_id, seq);

create function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % is not allowed', tg_op using errcode = '42501';
end;
$$;

create trigger audit_events_no_update before update or delete on audit_events
  for each row execute function audit_events_refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function audit_events_refuse_change();
