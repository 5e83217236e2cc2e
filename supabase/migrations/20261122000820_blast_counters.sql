-- Blasts: counters. Workers, webhooks, opt-outs and staff record counter changes as per-backend
-- delta rows (private.add_blast_counts, the one writer) instead of updating the hot blasts row
-- on every message; the claim folds them onto public.blasts about once a second per blast, in
-- one update, so Realtime subscribers see whole steps.

-- ============================================================================================
-- Tables
-- ============================================================================================

-- Not exposed (schema private): counter changes waiting to be folded onto public.blasts.
create table private.blast_counter_deltas (
  blast_id uuid not null references public.blasts (id) on delete cascade,
  slot smallint not null,
  sent integer not null default 0,
  delivered integer not null default 0,
  failed integer not null default 0,
  skipped integer not null default 0,
  opted_out integer not null default 0,
  primary key (blast_id, slot)
);
comment on table private.blast_counter_deltas is
  'Per-blast counter changes not yet on public.blasts, one row per (blast, slot) so concurrent senders never wait on one row; folded by private.fold_blast_counters at claim time (at most about once a second per blast) and when a blast completes.';

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- SECURITY DEFINER: counters are written by workers (service_role) and by staff-triggered
-- cancellations alike; nobody is granted direct writes to them.
create function private.messages_count_for_blast() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_old public.message_status := case when tg_op = 'UPDATE' then old.status end;
  v_sent integer := 0;
  v_delivered integer := 0;
  v_failed integer := 0;
  v_skipped integer := 0;
begin
  if new.blast_id is null or new.status is not distinct from v_old then
    return null;
  end if;
  if new.status in ('sent', 'delivered', 'undelivered')
     and (v_old is null or v_old in ('queued', 'sending')) then
    v_sent := 1;
  end if;
  if new.status = 'delivered' then v_delivered := 1; end if;
  if new.status in ('failed', 'undelivered') then v_failed := 1; end if;
  if new.status = 'cancelled' then v_skipped := 1; end if;
  if v_sent + v_delivered + v_failed + v_skipped > 0 then
    perform private.add_blast_counts(new.blast_id, v_sent, v_delivered, v_failed, v_skipped);
  end if;
  return null;
end
$$;
comment on function private.messages_count_for_blast() is
  'Trigger: add a blast message''s status change to the blast''s sent/delivered/failed/skipped counter deltas.';

create trigger messages_count_for_blast after insert or update of status on public.messages
  for each row execute function private.messages_count_for_blast();

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- Not the blasts row itself: every send would queue behind that one row. Each backend adds to its
-- own slot; private.fold_blast_counters moves the sums onto the blast.
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
  values (p_blast_id, (pg_backend_pid() % 16)::smallint, p_sent, p_delivered, p_failed, p_skipped, p_opted_out)
  on conflict (blast_id, slot) do update
    set sent = d.sent + excluded.sent, delivered = d.delivered + excluded.delivered,
        failed = d.failed + excluded.failed, skipped = d.skipped + excluded.skipped,
        opted_out = d.opted_out + excluded.opted_out
$$;
comment on function private.add_blast_counts(uuid, integer, integer, integer, integer, integer) is
  'Add to a blast''s sent/delivered/failed/skipped/opted-out counters (as a delta, folded onto public.blasts later).';

-- private.fold_blast_counters moved to 20261128020100_blast_lock_order.sql (the blast lock order).
