-- Staff page: each staff member's two-factor status (a verified factor or not), for admins and
-- owners signed in with two-factor; refused to everyone else; it reveals nothing of a factor.
begin;
select plan(13);
select tests.clear_people_data();
select tests.make_people_cast();

-- The organizer has a verified factor; the volunteer only started enrolling.
insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret) values
  ('00000000-0000-0000-0000-0000000f8321', tests.get_supabase_uid('organizer'), 'Phone', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP'),
  ('00000000-0000-0000-0000-0000000f8322', tests.get_supabase_uid('volunteer'), 'Phone', 'totp', 'unverified', now(), now(), 'JBSWY3DPEHPK3PXQ');

select function_returns('public', 'staff_two_factor_status', 'setof record', 'returns rows');
select is((select prosecdef from pg_proc where oid = 'public.staff_two_factor_status()'::regprocedure), true,
  'a definer (auth.mfa_factors is closed to API roles)');
select is((select proconfig from pg_proc where oid = 'public.staff_two_factor_status()'::regprocedure),
  array['search_path=""'], 'with an empty search_path');

select tests.act_as('admin');
select results_eq(
  $$select enrolled from public.staff_two_factor_status() where user_id = tests.get_supabase_uid('organizer')$$,
  $$values (true)$$, 'admin at aal2: the organizer is enrolled');
select results_eq(
  $$select enrolled from public.staff_two_factor_status() where user_id = tests.get_supabase_uid('volunteer')$$,
  $$values (false)$$, 'admin at aal2: an unverified factor is not enrolment');
select is((select count(*)::int from public.staff_two_factor_status()), (select count(*)::int from public.staff),
  'one row per staff member');
select tests.act_as('owner');
select lives_ok($$select * from public.staff_two_factor_status()$$, 'owner at aal2 reads it');
select tests.act_as('service_role');
select lives_ok($$select * from public.staff_two_factor_status()$$, 'the service role reads it');

select tests.reset_role();
select tests.authenticate_as_at('admin', 'aal1');
select throws_ok($$select * from public.staff_two_factor_status()$$, 'P0001', 'not_allowed', 'admin at aal1 is refused');
select tests.reset_role();
select tests.authenticate_as_at('owner', 'aal1');
select throws_ok($$select * from public.staff_two_factor_status()$$, 'P0001', 'not_allowed', 'owner at aal1 is refused');
select tests.act_as('organizer');
select throws_ok($$select * from public.staff_two_factor_status()$$, 'P0001', 'not_allowed', 'organizer is refused');
select tests.act_as('volunteer');
select throws_ok($$select * from public.staff_two_factor_status()$$, 'P0001', 'not_allowed', 'volunteer is refused');
select tests.act_as('anon');
select throws_ok($$select * from public.staff_two_factor_status()$$, '42501', null, 'anon cannot call it');

select * from finish();
rollback;
