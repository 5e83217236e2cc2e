-- In-app notices for an assignee: a contact's text in a conversation assigned to someone leaves
-- them one unread notice (beside the assignment notices); each person reads and marks only their own.
begin;
select plan(14);

select tests.make_messaging_roles();
select tests.make_staff('msg_organizer2', 'organizer');
select tests.make_sms_sender() as sender \gset
select tests.receive_sms('SMnotice1', '+13055550931', 'Hi, is there parking?') ->> 'conversation_id' as conv \gset

select is((select count(*)::int from public.inbox_notifications), 0, 'a text in an unassigned conversation notifies nobody');

select tests.act_as('msg_organizer');
select public.assign_conversation(:'conv', tests.get_supabase_uid('msg_organizer2'));
select tests.act_as('service_role');
select tests.receive_sms('SMnotice2', '+13055550931', 'Hello?');
select tests.receive_sms('SMnotice3', '+13055550931', 'Anyone there?');
insert into public.messages (direction, kind, channel, status, contact_id, conversation_id, sender_id, to_address, from_address, body)
select 'outbound', 'conversation', 'sms', 'sent', v.contact_id, v.id, v.sender_id, '+13055550931', '+13055550100', 'Yes!'
from public.conversations v where v.id = :'conv';

-- ---------------------------------------------------------------- the assignee
select tests.act_as('msg_organizer2');
select results_eq($$select kind, conversation_id from public.inbox_notifications where read_at is null order by id$$,
  format($$values ('assigned', %L::uuid), ('new_message', %L::uuid)$$, :'conv', :'conv'),
  'the assignee has the assignment notice and one new-message notice for two texts (a reply adds none)');
select is(tests.row_count(format($$update public.inbox_notifications set read_at = now() where conversation_id = %L and read_at is null$$, :'conv')),
  2, 'opening the conversation marks its notices read');
select tests.act_as('service_role');
select tests.receive_sms('SMnotice4', '+13055550931', 'Thanks!');
select tests.act_as('msg_organizer2');
select results_eq($$select kind from public.inbox_notifications where read_at is null$$, $$values ('new_message')$$,
  'the next text raises a new notice');
select throws_ok(format($$insert into public.inbox_notifications (recipient_id, conversation_id) values (%L, %L)$$,
  tests.get_supabase_uid('msg_organizer'), :'conv'), '42501', null, 'nobody writes a notice for someone else');

-- ---------------------------------------------------------------- everybody else
select tests.act_as('msg_organizer');
select is(tests.visible_rows('public.inbox_notifications'), 0::bigint, 'another organizer sees none of them');
select is(tests.row_count($$update public.inbox_notifications set read_at = now() where read_at is null$$), 0,
  'nor marks them read');
select tests.act_as('msg_admin');
select is(tests.visible_rows('public.inbox_notifications'), 0::bigint, 'nor does an admin');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.inbox_notifications'), 0::bigint, 'nor a volunteer');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.inbox_notifications'), 0::bigint, 'nor an attendee');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.inbox_notifications$$, '42501', null, 'anon cannot read notices');

-- ---------------------------------------------------------------- unassigned again
select tests.act_as('msg_organizer');
select public.assign_conversation(:'conv', null);
select tests.act_as('service_role');
select tests.receive_sms('SMnotice5', '+13055550931', 'Hello again');
select is((select count(*)::int from public.inbox_notifications where read_at is null), 1,
  'a text after unassigning notifies nobody new');
select is((select count(*)::int from public.inbox_notifications where kind = 'new_message'), 2, 'two new-message notices in all');
select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'inbox_notifications'),
  'notices are in Realtime');

select * from finish();
rollback;
