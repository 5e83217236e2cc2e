-- Print stations from the app: admins at aal2 register (a one-time code), the Pi spends the code
-- as anon (single use, expiring, rate-limited), the worker finishes the pairing as service_role;
-- admins enable/disable, test-print and read station health. Everyone else is refused.
begin;
select plan(67);
select tests.clear_people_data();
truncate public.station_pairings cascade;
truncate private.station_pairing_failures;
select tests.make_people_cast();

-- ---------------------------------------------------------------- who may register
select tests.authenticate_as_at('admin', 'aal1');
select throws_ok($$select * from public.register_print_station('front-door')$$,
  'P0001', 'not_allowed', 'an admin without two-factor (aal1) cannot register a station');
select tests.act_as('organizer');
select throws_ok($$select * from public.register_print_station('front-door')$$,
  'P0001', 'not_allowed', 'an organizer cannot register a station');
select tests.act_as('volunteer');
select throws_ok($$select * from public.register_print_station('front-door')$$,
  'P0001', 'not_allowed', 'a volunteer cannot register a station');
select tests.act_as('anon');
select throws_ok($$select * from public.register_print_station('front-door')$$,
  '42501', null, 'anon cannot call register_print_station');
select tests.reset_role();
select is((select count(*)::int from public.station_pairings), 0, 'refused registrations leave nothing');

select tests.act_as('admin');
create temporary table registered on commit drop as
  select * from public.register_print_station('Front door', 'Lobby', 'Label');
grant select on registered to anon, authenticated, service_role;
select matches((select code from registered), '^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$',
  'the code is ten letters and digits without look-alikes');
select ok((select expires_at between now() + interval '14 minutes' and now() + interval '16 minutes' from registered),
  'the code expires in 15 minutes');
select results_eq($$select name, status from public.station_pairings$$,
  $$values ('Front door'::text, 'waiting'::text)$$, 'an admin at aal2 sees the waiting pairing');
select throws_ok($$select code_hash from public.station_pairings$$,
  '42501', null, 'nobody reads the code hash');
select throws_ok($$select * from public.register_print_station('front door')$$,
  'P0001', 'station_name_taken', 'a name being paired is taken (case does not matter)');
select throws_ok($$select * from public.register_print_station('  ')$$,
  'P0001', 'invalid_argument', 'a station needs a name');
select throws_ok($$select * from public.register_print_station('Back door', null, 'bad queue!')$$,
  'P0001', 'invalid_argument', 'a CUPS queue name is letters, digits, - and _');
select throws_ok($$select * from public.register_print_station('device')$$,
  'P0001', 'station_name_taken', 'a name of an existing station is taken');
select tests.reset_role();
select is((select code_hash from public.station_pairings),
  pg_catalog.sha256(convert_to(replace((select code from registered), '-', ''), 'UTF8')),
  'only the code''s SHA-256 is stored');
select ok((select count(*) = 1 from public.audit_log where action = 'register_print_station'),
  'the registration is audited');

select tests.authenticate_as_at('admin', 'aal1');
select is((select count(*)::int from public.station_pairings), 0, 'an aal1 admin reads no pairings');
select tests.act_as('organizer');
select is((select count(*)::int from public.station_pairings), 0, 'an organizer reads no pairings');

-- ---------------------------------------------------------------- the Pi spends the code
select tests.act_as('anon');
select throws_ok($$select public.pair_print_station((select code from registered), 'short')$$,
  'P0001', 'invalid_argument', 'the station''s password must be long');
select is(public.pair_print_station('AAAAA-AAAAA', repeat('p', 40)) ->> 'code', 'invalid_code',
  'a wrong code is refused');
create temporary table redeemed on commit drop as
  select public.pair_print_station(lower((select code from registered)), repeat('p', 40)) as answer;
grant select on redeemed to anon, authenticated, service_role;
select is((select answer ->> 'status' from redeemed), 'redeemed', 'the right code (in any case) is accepted');
select is(public.pair_print_station((select code from registered), repeat('q', 40)) ->> 'code', 'invalid_code',
  'a code is single-use');
select is(public.print_station_pairing(((select answer ->> 'pairing_id' from redeemed))::uuid) ->> 'status',
  'redeemed', 'the Pi follows its pairing by id');
select throws_ok($$select public.print_station_pairing(gen_random_uuid())$$,
  'P0001', 'unknown_pairing', 'an unknown pairing id is refused');
select throws_ok($$select public.claim_station_pairings()$$,
  '42501', null, 'anon cannot claim pairings');

select tests.act_as('admin');
select throws_ok($$select public.claim_station_pairings()$$,
  '42501', null, 'an admin cannot claim pairings (the passwords are the worker''s only)');
select throws_ok($$select public.record_station_paired(gen_random_uuid(), gen_random_uuid(), 'x@y')$$,
  '42501', null, 'an admin cannot record a pairing');
select throws_ok($$select * from private.station_pairing_passwords$$,
  '42501', null, 'no staff role reads the passwords');

-- ---------------------------------------------------------------- expiry and guessing
select tests.reset_role();
insert into public.station_pairings (name, code_hash, expires_at)
values ('Old station', private.pairing_code_hash('OLDCO-DE234'), now() - interval '1 second');
select tests.act_as('anon');
select is(public.pair_print_station('OLDCO-DE234', repeat('p', 40)) ->> 'code', 'invalid_code',
  'an expired code is refused');
select tests.reset_role();
select is((select status from public.station_pairings where name = 'Old station'), 'waiting',
  'a refused code changes no pairing');
insert into public.station_pairings (name, code_hash) values ('Guessed', private.pairing_code_hash('GUESS-ED234'));
select tests.act_as('anon');
select is(count(*)::int, 7, 'wrong guesses are answered until the limit')
  from generate_series(1, 7) i
 where public.pair_print_station('WRONG-' || lpad(i::text, 5, 'X'), repeat('p', 40)) ->> 'code' = 'invalid_code';
select throws_ok($$select public.pair_print_station('GUESS-ED234', repeat('p', 40))$$,
  'P0001', 'too_many_attempts', 'after 10 wrong codes in 10 minutes even the right code is refused');
select tests.reset_role();
select is((select status from public.station_pairings where name = 'Guessed'), 'waiting',
  'the rate limit spent nothing');
update private.station_pairing_failures set failed_at = now() - interval '11 minutes';
select tests.act_as('anon');
select is(public.pair_print_station('GUESS-ED234', repeat('p', 40)) ->> 'status', 'redeemed',
  'after 10 minutes codes are accepted again');

-- ---------------------------------------------------------------- the worker finishes
select tests.act_as('service_role');
select results_eq($$select name, password from public.claim_station_pairings(10, 60) order by name$$,
  $$values ('Front door'::text, repeat('p', 40)), ('Guessed'::text, repeat('p', 40))$$,
  'the worker claims the redeemed pairings with their passwords');
select is((select count(*)::int from public.claim_station_pairings(10, 60)), 0, 'a claimed pairing is leased');
select lives_ok($$select public.record_station_paired(
    ((select answer ->> 'pairing_id' from redeemed))::uuid, tests.create_supabase_user('front-door-login'),
    'front-door-login@test')$$,
  'the worker records the station it created');
select lives_ok($$select public.record_station_pairing_failed(
    (select id from public.station_pairings where name = 'Guessed'), 'auth: email exists')$$,
  'the worker records a failure');
select throws_ok($$select public.record_station_pairing_failed(
    (select id from public.station_pairings where name = 'Guessed'), 'again')$$,
  'P0001', 'unknown_pairing', 'a finished pairing cannot fail again');
select tests.reset_role();
select is((select count(*)::int from private.station_pairing_passwords), 0, 'every password is forgotten');
select results_eq($$select d.name, d.venue, d.cups_queue, p.status, p.device_email
                    from public.station_pairings p join public.devices d on d.id = p.device_id$$,
  $$values ('Front door'::text, 'Lobby'::text, 'Label'::text, 'paired'::text, 'front-door-login@test'::text)$$,
  'pairing created the station as registered');
select tests.act_as('anon');
select is(public.print_station_pairing(((select answer ->> 'pairing_id' from redeemed))::uuid) ->> 'device_email',
  'front-door-login@test', 'the Pi learns its login''s email');

-- An abandoned pairing fails after 15 minutes and its password goes.
select tests.reset_role();
insert into public.station_pairings (name, code_hash, status, redeemed_at)
values ('Abandoned', private.pairing_code_hash('ABAND-ONED2'), 'redeemed', now() - interval '16 minutes');
insert into private.station_pairing_passwords
select id, repeat('z', 40) from public.station_pairings where name = 'Abandoned';
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_station_pairings(10, 60)), 0, 'an abandoned pairing is not claimed');
select tests.reset_role();
select row_eq($$select status, (select count(*)::int from private.station_pairing_passwords)
                 from public.station_pairings where name = 'Abandoned'$$,
  row('failed'::text, 0), 'it fails and its password is deleted');

-- ---------------------------------------------------------------- test print, health, disable
create temporary table station on commit drop as
  select id from public.devices where name = 'Front door';
grant select on station to anon, authenticated, service_role;

select tests.act_as('organizer');
select throws_ok($$select public.queue_test_print((select id from station))$$,
  'P0001', 'not_allowed', 'an organizer cannot send a test print');
select throws_ok($$select * from public.admin_print_stations()$$,
  'P0001', 'not_allowed', 'an organizer cannot read station health');
select throws_ok($$select public.set_print_station_enabled((select id from station), false)$$,
  'P0001', 'not_allowed', 'an organizer cannot disable a station');
select tests.authenticate_as_at('admin', 'aal1');
select throws_ok($$select public.queue_test_print((select id from station))$$,
  'P0001', 'not_allowed', 'an aal1 admin cannot send a test print');
select throws_ok($$select * from public.admin_print_stations()$$,
  'P0001', 'not_allowed', 'an aal1 admin cannot read station health');
select throws_ok($$select public.set_print_station_enabled((select id from station), false)$$,
  'P0001', 'not_allowed', 'an aal1 admin cannot disable a station');
select tests.act_as('anon');
select throws_ok($$select public.queue_test_print((select id from station))$$,
  '42501', null, 'anon cannot send a test print');

select tests.act_as('admin');
select throws_ok($$select public.queue_test_print(gen_random_uuid())$$,
  'P0001', 'unknown_station', 'a test print needs a station');
select lives_ok($$select public.queue_test_print((select id from station))$$, 'an admin at aal2 sends a test print');
select tests.reset_role();
select row_eq($$select kind, status, event_id, contact_id, payload ->> 'station_name' from public.print_jobs$$,
  row('test_print'::text, 'queued'::text, null::uuid, null::uuid, 'Front door'::text),
  'a test print is queued for the station with no event or person');
select throws_ok($$insert into public.print_jobs (device_id, payload) values ((select id from station), '{}')$$,
  '23514', null, 'a name tag still needs an event and a person');

select tests.act_as('device');
select is((select count(*)::int from public.claim_print_jobs_v2(array['test_print'])), 0,
  'another station does not get it');
select tests.act_as('front-door-login');
select is((select count(*)::int from public.claim_print_jobs(10, 60)), 0, 'an old agent (name tags only) leaves it');
select lives_ok($$select public.device_heartbeat_v2('idle', 'none', '1.2.3', 15)$$, 'the station beats');
select is((select kind from public.claim_print_jobs_v2(array['name_tag', 'test_print'])), 'test_print',
  'an agent that renders test prints claims it');
select tests.reset_role();
update public.print_jobs set status = 'failed', error = 'printer jammed';
insert into public.print_jobs (device_id, kind, payload, status, printed_at)
values ((select id from station), 'test_print', '{}', 'printed', now()),
       ((select id from station), 'test_print', '{}', 'printed', now() - interval '13 hours'),
       ((select id from station), 'test_print', '{}', 'queued', null);

select tests.act_as('admin');
select results_eq($$select name, enabled, online, printer_state, printer_state_reason, agent_version,
                           queued_jobs, printed_tonight, last_error
                      from public.admin_print_stations() where name = 'Front door'$$,
  $$values ('Front door'::text, true, true, 'idle'::text, 'none'::text, '1.2.3'::text, 1, 1, 'printer jammed'::text)$$,
  'an admin reads the station''s health: heartbeat, printer, queue, printed tonight, last error');
select lives_ok($$select public.set_print_station_enabled((select id from station), false)$$,
  'an admin at aal2 disables the station');
select throws_ok($$select public.queue_test_print((select id from station))$$,
  'P0001', 'station_disabled', 'a disabled station gets no test print');
select is((select enabled from public.admin_print_stations() where name = 'Front door'), false,
  'health shows it disabled');
select tests.act_as('front-door-login');
select throws_ok($$select * from public.claim_print_jobs_v2(array['test_print'])$$,
  'P0001', 'not_allowed', 'a disabled station''s login claims nothing');
select throws_ok($$select public.device_heartbeat_v2('idle', null, '1.2.3', 15)$$,
  'P0001', 'not_allowed', 'a disabled station''s login cannot beat');
select tests.act_as('admin');
select lives_ok($$select public.set_print_station_enabled((select id from station), true)$$,
  'an admin enables it again');
select throws_ok($$select public.set_print_station_enabled(gen_random_uuid(), true)$$,
  'P0001', 'unknown_station', 'enabling needs a station');
select tests.reset_role();
select is((select count(*)::int from public.audit_log where action in ('disable_print_station', 'enable_print_station')),
  2, 'disabling and enabling are audited');

select * from finish();
rollback;
