-- Dashboards: views for the admin home page and the messaging dashboard. security_invoker = true:
-- each view reads its tables under the caller's RLS, so a volunteer sees only what they could
-- read anyway (organizers+ everything).

-- ============================================================================================
-- Views
-- ============================================================================================

-- All six views moved to 20261125023000_dashboard_rollups.sql (they read rollup tables kept by
-- triggers there, issue 16): dashboard_contact_totals, dashboard_contacts_per_month,
-- dashboard_checkins_per_event, message_daily_stats, messaging_daily_rates, blast_variant_results.

