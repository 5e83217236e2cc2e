-- Two-factor sign-in for staff: admins and owners reach admin policies and functions only with
-- an aal2 session; organizers, volunteers and the service role are unaffected; owners reset a
-- member's second factor.
begin;
select plan(35);
select tests.clear_people_data();
select tests.make_people_cast();

-- A factor for the organizer and a session of theirs that used it, as Auth records them.
insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
values ('00000000-0000-0000-0000-0000000f0001', tests.get_supabase_uid('organizer'), 'Phone', 'totp', 'verified', now(), now(), 'JBSWY3DPEHPK3PXP');
insert into auth.sessions (id, user_id, aal, factor_id)
values ('00000000-0000-0000-0000-00000000a001', tests.get_supabase_uid('organizer'), 'aal2', '00000000-0000-0000-0000-0000000f0001');
insert into auth.mfa_amr_claims (session_id, authentication_method)
values ('00000000-0000-0000-0000-00000000a001', 'password'), ('00000000-0000-0000-0000-00000000a001', 'totp');

-- ---------------------------------------------------------------- an admin with a password only
select tests.reset_role();
select tests.authenticate_as_at('admin', 'aal1');
select is(private.session_aal(), 'aal1', 'a password-only session is aal1');
select is(private.session_staff_level(), 'organizer'::public.staff_level, 'an aal1 admin acts as an organizer');
select is(public.my_staff_level(), 'admin'::public.staff_level, 'the SPA still learns the real level (to ask for the second factor)');
select ok(private.has_staff_level('organizer'), 'organizer tools stay open to an aal1 admin');
select ok(not private.has_staff_level('admin'), 'admin policies are closed to an aal1 admin');
select lives_ok($$select count(*) from public.contacts$$, 'an aal1 admin reads contacts like an organizer');
select throws_ok($$select * from public.list_staff()$$, 'P0001', 'not_allowed', 'aal1 admin: list_staff refused');
select throws_ok($$select public.set_staff_level(tests.get_supabase_uid('volunteer'), 'organizer')$$,
  'P0001', 'not_allowed', 'aal1 admin: changing a level refused');
select throws_ok($$select public.admin_replay_webhook_event(gen_random_uuid())$$,
  'P0001', 'not_allowed', 'aal1 admin: webhook replay refused');
select throws_ok($$insert into public.staff_invitations (email, level) values ('new@example.com', 'organizer')$$,
  'P0001', 'not_allowed', 'aal1 admin: inviting staff refused');
select is((select count(*)::int from public.audit_log), 0, 'aal1 admin: the audit log shows nothing');
select is_empty($$update public.senders set daily_cap = 7 returning id$$, 'aal1 admin: senders cannot be changed');
select throws_ok($$select public.reset_staff_two_factor(tests.get_supabase_uid('organizer'))$$,
  'P0001', 'not_allowed', 'aal1 admin: resetting two-factor refused');

-- ---------------------------------------------------------------- the same admin after a second factor
select tests.act_as('admin');
select is(private.session_aal(), 'aal2', 'the test helpers sign staff in at aal2 by default');
select ok(private.has_staff_level('admin'), 'an aal2 admin is an admin');
select lives_ok($$select * from public.list_staff()$$, 'aal2 admin: list_staff works');
select lives_ok($$insert into public.staff_invitations (email, level) values ('new@example.com', 'organizer')$$,
  'aal2 admin: invites staff');
select isnt_empty($$select 1 from public.audit_log$$, 'aal2 admin: reads the audit log (the invitation is in it)');
select throws_ok($$select public.reset_staff_two_factor(tests.get_supabase_uid('organizer'))$$,
  'P0001', 'not_allowed', 'aal2 admin: only owners reset two-factor');

-- ---------------------------------------------------------------- owners
select tests.reset_role();
select tests.authenticate_as_at('owner', 'aal1');
select throws_ok($$select * from public.list_staff()$$, 'P0001', 'not_allowed', 'aal1 owner: list_staff refused');
select throws_ok($$select public.reset_staff_two_factor(tests.get_supabase_uid('organizer'))$$,
  'P0001', 'not_allowed', 'aal1 owner: resetting two-factor refused');

select tests.act_as('owner');
select throws_ok($$select public.reset_staff_two_factor(gen_random_uuid())$$,
  'P0001', 'unknown_user', 'an id that is not staff is refused');
select is(public.reset_staff_two_factor(tests.get_supabase_uid('organizer')), 1, 'aal2 owner resets the organizer''s factor');
select tests.reset_role();
select is((select count(*)::int from auth.mfa_factors where user_id = tests.get_supabase_uid('organizer')), 0,
  'the factor is gone');
select row_eq($$select aal::text, factor_id from auth.sessions where id = '00000000-0000-0000-0000-00000000a001'$$,
  row('aal1'::text, null::uuid), 'their session falls back to aal1');
select is(array(select authentication_method from auth.mfa_amr_claims where session_id = '00000000-0000-0000-0000-00000000a001'),
  array['password']::text[], 'and no longer claims totp');
select row_eq($$select action, table_name, record_id, actor_id, detail from public.audit_log where action = 'reset_two_factor'$$,
  row('reset_two_factor'::text, 'staff'::text, tests.get_supabase_uid('organizer')::text,
      tests.get_supabase_uid('owner'), '{"factors_removed": 1}'::jsonb),
  'the reset is audited with the owner as actor');

-- ---------------------------------------------------------------- organizers and volunteers are unaffected
select tests.reset_role();
select tests.authenticate_as_at('organizer', 'aal1');
select ok(private.has_staff_level('organizer'), 'an aal1 organizer is an organizer');
select lives_ok($$select count(*) from public.contacts$$, 'aal1 organizer reads contacts');
select throws_ok($$select public.reset_staff_two_factor(tests.get_supabase_uid('volunteer'))$$,
  'P0001', 'not_allowed', 'organizer: resetting two-factor refused');
select tests.reset_role();
select tests.authenticate_as_at('volunteer', 'aal1');
select is(private.session_staff_level(), 'volunteer'::public.staff_level, 'an aal1 volunteer is a volunteer');

-- ---------------------------------------------------------------- the service role (workers, hm)
select tests.act_as('service_role');
select is(private.acting_staff_level(), 'owner'::public.staff_level, 'service role acts as owner without any aal');
select lives_ok($$select * from public.list_staff()$$, 'service role: list_staff works');
select is(public.reset_staff_two_factor(tests.get_supabase_uid('admin')), 0, 'service role: reset works (nothing to remove)');

select tests.act_as('anon');
select throws_ok($$select public.reset_staff_two_factor(tests.get_supabase_uid('admin'))$$,
  '42501', null, 'anon cannot call it');

select * from finish();
rollback;
