-- CRM: interactions (notes, calls, meetings, emails) with attachments, saved segments and the
-- activity timeline. Organizers and above only; volunteers, attendees and devices see none of it.
--
-- Segments: a JSON definition evaluated by ONE function, private.segment_contact_ids(p_definition)
-- (Data model II replaces it with `create or replace` to add consent criteria on top of
-- private.segment_base_contact_ids). The definition is data, never SQL text: every key is
-- whitelisted and bound as a parameter of static SQL. Keys (all optional, combined with AND):
--   tags_any, tags_all, tags_none: [text]        attended_events: [event uuid] (any of them)
--   min_checkins: integer                         last_checkin_before, last_checkin_after: timestamptz
--   created_after, created_before: timestamptz    has_phone, has_email: boolean
--   custom_field_equals: {"field": value, …}      (JSON containment on custom_fields)
-- Extra keys a later migration evaluates are declared by replacing private.segment_extra_keys().

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

create trigger interactions_touch_updated_at before update on public.interactions
  for each row execute function private.touch_updated_at();

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

create trigger segments_touch_updated_at before update on public.segments
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================

revoke all on table public.interactions, public.segments from anon, authenticated;
grant select, insert, update, delete on table public.interactions, public.segments to authenticated;
grant all on table public.interactions, public.segments to service_role;

alter table public.interactions enable row level security;
alter table public.segments enable row level security;

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
-- Segment definitions
-- ============================================================================================

-- Keys evaluated by later migrations (Data model II: consent). Replace to extend.
create function private.segment_extra_keys() returns text[]
language sql
immutable
set search_path = ''
as $$
  select '{}'::text[]
$$;
comment on function private.segment_extra_keys() is
  'Segment definition keys added by later migrations (replace this function to declare them).';
grant execute on function private.segment_extra_keys() to authenticated, service_role;

create function private.validate_segment_definition(p_definition jsonb) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text;
  v_value jsonb;
  v_kind text;
begin
  if p_definition is null or jsonb_typeof(p_definition) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_segment', detail = 'A segment definition is a JSON object.';
  end if;
  for v_key, v_value in select key, value from jsonb_each(p_definition) loop
    v_kind := case
      when v_key in ('tags_any', 'tags_all', 'tags_none') then 'text_array'
      when v_key = 'attended_events' then 'uuid_array'
      when v_key = 'min_checkins' then 'integer'
      when v_key in ('last_checkin_before', 'last_checkin_after', 'created_after', 'created_before') then 'timestamp'
      when v_key in ('has_phone', 'has_email') then 'boolean'
      when v_key = 'custom_field_equals' then 'object'
      when v_key = any (private.segment_extra_keys()) then 'extra'
    end;
    if v_kind is null then
      raise exception using errcode = 'P0001', message = 'invalid_segment',
        detail = format('Unknown segment key: %s', v_key);
    end if;
    begin
      case v_kind
        when 'text_array' then
          if jsonb_typeof(v_value) <> 'array'
             or exists (select 1 from jsonb_array_elements(v_value) e where jsonb_typeof(e) <> 'string') then
            raise exception 'not a list of strings';
          end if;
        when 'uuid_array' then
          if jsonb_typeof(v_value) <> 'array' then
            raise exception 'not a list';
          end if;
          perform e::uuid from jsonb_array_elements_text(v_value) e;
        when 'integer' then
          if jsonb_typeof(v_value) <> 'number' or (v_value #>> '{}')::numeric <> trunc((v_value #>> '{}')::numeric)
             or (v_value #>> '{}')::numeric < 0 then
            raise exception 'not a non-negative integer';
          end if;
        when 'timestamp' then
          if jsonb_typeof(v_value) <> 'string' then
            raise exception 'not a date';
          end if;
          perform (v_value #>> '{}')::timestamptz;
        when 'boolean' then
          if jsonb_typeof(v_value) <> 'boolean' then
            raise exception 'not true/false';
          end if;
        when 'object' then
          if jsonb_typeof(v_value) <> 'object' then
            raise exception 'not an object';
          end if;
        else
          null;
      end case;
    exception
      when others then
        raise exception using errcode = 'P0001', message = 'invalid_segment',
          detail = format('Bad value for %s: %s', v_key, sqlerrm);
    end;
  end loop;
end
$$;
comment on function private.validate_segment_definition(jsonb) is
  'Raise invalid_segment unless every key is whitelisted and its value has the right type.';
grant execute on function private.validate_segment_definition(jsonb) to authenticated, service_role;

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

create function private.json_text_array(p_value jsonb) returns text[]
language sql
immutable
set search_path = ''
as $$
  select case when p_value is null then null
              else array(select jsonb_array_elements_text(p_value)) end
$$;
comment on function private.json_text_array(jsonb) is 'A JSON array of strings as text[] (null stays null).';
grant execute on function private.json_text_array(jsonb) to authenticated, service_role;

-- Static SQL: every criterion is a parameter test, so no user text ever becomes SQL.
-- Invoker rights: a caller sees only contacts their RLS allows (organizers: all).
create function private.segment_base_contact_ids(p_definition jsonb) returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_tags_any text[];
  v_tags_all text[];
  v_tags_none text[];
  v_events uuid[];
  v_min_checkins integer;
  v_last_before timestamptz;
  v_last_after timestamptz;
  v_created_after timestamptz;
  v_created_before timestamptz;
  v_has_phone boolean;
  v_has_email boolean;
  v_custom jsonb;
  v_needs_stats boolean;
begin
  -- Validate before any cast, so a bad value is invalid_segment rather than a cast error.
  perform private.validate_segment_definition(p_definition);
  v_tags_any := private.json_text_array(p_definition -> 'tags_any');
  v_tags_all := private.json_text_array(p_definition -> 'tags_all');
  v_tags_none := private.json_text_array(p_definition -> 'tags_none');
  v_events := private.json_text_array(p_definition -> 'attended_events')::uuid[];
  v_min_checkins := (p_definition ->> 'min_checkins')::integer;
  v_last_before := (p_definition ->> 'last_checkin_before')::timestamptz;
  v_last_after := (p_definition ->> 'last_checkin_after')::timestamptz;
  v_created_after := (p_definition ->> 'created_after')::timestamptz;
  v_created_before := (p_definition ->> 'created_before')::timestamptz;
  v_has_phone := (p_definition ->> 'has_phone')::boolean;
  v_has_email := (p_definition ->> 'has_email')::boolean;
  v_custom := p_definition -> 'custom_field_equals';
  v_needs_stats := v_min_checkins is not null or v_last_before is not null or v_last_after is not null;
  return query
  select c.id
    from public.contacts c
    left join lateral (
      select count(*) as n, max(ci.checked_in_at) as last_at
        from public.check_ins ci
       where v_needs_stats and ci.contact_id = c.id
    ) stats on true
   where c.erased_at is null and c.merged_into is null
     and (v_tags_any is null or c.tags && v_tags_any)
     and (v_tags_all is null or c.tags @> v_tags_all)
     and (v_tags_none is null or not c.tags && v_tags_none)
     and (v_events is null or exists (
           select 1 from public.check_ins ci where ci.contact_id = c.id and ci.event_id = any (v_events)))
     and (v_min_checkins is null or stats.n >= v_min_checkins)
     and (v_last_before is null or stats.last_at < v_last_before)
     and (v_last_after is null or stats.last_at > v_last_after)
     and (v_created_after is null or c.created_at >= v_created_after)
     and (v_created_before is null or c.created_at < v_created_before)
     and (v_has_phone is null or (c.phone is not null) = v_has_phone)
     and (v_has_email is null or (c.email is not null) = v_has_email)
     and (v_custom is null or c.custom_fields @> v_custom);
end
$$;
comment on function private.segment_base_contact_ids(jsonb) is
  'Contacts matching Data model I''s segment criteria (tags, attendance, check-in counts and dates, created, has phone/email, custom fields).';
grant execute on function private.segment_base_contact_ids(jsonb) to authenticated, service_role;

create function private.segment_contact_ids(p_definition jsonb) returns setof uuid
language sql
stable
set search_path = ''
as $$
  select id from private.segment_base_contact_ids(p_definition) as id
$$;
comment on function private.segment_contact_ids(jsonb) is
  'THE segment evaluator: ids of live contacts matching a definition. Data model II replaces it to add consent.';
grant execute on function private.segment_contact_ids(jsonb) to authenticated, service_role;

create index contacts_custom_fields_idx on public.contacts using gin (custom_fields jsonb_path_ops);

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

-- ============================================================================================
-- Activity timeline
-- ============================================================================================

-- Invoker rights: every source is read under the caller's RLS. Data model II replaces this view
-- function to add messages and consent changes.
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
