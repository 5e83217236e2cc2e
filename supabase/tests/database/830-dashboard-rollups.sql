-- The dashboard's rollups stay equal to the numbers counted from the base tables (the views'
-- former definitions, kept here as the reference) through every kind of change: inserts in any
-- order, status updates, a late reply, deletes, a skipped recipient, opt-outs, erased and merged
-- contacts, check-ins out of order, a time-zone change and a TRUNCATE. And who reads them:
-- organizers and up (check-ins: volunteers too) through the views; an attendee still sees only
-- their own rows counted; nobody writes the rollups; anon is refused.
begin;
select * from no_plan();
select tests.clear_people_data();
truncate public.messages, public.blasts, public.consent_events, public.blast_recipients cascade;
select tests.make_people_cast();
update public.messaging_settings set org_time_zone = 'America/New_York' where id;

-- ---------------------------------------------------------------- the reference: counted from base tables
create temp view ref_daily_stats with (security_invoker = true) as
select (m.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date as day,
       m.channel, m.direction, m.kind, m.status, count(*)::integer as messages,
       coalesce(sum(m.segments), 0)::integer as segments
  from public.messages m
 group by 1, 2, 3, 4, 5;

create temp view ref_daily_rates with (security_invoker = true) as
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

create temp view ref_variant_results with (security_invoker = true) as
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

create temp view ref_contact_totals with (security_invoker = true) as
select count(*) filter (where erased_at is null and merged_into is null) as contacts,
       count(*) filter (where erased_at is null and merged_into is null and phone is not null) as with_phone,
       count(*) filter (where erased_at is null and merged_into is null and email is not null) as with_email,
       count(*) filter (where user_id is not null) as signed_up
  from public.contacts;

create temp view ref_contacts_per_month with (security_invoker = true) as
select month, new_contacts, sum(new_contacts) over (order by month) as total_contacts
  from (select date_trunc('month', created_at) as month, count(*) as new_contacts
          from public.contacts
         where erased_at is null and merged_into is null
         group by 1) m;

create temp view ref_checkins_per_event with (security_invoker = true) as
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

create temp view ref_consent_growth with (security_invoker = true) as
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

-- The references run with the reader's rights, as the views: each role compares like for like.
grant select on ref_daily_stats, ref_daily_rates, ref_variant_results, ref_contact_totals,
  ref_contacts_per_month, ref_checkins_per_event, ref_consent_growth to authenticated, service_role;

-- Every view equals its reference, row for row: first with the journals as the triggers left
-- them (the views add what is not folded yet), then again once a fold has moved them into the
-- rollups.
create function pg_temp.rollups_match(p_when text) returns setof text
language plpgsql as $$
begin
  return query select pg_temp.views_match(p_when || ', journals not folded');
  perform public.fold_dashboard_changes();
  return next is((select (select count(*) from private.dashboard_message_day_changes)
                       + (select count(*) from private.dashboard_contact_month_changes)
                       + (select count(*) from private.dashboard_pending_sms_contact_days)
                       + (select count(*) from private.dashboard_pending_check_in_contacts)
                       + (select count(*) from private.dashboard_pending_consent_contacts)
                       + (select count(*) from private.dashboard_pending_blast_recipients))::int, 0,
    p_when || ': the fold empties every journal');
  return query select pg_temp.views_match(p_when || ', folded');
end
$$;

create function pg_temp.views_match(p_when text) returns setof text
language plpgsql as $$
begin
  return next results_eq(
    'select * from public.message_daily_stats order by day, channel, direction, kind, status',
    'select * from ref_daily_stats order by day, channel, direction, kind, status',
    p_when || ': messages per day equal the messages');
  return next results_eq(
    'select * from public.messaging_daily_rates order by day',
    'select * from ref_daily_rates order by day',
    p_when || ': daily rates equal the messages and the ledger');
  return next results_eq(
    'select * from public.blast_variant_results order by blast_id, channel, variant',
    'select * from ref_variant_results order by blast_id, channel, variant',
    p_when || ': blast results equal the recipients and their messages');
  return next results_eq('select * from public.dashboard_contact_totals', 'select * from ref_contact_totals',
    p_when || ': contact totals equal the contacts');
  return next results_eq('select * from public.dashboard_contacts_per_month order by month',
    'select * from ref_contacts_per_month order by month', p_when || ': contacts per month equal the contacts');
  return next results_eq('select * from public.dashboard_checkins_per_event order by event_id',
    'select * from ref_checkins_per_event order by event_id', p_when || ': check-ins per event equal the check-ins');
  return next results_eq('select * from public.dashboard_consent_growth order by channel, month',
    'select * from ref_consent_growth order by channel, month', p_when || ': consent growth equals the ledger');
end
$$;

-- ---------------------------------------------------------------- a blast, replies, opt-outs
insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000083a1', '+13055558301', 'Ana'),
  ('00000000-0000-0000-0000-0000000083b1', '+13055558302', 'Ben'),
  ('00000000-0000-0000-0000-0000000083c1', '+13055558303', 'Cy'),
  ('00000000-0000-0000-0000-0000000083d1', '+13055558304', 'Di');
insert into public.blasts (id, name, channel) values
  ('00000000-0000-0000-0000-0000000083f1', 'Rollup news', 'sms'),
  ('00000000-0000-0000-0000-0000000083f2', 'Second news', 'sms');

-- Ana's reply is recorded before the blast text it answers (a backfill): order must not matter.
insert into public.messages (id, direction, kind, status, contact_id, to_address, body, created_at) values
  ('00000000-0000-0000-0000-0000000084a2', 'inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000083a1',
   '+13055550100', 'Yes!', '2026-11-21 02:00Z');
insert into public.messages (id, direction, kind, status, contact_id, blast_id, to_address, body, created_at, segments) values
  ('00000000-0000-0000-0000-0000000084a1', 'outbound', 'blast', 'sent', '00000000-0000-0000-0000-0000000083a1',
   '00000000-0000-0000-0000-0000000083f1', '+13055558301', 'News', '2026-11-20 16:00Z', 2),
  ('00000000-0000-0000-0000-0000000084b1', 'outbound', 'blast', 'sending', '00000000-0000-0000-0000-0000000083b1',
   '00000000-0000-0000-0000-0000000083f1', '+13055558302', 'News', '2026-11-20 16:00Z', 2),
  ('00000000-0000-0000-0000-0000000084c1', 'outbound', 'blast', 'sent', '00000000-0000-0000-0000-0000000083c1',
   '00000000-0000-0000-0000-0000000083f1', '+13055558303', 'News', '2026-11-20 16:00Z', 2),
  -- 23:30 in Miami is already the next day in UTC: the organisation's day counts.
  ('00000000-0000-0000-0000-0000000084d1', 'outbound', 'conversation', 'delivered', '00000000-0000-0000-0000-0000000083d1',
   null, '+13055558304', 'Hi Di', '2026-11-21 04:30Z', 1);
-- An email does not count as a text.
insert into public.messages (id, direction, kind, channel, status, contact_id, to_address, subject, body, created_at) values
  ('00000000-0000-0000-0000-0000000084e1', 'outbound', 'conversation', 'email', 'sent', '00000000-0000-0000-0000-0000000083a1',
   'ana@example.com', 'Hello', 'Mail', '2026-11-20 18:00Z');
insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address, body, time_zone, status, message_id) values
  ('00000000-0000-0000-0000-0000000083f1', '00000000-0000-0000-0000-0000000083a1', 'sms', 'A', '+13055558301', 'News',
   'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000084a1'),
  ('00000000-0000-0000-0000-0000000083f1', '00000000-0000-0000-0000-0000000083b1', 'sms', 'A', '+13055558302', 'News',
   'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000084b1'),
  ('00000000-0000-0000-0000-0000000083f1', '00000000-0000-0000-0000-0000000083c1', 'sms', 'B', '+13055558303', 'News',
   'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000084c1'),
  ('00000000-0000-0000-0000-0000000083f1', '00000000-0000-0000-0000-0000000083d1', 'sms', 'B', '+13055558304', 'News',
   'America/New_York', 'pending', null),
  ('00000000-0000-0000-0000-0000000083f2', '00000000-0000-0000-0000-0000000083d1', 'sms', null, '+13055558304', 'More',
   'America/New_York', 'pending', null);
insert into public.consent_events (contact_id, channel, status, source, created_at) values
  ('00000000-0000-0000-0000-0000000083c1', 'sms', 'opted_in', 'form', '2026-10-02 17:00Z'),
  ('00000000-0000-0000-0000-0000000083a1', 'sms', 'opted_in', 'form', '2026-10-02 17:00Z'),
  ('00000000-0000-0000-0000-0000000083a1', 'sms', 'opted_in', 'staff', '2026-10-09 17:00Z'),
  ('00000000-0000-0000-0000-0000000083a1', 'email', 'opted_in', 'form', '2026-11-02 17:00Z'),
  ('00000000-0000-0000-0000-0000000083c1', 'sms', 'opted_out', 'keyword', '2026-11-20 17:00Z'),
  ('00000000-0000-0000-0000-0000000083b1', 'sms', 'opted_out', 'keyword', '2026-11-22 17:00Z');

-- Check-ins, the later one first: Ana's first visit is the October event.
insert into public.events (id, slug, name, starts_at, ends_at) values
  ('00000000-0000-0000-0000-0000000085e1', 'oct', 'October night', '2026-10-01 22:00Z', '2026-10-02 01:00Z'),
  ('00000000-0000-0000-0000-0000000085e2', 'nov', 'November night', '2026-11-05 22:00Z', '2026-11-06 01:00Z'),
  ('00000000-0000-0000-0000-0000000085e3', 'dec', 'December night', '2026-12-03 22:00Z', '2026-12-04 01:00Z');
update public.events set published = true where id = '00000000-0000-0000-0000-0000000085e3';
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000085e2', '00000000-0000-0000-0000-0000000083a1', 'qr', '2026-11-05 22:10Z'),
  ('00000000-0000-0000-0000-0000000085e2', '00000000-0000-0000-0000-0000000083b1', 'qr', '2026-11-05 22:20Z');
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000085e1', '00000000-0000-0000-0000-0000000083a1', 'qr', '2026-10-01 22:10Z');
select results_eq(
  $$select name, check_ins, first_timers, returning_attendees from public.dashboard_checkins_per_event
     where event_id::text like '%85e%' order by starts_at$$,
  $$values ('October night'::text, 1::bigint, 1::bigint, 0::bigint), ('November night', 2, 1, 1), ('December night', 0, 0, 0)$$,
  'Ana returns in November; Ben is new; December has nobody yet');

select pg_temp.rollups_match('after the blast');
select results_eq(
  $$select day, contacts_texted, contacts_replied, contacts_opted_out from public.messaging_daily_rates order by day$$,
  $$values ('2026-11-20'::date, 4, 1, 1)$$,
  'the expected numbers: 4 texted on the 20th (Di''s 23:30 text counts there), Ana replied, Cy opted out');

-- ---------------------------------------------------------------- statuses move on, a late reply, a skip
update public.messages set status = 'delivered' where id in ('00000000-0000-0000-0000-0000000084a1', '00000000-0000-0000-0000-0000000084c1');
update public.messages set status = 'undelivered', recipient_opted_out_at = '2026-11-20 17:00Z'
 where id = '00000000-0000-0000-0000-0000000084b1';
update public.messages set segments = 3 where id = '00000000-0000-0000-0000-0000000084c1';
insert into public.messages (direction, kind, status, contact_id, to_address, body, created_at) values
  ('inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000083c1', '+13055550100', 'Who?', '2026-11-22 10:00Z');
update public.blast_recipients set status = 'skipped', skip_reason = 'opted_out'
 where contact_id = '00000000-0000-0000-0000-0000000083d1' and blast_id = '00000000-0000-0000-0000-0000000083f1';
update public.blast_recipients set variant = 'A'
 where contact_id = '00000000-0000-0000-0000-0000000083c1';
select pg_temp.rollups_match('after status updates, a late reply and a skip');

-- ---------------------------------------------------------------- things go away
delete from public.messages where id = '00000000-0000-0000-0000-0000000084a2';
delete from public.consent_events where contact_id = '00000000-0000-0000-0000-0000000083c1';
update public.messages set contact_id = null where id = '00000000-0000-0000-0000-0000000084d1';
delete from public.blasts where id = '00000000-0000-0000-0000-0000000083f2';
-- Contacts and check-ins change too: Di is erased, Cy merged into Ben, Ana's October visit undone.
update public.contacts set erased_at = now(), phone = null where id = '00000000-0000-0000-0000-0000000083d1';
update public.contacts set merged_into = '00000000-0000-0000-0000-0000000083b1' where id = '00000000-0000-0000-0000-0000000083c1';
update public.contacts set email = 'ana@example.com', created_at = '2026-09-15 12:00Z' where id = '00000000-0000-0000-0000-0000000083a1';
delete from public.check_ins where event_id = '00000000-0000-0000-0000-0000000085e1';
update public.check_ins set checked_in_at = '2026-11-05 22:05Z' where contact_id = '00000000-0000-0000-0000-0000000083b1';
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000085e3', '00000000-0000-0000-0000-0000000083a1', 'qr', '2026-12-03 22:10Z');
delete from public.events where id = '00000000-0000-0000-0000-0000000085e2';
select pg_temp.rollups_match('after deletes');
select is((select count(*)::int from private.dashboard_blast_variant_counts where blast_id = '00000000-0000-0000-0000-0000000083f2'), 0,
  'a deleted blast leaves no counters');

-- ---------------------------------------------------------------- the organisation moves
update public.messaging_settings set org_time_zone = 'Europe/Madrid' where id;
select pg_temp.rollups_match('after a time-zone change');
update public.messaging_settings set org_time_zone = 'America/New_York' where id;

-- ---------------------------------------------------------------- a bulk statement, then TRUNCATE
insert into public.messages (direction, kind, status, contact_id, to_address, body, created_at)
select case when i % 3 = 0 then 'inbound' else 'outbound' end::public.message_direction, 'conversation',
       case when i % 3 = 0 then 'received' else 'delivered' end::public.message_status,
       (array['00000000-0000-0000-0000-0000000083a1', '00000000-0000-0000-0000-0000000083b1',
              '00000000-0000-0000-0000-0000000083c1'])[1 + i % 3]::uuid,
       '+13055550100', 'Bulk', '2026-11-01 12:00Z'::timestamptz + i * interval '7 hours'
  from generate_series(1, 200) as i;
select pg_temp.rollups_match('after one bulk insert of 200 messages');
truncate public.consent_events cascade;
select pg_temp.rollups_match('after truncating the consent ledger');
truncate public.messages cascade;
select pg_temp.rollups_match('after truncating the messages');
select is((select count(*)::int from private.dashboard_message_days), 0, 'no messages, no day counters');

-- ---------------------------------------------------------------- who reads and writes the rollups
insert into public.messages (direction, kind, status, contact_id, to_address, body) values
  ('outbound', 'conversation', 'delivered', '00000000-0000-0000-0000-0000000083a1', '+13055558301', 'Today');
select tests.act_as('organizer');
select is((select sum(messages)::int from public.message_daily_stats), 1, 'organizer reads the rolled-up counts');
select throws_ok($$insert into private.dashboard_message_days (day, channel, direction, kind, status, messages)
                   values (current_date, 'sms', 'outbound', 'blast', 'sent', 100)$$,
  '42501', null, 'organizer cannot forge a counter');
select throws_ok($$update private.dashboard_sms_contact_days set replied = true$$,
  '42501', null, 'organizer cannot change a contact day');
select throws_ok($$insert into private.dashboard_message_day_changes (day, channel, direction, kind, status, messages, segments)
                   values (current_date, 'sms', 'outbound', 'blast', 'sent', 100, 100)$$,
  '42501', null, 'organizer cannot forge a journal row');
select throws_ok($$delete from private.dashboard_pending_blast_recipients$$,
  '42501', null, 'organizer cannot drop pending recipients');
select throws_ok($$select public.fold_dashboard_changes()$$,
  '42501', null, 'organizer cannot run the fold (workers do)');
select tests.act_as('admin');
select is((select sum(messages)::int from public.message_daily_stats), 1, 'admin reads them too');
select tests.act_as('volunteer');
select is((select count(*)::int from private.dashboard_message_days), 0, 'volunteer reads no day counters');
select is((select count(*)::int from private.dashboard_sms_contact_days), 0, 'volunteer reads no contact days');
select is((select count(*)::int from public.message_daily_stats), 0, 'volunteer reads no messages per day');
select is((select check_ins::int from public.dashboard_checkins_per_event where event_id = '00000000-0000-0000-0000-0000000085e3'), 1,
  'volunteer reads check-ins per event (they read every check-in)');
select results_eq('select * from public.message_daily_stats order by 1, 2, 3', 'select * from ref_daily_stats order by 1, 2, 3', 'volunteer: message_daily_stats equals its reference under their RLS');
select results_eq('select * from public.messaging_daily_rates order by 1, 2, 3', 'select * from ref_daily_rates order by 1, 2, 3', 'volunteer: messaging_daily_rates equals its reference under their RLS');
select results_eq('select * from public.blast_variant_results order by 1, 2, 3', 'select * from ref_variant_results order by 1, 2, 3', 'volunteer: blast_variant_results equals its reference under their RLS');
select results_eq('select * from public.dashboard_contact_totals order by 1, 2, 3', 'select * from ref_contact_totals order by 1, 2, 3', 'volunteer: dashboard_contact_totals equals its reference under their RLS');
select results_eq('select * from public.dashboard_contacts_per_month order by 1, 2, 3', 'select * from ref_contacts_per_month order by 1, 2, 3', 'volunteer: dashboard_contacts_per_month equals its reference under their RLS');
select results_eq('select * from public.dashboard_checkins_per_event order by 1, 2, 3', 'select * from ref_checkins_per_event order by 1, 2, 3', 'volunteer: dashboard_checkins_per_event equals its reference under their RLS');
select results_eq('select * from public.dashboard_consent_growth order by 1, 2', 'select * from ref_consent_growth order by 1, 2', 'volunteer: dashboard_consent_growth equals its reference under their RLS');
select tests.act_as('service_role');
select is((select sum(messages)::int from public.message_daily_stats), 1, 'the service role reads them');
select ok(public.fold_dashboard_changes() >= 0, 'the service role (workers) folds the journals');
select is((select sum(messages)::int from public.message_daily_stats), 1, 'the same count once folded');
-- The attendee reads their own contact and check-ins: the views count just those, live.
select tests.reset_role();
insert into public.check_ins (event_id, contact_id, method, checked_in_at)
values ('00000000-0000-0000-0000-0000000085e3', (select id from public.contacts where user_id = tests.get_supabase_uid('attendee')), 'self', '2026-12-03 22:30Z');
insert into public.consent_events (contact_id, channel, status, source, created_at)
values ((select id from public.contacts where user_id = tests.get_supabase_uid('attendee')), 'sms', 'opted_in', 'form', '2026-12-03 22:30Z');
select tests.act_as('attendee');
select results_eq('select * from public.message_daily_stats order by 1, 2, 3', 'select * from ref_daily_stats order by 1, 2, 3', 'attendee: message_daily_stats equals its reference under their RLS');
select results_eq('select * from public.messaging_daily_rates order by 1, 2, 3', 'select * from ref_daily_rates order by 1, 2, 3', 'attendee: messaging_daily_rates equals its reference under their RLS');
select results_eq('select * from public.blast_variant_results order by 1, 2, 3', 'select * from ref_variant_results order by 1, 2, 3', 'attendee: blast_variant_results equals its reference under their RLS');
select results_eq('select * from public.dashboard_contact_totals order by 1, 2, 3', 'select * from ref_contact_totals order by 1, 2, 3', 'attendee: dashboard_contact_totals equals its reference under their RLS');
select results_eq('select * from public.dashboard_contacts_per_month order by 1, 2, 3', 'select * from ref_contacts_per_month order by 1, 2, 3', 'attendee: dashboard_contacts_per_month equals its reference under their RLS');
select results_eq('select * from public.dashboard_checkins_per_event order by 1, 2, 3', 'select * from ref_checkins_per_event order by 1, 2, 3', 'attendee: dashboard_checkins_per_event equals its reference under their RLS');
select results_eq('select * from public.dashboard_consent_growth order by 1, 2', 'select * from ref_consent_growth order by 1, 2', 'attendee: dashboard_consent_growth equals its reference under their RLS');
select results_eq($$select contacts::int, with_phone::int, signed_up::int from public.dashboard_contact_totals$$,
  $$values (1, 1, 1)$$, 'attendee: their own contact, counted live');
select results_eq($$select check_ins::int, first_timers::int from public.dashboard_checkins_per_event
                    where event_id = '00000000-0000-0000-0000-0000000085e3'$$,
  $$values (1, 1)$$, 'attendee: their own check-in only (published events they can see)');
select is((select count(*)::int from private.dashboard_contact_months), 0, 'attendee reads no contact counters');
select results_eq($$select channel::text, opted_in, opted_in_total from public.dashboard_consent_growth$$,
  $$values ('sms', 1, 1)$$, 'attendee: their own consent history, counted live');
select tests.act_as('anon');
select throws_ok($$select * from private.dashboard_message_days$$, '42501', null, 'anon cannot read the counters');
select throws_ok($$select * from public.blast_variant_results$$, '42501', null, 'anon cannot read blast results');
select tests.reset_role();
select ok((select bool_and(c.reloptions @> array['security_invoker=true']) from pg_class c
            where c.oid in ('public.message_daily_stats'::regclass, 'public.messaging_daily_rates'::regclass,
                            'public.blast_variant_results'::regclass, 'public.dashboard_checkins_per_event'::regclass)),
  'the views still run with the caller''s rights');

select * from finish();
rollback;
