-- Conversations and messages: roles, 1:1 replies only where SMS consent allows (STOP is
-- absolute; someone who texted in may be answered), forward-only status, inbox counters, Realtime.
begin;
select plan(43);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_contact('+13055550001', 'Ana', 'opted_in') as ana \gset
select tests.make_contact('+13055550002', 'Ben', null) as ben \gset
select tests.make_contact('+13055550003', 'Cy', null) as cy \gset
insert into public.conversations (contact_id, sender_id) values (:'ana', :'sender') returning id as conv_ana \gset
insert into public.conversations (contact_id, sender_id) values (:'cy', :'sender') returning id as conv_cy \gset
select tests.receive_sms('SMben1', '+13055550002', 'Hi, is the event tonight?') ->> 'conversation_id' as conv_ben \gset

-- ---------------------------------------------------------------- inbox bookkeeping
select results_eq(format($$select unread_count, last_message_direction::text, last_inbound_at is not null from public.conversations where id = %L$$, :'conv_ben'),
  $$values (1, 'inbound', true)$$, 'an inbound text opens a conversation with one unread message');
select is((select contact_id from public.conversations where id = :'conv_ben'), :'ben'::uuid, 'threaded by contact');

-- ---------------------------------------------------------------- organizer replies
select tests.act_as('msg_organizer');
select lives_ok(format($$insert into public.messages (conversation_id, body) values (%L, 'See you there!')$$, :'conv_ana'),
  'organizer replies to an opted-in contact by inserting a message');
select results_eq(format($$select kind::text, direction::text, status::text, to_address, sender_id, sent_by from public.messages where conversation_id = %L$$, :'conv_ana'),
  format($$values ('conversation', 'outbound', 'queued', '+13055550001', %L::uuid, %L::uuid)$$, :'sender', tests.get_supabase_uid('msg_organizer')),
  'the reply is addressed from the conversation and signed by its author');
select lives_ok(format($$select public.send_conversation_reply(%L, 'Yes, 7pm!')$$, :'conv_ben'),
  'a contact who texted in may be answered without marketing consent');
select throws_ok(format($$insert into public.messages (conversation_id, body) values (%L, 'Hello?')$$, :'conv_cy'),
  '42501', null, 'no consent and no inbound text: the insert is refused by RLS');
select throws_ok(format($$select public.send_conversation_reply(%L, 'Hello?')$$, :'conv_cy'),
  'P0001', 'no_sms_consent', 'and the function says why');
select throws_ok(format($$select public.send_conversation_reply(%L, '  ')$$, :'conv_ana'), 'P0001', 'empty_message', 'empty replies are refused');
select throws_ok($$select public.send_conversation_reply(gen_random_uuid(), 'x')$$, 'P0001', 'unknown_conversation', 'unknown conversation');
select throws_ok(format($$insert into public.messages (conversation_id, body, kind) values (%L, 'x', 'blast')$$, :'conv_ana'),
  '42501', null, 'staff cannot choose the kind, status or address of a message');
select throws_ok(format($$update public.messages set status = 'delivered' where conversation_id = %L$$, :'conv_ana'),
  '42501', null, 'staff cannot change a message''s status');
select throws_ok($$delete from public.messages$$, '42501', null, 'staff cannot delete messages');
select ok(tests.visible_rows('public.messages') >= 3, 'organizer reads messages');
select ok(tests.visible_rows('public.conversations') = 3, 'organizer reads conversations');
select lives_ok(format($$select public.mark_conversation_read(%L)$$, :'conv_ben'), 'organizer marks a conversation read');
select is(tests.row_count(format($$update public.conversations set assigned_to = %L, status = 'closed' where id = %L$$,
  tests.get_supabase_uid('msg_organizer'), :'conv_ben')), 1, 'organizer assigns and closes a conversation');
select is(tests.row_count($$delete from public.conversations$$), 0, 'organizer cannot delete conversations');
select tests.act_as('msg_owner');
select ok(tests.visible_rows('public.messages') >= 3, 'owner reads messages');
select tests.act_as('msg_admin');
select ok(tests.visible_rows('public.conversations') = 3, 'admin reads conversations');
select is(tests.row_count(format($$delete from public.conversations where id = %L$$, :'conv_cy')), 1, 'admin deletes a conversation');
select tests.reset_role();
select results_eq(format($$select unread_count, status from public.conversations where id = %L$$, :'conv_ben'),
  $$values (0, 'closed')$$, 'read and closed');

-- STOP is absolute, even after the contact texted in.
select tests.receive_sms('SMben2', '+13055550002', 'stop');
select is((select status from public.conversations where id = :'conv_ben'), 'open', 'a new inbound text reopens the conversation');
select tests.act_as('msg_organizer');
select throws_ok(format($$insert into public.messages (conversation_id, body) values (%L, 'Sorry to see you go')$$, :'conv_ben'),
  '42501', null, 'after STOP the reply insert is refused');
select throws_ok(format($$select public.send_conversation_reply(%L, 'Sorry')$$, :'conv_ben'), 'P0001', 'contact_opted_out',
  'and the function names the reason');
select tests.reset_role();
select is((select count(*)::int from public.messages where conversation_id = :'conv_ben' and status = 'queued'), 0,
  'the reply queued before the STOP was cancelled');

-- ---------------------------------------------------------------- other roles see and do nothing
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.messages'), 0::bigint, 'volunteer cannot read messages');
select is(tests.visible_rows('public.conversations'), 0::bigint, 'volunteer cannot read conversations');
select throws_ok(format($$insert into public.messages (conversation_id, body) values (%L, 'x')$$, :'conv_ana'), '42501', null, 'volunteer cannot send');
select throws_ok(format($$insert into public.conversations (contact_id, sender_id) values (%L, %L)$$, :'ben', :'sender'), '42501', null, 'volunteer cannot start a conversation');
select is(tests.row_count($$update public.conversations set unread_count = 0$$), 0, 'volunteer cannot update conversations');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.messages'), 0::bigint, 'attendee cannot read messages');
select is(tests.visible_rows('public.conversations'), 0::bigint, 'attendee cannot read conversations');
select throws_ok(format($$insert into public.messages (conversation_id, body) values (%L, 'x')$$, :'conv_ana'), '42501', null, 'attendee cannot send');
select tests.act_as('msg_device');
select is(tests.visible_rows('public.messages'), 0::bigint, 'device cannot read messages');
select throws_ok(format($$insert into public.messages (conversation_id, body) values (%L, 'x')$$, :'conv_ana'), '42501', null, 'device cannot send');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.messages$$, '42501', null, 'anon cannot read messages');
select throws_ok($$select count(*) from public.conversations$$, '42501', null, 'anon cannot read conversations');
select tests.reset_role();

-- ---------------------------------------------------------------- forward-only status
insert into public.messages (kind, channel, sender_id, to_address, body) values ('transactional', 'sms', :'sender', '+13055550001', 'x')
returning id as m \gset
update public.messages set status = 'sent', provider_id = 'SMfwd' where id = :'m';
select isnt((select sent_at from public.messages where id = :'m'), null, 'sent_at is stamped');
select throws_ok(format($$update public.messages set status = 'queued' where id = %L$$, :'m'), 'P0001', 'status_moves_forward_only', 'sent cannot go back to queued');
update public.messages set status = 'delivered' where id = :'m';
select throws_ok(format($$update public.messages set status = 'failed' where id = %L$$, :'m'), 'P0001', 'status_moves_forward_only', 'a final status is final');
select throws_ok($$insert into public.messages (kind, channel, to_address, body, provider_id) values ('transactional', 'sms', '+1', 'x', 'SMfwd')$$,
  '23505', null, 'provider ids are unique');

-- ---------------------------------------------------------------- Realtime publication
select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'conversations'), 'conversations are in Realtime');
select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'messages'), 'messages are in Realtime');

select * from finish();
rollback;
