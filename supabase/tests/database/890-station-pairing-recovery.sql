-- A pairing whose worker died half-way: the next claim gets the same login id and the password
-- back, and recording the same login twice gives the same station (no second user, no error).
-- Only the service role claims and records.
begin;
select plan(16);
select tests.clear_people_data();
truncate public.station_pairings cascade;
truncate private.station_pairing_failures;
select tests.make_people_cast();

select tests.act_as('admin');
create temporary table registered on commit drop as
  select * from public.register_print_station('Side door');
grant select on registered to anon, authenticated, service_role;
select tests.act_as('anon');
select is(public.pair_print_station((select code from registered), repeat('s', 40)) ->> 'status', 'redeemed',
  'the Pi spends the code');

-- ---------------------------------------------------------------- who may claim and record
select throws_ok($$select * from public.claim_station_pairings()$$, '42501', null, 'anon cannot claim pairings');
select tests.act_as('admin');
select throws_ok($$select * from public.claim_station_pairings()$$, '42501', null, 'an admin cannot claim pairings');
select throws_ok($$select public.record_station_paired((select pairing_id from registered), gen_random_uuid(), 'x@y')$$,
  '42501', null, 'an admin cannot record a pairing');
select tests.act_as('device');
select throws_ok($$select * from public.claim_station_pairings()$$, '42501', null, 'a station cannot claim pairings');

-- ---------------------------------------------------------------- the first worker dies
select tests.act_as('service_role');
create temporary table first_claim on commit drop as
  select * from public.claim_station_pairings(10, 60);
grant select on first_claim to service_role;
select results_eq($$select name, password, login_user_id is not null from first_claim$$,
  $$values ('Side door'::text, repeat('s', 40), true)$$,
  'the first claim picks the login''s user id and hands over the Pi''s password');
select is((select count(*)::int from public.claim_station_pairings(10, 60)), 0, 'while leased nobody else claims it');

-- The worker created the login, then died: its lease lapses.
select tests.reset_role();
insert into auth.users (id, aud, role, email, encrypted_password)
select login_user_id, 'authenticated', 'authenticated', 'station-side-door@test', 'hash' from first_claim;
update public.station_pairings set claimed_until = now() - interval '1 second' where name = 'Side door';

select tests.act_as('service_role');
create temporary table second_claim on commit drop as
  select * from public.claim_station_pairings(10, 60);
grant select on second_claim to service_role;
select results_eq($$select id, password, login_user_id from second_claim$$,
  $$select id, password, login_user_id from first_claim$$,
  'the next claim gets the same pairing, password and login id: the retry finds the same login');

create temporary table recorded on commit drop as
  select public.record_station_paired((select id from second_claim), (select login_user_id from second_claim),
                                      'station-side-door@test') as device_id;
grant select on recorded to service_role;
select is((select device_id from recorded), (select d.id from public.devices d where d.name = 'Side door'),
  'the retry records the station');
select is(public.record_station_paired((select id from second_claim), (select login_user_id from second_claim),
                                       'station-side-door@test'),
  (select device_id from recorded),
  'recording the same login again (a slow first worker) returns the same station');
select throws_ok($$select public.record_station_paired((select id from second_claim), tests.create_supabase_user('other-login'), 'o@test')$$,
  'P0001', 'unknown_pairing', 'a paired pairing refuses another login');
select throws_ok($$select public.record_station_paired(gen_random_uuid(), (select login_user_id from second_claim), 'x@test')$$,
  'P0001', 'unknown_pairing', 'an unknown pairing is refused');

select tests.reset_role();
select results_eq($$select count(*)::int, min(user_id::text) from public.devices where name = 'Side door'$$,
  $$select 1, login_user_id::text from first_claim$$, 'one station, on the login the first claim chose');
select is((select count(*)::int from private.station_pairing_passwords), 0, 'the password is forgotten');
select is((select count(*)::int from public.audit_log where action = 'pair_print_station'), 1, 'pairing is audited once');
select is((select status from public.station_pairings where name = 'Side door'), 'paired', 'the pairing is paired');

select * from finish();
rollback;
