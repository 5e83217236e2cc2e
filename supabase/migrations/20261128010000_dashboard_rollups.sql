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
--
-- Also here: check-ins per event, counted per event asked for (no rollup needed), and the
-- index a sending blast's results are counted through (blast_recipients by blast).

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
create index blast_recipients_blast_id_idx on public.blast_recipients (blast_id);
comment on index public.blast_recipients_blast_id_idx is
  'Counts a blast''s recipients for its results while it sends (20261128010000_dashboard_rollups).';

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

-- PL/pgSQL, SECURITY INVOKER: called by a view they count under the reader's RLS (exactly what
-- the old views counted); called by the fold (a definer owned by the tables' owner) they count
-- everything. PL/pgSQL rather than SQL: a SQL function with `set search_path` is never inlined
-- and is planned again at every call with its arguments unknown (the planner then guessed a
-- sequential scan of messages for an empty list of days); PL/pgSQL plans each query with the
-- actual arguments (force_custom_plan), so an empty list costs nothing and a year of days is
-- counted in one pass. No JIT: the planner cannot know how many days a list holds, guesses
-- thousands of rows, and compiling then costs more than counting.

create function private.dashboard_changes(
  out zone text, out watermark timestamptz, out message_days date[], out reply_days date[], out blasts uuid[])
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
set jit = off
as $$
begin
  zone := (select s.org_time_zone from public.messaging_settings s where s.id);
  -- Folded in another time zone (the setting changed since): nothing folded is usable.
  watermark := coalesce((select f.watermark from public.dashboard_fold_state f where f.id and f.time_zone = zone),
                        '-infinity');
  if watermark = '-infinity' then
    -- Nothing folded: every day from the first message to the last (a day without messages
    -- counts nothing), found at both ends of messages_created_at_idx; every blast.
    select coalesce(array_agg(d::date), '{}') into message_days
      from generate_series((select (min(m.created_at) at time zone zone)::date from public.messages m),
                           (select (max(m.created_at) at time zone zone)::date from public.messages m),
                           interval '1 day') d;
    reply_days := message_days;
    select coalesce(array_agg(b.id), '{}') into blasts from public.blasts b;
    return;
  end if;
  -- A changed message changes its own day's counts, and its own day's texted contacts.
  select coalesce(array_agg(distinct (m.created_at at time zone zone)::date), '{}') into message_days
    from public.messages m
   where m.updated_at >= watermark;
  -- A changed reply (inbound) also changes whether the contact's texts of the 3 days before it
  -- were replied to (4 here: a day more never hurts, and covers a daylight-saving hour).
  select coalesce(array_agg(distinct d.day), '{}') into reply_days
    from (select unnest(message_days) as day
          union all
          select (o.created_at at time zone zone)::date
            from public.messages c
            join public.messages o on o.contact_id = c.contact_id and o.direction = 'outbound'
                                  and o.created_at < c.created_at and o.created_at > c.created_at - interval '4 days'
           where c.updated_at >= watermark and c.direction = 'inbound') d;
  -- A blast not final when folded (or never folded) still changes: its recipients move.
  select coalesce(array_agg(distinct l.id), '{}') into blasts
    from (select b.id
            from public.blasts b
           where b.status not in ('completed', 'cancelled')
              or not exists (select 1 from public.dashboard_blast_variants v
                              where v.blast_id = b.id and v.blast_status = b.status)
          union all
          select m.blast_id from public.messages m where m.updated_at >= watermark and m.blast_id is not null
          union all
          select o.blast_id
            from public.messages c
            join public.messages o on o.contact_id = c.contact_id and o.blast_id is not null
                                  and o.created_at < c.created_at and o.created_at > c.created_at - interval '4 days'
           where c.updated_at >= watermark and c.direction = 'inbound') l;
end
$$;
comment on function private.dashboard_changes() is
  'What the dashboard must count live: the organisation time zone, the fold watermark (-infinity: nothing usable is folded), the days whose message or reply counts may differ from the rollups, and the blasts whose results may.';
grant execute on function private.dashboard_changes() to authenticated, service_role;

create function private.dashboard_day_ranges(p_zone text, p_days date[])
returns table (from_at timestamptz, to_at timestamptz)
language sql
stable
set search_path = ''
as $$
  -- Consecutive days share day - row number; each run is [its first midnight, the midnight after
  -- its last day) in p_zone, so a day is 23 or 25 hours long where the clocks change.
  select min(d.day)::timestamp at time zone p_zone, (max(d.day) + 1)::timestamp at time zone p_zone
    from (select u.day, u.day - (row_number() over (order by u.day))::integer as run
            from (select distinct x as day from unnest(p_days) x) u) d
   group by d.run
$$;
comment on function private.dashboard_day_ranges(text, date[]) is
  'The given days (in time zone p_zone) as runs of consecutive days, each one range [from_at, to_at) of messages.created_at for the counting helpers to read.';
grant execute on function private.dashboard_day_ranges(text, date[]) to authenticated, service_role;

create function private.dashboard_message_counts(p_zone text, p_days date[])
returns table (day date, channel public.message_channel, direction public.message_direction,
               kind public.message_kind, status public.message_status, messages integer, segments integer)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
set jit = off
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
begin
  -- One range per run of days, its bounds planned as constants: a few recent days are read
  -- through messages_created_at_idx, a whole year by one sequential scan.
  for v_from, v_to in
    select r.from_at, r.to_at from private.dashboard_day_ranges(p_zone, p_days) r
  loop
    return query
    select (m.created_at at time zone p_zone)::date, m.channel, m.direction, m.kind, m.status,
           count(*)::integer, coalesce(sum(m.segments), 0)::integer
      from public.messages m
     where m.created_at >= v_from and m.created_at < v_to
     group by 1, 2, 3, 4, 5;
  end loop;
end
$$;
comment on function private.dashboard_message_counts(text, date[]) is
  'Messages per day (in the given time zone), channel, direction, kind and status (with SMS segments), counted from messages for the given days.';
grant execute on function private.dashboard_message_counts(text, date[]) to authenticated, service_role;

create function private.dashboard_reply_counts(p_zone text, p_days date[])
returns table (day date, contacts_texted integer, contacts_replied integer)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
set jit = off
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
begin
  for v_from, v_to in
    select r.from_at, r.to_at from private.dashboard_day_ranges(p_zone, p_days) r
  loop
    return query
    with texts as materialized (
      select (m.created_at at time zone p_zone)::date as day, m.contact_id, m.created_at
        from public.messages m
       where m.created_at >= v_from and m.created_at < v_to
         and m.channel = 'sms' and m.contact_id is not null and m.direction = 'outbound'
         and m.kind in ('blast', 'conversation', 'automation')
    ),
    -- A reply: the contact wrote within 3 days after a text that day. Only messages from the
    -- run's start to 3 days after its end can be one: read them once and match them by contact
    -- (a hash join) rather than probing messages once per text.
    replied as (
      select distinct t.day, t.contact_id
        from texts t
        join public.messages i on i.contact_id = t.contact_id
                              and i.created_at > t.created_at and i.created_at < t.created_at + interval '3 days'
       where i.direction = 'inbound' and i.created_at > v_from and i.created_at < v_to + interval '3 days'
    )
    select t.day, t.texted::integer, coalesce(r.replied, 0)::integer
      from (select x.day, count(distinct x.contact_id) as texted from texts x group by x.day) t
      left join (select y.day, count(*) as replied from replied y group by y.day) r on r.day = t.day;
  end loop;
end
$$;
comment on function private.dashboard_reply_counts(text, date[]) is
  'Per day (in the given time zone): contacts texted by SMS (blasts, conversations, automations) and how many of them replied within 3 days, counted from messages for the given days.';
grant execute on function private.dashboard_reply_counts(text, date[]) to authenticated, service_role;

create function private.dashboard_blast_counts(p_blasts uuid[])
returns table (blast_id uuid, channel public.message_channel, variant text, recipients integer,
               skipped integer, sent integer, delivered integer, failed integer, opted_out integer,
               replied integer)
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_custom_plan
set jit = off
as $$
declare
  v_from timestamptz;
  v_to timestamptz;
begin
  -- The blasts' texts are read together through messages_blast_idx (not one primary-key probe
  -- per recipient), and a reply is looked for only among the inbound texts from the first of
  -- them to 3 days after the last, matched by contact (not one probe per text).
  -- Per blast, at both ends of messages_blast_idx (a min over any of the blasts would walk
  -- messages_created_at_idx from the first message of all until it met one of theirs).
  select min(x.first_at), max(x.last_at) into v_from, v_to
    from unnest(p_blasts) as b (id)
    cross join lateral (select min(m.created_at) as first_at, max(m.created_at) as last_at
                          from public.messages m
                         where m.blast_id = b.id) x;
  return query
  with texts as materialized (
    select m.id, m.contact_id, m.created_at, m.status, m.recipient_opted_out_at
      from public.messages m
     where m.blast_id = any (p_blasts)
  ),
  replied as materialized (
    select distinct t.id
      from texts t
      join public.messages i on i.contact_id = t.contact_id
                            and i.created_at > t.created_at and i.created_at < t.created_at + interval '3 days'
     where i.direction = 'inbound' and i.created_at > v_from and i.created_at < v_to + interval '3 days'
  )
  select r.blast_id, r.channel, r.variant,
         count(*)::integer,
         count(*) filter (where r.status = 'skipped')::integer,
         count(t.id) filter (where t.status in ('sent', 'delivered', 'undelivered'))::integer,
         count(t.id) filter (where t.status = 'delivered')::integer,
         count(t.id) filter (where t.status in ('failed', 'undelivered'))::integer,
         count(t.id) filter (where t.recipient_opted_out_at is not null)::integer,
         count(p.id)::integer
    from public.blast_recipients r
    left join texts t on t.id = r.message_id
    left join replied p on p.id = t.id
   where r.blast_id = any (p_blasts)
   group by r.blast_id, r.channel, r.variant;
end
$$;
comment on function private.dashboard_blast_counts(uuid[]) is
  'Per blast, channel and A/B variant: recipients, skipped, sent, delivered, failed, opted out and replied (within 3 days), counted live. A recipient''s text is a message of the same blast (the claim writes both).';
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
with changes as materialized (select * from private.dashboard_changes())
select r.day, r.channel, r.direction, r.kind, r.status, r.messages, r.segments
  from changes c
  join public.dashboard_message_days r on r.day <> all (c.message_days)
 where c.watermark > '-infinity'
union all
select l.day, l.channel, l.direction, l.kind, l.status, l.messages, l.segments
  from changes c
  cross join private.dashboard_message_counts(c.zone, c.message_days) l;
comment on view public.message_daily_stats is
  'Messages per day (organisation time zone), channel, direction, kind and status, with SMS segments.';

create view public.messaging_daily_rates with (security_invoker = true) as
with changes as materialized (select * from private.dashboard_changes()),
texted as (
  select r.day, r.contacts_texted, r.contacts_replied
    from changes c
    join public.dashboard_reply_days r on r.day <> all (c.reply_days)
   where c.watermark > '-infinity'
  union all
  select l.day, l.contacts_texted, l.contacts_replied
    from changes c
    cross join private.dashboard_reply_counts(c.zone, c.reply_days) l
),
-- materialized: day_start and day_end must reach the lateral below as plain values. Inlined,
-- they are timezone() calls, which are not leakproof, so RLS on consent_events would keep them
-- out of its index condition (a sequential scan of the ledger per day).
days as materialized (
  select t.day, t.contacts_texted, t.contacts_replied,
         t.day::timestamp at time zone c.zone as day_start, (t.day + 1)::timestamp at time zone c.zone as day_end
    from changes c
    cross join texted t
)
-- Opt-outs counted for the days asked for only (consent_events_created_at_idx), not for the
-- whole ledger at every read.
select d.day, d.contacts_texted, d.contacts_replied, o.contacts_opted_out,
       round(d.contacts_replied::numeric / nullif(d.contacts_texted, 0), 4) as reply_rate,
       round(o.contacts_opted_out::numeric / nullif(d.contacts_texted, 0), 4) as opt_out_rate
  from days d
  cross join lateral (
    select count(distinct e.contact_id)::integer as contacts_opted_out
      from public.consent_events e
     where e.channel = 'sms' and e.status = 'opted_out'
       and e.created_at >= d.day_start and e.created_at < d.day_end) o;
comment on view public.messaging_daily_rates is
  'Per day: contacts texted, how many replied within 3 days, how many opted out, and the two rates.';

create view public.blast_variant_results with (security_invoker = true) as
with changes as materialized (select c.blasts from private.dashboard_changes() c)
select b.id as blast_id, b.name, b.status as blast_status, v.channel, v.variant, v.recipients, v.skipped,
       v.sent, v.delivered, v.failed, v.opted_out, v.replied
  from changes c
  cross join public.blasts b
  join public.dashboard_blast_variants v on v.blast_id = b.id and v.blast_status = b.status
 where b.id <> all (c.blasts)
union all
select b.id, b.name, b.status, l.channel, l.variant, l.recipients, l.skipped,
       l.sent, l.delivered, l.failed, l.opted_out, l.replied
  from changes c
  cross join private.dashboard_blast_counts(c.blasts) l
  join public.blasts b on b.id = l.blast_id;
comment on view public.blast_variant_results is
  'Per blast, channel and A/B variant: recipients, skipped, sent, delivered, failed, opted out and replied (within 3 days).';

-- Check-ins per event need no rollup (a check-in row per person and event: tens of thousands),
-- only to be counted for the events asked for: per event (a lateral), so the page's "the last
-- 12 events" reads 12 events' check-ins through events_starts_at_idx, not every check-in. A
-- check-in is a returning attendee's when the same contact checked in earlier (one probe of
-- check_ins_contact_id_idx), else a first-timer's (ties count as first, as before).
create view public.dashboard_checkins_per_event with (security_invoker = true) as
select e.id as event_id, e.name, e.starts_at, c.check_ins, c.first_timers, c.returning_attendees
  from public.events e
  cross join lateral (
    select count(*) as check_ins,
           count(*) filter (where not r.returning) as first_timers,
           count(*) filter (where r.returning) as returning_attendees
      from public.check_ins ci
      cross join lateral (
        select exists (select 1 from public.check_ins earlier
                        where earlier.contact_id = ci.contact_id
                          and earlier.checked_in_at < ci.checked_in_at) as returning) r
     where ci.event_id = e.id) c;
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
  v_zone text := (select s.org_time_zone from public.messaging_settings s where s.id);
  v_state public.dashboard_fold_state;
  v_watermark timestamptz;
  v_hidden bigint;
  v_message_days date[];
  v_reply_days date[];
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

  -- What changed since the last fold (everything when nothing is folded in this time zone:
  -- the first run, a time zone change, a delete).
  select c.message_days, c.reply_days, c.blasts into v_message_days, v_reply_days, v_blasts
    from private.dashboard_changes() c;
  -- A blast still sending is counted live by the view whatever is folded: fold it once final.
  select coalesce(array_agg(b.id), '{}') into v_blasts
    from public.blasts b
   where b.id = any (v_blasts) and b.status in ('completed', 'cancelled');
  if v_state.watermark = '-infinity' or v_state.time_zone is distinct from v_zone then
    delete from public.dashboard_message_days where true;
    delete from public.dashboard_reply_days where true;
    delete from public.dashboard_blast_variants where true;
  else
    delete from public.dashboard_message_days r where r.day = any (v_message_days);
    delete from public.dashboard_reply_days r where r.day = any (v_reply_days);
    delete from public.dashboard_blast_variants r where r.blast_id = any (v_blasts);
  end if;

  insert into public.dashboard_message_days (day, channel, direction, kind, status, messages, segments)
  select * from private.dashboard_message_counts(v_zone, v_message_days);
  insert into public.dashboard_reply_days (day, contacts_texted, contacts_replied)
  select * from private.dashboard_reply_counts(v_zone, v_reply_days);
  insert into public.dashboard_blast_variants (blast_id, blast_status, channel, variant, recipients, skipped,
                                               sent, delivered, failed, opted_out, replied)
  select c.blast_id, b.status, c.channel, c.variant, c.recipients, c.skipped, c.sent, c.delivered, c.failed,
         c.opted_out, c.replied
    from private.dashboard_blast_counts(v_blasts) c
    join public.blasts b on b.id = c.blast_id;

  v_ms := round(extract(epoch from clock_timestamp() - v_started)::numeric * 1000, 1);
  -- A delete that reset the watermark meanwhile wins (its rows may be in what was just folded):
  -- the update then matches nothing and the next fold refolds everything.
  update public.dashboard_fold_state f
     set watermark = v_watermark, time_zone = v_zone, folded_at = now(), fold_ms = v_ms,
         keys_folded = cardinality(v_message_days) + cardinality(v_blasts)
   where f.id and f.resets = v_state.resets;
  return jsonb_build_object('days', cardinality(v_message_days), 'reply_days', cardinality(v_reply_days),
                            'blasts', cardinality(v_blasts), 'ms', v_ms, 'watermark', v_watermark);
end
$$;
comment on function public.fold_dashboard() is
  'Workers (every few seconds; one runner at a time) or pg_cron: recompute the dashboard rollups for the days and blasts changed since the watermark, then move it. Returns what it folded (null when another fold is running).';
grant execute on function public.fold_dashboard() to service_role;
