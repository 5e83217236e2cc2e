-- Folding event counter rows (20261129080000_event_counter_fold): every row but slot 0 moves into
-- its event's slot-0 row and the sums the screens read do not change; a second fold finds nothing;
-- per role: the workers fold, organizers and volunteers are refused, anon cannot call it.
begin;
select plan(9);
select tests.clear_people_data();
select tests.make_people_cast();
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000097e1', 'fold-tonight', 'Tonight', now() - interval '1 hour', now() + interval '2 hours', true),
  ('00000000-0000-0000-0000-0000000097e2', 'fold-friday', 'Friday', now() + interval '3 days', now() + interval '3 days 2 hours', true);
-- Rows as backends long gone left them (one per connection), and a fold's own row.
insert into private.event_rsvp_counts (event_id, slot, rsvps) values
  ('00000000-0000-0000-0000-0000000097e1', 0, 10), ('00000000-0000-0000-0000-0000000097e1', 101, 3),
  ('00000000-0000-0000-0000-0000000097e1', 102, -1), ('00000000-0000-0000-0000-0000000097e2', 103, 4);
insert into private.event_check_in_counts (event_id, slot, check_ins) values
  ('00000000-0000-0000-0000-0000000097e1', 104, 2), ('00000000-0000-0000-0000-0000000097e1', 105, 5);

select tests.act_as('organizer');
select results_eq($$select slug, rsvp_count, check_in_count from public.event_overview()
                     where slug like 'fold-%' order by slug$$,
  $$values ('fold-friday'::text, 4, 0), ('fold-tonight'::text, 12, 7)$$, 'the events list before a fold');
select throws_ok($$select public.fold_event_counts()$$, '42501', null, 'an organizer cannot fold');
select tests.act_as('volunteer');
select throws_ok($$select public.fold_event_counts()$$, '42501', null, 'nor a volunteer');
select tests.act_as('anon');
select throws_ok($$select public.fold_event_counts()$$, '42501', null, 'nor anon');

select tests.act_as('service_role');
select is(public.fold_event_counts(), 5, 'the workers fold the five rows that were not slot 0');
select tests.reset_role();
select results_eq($$select event_id, slot, rsvps from private.event_rsvp_counts
                     where event_id in ('00000000-0000-0000-0000-0000000097e1', '00000000-0000-0000-0000-0000000097e2')
                     order by event_id$$,
  $$values ('00000000-0000-0000-0000-0000000097e1'::uuid, 0, 12), ('00000000-0000-0000-0000-0000000097e2'::uuid, 0, 4)$$,
  'each event keeps one RSVP row, slot 0, with the sum');
select results_eq($$select slot, check_ins from private.event_check_in_counts
                     where event_id = '00000000-0000-0000-0000-0000000097e1'$$,
  $$values (0, 7)$$, 'and one check-in row');
select tests.act_as('organizer');
select results_eq($$select slug, rsvp_count, check_in_count from public.event_overview()
                     where slug like 'fold-%' order by slug$$,
  $$values ('fold-friday'::text, 4, 0), ('fold-tonight'::text, 12, 7)$$, 'the events list after it: the same numbers');
select tests.act_as('service_role');
select is(public.fold_event_counts(), 0, 'a second fold finds nothing to fold');

select * from finish();
rollback;
