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

-- private.add_blast_counts moved to 20261129020100_blast_counter_slots.sql (one slot per backend).

-- private.fold_blast_counters moved to 20261128020100_blast_lock_order.sql (the blast lock order).
