-- What the senders and settings screens rely on: admins change a sender's pace and the
-- organisation's settings under RLS, the database refuses bad values, and every change is
-- audited with the row before and after; organizers only read.
begin;
select plan(15);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_sms_sender('Screen test', '+13055550177', 1, 1000);

-- ---------------------------------------------------------------- senders
select tests.act_as('admin');
select is(tests.row_count($$update public.senders set daily_cap = 250, mps_segments = 3 where name = 'Screen test'$$), 1,
  'admin changes a sender''s cap and pace');
select row_eq($$select (before ->> 'daily_cap')::int, (after ->> 'daily_cap')::int, actor_id from public.audit_log
                 where table_name = 'senders' and action = 'update' order by id desc limit 1$$,
  row(1000, 250, tests.get_supabase_uid('admin')), 'the change is audited with before and after');
select throws_ok($$update public.senders set daily_cap = 0 where name = 'Screen test'$$, '23514', null,
  'a cap of zero is refused');
select throws_ok($$update public.senders set mps_segments = -1 where name = 'Screen test'$$, '23514', null,
  'a negative pace is refused');
select throws_ok($$update public.senders set quiet_start = '09:00', quiet_end = null where name = 'Screen test'$$, '23514', null,
  'half a send window is refused');
select is((select daily_cap from public.senders where name = 'Screen test'), 250, 'refused changes left nothing behind');

select tests.act_as('organizer');
select is((select count(*)::int from public.senders where name = 'Screen test'), 1, 'organizer reads senders');
select is(tests.row_count($$update public.senders set daily_cap = 1 where name = 'Screen test'$$), 0,
  'organizer cannot change a sender');
select tests.act_as('volunteer');
select is((select count(*)::int from public.senders where name = 'Screen test'), 0, 'volunteer reads no senders');

-- ---------------------------------------------------------------- settings
select tests.act_as('admin');
select is(tests.row_count($$update public.messaging_settings set quiet_start = '10:00', auto_pause_failure_rate = 0.3 where id$$), 1,
  'admin changes the settings');
select row_eq($$select before ->> 'quiet_start', after ->> 'quiet_start' from public.audit_log
                 where table_name = 'messaging_settings' order by id desc limit 1$$,
  row('09:00:00'::text, '10:00:00'::text), 'the settings change is audited');
select throws_ok($$update public.messaging_settings set auto_pause_failure_rate = 1.5 where id$$, '23514', null,
  'a rate above 100% is refused');
select throws_ok($$update public.messaging_settings set org_time_zone = 'not a zone' where id$$, '23514', null,
  'a malformed time zone is refused');
select tests.act_as('organizer');
select is(tests.row_count($$update public.messaging_settings set quiet_start = '06:00' where id$$), 0,
  'organizer cannot change the settings');
select tests.act_as('attendee');
select is((select count(*)::int from public.messaging_settings), 0, 'attendee reads no settings');

select * from finish();
rollback;
