-- Event counters: folding the per-backend rows. Since 20261129050000_event_counter_slots a
-- counter row's slot is the pid of the backend that wrote it, so an event gains a row for every
-- backend that ever counted for it. PostgREST closes idle connections (db-pool-max-idletime,
-- 30 s by default), so RSVPs that arrive minutes apart over the weeks before an event each come
-- from a new backend: without folding, a 3,000-RSVP event could keep close to 3,000 rows, and
-- every read of the events list sums them all.
--
-- public.fold_event_counts() deletes every counter row nobody holds whose slot is not 0 and adds
-- its count to the event's slot-0 row. No backend has pid 0, so only the fold writes slot 0. The
-- workers call it in the dashboard fold's loop (every 10 s, workers/dashboard_fold.py); on hosted
-- Supabase pg_cron can call it instead (docs/deploy.md).
--
-- Why it cannot deadlock with the counters' writers or with deleting an event:
--   - one fold at a time (an advisory lock; the others return at once), so no two folds meet on
--     slot-0 rows;
--   - it takes the events it folds FOR KEY SHARE SKIP LOCKED and their rows FOR UPDATE SKIP
--     LOCKED: it never waits for a writer's row or for an event being deleted (that event is
--     left for the next fold; its rows go with it);
--   - a writer may wait for the fold (its upsert meets a row the fold is deleting), and an
--     event's delete may wait for the fold's key share; the fold waits for nothing after it,
--     so every such wait ends.
-- The sums the screens read (event_overview, event_counts, event_rsvp_count) are the same before
-- and after a fold: rows move, counts do not.
--
-- Refusal codes: not_allowed (an API role other than the workers').

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the counter tables are private; the caller check admits the workers (service
-- role) and database sessions (pg_cron) only.
create function public.fold_event_counts() returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rsvp_rows integer;
  v_check_in_rows integer;
begin
  if (select auth.role()) is not null and (select auth.role()) <> 'service_role' then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only the workers (service role) and database sessions fold the event counters.';
  end if;
  if not pg_try_advisory_xact_lock(hashtextextended('fold_event_counts', 0)) then
    return null;
  end if;

  with events_free as materialized (
    select e.id from public.events e
     where e.id in (select c.event_id from private.event_rsvp_counts c where c.slot <> 0)
       for key share skip locked
  ), taken as (
    delete from private.event_rsvp_counts c
     where (c.event_id, c.slot) in (
             select f.event_id, f.slot from private.event_rsvp_counts f
              where f.slot <> 0 and f.event_id in (select id from events_free)
                for update skip locked)
    returning c.event_id, c.rsvps
  ), folded as (
    insert into private.event_rsvp_counts as c (event_id, slot, rsvps)
    select t.event_id, 0, sum(t.rsvps)::integer from taken t group by t.event_id
    on conflict (event_id, slot) do update set rsvps = c.rsvps + excluded.rsvps
    returning 1
  )
  select (select count(*) from taken)::integer into v_rsvp_rows;

  with events_free as materialized (
    select e.id from public.events e
     where e.id in (select c.event_id from private.event_check_in_counts c where c.slot <> 0)
       for key share skip locked
  ), taken as (
    delete from private.event_check_in_counts c
     where (c.event_id, c.slot) in (
             select f.event_id, f.slot from private.event_check_in_counts f
              where f.slot <> 0 and f.event_id in (select id from events_free)
                for update skip locked)
    returning c.event_id, c.check_ins
  ), folded as (
    insert into private.event_check_in_counts as c (event_id, slot, check_ins)
    select t.event_id, 0, sum(t.check_ins)::integer from taken t group by t.event_id
    on conflict (event_id, slot) do update set check_ins = c.check_ins + excluded.check_ins
    returning 1
  )
  select (select count(*) from taken)::integer into v_check_in_rows;

  return v_rsvp_rows + v_check_in_rows;
end
$$;
comment on function public.fold_event_counts() is
  'Workers (and pg_cron): fold every event counter row nobody holds into its event''s slot-0 row, so an event keeps a handful of rows; the sums do not change. Returns the rows folded, or null while another caller folds. Errors: not_allowed.';
grant execute on function public.fold_event_counts() to service_role;
