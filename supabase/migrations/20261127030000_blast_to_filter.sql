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

-- Invoker rights: the one-off segment goes through the segments policies and definition
-- triggers (save_one_off_segment), the blast through create_blast's own caller checks.
create function public.create_blast_to_filter(p_definition jsonb, p_spec jsonb) returns public.blasts
language plpgsql
volatile
set search_path = ''
as $$
begin
  if jsonb_typeof(p_spec) is distinct from 'object' or p_spec ? 'segment_id' or p_spec ? 'contact_ids' then
    raise exception using errcode = '22023', message = 'invalid_blast_spec',
      detail = 'A blast to a filter takes its audience from the filter only.';
  end if;
  return public.create_blast(p_spec || jsonb_build_object('segment_id', public.save_one_off_segment(p_definition)));
end
$$;
comment on function public.create_blast_to_filter(jsonb, jsonb) is
  'The composer''s blast to an unsaved filter: the filter kept as a one-off segment and the blast created in one transaction (nothing kept when either is refused).';
revoke execute on function public.create_blast_to_filter(jsonb, jsonb) from public, anon;
grant execute on function public.create_blast_to_filter(jsonb, jsonb) to authenticated;
