-- A print station that never sent a heartbeat is offline.
--
-- station_is_online compared last_seen_at with now(); for a station that never answered
-- (last_seen_at null) that is null, not false, so stuck_print_jobs called a tag waiting on it
-- "queued too long" instead of "station offline", and would not list it as stuck before 30 s.
-- The door's station list (frontend/src/door/api.ts) already shows such a station as offline.
--
-- private.station_is_online is defined here (it was in …003000_door_stations).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- A station is "offline" after three missed heartbeats (the Pi beats every 15 s), or before its
-- first one.
create function private.station_is_online(p_device public.devices) returns boolean
language sql
stable
set search_path = ''
as $$
  select p_device.disabled_at is null
     and coalesce(p_device.last_seen_at > now() - interval '45 seconds', false)
$$;
comment on function private.station_is_online(public.devices) is
  'Enabled and heard from in the last 45 s (three Pi heartbeats); a station never heard from is offline.';
