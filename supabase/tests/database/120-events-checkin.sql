-- Events and check-in: RLS per role, the check-in function (door and self), its idempotency and
-- refusal codes, door lookup, reprint limits, QR rotation and live counts.
begin;
select plan(92);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.events (id, slug, name, venue, starts_at, ends_at, published, default_device_id) values
  ('00000000-0000-0000-0000-0000000000e1', 'open-night', 'Open Night', 'The Lab', now(), now() + interval '2 hours',
   true, (select id from public.devices where name = 'device')),
  ('00000000-0000-0000-0000-0000000000e2', 'staff-only', 'Staff Only', 'HQ', now(), now() + interval '2 hours',
   false, null),
  ('00000000-0000-0000-0000-0000000000e3', 'next-month', 'Next Month', 'The Lab', now() + interval '30 days',
   now() + interval '30 days 2 hours', true, null);
insert into public.contacts (id, phone, first_name, last_name, pronouns, company, title) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob', 'Builder', 'he/him', 'Acme', 'CTO');

-- ---------------------------------------------------------------- events × roles
select tests.act_as('anon');
select is((select count(*)::int from public.events), 2, 'anon sees published events only');
select is((select name from public.events where slug = 'open-night'), 'Open Night', 'anon reads name of a published event');
select throws_ok($$select default_device_id from public.events$$, '42501', null, 'anon cannot read internal event columns');
select throws_ok($$insert into public.events (slug, name, starts_at, ends_at) values ('x', 'X', now(), now())$$,
  '42501', null, 'anon cannot create events');
select throws_ok($$update public.events set name = 'Hacked'$$, '42501', null, 'anon cannot update events');
select throws_ok($$delete from public.events$$, '42501', null, 'anon cannot delete events');
select tests.act_as('attendee');
select is((select count(*)::int from public.events), 2, 'attendee sees published events only');
select throws_ok($$insert into public.events (slug, name, starts_at, ends_at) values ('x', 'X', now(), now())$$,
  '42501', null, 'attendee cannot create events');
select is(tests.row_count($$update public.events set name = 'Hacked'$$), 0, 'attendee updates no event');
select tests.act_as('device');
select is((select count(*)::int from public.events), 2, 'device sees published events');
select is(tests.row_count($$delete from public.events$$), 0, 'device deletes no event');
select tests.act_as('volunteer');
select is((select count(*)::int from public.events), 3, 'volunteer sees all events');
select throws_ok($$insert into public.events (slug, name, starts_at, ends_at) values ('x', 'X', now(), now())$$,
  '42501', null, 'volunteer cannot create events');
select is(tests.row_count($$update public.events set name = 'Hacked'$$), 0, 'volunteer updates no event');
select tests.act_as('organizer');
select lives_ok($$insert into public.events (slug, name, starts_at, ends_at) values ('org-made', 'Org made', now(), now())$$,
  'organizer creates an event');
select is(tests.row_count($$update public.events set venue = 'Garage' where slug = 'org-made'$$), 1, 'organizer updates an event');
select is(tests.row_count($$delete from public.events where slug = 'org-made'$$), 0, 'organizer cannot delete events');
select throws_ok($$insert into public.events (slug, name, starts_at, ends_at) values ('Bad Slug', 'X', now(), now())$$,
  '23514', null, 'slugs are lowercase words with dashes');
select tests.act_as('admin');
select is(tests.row_count($$delete from public.events where slug = 'org-made'$$), 1, 'admin deletes an event');
select tests.act_as('owner');
select is((select count(*)::int from public.events), 3, 'owner sees all events');
select tests.act_as('service_role');
select is((select count(*)::int from public.events), 3, 'service_role sees all events');

-- ---------------------------------------------------------------- door check-in by QR
select tests.reset_role();
create temporary table facts (name text primary key, value jsonb) on commit drop;
grant all on facts to anon, authenticated, service_role;
insert into facts values ('bob_qr', to_jsonb((select qr_token from public.contacts where first_name = 'Bob')));

select tests.act_as('volunteer');
insert into facts values ('bob1', public.check_in('00000000-0000-0000-0000-0000000000e1',
  p_qr_token => (select value ->> 0 from facts where name = 'bob_qr')));
select is((select value ->> 'code' from facts where name = 'bob1'), 'checked_in', 'volunteer checks Bob in by QR');
select is((select value ->> 'display_name' from facts where name = 'bob1'), 'Bob Builder', 'the result names him');
select ok((select value ->> 'print_job_id' from facts where name = 'bob1') is not null, 'a print job is enqueued');
insert into facts values ('bob2', public.check_in('00000000-0000-0000-0000-0000000000e1',
  p_qr_token => (select value ->> 0 from facts where name = 'bob_qr')));
select is((select value ->> 'code' from facts where name = 'bob2'), 'already_checked_in', 'a second scan says already_checked_in');
select is((select value ->> 'checked_in_at' from facts where name = 'bob2'),
          (select value ->> 'checked_in_at' from facts where name = 'bob1'), 'with the time of the first check-in');
select is((select value -> 'print_job_id' from facts where name = 'bob2'), 'null'::jsonb, 'and prints nothing');
insert into facts values ('bob3', public.check_in('00000000-0000-0000-0000-0000000000e1', p_phone => '(305) 555-0111'));
select is((select value ->> 'code' from facts where name = 'bob3'), 'already_checked_in', 'the same by phone');

select tests.reset_role();
select is((select count(*)::int from public.check_ins where contact_id = '00000000-0000-0000-0000-0000000000c1'), 1,
  'exactly one check-in row');
select is((select count(*)::int from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1'), 1,
  'exactly one automatic print job');
select is((select method from public.check_ins where contact_id = '00000000-0000-0000-0000-0000000000c1'), 'qr',
  'method qr recorded');
select is((select checked_in_by from public.check_ins where contact_id = '00000000-0000-0000-0000-0000000000c1'),
  tests.get_supabase_uid('volunteer'), 'by the volunteer');
select is((select payload from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1'),
  jsonb_build_object('first_name', 'Bob', 'last_name', 'Builder', 'display_name', 'Bob Builder', 'pronouns', 'he/him',
    'company', 'Acme', 'title', 'CTO', 'event_name', 'Open Night',
    'qr_token', (select value ->> 0 from facts where name = 'bob_qr'), 'layout', 'default'),
  'the print payload follows the printing contract');
select is((select device_id from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1'),
  (select id from public.devices where name = 'device'), 'the job goes to the event''s default station');
select is((select status from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1'), 'queued',
  'queued');

-- ---------------------------------------------------------------- door refusals and first-timers
select tests.act_as('volunteer');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_qr_token => 'nope')$$,
  'P0001', 'unknown_attendee', 'an unknown QR token is unknown_attendee');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_phone => '+13055550177')$$,
  'P0001', 'unknown_attendee', 'an unknown phone without registration is unknown_attendee');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_phone => '12')$$,
  'P0001', 'invalid_phone', 'a malformed phone is invalid_phone');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'invalid_argument', 'door check-in needs someone');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_qr_token => 'a', p_phone => '+13055550111')$$,
  'P0001', 'invalid_argument', 'at most one way to identify');
select throws_ok($$select public.check_in(gen_random_uuid(), p_phone => '+13055550111')$$,
  'P0001', 'unknown_event', 'an unknown event is unknown_event');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e3', p_phone => '+13055550111')$$,
  'P0001', 'not_open', 'an event whose window has not opened is not_open');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_phone => '+13055550178', p_registration => '{}')$$,
  'P0001', 'registration_required', 'a first-timer needs at least a first name');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_phone => '+13055550178', p_registration => '{"shoe_size": 44}')$$,
  'P0001', 'invalid_argument', 'unknown registration fields are refused');
insert into facts values ('new1', public.check_in('00000000-0000-0000-0000-0000000000e1', p_phone => '305-555-0178',
  p_registration => '{"first_name": "Nia", "company": "Startup", "pronouns": "she/her"}'));
select is((select value ->> 'code' from facts where name = 'new1'), 'checked_in', 'a first-timer is registered and checked in');
select is((select value -> 'registered' from facts where name = 'new1'), 'true'::jsonb, 'flagged as registered');
select tests.reset_role();
select is((select first_name || '|' || company || '|' || phone || '|' || source from public.contacts where phone = '+13055550178'),
  'Nia|Startup|+13055550178|check-in', 'the new contact holds the form data');
select is((select method from public.check_ins ci join public.contacts c on c.id = ci.contact_id where c.phone = '+13055550178'),
  'phone', 'method phone recorded');
select tests.act_as('organizer');
select is((public.check_in('00000000-0000-0000-0000-0000000000e2', p_contact_id => '00000000-0000-0000-0000-0000000000c1')) ->> 'code',
  'checked_in', 'staff may check in to an unpublished event (method staff)');

-- ---------------------------------------------------------------- self check-in
select tests.act_as('attendee');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e2')$$,
  'P0001', 'unknown_event', 'an attendee cannot see an unpublished event');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e3')$$,
  'P0001', 'not_open', 'self check-in outside the window is not_open');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000c1')$$,
  'P0001', 'not_allowed', 'an attendee cannot check someone else in');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_qr_token => (select value ->> 0 from facts where name = 'bob_qr'))$$,
  'P0001', 'not_allowed', 'nor with someone else''s QR token');
insert into facts values ('ada1', public.check_in('00000000-0000-0000-0000-0000000000e1'));
select is((select value ->> 'code' from facts where name = 'ada1'), 'checked_in', 'an attendee checks themselves in');
select is((select method from public.check_ins), 'self', 'method self');
select is((public.check_in('00000000-0000-0000-0000-0000000000e1')) ->> 'code', 'already_checked_in',
  'self check-in is idempotent too');
select is((select count(*)::int from public.check_ins), 1, 'the attendee reads only their own check-in');
select is((select count(*)::int from public.print_jobs), 0, 'and no print jobs');

select tests.act_as('stranger');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'not_allowed', 'a signed-in user without a verified phone cannot self check-in');
select tests.act_as('device');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'not_allowed', 'a device cannot check in');
select tests.act_as('anon');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1')$$,
  '42501', null, 'anon may not call check_in');

-- A first-timer's own phone sign-up: the contact exists but has no name yet.
select tests.reset_role();
select tests.make_attendee('newbie', '13055550190', null);
update public.contacts set first_name = null where phone = '+13055550190';
select tests.act_as('newbie');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1')$$,
  'P0001', 'registration_required', 'a nameless attendee must register');
select is((public.check_in('00000000-0000-0000-0000-0000000000e1', p_registration => '{"first_name": "Neo"}')) ->> 'code',
  'checked_in', 'registration in the same call');

-- ---------------------------------------------------------------- check_ins × roles
select tests.act_as('volunteer');
select is((select count(*)::int from public.check_ins), 5, 'volunteer reads check-ins');
select throws_ok($$insert into public.check_ins (event_id, contact_id, method) values ('00000000-0000-0000-0000-0000000000e3', '00000000-0000-0000-0000-0000000000c1', 'qr')$$,
  '42501', null, 'nobody inserts check-ins directly');
select throws_ok($$update public.check_ins set method = 'self'$$, '42501', null, 'nobody updates check-ins directly');
select is(tests.row_count($$delete from public.check_ins$$), 0, 'volunteer cannot undo check-ins');
select tests.act_as('device');
select is((select count(*)::int from public.check_ins), 0, 'device reads no check-ins');
select tests.act_as('anon');
select throws_ok($$select * from public.check_ins$$, '42501', null, 'anon cannot read check-ins');
select tests.act_as('service_role');
select is((select count(*)::int from public.check_ins), 5, 'service_role reads check-ins');
select tests.act_as('organizer');
select is(tests.row_count($$delete from public.check_ins where event_id = '00000000-0000-0000-0000-0000000000e2'$$), 1,
  'organizer undoes a check-in');
select tests.act_as('owner');
select is((select count(*)::int from public.check_ins), 4, 'owner reads check-ins');

-- ---------------------------------------------------------------- live count
select tests.act_as('anon');
select is(public.event_checkin_count('00000000-0000-0000-0000-0000000000e1'), 4, 'anyone sees the live count of a published event');
select throws_ok($$select public.event_checkin_count('00000000-0000-0000-0000-0000000000e2')$$, 'P0001', 'unknown_event',
  'but not of an unpublished one');
select tests.act_as('volunteer');
select is(public.event_checkin_count('00000000-0000-0000-0000-0000000000e2'), 0, 'staff see any event''s count');

-- ---------------------------------------------------------------- door lookup
select tests.act_as('volunteer');
select results_eq($$select first_name, pronouns, company, checked_in_at is not null
                      from public.find_attendees('00000000-0000-0000-0000-0000000000e1', 'bo')$$,
  $$values ('Bob'::text, 'he/him'::text, 'Acme'::text, true)$$, 'volunteer finds Bob by name prefix (minimum fields)');
select is((select count(*)::int from public.find_attendees('00000000-0000-0000-0000-0000000000e1', '305 555 0178')), 1,
  'and by phone');
select throws_ok($$select * from public.find_attendees('00000000-0000-0000-0000-0000000000e1', 'b')$$, 'P0001',
  'invalid_argument', 'a one-letter query is refused (no bulk listing)');
select tests.act_as('attendee');
select throws_ok($$select * from public.find_attendees('00000000-0000-0000-0000-0000000000e1', 'bob')$$, 'P0001',
  'not_allowed', 'attendees cannot look people up');

-- ---------------------------------------------------------------- reprint
select tests.reset_role();
insert into facts values ('bob_check_in', to_jsonb((select id from public.check_ins
  where contact_id = '00000000-0000-0000-0000-0000000000c1' and event_id = '00000000-0000-0000-0000-0000000000e1')));
select tests.act_as('volunteer');
select ok(public.reprint_badge((select (value ->> 0)::uuid from facts where name = 'bob_check_in'), 'smudged') is not null,
  'volunteer reprints once');
select ok(public.reprint_badge((select (value ->> 0)::uuid from facts where name = 'bob_check_in')) is not null,
  'volunteer reprints twice');
select throws_ok($$select public.reprint_badge((select (value ->> 0)::uuid from facts where name = 'bob_check_in'))$$,
  'P0001', 'reprint_limit', 'a third reprint by a volunteer hits reprint_limit');
select throws_ok($$select public.reprint_badge(gen_random_uuid())$$, 'P0001', 'unknown_check_in', 'unknown check-in');
select tests.act_as('organizer');
select ok(public.reprint_badge((select (value ->> 0)::uuid from facts where name = 'bob_check_in')) is not null,
  'an organizer may reprint beyond the volunteer limit');
select tests.act_as('attendee');
select throws_ok($$select public.reprint_badge((select (value ->> 0)::uuid from facts where name = 'bob_check_in'))$$,
  'P0001', 'not_allowed', 'attendees cannot reprint');
select tests.reset_role();
select is((select count(*)::int from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1' and reprint_of is not null),
  3, 'three reprint jobs, each pointing at the job before');
select is((select count(*)::int from public.audit_log where action = 'reprint' and actor_id = tests.get_supabase_uid('volunteer')),
  2, 'reprints are audited with who did them');

-- ---------------------------------------------------------------- QR rotation
select tests.act_as('attendee');
select isnt(public.rotate_qr_token(), (select qr_token from public.contacts), 'an attendee rotates their own token');
select throws_ok($$select public.rotate_qr_token('00000000-0000-0000-0000-0000000000c1')$$, 'P0001', 'not_allowed',
  'but not someone else''s');
select tests.act_as('volunteer');
select throws_ok($$select public.rotate_qr_token('00000000-0000-0000-0000-0000000000c1')$$, 'P0001', 'not_allowed',
  'volunteers cannot rotate tokens');
select tests.act_as('organizer');
select ok(public.rotate_qr_token('00000000-0000-0000-0000-0000000000c1') <> (select value ->> 0 from facts where name = 'bob_qr'),
  'an organizer rotates Bob''s token');
select tests.act_as('volunteer');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e1', p_qr_token => (select value ->> 0 from facts where name = 'bob_qr'))$$,
  'P0001', 'unknown_attendee', 'the old token no longer works');

select * from finish();
rollback;
