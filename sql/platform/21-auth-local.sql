-- Tables the local Auth service (devstack/stack/auth) needs beyond 20-auth.sql. Where Supabase Auth
-- (GoTrue) has an equivalent, the table has GoTrue's name and columns; anything only the local
-- stand-in needs is marked as such in its comment. Never applied to a hosted project.

-- ============================================================================================
-- Types
-- ============================================================================================

create type auth.one_time_token_type as enum (
  'confirmation_token',
  'reauthentication_token',
  'recovery_token',
  'email_change_token_new',
  'email_change_token_current',
  'phone_change_token'
);

-- ============================================================================================
-- Tables
-- ============================================================================================

-- GoTrue's table of outstanding one-time codes (hash only, never the code itself).
create table auth.one_time_tokens (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  token_type auth.one_time_token_type not null,
  token_hash text not null check (char_length(token_hash) > 0),
  relates_to text not null,
  created_at timestamp not null default now(),
  updated_at timestamp not null default now(),
  -- Local stand-in only: wrong guesses so far; the code is spent once it reaches the limit.
  failed_attempts smallint not null default 0,
  unique (user_id, token_type)
);
create index one_time_tokens_token_hash_hash_idx on auth.one_time_tokens using hash (token_hash);
create index one_time_tokens_relates_to_hash_idx on auth.one_time_tokens using hash (relates_to);
comment on table auth.one_time_tokens is
  'Auth: outstanding one-time codes, stored as sha224(phone || code); failed_attempts is local only.';
comment on column auth.one_time_tokens.created_at is
  'When the code was sent; it expires otp_expiry seconds later (tests backdate this column).';

-- GoTrue's record of how each session was authenticated: the `amr` claim of its access tokens.
create table auth.mfa_amr_claims (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references auth.sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  authentication_method text not null,
  unique (session_id, authentication_method)
);
comment on table auth.mfa_amr_claims is
  'Auth: authentication methods (password, otp) behind each session, for the amr claim.';

-- Local stand-in only: one row per SMS code handed to the Send-SMS hook. Rate limits are counted
-- from these rows (per project, phone and client IP), so tests backdate them instead of sleeping.
create table auth.sms_sends (
  id bigint generated always as identity primary key,
  phone text not null,
  ip inet,
  sent_at timestamptz not null default now()
);
create index sms_sends_sent_at_idx on auth.sms_sends (sent_at);
create index sms_sends_phone_sent_at_idx on auth.sms_sends (phone, sent_at);
comment on table auth.sms_sends is
  'Local Auth only: SMS codes sent; the source of the per-project, per-phone and per-IP limits.';
