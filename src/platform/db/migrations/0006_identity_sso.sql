-- Whether a provider's sign-in must show evidence of a second factor (security.md AU-1): the
-- ID token's amr must include mfa, otp or hwk, or its acr must equal required_acr when set.
alter table identity_providers add column require_mfa boolean not null default true;
alter table identity_providers add column required_acr text;
