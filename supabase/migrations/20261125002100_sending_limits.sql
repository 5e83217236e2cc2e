-- Sending limits decided at claim time (COMPLIANCE.md, issue 15 items 6 and 7):
--
-- * The daily cap charges what is sent, not each claim. A message is charged once per day
--   (messages.cap_charged_on): claimed again after a crash, an expired lease, a retryable error or
--   an unresolved ambiguous send, it costs nothing more. A message that ends without reaching the
--   provider (cancelled, or failed with no provider id) gives its segments back through
--   private.sender_cap_refunds, which the next claim of that sender folds into its bucket (the
--   refund never waits for the bucket row a claim holds).
-- * A transactional reserve on every sender (senders.transactional_reserve_percent, default 10 %
--   of the daily cap) that marketing may not use: one-time codes and replies are never starved by
--   a blast that exhausted the day.
-- * A per-recipient frequency cap for marketing texts (messaging_settings.marketing_texts_per_day,
--   default 3 per 24 h as Florida requires), enforced like quiet hours: a recipient at the cap
--   waits (blast recipients stay pending, queued messages stay queued), nothing is dropped.
--
-- Defined here (they need this file's columns and helpers): private.lock_sender_bucket(uuid,
-- timestamptz), private.spend_sender_tokens (the cap charge apart from the rate cost) and
-- public.claim_outbound_messages(text, text, integer, integer, timestamptz), whose contract is
-- the outbox's (20261122000900_outbox.sql).

-- ============================================================================================
-- Tables and columns
-- ============================================================================================

alter table public.senders
  add column transactional_reserve_percent smallint not null default 10
    check (transactional_reserve_percent between 0 and 100);
comment on column public.senders.transactional_reserve_percent is
  'Share of daily_cap that marketing may not use, kept for one-time codes, replies and other transactional texts.';

alter table public.messaging_settings
  add column marketing_texts_per_day integer not null default 3
    check (marketing_texts_per_day between 1 and 100);
comment on column public.messaging_settings.marketing_texts_per_day is
  'At most this many marketing texts per recipient in any 24 hours (Florida: 3); more wait, like quiet hours.';

alter table public.messages add column cap_charged_on date;
comment on column public.messages.cap_charged_on is
  'The organisation day whose sender daily cap this message''s segments were charged to (once, however often it is claimed).';

-- Not exposed (schema private): written by a trigger, folded by the next claim of the sender.
create table private.sender_cap_refunds (
  id bigint generated always as identity primary key,
  sender_id uuid not null references public.senders (id) on delete cascade,
  cap_day date not null,
  segments integer not null check (segments > 0)
);
comment on table private.sender_cap_refunds is
  'Daily-cap charges to give back: messages that ended without reaching the provider. Folded into private.sender_rate_buckets by the next claim.';
create index sender_cap_refunds_sender_id_idx on private.sender_cap_refunds (sender_id);

-- The frequency cap counts a recipient's recent marketing texts.
create index messages_marketing_sms_contact_idx on public.messages (contact_id, created_at)
  where is_marketing and channel = 'sms' and direction = 'outbound';

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- SECURITY DEFINER: messages change status under many callers (workers, webhooks, staff
-- cancelling a blast); none of them may write the private refunds table directly.
create function private.messages_refund_daily_cap() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.sender_cap_refunds (sender_id, cap_day, segments)
  values (new.sender_id, new.cap_charged_on, greatest(new.segments, 1));
  return null;
end
$$;
comment on function private.messages_refund_daily_cap() is
  'Trigger: a charged message that ended without reaching the provider gives its segments back to its sender''s daily cap.';

create trigger messages_refund_daily_cap after update of status on public.messages
  for each row
  when (new.status in ('failed', 'cancelled') and old.status in ('queued', 'sending')
        and new.provider_id is null and new.cap_charged_on is not null and new.sender_id is not null)
  execute function private.messages_refund_daily_cap();

-- ============================================================================================
-- Helpers
-- ============================================================================================

-- Also folds the sender's refunds (for the bucket's current day) into used_today.
create function private.lock_sender_bucket(p_sender_id uuid, p_now timestamptz)
returns private.sender_rate_buckets
language plpgsql
set search_path = ''
as $$
declare
  v_sender public.senders;
  v_bucket private.sender_rate_buckets;
  v_day date := (p_now at time zone (private.messaging_settings()).org_time_zone)::date;
  v_elapsed numeric;
  v_refunded integer;
begin
  select * into v_sender from public.senders where id = p_sender_id;
  insert into private.sender_rate_buckets (sender_id, tokens, refilled_at, cap_day)
  values (p_sender_id, v_sender.mps_segments, p_now, v_day)
  on conflict (sender_id) do nothing;
  select * into v_bucket from private.sender_rate_buckets b
  where b.sender_id = p_sender_id
  for update skip locked;
  if not found then
    return null;
  end if;
  -- Clocks of different callers may disagree slightly: time never runs backwards for a bucket.
  v_elapsed := greatest(0, extract(epoch from p_now - v_bucket.refilled_at));
  v_bucket.tokens := least(v_sender.mps_segments, v_bucket.tokens + v_elapsed * v_sender.mps_segments);
  v_bucket.refilled_at := greatest(v_bucket.refilled_at, p_now);
  if v_day > v_bucket.cap_day then
    v_bucket.cap_day := v_day;
    v_bucket.used_today := 0;
  end if;
  -- Refunds of an earlier day are dropped: that day's cap is over.
  with refunded as (
    delete from private.sender_cap_refunds f where f.sender_id = p_sender_id
    returning f.cap_day, f.segments
  )
  select coalesce(sum(r.segments) filter (where r.cap_day = v_bucket.cap_day), 0) into v_refunded from refunded r;
  v_bucket.used_today := greatest(0, v_bucket.used_today - v_refunded);
  return v_bucket;
end
$$;
comment on function private.lock_sender_bucket(uuid, timestamptz) is
  'Lock and refill a sender''s token bucket (skip locked: null when another claimer holds it).';

create function private.marketing_daily_cap(p_sender public.senders) returns integer
language sql
immutable
set search_path = ''
as $$
  select p_sender.daily_cap - floor(p_sender.daily_cap * p_sender.transactional_reserve_percent / 100.0)::integer
$$;
comment on function private.marketing_daily_cap(public.senders) is
  'The part of a sender''s daily cap marketing may use (the rest is the transactional reserve); null = no cap.';

-- Why a bucket cannot pay for a message now: 'rate' (wait for tokens: stop claiming from this
-- sender), 'daily_cap' (no room today for this kind of message), or null (it can). p_cap_cost is
-- 0 for a message already charged today.
create function private.bucket_refusal(
  p_bucket private.sender_rate_buckets,
  p_sender public.senders,
  p_cost integer,
  p_cap_cost integer,
  p_is_marketing boolean
) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when not (p_bucket.tokens >= p_cost or p_bucket.tokens >= p_sender.mps_segments) then 'rate'
    when p_sender.daily_cap is not null and p_cap_cost > 0
         and p_bucket.used_today + p_cap_cost > case when p_is_marketing then private.marketing_daily_cap(p_sender)
                                                     else p_sender.daily_cap end then 'daily_cap'
  end
$$;
comment on function private.bucket_refusal(private.sender_rate_buckets, public.senders, integer, integer, boolean) is
  'Null when the bucket can pay for a message (rate tokens; daily cap minus the transactional reserve for marketing), else rate or daily_cap.';

-- The check is private.bucket_refusal (which says why a bucket cannot pay); the cap is charged
-- apart from the rate tokens (p_cap_cost: 0 for a message already charged today). The claim's
-- one place for the bucket arithmetic.
create function private.spend_sender_tokens(
  p_bucket private.sender_rate_buckets,
  p_cost integer,
  p_cap_cost integer
) returns private.sender_rate_buckets
language plpgsql
immutable
set search_path = ''
as $$
begin
  p_bucket.tokens := p_bucket.tokens - p_cost;
  p_bucket.used_today := p_bucket.used_today + p_cap_cost;
  return p_bucket;
end
$$;
comment on function private.spend_sender_tokens(private.sender_rate_buckets, integer, integer) is
  'The bucket after paying p_cost rate tokens and charging p_cap_cost segments to the day''s cap (check private.bucket_refusal first).';

-- Marketing texts a contact got, or is being sent, in the 24 hours before p_now (p_except: the
-- message being claimed, which must not count against itself). PL/pgSQL rather than SQL: the
-- claim calls it once per recipient, and PL/pgSQL keeps its plan between calls.
create function private.recent_marketing_texts(p_contact_id uuid, p_now timestamptz, p_except uuid)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select count(*)::integer from public.messages m
    where m.contact_id = p_contact_id and m.is_marketing and m.channel = 'sms' and m.direction = 'outbound'
      and m.created_at > p_now - interval '24 hours' and m.created_at <= p_now
      and m.id is distinct from p_except
      and (m.status in ('sending', 'sent', 'delivered', 'undelivered')
           or (m.status = 'queued' and m.claimed_by is not null and m.lease_expires_at >= p_now)));
end
$$;
comment on function private.recent_marketing_texts(uuid, timestamptz, uuid) is
  'Marketing SMS to a contact sent or in flight in the 24 hours before p_now (the frequency cap''s count).';

-- True when one more marketing text may go to the contact now. Takes a per-contact lock (held to
-- the claim's commit, never waited for) so two claimers cannot both see room for the last text.
create function private.frequency_cap_allows(
  p_contact_id uuid,
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
    pg_try_advisory_xact_lock(hashtextextended('marketing_texts:' || p_contact_id::text, 0))
    and private.recent_marketing_texts(p_contact_id, p_now, p_except) < p_per_day);
end
$$;
comment on function private.frequency_cap_allows(uuid, timestamptz, integer, uuid) is
  'Whether one more marketing text may go to a contact now (marketing_texts_per_day in 24 h); false also while another claimer holds the contact.';

-- ============================================================================================
-- Claim (the outbox's contract)
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
  v_channel public.message_channel;
  v_settings public.messaging_settings := private.messaging_settings();
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
  if p_channel not in ('sms', 'email') then
    raise exception using errcode = 'P0001', message = 'unknown_channel', detail = p_channel;
  end if;
  if p_limit is null or p_limit < 1 then
    return;
  end if;
  v_channel := p_channel::public.message_channel;
  perform private.start_due_blasts(p_now);

  for v_sender in
    select * from public.senders s where s.channel = v_channel and s.enabled order by s.id
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
      where m.status = 'queued' and m.channel = v_channel and m.sender_id = v_sender.id
        and m.direction = 'outbound'
        and (m.lease_expires_at is null or m.lease_expires_at < p_now)
        and (m.next_attempt_at is null or m.next_attempt_at <= p_now)
      order by case m.kind when 'transactional' then 0 when 'auto_reply' then 1 when 'conversation' then 1
                           when 'automation' then 2 else 3 end, m.created_at
      limit p_limit - v_taken
      for update of m skip locked
    loop
      v_blocker := private.send_blocker(v_message.contact_id, v_channel, v_message.to_address,
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
      if v_message.is_marketing and v_channel = 'sms' and not private.frequency_cap_allows(
           v_message.contact_id, p_now, v_settings.marketing_texts_per_day, v_message.id) then
        continue;
      end if;
      v_bucket := private.spend_sender_tokens(v_bucket, v_cost, v_cap_cost);
      v_validity := case when v_message.is_marketing and v_channel = 'sms' then
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
      where b.status = 'sending'
        and v_sender.id = case v_channel when 'sms' then b.sms_sender_id else b.email_sender_id end
      order by b.started_at, b.id
    loop
      exit when v_rate_exhausted or v_taken >= p_limit;
      for v_recipient in
        select r.* from public.blast_recipients r
        where r.blast_id = v_blast_id and r.channel = v_channel and r.status = 'pending'
          and private.within_send_window(p_now, r.time_zone, v_window.window_start, v_window.window_end)
          and (v_channel = 'email'
               or private.recent_marketing_texts(r.contact_id, p_now, null) < v_settings.marketing_texts_per_day)
        order by r.id
        limit p_limit - v_taken
        for update skip locked
      loop
        v_blocker := private.send_blocker(v_recipient.contact_id, v_channel, v_recipient.to_address,
          true, v_settings);
        if v_blocker is not null then
          update public.blast_recipients set status = 'skipped', skip_reason = v_blocker where id = v_recipient.id;
          perform private.add_blast_counts(v_recipient.blast_id, p_skipped => 1);
          continue;
        end if;
        -- Recheck under the contact's lock: another claimer may have just taken their last text.
        continue when v_channel = 'sms' and not private.frequency_cap_allows(
          v_recipient.contact_id, p_now, v_settings.marketing_texts_per_day, null);
        v_cost := case v_channel when 'sms' then greatest(coalesce(v_recipient.segments, public.sms_segments(v_recipient.body)), 1) else 1 end;
        v_refusal := private.bucket_refusal(v_bucket, v_sender, v_cost, v_cost, true);
        if v_refusal is not null then
          -- Out of tokens, or marketing's share of the day is used up: no more blast rows now.
          v_rate_exhausted := true;
          exit;
        end if;
        v_bucket := private.spend_sender_tokens(v_bucket, v_cost, v_cost);
        v_validity := case when v_channel = 'sms' then
          private.marketing_validity_seconds(p_now, v_recipient.time_zone, v_window.window_end,
            v_settings.marketing_validity_seconds) end;
        insert into public.messages (direction, kind, channel, status, contact_id, sender_id, blast_id,
          blast_recipient_id, to_address, from_address, subject, body, segments, is_marketing,
          recipient_time_zone, validity_period_seconds, claimed_by, lease_expires_at, created_at, cap_charged_on)
        values ('outbound', 'blast', v_channel, 'queued', v_recipient.contact_id, v_sender.id, v_recipient.blast_id,
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
  'Workers: claim up to p_limit outbound messages of a channel under lease, paced by each sender''s rate tokens (segments) and daily cap (charged once per message; marketing leaves the transactional reserve); consent, suppressions, blast state, quiet hours and the marketing frequency cap are rechecked here.';
revoke execute on function public.claim_outbound_messages(text, text, integer, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_outbound_messages(text, text, integer, integer, timestamptz) to service_role;
