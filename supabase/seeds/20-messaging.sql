-- Demo messaging (Data model II), on top of 10-people-events.sql's contacts and events.
--
-- Consent for most contacts (imported opt-ins, a few STOPs, a landline and a bounced mailbox),
-- templates, two senders (a Twilio number and a MailerSend identity; any value works against
-- the local provider simulators), a completed SMS blast with delivery results and an A/B split,
-- a few inbox conversations (questions, a HELP, a STOP) with staff replies, and two automations.

-- ---------------------------------------------------------------- senders and templates
insert into public.senders (name, channel, provider, from_number, mps_segments, daily_cap, use_for_transactional)
values ('Hello Miami main number', 'sms', 'twilio', '+17865550100', 1, 2000, true);
insert into public.senders (name, channel, provider, from_email, from_name, reply_to, mps_segments)
values ('Hello Miami events email', 'email', 'mailersend', 'events@hellomiami.org', 'Hello Miami',
        'hello@hellomiami.org', 2);

insert into public.message_templates (name, channel, subject, body, created_by)
select t.name, t.channel::public.message_channel, t.subject, t.body,
       (select id from auth.users where email = 'organizer@hellomiami.local')
  from (values
    ('Event reminder', 'sms', null,
     'Hi {{first_name | there}}! {{event_name | Our next meetup}} is on {{event_date | Thursday}} at The LAB Miami. See you there! Reply STOP to opt out.'),
    ('Event reminder (short)', 'sms', null,
     '{{first_name | Hey}}, {{event_name | our meetup}} is {{event_date | Thursday}} 🎉 Reply STOP to opt out.'),
    ('Thank you for coming', 'sms', null,
     'Thanks for coming to {{event_name | Hello Miami}}, {{first_name | friend}}! Slides and photos are on our site. Reply STOP to opt out.'),
    ('Happy birthday', 'sms', null,
     'Happy birthday, {{first_name | friend}}! From all of us at {{org_name}}. Reply STOP to opt out.'),
    ('Monthly newsletter', 'email', 'What''s on at {{org_name}} this month, {{first_name | friend}}',
     'Hi {{first_name | there}},' || chr(10) || chr(10) || 'Here is what is coming up at Hello Miami this month.')
  ) as t (name, channel, subject, body);

-- ---------------------------------------------------------------- consent and suppressions
-- Imported opt-ins for nine in ten phone numbers; the rest stay unknown.
insert into public.consent_events (contact_id, channel, status, source, note, created_at)
select c.id, 'sms', 'opted_in', 'import', 'Opted in on the 2025 sign-up form', c.created_at
  from (select id, created_at, row_number() over (order by phone) as n from public.contacts where phone is not null) c
 where c.n % 10 <> 0;
insert into public.suppressions (channel, address, reason, note)
values ('sms', '+13055550119', 'not_textable', 'Twilio 30006: landline'),
       ('email', (select lower(email) from public.contacts where email is not null order by phone offset 7 limit 1),
        'hard_bounce', 'Mailbox does not exist');

-- ---------------------------------------------------------------- a completed blast (A/B)
insert into public.blasts (name, channel, sms_sender_id, segment_id, event_id, created_by)
values ('February Demo Night reminder', 'sms',
        (select id from public.senders where name = 'Hello Miami main number'),
        (select id from public.segments where name = 'Regulars with a phone'),
        (select id from public.events where slug = 'february-demo-night'),
        (select id from auth.users where email = 'organizer@hellomiami.local'));
insert into public.blast_variants (blast_id, channel, label, template_id, weight)
select b.id, 'sms', v.label, t.id, 50
  from public.blasts b
  cross join (values ('A', 'Event reminder'), ('B', 'Event reminder (short)')) as v (label, template)
  join public.message_templates t on t.name = v.template
 where b.name = 'February Demo Night reminder';
select public.start_blast(id) from public.blasts where name = 'February Demo Night reminder';

-- What the workers and Twilio's callbacks would have recorded, 31 days ago: mostly delivered,
-- a few carrier failures.
insert into public.messages (direction, kind, channel, status, contact_id, sender_id, blast_id, blast_recipient_id,
                             to_address, from_address, body, segments, is_marketing, recipient_time_zone,
                             provider_id, provider_status, error_code, attempts, created_at, sent_at, delivered_at,
                             failed_at)
select 'outbound', 'blast', 'sms', s.status::public.message_status, r.contact_id, b.sms_sender_id, b.id, r.id,
       r.to_address, '+17865550100', r.body, public.sms_segments(r.body), true, r.time_zone,
       'SMseed' || lpad(r.id::text, 26, '0'), s.status, s.error_code, 1,
       t.at, t.at + interval '2 seconds',
       case when s.status = 'delivered' then t.at + interval '5 seconds' end,
       case when s.status <> 'delivered' then t.at + interval '30 seconds' end
  from public.blast_recipients r
  join public.blasts b on b.id = r.blast_id
  cross join lateral (select date_trunc('day', now()) - interval '31 days' + interval '15 hours'
                             + make_interval(secs => r.id % 600) as at) t
  cross join lateral (select case when r.id % 17 = 0 then 'undelivered' when r.id % 23 = 0 then 'failed' else 'delivered' end as status,
                             case when r.id % 17 = 0 then '30003' when r.id % 23 = 0 then '30007' end as error_code) s
 where b.name = 'February Demo Night reminder';
update public.blast_recipients r set status = 'materialised', message_id = m.id, segments = m.segments
  from public.messages m where m.blast_recipient_id = r.id;
update public.blasts
   set status = 'completed', started_at = date_trunc('day', now()) - interval '31 days' + interval '15 hours',
       completed_at = date_trunc('day', now()) - interval '31 days' + interval '15 hours 10 minutes'
 where name = 'February Demo Night reminder';

-- ---------------------------------------------------------------- inbox
-- Inbound texts go through the webhook path exactly as the Twilio worker sends them.
select public.process_webhook_event(e.event_id)
  from (values ('SMseedin01', '+13055550104', 'Hi! Is parking available at the venue tonight?', 1),
               ('SMseedin02', '+13055550121', 'Can I bring a friend who is not registered?', 2),
               ('SMseedin03', '+13055550133', 'HELP', 3),
               ('SMseedin04', '+13055550142', 'STOP', 4),
               ('SMseedin05', '+13055550104', 'Also, is there food? 🌮', 5),
               ('SMseedin06', '+19545550177', 'Hey, a friend gave me this number. What is Hello Miami?', 6)) as t (sid, sender, body, n)
  cross join lateral public.store_webhook_event('twilio', t.sid, 'sms_inbound',
    jsonb_build_object('MessageSid', t.sid, 'From', t.sender, 'To', '+17865550100', 'Body', t.body,
                       'NumMedia', '0')) as e
 order by t.n;

-- Staff replies, written as the organizer (session-level identity, as in 10-people-events.sql).
select set_config('request.jwt.claims', json_build_object('sub', id, 'role', 'authenticated')::text, false)
  from auth.users where email = 'organizer@hellomiami.local';
select public.send_conversation_reply(v.id, r.body)
  from (values ('+13055550104', 'Yes, free parking behind the building. And tacos! 🌮'),
               ('+13055550121', 'Of course, they can register at the door.')) as r (phone, body)
  join public.contacts c on c.phone = r.phone
  join public.conversations v on v.contact_id = c.id;
select set_config('request.jwt.claims', '', false);
-- Delivered already (the simulator would have said so).
update public.messages set status = 'sent', provider_id = 'SMseedout' || right(id::text, 12), sent_at = now()
 where kind = 'conversation' and direction = 'outbound' and status = 'queued';
update public.messages set status = 'delivered' where kind = 'conversation' and direction = 'outbound' and status = 'sent';
update public.conversations v set assigned_to = (select id from auth.users where email = 'organizer@hellomiami.local')
  from public.contacts c where c.id = v.contact_id and c.phone = '+13055550104';

-- ---------------------------------------------------------------- automations
insert into public.automations (name, kind, channel, template_id, sender_id, delay_hours, created_by)
select 'Thank-you after every event', 'event_thank_you', 'sms', t.id, s.id, 12,
       (select id from auth.users where email = 'organizer@hellomiami.local')
  from public.message_templates t, public.senders s
 where t.name = 'Thank you for coming' and s.name = 'Hello Miami main number';
insert into public.automations (name, kind, channel, template_id, sender_id, window_start, window_end, created_by)
select 'Birthday text', 'birthday', 'sms', t.id, s.id, '10:00', '20:00',
       (select id from auth.users where email = 'organizer@hellomiami.local')
  from public.message_templates t, public.senders s
 where t.name = 'Happy birthday' and s.name = 'Hello Miami main number';
