-- Event counters: one slot per backend, as the blast counters got in
-- 20261129020100_blast_counter_slots. The RSVP and check-in counter rows were keyed by
-- (event, pg_backend_pid() % 16), so two backends whose pids share a remainder wrote to the same
-- rows, and a writer that takes more than one event's row in one transaction, in no fixed order,
-- could close a cycle with another:
--
--   1. admin A deletes contact Ana (checked in on Monday): the cascade deletes her check-in and
--      takes Monday's counter row (Monday, s);
--   2. admin B deletes Cy and Di in one statement: the foreign key's cascade runs once per
--      contact, in the order the contacts are deleted, so Cy's Tuesday check-in takes
--      (Tuesday, s), then Di's Monday check-in waits for (Monday, s), held by A;
--   3. A deletes Bo (checked in on Tuesday): it waits for (Tuesday, s), held by B. Deadlock
--      (tests/people/test_event_counter_slots.py shows it step by step with two backends whose
--      pids share a remainder).
--
-- The trigger takes one statement's rows in event order, but nothing orders a transaction's
-- statements (the cascade above, a script checking several people in, a merge followed by more
-- work) — and a shared row also made a door check-in wait for whatever an unrelated transaction
-- did after its own counter write (an import chunk goes on to record consent, a merge moves
-- messages). With the slot the writing backend's pid, which no two live backends share, a
-- counter row is written by one transaction at a time and no writer ever waits for another's.
--
-- Nothing is added to the check-in insert: the write is the same upsert of one row per event,
-- keyed by the pid itself. An event has one row per backend that ever counted for it (the API's
-- and the workers' connection pools, a few dozen), which event_counts and event_rsvp_count sum.
--
-- Moved here with their triggers: private.count_rsvps (from 20261126050000_event_rsvps.sql) and
-- private.count_check_ins (from 20261127040000_event_check_in_counts.sql).

-- ============================================================================================
-- Tables
-- ============================================================================================

-- A pid does not fit a smallint (Linux allows pids up to 2^22).
alter table private.event_rsvp_counts alter column slot type integer;
comment on column private.event_rsvp_counts.slot is
  'The pid of the backend that wrote the row (pg_backend_pid()): no two live backends share one, so no RSVP writer waits for another.';
alter table private.event_check_in_counts alter column slot type integer;
comment on column private.event_check_in_counts.slot is
  'The pid of the backend that wrote the row (pg_backend_pid()): no two live backends share one, so no check-in writer waits for another.';

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- SECURITY DEFINER: RSVPs are written by organizers, the RSVP form and imports alike, and none
-- of them has (or needs) rights on the private counter table. Rows of an event being deleted
-- are not counted (its counters go with it).
create function private.count_rsvps() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.event_rsvp_counts as c (event_id, slot, rsvps)
  select x.event_id, pg_backend_pid(), case tg_op when 'INSERT' then x.n else -x.n end
    from (select t.event_id, count(*)::integer as n
            from changed_rows t
           where exists (select 1 from public.events e where e.id = t.event_id)
           group by t.event_id) x
  on conflict (event_id, slot) do update set rsvps = c.rsvps + excluded.rsvps;
  return null;
end
$$;
comment on function private.count_rsvps() is
  'Statement trigger on event_rsvps: add the inserted (or subtract the deleted) RSVPs to this backend''s rows of private.event_rsvp_counts.';

create trigger event_rsvps_count_inserted after insert on public.event_rsvps
  referencing new table as changed_rows for each statement execute function private.count_rsvps();
create trigger event_rsvps_count_deleted after delete on public.event_rsvps
  referencing old table as changed_rows for each statement execute function private.count_rsvps();

-- SECURITY DEFINER: check-ins are written by check_in (a definer), merges and erasures alike,
-- and the counter table is private. Rows of an event being deleted are not counted (its
-- counters go with it).
create function private.count_check_ins() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.event_check_in_counts as c (event_id, slot, check_ins)
  select x.event_id, pg_backend_pid(), case tg_op when 'INSERT' then x.n else -x.n end
    from (select t.event_id, count(*)::integer as n
            from changed_rows t
           where exists (select 1 from public.events e where e.id = t.event_id)
           group by t.event_id) x
  on conflict (event_id, slot) do update set check_ins = c.check_ins + excluded.check_ins;
  return null;
end
$$;
comment on function private.count_check_ins() is
  'Statement trigger on check_ins: add the inserted (or subtract the deleted) check-ins to this backend''s rows of private.event_check_in_counts.';

create trigger check_ins_count_inserted after insert on public.check_ins
  referencing new table as changed_rows for each statement execute function private.count_check_ins();
create trigger check_ins_count_deleted after delete on public.check_ins
  referencing old table as changed_rows for each statement execute function private.count_check_ins();
