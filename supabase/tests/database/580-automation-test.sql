-- Testing an automation: who it would reach, the rendered message, nothing recorded or sent
-- unless the staff member asks for a copy to themselves; per role. Also the runner still queues
-- through the moved private.enqueue_automation (consent and suppressions respected).
begin;
select plan(23);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_email_sender() as mail_sender \gset
select tests.make_template('thanks', 'Thanks {{first_name | friend}} for coming to {{event_name | our event}}!') as tpl \gset
select tests.make_template('thanks mail', 'Hi {{first_name | friend}}', 'email', 'Thanks from {{org_name}}') as mail_tpl \gset
select tests.make_contact('+13055550801', 'Ana') as ana \gset
select tests.make_contact('+13055550802', 'Ben', 'opted_out') as ben \gset
insert into public.events (name, slug, starts_at, ends_at)
values ('Demo Night', 'demo-night-test', '2030-03-10 23:00+00', '2030-03-11 02:00+00') returning id as event \gset
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  (:'event', :'ana', 'staff', '2030-03-10 23:30+00'),
  (:'event', :'ben', 'staff', '2030-03-10 23:40+00');
insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours, lookback_hours, window_start, window_end)
values ('Thank you', 'after_check_in', 'sms', :'tpl', :'sender', 12, 72, '09:00', '20:00') returning id as thanks \gset
insert into public.automations (name, kind, action, tag, delay_hours) values ('Tag', 'after_check_in', 'add_tag', 'came', 0)
returning id as tag \gset
-- 2030-03-11 13:00 UTC = 09:00 in Miami, 13.5 h after the check-ins.
\set at '2030-03-11 13:00+00'

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok(format($$select public.test_automation(%L)$$, :'thanks'), '42501', null, 'anon cannot test automations');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.test_automation(%L)$$, :'thanks'), 'P0001', 'not_allowed', 'nor volunteers');

-- ---------------------------------------------------------------- who it would reach, nothing recorded
select tests.act_as('msg_organizer');
select public.test_automation(:'thanks', p_now => :'at') as result \gset
select is((:'result'::jsonb ->> 'due')::int, 2, 'organizers see who the trigger holds for');
select is((:'result'::jsonb ->> 'would_act')::int, 2, 'who a run now would act on');
select is((:'result'::jsonb ->> 'would_send')::int, 1, 'and who would get the text (Ben opted out)');
select is(:'result'::jsonb #>> '{preview,body}', 'Thanks Ana for coming to Demo Night!',
  'the message rendered for one contact with the check-in''s event');
select is(:'result'::jsonb #>> '{preview,to_address}', '+13055550801', 'to their number');
select is(jsonb_array_length(:'result'::jsonb -> 'contacts'), 2, 'the contacts it would reach are listed');
select is(public.test_automation(:'thanks', :'ben', p_now => :'at') #>> '{preview,may_send}', 'false',
  'a chosen contact''s preview says when they would be skipped');
select is((public.test_automation(:'thanks', p_now => '2030-03-11 08:00+00') ->> 'would_act')::int, 0,
  'outside the schedule window it would act on nobody');
select is((public.test_automation(:'tag', p_now => :'at') ->> 'would_act')::int, 2, 'an add_tag automation: who would be tagged');
select is(public.test_automation(:'tag', p_now => :'at') -> 'preview', 'null'::jsonb, 'with no message to preview');
select tests.reset_role();
select is((select count(*)::int from public.automation_deliveries), 0, 'testing records no delivery');
select is((select count(*)::int from public.messages), 0, 'and queues no message');
select is((select tags from public.contacts where id = :'ana'), '{}'::text[], 'and tags nobody');

-- ---------------------------------------------------------------- refusals
select tests.act_as('msg_organizer');
select throws_ok($$select public.test_automation(gen_random_uuid())$$, 'P0001', 'unknown_automation', 'an unknown automation');
select throws_ok(format($$select public.test_automation(%L, gen_random_uuid())$$, :'thanks'), 'P0001', 'unknown_contact',
  'an unknown contact');
select throws_ok(format($$select public.test_automation(%L, p_send_to_me => true)$$, :'tag'), 'P0001', 'invalid_automation',
  'an add_tag automation has nothing to send');
select throws_ok(format($$select public.test_automation(%L, p_send_to_me => true)$$, :'thanks'), 'P0001', 'no_own_address',
  'an SMS test needs the staff member''s phone');

-- ---------------------------------------------------------------- send to me (email)
insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours)
values ('Mail', 'after_check_in', 'email', :'mail_tpl', :'mail_sender', 0) returning id as mail \gset
select public.test_automation(:'mail', p_send_to_me => true, p_now => :'at') as mailed \gset
select tests.reset_role();
select results_eq(format($$select to_address, subject, body, kind::text, is_marketing, contact_id from public.messages where id = %L$$,
                         :'mailed'::jsonb ->> 'test_message_id'),
  $$values ('msg_organizer@test.hellomiami.local', '[Test] Thanks from Hello Miami', 'Hi Ana', 'transactional', false, null::uuid)$$,
  'send to me queues one transactional copy to the caller''s own address, rendered for a contact');
select is((select count(*)::int from public.messages), 1, 'and nothing else');

-- ---------------------------------------------------------------- the runner, called by an organizer
-- (the staff-reply trigger must leave a definer function's inserts alone: 20261125008020).
select tests.act_as('msg_organizer');
select is((select sum(enqueued)::int from public.run_due_automations(:'at') where automation_id = :'thanks'), 1,
  'the runner sends to Ana only (Ben opted out)');
select tests.reset_role();
select results_eq(format($$select to_address, kind::text, is_marketing, contact_id from public.messages where automation_id = %L$$, :'thanks'),
  format($$values ('+13055550801', 'automation', true, %L::uuid)$$, :'ana'),
  'queued as the automation''s marketing text to Ana, not rewritten as a staff reply');

select * from finish();
rollback;
