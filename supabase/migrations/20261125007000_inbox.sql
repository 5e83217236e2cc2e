-- The inbox (flow 4): MMS media in a private bucket, canned replies, assignment notices and the
-- inbox's reads (filtered, searched conversation list with counts).
--
-- Media. A message's `media_urls` that staff may see are object keys in the private
-- `message-media` bucket (`message-media/inbound/<message id>/<n>.<ext>`,
-- `message-media/outbound/<conversation id>/<name>`), shown through signed URLs. An inbound MMS
-- arrives with Twilio's URLs (they expire and need the account's basic auth): the webhook worker
-- copies each into the bucket and swaps the keys in with public.record_inbound_media. An
-- outbound image is uploaded by the reply box and named by its key; the worker signs it right
-- before the provider call (Twilio fetches it then).
--
-- Refusal codes (P0001, message = code): not_allowed, unknown_conversation, unknown_message,
-- invalid_media, not_staff, invalid_argument.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.canned_replies (
  id uuid primary key default gen_random_uuid(),
  shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
  body text not null check (btrim(body) <> '' and length(body) <= 1600),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.canned_replies is
  'Saved answers for the inbox, inserted in the reply box by typing /shortcut. Organizers manage their own, admins all.';
comment on column public.canned_replies.shortcut is 'What follows the slash: lower-case letters, digits, - and _, unique.';
comment on column public.canned_replies.created_by is 'The author; organizers may change only their own.';

create unique index canned_replies_shortcut_key on public.canned_replies (shortcut);
create index canned_replies_created_by_idx on public.canned_replies (created_by);

create table public.inbox_notifications (
  id bigint generated always as identity primary key,
  recipient_id uuid not null references auth.users (id) on delete cascade,
  conversation_id uuid not null references public.conversations (id) on delete cascade,
  assigned_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
comment on table public.inbox_notifications is
  'In-app notices to a staff member: a conversation was assigned to them by someone else.';

create index inbox_notifications_recipient_idx on public.inbox_notifications (recipient_id, read_at);
create index inbox_notifications_conversation_id_idx on public.inbox_notifications (conversation_id);
create index inbox_notifications_assigned_by_idx on public.inbox_notifications (assigned_by);

-- What Twilio accepts and delivers as MMS (5 MB at most); the inbox shows images, links the rest.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('message-media', 'message-media', false, 5 * 1024 * 1024,
        array['image/*', 'video/*', 'audio/*', 'application/pdf', 'text/vcard', 'text/x-vcard'])
on conflict (id) do nothing;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.canned_replies, public.inbox_notifications from anon, authenticated;
grant select, delete on table public.canned_replies to authenticated;
grant insert (shortcut, body) on table public.canned_replies to authenticated;
grant update (shortcut, body) on table public.canned_replies to authenticated;
grant select on table public.inbox_notifications to authenticated;
grant update (read_at) on table public.inbox_notifications to authenticated;
grant all on table public.canned_replies, public.inbox_notifications to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger canned_replies_touch_updated_at before update on public.canned_replies
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.canned_replies enable row level security;
alter table public.inbox_notifications enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.is_outbound_media_key(p_key text) returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_key ~ '^message-media/outbound/[0-9a-f-]{36}/[A-Za-z0-9._-]{1,100}$'
$$;
comment on function private.is_outbound_media_key(text) is
  'True for a key the reply box may attach: message-media/outbound/<conversation id>/<file name>.';
grant execute on function private.is_outbound_media_key(text) to authenticated, service_role;

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read canned replies" on public.canned_replies
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can add their own canned replies" on public.canned_replies
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')) and created_by = (select auth.uid()));

create policy "Organizers can edit their own canned replies, admins any" on public.canned_replies
  for update to authenticated
  using ((select private.has_staff_level('admin'))
         or ((select private.has_staff_level('organizer')) and created_by = (select auth.uid())))
  with check ((select private.has_staff_level('admin'))
              or ((select private.has_staff_level('organizer')) and created_by = (select auth.uid())));

create policy "Organizers can delete their own canned replies, admins any" on public.canned_replies
  for delete to authenticated
  using ((select private.has_staff_level('admin'))
         or ((select private.has_staff_level('organizer')) and created_by = (select auth.uid())));

create policy "Staff can read their own inbox notices" on public.inbox_notifications
  for select to authenticated
  using (recipient_id = (select auth.uid()));

create policy "Staff can mark their own inbox notices read" on public.inbox_notifications
  for update to authenticated
  using (recipient_id = (select auth.uid()))
  with check (recipient_id = (select auth.uid()));

-- Restrictive: whatever else admits a reply, its attachments must be images the reply box put
-- in the private bucket (never an arbitrary URL a provider would fetch on our behalf).
create policy "Replies attach only media uploaded to the inbox bucket" on public.messages
  as restrictive for insert to authenticated
  with check (coalesce((select bool_and(private.is_outbound_media_key(k)) from unnest(media_urls) k), true));

create policy "Organizers can read message media" on storage.objects
  for select to authenticated
  using (bucket_id = 'message-media' and (select private.has_staff_level('organizer')));

create policy "Organizers can upload reply images" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'message-media' and (storage.foldername(name))[1] = 'outbound'
              and (select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.record_inbound_media(p_message_id uuid, p_keys text[]) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_message public.messages;
begin
  select * into v_message from public.messages where id = p_message_id for update;
  if not found or v_message.direction <> 'inbound' then
    raise exception using errcode = 'P0001', message = 'unknown_message';
  end if;
  if cardinality(p_keys) <> cardinality(v_message.media_urls)
     or exists (select 1 from unnest(p_keys) k
                where k !~ ('^message-media/inbound/' || p_message_id || '/[A-Za-z0-9._-]{1,100}$')) then
    raise exception using errcode = 'P0001', message = 'invalid_media',
      detail = 'One key per provider URL, each under message-media/inbound/<message id>/.';
  end if;
  update public.messages set media_urls = p_keys where id = p_message_id;
end
$$;
comment on function public.record_inbound_media(uuid, text[]) is
  'Workers: swap an inbound MMS''s provider URLs for the keys of their copies in the message-media bucket. Idempotent. Refusals: unknown_message, invalid_media.';
grant execute on function public.record_inbound_media(uuid, text[]) to service_role;

create function public.list_inbound_media_to_copy(p_older_than_seconds integer, p_limit integer default 50)
returns table (message_id uuid, media_urls text[])
language sql
stable
set search_path = ''
as $$
  select m.id, m.media_urls
  from public.messages m
  where m.direction = 'inbound'
    and m.created_at > now() - interval '3 days'
    and m.created_at <= now() - make_interval(secs => p_older_than_seconds)
    and exists (select 1 from unnest(m.media_urls) u where u ~ '^https?://')
  order by m.created_at
  limit p_limit
$$;
comment on function public.list_inbound_media_to_copy(integer, integer) is
  'Workers: inbound MMS of the last 3 days still naming provider URLs after p_older_than_seconds (a copy that failed or a server that died), oldest first, for the copy sweep.';
grant execute on function public.list_inbound_media_to_copy(integer, integer) to service_role;

-- public.inbox_conversations moved to 20261129020200_inbox_without_assignee_name.sql (no assignee_name).

create function public.inbox_counts() returns table (filter text, conversations bigint)
language plpgsql
stable
set search_path = ''
as $$
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;
  return query
  select f.name, count(v.id)
  from (values ('mine'), ('unassigned'), ('unread')) f (name)
  left join public.conversations v on case f.name
      when 'mine' then v.status = 'open' and v.unread_count > 0 and v.assigned_to = (select auth.uid())
      when 'unassigned' then v.status = 'open' and v.unread_count > 0 and v.assigned_to is null
      else v.unread_count > 0
    end
  group by f.name;
end
$$;
comment on function public.inbox_counts() is
  'Unread conversations per inbox filter (mine, unassigned, unread), for the badges (organizers+). Refusal: not_allowed.';
grant execute on function public.inbox_counts() to authenticated;

-- SECURITY DEFINER: the notice is written for another staff member, which no policy lets an
-- organizer do directly; the caller's level is checked first.
create function public.assign_conversation(p_conversation_id uuid, p_assignee uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_previous uuid;
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;
  if p_assignee is not null and not exists (
    select 1 from public.staff s
    where s.user_id = p_assignee and s.status = 'active' and s.level >= 'organizer'
  ) then
    raise exception using errcode = 'P0001', message = 'not_staff',
      detail = 'Conversations go to active organizers or above.';
  end if;
  select v.assigned_to into v_previous from public.conversations v where v.id = p_conversation_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_conversation';
  end if;
  update public.conversations set assigned_to = p_assignee where id = p_conversation_id;
  if p_assignee is not null and p_assignee is distinct from v_previous
     and p_assignee is distinct from (select auth.uid()) then
    insert into public.inbox_notifications (recipient_id, conversation_id, assigned_by)
    values (p_assignee, p_conversation_id, (select auth.uid()));
  end if;
end
$$;
comment on function public.assign_conversation(uuid, uuid) is
  'Assign a conversation to an active organizer+ (null: unassign); the assignee gets an in-app notice unless they assigned it themselves. Refusals: not_allowed, not_staff, unknown_conversation.';
grant execute on function public.assign_conversation(uuid, uuid) to authenticated;

-- ============================================================================================
-- Realtime
-- ============================================================================================

select private.add_to_realtime_publication('public.inbox_notifications', 'public.canned_replies');
