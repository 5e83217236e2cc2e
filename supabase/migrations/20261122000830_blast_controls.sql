-- Blasts: the controls (start, schedule, pause, resume, cancel) and the status machine behind them.
-- SECURITY DEFINER throughout: they write snapshot rows and counters no API role may write, and
-- each checks the caller (organizers and above, or the service role) first.
-- public.start_blast and private.start_blast_locked are defined with the blast composer
-- (20261125002120_blast_composer.sql).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.assert_blast_ready(p_blast public.blasts) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_blast.channel in ('sms', 'both') and (p_blast.sms_template_id is null and not exists (
       select 1 from public.blast_variants v where v.blast_id = p_blast.id and v.channel = 'sms')) then
    raise exception using errcode = 'P0001', message = 'blast_missing_template', detail = 'The blast has no SMS template.';
  end if;
  if p_blast.channel in ('email', 'both') and (p_blast.email_template_id is null and not exists (
       select 1 from public.blast_variants v where v.blast_id = p_blast.id and v.channel = 'email')) then
    raise exception using errcode = 'P0001', message = 'blast_missing_template', detail = 'The blast has no email template.';
  end if;
  if exists (
    select 1 from public.blast_variants v where v.blast_id = p_blast.id
    group by v.channel having sum(v.weight) <> 100) then
    raise exception using errcode = 'P0001', message = 'blast_variant_weights',
      detail = 'The weights of a channel''s variants must add up to 100.';
  end if;
  if exists (
    select 1
    from public.message_templates t
    where t.id in (p_blast.sms_template_id, p_blast.email_template_id)
       or t.id in (select v.template_id from public.blast_variants v where v.blast_id = p_blast.id)
    group by t.id
    having bool_or(t.channel::text <> case
      when t.id = p_blast.sms_template_id then 'sms'
      when t.id = p_blast.email_template_id then 'email'
      else (select v.channel::text from public.blast_variants v where v.blast_id = p_blast.id and v.template_id = t.id limit 1)
    end)) then
    raise exception using errcode = 'P0001', message = 'blast_template_channel_mismatch';
  end if;
  if p_blast.channel in ('sms', 'both') and not exists (
       select 1 from public.senders s where s.id = p_blast.sms_sender_id and s.channel = 'sms' and s.enabled) then
    raise exception using errcode = 'P0001', message = 'blast_missing_sender', detail = 'The blast needs an enabled SMS sender.';
  end if;
  if p_blast.channel in ('email', 'both') and not exists (
       select 1 from public.senders s where s.id = p_blast.email_sender_id and s.channel = 'email' and s.enabled) then
    raise exception using errcode = 'P0001', message = 'blast_missing_sender', detail = 'The blast needs an enabled email sender.';
  end if;
  if p_blast.segment_id is null and not exists (select 1 from public.blast_audience a where a.blast_id = p_blast.id) then
    raise exception using errcode = 'P0001', message = 'blast_missing_audience',
      detail = 'Choose a saved segment or list recipients.';
  end if;
end
$$;
comment on function private.assert_blast_ready(public.blasts) is
  'Raise a stable code (blast_missing_template/_sender/_audience, blast_variant_weights, blast_template_channel_mismatch) unless a blast can start.';

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
