-- The attendee list and the passes panel as joins (20261128040000_event_lists_cost): each RSVP's
-- pass address follows the same rules as before — SMS, else email; an opt-out, an active
-- suppression (a lifted one no longer counts) or a channel without an enabled sender moves it
-- on; erased and merged people are left out; a pass already queued is "sent" — and a first-timer
-- is someone with no check-in before this one anywhere. Per role: organizers read both,
-- volunteers and attendees are refused, anon cannot call them.
begin;
select plan(14);
select tests.clear_people_data();
select tests.make_people_cast();
truncate public.suppressions;
update public.senders set enabled = false;
select tests.make_sms_sender();

insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000097e1', 'big-night', 'Big Night', now() - interval '1 hour', now() + interval '2 hours', true),
  ('00000000-0000-0000-0000-0000000097e2', 'last-month', 'Last Month', now() - interval '30 days', now() - interval '30 days' + interval '3 hours', true),
  ('00000000-0000-0000-0000-0000000097e3', 'next-month', 'Next Month', now() + interval '30 days', now() + interval '30 days 3 hours', true);

-- Six people who RSVP'd: Sam (texts fine), Oli (opted out of texts, has email), Pat (phone
-- suppressed, email suppressed in another case), Lee (phone suppressed, lifted), Em (email only,
-- opted out of email), Gone (erased).
select tests.make_contact('+13055559701', 'Sam') as sam \gset
select tests.make_contact('+13055559702', 'Oli', 'opted_out', 'oli@example.com') as oli \gset
select tests.make_contact('+13055559703', 'Pat', 'opted_in', 'pat@example.com') as pat \gset
select tests.make_contact('+13055559704', 'Lee', 'opted_in') as lee \gset
select tests.make_contact(null, 'Em', null, 'em@example.com', 'opted_out') as em \gset
select tests.make_contact('+13055559706', 'Gone') as gone \gset
update public.contacts set erased_at = now() where id = :'gone';
insert into public.suppressions (channel, address, reason) values
  ('sms', '+13055559703', 'not_textable'), ('email', 'pat@example.com', 'hard_bounce');
insert into public.suppressions (channel, address, reason, lifted_at) values ('sms', '+13055559704', 'not_textable', now());
insert into public.event_rsvps (event_id, contact_id)
select '00000000-0000-0000-0000-0000000097e1', unnest(array[:'sam', :'oli', :'pat', :'lee', :'em', :'gone']::uuid[]);

select results_eq(
  $$select c.first_name, r.channel::text, r.address, r.sent
      from private.rsvp_pass_recipients('00000000-0000-0000-0000-0000000097e1') r
      join public.contacts c on c.id = r.contact_id order by 1$$,
  $$values ('Em', null, null, false), ('Lee', 'sms', '+13055559704', false), ('Oli', null, null, false),
           ('Pat', null, null, false), ('Sam', 'sms', '+13055559701', false)$$,
  'SMS only (no email sender): opt-outs and active suppressions leave people without an address; a lifted one does not; the erased are left out');

select tests.make_email_sender();
select results_eq(
  $$select c.first_name, r.channel::text, r.address
      from private.rsvp_pass_recipients('00000000-0000-0000-0000-0000000097e1') r
      join public.contacts c on c.id = r.contact_id order by 1$$,
  $$values ('Em', null, null), ('Lee', 'sms', '+13055559704'), ('Oli', 'email', 'oli@example.com'),
           ('Pat', null, null), ('Sam', 'sms', '+13055559701')$$,
  'with an email sender, an SMS opt-out falls back to email; both addresses suppressed, or email opted out, leave none');

update public.contacts set email = 'Sam@Example.com' where id = :'sam';
update public.senders set enabled = false where channel = 'sms';
insert into public.suppressions (channel, address, reason) values ('email', 'sam@example.com', 'unsubscribed');
select results_eq(
  $$select c.first_name, r.channel::text from private.rsvp_pass_recipients('00000000-0000-0000-0000-0000000097e1') r
      join public.contacts c on c.id = r.contact_id where r.channel is not null order by 1$$,
  $$values ('Oli', 'email')$$,
  'no SMS sender: email only, and a suppression matches an email whatever its case');
update public.senders set enabled = true where channel = 'sms';

select tests.act_as('organizer');
select results_eq($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000097e1')$$,
  $$values (3, 2, 0)$$, 'an organizer: 3 passes to send (Sam, Lee, Oli), 2 without an address (Pat, Em)');
select results_eq($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000097e1', 'https://app.hellomiami.test')$$,
  $$values (3, 2, 0)$$, 'the same three are queued');
select results_eq($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000097e1')$$,
  $$values (0, 2, 3)$$, 'and then count as sent');

-- ---------------------------------------------------------------- first-timers
-- Sam came last month (returning, in tonight); Oli is in tonight for the first time; Lee is not
-- in yet but came last month (returning); Pat comes next month only (a first-timer tonight);
-- Walk (no RSVP) walks in tonight for the first time.
select tests.act_as('service_role');
select tests.make_contact('+13055559707', 'Walk') as walk \gset
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000097e2', :'sam', 'qr', now() - interval '30 days'),
  ('00000000-0000-0000-0000-0000000097e2', :'lee', 'qr', now() - interval '30 days'),
  ('00000000-0000-0000-0000-0000000097e3', :'pat', 'qr', now() + interval '30 days'),
  ('00000000-0000-0000-0000-0000000097e1', :'sam', 'qr', now() - interval '20 minutes'),
  ('00000000-0000-0000-0000-0000000097e1', :'oli', 'phone', now() - interval '10 minutes'),
  ('00000000-0000-0000-0000-0000000097e1', :'walk', 'phone', now());
select tests.act_as('organizer');
select results_eq(
  $$select first_name, rsvp_at is not null, checked_in_at is not null, first_timer
      from public.event_attendees('00000000-0000-0000-0000-0000000097e1')$$,
  $$values ('Walk', false, true, true), ('Oli', true, true, true), ('Sam', true, true, false),
           ('Em', true, false, true), ('Gone', true, false, true), ('Lee', true, false, false), ('Pat', true, false, true)$$,
  'latest arrival first; a check-in last month makes a returner (in or not yet), one next month does not');

-- ---------------------------------------------------------------- who may read them
select tests.act_as('volunteer');
select throws_ok($$select * from public.event_attendees('00000000-0000-0000-0000-0000000097e1')$$,
  'P0001', 'not_allowed', 'volunteers cannot read the attendee list');
select throws_ok($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000097e1')$$,
  'P0001', 'not_allowed', 'nor the passes panel');
select throws_ok($$select * from private.rsvp_pass_recipients('00000000-0000-0000-0000-0000000097e1')$$,
  '42501', null, 'nor call the private helper');
select tests.act_as('attendee');
select throws_ok($$select * from public.event_attendees('00000000-0000-0000-0000-0000000097e1')$$,
  'P0001', 'not_allowed', 'attendees cannot read the attendee list');
select throws_ok($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000097e1')$$,
  'P0001', 'not_allowed', 'nor the passes panel');
select tests.act_as('anon');
select throws_ok($$select * from public.event_attendees('00000000-0000-0000-0000-0000000097e1')$$,
  '42501', null, 'anon cannot call event_attendees');
select throws_ok($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000097e1')$$,
  '42501', null, 'nor rsvp_pass_summary');

select * from finish();
rollback;
