-- Which inserts the staff-reply trigger rewrites (found while adding public.test_automation).
--
-- private.messages_fill_reply turns a staff member's insert of (conversation_id, body,
-- media_urls) — all the API may write — into a reply addressed from its conversation. It decided
-- by the JWT role alone (auth.role() = 'authenticated'), which also holds inside every SECURITY
-- DEFINER function an organizer calls: public.run_due_automations called by an organizer queued
-- its automation texts as conversation replies to '' (contact, channel, subject and marketing
-- flag overwritten), and so would the test copy of public.test_automation. A reply always names
-- its conversation, and a function's own messages (automations, tests, blasts) name none, so the
-- trigger now rewrites only inserts that name a conversation. An API insert without one still
-- fails: the API cannot write to_address (column grants), which is not null.
--
-- private.messages_fill_reply and its trigger are defined here (moved from
-- 20261122000700_conversations.sql).

-- The API inserts only (conversation_id, body, media_urls): this fills in the rest from the
-- conversation so a reply cannot be addressed anywhere else.
create function private.messages_fill_reply() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_phone text;
  v_sender public.senders;
begin
  -- Staff replies only: a function's own messages (no conversation) keep what it wrote.
  if (select auth.role()) is distinct from 'authenticated' or new.conversation_id is null then
    return new;
  end if;
  select * into v_conversation from public.conversations where id = new.conversation_id;
  select c.phone into v_phone from public.contacts c where c.id = v_conversation.contact_id;
  select * into v_sender from public.senders s where s.id = v_conversation.sender_id;
  new.direction := 'outbound';
  new.kind := 'conversation';
  new.channel := 'sms';
  new.status := 'queued';
  new.contact_id := v_conversation.contact_id;
  new.sender_id := v_conversation.sender_id;
  new.to_address := coalesce(v_phone, '');
  new.from_address := coalesce(v_sender.from_number, v_sender.messaging_service_sid);
  new.segments := public.sms_segments(new.body);
  new.is_marketing := false;
  new.sent_by := (select auth.uid());
  return new;
end
$$;
comment on function private.messages_fill_reply() is
  'Trigger: a staff reply (an authenticated insert naming a conversation) gets its addressing from the conversation.';

create trigger messages_fill_reply before insert on public.messages
  for each row execute function private.messages_fill_reply();
