-- Blasts: the controls (start, schedule, pause, resume, cancel) and the status machine behind them.
-- SECURITY DEFINER throughout: they write snapshot rows and counters no API role may write, and
-- each checks the caller (organizers and above, or the service role) first.
-- public.start_blast and private.start_blast_locked are defined with the blast composer
-- (20261125002120_blast_composer.sql).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.assert_blast_ready moved to 20261128020200_blast_sender_readiness.sql (every channel's sender).

-- private.lock_blast moved to 20261128020100_blast_lock_order.sql (the blast lock order).

-- Called at the top of every claim: scheduled blasts whose time has come start (one claimer
-- does it; the others skip the locked rows).
create function private.start_due_blasts(p_now timestamptz) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_started integer := 0;
begin
  for v_blast in
    select * from public.blasts b
    where b.status = 'scheduled' and b.scheduled_at <= p_now
    order by b.scheduled_at
    for update skip locked
  loop
    perform private.start_blast_locked(v_blast, p_now);
    v_started := v_started + 1;
  end loop;
  return v_started;
end
$$;
comment on function private.start_due_blasts(timestamptz) is 'Start every scheduled blast whose time has come (snapshot included).';

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.schedule_blast(p_blast_id uuid, p_send_at timestamptz) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status not in ('draft', 'scheduled') then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be scheduled.', v_blast.status);
  end if;
  if p_send_at is null then
    raise exception using errcode = 'P0001', message = 'invalid_schedule', detail = 'Give a send time.';
  end if;
  perform private.assert_blast_ready(v_blast);
  update public.blasts set status = 'scheduled', scheduled_at = p_send_at where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.schedule_blast(uuid, timestamptz) is
  'Schedule a ready blast; the snapshot is taken when its time comes (by the workers'' claim).';
grant execute on function public.schedule_blast(uuid, timestamptz) to authenticated, service_role;

create function public.pause_blast(p_blast_id uuid, p_reason text default 'Paused by staff') returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status = 'paused' then
    return v_blast;
  end if;
  if v_blast.status <> 'sending' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be paused.', v_blast.status);
  end if;
  update public.blasts set status = 'paused', paused_reason = p_reason where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.pause_blast(uuid, text) is
  'Pause a sending blast (idempotent): claims stop at once; messages already handed to a worker finish.';
grant execute on function public.pause_blast(uuid, text) to authenticated, service_role;

-- public.resume_blast is defined in 20261125008010_blast_resume_refusal.sql.

-- public.cancel_blast moved to 20261128020100_blast_lock_order.sql (the blast lock order).
