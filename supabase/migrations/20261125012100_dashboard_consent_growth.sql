-- Dashboard (issue 16, item 8): consent growth, the one chart the dashboards area had no view for.
-- Read from the consent ledger (the source of truth): a contact counts as opted in on a channel
-- from the event that moved them in until the event that moved them out; repeated events with the
-- same status change nothing. security_invoker: the ledger's RLS applies (organizers and up read
-- everything; an attendee would see only their own history).

-- ============================================================================================
-- Views
-- ============================================================================================

-- dashboard_consent_growth moved to 20261125023000_dashboard_rollups.sql (it reads counters kept
-- by triggers there, issue 16).
