-- Event counter slots (20261129050000_event_counter_slots): a backend adds check-ins and RSVPs
-- to its own counter rows, keyed by its pid; another backend's rows add up with them; per role:
-- a volunteer's check-in and an organizer's RSVP are counted in their own backend's row,
-- a volunteer cannot add RSVPs (nothing counted), and no API role reads the counter tables.
-- (Two backends waiting on each other cannot be staged in one pgTAP transaction:
-- tests/people/test_event_counter_slots.py interleaves them step by step.)
begin;
select plan(13);
select tests.clear_people_data();
select tests.make_people_cast();
select id as ada from public.contacts where phone = '+13055550101' \gset
insert into public.contacts (id, first_name, phone) values
  ('00000000-0000-0000-0000-0000000099c1', 'Cy', '+13055559951');
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000099e1', 'slots-tonight', 'Tonight', now() - interval '1 hour', now() + interval '2 hours', true);

select col_type_is('private', 'event_check_in_counts', 'slot', 'integer', 'a pid fits a check-in slot');
select col_type_is('private', 'event_rsvp_counts', 'slot', 'integer', 'and an RSVP slot');

-- ---------------------------------------------------------------- the door: a volunteer's check-in
select tests.act_as('volunteer');
select is(public.check_in('00000000-0000-0000-0000-0000000099e1', p_phone => '+13055550101') ->> 'code', 'checked_in',
  'a volunteer checks Ada in');
select tests.reset_role();
select results_eq($$select slot, check_ins from private.event_check_in_counts where event_id = '00000000-0000-0000-0000-0000000099e1'$$,
  $$values (pg_backend_pid(), 1)$$, 'counted in this backend''s own row, keyed by its pid');

-- ---------------------------------------------------------------- RSVPs: organizers add them, volunteers cannot
select tests.act_as('organizer');
select lives_ok($$insert into public.event_rsvps (event_id, contact_id) values
  ('00000000-0000-0000-0000-0000000099e1', '00000000-0000-0000-0000-0000000099c1')$$, 'an organizer adds an RSVP');
select tests.act_as('volunteer');
select throws_ok(format($$insert into public.event_rsvps (event_id, contact_id) values
  ('00000000-0000-0000-0000-0000000099e1', %L)$$, :'ada'), '42501', null, 'a volunteer cannot');
select tests.reset_role();
select results_eq($$select slot, rsvps from private.event_rsvp_counts where event_id = '00000000-0000-0000-0000-0000000099e1'$$,
  $$values (pg_backend_pid(), 1)$$, 'the organizer''s RSVP is counted in this backend''s row, the refused one not at all');

-- ---------------------------------------------------------------- another backend's rows add up
insert into private.event_check_in_counts (event_id, slot, check_ins)
values ('00000000-0000-0000-0000-0000000099e1', pg_backend_pid() + 1, 2);
insert into private.event_rsvp_counts (event_id, slot, rsvps)
values ('00000000-0000-0000-0000-0000000099e1', pg_backend_pid() + 1, 3);
select tests.act_as('organizer');
select results_eq($$select rsvp_count, check_in_count from public.event_overview() where slug = 'slots-tonight'$$,
  $$values (4, 3)$$, 'the events list sums every backend''s row');
select lives_ok($$delete from public.event_rsvps where contact_id = '00000000-0000-0000-0000-0000000099c1'$$,
  'an organizer removes the RSVP');
select tests.reset_role();
select results_eq($$select slot, rsvps from private.event_rsvp_counts where event_id = '00000000-0000-0000-0000-0000000099e1' order by slot$$,
  $$values (pg_backend_pid(), 0), (pg_backend_pid() + 1, 3)$$, 'a delete is subtracted from this backend''s own row only');

-- ---------------------------------------------------------------- nobody reads the counters directly
select tests.act_as('organizer');
select throws_ok($$select * from private.event_check_in_counts$$, '42501', null, 'organizers read no counter table');
select tests.act_as('service_role');
select throws_ok($$select * from private.event_rsvp_counts$$, '42501', null, 'nor the workers');
select tests.act_as('anon');
select throws_ok($$select * from private.event_check_in_counts$$, '42501', null, 'nor anon');

select * from finish();
rollback;
