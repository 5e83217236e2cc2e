-- The channels' rows decide: the blast preview counts quiet hours on every channel in the window
-- of the blast's sender on it (as the claim waits), and an event pass's subject and segments
-- follow its channel's row.
begin;
select plan(9);

select tests.make_messaging_roles();
update public.senders set enabled = false;
select tests.make_sms_sender() as sms_sender \gset
select tests.make_email_sender() as email_sender \gset
select tests.make_template('rules sms', 'Hi!') as sms_tpl \gset
select tests.make_template('rules email', 'Hi!', 'email', 'News') as email_tpl \gset
select tests.make_contact('+13055550954', 'Ana', 'opted_in', 'ana954@example.com', 'opted_in', 'UTC') as ana \gset
-- The SMS sender may send all day; the email sender's window is one minute twelve hours away,
-- so right now Ana's email would wait and her text would not.
update public.senders set quiet_start = '00:00', quiet_end = '23:59:59.999' where id = :'sms_sender';
update public.senders set quiet_start = ((now() at time zone 'UTC') + interval '12 hours')::time,
                          quiet_end = ((now() at time zone 'UTC') + interval '12 hours 1 minute')::time
 where id = :'email_sender';
insert into public.blasts (name, channel, sms_template_id, email_template_id, sms_sender_id, email_sender_id)
values ('Rules', 'both', :'sms_tpl', :'email_tpl', :'sms_sender', :'email_sender') returning id as blast \gset
insert into public.blast_audience (blast_id, contact_id) values (:'blast', :'ana');

-- ---------------------------------------------------------------- the preview
select tests.act_as('msg_volunteer');
select throws_ok(format('select public.preview_blast(%L)', :'blast'), 'P0001', 'not_allowed', 'volunteers cannot preview');
select tests.act_as('msg_organizer');
select is((public.preview_blast(:'blast') -> 'waiting_now' ->> 'quiet_hours')::int, 1,
  'the email outside its sender''s window is counted as waiting, the text inside it is not');
select tests.reset_role();
update public.senders set quiet_start = '00:00', quiet_end = '23:59:59.999' where id = :'email_sender';
select tests.act_as('msg_admin');
select is((public.preview_blast(:'blast') -> 'waiting_now' ->> 'quiet_hours')::int, 0,
  'with both windows open nobody waits (an admin''s preview)');

-- ---------------------------------------------------------------- event passes
select tests.reset_role();
insert into public.events (id, slug, name, starts_at, ends_at, time_zone, published) values
  ('00000000-0000-0000-0000-0000000095e1', 'rules-day', 'Rules Day', now() + interval '2 days',
   now() + interval '2 days 3 hours', 'America/New_York', true);
select tests.make_contact('+13055550955', 'Eve', null, 'eve954@example.com', 'opted_in') as eve \gset
update public.contacts set phone = null where id = :'eve';
insert into public.event_rsvps (event_id, contact_id) values
  ('00000000-0000-0000-0000-0000000095e1', :'ana'), ('00000000-0000-0000-0000-0000000095e1', :'eve');

select tests.act_as('msg_volunteer');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000095e1', 'https://app.test')$$,
  'P0001', 'not_allowed', 'volunteers cannot send passes');
select tests.act_as('anon');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000095e1', 'https://app.test')$$,
  '42501', null, 'anon cannot');
select tests.act_as('msg_organizer');
select results_eq($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000095e1', 'https://app.test')$$,
  $$values (2, 0, 0)$$, 'an organizer queues both passes');
select tests.reset_role();
select results_eq(
  format($$select m.channel::text, m.to_address, m.subject is null, m.segments = public.sms_segments(m.body)
           from public.messages m where m.contact_id = %L and m.dedupe_key like 'rsvp_pass:%%'$$, :'ana'),
  $$values ('sms', '+13055550954', true, true)$$,
  'a phone first (the channels'' order): the text has no subject and costs its segments');
select results_eq(
  format($$select m.channel::text, m.to_address, m.subject, m.segments
           from public.messages m where m.contact_id = %L and m.dedupe_key like 'rsvp_pass:%%'$$, :'eve'),
  $$values ('email', 'eve954@example.com', 'Your pass for Rules Day', 1)$$,
  'no phone: the email has its subject and counts one');
select is((select count(*)::int from public.messages where dedupe_key like 'rsvp_pass:00000000-0000-0000-0000-0000000095e1:%'),
  2, 'one pass each');

select * from finish();
rollback;
