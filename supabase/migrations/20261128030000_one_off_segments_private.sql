-- One-off segments are written only by the blast composer's one call (issue 15; closing notes of
-- session 7: "save_one_off_segment is still granted to organizers, so a direct call can leave an
-- unused segment"). Since create_blast_to_filter keeps the filter and creates the blast in one
-- transaction, nothing else needs to write a one-off segment, and every other way to write one
-- left a segment no blast uses and no list shows:
--   * public.save_one_off_segment, callable through the API, becomes private.save_one_off_segment
--     (moved from 20261126040100_one_off_segments), which only create_blast_to_filter calls;
--   * the segments policies refuse a one-off row to every API role: an organizer can neither
--     insert one (POST /segments with one_off = true), nor turn a segment into one or back, nor
--     edit one — a blast's one-off segment is the record of who that blast was for.
--
--   public.create_blast_to_filter(p_definition jsonb, p_spec jsonb) returns public.blasts
--     (moved from 20261127030000_blast_to_filter) p_definition: the filter (a segment
--     definition); p_spec: create_blast's spec without an audience. Organizers and above.
--     Refusals: not_allowed (P0001) below organizer, checked first; invalid_blast_spec (22023)
--     when the spec names its own audience (segment_id or contact_ids); invalid_segment (P0001)
--     for a bad filter; create_blast's codes.

-- ============================================================================================
-- Policies
-- ============================================================================================

alter policy "Organizers can create segments" on public.segments
  with check ((select private.has_staff_level('organizer')) and not one_off);

alter policy "Organizers can update segments" on public.segments
  using ((select private.has_staff_level('organizer')) and not one_off)
  with check ((select private.has_staff_level('organizer')) and not one_off);

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- SECURITY DEFINER: the segments policies refuse one-off rows to every API role (see the
-- header), so only a definer can write one. The caller is checked first; the definition goes
-- through the segments triggers (validation, audit) like any segment's.
create function private.save_one_off_segment(p_definition jsonb) returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  perform private.require_staff_level('organizer');
  insert into public.segments (name, definition, one_off)
  values (format('One-off audience %s', gen_random_uuid()), p_definition, true)
  returning id into v_id;
  return v_id;
end
$$;
comment on function private.save_one_off_segment(jsonb) is
  'A blast''s unsaved filter kept as a one-off, unlisted segment (validated like any segment); only create_blast_to_filter calls it. Errors: not_allowed, invalid_segment.';
grant execute on function private.save_one_off_segment(jsonb) to authenticated;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- Invoker rights: the blast goes through create_blast's own caller checks; the one-off segment
-- through private.save_one_off_segment. One transaction, so a refusal of either keeps neither.
create function public.create_blast_to_filter(p_definition jsonb, p_spec jsonb) returns public.blasts
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  if jsonb_typeof(p_spec) is distinct from 'object' or p_spec ? 'segment_id' or p_spec ? 'contact_ids' then
    raise exception using errcode = '22023', message = 'invalid_blast_spec',
      detail = 'A blast to a filter takes its audience from the filter only.';
  end if;
  return public.create_blast(p_spec || jsonb_build_object('segment_id', private.save_one_off_segment(p_definition)));
end
$$;
comment on function public.create_blast_to_filter(jsonb, jsonb) is
  'The composer''s blast to an unsaved filter: the filter kept as a one-off segment and the blast created in one transaction (nothing kept when either is refused). Errors: not_allowed, invalid_blast_spec, invalid_segment, create_blast''s.';
revoke execute on function public.create_blast_to_filter(jsonb, jsonb) from public, anon;
grant execute on function public.create_blast_to_filter(jsonb, jsonb) to authenticated;
