-- Whether each prospective adopter considers themselves to have a disability, for Ofsted's
-- Annex A List 11 "Disability" column and the board's equalities monitoring. Self-declared,
-- against the Equality Act 2010 s.6 definition. Null means the question has not been asked yet;
-- 'not_stated' means it was asked and the applicant preferred not to say.
alter table household_applicants
  add column disability text check (disability in ('yes', 'no', 'not_stated'));
