-- "The assignee is notified in the app" (issue 15, item 3), for new messages too: a contact's
-- text in a conversation assigned to someone leaves that person an in-app notice, as an
-- assignment by someone else already did. The staff shell shows unread notices on every
-- screen (Realtime on inbox_notifications, whose policies let each person read and mark only
-- their own); opening the conversation marks them read.

-- ============================================================================================
-- Columns
-- ============================================================================================

alter table public.inbox_notifications
  add column kind text not null default 'assigned' check (kind in ('assigned', 'new_message'));
comment on column public.inbox_notifications.kind is
  'assigned: someone else assigned the conversation to the recipient; new_message: the contact wrote in a conversation assigned to them (one unread notice per conversation).';

-- One unread new-message notice per person and conversation: a contact who sends five texts
-- raises one notice, not five.
create unique index inbox_notifications_one_unread_new_message
  on public.inbox_notifications (recipient_id, conversation_id)
  where kind = 'new_message' and read_at is null;

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- Invoker rights: inbound messages are written by the webhook functions (definers) and the
-- workers' role, both of which may write any notice; no API role inserts an inbound message.
create function private.messages_notify_assignee() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into public.inbox_notifications (recipient_id, conversation_id, kind)
  select v.assigned_to, v.id, 'new_message'
  from public.conversations v
  where v.id = new.conversation_id and v.assigned_to is not null
  on conflict (recipient_id, conversation_id) where kind = 'new_message' and read_at is null do nothing;
  return null;
end
$$;
comment on function private.messages_notify_assignee() is
  'Trigger: a contact''s message in an assigned conversation leaves its assignee an unread in-app notice (at most one per conversation).';

-- Only inbound messages in a conversation fire it: blasts' outbound rows cost nothing.
create trigger messages_notify_assignee
  after insert on public.messages
  for each row when (new.direction = 'inbound' and new.conversation_id is not null)
  execute function private.messages_notify_assignee();
