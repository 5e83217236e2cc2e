-- Event management: save_event (times in the organisation's zone, every refusal code), the events
-- overview with its counts and the attendee list (RSVP vs walk-in, first-timer vs returning), per
-- role — organizers and up may, volunteers, attendees and anon may not.
begin;
select plan(32);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_attendee('bea', '13055550102', 'Bea');
select tests.make_attendee('cy', '13055550103', 'Cy');
select id as ada from public.contacts where phone = '+13055550101' \gset
select id as bea from public.contacts where phone = '+13055550102' \gset
select id as cy from public.contacts where phone = '+13055550103' \gset
update public.messaging_settings set org_time_zone = 'America/Chicago';

-- ---------------------------------------------------------------- who may save
select tests.act_as('volunteer');
select throws_ok($$select public.save_event(null, 'X', 'x', '2026-12-01 18:00', '2026-12-01 21:00')$$,
  'P0001', 'not_allowed', 'volunteers cannot create events');
select throws_ok($$select * from public.event_overview()$$, 'P0001', 'not_allowed', 'nor list them with counts');
select tests.act_as('attendee');
select throws_ok($$select public.save_event(null, 'X', 'x', '2026-12-01 18:00', '2026-12-01 21:00')$$,
  'P0001', 'not_allowed', 'attendees cannot create events');
select tests.act_as('anon');
select throws_ok($$select public.save_event(null, 'X', 'x', '2026-12-01 18:00', '2026-12-01 21:00')$$,
  '42501', null, 'anon cannot even call save_event');
select throws_ok($$select * from public.event_overview()$$, '42501', null, 'nor the overview');

-- ---------------------------------------------------------------- organizer creates, in the org's zone
select tests.act_as('organizer');
select lives_ok($$select public.save_event(null, '  Demo Night ', 'Demo-Night', '2026-12-01 18:00', '2026-12-01 21:00',
                                          'The Lab', 80, true)$$, 'an organizer creates an event');
select results_eq(
  $$select name, slug, starts_at, ends_at, time_zone, venue, capacity, published from public.events$$,
  $$values ('Demo Night', 'demo-night', '2026-12-02 00:00+00'::timestamptz, '2026-12-02 03:00+00'::timestamptz,
            'America/Chicago', 'The Lab', 80, true)$$,
  'trimmed, slug lowercased, 18:00 in Chicago is midnight UTC, the org zone becomes the event''s');
select id as demo from public.events where slug = 'demo-night' \gset
select results_eq(
  $$select starts_local, ends_local, org_time_zone, rsvp_count, check_in_count from public.event_overview()$$,
  $$values ('2026-12-01 18:00'::timestamp, '2026-12-01 21:00'::timestamp, 'America/Chicago', 0, 0)$$,
  'the overview gives the times back as typed, in the org''s zone');

-- Every bad field is refused with its own code, and nothing is written.
select throws_ok($$select public.save_event(null, ' ', 'x', '2026-12-01 18:00', '2026-12-01 21:00')$$,
  'P0001', 'event_name_required', 'a blank name is refused');
select throws_ok($$select public.save_event(null, 'X', 'two  words', '2026-12-01 18:00', '2026-12-01 21:00')$$,
  'P0001', 'event_slug_invalid', 'a slug with spaces is refused');
select throws_ok($$select public.save_event(null, 'X', 'x', '2026-12-01 18:00', '2026-12-01 17:00')$$,
  'P0001', 'event_ends_before_start', 'an end before the start is refused');
select throws_ok($$select public.save_event(null, 'X', 'x', null, '2026-12-01 17:00')$$,
  'P0001', 'invalid_argument', 'a missing start is refused');
select throws_ok($$select public.save_event(null, 'X', 'x', '2026-12-01 18:00', '2026-12-01 21:00', null, 0)$$,
  'P0001', 'event_capacity_invalid', 'a capacity of zero is refused');
select throws_ok($$select public.save_event(null, 'X', 'demo-night', '2026-12-01 18:00', '2026-12-01 21:00')$$,
  'P0001', 'event_slug_taken', 'a slug another event uses is refused');
select throws_ok(format($$select public.save_event(%L, 'X', 'x', '2026-12-01 18:00', '2026-12-01 21:00')$$, gen_random_uuid()),
  'P0001', 'unknown_event', 'editing an unknown event is refused');
select is((select count(*)::int from public.events), 1, 'no refused call wrote an event');

-- Editing keeps the id and its own slug.
select lives_ok(format($$select public.save_event(%L, 'Demo Night II', 'demo-night', '2026-12-01 19:00',
                                                  '2026-12-01 22:00', '', null, false)$$, :'demo'),
  'an organizer edits the event, keeping its slug');
select results_eq($$select name, starts_at, venue, capacity, published from public.events$$,
  $$values ('Demo Night II', '2026-12-02 01:00+00'::timestamptz, null::text, null::integer, false)$$,
  'the edit is saved (empty venue and capacity mean none)');

select tests.act_as('volunteer');
select throws_ok(format($$select public.save_event(%L, 'Hacked', 'demo-night', '2026-12-01 19:00', '2026-12-01 22:00')$$, :'demo'),
  'P0001', 'not_allowed', 'volunteers cannot edit events');
select throws_ok(format($$select * from public.event_attendees(%L)$$, :'demo'), 'P0001', 'not_allowed',
  'nor read the attendee list');

-- ---------------------------------------------------------------- attendees and counts
-- Ada came to an earlier event; Ada and Bea RSVP'd to Demo Night; Ada and Cy check in (Cy walks in).
select tests.act_as('service_role');
insert into public.events (id, slug, name, starts_at, ends_at)
values ('00000000-0000-0000-0000-0000000000e1', 'last-month', 'Last Month', now() - interval '30 days',
        now() - interval '30 days' + interval '2 hours');
insert into public.check_ins (event_id, contact_id, method, checked_in_at)
values ('00000000-0000-0000-0000-0000000000e1', :'ada', 'qr', now() - interval '30 days');
insert into public.event_rsvps (event_id, contact_id) values (:'demo', :'ada'), (:'demo', :'bea');
insert into public.check_ins (event_id, contact_id, method, checked_in_at)
values (:'demo', :'ada', 'qr', now() - interval '5 minutes'), (:'demo', :'cy', 'phone', now());

select tests.act_as('organizer');
select results_eq(
  format($$select first_name, rsvp_at is not null, checked_in_at is not null, method, first_timer
             from public.event_attendees(%L)$$, :'demo'),
  $$values ('Cy', false, true, 'phone', true), ('Ada', true, true, 'qr', false), ('Bea', true, false, null, true)$$,
  'latest arrival first: Cy walked in (first time), Ada RSVP''d and returns, Bea RSVP''d and is not in yet');
select results_eq(
  format($$select rsvp_count, check_in_count from public.event_overview() where id = %L$$, :'demo'),
  $$values (2, 2)$$, 'the overview counts two RSVPs and two check-ins');
select results_eq($$select slug from public.event_overview()$$, $$values ('demo-night'), ('last-month')$$,
  'newest event first');
select throws_ok(format($$select * from public.event_attendees(%L)$$, gen_random_uuid()), 'P0001', 'unknown_event',
  'an unknown event is refused');

select tests.act_as('admin');
select is((select count(*)::int from public.event_overview()), 2, 'admins see the overview too');
select is((select count(*)::int from public.event_attendees(:'demo')), 3, 'and the attendee list');
select tests.act_as('attendee');
select throws_ok(format($$select * from public.event_attendees(%L)$$, :'demo'), 'P0001', 'not_allowed',
  'an attendee cannot read the attendee list');
select tests.act_as('anon');
select throws_ok(format($$select * from public.event_attendees(%L)$$, :'demo'), '42501', null,
  'anon cannot call the attendee list');

-- ---------------------------------------------------------------- the capacity column itself
select tests.act_as('organizer');
select throws_ok(format($$update public.events set capacity = -1 where id = %L$$, :'demo'), '23514', null,
  'a direct write of a bad capacity hits the check constraint');
select is((select capacity from public.events where id = :'demo'), null, 'and changes nothing');
select tests.act_as('volunteer');
select is((select count(*)::int from public.events where capacity is null), 2, 'volunteers still read events (the door)');
select is(tests.row_count(format($$update public.events set capacity = 5 where id = %L$$, :'demo')), 0,
  'but update none');

select * from finish();
rollback;
