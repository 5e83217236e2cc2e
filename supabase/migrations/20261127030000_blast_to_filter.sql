-- A blast to an unsaved filter in one call (issue 15, item 2). The composer used to keep the
-- filter as a one-off segment (save_one_off_segment) and then call create_blast: two requests,
-- two transactions, so a refused blast (a taken name, a missing sender) left its one-off segment
-- behind. This function does both in one transaction: a refusal of either undoes both.
--
--   public.create_blast_to_filter(p_definition jsonb, p_spec jsonb) returns public.blasts
--     p_definition: the filter (a segment definition); p_spec: create_blast's spec without an
--     audience. Organizers and above. Refusals: create_blast's codes; invalid_segment (P0001) for
--     a bad filter; invalid_blast_spec (22023) when the spec names its own audience (segment_id
--     or contact_ids); a caller below organizer → 42501 (the segments insert policy).

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.create_blast_to_filter moved to 20261128030000_one_off_segments_private.sql.
