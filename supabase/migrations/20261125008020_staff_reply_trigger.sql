-- Which inserts the staff-reply trigger rewrites (found while adding public.test_automation).
--
-- private.messages_fill_reply turns an API insert into a reply addressed from its conversation.
-- It decided "API insert" by the JWT role (auth.role() = 'authenticated'), which is also true
-- inside every SECURITY DEFINER function an organizer calls: public.run_due_automations called
-- by an organizer queued its automation texts as conversation replies to '' (the automation's
-- contact, channel, subject and marketing flag overwritten), and so would the test copy of
-- public.test_automation. The statement's role says what the insert really is: the API runs as
-- `authenticated`, a definer function as its owner. So the trigger now applies only when the
-- inserting role is `authenticated`.
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
  -- The API's own role; a SECURITY DEFINER function inserting for an organizer runs as its owner.
  if current_user <> 'authenticated' then
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
  'Trigger: a staff reply inserted through the API (role authenticated) gets its addressing from the conversation.';

create trigger messages_fill_reply before insert on public.messages
  for each row execute function private.messages_fill_reply();
