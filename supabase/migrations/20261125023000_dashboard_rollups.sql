-- Dashboard (issue 16, performance): the dashboard's views read small rollup tables instead of
-- scanning every message, contact, check-in and consent event on each page load.
--
-- The hot path only appends. Sends, claims, delivery callbacks, check-ins and consent changes
-- fire statement-level triggers (transition tables, one pass per statement) that INSERT into
-- journal tables: signed deltas for the additive counters (messages per day and status,
-- contacts per month) and "pending" keys for the facts that must be recomputed (a contact
-- texted / replied / opted out on a day; one blast recipient's outcome, which a later reply can
-- flip; a contact's first check-in; what a consent event moved). An insert into a table with
-- only an identity key takes no lock anyone else waits for, so the triggers can neither block
-- nor deadlock a send, a claim or a webhook, whatever runs beside them.
--
-- Why not update the rollups in the writing transaction (the first version did): with upserts
-- into shared rollup rows and advisory-lock buckets taken while the claim, record_sent and
-- webhook transactions already held message row locks, those transactions deadlocked each
-- other (`deadlock detected` on advisory lock 830002 in the test stack's log, dozens per
-- 2,000-recipient blast); an aborted callback batch left texts "sent" for good.
--
-- The journals are folded into the rollups by public.fold_dashboard_changes(), which every
-- worker calls every few seconds (one folder at a time: a transaction advisory try-lock; the
-- others return at once; pg_cron can call it instead). The fold is the only writer of the
-- rollups, so it waits for nobody either. And the views stay exact at every moment, folded or
-- not: each view adds the unfolded journal to the rollups (deltas as they are; pending keys as
-- "their facts now minus their facts as folded", computed by the same functions the fold uses).
-- A backlog (no worker running) makes the views slower, never wrong. pgTAP 730, 752 and 830
-- read the views in the transaction that wrote the rows.
--
-- A change of the organisation's time zone (it moves every "day") or a TRUNCATE of a source
-- table rebuilds everything (private.rebuild_dashboard_rollups).
--
-- Security: the rollup and journal tables live in `private` (not exposed through the API) with
-- RLS: like the messages and blasts they come from, only organizers and up read them (check-in
-- counts: all staff). The views stay security_invoker, so their meaning per role is unchanged
-- (volunteers and attendees read no messaging numbers, anon is refused). Writes happen only in
-- the SECURITY DEFINER triggers and the fold.
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

-- Rollups (written only by the fold and the rebuild).

create table private.dashboard_message_days (
  day date not null,
  channel public.message_channel not null,
  direction public.message_direction not null,
  kind public.message_kind not null,
  status public.message_status not null,
  messages bigint not null default 0,
  segments bigint not null default 0,
  primary key (day, channel, direction, kind, status)
);
comment on table private.dashboard_message_days is
  'Messages and SMS segments per organisation-time-zone day, channel, direction, kind and status, as folded (add dashboard_message_day_changes for now). Feeds public.message_daily_stats.';

create table private.dashboard_sms_contact_days (
  day date not null,
  contact_id uuid not null,
  texted boolean not null,
  replied boolean not null,
  opted_out boolean not null,
  primary key (day, contact_id)
);
comment on table private.dashboard_sms_contact_days is
  'Per organisation-time-zone day and contact, as last folded: texted (an outbound blast, conversation or automation SMS), replied (an inbound message within 3 days after one of that day''s texts), opted out of SMS. Feeds public.messaging_daily_rates.';

create table private.dashboard_sms_day_counts (
  day date primary key,
  texted integer not null default 0,
  replied integer not null default 0,
  opted_out integer not null default 0
);
comment on table private.dashboard_sms_day_counts is
  'Per organisation-time-zone day: contacts texted, replied and opted out (the sums of dashboard_sms_contact_days). Feeds public.messaging_daily_rates.';

create table private.dashboard_contact_months (
  month timestamptz primary key,
  contacts integer not null default 0,
  with_phone integer not null default 0,
  with_email integer not null default 0,
  signed_up integer not null default 0
);
comment on table private.dashboard_contact_months is
  'Per month a contact was created in, as folded: contacts (not erased or merged), of them with phone and with email, and all signed up. Feeds the contact totals and contacts per month.';

create table private.dashboard_check_in_facts (
  check_in_id uuid primary key,
  event_id uuid not null,
  contact_id uuid not null,
  first_time boolean not null
);
comment on table private.dashboard_check_in_facts is
  'Whether each check-in is its contact''s first ever, as last folded (so a change adds only its difference).';
create index dashboard_check_in_facts_contact_idx on private.dashboard_check_in_facts (contact_id);

-- No foreign key to events (nor to blasts below): an insert would lock the event's row for
-- key share, and deleting an event would then wait for (or deadlock with) a fold. Counters of
-- a deleted event are never shown (the view joins events) and the fold removes them.
create table private.dashboard_event_check_in_counts (
  event_id uuid primary key,
  check_ins integer not null default 0,
  first_timers integer not null default 0
);
comment on table private.dashboard_event_check_in_counts is
  'Check-ins and first-timers per event. Feeds public.dashboard_checkins_per_event.';

create table private.dashboard_consent_facts (
  event_id bigint primary key,
  contact_id uuid not null,
  channel public.message_channel not null,
  month timestamptz not null,
  opted_in integer not null,
  opted_out integer not null
);
comment on table private.dashboard_consent_facts is
  'What each consent-ledger event changed (1 = moved the contact in / out on its channel, 0 = a repeat), as last folded.';
create index dashboard_consent_facts_contact_idx on private.dashboard_consent_facts (contact_id);

create table private.dashboard_consent_months (
  channel public.message_channel not null,
  month timestamptz not null,
  events integer not null default 0,
  opted_in integer not null default 0,
  opted_out integer not null default 0,
  primary key (channel, month)
);
comment on table private.dashboard_consent_months is
  'Per channel and month: ledger events, contacts moved in and moved out. Feeds public.dashboard_consent_growth.';

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
  'One blast recipient''s outcome as the results count it, as last folded (so a change adds only its difference).';

create table private.dashboard_blast_variant_counts (
  blast_id uuid not null,
  channel public.message_channel not null,
  variant text,
  recipients integer not null default 0,
  skipped integer not null default 0,
  sent integer not null default 0,
  delivered integer not null default 0,
  failed integer not null default 0,
  opted_out integer not null default 0,
  replied integer not null default 0,
  constraint dashboard_blast_variant_counts_key unique nulls not distinct (blast_id, channel, variant)
);
comment on table private.dashboard_blast_variant_counts is
  'Blast results per blast, channel and A/B variant. Feeds public.blast_variant_results.';

-- Journals (appended to by the triggers, emptied by the fold). Only an identity key: an
-- insert never waits for another.

create table private.dashboard_message_day_changes (
  id bigint generated always as identity primary key,
  day date not null,
  channel public.message_channel not null,
  direction public.message_direction not null,
  kind public.message_kind not null,
  status public.message_status not null,
  messages bigint not null,
  segments bigint not null
);
comment on table private.dashboard_message_day_changes is
  'Signed changes to dashboard_message_days not folded yet (one row per statement and key).';

create table private.dashboard_contact_month_changes (
  id bigint generated always as identity primary key,
  month timestamptz not null,
  contacts integer not null,
  with_phone integer not null,
  with_email integer not null,
  signed_up integer not null
);
comment on table private.dashboard_contact_month_changes is
  'Signed changes to dashboard_contact_months not folded yet (one row per statement and month).';

create table private.dashboard_pending_sms_contact_days (
  id bigint generated always as identity primary key,
  day date not null,
  contact_id uuid not null
);
comment on table private.dashboard_pending_sms_contact_days is
  'Days and contacts whose texted / replied / opted-out facts may have changed since the last fold.';

create table private.dashboard_pending_check_in_contacts (
  id bigint generated always as identity primary key,
  contact_id uuid not null
);
comment on table private.dashboard_pending_check_in_contacts is
  'Contacts whose check-ins changed since the last fold (their first-timer facts are recounted).';

create table private.dashboard_pending_consent_contacts (
  id bigint generated always as identity primary key,
  contact_id uuid not null
);
comment on table private.dashboard_pending_consent_contacts is
  'Contacts whose consent events changed since the last fold (what each event moved is recounted).';

create table private.dashboard_pending_blast_recipients (
  id bigint generated always as identity primary key,
  recipient_id bigint not null
);
comment on table private.dashboard_pending_blast_recipients is
  'Blast recipients whose outcome may have changed since the last fold.';

-- A changed message finds the recipient it became (the results join on this column).
create index blast_recipients_message_id_idx on public.blast_recipients (message_id) where message_id is not null;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on private.dashboard_message_days, private.dashboard_sms_contact_days,
  private.dashboard_sms_day_counts, private.dashboard_contact_months, private.dashboard_check_in_facts,
  private.dashboard_event_check_in_counts, private.dashboard_consent_facts, private.dashboard_consent_months,
  private.dashboard_blast_recipient_facts, private.dashboard_blast_variant_counts,
  private.dashboard_message_day_changes, private.dashboard_contact_month_changes,
  private.dashboard_pending_sms_contact_days, private.dashboard_pending_check_in_contacts,
  private.dashboard_pending_consent_contacts, private.dashboard_pending_blast_recipients
  from public, anon, authenticated, service_role;
-- The views read all of them with the caller's rights (RLS below says who sees rows).
grant select on private.dashboard_message_days, private.dashboard_sms_contact_days,
  private.dashboard_sms_day_counts, private.dashboard_contact_months, private.dashboard_check_in_facts,
  private.dashboard_event_check_in_counts, private.dashboard_consent_facts, private.dashboard_consent_months,
  private.dashboard_blast_recipient_facts, private.dashboard_blast_variant_counts,
  private.dashboard_message_day_changes, private.dashboard_contact_month_changes,
  private.dashboard_pending_sms_contact_days, private.dashboard_pending_check_in_contacts,
  private.dashboard_pending_consent_contacts, private.dashboard_pending_blast_recipients
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
alter table private.dashboard_message_day_changes enable row level security;
alter table private.dashboard_contact_month_changes enable row level security;
alter table private.dashboard_pending_sms_contact_days enable row level security;
alter table private.dashboard_pending_check_in_contacts enable row level security;
alter table private.dashboard_pending_consent_contacts enable row level security;
alter table private.dashboard_pending_blast_recipients enable row level security;

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
grant execute on function private.dashboard_time_zone() to authenticated, service_role;

-- The functions below compute facts "now" for the pending keys, with the caller's rights: the
-- views call them as the reader (RLS applies, as to the rollups), the fold as their owner.
-- STABLE on purpose: they then read the calling statement's snapshot, so within one fold
-- statement the pending rows it deletes, the facts it recomputes and the facts it replaces are
-- all seen as of the same instant.

create function private.pending_sms_contact_day_facts() returns setof private.dashboard_sms_contact_days
language sql
stable
set search_path = ''
as $$
  -- A day in the organisation's zone lies within [day - 1, day + 2) in UTC: that range uses the
  -- (contact_id, created_at) indexes, the exact day test keeps the value exact.
  with keys as (
    select distinct p.day, p.contact_id,
           (p.day - 1)::timestamp at time zone 'UTC' as lo, (p.day + 2)::timestamp at time zone 'UTC' as hi
      from private.dashboard_pending_sms_contact_days p
  ),
  texts as (
    select k.day, k.contact_id, k.lo, k.hi, o.first_at, o.last_at
      from keys k
      cross join lateral (
        select min(m.created_at) as first_at, max(m.created_at) as last_at
          from public.messages m
         where m.contact_id = k.contact_id and m.created_at >= k.lo and m.created_at < k.hi
           and (m.created_at at time zone (select private.dashboard_time_zone()))::date = k.day
           and m.direction = 'outbound' and m.channel = 'sms' and m.kind in ('blast', 'conversation', 'automation')
      ) o
  )
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
              and (e.created_at at time zone (select private.dashboard_time_zone()))::date = t.day) as opted_out
    from texts t
$$;
comment on function private.pending_sms_contact_day_facts() is
  'The texted / replied / opted-out facts, as they are now, of every (day, contact) pending a fold.';

create function private.pending_sms_day_count_changes()
returns table (day date, texted integer, replied integer, opted_out integer)
language sql
stable
set search_path = ''
as $$
  select c.day, sum(c.sign * c.texted::integer)::integer, sum(c.sign * c.replied::integer)::integer,
         sum(c.sign * c.opted_out::integer)::integer
    from (select 1 as sign, n.day, n.texted, n.replied, n.opted_out
            from private.pending_sms_contact_day_facts() n
          union all
          select -1, d.day, d.texted, d.replied, d.opted_out
            from private.dashboard_sms_contact_days d
           where (d.day, d.contact_id) in (select p.day, p.contact_id from private.dashboard_pending_sms_contact_days p)) c
   group by c.day
$$;
comment on function private.pending_sms_day_count_changes() is
  'What folding the pending (day, contact) pairs adds to the per-day texted / replied / opted-out counts.';

create function private.pending_blast_recipient_facts() returns setof private.dashboard_blast_recipient_facts
language sql
stable
set search_path = ''
as $$
  select r.id, r.blast_id, r.channel, r.variant,
         r.status = 'skipped',
         coalesce(m.status in ('sent', 'delivered', 'undelivered'), false),
         coalesce(m.status = 'delivered', false),
         coalesce(m.status in ('failed', 'undelivered'), false),
         coalesce(m.recipient_opted_out_at is not null, false),
         m.id is not null and exists (
           select 1 from public.messages i
            where i.contact_id = m.contact_id and i.direction = 'inbound'
              and i.created_at > m.created_at and i.created_at < m.created_at + interval '3 days')
    from public.blast_recipients r
    left join public.messages m on m.id = r.message_id
   where r.id in (select p.recipient_id from private.dashboard_pending_blast_recipients p)
$$;
comment on function private.pending_blast_recipient_facts() is
  'The outcome, as it is now, of every blast recipient pending a fold (none for a recipient that is gone).';

create function private.pending_blast_variant_count_changes()
returns table (blast_id uuid, channel public.message_channel, variant text, recipients integer, skipped integer,
               sent integer, delivered integer, failed integer, opted_out integer, replied integer)
language sql
stable
set search_path = ''
as $$
  select c.blast_id, c.channel, c.variant, sum(c.sign)::integer,
         sum(c.sign * c.skipped::integer)::integer, sum(c.sign * c.sent::integer)::integer,
         sum(c.sign * c.delivered::integer)::integer, sum(c.sign * c.failed::integer)::integer,
         sum(c.sign * c.opted_out::integer)::integer, sum(c.sign * c.replied::integer)::integer
    from (select 1 as sign, n.blast_id, n.channel, n.variant, n.skipped, n.sent, n.delivered, n.failed,
                 n.opted_out, n.replied
            from private.pending_blast_recipient_facts() n
          union all
          select -1, f.blast_id, f.channel, f.variant, f.skipped, f.sent, f.delivered, f.failed, f.opted_out, f.replied
            from private.dashboard_blast_recipient_facts f
           where f.recipient_id in (select p.recipient_id from private.dashboard_pending_blast_recipients p)) c
   group by c.blast_id, c.channel, c.variant
$$;
comment on function private.pending_blast_variant_count_changes() is
  'What folding the pending blast recipients adds to the per-variant results.';

create function private.pending_check_in_facts() returns setof private.dashboard_check_in_facts
language sql
stable
set search_path = ''
as $$
  -- A contact's first check-in is (one of) their earliest: all of their check-ins are recounted.
  select ci.id, ci.event_id, ci.contact_id,
         ci.checked_in_at = min(ci.checked_in_at) over (partition by ci.contact_id)
    from public.check_ins ci
   where ci.contact_id in (select p.contact_id from private.dashboard_pending_check_in_contacts p)
$$;
comment on function private.pending_check_in_facts() is
  'Whether each check-in of the contacts pending a fold is, now, their first.';

create function private.pending_check_in_count_changes()
returns table (event_id uuid, check_ins integer, first_timers integer)
language sql
stable
set search_path = ''
as $$
  select c.event_id, sum(c.sign)::integer, sum(c.sign * c.first_time::integer)::integer
    from (select 1 as sign, n.event_id, n.first_time from private.pending_check_in_facts() n
          union all
          select -1, f.event_id, f.first_time
            from private.dashboard_check_in_facts f
           where f.contact_id in (select p.contact_id from private.dashboard_pending_check_in_contacts p)) c
   group by c.event_id
$$;
comment on function private.pending_check_in_count_changes() is
  'What folding the pending contacts adds to the per-event check-in and first-timer counts.';

create function private.pending_consent_facts() returns setof private.dashboard_consent_facts
language sql
stable
set search_path = ''
as $$
  -- Whether an event moved its contact in or out depends on the one before it: all of the
  -- pending contacts' events are recounted.
  select c.id, c.contact_id, c.channel, c.month,
         (c.now_in = 1 and c.was_in = 0)::integer, (c.now_in = 0 and c.was_in = 1)::integer
    from (select e.id, e.contact_id, e.channel, date_trunc('month', e.created_at) as month,
                 (e.status = 'opted_in')::integer as now_in,
                 coalesce(lag((e.status = 'opted_in')::integer)
                            over (partition by e.contact_id, e.channel order by e.created_at, e.id), 0) as was_in
            from public.consent_events e
           where e.contact_id in (select p.contact_id from private.dashboard_pending_consent_contacts p)) c
$$;
comment on function private.pending_consent_facts() is
  'What each consent event of the contacts pending a fold moves, now.';

create function private.pending_consent_month_changes()
returns table (channel public.message_channel, month timestamptz, events integer, opted_in integer, opted_out integer)
language sql
stable
set search_path = ''
as $$
  select d.channel, d.month, sum(d.sign)::integer, sum(d.sign * d.opted_in)::integer, sum(d.sign * d.opted_out)::integer
    from (select 1 as sign, n.channel, n.month, n.opted_in, n.opted_out from private.pending_consent_facts() n
          union all
          select -1, f.channel, f.month, f.opted_in, f.opted_out
            from private.dashboard_consent_facts f
           where f.contact_id in (select p.contact_id from private.dashboard_pending_consent_contacts p)) d
   group by d.channel, d.month
$$;
comment on function private.pending_consent_month_changes() is
  'What folding the pending contacts adds to the per-month consent counters.';

grant execute on function private.pending_sms_contact_day_facts(), private.pending_sms_day_count_changes(),
  private.pending_blast_recipient_facts(), private.pending_blast_variant_count_changes(),
  private.pending_check_in_facts(), private.pending_check_in_count_changes(),
  private.pending_consent_facts(), private.pending_consent_month_changes()
  to authenticated, service_role;

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

-- SECURITY DEFINER (as every writer below): messages, consent and recipients are written by
-- staff, workers and webhooks alike, and nobody is granted writes on the journals or rollups.
-- Callable only from the triggers, the fold and the rebuild (no grant).

-- Everything a statement did to messages, appended to the journals (inserts only).
create function private.journal_message_changes(p_changes private.dashboard_message_change[]) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
begin
  insert into private.dashboard_message_day_changes (day, channel, direction, kind, status, messages, segments)
  select (c.created_at at time zone v_tz)::date, c.channel, c.direction, c.kind, c.status,
         sum(c.sign), sum(c.sign * c.segments)
    from unnest(p_changes) c
   group by 1, 2, 3, 4, 5
  having sum(c.sign) <> 0 or sum(c.sign * c.segments) <> 0;

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
  insert into private.dashboard_pending_sms_contact_days (day, contact_id)
  select (c.created_at at time zone v_tz)::date, c.contact_id
    from moved c
   where c.direction = 'outbound' and c.channel = 'sms' and c.kind in ('blast', 'conversation', 'automation')
  union
  select g.day::date, c.contact_id
    from moved c
   cross join lateral generate_series(((c.created_at - interval '3 days') at time zone v_tz)::date,
                                      (c.created_at at time zone v_tz)::date, interval '1 day') as g(day)
   where c.direction = 'inbound';

  -- Recipients whose outcome may change: those the changed messages became (one index probe
  -- per message: a callback's statement must not scan every recipient)...
  insert into private.dashboard_pending_blast_recipients (recipient_id)
  select r.id
    from (select distinct c.id from unnest(p_changes) c where c.kind = 'blast') changed
    cross join lateral (select b.id from public.blast_recipients b where b.message_id = changed.id) r;
  -- ... and, for an added or removed inbound message, those whose text it may answer (sent up
  -- to 3 days before it).
  if exists (select 1 from unnest(p_changes) c where c.direction = 'inbound' and c.contact_id is not null) then
    insert into private.dashboard_pending_blast_recipients (recipient_id)
    select r.id
      from (select c.contact_id, c.created_at
              from unnest(p_changes) c
             where c.direction = 'inbound' and c.contact_id is not null
             group by c.id, c.contact_id, c.created_at
            having sum(c.sign) <> 0) c
      join public.messages m
        on m.contact_id = c.contact_id and m.created_at < c.created_at
       and m.created_at > c.created_at - interval '3 days' and m.kind = 'blast'
     cross join lateral (select b.id from public.blast_recipients b where b.message_id = m.id) r;
  end if;
end
$$;
comment on function private.journal_message_changes(private.dashboard_message_change[]) is
  'Append a statement''s changes to messages to the dashboard journals (day deltas, pending SMS contact days and blast recipients).';

create function private.journal_contact_changes(p_changes private.dashboard_contact_change[]) returns void
language sql
security definer
set search_path = ''
as $$
  insert into private.dashboard_contact_month_changes (month, contacts, with_phone, with_email, signed_up)
  select date_trunc('month', c.created_at),
         sum(c.sign * c.active::integer), sum(c.sign * (c.active and c.phone)::integer),
         sum(c.sign * (c.active and c.email)::integer), sum(c.sign * c.signed_up::integer)
    from unnest(p_changes) c
   group by 1
  having (sum(c.sign * c.active::integer), sum(c.sign * (c.active and c.phone)::integer),
          sum(c.sign * (c.active and c.email)::integer), sum(c.sign * c.signed_up::integer)) <> (0, 0, 0, 0)
$$;
comment on function private.journal_contact_changes(private.dashboard_contact_change[]) is
  'Append signed contact rows to the per-month contact journal (+1 as a row is now, -1 as it was).';

-- The fold's work, one statement per rollup: each statement deletes the journal rows it sees
-- and adds exactly those (the pending functions read the same snapshot), so a row a writer
-- commits meanwhile stays for the next fold.
create function private.apply_dashboard_journals() returns bigint
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rows bigint;
  v_folded bigint := 0;
begin
  with moved as (delete from private.dashboard_message_day_changes returning *)
  insert into private.dashboard_message_days as d (day, channel, direction, kind, status, messages, segments)
  select m.day, m.channel, m.direction, m.kind, m.status, sum(m.messages), sum(m.segments)
    from moved m
   group by 1, 2, 3, 4, 5
  on conflict (day, channel, direction, kind, status) do update
    set messages = d.messages + excluded.messages, segments = d.segments + excluded.segments;
  get diagnostics v_rows = row_count;
  v_folded := v_folded + v_rows;

  with moved as (delete from private.dashboard_contact_month_changes returning *)
  insert into private.dashboard_contact_months as c (month, contacts, with_phone, with_email, signed_up)
  select m.month, sum(m.contacts), sum(m.with_phone), sum(m.with_email), sum(m.signed_up)
    from moved m
   group by 1
  on conflict (month) do update
    set contacts = c.contacts + excluded.contacts, with_phone = c.with_phone + excluded.with_phone,
        with_email = c.with_email + excluded.with_email, signed_up = c.signed_up + excluded.signed_up;
  get diagnostics v_rows = row_count;
  v_folded := v_folded + v_rows;

  with folded as (delete from private.dashboard_pending_sms_contact_days returning 1),
  facts as (select * from private.pending_sms_contact_day_facts()),
  stored as (
    insert into private.dashboard_sms_contact_days as d (day, contact_id, texted, replied, opted_out)
    select f.day, f.contact_id, f.texted, f.replied, f.opted_out from facts f where f.texted or f.opted_out
    on conflict (day, contact_id) do update
      set texted = excluded.texted, replied = excluded.replied, opted_out = excluded.opted_out
  ),
  gone as (
    delete from private.dashboard_sms_contact_days d
     using facts f
     where d.day = f.day and d.contact_id = f.contact_id and not f.texted and not f.opted_out
  )
  insert into private.dashboard_sms_day_counts as c (day, texted, replied, opted_out)
  select ch.day, ch.texted, ch.replied, ch.opted_out
    from private.pending_sms_day_count_changes() ch
   where (ch.texted, ch.replied, ch.opted_out) <> (0, 0, 0)
  on conflict (day) do update
    set texted = c.texted + excluded.texted, replied = c.replied + excluded.replied,
        opted_out = c.opted_out + excluded.opted_out;
  get diagnostics v_rows = row_count;
  v_folded := v_folded + v_rows;

  with folded as (delete from private.dashboard_pending_blast_recipients p returning p.recipient_id),
  facts as (select * from private.pending_blast_recipient_facts()),
  stored as (
    insert into private.dashboard_blast_recipient_facts as f
    select n.* from facts n
    on conflict (recipient_id) do update
      set blast_id = excluded.blast_id, channel = excluded.channel, variant = excluded.variant,
          skipped = excluded.skipped, sent = excluded.sent, delivered = excluded.delivered,
          failed = excluded.failed, opted_out = excluded.opted_out, replied = excluded.replied
  ),
  gone as (
    delete from private.dashboard_blast_recipient_facts f
     using folded p
     where f.recipient_id = p.recipient_id and not exists (select 1 from facts n where n.recipient_id = p.recipient_id)
  )
  insert into private.dashboard_blast_variant_counts as v
         (blast_id, channel, variant, recipients, skipped, sent, delivered, failed, opted_out, replied)
  select d.blast_id, d.channel, d.variant, d.recipients, d.skipped, d.sent, d.delivered, d.failed, d.opted_out, d.replied
    from private.pending_blast_variant_count_changes() d
   where (d.recipients, d.skipped, d.sent, d.delivered, d.failed, d.opted_out, d.replied) <> (0, 0, 0, 0, 0, 0, 0)
  on conflict on constraint dashboard_blast_variant_counts_key do update
    set recipients = v.recipients + excluded.recipients, skipped = v.skipped + excluded.skipped,
        sent = v.sent + excluded.sent, delivered = v.delivered + excluded.delivered,
        failed = v.failed + excluded.failed, opted_out = v.opted_out + excluded.opted_out,
        replied = v.replied + excluded.replied;
  get diagnostics v_rows = row_count;
  v_folded := v_folded + v_rows;

  with folded as (delete from private.dashboard_pending_check_in_contacts p returning p.contact_id),
  facts as (select * from private.pending_check_in_facts()),
  stored as (
    insert into private.dashboard_check_in_facts as f (check_in_id, event_id, contact_id, first_time)
    select n.check_in_id, n.event_id, n.contact_id, n.first_time from facts n
    on conflict (check_in_id) do update
      set event_id = excluded.event_id, contact_id = excluded.contact_id, first_time = excluded.first_time
  ),
  gone as (
    delete from private.dashboard_check_in_facts f
     where f.contact_id in (select p.contact_id from folded p)
       and not exists (select 1 from facts n where n.check_in_id = f.check_in_id)
  )
  insert into private.dashboard_event_check_in_counts as e (event_id, check_ins, first_timers)
  select d.event_id, d.check_ins, d.first_timers
    from private.pending_check_in_count_changes() d
   where (d.check_ins, d.first_timers) <> (0, 0)
  on conflict (event_id) do update
    set check_ins = e.check_ins + excluded.check_ins, first_timers = e.first_timers + excluded.first_timers;
  get diagnostics v_rows = row_count;
  v_folded := v_folded + v_rows;

  with folded as (delete from private.dashboard_pending_consent_contacts p returning p.contact_id),
  facts as (select * from private.pending_consent_facts()),
  stored as (
    insert into private.dashboard_consent_facts as f (event_id, contact_id, channel, month, opted_in, opted_out)
    select n.event_id, n.contact_id, n.channel, n.month, n.opted_in, n.opted_out from facts n
    on conflict (event_id) do update
      set contact_id = excluded.contact_id, channel = excluded.channel, month = excluded.month,
          opted_in = excluded.opted_in, opted_out = excluded.opted_out
  ),
  gone as (
    delete from private.dashboard_consent_facts f
     where f.contact_id in (select p.contact_id from folded p)
       and not exists (select 1 from facts n where n.event_id = f.event_id)
  )
  insert into private.dashboard_consent_months as m (channel, month, events, opted_in, opted_out)
  select d.channel, d.month, d.events, d.opted_in, d.opted_out
    from private.pending_consent_month_changes() d
   where (d.events, d.opted_in, d.opted_out) <> (0, 0, 0)
  on conflict (channel, month) do update
    set events = m.events + excluded.events, opted_in = m.opted_in + excluded.opted_in,
        opted_out = m.opted_out + excluded.opted_out;
  get diagnostics v_rows = row_count;
  v_folded := v_folded + v_rows;

  -- Counters of deleted blasts and events (their recipients and check-ins are gone too).
  delete from private.dashboard_blast_variant_counts v
   where not exists (select 1 from public.blasts b where b.id = v.blast_id);
  delete from private.dashboard_event_check_in_counts c
   where not exists (select 1 from public.events e where e.id = c.event_id);
  return v_folded;
end
$$;
comment on function private.apply_dashboard_journals() is
  'Fold every journal row this transaction sees into the dashboard rollups; returns how many rollup rows changed.';

create function private.rebuild_dashboard_rollups() returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
begin
  -- Waits for a fold in progress (a short one); folds meanwhile find the lock taken and skip.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('dashboard_rollups', 0));
  -- Each statement clears a rollup and journals everything again from one snapshot: a writer
  -- committing meanwhile either is in that snapshot or has its own journal rows left.
  with cleared as (delete from private.dashboard_message_day_changes returning 1),
  emptied as (delete from private.dashboard_message_days returning 1)
  insert into private.dashboard_message_day_changes (day, channel, direction, kind, status, messages, segments)
  select (m.created_at at time zone v_tz)::date, m.channel, m.direction, m.kind, m.status, count(*), sum(m.segments)
    from public.messages m
   group by 1, 2, 3, 4, 5;
  with cleared as (delete from private.dashboard_contact_month_changes returning 1),
  emptied as (delete from private.dashboard_contact_months returning 1)
  insert into private.dashboard_contact_month_changes (month, contacts, with_phone, with_email, signed_up)
  select date_trunc('month', c.created_at),
         count(*) filter (where c.erased_at is null and c.merged_into is null),
         count(*) filter (where c.erased_at is null and c.merged_into is null and c.phone is not null),
         count(*) filter (where c.erased_at is null and c.merged_into is null and c.email is not null),
         count(*) filter (where c.user_id is not null)
    from public.contacts c
   group by 1;
  with cleared as (delete from private.dashboard_pending_sms_contact_days returning 1),
  facts as (delete from private.dashboard_sms_contact_days returning 1),
  emptied as (delete from private.dashboard_sms_day_counts returning 1)
  insert into private.dashboard_pending_sms_contact_days (day, contact_id)
  select (m.created_at at time zone v_tz)::date, m.contact_id
    from public.messages m
   where m.contact_id is not null and m.direction = 'outbound' and m.channel = 'sms'
     and m.kind in ('blast', 'conversation', 'automation')
  union
  select (e.created_at at time zone v_tz)::date, e.contact_id
    from public.consent_events e
   where e.contact_id is not null and e.channel = 'sms' and e.status = 'opted_out';
  with cleared as (delete from private.dashboard_pending_blast_recipients returning 1),
  facts as (delete from private.dashboard_blast_recipient_facts returning 1),
  emptied as (delete from private.dashboard_blast_variant_counts returning 1)
  insert into private.dashboard_pending_blast_recipients (recipient_id)
  select r.id from public.blast_recipients r;
  with cleared as (delete from private.dashboard_pending_check_in_contacts returning 1),
  facts as (delete from private.dashboard_check_in_facts returning 1),
  emptied as (delete from private.dashboard_event_check_in_counts returning 1)
  insert into private.dashboard_pending_check_in_contacts (contact_id)
  select distinct ci.contact_id from public.check_ins ci;
  with cleared as (delete from private.dashboard_pending_consent_contacts returning 1),
  facts as (delete from private.dashboard_consent_facts returning 1),
  emptied as (delete from private.dashboard_consent_months returning 1)
  insert into private.dashboard_pending_consent_contacts (contact_id)
  select distinct e.contact_id from public.consent_events e where e.contact_id is not null;
  perform private.apply_dashboard_journals();
end
$$;
comment on function private.rebuild_dashboard_rollups() is
  'Recompute every dashboard rollup from the base tables (after a time-zone change or a TRUNCATE; also fills them at migration time).';

-- ============================================================================================
-- Triggers
-- ============================================================================================

create function private.messages_journal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.journal_message_changes(array(
      select row(1, n.id, n.direction, n.kind, n.channel, n.status, n.segments, n.contact_id, n.created_at)::private.dashboard_message_change
        from new_rows n));
  elsif tg_op = 'DELETE' then
    perform private.journal_message_changes(array(
      select row(-1, o.id, o.direction, o.kind, o.channel, o.status, o.segments, o.contact_id, o.created_at)::private.dashboard_message_change
        from old_rows o));
  else
    -- Most updates (leases, provider ids, timestamps) change nothing the dashboard counts.
    perform private.journal_message_changes(array(
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
comment on function private.messages_journal() is
  'Trigger (per statement): journal inserted, updated and deleted messages for the dashboard rollups.';

create trigger messages_journal_inserts after insert on public.messages
  referencing new table as new_rows for each statement execute function private.messages_journal();
create trigger messages_journal_updates after update on public.messages
  referencing old table as old_rows new table as new_rows for each statement execute function private.messages_journal();
create trigger messages_journal_deletes after delete on public.messages
  referencing old table as old_rows for each statement execute function private.messages_journal();

-- The contacts (and SMS opt-out days) a statement's consent events touch.
create function private.journal_consent_changes(p_days date[], p_contacts uuid[], p_opt_outs boolean[]) returns void
language sql
security definer
set search_path = ''
as $$
  with changed as (
    select u.day, u.contact_id, u.opted_out
      from unnest(p_days, p_contacts, p_opt_outs) as u(day, contact_id, opted_out)
     where u.contact_id is not null
  ),
  sms_days as (
    insert into private.dashboard_pending_sms_contact_days (day, contact_id)
    select distinct c.day, c.contact_id from changed c where c.opted_out
  )
  insert into private.dashboard_pending_consent_contacts (contact_id)
  select distinct c.contact_id from changed c
$$;
comment on function private.journal_consent_changes(date[], uuid[], boolean[]) is
  'Append the contacts whose consent events changed (and the days of their SMS opt-outs) to the dashboard journals.';

create function private.consent_events_journal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_tz text := private.dashboard_time_zone();
begin
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.journal_consent_changes(
      array(select (n.created_at at time zone v_tz)::date from new_rows n order by n.id),
      array(select n.contact_id from new_rows n order by n.id),
      array(select n.channel = 'sms' and n.status = 'opted_out' from new_rows n order by n.id));
  end if;
  if tg_op in ('DELETE', 'UPDATE') then
    perform private.journal_consent_changes(
      array(select (o.created_at at time zone v_tz)::date from old_rows o order by o.id),
      array(select o.contact_id from old_rows o order by o.id),
      array(select o.channel = 'sms' and o.status = 'opted_out' from old_rows o order by o.id));
  end if;
  return null;
end
$$;
comment on function private.consent_events_journal() is
  'Trigger (per statement): journal consent-ledger changes for the dashboard''s SMS contact days and consent growth.';

create trigger consent_events_journal_inserts after insert on public.consent_events
  referencing new table as new_rows for each statement execute function private.consent_events_journal();
create trigger consent_events_journal_updates after update on public.consent_events
  referencing old table as old_rows new table as new_rows for each statement execute function private.consent_events_journal();
create trigger consent_events_journal_deletes after delete on public.consent_events
  referencing old table as old_rows for each statement execute function private.consent_events_journal();

create function private.blast_recipients_journal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into private.dashboard_pending_blast_recipients (recipient_id) select n.id from new_rows n;
  elsif tg_op = 'DELETE' then
    insert into private.dashboard_pending_blast_recipients (recipient_id) select o.id from old_rows o;
  else
    -- Claiming, rendering and measuring a recipient change nothing the results count.
    insert into private.dashboard_pending_blast_recipients (recipient_id)
    select n.id from old_rows o join new_rows n on n.id = o.id
     where (o.blast_id, o.channel, o.variant, o.status, o.message_id)
           is distinct from (n.blast_id, n.channel, n.variant, n.status, n.message_id);
  end if;
  return null;
end
$$;
comment on function private.blast_recipients_journal() is
  'Trigger (per statement): journal added, changed and removed blast recipients for the per-variant results.';

create trigger blast_recipients_journal_inserts after insert on public.blast_recipients
  referencing new table as new_rows for each statement execute function private.blast_recipients_journal();
create trigger blast_recipients_journal_updates after update on public.blast_recipients
  referencing old table as old_rows new table as new_rows for each statement execute function private.blast_recipients_journal();
create trigger blast_recipients_journal_deletes after delete on public.blast_recipients
  referencing old table as old_rows for each statement execute function private.blast_recipients_journal();

create function private.contacts_journal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('INSERT', 'UPDATE') then
    perform private.journal_contact_changes(array(
      select row(1, n.created_at, n.erased_at is null and n.merged_into is null, n.phone is not null,
                 n.email is not null, n.user_id is not null)::private.dashboard_contact_change
        from new_rows n));
  end if;
  if tg_op in ('DELETE', 'UPDATE') then
    perform private.journal_contact_changes(array(
      select row(-1, o.created_at, o.erased_at is null and o.merged_into is null, o.phone is not null,
                 o.email is not null, o.user_id is not null)::private.dashboard_contact_change
        from old_rows o));
  end if;
  return null;
end
$$;
comment on function private.contacts_journal() is
  'Trigger (per statement): journal created, changed and removed contacts for the per-month contact counters.';

create trigger contacts_journal_inserts after insert on public.contacts
  referencing new table as new_rows for each statement execute function private.contacts_journal();
create trigger contacts_journal_updates after update on public.contacts
  referencing old table as old_rows new table as new_rows for each statement execute function private.contacts_journal();
create trigger contacts_journal_deletes after delete on public.contacts
  referencing old table as old_rows for each statement execute function private.contacts_journal();

create function private.check_ins_journal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into private.dashboard_pending_check_in_contacts (contact_id) select distinct n.contact_id from new_rows n;
  elsif tg_op = 'DELETE' then
    insert into private.dashboard_pending_check_in_contacts (contact_id) select distinct o.contact_id from old_rows o;
  else
    insert into private.dashboard_pending_check_in_contacts (contact_id)
    select distinct x.contact_id from old_rows o join new_rows n on n.id = o.id
     cross join lateral (values (o.contact_id), (n.contact_id)) as x(contact_id)
     where (o.event_id, o.contact_id, o.checked_in_at) is distinct from (n.event_id, n.contact_id, n.checked_in_at);
  end if;
  return null;
end
$$;
comment on function private.check_ins_journal() is
  'Trigger (per statement): journal the contacts whose check-ins changed (their first-timers are recounted).';

create trigger check_ins_journal_inserts after insert on public.check_ins
  referencing new table as new_rows for each statement execute function private.check_ins_journal();
create trigger check_ins_journal_updates after update on public.check_ins
  referencing old table as old_rows new table as new_rows for each statement execute function private.check_ins_journal();
create trigger check_ins_journal_deletes after delete on public.check_ins
  referencing old table as old_rows for each statement execute function private.check_ins_journal();

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
create policy "Organizers can read message count changes" on private.dashboard_message_day_changes
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read SMS contact days" on private.dashboard_sms_contact_days
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read pending SMS contact days" on private.dashboard_pending_sms_contact_days
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read SMS day counts" on private.dashboard_sms_day_counts
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read contact counts" on private.dashboard_contact_months
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read contact count changes" on private.dashboard_contact_month_changes
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read consent facts" on private.dashboard_consent_facts
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read pending consent contacts" on private.dashboard_pending_consent_contacts
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read consent counts" on private.dashboard_consent_months
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Staff can read check-in facts" on private.dashboard_check_in_facts
  for select to authenticated using ((select private.has_staff_level('volunteer')));
create policy "Staff can read pending check-in contacts" on private.dashboard_pending_check_in_contacts
  for select to authenticated using ((select private.has_staff_level('volunteer')));
create policy "Staff can read check-in counts" on private.dashboard_event_check_in_counts
  for select to authenticated using ((select private.has_staff_level('volunteer')));
create policy "Organizers can read blast recipient outcomes" on private.dashboard_blast_recipient_facts
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read pending blast recipients" on private.dashboard_pending_blast_recipients
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read blast results per variant" on private.dashboard_blast_variant_counts
  for select to authenticated using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the rollups are written by nobody else; only the service role (workers,
-- pg_cron) and a direct database session may call it.
create function public.fold_dashboard_changes() returns bigint
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (select auth.role()) is not null and (select auth.role()) <> 'service_role' then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only workers fold the dashboard''s journals.';
  end if;
  -- One folder at a time: every worker calls this every few seconds; the others return at once.
  if not pg_catalog.pg_try_advisory_xact_lock(pg_catalog.hashtextextended('dashboard_rollups', 0)) then
    return 0;
  end if;
  return private.apply_dashboard_journals();
end
$$;
comment on function public.fold_dashboard_changes() is
  'Workers (every few seconds; one at a time): fold the dashboard journals into the rollups, so the views stay fast. Returns how many rollup rows changed (0 when another fold is running).';
grant execute on function public.fold_dashboard_changes() to service_role;

-- ============================================================================================
-- Views
-- ============================================================================================

-- Every view adds what is not folded yet to the rollups, so it is exact at every moment.
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
    select m.contacts, m.with_phone, m.with_email, m.signed_up
      from private.dashboard_contact_month_changes m
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
      from (select c.month, c.contacts from private.dashboard_contact_months c
            union all
            select c.month, c.contacts from private.dashboard_contact_month_changes c) r
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
  select c.event_id, c.check_ins::bigint as check_ins, c.first_timers::bigint as first_timers
    from private.dashboard_event_check_in_counts c
   where (select private.dashboard_sees_everything('volunteer'))
  union all
  select c.event_id, c.check_ins, c.first_timers
    from private.pending_check_in_count_changes() c
   where (select private.dashboard_sees_everything('volunteer'))
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
    from (select c.channel, c.month, c.events, c.opted_in, c.opted_out from private.dashboard_consent_months c
          union all
          select c.channel, c.month, c.events, c.opted_in, c.opted_out from private.pending_consent_month_changes() c) r
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
  from (select t.day, t.channel, t.direction, t.kind, t.status, t.messages, t.segments
          from private.dashboard_message_days t
        union all
        select c.day, c.channel, c.direction, c.kind, c.status, c.messages, c.segments
          from private.dashboard_message_day_changes c) d
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
  from (select c.day, c.texted, c.replied, c.opted_out from private.dashboard_sms_day_counts c
        union all
        select c.day, c.texted, c.replied, c.opted_out from private.pending_sms_day_count_changes() c) d
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
  join (select c.blast_id, c.channel, c.variant, c.recipients, c.skipped, c.sent, c.delivered, c.failed,
               c.opted_out, c.replied
          from private.dashboard_blast_variant_counts c
        union all
        select c.blast_id, c.channel, c.variant, c.recipients, c.skipped, c.sent, c.delivered, c.failed,
               c.opted_out, c.replied
          from private.pending_blast_variant_count_changes() c) v on v.blast_id = b.id
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
