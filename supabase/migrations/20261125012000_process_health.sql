-- Health (issue 16, item 6): every long-running process beats, and admins read the whole
-- system's health in one call.
--
-- Each process (a worker, the webhook server, the automations runner inside a worker, a Pi print
-- agent) keeps one row in process_heartbeats, written only through functions:
--   public.record_process_heartbeat(p_process_id, p_kind, p_version, p_interval_seconds,
--                                   p_last_claim_at, p_in_flight)      service_role (workers)
--   public.record_process_stopped(p_process_id)                        service_role (clean exit)
--   public.device_heartbeat_v2(p_printer_state, p_printer_state_reason, p_version,
--                              p_interval_seconds, p_last_claim_at, p_in_flight)
--                                                                      the station's own login
-- A process says how often it beats; it is stale after three missed beats (the rule print
-- stations already follow, private.station_is_online). A clean exit marks the row stopped, so
-- only a process that died or hangs reads as unhealthy.
--
--   public.admin_health() -> jsonb                                     admins
-- One snapshot: processes, the outbox (queued by kind, oldest queued), messages in doubt, the
-- webhook backlog, print stations, sender buckets, and the problems to show as a banner.
-- Refusal codes: not_allowed, invalid_heartbeat.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.process_heartbeats (
  process_id text primary key check (btrim(process_id) <> '' and length(process_id) <= 200),
  kind text not null check (kind in ('worker', 'webhook_server', 'automations', 'pi_agent')),
  device_id uuid unique references public.devices (id) on delete cascade,
  version text not null check (btrim(version) <> '' and length(version) <= 100),
  interval_seconds integer not null check (interval_seconds between 1 and 3600),
  started_at timestamptz not null default now(),
  beat_at timestamptz not null default now(),
  stopped_at timestamptz,
  last_claim_at timestamptz,
  in_flight integer not null default 0 check (in_flight >= 0),
  constraint process_heartbeats_pi_agent_has_device check ((kind = 'pi_agent') = (device_id is not null))
);
comment on table public.process_heartbeats is
  'One row per running process (worker, webhook server, automations runner, Pi agent): its last heartbeat. Written through record_process_heartbeat / device_heartbeat_v2; read through admin_health().';
comment on column public.process_heartbeats.process_id is
  'The worker id (messages.claimed_by), a webhook server''s host-pid, or pi:<device id>.';
comment on column public.process_heartbeats.interval_seconds is
  'How often the process promises to beat; stale after three missed beats.';
comment on column public.process_heartbeats.stopped_at is 'Set by a clean exit; a stopped process is not a problem.';
comment on column public.process_heartbeats.last_claim_at is
  'When the process last claimed work (messages for a worker, print jobs for a Pi, a run for automations).';
comment on column public.process_heartbeats.in_flight is 'Sends (or print jobs) under way at the last beat.';

create index process_heartbeats_beat_at_idx on public.process_heartbeats (beat_at);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.process_heartbeats from anon, authenticated;
grant all on table public.process_heartbeats to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

-- No policies: authenticated users read health through admin_health() only.
alter table public.process_heartbeats enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.process_is_alive(p_process public.process_heartbeats, p_now timestamptz)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_process.stopped_at is null
     and p_process.beat_at > p_now - make_interval(secs => 3 * p_process.interval_seconds)
$$;
comment on function private.process_is_alive(public.process_heartbeats, timestamptz) is
  'Not stopped and heard from within three of its own heartbeat intervals.';

create function private.require_valid_heartbeat(p_version text, p_interval_seconds integer, p_in_flight integer)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_version is null or btrim(p_version) = '' or length(p_version) > 100
     or p_interval_seconds is null or p_interval_seconds not between 1 and 3600
     or p_in_flight is null or p_in_flight < 0 then
    raise exception using errcode = 'P0001', message = 'invalid_heartbeat',
      detail = 'A heartbeat needs a version (1-100 characters), an interval of 1-3600 s and in-flight >= 0.';
  end if;
end
$$;
comment on function private.require_valid_heartbeat(text, integer, integer) is
  'Refuse a heartbeat with a missing version, an interval outside 1-3600 s or a negative in-flight count.';
grant execute on function private.require_valid_heartbeat(text, integer, integer) to service_role;

-- What the banner shows, from admin_health's parts. A stale Pi agent is not a problem by itself
-- (a Pi is unplugged after the event); an offline station with tags waiting is.
create function private.health_problems(
  p_processes jsonb,
  p_in_doubt integer,
  p_outbox jsonb,
  p_webhooks jsonb,
  p_stations jsonb,
  p_senders jsonb
) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select coalesce(jsonb_agg(p.problem order by p.ord, p.problem ->> 'subject'), '[]'::jsonb)
    from (
      select 1 as ord, jsonb_build_object('code', 'process_stale', 'subject', e ->> 'process_id') as problem
        from jsonb_array_elements(p_processes) e
       where e ->> 'state' = 'stale' and e ->> 'kind' <> 'pi_agent'
      union all
      select 2, jsonb_build_object('code', 'no_live_worker', 'subject', null)
       where jsonb_array_length(p_outbox) > 0
         and not exists (select from jsonb_array_elements(p_processes) e
                          where e ->> 'kind' = 'worker' and e ->> 'state' = 'alive')
      union all
      select 3, jsonb_build_object('code', 'messages_in_doubt', 'subject', p_in_doubt::text)
       where p_in_doubt > 0
      union all
      select 4, jsonb_build_object('code', 'webhooks_failed', 'subject', p_webhooks ->> 'failed')
       where (p_webhooks ->> 'failed')::integer > 0
      union all
      select 5, jsonb_build_object('code', 'station_offline', 'subject', e ->> 'name')
        from jsonb_array_elements(p_stations) e
       where (e ->> 'enabled')::boolean and not (e ->> 'online')::boolean and (e ->> 'queued_jobs')::integer > 0
      union all
      select 6, jsonb_build_object('code', 'sender_cap_reached', 'subject', e ->> 'name')
        from jsonb_array_elements(p_senders) e
       where (e ->> 'enabled')::boolean and e ->> 'daily_cap' is not null
         and (e ->> 'used_today')::integer >= (e ->> 'daily_cap')::integer
    ) p
$$;
comment on function private.health_problems(jsonb, integer, jsonb, jsonb, jsonb, jsonb) is
  'Problems [{code, subject}] in a health snapshot: process_stale, no_live_worker, messages_in_doubt, webhooks_failed, station_offline (with tags waiting), sender_cap_reached.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- Invoker: only service_role may execute it, and it owns the table's writes.
create function public.record_process_heartbeat(
  p_process_id text,
  p_kind text,
  p_version text,
  p_interval_seconds integer,
  p_last_claim_at timestamptz default null,
  p_in_flight integer default 0
) returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_kind is null or p_kind not in ('worker', 'webhook_server', 'automations')
     or p_process_id is null or btrim(p_process_id) = '' or length(p_process_id) > 200 then
    raise exception using errcode = 'P0001', message = 'invalid_heartbeat',
      detail = 'kind must be worker, webhook_server or automations, with a process id of 1-200 characters.';
  end if;
  perform private.require_valid_heartbeat(p_version, p_interval_seconds, p_in_flight);
  insert into public.process_heartbeats as h
    (process_id, kind, version, interval_seconds, last_claim_at, in_flight)
  values (p_process_id, p_kind, p_version, p_interval_seconds, p_last_claim_at, p_in_flight)
  on conflict (process_id) do update
     set kind = excluded.kind,
         version = excluded.version,
         interval_seconds = excluded.interval_seconds,
         beat_at = now(),
         -- A process id reused after a stop (same host and pid) is a new run.
         started_at = case when h.stopped_at is null then h.started_at else now() end,
         stopped_at = null,
         last_claim_at = coalesce(excluded.last_claim_at, h.last_claim_at),
         in_flight = excluded.in_flight;
  -- Processes that stopped or died a day ago are history, not health: forget them.
  delete from public.process_heartbeats
   where device_id is null and beat_at < now() - interval '1 day';
end
$$;
comment on function public.record_process_heartbeat(text, text, text, integer, timestamptz, integer) is
  'Workers (service_role): record that a process is alive, with its version, beat interval, last claim and sends in flight. Rows silent for a day are removed. Errors: invalid_heartbeat.';
revoke execute on function public.record_process_heartbeat(text, text, text, integer, timestamptz, integer)
  from public, anon, authenticated;
grant execute on function public.record_process_heartbeat(text, text, text, integer, timestamptz, integer)
  to service_role;

create function public.record_process_stopped(p_process_id text) returns void
language sql
set search_path = ''
as $$
  update public.process_heartbeats set stopped_at = now(), in_flight = 0
   where process_id = p_process_id and device_id is null
$$;
comment on function public.record_process_stopped(text) is
  'Workers (service_role): a process exits cleanly; it then reads as stopped, not stale.';
revoke execute on function public.record_process_stopped(text) from public, anon, authenticated;
grant execute on function public.record_process_stopped(text) to service_role;

-- SECURITY DEFINER: a station may neither update its devices row nor write heartbeats directly;
-- it records only its own (private.require_device, through device_heartbeat).
create function public.device_heartbeat_v2(
  p_printer_state text,
  p_printer_state_reason text,
  p_version text,
  p_interval_seconds integer,
  p_last_claim_at timestamptz default null,
  p_in_flight integer default 0
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_device_id uuid;
begin
  perform private.require_valid_heartbeat(p_version, p_interval_seconds, p_in_flight);
  perform public.device_heartbeat(p_printer_state, p_printer_state_reason);
  v_device_id := private.current_device_id();
  insert into public.process_heartbeats as h
    (process_id, kind, device_id, version, interval_seconds, last_claim_at, in_flight)
  values ('pi:' || v_device_id, 'pi_agent', v_device_id, p_version, p_interval_seconds, p_last_claim_at, p_in_flight)
  on conflict (process_id) do update
     set version = excluded.version,
         interval_seconds = excluded.interval_seconds,
         beat_at = now(),
         started_at = case when h.beat_at < now() - make_interval(secs => 3 * h.interval_seconds)
                           then now() else h.started_at end,
         last_claim_at = coalesce(excluded.last_claim_at, h.last_claim_at),
         in_flight = excluded.in_flight;
end
$$;
comment on function public.device_heartbeat_v2(text, text, text, integer, timestamptz, integer) is
  'Device only: device_heartbeat plus the agent''s version, beat interval, last claim and jobs in flight (process_heartbeats). Errors: not_allowed, invalid_heartbeat.';
grant execute on function public.device_heartbeat_v2(text, text, text, integer, timestamptz, integer) to authenticated;

-- SECURITY DEFINER: the snapshot reads the sender buckets (schema private), every message's
-- status and the heartbeats, none of which admins read directly; it checks the caller is an
-- admin first. Every part is an aggregate over an index (statuses, partial indexes).
create function public.admin_health() returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := now();
  v_today date := (v_now at time zone (private.messaging_settings()).org_time_zone)::date;
  v_in_doubt_after constant interval := interval '1 minute';
  v_processes jsonb;
  v_outbox jsonb;
  v_webhooks jsonb;
  v_stations jsonb;
  v_senders jsonb;
  v_in_doubt integer;
begin
  if not private.has_staff_level('admin') then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Admins only.';
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'process_id', h.process_id,
           'kind', h.kind,
           'station', d.name,
           'version', h.version,
           'started_at', h.started_at,
           'beat_at', h.beat_at,
           'last_claim_at', h.last_claim_at,
           'in_flight', h.in_flight,
           'state', case when h.stopped_at is not null then 'stopped'
                         when private.process_is_alive(h, v_now) then 'alive'
                         else 'stale' end,
           'in_doubt', (select count(*) from public.messages m
                         where m.status = 'sending' and m.claimed_by = h.process_id
                           and m.send_started_at <= v_now - v_in_doubt_after))
           order by h.kind, h.process_id), '[]'::jsonb)
    into v_processes
    from public.process_heartbeats h
    left join public.devices d on d.id = h.device_id;

  select count(*) into v_in_doubt from public.messages m
   where m.status = 'sending' and m.send_started_at <= v_now - v_in_doubt_after;

  select coalesce(jsonb_agg(jsonb_build_object('kind', q.kind, 'queued', q.queued, 'oldest_queued_at', q.oldest)
           order by q.kind), '[]'::jsonb)
    into v_outbox
    from (select m.kind::text as kind, count(*) as queued, min(m.created_at) as oldest
            from public.messages m where m.status = 'queued' group by m.kind) q;

  select jsonb_build_object(
           'received', count(*) filter (where w.status = 'received'),
           'deferred', count(*) filter (where w.status = 'deferred'),
           'failed', count(*) filter (where w.status = 'failed'),
           'oldest_pending_at', min(w.received_at))
    into v_webhooks
    from public.webhook_events w where w.status in ('received', 'deferred', 'failed');

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', d.id,
           'name', d.name,
           'enabled', d.disabled_at is null,
           'online', private.station_is_online(d),
           'last_seen_at', d.last_seen_at,
           'printer_state', d.printer_state,
           'printer_state_reason', d.printer_state_reason,
           'queued_jobs', (select count(*) from public.print_jobs j
                            where j.device_id = d.id and j.status in ('queued', 'claimed')))
           order by d.name), '[]'::jsonb)
    into v_stations
    from public.devices d;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id,
           'name', s.name,
           'channel', s.channel,
           'enabled', s.enabled,
           'capacity', s.mps_segments,
           -- The bucket as the next claim would see it (refilled for the time since its last claim).
           'tokens', case when b.sender_id is null then s.mps_segments
                          else round(least(s.mps_segments, b.tokens
                                 + greatest(0, extract(epoch from v_now - b.refilled_at)) * s.mps_segments), 2) end,
           'used_today', case when b.cap_day = v_today then b.used_today else 0 end,
           'daily_cap', s.daily_cap)
           order by s.name), '[]'::jsonb)
    into v_senders
    from public.senders s
    left join private.sender_rate_buckets b on b.sender_id = s.id;

  return jsonb_build_object(
    'checked_at', v_now,
    'processes', v_processes,
    'messages_in_doubt', v_in_doubt,
    'outbox', v_outbox,
    'webhooks', v_webhooks,
    'stations', v_stations,
    'senders', v_senders,
    'problems', private.health_problems(v_processes, v_in_doubt, v_outbox, v_webhooks, v_stations, v_senders));
end
$$;
comment on function public.admin_health() is
  'Admins: one health snapshot — processes (alive/stale/stopped, last claim, in flight, in doubt), the outbox by kind, messages in doubt, the webhook backlog, stations, sender buckets, and problems [{code, subject}]. Errors: not_allowed.';
grant execute on function public.admin_health() to authenticated;
