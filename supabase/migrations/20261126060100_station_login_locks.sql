-- A disabled print station's Auth login is locked too (issue 16, item 3).
--
-- Disabling a station (set_print_station_enabled, or `hm devices`) sets devices.disabled_at, and
-- every station function then refuses it. Its login could still sign in and refresh, though:
-- the SQL refusal is the only wall. Now the login itself is banned in Auth, as hosted Supabase
-- does it (PUT /auth/v1/admin/users/{id} with ban_duration): a banned user's password sign-in
-- and refresh are refused with user_banned. Only the service role may call the Auth admin API,
-- so a worker does it (workers/station_logins.py):
--   1. A station is due when what Auth holds (station_login_locks.locked, false without a row)
--      differs from what the station is (disabled or not). Nothing marks it: the difference is
--      derived, so every way of disabling or enabling a station is covered and a flip back
--      before the worker ran leaves nothing to do.
--   2. claim_station_login_locks leases due stations (for update skip locked on devices, a
--      lease in claimed_until) and says whether to lock or unlock each.
--   3. The worker bans (or unbans) the login, then record_station_login_lock stores what Auth
--      now holds. If the admin flipped the station meanwhile, it is due again and the next
--      claim undoes it. A failure is recorded with record_station_login_lock_failed and retried
--      after a backoff (10 s, doubling, at most 10 minutes); banning twice is harmless.
-- Refusal codes (P0001, message = code): unknown_station.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.station_login_locks (
  device_id uuid primary key references public.devices (id) on delete cascade,
  locked boolean not null default false,
  claimed_until timestamptz,
  attempts integer not null default 0,
  last_error text,
  updated_at timestamptz not null default now()
);
comment on table public.station_login_locks is
  'Whether each print station''s Auth login is banned (a disabled station''s is), as the login-lock worker last set it in Auth.';
comment on column public.station_login_locks.locked is
  'What Auth holds: true = the login is banned (cannot sign in or refresh). A station without a row has never been banned.';
comment on column public.station_login_locks.claimed_until is
  'The worker''s lease, and after a failure the time of the next attempt.';
comment on column public.station_login_locks.attempts is 'Attempts since the last success.';
comment on column public.station_login_locks.last_error is 'Why the last attempt failed (cleared on success).';

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.station_login_locks from anon, authenticated;
grant select (device_id, locked, attempts, last_error, updated_at) on table public.station_login_locks to authenticated;
grant all on table public.station_login_locks to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.station_login_locks enable row level security;

create policy "Admins can read station login locks" on public.station_login_locks
  for select to authenticated using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Public functions: the login-lock worker (service_role)
-- ============================================================================================

-- Invoker: only service_role may execute it. Stations are few (one per door), so the due ones
-- are found by a scan of devices rather than an index.
create function public.claim_station_login_locks(p_limit integer default 10, p_lease_seconds integer default 60)
returns table (device_id uuid, user_id uuid, lock boolean, attempts integer)
language plpgsql
set search_path = ''
as $$
begin
  if p_limit is null or p_limit < 1 or p_lease_seconds is null or p_lease_seconds < 1 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Claim at least one station for at least one second.';
  end if;
  return query
  with due as (
    select d.id, d.user_id, d.disabled_at is not null as lock
      from public.devices d
      left join public.station_login_locks l on l.device_id = d.id
     where (d.disabled_at is not null) <> coalesce(l.locked, false)
       and (l.claimed_until is null or l.claimed_until < now())
     order by d.id
     limit p_limit
     for update of d skip locked
  ), claimed as (
    insert into public.station_login_locks as l (device_id, claimed_until, attempts)
    select due.id, now() + make_interval(secs => p_lease_seconds), 1 from due
    on conflict on constraint station_login_locks_pkey
    do update set claimed_until = excluded.claimed_until, attempts = l.attempts + 1, updated_at = now()
    returning l.device_id, l.attempts
  )
  select due.id, due.user_id, due.lock, c.attempts
    from due join claimed c on c.device_id = due.id
   order by due.id;
end
$$;
comment on function public.claim_station_login_locks(integer, integer) is
  'Login-lock worker (service_role): lease print stations whose Auth login must be banned (disabled) or unbanned (enabled again); lock says which. Errors: invalid_argument.';
revoke execute on function public.claim_station_login_locks(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_station_login_locks(integer, integer) to service_role;

-- Invoker: only service_role may execute it.
create function public.record_station_login_lock(p_device_id uuid, p_locked boolean) returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_locked is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Say whether the login is locked.';
  end if;
  update public.station_login_locks
     set locked = p_locked, claimed_until = null, attempts = 0, last_error = null, updated_at = now()
   where device_id = p_device_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_station', detail = 'No claimed station has that id.';
  end if;
end
$$;
comment on function public.record_station_login_lock(uuid, boolean) is
  'Login-lock worker (service_role): Auth now holds the station''s login as locked (banned) or not. Errors: invalid_argument, unknown_station.';
revoke execute on function public.record_station_login_lock(uuid, boolean) from public, anon, authenticated;
grant execute on function public.record_station_login_lock(uuid, boolean) to service_role;

-- Invoker: only service_role may execute it.
create function public.record_station_login_lock_failed(p_device_id uuid, p_error text) returns void
language plpgsql
set search_path = ''
as $$
begin
  update public.station_login_locks
     set last_error = left(coalesce(p_error, 'unknown error'), 500),
         claimed_until = now() + make_interval(secs => least(600, 10 * power(2, least(greatest(attempts - 1, 0), 6))::integer)),
         updated_at = now()
   where device_id = p_device_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_station', detail = 'No claimed station has that id.';
  end if;
end
$$;
comment on function public.record_station_login_lock_failed(uuid, text) is
  'Login-lock worker (service_role): banning or unbanning failed; record why and retry after 10 s, doubling per attempt up to 10 minutes. Errors: unknown_station.';
revoke execute on function public.record_station_login_lock_failed(uuid, text) from public, anon, authenticated;
grant execute on function public.record_station_login_lock_failed(uuid, text) to service_role;
