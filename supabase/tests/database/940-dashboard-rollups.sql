-- The dashboard rollups (20261128010000_dashboard_rollups): after a fold, after changes the fold
-- has not seen (an old message's status, a late reply, a new day, a blast finishing, a reply
-- after midnight to a text of a day already folded), after a delete and after a time zone
-- change, the three messaging views return exactly what the original unfolded queries return.
-- Who may fold, who reads the rollups.
begin;
select plan(60);
select tests.clear_people_data();
truncate public.messages, public.blasts, public.consent_events, public.blast_recipients cascade;
select tests.make_people_cast();
update public.messaging_settings set org_time_zone = 'America/New_York' where id;

-- ---------------------------------------------------------------- the original queries
create function tests.reference_days()
returns table (day date, channel public.message_channel, direction public.message_direction, kind public.message_kind,
               status public.message_status, messages integer, segments integer)
language sql as $$
  select (m.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date,
         m.channel, m.direction, m.kind, m.status, count(*)::integer, coalesce(sum(m.segments), 0)::integer
    from public.messages m group by 1, 2, 3, 4, 5
$$;
create function tests.reference_rates() returns table (day date, texted integer, replied integer, opted_out integer)
language sql as $$
  with days as (
    select (m.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date as day,
           m.contact_id, m.direction, m.created_at
      from public.messages m
     where m.channel = 'sms' and m.contact_id is not null and m.kind in ('blast', 'conversation', 'automation')
  )
  select o.day, count(distinct o.contact_id)::integer,
         count(distinct o.contact_id) filter (where exists (
           select 1 from public.messages i
            where i.contact_id = o.contact_id and i.direction = 'inbound'
              and i.created_at > o.created_at and i.created_at < o.created_at + interval '3 days'))::integer,
         coalesce((select count(distinct e.contact_id)
                     from public.consent_events e
                    where e.channel = 'sms' and e.status = 'opted_out'
                      and (e.created_at at time zone (select s.org_time_zone from public.messaging_settings s where s.id))::date = o.day), 0)::integer
    from days o where o.direction = 'outbound' group by o.day
$$;
create function tests.reference_variants()
returns table (blast_id uuid, variant text, recipients integer, skipped integer, sent integer, delivered integer,
               failed integer, opted_out integer, replied integer)
language sql as $$
  select r.blast_id, r.variant, count(*)::integer, count(*) filter (where r.status = 'skipped')::integer,
         count(m.id) filter (where m.status in ('sent', 'delivered', 'undelivered'))::integer,
         count(m.id) filter (where m.status = 'delivered')::integer,
         count(m.id) filter (where m.status in ('failed', 'undelivered'))::integer,
         count(m.id) filter (where m.recipient_opted_out_at is not null)::integer,
         count(m.id) filter (where exists (
           select 1 from public.messages i
            where i.contact_id = m.contact_id and i.direction = 'inbound'
              and i.created_at > m.created_at and i.created_at < m.created_at + interval '3 days'))::integer
    from public.blast_recipients r left join public.messages m on m.id = r.message_id
   group by r.blast_id, r.channel, r.variant
$$;
create function tests.dashboard_matches(p_when text) returns setof text language plpgsql as $$
begin
  return next results_eq(
    'select * from public.message_daily_stats order by 1, 2, 3, 4, 5',
    'select * from tests.reference_days() order by 1, 2, 3, 4, 5', p_when || ': messages per day');
  return next results_eq(
    'select day, contacts_texted, contacts_replied, contacts_opted_out from public.messaging_daily_rates order by 1',
    'select * from tests.reference_rates() order by 1', p_when || ': rates per day');
  return next results_eq(
    'select blast_id, variant, recipients, skipped, sent, delivered, failed, opted_out, replied
       from public.blast_variant_results order by 1, 2',
    'select * from tests.reference_variants() order by 1, 2', p_when || ': blast variants');
end
$$;

-- ---------------------------------------------------------------- the data
insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000000a1', '+13055550701', 'Ana'),
  ('00000000-0000-0000-0000-0000000000b1', '+13055550702', 'Ben'),
  ('00000000-0000-0000-0000-0000000000c1', '+13055550703', 'Cy'),
  ('00000000-0000-0000-0000-0000000000d1', '+13055550704', 'Di');
-- November news is over; December news is still sending.
insert into public.blasts (id, name, channel, status) values
  ('00000000-0000-0000-0000-0000000000f1', 'November news', 'sms', 'completed'),
  ('00000000-0000-0000-0000-0000000000f2', 'December news', 'sms', 'sending');
-- Written long ago (updated_at = created_at): a fold in this same transaction must see them as old.
insert into public.messages (id, direction, kind, status, contact_id, blast_id, to_address, body, created_at, segments) values
  ('00000000-0000-0000-0000-0000000001a1', 'outbound', 'blast', 'delivered', '00000000-0000-0000-0000-0000000000a1',
   '00000000-0000-0000-0000-0000000000f1', '+13055550701', 'News', '2026-11-10 16:00Z', 1),
  ('00000000-0000-0000-0000-0000000001b1', 'outbound', 'blast', 'sent', '00000000-0000-0000-0000-0000000000b1',
   '00000000-0000-0000-0000-0000000000f1', '+13055550702', 'News', '2026-11-10 16:00Z', 2),
  ('00000000-0000-0000-0000-0000000001c1', 'outbound', 'blast', 'delivered', '00000000-0000-0000-0000-0000000000c1',
   '00000000-0000-0000-0000-0000000000f1', '+13055550703', 'News', '2026-11-10 16:00Z', 1),
  -- 23:30 in Miami on Nov 11 is Nov 12 in UTC: counted on the 11th.
  ('00000000-0000-0000-0000-0000000002a1', 'inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000000a1',
   null, '+13055550100', 'Thanks!', '2026-11-12 04:30Z', 1),
  ('00000000-0000-0000-0000-0000000003d1', 'outbound', 'conversation', 'delivered', '00000000-0000-0000-0000-0000000000d1',
   null, '+13055550704', 'Hi Di', '2026-11-15 15:00Z', 1),
  ('00000000-0000-0000-0000-0000000004a1', 'outbound', 'blast', 'queued', '00000000-0000-0000-0000-0000000000a1',
   '00000000-0000-0000-0000-0000000000f2', '+13055550701', 'December', '2026-11-20 15:00Z', 1),
  -- 23:50 on Nov 24 in Miami: the 24th's last text (see "a fold across midnight").
  ('00000000-0000-0000-0000-0000000005d1', 'outbound', 'conversation', 'delivered', '00000000-0000-0000-0000-0000000000d1',
   null, '+13055550704', 'Late night', '2026-11-25 04:50Z', 1);
alter table public.messages disable trigger messages_guard_status;
update public.messages set updated_at = created_at;
alter table public.messages enable trigger messages_guard_status;
insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address, body, time_zone, status, message_id)
values ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000a1', 'sms', 'A', '+13055550701', 'News',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000001a1'),
       ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000b1', 'sms', 'A', '+13055550702', 'News',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000001b1'),
       ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000c1', 'sms', 'B', '+13055550703', 'News',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000001c1'),
       ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000d1', 'sms', 'B', '+13055550704', 'News',
        'America/New_York', 'skipped', null),
       ('00000000-0000-0000-0000-0000000000f2', '00000000-0000-0000-0000-0000000000a1', 'sms', null, '+13055550701', 'December',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000004a1'),
       ('00000000-0000-0000-0000-0000000000f2', '00000000-0000-0000-0000-0000000000b1', 'sms', null, '+13055550702', 'December',
        'America/New_York', 'pending', null);
insert into public.consent_events (contact_id, channel, status, source, created_at)
values ('00000000-0000-0000-0000-0000000000c1', 'sms', 'opted_out', 'keyword', '2026-11-10 17:00Z');

select tests.dashboard_matches('nothing folded yet');

-- ---------------------------------------------------------------- who may fold
select tests.act_as('organizer');
select throws_ok($$select public.fold_dashboard()$$, '42501', null, 'an organizer cannot run the fold');
select tests.act_as('anon');
select throws_ok($$select public.fold_dashboard()$$, '42501', null, 'anon cannot run the fold');
select tests.act_as('service_role');
select is((public.fold_dashboard() ->> 'days')::integer, 15, 'the workers fold: every day from the first message to the last (first fold)');
select tests.reset_role();
-- A caller with a JWT role other than the service role is refused inside too (a definer called
-- through a role that was granted execute by mistake must still refuse).
select set_config('request.jwt.claims', '{"role":"authenticated"}', true);
select throws_ok($$select public.fold_dashboard()$$, 'P0001', 'not_allowed', 'a staff JWT is refused by the fold itself');
select tests.reset_role();
select is((public.fold_dashboard() ->> 'days')::integer, 0,
          'a direct session (pg_cron) folds too; nothing changed since the last fold');

select is((select count(*)::integer from public.dashboard_message_days), 6, 'six (day, kind, status) groups folded');
select is((select contacts_replied from public.dashboard_reply_days where day = '2026-11-10'), 1,
          'Ana''s reply on the 11th (Miami) folded onto the 10th');
select is((select count(*)::integer from public.dashboard_blast_variants), 2,
          'the completed blast is folded per variant; the sending one is not');
select tests.dashboard_matches('just folded');

-- ---------------------------------------------------------------- changes the fold has not seen
update public.messages set status = 'delivered' where id = '00000000-0000-0000-0000-0000000001b1';
insert into public.messages (direction, kind, status, contact_id, to_address, body, created_at) values
  ('inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000000b1', '+13055550100', 'Late but in time',
   '2026-11-12 20:00Z'),
  ('outbound', 'automation', 'sent', '00000000-0000-0000-0000-0000000000c1', '+13055550703', 'Happy birthday',
   '2026-11-22 14:00Z');
update public.messages set recipient_opted_out_at = '2026-11-20 16:00Z' where id = '00000000-0000-0000-0000-0000000004a1';
update public.blast_recipients set status = 'skipped' where message_id is null and blast_id = '00000000-0000-0000-0000-0000000000f2';
update public.blasts set status = 'completed' where id = '00000000-0000-0000-0000-0000000000f2';
select tests.dashboard_matches('changed since the fold (counted live)');

select tests.act_as('service_role');
select ok((public.fold_dashboard() ->> 'blasts')::integer >= 2, 'the next fold refolds both blasts');
select tests.reset_role();
select tests.dashboard_matches('folded again');

-- ---------------------------------------------------------------- a fold across midnight (Miami)
-- Di's text at 23:50 on Nov 24 in Miami (04:50Z on the 25th) was written long ago and is folded;
-- now Di replies at 00:20 and Ana gets a text at 00:30 on the 25th: the reply changes the 24th's
-- reply count (a day the fold had closed), the new text the 25th's.
select row_eq($$select contacts_texted, contacts_replied from public.dashboard_reply_days where day = '2026-11-24'$$,
              row(1, 0), 'the 24th folded: Di texted, no reply yet');
insert into public.messages (direction, kind, status, contact_id, to_address, body, created_at) values
  ('inbound', 'conversation', 'received', '00000000-0000-0000-0000-0000000000d1', '+13055550100', 'Still up', '2026-11-25 05:20Z'),
  ('outbound', 'conversation', 'sent', '00000000-0000-0000-0000-0000000000a1', '+13055550701', 'Morning', '2026-11-25 05:30Z');
select is((select contacts_replied from public.messaging_daily_rates where day = '2026-11-24'), 1,
          'the reply after midnight counts on the 24th before any fold (counted live)');
select tests.dashboard_matches('after midnight, not folded');
select tests.act_as('service_role');
select ok('2026-11-24' = any (select jsonb_array_elements_text(to_jsonb(c.reply_days))::date from private.dashboard_changes() c),
          'the reply puts the 24th among the days to refold');
select lives_ok($$select public.fold_dashboard()$$, 'the next fold runs');
select tests.reset_role();
select row_eq($$select contacts_texted, contacts_replied from public.dashboard_reply_days where day = '2026-11-24'$$,
              row(1, 1), 'the 24th folded again with Di''s reply');
select is((select sum(messages)::integer from public.dashboard_message_days where day = '2026-11-25'), 2,
          'the 25th folded with the reply and the new text');
select tests.dashboard_matches('folded across midnight');

-- ---------------------------------------------------------------- a delete, a time zone change
create temporary table resets_before on commit drop as select resets from public.dashboard_fold_state;
delete from public.messages where id = '00000000-0000-0000-0000-0000000003d1';
select row_eq($$select watermark, resets - (select resets from resets_before) from public.dashboard_fold_state$$,
          row('-infinity'::timestamptz, 1::bigint),
          'a delete resets the watermark (nothing is left to find the deleted row by), and counts the reset');
select tests.dashboard_matches('after a delete');
select is((public.fold_dashboard() ->> 'days')::integer, 16, 'the fold after a delete refolds every day from the first message to the last');
select tests.dashboard_matches('folded after the delete');

update public.messaging_settings set org_time_zone = 'UTC' where id;
select tests.dashboard_matches('after a time zone change');
select is((select sum(messages)::integer from public.message_daily_stats where day = '2026-11-12'), 2,
          'in UTC the Nov 12 04:30Z reply moves to the 12th');
select lives_ok($$select public.fold_dashboard()$$, 'the fold refolds in the new time zone');
select tests.dashboard_matches('folded in the new time zone');

-- ---------------------------------------------------------------- who reads the rollups
select tests.act_as('organizer');
select is(tests.visible_rows('public.dashboard_message_days'), 7::bigint, 'an organizer reads the folded days');
select is(tests.visible_rows('public.dashboard_blast_variants'), 3::bigint, 'an organizer reads the folded blast results');
select is(tests.visible_rows('public.dashboard_fold_state'), 1::bigint, 'an organizer reads the fold state');
select is(tests.visible_rows('public.blast_variant_results'), 3::bigint, 'an organizer reads the blast results');
select throws_ok($$update public.dashboard_fold_state set watermark = now()$$, '42501', null,
                 'an organizer cannot move the watermark');
select throws_ok($$delete from public.dashboard_message_days$$, '42501', null, 'an organizer cannot edit rollups');
select tests.act_as('volunteer');
select is(tests.visible_rows('public.dashboard_message_days'), 0::bigint, 'a volunteer reads no folded days');
select is(tests.visible_rows('public.dashboard_reply_days'), 0::bigint, 'a volunteer reads no folded reply days');
select is(tests.visible_rows('public.dashboard_blast_variants'), 0::bigint, 'a volunteer reads no folded blast results');
select is(tests.visible_rows('public.message_daily_stats'), 0::bigint, 'a volunteer reads no message days');
select tests.act_as('anon');
select throws_ok($$select * from public.dashboard_reply_days$$, '42501', null, 'anon cannot read the rollups');

select * from finish();
rollback;
