-- Blasts: one lock order. cancel_blast could deadlock with a worker's claim (bench/send_rate):
-- the claim holds the recipient rows it took, and its end-of-call upkeep then waited for the
-- blasts row (to fold counters, auto-pause or complete) that a cancel held while it waited for
-- those very recipient rows. And lock_blast took the row FOR UPDATE, which also blocks the
-- foreign-key check of every message a claim inserts for the blast (FOR KEY SHARE).
--
-- THE ORDER, everywhere a blast's rows are locked:
--
--   1. the blasts row        (controls: lock_blast, FOR NO KEY UPDATE)
--   2. its blast_recipients  (claims: FOR UPDATE SKIP LOCKED; controls: FOR UPDATE)
--   3. its messages          (claims: FOR UPDATE SKIP LOCKED; controls: FOR UPDATE)
--   4. its counter deltas    (private.blast_counter_deltas, written by the messages' trigger)
--
-- Controls (start, schedule, pause, resume, cancel) go down the list and may wait at every step.
-- The hot paths (a worker's claim, its upkeep, STOP's health check, delivery webhooks) never
-- wait upwards: after holding 2–4 they take the blasts row only with SKIP LOCKED, and leave the
-- bookkeeping to the next upkeep when a control holds it (a fold, an auto-pause or a completion
-- a second later changes nothing: the controls re-read everything under their lock, and the
-- live progress, public.blast_progress, adds the unfolded deltas). Folding takes only the delta
-- rows nobody holds (SKIP LOCKED), so it never waits for an in-flight send's transaction either.
-- lock_blast's FOR NO KEY UPDATE leaves the claims' foreign-key checks (FOR KEY SHARE) alone.
-- A control locks every row it changes (2, 3) before it writes a counter delta (4).
--
-- Moved here, each with its final body (the files they came from say so where they were):
--   private.lock_blast and public.cancel_blast (from 20261122000830_blast_controls.sql),
--   private.fold_blast_counters (from 20261122000820_blast_counters.sql),
--   private.maybe_complete_blast, private.check_blast_health and private.blast_upkeep (from
--   20261122000900_outbox.sql).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- FOR NO KEY UPDATE, not FOR UPDATE: a status change does not touch the key, and FOR UPDATE
-- would also make every claim inserting a message of this blast (its foreign key's FOR KEY
-- SHARE) wait for the control, while holding the recipient rows the control waits for next.
create function private.lock_blast(p_blast_id uuid) returns public.blasts
language plpgsql
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  select * into v_blast from public.blasts where id = p_blast_id for no key update;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  return v_blast;
end
$$;
comment on function private.lock_blast(uuid) is
  'Lock a blast row for a status change, first in the blast lock order (blast_not_found when absent).';

-- Hot paths call this after locking recipients and messages: it must not wait for the blasts
-- row (a control holding it waits for those rows: a deadlock), so it takes the row only when
-- free. Committed delta rows are folded; those an in-flight transaction holds wait for the next
-- fold (deleting them would wait for that transaction).
create function private.fold_blast_counters(p_blast_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform from public.blasts b where b.id = p_blast_id for no key update skip locked;
  if not found then
    return;
  end if;
  with free as (
    select d.slot from private.blast_counter_deltas d
    where d.blast_id = p_blast_id
    for update skip locked
  ), folded as (
    delete from private.blast_counter_deltas d using free f
    where d.blast_id = p_blast_id and d.slot = f.slot
    returning d.sent, d.delivered, d.failed, d.skipped, d.opted_out
  ), total as (
    select count(*) as n, sum(f.sent) as sent, sum(f.delivered) as delivered, sum(f.failed) as failed,
           sum(f.skipped) as skipped, sum(f.opted_out) as opted_out
    from folded f
  )
  update public.blasts b
     set sent_count = b.sent_count + t.sent, delivered_count = b.delivered_count + t.delivered,
         failed_count = b.failed_count + t.failed, skipped_count = b.skipped_count + t.skipped,
         opted_out_count = b.opted_out_count + t.opted_out
    from total t
   where b.id = p_blast_id and t.n > 0;
end
$$;
comment on function private.fold_blast_counters(uuid) is
  'Add a blast''s committed counter deltas (private.blast_counter_deltas) to its counters on public.blasts; skipped, without waiting, while another transaction holds the blast row.';

-- A sending blast with nothing pending and nothing in flight is complete (with its counters
-- folded, so the final numbers arrive together with the status). Called from the claim's
-- upkeep: the blast row only if free (the next upkeep completes it otherwise).
create function private.maybe_complete_blast(p_blast_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform from public.blasts b
  where b.id = p_blast_id and b.status = 'sending'
  for no key update skip locked;
  if not found then
    return;
  end if;
  if not exists (select 1 from public.blast_recipients r where r.blast_id = p_blast_id and r.status = 'pending')
     and not exists (select 1 from public.messages m where m.blast_id = p_blast_id and m.status in ('queued', 'sending')) then
    perform private.fold_blast_counters(p_blast_id);
    update public.blasts set status = 'completed', completed_at = now()
     where id = p_blast_id and status = 'sending';
  end if;
end
$$;
comment on function private.maybe_complete_blast(uuid) is
  'Mark a sending blast completed when no recipient is pending and no message is queued or sending (skipped while a control holds the blast row).';

-- Automatic pause: among the blast's last N finished sends, too many failures or opt-outs. Its
-- callers (the claim's upkeep, an inbound STOP) hold message or delta rows: the blast row only
-- if free; the next upkeep checks again.
create function private.check_blast_health(p_blast_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_total integer;
  v_failed integer;
  v_opted_out integer;
  v_reason text;
begin
  if p_blast_id is null then
    return;
  end if;
  select count(*), count(*) filter (where m.status in ('failed', 'undelivered')),
         count(*) filter (where m.recipient_opted_out_at is not null)
    into v_total, v_failed, v_opted_out
  from (
    select m.status, m.recipient_opted_out_at from public.messages m
    where m.blast_id = p_blast_id and m.status in ('sent', 'delivered', 'undelivered', 'failed')
    order by m.created_at desc
    limit v_settings.auto_pause_window
  ) m;
  if v_total < v_settings.auto_pause_min_sends then
    return;
  end if;
  v_reason := case
    when v_failed::numeric / v_total >= v_settings.auto_pause_failure_rate then
      format('Automatic pause: %s of the last %s sends failed.', v_failed, v_total)
    when v_opted_out::numeric / v_total >= v_settings.auto_pause_opt_out_rate then
      format('Automatic pause: %s of the last %s recipients opted out.', v_opted_out, v_total)
  end;
  if v_reason is null then
    return;
  end if;
  perform from public.blasts b
  where b.id = p_blast_id and b.status = 'sending' and b.auto_pause
  for no key update skip locked;
  if found then
    update public.blasts set status = 'paused', paused_reason = v_reason where id = p_blast_id;
  end if;
end
$$;
comment on function private.check_blast_health(uuid) is
  'Pause a sending blast (auto_pause on) when failures or opt-outs among its last N sends cross messaging_settings thresholds (skipped while a control holds the blast row).';

-- Blast bookkeeping done once per claim call rather than once per message, so sends never queue
-- behind their blast's row: counter deltas older than a second are folded onto the blasts
-- (Realtime wakes the blast page about once a second), then every sending blast is checked for
-- a failure or opt-out spike (automatic pause) and for completion. None of it waits for a blast
-- row a control holds (the lock order above).
create function private.blast_upkeep() returns void
language plpgsql
set search_path = ''
as $$
declare
  v_blast_id uuid;
begin
  perform private.fold_blast_counters(b.id)
  from public.blasts b
  where b.id in (select d.blast_id from private.blast_counter_deltas d)
    and b.updated_at < now() - interval '1 second';
  for v_blast_id in select b.id from public.blasts b where b.status = 'sending' loop
    perform private.check_blast_health(v_blast_id);
    perform private.maybe_complete_blast(v_blast_id);
  end loop;
end
$$;
comment on function private.blast_upkeep() is
  'Once per claim: fold blast counter deltas (at most about once a second per blast), auto-pause unhealthy sending blasts, complete finished ones; never waits for a blast row.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.cancel_blast(p_blast_id uuid) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_cancelled integer;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status = 'cancelled' then
    return v_blast;
  end if;
  if v_blast.status = 'completed' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = 'A completed blast cannot be cancelled.';
  end if;
  -- Every row this changes is locked before the first counter delta is written (the lock
  -- order): the messages' trigger writes one per cancelled message, and a claim that waited for
  -- that delta row while holding a message this waits for would be a deadlock.
  perform from public.blast_recipients where blast_id = p_blast_id and status = 'pending' for update;
  perform from public.messages where blast_id = p_blast_id and status = 'queued' for update;
  update public.blast_recipients set status = 'cancelled', skip_reason = 'blast_cancelled'
   where blast_id = p_blast_id and status = 'pending';
  get diagnostics v_cancelled = row_count;
  -- Claimed but not yet sending: the worker's mark_message_sending will refuse them anyway.
  update public.messages set status = 'cancelled', error_code = 'blast_cancelled'
   where blast_id = p_blast_id and status = 'queued';
  perform private.add_blast_counts(p_blast_id, p_skipped => v_cancelled);
  -- A staff action, not a hot path: the blast row shows the cancellation's counts at once.
  perform private.fold_blast_counters(p_blast_id);
  update public.blasts
     set status = 'cancelled', cancelled_at = now()
   where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.cancel_blast(uuid) is
  'Cancel a blast (idempotent): pending recipients and queued messages are cancelled; sends in flight finish.';
grant execute on function public.cancel_blast(uuid) to authenticated, service_role;
