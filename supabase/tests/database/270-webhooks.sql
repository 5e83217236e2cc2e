-- Webhooks stored raw first, processed idempotently, replayable; inbound STOP/START/HELP per
-- docs/compliance.md; Twilio status callbacks; MailerSend events; the Send-SMS Auth hook.
begin;
select plan(65);

select tests.make_messaging_roles();
select tests.make_contact('+13055550001', 'Ana', 'opted_in', 'ana@example.com', 'opted_in') as ana \gset

-- ---------------------------------------------------------------- storing
select * from public.store_webhook_event('twilio', 'SMa1', 'sms_inbound', '{"MessageSid": "SMa1", "From": "+13055550001", "To": "+13055550100", "Body": "hi"}') \gset first_
select * from public.store_webhook_event('twilio', 'SMa1', 'sms_inbound', '{"MessageSid": "SMa1", "From": "+13055550001", "To": "+13055550100", "Body": "hi"}') \gset again_
select is(:'first_duplicate'::boolean, false, 'a new event is stored');
select results_eq(format($$select %L::uuid, %L::boolean$$, :'again_event_id', :'again_duplicate'), format($$values (%L::uuid, true)$$, :'first_event_id'),
  'the same provider event id is a duplicate with the same id');
select throws_ok($$select * from public.store_webhook_event('plivo', 'x', 'sms_inbound', '{}')$$, 'P0001', 'unknown_provider', 'unknown provider');
select throws_ok($$select * from public.store_webhook_event('twilio', 'x', 'sms_inbound', '[]')$$, 'P0001', 'invalid_payload', 'payload must be an object');

-- ---------------------------------------------------------------- failure, then replay
select public.process_webhook_event(:'first_event_id') ->> 'error' as err \gset
select is(:'err'::text, 'unknown_sender', 'an inbound text to a number we do not have fails');
select results_eq(format($$select status, last_error from public.webhook_events where id = %L$$, :'first_event_id'),
  $$values ('failed', 'unknown_sender')$$, 'the event keeps the error and stays replayable');
select tests.make_sms_sender() as sender \gset
select ok(public.replay_webhook_event(:'first_event_id') ->> 'message_id' is not null, 'replayed once the sender exists');
select is((select status from public.webhook_events where id = :'first_event_id'), 'processed', 'now processed');
select is(public.process_webhook_event(:'first_event_id'), (select result from public.webhook_events where id = :'first_event_id'),
  'processing again returns the stored result');
select is((select count(*)::int from public.messages where provider_id = 'SMa1'), 1, 'and never duplicates the message');

-- ---------------------------------------------------------------- inbound keywords
select is(tests.receive_sms('SMs1', '+13055550001', 'please stop', '+13055550100', 'STOP') ->> 'action', 'opt_out',
  'Twilio''s OptOutType wins over the body');
select results_eq(format($$select status::text, source::text from public.contact_consents where contact_id = %L and channel = 'sms'$$, :'ana'),
  $$values ('opted_out', 'keyword')$$, 'STOP opts out in the ledger');
select is((select evidence_message_id from public.consent_events where contact_id = :'ana' and channel = 'sms' order by id desc limit 1),
  (select id from public.messages where provider_id = 'SMs1'), 'with the inbound text as evidence');
select is(tests.receive_sms('SMs2', '+13055550001', 'START', '+13055550100', 'START') ->> 'reply', null, 'Twilio confirms its own START');
select is(tests.receive_sms('SMs3', '+13055550001', ' Parar. ') ->> 'action', 'opt_out', 'PARAR opts out');
select is(tests.receive_sms('SMs3b', '+13055550001', 'ALTO') ->> 'reply', null, 'no reply to an opt-out');
select is(tests.receive_sms('SMs4', '+13055550001', 'unstop') ->> 'reply',
  (select opt_in_reply from public.messaging_settings), 'our own START keyword gets our confirmation');
select is((select status::text from public.contact_consents where contact_id = :'ana' and channel = 'sms'), 'opted_in', 'opted back in');
select tests.receive_sms('SMh1', '+13055550001', 'HELP') ->> 'reply' as help \gset
select ok(:'help' like 'Hello Miami%' and :'help' like '%STOP%' and :'help' like '%hello@hellomiami.org%',
  'HELP answers with the organisation name, how to opt out and a contact address');
select is((select count(*)::int from public.messages where kind = 'auto_reply' and to_address = '+13055550001'), 2,
  'auto-replies are kept in the conversation');
select is(tests.receive_sms('SMn1', '+13055550001', 'Stop by later?') ->> 'action', null, 'a sentence is not a keyword');
select tests.receive_sms('SMnew', '+13055559999', 'Who is this?') ->> 'contact_id' as stranger \gset
select is((select source from public.contacts where id = :'stranger'), 'inbound_sms', 'a stranger texting in becomes a contact');
select (select event_id from public.store_webhook_event('twilio', 'MMm1', 'sms_inbound',
  '{"MessageSid": "MMm1", "From": "+13055550001", "To": "+13055550100", "Body": "", "NumMedia": "2", "MediaUrl0": "https://x/0.jpg", "MediaUrl1": "https://x/1.jpg"}')) as mms \gset
select public.process_webhook_event(:'mms');
select is((select media_urls from public.messages where provider_id = 'MMm1'), array['https://x/0.jpg', 'https://x/1.jpg'], 'MMS media URLs are kept');

-- ---------------------------------------------------------------- status callbacks
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, status)
values ('conversation', 'sms', :'ana', :'sender', '+13055550001', 'hello', 'sending') returning id as m \gset
select is(tests.sms_status('SMout1', 'delivered') ->> 'deferred', 'true', 'a callback before we know the provider id is deferred');
select public.record_message_sent(:'m', 'SMout1', 'queued');
select is((select status::text from public.messages where id = :'m'), 'delivered', 'recording the id applies the deferred callback');
select is((select status from public.webhook_events where provider_message_id = 'SMout1'), 'processed', 'and marks it processed');
select is(tests.sms_status('SMout1', 'sent') ->> 'applied', 'false', 'a late "sent" after "delivered" changes nothing');
select is((select status::text from public.messages where id = :'m'), 'delivered', 'status only moves forward');
select tests.sms_status('SMout1', 'delivered');
select is((select count(*)::int from public.webhook_events where provider_event_id = 'SMout1:delivered'), 1,
  'a repeated callback is stored once and answered from the stored result');

-- Our message id from the StatusCallback URL finds the message before its sid is recorded.
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, status)
values ('conversation', 'sms', :'ana', :'sender', '+13055550001', 'by id', 'sending') returning id as m_by_id \gset
select (select event_id from public.store_webhook_event('twilio', 'SMbyid:delivered', 'sms_status',
  jsonb_build_object('MessageSid', 'SMbyid', 'MessageStatus', 'delivered', 'message_id', :'m_by_id'))) as by_id_event \gset
select is(public.process_webhook_event(:'by_id_event') ->> 'applied', 'true',
  'a callback carrying our message_id applies even before the sid is recorded');
select results_eq(format($$select status::text, provider_id from public.messages where id = %L$$, :'m_by_id'),
  $$values ('delivered', 'SMbyid')$$, 'and records the provider''s sid on the message');
select lives_ok(format($$select public.record_message_sent(%L, 'SMbyid', 'queued')$$, :'m_by_id'),
  'the worker recording the same sid afterwards is a no-op');
select (select event_id from public.store_webhook_event('twilio', 'SMwrong:delivered', 'sms_status',
  jsonb_build_object('MessageSid', 'SMwrong', 'MessageStatus', 'delivered', 'message_id', :'m_by_id'))) as wrong_event \gset
select is(public.process_webhook_event(:'wrong_event') ->> 'deferred', 'true',
  'a message_id whose message already has another sid is not matched');

insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, status, provider_id)
values ('conversation', 'sms', :'ana', :'sender', '+13055550001', 'x', 'sent', 'SMout2'),
       ('conversation', 'sms', null, :'sender', '+13055550077', 'x', 'sent', 'SMout3'),
       ('conversation', 'sms', null, :'sender', '+13055550078', 'x', 'sent', 'SMout4');
select tests.sms_status('SMout2', 'failed', '21610');
select results_eq(format($$select status::text, source::text from public.contact_consents where contact_id = %L and channel = 'sms'$$, :'ana'),
  $$values ('opted_out', 'provider_error')$$, 'callback error 21610 opts the recipient out');
select is((select error_code from public.messages where provider_id = 'SMout2'), '21610', 'the error code is kept');
select tests.sms_status('SMout3', 'undelivered', '30006');
select is((select reason::text from public.suppressions where address = '+13055550077'), 'not_textable', '30006 marks a landline not textable');
select tests.sms_status('SMout4', 'failed', '21211');
select is((select reason::text from public.suppressions where address = '+13055550078'), 'invalid_number', '21211 marks the number invalid');

-- ---------------------------------------------------------------- email events
select tests.make_email_sender() as esender \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, status, provider_id, is_marketing)
values ('blast', 'email', :'ana', :'esender', 'ana@example.com', 's', 'b', 'sent', 'ms-1', true) returning id as em \gset
select (select event_id from public.store_webhook_event('mailersend', 'act-1', 'email_event', jsonb_build_object(
  'type', 'activity.delivered', 'data', jsonb_build_object('id', 'act-1', 'email', jsonb_build_object(
    'id', 'e-1', 'message', jsonb_build_object('id', 'ms-1'), 'recipient', jsonb_build_object('email', 'ana@example.com')))))) as ev1 \gset
select is(public.process_webhook_event(:'ev1') ->> 'applied', 'true', 'delivered applies');
select is((select status::text from public.messages where id = :'em'), 'delivered', 'email delivered');
select (select event_id from public.store_webhook_event('mailersend', 'act-2', 'email_event', jsonb_build_object(
  'type', 'activity.spam_complaint', 'data', jsonb_build_object('id', 'act-2', 'email', jsonb_build_object(
    'id', 'e-1', 'tags', jsonb_build_array('message-' || :'em'), 'recipient', jsonb_build_object('email', 'Ana@Example.com')))))) as ev2 \gset
select public.process_webhook_event(:'ev2');
select is((select reason::text from public.suppressions where channel = 'email' and address = 'ana@example.com'), 'spam_complaint',
  'a complaint suppresses the address');
select results_eq(format($$select status::text, source::text from public.contact_consents where contact_id = %L and channel = 'email'$$, :'ana'),
  $$values ('opted_out', 'email_complaint')$$, 'and opts the contact out of email');
select (select event_id from public.store_webhook_event('mailersend', 'act-3', 'email_event', jsonb_build_object(
  'type', 'activity.hard_bounced', 'data', jsonb_build_object('id', 'act-3', 'email', jsonb_build_object(
    'id', 'e-9', 'message', jsonb_build_object('id', 'ms-unknown'), 'recipient', jsonb_build_object('email', 'gone@example.com')))))) as ev3 \gset
select public.process_webhook_event(:'ev3');
select is((select reason::text from public.suppressions where address = 'gone@example.com'), 'hard_bounce',
  'a hard bounce suppresses the address even before we know the message');
select (select event_id from public.store_webhook_event('mailersend', 'act-4', 'email_event', jsonb_build_object(
  'type', 'activity.unsubscribed', 'data', jsonb_build_object('id', 'act-4', 'email', jsonb_build_object(
    'id', 'e-10', 'recipient', jsonb_build_object('email', 'leaver@example.com')))))) as ev4 \gset
select public.process_webhook_event(:'ev4');
select is((select reason::text from public.suppressions where address = 'leaver@example.com'), 'unsubscribed', 'an unsubscribe suppresses marketing');

-- ---------------------------------------------------------------- unsubscribe link
select tests.make_contact('+13055550061', 'Una', 'opted_in', 'una@example.com', 'opted_in') as una \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, status, is_marketing)
values ('blast', 'email', :'una', :'esender', 'una@example.com', 's', 'b', 'delivered', true) returning id as um \gset
select is(public.unsubscribe_by_message(:'um'), true, 'the unsubscribe link opts the recipient out of email');
select is(public.unsubscribe_by_message(:'um'), false, 'clicking it again changes nothing');
select is((select reason::text from public.suppressions where address = 'una@example.com'), 'unsubscribed', 'and suppresses the address');
select throws_ok($$select public.unsubscribe_by_message(gen_random_uuid())$$, 'P0001', 'unknown_message', 'an unknown message id is refused');

-- ---------------------------------------------------------------- replay sweep
-- What a dead server or an early status callback leaves behind, next to what the sweep must skip.
insert into public.webhook_events (provider, provider_event_id, event_type, provider_message_id, payload, status, received_at)
values ('twilio', 'sweep-stuck', 'sms_status', 'SMnone', '{}', 'received', now() - interval '1 minute'),
       ('twilio', 'sweep-fresh', 'sms_status', 'SMnone', '{}', 'received', now() - interval '10 seconds'),
       ('twilio', 'sweep-deferred-known', 'sms_status', 'SMa1', '{}', 'deferred', now() - interval '50 seconds'),
       ('twilio', 'sweep-deferred-unknown', 'sms_status', 'SMnone', '{}', 'deferred', now() - interval '1 minute'),
       ('twilio', 'sweep-done', 'sms_status', 'SMa1', '{}', 'processed', now() - interval '1 minute'),
       ('twilio', 'sweep-old', 'sms_status', 'SMnone', '{}', 'received', now() - interval '2 days');
select results_eq($$select w.provider_event_id from public.list_replayable_webhook_events(5, 100) as e(id)
                    join public.webhook_events w on w.id = e.id$$,
  $$values ('sweep-stuck'), ('sweep-deferred-known')$$,
  'the sweep replays events stored but never processed and deferred ones whose id is known, oldest first');
select is((select count(*)::int from public.list_replayable_webhook_events(5, 1)), 1, 'the sweep takes at most p_limit');
select is((select count(*)::int from public.list_replayable_webhook_events(120, 100)), 0, 'nor anything younger than asked');
select throws_ok($$select public.list_replayable_webhook_events(5, 0)$$, 'P0001', 'invalid_argument', 'a limit below one is refused');
select tests.act_as('service_role');
select is((select count(*)::int from public.list_replayable_webhook_events(5, 100)), 2, 'workers (service role) run the sweep');
select tests.act_as('msg_admin');
select throws_ok($$select public.list_replayable_webhook_events(5, 100)$$, '42501', null, 'staff cannot run the sweep');
select tests.act_as('anon');
select throws_ok($$select public.list_replayable_webhook_events(5, 100)$$, '42501', null, 'anon cannot run the sweep');
select tests.reset_role();

-- ---------------------------------------------------------------- roles on webhook_events
select tests.act_as('msg_admin');
select ok(tests.visible_rows('public.webhook_events') > 0, 'admin reads raw webhooks');
select tests.act_as('msg_organizer');
select is(tests.visible_rows('public.webhook_events'), 0::bigint, 'organizer does not read raw payloads');
select throws_ok($$select * from public.store_webhook_event('twilio', 'x', 'sms_inbound', '{}')$$, '42501', null, 'staff cannot store webhooks');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.webhook_events'), 0::bigint, 'attendee cannot read webhooks');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.webhook_events$$, '42501', null, 'anon cannot read webhooks');

-- ---------------------------------------------------------------- Send-SMS hook
select tests.reset_role();
select ok(has_function_privilege('supabase_auth_admin', 'public.send_sms_hook(jsonb)', 'execute'), 'Supabase Auth may call the hook');
select ok(not has_function_privilege('authenticated', 'public.send_sms_hook(jsonb)', 'execute')
      and not has_function_privilege('anon', 'public.send_sms_hook(jsonb)', 'execute')
      and not has_function_privilege('service_role', 'public.send_sms_hook(jsonb)', 'execute'), 'nobody else may');
-- Called exactly as Supabase Auth calls it: as supabase_auth_admin.
set local role supabase_auth_admin;
select public.send_sms_hook('{"user": {"id": "00000000-0000-0000-0000-000000000001", "phone": "13055550042"}, "sms": {"otp": "123456"}}') as hook_ok \gset
select public.send_sms_hook('{"user": {"phone": "13055550001"}, "sms": {"otp": "123456"}}') as hook_stopped \gset
select public.send_sms_hook('{"user": {}, "sms": {"otp": "1"}}') as hook_bad \gset
reset role;
select is(:'hook_ok'::jsonb, '{}'::jsonb, 'the hook accepts a code');
select is(:'hook_stopped'::jsonb -> 'error' ->> 'http_code', '403', 'an opted-out number gets no code');
select is(:'hook_bad'::jsonb -> 'error' ->> 'http_code', '400', 'a missing phone is a 400');
select results_eq($$select kind::text, status::text, body, is_marketing from public.messages where to_address = '+13055550042'$$,
  $$values ('transactional', 'queued', 'Your Hello Miami code is 123456', false)$$, 'the code is queued as a transactional SMS');

select * from finish();
rollback;
