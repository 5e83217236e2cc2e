-- Dashboard rollups (issue 16, item 8: the dashboard "fast on real volumes, pre-aggregated where
-- needed"). The messaging views count a year of messages; at 1M rows they took most of a second.
--
-- Pre-aggregated by READING, never by writing: nothing on the sending hot path writes here (no
-- trigger on messages inserts or updates — two write-side designs failed: shared rollup rows
-- deadlocked with message row locks, and journals appended by statement triggers slowed sending
-- by 10-20 %). Instead public.fold_dashboard() (workers every few seconds, or pg_cron; one runner
-- at a time) recomputes, for the keys whose rows changed since its watermark, the per-day and
-- per-blast-variant counts. A row "changed since the watermark" is found through
-- messages.updated_at, which the existing status trigger already stamps on every update (and
-- which defaults to now() on insert), through an index on it.
--
-- The views stay exact at every moment: they return the folded rows for keys nothing touched
-- since the watermark, and count keys touched since then live from messages. Old days rarely
-- change, so the live part is a few days (or one running blast) at most.
--
-- The watermark is the fold's transaction start, or earlier: the start of the oldest other
-- transaction still open when the fold looks (pg_stat_activity). A row written by a transaction
-- still open then carries an updated_at (its transaction's now()) at or after the watermark, so
-- it is counted live until a later fold sees it committed. Deleting or truncating messages or
-- blast recipients (never done by the product; by hand in Studio at most) resets the watermark,
-- which makes every view fully live until the next fold refolds everything. The fold takes no
-- lock a delete could wait on before the delete's own (its one update of the state comes last
-- and keeps a reset), so the two cannot deadlock.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.dashboard_fold_state (
  id boolean primary key default true check (id),
  watermark timestamptz not null default '-infinity',
  time_zone text,
  folded_at timestamptz,
  fold_ms numeric,
  keys_folded integer,
  resets bigint not null default 0
);
comment on table public.dashboard_fold_state is
  'One row: how far the dashboard rollups are folded. Rows of messages changed at or after watermark are counted live by the dashboard views.';
comment on column public.dashboard_fold_state.watermark is
  'Rows with updated_at before this are in the rollups; -infinity means nothing is folded (every view counts live).';
comment on column public.dashboard_fold_state.time_zone is
  'The organisation time zone the days were folded in; a different setting makes the views count live until the next fold.';
comment on column public.dashboard_fold_state.fold_ms is 'How long the last fold took (milliseconds).';
comment on column public.dashboard_fold_state.keys_folded is 'How many days and blasts the last fold recomputed.';
comment on column public.dashboard_fold_state.resets is
  'Counts deletes that reset the watermark; a fold that ran across one does not move the watermark.';
insert into public.dashboard_fold_state default values;

create table public.dashboard_message_days (
  day date not null,
  channel public.message_channel not null,
  direction public.message_direction not null,
  kind public.message_kind not null,
  status public.message_status not null,
  messages integer not null,
  segments integer not null,
  primary key (day, channel, direction, kind, status)
);
comment on table public.dashboard_message_days is
  'Folded message counts per day (organisation time zone), channel, direction, kind and status; read through public.message_daily_stats.';

create table public.dashboard_reply_days (
  day date primary key,
  contacts_texted integer not null,
  contacts_replied integer not null
);
comment on table public.dashboard_reply_days is
  'Folded per day: contacts texted (SMS blasts, conversations, automations) and how many replied within 3 days; read through public.messaging_daily_rates.';

create table public.dashboard_blast_variants (
  -- No foreign key: its check would lock the blasts row the senders' counters update; a
  -- deleted blast's rows drop out of the view's join with blasts and out of the next full fold.
  blast_id uuid not null,
  blast_status public.blast_status not null,
  channel public.message_channel not null,
  variant text,
  recipients integer not null,
  skipped integer not null,
  sent integer not null,
  delivered integer not null,
  failed integer not null,
  opted_out integer not null,
  replied integer not null,
  constraint dashboard_blast_variants_key unique nulls not distinct (blast_id, channel, variant)
);
comment on table public.dashboard_blast_variants is
  'Folded results per blast, channel and A/B variant; read through public.blast_variant_results, which uses them only for a blast that was completed or cancelled when folded.';
comment on column public.dashboard_blast_variants.blast_status is
  'The blast''s status when folded: only a final status (completed, cancelled) makes the row usable.';

create index messages_updated_at_idx on public.messages (updated_at);
comment on index public.messages_updated_at_idx is
  'Finds the messages changed since the dashboard fold''s watermark (20261128010000_dashboard_rollups).';

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on public.dashboard_fold_state, public.dashboard_message_days, public.dashboard_reply_days,
  public.dashboard_blast_variants from anon, authenticated;
grant select on public.dashboard_fold_state, public.dashboard_message_days, public.dashboard_reply_days,
  public.dashboard_blast_variants to authenticated;
grant all on public.dashboard_fold_state, public.dashboard_message_days, public.dashboard_reply_days,
  public.dashboard_blast_variants to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- SECURITY DEFINER: whoever deletes messages (the service role, an admin in Studio) must be able
-- to reset the fold state, which nobody else may write.
create function private.dashboard_forget_folds() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A deleted row leaves no updated_at behind to find it by: count everything live until the
  -- next fold, which then refolds everything.
  update public.dashboard_fold_state set watermark = '-infinity', resets = resets + 1 where id;
  return null;
end
$$;
comment on function private.dashboard_forget_folds() is
  'Trigger (per statement, on delete or truncate of messages and blast recipients): reset the dashboard fold watermark.';

create trigger messages_dashboard_forget_folds after delete or truncate on public.messages
  for each statement execute function private.dashboard_forget_folds();
create trigger blast_recipients_dashboard_forget_folds after delete or truncate on public.blast_recipients
  for each statement execute function private.dashboard_forget_folds();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.dashboard_fold_state enable row level security;
alter table public.dashboard_message_days enable row level security;
alter table public.dashboard_reply_days enable row level security;
alter table public.dashboard_blast_variants enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- The helpers are SECURITY INVOKER: called by a view they count under the reader's RLS (exactly
-- what the old views counted); called by the fold (a definer owned by the tables' owner) they
-- count everything.

create function private.dashboard_time_zone() returns text
language sql
stable
set search_path = ''
as $$
  select s.org_time_zone from public.messaging_settings s where s.id
$$;
comment on function private.dashboard_time_zone() is 'The organisation time zone the dashboard counts days in.';
grant execute on function private.dashboard_time_zone() to authenticated, service_role;

create function private.dashboard_watermark() returns timestamptz
language sql
stable
set search_path = ''
as $$
  select coalesce((select f.watermark from public.dashboard_fold_state f
                    where f.id and f.time_zone = (select private.dashboard_time_zone())), '-infinity')
$$;
comment on function private.dashboard_watermark() is
  'Messages changed at or after this are not in the rollups (-infinity: nothing usable is folded, e.g. after a time zone change).';
grant execute on function private.dashboard_watermark() to authenticated, service_role;

create function private.dashboard_changed_days() returns setof date
language sql
stable
set search_path = ''
as $$
  with changed as (
    select m.created_at, m.direction, m.contact_id
      from public.messages m
     where m.updated_at >= (select private.dashboard_watermark())
       and (select private.dashboard_watermark()) > '-infinity'
  )
  -- Nothing folded: every day from the first message to the last (a day without messages
  -- counts nothing), found at both ends of messages_created_at_idx rather than row by row.
  select d::date
    from generate_series((select (min(m.created_at) at time zone (select private.dashboard_time_zone()))::date
                            from public.messages m),
                         (select (max(m.created_at) at time zone (select private.dashboard_time_zone()))::date
                            from public.messages m),
                         interval '1 day') d
   where (select private.dashboard_watermark()) = '-infinity'
  union
  select d.day
    from (select (c.created_at at time zone (select private.dashboard_time_zone()))::date as day from changed c
          union all
          -- A reply counts on the days of the contact's texts in the 3 days before it (4 here: a
          -- day more never hurts, and covers a daylight-saving hour).
          select (o.created_at at time zone (select private.dashboard_time_zone()))::date
            from changed c
            join public.messages o on o.contact_id = c.contact_id and o.direction = 'outbound'
                                  and o.created_at < c.created_at and o.created_at > c.created_at - interval '4 days'
           where c.direction = 'inbound') d
$$;
comment on function private.dashboard_changed_days() is
  'Days (organisation time zone) whose message counts or reply counts may differ from the rollups.';
grant execute on function private.dashboard_changed_days() to authenticated, service_role;

create function private.dashboard_live_blasts() returns setof uuid
language sql
stable
set search_path = ''
as $$
  with changed as (
    select m.created_at, m.direction, m.contact_id, m.blast_id
      from public.messages m
     where m.updated_at >= (select private.dashboard_watermark())
       and (select private.dashboard_watermark()) > '-infinity'
  )
  -- A blast not final when folded (or never folded) still changes: its recipients move.
  select b.id
    from public.blasts b
   where (select private.dashboard_watermark()) = '-infinity'
      or b.status not in ('completed', 'cancelled')
      or not exists (select 1 from public.dashboard_blast_variants v
                      where v.blast_id = b.id and v.blast_status = b.status)
  union
  select c.blast_id from changed c where c.blast_id is not null
  union
  select o.blast_id
    from changed c
    join public.messages o on o.contact_id = c.contact_id and o.blast_id is not null
                          and o.created_at < c.created_at and o.created_at > c.created_at - interval '4 days'
   where c.direction = 'inbound'
$$;
comment on function private.dashboard_live_blasts() is
  'Blasts whose results must be counted live: not final when folded, never folded, or with messages (or replies to them) changed since the watermark.';
grant execute on function private.dashboard_live_blasts() to authenticated, service_role;

create function private.dashboard_message_counts(p_days date[])
returns table (day date, channel public.message_channel, direction public.message_direction,
               kind public.message_kind, status public.message_status, messages integer, segments integer)
language sql
stable
set search_path = ''
as $$
  -- materialized: the zone is looked up once, not once per row (the planner would inline it).
  with zone as materialized (select private.dashboard_time_zone() as name)
  select (m.created_at at time zone z.name)::date, m.channel, m.direction, m.kind, m.status,
         count(*)::integer, coalesce(sum(m.segments), 0)::integer
    from zone z
    cross join unnest(p_days) as d (day)
    join public.messages m on m.created_at >= (d.day::timestamp at time zone z.name)
                          and m.created_at < ((d.day + 1)::timestamp at time zone z.name)
   group by 1, 2, 3, 4, 5
$$;
comment on function private.dashboard_message_counts(date[]) is
  'Messages per day, channel, direction, kind and status (with SMS segments), counted from messages for the given days.';
grant execute on function private.dashboard_message_counts(date[]) to authenticated, service_role;

create function private.dashboard_reply_counts(p_days date[])
returns table (day date, contacts_texted integer, contacts_replied integer)
language sql
stable
set search_path = ''
as $$
  -- materialized: the zone is looked up once, not once per row (the planner would inline it).
  with zone as materialized (select private.dashboard_time_zone() as name),
  texts as (
    select (m.created_at at time zone z.name)::date as day, m.contact_id, m.created_at
      from zone z
      cross join unnest(p_days) as d (day)
      join public.messages m on m.created_at >= (d.day::timestamp at time zone z.name)
                            and m.created_at < ((d.day + 1)::timestamp at time zone z.name)
     where m.channel = 'sms' and m.contact_id is not null and m.direction = 'outbound'
       and m.kind in ('blast', 'conversation', 'automation')
  )
  -- A reply: the contact wrote within 3 days after a text that day.
  select t.day, count(distinct t.contact_id)::integer,
         count(distinct t.contact_id) filter (where exists (
           select 1 from public.messages i
            where i.contact_id = t.contact_id and i.direction = 'inbound'
              and i.created_at > t.created_at and i.created_at < t.created_at + interval '3 days'))::integer
    from texts t
   group by t.day
$$;
comment on function private.dashboard_reply_counts(date[]) is
  'Per day: contacts texted and how many of them replied within 3 days, counted from messages for the given days.';
grant execute on function private.dashboard_reply_counts(date[]) to authenticated, service_role;

create function private.dashboard_blast_counts(p_blasts uuid[])
returns table (blast_id uuid, channel public.message_channel, variant text, recipients integer,
               skipped integer, sent integer, delivered integer, failed integer, opted_out integer,
               replied integer)
language sql
stable
set search_path = ''
as $$
  select r.blast_id, r.channel, r.variant,
         count(*)::integer,
         count(*) filter (where r.status = 'skipped')::integer,
         count(m.id) filter (where m.status in ('sent', 'delivered', 'undelivered'))::integer,
         count(m.id) filter (where m.status = 'delivered')::integer,
         count(m.id) filter (where m.status in ('failed', 'undelivered'))::integer,
         count(m.id) filter (where m.recipient_opted_out_at is not null)::integer,
         count(m.id) filter (where exists (
           select 1 from public.messages i
            where i.contact_id = m.contact_id and i.direction = 'inbound'
              and i.created_at > m.created_at and i.created_at < m.created_at + interval '3 days'))::integer
    from public.blast_recipients r
    left join public.messages m on m.id = r.message_id
   where r.blast_id = any (p_blasts)
   group by r.blast_id, r.channel, r.variant
$$;
comment on function private.dashboard_blast_counts(uuid[]) is
  'Per blast, channel and A/B variant: recipients, skipped, sent, delivered, failed, opted out and replied (within 3 days), counted live.';
grant execute on function private.dashboard_blast_counts(uuid[]) to authenticated, service_role;

-- ============================================================================================
-- Policies
-- ============================================================================================

-- The rollups count messages and blasts, which organizers read (as the live views did).
create policy "Organizers can read the dashboard fold state" on public.dashboard_fold_state
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read folded message days" on public.dashboard_message_days
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read folded reply days" on public.dashboard_reply_days
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Organizers can read folded blast results" on public.dashboard_blast_variants
  for select to authenticated using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Views (moved here from 20261122001300_dashboards.sql: same columns, the messaging ones now
-- folded + live)
-- ============================================================================================

create view public.message_daily_stats with (security_invoker = true) as
with changed as (select coalesce(array_agg(d), '{}') as days from private.dashboard_changed_days() d)
select r.day, r.channel, r.direction, r.kind, r.status, r.messages, r.segments
  from changed c, public.dashboard_message_days r
 where (select private.dashboard_watermark()) > '-infinity'
   and r.day <> all (c.days)
union all
select l.day, l.channel, l.direction, l.kind, l.status, l.messages, l.segments
  from changed c, private.dashboard_message_counts(c.days) l;
comment on view public.message_daily_stats is
  'Messages per day (organisation time zone), channel, direction, kind and status, with SMS segments.';

create view public.messaging_daily_rates with (security_invoker = true) as
with changed as (select coalesce(array_agg(d), '{}') as days from private.dashboard_changed_days() d),
texted as (
  select r.day, r.contacts_texted, r.contacts_replied
    from changed c, public.dashboard_reply_days r
   where (select private.dashboard_watermark()) > '-infinity'
     and r.day <> all (c.days)
  union all
  select l.day, l.contacts_texted, l.contacts_replied
    from changed c, private.dashboard_reply_counts(c.days) l
),
opted_out as (
  select (e.created_at at time zone (select private.dashboard_time_zone()))::date as day,
         count(distinct e.contact_id) as contacts_opted_out
  from public.consent_events e
  where e.channel = 'sms' and e.status = 'opted_out'
  group by 1
)
select t.day, t.contacts_texted, t.contacts_replied,
       coalesce(o.contacts_opted_out, 0)::integer as contacts_opted_out,
       round(t.contacts_replied::numeric / nullif(t.contacts_texted, 0), 4) as reply_rate,
       round(coalesce(o.contacts_opted_out, 0)::numeric / nullif(t.contacts_texted, 0), 4) as opt_out_rate
from texted t
left join opted_out o on o.day = t.day;
comment on view public.messaging_daily_rates is
  'Per day: contacts texted, how many replied within 3 days, how many opted out, and the two rates.';

create view public.blast_variant_results with (security_invoker = true) as
with live as (select coalesce(array_agg(l), '{}') as blasts from private.dashboard_live_blasts() l)
select b.id as blast_id, b.name, b.status as blast_status, v.channel, v.variant, v.recipients, v.skipped,
       v.sent, v.delivered, v.failed, v.opted_out, v.replied
  from live l, public.blasts b
  join public.dashboard_blast_variants v on v.blast_id = b.id and v.blast_status = b.status
 where b.id <> all (l.blasts)
union all
select b.id, b.name, b.status, c.channel, c.variant, c.recipients, c.skipped,
       c.sent, c.delivered, c.failed, c.opted_out, c.replied
  from live l
  cross join private.dashboard_blast_counts(l.blasts) c
  join public.blasts b on b.id = c.blast_id;
comment on view public.blast_variant_results is
  'Per blast, channel and A/B variant: recipients, skipped, sent, delivered, failed, opted out and replied (within 3 days).';

-- Check-ins per event need no rollup (a check-in row per person and event: tens of thousands),
-- only one pass instead of two probes per check-in: a check-in is a first-timer's when nothing of
-- the same contact is earlier, i.e. when it is at the contact's earliest time (ties count as first,
-- as before); returning when it is later. The window reads check_ins_contact_id_idx in order.
create view public.dashboard_checkins_per_event with (security_invoker = true) as
select e.id as event_id, e.name, e.starts_at,
       count(c.id) as check_ins,
       count(c.id) filter (where c.checked_in_at = c.first_at) as first_timers,
       count(c.id) filter (where c.checked_in_at > c.first_at) as returning_attendees
  from public.events e
  left join (select ci.id, ci.event_id, ci.checked_in_at,
                    min(ci.checked_in_at) over (partition by ci.contact_id) as first_at
               from public.check_ins ci) c on c.event_id = e.id
 group by e.id, e.name, e.starts_at;
comment on view public.dashboard_checkins_per_event is
  'Check-ins per event split into first-timers (first check-in ever) and returning attendees.';
revoke all on public.dashboard_checkins_per_event from anon, authenticated;
grant select on public.dashboard_checkins_per_event to authenticated, service_role;

revoke all on public.message_daily_stats, public.messaging_daily_rates, public.blast_variant_results from anon;
grant select on public.message_daily_stats, public.messaging_daily_rates, public.blast_variant_results
  to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the fold writes the rollups, which no API role may write, and must count
-- every row whatever the caller could read. Only the service role (workers) and direct database
-- sessions (pg_cron, operators) may run it.
create function public.fold_dashboard() returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_started timestamptz := clock_timestamp();
  v_zone text := private.dashboard_time_zone();
  v_state public.dashboard_fold_state;
  v_watermark timestamptz;
  v_hidden bigint;
  v_days date[];
  v_blasts uuid[];
  v_ms numeric;
begin
  if (select auth.role()) is not null and (select auth.role()) <> 'service_role' then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only the workers (service role) and database sessions fold the dashboard.';
  end if;
  -- One runner at a time: every worker calls this every few seconds; the others return at once.
  if not pg_try_advisory_xact_lock(hashtextextended('fold_dashboard', 0)) then
    return null;
  end if;
  -- Not locked here: a delete's trigger (which holds its lock on messages) must be able to reset
  -- the state meanwhile; the final update below keeps such a reset.
  select * into v_state from public.dashboard_fold_state f where f.id;

  -- The next watermark: this transaction's start, or the start of the oldest other open
  -- transaction, whose rows may not be visible yet (pg_stat_activity, read fresh).
  perform pg_catalog.pg_stat_clear_snapshot();
  select least(now(), min(a.xact_start)),
         count(*) filter (where a.query = '<insufficient privilege>')
    into v_watermark, v_hidden
    from pg_catalog.pg_stat_activity a
   where a.pid <> pg_catalog.pg_backend_pid()
     and a.backend_type in ('client backend', 'background worker');
  if v_hidden > 0 then
    -- Without every session's transaction start the watermark could pass rows still being
    -- written: refuse (the views stay exact, counting live) rather than fold wrong numbers.
    raise exception using errcode = 'P0001', message = 'fold_cannot_see_sessions',
      detail = 'fold_dashboard must read every session''s transaction start: grant pg_read_all_stats to its owner.';
  end if;

  if v_state.watermark = '-infinity' or v_state.time_zone is distinct from v_zone then
    -- Fold everything (first run, a time zone change, a delete): every day that has messages.
    delete from public.dashboard_message_days where true;
    delete from public.dashboard_reply_days where true;
    delete from public.dashboard_blast_variants where true;
    select array_agg(distinct (m.created_at at time zone v_zone)::date) into v_days from public.messages m;
    select array_agg(b.id) into v_blasts from public.blasts b where b.status in ('completed', 'cancelled');
  else
    select array_agg(d) into v_days from private.dashboard_changed_days() d;
    -- A blast still sending is counted live by the view whatever is folded: fold it once final.
    select array_agg(l) into v_blasts
      from private.dashboard_live_blasts() l
      join public.blasts b on b.id = l and b.status in ('completed', 'cancelled');
    delete from public.dashboard_message_days r where r.day = any (v_days);
    delete from public.dashboard_reply_days r where r.day = any (v_days);
    delete from public.dashboard_blast_variants r where r.blast_id = any (v_blasts);
  end if;

  insert into public.dashboard_message_days (day, channel, direction, kind, status, messages, segments)
  select * from private.dashboard_message_counts(coalesce(v_days, '{}'));
  insert into public.dashboard_reply_days (day, contacts_texted, contacts_replied)
  select * from private.dashboard_reply_counts(coalesce(v_days, '{}'));
  insert into public.dashboard_blast_variants (blast_id, blast_status, channel, variant, recipients, skipped,
                                               sent, delivered, failed, opted_out, replied)
  select c.blast_id, b.status, c.channel, c.variant, c.recipients, c.skipped, c.sent, c.delivered, c.failed,
         c.opted_out, c.replied
    from private.dashboard_blast_counts(coalesce(v_blasts, '{}')) c
    join public.blasts b on b.id = c.blast_id;

  v_ms := round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
  -- A delete that reset the watermark meanwhile wins (its rows may be in what was just folded):
  -- the update then matches nothing and the next fold refolds everything.
  update public.dashboard_fold_state f
     set watermark = v_watermark, time_zone = v_zone, folded_at = now(), fold_ms = v_ms,
         keys_folded = coalesce(cardinality(v_days), 0) + coalesce(cardinality(v_blasts), 0)
   where f.id and f.resets = v_state.resets;
  return jsonb_build_object('days', coalesce(cardinality(v_days), 0), 'blasts', coalesce(cardinality(v_blasts), 0),
                            'ms', v_ms, 'watermark', v_watermark);
end
$$;
comment on function public.fold_dashboard() is
  'Workers (every few seconds; one runner at a time) or pg_cron: recompute the dashboard rollups for the days and blasts changed since the watermark, then move it. Returns what it folded (null when another fold is running).';
grant execute on function public.fold_dashboard() to service_role;
