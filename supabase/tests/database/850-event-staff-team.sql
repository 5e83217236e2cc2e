-- The event page's door team per role: organizers add (recorded as the adder, never another
-- name) and remove volunteers; volunteers, attendees and anon cannot change it and read only
-- their own assignment.
begin;
select plan(11);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000000e1', 'team-night', 'Team Night', now(), now() + interval '2 hours', true);

-- ---------------------------------------------------------------- organizers
select tests.act_as('organizer');
select lives_ok($$insert into public.event_staff (event_id, user_id)
                   values ('00000000-0000-0000-0000-0000000000e1', tests.get_supabase_uid('volunteer'))$$,
  'an organizer puts a volunteer on the event''s team');
select results_eq($$select user_id, added_by from public.event_staff$$,
  $$values (tests.get_supabase_uid('volunteer'), tests.get_supabase_uid('organizer'))$$,
  'the row records the organizer who added them');
select throws_ok($$insert into public.event_staff (event_id, user_id, added_by)
                   values ('00000000-0000-0000-0000-0000000000e1', tests.get_supabase_uid('owner'),
                           tests.get_supabase_uid('owner'))$$,
  '42501', null, 'an organizer cannot record someone else as the adder');

-- ---------------------------------------------------------------- volunteers, attendees, anon
select tests.act_as('volunteer');
select is((select count(*)::int from public.event_staff), 1, 'a volunteer reads their own assignment');
select throws_ok($$insert into public.event_staff (event_id, user_id)
                   values ('00000000-0000-0000-0000-0000000000e1', tests.get_supabase_uid('owner'))$$,
  '42501', null, 'a volunteer cannot add anyone');
delete from public.event_staff;
select tests.act_as('organizer');
select is((select count(*)::int from public.event_staff), 1, 'a volunteer''s delete removes nothing');
select tests.act_as('attendee');
select is((select count(*)::int from public.event_staff), 0, 'an attendee reads no team');
select throws_ok($$insert into public.event_staff (event_id, user_id)
                   values ('00000000-0000-0000-0000-0000000000e1', (select auth.uid()))$$,
  '42501', null, 'an attendee cannot join a team');
select tests.act_as('anon');
select throws_ok($$select * from public.event_staff$$, '42501', null, 'anon cannot read teams');

-- ---------------------------------------------------------------- removing
select tests.act_as('organizer');
select lives_ok($$delete from public.event_staff
                   where event_id = '00000000-0000-0000-0000-0000000000e1'
                     and user_id = tests.get_supabase_uid('volunteer')$$,
  'an organizer takes the volunteer off the team');
select is((select count(*)::int from public.event_staff), 0, 'the team is empty again');

select * from finish();
rollback;
