-- Segment rules for the segment builder: the keys a segment definition may use, and their
-- compilation to SQL, extended with what organizers asked for on top of the contacts list's
-- filters. New keys (all validated, compiled from fixed text, values bound as $2):
--   max_checkins         integer  at most N check-ins (with min_checkins 1: "first-timers")
--   no_checkin_days      integer  no check-in in the last N days (never checked in included)
--   attended_last_events integer  checked in at any of the N most recent events that have started
--   source               text     contacts.source equals (import, door, signup, …)
-- Every caller of the compiler (the contacts list, its bulk actions and export, preview_segment,
-- the blast snapshot) understands them at once: there is one compiler.
-- Refusal codes: invalid_segment (from the validator).
--
-- Defined here (moved, reworked): private.validate_segment_definition(jsonb) from
-- …000500_crm, private.segment_where(jsonb) from …004000_crm_contacts_list.

-- ============================================================================================
-- Indexes
-- ============================================================================================

-- "Came from" filters compare contacts.source; without it every such count reads all contacts.
create index contacts_source_idx on public.contacts (source);

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.validate_segment_definition moved to 20261129010000_segment_messaging_rules.sql.

-- private.segment_where moved to 20261129010000_segment_messaging_rules.sql.
