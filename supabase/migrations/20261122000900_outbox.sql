-- Outbox: the functions the workers call (as service_role). FINAL SIGNATURES — workers code
-- against exactly these; add a _v2 rather than change one:
--
--   public.claim_outbound_messages(p_worker_id text, p_channel text, p_limit integer default 50,
--       p_lease_seconds integer default 30, p_now timestamptz default now())
--     returns setof public.claimed_message
--       (message_id uuid, channel text, kind text, to_address text, from_address text (number or email),
--        messaging_service_sid text, from_name text, reply_to text, subject text, body text,
--        media_urls text[], is_marketing boolean, validity_period_seconds integer, blast_id uuid,
--        sender_id uuid, segments integer, attempts integer)
--     Starts due scheduled blasts, then per enabled sender of the channel: locks the sender's
--     token bucket (skip locked), takes queued messages and pending blast recipients
--     (for update skip locked, transactional first, blasts last), rechecks consent,
--     suppressions, paused/cancelled blasts and quiet hours (marketing), spends rate tokens in
--     segments and honours the daily cap. Blast recipients become messages rows in the same
--     transaction. Leases expire after p_lease_seconds; an expired, unsent claim is claimable again.
--     Last, once per call: folds blast counter deltas onto public.blasts (about once a second per
--     blast), auto-pauses sending blasts with a failure/opt-out spike and completes finished ones.
--   public.mark_message_sending(p_message_id uuid, p_worker_id text) returns boolean
--     true = go ahead and call the provider; false = do not send (lease lost, blast paused or
--     cancelled, recipient opted out since the claim). After true the message is "possibly sent".
--   public.record_message_sent(p_message_id uuid, p_provider_id text, p_provider_status text) returns void
--     Idempotent; a different provider id for the same message raises provider_id_mismatch.
--   public.record_message_failed(p_message_id uuid, p_error_code text, p_error_message text,
--       p_retry_after_seconds integer default null) returns void
--     Idempotent. 21610 → opt-out, never retried; 21211/30005 → number invalid; 30006 → not
--     textable; 429/20429/21611/30001/30003 (or any p_retry_after_seconds) → queued again after a
--     backoff, up to messaging_settings.max_send_attempts; anything else → failed.
--   public.list_unresolved_sends(p_older_than_seconds integer) returns setof public.messages
--   public.resolve_unresolved_send(p_message_id uuid, p_provider_id text) returns void
--     p_provider_id = the provider's id when it has the message (→ sent), null when it has not
--     (→ queued again, or failed after max attempts). Idempotent.
--
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
--
-- public.claim_outbound_messages itself is defined with the sending limits it applies
-- (20261125002100_sending_limits.sql).

-- ============================================================================================
-- Types
-- ============================================================================================

create type public.claimed_message as (
  message_id uuid,
  channel text,
  kind text,
  to_address text,
  from_address text,
  messaging_service_sid text,
  from_name text,
  reply_to text,
  subject text,
  body text,
  media_urls text[],
  is_marketing boolean,
  validity_period_seconds integer,
  blast_id uuid,
  sender_id uuid,
  segments integer,
  attempts integer
);
comment on type public.claimed_message is 'One claimed outbound message with what the provider call needs.';

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.sender_window(p_sender public.senders, p_settings public.messaging_settings,
  out window_start time, out window_end time)
language sql
immutable
set search_path = ''
as $$
  select coalesce(p_sender.quiet_start, p_settings.quiet_start), coalesce(p_sender.quiet_end, p_settings.quiet_end)
$$;
comment on function private.sender_window(public.senders, public.messaging_settings) is
  'The marketing send window of a sender (its own, else the organisation''s).';

-- Seconds until the window closes in the recipient's zone, so Twilio drops a text stuck in its
-- queue instead of delivering it during quiet hours.
create function private.marketing_validity_seconds(
  p_now timestamptz,
  p_time_zone text,
  p_window_end time,
  p_max integer
) returns integer
language sql
stable
set search_path = ''
as $$
  select greatest(1, least(p_max, floor(extract(epoch from
    ((((p_now at time zone p_time_zone)::date + p_window_end) at time zone p_time_zone) - p_now)))::integer))
$$;
comment on function private.marketing_validity_seconds(timestamptz, text, time, integer) is
  'ValidityPeriod for a marketing text: the time left in today''s send window, at most p_max seconds.';

-- private.send_blocker moved to 20261126030000_message_channels.sql (whether an opt-out stops
-- every message is the channel's).

-- private.maybe_complete_blast, private.check_blast_health and private.blast_upkeep moved to
-- 20261128020100_blast_lock_order.sql (the blast lock order).

-- Provider error codes → what they mean (docs/compliance.md), in one place: the recipient-level
-- codes are acted on and never retried; the transient ones are retried after a backoff.
create function private.provider_error_effect(p_error_code text) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_error_code = '21610' then 'opt_out'
    when p_error_code in ('21211', '30005') then 'invalid_number'
    when p_error_code = '30006' then 'not_textable'
    -- Rate limits and queue overflows were never processed; 30003 (unreachable) may recover.
    when p_error_code in ('429', '20429', '21611', '30001', '30003') then 'retry'
  end
$$;
comment on function private.provider_error_effect(text) is
  'What a provider error code means: opt_out (21610), invalid_number (21211, 30005), not_textable (30006), retry (429, 20429, 21611, 30001, 30003), or null (unknown: fail).';

create function private.apply_delivery_error(p_message public.messages, p_error_code text) returns void
language plpgsql
set search_path = ''
as $$
begin
  case private.provider_error_effect(p_error_code)
    when 'opt_out' then
      perform private.record_consent(p_message.contact_id, 'sms', 'opted_out', 'provider_error',
        p_message.id, 'Twilio 21610: the recipient has unsubscribed from this sender.');
    when 'invalid_number' then
      perform private.suppress_address('sms', p_message.to_address, 'invalid_number', p_message.id);
    when 'not_textable' then
      perform private.suppress_address('sms', p_message.to_address, 'not_textable', p_message.id);
    else
      null;
  end case;
end
$$;
comment on function private.apply_delivery_error(public.messages, text) is
  'Apply a delivery error to the recipient: 21610 opt-out, 21211/30005 invalid number, 30006 not textable.';

create function private.retry_delay_seconds(p_error_code text, p_attempts integer) returns integer
language sql
immutable
set search_path = ''
as $$
  select case when private.provider_error_effect(p_error_code) = 'retry'
              then least(3600, 30 * power(2, greatest(p_attempts - 1, 0))::integer) end
$$;
comment on function private.retry_delay_seconds(text, integer) is
  'Backoff in seconds for a retryable provider error code (null = not retryable).';

-- What a worker gets for a claimed message: the message and how its sender sends it.
create function private.claimed_row(p_message public.messages, p_sender public.senders)
returns public.claimed_message
language sql
immutable
set search_path = ''
as $$
  select (p_message.id, p_message.channel::text, p_message.kind::text, p_message.to_address,
    coalesce(p_sender.from_number::text, p_sender.from_email), p_sender.messaging_service_sid,
    p_sender.from_name, p_sender.reply_to, p_message.subject, p_message.body, p_message.media_urls,
    p_message.is_marketing, p_message.validity_period_seconds, p_message.blast_id, p_sender.id,
    p_message.segments, p_message.attempts)::public.claimed_message
$$;
comment on function private.claimed_row(public.messages, public.senders) is
  'The public.claimed_message row a worker sends from: the message''s fields and its sender''s addresses.';

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

create function private.lock_provider_message(p_provider_id text) returns void
language sql
set search_path = ''
as $$
  select pg_advisory_xact_lock(private.provider_message_lock_key(p_provider_id))
$$;
comment on function private.lock_provider_message(text) is
  'Transaction advisory lock on a provider message id (record_message_sent vs. its status callbacks).';

create function private.try_lock_provider_message(p_provider_id text) returns boolean
language sql
set search_path = ''
as $$
  select pg_try_advisory_xact_lock(private.provider_message_lock_key(p_provider_id))
$$;
comment on function private.try_lock_provider_message(text) is
  'private.lock_provider_message without waiting: false when another transaction holds it.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.mark_message_sending(p_message_id uuid, p_worker_id text) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.messages;
  v_settings public.messaging_settings := private.messaging_settings();
  v_blocker text;
begin
  select * into v_message from public.messages where id = p_message_id for update;
  if not found or v_message.status <> 'queued' or v_message.claimed_by is distinct from p_worker_id
     or v_message.lease_expires_at is null or v_message.lease_expires_at < now() then
    return false;
  end if;
  v_blocker := private.send_blocker(v_message.contact_id, v_message.channel, v_message.to_address,
    v_message.is_marketing, v_settings);
  if v_blocker is not null then
    update public.messages set status = 'cancelled', error_code = v_blocker,
           error_message = 'Not sent: ' || v_blocker || ' just before sending.', claimed_by = null, lease_expires_at = null
     where id = p_message_id;
    return false;
  end if;
  if v_message.blast_id is not null and not exists (
       select 1 from public.blasts b where b.id = v_message.blast_id and b.status = 'sending') then
    -- Paused: give it back (it is claimed again on resume). Cancelled blasts cancel it themselves.
    update public.messages set claimed_by = null, lease_expires_at = null where id = p_message_id;
    return false;
  end if;
  update public.messages
     set status = 'sending', attempts = attempts + 1, send_started_at = now()
   where id = p_message_id;
  return true;
end
$$;
comment on function public.mark_message_sending(uuid, text) is
  'Workers: call just before the provider request. False = do not send (lease lost, blast paused/cancelled, opted out since the claim).';
revoke execute on function public.mark_message_sending(uuid, text) from public, anon, authenticated;
grant execute on function public.mark_message_sending(uuid, text) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.record_message_sent(p_message_id uuid, p_provider_id text, p_provider_status text)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.messages;
begin
  if p_provider_id is null or btrim(p_provider_id) = '' then
    raise exception using errcode = 'P0001', message = 'provider_id_required';
  end if;
  perform private.lock_provider_message(p_provider_id);
  select * into v_message from public.messages where id = p_message_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_message';
  end if;
  if v_message.provider_id is not null then
    if v_message.provider_id <> p_provider_id then
      raise exception using errcode = 'P0001', message = 'provider_id_mismatch',
        detail = format('Message %s already has provider id %s.', p_message_id, v_message.provider_id);
    end if;
    return;
  end if;
  update public.messages
     set provider_id = p_provider_id, provider_status = p_provider_status,
         status = case when private.message_status_rank(status) < 2 then 'sent'::public.message_status else status end,
         claimed_by = null, lease_expires_at = null
   where id = p_message_id;
  -- Status callbacks that arrived before we knew the provider id can be applied now (the
  -- advisory lock above makes a concurrent callback either wait for this commit or be deferred
  -- before this replay reads the deferred events).
  perform private.replay_deferred_webhooks(p_provider_id);
end
$$;
comment on function public.record_message_sent(uuid, text, text) is
  'Workers: the provider accepted the message with this id (idempotent; another id raises provider_id_mismatch).';
revoke execute on function public.record_message_sent(uuid, text, text) from public, anon, authenticated;
grant execute on function public.record_message_sent(uuid, text, text) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.record_message_failed(
  p_message_id uuid,
  p_error_code text,
  p_error_message text,
  p_retry_after_seconds integer default null
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.messages;
  v_settings public.messaging_settings := private.messaging_settings();
  v_delay integer;
begin
  select * into v_message from public.messages where id = p_message_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_message';
  end if;
  if private.message_status_rank(v_message.status) >= 2 then
    -- Already sent or final: a late or repeated failure report changes nothing.
    return;
  end if;
  perform private.apply_delivery_error(v_message, p_error_code);
  -- A recipient-level refusal is final, whatever retry-after the provider sent with it.
  v_delay := case when private.provider_error_effect(p_error_code) in ('opt_out', 'invalid_number', 'not_textable')
                  then null
                  else coalesce(p_retry_after_seconds, private.retry_delay_seconds(p_error_code, v_message.attempts)) end;
  if v_delay is not null and v_message.attempts < v_settings.max_send_attempts
     and v_message.provider_id is null then
    update public.messages
       set status = 'queued', next_attempt_at = now() + make_interval(secs => v_delay),
           error_code = p_error_code, error_message = p_error_message,
           claimed_by = null, lease_expires_at = null
     where id = p_message_id;
    return;
  end if;
  update public.messages
     set status = 'failed', error_code = p_error_code, error_message = p_error_message,
         claimed_by = null, lease_expires_at = null
   where id = p_message_id and status in ('queued', 'sending');
end
$$;
comment on function public.record_message_failed(uuid, text, text, integer) is
  'Workers: the provider refused the message. Maps error codes per docs/compliance.md, retries rate limits with backoff, never retries 21610. Idempotent.';
revoke execute on function public.record_message_failed(uuid, text, text, integer) from public, anon, authenticated;
grant execute on function public.record_message_failed(uuid, text, text, integer) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.list_unresolved_sends(p_older_than_seconds integer) returns setof public.messages
language sql
stable
security definer
set search_path = ''
as $$
  select * from public.messages m
  where m.status = 'sending'
    and m.send_started_at <= now() - make_interval(secs => greatest(coalesce(p_older_than_seconds, 0), 0))
  order by m.send_started_at
$$;
comment on function public.list_unresolved_sends(integer) is
  'Workers: messages left in sending longer than p_older_than_seconds (worker died, 5xx or timeout): ask the provider, then resolve.';
revoke execute on function public.list_unresolved_sends(integer) from public, anon, authenticated;
grant execute on function public.list_unresolved_sends(integer) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.resolve_unresolved_send(p_message_id uuid, p_provider_id text) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.messages;
  v_settings public.messaging_settings := private.messaging_settings();
begin
  select * into v_message from public.messages where id = p_message_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_message';
  end if;
  if v_message.status <> 'sending' then
    return;
  end if;
  if p_provider_id is not null then
    perform public.record_message_sent(p_message_id, p_provider_id, 'resolved');
  elsif v_message.attempts < v_settings.max_send_attempts then
    update public.messages
       set status = 'queued', claimed_by = null, lease_expires_at = null, next_attempt_at = now(),
           error_code = 'unresolved', error_message = 'The provider has no such message; sending again.'
     where id = p_message_id;
  else
    update public.messages
       set status = 'failed', claimed_by = null, lease_expires_at = null,
           error_code = 'unresolved', error_message = 'The provider has no such message and attempts are exhausted.'
     where id = p_message_id;
  end if;
end
$$;
comment on function public.resolve_unresolved_send(uuid, text) is
  'Workers: settle an ambiguous send — provider id found (sent) or null (never reached the provider: queued again, or failed after max attempts). Idempotent.';
revoke execute on function public.resolve_unresolved_send(uuid, text) from public, anon, authenticated;
grant execute on function public.resolve_unresolved_send(uuid, text) to service_role;

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
