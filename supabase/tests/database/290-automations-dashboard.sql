-- Automations (thank-you after an event, birthday at 10:00 local) through the same consent and
-- quiet-hour rules, with a run log; and the dashboard views.
begin;
select plan(23);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('thanks', 'Thanks for coming to {{event_name}}, {{first_name | friend}}!') as tpl_thanks \gset
select tests.make_template('bday', 'Happy birthday {{first_name | friend}}!') as tpl_bday \gset
select tests.make_contact('+13055550001', 'Ana') as ana \gset
select tests.make_contact('+13055550002', 'Ben', 'opted_out') as ben \gset
select tests.make_contact('+13055550003', 'Cy', null) as cy \gset
select tests.make_contact('+13105550004', 'Lou', 'opted_in', null, null, 'America/Los_Angeles') as lou \gset
insert into public.events (name, slug, starts_at, ends_at)
values ('Demo Night', 'demo-night', '2030-03-10 23:00+00', '2030-03-11 02:00+00') returning id as event \gset
insert into public.check_ins (event_id, contact_id, method)
select :'event', c, 'staff' from unnest(array[:'ana', :'ben', :'cy']::uuid[]) as c;

insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours)
values ('Thank you', 'event_thank_you', 'sms', :'tpl_thanks', :'sender', 12) returning id as thanks \gset
update public.contacts set birthday_month = 3, birthday_day = 12 where id in (:'ana', :'lou');
insert into public.automations (name, kind, channel, template_id, sender_id)
values ('Birthday', 'birthday', 'sms', :'tpl_bday', :'sender') returning id as bday \gset

-- ---------------------------------------------------------------- thank-you
select is((select count(*)::int from public.run_due_automations('2030-03-11 13:00+00') where automation_id = :'thanks'), 0,
  'not before the delay has passed');
select results_eq($$select enqueued, skipped, status from public.run_due_automations('2030-03-11 14:30+00') where automation_id = '$$ || :'thanks' || $$'$$,
  $$values (1, 2, 'completed')$$, '12 h after the event: one thank-you (Ben opted out, Cy never opted in)');
select is((select body from public.messages where automation_id = :'thanks'), 'Thanks for coming to Demo Night, Ana!', 'rendered with the event');
select results_eq(format($$select kind::text, status::text, is_marketing from public.messages where automation_id = %L$$, :'thanks'),
  $$values ('automation', 'queued', true)$$, 'queued as a marketing message: claims recheck consent and quiet hours');
select is((select count(*)::int from public.run_due_automations('2030-03-11 15:00+00') where automation_id = :'thanks'), 0,
  'running again sends nothing twice');
select is((select count(*)::int from public.run_due_automations('2030-03-20 15:00+00') where automation_id = :'thanks'), 0,
  'events past the lookback are not thanked');
select is((select count(*)::int from public.automation_runs where automation_id = :'thanks'), 1, 'the run is logged');

-- ---------------------------------------------------------------- birthday at 10:00 local
select is((select coalesce(sum(enqueued), 0)::int from public.run_due_automations('2030-03-12 14:30+00') where automation_id = :'bday'), 1,
  '10:30 in Miami: Ana''s birthday text (07:30 in Los Angeles: not yet for Lou)');
select is((select coalesce(sum(enqueued), 0)::int from public.run_due_automations('2030-03-12 17:05+00') where automation_id = :'bday'), 1,
  '10:05 in Los Angeles: Lou''s');
select is((select count(*)::int from public.run_due_automations('2030-03-12 20:00+00') where automation_id = :'bday'), 0,
  'one birthday text per year');
select is((select recipient_time_zone from public.messages where automation_id = :'bday' and contact_id = :'lou'), 'America/Los_Angeles',
  'the quiet-hours recheck uses the contact''s zone');
select results_eq($$select m.contact_id from public.claim_outbound_messages('w', 'sms', 10, 30, '2030-03-13 02:00+00') c
                    join public.messages m on m.id = c.message_id where c.kind = 'automation'$$,
  format($$values (%L::uuid)$$, :'lou'),
  'at 21:00 in Miami only Lou''s text (18:00 in Los Angeles) is claimed: quiet hours hold for automations');

-- ---------------------------------------------------------------- refusals and roles
select throws_ok(format($$insert into public.automations (name, kind, channel, template_id, sender_id) values ('Bad', 'birthday', 'email', %L, %L)$$, :'tpl_bday', :'sender'),
  'P0001', 'automation_channel_mismatch', 'template and sender must match the channel');
select tests.act_as('msg_organizer');
select ok(tests.visible_rows('public.automations') = 2 and tests.visible_rows('public.automation_runs') >= 1, 'organizer reads automations and runs');
select ok(tests.visible_rows('public.message_daily_stats') > 0, 'organizer reads the message dashboard');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.automations'), 0::bigint, 'volunteer sees no automations');
select is(tests.visible_rows('public.message_daily_stats'), 0::bigint, 'the dashboard view respects RLS (security_invoker)');
select throws_ok($$select * from public.run_due_automations()$$, 'P0001', 'not_allowed', 'volunteer cannot run automations');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.automations') + tests.visible_rows('public.automation_runs'), 0::bigint, 'attendee sees no automations');
select tests.act_as('msg_device');
select throws_ok(format($$insert into public.automations (name, kind, channel, template_id, sender_id) values ('D', 'birthday', 'sms', %L, %L)$$, :'tpl_bday', :'sender'),
  '42501', null, 'device cannot create automations');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.message_daily_stats$$, '42501', null, 'anon cannot read the dashboard');
select throws_ok($$select count(*) from public.automations$$, '42501', null, 'anon cannot read automations');
select tests.reset_role();
select ok((select bool_and(c.reloptions @> array['security_invoker=true']) from pg_class c
           where c.relname in ('message_daily_stats', 'messaging_daily_rates', 'blast_variant_results')), 'dashboard views are security_invoker');

select * from finish();
rollback;
