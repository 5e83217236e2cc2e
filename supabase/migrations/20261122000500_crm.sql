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

-- public.import_contacts → 20261125021000_contact_import_set_based.sql (set-based).
