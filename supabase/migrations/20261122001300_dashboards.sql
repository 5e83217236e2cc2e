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

create view public.message_daily_stats
with (security_invoker = true) as
select (m.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date as day,
       m.channel, m.direction, m.kind, m.status, count(*)::integer as messages,
       coalesce(sum(m.segments), 0)::integer as segments
from public.messages m
group by 1, 2, 3, 4, 5;
comment on view public.message_daily_stats is
  'Messages per day (organisation time zone), channel, direction, kind and status, with SMS segments.';

create view public.messaging_daily_rates
with (security_invoker = true) as
with days as (
  select (m.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date as day,
         m.contact_id, m.direction, m.created_at
  from public.messages m
  where m.channel = 'sms' and m.contact_id is not null and m.kind in ('blast', 'conversation', 'automation')
),
texted as (
  select d.day, count(distinct d.contact_id) as contacts_texted from days d where d.direction = 'outbound' group by d.day
),
replied as (
  -- A reply: the contact wrote within 3 days after an outbound text that day.
  select o.day, count(distinct o.contact_id) as contacts_replied
  from days o
  where o.direction = 'outbound'
    and exists (select 1 from public.messages i
                where i.contact_id = o.contact_id and i.direction = 'inbound'
                  and i.created_at > o.created_at and i.created_at < o.created_at + interval '3 days')
  group by o.day
),
opted_out as (
  select (e.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date as day,
         count(distinct e.contact_id) as contacts_opted_out
  from public.consent_events e
  where e.channel = 'sms' and e.status = 'opted_out'
  group by 1
)
select t.day, t.contacts_texted::integer,
       coalesce(r.contacts_replied, 0)::integer as contacts_replied,
       coalesce(o.contacts_opted_out, 0)::integer as contacts_opted_out,
       round(coalesce(r.contacts_replied, 0)::numeric / nullif(t.contacts_texted, 0), 4) as reply_rate,
       round(coalesce(o.contacts_opted_out, 0)::numeric / nullif(t.contacts_texted, 0), 4) as opt_out_rate
from texted t
left join replied r on r.day = t.day
left join opted_out o on o.day = t.day;
comment on view public.messaging_daily_rates is
  'Per day: contacts texted, how many replied within 3 days, how many opted out, and the two rates.';

create view public.blast_variant_results
with (security_invoker = true) as
select b.id as blast_id, b.name, b.status as blast_status, r.channel, r.variant,
       count(*)::integer as recipients,
       count(*) filter (where r.status = 'skipped')::integer as skipped,
       count(m.id) filter (where m.status in ('sent', 'delivered', 'undelivered'))::integer as sent,
       count(m.id) filter (where m.status = 'delivered')::integer as delivered,
       count(m.id) filter (where m.status in ('failed', 'undelivered'))::integer as failed,
       count(m.id) filter (where m.recipient_opted_out_at is not null)::integer as opted_out,
       count(m.id) filter (where exists (
         select 1 from public.messages i
         where i.contact_id = m.contact_id and i.direction = 'inbound'
           and i.created_at > m.created_at and i.created_at < m.created_at + interval '3 days'))::integer as replied
from public.blasts b
join public.blast_recipients r on r.blast_id = b.id
left join public.messages m on m.id = r.message_id
group by b.id, b.name, b.status, r.channel, r.variant;
comment on view public.blast_variant_results is
  'Per blast, channel and A/B variant: recipients, skipped, sent, delivered, failed, opted out and replied (within 3 days).';

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on public.dashboard_contact_totals, public.dashboard_contacts_per_month,
  public.dashboard_checkins_per_event from anon, authenticated;
grant select on public.dashboard_contact_totals, public.dashboard_contacts_per_month,
  public.dashboard_checkins_per_event to authenticated, service_role;
revoke all on public.message_daily_stats, public.messaging_daily_rates, public.blast_variant_results from anon;
grant select on public.message_daily_stats, public.messaging_daily_rates, public.blast_variant_results
  to authenticated, service_role;
