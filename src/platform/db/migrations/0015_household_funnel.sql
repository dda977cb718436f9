-- The conversion funnel's milestones for each household (issue 5 §5, bench/adopters), kept beside
-- the household like the children's board columns, so the funnel reads one table instead of
-- aggregating every household's facts on each request. They are the facts in force (none that a
-- correction supersedes), refreshed by refresh_household_funnel in the transaction that records a
-- fact, and worked out here once for the households that exist.
alter table households
  add column funnel_enquiry_fact_date date,
  add column funnel_registration_date date,
  add column funnel_stage_one_date date,
  add column funnel_stage_two_date date,
  add column funnel_approval_date date,
  add column funnel_withdrawn_date date,
  add column funnel_withdrawal_reason text,
  add column funnel_declined_date date,
  add column funnel_not_suitable_date date,
  add column funnel_not_approved_date date;

create function refresh_household_funnel(household_ids uuid[]) returns void language sql as $$
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
    funnel_not_approved_date = s.not_approved_date
  from (
    select one.id as household_id,
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
