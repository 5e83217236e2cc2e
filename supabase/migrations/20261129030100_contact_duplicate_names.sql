-- The contact page's duplicates finder at its cost (issue 14, item 3). Its goal is p95 < 100 ms
-- as the page opens; at 100k contacts it read 1,356 buffers a call and missed the goal under load
-- (153.9 ms at load 12–14). EXPLAIN (ANALYZE, BUFFERS) put all of it in one place: the similar
-- names, a nearest-names (KNN) scan of the trigram GiST index over every contact's folded name.
-- That index is 1,307 pages and the scan visited all of them, ~30 ms of CPU on a quiet machine:
-- a GiST inner page's signature is the union of a hundred names' trigrams and is nearly all
-- ones, so no branch can be ruled out. Longer signatures (siglen 32–2024), a `%` threshold and a
-- GIN index were tried and were no better (GIN: 180–260 ms rechecking 24k rows).
--
-- The finder now looks for similar names among the people who share this one's first or last
-- name (folded: case and accents), either way round, and scores them by trigram similarity as
-- before (≥ 0.5, nearest first). Two B-tree lookups: ~320 buffers and ~2 ms. What it no longer
-- finds: a name with a typo in both parts ("Mara Lopes" for "María López"), which scored below
-- 0.5 anyway for ordinary names. Accents and case ("Maria Lopez"), one mistyped part ("Marla
-- López", 0.60) and swapped parts ("López María") are still found.
--
-- The GiST index is dropped: nothing else reads it, and every contact write paid for it.
--
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument, unknown_contact.

-- ============================================================================================
-- Indexes
-- ============================================================================================

drop index public.contacts_folded_name_trgm_idx;
-- A first or a last name as compared: trimmed, lower case, accents folded. Written out rather
-- than wrapped in a function (one with a pinned search_path is never inlined, and the planner
-- would not match the index); the same text is in find_duplicate_contacts.
create index contacts_folded_first_name_idx on public.contacts ((
  translate(lower(btrim(coalesce(first_name, ''))), 'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
)) where merged_into is null and erased_at is null;
create index contacts_folded_last_name_idx on public.contacts ((
  translate(lower(btrim(coalesce(last_name, ''))), 'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
)) where merged_into is null and erased_at is null;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: under RLS an index condition on a non-leakproof expression (right(),
-- private.mailbox(), the folded names) cannot run before the policy's filter, so each lookup
-- scanned every contact (seconds at 100k). Organizers may read every contact anyway: the caller
-- is checked first, and a volunteer or attendee is refused before anything is read.
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
  v_parts text[];
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
  -- This person's first and last name, folded; an empty one matches nobody (null).
  v_parts := array[
    nullif(translate(lower(btrim(coalesce(v_contact.first_name, ''))), 'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy'), ''),
    nullif(translate(lower(btrim(coalesce(v_contact.last_name, ''))), 'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy'), '')];
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
    -- People who share a first or a last name with this one, either way round (one B-tree
    -- lookup each), nearest full names first; only the close ones are kept below.
    (select n.id, 'name',
            extensions.similarity(
              translate(lower(btrim(coalesce(n.first_name, '') || ' ' || coalesce(n.last_name, ''))),
                        'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy'),
              v_name)::real
       from (select c.id, c.first_name, c.last_name from public.contacts c
              where translate(lower(btrim(coalesce(c.first_name, ''))), 'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
                    = any (v_parts)
                and c.merged_into is null and c.erased_at is null
             union
             select c.id, c.first_name, c.last_name from public.contacts c
              where translate(lower(btrim(coalesce(c.last_name, ''))), 'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
                    = any (v_parts)
                and c.merged_into is null and c.erased_at is null) n
      where char_length(v_name) >= 3
      order by 3 desc
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
  'Organizers: contacts that are probably the same person (same phone tail, same mailbox, or a similar name ≥ 0.5 among the people sharing a first or last name, either way round, accents and case folded), strongest first. Errors: not_allowed, invalid_argument, unknown_contact.';
grant execute on function public.find_duplicate_contacts(uuid, integer) to authenticated, service_role;
