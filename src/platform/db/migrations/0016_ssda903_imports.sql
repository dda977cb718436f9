-- SSDA903 imports (issue 9 §1). A council's return is uploaded (or given to `kindred import
-- ssda903`), read, validated and imported as one job. The job's row is its progress and its
-- result; the files wait in the database, not in the job's payload, because pg-boss's schema is
-- outside the audit trail and the backups (job-queue.ts), and so that a restart loses nothing.
-- Every import belongs to the council whose return it is: it is reached through that council's
-- scope, like the council's children (design.md §3; security.md AC-2).

create table ssda903_imports (
  id uuid primary key default gen_random_uuid(),
  council_id uuid not null references organisations (id),
  -- Null for `kindred import ssda903`, which acts as the installation (audited as such).
  requested_by uuid references users (id),
  requested_at timestamptz not null default now(),
  -- 'upload' from the page, 'command' from the CLI.
  origin text not null check (origin in ('upload', 'command')),
  -- The collection year the facts are recorded under ('2025-26' → source 'SSDA903 2025-26 return').
  collection_year text not null check (collection_year ~ '^[0-9]{4}-[0-9]{2}$'),
  -- The person chose to import only the children without errors.
  valid_only boolean not null default false,
  status text not null default 'queued' check (status in (
    'queued', 'reading', 'validating', 'needs-choice', 'importing', 'imported', 'refused', 'failed')),
  children_total integer not null default 0 check (children_total >= 0),
  children_done integer not null default 0 check (children_done >= 0),
  children_created integer not null default 0,
  children_updated integer not null default 0,
  children_unchanged integer not null default 0,
  children_skipped integer not null default 0,
  -- Children in the return with no adoption milestone (not brought into Kindred's board).
  children_not_adoption integer not null default 0,
  facts_added integer not null default 0,
  error_count integer not null default 0,
  -- Problems with the files themselves (ReadProblem[]), fatal or not.
  read_problems jsonb not null default '[]',
  -- Children skipped and why: [{"child": "A123", "reasons": ["…"]}], at most the first 5,000.
  skipped jsonb not null default '[]',
  -- One sentence for the page when the job failed or was refused.
  message text check (length(message) <= 2000),
  finished_at timestamptz,
  version integer not null default 1
);
create index ssda903_imports_council_idx on ssda903_imports (council_id, requested_at desc);

-- The uploaded files, in the order they were chosen. Kept after the import as the evidence of
-- what was imported; they go with the import (and the backups) like any other record.
create table ssda903_import_files (
  import_id uuid not null references ssda903_imports (id),
  position integer not null check (position >= 0),
  file_name text not null check (length(file_name) between 1 and 255),
  size_bytes integer not null check (size_bytes >= 0),
  content bytea not null,
  primary key (import_id, position)
);

-- The validation errors of an import, one row per error as `kindred ssda903 validate --json`
-- reports it, so the page can group them and the error report can be streamed.
create table ssda903_import_errors (
  import_id uuid not null references ssda903_imports (id),
  position integer not null check (position >= 0),
  code text not null check (length(code) <= 20),
  table_name text not null check (length(table_name) <= 20),
  row_number integer not null,
  child text check (length(child) <= 100),
  fields text[] not null default '{}',
  message text not null check (length(message) <= 1000),
  primary key (import_id, position)
);
create index ssda903_import_errors_rule_idx on ssda903_import_errors (import_id, table_name, code);
