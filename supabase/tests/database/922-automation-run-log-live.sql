-- The automations run log: each run keeps what it did (the action as its automation was set when
-- it ran), and the log is in Realtime; only organizers and above read it.
begin;
select plan(10);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('run log thanks', 'Thanks {{first_name | friend}}!') as tpl \gset
select tests.make_contact('+13055550925', 'Ana') as ana \gset
insert into public.events (name, slug, starts_at, ends_at)
values ('Demo Night', 'demo-night-run-log', '2030-03-10 23:00+00', '2030-03-11 02:00+00') returning id as event \gset
insert into public.check_ins (event_id, contact_id, method, checked_in_at)
values (:'event', :'ana', 'staff', '2030-03-10 23:45+00');

select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime'
                  and schemaname = 'public' and tablename = 'automation_runs'), 'the run log is in Realtime');

select tests.act_as('msg_organizer');
insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours, lookback_hours)
values ('Thank-you', 'after_check_in', 'sms', :'tpl', :'sender', 12, 72) returning id as thanks \gset
insert into public.automations (name, kind, action, tag, delay_hours, lookback_hours)
values ('Tag newcomers', 'first_check_in', 'add_tag', 'newcomer', 1, 72) returning id as newcomer \gset
select is((select count(*)::int from public.run_due_automations('2030-03-11 16:00+00')), 2, 'an organizer runs both automations');

select results_eq(format($$select action, channel::text, template_name, tag, enqueued from public.automation_runs
                          where automation_id = %L$$, :'thanks'),
  $$values ('send_template', 'sms', 'run log thanks', null::text, 1)$$,
  'a send run says which template it sent on which channel, and to how many');
select results_eq(format($$select action, channel::text, template_name, tag, enqueued from public.automation_runs
                          where automation_id = %L$$, :'newcomer'),
  $$values ('add_tag', null::text, null::text, 'newcomer', 1)$$,
  'a tag run says which tag it added');

-- What the automation did then stays, whatever it is set to do later.
update public.message_templates set name = 'renamed' where id = :'tpl';
update public.automations set action = 'add_tag', tag = 'later', template_id = null, sender_id = null, channel = null
 where id = :'thanks';
select results_eq(format($$select action, template_name, tag from public.automation_runs where automation_id = %L$$, :'thanks'),
  $$values ('send_template', 'run log thanks', null::text)$$,
  'a logged run keeps the action it carried out');

select tests.act_as('msg_admin');
select is(tests.visible_rows('public.automation_runs'), 2::bigint, 'admins read the log');

-- ---------------------------------------------------------------- denied
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.automation_runs'), 0::bigint, 'volunteers read no runs');
select throws_ok(format($$insert into public.automation_runs (automation_id, occasion, started_at, status)
    values (%L, 'x', now(), 'completed')$$, :'thanks'), '42501', null, 'nor write any');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.automation_runs'), 0::bigint, 'attendees read no runs');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.automation_runs$$, '42501', null, 'anon cannot read the log');

select * from finish();
rollback;
