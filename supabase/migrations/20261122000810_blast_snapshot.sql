-- Blasts: the recipient snapshot. One SQL statement, compiled per blast from its templates and
-- variants, computes every snapshot row set-based (audience, consent, suppressions, addresses,
-- duplicates, rendered text, segments); the preview aggregates the same rows.
-- The preview, public.preview_blast, is defined in 20261125024000_blast_preview_sample.sql.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- The audience before any consent rule: the blast's segment plus its explicit list.
create function private.blast_audience_ids(p_blast public.blasts) returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  return query select a.contact_id from public.blast_audience a where a.blast_id = p_blast.id;
  if p_blast.segment_id is not null then
    return query execute
      'select s from private.segment_contact_ids((select g.definition from public.segments g where g.id = $1)) as s'
      using p_blast.segment_id;
  end if;
end
$$;
comment on function private.blast_audience_ids(public.blasts) is
  'Contact ids of a blast''s audience: its explicit list and its saved segment (duplicates possible).';
alter function private.blast_audience_ids(public.blasts) rows 50000;

-- private.blast_candidates_sql moved to 20261126030000_message_channels.sql (addresses and
-- consent rules are the channels').

create function private.blast_candidates(p_blast_id uuid, p_measure_segments boolean default false)
returns table (
  contact_id uuid,
  channel public.message_channel,
  variant text,
  to_address text,
  subject text,
  body text,
  segments integer,
  time_zone text
)
language plpgsql
stable
set search_path = ''
as $$
begin
  return query execute private.blast_candidates_sql(p_blast_id, p_measure_segments);
end
$$;
comment on function private.blast_candidates(uuid, boolean) is
  'The blast''s recipients (see private.blast_candidates_sql) as rows: previews aggregate them.';
-- Audiences are big and the planner cannot estimate a set-returning function: hash joins and
-- enough memory to keep them in RAM beat 100k index probes (or sorts for merge joins). The
-- disabled join methods inflate cost estimates past the JIT thresholds, and compiling would
-- take longer than the query: no JIT.
alter function private.blast_candidates(uuid, boolean) set work_mem = '64MB';
alter function private.blast_candidates(uuid, boolean) set enable_nestloop = off;
alter function private.blast_candidates(uuid, boolean) set enable_mergejoin = off;
alter function private.blast_candidates(uuid, boolean) set jit = off;

-- ============================================================================================
-- Public functions
-- ============================================================================================
