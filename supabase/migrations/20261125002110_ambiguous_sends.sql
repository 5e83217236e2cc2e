-- Settling ambiguous sends safely (issue 15, item 7). Versioned beside the v1 functions of
-- 20261122000900_outbox.sql, which stay for workers not yet updated:
--
--   public.list_unresolved_sends_v2(p_older_than_seconds integer)
--     returns table (id uuid, channel text, to_address text, body text, attempts integer,
--                    send_started_at timestamptz, from_number text, messaging_service_sid text)
--     Like v1, plus the attempt that is in doubt and the sender's identity, so the provider
--     lookup can be bounded by the sender and the attempt's time window.
--   public.resolve_unresolved_send_v2(p_message_id uuid, p_attempt integer, p_provider_ids text[])
--     returns text: 'sent' | 'requeued' | 'failed' | 'stale'
--     A compare-and-set on the attempt: it settles the message only if it is still `sending`
--     with attempts = p_attempt. A resolver working from a list read earlier therefore can never
--     requeue (or mark sent) an attempt that another worker started since ('stale').
--     p_provider_ids: the provider's candidates for this attempt, best first; the first one not
--     already recorded on another message is taken (an identical earlier text to the same
--     number is another message's, never this one's). None left → queued again (or failed once
--     attempts are exhausted).

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers), like v1.
create function public.list_unresolved_sends_v2(p_older_than_seconds integer)
returns table (
  id uuid,
  channel text,
  to_address text,
  body text,
  attempts integer,
  send_started_at timestamptz,
  from_number text,
  messaging_service_sid text
)
language sql
stable
security definer
set search_path = ''
as $$
  select m.id, m.channel::text, m.to_address, m.body, m.attempts, m.send_started_at,
         s.from_number::text, s.messaging_service_sid
  from public.messages m
  left join public.senders s on s.id = m.sender_id
  where m.status = 'sending'
    and m.send_started_at <= now() - make_interval(secs => greatest(coalesce(p_older_than_seconds, 0), 0))
  order by m.send_started_at
$$;
comment on function public.list_unresolved_sends_v2(integer) is
  'Workers: messages left in sending longer than p_older_than_seconds, with the attempt in doubt and the sender''s number or Messaging Service (bounds the provider lookup).';
revoke execute on function public.list_unresolved_sends_v2(integer) from public, anon, authenticated;
grant execute on function public.list_unresolved_sends_v2(integer) to service_role;

-- SECURITY DEFINER: as above; it records results as the owner.
create function public.resolve_unresolved_send_v2(p_message_id uuid, p_attempt integer, p_provider_ids text[])
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.messages;
  v_settings public.messaging_settings := private.messaging_settings();
  v_provider_id text;
begin
  if p_attempt is null then
    raise exception using errcode = '22023', message = 'attempt_required';
  end if;
  select * into v_message from public.messages where id = p_message_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_message';
  end if;
  if v_message.status <> 'sending' or v_message.attempts <> p_attempt then
    -- Settled meanwhile (a status callback, another resolver) or sent again since: not ours.
    return 'stale';
  end if;
  select c.provider_id into v_provider_id
  from unnest(p_provider_ids) with ordinality as c(provider_id, n)
  where c.provider_id is not null and btrim(c.provider_id) <> ''
    and not exists (select 1 from public.messages o where o.provider_id = c.provider_id and o.id <> p_message_id)
  order by c.n
  limit 1;
  if v_provider_id is not null then
    perform public.record_message_sent(p_message_id, v_provider_id, 'resolved');
    return 'sent';
  end if;
  if v_message.attempts < v_settings.max_send_attempts then
    update public.messages
       set status = 'queued', claimed_by = null, lease_expires_at = null, next_attempt_at = now(),
           error_code = 'unresolved', error_message = 'The provider has no such message; sending again.'
     where id = p_message_id;
    return 'requeued';
  end if;
  update public.messages
     set status = 'failed', claimed_by = null, lease_expires_at = null,
         error_code = 'unresolved', error_message = 'The provider has no such message and attempts are exhausted.'
   where id = p_message_id;
  return 'failed';
end
$$;
comment on function public.resolve_unresolved_send_v2(uuid, integer, text[]) is
  'Workers: settle attempt p_attempt of an ambiguous send (compare-and-set: stale when the message moved on). First provider candidate not taken by another message → sent; none → queued again or failed after max attempts.';
revoke execute on function public.resolve_unresolved_send_v2(uuid, integer, text[]) from public, anon, authenticated;
grant execute on function public.resolve_unresolved_send_v2(uuid, integer, text[]) to service_role;
