-- CSV import as a server-side job: the file's rows are staged once, the server guesses the
-- column mapping, previews per row what an import would do (by running the real import and
-- rolling it back, so preview and import cannot disagree), and then imports in chunks that any
-- caller can run — the browser, the CLI, a worker — claimed with `for update skip locked`.
-- A chunk is one transaction: a killed import loses at most its open chunk, which the next
-- call claims again, and rows already done are never imported twice. Consent columns record
-- consent with the proof the organizer states (refused without one); an imported opt-in never
-- overrides an opt-out already on the ledger.
--
-- Public functions (organizers and up; service_role counts as owner):
--   create_contact_import(p_file_name, p_headers, p_rows, p_storage_path) -> the import's id
--   guess_import_mapping(p_headers)                                     -> {header: target}
--   preview_contact_import(p_import_id, p_mapping, p_limit)             -> per-row outcome
--   start_contact_import(p_import_id, p_mapping, p_source, p_consent_proof) -> void
--   run_contact_import_chunk(p_import_id, p_size)                       -> rows still pending
-- Targets: phone, email, first_name, last_name, full_name, pronouns, company, title, tags,
-- time_zone, birthday, consent_sms, consent_email, custom:<name>, or "-" (ignore).
-- Refusal codes: not_allowed, invalid_argument, unknown_import, invalid_transition.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.contact_imports (
  id uuid primary key default gen_random_uuid(),
  file_name text not null check (char_length(file_name) between 1 and 300),
  storage_path text,
  headers text[] not null,
  mapping jsonb not null default '{}',
  source text not null default 'import' check (char_length(source) between 1 and 100),
  consent_proof text check (consent_proof is null or char_length(consent_proof) between 1 and 1000),
  status text not null default 'draft' check (status in ('draft', 'running', 'done')),
  total_rows integer not null default 0,
  processed_rows integer not null default 0,
  inserted_rows integer not null default 0,
  updated_rows integer not null default 0,
  skipped_rows integer not null default 0,
  error_rows integer not null default 0,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.contact_imports is
  'CSV imports as jobs: the staged file, its column mapping, status and live counters (in Realtime).';
comment on column public.contact_imports.storage_path is 'The uploaded file in the contact-imports bucket, kept as the record of what was imported.';
comment on column public.contact_imports.consent_proof is 'What the consent columns represent (e.g. "signed up on the Luma page, 2026-03"); required when one is mapped.';
create index contact_imports_created_by_idx on public.contact_imports (created_by);
create index contact_imports_status_idx on public.contact_imports (status);

create table public.contact_import_rows (
  import_id uuid not null references public.contact_imports (id) on delete cascade,
  row_number integer not null check (row_number > 0),
  cells jsonb not null,
  status text check (status in ('inserted', 'updated', 'skipped', 'error')),
  contact_id uuid references public.contacts (id) on delete set null,
  reason text,
  primary key (import_id, row_number)
);
comment on table public.contact_import_rows is
  'One staged CSV row ({header: cell}) and, once imported, its outcome; status null = pending.';
create index contact_import_rows_pending_idx on public.contact_import_rows (import_id, row_number) where status is null;
create index contact_import_rows_contact_id_idx on public.contact_import_rows (contact_id);

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('contact-imports', 'contact-imports', false, 20 * 1024 * 1024, null)
on conflict (id) do nothing;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.contact_imports, public.contact_import_rows from anon, authenticated;
grant select on table public.contact_imports, public.contact_import_rows to authenticated;
grant all on table public.contact_imports, public.contact_import_rows to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.contact_imports enable row level security;
alter table public.contact_import_rows enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- The import's row, locked; unknown_import when it does not exist.
create function private.lock_contact_import(p_import_id uuid) returns public.contact_imports
language plpgsql
set search_path = ''
as $$
declare
  v_import public.contact_imports;
begin
  select * into v_import from public.contact_imports where id = p_import_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_import', detail = 'No such import.';
  end if;
  return v_import;
end
$$;
comment on function private.lock_contact_import(uuid) is 'Lock an import row; unknown_import if missing.';
grant execute on function private.lock_contact_import(uuid) to service_role;

-- The field a header most likely holds (Luma, Meetup, Eventbrite and spreadsheet spellings),
-- or null. Compared after lower-casing and turning everything but letters and digits into "_".
create function private.import_guess_target(p_header text) returns text
language sql
immutable
set search_path = ''
as $$
  select case k
    when 'phone' then 'phone' when 'mobile' then 'phone' when 'cell' then 'phone'
    when 'phone_number' then 'phone' when 'mobile_phone' then 'phone' when 'cell_phone' then 'phone'
    when 'mobile_number' then 'phone'
    when 'email' then 'email' when 'e_mail' then 'email' when 'email_address' then 'email'
    when 'first_name' then 'first_name' when 'first' then 'first_name' when 'firstname' then 'first_name'
    when 'given_name' then 'first_name'
    when 'last_name' then 'last_name' when 'last' then 'last_name' when 'lastname' then 'last_name'
    when 'surname' then 'last_name' when 'family_name' then 'last_name'
    when 'name' then 'full_name' when 'full_name' then 'full_name'
    when 'pronouns' then 'pronouns'
    when 'company' then 'company' when 'organization' then 'company' when 'organisation' then 'company'
    when 'title' then 'title' when 'job_title' then 'title'
    when 'tags' then 'tags' when 'labels' then 'tags'
    when 'time_zone' then 'time_zone' when 'timezone' then 'time_zone'
    when 'birthday' then 'birthday' when 'date_of_birth' then 'birthday'
    when 'sms_consent' then 'consent_sms' when 'sms_opt_in' then 'consent_sms'
    when 'email_consent' then 'consent_email' when 'email_opt_in' then 'consent_email'
  end
  from (select btrim(regexp_replace(lower(coalesce(p_header, '')), '[^a-z0-9]+', '_', 'g'), '_') as k) h
$$;
comment on function private.import_guess_target(text) is 'The contact field a CSV header most likely holds, or null.';
grant execute on function private.import_guess_target(text) to authenticated, service_role;

-- A mapping is {header: target} over the import's headers; invalid_argument otherwise.
create function private.validate_import_mapping(p_mapping jsonb, p_headers text[]) returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_header text;
  v_target text;
  v_targets text[] := '{}';
begin
  if p_mapping is null or jsonb_typeof(p_mapping) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'The mapping is {column: field}.';
  end if;
  for v_header, v_target in select key, value #>> '{}' from jsonb_each(p_mapping) loop
    if v_header <> all (p_headers) then
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = format('The file has no column %s.', v_header);
    end if;
    if v_target is null or not (v_target in ('phone', 'email', 'first_name', 'last_name', 'full_name', 'pronouns',
        'company', 'title', 'tags', 'time_zone', 'birthday', 'consent_sms', 'consent_email', '-')
        or v_target ~ '^custom:[A-Za-z0-9_ -]{1,64}$') then
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = format('Unknown field for %s: %s', v_header, coalesce(v_target, 'null'));
    end if;
    if v_target <> '-' and v_target = any (v_targets) then
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = format('Two columns map to %s.', v_target);
    end if;
    v_targets := v_targets || v_target;
  end loop;
  if not (v_targets && array['phone', 'email']) then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Map a column to phone or email.';
  end if;
end
$$;
comment on function private.validate_import_mapping(jsonb, text[]) is 'Raise invalid_argument unless the mapping names known columns and fields, once each, with phone or email.';
grant execute on function private.validate_import_mapping(jsonb, text[]) to authenticated, service_role;

-- One staged row through a mapping: {row: <an import_contacts object>, consent: {sms?, email?}}
-- or {error: why}. Consent cells read yes/no in English and Spanish; empty means no change.
create function private.map_import_row(p_cells jsonb, p_mapping jsonb) returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_row jsonb := '{}';
  v_consent jsonb := '{}';
  v_custom jsonb := '{}';
  v_header text;
  v_target text;
  v_value text;
begin
  for v_header, v_target in select key, value #>> '{}' from jsonb_each(p_mapping) loop
    v_value := btrim(p_cells ->> v_header);
    continue when v_target = '-' or v_value is null or v_value = '';
    if v_target like 'custom:%' then
      v_custom := v_custom || jsonb_build_object(substr(v_target, 8), v_value);
    elsif v_target = 'full_name' then
      v_row := v_row || jsonb_build_object('first_name', split_part(v_value, ' ', 1))
        || coalesce(jsonb_build_object('last_name', nullif(btrim(substr(v_value, strpos(v_value || ' ', ' '))), '')), '{}');
    elsif v_target in ('consent_sms', 'consent_email') then
      v_consent := v_consent || jsonb_build_object(substr(v_target, 9), case
        when lower(v_value) in ('yes', 'y', 'true', '1', 'opted_in', 'si', 'sí', 'x') then 'opted_in'
        when lower(v_value) in ('no', 'n', 'false', '0', 'opted_out') then 'opted_out'
      end);
      if v_consent ->> substr(v_target, 9) is null then
        return jsonb_build_object('error', format('Consent is yes or no, not "%s".', v_value));
      end if;
    else
      v_row := v_row || jsonb_build_object(v_target, v_value);
    end if;
  end loop;
  if v_custom <> '{}' then
    v_row := v_row || jsonb_build_object('custom_fields', v_custom);
  end if;
  return jsonb_build_object('row', v_row, 'consent', v_consent);
end
$$;
comment on function private.map_import_row(jsonb, jsonb) is 'A staged CSV row through a mapping: {row, consent} for import_contacts, or {error}.';
grant execute on function private.map_import_row(jsonb, jsonb) to authenticated, service_role;

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read contact imports" on public.contact_imports
  for select to authenticated using ((select private.has_staff_level('organizer')));

create policy "Organizers can read contact import rows" on public.contact_import_rows
  for select to authenticated using ((select private.has_staff_level('organizer')));

create policy "Organizers can read import files" on storage.objects
  for select to authenticated
  using (bucket_id = 'contact-imports' and (select private.has_staff_level('organizer')));

create policy "Organizers can upload import files" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'contact-imports' and (select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: staff never write the import tables directly (only these functions keep
-- counters and statuses consistent); the caller check comes first.
create function public.create_contact_import(
  p_file_name text,
  p_headers text[],
  p_rows jsonb,
  p_storage_path text default null
) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
  v_count integer;
begin
  perform private.require_staff_level('organizer');
  if p_headers is null or cardinality(p_headers) = 0
     or (select count(distinct h) from unnest(p_headers) h) <> cardinality(p_headers)
     or exists (select 1 from unnest(p_headers) h where h is null or btrim(h) = '') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'The file needs a header row of distinct, non-empty column names.';
  end if;
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) = 0
     or jsonb_array_length(p_rows) > 100000
     or exists (select 1 from jsonb_array_elements(p_rows) r where jsonb_typeof(r) <> 'array') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'The file has 1 to 100,000 data rows, each a list of cells.';
  end if;
  insert into public.contact_imports (file_name, storage_path, headers, mapping, created_by)
  values (p_file_name, p_storage_path, p_headers,
          coalesce((select jsonb_object_agg(h, coalesce(private.import_guess_target(h), '-'))
                      from unnest(p_headers) h), '{}'),
          auth.uid())
  returning id into v_id;
  insert into public.contact_import_rows (import_id, row_number, cells)
  select v_id, r.n, (select coalesce(jsonb_object_agg(p_headers[c.i], c.cell), '{}')
                       from jsonb_array_elements_text(r.cells) with ordinality c(cell, i)
                      where c.i <= cardinality(p_headers))
    from jsonb_array_elements(p_rows) with ordinality r(cells, n);
  get diagnostics v_count = row_count;
  update public.contact_imports set total_rows = v_count where id = v_id;
  perform private.audit('contact_import_staged', 'contact_imports', v_id::text, null, null,
    jsonb_build_object('file_name', p_file_name, 'rows', v_count));
  return v_id;
end
$$;
comment on function public.create_contact_import(text, text[], jsonb, text) is
  'Organizers: stage a CSV (header + rows of cells) as a draft import with a guessed mapping; returns its id. Errors: not_allowed, invalid_argument.';
grant execute on function public.create_contact_import(text, text[], jsonb, text) to authenticated, service_role;

create function public.guess_import_mapping(p_headers text[]) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(h, coalesce(private.import_guess_target(h), '-')), '{}')
    from unnest(p_headers) h
$$;
comment on function public.guess_import_mapping(text[]) is 'The guessed {header: field} mapping for a CSV header row ("-" = ignore).';
grant execute on function public.guess_import_mapping(text[]) to authenticated, service_role;

-- Runs the real import on the first rows and rolls it back, so the preview says exactly what
-- the import will do (phones parsed by the server, duplicates found by the server).
create function public.preview_contact_import(p_import_id uuid, p_mapping jsonb, p_limit integer default 50)
returns table (row_number integer, outcome text, reason text, cells jsonb)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_import public.contact_imports;
  v_preview jsonb;
begin
  perform private.require_staff_level('organizer');
  select * into v_import from public.contact_imports i where i.id = p_import_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_import', detail = 'No such import.';
  end if;
  perform private.validate_import_mapping(p_mapping, v_import.headers);
  if p_limit is null or p_limit not between 1 and 500 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Preview 1 to 500 rows.';
  end if;
  begin
    with rows as (
      select r.row_number as n, r.cells, private.map_import_row(r.cells, p_mapping) as mapped,
             row_number() over (order by r.row_number) as ordinal
        from public.contact_import_rows r
       where r.import_id = p_import_id order by r.row_number limit p_limit
    ), results as (
      select * from public.import_contacts(
        (select coalesce(jsonb_agg(coalesce(x.mapped -> 'row', '{}') order by x.ordinal), '[]') from rows x),
        true, v_import.source)
    )
    select jsonb_agg(jsonb_build_object(
             'n', x.n, 'cells', x.cells,
             'outcome', case when x.mapped ? 'error' then 'error'
                             when res.status = 'inserted' then 'new' else res.status end,
             'reason', coalesce(x.mapped ->> 'error', res.reason)) order by x.n)
      into v_preview
      from rows x join results res on res.row_number = x.ordinal;
    raise exception using errcode = 'P0001', message = 'preview_done';
  exception
    when sqlstate 'P0001' then
      if sqlerrm <> 'preview_done' then
        raise;
      end if;
  end;
  return query
  select (p ->> 'n')::integer, p ->> 'outcome', p ->> 'reason', p -> 'cells'
    from jsonb_array_elements(coalesce(v_preview, '[]')) p;
end
$$;
comment on function public.preview_contact_import(uuid, jsonb, integer) is
  'Organizers: what importing the first rows with this mapping would do — new | updated | skipped | error with the reason — without changing anything. Errors: not_allowed, unknown_import, invalid_argument.';
grant execute on function public.preview_contact_import(uuid, jsonb, integer) to authenticated, service_role;

create function public.start_contact_import(
  p_import_id uuid,
  p_mapping jsonb,
  p_source text default 'import',
  p_consent_proof text default null
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_import public.contact_imports;
begin
  perform private.require_staff_level('organizer');
  v_import := private.lock_contact_import(p_import_id);
  if v_import.status <> 'draft' then
    raise exception using errcode = 'P0001', message = 'invalid_transition', detail = 'This import has already started.';
  end if;
  perform private.validate_import_mapping(p_mapping, v_import.headers);
  if nullif(btrim(p_source), '') is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Name where these contacts came from.';
  end if;
  if exists (select 1 from jsonb_each_text(p_mapping) m where m.value in ('consent_sms', 'consent_email'))
     and nullif(btrim(p_consent_proof), '') is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'A consent column needs the proof it represents (where and when people agreed).';
  end if;
  update public.contact_imports
     set mapping = p_mapping, source = btrim(p_source), consent_proof = nullif(btrim(p_consent_proof), ''),
         status = 'running', updated_at = now()
   where id = p_import_id;
  perform private.audit('contact_import_started', 'contact_imports', p_import_id::text, null, null,
    jsonb_build_object('file_name', v_import.file_name, 'rows', v_import.total_rows, 'mapping', p_mapping,
                       'source', btrim(p_source), 'consent_proof', p_consent_proof));
end
$$;
comment on function public.start_contact_import(uuid, jsonb, text, text) is
  'Organizers: fix the mapping, source and consent proof of a draft import and mark it running (audited). Errors: not_allowed, unknown_import, invalid_transition, invalid_argument.';
grant execute on function public.start_contact_import(uuid, jsonb, text, text) to authenticated, service_role;

-- public.run_contact_import_chunk → 20261125021000_contact_import_set_based.sql (set-based).

-- ============================================================================================
-- Realtime
-- ============================================================================================

alter publication supabase_realtime add table public.contact_imports;
