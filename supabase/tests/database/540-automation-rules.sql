-- Automations as trigger → action rules: every trigger, both actions, the schedule window, the
-- Feb 29 birthday rule, once per contact, validation, RSVPs and deliveries per role.
begin;
select plan(30);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('rules', 'Hi {{first_name | friend}}, see you at {{event_name | our events}}!') as tpl \gset
select tests.make_contact('+13055550701', 'Ana') as ana \gset
select tests.make_contact('+13055550702', 'Ben') as ben \gset
select tests.make_contact('+13055550703', 'Cy', null) as cy \gset
insert into public.events (name, slug, starts_at, ends_at)
values ('Old Night', 'old-night', '2030-01-10 23:00+00', '2030-01-11 02:00+00') returning id as old_event \gset
insert into public.events (name, slug, starts_at, ends_at)
values ('Demo Night', 'demo-night-rules', '2030-03-10 23:00+00', '2030-03-11 02:00+00') returning id as event \gset
insert into public.events (name, slug, starts_at, ends_at)
values ('Next Night', 'next-night', '2030-03-20 23:00+00', '2030-03-21 02:00+00') returning id as next_event \gset
-- Ben came in January and in March; Ana for the first time in March; Cy only in January.
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  (:'old_event', :'ben', 'staff', '2030-01-10 23:30+00'),
  (:'old_event', :'cy', 'staff', '2030-01-10 23:40+00'),
  (:'event', :'ben', 'staff', '2030-03-10 23:30+00'),
  (:'event', :'ana', 'staff', '2030-03-10 23:45+00');

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok($$select * from public.run_due_automations()$$, '42501', null, 'anon cannot run automations');
select throws_ok($$select count(*) from public.automation_deliveries$$, '42501', null, 'nor read deliveries');
select tests.act_as('msg_volunteer');
select throws_ok($$select * from public.run_due_automations()$$, 'P0001', 'not_allowed', 'volunteers cannot run automations');
select is(tests.visible_rows('public.event_rsvps'), 0::bigint, 'nor see RSVPs');
select throws_ok(format($$insert into public.event_rsvps (event_id, contact_id) values (%L, %L)$$, :'next_event', :'ana'),
  '42501', null, 'nor add them');
select tests.act_as('msg_organizer');
insert into public.event_rsvps (event_id, contact_id) values (:'next_event', :'ana'), (:'next_event', :'cy');
select is(tests.visible_rows('public.event_rsvps'), 2::bigint, 'organizers record RSVPs');

-- ---------------------------------------------------------------- validation
select throws_ok(format($$insert into public.automations (name, kind, channel, template_id, sender_id)
    values ('Lapsed', 'no_check_in', 'sms', %L, %L)$$, :'tpl', :'sender'),
  'P0001', 'invalid_automation', 'no_check_in needs inactive_days');
select throws_ok(format($$insert into public.automations (name, kind, event_id, action, tag)
    values ('B', 'birthday', %L, 'add_tag', 'x')$$, :'event'), 'P0001', 'invalid_automation', 'a birthday names no event');
select throws_ok(format($$insert into public.automations (name, kind, action, tag, template_id)
    values ('T', 'first_check_in', 'add_tag', 'new', %L)$$, :'tpl'), '23514', null, 'add_tag takes a tag, not a template');
select throws_ok($$insert into public.automations (name, kind, action) values ('T', 'first_check_in', 'add_tag')$$,
  '23514', null, 'and needs the tag');
select throws_ok($$insert into public.automations (name, kind, action, tag, window_start) values ('W', 'first_check_in', 'add_tag', 'x', '09:00')$$,
  '23514', null, 'a window has a start and an end');

-- ---------------------------------------------------------------- the rules
insert into public.automations (name, kind, action, tag, delay_hours, lookback_hours)
values ('Tag newcomers', 'first_check_in', 'add_tag', 'newcomer', 1, 72) returning id as newcomer \gset
insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours, lookback_hours, window_start, window_end)
values ('Follow-up', 'after_check_in', 'sms', :'tpl', :'sender', 12, 72, '09:00', '20:00') returning id as followup \gset
insert into public.automations (name, kind, action, tag, inactive_days, lookback_hours)
values ('Lapsed', 'no_check_in', 'add_tag', 'lapsed', 30, 48) returning id as lapsed \gset
insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours)
values ('Reminder', 'before_event', 'sms', :'tpl', :'sender', 24) returning id as reminder \gset
insert into public.automations (name, kind, action, tag) values ('Birthday tag', 'birthday', 'add_tag', 'birthday')
returning id as bday \gset
select tests.reset_role();

-- 2030-03-11 13:00 UTC = 09:00 Miami.
select results_eq($$select a.name, r.enqueued, r.skipped from public.run_due_automations('2030-03-11 13:00+00') r
                    join public.automations a on a.id = r.automation_id order by a.name$$,
  $$values ('Follow-up', 2, 0), ('Tag newcomers', 1, 0)$$,
  'first check-in tags Ana only (Ben came in January); 12 h after their check-ins both get the follow-up');
select is((select tags from public.contacts where id = :'ana'), array['newcomer'], 'the tag is added');
select is((select body from public.messages where automation_id = :'followup' and contact_id = :'ben'), 'Hi Ben, see you at Demo Night!',
  'the follow-up is rendered with the check-in''s event');
select is((select count(*)::int from public.run_due_automations('2030-03-11 14:00+00')), 0, 'running again does nothing twice');
select results_eq(format($$select contact_id, occasion from public.automation_deliveries where automation_id = %L order by 1$$, :'followup'),
  format($$values (%L::uuid, %L), (%L::uuid, %L) order by 1$$, :'ana', :'event', :'ben', :'event'),
  'deliveries record who was acted on, per occasion (the event)');

-- Window: after_check_in for a late check-in, due at 04:00 Miami, waits until 09:00.
insert into public.check_ins (event_id, contact_id, method, checked_in_at)
select :'event', tests.make_contact('+13055550704', 'Dee'), 'staff', '2030-03-11 20:00+00';
select is((select count(*)::int from public.run_due_automations('2030-03-12 08:00+00') where automation_id = :'followup'), 0,
  'due at night: outside the schedule window nothing happens');
select is((select sum(enqueued)::int from public.run_due_automations('2030-03-12 13:30+00') where automation_id = :'followup'), 1,
  'inside the window it goes');

-- no_check_in: Cy's last check-in was 2030-01-10; 30 days later she lapses (once per lapse).
select is((select count(*)::int from public.run_due_automations('2030-02-09 12:00+00') where automation_id = :'lapsed'), 0,
  'not before 30 days');
select is((select sum(enqueued)::int from public.run_due_automations('2030-02-10 00:00+00') where automation_id = :'lapsed'), 1,
  '30 days without a check-in: tagged');
select is((select occasion from public.automation_deliveries where automation_id = :'lapsed' and contact_id = :'cy'),
  'lapsed-2030-01-10', 'the occasion is the lapse (a later lapse acts again)');

-- before_event: 24 h before Next Night, to its RSVPs (Cy has no consent: skipped, logged).
select is((select count(*)::int from public.run_due_automations('2030-03-19 22:00+00') where automation_id = :'reminder'), 0,
  'not earlier than 24 h before');
select results_eq($$select enqueued, skipped from public.run_due_automations('2030-03-19 23:30+00') where automation_id = '$$ || :'reminder' || $$'$$,
  $$values (1, 1)$$, '24 h before: a reminder to each RSVP with consent');
select is((select to_address from public.messages where automation_id = :'reminder'), '+13055550701', 'Ana gets it');

-- Birthday: Feb 29 is celebrated on Feb 28 in a common year, on Feb 29 in a leap year.
update public.contacts set birthday_month = 2, birthday_day = 29 where id = :'ben';
update public.contacts set birthday_month = 2, birthday_day = 28 where id = :'ana';
select is((select sum(enqueued)::int from public.run_due_automations('2031-02-28 15:00+00') where automation_id = :'bday'), 2,
  '2031 (common year): Feb 28 for both Ana and the Feb 29 Ben');
select count(*) from public.run_due_automations('2032-02-28 15:00+00');
select is((select count(*)::int from public.automation_deliveries where automation_id = :'bday' and contact_id = :'ben'
           and occasion = 'birthday-2032'), 0, '2032 (leap year): not on Feb 28 for Ben');
select count(*) from public.run_due_automations('2032-02-29 15:00+00');
select is((select count(*)::int from public.automation_deliveries where automation_id = :'bday' and contact_id = :'ben'
           and occasion = 'birthday-2032'), 1, 'but on Feb 29 (he has the tag already: counted as skipped)');

-- once_per_contact: whatever the occasion, once.
update public.automations set once_per_contact = true where id = :'reminder';
insert into public.event_rsvps (event_id, contact_id) values (:'event', :'ana');
update public.events set starts_at = '2032-03-10 23:00+00', ends_at = '2032-03-11 02:00+00' where id = :'event';
select is((select sum(enqueued)::int from public.run_due_automations('2032-03-10 12:00+00') where automation_id = :'reminder'), 1,
  'once per contact: the first time');
update public.events set starts_at = '2032-03-20 23:00+00', ends_at = '2032-03-21 02:00+00' where id = :'next_event';
select is((select coalesce(sum(enqueued), 0)::int from public.run_due_automations('2032-03-20 12:00+00')
           where automation_id = :'reminder'), 0, 'never again, even for another event');
select is((select count(*)::int from public.automation_deliveries where automation_id = :'reminder' and contact_id = :'ana'
           and occasion = 'once'), 1, 'one delivery for Ana');

select * from finish();
rollback;
