-- Event management for the staff screens: an event's capacity, creating and editing events with
-- times entered in the organisation's time zone, the events overview with RSVP and check-in
-- counts, and the attendee list (RSVP'd or walked in, checked in or not, first-timer or not).
--
-- The database decides: save_event validates every field and refuses with a stable code, so the
-- form shows a sentence rather than a constraint name; times arrive as the organiser typed them
-- (wall-clock, no zone) and become instants here, in the zone the settings name, so a browser in
-- another zone cannot shift an event by hours. Organizers and up manage events; volunteers work
-- the door and get not_allowed here (RLS on events already refuses their writes).
-- Refusal codes (P0001, message = code): not_allowed, unknown_event, invalid_argument,
--   event_name_required, event_slug_invalid, event_slug_taken, event_ends_before_start,
--   event_capacity_invalid.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.events
  add column capacity integer constraint events_capacity_positive check (capacity is null or capacity > 0);
comment on column public.events.capacity is 'How many people the venue holds; null = no limit. Shown against RSVPs.';

-- event_attendees reads a contact's earlier check-ins by time; check_ins_contact_id_idx
-- (contact_id, checked_in_at) already serves it, and event_rsvps' primary key starts with event_id.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY INVOKER: RLS on events lets organizers insert and update; the checks below turn every
-- bad field into a refusal code before a constraint would.
create function public.save_event(
  p_event_id uuid,
  p_name text,
  p_slug text,
  p_starts_local timestamp,
  p_ends_local timestamp,
  p_venue text default null,
  p_capacity integer default null,
  p_published boolean default false
) returns public.events
language plpgsql
set search_path = ''
as $$
declare
  v_time_zone text := (private.messaging_settings()).org_time_zone;
  v_name text := btrim(coalesce(p_name, ''));
  v_slug text := lower(btrim(coalesce(p_slug, '')));
  v_event public.events;
begin
  perform private.require_staff_level('organizer');
  if char_length(v_name) not between 1 and 200 then
    raise exception using errcode = 'P0001', message = 'event_name_required',
      detail = 'Give the event a name (at most 200 characters).';
  end if;
  if v_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or char_length(v_slug) > 100 then
    raise exception using errcode = 'P0001', message = 'event_slug_invalid',
      detail = 'The web address may use lowercase letters, digits and single dashes.';
  end if;
  if p_starts_local is null or p_ends_local is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Give a start and an end.';
  end if;
  if p_ends_local < p_starts_local then
    raise exception using errcode = 'P0001', message = 'event_ends_before_start',
      detail = 'The event cannot end before it starts.';
  end if;
  if p_capacity is not null and p_capacity < 1 then
    raise exception using errcode = 'P0001', message = 'event_capacity_invalid',
      detail = 'Capacity is a positive number, or empty for no limit.';
  end if;
  if exists (select 1 from public.events e where e.slug = v_slug and e.id is distinct from p_event_id) then
    raise exception using errcode = 'P0001', message = 'event_slug_taken',
      detail = format('Another event already uses %s.', v_slug);
  end if;

  if p_event_id is null then
    insert into public.events (name, slug, starts_at, ends_at, time_zone, venue, capacity, published, created_by)
    values (v_name, v_slug, p_starts_local at time zone v_time_zone, p_ends_local at time zone v_time_zone,
            v_time_zone, nullif(btrim(p_venue), ''), p_capacity, coalesce(p_published, false), (select auth.uid()))
    returning * into v_event;
  else
    update public.events
       set name = v_name, slug = v_slug, starts_at = p_starts_local at time zone v_time_zone,
           ends_at = p_ends_local at time zone v_time_zone, time_zone = v_time_zone,
           venue = nullif(btrim(p_venue), ''), capacity = p_capacity, published = coalesce(p_published, false)
     where id = p_event_id
    returning * into v_event;
    if not found then
      raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
    end if;
  end if;
  return v_event;
exception
  -- Two organisers saving the same new address at once: the unique index decides.
  when unique_violation then
    raise exception using errcode = 'P0001', message = 'event_slug_taken',
      detail = format('Another event already uses %s.', v_slug);
end
$$;
comment on function public.save_event(uuid, text, text, timestamp, timestamp, text, integer, boolean) is
  'Organizers: create (p_event_id null) or edit an event; start and end are wall-clock times in the organisation''s time zone (messaging_settings.org_time_zone), which becomes the event''s zone. Errors: not_allowed, unknown_event, invalid_argument, event_name_required, event_slug_invalid, event_slug_taken, event_ends_before_start, event_capacity_invalid.';
grant execute on function public.save_event(uuid, text, text, timestamp, timestamp, text, integer, boolean)
  to authenticated, service_role;

-- public.event_overview → 20261126050000_event_rsvps.sql (counters); public.event_attendees →
-- 20261128040000_event_lists_cost.sql (export columns, then an index-only first-timer probe).
