-- A disabled station's login is locked in Auth by the login-lock worker: what is due is derived
-- from devices.disabled_at and what Auth holds; claims lease; failures back off; a flip while the
-- worker runs is undone by the next claim. Only the service role claims and records; admins read.
begin;
select plan(41);
select tests.clear_people_data();
select tests.make_people_cast();

create temporary table station on commit drop as
  select id, user_id from public.devices where name = 'device';
grant select on station to anon, authenticated, service_role;

-- ---------------------------------------------------------------- who may call the worker's functions
select tests.act_as('anon');
select throws_ok($$select * from public.claim_station_login_locks()$$, '42501', null, 'anon cannot claim');
select tests.act_as('admin');
select throws_ok($$select * from public.claim_station_login_locks()$$, '42501', null, 'an admin cannot claim');
select throws_ok($$select public.record_station_login_lock((select id from station), true)$$,
  '42501', null, 'an admin cannot record a lock');
select throws_ok($$select public.record_station_login_lock_failed((select id from station), 'x')$$,
  '42501', null, 'an admin cannot record a failure');
select tests.act_as('device');
select throws_ok($$select * from public.claim_station_login_locks()$$, '42501', null, 'a station cannot claim');

-- ---------------------------------------------------------------- nothing due until disabled
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_station_login_locks()), 0, 'an enabled station is not due');
select throws_ok($$select * from public.claim_station_login_locks(0, 60)$$,
  'P0001', 'invalid_argument', 'a claim takes at least one station');

select tests.act_as('admin');
select lives_ok($$select public.set_print_station_enabled((select id from station), false)$$, 'an admin disables the station');
select tests.act_as('service_role');
select results_eq($$select device_id, user_id, lock, attempts from public.claim_station_login_locks(10, 60)$$,
  $$select id, user_id, true, 1 from station$$, 'the disabled station is claimed to lock its login');
select is((select count(*)::int from public.claim_station_login_locks()), 0, 'while leased nobody else claims it');
select lives_ok($$select public.record_station_login_lock((select id from station), true)$$, 'the worker records the ban');
select throws_ok($$select public.record_station_login_lock((select id from station), null)$$,
  'P0001', 'invalid_argument', 'a record says locked or not');
select throws_ok($$select public.record_station_login_lock(gen_random_uuid(), true)$$,
  'P0001', 'unknown_station', 'a record needs a claimed station');
select throws_ok($$select public.record_station_login_lock_failed(gen_random_uuid(), 'x')$$,
  'P0001', 'unknown_station', 'a failure needs a claimed station');
select is((select count(*)::int from public.claim_station_login_locks()), 0, 'a locked disabled station is not due');

-- ---------------------------------------------------------------- enable: unlock, with retries
select tests.act_as('admin');
select lives_ok($$select public.set_print_station_enabled((select id from station), true)$$, 'an admin enables it again');
select tests.act_as('service_role');
select results_eq($$select lock, attempts from public.claim_station_login_locks()$$,
  $$values (false, 1)$$, 'the enabled station is claimed to unlock its login');
select lives_ok($$select public.record_station_login_lock_failed((select id from station), 'auth: timed out')$$,
  'the worker records a failure');
select tests.reset_role();
select row_eq($$select last_error, claimed_until between now() + interval '9 seconds' and now() + interval '11 seconds'
                 from public.station_login_locks$$,
  row('auth: timed out'::text, true), 'a first failure is retried after 10 s');
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_station_login_locks()), 0, 'not before the backoff passes');
select tests.reset_role();
update public.station_login_locks set claimed_until = now() - interval '1 second';
select tests.act_as('service_role');
select results_eq($$select lock, attempts from public.claim_station_login_locks()$$,
  $$values (false, 2)$$, 'after the backoff it is claimed again');
select lives_ok($$select public.record_station_login_lock_failed((select id from station), 'auth: 503')$$, 'fails again');
select tests.reset_role();
select ok((select claimed_until between now() + interval '19 seconds' and now() + interval '21 seconds'
             from public.station_login_locks), 'the backoff doubles');
update public.station_login_locks set claimed_until = now() - interval '1 second', attempts = 40;
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_station_login_locks()), 1, 'a long-failing station is still retried');
select lives_ok($$select public.record_station_login_lock_failed((select id from station), 'auth: 503')$$, 'and fails');
select tests.reset_role();
select ok((select claimed_until between now() + interval '599 seconds' and now() + interval '601 seconds'
             from public.station_login_locks), 'the backoff stops growing at 10 minutes');
update public.station_login_locks set claimed_until = now() - interval '1 second';
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_station_login_locks()), 1, 'claimed once more');
select lives_ok($$select public.record_station_login_lock((select id from station), false)$$, 'the unban succeeds');
select tests.reset_role();
select row_eq($$select locked, attempts, last_error, claimed_until from public.station_login_locks$$,
  row(false, 0, null::text, null::timestamptz), 'success clears the attempts and the error');

-- ---------------------------------------------------------------- a flip while the worker runs
select tests.act_as('admin');
select lives_ok($$select public.set_print_station_enabled((select id from station), false)$$, 'disabled again');
select tests.act_as('service_role');
select is((select lock from public.claim_station_login_locks()), true, 'claimed to lock');
select tests.act_as('admin');
select lives_ok($$select public.set_print_station_enabled((select id from station), true)$$,
  'enabled again before the worker recorded the ban');
select tests.act_as('service_role');
select lives_ok($$select public.record_station_login_lock((select id from station), true)$$, 'the worker records its ban');
select is((select lock from public.claim_station_login_locks()), false,
  'the next claim unlocks it: the login follows the station''s last state');

-- ---------------------------------------------------------------- who reads the state
select tests.act_as('admin');
select is((select count(*)::int from public.station_login_locks), 1, 'an admin reads the login locks');
select throws_ok($$update public.station_login_locks set locked = false$$, '42501', null, 'an admin cannot change them');
select throws_ok($$select claimed_until from public.station_login_locks$$, '42501', null, 'nor read the lease');
select tests.authenticate_as_at('admin', 'aal1');
select is((select count(*)::int from public.station_login_locks), 0, 'an admin without two-factor reads none');
select tests.act_as('organizer');
select is((select count(*)::int from public.station_login_locks), 0, 'an organizer reads none');
select tests.act_as('device');
select is((select count(*)::int from public.station_login_locks), 0, 'a station reads none');
select tests.act_as('anon');
select throws_ok($$select locked from public.station_login_locks$$, '42501', null, 'anon reads nothing');

select * from finish();
rollback;
