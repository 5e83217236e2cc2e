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
-- Both rebuilt with included columns in 20261129060000_contact_duplicate_pairs_cost.
create index contacts_phone_tail_idx on public.contacts (right(phone::text, 10))
  where merged_into is null and erased_at is null;
create index contacts_mailbox_idx on public.contacts (private.mailbox(email))
  where merged_into is null and erased_at is null;
-- A name as compared: first and last, lower case, accents folded (a walk-in typed "Maria
-- Lopez", the import said "María López"). 20261129030100_contact_duplicate_names drops this
-- index (the finder no longer scans it). Written out here and in find_duplicate_contacts
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

-- public.find_duplicate_contacts moved to 20261129030100_contact_duplicate_names.sql (names by shared first or last name).

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
