-- Performance reports and statutory returns (issue 9 §4–§5).
--
-- The head of service's commentary on a report: one text per report, organisation and period
-- (a council's quarterly report for '2026-Q2', an RAA's monthly tracking report for '2026-05'),
-- versioned so that two people editing at once do not overwrite each other. Every save audited.
create table report_commentaries (
  id uuid primary key default gen_random_uuid(),
  report_kind text not null check (report_kind in ('quarterly', 'tracking')),
  organisation_id uuid not null references organisations (id),
  period text not null check (period ~ '^[0-9]{4}-(Q[1-4]|[0-9]{2})$'),
  body text not null check (length(body) <= 10000),
  version integer not null default 1,
  updated_by uuid references users (id),
  updated_at timestamptz not null default now(),
  unique (report_kind, organisation_id, period)
);

-- Each download of a child- or adopter-level return is personal data leaving the system: the
-- audit event names the export, and the export names every child or household in it, so "who
-- saw this record" can be answered for returns too (design.md §3; issue 9 §5).
create table return_exports (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('asglb-children', 'asglb-adopters', 'ofsted-list-10', 'ofsted-list-11')),
  period text not null check (period ~ '^[0-9]{4}-Q[1-4]$'),
  format text not null check (format in ('xlsx', 'csv')),
  row_count integer not null check (row_count >= 0),
  problem_count integer not null check (problem_count >= 0),
  exported_by uuid references users (id),
  exported_at timestamptz not null default now()
);
create index return_exports_exported_at_idx on return_exports (exported_at);

create table return_export_subjects (
  export_id uuid not null references return_exports (id),
  subject_type text not null check (subject_type in ('child', 'household')),
  subject_id uuid not null,
  primary key (export_id, subject_type, subject_id)
);
create index return_export_subjects_subject_idx on return_export_subjects (subject_type, subject_id);
