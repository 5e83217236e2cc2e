-- Print stations from the app (issue 16, item 3): register a station, pair the Pi with a
-- one-time code, enable/disable it, send it a test print, and read each station's health.
--
-- Pairing, step by step (no password is ever copied by hand, and the service role stays in
-- the workers):
--   1. An admin (aal2) calls register_print_station(name, …) and is shown a code once
--      (XXXXX-XXXXX, 50 random bits). Only its SHA-256 is stored; it expires after 15 minutes.
--   2. On the Pi, `hm pi pair CODE` makes up the station's password and calls
--      pair_print_station(code, password) as anon. A matching, unexpired, unused code is spent
--      (single use); a wrong one is counted, and after 10 wrong codes in 10 minutes every
--      attempt is refused (too_many_attempts) until the window passes.
--   3. The pairing worker (workers/station_pairing.py, service_role) claims the redeemed
--      pairing, creates the station's Auth user with that password through GoTrue's admin API,
--      and records it (record_station_paired): the devices row is created and the password is
--      deleted. The password is kept only between steps 2 and 3 (seconds), in a private table
--      no API role can read, and is deleted too when pairing fails or is abandoned.
--   4. The Pi polls print_station_pairing(pairing_id) until it says paired, signs in, and
--      writes the agent's config file.
--
-- Disable: set_print_station_enabled(device, false) sets devices.disabled_at; every station
-- function (claims, heartbeats) then refuses the station (private.require_device), and the agent
-- stops with "refused for good". Test print: queue_test_print(device) queues a job of kind
-- test_print (no event, no person); an agent that renders that kind prints it through CUPS.
-- Health: admin_print_stations() adds to what admin_health() says about a station its agent's
-- version, jobs printed in the last 12 hours ("tonight"), the last failed job's error and the
-- events it prints for.
--
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument, station_name_taken,
-- too_many_attempts, unknown_pairing, unknown_station, station_disabled.
-- pair_print_station answers a wrong code with {"status": "refused", "code": "invalid_code"}
-- rather than raising: a raise would roll back the count of wrong codes.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.station_pairings (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 60 and name = btrim(name)),
  venue text check (char_length(venue) <= 200),
  cups_queue text check (cups_queue ~ '^[A-Za-z0-9_-]{1,127}$'),
  code_hash bytea not null unique,
  status text not null default 'waiting'
    check (status in ('waiting', 'redeemed', 'pairing', 'paired', 'failed')),
  expires_at timestamptz not null default now() + interval '15 minutes',
  redeemed_at timestamptz,
  claimed_until timestamptz,
  device_id uuid references public.devices (id) on delete set null,
  device_email text,
  paired_at timestamptz,
  error text,
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now()
);
comment on table public.station_pairings is
  'Print stations registered in the app and waiting for (or done with) pairing: a Pi spends the one-time code with `hm pi pair`.';
comment on column public.station_pairings.code_hash is
  'SHA-256 of the pairing code (letters and digits only, upper case); the code itself is shown once and never stored.';
comment on column public.station_pairings.status is
  'waiting (code not used yet) -> redeemed (a Pi spent it) -> pairing (the worker is creating the login) -> paired | failed.';
comment on column public.station_pairings.expires_at is 'The code is refused after this (15 minutes after registering).';
comment on column public.station_pairings.claimed_until is 'The pairing worker''s lease; a lapsed lease lets another worker retry.';
comment on column public.station_pairings.device_id is 'The station created by pairing.';
comment on column public.station_pairings.device_email is 'The station''s login, which the Pi signs in with.';
comment on column public.station_pairings.error is 'Why pairing failed (the admin registers the station again).';

create index station_pairings_status_idx on public.station_pairings (status) where status in ('redeemed', 'pairing');
create index station_pairings_device_id_idx on public.station_pairings (device_id);
create index station_pairings_created_by_idx on public.station_pairings (created_by);

create table private.station_pairing_passwords (
  pairing_id uuid primary key references public.station_pairings (id) on delete cascade,
  password text not null
);
comment on table private.station_pairing_passwords is
  'The password a Pi chose while the pairing worker creates its login (seconds); deleted when the pairing ends. No API role reads it but the service role, through claim_station_pairings.';

create table private.station_pairing_failures (
  failed_at timestamptz not null default now()
);
comment on table private.station_pairing_failures is
  'Wrong pairing codes of the last 10 minutes (the rate limit against guessing).';
create index station_pairing_failures_failed_at_idx on private.station_pairing_failures (failed_at);

-- A test print has no event and no person: only name tags need both.
alter table public.print_jobs
  alter column event_id drop not null,
  alter column contact_id drop not null,
  add constraint print_jobs_name_tag_has_event_and_person
    check (kind <> 'name_tag' or (event_id is not null and contact_id is not null));

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.station_pairings from anon, authenticated;
grant select (id, name, venue, cups_queue, status, expires_at, redeemed_at, device_id, device_email,
              paired_at, error, created_by, created_at)
  on table public.station_pairings to authenticated;
grant all on table public.station_pairings to service_role;
revoke all on table private.station_pairing_passwords, private.station_pairing_failures
  from anon, authenticated, service_role;
-- The pairing worker's functions run as the service role: they hand out and forget passwords.
grant select, delete on table private.station_pairing_passwords to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.station_pairings enable row level security;
alter table private.station_pairing_passwords enable row level security;
alter table private.station_pairing_failures enable row level security;

create policy "Admins can read station pairings" on public.station_pairings
  for select to authenticated using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.pairing_code_hash(p_code text) returns bytea
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.sha256(convert_to(upper(regexp_replace(p_code, '[^A-Za-z0-9]', '', 'g')), 'UTF8'))
$$;
comment on function private.pairing_code_hash(text) is
  'SHA-256 of a pairing code as typed: dashes, spaces and case do not matter.';

-- Ten characters of an alphabet without 0/O and 1/I: 32 symbols, so a random byte mod 32 is
-- unbiased and the code carries 50 bits.
create function private.new_pairing_code() returns text
language sql
volatile
set search_path = ''
as $$
  with symbols as (
    select string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', get_byte(b.bytes, i) % 32 + 1, 1), '' order by i) as code
      from (select extensions.gen_random_bytes(10) as bytes) b, generate_series(0, 9) i
  )
  select substr(code, 1, 5) || '-' || substr(code, 6, 5) from symbols
$$;
comment on function private.new_pairing_code() is 'A fresh pairing code, XXXXX-XXXXX (50 random bits).';

-- ============================================================================================
-- Public functions: admins
-- ============================================================================================

-- SECURITY DEFINER: admins have no grants on station_pairings (the code hash must stay
-- unreadable); it checks the caller is an admin at aal2 first and audits the registration.
create function public.register_print_station(
  p_name text,
  p_venue text default null,
  p_cups_queue text default null
) returns table (pairing_id uuid, code text, expires_at timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_name text := btrim(coalesce(p_name, ''));
  v_code text := private.new_pairing_code();
  v_pairing public.station_pairings;
begin
  if not private.has_staff_level('admin') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only admins, signed in with two-factor, register print stations.';
  end if;
  if char_length(v_name) not between 1 and 60
     or char_length(p_venue) > 200
     or (nullif(p_cups_queue, '') is not null and p_cups_queue !~ '^[A-Za-z0-9_-]{1,127}$') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'A station needs a name of 1-60 characters; a venue has at most 200; a CUPS queue is letters, digits, - and _.';
  end if;
  if exists (select 1 from public.devices d where lower(d.name) = lower(v_name))
     or exists (select 1 from public.station_pairings p
                 where lower(p.name) = lower(v_name)
                   and (p.status in ('redeemed', 'pairing') or (p.status = 'waiting' and p.expires_at > now()))) then
    raise exception using errcode = 'P0001', message = 'station_name_taken',
      detail = format('A station called %s exists or is being paired.', v_name);
  end if;
  insert into public.station_pairings (name, venue, cups_queue, code_hash, created_by)
  values (v_name, nullif(btrim(p_venue), ''), nullif(p_cups_queue, ''), private.pairing_code_hash(v_code),
          (select auth.uid()))
  returning * into v_pairing;
  perform private.audit('register_print_station', 'station_pairings', v_pairing.id::text, null,
                        jsonb_build_object('name', v_pairing.name, 'venue', v_pairing.venue,
                                           'cups_queue', v_pairing.cups_queue));
  return query select v_pairing.id, v_code, v_pairing.expires_at;
end
$$;
comment on function public.register_print_station(text, text, text) is
  'Admins (aal2): register a print station; returns its one-time pairing code (shown once, valid 15 minutes) for `hm pi pair`. Errors: not_allowed, invalid_argument, station_name_taken.';
grant execute on function public.register_print_station(text, text, text) to authenticated;

-- Invoker: admins may update devices under RLS; the function adds the refusal and the audit.
create function public.set_print_station_enabled(p_device_id uuid, p_enabled boolean) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_before public.devices;
  v_after public.devices;
begin
  if not private.has_staff_level('admin') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only admins, signed in with two-factor, enable or disable print stations.';
  end if;
  if p_enabled is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Say whether to enable it.';
  end if;
  select * into v_before from public.devices where id = p_device_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_station', detail = 'No print station has that id.';
  end if;
  update public.devices
     set disabled_at = case when p_enabled then null else coalesce(disabled_at, now()) end
   where id = p_device_id
  returning * into v_after;
  if v_before.disabled_at is distinct from v_after.disabled_at then
    perform private.audit(case when p_enabled then 'enable_print_station' else 'disable_print_station' end,
                          'devices', p_device_id::text,
                          jsonb_build_object('disabled_at', v_before.disabled_at),
                          jsonb_build_object('disabled_at', v_after.disabled_at));
  end if;
end
$$;
comment on function public.set_print_station_enabled(uuid, boolean) is
  'Admins (aal2): enable or disable a print station; a disabled station''s login can claim nothing and send no heartbeat. Errors: not_allowed, invalid_argument, unknown_station.';
grant execute on function public.set_print_station_enabled(uuid, boolean) to authenticated;

-- SECURITY DEFINER: no staff role may insert print jobs (the state machine lives in functions);
-- it checks the caller is an admin at aal2 first.
create function public.queue_test_print(p_device_id uuid) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_device public.devices;
  v_job_id uuid;
begin
  if not private.has_staff_level('admin') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only admins, signed in with two-factor, send test prints.';
  end if;
  select * into v_device from public.devices where id = p_device_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_station', detail = 'No print station has that id.';
  end if;
  if v_device.disabled_at is not null then
    raise exception using errcode = 'P0001', message = 'station_disabled',
      detail = 'The station is disabled: enable it first.';
  end if;
  insert into public.print_jobs (device_id, kind, payload, requested_by)
  values (v_device.id, 'test_print',
          jsonb_build_object('station_name', v_device.name, 'requested_at', now()),
          (select auth.uid()))
  returning id into v_job_id;
  return v_job_id;
end
$$;
comment on function public.queue_test_print(uuid) is
  'Admins (aal2): queue a test print (kind test_print) on a station; returns the job id. Errors: not_allowed, unknown_station, station_disabled.';
grant execute on function public.queue_test_print(uuid) to authenticated;

-- SECURITY DEFINER: the agents' heartbeats and every station's jobs are not readable by staff;
-- it checks the caller is an admin at aal2 first. Each figure is one indexed lookup per station.
create function public.admin_print_stations()
returns table (
  id uuid,
  name text,
  venue text,
  cups_queue text,
  enabled boolean,
  online boolean,
  last_seen_at timestamptz,
  printer_state text,
  printer_state_reason text,
  agent_version text,
  queued_jobs integer,
  printed_tonight integer,
  last_error text,
  last_error_at timestamptz,
  event_ids uuid[]
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.has_staff_level('admin') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only admins, signed in with two-factor, read station health.';
  end if;
  return query
  select d.id, d.name, d.venue, d.cups_queue, d.disabled_at is null, private.station_is_online(d),
         d.last_seen_at, d.printer_state, d.printer_state_reason, h.version,
         (select count(*)::integer from public.print_jobs j
           where j.device_id = d.id and j.status in ('queued', 'claimed', 'printing')),
         (select count(*)::integer from public.print_jobs j
           where j.device_id = d.id and j.status = 'printed' and j.printed_at > now() - interval '12 hours'),
         f.error, f.updated_at,
         coalesce((select array_agg(s.event_id order by s.created_at) from public.event_print_stations s
                    where s.device_id = d.id), '{}')
    from public.devices d
    left join public.process_heartbeats h on h.device_id = d.id
    left join lateral (select j.error, j.updated_at from public.print_jobs j
                        where j.device_id = d.id and j.status in ('failed', 'unknown')
                        order by j.updated_at desc limit 1) f on true
   order by d.name;
end
$$;
comment on function public.admin_print_stations() is
  'Admins (aal2): every print station with its health: online, last heartbeat, CUPS printer state and reason, agent version, queue depth, jobs printed in the last 12 hours, the last failed job''s error, and the events it prints for. Errors: not_allowed.';
grant execute on function public.admin_print_stations() to authenticated;

-- ============================================================================================
-- Public functions: the Pi (anon)
-- ============================================================================================

-- SECURITY DEFINER: anon has no grants on the pairing tables; the code is the credential, and
-- wrong codes are counted and rate-limited before anything is looked up.
create function public.pair_print_station(p_code text, p_password text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_pairing public.station_pairings;
begin
  if p_password is null or char_length(p_password) not between 32 and 72 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'The station''s password is 32-72 characters (hm pi pair makes one up).';
  end if;
  delete from private.station_pairing_failures where failed_at < now() - interval '10 minutes';
  if (select count(*) from private.station_pairing_failures) >= 10 then
    raise exception using errcode = 'P0001', message = 'too_many_attempts',
      detail = 'Too many wrong pairing codes: try again in 10 minutes.';
  end if;
  update public.station_pairings p
     set status = 'redeemed', redeemed_at = now()
   where p.code_hash = private.pairing_code_hash(coalesce(p_code, ''))
     and p.status = 'waiting' and p.expires_at > now()
  returning * into v_pairing;
  if not found then
    insert into private.station_pairing_failures default values;
    return jsonb_build_object('status', 'refused', 'code', 'invalid_code',
      'detail', 'No station is waiting for this code: it is wrong, used or expired. Register the station again for a new code.');
  end if;
  insert into private.station_pairing_passwords (pairing_id, password) values (v_pairing.id, p_password);
  return jsonb_build_object('status', 'redeemed', 'pairing_id', v_pairing.id, 'name', v_pairing.name);
end
$$;
comment on function public.pair_print_station(text, text) is
  'The Pi (anon, `hm pi pair`): spend a one-time pairing code and hand over the password the station will sign in with. Answers {status: redeemed, pairing_id, name} or {status: refused, code: invalid_code}. Errors: invalid_argument, too_many_attempts.';
grant execute on function public.pair_print_station(text, text) to anon, authenticated;

-- SECURITY DEFINER: anon has no grants on station_pairings. The pairing id is the credential
-- (only the Pi that spent the code learnt it); the answer holds no secret.
create function public.print_station_pairing(p_pairing_id uuid) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_pairing public.station_pairings;
begin
  select * into v_pairing from public.station_pairings p
   where p.id = p_pairing_id and p.status <> 'waiting';
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_pairing', detail = 'No station was paired with this id.';
  end if;
  return jsonb_build_object('status', v_pairing.status, 'name', v_pairing.name,
                            'device_email', v_pairing.device_email, 'cups_queue', v_pairing.cups_queue,
                            'error', v_pairing.error);
end
$$;
comment on function public.print_station_pairing(uuid) is
  'The Pi (anon, `hm pi pair`): how its pairing is going: redeemed, pairing, paired (with the login''s email) or failed (with the error). Errors: unknown_pairing.';
grant execute on function public.print_station_pairing(uuid) to anon, authenticated;

-- ============================================================================================
-- Public functions: the pairing worker (service_role)
-- ============================================================================================

-- claim_station_pairings and record_station_paired → 20261126060000_station_pairing_recovery.sql

-- Invoker: only service_role may execute it.
create function public.record_station_pairing_failed(p_pairing_id uuid, p_error text) returns void
language plpgsql
set search_path = ''
as $$
begin
  update public.station_pairings
     set status = 'failed', error = left(coalesce(p_error, 'unknown error'), 500), claimed_until = null
   where id = p_pairing_id and status = 'pairing';
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_pairing', detail = 'No pairing in progress with this id.';
  end if;
  delete from private.station_pairing_passwords where pairing_id = p_pairing_id;
end
$$;
comment on function public.record_station_pairing_failed(uuid, text) is
  'Pairing worker (service_role): creating the station''s login failed; record why and forget the password. Errors: unknown_pairing.';
revoke execute on function public.record_station_pairing_failed(uuid, text) from public, anon, authenticated;
grant execute on function public.record_station_pairing_failed(uuid, text) to service_role;
