-- "Send a test to me": a saved template, rendered, queued as a transactional test to the staff
-- member's own phone or email (never a contact), claimed like every other message.
begin;
select plan(17);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_email_sender() as mail_sender \gset
select tests.make_template('test me', 'Hi {{first_name | friend}}, see you at {{org_name}}!') as tpl \gset
select tests.make_template('test me mail', 'Hello {{first_name | friend}}', 'email', 'News for {{first_name | you}}') as tpl_mail \gset
select tests.make_contact('+13055550901', 'Ana') as ana \gset

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), '42501', null, 'anon cannot send tests');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), 'P0001', 'not_allowed', 'volunteers cannot');
select tests.act_as('msg_attendee');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), 'P0001', 'not_allowed', 'attendees cannot');
select tests.act_as('service_role');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), '42501', null,
  'the service role (no address of its own) may not call it');

-- ---------------------------------------------------------------- refusals change nothing
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), 'P0001', 'no_own_address',
  'an organizer without a phone is told so for a text');
select throws_ok(format($$select public.send_template_test(%L)$$, gen_random_uuid()), 'P0001', 'template_not_found', 'unknown template');
select throws_ok(format($$select public.send_template_test(%L, %L)$$, :'tpl', gen_random_uuid()), 'P0001', 'contact_not_found',
  'unknown contact');
select is((select count(*)::int from public.messages), 0, 'a refusal queues nothing');

-- ---------------------------------------------------------------- an organizer tests a text and an email
select tests.reset_role();
update auth.users set phone = '13055550999' where id = tests.get_supabase_uid('msg_organizer');
select tests.act_as('msg_organizer');
select public.send_template_test(:'tpl', :'ana') as sms_test \gset
select public.send_template_test(:'tpl_mail') as mail_test \gset
select tests.reset_role();
select results_eq(format($$select kind::text, status::text, to_address, body, contact_id, is_marketing, sender_id
                          from public.messages where id = %L$$, :'sms_test'),
  format($$values ('transactional', 'queued', '+13055550999', 'Hi Ana, see you at Hello Miami!', null::uuid, false, %L::uuid)$$, :'sender'),
  'the text goes to the organizer''s own phone, rendered for the chosen contact, transactional, no contact on it');
select results_eq(format($$select to_address, subject, body, test_template_id, sent_by from public.messages where id = %L$$, :'mail_test'),
  format($$values ('msg_organizer@test.hellomiami.local', 'News for you', 'Hello friend', %L::uuid, %L::uuid)$$,
         :'tpl_mail', tests.get_supabase_uid('msg_organizer')),
  'the email goes to their own address with the defaults, marked as a test of the template');
select is((select count(*)::int from public.messages where to_address = '+13055550901'), 0, 'nothing goes to the contact');
select is((select count(*)::int from public.audit_log where action = 'template.test_sent'), 2, 'each test is audited');

-- ---------------------------------------------------------------- through the normal claim
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_outbound_messages('w', 'sms', 10, 30, now()) where message_id = :'sms_test'), 1,
  'the workers claim the test like any text');

-- ---------------------------------------------------------------- archived templates, the hourly limit
select tests.reset_role();
update public.message_templates set archived_at = now() where id = :'tpl_mail';
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl_mail'), 'P0001', 'template_not_found',
  'an archived template is not tested');
select tests.reset_role();
insert into public.messages (direction, kind, channel, status, sender_id, to_address, body, is_marketing, sent_by, test_template_id)
select 'outbound', 'transactional', 'sms', 'delivered', :'sender', '+13055550999', 'earlier', false,
       tests.get_supabase_uid('msg_organizer'), :'tpl'
from generate_series(1, 18);
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), 'P0001', 'test_limit_reached',
  'at most 20 tests an hour');
select tests.act_as('msg_admin');
select tests.reset_role();
select is((select count(*)::int from public.messages where sent_by = tests.get_supabase_uid('msg_organizer')), 20,
  'the refused test added nothing');
select tests.act_as('msg_admin');
select throws_ok(format($$select public.send_template_test(%L)$$, :'tpl'), 'P0001', 'no_own_address',
  'an admin is held to the same rules (no phone here)');

select * from finish();
rollback;
