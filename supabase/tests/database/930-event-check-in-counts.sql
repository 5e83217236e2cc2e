-- Check-in counters behind the events list: they follow check-ins made at the door, deleted,
-- merged away and cascaded with a person, are summed over their slots, never let a check-in
-- move to another event, and stay private — per role: organizers read the counts through
-- event_overview, volunteers and anon may not, and nobody reads the counter table.
begin;
select plan(14);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_attendee('bea', '13055550102', 'Bea');
select id as ada from public.contacts where phone = '+13055550101' \gset
select id as bea from public.contacts where phone = '+13055550102' \gset
insert into public.contacts (id, first_name, phone) values
  ('00000000-0000-0000-0000-0000000093c1', 'Cy', '+13055550103'),
  ('00000000-0000-0000-0000-0000000093c2', 'Cy again', '+13055550104');
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000093e1', 'tonight', 'Tonight', now() - interval '1 hour', now() + interval '2 hours', true),
  ('00000000-0000-0000-0000-0000000093e2', 'last-week', 'Last week', now() - interval '7 days', now() - interval '7 days' + interval '3 hours', true);
insert into public.check_ins (event_id, contact_id, method) values
  ('00000000-0000-0000-0000-0000000093e2', :'ada', 'qr'),
  ('00000000-0000-0000-0000-0000000093e2', :'bea', 'qr'),
  ('00000000-0000-0000-0000-0000000093e2', '00000000-0000-0000-0000-0000000093c1', 'phone'),
  ('00000000-0000-0000-0000-0000000093e2', '00000000-0000-0000-0000-0000000093c2', 'phone');

create function pg_temp.counts() returns table (slug text, check_in_count integer)
language sql as $$ select o.slug, o.check_in_count from public.event_overview() o order by o.slug $$;
grant execute on function pg_temp.counts() to authenticated;

-- ---------------------------------------------------------------- who may read the counts
select tests.act_as('volunteer');
select throws_ok($$select * from public.event_overview()$$, 'P0001', 'not_allowed', 'volunteers do not get the events list');
select throws_ok($$select * from private.event_check_in_counts$$, '42501', null, 'nor the counter table');
select tests.act_as('anon');
select throws_ok($$select * from public.event_overview()$$, '42501', null, 'anon cannot call the overview');
select tests.act_as('organizer');
select throws_ok($$select * from private.event_check_in_counts$$, '42501', null, 'organizers read counts only through the overview');
select results_eq($$select * from pg_temp.counts()$$, $$values ('last-week', 4), ('tonight', 0)$$,
  'an organizer sees each event''s check-ins counted');

-- ---------------------------------------------------------------- counts follow the door
select tests.act_as('volunteer');
select is(public.check_in('00000000-0000-0000-0000-0000000093e1', p_phone => '+13055550101') ->> 'code', 'checked_in',
  'a volunteer checks Ada in');
select is(public.check_in('00000000-0000-0000-0000-0000000093e1', p_phone => '+13055550101') ->> 'code', 'already_checked_in',
  'a repeat scan changes nothing');
select tests.act_as('organizer');
select results_eq($$select * from pg_temp.counts()$$, $$values ('last-week', 4), ('tonight', 1)$$,
  'the check-in is counted once, at once');

-- ---------------------------------------------------------------- deletes, merges, cascades, slots
select tests.act_as('organizer');
select public.merge_contacts('00000000-0000-0000-0000-0000000093c1', '00000000-0000-0000-0000-0000000093c2');
select tests.act_as('service_role');
delete from public.contacts where id = :'bea';
select tests.reset_role();
-- Another session's slot (the counter is per backend) adds up with this one.
insert into private.event_check_in_counts (event_id, slot, check_ins)
values ('00000000-0000-0000-0000-0000000093e1', (pg_backend_pid() % 16 + 1) % 16, 2);
select tests.act_as('organizer');
select results_eq($$select * from pg_temp.counts()$$, $$values ('last-week', 2), ('tonight', 3)$$,
  'a merged-away duplicate and a deleted person''s check-ins are subtracted; slots add up');

select tests.reset_role();
select results_eq(
  $$select e.slug, (select count(*)::int from public.check_ins ci where ci.event_id = e.id)
      from public.events e order by e.slug$$,
  $$values ('last-week', 2), ('tonight', 1)$$,
  'the rows themselves: the extra slot above stands for another session''s check-ins');
delete from private.event_check_in_counts where slot = (pg_backend_pid() % 16 + 1) % 16;

-- ---------------------------------------------------------------- a check-in stays at its event
select throws_ok(
  $$update public.check_ins set event_id = '00000000-0000-0000-0000-0000000093e1'
     where event_id = '00000000-0000-0000-0000-0000000093e2' and contact_id = '00000000-0000-0000-0000-0000000093c1'$$,
  'P0001', 'invalid_argument', 'a check-in cannot move to another event');
select lives_ok($$update public.check_ins set method = 'staff' where event_id = '00000000-0000-0000-0000-0000000093e2'$$,
  'other columns still change');

-- ---------------------------------------------------------------- deleting an event, truncating
delete from public.events where id = '00000000-0000-0000-0000-0000000093e2';
select is((select count(*)::int from private.event_check_in_counts where event_id = '00000000-0000-0000-0000-0000000093e2'), 0,
  'a deleted event''s counters go with it');
truncate public.check_ins cascade;
select is((select count(*)::int from private.event_check_in_counts), 0, 'a truncate zeroes every count');

select * from finish();
rollback;
