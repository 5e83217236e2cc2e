-- The staff directory behind organizers' pickers: organizers and up get every staff member with
-- their login email (so someone without a display name is still recognisable); volunteers,
-- attendees and anon may not, and attendees' logins never appear.
begin;
select plan(7);
select tests.clear_people_data();
select tests.make_people_cast();
update public.staff set display_name = null where user_id = tests.get_supabase_uid('volunteer');
select email as volunteer_email from auth.users where id = tests.get_supabase_uid('volunteer') \gset

select tests.act_as('organizer');
select results_eq(
  $$select name, email, level::text, status from public.staff_directory()
     where user_id = tests.get_supabase_uid('volunteer')$$,
  format($$values (%L, %L, 'volunteer', 'active')$$, :'volunteer_email', :'volunteer_email'),
  'an organizer sees a volunteer without a display name by their login email');
select is((select count(*)::int from public.staff_directory()), (select count(*)::int from public.staff),
  'every staff member is listed');
select is((select count(*)::int from public.staff_directory() d where d.user_id = tests.get_supabase_uid('attendee')), 0,
  'an attendee''s login is not staff and is not listed');
select tests.act_as('admin');
select is((select count(*)::int from public.staff_directory()), (select count(*)::int from public.staff),
  'admins read it too');

select tests.act_as('volunteer');
select throws_ok($$select * from public.staff_directory()$$, 'P0001', 'not_allowed', 'volunteers may not read staff emails');
select tests.act_as('attendee');
select throws_ok($$select * from public.staff_directory()$$, 'P0001', 'not_allowed', 'attendees may not');
select tests.act_as('anon');
select throws_ok($$select * from public.staff_directory()$$, '42501', null, 'anon cannot call it');

select * from finish();
rollback;
