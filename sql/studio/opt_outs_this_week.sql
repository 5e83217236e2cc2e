-- Opt-outs this week (since Monday, organisation time zone): who, on which channel, how
-- (STOP reply, preference page, staff…) and when, newest first.
with settings as (
  select org_time_zone from public.messaging_settings
)
select to_char(ce.created_at at time zone s.org_time_zone, 'YYYY-MM-DD HH24:MI') as opted_out_at,
       coalesce(nullif(concat_ws(' ', c.first_name, c.last_name), ''), c.phone, c.email) as contact,
       ce.channel,
       ce.source
  from public.consent_events ce
  join public.contacts c on c.id = ce.contact_id, settings s
 where ce.status = 'opted_out'
   and ce.created_at at time zone s.org_time_zone >= date_trunc('week', now() at time zone s.org_time_zone)
 order by ce.created_at desc;
