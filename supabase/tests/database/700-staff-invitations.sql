-- Staff invitations and password resets: who may ask (RLS + staff rules), what the worker's
-- functions do, and the invitee's acceptance.
begin;
select plan(41);
select tests.clear_people_data();
truncate public.staff_invitations;

select tests.make_people_cast();
update public.senders set enabled = false where channel = 'email';
select tests.make_email_sender('Invitations');
update public.senders set use_for_transactional = true where name = 'Invitations';

-- ---------------------------------------------------------------- who may invite
select tests.act_as('admin');
select lives_ok($$insert into public.staff_invitations (email, level, display_name)
                  values ('  Nora@Example.COM ', 'organizer', 'Nora')$$, 'admin invites an organizer');
select row_eq($$select email, level, status, invited_by, user_id from public.staff_invitations$$,
  row('nora@example.com'::text, 'organizer'::public.staff_level, 'pending'::text, tests.get_supabase_uid('admin'), null::uuid),
  'the email is normalised, the inviter recorded, no login yet');
select throws_ok($$insert into public.staff_invitations (email, level) values ('boss@example.com', 'owner')$$,
  'P0001', 'not_allowed', 'admin cannot invite an owner');
select throws_ok($$insert into public.staff_invitations (email, level) values ('not-an-email', 'volunteer')$$,
  'P0001', 'invalid_email', 'a malformed email is refused');
select throws_ok($$insert into public.staff_invitations (email) values ('x@example.com')$$,
  'P0001', 'level_required', 'an invitation needs a level');
select throws_ok($$insert into public.staff_invitations (email, level) values ('organizer@test.hellomiami.local', 'admin')$$,
  'P0001', 'already_staff', 'an active staff member cannot be invited again');
select throws_ok($$insert into public.staff_invitations (email, level, status) values ('y@example.com', 'volunteer', 'sent')$$,
  '42501', null, 'admin cannot choose the status column');
select throws_ok($$insert into public.staff_invitations (email, level, invited_by)
                  values ('y@example.com', 'volunteer', tests.get_supabase_uid('owner'))$$,
  '42501', null, 'nor pretend someone else invited');
select is((select count(*)::int from public.staff_invitations), 1, 'refused requests left nothing behind');

select tests.act_as('owner');
select lives_ok($$insert into public.staff_invitations (email, level) values ('co-owner@example.com', 'owner')$$,
  'owner invites an owner');

select tests.act_as('organizer');
select throws_ok($$insert into public.staff_invitations (email, level) values ('z@example.com', 'volunteer')$$,
  'P0001', 'not_allowed', 'organizer cannot invite');
select is((select count(*)::int from public.staff_invitations), 0, 'organizer reads no invitations');
select tests.act_as('volunteer');
select throws_ok($$insert into public.staff_invitations (email, level) values ('z@example.com', 'volunteer')$$,
  'P0001', 'not_allowed', 'volunteer cannot invite');
select tests.act_as('attendee');
select is((select count(*)::int from public.staff_invitations), 0, 'attendee reads no invitations');
select tests.act_as('anon');
select throws_ok($$insert into public.staff_invitations (email, level) values ('z@example.com', 'volunteer')$$,
  '42501', null, 'anon cannot invite');
select throws_ok($$select * from public.staff_invitations$$, '42501', null, 'anon cannot read invitations');

-- ---------------------------------------------------------------- password resets
select tests.act_as('admin');
select lives_ok($$insert into public.staff_invitations (purpose, email) values ('password_reset', 'organizer@test.hellomiami.local')$$,
  'admin resets an organizer''s password');
select row_eq($$select level, user_id from public.staff_invitations where purpose = 'password_reset'$$,
  row('organizer'::public.staff_level, tests.get_supabase_uid('organizer')), 'the reset knows the login and level');
select throws_ok($$insert into public.staff_invitations (purpose, email) values ('password_reset', 'owner@test.hellomiami.local')$$,
  'P0001', 'not_allowed', 'admin cannot reset an owner''s password');
select throws_ok($$insert into public.staff_invitations (purpose, email) values ('password_reset', 'stranger@test.hellomiami.local')$$,
  'P0001', 'not_staff', 'a reset is only for staff');

-- ---------------------------------------------------------------- resend supersedes
select lives_ok($$insert into public.staff_invitations (email, level) values ('nora@example.com', 'volunteer')$$,
  'inviting the same email again is a resend');
select results_eq($$select status, level from public.staff_invitations where email = 'nora@example.com' order by created_at, status$$,
  $$values ('pending', 'volunteer'::public.staff_level), ('superseded', 'organizer'::public.staff_level)$$,
  'the newer invitation supersedes the open one');

-- ---------------------------------------------------------------- the worker's functions
select tests.act_as('admin');
select throws_ok($$select * from public.claim_staff_invitations()$$, '42501', null, 'admin cannot claim (worker only)');
select throws_ok($$select public.record_staff_invitation_sent(gen_random_uuid(), gen_random_uuid())$$, '42501', null,
  'admin cannot record a send');

select tests.act_as('service_role');
select results_eq(
  $$select email, purpose, attempts, from_email, user_id is not null from public.claim_staff_invitations(10, 60) order by email$$,
  $$values ('co-owner@example.com', 'invite', 1, 'events@hellomiami.test', false),
           ('nora@example.com', 'invite', 1, 'events@hellomiami.test', false),
           ('organizer@test.hellomiami.local', 'password_reset', 1, 'events@hellomiami.test', true)$$,
  'the worker claims every pending request with the transactional email sender');
select is((select count(*)::int from public.claim_staff_invitations(10, 60)), 0, 'claimed rows are not claimed twice');

select tests.create_supabase_user('nora', 'nora@example.com');
select is((public.record_staff_invitation_sent(
            (select id from public.staff_invitations where email = 'nora@example.com' and status = 'sending'),
            tests.get_supabase_uid('nora'))).status, 'sent', 'the worker records the send');
select row_eq($$select level, status, created_by from public.staff where user_id = tests.get_supabase_uid('nora')$$,
  row('volunteer'::public.staff_level, 'invited'::text, tests.get_supabase_uid('admin')),
  'the invitee is staff with status invited, created by the admin who invited');
select throws_ok($$select public.record_staff_invitation_sent(
                    (select id from public.staff_invitations where email = 'nora@example.com' and status = 'sent'),
                    tests.get_supabase_uid('nora'))$$,
  'P0001', 'unknown_invitation', 'a send is recorded once');

select is((public.record_staff_invitation_failed(
            (select id from public.staff_invitations where email = 'co-owner@example.com'), 'MailerSend 503')).status,
  'pending', 'a failed attempt is retried');
update public.staff_invitations set attempts = 5 where email = 'co-owner@example.com';
select is((select count(*)::int from public.claim_staff_invitations(10, 60)), 1, 'the retry is claimed again');
select row_eq($$select (public.record_staff_invitation_failed(id, 'MailerSend 503')).status, last_error
                 from public.staff_invitations where email = 'co-owner@example.com'$$,
  row('failed'::text, 'MailerSend 503'::text), 'after the fifth attempt it fails for the admin to see');

-- ---------------------------------------------------------------- the invitee accepts
select tests.act_as('nora');
select is((select private.current_staff_level()), null, 'an invited member has no staff rights yet');
select is((public.accept_staff_invitation()).status, 'active', 'accepting makes the invitee active');
select is(public.my_staff_level(), 'volunteer'::public.staff_level, 'with the invited level');
select throws_ok($$select public.accept_staff_invitation()$$, 'P0001', 'no_invitation', 'a link works once');

select tests.act_as('service_role');
select public.record_staff_invitation_sent(id, user_id) from public.staff_invitations
 where purpose = 'password_reset' and status = 'sending';
update public.staff_invitations set expires_at = now() - interval '1 minute' where purpose = 'password_reset';
select tests.act_as('organizer');
select throws_ok($$select public.accept_staff_invitation()$$, 'P0001', 'invitation_expired', 'an expired link is refused');
select is((select level from public.staff where user_id = tests.get_supabase_uid('organizer')), 'organizer'::public.staff_level,
  'a reset leaves the member''s level alone');
select tests.act_as('stranger');
select throws_ok($$select public.accept_staff_invitation()$$, 'P0001', 'no_invitation', 'nobody else can accept');
select tests.act_as('anon');
select throws_ok($$select public.accept_staff_invitation()$$, '42501', null, 'anon cannot accept');

-- ---------------------------------------------------------------- audit
select tests.act_as('owner');
select is((select count(*)::int from public.audit_log
            where table_name = 'staff_invitations' and action = 'insert' and actor_id = tests.get_supabase_uid('admin')),
  3, 'each request is audited with the admin who made it');

select * from finish();
rollback;
