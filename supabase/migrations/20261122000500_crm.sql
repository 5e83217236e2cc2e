-- CRM: interactions (notes, calls, meetings, emails) with attachments, saved segments, the
-- activity timeline, and CSV import / export. Organizers and above only; volunteers, attendees
-- and devices see none of it.
--
-- Segments: a JSON definition evaluated by ONE function, private.segment_contact_ids(p_definition)
-- (…004000_crm_contacts_list: contact criteria compiled by private.segment_where, consent on top). The definition
-- is data, never SQL text: every key is whitelisted and bound as a parameter of static SQL.
-- Keys (all optional, combined with AND):
--   tags_any, tags_all, tags_none: [text]        attended_events: [event uuid] (any of them)
--   min_checkins: integer                         last_checkin_before, last_checkin_after: timestamptz
--   created_after, created_before: timestamptz    has_phone, has_email: boolean
--   custom_field_equals: {"field": value, …}      (JSON containment on custom_fields)
--   consent_sms, consent_email: "opted_in" | "opted_out" | "unknown" | "not_opted_out"
--                                                 (unknown = no ledger entry)
-- Blasts apply their own consent rule regardless; the consent keys let an organizer build and
-- preview audiences by consent.
--
-- private.segment_contact_ids and public.export_contacts are defined with the contacts list
-- (20261125004000_crm_contacts_list.sql), which compiles a definition to only the criteria it uses.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.interactions (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references public.contacts (id) on delete cascade,
  kind text not null check (kind in ('note', 'call', 'meeting', 'email')),
  body text not null default '',
  occurred_at timestamptz not null default now(),
  author_id uuid default auth.uid() references auth.users (id) on delete set null,
  attachments jsonb not null default '[]' check (jsonb_typeof(attachments) = 'array'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.interactions is 'CRM log: notes, calls, meetings and emails with a contact.';
comment on column public.interactions.attachments is
  'Files in the private attachments bucket: [{"path": "<contact id>/<file>", "name", "content_type", "size"}].';
comment on column public.interactions.author_id is 'The staff member who wrote it.';

create index interactions_contact_id_idx on public.interactions (contact_id, occurred_at desc);
create index interactions_author_id_idx on public.interactions (author_id);

create table public.segments (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (char_length(name) between 1 and 200),
  description text,
  definition jsonb not null default '{}',
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.segments is 'Saved audiences: a JSON definition evaluated by private.segment_contact_ids().';
comment on column public.segments.definition is
  'e.g. {"tags_any":["speaker"],"min_checkins":2,"has_phone":true}; see the migration header for keys.';

create index segments_created_by_idx on public.segments (created_by);

create index contacts_custom_fields_idx on public.contacts using gin (custom_fields jsonb_path_ops);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.interactions, public.segments from anon, authenticated;
grant select, insert, update, delete on table public.interactions, public.segments to authenticated;
grant all on table public.interactions, public.segments to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger interactions_touch_updated_at before update on public.interactions
  for each row execute function private.touch_updated_at();

create trigger segments_touch_updated_at before update on public.segments
  for each row execute function private.touch_updated_at();

create function private.segments_validate_definition() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.validate_segment_definition(new.definition);
  return new;
end
$$;
comment on function private.segments_validate_definition() is 'Trigger: refuse an invalid segment definition.';

create trigger segments_validate_definition before insert or update of definition on public.segments
  for each row execute function private.segments_validate_definition();

create function private.segments_validate_consent() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.validate_segment_consent(new.definition);
  return new;
end
$$;
comment on function private.segments_validate_consent() is 'Trigger: refuse a segment with a bad consent criterion.';

create trigger segments_validate_consent before insert or update of definition on public.segments
  for each row execute function private.segments_validate_consent();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.interactions enable row level security;
alter table public.segments enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- The consent keys, evaluated on top of the contact criteria (validate_segment_consent).
create function private.segment_extra_keys() returns text[]
language sql
immutable
set search_path = ''
as $$
  select '{consent_sms,consent_email}'::text[]
$$;
comment on function private.segment_extra_keys() is
  'Segment definition keys evaluated on top of the contact criteria: consent_sms and consent_email.';
grant execute on function private.segment_extra_keys() to authenticated, service_role;

-- private.validate_segment_definition moved to 20261125010000_segment_rules.sql.

create function private.require_staff_level(p_min public.staff_level) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if private.acting_staff_level() is null or private.acting_staff_level() < p_min then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = format('Requires %s or above.', p_min);
  end if;
end
$$;
comment on function private.require_staff_level(public.staff_level) is
  'Raise not_allowed unless the caller (or service_role) is at least this staff level.';
grant execute on function private.require_staff_level(public.staff_level) to authenticated, service_role;

-- Tags from a JSON array or a "a, b; c" string.
create function private.parse_tags(p_value jsonb) returns text[]
language sql
immutable
set search_path = ''
as $$
  select coalesce(array(
    select distinct btrim(t) from (
      select jsonb_array_elements_text(p_value) as t where jsonb_typeof(p_value) = 'array'
      union all
      select regexp_split_to_table(p_value #>> '{}', '[,;]') where jsonb_typeof(p_value) = 'string'
    ) s where btrim(t) <> '' order by 1), '{}')
$$;
comment on function private.parse_tags(jsonb) is 'Tags from a JSON list or a comma/semicolon separated string.';
grant execute on function private.parse_tags(jsonb) to authenticated, service_role;

create function private.validate_segment_consent(p_definition jsonb) returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  foreach v_key in array array['consent_sms', 'consent_email'] loop
    if p_definition ? v_key and (jsonb_typeof(p_definition -> v_key) <> 'string'
       or p_definition ->> v_key not in ('opted_in', 'opted_out', 'unknown', 'not_opted_out')) then
      raise exception using errcode = 'P0001', message = 'invalid_segment',
        detail = format('Bad value for %s: use opted_in, opted_out, unknown or not_opted_out.', v_key);
    end if;
  end loop;
end
$$;
comment on function private.validate_segment_consent(jsonb) is
  'Raise invalid_segment unless consent_sms/consent_email are one of opted_in, opted_out, unknown, not_opted_out.';
grant execute on function private.validate_segment_consent(jsonb) to authenticated, service_role;

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read interactions" on public.interactions
  for select to authenticated using ((select private.has_staff_level('organizer')));

create policy "Organizers can log interactions" on public.interactions
  for insert to authenticated with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update interactions" on public.interactions
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can delete interactions" on public.interactions
  for delete to authenticated using ((select private.has_staff_level('organizer')));

create policy "Organizers can read segments" on public.segments
  for select to authenticated using ((select private.has_staff_level('organizer')));

create policy "Organizers can create segments" on public.segments
  for insert to authenticated with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update segments" on public.segments
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can delete segments" on public.segments
  for delete to authenticated using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.preview_segment(p_definition jsonb, p_sample_size integer default 10) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_count integer;
  v_sample jsonb;
begin
  if private.acting_staff_level() is null or private.acting_staff_level() < 'organizer' then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Organizers only.';
  end if;
  with ids as materialized (select id from private.segment_contact_ids(p_definition) as id)
  select (select count(*) from ids),
         (select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'first_name', c.first_name,
                   'last_name', c.last_name, 'company', c.company) order by c.created_at desc), '[]')
            from (select c.* from public.contacts c join ids on ids.id = c.id
                   order by c.created_at desc limit greatest(p_sample_size, 0)) c)
    into v_count, v_sample;
  return jsonb_build_object('count', v_count, 'sample', v_sample);
end
$$;
comment on function public.preview_segment(jsonb, integer) is
  'Organizers: {count, sample:[{id, first_name, last_name, company}]} for a segment definition. Errors: not_allowed, invalid_segment.';
grant execute on function public.preview_segment(jsonb, integer) to authenticated, service_role;

-- Invoker rights: every source is read under the caller's RLS.
create function public.contact_timeline(p_contact_id uuid, p_limit integer default 100)
returns table (occurred_at timestamptz, kind text, summary text, ref_id uuid, actor_id uuid)
language plpgsql
stable
set search_path = ''
as $$
begin
  if private.acting_staff_level() is null or private.acting_staff_level() < 'organizer' then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Organizers only.';
  end if;
  return query
  select * from (
    select ci.checked_in_at, 'check_in'::text, 'Checked in to ' || e.name, ci.id, ci.checked_in_by
      from public.check_ins ci join public.events e on e.id = ci.event_id
     where ci.contact_id = p_contact_id
    union all
    select i.occurred_at, i.kind, left(i.body, 200), i.id, i.author_id
      from public.interactions i where i.contact_id = p_contact_id
    union all
    select pj.created_at, 'print'::text,
           case when pj.reprint_of is null then 'Name tag queued' else 'Name tag reprinted' end
             || ' (' || pj.status || ')', pj.id, pj.requested_by
      from public.print_jobs pj where pj.contact_id = p_contact_id
    union all
    select c.created_at, 'created'::text, 'Contact created (' || coalesce(c.source, 'unknown source') || ')',
           c.id, null::uuid
      from public.contacts c where c.id = p_contact_id
  ) t (occurred_at, kind, summary, ref_id, actor_id)
  order by 1 desc
  limit greatest(p_limit, 0);
end
$$;
comment on function public.contact_timeline(uuid, integer) is
  'Organizers: a contact''s activity (check-ins, interactions, name tags, creation), newest first.';
grant execute on function public.contact_timeline(uuid, integer) to authenticated, service_role;

create function public.import_contacts(
  p_rows jsonb,
  p_update_existing boolean default true,
  p_source text default 'import'
) returns table (row_number integer, status text, contact_id uuid, reason text)
language plpgsql
set search_path = ''
as $$
declare
  c_fields constant text[] := array['phone', 'email', 'first_name', 'last_name', 'pronouns', 'company',
    'title', 'tags', 'custom_fields', 'time_zone', 'birthday', 'birthday_month', 'birthday_day',
    'birthday_year', 'source'];
  v_row jsonb;
  v_index integer := 0;
  v_phone text;
  v_email text;
  v_by_phone uuid;
  v_by_email uuid;
  v_existing public.contacts;
  v_new public.contacts;
  v_bad_key text;
  v_birthday text[];
begin
  perform private.require_staff_level('organizer');
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'p_rows is a JSON array of objects.';
  end if;
  for v_row in select value from jsonb_array_elements(p_rows) loop
    v_index := v_index + 1;
    row_number := v_index;
    contact_id := null;
    reason := null;
    begin
      if jsonb_typeof(v_row) <> 'object' then
        raise exception using errcode = 'P0001', message = 'invalid_row', detail = 'Each row is a JSON object.';
      end if;
      select k into v_bad_key from jsonb_object_keys(v_row) k where k <> all (c_fields) limit 1;
      if v_bad_key is not null then
        raise exception using errcode = 'P0001', message = 'invalid_row', detail = format('Unknown column: %s', v_bad_key);
      end if;
      -- Empty strings are "no value".
      select coalesce(jsonb_object_agg(key, value), '{}') into v_row from jsonb_each(v_row)
       where value <> '""'::jsonb and value <> 'null'::jsonb;
      v_phone := case when v_row ? 'phone' then private.parse_phone(v_row ->> 'phone') end;
      v_email := lower(btrim(v_row ->> 'email'));
      if v_phone is null and v_email is null then
        raise exception using errcode = 'P0001', message = 'invalid_row', detail = 'A row needs a phone or an email.';
      end if;
      v_birthday := case when v_row ? 'birthday'
                      then regexp_match(v_row ->> 'birthday', '^(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})$') end;
      if v_row ? 'birthday' and v_birthday is null then
        raise exception using errcode = 'P0001', message = 'invalid_row',
          detail = format('Birthday is YYYY-MM-DD or MM-DD: %s', v_row ->> 'birthday');
      end if;
      v_new := jsonb_populate_record(null::public.contacts, jsonb_build_object(
        'phone', v_phone, 'email', v_email,
        'first_name', btrim(v_row ->> 'first_name'), 'last_name', btrim(v_row ->> 'last_name'),
        'pronouns', btrim(v_row ->> 'pronouns'), 'company', btrim(v_row ->> 'company'),
        'title', btrim(v_row ->> 'title'), 'time_zone', btrim(v_row ->> 'time_zone'),
        'source', coalesce(btrim(v_row ->> 'source'), p_source),
        'tags', to_jsonb(private.parse_tags(v_row -> 'tags')),
        'custom_fields', coalesce(v_row -> 'custom_fields', '{}'),
        'birthday_year', coalesce(v_birthday[1], v_row ->> 'birthday_year'),
        'birthday_month', coalesce(v_birthday[2], v_row ->> 'birthday_month'),
        'birthday_day', coalesce(v_birthday[3], v_row ->> 'birthday_day')));

      select c.id into v_by_phone from public.contacts c where c.phone = v_phone;
      select c.id into v_by_email from public.contacts c where lower(c.email) = v_email;
      if v_by_phone is not null and v_by_email is not null and v_by_phone <> v_by_email then
        raise exception using errcode = 'P0001', message = 'conflict',
          detail = 'The phone and the email belong to two different contacts (merge them first).';
      end if;

      if coalesce(v_by_phone, v_by_email) is null then
        insert into public.contacts (phone, email, first_name, last_name, pronouns, company, title, tags,
                                     custom_fields, source, time_zone, birthday_month, birthday_day, birthday_year)
        values (v_new.phone, v_new.email, v_new.first_name, v_new.last_name, v_new.pronouns, v_new.company,
                v_new.title, v_new.tags, v_new.custom_fields, v_new.source, v_new.time_zone,
                v_new.birthday_month, v_new.birthday_day, v_new.birthday_year)
        returning id into contact_id;
        status := 'inserted';
      else
        select * into v_existing from public.contacts c where c.id = coalesce(v_by_phone, v_by_email) for update;
        contact_id := v_existing.id;
        if (v_existing.phone is not null and v_new.phone is not null and v_existing.phone <> v_new.phone)
           or (v_existing.email is not null and v_new.email is not null and lower(v_existing.email) <> v_new.email) then
          raise exception using errcode = 'P0001', message = 'conflict',
            detail = 'The matching contact has a different phone or email (edit or merge it by hand).';
        end if;
        if not p_update_existing then
          status := 'skipped';
          reason := 'Contact already exists.';
        else
          update public.contacts c
             set phone = coalesce(c.phone, v_new.phone),
                 email = coalesce(c.email, v_new.email),
                 first_name = coalesce(v_new.first_name, c.first_name),
                 last_name = coalesce(v_new.last_name, c.last_name),
                 pronouns = coalesce(v_new.pronouns, c.pronouns),
                 company = coalesce(v_new.company, c.company),
                 title = coalesce(v_new.title, c.title),
                 time_zone = coalesce(v_new.time_zone, c.time_zone),
                 tags = array(select distinct t from unnest(c.tags || v_new.tags) t order by 1),
                 custom_fields = c.custom_fields || v_new.custom_fields,
                 birthday_month = coalesce(v_new.birthday_month, c.birthday_month),
                 birthday_day = coalesce(v_new.birthday_day, c.birthday_day),
                 birthday_year = coalesce(v_new.birthday_year, c.birthday_year)
           where c.id = v_existing.id
          returning * into v_new;
          if (v_new.phone, v_new.email, v_new.first_name, v_new.last_name, v_new.pronouns, v_new.company,
              v_new.title, v_new.time_zone, v_new.tags, v_new.custom_fields, v_new.birthday_month,
              v_new.birthday_day, v_new.birthday_year)
             is not distinct from
             (v_existing.phone, v_existing.email, v_existing.first_name, v_existing.last_name,
              v_existing.pronouns, v_existing.company, v_existing.title, v_existing.time_zone,
              array(select distinct t from unnest(v_existing.tags) t order by 1), v_existing.custom_fields,
              v_existing.birthday_month, v_existing.birthday_day, v_existing.birthday_year) then
            status := 'skipped';
            reason := 'No changes.';
          else
            status := 'updated';
          end if;
        end if;
      end if;
    exception
      when others then
        -- The row's subtransaction is rolled back; report why and go on with the next row.
        status := 'error';
        contact_id := null;
        declare
          v_message text;
          v_detail text;
        begin
          get stacked diagnostics v_message = message_text, v_detail = pg_exception_detail;
          reason := v_message || coalesce(': ' || nullif(v_detail, ''), '');
        end;
    end;
    return next;
  end loop;
end
$$;
comment on function public.import_contacts(jsonb, boolean, text) is
  'Organizers/service role: upsert a batch of contacts (JSON objects with phone, email, first_name, last_name, pronouns, company, title, tags, custom_fields, time_zone, birthday, source), deduplicated by phone then email. One result per row: inserted | updated | skipped | error with reason; a bad row never aborts the batch.';
grant execute on function public.import_contacts(jsonb, boolean, text) to authenticated, service_role;
