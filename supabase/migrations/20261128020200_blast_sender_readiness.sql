-- Blasts: every channel needs an enabled sender. A blast's recipients are claimed only through
-- its blast sender on their channel (private.blast_sender_id), so a blast started on a channel
-- without an enabled sender of that channel — a 'both' blast reaching a channel that has no
-- sender column, or a sender turned off — left those recipients pending for ever. Such a
-- blast is now refused where it is checked for readiness (create_blast, schedule, start and
-- the scheduled start: private.assert_blast_ready), and its preview says so and is not
-- startable, so the composer shows why before anyone presses Start.
--
-- Refusal codes: blast_missing_sender (no sender of its own chosen for a channel the blast sends
-- on), blast_sender_unavailable (the chosen sender is turned off).
--
-- Moved here, each with its final body (the files they came from say so where they were):
--   private.assert_blast_ready (from 20261122000830_blast_controls.sql),
--   public.preview_blast (from 20261125024000_blast_preview_sample.sql).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.blast_channels_without_sender(p_blast public.blasts) returns public.message_channel[]
language sql
stable
set search_path = ''
as $$
  select coalesce(array_agg(u.name order by u.name), '{}')
  from unnest(private.blast_channels(p_blast)) as u(name)
  where not exists (
    select 1 from public.senders s
    where s.id = private.blast_sender_id(p_blast, u.name) and s.channel = u.name and s.enabled)
$$;
comment on function private.blast_channels_without_sender(public.blasts) is
  'The channels a blast sends on that have no enabled sender of their own for it (empty: every channel can send).';

create function private.assert_blast_ready(p_blast public.blasts) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_channel public.message_channel;
  v_sender_id uuid;
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
  -- Every channel the blast sends on (for 'both': each channel in_both_blasts) needs an enabled
  -- sender of that channel: the claim takes a channel's recipients only through its blast
  -- sender, so without one they would stay pending for ever.
  select u.name, private.blast_sender_id(p_blast, u.name) into v_channel, v_sender_id
  from unnest(private.blast_channels(p_blast)) as u(name)
  where u.name = any(private.blast_channels_without_sender(p_blast))
  order by u.name
  limit 1;
  if v_channel is not null and not exists (
       select 1 from public.senders s where s.id = v_sender_id and s.channel = v_channel) then
    raise exception using errcode = 'P0001', message = 'blast_missing_sender',
      detail = format('The blast sends by %s and has no %s sender.', v_channel, v_channel);
  elsif v_channel is not null then
    raise exception using errcode = 'P0001', message = 'blast_sender_unavailable',
      detail = format('The blast''s %s sender is turned off.', v_channel);
  end if;
  if p_blast.segment_id is null and not exists (select 1 from public.blast_audience a where a.blast_id = p_blast.id) then
    raise exception using errcode = 'P0001', message = 'blast_missing_audience',
      detail = 'Choose a saved segment or list recipients.';
  end if;
end
$$;
comment on function private.assert_blast_ready(public.blasts) is
  'Raise a stable code (blast_missing_template/_sender/_audience, blast_sender_unavailable, blast_variant_weights, blast_template_channel_mismatch) unless a blast can start.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER like every blast control: the candidates query reads contacts, consent and
-- suppressions as a whole; the caller is checked first.
create function public.preview_blast(p_blast_id uuid, p_samples integer default 3) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
-- As private.blast_candidates: audiences are big and the planner cannot estimate a set-returning
-- function; hash joins in memory beat 100k index probes, and JIT compiling costs more than it saves.
set work_mem = '64MB'
set enable_nestloop = off
set enable_mergejoin = off
set jit = off
as $$
declare
  -- Rendered and measured per channel × variant: enough for a steady segment average.
  c_measured constant integer := 100;
  v_settings public.messaging_settings := private.messaging_settings();
  v_blast public.blasts;
  v_sql text;
  v_groups jsonb;
  v_group record;
  v_rows jsonb;
  v_samples jsonb := '[]'::jsonb;
  v_measures jsonb := '[]'::jsonb;
  v_by_channel jsonb;
  v_by_variant jsonb;
  v_excluded jsonb;
  v_audience integer;
  v_recipients integer;
  v_quiet integer;
  v_capped integer;
  v_warnings jsonb := '[]'::jsonb;
  v_without_sender public.message_channel[];
begin
  perform private.assert_messaging_operator();
  select * into v_blast from public.blasts where id = p_blast_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  select count(distinct a) into v_audience from private.blast_audience_ids(v_blast) as a;
  select coalesce(jsonb_object_agg(x.channel, x.reasons), '{}'::jsonb) into v_excluded
  from (select e.channel, jsonb_object_agg(e.reason, e.contacts) as reasons
        from private.blast_exclusions(v_blast) e group by e.channel) x;

  v_sql := private.blast_candidates_sql(p_blast_id, true);
  select coalesce(jsonb_agg(to_jsonb(g) order by g.channel, g.variant nulls first), '[]'::jsonb) into v_groups
  from private.blast_preview_groups(v_blast, v_sql, now()) g;

  for v_group in
    select * from jsonb_to_recordset(v_groups)
      as g(channel text, variant text, recipients integer, quiet_hours integer, frequency_cap integer)
  loop
    v_rows := private.blast_preview_sample(v_sql, v_group.channel, v_group.variant, greatest(c_measured, p_samples));
    v_samples := v_samples || coalesce((select jsonb_agg(r.value order by r.ordinality)
                                        from jsonb_array_elements(v_rows) with ordinality r
                                        where r.ordinality <= greatest(p_samples, 0)), '[]'::jsonb);
    -- Segments of this variant: the measured average times its recipients.
    v_measures := v_measures || (
      select jsonb_build_object('channel', v_group.channel, 'recipients', v_group.recipients,
               'measured', count(*), 'segments_max', max((r ->> 'segments')::integer),
               'segments_total', round(coalesce(avg((r ->> 'segments')::numeric), 0) * v_group.recipients))
      from jsonb_array_elements(v_rows) r);
  end loop;

  select coalesce(jsonb_object_agg(m.channel, jsonb_build_object(
           'recipients', m.recipients, 'segments_total', m.segments_total,
           'segments_per_message_max', m.segments_max,
           'segments_per_message_avg', round(m.segments_total / nullif(m.recipients, 0), 2),
           'segments_estimated', m.recipients > m.measured,
           'estimated_cost', round(case m.channel when 'sms' then m.segments_total * v_settings.sms_segment_cost
                                                  else m.recipients * v_settings.email_cost end, 4))), '{}'::jsonb)
  into v_by_channel
  from (select x ->> 'channel' as channel, sum((x ->> 'recipients')::integer) as recipients,
               sum((x ->> 'measured')::integer) as measured, max((x ->> 'segments_max')::integer) as segments_max,
               sum((x ->> 'segments_total')::numeric) as segments_total
        from jsonb_array_elements(v_measures) x group by 1) m;
  select coalesce(jsonb_agg(jsonb_build_object('channel', g.channel, 'variant', g.variant, 'recipients', g.recipients)
                            order by g.channel, g.variant nulls first), '[]'::jsonb),
         coalesce(sum(g.recipients), 0), coalesce(sum(g.quiet_hours), 0), coalesce(sum(g.frequency_cap), 0)
  into v_by_variant, v_recipients, v_quiet, v_capped
  from jsonb_to_recordset(v_groups)
    as g(channel text, variant text, recipients integer, quiet_hours integer, frequency_cap integer);

  if v_recipients = 0 then
    v_warnings := v_warnings || jsonb_build_object('code', 'no_recipients',
      'message', 'Nobody can receive this blast: ' || private.blast_exclusion_summary(v_blast));
  end if;
  v_without_sender := private.blast_channels_without_sender(v_blast);
  if cardinality(v_without_sender) > 0 then
    v_warnings := v_warnings || jsonb_build_object('code', 'blast_sender_unavailable', 'message',
      format('No enabled sender for %s: nothing can start until each channel has one.',
             array_to_string(v_without_sender, ', ')));
  end if;
  if v_quiet > 0 then
    v_warnings := v_warnings || jsonb_build_object('code', 'quiet_hours', 'message',
      format('%s recipients are in quiet hours now; their texts wait until their window opens.', v_quiet));
  end if;
  if v_capped > 0 then
    v_warnings := v_warnings || jsonb_build_object('code', 'frequency_cap', 'message',
      format('%s recipients already had %s marketing texts in the last 24 hours; theirs wait.', v_capped,
             v_settings.marketing_texts_per_day));
  end if;
  return jsonb_build_object(
    'audience', v_audience,
    'recipients', v_recipients,
    'by_channel', v_by_channel,
    'by_variant', v_by_variant,
    'estimated_cost', coalesce((select sum((v.value ->> 'estimated_cost')::numeric) from jsonb_each(v_by_channel) v), 0),
    'samples', v_samples,
    'excluded', v_excluded,
    'waiting_now', jsonb_build_object('quiet_hours', v_quiet, 'frequency_cap', v_capped),
    'startable', v_recipients > 0 and cardinality(v_without_sender) = 0,
    'warnings', v_warnings);
end
$$;
comment on function public.preview_blast(uuid, integer) is
  'Preview a blast without sending: audience, recipients per channel and variant, who is excluded and why, who would wait now (quiet hours, frequency cap), segments and cost (estimated from up to 100 rendered messages per variant), p_samples rendered samples per channel and variant, whether it can start (someone to send to, an enabled sender on every channel), warnings.';
grant execute on function public.preview_blast(uuid, integer) to authenticated, service_role;
