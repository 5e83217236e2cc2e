-- Dashboards: views for the admin home page and the messaging dashboard. security_invoker = true:
-- each view reads its tables under the caller's RLS, so a volunteer sees only what they could
-- read anyway (organizers+ everything).

-- ============================================================================================
-- Views
-- ============================================================================================

create view public.dashboard_contact_totals with (security_invoker = true) as
select count(*) filter (where erased_at is null and merged_into is null) as contacts,
       count(*) filter (where erased_at is null and merged_into is null and phone is not null) as with_phone,
       count(*) filter (where erased_at is null and merged_into is null and email is not null) as with_email,
       count(*) filter (where user_id is not null) as signed_up
  from public.contacts;
comment on view public.dashboard_contact_totals is 'Contacts in total, with phone, with email, signed up.';

create view public.dashboard_contacts_per_month with (security_invoker = true) as
select month, new_contacts, sum(new_contacts) over (order by month) as total_contacts
  from (select date_trunc('month', created_at) as month, count(*) as new_contacts
          from public.contacts
         where erased_at is null and merged_into is null
         group by 1) m;
comment on view public.dashboard_contacts_per_month is 'New contacts per month and the running total.';

-- dashboard_checkins_per_event: in 20261128010000_dashboard_rollups.sql.
-- message_daily_stats, messaging_daily_rates and blast_variant_results: in 20261128010000_dashboard_rollups.sql.

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on public.dashboard_contact_totals, public.dashboard_contacts_per_month from anon, authenticated;
grant select on public.dashboard_contact_totals, public.dashboard_contacts_per_month to authenticated, service_role;
