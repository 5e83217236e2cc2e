-- The blast preview at scale (issue 15, item 2): a 100k-contact audience was rendered and
-- measured row by row (every recipient's text, its SMS segments, a quiet-hours check and a
-- frequency-cap lookup each) and hit the API's 8 s statement timeout. Now:
--   * counts per channel × variant, quiet hours (once per time zone) and the frequency cap (one
--     grouped scan of the last 24 hours' marketing texts) are set-based, over the candidates
--     query with its rendered columns unused (the planner drops them: nothing is rendered);
--   * only a sample is rendered: up to 100 messages per channel × variant are rendered and
--     measured, the first p_samples of each are shown, and the SMS segments (hence the cost)
--     are their average times the recipients — exact whenever a variant has at most 100.
--
--   public.preview_blast(p_blast_id uuid, p_samples integer default 3) returns jsonb
--     {audience, recipients, by_channel: {channel: {recipients, segments_total,
--      segments_per_message_max, segments_per_message_avg, segments_estimated, estimated_cost}},
--      by_variant: [{channel, variant, recipients}], estimated_cost, samples: [{contact_id,
--      channel, variant, subject, body, segments, encoding}] (p_samples per channel × variant),
--      excluded, waiting_now: {quiet_hours, frequency_cap}, startable, warnings}
--     Refusals: not_allowed (below organizer, P0001), blast_not_found (P0001).
--
-- Moved here from 20261125002120_blast_composer.sql: public.preview_blast(uuid, integer) and
-- private.blast_exclusions(public.blasts) (it called the settings function once per contact),
-- and private.blast_exclusion_summary(public.blasts), which reads it.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.blast_exclusions and private.blast_exclusion_summary (which reads it) moved to
-- 20261126030000_message_channels.sql (addresses and consent rules are the channels').

-- private.blast_preview_groups moved to 20261127010000_channel_claim.sql (the frequency cap is
-- a channel's rule there).

-- The first p_limit recipients of one channel × variant, rendered and measured. Streams: the
-- scan stops once enough rows of that variant have been rendered.
create function private.blast_preview_sample(p_candidates_sql text, p_channel text, p_variant text, p_limit integer)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_rows jsonb;
begin
  execute format($sql$
    select coalesce(jsonb_agg(jsonb_build_object(
             'contact_id', s.contact_id, 'channel', s.channel, 'variant', s.variant, 'subject', s.subject,
             'body', s.body, 'segments', s.segments,
             'encoding', case s.channel when 'sms' then public.sms_encoding(s.body) end)), '[]'::jsonb)
    from (select c.* from (%s) c where c.channel::text = $1 and c.variant is not distinct from $2 limit $3) s
    $sql$, p_candidates_sql)
  into v_rows using p_channel, p_variant, p_limit;
  return v_rows;
end
$$;
comment on function private.blast_preview_sample(text, text, text, integer) is
  'Up to p_limit rendered and measured messages of one channel and variant of a blast''s candidates query.';

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
    'startable', v_recipients > 0,
    'warnings', v_warnings);
end
$$;
comment on function public.preview_blast(uuid, integer) is
  'Preview a blast without sending: audience, recipients per channel and variant, who is excluded and why, who would wait now (quiet hours, frequency cap), segments and cost (estimated from up to 100 rendered messages per variant), p_samples rendered samples per channel and variant, whether it can start, warnings.';
grant execute on function public.preview_blast(uuid, integer) to authenticated, service_role;
