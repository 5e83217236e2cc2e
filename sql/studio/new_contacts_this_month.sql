-- New contacts this month (organisation time zone), by where they came from; merged
-- duplicates and erased people are left out.
with settings as (
  select org_time_zone from public.messaging_settings
)
select coalesce(c.source, 'unknown') as source, count(*) as new_contacts
  from public.contacts c, settings s
 where date_trunc('month', c.created_at at time zone s.org_time_zone)
       = date_trunc('month', now() at time zone s.org_time_zone)
   and c.merged_into is null
   and c.erased_at is null
 group by 1
 order by new_contacts desc, source;
