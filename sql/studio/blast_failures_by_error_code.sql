-- The latest blast's failed and undelivered messages by provider error code (Twilio 30007 =
-- carrier filtering, 21610 = the person replied STOP, …). For another blast, replace the
-- `order by … limit 1` line with `where name = 'Your blast name'`.
with blast as (
  select id, name from public.blasts
  order by created_at desc limit 1
)
select b.name as blast,
       coalesce(m.error_code, 'none') as error_code,
       m.status,
       count(*) as messages,
       min(m.error_message) as example_error
  from blast b
  join public.messages m on m.blast_id = b.id
 where m.status in ('failed', 'undelivered')
 group by b.name, m.error_code, m.status
 order by messages desc, error_code;
