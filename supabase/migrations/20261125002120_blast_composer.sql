-- The composer's SQL (issue 15, item 7): one atomic function creates a blast, a preview says why
-- recipients are excluded or waiting, and a blast nobody can receive is never "completed".
--
--   public.create_blast(p_spec jsonb) returns public.blasts
--     p_spec: {name, channel ('sms'|'email'|'both'), sms_template_id?, email_template_id?,
--       sms_sender_id?, email_sender_id?, segment_id?, contact_ids?: [uuid], event_id?,
--       auto_pause?: boolean, variants?: [{channel, label ('A'..'Z'), template_id, weight}],
--       scheduled_at?: timestamptz}
--     The blast, its variants and its audience in one transaction, checked like start_blast
--     checks them; with scheduled_at it is scheduled too. Refusal codes (P0001 unless noted):
--     not_allowed, invalid_blast_spec (22023: not an object, unknown or malformed field — the
--     detail names it), blast_name_required, blast_name_taken (another blast that is not
--     cancelled has this name), invalid_blast_channel, template_not_found, sender_not_found,
--     segment_not_found, event_not_found, contact_not_found, blast_variant_label_taken,
--     invalid_variant, invalid_schedule, and start_blast's blast_missing_template/_sender/
--     _audience, blast_variant_weights, blast_template_channel_mismatch. A refusal changes nothing.
--   public.preview_blast(p_blast_id uuid, p_samples integer) also gives:
--     excluded: {channel: {reason: contacts}} with reasons opted_out, no_consent, no_phone,
--       no_email, invalid_number, suppressed, erased_or_merged;
--     waiting_now: {quiet_hours, frequency_cap} (SMS recipients who would wait right now);
--     startable: boolean; warnings: [{code, message}] (no_recipients, quiet_hours, frequency_cap).
--   public.start_blast(p_blast_id uuid) refuses a blast with no recipients
--     (blast_has_no_recipients, the detail says why) and changes nothing; a scheduled one that
--     turns out empty when its time comes is paused with the reason instead (never completed
--     with 0 sent).
--
-- Defined here (they need this file's helpers): public.start_blast(uuid),
-- private.start_blast_locked(public.blasts, timestamptz). public.preview_blast(uuid, integer) is
-- defined in 20261125024000_blast_preview_sample.sql.

-- ============================================================================================
-- Helpers
-- ============================================================================================

-- private.blast_channels moved to 20261126030000_message_channels.sql (what 'both' means is the
-- channels' in_both_blasts).

-- private.blast_exclusions moved to 20261125024000_blast_preview_sample.sql (set-based at 100k).

-- private.blast_exclusion_summary moved to 20261125024000_blast_preview_sample.sql (it reads
-- private.blast_exclusions, which moved there).

-- A uuid field of a spec, or a clear refusal naming the field (not a raw cast error).
create function private.spec_uuid(p_spec jsonb, p_key text) returns uuid
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_spec -> p_key is null or p_spec -> p_key = 'null'::jsonb then
    return null;
  end if;
  return (p_spec ->> p_key)::uuid;
exception when invalid_text_representation then
  raise exception using errcode = '22023', message = 'invalid_blast_spec',
    detail = format('%s must be a uuid.', p_key);
end
$$;
comment on function private.spec_uuid(jsonb, text) is 'A uuid field of a JSON spec (null when absent); invalid_blast_spec naming the field otherwise.';

-- ============================================================================================
-- Start: never "completed" with nobody to send to
-- ============================================================================================

-- Take the snapshot and switch to sending (the blast row locked). An empty snapshot pauses the
-- blast with the reason (a scheduled start must not fail the claim that runs it); public.start_blast
-- turns that into a refusal.
create function private.start_blast_locked(p_blast public.blasts, p_now timestamptz) returns public.blasts
language plpgsql
set search_path = ''
set work_mem = '64MB'
set enable_nestloop = off
set enable_mergejoin = off
set jit = off
as $$
declare
  v_blast public.blasts;
  v_total integer;
  v_sms integer;
  v_email integer;
begin
  perform private.assert_blast_ready(p_blast);
  -- One statement straight from the candidates query (no intermediate row set).
  execute format($sql$
    with inserted as (
      insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address, subject, body, segments, time_zone)
      select %L, c.contact_id, c.channel, c.variant, c.to_address, c.subject, c.body, c.segments, c.time_zone
      from (%s) as c
      returning channel
    )
    select count(*), count(*) filter (where channel = 'sms'), count(*) filter (where channel = 'email')
    from inserted
    $sql$, p_blast.id, private.blast_candidates_sql(p_blast.id, false))
  into v_total, v_sms, v_email;
  perform set_config('hm.blast_starting', 'on', true);
  update public.blasts b
     set status = 'sending', started_at = p_now, paused_reason = null,
         recipients_total = v_total, sms_recipients = v_sms, email_recipients = v_email
   where b.id = p_blast.id
  returning b.* into v_blast;
  perform set_config('hm.blast_starting', 'off', true);
  if v_total = 0 then
    update public.blasts b
       set status = 'paused', paused_reason = 'Nobody to send to: ' || private.blast_exclusion_summary(p_blast)
     where b.id = p_blast.id
    returning b.* into v_blast;
  end if;
  return v_blast;
end
$$;
comment on function private.start_blast_locked(public.blasts, timestamptz) is
  'Snapshot the recipients of a locked blast and set it sending with its totals.';

-- SECURITY DEFINER (like every blast control): it writes the snapshot no API role may write;
-- the caller is checked first.
create function public.start_blast(p_blast_id uuid) returns public.blasts
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
      detail = format('A %s blast cannot be started.', v_blast.status);
  end if;
  v_blast := private.start_blast_locked(v_blast, now());
  if v_blast.recipients_total = 0 then
    -- The exception rolls the whole start back: the blast stays as it was.
    raise exception using errcode = 'P0001', message = 'blast_has_no_recipients',
      detail = v_blast.paused_reason;
  end if;
  return v_blast;
end
$$;
comment on function public.start_blast(uuid) is
  'Send a draft or scheduled blast now: take the recipient snapshot and set it sending; blast_has_no_recipients (with why) when nobody can receive it.';
grant execute on function public.start_blast(uuid) to authenticated, service_role;

-- ============================================================================================
-- Preview (why excluded, who would wait, whether it can start)
-- ============================================================================================

-- public.preview_blast moved to 20261125024000_blast_preview_sample.sql (set-based counts, sampled renders).

-- ============================================================================================
-- Create (one atomic call)
-- ============================================================================================

-- private.assert_blast_spec_fields moved to 20261125024010_blast_ab_winner.sql (the winner field).

-- Every id a spec names must exist (clear codes instead of foreign-key errors).
create function private.assert_blast_references(p_spec jsonb, p_contact_ids uuid[]) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_missing integer;
begin
  if exists (
    select 1 from (values (private.spec_uuid(p_spec, 'sms_template_id')), (private.spec_uuid(p_spec, 'email_template_id'))) t(id)
    where t.id is not null and not exists (select 1 from public.message_templates m where m.id = t.id and m.archived_at is null)) then
    raise exception using errcode = 'P0001', message = 'template_not_found', detail = 'A template is unknown or archived.';
  end if;
  if exists (
    select 1 from (values (private.spec_uuid(p_spec, 'sms_sender_id')), (private.spec_uuid(p_spec, 'email_sender_id'))) t(id)
    where t.id is not null and not exists (select 1 from public.senders s where s.id = t.id)) then
    raise exception using errcode = 'P0001', message = 'sender_not_found';
  end if;
  if private.spec_uuid(p_spec, 'segment_id') is not null
     and not exists (select 1 from public.segments s where s.id = private.spec_uuid(p_spec, 'segment_id')) then
    raise exception using errcode = 'P0001', message = 'segment_not_found';
  end if;
  if private.spec_uuid(p_spec, 'event_id') is not null
     and not exists (select 1 from public.events e where e.id = private.spec_uuid(p_spec, 'event_id')) then
    raise exception using errcode = 'P0001', message = 'event_not_found';
  end if;
  select count(*) into v_missing from unnest(p_contact_ids) as c(id)
  where not exists (select 1 from public.contacts k where k.id = c.id);
  if v_missing > 0 then
    raise exception using errcode = 'P0001', message = 'contact_not_found',
      detail = format('%s listed contacts do not exist.', v_missing);
  end if;
end
$$;
comment on function private.assert_blast_references(jsonb, uuid[]) is
  'template_not_found, sender_not_found, segment_not_found, event_not_found or contact_not_found for a create_blast spec.';

-- private.insert_blast_variants moved to 20261126030000_message_channels.sql (a variant's channel
-- is any channel row).

-- public.create_blast moved to 20261125024010_blast_ab_winner.sql (the A/B winner settings).
