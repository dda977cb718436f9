-- The conversion funnel reads only the households and enquiries with something in the period it
-- shows (issue 5 §5, bench/adopters goal p95 ≤ 150 ms over 20,000 households). Each household
-- keeps its enquiry date and the first and last dates of its journey, so a year's funnel is an
-- index range on the household's last date rather than a scan of every household joined to every
-- enquiry; closed enquiries are found by the day they were closed.
alter table households
  add column funnel_enquiry_date date,
  add column funnel_first_date date,
  add column funnel_last_date date,
  -- The enquiry form's answers for a household that came through it (the form is not edited
  -- afterwards), so the funnel need not join every enquiry to every household.
  add column funnel_enquiry_council_id uuid references organisations (id),
  add column funnel_enquiry_heard_from text;

create or replace function refresh_household_funnel(household_ids uuid[]) returns void language sql as $$
  update households h set
    funnel_enquiry_fact_date = s.enquiry_fact_date,
    funnel_registration_date = s.registration_date,
    funnel_stage_one_date = s.stage_one_date,
    funnel_stage_two_date = s.stage_two_date,
    funnel_approval_date = s.approval_date,
    funnel_withdrawn_date = left(s.withdrawn, 10)::date,
    funnel_withdrawal_reason = substr(s.withdrawn, 12),
    funnel_declined_date = s.declined_date,
    funnel_not_suitable_date = s.not_suitable_date,
    funnel_not_approved_date = s.not_approved_date,
    -- The enquiry form's date when the household came through it, else the recorded enquiry fact.
    funnel_enquiry_date = coalesce(s.enquiry_form_date, s.enquiry_fact_date),
    funnel_enquiry_council_id = s.enquiry_council_id,
    funnel_enquiry_heard_from = s.enquiry_heard_from,
    funnel_first_date = least(coalesce(s.enquiry_form_date, s.enquiry_fact_date), s.registration_date,
      s.stage_one_date, s.stage_two_date, s.approval_date, left(s.withdrawn, 10)::date, s.declined_date,
      s.not_suitable_date, s.not_approved_date),
    funnel_last_date = greatest(coalesce(s.enquiry_form_date, s.enquiry_fact_date), s.registration_date,
      s.stage_one_date, s.stage_two_date, s.approval_date, left(s.withdrawn, 10)::date, s.declined_date,
      s.not_suitable_date, s.not_approved_date)
  from (
    select one.id as household_id,
      (min(e.created_at) at time zone 'Europe/London')::date as enquiry_form_date,
      min(e.council_id::text)::uuid as enquiry_council_id,
      min(e.heard_from) as enquiry_heard_from,
      min(f.effective_date) filter (where f.kind = 'enquiry') as enquiry_fact_date,
      min(f.effective_date) filter (where f.kind = 'registration_of_interest_received') as registration_date,
      min(f.effective_date) filter (where f.kind = 'stage_one_started') as stage_one_date,
      min(f.effective_date) filter (where f.kind = 'stage_two_notified') as stage_two_date,
      min(f.effective_date) filter (where f.kind = 'agency_decision' and f.details->>'agencyDecision' = 'approved') as approval_date,
      -- The earliest withdrawal in force, with its reason: 'YYYY-MM-DD reason'.
      min(f.effective_date::text || ' ' || coalesce(f.details->>'withdrawalReason', 'other'))
        filter (where f.kind = 'withdrawn') as withdrawn,
      min(f.effective_date) filter (where f.kind = 'registration_of_interest_decision' and f.details->>'registrationDecision' = 'declined') as declined_date,
      min(f.effective_date) filter (where f.kind = 'stage_one_outcome' and f.details->>'stageOneOutcome' = 'not_suitable') as not_suitable_date,
      min(f.effective_date) filter (where f.kind = 'agency_decision' and f.details->>'agencyDecision' = 'not_approved') as not_approved_date
    from households one
    left join adopter_enquiries e on e.id = one.enquiry_id
    left join household_facts f on f.household_id = one.id
      and f.kind in ('enquiry', 'registration_of_interest_received', 'stage_one_started', 'stage_two_notified',
                     'agency_decision', 'withdrawn', 'registration_of_interest_decision', 'stage_one_outcome')
      and not exists (select 1 from household_facts c where c.supersedes_id = f.id)
    where one.id = any(household_ids)
    group by one.id
  ) s
  where h.id = s.household_id;
$$;

select refresh_household_funnel(array(select id from households));

create index households_funnel_period_idx on households (raa_id, funnel_last_date);
create index adopter_enquiries_closed_idx on adopter_enquiries (raa_id, (coalesce(triaged_at, created_at)))
  where status = 'closed';
