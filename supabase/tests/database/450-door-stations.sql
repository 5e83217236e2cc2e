-- The door's printing per role: stations per event, the door's station choice, no tag queued for
-- no station, stuck jobs and moving them, print privacy (events worked, no QR tokens), kiosk PIN.
begin;
select plan(60);
select tests.clear_people_data();

select tests.make_people_cast();
select tests.make_staff('other_volunteer', 'volunteer');
select tests.make_device('second_device');
select tests.make_device('foreign_device');
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000000e1', 'door-night', 'Door Night', now(), now() + interval '2 hours', true),
  ('00000000-0000-0000-0000-0000000000e2', 'no-printer', 'No Printer', now(), now() + interval '2 hours', true);
insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob'),
  ('00000000-0000-0000-0000-0000000000c2', '+13055550112', 'Cy'),
  ('00000000-0000-0000-0000-0000000000c3', '+13055550113', 'Di');
create temporary table facts (name text primary key, value jsonb) on commit drop;
grant all on facts to anon, authenticated, service_role;
insert into facts values
  ('device', to_jsonb((select id from public.devices where name = 'device'))),
  ('second', to_jsonb((select id from public.devices where name = 'second_device'))),
  ('foreign', to_jsonb((select id from public.devices where name = 'foreign_device')));
create function pg_temp.fact(p_name text) returns uuid language sql as
  $$ select (value ->> 0)::uuid from facts where name = p_name $$;
grant execute on function pg_temp.fact(text) to anon, authenticated, service_role;

-- ---------------------------------------------------------------- assigning stations × roles
select tests.act_as('volunteer');
select throws_ok($$insert into public.event_print_stations (event_id, device_id)
                   values ('00000000-0000-0000-0000-0000000000e1', pg_temp.fact('device'))$$,
  '42501', null, 'volunteers cannot assign stations');
select tests.act_as('attendee');
select is((select count(*)::int from public.event_print_stations), 0, 'attendees read no station assignments');
select tests.act_as('anon');
select throws_ok($$select * from public.event_print_stations$$, '42501', null, 'anon cannot read station assignments');
select tests.act_as('organizer');
-- Calls in one transaction share now(): the second station is added a second later on purpose.
select lives_ok($$insert into public.event_print_stations (event_id, device_id, created_at) values
                   ('00000000-0000-0000-0000-0000000000e1', pg_temp.fact('device'), now()),
                   ('00000000-0000-0000-0000-0000000000e1', pg_temp.fact('second'), now() + interval '1 second')$$,
  'organizers give an event two stations');
select lives_ok($$insert into public.event_staff (event_id, user_id)
                   values ('00000000-0000-0000-0000-0000000000e1', tests.get_supabase_uid('volunteer'))$$,
  'organizers put a volunteer on the event''s staff');
select tests.act_as('volunteer');
select is((select count(*)::int from public.event_print_stations), 2, 'volunteers read station assignments (to pick one)');
select is((select count(*)::int from public.event_staff), 1, 'a volunteer reads their own assignment');
select throws_ok($$insert into public.event_staff (event_id, user_id)
                   values ('00000000-0000-0000-0000-0000000000e2', tests.get_supabase_uid('volunteer'))$$,
  '42501', null, 'volunteers cannot add themselves to an event');
select tests.act_as('other_volunteer');
select is((select count(*)::int from public.event_staff), 0, 'another volunteer reads no one else''s assignment');

-- ---------------------------------------------------------------- the door's station choice
select tests.act_as('volunteer');
insert into facts values ('bob', public.check_in('00000000-0000-0000-0000-0000000000e1',
  p_contact_id => '00000000-0000-0000-0000-0000000000c1', p_station_id => pg_temp.fact('second')));
select is((select device_id from public.print_jobs where id = (select (value ->> 'print_job_id')::uuid from facts where name = 'bob')),
  pg_temp.fact('second'), 'the tag prints at the station the door chose');
insert into facts values ('cy', public.check_in('00000000-0000-0000-0000-0000000000e1',
  p_contact_id => '00000000-0000-0000-0000-0000000000c2'));
select is((select device_id from public.print_jobs where id = (select (value ->> 'print_job_id')::uuid from facts where name = 'cy')),
  pg_temp.fact('device'), 'without a choice, the event''s first station prints');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1',
                    p_contact_id => '00000000-0000-0000-0000-0000000000c3', p_station_id => pg_temp.fact('foreign'))$$,
  'P0001', 'unknown_station', 'a station that does not print for the event is refused');
select is((select count(*)::int from public.check_ins where contact_id = '00000000-0000-0000-0000-0000000000c3'), 0,
  'and nothing was checked in');

-- ---------------------------------------------------------------- an event with no station
insert into facts values ('bob_np', public.check_in('00000000-0000-0000-0000-0000000000e2',
  p_contact_id => '00000000-0000-0000-0000-0000000000c1'));
select is((select value ->> 'code' from facts where name = 'bob_np'), 'checked_in', 'no station: the person is still checked in');
select is((select value ->> 'print_refused' from facts where name = 'bob_np'), 'no_print_station', 'the answer says why no tag prints');
select is((select count(*)::int from public.print_jobs where event_id = '00000000-0000-0000-0000-0000000000e2'), 0,
  'no job is queued where no station could claim it');
select throws_ok(format('select public.reprint_badge(%L)', (select value ->> 'check_in_id' from facts where name = 'bob_np')),
  'P0001', 'no_print_station', 'a reprint for an event with no station is refused');

-- ---------------------------------------------------------------- reprints left
select is(public.reprints_left((select (value ->> 'check_in_id')::uuid from facts where name = 'bob')), 2,
  'a volunteer has two reprints');
select lives_ok(format('select public.reprint_badge(%L, p_station_id => %L)',
  (select value ->> 'check_in_id' from facts where name = 'bob'), pg_temp.fact('device')), 'a volunteer reprints at a chosen station');
select is(public.reprints_left((select (value ->> 'check_in_id')::uuid from facts where name = 'bob')), 1, 'then one left');
select tests.act_as('organizer');
select is(public.reprints_left((select (value ->> 'check_in_id')::uuid from facts where name = 'bob')), null,
  'organizers have no limit');
select tests.act_as('attendee');
select throws_ok($$select public.reprints_left(gen_random_uuid())$$, 'P0001', 'not_allowed', 'attendees are refused');

-- ---------------------------------------------------------------- print privacy
select tests.act_as('volunteer');
select is((select count(*)::int from public.print_jobs), 3, 'a volunteer reads the jobs of the event they work');
select throws_ok($$select payload from public.print_jobs$$, '42501', null, 'but never a payload (QR tokens)');
select tests.act_as('other_volunteer');
select is((select count(*)::int from public.print_jobs), 0, 'a volunteer who does not work the event reads none of its jobs');
select tests.act_as('organizer');
select is((select count(*)::int from public.print_jobs), 3, 'organizers read every event''s jobs');
select throws_ok($$select payload from public.print_jobs$$, '42501', null, 'organizers read no payloads either');
select tests.act_as('device');
select is((select count(*)::int from public.print_jobs), 2, 'a station reads its own jobs');
select throws_ok($$select payload from public.print_jobs$$, '42501', null, 'a station gets payloads only by claiming');
select tests.act_as('service_role');
select ok((select bool_and(payload ? 'qr_token') from public.print_jobs), 'the service reads payloads');

-- ---------------------------------------------------------------- stuck jobs and moving them
select tests.reset_role();
update public.devices set last_seen_at = now() where name = 'device';
update public.devices set last_seen_at = now() - interval '5 minutes' where name = 'second_device';
update public.print_jobs set created_at = now() - interval '10 seconds';
select tests.act_as('organizer');
select results_eq($$select display_name, reason from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  $$values ('Bob'::text, 'station_offline'::text)$$, 'a fresh job at an offline station is stuck; one at a live station is not yet');
select tests.reset_role();
update public.print_jobs set created_at = now() - interval '40 seconds' where status = 'queued';
select tests.act_as('organizer');
select is((select count(*)::int from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')), 3,
  'every job queued for more than 30 s is stuck');
select is((select reason from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1') where display_name = 'Cy'),
  'queued_too_long', 'with its reason');
select lives_ok(format('select public.move_print_job(%L, %L)',
  (select value ->> 'print_job_id' from facts where name = 'bob'), pg_temp.fact('device')), 'an organizer moves Bob''s tag');
select is((select device_id from public.print_jobs where id = (select (value ->> 'print_job_id')::uuid from facts where name = 'bob')),
  pg_temp.fact('device'), 'to the live station');
select throws_ok(format('select public.move_print_job(%L, %L)',
  (select value ->> 'print_job_id' from facts where name = 'bob'), pg_temp.fact('foreign')),
  'P0001', 'unknown_station', 'never to a station that does not print for the event');
select throws_ok(format('select public.move_print_job(%L, %L)', gen_random_uuid(), pg_temp.fact('device')),
  'P0001', 'unknown_job', 'an unknown job is refused');
select tests.act_as('device');
select is((select count(*)::int from public.claim_print_jobs(10, 60)), 3, 'the live station claims the moved tag too');
select tests.act_as('organizer');
select lives_ok(format('select public.move_print_job(%L, %L)',
  (select value ->> 'print_job_id' from facts where name = 'cy'), pg_temp.fact('second')), 'a claimed tag moves as well');
select is((select status from public.print_jobs where id = (select (value ->> 'print_job_id')::uuid from facts where name = 'cy')),
  'queued', 'queued again at its new station');
select tests.act_as('device');
select throws_ok(format('select public.start_print_job(%L)', (select value ->> 'print_job_id' from facts where name = 'cy')),
  'P0001', 'unknown_job', 'the old station can no longer print it (no double tag)');
select lives_ok(format('select public.start_print_job(%L)', (select value ->> 'print_job_id' from facts where name = 'bob')),
  'the station starts Bob''s tag');
select lives_ok(format('select public.finish_print_job(%L, %L)', (select value ->> 'print_job_id' from facts where name = 'bob'), 'printed'),
  'and prints it');
select tests.act_as('organizer');
select throws_ok(format('select public.move_print_job(%L, %L)',
  (select value ->> 'print_job_id' from facts where name = 'bob'), pg_temp.fact('second')),
  'P0001', 'job_not_movable', 'a printed tag does not move');
select tests.act_as('volunteer');
select throws_ok($$select * from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'not_allowed', 'volunteers do not list stuck jobs');
select throws_ok(format('select public.move_print_job(%L, %L)',
  (select value ->> 'print_job_id' from facts where name = 'cy'), pg_temp.fact('device')),
  'P0001', 'not_allowed', 'volunteers do not move jobs');
select tests.act_as('anon');
select throws_ok($$select * from public.stuck_print_jobs('00000000-0000-0000-0000-0000000000e1')$$,
  '42501', null, 'anon may not call stuck_print_jobs');

-- ---------------------------------------------------------------- kiosk PIN
select tests.act_as('anon');
select throws_ok($$select public.unlock_kiosk('00000000-0000-0000-0000-0000000000e1', '1234')$$,
  'P0001', 'kiosk_pin_not_set', 'no PIN set: the kiosk says so');
select throws_ok($$select public.set_kiosk_pin('00000000-0000-0000-0000-0000000000e1', '1234')$$,
  '42501', null, 'anon cannot set a PIN');
select tests.act_as('volunteer');
select throws_ok($$select public.set_kiosk_pin('00000000-0000-0000-0000-0000000000e1', '1234')$$,
  'P0001', 'not_allowed', 'volunteers cannot set a PIN');
select throws_ok($$select * from public.kiosk_pins$$, '42501', null, 'nobody reads PIN hashes');
select tests.act_as('organizer');
select throws_ok($$select public.set_kiosk_pin('00000000-0000-0000-0000-0000000000e1', '12a4')$$,
  'P0001', 'invalid_pin', 'a PIN is digits');
select lives_ok($$select public.set_kiosk_pin('00000000-0000-0000-0000-0000000000e1', '2468')$$, 'organizers set a PIN');
select throws_ok($$select * from public.kiosk_pins$$, '42501', null, 'not even organizers read the hash');
select tests.act_as('anon');
select is(public.unlock_kiosk('00000000-0000-0000-0000-0000000000e1', '2468'), true, 'the right PIN unlocks');
select is(public.unlock_kiosk('00000000-0000-0000-0000-0000000000e1', '1111'), false, 'a wrong one does not');
select is((select count(*)::int from generate_series(1, 4) where not public.unlock_kiosk('00000000-0000-0000-0000-0000000000e1', '0000')),
  4, 'four more wrong PINs');
select throws_ok($$select public.unlock_kiosk('00000000-0000-0000-0000-0000000000e1', '2468')$$,
  'P0001', 'kiosk_pin_locked', 'five wrong PINs lock the kiosk, even for the right one');
select tests.act_as('attendee');
select throws_ok($$select public.unlock_kiosk('00000000-0000-0000-0000-0000000000e1', '2468')$$,
  'P0001', 'kiosk_pin_locked', 'for a signed-in attendee too');

-- ---------------------------------------------------------------- the default station
select tests.act_as('organizer');
insert into public.events (id, slug, name, starts_at, ends_at, default_device_id) values
  ('00000000-0000-0000-0000-0000000000e3', 'with-default', 'With Default', now(), now() + interval '1 hour',
   pg_temp.fact('foreign'));
select is((select array_agg(device_id) from public.event_print_stations where event_id = '00000000-0000-0000-0000-0000000000e3'),
  array[pg_temp.fact('foreign')], 'an event''s default station is one of its stations');

select * from finish();
rollback;
