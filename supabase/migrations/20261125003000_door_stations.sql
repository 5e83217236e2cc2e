-- The door's printing: stations per event, the door's choice of station, stuck jobs, print privacy,
-- and the kiosk's exit PIN.
--
-- An event has any number of print stations (event_print_stations); a door device picks one and
-- passes it to check_in / reprint_badge as p_station_id. Without a choice the event's
-- default_device_id prints, else its first assigned station. A tag for an event with no station is
-- never queued where nobody can claim it: check_in still checks the person in and answers
-- print_refused = 'no_print_station'; reprint_badge refuses with no_print_station.
-- Organizers list stuck jobs (queued for more than 30 s, or waiting on a station whose heartbeat
-- stopped) and move them to another of the event's stations.
-- Volunteers read print jobs only of events they work (event_staff), and no role but the service
-- reads print_jobs.payload (it holds the attendee's QR token; stations get it from claim_print_jobs).
-- Refusal codes (P0001, message = code): not_allowed, unknown_event, unknown_station,
-- no_print_station, unknown_job, job_not_movable, invalid_pin, kiosk_pin_locked, kiosk_pin_not_set.
--
-- public.check_in and public.reprint_badge are defined here (they take an optional p_station_id),
-- and so is the volunteers' policy on print_jobs ("… of events they work").

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.event_print_stations (
  event_id uuid not null references public.events (id) on delete cascade,
  device_id uuid not null references public.devices (id) on delete cascade,
  added_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (event_id, device_id)
);
comment on table public.event_print_stations is
  'Which print stations print an event''s name tags (any number; each door device picks one).';

create index event_print_stations_device_id_idx on public.event_print_stations (device_id);
create index event_print_stations_added_by_idx on public.event_print_stations (added_by);

-- Events that already had a default station keep printing there.
insert into public.event_print_stations (event_id, device_id)
select id, default_device_id from public.events where default_device_id is not null;

-- An event's default station is always one of its stations (the door lists only those).
create function private.events_default_station_assigned() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into public.event_print_stations (event_id, device_id, added_by)
  values (new.id, new.default_device_id, (select auth.uid()))
  on conflict do nothing;
  return null;
end
$$;
comment on function private.events_default_station_assigned() is
  'Trigger: assign an event''s default_device_id to it in event_print_stations.';

create trigger events_default_station_assigned
  after insert or update of default_device_id on public.events
  for each row when (new.default_device_id is not null)
  execute function private.events_default_station_assigned();

create table public.event_staff (
  event_id uuid not null references public.events (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  added_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (event_id, user_id)
);
comment on table public.event_staff is
  'The volunteers who work an event''s door; they may read that event''s print jobs (organizers read all).';

create index event_staff_user_id_idx on public.event_staff (user_id);
create index event_staff_added_by_idx on public.event_staff (added_by);

create table public.kiosk_pins (
  event_id uuid primary key references public.events (id) on delete cascade,
  pin_hash bytea not null,
  salt bytea not null,
  failed_attempts integer not null default 0,
  locked_until timestamptz,
  set_by uuid references auth.users (id) on delete set null,
  set_at timestamptz not null default now()
);
comment on table public.kiosk_pins is
  'The staff PIN that leaves an event''s kiosk, salted and hashed; read only by unlock_kiosk (no role has grants).';
comment on column public.kiosk_pins.failed_attempts is 'Wrong PINs since the last right one; 5 lock the kiosk for 5 minutes.';

create index kiosk_pins_set_by_idx on public.kiosk_pins (set_by);

-- ============================================================================================
-- Grants, RLS, Realtime
-- ============================================================================================

revoke all on table public.event_print_stations, public.event_staff, public.kiosk_pins from anon, authenticated;
grant select, insert, delete on table public.event_print_stations, public.event_staff to authenticated;
grant all on table public.event_print_stations, public.event_staff, public.kiosk_pins to service_role;

-- The QR token in a tag's payload is the attendee's key to check in: only stations (through
-- claim_print_jobs) and the service see it.
revoke select on table public.print_jobs from authenticated;
grant select (id, event_id, check_in_id, contact_id, device_id, status, attempts, error, cups_job_id,
              claimed_at, lease_expires_at, printed_at, created_at, updated_at, reprint_of, requested_by)
  on table public.print_jobs to authenticated;

alter table public.event_print_stations enable row level security;
alter table public.event_staff enable row level security;
alter table public.kiosk_pins enable row level security;

-- Door screens follow station changes live.
alter publication supabase_realtime add table public.event_print_stations;

-- SECURITY DEFINER: the print_jobs policy asks this per row; reading event_staff under its own
-- RLS there would add a policy evaluation per row. Reveals only whether the caller works the event.
create function private.works_event(p_event_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.has_staff_level('organizer')
      or (private.has_staff_level('volunteer')
          and exists (select 1 from public.event_staff s
                       where s.event_id = p_event_id and s.user_id = (select auth.uid())))
$$;
comment on function private.works_event(uuid) is
  'True for organizers and up, and for volunteers on the event''s staff list.';
grant execute on function private.works_event(uuid) to authenticated;

create policy "Staff can read event print stations" on public.event_print_stations
  for select to authenticated using ((select private.has_staff_level('volunteer')));
create policy "Organizers can assign print stations" on public.event_print_stations
  for insert to authenticated with check ((select private.has_staff_level('organizer')));
create policy "Organizers can unassign print stations" on public.event_print_stations
  for delete to authenticated using ((select private.has_staff_level('organizer')));

create policy "Volunteers can read their own event assignments" on public.event_staff
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Organizers can read event staff" on public.event_staff
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can add event staff" on public.event_staff
  for insert to authenticated with check ((select private.has_staff_level('organizer')));
create policy "Organizers can remove event staff" on public.event_staff
  for delete to authenticated using ((select private.has_staff_level('organizer')));

create policy "Volunteers can read print jobs of events they work" on public.print_jobs
  for select to authenticated using (private.works_event(event_id));

-- ============================================================================================
-- Helpers
-- ============================================================================================

-- private.station_is_online moved to 20261125013020_station_never_heard_from.sql (a station
-- that never sent a heartbeat is offline).

-- The station that prints for this event: the door's choice (which must be one of the event's
-- enabled stations), else the event's default, else its first assigned station; null if none.
create function private.event_station(p_event public.events, p_station_id uuid) returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_station_id uuid;
begin
  if p_station_id is not null then
    select s.device_id into v_station_id
      from public.event_print_stations s join public.devices d on d.id = s.device_id
     where s.event_id = p_event.id and s.device_id = p_station_id and d.disabled_at is null;
    if v_station_id is null then
      raise exception using errcode = 'P0001', message = 'unknown_station',
        detail = 'That print station does not print for this event.';
    end if;
    return v_station_id;
  end if;
  select d.id into v_station_id from public.devices d
   where d.id = p_event.default_device_id and d.disabled_at is null;
  if v_station_id is null then
    select s.device_id into v_station_id
      from public.event_print_stations s join public.devices d on d.id = s.device_id
     where s.event_id = p_event.id and d.disabled_at is null
     order by s.created_at, s.device_id
     limit 1;
  end if;
  return v_station_id;
end
$$;
comment on function private.event_station(public.events, uuid) is
  'The print station for a tag: the chosen one (unknown_station unless it prints for the event), the default, the first assigned, or null.';

create function private.volunteer_reprint_limit() returns integer
language sql
immutable
set search_path = ''
as $$ select 2 $$;
comment on function private.volunteer_reprint_limit() is 'How many reprints per check-in a volunteer may ask for.';

-- ============================================================================================
-- Check-in and reprint with the door's station
-- ============================================================================================

-- SECURITY DEFINER: volunteers and attendees cannot read or write contacts, check_ins or
-- print_jobs directly; this function decides who may check whom in (staff: anyone, from a QR
-- token, phone or contact id; an attendee: only themselves, for a published event) and returns
-- only what the door screen needs.
create function public.check_in(
  p_event_id uuid,
  p_qr_token text default null,
  p_phone text default null,
  p_contact_id uuid default null,
  p_registration jsonb default null,
  p_station_id uuid default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_level public.staff_level := private.acting_staff_level();
  v_event public.events;
  v_contact public.contacts;
  v_phone text;
  v_method text;
  v_registered boolean := false;
  v_check_in public.check_ins;
  v_station_id uuid;
  v_print_job_id uuid;
begin
  select * into v_event from public.events where id = p_event_id;
  if not found or (v_level is null and not v_event.published) then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  if num_nonnulls(p_qr_token, p_phone, p_contact_id) > 1 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Give at most one of p_qr_token, p_phone, p_contact_id.';
  end if;
  if p_registration is not null and jsonb_typeof(p_registration) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_registration is a JSON object.';
  end if;
  -- Checked before anything is written, so a wrong station changes nothing.
  v_station_id := private.event_station(v_event, p_station_id);

  if v_level is not null then
    -- Door check-in by staff.
    if p_qr_token is not null then
      v_method := 'qr';
      select * into v_contact from public.contacts where qr_token = p_qr_token;
    elsif p_phone is not null then
      v_method := 'phone';
      v_phone := private.parse_phone(p_phone);
      select * into v_contact from public.contacts where phone = v_phone;
    elsif p_contact_id is not null then
      v_method := 'staff';
      select * into v_contact from public.contacts where id = p_contact_id;
    else
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = 'Door check-in needs p_qr_token, p_phone or p_contact_id.';
    end if;
    if v_contact.merged_into is not null then
      select * into v_contact from public.contacts where id = v_contact.merged_into;
    end if;
    if v_contact.id is null and v_phone is not null and p_registration is not null then
      -- A first-timer registered at the door.
      insert into public.contacts (phone, source) values (v_phone, 'check-in') returning * into v_contact;
      v_registered := true;
    end if;
  else
    -- Self check-in: an attendee signed in with their verified phone, for themselves only.
    select * into v_contact from public.contacts where user_id = (select auth.uid());
    if v_contact.id is null
       or (p_qr_token is not null and p_qr_token is distinct from v_contact.qr_token)
       or (p_contact_id is not null and p_contact_id <> v_contact.id)
       or (p_phone is not null and private.parse_phone(p_phone) is distinct from v_contact.phone) then
      raise exception using errcode = 'P0001', message = 'not_allowed',
        detail = 'Sign in with your phone to check yourself in.';
    end if;
    v_method := 'self';
  end if;

  if v_contact.id is null or v_contact.erased_at is not null then
    raise exception using errcode = 'P0001', message = 'unknown_attendee',
      detail = 'No attendee matches; register them with p_phone and p_registration.';
  end if;

  -- A repeat is harmless, even after the window closed.
  select * into v_check_in from public.check_ins where event_id = v_event.id and contact_id = v_contact.id;
  if found then
    return private.check_in_answer('already_checked_in', v_check_in, v_contact, v_event, null, null, false);
  end if;

  if not private.event_checkin_is_open(v_event) then
    raise exception using errcode = 'P0001', message = 'not_open',
      detail = 'Check-in for this event is not open now.';
  end if;

  if p_registration is not null then
    v_contact := private.apply_registration(v_contact.id, p_registration);
    v_registered := true;
  end if;
  if v_contact.first_name is null then
    raise exception using errcode = 'P0001', message = 'registration_required',
      detail = 'First visit: send p_registration with at least first_name.';
  end if;

  insert into public.check_ins (event_id, contact_id, method, checked_in_by)
  values (v_event.id, v_contact.id, v_method, (select auth.uid()))
  on conflict on constraint check_ins_one_per_event_and_contact do nothing
  returning * into v_check_in;
  if v_check_in.id is null then
    -- A concurrent call won the race: report its row, print nothing.
    select * into v_check_in from public.check_ins where event_id = v_event.id and contact_id = v_contact.id;
    return private.check_in_answer('already_checked_in', v_check_in, v_contact, v_event, null, null, v_registered);
  end if;

  if v_station_id is null then
    -- Nobody could claim the tag: say so rather than queue it for no station.
    return private.check_in_answer('checked_in', v_check_in, v_contact, v_event, null, 'no_print_station', v_registered);
  end if;
  v_print_job_id := private.enqueue_label(v_contact, v_event, v_check_in.id, null, v_station_id);
  return private.check_in_answer('checked_in', v_check_in, v_contact, v_event, v_print_job_id, null, v_registered);
end
$$;
comment on function public.check_in(uuid, text, text, uuid, jsonb, uuid) is
  'Check a person in (staff: by QR token, phone or contact id, registering a first-timer with p_phone + p_registration; attendee: themselves); the tag prints at p_station_id (one of the event''s stations) or the event''s default/first station. Returns {code: checked_in|already_checked_in, check_in_id, contact_id, checked_in_at, display_name, print_job_id, print_refused (null|no_print_station), registered}. Errors: unknown_event, unknown_station, not_open, not_allowed, unknown_attendee, registration_required, invalid_phone, invalid_argument.';
grant execute on function public.check_in(uuid, text, text, uuid, jsonb, uuid) to authenticated, service_role;

create function private.check_in_answer(
  p_code text,
  p_check_in public.check_ins,
  p_contact public.contacts,
  p_event public.events,
  p_print_job_id uuid,
  p_print_refused text,
  p_registered boolean
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('code', p_code, 'check_in_id', p_check_in.id,
    'contact_id', p_contact.id, 'checked_in_at', p_check_in.checked_in_at,
    'display_name', private.label_payload(p_contact, p_event) ->> 'display_name',
    'print_job_id', p_print_job_id, 'print_refused', p_print_refused, 'registered', p_registered)
$$;
comment on function private.check_in_answer(text, public.check_ins, public.contacts, public.events, uuid, text, boolean) is
  'The jsonb check_in returns (the door minimum: a display name, never contact details).';

-- SECURITY DEFINER: volunteers may reprint but not insert print jobs; the function applies the
-- per-attendee limit for volunteers and writes the audit entry.
create function public.reprint_badge(p_check_in_id uuid, p_reason text default null, p_station_id uuid default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_level public.staff_level := private.acting_staff_level();
  v_check_in public.check_ins;
  v_event public.events;
  v_contact public.contacts;
  v_last_job public.print_jobs;
  v_station_id uuid;
  v_job_id uuid;
begin
  if v_level is null then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Staff only.';
  end if;
  select * into v_check_in from public.check_ins where id = p_check_in_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_check_in', detail = 'No such check-in.';
  end if;
  if v_level = 'volunteer' and public.reprints_left(p_check_in_id) <= 0 then
    raise exception using errcode = 'P0001', message = 'reprint_limit',
      detail = format('Volunteers may reprint a tag %s times; ask an organizer.', private.volunteer_reprint_limit());
  end if;
  select * into v_event from public.events where id = v_check_in.event_id;
  select * into v_contact from public.contacts where id = v_check_in.contact_id;
  select * into v_last_job from public.print_jobs
   where check_in_id = p_check_in_id order by created_at desc limit 1;
  v_station_id := private.event_station(v_event, p_station_id);
  if v_station_id is null then
    raise exception using errcode = 'P0001', message = 'no_print_station',
      detail = 'This event has no print station; an organizer assigns one.';
  end if;
  v_job_id := private.enqueue_label(v_contact, v_event, v_check_in.id, v_last_job.id, v_station_id);
  perform private.audit('reprint', 'print_jobs', v_job_id::text, null, null,
    jsonb_build_object('check_in_id', p_check_in_id, 'reprint_of', v_last_job.id, 'reason', p_reason));
  return v_job_id;
end
$$;
comment on function public.reprint_badge(uuid, text, uuid) is
  'Staff: queue another name tag for a check-in at p_station_id or the event''s default/first station (audited; volunteers at most 2 per check-in). Returns the new job id. Errors: not_allowed, unknown_check_in, reprint_limit, unknown_station, no_print_station.';
grant execute on function public.reprint_badge(uuid, text, uuid) to authenticated, service_role;

-- SECURITY DEFINER: volunteers cannot count print jobs of events they do not work, yet the door
-- shows every volunteer how many reprints remain.
create function public.reprints_left(p_check_in_id uuid) returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_level public.staff_level := private.acting_staff_level();
begin
  if v_level is null then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Staff only.';
  end if;
  if v_level > 'volunteer' then
    return null;
  end if;
  return greatest(0, private.volunteer_reprint_limit() - (
    select count(*)::integer from public.print_jobs
     where check_in_id = p_check_in_id and reprint_of is not null));
end
$$;
comment on function public.reprints_left(uuid) is
  'How many more reprints the caller may ask for on this check-in (null = no limit, organizers and up). Errors: not_allowed.';
grant execute on function public.reprints_left(uuid) to authenticated, service_role;

-- ============================================================================================
-- Stuck jobs
-- ============================================================================================

-- SECURITY DEFINER: reads device heartbeats and job payload names for organizers only (checked
-- first); returns the display name, never the payload's QR token.
create function public.stuck_print_jobs(p_event_id uuid)
returns table (job_id uuid, display_name text, status text, created_at timestamptz,
               device_id uuid, device_name text, station_last_seen_at timestamptz, reason text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Organizers only.';
  end if;
  return query
  select j.id, j.payload ->> 'display_name', j.status, j.created_at, d.id, d.name, d.last_seen_at,
         case when d.id is null then 'no_print_station'
              when not private.station_is_online(d) then 'station_offline'
              else 'queued_too_long' end
    from public.print_jobs j
    left join public.devices d on d.id = j.device_id
   where j.event_id = p_event_id
     and j.status in ('queued', 'claimed')
     and (d.id is null or not private.station_is_online(d) or j.created_at < now() - interval '30 seconds')
   order by j.created_at;
end
$$;
comment on function public.stuck_print_jobs(uuid) is
  'Organizers: an event''s tags not printing — queued or claimed for more than 30 s, or waiting on a station that is offline (no heartbeat for 45 s) or missing. reason: queued_too_long | station_offline | no_print_station. Errors: not_allowed.';
grant execute on function public.stuck_print_jobs(uuid) to authenticated, service_role;

-- SECURITY DEFINER: organizers have no UPDATE grant on print_jobs (the state machine lives in
-- functions); checks the caller first and audits the move.
create function public.move_print_job(p_job_id uuid, p_station_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_job public.print_jobs;
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Organizers only.';
  end if;
  select * into v_job from public.print_jobs where id = p_job_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_job', detail = 'No such print job.';
  end if;
  if v_job.status not in ('queued', 'claimed') then
    raise exception using errcode = 'P0001', message = 'job_not_movable',
      detail = format('The job is %s; only a waiting job moves.', v_job.status);
  end if;
  -- Validates that the target prints for this event (else unknown_station).
  perform private.event_station((select e from public.events e where e.id = v_job.event_id), p_station_id);
  -- A claimed job has not reached CUPS (start_print_job would have made it 'printing'); the old
  -- station loses it, and its start_print_job then answers unknown_job, so it never prints twice.
  update public.print_jobs
     set device_id = p_station_id, status = 'queued', claimed_at = null, lease_expires_at = null
   where id = p_job_id;
  perform private.audit('move_print_job', 'print_jobs', p_job_id::text,
    jsonb_build_object('device_id', v_job.device_id, 'status', v_job.status),
    jsonb_build_object('device_id', p_station_id, 'status', 'queued'), null);
end
$$;
comment on function public.move_print_job(uuid, uuid) is
  'Organizers: send a waiting (queued or claimed) tag to another of its event''s stations, queued again. Errors: not_allowed, unknown_job, job_not_movable, unknown_station.';
grant execute on function public.move_print_job(uuid, uuid) to authenticated, service_role;

-- ============================================================================================
-- Kiosk PIN
-- ============================================================================================

create function private.kiosk_pin_hash(p_salt bytea, p_pin text) returns bytea
language sql
immutable
set search_path = ''
as $$ select sha256(p_salt || convert_to(p_pin, 'UTF8')) $$;
comment on function private.kiosk_pin_hash(bytea, text) is 'Salted SHA-256 of a kiosk PIN.';

-- SECURITY DEFINER: kiosk_pins has no grants; checks the caller is an organizer first.
create function public.set_kiosk_pin(p_event_id uuid, p_pin text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_salt bytea := decode(md5(gen_random_uuid()::text || clock_timestamp()::text), 'hex');
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Organizers only.';
  end if;
  if coalesce(p_pin, '') !~ '^[0-9]{4,8}$' then
    raise exception using errcode = 'P0001', message = 'invalid_pin', detail = 'A kiosk PIN is 4 to 8 digits.';
  end if;
  if not exists (select 1 from public.events where id = p_event_id) then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  insert into public.kiosk_pins (event_id, pin_hash, salt, set_by)
  values (p_event_id, private.kiosk_pin_hash(v_salt, p_pin), v_salt, (select auth.uid()))
  on conflict (event_id) do update
    set pin_hash = excluded.pin_hash, salt = excluded.salt, set_by = excluded.set_by,
        set_at = now(), failed_attempts = 0, locked_until = null;
  perform private.audit('set_kiosk_pin', 'kiosk_pins', p_event_id::text, null, null, null);
end
$$;
comment on function public.set_kiosk_pin(uuid, text) is
  'Organizers: set (or change) the 4–8 digit PIN that leaves the event''s kiosk. Errors: not_allowed, invalid_pin, unknown_event.';
grant execute on function public.set_kiosk_pin(uuid, text) to authenticated, service_role;

-- SECURITY DEFINER: the kiosk is usually signed out (anon) or signed in as an attendee, neither of
-- whom may read kiosk_pins; this compares hashes and counts failures (5 wrong lock it for 5 min)
-- so the PIN cannot be guessed quickly. Returns only true (or raises).
create function public.unlock_kiosk(p_event_id uuid, p_pin text) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_pin public.kiosk_pins;
begin
  select * into v_pin from public.kiosk_pins where event_id = p_event_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'kiosk_pin_not_set',
      detail = 'No kiosk PIN is set for this event; an organizer sets one.';
  end if;
  if v_pin.locked_until > now() then
    raise exception using errcode = 'P0001', message = 'kiosk_pin_locked',
      detail = 'Too many wrong PINs; try again in a few minutes.';
  end if;
  if private.kiosk_pin_hash(v_pin.salt, coalesce(p_pin, '')) = v_pin.pin_hash then
    update public.kiosk_pins set failed_attempts = 0, locked_until = null where event_id = p_event_id;
    return true;
  end if;
  update public.kiosk_pins
     set failed_attempts = failed_attempts + 1,
         locked_until = case when failed_attempts + 1 >= 5 then now() + interval '5 minutes' end
   where event_id = p_event_id;
  -- Not an exception: the failed attempt must be committed to count.
  return false;
end
$$;
comment on function public.unlock_kiosk(uuid, text) is
  'Kiosk: true when p_pin is the event''s kiosk PIN, false otherwise (5 wrong lock it for 5 minutes). Errors: kiosk_pin_not_set, kiosk_pin_locked.';
grant execute on function public.unlock_kiosk(uuid, text) to anon, authenticated, service_role;
