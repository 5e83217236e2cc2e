-- A station that never sent a heartbeat is offline (20261125013020_station_never_heard_from):
-- organizers see a tag waiting on it as stuck at once, with the reason "station_offline";
-- other roles still cannot list stuck jobs.
begin;
select plan(7);
select tests.clear_people_data();

select tests.make_people_cast();
select tests.make_device('silent_device');
select tests.make_device('retired_device');
update public.devices set last_seen_at = now() where name in ('device', 'retired_device');
update public.devices set disabled_at = now() where name = 'retired_device';
insert into public.events (id, slug, name, starts_at, ends_at, published, default_device_id) values
  ('00000000-0000-0000-0000-0000000000e1', 'silent-night', 'Silent Night', now(), now() + interval '2 hours', true,
   (select id from public.devices where name = 'device'));
insert into public.event_print_stations (event_id, device_id)
select '00000000-0000-0000-0000-0000000000e1', id from public.devices where name = 'silent_device';
insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob'),
  ('00000000-0000-0000-0000-0000000000c2', '+13055550112', 'Cy');
-- Just queued (not yet 30 s): one on the silent station, one on the station that answers.
insert into public.print_jobs (event_id, contact_id, device_id, payload)
select '00000000-0000-0000-0000-0000000000e1', c.id, d.id, jsonb_build_object('display_name', c.first_name)
  from public.contacts c
  join public.devices d on d.name = case c.first_name when 'Bob' then 'silent_device' else 'device' end;

select ok(not private.station_is_online(d), 'a station never heard from is offline')
  from public.devices d where d.name = 'silent_device';
select ok(private.station_is_online(d), 'a station heard from just now is online')
  from public.devices d where d.name = 'device';
select ok(not private.station_is_online(d), 'a disabled station is offline, heartbeat or not')
  from public.devices d where d.name = 'retired_device';

-- ---------------------------------------------------------------- organizers: listed at once, with the reason
select tests.act_as('organizer');
select results_eq($$select display_name, reason from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  $$values ('Bob', 'station_offline')$$, 'a tag on a station never heard from is stuck at once, as station_offline');

-- ---------------------------------------------------------------- other roles: refused
select tests.act_as('volunteer');
select throws_ok($$select * from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'not_allowed', 'volunteers cannot list stuck jobs');
select tests.act_as('attendee');
select throws_ok($$select * from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'not_allowed', 'attendees cannot list stuck jobs');
select tests.act_as('anon');
select throws_ok($$select * from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  '42501', null, 'anon may not call stuck_print_jobs');

select tests.reset_role();
select * from finish();
rollback;
