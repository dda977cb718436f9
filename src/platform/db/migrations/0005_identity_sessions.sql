-- The last TOTP time step accepted for each user, so a code cannot be replayed within its
-- 30-second window (RFC 6238 §5.2; ASVS v5.0.0-6.5.1).
alter table users add column totp_last_time_step bigint;
