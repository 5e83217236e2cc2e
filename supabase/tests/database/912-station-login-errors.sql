-- The Health page shows a station whose login the login-lock worker could not ban: admins read
-- the error from station_login_locks (device, what Auth holds, attempts, error); no one else
-- does, and the worker's lease column stays hidden.
begin;
select * from no_plan();
select tests.clear_people_data();
select tests.make_people_cast();

insert into public.station_login_locks (device_id, locked, attempts, last_error)
select id, false, 3, 'AuthRetryableError: timed out' from public.devices where name = 'device';

select tests.act_as('admin');
select results_eq($$select d.name, l.locked, l.attempts, l.last_error
                      from public.station_login_locks l join public.devices d on d.id = l.device_id
                     where l.last_error is not null$$,
  $$values ('device'::text, false, 3, 'AuthRetryableError: timed out'::text)$$,
  'an admin reads which station''s login could not be banned, and why');
select throws_ok($$select claimed_until from public.station_login_locks$$, '42501', null,
  'the worker''s lease is not for the app');
select throws_ok($$update public.station_login_locks set last_error = null$$, '42501', null,
  'an admin cannot clear the error by hand');

select tests.act_as('organizer');
select is(tests.visible_rows('public.station_login_locks'), 0::bigint, 'an organizer reads no login errors');
select tests.act_as('volunteer');
select is(tests.visible_rows('public.station_login_locks'), 0::bigint, 'a volunteer reads no login errors');
select tests.act_as('device');
select is(tests.visible_rows('public.station_login_locks'), 0::bigint, 'a station reads no login errors, not even its own');
select tests.act_as('anon');
select throws_ok($$select last_error from public.station_login_locks$$, '42501', null, 'anon cannot read them');

select * from finish();
rollback;
