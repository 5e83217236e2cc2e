-- Tonight's check-ins: for each event with check-ins today (organisation time zone), how many
-- people came, how many for the first time (no check-in at any earlier event), and the first
-- and latest arrival in the event's own time zone.
with settings as (
  select org_time_zone from public.messaging_settings
), today as (
  select c.event_id, c.contact_id, c.checked_in_at,
         not exists (
           select 1 from public.check_ins earlier
            where earlier.contact_id = c.contact_id and earlier.checked_in_at < c.checked_in_at
         ) as first_time
    from public.check_ins c, settings s
   where (c.checked_in_at at time zone s.org_time_zone)::date = (now() at time zone s.org_time_zone)::date
)
select e.name as event,
       count(*) as checked_in,
       count(*) filter (where t.first_time) as first_timers,
       to_char(min(t.checked_in_at) at time zone e.time_zone, 'HH24:MI') as first_arrival,
       to_char(max(t.checked_in_at) at time zone e.time_zone, 'HH24:MI') as latest_arrival
  from today t
  join public.events e on e.id = t.event_id
 group by e.id, e.name, e.starts_at
 order by e.starts_at, e.name;
