-- The workers' claim reads its channel's rules from private.channels (issue 12, item 7): what
-- claim_outbound_messages decided by naming 'sms' or 'email' is now a column of the channel's
-- row, so a channel claimed like SMS (capped, billed in segments, given a validity period) or
-- like email (an HTML part) is its row, not a change to the claim.
--
--   frequency_cap_setting  the messaging_settings column capping marketing per recipient in any
--                          24 hours on the channel (SMS: marketing_texts_per_day, Florida's 3);
--                          null = no cap (email). The cap counts that channel's messages.
--   validity_period        marketing gets a validity period ending with the send window, so
--                          the provider drops what it could only deliver in quiet hours (SMS:
--                          Twilio's ValidityPeriod).
--   billed_in_segments     a blast row costs its SMS segments in rate tokens and daily cap;
--                          else one per message.
--   html_part              the v2 claim renders an HTML part (public.email_html) for it.
--
-- The workers' contract does not change: the claims' signatures and result columns are the
-- outbox's (20261122000900_outbox.sql), and a worker still claims one channel by name.
--
-- Moved here, each with its final body (the files they came from say so where they were):
--   public.claim_outbound_messages (from 20261125002100_sending_limits.sql),
--   public.claim_outbound_messages_v2 (from 20261126040000_email_html.sql),
--   private.recent_marketing_texts → private.recent_marketing_messages and
--   private.frequency_cap_allows (from 20261125002100_sending_limits.sql; both take the channel
--   now), private.blast_preview_groups (from 20261125024000_blast_preview_sample.sql), and the
--   frequency cap's partial index (messages_marketing_sms_contact_idx, now per channel:
--   messages_marketing_contact_idx).

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table private.channels
  add column frequency_cap_setting text check (frequency_cap_setting in ('marketing_texts_per_day')),
  add column validity_period boolean not null default false,
  add column billed_in_segments boolean not null default false,
  add column html_part boolean not null default false;
comment on column private.channels.frequency_cap_setting is
  'The messaging_settings column that caps marketing messages per recipient in any 24 hours on this channel (more wait, like quiet hours); null = no cap.';
comment on column private.channels.validity_period is
  'True when marketing gets a validity period ending with the send window, so the provider drops it rather than deliver it in quiet hours (Twilio ValidityPeriod).';
comment on column private.channels.billed_in_segments is
  'True when a message costs its SMS segments in rate tokens and daily cap; else one per message.';
comment on column private.channels.html_part is
  'True when the workers'' v2 claim gives its messages an HTML part (public.email_html).';

update private.channels
   set frequency_cap_setting = 'marketing_texts_per_day', validity_period = true, billed_in_segments = true
 where name = 'sms';
update private.channels set html_part = true where name = 'email';

-- The frequency cap counts a recipient's recent marketing messages on a capped channel.
create index messages_marketing_contact_idx on public.messages (contact_id, channel, created_at)
  where is_marketing and direction = 'outbound';

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- Picks the setting by name, as private.consent_allows_marketing does (to_jsonb of the settings
-- row would cost more than the rest of a claim's per-channel work).
create function private.channel_frequency_cap(p_rules private.channels, p_settings public.messaging_settings)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case p_rules.frequency_cap_setting
           when 'marketing_texts_per_day' then p_settings.marketing_texts_per_day
         end
$$;
comment on function private.channel_frequency_cap(private.channels, public.messaging_settings) is
  'Marketing messages a recipient may get on the channel in any 24 hours (null = no cap).';

-- Marketing messages a contact got on a channel, or is being sent, in the 24 hours before p_now
-- (p_except: the message being claimed, which must not count against itself). PL/pgSQL rather
-- than SQL: the claim calls it once per recipient, and PL/pgSQL keeps its plan between calls.
create function private.recent_marketing_messages(
  p_contact_id uuid,
  p_channel public.message_channel,
  p_now timestamptz,
  p_except uuid
) returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select count(*)::integer from public.messages m
    where m.contact_id = p_contact_id and m.channel = p_channel and m.is_marketing and m.direction = 'outbound'
      and m.created_at > p_now - interval '24 hours' and m.created_at <= p_now
      and m.id is distinct from p_except
      and (m.status in ('sending', 'sent', 'delivered', 'undelivered')
           or (m.status = 'queued' and m.claimed_by is not null and m.lease_expires_at >= p_now)));
end
$$;
comment on function private.recent_marketing_messages(uuid, public.message_channel, timestamptz, uuid) is
  'Marketing messages to a contact on a channel sent or in flight in the 24 hours before p_now (the frequency cap''s count).';

-- True when one more marketing message may go to the contact on the channel now. Takes a
-- per-contact lock (held to the claim's commit, never waited for) so two claimers cannot both
-- see room for the last one.
create function private.frequency_cap_allows(
  p_contact_id uuid,
  p_channel public.message_channel,
  p_now timestamptz,
  p_per_day integer,
  p_except uuid
) returns boolean
language plpgsql
volatile
set search_path = ''
as $$
begin
  return p_contact_id is null or (
    pg_try_advisory_xact_lock(hashtextextended('marketing_messages:' || p_channel::text || ':' || p_contact_id::text, 0))
    and private.recent_marketing_messages(p_contact_id, p_channel, p_now, p_except) < p_per_day);
end
$$;
comment on function private.frequency_cap_allows(uuid, public.message_channel, timestamptz, integer, uuid) is
  'Whether one more marketing message may go to a contact on a channel now (under the channel''s cap in 24 h); false also while another claimer holds the contact.';

-- The blasts table has one sender column per channel, as it has one default-template column
-- (private.blast_template_id): a channel without one has no blast sender.
create function private.blast_sender_id(p_blast public.blasts, p_channel public.message_channel) returns uuid
language sql
immutable
set search_path = ''
as $$
  select case p_channel when 'sms' then p_blast.sms_sender_id when 'email' then p_blast.email_sender_id end
$$;
comment on function private.blast_sender_id(public.blasts, public.message_channel) is
  'The sender a blast uses on a channel (null: the blast does not send on it).';

-- private.blast_preview_groups moved to 20261128020400_channel_rules.sql (quiet hours on every channel,
-- each in its blast sender's window, as the claim applies them).

-- ============================================================================================
-- Public functions: the claim (the outbox's contract)
-- ============================================================================================

-- SECURITY DEFINER: EXECUTE is granted to service_role only (the workers); it runs the private
-- helpers and writes counters, consent and suppressions as the owner.
create function public.claim_outbound_messages(
  p_worker_id text,
  p_channel text,
  p_limit integer default 50,
  p_lease_seconds integer default 30,
  p_now timestamptz default now()
) returns setof public.claimed_message
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rules private.channels;
  v_settings public.messaging_settings := private.messaging_settings();
  v_cap integer;
  v_sender public.senders;
  v_bucket private.sender_rate_buckets;
  v_window record;
  v_taken integer := 0;
  v_message public.messages;
  v_recipient public.blast_recipients;
  v_blocker text;
  v_refusal text;
  v_cost integer;
  v_cap_cost integer;
  v_rate_exhausted boolean;
  v_lease timestamptz := p_now + make_interval(secs => greatest(p_lease_seconds, 1));
  v_validity integer;
  v_blast_id uuid;
begin
  if p_worker_id is null or btrim(p_worker_id) = '' then
    raise exception using errcode = 'P0001', message = 'worker_id_required';
  end if;
  -- Compared as text: a name that is not a channel must be refused, not fail the enum cast.
  select * into v_rules from private.channels k where k.name::text = p_channel;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_channel', detail = p_channel;
  end if;
  if p_limit is null or p_limit < 1 then
    return;
  end if;
  v_cap := private.channel_frequency_cap(v_rules, v_settings);
  perform private.start_due_blasts(p_now);

  for v_sender in
    select * from public.senders s where s.channel = v_rules.name and s.enabled order by s.id
  loop
    exit when v_taken >= p_limit;
    -- Refill up to the moment the bucket is locked, not the transaction's start: time this call
    -- spent before (starting blasts, upkeep, earlier senders) would otherwise be credited to a
    -- later claim as extra burst.
    v_bucket := private.lock_sender_bucket(v_sender.id, p_now + (clock_timestamp() - statement_timestamp()));
    continue when v_bucket.sender_id is null;
    select * into v_window from private.sender_window(v_sender, v_settings);
    v_rate_exhausted := false;

    -- 1. Messages already in the outbox: transactional first, blasts last; expired leases return.
    for v_message in
      select m.* from public.messages m
      where m.status = 'queued' and m.channel = v_rules.name and m.sender_id = v_sender.id
        and m.direction = 'outbound'
        and (m.lease_expires_at is null or m.lease_expires_at < p_now)
        and (m.next_attempt_at is null or m.next_attempt_at <= p_now)
      order by case m.kind when 'transactional' then 0 when 'auto_reply' then 1 when 'conversation' then 1
                           when 'automation' then 2 else 3 end, m.created_at
      limit p_limit - v_taken
      for update of m skip locked
    loop
      v_blocker := private.send_blocker(v_message.contact_id, v_rules.name, v_message.to_address,
        v_message.is_marketing, v_settings);
      if v_blocker is not null then
        update public.messages set status = 'cancelled', error_code = v_blocker,
               error_message = 'Not sent: ' || v_blocker || ' at claim time.'
         where id = v_message.id;
        continue;
      end if;
      if v_message.blast_id is not null and not exists (
           select 1 from public.blasts b where b.id = v_message.blast_id and b.status = 'sending') then
        continue;
      end if;
      if v_message.is_marketing and not private.within_send_window(p_now,
           coalesce(v_message.recipient_time_zone, v_settings.org_time_zone), v_window.window_start, v_window.window_end) then
        continue;
      end if;
      v_cost := greatest(v_message.segments, 1);
      v_cap_cost := case when v_message.cap_charged_on is not distinct from v_bucket.cap_day then 0 else v_cost end;
      v_refusal := private.bucket_refusal(v_bucket, v_sender, v_cost, v_cap_cost, v_message.is_marketing);
      if v_refusal = 'rate' then
        v_rate_exhausted := true;
        exit;
      end if;
      -- Over the day's cap (for marketing: the part outside the transactional reserve) it waits;
      -- a transactional message further down may still fit.
      continue when v_refusal = 'daily_cap';
      if v_message.is_marketing and v_cap is not null and not private.frequency_cap_allows(
           v_message.contact_id, v_rules.name, p_now, v_cap, v_message.id) then
        continue;
      end if;
      v_bucket := private.spend_sender_tokens(v_bucket, v_cost, v_cap_cost);
      v_validity := case when v_message.is_marketing and v_rules.validity_period then
        private.marketing_validity_seconds(p_now, coalesce(v_message.recipient_time_zone, v_settings.org_time_zone),
          v_window.window_end, v_settings.marketing_validity_seconds) end;
      update public.messages set claimed_by = p_worker_id, lease_expires_at = v_lease,
             validity_period_seconds = coalesce(v_validity, validity_period_seconds),
             cap_charged_on = v_bucket.cap_day
       where id = v_message.id
      returning * into v_message;
      v_taken := v_taken + 1;
      return next private.claimed_row(v_message, v_sender);
    end loop;

    -- 2. Blast recipients still pending in the snapshot, inside their quiet-hours window and
    --    under their frequency cap, oldest blast first (each blast's pending rows come from its
    --    partial index). Both conditions are in the query so waiting rows never fill the limit;
    --    the cap is rechecked under a per-contact lock only for the rows taken.
    for v_blast_id in
      select b.id from public.blasts b
      where b.status = 'sending' and v_sender.id = private.blast_sender_id(b, v_rules.name)
      order by b.started_at, b.id
    loop
      exit when v_rate_exhausted or v_taken >= p_limit;
      for v_recipient in
        select r.* from public.blast_recipients r
        where r.blast_id = v_blast_id and r.channel = v_rules.name and r.status = 'pending'
          and private.within_send_window(p_now, r.time_zone, v_window.window_start, v_window.window_end)
          and (v_cap is null or private.recent_marketing_messages(r.contact_id, v_rules.name, p_now, null) < v_cap)
        order by r.id
        limit p_limit - v_taken
        for update skip locked
      loop
        v_blocker := private.send_blocker(v_recipient.contact_id, v_rules.name, v_recipient.to_address,
          true, v_settings);
        if v_blocker is not null then
          update public.blast_recipients set status = 'skipped', skip_reason = v_blocker where id = v_recipient.id;
          perform private.add_blast_counts(v_recipient.blast_id, p_skipped => 1);
          continue;
        end if;
        -- Recheck under the contact's lock: another claimer may have just taken their last one.
        continue when v_cap is not null and not private.frequency_cap_allows(
          v_recipient.contact_id, v_rules.name, p_now, v_cap, null);
        v_cost := case when v_rules.billed_in_segments
                       then greatest(coalesce(v_recipient.segments, public.sms_segments(v_recipient.body)), 1)
                       else 1 end;
        v_refusal := private.bucket_refusal(v_bucket, v_sender, v_cost, v_cost, true);
        if v_refusal is not null then
          -- Out of tokens, or marketing's share of the day is used up: no more blast rows now.
          v_rate_exhausted := true;
          exit;
        end if;
        v_bucket := private.spend_sender_tokens(v_bucket, v_cost, v_cost);
        v_validity := case when v_rules.validity_period then
          private.marketing_validity_seconds(p_now, v_recipient.time_zone, v_window.window_end,
            v_settings.marketing_validity_seconds) end;
        insert into public.messages (direction, kind, channel, status, contact_id, sender_id, blast_id,
          blast_recipient_id, to_address, from_address, subject, body, segments, is_marketing,
          recipient_time_zone, validity_period_seconds, claimed_by, lease_expires_at, created_at, cap_charged_on)
        values ('outbound', 'blast', v_rules.name, 'queued', v_recipient.contact_id, v_sender.id, v_recipient.blast_id,
          v_recipient.id, v_recipient.to_address,
          coalesce(v_sender.from_number::text, v_sender.messaging_service_sid, v_sender.from_email),
          v_recipient.subject, v_recipient.body, v_cost, true, v_recipient.time_zone, v_validity,
          p_worker_id, v_lease, p_now, v_bucket.cap_day)
        returning * into v_message;
        update public.blast_recipients set status = 'materialised', message_id = v_message.id, segments = v_cost
         where id = v_recipient.id;
        v_taken := v_taken + 1;
        return next private.claimed_row(v_message, v_sender);
      end loop;
    end loop;
    perform private.save_sender_bucket(v_bucket);
  end loop;
  -- Last, so the counter deltas it folds (and locks) are released by the commit right after.
  perform private.blast_upkeep();
  return;
end
$$;
comment on function public.claim_outbound_messages(text, text, integer, integer, timestamptz) is
  'Workers: claim up to p_limit outbound messages of a channel under lease, paced by each sender''s rate tokens (segments) and daily cap (charged once per message; marketing leaves the transactional reserve); consent, suppressions, blast state, quiet hours and the channel''s marketing frequency cap are rechecked here. The channel''s rules are its private.channels row.';
revoke execute on function public.claim_outbound_messages(text, text, integer, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_outbound_messages(text, text, integer, integer, timestamptz) to service_role;

-- Invoker rights: the workers' role reads the claimed messages' contacts for their language;
-- version 1 (a definer) does the claiming and all its checks. PL/pgSQL, in two statements: the
-- second one's snapshot sees the messages the claim has just written for blast recipients (one
-- SQL statement joining them saw none, and every blast email took the default language).
create function public.claim_outbound_messages_v2(
  p_worker_id text,
  p_channel text,
  p_limit integer default 50,
  p_lease_seconds integer default 30,
  p_now timestamptz default now()
) returns table (
  message_id uuid, channel text, kind text, to_address text, from_address text,
  messaging_service_sid text, from_name text, reply_to text, subject text, body text,
  media_urls text[], is_marketing boolean, validity_period_seconds integer, blast_id uuid,
  sender_id uuid, segments integer, attempts integer, html text
)
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_claimed public.claimed_message[] := array(
    select c from public.claim_outbound_messages(p_worker_id, p_channel, p_limit, p_lease_seconds, p_now) c);
begin
  return query
  select c.message_id, c.channel, c.kind, c.to_address, c.from_address, c.messaging_service_sid,
         c.from_name, c.reply_to, c.subject, c.body, c.media_urls, c.is_marketing,
         c.validity_period_seconds, c.blast_id, c.sender_id, c.segments, c.attempts,
         -- The recipient's language is looked up only for a message that gets an HTML part:
         -- texts, most of the claims, pay nothing for it.
         case when k.html_part then
           public.email_html(c.body, c.subject, s.org_name,
                             coalesce((select ct.preferred_language
                                       from public.messages m join public.contacts ct on ct.id = m.contact_id
                                       where m.id = c.message_id), s.default_language),
                             case when c.is_marketing then '{{unsubscribe_url}}' end)
         end
  from unnest(v_claimed) with ordinality as c
  cross join lateral private.messaging_settings() s
  join private.channels k on k.name::text = c.channel
  order by c.ordinality;
end
$$;
comment on function public.claim_outbound_messages_v2(text, text, integer, integer, timestamptz) is
  'Workers: claim_outbound_messages plus, on a channel with an HTML part (email), each message''s HTML (public.email_html; the marketing footer links to {{unsubscribe_url}}, which the worker fills in).';
revoke execute on function public.claim_outbound_messages_v2(text, text, integer, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_outbound_messages_v2(text, text, integer, integer, timestamptz) to service_role;
