-- Health: processes beat through functions (workers as service_role, a station as itself), and
-- admins read one snapshot; a process that stops beating goes stale, a clean exit reads stopped.
begin;
select plan(34);
select tests.clear_people_data();
truncate public.process_heartbeats, public.webhook_events;
delete from public.messages;
select tests.make_people_cast();

-- ---------------------------------------------------------------- who may beat
select tests.act_as('service_role');
select lives_ok($$select public.record_process_heartbeat('host-1', 'worker', '0.1.0', 2, now(), 3)$$,
  'a worker (service_role) records its heartbeat');
select lives_ok($$select public.record_process_heartbeat('host-1', 'worker', '0.1.0', 2, null, 1)$$,
  'a second beat updates the same row');
select row_eq($$select kind, version, interval_seconds, in_flight, last_claim_at is not null
                 from public.process_heartbeats where process_id = 'host-1'$$,
  row('worker'::text, '0.1.0'::text, 2, 1, true),
  'one row per process; a beat without a claim keeps the last claim');
select throws_ok($$select public.record_process_heartbeat('host-2', 'pi_agent', '0.1.0', 2)$$,
  'P0001', 'invalid_heartbeat', 'only a station records a Pi agent heartbeat');
select throws_ok($$select public.record_process_heartbeat('host-2', 'worker', '', 2)$$,
  'P0001', 'invalid_heartbeat', 'a heartbeat without a version is refused');
select throws_ok($$select public.record_process_heartbeat('host-2', 'worker', '0.1.0', 0)$$,
  'P0001', 'invalid_heartbeat', 'an interval of 0 s is refused');
select throws_ok($$select public.record_process_heartbeat('host-2', 'worker', '0.1.0', 2, null, -1)$$,
  'P0001', 'invalid_heartbeat', 'a negative in-flight count is refused');
select is((select count(*)::int from public.process_heartbeats where process_id = 'host-2'), 0,
  'refused heartbeats change nothing');

select tests.act_as('admin');
select throws_ok($$select public.record_process_heartbeat('host-3', 'worker', '0.1.0', 2)$$,
  '42501', null, 'an admin cannot forge a worker heartbeat');
select throws_ok($$select public.record_process_stopped('host-1')$$,
  '42501', null, 'an admin cannot mark a worker stopped');
select throws_ok($$select * from public.process_heartbeats$$,
  '42501', null, 'staff do not read the table directly');
select tests.act_as('anon');
select throws_ok($$select public.record_process_heartbeat('host-3', 'worker', '0.1.0', 2)$$,
  '42501', null, 'anon cannot record a heartbeat');
select throws_ok($$select public.device_heartbeat_v2('idle', null, '0.1.0', 15)$$,
  '42501', null, 'anon cannot record a station heartbeat');

select tests.act_as('device');
select lives_ok($$select public.device_heartbeat_v2('idle', null, '0.1.0', 15, now(), 0)$$,
  'a station records its own agent heartbeat');
select tests.reset_role();
select row_eq($$select h.kind, h.device_id = d.id, d.printer_state, d.last_seen_at is not null
                 from public.process_heartbeats h, public.devices d
                where d.name = 'device' and h.process_id = 'pi:' || d.id$$,
  row('pi_agent'::text, true, 'idle'::text, true),
  'the agent''s row names its station, and the station''s own heartbeat is recorded too');
select tests.act_as('device');
select throws_ok($$select public.device_heartbeat_v2('idle', null, '0.1.0', 99999)$$,
  'P0001', 'invalid_heartbeat', 'a station''s bad heartbeat is refused');
select tests.act_as('organizer');
select throws_ok($$select public.device_heartbeat_v2('idle', null, '0.1.0', 15)$$,
  'P0001', 'not_allowed', 'a staff login is not a station');

-- ---------------------------------------------------------------- who may read
select tests.act_as('organizer');
select throws_ok($$select public.admin_health()$$, 'P0001', 'not_allowed', 'organizer cannot read health');
select tests.act_as('volunteer');
select throws_ok($$select public.admin_health()$$, 'P0001', 'not_allowed', 'volunteer cannot read health');
select tests.act_as('anon');
select throws_ok($$select public.admin_health()$$, '42501', null, 'anon cannot read health');

select tests.act_as('admin');
select is(public.admin_health() -> 'problems', '[]'::jsonb, 'all alive and nothing waiting: no problems');
select is((select jsonb_agg(p ->> 'state' order by p ->> 'process_id') from jsonb_array_elements(public.admin_health() -> 'processes') p),
  '["alive", "alive"]'::jsonb, 'admin sees the worker and the agent alive');
select tests.act_as('owner');
select is(jsonb_array_length(public.admin_health() -> 'processes'), 2, 'owner reads health too');

-- ---------------------------------------------------------------- stale and stopped
select tests.reset_role();
-- Six seconds of silence: three missed beats of a 2 s worker.
update public.process_heartbeats set beat_at = now() - interval '7 seconds' where process_id = 'host-1';
select tests.act_as('admin');
select is((select p ->> 'state' from jsonb_array_elements(public.admin_health() -> 'processes') p
            where p ->> 'process_id' = 'host-1'), 'stale', 'a worker silent for three beats is stale');
select is(public.admin_health() -> 'problems', '[{"code": "process_stale", "subject": "host-1"}]'::jsonb,
  'a stale worker is a problem');
select tests.act_as('service_role');
select public.record_process_stopped('host-1');
select tests.act_as('admin');
select is((select p ->> 'state' from jsonb_array_elements(public.admin_health() -> 'processes') p
            where p ->> 'process_id' = 'host-1'), 'stopped', 'a clean exit reads stopped');
select is(public.admin_health() -> 'problems', '[]'::jsonb, 'a stopped worker is not a problem');

-- ---------------------------------------------------------------- the rest of the snapshot
select tests.reset_role();
insert into public.senders (id, name, channel, provider, from_number, mps_segments, daily_cap)
values ('00000000-0000-0000-0000-0000000005e1', 'Main line', 'sms', 'twilio', '+13055550999', 2, 100);
insert into private.sender_rate_buckets (sender_id, tokens, refilled_at, cap_day, used_today)
values ('00000000-0000-0000-0000-0000000005e1', 0, now() - interval '0.5 seconds',
        (now() at time zone (private.messaging_settings()).org_time_zone)::date, 100);
insert into public.messages (kind, status, to_address, body, created_at)
values ('blast', 'queued', '+13055550111', 'a', now() - interval '10 minutes'),
       ('blast', 'queued', '+13055550112', 'b', now() - interval '5 minutes'),
       ('transactional', 'queued', '+13055550113', 'c', now());
insert into public.messages (kind, status, to_address, body, claimed_by, send_started_at, attempts)
values ('conversation', 'sending', '+13055550114', 'd', 'host-1', now() - interval '2 minutes', 1),
       ('conversation', 'sending', '+13055550115', 'e', 'host-1', now() - interval '5 seconds', 1);
insert into public.webhook_events (provider, provider_event_id, event_type, payload, status)
values ('twilio', 'e1', 'sms_status', '{}', 'failed'), ('twilio', 'e2', 'sms_status', '{}', 'deferred'),
       ('twilio', 'e3', 'sms_status', '{}', 'processed');
update public.devices set last_seen_at = now() - interval '1 minute' where name = 'device';
with night as (
  insert into public.events (slug, name, starts_at, ends_at)
  values ('health-night', 'Health night', now(), now() + interval '2 hours') returning id
)
insert into public.print_jobs (event_id, contact_id, device_id, payload)
select night.id, c.id, d.id, '{}'
  from night, public.devices d, public.contacts c
 where d.name = 'device' limit 1;

select tests.act_as('admin');
select is(public.admin_health() -> 'outbox',
  jsonb_build_array(
    jsonb_build_object('kind', 'blast', 'queued', 2,
      'oldest_queued_at', (select min(created_at) from public.messages where kind = 'blast' and status = 'queued')),
    jsonb_build_object('kind', 'transactional', 'queued', 1,
      'oldest_queued_at', (select min(created_at) from public.messages where kind = 'transactional' and status = 'queued'))),
  'the outbox: queued by kind with the oldest of each');
select is((public.admin_health() ->> 'messages_in_doubt')::int, 1,
  'a send started over a minute ago and unresolved is in doubt; a fresh one is not');
select is((select (p ->> 'in_doubt')::int from jsonb_array_elements(public.admin_health() -> 'processes') p
            where p ->> 'process_id' = 'host-1'), 1, 'the worker that holds it is named');
select is((public.admin_health() -> 'webhooks') - 'oldest_pending_at',
  '{"received": 0, "deferred": 1, "failed": 1}'::jsonb, 'the webhook backlog by state');
select row_eq($$select s ->> 'name', (s ->> 'online')::boolean, (s ->> 'queued_jobs')::int
                 from jsonb_array_elements(public.admin_health() -> 'stations') s$$,
  row('device'::text, false, 1), 'a station silent for a minute is offline, with its queue depth');
select row_eq($$select (s ->> 'used_today')::int, (s ->> 'daily_cap')::int, (s ->> 'tokens')::numeric between 0.9 and 2
                 from jsonb_array_elements(public.admin_health() -> 'senders') s
                where s ->> 'name' = 'Main line'$$,
  row(100, 100, true), 'a sender''s bucket: refilled tokens (capped at its rate) and today''s use against the cap');
select is(public.admin_health() -> 'problems',
  '[{"code": "no_live_worker", "subject": null},
    {"code": "messages_in_doubt", "subject": "1"},
    {"code": "webhooks_failed", "subject": "1"},
    {"code": "station_offline", "subject": "device"},
    {"code": "sender_cap_reached", "subject": "Main line"}]'::jsonb,
  'each unhealthy part is a problem for the banner');

select * from finish();
rollback;
