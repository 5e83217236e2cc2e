-- The CRM's duplicate pairs at their cost (issue 14, item 3). At 100k contacts every page of
-- list_duplicate_pairs took ~1 s (bench/crm_contact.py: p50 975 / p95 1,200 ms at load 5–6),
-- first page and last alike, with ~7k buffers all in memory: CPU, not I/O. EXPLAIN (ANALYZE,
-- BUFFERS) put it here:
--   * computing the three keys for every live contact (the folded name's translate() above
--     all: ~0.5 s for 100k names on its own), then grouping each key in a hash that spilled to
--     disk (work_mem), and joining every contact back to its key;
--   * two hash joins that read the whole contacts table twice to show the names of the pairs.
--
-- Now each sign's key is read, already computed and in order, from a partial index that also
-- carries what the pairing needs (an index-only scan: no heap, no per-row function), and the
-- groups are found in one streaming pass (GroupAggregate, no hash, no spill) that keeps only the
-- members of the shared keys. The pairs (a few thousand) are ordered with the older contact's
-- name (primary-key lookups) and only the page's newer contacts are read.
--   * contacts_phone_tail_idx and contacts_mailbox_idx keep their keys (the contact page's
--     finder still uses them) and now include the id, the creation time and the column the key
--     is made of: the planner only takes an index-only scan when every column an expression
--     reads is in the index, and then takes the key from the index rather than recomputing it
--     (private.mailbox is not called per contact);
--   * contacts_folded_full_name_idx is new: the folded full name, only for names with a first
--     and a last part (the query's own condition, so it holds no more than the query reads).
-- The mailbox is now private.mailbox(email), read from the index, where the old query wrote it
-- out: the same text for every address the contacts table accepts (exactly one '@').
--
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument.

-- ============================================================================================
-- Indexes
-- ============================================================================================

drop index public.contacts_phone_tail_idx;
create index contacts_phone_tail_idx on public.contacts (right(phone::text, 10))
  include (phone, created_at, id)
  where merged_into is null and erased_at is null;
drop index public.contacts_mailbox_idx;
create index contacts_mailbox_idx on public.contacts (private.mailbox(email))
  include (email, created_at, id)
  where merged_into is null and erased_at is null;
-- Written out rather than wrapped in a function: the planner matches the index only on the
-- same expression, and list_duplicate_pairs spells it the same way.
create index contacts_folded_full_name_idx on public.contacts ((
  translate(lower(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))),
            'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
)) include (first_name, last_name, created_at, id)
  where merged_into is null and erased_at is null
    and translate(lower(btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))),
                  'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy') like '_% _%';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the grouping reads every live contact, which under RLS would evaluate the
-- policy per row; organizers may read every contact anyway, and the caller is checked first.
-- Pinned settings, each because the plan depends on it:
--   * enable_seqscan = off: the planner prices translate() and private.mailbox() as nearly
--     free and, at 100k rows, prefers a sequential scan that recomputes them (0.5 s for the
--     names) over the index that holds them;
--   * enable_hashagg = off: the keys arrive in order from the index, so grouping them streams;
--     a hash of 100k keys spills to disk;
--   * jit = off: the pairs' estimate (a cross product of the groups) is far above
--     jit_above_cost, and compiling costs more than the few thousand rows it would speed up
--     (as in 20261128020300_email_render_cost).
create function public.list_duplicate_pairs(p_limit integer default 50, p_offset integer default 0)
returns table (reason text, contact_id uuid, first_name text, last_name text, phone text, email text,
               duplicate_id uuid, duplicate_first_name text, duplicate_last_name text,
               duplicate_phone text, duplicate_email text)
language plpgsql
stable
security definer
set search_path = ''
set enable_seqscan = off
set enable_hashagg = off
set jit = off
as $$
begin
  perform private.require_staff_level('organizer');
  if p_limit is null or p_limit not between 1 and 200 or p_offset is null or p_offset < 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Ask for 1 to 200 pairs from an offset of 0 or more.';
  end if;
  return query
  -- One row per shared key: its members' ids and creation times, side by side.
  with shared as (
    select 'phone'::text as sign, g.ids, g.created
      from (select array_agg(c.id) as ids, array_agg(c.created_at) as created
              from public.contacts c
             where c.merged_into is null and c.erased_at is null and right(c.phone::text, 10) is not null
             group by right(c.phone::text, 10)
            having count(*) > 1) g
    union all
    select 'email', g.ids, g.created
      from (select array_agg(c.id) as ids, array_agg(c.created_at) as created
              from public.contacts c
             where c.merged_into is null and c.erased_at is null and private.mailbox(c.email) is not null
             group by private.mailbox(c.email)
            having count(*) > 1) g
    union all
    -- A first and a last name: a lone "Maria" says little.
    select 'name', g.ids, g.created
      from (select array_agg(c.id) as ids, array_agg(c.created_at) as created
              from public.contacts c
             where c.merged_into is null and c.erased_at is null
               and translate(lower(btrim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))),
                             'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy') like '_% _%'
             group by translate(lower(btrim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, ''))),
                                'áàâäãåéèêëíìîïóòôöõúùûüñçý', 'aaaaaaeeeeiiiiooooouuuuncy')
            having count(*) > 1) g
  ), pairs as (
    -- One row per pair, with its strongest sign; the older contact first.
    select distinct on (a.id, b.id) s.sign, a.id as older, b.id as newer
      from shared s
     cross join lateral unnest(s.ids, s.created) as a(id, created_at)
      join lateral unnest(s.ids, s.created) as b(id, created_at)
        on (a.created_at, a.id) < (b.created_at, b.id)
     order by a.id, b.id, array_position(array['phone', 'email', 'name'], s.sign)
  ), page as (
    select p.sign, p.newer, a.id, a.first_name, a.last_name, a.phone, a.email
      from pairs p
      join public.contacts a on a.id = p.older
     order by array_position(array['phone', 'email', 'name'], p.sign), a.last_name, a.first_name, a.id, p.newer
     limit p_limit offset p_offset
  )
  select p.sign, p.id, p.first_name, p.last_name, p.phone::text, p.email,
         b.id, b.first_name, b.last_name, b.phone::text, b.email
    from page p
    join public.contacts b on b.id = p.newer
   order by array_position(array['phone', 'email', 'name'], p.sign), p.last_name, p.first_name, p.id, b.id;
end
$$;
comment on function public.list_duplicate_pairs(integer, integer) is
  'Organizers: pairs of live contacts that are probably one person (same last ten phone digits, same mailbox, same folded full name), strongest sign first, the older contact first; paged. Errors: not_allowed, invalid_argument.';
grant execute on function public.list_duplicate_pairs(integer, integer) to authenticated, service_role;
