-- Ad-hoc audiences for blasts (issue 15, item 2: "audience = segment or filter with its live
-- count"). The composer may send to a filter nobody saved: it keeps the filter as a one-off
-- segment — the same definition, validated by the same triggers and compiled by the same
-- compiler (private.segment_where) as every saved segment — and passes its id to create_blast,
-- so the blast functions, the snapshot and the preview need no second audience path. One-off
-- segments are not listed among saved segments (the CRM and the composer hide them); a blast
-- keeps its one-off segment (the foreign key restricts deleting it), so its audience stays on record.
--
-- The function that keeps the filter is now private.save_one_off_segment, called only by
-- public.create_blast_to_filter (20261128030000_one_off_segments_private).

-- ============================================================================================
-- Columns
-- ============================================================================================

alter table public.segments add column one_off boolean not null default false;
comment on column public.segments.one_off is
  'Saved by the blast composer for one blast''s unsaved filter: not listed among saved segments.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.save_one_off_segment moved to 20261128030000_one_off_segments_private.sql (now private).
