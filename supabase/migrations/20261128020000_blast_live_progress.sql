-- Blasts: live progress. The blast page read the counters on the blasts row, which trail the
-- messages: sends add per-backend deltas (private.blast_counter_deltas) that the claim folds onto
-- the row at most once a second, and only when a claim runs. Under a 100 MPS blast the screen
-- lagged the database by seconds (bench/blast_progress.py: p95 5.2 s, goal 2 s).
--
-- public.blast_progress reads the row plus its unfolded deltas, in one snapshot: the counters
-- it returns are the messages' own at that instant, whatever the folding's cadence. A blast
-- has one delta row per backend that counted for it since the last fold (keyed by its pid since
-- 20261129020100_blast_counter_slots; a few dozen at most, on their primary key), so the read
-- stays a few index lookups; nothing is added to the sending path and the fold keeps its
-- cadence (it still wakes Realtime subscribers and keeps the stored row close).

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the deltas are in the private schema, which no API role reads; the caller
-- is checked first and is shown exactly what "Organizers can read blasts" shows them.
create function public.blast_progress(p_blast_id uuid) returns setof public.blasts
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  -- A stable function's statements share the calling query's snapshot: the row and its deltas
  -- are read at the same instant, so a fold committing in between is counted exactly once.
  select * into v_blast from public.blasts b where b.id = p_blast_id;
  if not found then
    return;
  end if;
  select v_blast.sent_count + coalesce(sum(d.sent), 0),
         v_blast.delivered_count + coalesce(sum(d.delivered), 0),
         v_blast.failed_count + coalesce(sum(d.failed), 0),
         v_blast.skipped_count + coalesce(sum(d.skipped), 0),
         v_blast.opted_out_count + coalesce(sum(d.opted_out), 0)
    into v_blast.sent_count, v_blast.delivered_count, v_blast.failed_count,
         v_blast.skipped_count, v_blast.opted_out_count
  from private.blast_counter_deltas d
  where d.blast_id = p_blast_id;
  return next v_blast;
end
$$;
comment on function public.blast_progress(uuid) is
  'A blast''s row with its live counters: the folded counts plus the deltas not folded yet, read in one snapshot (the blast page''s progress). Organizers and above; no row for an unknown blast.';
revoke execute on function public.blast_progress(uuid) from public, anon;
grant execute on function public.blast_progress(uuid) to authenticated, service_role;
