-- Dashboard (issue 16, performance): the dashboard's views read small rollup tables instead of
-- scanning every message, contact, check-in and consent event on each page load.
--
-- Why triggers and not a worker refresh: the charts "update live" and the views' values must be
-- exactly the database's at every moment (pgTAP 730 reads them in the transaction that wrote
-- the rows). So the rollups are maintained in the writing transaction, by statement-level
-- triggers with transition tables (one pass per statement: a blast that materialises 1,000
-- messages costs one set-based update, not 1,000). Two kinds of rollup:
--   * additive counters (messages per day and status; blast results per variant) take deltas,
--     spread over 16 per-backend slots (as private.blast_counter_deltas does) so concurrent
--     senders and webhooks never wait on one hot row; the views add the slots up;
--   * facts that are not additive (a contact texted / replied / opted out on a day; one blast
--     recipient's outcome, which a later inbound reply can flip) are recomputed from the base
--     tables for just the keys a statement touched, under a per-key advisory lock so that two
--     concurrent writers of one key serialise and the later one reads the earlier's commit.
-- A change of the organisation's time zone (it moves every "day") or a TRUNCATE of a source
-- table rebuilds everything (private.rebuild_dashboard_rollups).
--
-- Security: the rollup tables live in `private` (not exposed through the API) with RLS: like the
-- messages and blasts they come from, only organizers and up read them. The views stay
-- security_invoker, so their meaning per role is unchanged (volunteers and attendees read no
-- messaging numbers, anon is refused). Writes happen only in the SECURITY DEFINER triggers.
--
-- Moved here from …001300_dashboards (their final definitions): every view of that file —
-- dashboard_contact_totals, dashboard_contacts_per_month, dashboard_checkins_per_event,
-- message_daily_stats, messaging_daily_rates and blast_variant_results; and
-- dashboard_consent_growth from …012100_dashboard_consent_growth.

-- ============================================================================================
-- Types
-- ============================================================================================

-- A row of the messages transition tables, signed: +1 as it is now, -1 as it was.
create type private.dashboard_message_change as (
  sign integer,
  id uuid,
  direction public.message_direction,
  kind public.message_kind,
  channel public.message_channel,
  status public.message_status,
  segments integer,
  contact_id uuid,
  created_at timestamptz
);
comment on type private.dashboard_message_change is
  'A messages row as a statement changed it: sign +1 (new) or -1 (old), and the columns the dashboard counts.';

-- A contacts row as a statement changed it, reduced to what the contact counters count.
create type private.dashboard_contact_change as (
  sign integer,
  created_at timestamptz,
  active boolean,
  phone boolean,
  email boolean,
  signed_up boolean
);
comment on type private.dashboard_contact_change is
  'A contacts row as a statement changed it: sign +1 (new) or -1 (old); active = neither erased nor merged.';

-- ============================================================================================
-- Tables
-- ============================================================================================

create table private.dashboard_message_days (
  day date not null,
  channel public.message_channel not null,
  direction public.message_direction not null,
  kind public.message_kind not null,
  status public.message_status not null,
  slot smallint not null,
  messages bigint not null default 0,
  segments bigint not null default 0,
  primary key (day, channel, direction, kind, status, slot)
);
comment on table private.dashboard_message_days is
  'Messages and SMS segments per organisation-time-zone day, channel, direction, kind and status, as deltas in per-backend slots (sum the slots). Feeds public.message_daily_stats.';

create table private.dashboard_sms_contact_days (
  day date not null,
  contact_id uuid not null,
  texted boolean not null,
  replied boolean not null,
  opted_out boolean not null,
  primary key (day, contact_id)
);
comment on table private.dashboard_sms_contact_days is
  'Per organisation-time-zone day and contact: texted (an outbound blast, conversation or automation SMS), replied (an inbound message within 3 days after one of that day''s texts), opted out of SMS. Feeds public.messaging_daily_rates.';

create table private.dashboard_sms_day_counts (
  day date not null,
  slot smallint not null,
  texted integer not null default 0,
  replied integer not null default 0,
  opted_out integer not null default 0,
  primary key (day, slot)
);
comment on table private.dashboard_sms_day_counts is
  'Per organisation-time-zone day: contacts texted, replied and opted out (the sums of dashboard_sms_contact_days), as deltas in per-backend slots. Feeds public.messaging_daily_rates.';

create table private.dashboard_contact_months (
  month timestamptz not null,
  slot smallint not null,
  contacts integer not null default 0,
  with_phone integer not null default 0,
  with_email integer not null default 0,
  signed_up integer not null default 0,
  primary key (month, slot)
);
comment on table private.dashboard_contact_months is
  'Per month a contact was created in: contacts (not erased or merged), of them with phone and with email, and all signed up; deltas in per-backend slots. Feeds the contact totals and contacts per month.';

create table private.dashboard_check_in_facts (
  check_in_id uuid primary key,
  event_id uuid not null,
  contact_id uuid not null,
  first_time boolean not null
);
comment on table private.dashboard_check_in_facts is
  'Whether each check-in is its contact''s first ever (as last counted, so a change adds only its difference).';
create index dashboard_check_in_facts_contact_idx on private.dashboard_check_in_facts (contact_id);

create table private.dashboard_event_check_in_counts (
  event_id uuid not null references public.events (id) on delete cascade,
  slot smallint not null,
  check_ins integer not null default 0,
  first_timers integer not null default 0,
  primary key (event_id, slot)
);
comment on table private.dashboard_event_check_in_counts is
  'Check-ins and first-timers per event, as deltas in per-backend slots. Feeds public.dashboard_checkins_per_event.';

create table private.dashboard_consent_facts (
  event_id bigint primary key,
  contact_id uuid not null,
  channel public.message_channel not null,
  month timestamptz not null,
  opted_in integer not null,
  opted_out integer not null
);
comment on table private.dashboard_consent_facts is
  'What each consent-ledger event changed (1 = moved the contact in / out on its channel, 0 = a repeat), as last counted.';
create index dashboard_consent_facts_contact_idx on private.dashboard_consent_facts (contact_id);

create table private.dashboard_consent_months (
  channel public.message_channel not null,
  month timestamptz not null,
  slot smallint not null,
  events integer not null default 0,
  opted_in integer not null default 0,
  opted_out integer not null default 0,
  primary key (channel, month, slot)
);
comment on table private.dashboard_consent_months is
  'Per channel and month: ledger events, contacts moved in and moved out, as deltas in per-backend slots. Feeds public.dashboard_consent_growth.';

create table private.dashboard_blast_recipient_facts (
  recipient_id bigint primary key,
  blast_id uuid not null,
  channel public.message_channel not null,
  variant text,
  skipped boolean not null,
  sent boolean not null,
  delivered boolean not null,
  failed boolean not null,
  opted_out boolean not null,
  replied boolean not null
);
comment on table private.dashboard_blast_recipient_facts is
  'One blast recipient''s outcome as the results count it (the last value added to the per-variant counters, so a change adds only its difference).';

create table private.dashboard_blast_variant_counts (
  blast_id uuid not null references public.blasts (id) on delete cascade,
  channel public.message_channel not null,
  variant text,
  slot smallint not null,
  recipients integer not null default 0,
  skipped integer not null default 0,
  sent integer not null default 0,
  delivered integer not null default 0,
  failed integer not null default 0,
  opted_out integer not null default 0,
  replied integer not null default 0,
  constraint dashboard_blast_variant_counts_key unique nulls not distinct (blast_id, channel, variant, slot)
);
comment on table private.dashboard_blast_variant_counts is
  'Blast results per blast, channel and A/B variant, as deltas in per-backend slots (sum the slots). Feeds public.blast_variant_results.';

-- A changed message finds the recipient it became (the results join on this column).
create index blast_recipients_message_id_idx on public.blast_recipients (message_id) where message_id is not null;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on private.dashboard_message_days, private.dashboard_sms_contact_days,
  private.dashboard_sms_day_counts, private.dashboard_contact_months, private.dashboard_check_in_facts,
  private.dashboard_event_check_in_counts, private.dashboard_consent_facts, private.dashboard_consent_months,
  private.dashboard_blast_recipient_facts, private.dashboard_blast_variant_counts
  from public, anon, authenticated, service_role;
grant select on private.dashboard_message_days, private.dashboard_sms_contact_days,
  private.dashboard_sms_day_counts, private.dashboard_contact_months,
  private.dashboard_event_check_in_counts, private.dashboard_consent_months,
  private.dashboard_blast_variant_counts
  to authenticated, service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table private.dashboard_message_days enable row level security;
alter table private.dashboard_sms_contact_days enable row level security;
alter table private.dashboard_sms_day_counts enable row level security;
alter table private.dashboard_contact_months enable row level security;
alter table private.dashboard_check_in_facts enable row level security;
alter table private.dashboard_event_check_in_counts enable row level security;
alter table private.dashboard_consent_facts enable row level security;
alter table private.dashboard_consent_months enable row level security;
alter table private.dashboard_blast_recipient_facts enable row level security;
alter table private.dashboard_blast_variant_counts enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.dashboard_time_zone() returns text
language sql
stable
set search_path = ''
as $$
  select s.org_time_zone from public.messaging_settings s where s.id
$$;
comment on function private.dashboard_time_zone() is
  'The organisation''s time zone, in which the dashboard''s days are counted.';

-- Facts that are recomputed (not added up) need concurrent writers of one key to take turns:
-- otherwise a text and the reply to it, written at the same moment, each miss the other. Keys
-- map to one of 64 buckets per kind (1 = SMS contact days by contact, 2 = blast recipients), so
-- a statement holds at most 64 advisory locks however many rows it touches; a bucket is held to
-- the end of the transaction, and taken in order.
create function private.dashboard_bucket(p_key text) returns integer
language sql
immutable
set search_path = ''
as $$
  select pg_catalog.hashtext(p_key) & 63
$$;
comment on function private.dashboard_bucket(text) is
  'The lock bucket (0-63) of a dashboard fact''s key.';

create function private.lock_dashboard_buckets(p_kind integer, p_buckets integer[]) returns void
language sql
set search_path = ''
as $$
  select count(pg_catalog.pg_advisory_xact_lock(830000 + p_kind, b.bucket))
    from (select distinct u.bucket from unnest(p_buckets) as u(bucket) order by 1) b
$$;
comment on function private.lock_dashboard_buckets(integer, integer[]) is
  'Take the transaction-level advisory locks of the given buckets of one kind of dashboard fact, in order.';

-- SECURITY DEFINER (as every writer below): messages, consent and recipients are written by
-- staff, workers and webhooks alike, and nobody is granted writes on the rollups. Callable only
-- from the triggers (no grant).
create function private.refresh_sms_contact_days(p_days date[], p_contacts uuid[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
begin
  -- A later writer of the same contact waits here and then reads the earlier one's commit (each
  -- statement below takes a fresh snapshot).
  perform private.lock_dashboard_buckets(1, array(
    select distinct private.dashboard_bucket(u.contact_id::text) from unnest(p_contacts) as u(contact_id)
     where u.contact_id is not null));
  -- A day in the organisation's zone lies within [day - 1, day + 2) in UTC: that range uses the
  -- (contact_id, created_at) indexes, the exact day test keeps the value exact.
  with keys as (
    select distinct u.day, u.contact_id,
           (u.day - 1)::timestamp at time zone 'UTC' as lo, (u.day + 2)::timestamp at time zone 'UTC' as hi
      from unnest(p_days, p_contacts) as u(day, contact_id)
     where u.contact_id is not null
  ),
  texts as (
    select k.day, k.contact_id, k.lo, k.hi, o.first_at, o.last_at
      from keys k
      cross join lateral (
        select min(m.created_at) as first_at, max(m.created_at) as last_at
          from public.messages m
         where m.contact_id = k.contact_id and m.created_at >= k.lo and m.created_at < k.hi
           and (m.created_at at time zone v_tz)::date = k.day
           and m.direction = 'outbound' and m.channel = 'sms' and m.kind in ('blast', 'conversation', 'automation')
      ) o
  ),
  now_facts as (
    select t.day, t.contact_id, t.first_at is not null as texted,
           -- Replied within 3 days after one of the day's texts. The texts of one day span less
           -- than 3 days, so that is exactly: an inbound message after the first text and before
           -- the last text + 3 days.
           t.first_at is not null and exists (
             select 1 from public.messages i
              where i.contact_id = t.contact_id and i.direction = 'inbound'
                and i.created_at > t.first_at and i.created_at < t.last_at + interval '3 days') as replied,
           exists (
             select 1 from public.consent_events e
              where e.contact_id = t.contact_id and e.channel = 'sms' and e.status = 'opted_out'
                and e.created_at >= t.lo and e.created_at < t.hi
                and (e.created_at at time zone v_tz)::date = t.day) as opted_out
      from texts t
  ),
  was_facts as (
    select d.* from private.dashboard_sms_contact_days d join keys k on k.day = d.day and k.contact_id = d.contact_id
  ),
  deltas as (
    select c.day, sum(c.sign * c.texted::integer)::integer as texted,
           sum(c.sign * c.replied::integer)::integer as replied,
           sum(c.sign * c.opted_out::integer)::integer as opted_out
      from (select 1 as sign, n.day, n.texted, n.replied, n.opted_out from now_facts n
            union all
            select -1, w.day, w.texted, w.replied, w.opted_out from was_facts w) c
     group by c.day
  ),
  stored as (
    insert into private.dashboard_sms_contact_days as d (day, contact_id, texted, replied, opted_out)
    select n.day, n.contact_id, n.texted, n.replied, n.opted_out from now_facts n where n.texted or n.opted_out
    on conflict (day, contact_id) do update
      set texted = excluded.texted, replied = excluded.replied, opted_out = excluded.opted_out
    returning d.day
  ),
  gone as (
    delete from private.dashboard_sms_contact_days d
     using now_facts n
     where d.day = n.day and d.contact_id = n.contact_id and not n.texted and not n.opted_out
    returning d.day
  )
  insert into private.dashboard_sms_day_counts as c (day, slot, texted, replied, opted_out)
  select d.day, (pg_catalog.pg_backend_pid() % 16)::smallint, d.texted, d.replied, d.opted_out
    from deltas d
   where (d.texted, d.replied, d.opted_out) <> (0, 0, 0)
   order by d.day
  on conflict (day, slot) do update
    set texted = c.texted + excluded.texted, replied = c.replied + excluded.replied,
        opted_out = c.opted_out + excluded.opted_out;
end
$$;
comment on function private.refresh_sms_contact_days(date[], uuid[]) is
  'Recompute the texted / replied / opted-out facts of the given (day, contact) pairs from messages and the consent ledger.';

create function private.refresh_blast_recipient_facts(p_recipient_ids bigint[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.lock_dashboard_buckets(2, array(
    select distinct private.dashboard_bucket(u.id::text) from unnest(p_recipient_ids) as u(id) where u.id is not null));
  with ids as (
    select distinct u.id from unnest(p_recipient_ids) as u(id) where u.id is not null
  ),
  now_facts as (
    select r.id as recipient_id, r.blast_id, r.channel, r.variant,
           r.status = 'skipped' as skipped,
           coalesce(m.status in ('sent', 'delivered', 'undelivered'), false) as sent,
           coalesce(m.status = 'delivered', false) as delivered,
           coalesce(m.status in ('failed', 'undelivered'), false) as failed,
           coalesce(m.recipient_opted_out_at is not null, false) as opted_out,
           m.id is not null and exists (
             select 1 from public.messages i
              where i.contact_id = m.contact_id and i.direction = 'inbound'
                and i.created_at > m.created_at and i.created_at < m.created_at + interval '3 days') as replied
      from ids
      join public.blast_recipients r on r.id = ids.id
      left join public.messages m on m.id = r.message_id
  ),
  was_facts as (
    select f.* from private.dashboard_blast_recipient_facts f join ids on ids.id = f.recipient_id
  ),
  changes as (
    select 1 as sign, n.blast_id, n.channel, n.variant, n.skipped, n.sent, n.delivered, n.failed, n.opted_out, n.replied
      from now_facts n
    union all
    select -1, w.blast_id, w.channel, w.variant, w.skipped, w.sent, w.delivered, w.failed, w.opted_out, w.replied
      from was_facts w
  ),
  deltas as (
    select c.blast_id, c.channel, c.variant,
           sum(c.sign)::integer as recipients,
           sum(c.sign * c.skipped::integer)::integer as skipped,
           sum(c.sign * c.sent::integer)::integer as sent,
           sum(c.sign * c.delivered::integer)::integer as delivered,
           sum(c.sign * c.failed::integer)::integer as failed,
           sum(c.sign * c.opted_out::integer)::integer as opted_out,
           sum(c.sign * c.replied::integer)::integer as replied
      from changes c
     group by c.blast_id, c.channel, c.variant
  ),
  stored as (
    insert into private.dashboard_blast_recipient_facts as f
    select n.* from now_facts n
    on conflict (recipient_id) do update
      set blast_id = excluded.blast_id, channel = excluded.channel, variant = excluded.variant,
          skipped = excluded.skipped, sent = excluded.sent, delivered = excluded.delivered,
          failed = excluded.failed, opted_out = excluded.opted_out, replied = excluded.replied
    returning f.recipient_id
  ),
  gone as (
    delete from private.dashboard_blast_recipient_facts f
     using ids
     where f.recipient_id = ids.id and not exists (select 1 from now_facts n where n.recipient_id = ids.id)
    returning f.recipient_id
  )
  insert into private.dashboard_blast_variant_counts as v
         (blast_id, channel, variant, slot, recipients, skipped, sent, delivered, failed, opted_out, replied)
  select d.blast_id, d.channel, d.variant, (pg_catalog.pg_backend_pid() % 16)::smallint,
         d.recipients, d.skipped, d.sent, d.delivered, d.failed, d.opted_out, d.replied
    from deltas d
   -- A blast deleted in this statement has no counters to keep (they go with it).
   where exists (select 1 from public.blasts b where b.id = d.blast_id)
     and (d.recipients, d.skipped, d.sent, d.delivered, d.failed, d.opted_out, d.replied) <> (0, 0, 0, 0, 0, 0, 0)
   order by d.blast_id, d.channel, d.variant
  on conflict on constraint dashboard_blast_variant_counts_key do update
    set recipients = v.recipients + excluded.recipients, skipped = v.skipped + excluded.skipped,
        sent = v.sent + excluded.sent, delivered = v.delivered + excluded.delivered,
        failed = v.failed + excluded.failed, opted_out = v.opted_out + excluded.opted_out,
        replied = v.replied + excluded.replied;
end
$$;
comment on function private.refresh_blast_recipient_facts(bigint[]) is
  'Recompute the given blast recipients'' outcomes and add the differences to the per-variant counters.';

create function private.refresh_check_in_facts(p_contacts uuid[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.lock_dashboard_buckets(3, array(
    select distinct private.dashboard_bucket(u.contact_id::text) from unnest(p_contacts) as u(contact_id)
     where u.contact_id is not null));
  -- A contact's first check-in is (one of) their earliest: recount all of their check-ins.
  with contacts as (
    select distinct u.contact_id from unnest(p_contacts) as u(contact_id) where u.contact_id is not null
  ),
  now_facts as (
    select ci.id as check_in_id, ci.event_id, ci.contact_id,
           ci.checked_in_at = min(ci.checked_in_at) over (partition by ci.contact_id) as first_time
      from public.check_ins ci
     where ci.contact_id in (select c.contact_id from contacts c)
  ),
  was_facts as (
    select f.* from private.dashboard_check_in_facts f where f.contact_id in (select c.contact_id from contacts c)
  ),
  deltas as (
    select c.event_id, sum(c.sign)::integer as check_ins, sum(c.sign * c.first_time::integer)::integer as first_timers
      from (select 1 as sign, n.event_id, n.first_time from now_facts n
            union all
            select -1, w.event_id, w.first_time from was_facts w) c
     group by c.event_id
  ),
  stored as (
    insert into private.dashboard_check_in_facts as f (check_in_id, event_id, contact_id, first_time)
    select n.check_in_id, n.event_id, n.contact_id, n.first_time from now_facts n
    on conflict (check_in_id) do update
      set event_id = excluded.event_id, contact_id = excluded.contact_id, first_time = excluded.first_time
    returning f.check_in_id
  ),
  gone as (
    delete from private.dashboard_check_in_facts f
     where f.contact_id in (select c.contact_id from contacts c)
       and not exists (select 1 from now_facts n where n.check_in_id = f.check_in_id)
    returning f.check_in_id
  )
  insert into private.dashboard_event_check_in_counts as e (event_id, slot, check_ins, first_timers)
  select d.event_id, (pg_catalog.pg_backend_pid() % 16)::smallint, d.check_ins, d.first_timers
    from deltas d
   -- An event deleted in this statement has no counters to keep (they go with it).
   where exists (select 1 from public.events ev where ev.id = d.event_id)
     and (d.check_ins, d.first_timers) <> (0, 0)
   order by d.event_id
  on conflict (event_id, slot) do update
    set check_ins = e.check_ins + excluded.check_ins, first_timers = e.first_timers + excluded.first_timers;
end
$$;
comment on function private.refresh_check_in_facts(uuid[]) is
  'Recount which of the given contacts'' check-ins are their first, adding the differences to the per-event counters.';

create function private.refresh_consent_facts(p_contacts uuid[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.lock_dashboard_buckets(4, array(
    select distinct private.dashboard_bucket(u.contact_id::text) from unnest(p_contacts) as u(contact_id)
     where u.contact_id is not null));
  -- Whether an event moved its contact in or out depends on the one before it: recount all of
  -- the given contacts' events.
  with contacts as (
    select distinct u.contact_id from unnest(p_contacts) as u(contact_id) where u.contact_id is not null
  ),
  changes as (
    select e.id, e.contact_id, e.channel, date_trunc('month', e.created_at) as month,
           (e.status = 'opted_in')::integer as now_in,
           coalesce(lag((e.status = 'opted_in')::integer)
                      over (partition by e.contact_id, e.channel order by e.created_at, e.id), 0) as was_in
      from public.consent_events e
     where e.contact_id in (select c.contact_id from contacts c)
  ),
  now_facts as (
    select c.id as event_id, c.contact_id, c.channel, c.month,
           (c.now_in = 1 and c.was_in = 0)::integer as opted_in, (c.now_in = 0 and c.was_in = 1)::integer as opted_out
      from changes c
  ),
  was_facts as (
    select f.* from private.dashboard_consent_facts f where f.contact_id in (select c.contact_id from contacts c)
  ),
  deltas as (
    select d.channel, d.month, sum(d.sign)::integer as events, sum(d.sign * d.opted_in)::integer as opted_in,
           sum(d.sign * d.opted_out)::integer as opted_out
      from (select 1 as sign, n.channel, n.month, n.opted_in, n.opted_out from now_facts n
            union all
            select -1, w.channel, w.month, w.opted_in, w.opted_out from was_facts w) d
     group by d.channel, d.month
  ),
  stored as (
    insert into private.dashboard_consent_facts as f (event_id, contact_id, channel, month, opted_in, opted_out)
    select n.event_id, n.contact_id, n.channel, n.month, n.opted_in, n.opted_out from now_facts n
    on conflict (event_id) do update
      set contact_id = excluded.contact_id, channel = excluded.channel, month = excluded.month,
          opted_in = excluded.opted_in, opted_out = excluded.opted_out
    returning f.event_id
  ),
  gone as (
    delete from private.dashboard_consent_facts f
     where f.contact_id in (select c.contact_id from contacts c)
       and not exists (select 1 from now_facts n where n.event_id = f.event_id)
    returning f.event_id
  )
  insert into private.dashboard_consent_months as m (channel, month, slot, events, opted_in, opted_out)
  select d.channel, d.month, (pg_catalog.pg_backend_pid() % 16)::smallint, d.events, d.opted_in, d.opted_out
    from deltas d
   where (d.events, d.opted_in, d.opted_out) <> (0, 0, 0)
   order by d.channel, d.month
  on conflict (channel, month, slot) do update
    set events = m.events + excluded.events, opted_in = m.opted_in + excluded.opted_in,
        opted_out = m.opted_out + excluded.opted_out;
end
$$;
comment on function private.refresh_consent_facts(uuid[]) is
  'Recount what the given contacts'' consent events changed, adding the differences to the per-month consent counters.';

-- Invoker: whether the caller reads every row of the tables a dashboard view counts (staff at
-- p_min, or a role that bypasses RLS); if so the view reads the rollups, which count every
-- row. Anyone else (an attendee) sees only the rows RLS shows them, counted live.
-- PL/pgSQL, not SQL: has_staff_level is not granted to the service role, and an inlined call
-- would be checked even where it is never reached.
create function private.dashboard_sees_everything(p_min public.staff_level) returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  if coalesce((select r.rolbypassrls from pg_catalog.pg_roles r where r.rolname = current_user), false) then
    return true;
  end if;
  return private.has_staff_level(p_min);
end
$$;
comment on function private.dashboard_sees_everything(public.staff_level) is
  'True when the caller reads every row a dashboard view counts: staff at p_min, or a role that bypasses RLS.';
grant execute on function private.dashboard_sees_everything(public.staff_level) to authenticated, service_role;

-- Everything a statement did to messages, applied to the three rollups.
create function private.roll_up_message_changes(p_changes private.dashboard_message_change[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
  v_days date[];
  v_contacts uuid[];
  v_recipients bigint[];
begin
  insert into private.dashboard_message_days as d (day, channel, direction, kind, status, slot, messages, segments)
  select (c.created_at at time zone v_tz)::date, c.channel, c.direction, c.kind, c.status,
         (pg_catalog.pg_backend_pid() % 16)::smallint, sum(c.sign), sum(c.sign * c.segments)
    from unnest(p_changes) c
   group by 1, 2, 3, 4, 5
  having sum(c.sign) <> 0 or sum(c.sign * c.segments) <> 0
   order by 1, 2, 3, 4, 5
  on conflict (day, channel, direction, kind, status, slot) do update
    set messages = d.messages + excluded.messages, segments = d.segments + excluded.segments;

  -- Days whose texted / replied facts may change: a text's own day; for an inbound message,
  -- the days of texts it may answer (up to 3 days before it).
  with moved as (
    -- A status change alone nets out here: only added, removed or moved messages count.
    select c.contact_id, c.created_at, c.direction, c.channel, c.kind
      from unnest(p_changes) c
     where c.contact_id is not null
     group by c.id, c.contact_id, c.created_at, c.direction, c.channel, c.kind
    having sum(c.sign) <> 0
  )
  select coalesce(array_agg(k.day), '{}'), coalesce(array_agg(k.contact_id), '{}')
    into v_days, v_contacts
    from (
      select distinct (c.created_at at time zone v_tz)::date as day, c.contact_id
        from moved c
       where c.direction = 'outbound' and c.channel = 'sms' and c.kind in ('blast', 'conversation', 'automation')
      union
      select g.day::date, c.contact_id
        from moved c
       cross join lateral generate_series(((c.created_at - interval '3 days') at time zone v_tz)::date,
                                          (c.created_at at time zone v_tz)::date, interval '1 day') as g(day)
       where c.direction = 'inbound'
    ) k;
  if cardinality(v_days) > 0 then
    perform private.refresh_sms_contact_days(v_days, v_contacts);
  end if;

  -- Recipients whose outcome may change: those the changed messages became, and, for an
  -- inbound message, those whose message it may answer (sent up to 3 days before it).
  select coalesce(array_agg(distinct r.id), '{}') into v_recipients
    from (
      select c.id from unnest(p_changes) c
      union
      select m.id
        from (select c.contact_id, c.created_at
                from unnest(p_changes) c
               where c.direction = 'inbound' and c.contact_id is not null
               group by c.id, c.contact_id, c.created_at
              having sum(c.sign) <> 0) c
        join public.messages m
          on m.contact_id = c.contact_id and m.created_at < c.created_at
         and m.created_at > c.created_at - interval '3 days'
    ) changed
    join public.blast_recipients r on r.message_id = changed.id;
  if cardinality(v_recipients) > 0 then
    perform private.refresh_blast_recipient_facts(v_recipients);
  end if;
end
$$;
comment on function private.roll_up_message_changes(private.dashboard_message_change[]) is
  'Apply a statement''s changes to messages to the dashboard rollups (day counters, SMS contact days, blast recipient outcomes).';

create function private.rebuild_dashboard_rollups() returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
  v_days date[];
  v_contacts uuid[];
  v_recipients bigint[];
begin
  -- Serialise rebuilds with each other (a time-zone change racing a truncate).
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('dashboard_rebuild', 0));
  delete from private.dashboard_message_days;
  delete from private.dashboard_sms_contact_days;
  delete from private.dashboard_blast_recipient_facts;
  delete from private.dashboard_blast_variant_counts;
  delete from private.dashboard_sms_day_counts;
  delete from private.dashboard_contact_months;
  delete from private.dashboard_check_in_facts;
  delete from private.dashboard_event_check_in_counts;
  insert into private.dashboard_contact_months (month, slot, contacts, with_phone, with_email, signed_up)
  select date_trunc('month', c.created_at), 0,
         count(*) filter (where c.erased_at is null and c.merged_into is null),
         count(*) filter (where c.erased_at is null and c.merged_into is null and c.phone is not null),
         count(*) filter (where c.erased_at is null and c.merged_into is null and c.email is not null),
         count(*) filter (where c.user_id is not null)
    from public.contacts c
   group by 1;
  perform private.refresh_check_in_facts(array(select distinct ci.contact_id from public.check_ins ci));
  delete from private.dashboard_consent_facts;
  delete from private.dashboard_consent_months;
  perform private.refresh_consent_facts(array(select distinct e.contact_id from public.consent_events e));
  insert into private.dashboard_message_days (day, channel, direction, kind, status, slot, messages, segments)
  select (m.created_at at time zone v_tz)::date, m.channel, m.direction, m.kind, m.status, 0, count(*), sum(m.segments)
    from public.messages m
   group by 1, 2, 3, 4, 5;
  select coalesce(array_agg(k.day), '{}'), coalesce(array_agg(k.contact_id), '{}')
    into v_days, v_contacts
    from (
      select (m.created_at at time zone v_tz)::date as day, m.contact_id
        from public.messages m
       where m.contact_id is not null and m.direction = 'outbound' and m.channel = 'sms'
         and m.kind in ('blast', 'conversation', 'automation')
      union
      select (e.created_at at time zone v_tz)::date, e.contact_id
        from public.consent_events e
       where e.contact_id is not null and e.channel = 'sms' and e.status = 'opted_out'
    ) k;
  perform private.refresh_sms_contact_days(v_days, v_contacts);
  select coalesce(array_agg(r.id), '{}') into v_recipients from public.blast_recipients r;
  perform private.refresh_blast_recipient_facts(v_recipients);
end
$$;
comment on function private.rebuild_dashboard_rollups() is
  'Recompute every dashboard rollup from the base tables (after a time-zone change or a TRUNCATE; also fills them at migration time).';

-- ============================================================================================
-- Triggers
-- ============================================================================================

create function private.messages_roll_up() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.roll_up_message_changes(array(
      select row(1, n.id, n.direction, n.kind, n.channel, n.status, n.segments, n.contact_id, n.created_at)::private.dashboard_message_change
        from new_rows n));
  elsif tg_op = 'DELETE' then
    perform private.roll_up_message_changes(array(
      select row(-1, o.id, o.direction, o.kind, o.channel, o.status, o.segments, o.contact_id, o.created_at)::private.dashboard_message_change
        from old_rows o));
  else
    -- Most updates (leases, provider ids, timestamps) change nothing the dashboard counts.
    perform private.roll_up_message_changes(array(
      select x.change
        from old_rows o
        join new_rows n on n.id = o.id
       cross join lateral (values
         (row(-1, o.id, o.direction, o.kind, o.channel, o.status, o.segments, o.contact_id, o.created_at)::private.dashboard_message_change),
         (row(1, n.id, n.direction, n.kind, n.channel, n.status, n.segments, n.contact_id, n.created_at)::private.dashboard_message_change)
       ) as x(change)
       where (o.direction, o.kind, o.channel, o.status, o.segments, o.contact_id, o.created_at, o.recipient_opted_out_at)
             is distinct from
             (n.direction, n.kind, n.channel, n.status, n.segments, n.contact_id, n.created_at, n.recipient_opted_out_at)));
  end if;
  return null;
end
$$;
comment on function private.messages_roll_up() is
  'Trigger (per statement): carry inserted, updated and deleted messages into the dashboard rollups.';

create trigger messages_roll_up_inserts after insert on public.messages
  referencing new table as new_rows for each statement execute function private.messages_roll_up();
create trigger messages_roll_up_updates after update on public.messages
  referencing old table as old_rows new table as new_rows for each statement execute function private.messages_roll_up();
create trigger messages_roll_up_deletes after delete on public.messages
  referencing old table as old_rows for each statement execute function private.messages_roll_up();

create function private.consent_events_roll_up() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
  v_days date[];
  v_contacts uuid[];
begin
  if tg_op = 'INSERT' then
    select coalesce(array_agg((n.created_at at time zone v_tz)::date), '{}'), coalesce(array_agg(n.contact_id), '{}')
      into v_days, v_contacts
      from new_rows n
     where n.contact_id is not null and n.channel = 'sms' and n.status = 'opted_out';
  elsif tg_op = 'DELETE' then
    select coalesce(array_agg((o.created_at at time zone v_tz)::date), '{}'), coalesce(array_agg(o.contact_id), '{}')
      into v_days, v_contacts
      from old_rows o
     where o.contact_id is not null and o.channel = 'sms' and o.status = 'opted_out';
  else
    select coalesce(array_agg((c.created_at at time zone v_tz)::date), '{}'), coalesce(array_agg(c.contact_id), '{}')
      into v_days, v_contacts
      from (select o.created_at, o.contact_id, o.channel, o.status from old_rows o
            union all
            select n.created_at, n.contact_id, n.channel, n.status from new_rows n) c
     where c.contact_id is not null and c.channel = 'sms' and c.status = 'opted_out';
  end if;
  if cardinality(v_days) > 0 then
    perform private.refresh_sms_contact_days(v_days, v_contacts);
  end if;
  if tg_op = 'INSERT' then
    perform private.refresh_consent_facts(array(select n.contact_id from new_rows n));
  elsif tg_op = 'DELETE' then
    perform private.refresh_consent_facts(array(select o.contact_id from old_rows o));
  else
    perform private.refresh_consent_facts(array(select o.contact_id from old_rows o union select n.contact_id from new_rows n));
  end if;
  return null;
end
$$;
comment on function private.consent_events_roll_up() is
  'Trigger (per statement): carry consent-ledger changes into the dashboard''s SMS contact days and consent growth.';

create trigger consent_events_roll_up_inserts after insert on public.consent_events
  referencing new table as new_rows for each statement execute function private.consent_events_roll_up();
create trigger consent_events_roll_up_updates after update on public.consent_events
  referencing old table as old_rows new table as new_rows for each statement execute function private.consent_events_roll_up();
create trigger consent_events_roll_up_deletes after delete on public.consent_events
  referencing old table as old_rows for each statement execute function private.consent_events_roll_up();

create function private.blast_recipients_roll_up() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.refresh_blast_recipient_facts(array(select n.id from new_rows n));
  elsif tg_op = 'DELETE' then
    perform private.refresh_blast_recipient_facts(array(select o.id from old_rows o));
  else
    -- Claiming, rendering and measuring a recipient change nothing the results count.
    perform private.refresh_blast_recipient_facts(array(
      select n.id from old_rows o join new_rows n on n.id = o.id
       where (o.blast_id, o.channel, o.variant, o.status, o.message_id)
             is distinct from (n.blast_id, n.channel, n.variant, n.status, n.message_id)));
  end if;
  return null;
end
$$;
comment on function private.blast_recipients_roll_up() is
  'Trigger (per statement): carry added, changed and removed blast recipients into the per-variant results.';

create trigger blast_recipients_roll_up_inserts after insert on public.blast_recipients
  referencing new table as new_rows for each statement execute function private.blast_recipients_roll_up();
create trigger blast_recipients_roll_up_updates after update on public.blast_recipients
  referencing old table as old_rows new table as new_rows for each statement execute function private.blast_recipients_roll_up();
create trigger blast_recipients_roll_up_deletes after delete on public.blast_recipients
  referencing old table as old_rows for each statement execute function private.blast_recipients_roll_up();

create function private.add_contact_changes(p_changes private.dashboard_contact_change[]) returns void
language sql
security definer
set search_path = ''
as $$
  insert into private.dashboard_contact_months as m (month, slot, contacts, with_phone, with_email, signed_up)
  select date_trunc('month', c.created_at), (pg_catalog.pg_backend_pid() % 16)::smallint,
         sum(c.sign * c.active::integer), sum(c.sign * (c.active and c.phone)::integer),
         sum(c.sign * (c.active and c.email)::integer), sum(c.sign * c.signed_up::integer)
    from unnest(p_changes) c
   group by 1
  having (sum(c.sign * c.active::integer), sum(c.sign * (c.active and c.phone)::integer),
          sum(c.sign * (c.active and c.email)::integer), sum(c.sign * c.signed_up::integer)) <> (0, 0, 0, 0)
   order by 1
  on conflict (month, slot) do update
    set contacts = m.contacts + excluded.contacts, with_phone = m.with_phone + excluded.with_phone,
        with_email = m.with_email + excluded.with_email, signed_up = m.signed_up + excluded.signed_up
$$;
comment on function private.add_contact_changes(private.dashboard_contact_change[]) is
  'Add signed contact rows to the per-month contact counters (additive: +1 as a row is now, -1 as it was).';

create function private.contacts_roll_up() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.add_contact_changes(array(
      select row(1, n.created_at, n.erased_at is null and n.merged_into is null, n.phone is not null,
                 n.email is not null, n.user_id is not null)::private.dashboard_contact_change
        from new_rows n));
  end if;
  if tg_op in ('DELETE', 'UPDATE') then
    perform private.add_contact_changes(array(
      select row(-1, o.created_at, o.erased_at is null and o.merged_into is null, o.phone is not null,
                 o.email is not null, o.user_id is not null)::private.dashboard_contact_change
        from old_rows o));
  end if;
  return null;
end
$$;
comment on function private.contacts_roll_up() is
  'Trigger (per statement): add created, changed and removed contacts to the per-month contact counters.';

create trigger contacts_roll_up_inserts after insert on public.contacts
  referencing new table as new_rows for each statement execute function private.contacts_roll_up();
create trigger contacts_roll_up_updates after update on public.contacts
  referencing old table as old_rows new table as new_rows for each statement execute function private.contacts_roll_up();
create trigger contacts_roll_up_deletes after delete on public.contacts
  referencing old table as old_rows for each statement execute function private.contacts_roll_up();

create function private.check_ins_roll_up() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.refresh_check_in_facts(array(select n.contact_id from new_rows n));
  elsif tg_op = 'DELETE' then
    perform private.refresh_check_in_facts(array(select o.contact_id from old_rows o));
  else
    perform private.refresh_check_in_facts(array(
      select x.contact_id from old_rows o join new_rows n on n.id = o.id
       cross join lateral (values (o.contact_id), (n.contact_id)) as x(contact_id)
       where (o.event_id, o.contact_id, o.checked_in_at) is distinct from (n.event_id, n.contact_id, n.checked_in_at)));
  end if;
  return null;
end
$$;
comment on function private.check_ins_roll_up() is
  'Trigger (per statement): recount first-timers for the contacts whose check-ins changed.';

create trigger check_ins_roll_up_inserts after insert on public.check_ins
  referencing new table as new_rows for each statement execute function private.check_ins_roll_up();
create trigger check_ins_roll_up_updates after update on public.check_ins
  referencing old table as old_rows new table as new_rows for each statement execute function private.check_ins_roll_up();
create trigger check_ins_roll_up_deletes after delete on public.check_ins
  referencing old table as old_rows for each statement execute function private.check_ins_roll_up();

create function private.dashboard_rebuild_after_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.rebuild_dashboard_rollups();
  return null;
end
$$;
comment on function private.dashboard_rebuild_after_change() is
  'Trigger: rebuild the dashboard rollups after a TRUNCATE of a table they count or a change of the organisation''s time zone.';

create trigger messages_rebuild_dashboard after truncate on public.messages
  for each statement execute function private.dashboard_rebuild_after_change();
create trigger consent_events_rebuild_dashboard after truncate on public.consent_events
  for each statement execute function private.dashboard_rebuild_after_change();
create trigger blast_recipients_rebuild_dashboard after truncate on public.blast_recipients
  for each statement execute function private.dashboard_rebuild_after_change();
create trigger contacts_rebuild_dashboard after truncate on public.contacts
  for each statement execute function private.dashboard_rebuild_after_change();
create trigger check_ins_rebuild_dashboard after truncate on public.check_ins
  for each statement execute function private.dashboard_rebuild_after_change();
create trigger messaging_settings_rebuild_dashboard after update of org_time_zone on public.messaging_settings
  for each row when (old.org_time_zone is distinct from new.org_time_zone)
  execute function private.dashboard_rebuild_after_change();

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read message counts per day" on private.dashboard_message_days
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read SMS contact days" on private.dashboard_sms_contact_days
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read SMS day counts" on private.dashboard_sms_day_counts
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read contact counts" on private.dashboard_contact_months
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read consent counts" on private.dashboard_consent_months
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Staff can read check-in counts" on private.dashboard_event_check_in_counts
  for select to authenticated using ((select private.has_staff_level('volunteer')));
create policy "Organizers can read blast results per variant" on private.dashboard_blast_variant_counts
  for select to authenticated using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Views
-- ============================================================================================

-- The contact and check-in views: staff who read every row get the rollups; anyone else (an
-- attendee reads their own contact and check-ins) gets their visible rows counted live, as the
-- views always did. The unused branch is skipped by a one-time filter.
create view public.dashboard_contact_totals with (security_invoker = true) as
select coalesce(sum(t.contacts), 0)::bigint as contacts, coalesce(sum(t.with_phone), 0)::bigint as with_phone,
       coalesce(sum(t.with_email), 0)::bigint as with_email, coalesce(sum(t.signed_up), 0)::bigint as signed_up
  from (
    select m.contacts, m.with_phone, m.with_email, m.signed_up
      from private.dashboard_contact_months m
     where (select private.dashboard_sees_everything('organizer'))
    union all
    select (c.erased_at is null and c.merged_into is null)::integer,
           (c.erased_at is null and c.merged_into is null and c.phone is not null)::integer,
           (c.erased_at is null and c.merged_into is null and c.email is not null)::integer,
           (c.user_id is not null)::integer
      from public.contacts c
     where not (select private.dashboard_sees_everything('organizer'))
  ) t;
comment on view public.dashboard_contact_totals is 'Contacts in total, with phone, with email, signed up.';

create view public.dashboard_contacts_per_month with (security_invoker = true) as
select m.month, m.new_contacts, sum(m.new_contacts) over (order by m.month) as total_contacts
  from (
    select r.month, sum(r.contacts)::bigint as new_contacts
      from private.dashboard_contact_months r
     where (select private.dashboard_sees_everything('organizer'))
     group by r.month
    having sum(r.contacts) > 0
    union all
    select date_trunc('month', c.created_at), count(*)
      from public.contacts c
     where c.erased_at is null and c.merged_into is null
       and not (select private.dashboard_sees_everything('organizer'))
     group by 1
  ) m;
comment on view public.dashboard_contacts_per_month is 'New contacts per month and the running total.';

-- First-timer: the contact has no earlier check-in, i.e. this is (one of) their earliest.
create view public.dashboard_checkins_per_event with (security_invoker = true) as
with counted as (
  select c.event_id, sum(c.check_ins)::bigint as check_ins, sum(c.first_timers)::bigint as first_timers
    from private.dashboard_event_check_in_counts c
   where (select private.dashboard_sees_everything('volunteer'))
   group by c.event_id
  union all
  select v.event_id, count(*), count(*) filter (where v.first_time)
    from (select ci.event_id, ci.checked_in_at = min(ci.checked_in_at) over (partition by ci.contact_id) as first_time
            from public.check_ins ci
           where not (select private.dashboard_sees_everything('volunteer'))) v
   group by v.event_id
)
select e.id as event_id, e.name, e.starts_at,
       coalesce(sum(k.check_ins), 0)::bigint as check_ins,
       coalesce(sum(k.first_timers), 0)::bigint as first_timers,
       coalesce(sum(k.check_ins - k.first_timers), 0)::bigint as returning_attendees
  from public.events e
  left join counted k on k.event_id = e.id
 group by e.id, e.name, e.starts_at;
comment on view public.dashboard_checkins_per_event is
  'Check-ins per event split into first-timers (first check-in ever) and returning attendees.';

-- Consent growth: staff who read the whole ledger get the counters; anyone else (an attendee
-- reads their own history) gets their visible events counted live, as the view always did.
create view public.dashboard_consent_growth with (security_invoker = true) as
with changes as (
  select e.channel, date_trunc('month', e.created_at) as month,
         (e.status = 'opted_in')::integer as now_in,
         coalesce(lag((e.status = 'opted_in')::integer)
                    over (partition by e.contact_id, e.channel order by e.created_at, e.id), 0) as was_in
    from public.consent_events e
   where not (select private.dashboard_sees_everything('organizer'))
),
monthly as (
  select r.channel, r.month, sum(r.opted_in)::bigint as opted_in, sum(r.opted_out)::bigint as opted_out
    from private.dashboard_consent_months r
   where (select private.dashboard_sees_everything('organizer'))
   group by r.channel, r.month
  having sum(r.events) > 0
  union all
  select c.channel, c.month,
         count(*) filter (where c.now_in = 1 and c.was_in = 0),
         count(*) filter (where c.now_in = 0 and c.was_in = 1)
    from changes c
   group by c.channel, c.month
)
select m.channel, m.month, m.opted_in::integer, m.opted_out::integer,
       (sum(m.opted_in - m.opted_out) over (partition by m.channel order by m.month))::integer as opted_in_total
  from monthly m;
comment on view public.dashboard_consent_growth is
  'Per channel and month: contacts who opted in, who opted out, and how many are opted in at the month''s end.';

create view public.message_daily_stats with (security_invoker = true) as
select d.day, d.channel, d.direction, d.kind, d.status,
       sum(d.messages)::integer as messages, sum(d.segments)::integer as segments
  from private.dashboard_message_days d
 group by d.day, d.channel, d.direction, d.kind, d.status
having sum(d.messages) <> 0;
comment on view public.message_daily_stats is
  'Messages per day (organisation time zone), channel, direction, kind and status, with SMS segments.';

create view public.messaging_daily_rates with (security_invoker = true) as
select d.day,
       sum(d.texted)::integer as contacts_texted,
       sum(d.replied)::integer as contacts_replied,
       sum(d.opted_out)::integer as contacts_opted_out,
       round(sum(d.replied)::numeric / nullif(sum(d.texted), 0), 4) as reply_rate,
       round(sum(d.opted_out)::numeric / nullif(sum(d.texted), 0), 4) as opt_out_rate
  from private.dashboard_sms_day_counts d
 group by d.day
having sum(d.texted) > 0;
comment on view public.messaging_daily_rates is
  'Per day: contacts texted, how many replied within 3 days, how many opted out, and the two rates.';

create view public.blast_variant_results with (security_invoker = true) as
select b.id as blast_id, b.name, b.status as blast_status, v.channel, v.variant,
       sum(v.recipients)::integer as recipients, sum(v.skipped)::integer as skipped,
       sum(v.sent)::integer as sent, sum(v.delivered)::integer as delivered,
       sum(v.failed)::integer as failed, sum(v.opted_out)::integer as opted_out,
       sum(v.replied)::integer as replied
  from public.blasts b
  join private.dashboard_blast_variant_counts v on v.blast_id = b.id
 group by b.id, b.name, b.status, v.channel, v.variant
having sum(v.recipients) > 0;
comment on view public.blast_variant_results is
  'Per blast, channel and A/B variant: recipients, skipped, sent, delivered, failed, opted out and replied (within 3 days).';

revoke all on public.dashboard_contact_totals, public.dashboard_contacts_per_month,
  public.dashboard_checkins_per_event from anon, authenticated;
grant select on public.dashboard_contact_totals, public.dashboard_contacts_per_month,
  public.dashboard_checkins_per_event to authenticated, service_role;
revoke all on public.dashboard_consent_growth from anon, authenticated;
grant select on public.dashboard_consent_growth to authenticated, service_role;
revoke all on public.message_daily_stats, public.messaging_daily_rates, public.blast_variant_results from anon;
grant select on public.message_daily_stats, public.messaging_daily_rates, public.blast_variant_results
  to authenticated, service_role;

-- Fill the rollups from what is already there.
select private.rebuild_dashboard_rollups();
