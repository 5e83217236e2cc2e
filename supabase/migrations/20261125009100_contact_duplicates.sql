-- Duplicates and merge from the contact page: the people who are probably the same person as a
-- given contact (the same phone written with another country code, the same mailbox behind a
-- different spelling, a similar name), and a merge where the organizer chooses, field by field,
-- which value survives. Phones and emails are unique, so exact copies cannot exist; these are
-- the near copies imports and walk-ins produce. Refusal codes (P0001, message = code):
-- not_allowed, invalid_argument, unknown_contact, not_mergeable.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- One mailbox, however it was typed: case, a "+tag", and Gmail's ignored dots.
create function private.mailbox(p_email text) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_email is null or position('@' in p_email) = 0 then lower(p_email)
    else (
      select case when domain in ('gmail.com', 'googlemail.com') then replace(local, '.', '') || '@gmail.com'
                  else local || '@' || domain end
        from (select split_part(split_part(lower(p_email), '@', 1), '+', 1) as local,
                     split_part(lower(p_email), '@', 2) as domain) parts)
  end
$$;
comment on function private.mailbox(text) is
  'An email reduced to its mailbox (lower case, no +tag, Gmail without dots), to spot duplicates.';
grant execute on function private.mailbox(text) to authenticated, service_role;

-- ============================================================================================
-- Indexes
-- ============================================================================================

-- The last ten digits: a US number saved once as +1 305… and once mis-parsed abroad.
create index contacts_phone_tail_idx on public.contacts (right(phone::text, 10))
  where merged_into is null and erased_at is null;
create index contacts_mailbox_idx on public.contacts (private.mailbox(email))
  where merged_into is null and erased_at is null;
-- A name as compared: first and last, lower case, accents folded (a walk-in typed "Maria
-- Lopez", the import said "María López"). Written out here and in find_duplicate_contacts
-- rather than wrapped in a function: a function with a pinned search_path is never inlined and
-- costs ~40 µs a row in the recheck. GiST, not GIN: the finder asks for the nearest names
-- (`<->`, a KNN scan that stops after a few rows), which stays fast when thousands of people
-- share a surname, where a `%` threshold scan rechecks every one of them.
create index contacts_folded_name_trgm_idx on public.contacts using gist ((
  translate(lower(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))),
            'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
) extensions.gist_trgm_ops) where merged_into is null and erased_at is null;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: under RLS an index condition on a non-leakproof expression (right(),
-- private.mailbox()) cannot run before the policy's filter, so each lookup scanned every
-- contact (seconds at 100k). Organizers may read every contact anyway: the caller is checked
-- first, and a volunteer or attendee is refused before anything is read.
create function public.find_duplicate_contacts(p_contact_id uuid, p_limit integer default 10)
returns table (contact_id uuid, reason text, score real, first_name text, last_name text,
               phone text, email text, company text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_name text;
begin
  perform private.require_staff_level('organizer');
  if p_limit is null or p_limit not between 1 and 50 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Ask for 1 to 50 duplicates.';
  end if;
  select * into v_contact from public.contacts c where c.id = p_contact_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  v_name := translate(lower(btrim(coalesce(v_contact.first_name, '') || ' ' || coalesce(v_contact.last_name, ''))),
                      'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy');
  return query
  with candidates as (
    select c.id, 'phone'::text as reason, 1::real as score from public.contacts c
     where v_contact.phone is not null and right(c.phone::text, 10) = right(v_contact.phone::text, 10)
       and c.merged_into is null and c.erased_at is null
    union all
    select c.id, 'email', 1::real from public.contacts c
     where v_contact.email is not null and private.mailbox(c.email) = private.mailbox(v_contact.email)
       and c.merged_into is null and c.erased_at is null
    union all
    -- The nearest names first (KNN over the GiST index), then only the close ones are kept.
    (select c.id, 'name',
            (1 - (translate(lower(btrim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))),
                            'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
                  operator(extensions.<->) v_name))::real
       from public.contacts c
      where char_length(v_name) >= 3 and c.merged_into is null and c.erased_at is null
      order by translate(lower(btrim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))),
                         'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
               operator(extensions.<->) v_name
      limit p_limit + 1)
  ), best as (
    -- One row per person, the strongest reason first (phone, email, then name by score).
    select distinct on (k.id) k.id, k.reason, k.score from candidates k
     where k.id <> p_contact_id and (k.reason <> 'name' or k.score >= 0.5)
     order by k.id, array_position(array['phone', 'email', 'name'], k.reason), k.score desc
  )
  select c.id, b.reason, b.score, c.first_name, c.last_name, c.phone::text, c.email, c.company
    from best b join public.contacts c on c.id = b.id
   order by array_position(array['phone', 'email', 'name'], b.reason), b.score desc, c.id
   limit p_limit;
end
$$;
comment on function public.find_duplicate_contacts(uuid, integer) is
  'Organizers: contacts that are probably the same person (same phone tail, same mailbox, similar name ≥ 0.5 among the nearest), strongest first. Errors: not_allowed, invalid_argument, unknown_contact.';
grant execute on function public.find_duplicate_contacts(uuid, integer) to authenticated, service_role;

-- Invoker: merge_contacts does the merge (and its checks and audit); the chosen values are
-- then written as the organizer, under RLS, and audited by the contacts trigger.
create function public.merge_contacts_choosing(p_keep uuid, p_merge uuid, p_take_from_merge text[] default '{}')
returns public.contacts
language plpgsql
set search_path = ''
as $$
declare
  v_fields constant text[] := array['first_name', 'last_name', 'phone', 'email', 'company', 'title', 'pronouns'];
  v_merge public.contacts;
  v_kept public.contacts;
  v_field text;
begin
  perform private.require_staff_level('organizer');
  if not coalesce(p_take_from_merge, '{}') <@ v_fields then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = format('Only these fields can be taken from the duplicate: %s.', array_to_string(v_fields, ', '));
  end if;
  select * into v_merge from public.contacts where id = p_merge;
  v_kept := public.merge_contacts(p_keep, p_merge);
  foreach v_field in array coalesce(p_take_from_merge, '{}') loop
    execute format('update public.contacts set %1$I = ($1).%1$I where id = $2 returning *', v_field)
      into v_kept using v_merge, p_keep;
  end loop;
  if cardinality(p_take_from_merge) > 0 then
    perform private.audit('merge_choices', 'contacts', p_keep::text, null, null,
                          jsonb_build_object('merged', p_merge, 'taken_from_merged', to_jsonb(p_take_from_merge)));
  end if;
  return v_kept;
end
$$;
comment on function public.merge_contacts_choosing(uuid, uuid, text[]) is
  'Organizers: merge p_merge into p_keep (as merge_contacts), then give p_keep the duplicate''s value for each field named in p_take_from_merge (first_name, last_name, phone, email, company, title, pronouns); audited. Errors: not_allowed, invalid_argument, unknown_contact, not_mergeable.';
grant execute on function public.merge_contacts_choosing(uuid, uuid, text[]) to authenticated, service_role;
