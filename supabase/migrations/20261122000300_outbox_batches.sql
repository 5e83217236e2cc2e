-- Batch forms of the two outbox calls a worker makes for every message, so a busy worker spends
-- one round trip and one commit per batch instead of two per message. Each element gets exactly
-- the single-message function's rules (it is called for each); a batch is one transaction.
--
--   public.mark_messages_sending(p_message_ids uuid[], p_worker_id text) returns setof uuid
--     The ids the worker may now send (mark_message_sending answered true for each), in the
--     order given. The others are not to be sent (lease lost, paused, opted out since the claim).
--   public.record_messages_sent(p_results jsonb) returns setof uuid
--     p_results: [{"message_id": uuid, "provider_id": text, "provider_status": text}, …].
--     Returns the message ids it left unrecorded because a status callback about the same
--     provider id was being processed at that moment: record those with record_message_sent.
--     All or nothing: one provider_id_mismatch fails the batch (the caller retries one by one).

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it calls the
-- single-message definers, which run as the owner too.
create function public.mark_messages_sending(p_message_ids uuid[], p_worker_id text)
returns setof uuid
language sql
security definer
set search_path = ''
as $$
  -- Row locks in id order: a concurrent pause or cancel locking the same rows cannot deadlock us.
  select m.id
    from (select distinct id from unnest(p_message_ids) as t(id) order by id) as m
   where public.mark_message_sending(m.id, p_worker_id)
$$;
comment on function public.mark_messages_sending(uuid[], text) is
  'Workers: mark_message_sending for each id in one call; returns the ids that may be sent now.';
revoke execute on function public.mark_messages_sending(uuid[], text) from public, anon, authenticated;
grant execute on function public.mark_messages_sending(uuid[], text) to service_role;

-- One definition of the provider-id lock key, for the waiting and the non-waiting form.
create function private.provider_message_lock_key(p_provider_id text) returns bigint
language sql
immutable
set search_path = ''
as $$
  select hashtextextended('provider_message:' || p_provider_id, 0)
$$;
comment on function private.provider_message_lock_key(text) is
  'Advisory lock key serialising work on one provider message id.';

create or replace function private.lock_provider_message(p_provider_id text) returns void
language sql
set search_path = ''
as $$
  select pg_advisory_xact_lock(private.provider_message_lock_key(p_provider_id))
$$;

create function private.try_lock_provider_message(p_provider_id text) returns boolean
language sql
set search_path = ''
as $$
  select pg_try_advisory_xact_lock(private.provider_message_lock_key(p_provider_id))
$$;
comment on function private.try_lock_provider_message(text) is
  'private.lock_provider_message without waiting: false when another transaction holds it.';

-- SECURITY DEFINER: as above.
--
-- Never waits for a provider-id lock while holding others: a webhook batch takes provider id
-- then message row, one event after another, in arrival order; waiting here in a different
-- order could close a cycle (a deadlock). A busy id is skipped and handed back instead.
create function public.record_messages_sent(p_results jsonb) returns setof uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_result record;
begin
  if jsonb_typeof(p_results) is distinct from 'array' then
    raise exception using errcode = '22023', message = 'results_must_be_an_array';
  end if;
  for v_result in
    select r.message_id, r.provider_id, r.provider_status
      from jsonb_to_recordset(p_results) as r(message_id uuid, provider_id text, provider_status text)
  loop
    if v_result.message_id is null or v_result.provider_id is null then
      raise exception using errcode = '22023', message = 'message_id_and_provider_id_required';
    end if;
    -- record_message_sent then takes the same lock again (advisory locks are re-entrant).
    if not private.try_lock_provider_message(v_result.provider_id) then
      return next v_result.message_id;
      continue;
    end if;
    perform public.record_message_sent(v_result.message_id, v_result.provider_id, v_result.provider_status);
  end loop;
end
$$;
comment on function public.record_messages_sent(jsonb) is
  'Workers: record_message_sent for each {message_id, provider_id, provider_status} in one transaction; returns the ids left for a one-by-one call (their provider id was busy).';
revoke execute on function public.record_messages_sent(jsonb) from public, anon, authenticated;
grant execute on function public.record_messages_sent(jsonb) to service_role;
