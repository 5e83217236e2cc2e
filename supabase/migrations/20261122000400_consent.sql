-- Consent: messaging settings, the consent ledger with its derived current state, suppressions,
-- and the messaging rules that decide who may be texted when (docs/compliance.md): STOP/START/HELP
-- keywords and quiet hours, as pure functions every later area shares.
--
-- The ledger (consent_events) is append-only and is the source of truth per contact × channel;
-- contact_consents is the latest event per contact × channel, kept by a trigger and indexed for
-- snapshots and claims. Suppressions are per address (a dead number, a bounced mailbox) and
-- apply whoever the contact is. Organizers+ read everything here; an attendee reads and changes
-- only their own consent. An opt-out or a suppression reaches queued messages and running blasts
-- at once (the *_cancel_pending triggers; the outbox and blast tables they touch come later).
--
-- The pure helpers are granted to the API roles so invoker functions, triggers and policies can
-- use them (the private schema itself is not exposed through the API).

-- ============================================================================================
-- Types
-- ============================================================================================

create type public.message_channel as enum ('sms', 'email');
comment on type public.message_channel is 'A messaging channel: sms (Twilio) or email (MailerSend).';

create type public.consent_status as enum ('opted_in', 'opted_out');
comment on type public.consent_status is 'Consent to marketing on a channel. No ledger entry means unknown.';

create type public.consent_source as enum (
  'keyword', 'staff', 'import', 'form', 'provider_error', 'email_unsubscribe', 'email_complaint'
);
comment on type public.consent_source is
  'Where a consent change came from: an SMS keyword, staff, an import, a form (incl. the attendee''s own), a provider error (21610), an email unsubscribe or complaint.';

create type public.suppression_reason as enum (
  'invalid_number', 'not_textable', 'hard_bounce', 'spam_complaint', 'unsubscribed', 'manual'
);
comment on type public.suppression_reason is
  'Why an address must not be messaged: invalid number (21211/30005), landline/not textable (30006), hard bounce, spam complaint, email unsubscribe, or a manual entry.';

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.messaging_settings (
  id boolean primary key default true check (id),
  org_name text not null default 'Hello Miami',
  org_time_zone text not null default 'America/New_York',
  contact_address text not null default 'hello@hellomiami.org',
  quiet_start time not null default '09:00',
  quiet_end time not null default '20:00',
  opt_out_keywords text[] not null
    default '{STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT,REVOKE,OPTOUT,PARAR,ALTO}',
  opt_in_keywords text[] not null default '{START,YES,UNSTOP}',
  help_keywords text[] not null default '{HELP,INFO,AYUDA}',
  otp_template text not null default 'Your Hello Miami code is {{code}}'
    check (otp_template like '%{{code}}%'),
  sms_requires_opt_in boolean not null default true,
  email_requires_opt_in boolean not null default false,
  sms_segment_cost numeric(10, 5) not null default 0.0083 check (sms_segment_cost >= 0),
  email_cost numeric(10, 5) not null default 0.0010 check (email_cost >= 0),
  marketing_validity_seconds integer not null default 3600
    check (marketing_validity_seconds between 60 and 36000),
  max_send_attempts integer not null default 3 check (max_send_attempts between 1 and 20),
  auto_pause_window integer not null default 100 check (auto_pause_window >= 1),
  auto_pause_min_sends integer not null default 20 check (auto_pause_min_sends >= 1),
  auto_pause_failure_rate numeric(5, 4) not null default 0.2 check (auto_pause_failure_rate between 0 and 1),
  auto_pause_opt_out_rate numeric(5, 4) not null default 0.05 check (auto_pause_opt_out_rate between 0 and 1),
  updated_at timestamptz not null default now(),
  constraint messaging_settings_org_time_zone_is_iana check (org_time_zone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$')
);
comment on table public.messaging_settings is
  'The organisation''s messaging settings (one row): name and contact for HELP replies, quiet hours, keyword lists, consent model, costs, auto-pause thresholds.';
comment on column public.messaging_settings.quiet_start is
  'Marketing texts go out only in [quiet_start, quiet_end) recipient local time (default 09:00–20:00, Florida-safe).';
comment on column public.messaging_settings.opt_out_keywords is
  'Single-word replies that opt out (case-insensitive); PARAR/ALTO for Spanish speakers.';
comment on column public.messaging_settings.sms_requires_opt_in is
  'When true, marketing SMS go only to contacts whose SMS consent is opted_in; otherwise to anyone not opted out.';
comment on column public.messaging_settings.email_requires_opt_in is
  'When true, marketing email goes only to opted-in contacts; otherwise to anyone not opted out (CAN-SPAM).';
comment on column public.messaging_settings.marketing_validity_seconds is
  'Twilio ValidityPeriod for marketing texts (further capped by the time left in the send window).';
comment on column public.messaging_settings.auto_pause_window is
  'A sending blast pauses itself when, among its last N sends, the failure or opt-out rate crosses a threshold.';

insert into public.messaging_settings default values;

create table public.consent_events (
  id bigint generated always as identity primary key,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  channel public.message_channel not null,
  status public.consent_status not null,
  source public.consent_source not null,
  evidence_message_id uuid,
  note text,
  recorded_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
comment on table public.consent_events is
  'Consent ledger (append-only): every opt-in/opt-out per contact × channel with its source, time and evidence. The source of truth.';
comment on column public.consent_events.evidence_message_id is
  'The message that proves the change (the inbound STOP, the failed send with 21610, the email that drew a complaint).';
comment on column public.consent_events.recorded_by is 'auth.uid() of whoever recorded it; null for webhooks and workers.';

create index consent_events_contact_channel_idx on public.consent_events (contact_id, channel, id desc);
create index consent_events_evidence_message_id_idx on public.consent_events (evidence_message_id);
create index consent_events_recorded_by_idx on public.consent_events (recorded_by);
create index consent_events_created_at_idx on public.consent_events (created_at);

create table public.contact_consents (
  contact_id uuid not null references public.contacts (id) on delete cascade,
  channel public.message_channel not null,
  status public.consent_status not null,
  source public.consent_source not null,
  changed_at timestamptz not null,
  last_event_id bigint not null references public.consent_events (id) on delete cascade,
  primary key (contact_id, channel)
);
comment on table public.contact_consents is
  'Current consent per contact × channel: the latest consent_events row, maintained by a trigger. Read-only for everyone.';

create index contact_consents_channel_status_idx on public.contact_consents (channel, status);
create index contact_consents_last_event_id_idx on public.contact_consents (last_event_id);

create table public.suppressions (
  id bigint generated always as identity primary key,
  channel public.message_channel not null,
  address text not null,
  reason public.suppression_reason not null,
  source_message_id uuid,
  note text,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  lifted_at timestamptz,
  lifted_by uuid references auth.users (id) on delete set null
);
comment on table public.suppressions is
  'Addresses that must not be messaged (invalid or landline numbers, hard bounces, complaints, unsubscribes). Active while lifted_at is null.';
comment on column public.suppressions.address is 'E.164 phone (sms) or lower-cased email address (email).';

create unique index suppressions_active_address_key on public.suppressions (channel, address)
  where lifted_at is null;
create index suppressions_source_message_id_idx on public.suppressions (source_message_id);
create index suppressions_created_by_idx on public.suppressions (created_by);
create index suppressions_lifted_by_idx on public.suppressions (lifted_by);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.messaging_settings, public.consent_events, public.contact_consents,
  public.suppressions from anon, authenticated;
grant select, update on table public.messaging_settings to authenticated;
grant select, insert on table public.consent_events to authenticated;
grant select on table public.contact_consents to authenticated;
grant select, insert, update on table public.suppressions to authenticated;
grant all on table public.messaging_settings, public.consent_events, public.contact_consents,
  public.suppressions to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger messaging_settings_touch_updated_at before update on public.messaging_settings
  for each row execute function private.touch_updated_at();

create trigger messaging_settings_audit after insert or update or delete on public.messaging_settings
  for each row execute function private.audit_row_change();

-- API callers cannot backdate a ledger entry or record it in someone else's name.
create function private.consent_events_stamp() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.role()) = 'authenticated' then
    new.recorded_by := (select auth.uid());
    new.created_at := now();
  end if;
  return new;
end
$$;
comment on function private.consent_events_stamp() is
  'Trigger: API callers get recorded_by = auth.uid() and created_at = now().';

create trigger consent_events_stamp before insert on public.consent_events
  for each row execute function private.consent_events_stamp();

create function private.consent_events_append_only() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'consent_ledger_append_only',
    detail = 'Consent history is never rewritten; record a new consent event instead.';
end
$$;
comment on function private.consent_events_append_only() is 'Trigger: refuse updates to the consent ledger.';

create trigger consent_events_append_only before update on public.consent_events
  for each row execute function private.consent_events_append_only();

-- SECURITY DEFINER: the derived table has no write grants for API roles; the ledger insert (by an
-- attendee, a staff member or a webhook) must still update it.
create function private.consent_events_apply() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.contact_consents (contact_id, channel, status, source, changed_at, last_event_id)
  values (new.contact_id, new.channel, new.status, new.source, new.created_at, new.id)
  on conflict (contact_id, channel) do update
    set status = excluded.status, source = excluded.source, changed_at = excluded.changed_at,
        last_event_id = excluded.last_event_id
    where public.contact_consents.last_event_id < excluded.last_event_id;
  return null;
end
$$;
comment on function private.consent_events_apply() is
  'Trigger: make the newest ledger entry the contact''s current consent on that channel.';

create trigger consent_events_apply after insert on public.consent_events
  for each row execute function private.consent_events_apply();

-- private.suppressions_normalize and its trigger moved to 20261126030000_message_channels.sql
-- (the address normalisation is the channel's).

create trigger suppressions_audit after insert or update or delete on public.suppressions
  for each row execute function private.audit_row_change();

-- private.consent_events_cancel_pending and its trigger moved to
-- 20261126030000_message_channels.sql (whether an opt-out stops every message is the channel's).

-- private.suppressions_cancel_pending and its trigger moved to
-- 20261126030000_message_channels.sql (the address column is the channel's).

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.messaging_settings enable row level security;
alter table public.consent_events enable row level security;
alter table public.contact_consents enable row level security;
alter table public.suppressions enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.sms_keyword_token(p_body text) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- A keyword is a single word; surrounding spaces and punctuation ("Stop!", " stop. ") do not count.
  select case
    when trimmed = '' or trimmed ~ '[[:space:]]' then null
    else upper(trimmed)
  end
  from (
    select regexp_replace(coalesce(p_body, ''), '^[[:space:][:punct:]]+|[[:space:][:punct:]]+$', '', 'g')
      as trimmed
  ) as body
$$;
comment on function private.sms_keyword_token(text) is
  'The upper-cased single word of an SMS body with surrounding spaces/punctuation removed, or null when the body is not one word.';
grant execute on function private.sms_keyword_token(text) to authenticated, service_role;

create function private.classify_sms_keyword(
  p_body text,
  p_opt_out_keywords text[],
  p_opt_in_keywords text[],
  p_help_keywords text[]
) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- Opt-out wins over everything: a list that accidentally names a word twice must never turn a
  -- STOP into a START.
  select case
    when token is null then null
    when token = any (select upper(k) from unnest(p_opt_out_keywords) as k) then 'opt_out'
    when token = any (select upper(k) from unnest(p_opt_in_keywords) as k) then 'opt_in'
    when token = any (select upper(k) from unnest(p_help_keywords) as k) then 'help'
  end
  from (select private.sms_keyword_token(p_body) as token) as t
$$;
comment on function private.classify_sms_keyword(text, text[], text[], text[]) is
  'Classify an inbound SMS body as opt_out / opt_in / help (or null) against configurable keyword lists, case-insensitively.';
grant execute on function private.classify_sms_keyword(text, text[], text[], text[]) to authenticated, service_role;

create function private.classify_twilio_opt_out_type(p_opt_out_type text) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case upper(coalesce(p_opt_out_type, ''))
    when 'STOP' then 'opt_out'
    when 'START' then 'opt_in'
    when 'HELP' then 'help'
  end
$$;
comment on function private.classify_twilio_opt_out_type(text) is
  'Map Twilio''s inbound OptOutType field (STOP/START/HELP) to opt_out / opt_in / help.';
grant execute on function private.classify_twilio_opt_out_type(text) to authenticated, service_role;

create function private.within_send_window(
  p_now timestamptz,
  p_time_zone text,
  p_window_start time,
  p_window_end time
) returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- The window is [start, end) in the recipient's local time; a window that wraps midnight
  -- (start > end) is allowed for completeness. The caller resolves the time zone fallback.
  select case
    when p_window_start <= p_window_end then local_time >= p_window_start and local_time < p_window_end
    else local_time >= p_window_start or local_time < p_window_end
  end
  from (select (p_now at time zone p_time_zone)::time as local_time) as t
$$;
comment on function private.within_send_window(timestamptz, text, time, time) is
  'True when p_now, in time zone p_time_zone, falls inside the marketing send window [start, end).';
grant execute on function private.within_send_window(timestamptz, text, time, time) to authenticated, service_role;

-- SECURITY DEFINER: the claim, inbound and hook functions run as service_role or
-- supabase_auth_admin; the settings row is readable to organizers only.
create function private.messaging_settings() returns public.messaging_settings
language sql
stable
security definer
set search_path = ''
as $$
  select s from public.messaging_settings s where s.id
$$;
comment on function private.messaging_settings() is 'The organisation''s messaging settings row.';
grant execute on function private.messaging_settings() to authenticated, service_role;

-- contacts.time_zone is only shape-checked; an unknown zone must not break a claim. Asking
-- Postgres to convert is far cheaper than scanning pg_timezone_names (which reads the zone files).
create function private.is_time_zone(p_time_zone text) returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  perform now() at time zone p_time_zone;
  return true;
exception when invalid_parameter_value then
  return false;
end
$$;
comment on function private.is_time_zone(text) is 'True when Postgres knows this IANA time zone.';
grant execute on function private.is_time_zone(text) to authenticated, service_role;

create function private.resolve_time_zone(p_time_zone text, p_fallback text) returns text
language sql
stable
set search_path = ''
as $$
  select case when p_time_zone is not null and private.is_time_zone(p_time_zone) then p_time_zone else p_fallback end
$$;
comment on function private.resolve_time_zone(text, text) is
  'The given IANA time zone if Postgres knows it, else the fallback (the organisation''s).';
grant execute on function private.resolve_time_zone(text, text) to authenticated, service_role;

-- private.consent_allows_marketing moved to 20261126030000_message_channels.sql (the opt-in
-- setting is the channel's).

create function private.current_consent(p_contact_id uuid, p_channel public.message_channel)
returns public.consent_status
language sql
stable
security definer
set search_path = ''
as $$
  select cc.status from public.contact_consents cc
  where cc.contact_id = p_contact_id and cc.channel = p_channel
$$;
comment on function private.current_consent(uuid, public.message_channel) is
  'The contact''s current consent on a channel (null = no ledger entry).';
grant execute on function private.current_consent(uuid, public.message_channel) to authenticated, service_role;

-- private.is_suppressed moved to 20261126030000_message_channels.sql (the address normalisation
-- is the channel's).

-- Used by webhooks, the status function and record_message_failed: records a change only when it
-- is one, so replays and duplicate callbacks do not grow the ledger.
create function private.record_consent(
  p_contact_id uuid,
  p_channel public.message_channel,
  p_status public.consent_status,
  p_source public.consent_source,
  p_evidence_message_id uuid default null,
  p_note text default null
) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_contact_id is null
     or private.current_consent(p_contact_id, p_channel) is not distinct from p_status then
    return false;
  end if;
  insert into public.consent_events (contact_id, channel, status, source, evidence_message_id, note)
  values (p_contact_id, p_channel, p_status, p_source, p_evidence_message_id, p_note);
  return true;
end
$$;
comment on function private.record_consent(uuid, public.message_channel, public.consent_status, public.consent_source, uuid, text) is
  'Append a consent change unless the contact is already in that state; returns whether it recorded one.';

-- private.suppress_address moved to 20261126030000_message_channels.sql (an SQL caller of
-- private.is_suppressed).

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read messaging settings" on public.messaging_settings
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Admins can update messaging settings" on public.messaging_settings
  for update to authenticated
  using ((select private.has_staff_level('admin')))
  with check ((select private.has_staff_level('admin')));

create policy "Organizers can read the consent ledger" on public.consent_events
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Attendees can read their own consent history" on public.consent_events
  for select to authenticated
  using (contact_id = (select private.current_contact_id()));

create policy "Organizers can record consent from staff, imports and forms" on public.consent_events
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')) and source in ('staff', 'import', 'form'));

create policy "Attendees can change their own consent" on public.consent_events
  for insert to authenticated
  with check (contact_id = (select private.current_contact_id()) and source = 'form');

create policy "Organizers can read current consent" on public.contact_consents
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Attendees can read their own current consent" on public.contact_consents
  for select to authenticated
  using (contact_id = (select private.current_contact_id()));

create policy "Organizers can read suppressions" on public.suppressions
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can add suppressions" on public.suppressions
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')) and lifted_at is null);

create policy "Admins can lift suppressions" on public.suppressions
  for update to authenticated
  using ((select private.has_staff_level('admin')))
  with check ((select private.has_staff_level('admin')));
