-- The CRM screens' SQL, part 1: the contacts list (search as you type, filters, sort, paging),
-- bulk tag changes, audited exports, one activity timeline per contact, and the audit of the
-- CRM tables staff edit from the web app.
--
-- Public functions (organizers and up; service_role counts as owner):
--   list_contacts(p_search, p_definition, p_language, p_sort, p_limit, p_offset) -> one page of rows
--   count_contacts(p_search, p_definition, p_language)                           -> bigint
--   contact_tag_counts()                                                         -> (tag, contacts)
--   tag_contacts(p_contact_ids, p_add, p_remove)                                 -> contacts changed
--   tag_matching_contacts(p_search, p_definition, p_language, p_add, p_remove)   -> contacts changed
--   export_contact_list(p_search, p_definition, p_language)                      -> flat rows for CSV
--   contact_activity(p_contact_id, p_before, p_limit)                            -> timeline page
-- The filter is a segment definition (a saved view IS a segment), evaluated by
-- private.segment_contact_ids, so the list, its count, the bulk actions, the export and a blast
-- all agree on who matches.
-- Refusal codes: not_allowed, invalid_argument, invalid_segment (from the segment evaluator).
--
-- Defined here: public.export_contacts(jsonb) — volatile, audited,
-- and a projection of export_contact_list so there is one export query;
-- private.segment_contact_ids(jsonb) — ids of live contacts matching a definition (invoker
-- rights), compiled by private.segment_where to only the criteria a
-- definition uses (the static all-criteria query took 1.6 s per count at 100k contacts).

-- ============================================================================================
-- Extensions and indexes
-- ============================================================================================

-- Hosted Supabase offers pg_trgm in the extensions schema; it makes "%term%" searches use an index.
create extension if not exists pg_trgm with schema extensions;

-- What a search matches: lower-cased names, email, the phone's digits (people type "305 555")
-- and company. Written out rather than wrapped in a function: a function with a pinned
-- search_path is never inlined and cost ~40 µs a row here (0.8 s for a search over 20k
-- contacts); the same text appears once more, in private.contact_list_where, which the planner
-- matches to this index.
create index contacts_search_trgm_idx on public.contacts using gin ((
  lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' '
        || coalesce(ltrim(phone::text, '+'), '') || ' ' || coalesce(company, ''))
) extensions.gin_trgm_ops);
-- Sorting by name reads this index in order and stops after a page. Last and first name are
-- separate keys: in a linguistic collation (hosted's en_US.UTF-8) a joining space is ignored, so
-- a contact with no last name would sort by first name among the last names.
create index contacts_name_sort_idx on public.contacts
  ((lower(coalesce(last_name, ''))), (lower(coalesce(first_name, ''))), id);
create index contacts_preferred_language_idx on public.contacts (preferred_language);

-- ============================================================================================
-- Audit of the CRM tables edited from the web app
-- ============================================================================================

create trigger interactions_audit after insert or update or delete on public.interactions
  for each row execute function private.audit_row_change();
create trigger segments_audit after insert or update or delete on public.segments
  for each row execute function private.audit_row_change();
create trigger devices_audit after insert or update or delete on public.devices
  for each row execute function private.audit_row_change();

-- ============================================================================================
-- Helpers
-- ============================================================================================

-- A search term as a LIKE pattern: a phone-looking term keeps only its digits (the indexed text
-- holds the phone without punctuation); LIKE's own wildcards are escaped so they match literally.
create function private.contact_search_pattern(p_search text) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when nullif(btrim(p_search), '') is null then null
    when btrim(p_search) ~ '^[+()0-9 .-]+$' and btrim(p_search) ~ '[0-9]' then
      '%' || regexp_replace(p_search, '[^0-9]', '', 'g') || '%'
    else '%' || replace(replace(replace(lower(btrim(p_search)), '\', '\\'), '%', '\%'), '_', '\_') || '%'
  end
$$;
comment on function private.contact_search_pattern(text) is
  'The LIKE pattern for a contacts search term (null for no search): phone punctuation dropped, wildcards escaped.';
grant execute on function private.contact_search_pattern(text) to authenticated, service_role;

-- private.segment_where moved to 20261125010000_segment_rules.sql.

-- Ids of live contacts matching a definition (invoker rights: the caller's RLS applies); the
-- conditions come from private.segment_where.
create function private.segment_contact_ids(p_definition jsonb) returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  return query execute
    'select c.id from public.contacts c where c.erased_at is null and c.merged_into is null'
      || private.segment_where(p_definition)
    using null::text, p_definition;
end
$$;
comment on function private.segment_contact_ids(jsonb) is
  'THE segment evaluator: ids of live contacts matching a definition (tags, attendance, check-in counts and dates, created, has phone/email, custom fields, consent per channel), compiled by private.segment_where.';
grant execute on function private.segment_contact_ids(jsonb) to authenticated, service_role;

-- The WHERE clause of every list query (page, count, bulk tags, export) for a filter: only the
-- criteria given, so the planner can use the trigram index for a search, read created_at in
-- order for "newest", or hash the segment's ids. The clause is built from fixed text only; the
-- caller passes the values as parameters $1 (LIKE pattern), $2 (definition), $3 (language), so
-- no user text ever becomes SQL. Validates the language and the definition first.
create function private.contact_list_where(p_search text, p_definition jsonb, p_language text)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_where text := 'c.erased_at is null and c.merged_into is null';
begin
  if p_language is not null and p_language not in ('en', 'es') then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Language is en or es.';
  end if;
  if private.contact_search_pattern(p_search) is not null then
    v_where := v_where || $w$ and lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '') || ' '
        || coalesce(c.email, '') || ' ' || coalesce(ltrim(c.phone::text, '+'), '') || ' '
        || coalesce(c.company, '')) like $1$w$;
  end if;
  if p_language is not null then
    v_where := v_where || ' and c.preferred_language = $3';
  end if;
  if p_definition is not null then
    v_where := v_where || private.segment_where(p_definition);
  end if;
  return v_where;
end
$$;
comment on function private.contact_list_where(text, jsonb, text) is
  'WHERE clause (over public.contacts c) for a contacts list filter; values are bound as $1 pattern, $2 definition, $3 language.';
grant execute on function private.contact_list_where(text, jsonb, text) to authenticated, service_role;

-- Tags as a clean set: trimmed, non-empty, at most 64 characters, no duplicates.
create function private.clean_tags(p_tags text[]) returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_clean text[] := array(select distinct btrim(t) from unnest(coalesce(p_tags, '{}')) t order by 1);
begin
  if exists (select 1 from unnest(v_clean) t where t is null or t = '' or char_length(t) > 64) then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'A tag is 1 to 64 characters.';
  end if;
  return v_clean;
end
$$;
comment on function private.clean_tags(text[]) is 'Trim and deduplicate tags; invalid_argument for an empty or over-long tag.';
grant execute on function private.clean_tags(text[]) to authenticated, service_role;

-- Add and remove tags on the given contacts in one statement; only rows that change are written
-- (so their audit entries mean something). Invoker rights: RLS decides which rows may change.
create function private.change_tags(p_ids uuid[], p_add text[], p_remove text[], p_scope jsonb) returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_add text[] := private.clean_tags(p_add);
  v_remove text[] := private.clean_tags(p_remove);
  v_changed integer;
begin
  perform private.require_staff_level('organizer');
  if cardinality(v_add) = 0 and cardinality(v_remove) = 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Name a tag to add or remove.';
  end if;
  if v_add && v_remove then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'A tag cannot be added and removed at once.';
  end if;
  update public.contacts c
     set tags = array(select distinct t from unnest(c.tags || v_add) t where t <> all (v_remove) order by t)
   where c.id = any (p_ids)
     and c.erased_at is null and c.merged_into is null
     and (not c.tags @> v_add or c.tags && v_remove);
  get diagnostics v_changed = row_count;
  perform private.audit('tag_bulk', 'contacts', null, null, null,
    jsonb_build_object('add', v_add, 'remove', v_remove, 'changed', v_changed) || p_scope);
  return v_changed;
end
$$;
comment on function private.change_tags(uuid[], text[], text[], jsonb) is
  'Add/remove tags on contacts (only rows that change), audited once as tag_bulk with the scope.';
grant execute on function private.change_tags(uuid[], text[], text[], jsonb) to authenticated, service_role;

-- ============================================================================================
-- Public functions: the list
-- ============================================================================================

-- Sorting and paging happen here so a page of 100k contacts costs an index scan, not a transfer.
-- SECURITY DEFINER: under RLS, Postgres may not evaluate a non-leakproof operator (LIKE,
-- lower()) before the policy, so the trigram index goes unused (a sequential scan of every
-- contact per keystroke). The caller check is the contacts policy itself: organizers and up
-- read every contact. Refusals: not_allowed first, before anything is read.
create function public.list_contacts(
  p_search text default null,
  p_definition jsonb default null,
  p_language text default null,
  p_sort text default 'newest',
  p_limit integer default 50,
  p_offset integer default 0
) returns table (
  id uuid,
  first_name text,
  last_name text,
  phone text,
  email text,
  company text,
  tags text[],
  preferred_language text,
  created_at timestamptz,
  check_in_count bigint,
  last_check_in_at timestamptz,
  sms_consent public.consent_status,
  email_consent public.consent_status
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_order text;
begin
  perform private.require_staff_level('organizer');
  if p_sort is null or p_sort not in ('newest', 'oldest', 'name', 'name_desc') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Sort by newest, oldest, name or name_desc.';
  end if;
  if p_limit is null or p_limit not between 1 and 500 or p_offset is null or p_offset < 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'A page is 1 to 500 rows from a non-negative offset.';
  end if;
  v_order := case p_sort
    when 'newest' then 'c.created_at desc, c.id'
    when 'oldest' then 'c.created_at, c.id'
    when 'name' then $o$lower(coalesce(c.last_name, '')), lower(coalesce(c.first_name, '')), c.id$o$
    else $o$lower(coalesce(c.last_name, '')) desc, lower(coalesce(c.first_name, '')) desc, c.id desc$o$
  end;
  -- Dynamic only to pick the clause and sort from fixed text; every value is a parameter.
  -- Planned per call, so a search uses the trigram index and "newest" reads created_at in order.
  return query execute format($q$
    with page as (
      select c.* from public.contacts c where %s order by %s limit $4 offset $5
    )
    select c.id, c.first_name, c.last_name, c.phone::text, c.email, c.company, c.tags, c.preferred_language,
           c.created_at, stats.n, stats.last_at, sms.status, mail.status
      from page c
      left join lateral (
        select count(*) as n, max(ci.checked_in_at) as last_at from public.check_ins ci where ci.contact_id = c.id
      ) stats on true
      left join public.contact_consents sms on sms.contact_id = c.id and sms.channel = 'sms'
      left join public.contact_consents mail on mail.contact_id = c.id and mail.channel = 'email'
     order by %s
  $q$, private.contact_list_where(p_search, p_definition, p_language), v_order, v_order)
  using private.contact_search_pattern(p_search), p_definition, p_language, p_limit, p_offset;
end
$$;
comment on function public.list_contacts(text, jsonb, text, text, integer, integer) is
  'Organizers: one page of live contacts matching a search (name, phone, email, company), a segment definition and a language, sorted newest/oldest/name/name_desc, with check-in count and current consent. Errors: not_allowed, invalid_argument, invalid_segment.';
grant execute on function public.list_contacts(text, jsonb, text, text, integer, integer) to authenticated, service_role;

-- SECURITY DEFINER: under RLS, Postgres may not evaluate a non-leakproof operator (LIKE,
-- lower()) before the policy, so the trigram index goes unused (a sequential scan of every
-- contact per keystroke). The caller check is the contacts policy itself: organizers and up
-- read every contact. Refusals: not_allowed first, before anything is read.
create function public.count_contacts(
  p_search text default null,
  p_definition jsonb default null,
  p_language text default null
) returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_count bigint;
begin
  perform private.require_staff_level('organizer');
  execute format('select count(*) from public.contacts c where %s',
                 private.contact_list_where(p_search, p_definition, p_language))
    into v_count
    using private.contact_search_pattern(p_search), p_definition, p_language;
  return v_count;
end
$$;
comment on function public.count_contacts(text, jsonb, text) is
  'Organizers: how many live contacts list_contacts would page through. Errors: not_allowed, invalid_argument, invalid_segment.';
grant execute on function public.count_contacts(text, jsonb, text) to authenticated, service_role;

create function public.contact_tag_counts() returns table (tag text, contacts bigint)
language plpgsql
stable
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  return query
  select t, count(*)
    from public.contacts c, unnest(c.tags) t
   where c.erased_at is null and c.merged_into is null
   group by t
   order by t;
end
$$;
comment on function public.contact_tag_counts() is 'Organizers: every tag in use on live contacts with how many carry it. Errors: not_allowed.';
grant execute on function public.contact_tag_counts() to authenticated, service_role;

-- ============================================================================================
-- Public functions: bulk tags
-- ============================================================================================

create function public.tag_contacts(
  p_contact_ids uuid[],
  p_add text[] default '{}',
  p_remove text[] default '{}'
) returns integer
language plpgsql
volatile
set search_path = ''
as $$
begin
  if p_contact_ids is null or cardinality(p_contact_ids) = 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Select at least one contact.';
  end if;
  return private.change_tags(p_contact_ids, p_add, p_remove,
    jsonb_build_object('contacts', cardinality(p_contact_ids)));
end
$$;
comment on function public.tag_contacts(uuid[], text[], text[]) is
  'Organizers: add and remove tags on the selected contacts; returns how many changed. Audited (tag_bulk). Errors: not_allowed, invalid_argument.';
grant execute on function public.tag_contacts(uuid[], text[], text[]) to authenticated, service_role;

-- SECURITY DEFINER: under RLS, Postgres may not evaluate a non-leakproof operator (LIKE,
-- lower()) before the policy, so the trigram index goes unused (a sequential scan of every
-- contact per keystroke). The caller check is the contacts policy itself: organizers and up
-- read every contact. Refusals: not_allowed first, before anything is read.
create function public.tag_matching_contacts(
  p_search text default null,
  p_definition jsonb default null,
  p_language text default null,
  p_add text[] default '{}',
  p_remove text[] default '{}'
) returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  perform private.require_staff_level('organizer');
  execute format('select array(select c.id from public.contacts c where %s)',
                 private.contact_list_where(p_search, p_definition, p_language))
    into v_ids
    using private.contact_search_pattern(p_search), p_definition, p_language;
  return private.change_tags(v_ids, p_add, p_remove,
    jsonb_build_object('search', p_search, 'definition', p_definition, 'language', p_language));
end
$$;
comment on function public.tag_matching_contacts(text, jsonb, text, text[], text[]) is
  'Organizers: add and remove tags on every contact a list filter matches; returns how many changed. Audited (tag_bulk). Errors: not_allowed, invalid_argument, invalid_segment.';
grant execute on function public.tag_matching_contacts(text, jsonb, text, text[], text[]) to authenticated, service_role;

-- ============================================================================================
-- Public functions: export
-- ============================================================================================

-- Volatile because it writes the audit entry: an export of personal data is a staff action.
-- SECURITY DEFINER: under RLS, Postgres may not evaluate a non-leakproof operator (LIKE,
-- lower()) before the policy, so the trigram index goes unused (a sequential scan of every
-- contact per keystroke). The caller check is the contacts policy itself: organizers and up
-- read every contact. Refusals: not_allowed first, before anything is read.
create function public.export_contact_list(
  p_search text default null,
  p_definition jsonb default null,
  p_language text default null
) returns table (id uuid, first_name text, last_name text, phone text, email text, pronouns text,
                 company text, title text, tags text[], custom_fields jsonb, source text, time_zone text,
                 birthday text, created_at timestamptz)
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  perform private.audit('export', 'contacts', null, null, null,
    jsonb_build_object('search', p_search, 'definition', p_definition, 'language', p_language));
  return query execute format($q$
    select c.id, c.first_name, c.last_name, c.phone::text, c.email, c.pronouns, c.company, c.title, c.tags,
           c.custom_fields, c.source, c.time_zone,
           case when c.birthday_month is null then null
                when c.birthday_year is null then format('%%s-%%s', lpad(c.birthday_month::text, 2, '0'), lpad(c.birthday_day::text, 2, '0'))
                else format('%%s-%%s-%%s', c.birthday_year, lpad(c.birthday_month::text, 2, '0'), lpad(c.birthday_day::text, 2, '0')) end,
           c.created_at
      from public.contacts c
     where %s
     order by c.created_at, c.id
  $q$, private.contact_list_where(p_search, p_definition, p_language))
  using private.contact_search_pattern(p_search), p_definition, p_language;
end
$$;
comment on function public.export_contact_list(text, jsonb, text) is
  'Organizers/service role: live contacts matching a list filter as flat rows for CSV (birthday MM-DD or YYYY-MM-DD). Audited (export). Errors: not_allowed, invalid_argument, invalid_segment.';
grant execute on function public.export_contact_list(text, jsonb, text) to authenticated, service_role;

create function public.export_contacts(p_definition jsonb default null)
returns table (id uuid, first_name text, last_name text, phone text, email text, pronouns text,
               company text, title text, tags text[], custom_fields jsonb, source text, time_zone text,
               birthday text, created_at timestamptz)
language sql
volatile
set search_path = ''
as $$
  select * from public.export_contact_list(null, p_definition, null)
$$;
comment on function public.export_contacts(jsonb) is
  'Organizers/service role: live contacts (optionally only a segment definition''s) as flat rows for CSV; export_contact_list without search. Audited (export).';
grant execute on function public.export_contacts(jsonb) to authenticated, service_role;

-- ============================================================================================
-- Public functions: the activity timeline
-- ============================================================================================

-- One page of everything that happened with a person, newest first. Each source is read under
-- the caller's RLS, limited on its own (contact_id, time) index, then merged: a first page over
-- a contact with thousands of messages reads about p_limit rows per source.
-- detail carries what a screen needs to say it in the reader's language.
-- public.contact_activity moved to 20261129040100_contact_activity_email_engagement.sql (opens and clicks).
