-- Print station pairing survives a worker that dies half-way (issue 16, item 3).
--
-- The pairing worker creates the station's Auth login, then records the station. A worker
-- killed between the two left the pairing leased with its password kept; the next claim used
-- to try to create the login again, was refused (the email exists) and failed the pairing,
-- stranding a login nobody could use. Now every attempt at one pairing targets the same login:
--   * the first claim picks the login's Auth user id (station_pairings.login_user_id) and every
--     later claim of that pairing returns the same id (and the same email, station-<pairing
--     id>@…), so a retry finds the login the dead worker made and sets the Pi's password on it
--     instead of making a second one;
--   * record_station_paired is idempotent: a second worker finishing the same pairing with the
--     same login (a lease that lapsed while the first was slow, not dead) gets the same station
--     back, not an error that would make it delete the login.
-- The password stays in private.station_pairing_passwords until the pairing is paired or
-- failed, as before: a retry needs it, and the 15-minute abandonment still deletes it.
--
-- claim_station_pairings and record_station_paired move here from
-- 20261125022000_print_station_pairing.sql (the claim returns one more column).

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.station_pairings add column login_user_id uuid;
comment on column public.station_pairings.login_user_id is
  'The Auth user id the pairing worker gives the station''s login, chosen at the first claim so that a retry after a crash finds the same login instead of creating a second one.';

-- ============================================================================================
-- Public functions: the pairing worker (service_role)
-- ============================================================================================

-- Invoker: only service_role may execute it. Pairings the worker never finished within 15
-- minutes (no worker ran) fail first, so no password waits longer than that.
create function public.claim_station_pairings(p_limit integer default 10, p_lease_seconds integer default 60)
returns table (id uuid, name text, password text, login_user_id uuid)
language plpgsql
set search_path = ''
as $$
begin
  with abandoned as (
    update public.station_pairings p
       set status = 'failed', claimed_until = null,
           error = 'No worker created the station''s login within 15 minutes: register it again.'
     where p.status in ('redeemed', 'pairing') and p.redeemed_at < now() - interval '15 minutes'
    returning p.id
  )
  delete from private.station_pairing_passwords s using abandoned a where s.pairing_id = a.id;
  return query
  with claimable as (
    select p.id from public.station_pairings p
     where p.status = 'redeemed' or (p.status = 'pairing' and p.claimed_until < now())
     order by p.redeemed_at
     limit p_limit
     for update skip locked
  ), claimed as (
    update public.station_pairings p
       set status = 'pairing', claimed_until = now() + make_interval(secs => p_lease_seconds),
           login_user_id = coalesce(p.login_user_id, gen_random_uuid())
      from claimable c
     where p.id = c.id
    returning p.id, p.name, p.redeemed_at, p.login_user_id
  )
  select c.id, c.name, s.password, c.login_user_id
    from claimed c join private.station_pairing_passwords s on s.pairing_id = c.id
   order by c.redeemed_at;
end
$$;
comment on function public.claim_station_pairings(integer, integer) is
  'Pairing worker (service_role): claim redeemed pairings for p_lease_seconds, with the password each Pi chose and the Auth user id its login gets (the same on every retry); abandoned ones (15 minutes) fail.';
revoke execute on function public.claim_station_pairings(integer, integer) from public, anon, authenticated;
grant execute on function public.claim_station_pairings(integer, integer) to service_role;

-- Invoker: only service_role may execute it.
create function public.record_station_paired(p_pairing_id uuid, p_user_id uuid, p_email text)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_pairing public.station_pairings;
  v_device_id uuid;
begin
  select * into v_pairing from public.station_pairings p where p.id = p_pairing_id for update;
  -- Already recorded with this login (another worker got there first): the same answer.
  if v_pairing.status = 'paired' then
    select d.id into v_device_id from public.devices d
     where d.id = v_pairing.device_id and d.user_id = p_user_id;
    if v_device_id is not null then
      return v_device_id;
    end if;
  end if;
  if v_pairing.status is distinct from 'pairing' then
    raise exception using errcode = 'P0001', message = 'unknown_pairing', detail = 'No pairing in progress with this id.';
  end if;
  insert into public.devices (user_id, name, venue, cups_queue)
  values (p_user_id, v_pairing.name, v_pairing.venue, v_pairing.cups_queue)
  returning id into v_device_id;
  update public.station_pairings
     set status = 'paired', device_id = v_device_id, device_email = p_email, paired_at = now(),
         claimed_until = null, error = null
   where id = p_pairing_id;
  delete from private.station_pairing_passwords where pairing_id = p_pairing_id;
  perform private.audit('pair_print_station', 'devices', v_device_id::text, null,
                        jsonb_build_object('name', v_pairing.name, 'pairing_id', p_pairing_id));
  return v_device_id;
end
$$;
comment on function public.record_station_paired(uuid, uuid, text) is
  'Pairing worker (service_role): the station''s login exists; create its devices row, forget the password. Returns the device id; recording the same login again returns the same id. Errors: unknown_pairing.';
revoke execute on function public.record_station_paired(uuid, uuid, text) from public, anon, authenticated;
grant execute on function public.record_station_paired(uuid, uuid, text) to service_role;
