-- Templates (merge fields validated on save) and senders (admins manage, organizers read), and
-- the token bucket that paces each sender.
begin;
select plan(30);

select tests.make_messaging_roles();

-- ---------------------------------------------------------------- templates
select tests.act_as('msg_organizer');
select lives_ok($$insert into public.message_templates (name, channel, body) values ('Welcome', 'sms', 'Hi {{first_name | friend}}!')$$,
  'organizer creates a template');
select throws_ok($$insert into public.message_templates (name, channel, body) values ('Typo', 'sms', 'Hi {{frist_name}}!')$$,
  'P0001', 'unknown_merge_field', 'a template with an unknown field is refused');
select throws_ok($$insert into public.message_templates (name, channel, subject, body) values ('Mail', 'email', 'For {{nobody}}', 'x')$$,
  'P0001', 'unknown_merge_field', 'subjects are checked too');
select throws_ok($$insert into public.message_templates (name, channel, body) values ('Mail2', 'email', 'x')$$,
  '23514', null, 'an email template needs a subject');
select throws_ok($$update public.message_templates set body = 'Hi {{first_name' where name = 'Welcome'$$,
  'P0001', 'malformed_merge_field', 'an edit that breaks a field is refused');
select is(tests.row_count($$update public.message_templates set body = 'Hello {{first_name | friend}}' where name = 'Welcome'$$), 1,
  'organizer edits a template');
select is(tests.visible_rows('public.message_templates'), 1::bigint, 'organizer reads templates');
select tests.act_as('msg_admin');
select is(tests.row_count($$delete from public.message_templates where name = 'Welcome'$$), 1, 'admin deletes a template');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.message_templates'), 0::bigint, 'volunteer cannot read templates');
select throws_ok($$insert into public.message_templates (name, channel, body) values ('V', 'sms', 'x')$$, '42501', null, 'volunteer cannot create templates');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.message_templates'), 0::bigint, 'attendee cannot read templates');
select tests.act_as('msg_device');
select throws_ok($$insert into public.message_templates (name, channel, body) values ('D', 'sms', 'x')$$, '42501', null, 'device cannot create templates');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.message_templates$$, '42501', null, 'anon cannot read templates');

-- ---------------------------------------------------------------- senders
select tests.act_as('msg_organizer');
select throws_ok($$insert into public.senders (name, channel, provider, from_number) values ('Org', 'sms', 'twilio', '+13055550100')$$,
  '42501', null, 'organizer cannot add senders');
select tests.act_as('msg_admin');
select lives_ok($$insert into public.senders (name, channel, provider, from_number, mps_segments, daily_cap) values ('Main', 'sms', 'twilio', '+13055550100', 1, 2000)$$,
  'admin adds a Twilio number');
select lives_ok($$insert into public.senders (name, channel, provider, from_email, from_name) values ('Mail', 'email', 'mailersend', 'events@hellomiami.test', 'Hello Miami')$$,
  'admin adds a MailerSend identity');
select throws_ok($$insert into public.senders (name, channel, provider, from_email) values ('Bad', 'sms', 'mailersend', 'x@y.zz')$$,
  '23514', null, 'SMS senders are Twilio');
select throws_ok($$insert into public.senders (name, channel, provider) values ('Bare', 'sms', 'twilio')$$,
  '23514', null, 'a Twilio sender needs a number or a Messaging Service');
select throws_ok($$insert into public.senders (name, channel, provider, from_number, mps_segments) values ('Zero', 'sms', 'twilio', '+13055550101', 0)$$,
  '23514', null, 'MPS must be positive');
select is(tests.row_count($$update public.senders set enabled = false where name = 'Mail'$$), 1, 'admin disables a sender');
select tests.act_as('msg_organizer');
select is(tests.visible_rows('public.senders'), 2::bigint, 'organizer reads senders');
select is(tests.row_count($$update public.senders set mps_segments = 100$$), 0, 'organizer cannot change pacing');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.senders'), 0::bigint, 'volunteer cannot read senders');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.senders$$, '42501', null, 'anon cannot read senders');
select tests.reset_role();
select ok(exists (select 1 from public.audit_log where table_name = 'senders'), 'sender changes are audited');

-- ---------------------------------------------------------------- token bucket
select id as main from public.senders where name = 'Main' \gset
select is((private.lock_sender_bucket(:'main', '2030-01-01 15:00:00+00')).tokens, 1::numeric, 'a new bucket starts full (= MPS)');
select private.save_sender_bucket(row(b.sender_id, 0, b.refilled_at, b.cap_day, b.used_today)::private.sender_rate_buckets)
from private.sender_rate_buckets b where b.sender_id = :'main';
select is((private.lock_sender_bucket(:'main', '2030-01-01 15:00:00.25+00')).tokens, 0.25::numeric, 'it refills at MPS per second');
select is((private.lock_sender_bucket(:'main', '2030-01-01 16:00:00+00')).tokens, 1::numeric, 'and never above the MPS');
-- The bucket's check is private.bucket_refusal (…002100_sending_limits).
select is(private.bucket_refusal(row(:'main', 1, now(), current_date, 0)::private.sender_rate_buckets,
  (select s from public.senders s where s.id = :'main'), 3, 3, false), null, 'a full bucket lets a message longer than the MPS go alone');
select is(private.bucket_refusal(row(:'main', 1, now(), current_date, 1999)::private.sender_rate_buckets,
  (select s from public.senders s where s.id = :'main'), 2, 2, false), 'daily_cap', 'the daily cap stops a message that would cross it');

select * from finish();
rollback;
