-- Duplicates across the whole CRM: the pairs of live contacts that are probably one person, for
-- an organizer to review and merge (the merge itself is the contact page's, merge_contacts_choosing).
-- The same signs as the contact page's finder (…009100_contact_duplicates), as exact keys so
-- that the whole CRM can be grouped at once: the same last ten phone digits, the same mailbox,
-- the same folded full name (first and last, accents and case folded). The older contact of a
-- pair comes first: it is the one a merge usually keeps.
--
-- Public functions (organizers and up; service_role counts as owner):
--   list_duplicate_pairs(p_limit, p_offset) -> pairs, strongest sign first
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: as find_duplicate_contacts, the grouping reads every contact, which under
-- RLS would evaluate the policy per row; organizers may read every contact anyway, and the
-- caller is checked first.
create function public.list_duplicate_pairs(p_limit integer default 50, p_offset integer default 0)
returns table (reason text, contact_id uuid, first_name text, last_name text, phone text, email text,
               duplicate_id uuid, duplicate_first_name text, duplicate_last_name text,
               duplicate_phone text, duplicate_email text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  if p_limit is null or p_limit not between 1 and 200 or p_offset is null or p_offset < 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Ask for 1 to 200 pairs from an offset of 0 or more.';
  end if;
  return query
  -- Each sign is grouped on its own (a hash of keys, which stays small), and only the people
  -- whose key is shared are paired. The mailbox is private.mailbox written out: a function
  -- with a pinned search_path is never inlined, and called per contact it cost seconds at 100k.
  with live as materialized (
    select c.id, c.created_at,
           right(c.phone::text, 10) as tail,
           case when split_part(e.address, '@', 2) in ('gmail.com', 'googlemail.com')
                then replace(split_part(split_part(e.address, '@', 1), '+', 1), '.', '') || '@gmail.com'
                else split_part(split_part(e.address, '@', 1), '+', 1) || '@' || split_part(e.address, '@', 2)
           end as mailbox,
           translate(lower(btrim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))),
                     'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy') as folded_name
      from public.contacts c
     cross join lateral (select lower(c.email) as address) e
     where c.merged_into is null and c.erased_at is null
  ), shared_tails as (
    select l.tail from live l where l.tail is not null group by l.tail having count(*) > 1
  ), shared_mailboxes as (
    select l.mailbox from live l where l.mailbox is not null group by l.mailbox having count(*) > 1
  ), shared_names as (
    -- A first and a last name: a lone "Maria" says little.
    select l.folded_name from live l where l.folded_name like '_% _%' group by l.folded_name having count(*) > 1
  ), shared as (
    select 'phone'::text as sign, l.tail as key, l.id, l.created_at from live l join shared_tails t on t.tail = l.tail
    union all
    select 'email', l.mailbox, l.id, l.created_at from live l join shared_mailboxes m on m.mailbox = l.mailbox
    union all
    select 'name', l.folded_name, l.id, l.created_at from live l join shared_names n on n.folded_name = l.folded_name
  ), pairs as (
    -- One row per pair, with its strongest sign.
    select distinct on (a.id, b.id) a.sign, a.id as older, b.id as newer
      from shared a
      join shared b on b.sign = a.sign and b.key = a.key and (a.created_at, a.id) < (b.created_at, b.id)
     order by a.id, b.id, array_position(array['phone', 'email', 'name'], a.sign)
  )
  select p.sign, a.id, a.first_name, a.last_name, a.phone::text, a.email,
         b.id, b.first_name, b.last_name, b.phone::text, b.email
    from pairs p
    join public.contacts a on a.id = p.older
    join public.contacts b on b.id = p.newer
   order by array_position(array['phone', 'email', 'name'], p.sign), a.last_name, a.first_name, a.id, b.id
   limit p_limit offset p_offset;
end
$$;
comment on function public.list_duplicate_pairs(integer, integer) is
  'Organizers: pairs of live contacts that are probably one person (same last ten phone digits, same mailbox, same folded full name), strongest sign first, the older contact first; paged. Errors: not_allowed, invalid_argument.';
grant execute on function public.list_duplicate_pairs(integer, integer) to authenticated, service_role;
