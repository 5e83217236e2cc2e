-- A pairing whose login could not be created for a reason that may pass (network, gateway) is
-- kept and claimed again after a backoff, with the same login id and password; the error shows
-- meanwhile and goes on success. Only the service role records a retry.
begin;
select * from no_plan();
select tests.clear_people_data();
truncate public.station_pairings cascade;
truncate private.station_pairing_failures;
select tests.make_people_cast();

select tests.act_as('admin');
create temporary table registered on commit drop as
  select * from public.register_print_station('Back door');
grant select on registered to anon, authenticated, service_role;
select tests.act_as('anon');
select is(public.pair_print_station((select code from registered), repeat('r', 40)) ->> 'status', 'redeemed',
  'the Pi spends the code');

-- ---------------------------------------------------------------- who may record a retry
select throws_ok($$select public.record_station_pairing_retry((select pairing_id from registered), 'x')$$,
  '42501', null, 'anon cannot record a retry');
select tests.act_as('admin');
select throws_ok($$select public.record_station_pairing_retry((select pairing_id from registered), 'x')$$,
  '42501', null, 'an admin cannot record a retry');
select tests.act_as('device');
select throws_ok($$select public.record_station_pairing_retry((select pairing_id from registered), 'x')$$,
  '42501', null, 'a station cannot record a retry');

-- ---------------------------------------------------------------- Auth did not answer
select tests.act_as('service_role');
select throws_ok($$select public.record_station_pairing_retry((select pairing_id from registered), 'x')$$,
  'P0001', 'unknown_pairing', 'a pairing nobody claimed cannot be retried');
create temporary table first_claim on commit drop as
  select * from public.claim_station_pairings(10, 60);
grant select on first_claim to service_role;
select is((select count(*)::int from first_claim), 1, 'the worker claims it');

select ok(r.at between now() + interval '9 seconds' and now() + interval '11 seconds', 'the first retry comes after 10 s')
  from (select public.record_station_pairing_retry((select id from first_claim), 'AuthRetryableError: connection reset') as at) r;
select results_eq($$select status, attempts, error from public.station_pairings where name = 'Back door'$$,
  $$values ('pairing'::text, 1, 'AuthRetryableError: connection reset'::text)$$,
  'the pairing is still in progress, with the attempt and its reason');
select is((select count(*)::int from public.claim_station_pairings(10, 60)), 0, 'nobody claims it during the backoff');
select ok(r.at between now() + interval '19 seconds' and now() + interval '21 seconds', 'the second retry waits twice as long')
  from (select public.record_station_pairing_retry((select id from first_claim), 'HTTP 503') as at) r;
update public.station_pairings set attempts = 30 where name = 'Back door';
select ok(public.record_station_pairing_retry((select id from first_claim), 'HTTP 503')
            <= now() + interval '120 seconds', 'the backoff stops growing at 2 minutes');

-- ---------------------------------------------------------------- the backoff passes
select tests.reset_role();
update public.station_pairings set claimed_until = now() - interval '1 second' where name = 'Back door';
select tests.act_as('service_role');
create temporary table second_claim on commit drop as
  select * from public.claim_station_pairings(10, 60);
grant select on second_claim to service_role;
select results_eq($$select id, password, login_user_id from second_claim$$,
  $$select id, password, login_user_id from first_claim$$,
  'the retry gets the same pairing, password and login id');
select tests.reset_role();
insert into auth.users (id, aud, role, email, encrypted_password)
select login_user_id, 'authenticated', 'authenticated', 'station-back-door@test', 'hash' from second_claim;
select tests.act_as('service_role');
select lives_ok($$select public.record_station_paired((select id from second_claim), (select login_user_id from second_claim),
                                                      'station-back-door@test')$$, 'this time it pairs');
select results_eq($$select status, error from public.station_pairings where name = 'Back door'$$,
  $$values ('paired'::text, null::text)$$, 'paired, and the retried error is gone');

select * from finish();
rollback;
