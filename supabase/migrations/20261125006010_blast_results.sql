-- A blast's results for its screen (issue 15, item 2): per channel and variant, and per
-- recipient (filterable, pageable, exportable), read from the snapshot and the messages it
-- became.
--
--   public.blast_results(p_blast_id uuid) -> setof (channel, variant, recipients, to_send, sent,
--     delivered, failed, skipped, opted_out)
--   public.blast_recipient_results(p_blast_id uuid, p_outcome text, p_variant text, p_search text,
--     p_limit integer, p_offset integer) -> setof (recipient_id, contact_id, contact_name, channel,
--     variant, to_address, outcome, skip_reason, error_code, sent_at, delivered_at, opted_out)
--   Refusals (P0001): not_allowed (below organizer), blast_not_found, invalid_argument (an
--   unknown outcome, or a limit outside 1..10000).
--
-- One outcome per recipient, counted as the blast's counters count messages
-- (private.messages_count_for_blast): to_send (not claimed yet, or queued/sending), sent
-- (accepted by the provider, no receipt yet), delivered, failed (failed or undelivered), skipped
-- (opted out, suppressed or cancelled before sending). opted_out marks a recipient who opted out
-- because of this blast (a STOP reply) or before it reached them.
--
-- Invoker rights: organizers read blast_recipients and messages under their own RLS.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.blast_recipient_outcome moved to 20261125024010_blast_ab_winner.sql (held recipients).

create function private.assert_can_read_blast(p_blast_id uuid) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if (select auth.role()) is distinct from 'service_role' and not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only organizers, admins and owners read blast results.';
  end if;
  if not exists (select 1 from public.blasts b where b.id = p_blast_id) then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
end
$$;
comment on function private.assert_can_read_blast(uuid) is
  'Raise not_allowed below organizer (service role excepted) and blast_not_found for a blast the caller cannot see.';
grant execute on function private.assert_can_read_blast(uuid) to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.blast_results moved to 20261129040000_blast_email_engagement.sql (opened and clicked).

-- public.blast_recipient_results moved to 20261129040000_blast_email_engagement.sql (opens, clicks, engagement filter).
