-- Check-in counters for the events list (issue 14, item 7): event_overview read every event's
-- check-ins by index, so its time grew with every check-in ever made (200 past events x 500
-- people: p95 65-130 ms, over its 100 ms goal on a busy machine). Check-ins are now counted as
-- RSVPs are, in per-session slots kept by statement triggers, and the list adds up at most 16
-- small rows per event, however many people came.
--
--   private.event_counts() moved here (from 20261126050000_event_rsvps): both counts from their
--   counter slots.
--
-- The cost lands on the door's insert: one upsert of a slot row per check-in statement
-- (bench/checkin.py measures check_in's round trip with it). A slot is pg_backend_pid() % 16,
-- so the door's devices (different PostgREST connections) rarely wait on one another's row.

-- ============================================================================================
-- Tables
-- ============================================================================================

-- Not exposed (schema private). The sum over an event's slots is its check-in count.
create table private.event_check_in_counts (
  event_id uuid not null references public.events (id) on delete cascade,
  slot smallint not null,
  check_ins integer not null default 0,
  primary key (event_id, slot)
);
comment on table private.event_check_in_counts is
  'Per-event check-in counts as per-session partial sums (the sum over slots is the count); kept by statement triggers on check_ins.';

insert into private.event_check_in_counts (event_id, slot, check_ins)
select ci.event_id, 0, count(*) from public.check_ins ci group by ci.event_id;

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- private.count_check_ins and its two triggers moved to 20261129050000_event_counter_slots.sql (one slot per backend).

-- TRUNCATE (tests, a reset) fires no insert or delete trigger: the counts become zero.
create function private.zero_check_in_counts() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.event_check_in_counts;
  return null;
end
$$;
comment on function private.zero_check_in_counts() is 'Trigger: after TRUNCATE of check_ins, no event has check-ins counted.';

create trigger check_ins_count_truncated after truncate on public.check_ins
  for each statement execute function private.zero_check_in_counts();

-- A check-in never moves to another event (a merge moves it to another person, which the
-- counts do not see); the counter relies on it.
create function private.forbid_check_in_move() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'invalid_argument',
    detail = 'A check-in cannot move to another event: delete it and check the person in there.';
end
$$;
comment on function private.forbid_check_in_move() is 'Trigger: refuse changing a check-in''s event_id (the counter relies on it).';

create trigger check_ins_event_fixed before update of event_id on public.check_ins
  for each row when (new.event_id is distinct from old.event_id) execute function private.forbid_check_in_move();

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- SECURITY DEFINER: both counter tables are private; event_overview, the one caller, checks the
-- staff level first. Each counter table is summed once (a few rows per event) and joined.
create function private.event_counts()
returns table (event_id uuid, rsvps integer, check_ins integer)
language sql
stable
security definer
set search_path = ''
as $$
  select e.id, coalesce(r.rsvps, 0), coalesce(ci.check_ins, 0)
    from public.events e
    left join (select c.event_id, sum(c.rsvps)::integer as rsvps
                 from private.event_rsvp_counts c group by c.event_id) r on r.event_id = e.id
    left join (select c.event_id, sum(c.check_ins)::integer as check_ins
                 from private.event_check_in_counts c group by c.event_id) ci on ci.event_id = e.id
$$;
comment on function private.event_counts() is 'Every event''s RSVP and check-in counts (each the sum of its counter slots).';
grant execute on function private.event_counts() to authenticated, service_role;
