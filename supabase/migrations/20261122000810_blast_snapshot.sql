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

-- Everything a snapshot row needs, computed set-based in one statement. Previews aggregate it;
-- the snapshot inserts it. Consent, suppressions and missing addresses are filtered here, in one
-- place; duplicates cannot arise: the audience is a semi-join (each contact once) and contacts'
-- phones and emails are unique. Each channel's templates (and A/B variants by a stable hash of
-- contact and blast) are compiled once into SQL expressions (private.template_sql), so rendering
-- costs string concatenation per row. Segments are measured only when asked (previews); the
-- claim measures the few rows it hands out.
create function private.blast_candidates_sql(p_blast_id uuid, p_measure_segments boolean) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_settings public.messaging_settings := private.messaging_settings();
  v_constants jsonb;
  v_fields jsonb;
  v_variant record;
  v_label_sql text := '';
  v_subject_sql text := '';
  v_body_sql text := '';
  v_channels public.message_channel[];
  v_event record;
begin
  select * into v_blast from public.blasts b where b.id = p_blast_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  v_channels := case v_blast.channel when 'both' then array['sms', 'email']::public.message_channel[]
                else array[v_blast.channel::text]::public.message_channel[] end;
  v_constants := jsonb_build_object('org_name', quote_literal(v_settings.org_name));
  if v_blast.event_id is not null then
    execute 'select e.name, e.starts_at from public.events e where e.id = $1' into v_event using v_blast.event_id;
    v_constants := v_constants || jsonb_build_object(
      'event_name', quote_nullable(v_event.name),
      'event_date', quote_nullable(to_char(v_event.starts_at at time zone v_settings.org_time_zone, 'FMMonth FMDD')));
  end if;
  v_fields := v_constants || jsonb_build_object(
    'first_name', 'e.first_name', 'last_name', 'e.last_name',
    'full_name', 'nullif(concat_ws('' '', e.first_name, e.last_name), '''')',
    'email', 'e.email', 'phone', 'e.phone::text', 'custom', 'e.custom_fields');

  -- One CASE branch per channel × variant: bucket ranges [lo, hi) over 0..99.
  for v_variant in
    select v.channel, v.label,
           coalesce(sum(v.weight) over w - v.weight, 0) as lo, sum(v.weight) over w as hi,
           t.subject, t.body
    from public.blast_variants v join public.message_templates t on t.id = v.template_id
    where v.blast_id = p_blast_id and v.channel = any (v_channels)
    window w as (partition by v.channel order by v.label)
    union all
    select ch, null, 0, 100, t.subject, t.body
    from unnest(v_channels) as ch
    join public.message_templates t
      on t.id = case ch when 'sms' then v_blast.sms_template_id else v_blast.email_template_id end
    where not exists (select 1 from public.blast_variants v where v.blast_id = p_blast_id and v.channel = ch)
  loop
    v_label_sql := v_label_sql || format(' when e.channel = %L and e.bucket >= %s and e.bucket < %s then %L',
      v_variant.channel, v_variant.lo, v_variant.hi, v_variant.label);
    v_subject_sql := v_subject_sql || format(' when e.channel = %L and e.bucket >= %s and e.bucket < %s then %s',
      v_variant.channel, v_variant.lo, v_variant.hi,
      private.template_sql(private.compile_template(v_variant.subject), v_fields));
    v_body_sql := v_body_sql || format(' when e.channel = %L and e.bucket >= %s and e.bucket < %s then %s',
      v_variant.channel, v_variant.lo, v_variant.hi,
      private.template_sql(private.compile_template(v_variant.body), v_fields));
  end loop;
  if v_body_sql = '' then
    raise exception using errcode = 'P0001', message = 'blast_missing_template';
  end if;

  -- Every value is embedded with %L (quoted) or built above from quoted literals.
  return format($sql$
    select r.contact_id, r.channel, r.variant, r.address as to_address, r.subject, r.body,
           case when not %7$L::boolean then null::integer
                when r.channel = 'sms' then public.sms_segments(r.body) else 1 end as segments,
           r.time_zone
    from (
      select e.contact_id, e.channel, (case %1$s end)::text as variant, e.address,
             (case %2$s end)::text as subject, (case %3$s end)::text as body,
             coalesce(z.name, %6$L) as time_zone
      from (
        select c.id as contact_id, ch.channel,
               case ch.channel when 'sms' then c.phone::text else lower(c.email) end as address,
               c.first_name, c.last_name, c.email, c.phone, c.custom_fields, c.time_zone,
               %10$s as bucket
        from public.contacts c
        cross join unnest(%5$L::public.message_channel[]) as ch(channel)
        left join public.contact_consents cc on cc.contact_id = c.id and cc.channel = ch.channel
        where c.id in (select a.id from private.blast_audience_ids(
                         (select b from public.blasts b where b.id = %4$L)) as a(id))
          and c.erased_at is null and c.merged_into is null
          and case
                when cc.status = 'opted_out' then false
                when cc.status = 'opted_in' then true
                when ch.channel = 'sms' then not %8$L::boolean
                else not %9$L::boolean
              end
      ) e
      left join (
        -- Each distinct zone is checked once (offset 0 keeps the check above the distinct).
        select d.tz as name
        from (select distinct c.time_zone as tz from public.contacts c where c.time_zone is not null offset 0) d
        where private.is_time_zone(d.tz)
      ) z on z.name = e.time_zone
      where e.address is not null
        and not exists (
          select 1 from public.suppressions s
          where s.channel = e.channel and s.address = e.address and s.lifted_at is null)
      offset 0
    ) r
    $sql$, v_label_sql, v_subject_sql, v_body_sql, p_blast_id, v_channels, v_settings.org_time_zone,
    p_measure_segments, v_settings.sms_requires_opt_in, v_settings.email_requires_opt_in,
    -- A stable hash of contact and blast picks the variant; without variants there is nothing to pick.
    case when exists (select 1 from public.blast_variants v where v.blast_id = p_blast_id)
         then format('abs(hashtextextended(c.id::text || %L, 0)) %% 100', p_blast_id) else '0' end);
end
$$;
comment on function private.blast_candidates_sql(uuid, boolean) is
  'The query (SQL text, values quoted) of a blast''s recipients per channel after consent, suppressions and missing addresses, with variant and rendered text (segments when p_measure_segments).';

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
