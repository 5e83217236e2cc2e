-- The attendee list in pages (20261129030000_event_attendee_pages): keyset order (checked in
-- first, latest arrival first; then not in yet, latest RSVP first), a cursor that is stable when
-- someone arrives between two pages, the filters and search on the server, the counts, and the
-- refusals of a bad page size, filter or cursor. Per role: organizers read; volunteers and
-- attendees are refused; anon cannot call.
begin;
select plan(27);
select tests.clear_people_data();
select tests.make_people_cast();

insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000097f1', 'pages-night', 'Pages Night', now() - interval '1 hour', now() + interval '2 hours', true),
  ('00000000-0000-0000-0000-0000000097f2', 'pages-before', 'Pages Before', now() - interval '30 days', now() - interval '30 days' + interval '3 hours', true);

-- Tonight: Walk walked in (no RSVP), Oli and Sam RSVP'd and are in; Pat, Lee and Em RSVP'd and
-- are not in yet. Sam and Lee came last month.
select tests.make_contact('+13055559701', 'Sam') as sam \gset
select tests.make_contact('+13055559702', 'Oli') as oli \gset
select tests.make_contact('+13055559703', 'Pat') as pat \gset
select tests.make_contact('+13055559704', 'Lee') as lee \gset
select tests.make_contact(null, 'Em', null, 'em@example.com') as em \gset
select tests.make_contact('+13055559707', 'Walk') as walk \gset
insert into public.event_rsvps (event_id, contact_id, created_at, source) values
  ('00000000-0000-0000-0000-0000000097f1', :'sam', now() - interval '4 days', 'form'),
  ('00000000-0000-0000-0000-0000000097f1', :'oli', now() - interval '5 days', 'import'),
  ('00000000-0000-0000-0000-0000000097f1', :'pat', now() - interval '1 day', 'form'),
  ('00000000-0000-0000-0000-0000000097f1', :'lee', now() - interval '2 days', 'staff'),
  ('00000000-0000-0000-0000-0000000097f1', :'em', now() - interval '3 days', 'form');
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000097f2', :'sam', 'qr', now() - interval '30 days'),
  ('00000000-0000-0000-0000-0000000097f2', :'lee', 'qr', now() - interval '30 days'),
  ('00000000-0000-0000-0000-0000000097f1', :'sam', 'qr', now() - interval '20 minutes'),
  ('00000000-0000-0000-0000-0000000097f1', :'oli', 'phone', now() - interval '10 minutes'),
  ('00000000-0000-0000-0000-0000000097f1', :'walk', 'phone', now());

-- ---------------------------------------------------------------- organizers: pages in order
select tests.act_as('organizer');
select results_eq(
  $$select first_name, rsvp_at is not null, checked_in_at is not null, first_timer
      from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 200)$$,
  $$values ('Walk', false, true, true), ('Oli', true, true, true), ('Sam', true, true, false),
           ('Pat', true, false, true), ('Lee', true, false, false), ('Em', true, false, true)$$,
  'an organizer: checked in first (latest arrival first), then not in yet (latest RSVP first); first visits as event_attendees says');
select results_eq(
  $$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 2)$$,
  $$values ('Walk'), ('Oli')$$, 'a first page of two');
select next_cursor as after_oli from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 2)
 where first_name = 'Oli' \gset
select ok(:'after_oli' ~ '^1/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/', 'a cursor names the row''s place: in, its time in UTC');

-- Someone walks in between two pages: the next page still starts after Oli (an offset would repeat Oli).
select tests.act_as('service_role');
select tests.make_contact('+13055559708', 'Late') as late \gset
insert into public.check_ins (event_id, contact_id, method, checked_in_at)
values ('00000000-0000-0000-0000-0000000097f1', :'late', 'qr', now() + interval '1 second');
select tests.act_as('organizer');
select results_eq(
  format($$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', %L, 2)$$, :'after_oli'),
  $$values ('Sam'), ('Pat')$$, 'the page after Oli crosses from checked in to not in yet, unmoved by a new arrival');
select next_cursor as after_pat from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', :'after_oli', 2)
 where first_name = 'Pat' \gset
select results_eq(
  format($$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', %L, 50)$$, :'after_pat'),
  $$values ('Lee'), ('Em')$$, 'and the last page ends the list');
select results_eq(
  $$select rsvp_source, method from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50)
     where first_name in ('Oli', 'Walk') order by first_name$$,
  $$values ('import', 'phone'), (null::text, 'phone')$$, 'RSVP source and check-in method come with each row');

-- ---------------------------------------------------------------- filters and search, on the server
select results_eq(
  $$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50, 'walk_in')$$,
  $$values ('Late'), ('Walk')$$, 'walk-ins only');
select results_eq(
  $$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50, 'rsvp', false)$$,
  $$values ('Pat'), ('Lee'), ('Em')$$, 'RSVP''d and not in yet');
select results_eq(
  $$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50, 'rsvp', true)$$,
  $$values ('Oli'), ('Sam')$$, 'RSVP''d and in');
select results_eq(
  $$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50, null, null, 'EM@example')$$,
  $$values ('Em')$$, 'a search by email, whatever its case');
select results_eq(
  $$select first_name from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50, null, true, '(305) 555-9702')$$,
  $$values ('Oli')$$, 'a search by phone as people type it, with a filter');
select is_empty(
  $$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 50, 'walk_in', false)$$,
  'a walk-in is always in: walk-ins not in yet are nobody');
select results_eq(
  $$select * from public.event_attendee_counts('00000000-0000-0000-0000-0000000097f1')$$,
  $$values (5, 4, 2, 7)$$, 'counts: 5 RSVPs, 4 in, 2 walk-ins, all 7 match no filter');
select results_eq(
  $$select matching from public.event_attendee_counts('00000000-0000-0000-0000-0000000097f1', 'rsvp', false, 'e')$$,
  $$values (2)$$, 'the filters'' matching count (Lee and Em, not in, with an "e")');

-- ---------------------------------------------------------------- refusals (read-only: nothing to change)
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 0)$$,
  'P0001', 'invalid_argument', 'a page of none is refused');
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, 201)$$,
  'P0001', 'invalid_argument', 'as is a page over 200');
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', null, null)$$,
  'P0001', 'invalid_argument', 'and no page size');
select throws_ok($$select * from public.event_attendee_counts('00000000-0000-0000-0000-0000000097f1', 'maybe')$$,
  'P0001', 'invalid_argument', 'an unknown attendance filter is refused');
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1', 'page 2')$$,
  'P0001', 'invalid_page_cursor', 'a cursor the list did not give out is refused');
select throws_ok(
  $$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1',
      '1/2026-13-40T18:00:00.000000Z/00000000-0000-0000-0000-000000000001')$$,
  'P0001', 'invalid_page_cursor', 'as is one with an impossible date');
select throws_ok($$select * from public.event_attendees_page(gen_random_uuid())$$,
  'P0001', 'unknown_event', 'an unknown event is refused');
select is(
  (select array_agg(distinct provolatile) from pg_proc
    where oid in ('public.event_attendees_page(uuid, text, integer, text, boolean, text)'::regprocedure,
                  'public.event_attendee_counts(uuid, text, boolean, text)'::regprocedure)),
  array['s']::"char"[], 'both are stable: a refused call, like any call, changes nothing');

-- ---------------------------------------------------------------- who may read them
select tests.act_as('volunteer');
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1')$$,
  'P0001', 'not_allowed', 'volunteers cannot read the attendee list');
select throws_ok($$select * from public.event_attendee_counts('00000000-0000-0000-0000-0000000097f1')$$,
  'P0001', 'not_allowed', 'nor its counts');
select tests.act_as('attendee');
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1')$$,
  'P0001', 'not_allowed', 'attendees cannot read the attendee list');
select tests.act_as('anon');
select throws_ok($$select * from public.event_attendees_page('00000000-0000-0000-0000-0000000097f1')$$,
  '42501', null, 'anon cannot call event_attendees_page');
select throws_ok($$select * from public.event_attendee_counts('00000000-0000-0000-0000-0000000097f1')$$,
  '42501', null, 'nor event_attendee_counts');

select * from finish();
rollback;
