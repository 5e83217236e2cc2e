-- Blasts: one counter slot per backend. A counter delta row (private.blast_counter_deltas) was
-- keyed by (blast, pg_backend_pid() % 16), so two backends whose pids share a remainder wrote
-- to the same row, and a transaction's delta write could wait for another writer's
-- transaction. Writers take their delta rows in the middle of their work, after rows of
-- messages and recipients, and in no fixed order, so two of them could close a cycle:
--
--   1. a worker's record_messages_sent records message M0 of blast X as sent: delta (X, s);
--   2. another worker's claim takes message M of X again (its lease expired; a queued message
--      is claimed again after a worker crash or a slow provider), then a blocked queued message
--      of X (the contact opted out or is suppressed since) and cancels it: delta (X, s), held by
--      1's transaction — it waits;
--   3. the first batch goes on to record M as sent: M is held by the claim — it waits. Deadlock
--      (tests/workers/test_blast_counter_slots.py shows it step by step with two backends whose
--      pids share a remainder).
--
-- The same cycle is open to any two writers that lock a message or recipient row after their
-- first delta write (an opt-out skipping a pending recipient, then cancelling queued messages;
-- a cancel; an A/B release). Ordering every writer's delta writes last would need each of them
-- to gather its counts and write them at the end; instead the slot is the backend's pid, which
-- no two live backends share, so no writer ever waits for another writer's delta row.
--
-- Why no deadlock through counter deltas is left (the blast lock order's step 4,
-- 20261128020100_blast_lock_order):
--   - a delta row is written only by the backend whose pid is its slot, so only one transaction
--     at a time writes it;
--   - the other lockers of delta rows are the folds (private.fold_blast_counters): they take
--     only rows nobody holds (SKIP LOCKED), so a fold never waits for a delta row;
--   - a writer may wait for a fold's transaction (the fold deletes the rows it took, until it
--     commits); every fold runs where its transaction waits for nothing afterwards:
--       the claim's upkeep, last in the claim (what follows takes blast rows SKIP LOCKED);
--       cancel_blast, after it has locked the blast row, its pending recipients and queued
--         messages (what follows writes the blast row it holds and, through the A/B trigger,
--         held recipients, which only a holder of that blast row touches);
--       decide_blast_winners completing a blast (it takes every blast row SKIP LOCKED:
--         20261129020000_blast_winner_lock).
--   So every wait on a delta row is a wait for a transaction that will not wait: no cycle.
--
-- Nothing is added per send: the write is the same upsert of one row, keyed by the pid itself.
-- A blast has one delta row per backend that counted for it since the last fold (a few dozen
-- at most: the workers' and the API's connection pools), which public.blast_progress sums.
--
-- Moved here with its final body: private.add_blast_counts (from
-- 20261122000820_blast_counters.sql).

-- ============================================================================================
-- Tables
-- ============================================================================================

-- A pid does not fit a smallint (Linux allows pids up to 2^22).
alter table private.blast_counter_deltas alter column slot type integer;
comment on column private.blast_counter_deltas.slot is
  'The pid of the backend that wrote the row (pg_backend_pid()): no two live backends share one, so no delta writer waits for another.';

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- Not the blasts row itself: every send would queue behind that one row. Each backend adds to
-- its own row, keyed by its pid (the header says why not a shared slot).
create function private.add_blast_counts(
  p_blast_id uuid,
  p_sent integer default 0,
  p_delivered integer default 0,
  p_failed integer default 0,
  p_skipped integer default 0,
  p_opted_out integer default 0
) returns void
language sql
set search_path = ''
as $$
  insert into private.blast_counter_deltas as d (blast_id, slot, sent, delivered, failed, skipped, opted_out)
  values (p_blast_id, pg_backend_pid(), p_sent, p_delivered, p_failed, p_skipped, p_opted_out)
  on conflict (blast_id, slot) do update
    set sent = d.sent + excluded.sent, delivered = d.delivered + excluded.delivered,
        failed = d.failed + excluded.failed, skipped = d.skipped + excluded.skipped,
        opted_out = d.opted_out + excluded.opted_out
$$;
comment on function private.add_blast_counts(uuid, integer, integer, integer, integer, integer) is
  'Add to a blast''s sent/delivered/failed/skipped/opted-out counters (as a delta in this backend''s own row, folded onto public.blasts later).';
