-- The inbox list without assignee_name: the inbox names staff from public.staff_directory()
-- (20261127040100_staff_directory: display name, else email, else "A former staff member"), and
-- no caller reads the list's own column, which showed only a display name (null for an assignee
-- without one). The list no longer joins public.staff either.
--
-- Moved here with its final body: public.inbox_conversations (from 20261125007000_inbox.sql).

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.inbox_conversations(
  p_filter text default 'all',
  p_search text default null,
  p_limit integer default 100
) returns table (
  id uuid,
  contact_id uuid,
  contact_name text,
  contact_phone text,
  status text,
  assigned_to uuid,
  unread_count integer,
  last_message_at timestamptz,
  last_message_preview text,
  last_message_direction public.message_direction,
  sms_consent public.consent_status,
  sms_consent_source public.consent_source,
  sms_consent_changed_at timestamptz
)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_search text := nullif(btrim(coalesce(p_search, '')), '');
begin
  if not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed';
  end if;
  if p_filter not in ('mine', 'unassigned', 'all', 'unread', 'closed') or p_limit not between 1 and 500 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_filter is one of mine, unassigned, all, unread, closed; p_limit 1–500.';
  end if;
  return query
  select v.id, v.contact_id,
         nullif(btrim(concat_ws(' ', c.first_name, c.last_name)), ''),
         c.phone::text, v.status, v.assigned_to, v.unread_count,
         v.last_message_at, v.last_message_preview, v.last_message_direction,
         cc.status, cc.source, cc.changed_at
  from public.conversations v
  join public.contacts c on c.id = v.contact_id
  left join public.contact_consents cc on cc.contact_id = v.contact_id and cc.channel = 'sms'
  where case p_filter
          when 'mine' then v.status = 'open' and v.assigned_to = (select auth.uid())
          when 'unassigned' then v.status = 'open' and v.assigned_to is null
          when 'unread' then v.unread_count > 0
          when 'closed' then v.status = 'closed'
          else v.status = 'open'
        end
    and (v_search is null
         or concat_ws(' ', c.first_name, c.last_name, c.phone) ilike '%' || v_search || '%'
         or exists (select 1 from public.messages m
                    where m.conversation_id = v.id and m.body ilike '%' || v_search || '%'))
  order by v.last_message_at desc nulls last, v.id
  limit p_limit;
end
$$;
comment on function public.inbox_conversations(text, text, integer) is
  'The inbox list (organizers+): filter mine | unassigned | all (open) | unread | closed, search in name, phone and message text; newest first, with the contact''s SMS consent. Refusals: not_allowed, invalid_argument.';
grant execute on function public.inbox_conversations(text, text, integer) to authenticated;
