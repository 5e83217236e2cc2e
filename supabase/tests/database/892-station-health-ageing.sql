-- Station health as the Print stations page reads it (admin_print_stations), ageing with the
-- heartbeat: online within 45 s of the last beat, offline after, disabled whatever the beat.
-- Asserted here rather than by waiting in the browser e2e (tests/web/test_print_stations.py).
begin;
select plan(9);
select tests.clear_people_data();
select tests.make_people_cast();

create temporary table station on commit drop as
  select id from public.devices where name = 'device';
grant select on station to authenticated;

select tests.act_as('device');
select lives_ok($$select public.device_heartbeat_v2('idle', 'none', '2.0.0', 15)$$, 'the station beats');

select tests.act_as('admin');
select results_eq($$select online, printer_state, agent_version from public.admin_print_stations()$$,
  $$values (true, 'idle'::text, '2.0.0'::text)$$, 'just heard from: online');

select tests.reset_role();
update public.devices set last_seen_at = now() - interval '44 seconds';
select tests.act_as('admin');
select is((select online from public.admin_print_stations()), true, '44 s after the last beat: still online');

select tests.reset_role();
update public.devices set last_seen_at = now() - interval '46 seconds';
select tests.act_as('admin');
select is((select online from public.admin_print_stations()), false, 'three missed beats (45 s): offline');
select ok((select last_seen_at < now() - interval '45 seconds' from public.admin_print_stations()),
  'the page shows when it was last heard from');

select lives_ok($$select public.set_print_station_enabled((select id from station), false)$$, 'disabled');
select tests.act_as('device');
select throws_ok($$select public.device_heartbeat_v2('idle', 'none', '2.0.0', 15)$$,
  'P0001', 'not_allowed', 'a disabled station cannot beat');
select tests.act_as('admin');
select row_eq($$select enabled, online from public.admin_print_stations()$$, row(false, false),
  'a disabled station reads disabled and offline');

select tests.act_as('organizer');
select throws_ok($$select * from public.admin_print_stations()$$, 'P0001', 'not_allowed',
  'an organizer reads no station health');

select * from finish();
rollback;
