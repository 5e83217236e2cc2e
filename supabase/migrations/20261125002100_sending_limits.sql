-- Sending limits decided at claim time (docs/compliance.md; issue 15 items 6 and 7):
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
-- timestamptz) and private.spend_sender_tokens (the cap charge apart from the rate cost). The
-- claim that uses them, public.claim_outbound_messages, and the frequency cap's count, lock and
-- index are in 20261127010000_channel_claim.sql (the cap is a channel's rule there).

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

-- The frequency cap's index moved to 20261127010000_channel_claim.sql (one per channel there).

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

-- private.recent_marketing_texts and private.frequency_cap_allows moved to
-- 20261127010000_channel_claim.sql (as private.recent_marketing_messages and
-- private.frequency_cap_allows, each with the channel whose cap it checks).

-- ============================================================================================
-- Claim (the outbox's contract)
-- ============================================================================================

-- public.claim_outbound_messages moved to 20261127010000_channel_claim.sql (its channel's rules
-- are the channel's private.channels row).
