-- Webhooks: provider webhooks and the Send-SMS Auth hook. FINAL SIGNATURES (workers call them as
-- service_role; Supabase Auth calls the hook as supabase_auth_admin):
--
--   public.store_webhook_event(p_provider text, p_event_id text, p_event_type text, p_payload jsonb)
--     returns table (event_id uuid, duplicate boolean)
--     p_provider: twilio | mailersend. p_event_type: sms_inbound | sms_status | email_event.
--     p_event_id: the provider's id of the event (Twilio inbound: MessageSid; Twilio status:
--     MessageSid || ':' || MessageStatus; MailerSend: data.id). Stored raw first, once.
--   public.process_webhook_event(p_event_id uuid) returns jsonb
--     Idempotent (a processed event returns its stored result). Result for sms_inbound:
--     {"reply": "<text for TwiML> or null", "action": "opt_out|opt_in|help|null", "message_id", "conversation_id"};
--     for others {"applied": true|false, ...}. A status callback for a provider id we do not
--     know yet is "deferred" and applied when record_message_sent learns the id. A failure is
--     stored (status failed, last_error) and returned as {"error": "..."}; replay it later.
--   public.replay_webhook_event(p_event_id uuid) returns jsonb — process again (failed/deferred/processed).
--   public.list_replayable_webhook_events(p_older_than_seconds integer, p_limit integer) returns setof uuid
--     The replay sweep: events stored but not processed after 30 s (a server died in between) and
--     deferred ones whose provider id is now known, oldest first; replay each with replay_webhook_event.
--   public.unsubscribe_by_message(p_message_id uuid) returns boolean — the email unsubscribe link.
--   public.send_sms_hook(event jsonb) returns jsonb — Supabase Auth "Send SMS" hook: queues the
--     one-time code as a transactional SMS; {} on success, {"error": {"http_code", "message"}} otherwise.
--
-- private.handle_inbound_sms (the sms_inbound handler) is defined with the auto-replies it answers
-- with (20261125002130_auto_replies.sql).

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.webhook_events (
  id uuid primary key default gen_random_uuid(),
  provider public.message_provider not null,
  provider_event_id text not null check (btrim(provider_event_id) <> ''),
  event_type text not null check (event_type in ('sms_inbound', 'sms_status', 'email_event')),
  provider_message_id text,
  payload jsonb not null,
  status text not null default 'received' check (status in ('received', 'processed', 'deferred', 'failed')),
  attempts integer not null default 0,
  last_error text,
  result jsonb,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  unique (provider, provider_event_id)
);
comment on table public.webhook_events is
  'Every provider webhook, stored raw before processing (unique per provider event id), with its processing state; replayable.';
comment on column public.webhook_events.provider_message_id is 'Twilio MessageSid or MailerSend message id the event is about.';
comment on column public.webhook_events.status is
  'received → processed | deferred (about a message whose provider id is not recorded yet) | failed (see last_error; replay).';

create index webhook_events_deferred_idx on public.webhook_events (provider_message_id) where status = 'deferred';
create index webhook_events_status_idx on public.webhook_events (status, received_at);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.webhook_events from anon, authenticated;
grant select on table public.webhook_events to authenticated;
grant all on table public.webhook_events to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.webhook_events enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.twilio_status(p_status text) returns public.message_status
language sql
immutable
set search_path = ''
as $$
  select case lower(p_status)
    when 'accepted' then 'sent'
    when 'scheduled' then 'sent'
    when 'queued' then 'sent'
    when 'sending' then 'sent'
    when 'sent' then 'sent'
    when 'delivered' then 'delivered'
    when 'read' then 'delivered'
    when 'undelivered' then 'undelivered'
    when 'failed' then 'failed'
    when 'canceled' then 'failed'
  end::public.message_status
$$;
comment on function private.twilio_status(text) is
  'Our status for a Twilio MessageStatus (anything Twilio holds counts as sent: we handed it over).';

create function private.apply_provider_status(
  p_message public.messages,
  p_status public.message_status,
  p_provider_status text,
  p_error_code text,
  p_error_message text
) returns boolean
language plpgsql
set search_path = ''
as $$
begin
  if p_error_code is not null then
    perform private.apply_delivery_error(p_message, p_error_code);
  end if;
  -- Forward only: duplicates and late, out-of-order callbacks change nothing.
  if p_status is null or private.message_status_rank(p_status) <= private.message_status_rank(p_message.status)
     or p_message.status in ('cancelled', 'received') then
    return false;
  end if;
  update public.messages
     set status = p_status, provider_status = p_provider_status,
         error_code = coalesce(p_error_code, error_code), error_message = coalesce(p_error_message, error_message),
         claimed_by = null, lease_expires_at = null
   where id = p_message.id;
  -- Blast health and completion are evaluated once per claim call (private.blast_upkeep).
  return true;
end
$$;
comment on function private.apply_provider_status(public.messages, public.message_status, text, text, text) is
  'Move a message forward to a provider-reported status (no-op when not forward) and apply the error code''s consequences.';

create function private.handle_sms_status(p_payload jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_message public.messages;
  v_sid text := nullif(p_payload ->> 'MessageSid', '');
  v_status text := coalesce(p_payload ->> 'MessageStatus', p_payload ->> 'SmsStatus');
  v_code text := nullif(p_payload ->> 'ErrorCode', '');
  v_message_id uuid := case when p_payload ->> 'message_id'
    ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (p_payload ->> 'message_id')::uuid end;
begin
  if v_sid is null then
    raise exception using errcode = 'P0001', message = 'invalid_status_callback', detail = 'MessageSid is required.';
  end if;
  -- Waits for a record_message_sent of this sid still committing (see private.lock_provider_message).
  perform private.lock_provider_message(v_sid);
  select * into v_message from public.messages m where m.provider_id = v_sid for update;
  if not found and v_message_id is not null then
    -- Our id from the StatusCallback URL: the provider has the message even if the worker has
    -- not recorded its sid yet (or never will: it died after the provider accepted the send).
    select * into v_message from public.messages m
    where m.id = v_message_id and m.direction = 'outbound' and m.channel = 'sms'
      and (m.provider_id is null or m.provider_id = v_sid)
    for update;
    if found and v_message.provider_id is null then
      update public.messages set provider_id = v_sid where id = v_message.id returning * into v_message;
    end if;
  end if;
  if v_message.id is null then
    return jsonb_build_object('deferred', true);
  end if;
  return jsonb_build_object('applied', private.apply_provider_status(v_message, private.twilio_status(v_status),
    v_status, v_code, nullif(p_payload ->> 'ErrorMessage', '')), 'message_id', v_message.id);
end
$$;
comment on function private.handle_sms_status(jsonb) is
  'A Twilio status callback: forward-only status, idempotent; 21610/21211/30005/30006 change consent or suppressions.';

-- private.handle_email_event moved to 20261129010000_segment_messaging_rules.sql.

create function private.process_webhook_event(p_event_id uuid, p_force boolean) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_event public.webhook_events;
  v_result jsonb;
  v_error text;
begin
  select * into v_event from public.webhook_events where id = p_event_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_webhook_event';
  end if;
  if v_event.status = 'processed' and not p_force then
    return v_event.result;
  end if;
  begin
    v_result := case v_event.event_type
      when 'sms_inbound' then private.handle_inbound_sms(v_event.payload)
      when 'sms_status' then private.handle_sms_status(v_event.payload)
      when 'email_event' then private.handle_email_event(v_event.payload)
    end;
  exception when others then
    -- Kept, not swallowed: the event is marked failed with the error and stays replayable.
    get stacked diagnostics v_error = message_text;
    update public.webhook_events
       set status = 'failed', attempts = attempts + 1, last_error = v_error, processed_at = now()
     where id = p_event_id;
    return jsonb_build_object('error', v_error);
  end;
  update public.webhook_events
     set status = case when coalesce((v_result ->> 'deferred')::boolean, false) then 'deferred' else 'processed' end,
         attempts = attempts + 1, last_error = null, result = v_result, processed_at = now()
   where id = p_event_id;
  return v_result;
end
$$;
comment on function private.process_webhook_event(uuid, boolean) is
  'Dispatch a stored webhook to its handler; failures are recorded on the event (failed + last_error).';

create function private.replay_deferred_webhooks(p_provider_message_id text) returns void
language sql
set search_path = ''
as $$
  select private.process_webhook_event(w.id, true)
  from public.webhook_events w
  where w.status = 'deferred' and w.provider_message_id = p_provider_message_id
  order by w.received_at
$$;
comment on function private.replay_deferred_webhooks(text) is
  'Apply status events that arrived before their message''s provider id was recorded.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Admins can read webhook events" on public.webhook_events
  for select to authenticated
  using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.store_webhook_event(p_provider text, p_event_id text, p_event_type text, p_payload jsonb)
returns table (event_id uuid, duplicate boolean)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  if p_provider not in ('twilio', 'mailersend') then
    raise exception using errcode = 'P0001', message = 'unknown_provider', detail = p_provider;
  end if;
  if p_payload is null or jsonb_typeof(p_payload) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_payload';
  end if;
  insert into public.webhook_events (provider, provider_event_id, event_type, provider_message_id, payload)
  values (p_provider::public.message_provider, p_event_id, p_event_type,
          case p_provider when 'twilio' then p_payload ->> 'MessageSid'
               else coalesce(p_payload -> 'data' -> 'email' -> 'message' ->> 'id', p_payload -> 'data' -> 'email' ->> 'id') end,
          p_payload)
  on conflict (provider, provider_event_id) do nothing
  returning id into v_id;
  if v_id is not null then
    return query select v_id, false;
  else
    return query select w.id, true from public.webhook_events w
      where w.provider = p_provider::public.message_provider and w.provider_event_id = p_event_id;
  end if;
end
$$;
comment on function public.store_webhook_event(text, text, text, jsonb) is
  'Workers: store a provider webhook raw, once per provider event id; returns our id and whether it was a duplicate.';
revoke execute on function public.store_webhook_event(text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.store_webhook_event(text, text, text, jsonb) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.process_webhook_event(p_event_id uuid) returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.process_webhook_event(p_event_id, false)
$$;
comment on function public.process_webhook_event(uuid) is
  'Workers: process a stored webhook (idempotent: a processed event returns its stored result). Inbound SMS returns {"reply": …}.';
revoke execute on function public.process_webhook_event(uuid) from public, anon, authenticated;
grant execute on function public.process_webhook_event(uuid) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.replay_webhook_event(p_event_id uuid) returns jsonb
language sql
security definer
set search_path = ''
as $$
  select private.process_webhook_event(p_event_id, true)
$$;
comment on function public.replay_webhook_event(uuid) is
  'Operators/workers: process a stored webhook again (handlers are idempotent).';
revoke execute on function public.replay_webhook_event(uuid) from public, anon, authenticated;
grant execute on function public.replay_webhook_event(uuid) to service_role;

-- The replay sweep's one definition, so the REST and Postgres transports cannot diverge: events
-- still `received` after 30 s (the server answers once an event is stored and processes it right
-- after, so a server that died in between leaves it there), and `deferred` ones whose message's
-- provider id is now recorded (an unknown id would only be deferred again). Events older than a
-- day are left to an operator (replay_webhook_event). Invoker rights: only service_role may call
-- it, and it reads nothing service_role cannot.
create function public.list_replayable_webhook_events(p_older_than_seconds integer, p_limit integer)
returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_older_than_seconds is null or p_older_than_seconds < 0 or p_limit is null or p_limit < 1 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_older_than_seconds is zero or more and p_limit is positive.';
  end if;
  return query
  select w.id from public.webhook_events w
   where w.received_at < now() - make_interval(secs => p_older_than_seconds)
     and w.received_at > now() - interval '1 day'
     and ((w.status = 'received' and w.received_at < now() - interval '30 seconds')
          or (w.status = 'deferred' and exists (
                select 1 from public.messages m where m.provider_id = w.provider_message_id)))
   order by w.received_at
   limit p_limit;
end
$$;
comment on function public.list_replayable_webhook_events(integer, integer) is
  'Workers: stored webhook events the replay sweep should process again, oldest first — received but unprocessed after 30 s, or deferred whose message''s provider id is now known. Errors: invalid_argument.';
revoke execute on function public.list_replayable_webhook_events(integer, integer) from public, anon, authenticated;
grant execute on function public.list_replayable_webhook_events(integer, integer) to service_role;

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the gateway/worker serving the
-- link in every marketing email); it writes consent and suppressions as the owner.
create function public.unsubscribe_by_message(p_message_id uuid) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.messages;
begin
  select * into v_message from public.messages where id = p_message_id and channel = 'email' and direction = 'outbound';
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_message';
  end if;
  perform private.suppress_address('email', v_message.to_address, 'unsubscribed', v_message.id);
  if v_message.blast_id is not null and v_message.recipient_opted_out_at is null then
    update public.messages set recipient_opted_out_at = now() where id = v_message.id;
    perform private.add_blast_counts(v_message.blast_id, p_opted_out => 1);
  end if;
  return private.record_consent(v_message.contact_id, 'email', 'opted_out', 'email_unsubscribe', v_message.id,
    'Unsubscribe link');
end
$$;
comment on function public.unsubscribe_by_message(uuid) is
  'The unsubscribe link of a marketing email (one-click, List-Unsubscribe): opt the recipient out of email and suppress the address. Idempotent; true when it changed the consent.';
revoke execute on function public.unsubscribe_by_message(uuid) from public, anon, authenticated;
grant execute on function public.unsubscribe_by_message(uuid) to service_role;

-- SECURITY DEFINER: Supabase Auth calls it as supabase_auth_admin, which has no rights on the
-- messaging tables; EXECUTE is granted to that role alone.
create function public.send_sms_hook(event jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  -- sms.phone is the destination: on a phone change user.phone is still the old number.
  v_phone text := private.normalize_phone(coalesce(event -> 'sms' ->> 'phone', event -> 'user' ->> 'phone'));
  v_otp text := event -> 'sms' ->> 'otp';
  v_sender public.senders;
  v_contact_id uuid;
  v_body text;
begin
  if v_phone is null or v_phone !~ '^\+[1-9][0-9]{6,14}$' or coalesce(v_otp, '') = '' then
    return jsonb_build_object('error', jsonb_build_object('http_code', 400,
      'message', 'The hook needs sms.phone (E.164) and sms.otp.'));
  end if;
  select c.id into v_contact_id from public.contacts c where c.phone = v_phone;
  if private.current_consent(v_contact_id, 'sms') = 'opted_out' then
    return jsonb_build_object('error', jsonb_build_object('http_code', 403,
      'message', 'This number replied STOP. Text START to us to receive codes again.'));
  end if;
  if private.is_suppressed('sms', v_phone) then
    return jsonb_build_object('error', jsonb_build_object('http_code', 400,
      'message', 'This number cannot receive text messages.'));
  end if;
  select * into v_sender from public.senders s
  where s.channel = 'sms' and s.enabled
  order by s.use_for_transactional desc, s.created_at
  limit 1;
  if not found then
    return jsonb_build_object('error', jsonb_build_object('http_code', 500,
      'message', 'No SMS sender is configured.'));
  end if;
  v_body := replace(v_settings.otp_template, '{{code}}', v_otp);
  insert into public.messages (direction, kind, channel, status, contact_id, sender_id, to_address,
    from_address, body, segments, is_marketing)
  values ('outbound', 'transactional', 'sms', 'queued', v_contact_id, v_sender.id, v_phone,
    coalesce(v_sender.from_number::text, v_sender.messaging_service_sid), v_body, public.sms_segments(v_body), false);
  return '{}'::jsonb;
end
$$;
comment on function public.send_sms_hook(jsonb) is
  'Supabase Auth Send-SMS hook: queue the one-time code as a transactional SMS for the SMS worker. {} or {"error": {"http_code", "message"}}.';
revoke execute on function public.send_sms_hook(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.send_sms_hook(jsonb) to supabase_auth_admin;
-- Supabase's hook documentation: Auth must be able to look the function up in public.
grant usage on schema public to supabase_auth_admin;
