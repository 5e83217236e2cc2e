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

create view public.dashboard_checkins_per_event with (security_invoker = true) as
select e.id as event_id, e.name, e.starts_at,
       count(ci.id) as check_ins,
       count(ci.id) filter (where not exists (
         select 1 from public.check_ins earlier
          where earlier.contact_id = ci.contact_id and earlier.checked_in_at < ci.checked_in_at)) as first_timers,
       count(ci.id) filter (where exists (
         select 1 from public.check_ins earlier
          where earlier.contact_id = ci.contact_id and earlier.checked_in_at < ci.checked_in_at)) as returning_attendees
  from public.events e
  left join public.check_ins ci on ci.event_id = e.id
 group by e.id, e.name, e.starts_at;
comment on view public.dashboard_checkins_per_event is
  'Check-ins per event split into first-timers (first check-in ever) and returning attendees.';

-- message_daily_stats, messaging_daily_rates and blast_variant_results: in 20261127020000_dashboard_rollups.sql.

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on public.dashboard_contact_totals, public.dashboard_contacts_per_month,
  public.dashboard_checkins_per_event from anon, authenticated;
grant select on public.dashboard_contact_totals, public.dashboard_contacts_per_month,
  public.dashboard_checkins_per_event to authenticated, service_role;
