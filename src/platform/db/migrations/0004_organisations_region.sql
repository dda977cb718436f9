-- Councils' DfE LA codes and ONS codes stay unique, but the check can wait until commit: a
-- region file that corrects two councils' swapped codes then loads in its one transaction
-- (issue 2 §2). The constraints are immediate unless a transaction defers them, as the region
-- loader does; a unique constraint, unlike the partial indexes it replaces, allows many nulls.
drop index organisations_la_code_key;
drop index organisations_ons_code_key;

alter table organisations
  add constraint organisations_la_code_key unique (la_code) deferrable initially immediate,
  add constraint organisations_ons_code_key unique (ons_code) deferrable initially immediate;
