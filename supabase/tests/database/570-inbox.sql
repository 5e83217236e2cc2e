-- The inbox: canned replies per role, assignment with the assignee's notice, the filtered list
-- and counts, MMS media keys (inbound copies, outbound uploads) and the private media bucket.
begin;
select plan(47);

select tests.make_messaging_roles();
select tests.make_staff('msg_organizer2', 'organizer');
select tests.make_sms_sender() as sender \gset
select tests.make_contact('+13055550001', 'Ana', 'opted_in') as ana \gset
select tests.receive_sms('SMinbox1', '+13055550002', 'Hi, is the pizza vegan?') ->> 'conversation_id' as conv_ben \gset
insert into public.conversations (contact_id, sender_id) values (:'ana', :'sender') returning id as conv_ana \gset

-- ---------------------------------------------------------------- canned replies
select tests.act_as('msg_organizer');
select lives_ok($$insert into public.canned_replies (shortcut, body) values ('hours', 'Doors open at 6pm.')$$,
  'an organizer adds a canned reply');
select is((select created_by from public.canned_replies where shortcut = 'hours'), tests.get_supabase_uid('msg_organizer'),
  'signed by its author');
select throws_ok($$insert into public.canned_replies (shortcut, body) values ('Bad Shortcut', 'x')$$,
  '23514', null, 'a shortcut is lower-case letters, digits, - and _');
select throws_ok($$insert into public.canned_replies (shortcut, body) values ('hours', 'again')$$,
  '23505', null, 'shortcuts are unique');
select throws_ok(format($$insert into public.canned_replies (shortcut, body, created_by) values ('x', 'y', %L)$$,
  tests.get_supabase_uid('msg_organizer2')), '42501', null, 'nobody writes a reply in someone else''s name');
select tests.act_as('msg_organizer2');
select is(tests.visible_rows('public.canned_replies'), 1::bigint, 'every organizer reads the canned replies');
select is(tests.row_count($$update public.canned_replies set body = 'Mine now' where shortcut = 'hours'$$), 0,
  'an organizer cannot edit another''s canned reply');
select is(tests.row_count($$delete from public.canned_replies where shortcut = 'hours'$$), 0,
  'nor delete it');
select tests.act_as('msg_organizer');
select is(tests.row_count($$update public.canned_replies set body = 'Doors open at 6:30pm.' where shortcut = 'hours'$$), 1,
  'the author edits their own');
select tests.act_as('msg_admin');
select is(tests.row_count($$update public.canned_replies set body = 'Doors open at 6pm sharp.' where shortcut = 'hours'$$), 1,
  'an admin edits anyone''s');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.canned_replies'), 0::bigint, 'volunteers (who cannot reply) read none');
select throws_ok($$insert into public.canned_replies (shortcut, body) values ('vol', 'x')$$,
  '42501', null, 'and add none');
select tests.act_as('anon');
select throws_ok($$select * from public.canned_replies$$, '42501', null, 'anon has no access');

-- ---------------------------------------------------------------- assignment and notices
select tests.act_as('msg_organizer');
select lives_ok(format($$select public.assign_conversation(%L, %L)$$, :'conv_ben', tests.get_supabase_uid('msg_organizer2')),
  'an organizer assigns a conversation to a colleague');
select is((select assigned_to from public.conversations where id = :'conv_ben'), tests.get_supabase_uid('msg_organizer2'), 'assigned');
select is(tests.visible_rows('public.inbox_notifications'), 0::bigint, 'the assigner does not see the assignee''s notice');
select throws_ok(format($$select public.assign_conversation(%L, %L)$$, :'conv_ben', tests.get_supabase_uid('msg_volunteer')),
  'P0001', 'not_staff', 'a volunteer cannot be given a conversation');
select throws_ok(format($$select public.assign_conversation(gen_random_uuid(), %L)$$, tests.get_supabase_uid('msg_organizer')),
  'P0001', 'unknown_conversation', 'unknown conversation');
select lives_ok(format($$select public.assign_conversation(%L, %L)$$, :'conv_ana', tests.get_supabase_uid('msg_organizer')),
  'taking a conversation oneself');
select tests.act_as('msg_organizer2');
select results_eq($$select conversation_id, assigned_by, read_at is null from public.inbox_notifications$$,
  format($$values (%L::uuid, %L::uuid, true)$$, :'conv_ben', tests.get_supabase_uid('msg_organizer')),
  'the assignee has one unread notice from the assigner');
select is(tests.row_count($$update public.inbox_notifications set read_at = now()$$), 1, 'and marks it read');
select tests.act_as('msg_organizer');
select is(tests.visible_rows('public.inbox_notifications'), 0::bigint, 'taking one oneself notifies nobody');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.assign_conversation(%L, null)$$, :'conv_ben'), 'P0001', 'not_allowed',
  'a volunteer cannot assign');

-- ---------------------------------------------------------------- the list and its counts
select tests.act_as('msg_organizer2');
select results_eq($$select contact_phone, unread_count, sms_consent::text from public.inbox_conversations('mine')$$,
  $$values ('+13055550002', 1, null::text)$$, 'mine: the conversation assigned to me, with its unread count');
select results_eq($$select contact_name from public.inbox_conversations('all', 'ana')$$, $$values ('Ana')$$,
  'search by name');
select results_eq($$select contact_phone from public.inbox_conversations('all', 'VEGAN')$$, $$values ('+13055550002')$$,
  'search in message text, any case');
select is((select count(*) from public.inbox_conversations('unassigned')), 0::bigint, 'nothing unassigned');
select results_eq($$select filter, conversations from public.inbox_counts() order by filter$$,
  $$values ('mine', 1::bigint), ('unassigned', 0::bigint), ('unread', 1::bigint)$$, 'unread badges per filter');
select throws_ok($$select * from public.inbox_conversations('everything')$$, 'P0001', 'invalid_argument', 'unknown filter');
select tests.act_as('msg_organizer');
select is(tests.row_count(format($$update public.conversations set status = 'closed' where id = %L$$, :'conv_ben')), 1,
  'an organizer closes a conversation');
select results_eq($$select contact_phone from public.inbox_conversations('closed')$$, $$values ('+13055550002')$$,
  'closed conversations are listed apart');
select tests.act_as('msg_volunteer');
select throws_ok($$select * from public.inbox_conversations()$$, 'P0001', 'not_allowed', 'volunteers have no inbox');
select throws_ok($$select * from public.inbox_counts()$$, 'P0001', 'not_allowed', 'nor its counts');

-- ---------------------------------------------------------------- MMS media
select tests.reset_role();
select public.process_webhook_event(event_id) ->> 'message_id' as mms from public.store_webhook_event('twilio', 'MMinbox2',
  'sms_inbound', jsonb_build_object('MessageSid', 'MMinbox2', 'From', '+13055550002', 'To', '+13055550100', 'Body', 'Look',
  'NumMedia', '1', 'MediaUrl0', 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MMinbox2/Media/ME1')) \gset
select tests.act_as('service_role');
select is((select media_urls[1] from public.list_inbound_media_to_copy(0) where message_id = :'mms'),
  'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MMinbox2/Media/ME1', 'the copy sweep lists a picture not yet copied');
select throws_ok(format($$select public.record_inbound_media(%L, array['message-media/outbound/x.jpg'])$$, :'mms'),
  'P0001', 'invalid_media', 'a copy is kept under its own message''s folder');
select lives_ok(format($$select public.record_inbound_media(%L, array['message-media/inbound/%s/0.jpg'])$$, :'mms', :'mms'),
  'the webhook worker records the copy of the picture');
select is((select media_urls from public.messages where id = :'mms'), array['message-media/inbound/' || :'mms' || '/0.jpg'],
  'the message now names the copy, not Twilio''s URL');
select is((select count(*) from public.list_inbound_media_to_copy(0) where message_id = :'mms'), 0::bigint,
  'and the sweep leaves it alone');
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.record_inbound_media(%L, array['message-media/inbound/%s/0.jpg'])$$, :'mms', :'mms'),
  '42501', null, 'staff cannot rewrite media');
select throws_ok($$select * from public.list_inbound_media_to_copy(0)$$, '42501', null, 'nor list provider URLs');
select throws_ok(format($$select public.send_conversation_reply(%L, 'See this', array['https://evil.example/x.jpg'])$$, :'conv_ana'),
  '42501', null, 'a reply cannot attach an arbitrary URL');
select lives_ok(format($$select public.send_conversation_reply(%L, 'Our map', array['message-media/outbound/%s/map.png'])$$, :'conv_ana', :'conv_ana'),
  'a reply attaches an image uploaded to the inbox bucket');
select lives_ok($$insert into storage.objects (bucket_id, name) values ('message-media', 'outbound/' || gen_random_uuid() || '/a.png')$$,
  'organizers upload reply images');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('message-media', 'inbound/x/0.jpg')$$,
  '42501', null, 'but not into the inbound copies');
select ok((select count(*) from storage.objects where bucket_id = 'message-media') >= 1, 'organizers read message media');
select tests.act_as('msg_volunteer');
select is((select count(*) from storage.objects where bucket_id = 'message-media'), 0::bigint, 'volunteers read none');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('message-media', 'outbound/' || gen_random_uuid() || '/a.png')$$,
  '42501', null, 'nor upload');

select * from finish();
rollback;
