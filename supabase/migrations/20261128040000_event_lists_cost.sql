-- The big event's attendee list and passes panel at their cost (issue 14, item 7). At 100k
-- contacts a 4,000-person event's lists took 600 ms on a loaded machine (goal 300 ms).
--
--   The passes panel's cost was private.rsvp_pass_recipients: its joins are in
--   20261128020400_channel_rules, where the channels' rows also came to decide it.
--   public.event_attendees(p_event_id) came here (from 20261126050000_event_rsvps), and has
--   since moved on to 20261129030000_event_attendee_pages: the first-timer test reads only
--   check_ins_contact_id_idx (an index-only probe, no heap page per person), because a
--   check-in at this event is never earlier than the person's own one here.
--
-- Nothing here adds work to a check-in or an RSVP: no new index, trigger or counter.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.event_attendees moved to 20261129030000_event_attendee_pages.sql (it reads private.event_people).
