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

-- public.preview_blast moved to 20261128020200_blast_sender_readiness.sql (a channel without an
-- enabled sender makes it unstartable).
