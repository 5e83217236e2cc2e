-- The big event's attendee list and passes panel at their cost (issue 14, item 7). At 100k
-- contacts a 4,000-person event's lists took 600 ms on a loaded machine (goal 300 ms).
--
--   The passes panel's cost was private.rsvp_pass_recipients: its joins are in
--   20261128020400_channel_rules, where the channels' rows also came to decide it.
--   public.event_attendees(p_event_id) moved here (from 20261126050000_event_rsvps): the
--   first-timer test reads only check_ins_contact_id_idx (an index-only probe, no heap page per
--   person), because a check-in at this event is never earlier than the person's own one here.
--
-- Nothing here adds work to a check-in or an RSVP: no new index, trigger or counter.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY INVOKER: organizers read contacts, RSVPs and check-ins under RLS, so the email and
-- phone columns are what the caller's role may read. The event's RSVPs and check-ins are read
-- once each and paired with a full join (each side by its (event_id, contact_id) index), then
-- the people are fetched by id.
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
  select e.starts_at into v_starts_at from public.events e where e.id = p_event_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  return query
  with people as (
    select coalesce(r.contact_id, ci.contact_id) as contact_id, r.created_at as rsvp_at, r.source as rsvp_source,
           ci.checked_in_at, ci.method
      from (select x.contact_id, x.created_at, x.source from public.event_rsvps x where x.event_id = p_event_id) r
      full join (select y.contact_id, y.checked_in_at, y.method from public.check_ins y where y.event_id = p_event_id) ci
        on ci.contact_id = r.contact_id)
  select c.id, c.first_name, c.last_name, c.email, c.phone::text, p.rsvp_at, p.rsvp_source, p.checked_in_at, p.method,
         -- A first-timer had no check-in anywhere before this one (or before the event, if not
         -- in yet). No event_id test: a person checks in once per event, and that check-in is
         -- not earlier than itself, so the probe needs only (contact_id, checked_in_at).
         not exists (select 1 from public.check_ins earlier
                      where earlier.contact_id = c.id
                        and earlier.checked_in_at < coalesce(p.checked_in_at, v_starts_at))
    from people p
    join public.contacts c on c.id = p.contact_id
   -- The ids as one array make the planner fetch these people by primary key instead of
   -- hashing every contact (its row estimate of a full join is too rough to see that).
   where c.id = any (array(select q.contact_id from people q))
   order by p.checked_in_at desc nulls last, c.first_name, c.last_name;
end
$$;
comment on function public.event_attendees(uuid) is
  'Organizers: everyone who RSVP''d to or checked in at an event — email and phone (as RLS lets the caller read them), RSVP time and source (null = walk-in), check-in time and method (null = not in yet), and whether it is their first event — latest arrivals first. Errors: not_allowed, unknown_event.';
grant execute on function public.event_attendees(uuid) to authenticated, service_role;
