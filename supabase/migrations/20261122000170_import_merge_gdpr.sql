-- Bulk and lifecycle operations on contacts: CSV import (batch upsert with per-row results),
-- export, merge of duplicates, and GDPR export / erase with a record of each request.
-- Data model II hooks in by replacing private.merge_contacts_extra, private.gdpr_export_extra and
-- private.gdpr_erase_extra (messages, consent).

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.gdpr_requests (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid references public.contacts (id) on delete set null,
  kind text not null check (kind in ('export', 'erase')),
  requested_by uuid references auth.users (id) on delete set null,
  requested_at timestamptz not null default now(),
  completed_at timestamptz,
  note text
);
comment on table public.gdpr_requests is 'Every GDPR export and erase performed, and by whom.';
comment on column public.gdpr_requests.contact_id is 'The (possibly now anonymised) contact.';

create index gdpr_requests_contact_id_idx on public.gdpr_requests (contact_id);
create index gdpr_requests_requested_by_idx on public.gdpr_requests (requested_by);

revoke all on table public.gdpr_requests from anon, authenticated;
grant select on table public.gdpr_requests to authenticated;
grant all on table public.gdpr_requests to service_role;

alter table public.gdpr_requests enable row level security;

create policy "Admins can read GDPR requests" on public.gdpr_requests
  for select to authenticated using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Helpers
-- ============================================================================================

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

-- ============================================================================================
-- Import
-- ============================================================================================

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

-- ============================================================================================
-- Export
-- ============================================================================================

create function public.export_contacts(p_definition jsonb default null)
returns table (id uuid, first_name text, last_name text, phone text, email text, pronouns text,
               company text, title text, tags text[], custom_fields jsonb, source text, time_zone text,
               birthday text, created_at timestamptz)
language plpgsql
stable
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  return query
  select c.id, c.first_name, c.last_name, c.phone::text, c.email, c.pronouns, c.company, c.title, c.tags,
         c.custom_fields, c.source, c.time_zone,
         case when c.birthday_month is null then null
              when c.birthday_year is null then format('%s-%s', lpad(c.birthday_month::text, 2, '0'), lpad(c.birthday_day::text, 2, '0'))
              else format('%s-%s-%s', c.birthday_year, lpad(c.birthday_month::text, 2, '0'), lpad(c.birthday_day::text, 2, '0')) end,
         c.created_at
    from public.contacts c
   where c.erased_at is null and c.merged_into is null
     and (p_definition is null or c.id in (select private.segment_contact_ids(p_definition)))
   order by c.created_at, c.id;
end
$$;
comment on function public.export_contacts(jsonb) is
  'Organizers/service role: live contacts (optionally only a segment definition''s) as flat rows for CSV.';
grant execute on function public.export_contacts(jsonb) to authenticated, service_role;

-- ============================================================================================
-- Merge
-- ============================================================================================

-- Replaced by Data model II to move messages, conversations and consent too.
create function private.merge_contacts_extra(p_keep uuid, p_merge uuid) returns void
language sql
set search_path = ''
as $$
  select null::void
$$;
comment on function private.merge_contacts_extra(uuid, uuid) is
  'Hook for later migrations: move their rows from p_merge to p_keep during a merge.';

-- SECURITY DEFINER: organizers cannot update check_ins or print_jobs directly; a merge must move
-- all of a contact's history in one transaction.
create function public.merge_contacts(p_keep uuid, p_merge uuid) returns public.contacts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_keep public.contacts;
  v_merge public.contacts;
begin
  perform private.require_staff_level('organizer');
  if p_keep is null or p_merge is null or p_keep = p_merge then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Give two different contacts.';
  end if;
  perform 1 from public.contacts where id in (p_keep, p_merge) order by id for update;
  select * into v_keep from public.contacts where id = p_keep;
  select * into v_merge from public.contacts where id = p_merge;
  if v_keep.id is null or v_merge.id is null then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  if v_keep.merged_into is not null or v_merge.merged_into is not null
     or v_keep.erased_at is not null or v_merge.erased_at is not null then
    raise exception using errcode = 'P0001', message = 'not_mergeable',
      detail = 'Merged or erased contacts cannot be merged again.';
  end if;

  -- Check-ins at the same event: keep one row (the earliest time), point its print jobs at it.
  update public.check_ins k set checked_in_at = least(k.checked_in_at, m.checked_in_at)
    from public.check_ins m
   where k.contact_id = p_keep and m.contact_id = p_merge and m.event_id = k.event_id;
  update public.print_jobs pj set check_in_id = k.id
    from public.check_ins m join public.check_ins k on k.event_id = m.event_id and k.contact_id = p_keep
   where m.contact_id = p_merge and pj.check_in_id = m.id;
  delete from public.check_ins m
   where m.contact_id = p_merge
     and exists (select 1 from public.check_ins k where k.contact_id = p_keep and k.event_id = m.event_id);
  update public.check_ins set contact_id = p_keep where contact_id = p_merge;
  update public.print_jobs set contact_id = p_keep where contact_id = p_merge;
  update public.interactions set contact_id = p_keep where contact_id = p_merge;

  if exists (select 1 from public.profiles where contact_id = p_keep) then
    update public.profiles k
       set bio = coalesce(k.bio, m.bio), avatar_path = coalesce(k.avatar_path, m.avatar_path),
           linkedin_url = coalesce(k.linkedin_url, m.linkedin_url), github_url = coalesce(k.github_url, m.github_url)
      from public.profiles m
     where k.contact_id = p_keep and m.contact_id = p_merge;
    delete from public.profiles where contact_id = p_merge;
  else
    update public.profiles set contact_id = p_keep where contact_id = p_merge;
  end if;

  perform private.merge_contacts_extra(p_keep, p_merge);

  update public.contacts
     set phone = null, email = null, user_id = null, merged_into = p_keep
   where id = p_merge;
  update public.contacts c
     set phone = coalesce(c.phone, v_merge.phone),
         email = coalesce(c.email, v_merge.email),
         user_id = coalesce(c.user_id, v_merge.user_id),
         first_name = coalesce(c.first_name, v_merge.first_name),
         last_name = coalesce(c.last_name, v_merge.last_name),
         pronouns = coalesce(c.pronouns, v_merge.pronouns),
         company = coalesce(c.company, v_merge.company),
         title = coalesce(c.title, v_merge.title),
         time_zone = coalesce(c.time_zone, v_merge.time_zone),
         tags = array(select distinct t from unnest(c.tags || v_merge.tags) t order by 1),
         custom_fields = v_merge.custom_fields || c.custom_fields,
         birthday_month = coalesce(c.birthday_month, v_merge.birthday_month),
         birthday_day = case when c.birthday_month is null then v_merge.birthday_day else c.birthday_day end,
         birthday_year = case when c.birthday_month is null then v_merge.birthday_year else c.birthday_year end,
         created_at = least(c.created_at, v_merge.created_at)
   where c.id = p_keep
  returning * into v_keep;

  perform private.audit('merge', 'contacts', p_keep::text, to_jsonb(v_merge), to_jsonb(v_keep),
                        jsonb_build_object('merged', p_merge));
  return v_keep;
end
$$;
comment on function public.merge_contacts(uuid, uuid) is
  'Organizers: merge p_merge into p_keep, moving check-ins, print jobs, interactions, profile (and Data model II''s rows); p_merge keeps merged_into. Errors: not_allowed, invalid_argument, unknown_contact, not_mergeable.';
grant execute on function public.merge_contacts(uuid, uuid) to authenticated, service_role;

-- ============================================================================================
-- GDPR
-- ============================================================================================

create function private.gdpr_export_extra(p_contact_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select '{}'::jsonb
$$;
comment on function private.gdpr_export_extra(uuid) is
  'Hook for later migrations: their sections of a contact''s GDPR export (merged into the document).';

create function private.gdpr_erase_extra(p_contact_id uuid) returns void
language sql
set search_path = ''
as $$
  select null::void
$$;
comment on function private.gdpr_erase_extra(uuid) is 'Hook for later migrations: erase their personal data for a contact.';

-- SECURITY DEFINER: the document gathers rows the requester cannot read directly (an attendee
-- asking for their own data sees staff notes about them, as GDPR requires).
create function public.gdpr_export(p_contact_id uuid default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_contact_id uuid := coalesce(p_contact_id, private.current_contact_id());
  v_document jsonb;
begin
  if v_contact_id is null
     or not (private.is_attendee_of(v_contact_id) or coalesce(private.acting_staff_level() >= 'admin', false)) then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Admins, or the person themselves, may export a contact''s data.';
  end if;
  if not exists (select 1 from public.contacts where id = v_contact_id) then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  select jsonb_build_object(
    'generated_at', now(),
    'contact', (select to_jsonb(c) from public.contacts c where c.id = v_contact_id),
    'profile', (select to_jsonb(p) from public.profiles p where p.contact_id = v_contact_id),
    'check_ins', coalesce((select jsonb_agg(jsonb_build_object('event', e.name, 'event_id', e.id,
        'checked_in_at', ci.checked_in_at, 'method', ci.method) order by ci.checked_in_at)
        from public.check_ins ci join public.events e on e.id = ci.event_id where ci.contact_id = v_contact_id), '[]'),
    'interactions', coalesce((select jsonb_agg(to_jsonb(i) order by i.occurred_at)
        from public.interactions i where i.contact_id = v_contact_id), '[]'),
    'print_jobs', coalesce((select jsonb_agg(jsonb_build_object('created_at', pj.created_at,
        'status', pj.status, 'payload', pj.payload) order by pj.created_at)
        from public.print_jobs pj where pj.contact_id = v_contact_id), '[]'),
    'merged_contacts', coalesce((select jsonb_agg(c.id) from public.contacts c where c.merged_into = v_contact_id), '[]')
  ) || private.gdpr_export_extra(v_contact_id)
  into v_document;
  insert into public.gdpr_requests (contact_id, kind, requested_by, completed_at)
  values (v_contact_id, 'export', (select auth.uid()), now());
  return v_document;
end
$$;
comment on function public.gdpr_export(uuid) is
  'One JSON document of everything held about a contact (admins, or the attendee for themselves; recorded). Errors: not_allowed, unknown_contact.';
grant execute on function public.gdpr_export(uuid) to authenticated, service_role;

-- SECURITY DEFINER: erasing touches tables admins cannot write directly (print jobs, audit log).
create function public.gdpr_erase(p_contact_id uuid, p_note text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_files text[];
begin
  perform private.require_staff_level('admin');
  select * into v_contact from public.contacts where id = p_contact_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  if v_contact.erased_at is not null then
    return jsonb_build_object('contact_id', p_contact_id, 'erased_at', v_contact.erased_at,
                              'storage_objects', '[]'::jsonb, 'already_erased', true);
  end if;
  -- Files to remove through the Storage API (the database row is not the file).
  select array_agg(x) into v_files from (
    select 'attachments/' || (a ->> 'path') as x
      from public.interactions i, jsonb_array_elements(i.attachments) a
     where i.contact_id = p_contact_id and a ? 'path'
    union all
    select 'avatars/' || p.avatar_path from public.profiles p
     where p.contact_id = p_contact_id and p.avatar_path is not null) f;

  delete from public.profiles where contact_id = p_contact_id;
  update public.interactions set body = '[erased]', attachments = '[]' where contact_id = p_contact_id;
  update public.print_jobs
     set payload = jsonb_build_object('first_name', 'Erased', 'last_name', null, 'display_name', 'Erased',
                                      'pronouns', null, 'company', null, 'title', null,
                                      'event_name', payload ->> 'event_name', 'qr_token', null,
                                      'layout', payload ->> 'layout')
   where contact_id = p_contact_id;
  perform private.gdpr_erase_extra(p_contact_id);
  update public.contacts
     set user_id = null, phone = null, email = null, first_name = null, last_name = null, pronouns = null,
         company = null, title = null, tags = '{}', custom_fields = '{}', time_zone = null,
         birthday_month = null, birthday_day = null, birthday_year = null,
         qr_token = private.new_qr_token(), erased_at = now()
   where id = p_contact_id;
  -- The audit trail keeps that changes happened, not the personal data they contained.
  update public.audit_log set before = null, after = null, detail = jsonb_build_object('erased', true)
   where table_name = 'contacts' and record_id = p_contact_id::text;
  insert into public.gdpr_requests (contact_id, kind, requested_by, completed_at, note)
  values (p_contact_id, 'erase', (select auth.uid()), now(), p_note);
  perform private.audit('gdpr_erase', 'contacts', p_contact_id::text, null, null,
                        jsonb_build_object('note', p_note));
  return jsonb_build_object('contact_id', p_contact_id, 'erased_at', now(),
                            'storage_objects', to_jsonb(coalesce(v_files, '{}')),
                            'auth_user_id', v_contact.user_id, 'already_erased', false);
end
$$;
comment on function public.gdpr_erase(uuid, text) is
  'Admins: anonymise a contact (personal fields, profile, notes, label payloads, audit before/after), keep check-ins for aggregate counts, record the request. Returns the storage objects and the auth user (login) the caller must delete through the Storage and Auth admin APIs. Idempotent. Errors: not_allowed, unknown_contact.';
grant execute on function public.gdpr_erase(uuid, text) to authenticated, service_role;
