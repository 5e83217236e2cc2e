-- The add-sender form: admins insert Twilio numbers, Messaging Services and MailerSend
-- identities under RLS; the table's checks refuse bad values (nothing is added) and every insert
-- is audited; organizers, volunteers and anon cannot add one.
begin;
select plan(15);
select tests.clear_people_data();
select tests.make_people_cast();

-- ---------------------------------------------------------------- admins add
select tests.act_as('admin');
select lives_ok($$insert into public.senders (name, channel, provider, from_number)
                  values ('Form number', 'sms', 'twilio', '+13055550142')$$,
  'admin adds a Twilio number');
select lives_ok($$insert into public.senders (name, channel, provider, messaging_service_sid, mps_segments, daily_cap)
                  values ('Form service', 'sms', 'twilio', 'MG0123456789abcdef0123456789abcdef', 3, 500)$$,
  'admin adds a Messaging Service with its pace and cap');
select tests.act_as('owner');
select lives_ok($$insert into public.senders (name, channel, provider, from_email, from_name, reply_to)
                  values ('Form email', 'email', 'mailersend', 'team@form.example', 'Hello Miami', 'hi@form.example')$$,
  'owner adds a MailerSend identity');
select tests.act_as('admin');
select row_eq($$select action, after ->> 'name', actor_id from public.audit_log
                 where table_name = 'senders' and after ->> 'name' = 'Form service'$$,
  row('insert'::text, 'Form service'::text, tests.get_supabase_uid('admin')),
  'the insert is audited with who added it');

-- ---------------------------------------------------------------- bad values
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
                   values ('Bad number', 'sms', 'twilio', '305 555')$$,
  null, null, 'a number that is not E.164 is refused');
select throws_ok($$insert into public.senders (name, channel, provider, messaging_service_sid)
                   values ('Bad service', 'sms', 'twilio', 'MG123')$$,
  '23514', null, 'a Messaging Service SID that is not MG + 32 hex is refused');
select throws_ok($$insert into public.senders (name, channel, provider)
                   values ('No address', 'sms', 'twilio')$$,
  '23514', null, 'a Twilio sender needs a number or a Messaging Service');
select throws_ok($$insert into public.senders (name, channel, provider, from_email)
                   values ('Bad email', 'email', 'mailersend', 'not an email')$$,
  '23514', null, 'a from address that is not an email is refused');
select throws_ok($$insert into public.senders (name, channel, provider, from_number, mps_segments)
                   values ('Zero pace', 'sms', 'twilio', '+13055550143', 0)$$,
  '23514', null, 'a pace of zero is refused');
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
                   values ('Form number', 'sms', 'twilio', '+13055550144')$$,
  '23505', null, 'a second sender with the same name is refused');
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
                   values ('Same number', 'sms', 'twilio', '+13055550142')$$,
  '23505', null, 'a second sender with the same number is refused');
select is((select count(*)::int from public.senders where name like 'Form %' or name in
            ('Bad number', 'Bad service', 'No address', 'Bad email', 'Zero pace', 'Same number')), 3,
  'refused senders left nothing behind');

-- ---------------------------------------------------------------- others cannot
select tests.act_as('organizer');
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
                   values ('Organizer number', 'sms', 'twilio', '+13055550145')$$,
  '42501', null, 'organizer cannot add a sender');
select tests.act_as('volunteer');
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
                   values ('Volunteer number', 'sms', 'twilio', '+13055550146')$$,
  '42501', null, 'volunteer cannot add a sender');
select tests.act_as('anon');
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
                   values ('Anon number', 'sms', 'twilio', '+13055550147')$$,
  '42501', null, 'anon cannot add a sender');

select * from finish();
rollback;
