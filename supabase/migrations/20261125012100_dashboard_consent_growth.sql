-- Dashboard (issue 16, item 8): consent growth, the one chart the dashboards area had no view for.
-- Read from the consent ledger (the source of truth): a contact counts as opted in on a channel
-- from the event that moved them in until the event that moved them out; repeated events with the
-- same status change nothing. security_invoker: the ledger's RLS applies (organizers and up read
-- everything; an attendee would see only their own history).

-- ============================================================================================
-- Views
-- ============================================================================================

create view public.dashboard_consent_growth with (security_invoker = true) as
with changes as (
  select e.channel, date_trunc('month', e.created_at) as month,
         (e.status = 'opted_in')::integer as now_in,
         coalesce(lag((e.status = 'opted_in')::integer)
                    over (partition by e.contact_id, e.channel order by e.created_at, e.id), 0) as was_in
    from public.consent_events e
),
monthly as (
  select c.channel, c.month,
         count(*) filter (where c.now_in = 1 and c.was_in = 0) as opted_in,
         count(*) filter (where c.now_in = 0 and c.was_in = 1) as opted_out
    from changes c
   group by c.channel, c.month
)
select m.channel, m.month, m.opted_in::integer, m.opted_out::integer,
       (sum(m.opted_in - m.opted_out) over (partition by m.channel order by m.month))::integer as opted_in_total
  from monthly m;
comment on view public.dashboard_consent_growth is
  'Per channel and month: contacts who opted in, who opted out, and how many are opted in at the month''s end.';

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on public.dashboard_consent_growth from anon, authenticated;
grant select on public.dashboard_consent_growth to authenticated, service_role;
