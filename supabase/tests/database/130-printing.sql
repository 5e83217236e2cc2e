-- Printing: devices and print_jobs per role, and the device state machine from the printing
-- contract (claim with lease, start, finish, requeue, heartbeat, lease expiry).
begin;
select plan(65);
select tests.clear_people_data();

select tests.make_people_cast();
select tests.make_device('other_device');
insert into public.events (id, slug, name, starts_at, ends_at, published, default_device_id) values
  ('00000000-0000-0000-0000-0000000000e1', 'open-night', 'Open Night', now(), now() + interval '2 hours', true,
   (select id from public.devices where name = 'device'));
-- Volunteers read the print jobs of the events they work (20261125003000_door_stations).
insert into public.event_staff (event_id, user_id)
values ('00000000-0000-0000-0000-0000000000e1', tests.get_supabase_uid('volunteer'));
insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob'),
  ('00000000-0000-0000-0000-0000000000c2', '+13055550112', 'Cy'),
  ('00000000-0000-0000-0000-0000000000c3', '+13055550113', 'Di');
select tests.act_as('volunteer');
select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000c1');
select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000c2');
select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000c3');
select tests.reset_role();
-- Calls in one transaction share now(): spread the jobs out so "oldest first" is observable.
update public.print_jobs pj set created_at = now() - make_interval(mins => 10 - right(c.phone::text, 1)::int)
  from public.contacts c where c.id = pj.contact_id;
-- One job for the other station, which our device must never see.
insert into public.print_jobs (event_id, contact_id, device_id, payload)
values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1',
        (select id from public.devices where name = 'other_device'), '{}');

select ok((select count(*) = 1 from pg_publication_tables where pubname = 'supabase_realtime'
           and schemaname = 'public' and tablename = 'print_jobs'), 'print_jobs is in the supabase_realtime publication');

-- ---------------------------------------------------------------- devices × roles
select tests.act_as('device');
select is((select count(*)::int from public.devices), 1, 'a device reads only its own row');
select is(tests.row_count($$update public.devices set name = 'renamed'$$), 0, 'a device cannot update devices directly');
select throws_ok($$insert into public.devices (user_id, name) values (tests.get_supabase_uid('stranger'), 'x')$$,
  '42501', null, 'a device cannot add devices');
select tests.act_as('volunteer');
select is((select count(*)::int from public.devices), 2, 'volunteers read devices (printer state at the door)');
select throws_ok($$insert into public.devices (user_id, name) values (tests.get_supabase_uid('stranger'), 'x')$$,
  '42501', null, 'volunteers cannot add devices');
select is(tests.row_count($$update public.devices set venue = 'x'$$), 0, 'volunteers cannot update devices');
select tests.act_as('organizer');
select is(tests.row_count($$delete from public.devices$$), 0, 'organizers cannot delete devices');
select tests.act_as('attendee');
select is((select count(*)::int from public.devices), 0, 'attendees read no devices');
select tests.act_as('anon');
select throws_ok($$select * from public.devices$$, '42501', null, 'anon cannot read devices');
select tests.act_as('admin');
select lives_ok($$insert into public.devices (user_id, name, venue) values (tests.get_supabase_uid('stranger'), 'spare', 'HQ')$$,
  'admins add devices');
select is(tests.row_count($$update public.devices set venue = 'Lab' where name = 'spare'$$), 1, 'admins update devices');
select is(tests.row_count($$delete from public.devices where name = 'spare'$$), 1, 'admins delete devices');
select tests.act_as('owner');
select is((select count(*)::int from public.devices), 2, 'owners read devices');
select tests.act_as('service_role');
select is((select count(*)::int from public.devices), 2, 'service_role reads devices');

-- ---------------------------------------------------------------- print_jobs × roles
select tests.act_as('device');
select is((select count(*)::int from public.print_jobs), 3, 'a device reads only its own jobs');
select throws_ok($$update public.print_jobs set status = 'printed'$$, '42501', null, 'jobs move only through functions');
select throws_ok($$insert into public.print_jobs (event_id, contact_id, payload) values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', '{}')$$,
  '42501', null, 'a device cannot insert jobs');
select throws_ok($$delete from public.print_jobs$$, '42501', null, 'a device cannot delete jobs');
select tests.act_as('volunteer');
select is((select count(*)::int from public.print_jobs), 4, 'volunteers read print jobs (print status at the door)');
select throws_ok($$delete from public.print_jobs$$, '42501', null, 'volunteers cannot delete jobs');
select tests.act_as('organizer');
select is((select count(*)::int from public.print_jobs), 4, 'organizers read print jobs');
select tests.act_as('attendee');
select is((select count(*)::int from public.print_jobs), 0, 'attendees read no print jobs');
select tests.act_as('anon');
select throws_ok($$select * from public.print_jobs$$, '42501', null, 'anon cannot read print jobs');
select tests.act_as('service_role');
select is((select count(*)::int from public.print_jobs), 4, 'service_role reads print jobs');

-- ---------------------------------------------------------------- non-devices cannot drive jobs
select tests.act_as('organizer');
select throws_ok($$select * from public.claim_print_jobs()$$, 'P0001', 'not_allowed', 'staff cannot claim print jobs');
select throws_ok($$select public.device_heartbeat('idle')$$, 'P0001', 'not_allowed', 'staff cannot send heartbeats');
select tests.act_as('attendee');
select throws_ok($$select public.finish_print_job(gen_random_uuid(), 'printed')$$, 'P0001', 'not_allowed',
  'attendees cannot finish jobs');
select tests.act_as('anon');
select throws_ok($$select * from public.claim_print_jobs()$$, '42501', null, 'anon may not call claim_print_jobs');
select throws_ok($$select public.expire_print_job_leases()$$, '42501', null, 'anon may not sweep leases');

-- ---------------------------------------------------------------- claim / start / finish
select tests.act_as('device');
create temporary table claimed on commit drop as select * from public.claim_print_jobs(2, 60);
select is((select count(*)::int from claimed), 2, 'claim returns at most p_limit jobs');
select is((select array_agg(distinct status) from claimed), array['claimed'], 'claimed jobs are status claimed');
select is((select array_agg(distinct attempts) from claimed), array[1], 'attempts counted');
select ok((select bool_and(lease_expires_at > now() + interval '50 seconds') from claimed), 'with a lease');
select is((select payload ->> 'first_name' from claimed order by created_at limit 1), 'Bob', 'oldest first');
select is((select count(*)::int from public.claim_print_jobs(10, 60)), 1, 'a second claim gets only the remaining job');
select is((select count(*)::int from public.claim_print_jobs(10, 60)), 0, 'then nothing');
select throws_ok($$select * from public.claim_print_jobs(0)$$, 'P0001', 'invalid_argument', 'p_limit must be positive');

select lives_ok(format('select public.start_print_job(%L)', (select id from claimed order by created_at limit 1)),
  'start moves claimed to printing');
select lives_ok(format('select public.start_print_job(%L)', (select id from claimed order by created_at limit 1)),
  'start is idempotent');
select lives_ok(format('select public.finish_print_job(%L, %L, 42)', (select id from claimed order by created_at limit 1), 'printed'),
  'finish printed');
select lives_ok(format('select public.finish_print_job(%L, %L, 42)', (select id from claimed order by created_at limit 1), 'printed'),
  'finish printed twice is harmless');
select throws_ok(format('select public.finish_print_job(%L, %L)', (select id from claimed order by created_at limit 1), 'failed'),
  'P0001', 'invalid_transition', 'a printed job cannot become failed');
select throws_ok(format('select public.finish_print_job(%L, %L)', (select id from claimed order by created_at limit 1), 'requeue'),
  'P0001', 'invalid_transition', 'a printed job cannot be requeued');
select throws_ok(format('select public.finish_print_job(%L, %L)', (select id from claimed order by created_at limit 1), 'shredded'),
  'P0001', 'invalid_outcome', 'unknown outcomes are refused');
select results_eq(format('select status, cups_job_id, printed_at is not null, lease_expires_at from public.print_jobs where id = %L',
    (select id from claimed order by created_at limit 1)),
  $$values ('printed'::text, 42, true, null::timestamptz)$$, 'printed job records the CUPS job id and time');

select lives_ok(format('select public.finish_print_job(%L, %L, null, %L)', (select id from claimed order by created_at offset 1 limit 1), 'requeue', 'paper out'),
  'requeue a claimed job (nothing reached CUPS)');
select is((select status from public.print_jobs where id = (select id from claimed order by created_at offset 1 limit 1)), 'queued',
  'requeued job is queued again');
select is((select count(*)::int from public.claim_print_jobs()), 1, 'and can be claimed again');
select lives_ok(format('select public.start_print_job(%L)', (select id from claimed order by created_at offset 1 limit 1)),
  'start it');
select throws_ok(format('select public.finish_print_job(%L, %L)', (select id from claimed order by created_at offset 1 limit 1), 'requeue'),
  'P0001', 'invalid_transition', 'a printing job cannot be requeued (it may have printed)');
select lives_ok(format('select public.finish_print_job(%L, %L, null, %L)', (select id from claimed order by created_at offset 1 limit 1), 'failed', 'jam'),
  'finish failed');
select is((select error from public.print_jobs where id = (select id from claimed order by created_at offset 1 limit 1)), 'jam',
  'the error is kept');

select tests.act_as('other_device');
select throws_ok(format('select public.start_print_job(%L)', (select id from claimed order by created_at limit 1)),
  'P0001', 'unknown_job', 'another device cannot touch our jobs');
select throws_ok(format('select public.finish_print_job(%L, %L)', (select id from claimed order by created_at limit 1), 'printed'),
  'P0001', 'unknown_job', 'nor finish them');

-- ---------------------------------------------------------------- leases
select tests.reset_role();
update public.print_jobs set status = 'claimed', lease_expires_at = now() - interval '1 second'
 where device_id = (select id from public.devices where name = 'other_device');
insert into public.print_jobs (id, event_id, contact_id, device_id, payload, status, lease_expires_at) values
  ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c3',
   (select id from public.devices where name = 'device'), '{}', 'printing', now() - interval '1 second');
select tests.act_as('service_role');
select is(public.expire_print_job_leases(), 2, 'service_role sweeps every expired lease');
select tests.reset_role();
select is((select status from public.print_jobs where device_id = (select id from public.devices where name = 'other_device')),
  'queued', 'an expired claim goes back to the queue');
select is((select status from public.print_jobs where id = '00000000-0000-0000-0000-0000000000f1'), 'unknown',
  'an expired print becomes unknown, never silently reprinted');
select tests.act_as('device');
select is((select count(*)::int from public.claim_print_jobs() where id = '00000000-0000-0000-0000-0000000000f1'), 0,
  'an unknown job is not claimed again');
select throws_ok($$select public.start_print_job('00000000-0000-0000-0000-0000000000f1')$$, 'P0001', 'lease_lost',
  'and cannot be started');
select lives_ok($$select public.finish_print_job('00000000-0000-0000-0000-0000000000f1', 'printed')$$,
  'a late outcome resolves an unknown job');

-- The sweep inside claim: an expired claim of this device is reclaimed by the next claim.
select tests.reset_role();
update public.print_jobs set status = 'claimed', lease_expires_at = now() - interval '1 second', attempts = 1
 where id = '00000000-0000-0000-0000-0000000000f1';
select tests.act_as('device');
select is((select attempts from public.claim_print_jobs() where id = '00000000-0000-0000-0000-0000000000f1'), 2,
  'claim sweeps this device''s expired claims first and reclaims them');

-- ---------------------------------------------------------------- heartbeat
select lives_ok($$select public.device_heartbeat('stopped', 'media-empty')$$, 'device heartbeat');
select results_eq($$select printer_state, printer_state_reason, last_seen_at is not null from public.devices$$,
  $$values ('stopped'::text, 'media-empty'::text, true)$$, 'heartbeat records the printer state');
select tests.reset_role();
update public.devices set disabled_at = now() where name = 'device';
select tests.act_as('device');
select throws_ok($$select * from public.claim_print_jobs()$$, 'P0001', 'not_allowed', 'a disabled device claims nothing');

select * from finish();
rollback;
