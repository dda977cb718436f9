-- Whether an enquiry became a household (a registration of interest), kept on the enquiry by a
-- trigger on households, so that the conversion funnel can count enquiries that never registered
-- without an anti-join to every household on each request (bench/adopters: about a third of the
-- funnel's time on PGlite). The trigger keeps it right however a household is written: by the
-- registration service, the synthetic seeder, the demo or a restore.
alter table adopter_enquiries add column registered boolean not null default false;

update adopter_enquiries e set registered = true
where exists (select 1 from households h where h.enquiry_id = e.id);

create function households_mark_enquiry_registered() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') and old.enquiry_id is not null then
    update adopter_enquiries set registered = exists (
      select 1 from households where enquiry_id = old.enquiry_id
    ) where id = old.enquiry_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.enquiry_id is not null then
    update adopter_enquiries set registered = true where id = new.enquiry_id and not registered;
  end if;
  return null;
end $$;

create trigger households_mark_enquiry_registered
  after insert or delete or update of enquiry_id on households
  for each row execute function households_mark_enquiry_registered();

-- The funnel reads households whose journey overlaps the period (last date on or after its start,
-- first date on or before its end): with both dates in the index, the second is checked there
-- rather than on each household's row.
create index households_funnel_span_idx on households (raa_id, funnel_last_date, funnel_first_date);
drop index households_funnel_period_idx;
