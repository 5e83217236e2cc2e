-- Merge, GDPR export and GDPR erase carry messaging data along; opt-outs outlive both.
begin;
select plan(12);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_contact('+13055550001', 'Ana', 'opted_in', 'ana@example.com') as keep \gset
select tests.make_contact('+13055550002', 'Ana (old number)', null) as dup \gset
select tests.receive_sms('SMk1', '+13055550001', 'Hi from my new phone') ->> 'conversation_id' as conv_keep \gset
select tests.receive_sms('SMd1', '+13055550002', 'Hi from my old phone') ->> 'conversation_id' as conv_dup \gset
select tests.receive_sms('SMd2', '+13055550002', 'STOP');

select tests.act_as('msg_organizer');
select lives_ok(format($$select public.merge_contacts(%L, %L)$$, :'keep', :'dup'), 'organizer merges the duplicate');
select tests.reset_role();
select is((select count(*)::int from public.messages where contact_id = :'keep' and direction = 'inbound'), 3, 'all texts now belong to the kept contact');
select is((select count(*)::int from public.conversations where contact_id in (:'keep', :'dup')), 1, 'the two threads are one');
select is((select unread_count from public.conversations where id = :'conv_keep'), 3, 'with every unread text');
select is((select status::text from public.contact_consents where contact_id = :'keep' and channel = 'sms'), 'opted_out',
  'the duplicate''s STOP carries over: an opt-out always wins');
select is((select count(*)::int from public.consent_events where contact_id = :'dup'), 1, 'the duplicate keeps its own history');

select private.messaging_gdpr_export(:'keep') as export \gset
select tests.act_as('msg_admin');
select is(jsonb_array_length(:'export'::jsonb -> 'messages'), 3, 'the messaging GDPR export has the messages');
select ok(jsonb_array_length(:'export'::jsonb -> 'consent') >= 2, 'and the consent history');
select lives_ok(format($$select public.gdpr_erase(%L)$$, :'keep'), 'admin erases the contact');
select tests.reset_role();
select is((select count(*)::int from public.messages where contact_id = :'keep' and body <> '[erased]'), 0, 'message texts are erased');
select ok(not exists (select 1 from public.webhook_events where payload::text like '%+13055550001%'), 'raw webhooks no longer hold the number');
select is((select reason::text from public.suppressions where address = '+13055550001'), 'unsubscribed',
  'the opt-out survives as a suppression of the number');

select * from finish();
rollback;
