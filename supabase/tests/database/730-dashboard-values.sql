-- The dashboard's messaging numbers, checked against hand-counted rows: messaging_daily_rates
-- (texted, replied within 3 days, opted out, the two rates) and blast_variant_results (per
-- A/B variant). Organizers read them; volunteers read nothing.
begin;
select plan(6);
select tests.clear_people_data();
truncate public.messages, public.blasts, public.consent_events, public.blast_recipients cascade;
select tests.make_people_cast();
update public.messaging_settings set org_time_zone = 'America/New_York' where id;

insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000000a1', '+13055550701', 'Ana'),
  ('00000000-0000-0000-0000-0000000000b1', '+13055550702', 'Ben'),
  ('00000000-0000-0000-0000-0000000000c1', '+13055550703', 'Cy'),
  ('00000000-0000-0000-0000-0000000000d1', '+13055550704', 'Di');
insert into public.blasts (id, name, channel) values ('00000000-0000-0000-0000-0000000000f1', 'November news', 'sms');

-- Nov 20, 11:00 in Miami: the blast texts Ana, Ben and Cy (Di was skipped).
insert into public.messages (id, direction, kind, status, contact_id, blast_id, to_address, body, created_at,
                             recipient_opted_out_at) values
  ('00000000-0000-0000-0000-0000000001a1', 'outbound', 'blast', 'delivered', '00000000-0000-0000-0000-0000000000a1',
   '00000000-0000-0000-0000-0000000000f1', '+13055550701', 'News', '2026-11-20 16:00Z', null),
  ('00000000-0000-0000-0000-0000000001b1', 'outbound', 'blast', 'undelivered', '00000000-0000-0000-0000-0000000000b1',
   '00000000-0000-0000-0000-0000000000f1', '+13055550702', 'News', '2026-11-20 16:00Z', null),
  ('00000000-0000-0000-0000-0000000001c1', 'outbound', 'blast', 'delivered', '00000000-0000-0000-0000-0000000000c1',
   '00000000-0000-0000-0000-0000000000f1', '+13055550703', 'News', '2026-11-20 16:00Z', '2026-11-20 17:00Z'),
-- Ana replies the next day (counts); Ben only five days later (does not).
  ('00000000-0000-0000-0000-0000000002a1', 'inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000000a1',
   null, '+13055550100', 'Thanks!', '2026-11-21 16:00Z', null),
  ('00000000-0000-0000-0000-0000000002b1', 'inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000000b1',
   null, '+13055550100', 'Late', '2026-11-25 16:00Z', null);
-- Cy opts out the same day.
insert into public.consent_events (contact_id, channel, status, source, created_at)
values ('00000000-0000-0000-0000-0000000000c1', 'sms', 'opted_out', 'keyword', '2026-11-20 17:00Z');

insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address, body, time_zone, status, message_id)
values ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000a1', 'sms', 'A', '+13055550701', 'News',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000001a1'),
       ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000b1', 'sms', 'A', '+13055550702', 'News',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000001b1'),
       ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000c1', 'sms', 'B', '+13055550703', 'News',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000001c1'),
       ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000d1', 'sms', 'B', '+13055550704', 'News',
        'America/New_York', 'skipped', null);

-- ---------------------------------------------------------------- messaging_daily_rates
select tests.act_as('organizer');
select results_eq(
  $$select day, contacts_texted, contacts_replied, contacts_opted_out, reply_rate, opt_out_rate
      from public.messaging_daily_rates order by day$$,
  $$values ('2026-11-20'::date, 3, 1, 1, 0.3333::numeric, 0.3333::numeric)$$,
  'one row per day with texts: 3 texted, Ana replied within 3 days, Cy opted out');

-- ---------------------------------------------------------------- blast_variant_results
select results_eq(
  $$select variant, recipients, skipped, sent, delivered, failed, opted_out, replied
      from public.blast_variant_results where blast_id = '00000000-0000-0000-0000-0000000000f1' order by variant$$,
  $$values ('A'::text, 2, 0, 2, 1, 1, 0, 1), ('B'::text, 2, 1, 1, 1, 0, 1, 0)$$,
  'per variant: A reached Ana (replied) and Ben (undelivered); B reached Cy (opted out) and skipped Di');

-- ---------------------------------------------------------------- who reads them
select tests.act_as('admin');
select is((select count(*)::int from public.blast_variant_results), 2, 'admin reads the blast results');
select tests.act_as('volunteer');
select is((select count(*)::int from public.messaging_daily_rates), 0, 'volunteer reads no rates');
select is((select count(*)::int from public.blast_variant_results), 0, 'volunteer reads no blast results');
select tests.act_as('anon');
select throws_ok($$select * from public.messaging_daily_rates$$, '42501', null, 'anon cannot read the rates');

select * from finish();
rollback;
