-- Resuming a blast that has nobody to send to (issue 15, item 6).
--
-- A scheduled blast whose snapshot came out empty is paused with the reason by the claim that
-- starts it (private.start_blast_locked: a scheduled start must not fail the claim). Resuming it
-- used to set it sending, and the next claim found nothing and completed it with 0 sent. Resume
-- now refuses it exactly as public.start_blast refuses an empty blast: blast_has_no_recipients,
-- with the reason in the detail, nothing changed. Such a blast can only be cancelled (or
-- duplicated into a new draft once the audience is fixed).
--
-- public.resume_blast is defined here (moved from 20261122000830_blast_controls.sql).

-- SECURITY DEFINER (like every blast control): it changes a blast's status, which no API role
-- may write; the caller is checked first.
create function public.resume_blast(p_blast_id uuid) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status = 'sending' then
    return v_blast;
  end if;
  if v_blast.status <> 'paused' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be resumed.', v_blast.status);
  end if;
  -- A paused blast was started, so its snapshot is taken: an empty one would "complete" at once.
  if v_blast.recipients_total = 0 then
    raise exception using errcode = 'P0001', message = 'blast_has_no_recipients',
      detail = coalesce(v_blast.paused_reason, 'Nobody to send to.');
  end if;
  update public.blasts set status = 'sending', paused_reason = null where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.resume_blast(uuid) is
  'Resume a paused blast (idempotent); blast_has_no_recipients (with why) when its snapshot is empty, as start_blast.';
grant execute on function public.resume_blast(uuid) to authenticated, service_role;
