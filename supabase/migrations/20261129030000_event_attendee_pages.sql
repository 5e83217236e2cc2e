-- The event's attendee list in pages (issue 14, item 7). At a 3,000-person event the one read of
-- public.event_attendees (…040000_event_lists_cost) fetched every person and probed every
-- first visit on each screen load and on each check-in's refresh: p95 213–286 ms at load 11–13
-- against a 300 ms goal. The screen now reads a page at a time, filtered on the server:
--
--   event_attendees_page(event, after, limit, attendance, checked_in, search) -> one page
--   event_attendee_counts(event, attendance, checked_in, search)              -> the counts
--
-- Keyset paging, not OFFSET: each row carries the cursor of the page after it, so a check-in
-- arriving while someone reads the list neither repeats nor skips a person on the next page.
-- The order: people checked in first (latest arrival first), then those not in yet (latest RSVP
-- first), ties broken by contact id — one descending key (in, time, id). Only the page's people
-- are fetched and probed for a first visit; the RSVPs and check-ins of one event are read
-- through their (event_id, contact_id) keys and sorted in memory (a few thousand rows), so
-- nothing here adds an index or any work to a check-in or an RSVP.
--
-- public.event_attendees (the CSV export: everyone, in one read) moved here from
-- 20261128040000_event_lists_cost, so that both lists read the event's people through one
-- helper, private.event_people. Its answer and order are unchanged.
--
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument, invalid_page_cursor,
-- unknown_event.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- SECURITY INVOKER: RLS decides what the caller reads; the public functions check the level.
-- The event's people once each (an RSVP, a check-in, or both), with the sort key of the list,
-- filtered as the screen asks. The search is the contacts list's (private.contact_search_pattern
-- over the text its trigram index covers), tested only for this event's people.
create function private.event_people(p_event_id uuid, p_attendance text, p_checked_in boolean, p_pattern text)
returns table (contact_id uuid, rsvp_at timestamptz, rsvp_source text, checked_in_at timestamptz, method text,
               is_in boolean, sort_at timestamptz)
language sql
stable
set search_path = ''
as $$
  with people as materialized (
    select coalesce(r.contact_id, ci.contact_id) as contact_id, r.created_at as rsvp_at, r.source as rsvp_source,
           ci.checked_in_at, ci.method
      from (select x.contact_id, x.created_at, x.source from public.event_rsvps x where x.event_id = p_event_id) r
      full join (select y.contact_id, y.checked_in_at, y.method from public.check_ins y where y.event_id = p_event_id) ci
        on ci.contact_id = r.contact_id)
  select p.contact_id, p.rsvp_at, p.rsvp_source, p.checked_in_at, p.method,
         p.checked_in_at is not null, coalesce(p.checked_in_at, p.rsvp_at)
    from people p
   where (p_attendance is null or (p_attendance = 'rsvp') = (p.rsvp_at is not null))
     and (p_checked_in is null or p_checked_in = (p.checked_in_at is not null))
     -- Only this event's people are searched, fetched by primary key as one array: joined
     -- plainly, the planner scans and lowers all 100k contacts (90 ms) or, in a correlated
     -- subquery, every contact per person. Without a search the OR never runs the subquery.
     and (p_pattern is null or p.contact_id in (
           select c.id from public.contacts c
            where c.id = any (array(select q.contact_id from people q))
              and lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '') || ' ' || coalesce(c.email, '') || ' '
                        || coalesce(ltrim(c.phone::text, '+'), '') || ' ' || coalesce(c.company, '')) like p_pattern))
$$;
comment on function private.event_people(uuid, text, boolean, text) is
  'An event''s people (RSVP and/or check-in) with the attendee list''s sort key (checked in first, then by time), filtered by attendance (rsvp / walk_in / null), checked in or not (null = both) and a contact search LIKE pattern (null = none).';
grant execute on function private.event_people(uuid, text, boolean, text) to authenticated, service_role;

-- The filters' words checked once, for both public functions: attendance is rsvp or walk_in.
create function private.check_attendance_filter(p_attendance text) returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_attendance is not null and p_attendance not in ('rsvp', 'walk_in') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Attendance is rsvp, walk_in, or none for everyone.';
  end if;
end
$$;
comment on function private.check_attendance_filter(text) is
  'Raise invalid_argument unless the attendee list''s attendance filter is rsvp, walk_in or null.';
grant execute on function private.check_attendance_filter(text) to authenticated, service_role;

-- The event's start (a first visit is judged against it for people not in yet), or unknown_event.
create function private.event_start(p_event_id uuid) returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_starts_at timestamptz;
begin
  select e.starts_at into v_starts_at from public.events e where e.id = p_event_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  return v_starts_at;
end
$$;
comment on function private.event_start(uuid) is
  'An event''s start as the caller may read it under RLS; unknown_event if there is none.';
grant execute on function private.event_start(uuid) to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY INVOKER, as event_attendees: email and phone are what the caller's role may read.
-- A cursor is "<1 in | 0 not in>/<time, UTC, to the microsecond>/<contact id>": it names the
-- last row shown, and the page after it starts strictly below it in the list's order.
create function public.event_attendees_page(
  p_event_id uuid,
  p_after text default null,
  p_limit integer default 50,
  p_attendance text default null,
  p_checked_in boolean default null,
  p_search text default null)
returns table (contact_id uuid, first_name text, last_name text, email text, phone text, rsvp_at timestamptz,
               rsvp_source text, checked_in_at timestamptz, method text, first_timer boolean, next_cursor text)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_starts_at timestamptz;
  v_after_in boolean;
  v_after_at timestamptz;
  v_after_id uuid;
begin
  perform private.require_staff_level('organizer');
  if p_limit is null or p_limit not between 1 and 200 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Ask for 1 to 200 people a page.';
  end if;
  perform private.check_attendance_filter(p_attendance);
  if p_after is not null then
    if p_after !~ '^[01]/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      raise exception using errcode = 'P0001', message = 'invalid_page_cursor',
        detail = 'The cursor is not one this list gave out; start again from the first page.';
    end if;
    begin
      v_after_at := split_part(p_after, '/', 2)::timestamptz;
    exception when datetime_field_overflow or invalid_datetime_format then
      raise exception using errcode = 'P0001', message = 'invalid_page_cursor',
        detail = 'The cursor is not one this list gave out; start again from the first page.';
    end;
    v_after_in := split_part(p_after, '/', 1) = '1';
    v_after_id := split_part(p_after, '/', 3)::uuid;
  end if;
  v_starts_at := private.event_start(p_event_id);
  return query
  with page as (
    select p.* from private.event_people(p_event_id, p_attendance, p_checked_in, private.contact_search_pattern(p_search)) p
     where p_after is null or (p.is_in, p.sort_at, p.contact_id) < (v_after_in, v_after_at, v_after_id)
     order by p.is_in desc, p.sort_at desc, p.contact_id desc
     limit p_limit
  )
  select c.id, c.first_name, c.last_name, c.email, c.phone::text, p.rsvp_at, p.rsvp_source, p.checked_in_at, p.method,
         -- A first-timer had no check-in anywhere before this one (or before the event, if not
         -- in yet): an index-only probe of check_ins_contact_id_idx (…040000_event_lists_cost).
         not exists (select 1 from public.check_ins earlier
                      where earlier.contact_id = c.id
                        and earlier.checked_in_at < coalesce(p.checked_in_at, v_starts_at)),
         (case when p.is_in then '1' else '0' end) || '/'
           || to_char(p.sort_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '/' || p.contact_id::text
    from page p
    join public.contacts c on c.id = p.contact_id
   order by p.is_in desc, p.sort_at desc, p.contact_id desc;
end
$$;
comment on function public.event_attendees_page(uuid, text, integer, text, boolean, text) is
  'Organizers: one page (1–200, default 50) of the people who RSVP''d to or checked in at an event — checked in first (latest arrival first), then not in yet (latest RSVP first) — with the columns of event_attendees and next_cursor, which p_after takes to read the page after that row. Filters: p_attendance rsvp / walk_in (null = everyone), p_checked_in (null = both), p_search (name, email, phone, company, as the contacts list). Errors: not_allowed, invalid_argument, invalid_page_cursor, unknown_event.';
grant execute on function public.event_attendees_page(uuid, text, integer, text, boolean, text) to authenticated, service_role;

-- SECURITY INVOKER: counts what the caller may read. The event's totals, and how many people the
-- screen's filters match (the "showing 50 of N" a paged list needs).
create function public.event_attendee_counts(
  p_event_id uuid,
  p_attendance text default null,
  p_checked_in boolean default null,
  p_search text default null)
returns table (rsvps integer, checked_in integer, walk_ins integer, matching integer)
language plpgsql
stable
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  perform private.check_attendance_filter(p_attendance);
  perform private.event_start(p_event_id);
  return query
  select count(*) filter (where p.rsvp_at is not null)::integer,
         count(*) filter (where p.is_in)::integer,
         count(*) filter (where p.is_in and p.rsvp_at is null)::integer,
         (select count(*)::integer
            from private.event_people(p_event_id, p_attendance, p_checked_in, private.contact_search_pattern(p_search)))
    from private.event_people(p_event_id, null, null, null) p;
end
$$;
comment on function public.event_attendee_counts(uuid, text, boolean, text) is
  'Organizers: an event''s RSVPs, people checked in and walk-ins (checked in without an RSVP), and how many people the attendee list''s filters match (as event_attendees_page takes them). Errors: not_allowed, invalid_argument, unknown_event.';
grant execute on function public.event_attendee_counts(uuid, text, boolean, text) to authenticated, service_role;

-- SECURITY INVOKER: organizers read contacts, RSVPs and check-ins under RLS, so the email and
-- phone columns are what the caller's role may read. Everyone at once, for the CSV export.
create function public.event_attendees(p_event_id uuid)
returns table (contact_id uuid, first_name text, last_name text, email text, phone text, rsvp_at timestamptz,
               rsvp_source text, checked_in_at timestamptz, method text, first_timer boolean)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_starts_at timestamptz;
begin
  perform private.require_staff_level('organizer');
  v_starts_at := private.event_start(p_event_id);
  return query
  with people as materialized (select * from private.event_people(p_event_id, null, null, null))
  select c.id, c.first_name, c.last_name, c.email, c.phone::text, p.rsvp_at, p.rsvp_source, p.checked_in_at, p.method,
         -- As in event_attendees_page: no check-in anywhere before this one (or before the event).
         not exists (select 1 from public.check_ins earlier
                      where earlier.contact_id = c.id
                        and earlier.checked_in_at < coalesce(p.checked_in_at, v_starts_at))
    from people p
    join public.contacts c on c.id = p.contact_id
   -- The ids as one array make the planner fetch these people by primary key instead of
   -- hashing every contact.
   where c.id = any (array(select q.contact_id from people q))
   order by p.checked_in_at desc nulls last, c.first_name, c.last_name;
end
$$;
comment on function public.event_attendees(uuid) is
  'Organizers: everyone who RSVP''d to or checked in at an event — email and phone (as RLS lets the caller read them), RSVP time and source (null = walk-in), check-in time and method (null = not in yet), and whether it is their first event — latest arrivals first (the CSV export; the screen reads event_attendees_page). Errors: not_allowed, unknown_event.';
grant execute on function public.event_attendees(uuid) to authenticated, service_role;
