-- Conversations (contact × sender) and messages: the one outbox for every SMS and email, inbound
-- and outbound, 1:1, blast, transactional and automated.
--
-- Status only moves forward: queued → sending → sent → delivered | undelivered | failed, plus
-- cancelled (never sent: an opt-out or a cancelled blast got there first) and received (inbound).
-- The one step back allowed is sending → queued while no provider id exists: the provider
-- answered "not processed" (429) or the send was resolved as never made, so it may be retried.
-- Organizers reply in a conversation by inserting a message; RLS admits it only when the
-- contact's SMS consent allows it (STOP is absolute; someone who texted in may be answered).

-- ============================================================================================
-- Types
-- ============================================================================================

create type public.message_direction as enum ('inbound', 'outbound');
comment on type public.message_direction is 'inbound (a contact wrote to us) or outbound.';

create type public.message_kind as enum ('conversation', 'blast', 'transactional', 'automation', 'auto_reply');
comment on type public.message_kind is
  'conversation (1:1 inbox), blast, transactional (one-time codes), automation, auto_reply (HELP/START answers).';

create type public.message_status as enum (
  'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'received'
);
comment on type public.message_status is
  'queued → sending → sent → delivered | undelivered | failed (forward only); cancelled = never sent; received = inbound.';

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.conversations (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references public.contacts (id) on delete cascade,
  sender_id uuid not null references public.senders (id) on delete restrict,
  status text not null default 'open' check (status in ('open', 'closed')),
  assigned_to uuid references public.staff (user_id) on delete set null,
  unread_count integer not null default 0 check (unread_count >= 0),
  last_message_at timestamptz,
  last_message_preview text,
  last_message_direction public.message_direction,
  last_inbound_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (contact_id, sender_id)
);
comment on table public.conversations is
  'The 1:1 SMS inbox: one thread per contact × sender number, with assignment, unread count and the last message.';
comment on column public.conversations.last_inbound_at is 'When the contact last wrote; they may be answered even without marketing consent.';

create index conversations_sender_id_idx on public.conversations (sender_id);
create index conversations_assigned_to_idx on public.conversations (assigned_to);
create index conversations_inbox_idx on public.conversations (status, last_message_at desc);

create table public.messages (
  id uuid primary key default gen_random_uuid(),
  direction public.message_direction not null default 'outbound',
  kind public.message_kind not null default 'conversation',
  channel public.message_channel not null default 'sms',
  status public.message_status not null default 'queued',
  contact_id uuid references public.contacts (id) on delete set null,
  conversation_id uuid references public.conversations (id) on delete set null,
  sender_id uuid references public.senders (id) on delete set null,
  blast_id uuid,
  blast_recipient_id bigint,
  automation_id uuid,
  to_address text not null,
  from_address text,
  subject text,
  body text not null,
  media_urls text[] not null default '{}',
  segments integer not null default 1 check (segments >= 0),
  is_marketing boolean not null default false,
  recipient_time_zone text,
  validity_period_seconds integer,
  provider_id text unique,
  provider_status text,
  error_code text,
  error_message text,
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  claimed_by text,
  lease_expires_at timestamptz,
  send_started_at timestamptz,
  dedupe_key text unique,
  sent_by uuid references auth.users (id) on delete set null,
  recipient_opted_out_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  failed_at timestamptz,
  constraint messages_inbound_is_received check ((direction = 'inbound') = (status = 'received'))
);
comment on table public.messages is
  'Every SMS and email, in and out. Workers claim queued rows with public.claim_outbound_messages and record outcomes through functions.';
comment on column public.messages.status is 'Moves only forward (see the type); changed by functions, never by the API.';
comment on column public.messages.provider_id is 'Twilio MessageSid or MailerSend message id; unique.';
comment on column public.messages.segments is 'SMS segments of the body (1 for email); rate tokens are drawn in segments.';
comment on column public.messages.is_marketing is 'Marketing messages obey consent, suppressions and quiet hours at claim time.';
comment on column public.messages.recipient_time_zone is 'The recipient''s resolved IANA zone, for the quiet-hours recheck.';
comment on column public.messages.validity_period_seconds is 'Twilio ValidityPeriod: a marketing text stuck in Twilio''s queue expires before quiet hours.';
comment on column public.messages.claimed_by is 'Worker holding the lease; the lease expires at lease_expires_at.';
comment on column public.messages.send_started_at is 'Set when the provider call starts; a row left in sending is "possibly sent" until resolved.';
comment on column public.messages.dedupe_key is 'Idempotency key for automations and hooks: the same key never enqueues twice.';
comment on column public.messages.sent_by is 'The staff member who wrote a 1:1 reply.';
comment on column public.messages.recipient_opted_out_at is 'Set on a blast message whose recipient opted out soon after it: feeds the opt-out rate.';

create index messages_conversation_idx on public.messages (conversation_id, created_at);
create index messages_contact_idx on public.messages (contact_id, created_at desc);
create index messages_sender_id_idx on public.messages (sender_id);
create index messages_blast_idx on public.messages (blast_id, created_at desc) where blast_id is not null;
create index messages_blast_recipient_id_idx on public.messages (blast_recipient_id) where blast_recipient_id is not null;
create index messages_automation_id_idx on public.messages (automation_id) where automation_id is not null;
create index messages_sent_by_idx on public.messages (sent_by);
create index messages_claimable_idx on public.messages (channel, sender_id, created_at) where status = 'queued';
create index messages_sending_idx on public.messages (send_started_at) where status = 'sending';
create index messages_created_at_idx on public.messages (created_at);

alter table public.consent_events
  add constraint consent_events_evidence_message_id_fkey foreign key (evidence_message_id)
  references public.messages (id) on delete set null;

alter table public.suppressions
  add constraint suppressions_source_message_id_fkey foreign key (source_message_id)
  references public.messages (id) on delete set null;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.conversations, public.messages from anon, authenticated;
grant select, insert, delete on table public.conversations to authenticated;
grant update (status, assigned_to, unread_count) on table public.conversations to authenticated;
grant select on table public.messages to authenticated;

-- A reply names its conversation and content; the trigger below fills in everything else.
grant insert (conversation_id, body, media_urls) on table public.messages to authenticated;
grant all on table public.conversations, public.messages to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger conversations_touch_updated_at before update on public.conversations
  for each row execute function private.touch_updated_at();

create function private.messages_guard_status() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    if private.message_status_rank(new.status) <= private.message_status_rank(old.status)
       and not (old.status = 'sending' and new.status = 'queued' and new.provider_id is null) then
      raise exception using errcode = 'P0001', message = 'status_moves_forward_only',
        detail = format('A message cannot go from %s to %s.', old.status, new.status);
    end if;
    case new.status
      when 'sent' then new.sent_at := coalesce(new.sent_at, now());
      when 'delivered' then
        new.sent_at := coalesce(new.sent_at, now());
        new.delivered_at := coalesce(new.delivered_at, now());
      when 'undelivered', 'failed' then new.failed_at := coalesce(new.failed_at, now());
      else null;
    end case;
  end if;
  new.updated_at := now();
  return new;
end
$$;
comment on function private.messages_guard_status() is
  'Trigger: status moves only forward (sending → queued only without a provider id); stamps sent/delivered/failed times.';

create trigger messages_guard_status before update on public.messages
  for each row execute function private.messages_guard_status();

-- private.messages_fill_reply and its trigger are defined in 20261125008020_staff_reply_trigger.sql.

-- SECURITY DEFINER: inbound texts arrive as service_role and replies as organizers; both must
-- move the conversation's summary, which organizers may not write freely.
create function private.messages_touch_conversation() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.conversation_id is null then
    return null;
  end if;
  update public.conversations c
     set last_message_at = new.created_at,
         last_message_preview = left(new.body, 160),
         last_message_direction = new.direction,
         last_inbound_at = case when new.direction = 'inbound' then new.created_at else c.last_inbound_at end,
         unread_count = c.unread_count + case when new.direction = 'inbound' then 1 else 0 end,
         status = case when new.direction = 'inbound' then 'open' else c.status end
   where c.id = new.conversation_id;
  return null;
end
$$;
comment on function private.messages_touch_conversation() is
  'Trigger: a new message updates its conversation''s last message and unread count (and reopens it when inbound).';

create trigger messages_touch_conversation after insert on public.messages
  for each row execute function private.messages_touch_conversation();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.conversations enable row level security;
alter table public.messages enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.message_status_rank(p_status public.message_status) returns integer
language sql
immutable
set search_path = ''
as $$
  select case p_status
    when 'queued' then 0
    when 'sending' then 1
    when 'sent' then 2
    else 3
  end
$$;
comment on function private.message_status_rank(public.message_status) is
  'Order of message statuses: queued 0, sending 1, sent 2, final states 3.';
grant execute on function private.message_status_rank(public.message_status) to authenticated, service_role;

-- private.may_reply_by_sms moved to 20261126030000_message_channels.sql (an SQL caller of
-- private.is_suppressed), with the messages insert policy that calls it.

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read conversations" on public.conversations
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can start conversations" on public.conversations
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update conversations" on public.conversations
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Admins can delete conversations" on public.conversations
  for delete to authenticated
  using ((select private.has_staff_level('admin')));

create policy "Organizers can read messages" on public.messages
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- "Organizers can reply to contacts whose SMS consent allows it" (insert on messages) is created
-- in 20261126030000_message_channels.sql, after private.may_reply_by_sms, which it calls.

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.send_conversation_reply(
  p_conversation_id uuid,
  p_body text,
  p_media_urls text[] default '{}'
) returns public.messages
language plpgsql
set search_path = ''
as $$
declare
  v_conversation public.conversations;
  v_message public.messages;
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;
  if coalesce(btrim(p_body), '') = '' and coalesce(cardinality(p_media_urls), 0) = 0 then
    raise exception using errcode = 'P0001', message = 'empty_message';
  end if;
  select * into v_conversation from public.conversations where id = p_conversation_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_conversation';
  end if;
  if private.current_consent(v_conversation.contact_id, 'sms') = 'opted_out' then
    raise exception using errcode = 'P0001', message = 'contact_opted_out',
      detail = 'The contact replied STOP (or equivalent); they get no texts until they opt back in.';
  end if;
  if not coalesce(private.may_reply_by_sms(v_conversation.contact_id, p_conversation_id), false) then
    raise exception using errcode = 'P0001', message = 'no_sms_consent',
      detail = 'The contact has not opted in to texts and has not written in this conversation (or the number is suppressed).';
  end if;
  insert into public.messages (conversation_id, body, media_urls)
  values (p_conversation_id, coalesce(p_body, ''), coalesce(p_media_urls, '{}'))
  returning * into v_message;
  return v_message;
end
$$;
comment on function public.send_conversation_reply(uuid, text, text[]) is
  'Queue a 1:1 SMS reply in a conversation (organizers+). Refusals: not_allowed, empty_message, unknown_conversation, contact_opted_out, no_sms_consent.';
grant execute on function public.send_conversation_reply(uuid, text, text[]) to authenticated;

create function public.mark_conversation_read(p_conversation_id uuid) returns void
language sql
set search_path = ''
as $$
  update public.conversations set unread_count = 0 where id = p_conversation_id
$$;
comment on function public.mark_conversation_read(uuid) is 'Reset a conversation''s unread count (RLS: organizers+).';
grant execute on function public.mark_conversation_read(uuid) to authenticated;

-- ============================================================================================
-- Realtime
-- ============================================================================================

-- The inbox listens to both tables; blast snapshot rows (blast_recipients) stay out of it.
select private.add_to_realtime_publication('public.conversations', 'public.messages');
