-- Ad-hoc audiences for blasts (issue 15, item 2: "audience = segment or filter with its live
-- count"). The composer may send to a filter nobody saved: it keeps the filter as a one-off
-- segment — the same definition, validated by the same triggers and compiled by the same
-- compiler (private.segment_where) as every saved segment — and passes its id to create_blast,
-- so the blast functions, the snapshot and the preview need no second audience path. One-off
-- segments are not listed among saved segments (the CRM and the composer hide them); a blast
-- keeps its one-off segment (the foreign key restricts deleting it), so its audience stays on record.
--
--   public.save_one_off_segment(p_definition jsonb) returns uuid
--     Organizers and above (the segments insert policy). Refusals: invalid_segment (P0001, from
--     the definition's validator); not an organizer → 42501 (row-level security).

-- ============================================================================================
-- Columns
-- ============================================================================================

alter table public.segments add column one_off boolean not null default false;
comment on column public.segments.one_off is
  'Saved by the blast composer for one blast''s unsaved filter: not listed among saved segments.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- Invoker rights: the insert goes through the segments policies and definition triggers.
create function public.save_one_off_segment(p_definition jsonb) returns uuid
language sql
volatile
set search_path = ''
as $$
  insert into public.segments (name, definition, one_off)
  values (format('One-off audience %s', gen_random_uuid()), p_definition, true)
  returning id
$$;
comment on function public.save_one_off_segment(jsonb) is
  'The blast composer''s unsaved filter kept as a one-off, unlisted segment (validated like any segment); returns its id for create_blast.';
revoke execute on function public.save_one_off_segment(jsonb) from public, anon;
grant execute on function public.save_one_off_segment(jsonb) to authenticated;
