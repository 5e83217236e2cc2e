-- RSVPs: the public RSVP form (anon, rate-limited, opt-ins with their disclosure), an import aimed
-- at an event, personal passes through the outbox (once, opted-out addresses skipped), the
-- counters behind the events list, the attendee list's export columns, and Realtime — per role:
-- organizers may, volunteers, attendees and anon may not (anon may only RSVP).
begin;
select plan(48);
select tests.clear_people_data();
select tests.make_people_cast();
truncate public.suppressions, private.rsvp_attempts;
update public.senders set enabled = false;
select tests.make_sms_sender() as sms_sender \gset

insert into public.events (id, slug, name, starts_at, ends_at, time_zone, published, capacity) values
  ('00000000-0000-0000-0000-0000000088e1', 'demo-day', 'Demo Day', now() + interval '3 days',
   now() + interval '3 days 3 hours', 'America/New_York', true, 4),
  ('00000000-0000-0000-0000-0000000088e2', 'draft-day', 'Draft Day', now() + interval '3 days',
   now() + interval '3 days 3 hours', 'America/New_York', false, null),
  ('00000000-0000-0000-0000-0000000088e3', 'last-week', 'Last Week', now() - interval '7 days',
   now() - interval '7 days' + interval '3 hours', 'America/New_York', true, null);
select id as sms_disclosure from public.consent_disclosures where channel = 'sms' and locale = 'en' and retired_at is null \gset
select id as email_disclosure from public.consent_disclosures where channel = 'email' and locale = 'en' and retired_at is null \gset
-- Bo already said STOP; the form's opt-in must not re-subscribe him nor rename him.
select tests.make_contact('+13055558802', 'Bo', 'opted_out') as bo \gset

-- ---------------------------------------------------------------- the public RSVP form (anon)
select tests.act_as('anon');
select is(public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', ' Cleo ', '(305) 555-8801', 'Cleo@Example.com',
                               'Diaz', 'es', :'sms_disclosure', :'email_disclosure') ->> 'status',
  'rsvpd', 'anon RSVPs with a phone typed any way and an email');
select is(public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Robert', '3055558802', null, null, null,
                               :'sms_disclosure') ->> 'status',
  'rsvpd', 'an existing contact RSVPs (the answer does not say whether they were known)');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e2', 'Al', '3055558803')$$,
  'P0001', 'unknown_event', 'an unpublished event takes no RSVPs');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e3', 'Al', '3055558803')$$,
  'P0001', 'event_over', 'an event that has ended takes no RSVPs');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Al', '12')$$,
  'P0001', 'invalid_phone', 'a phone that is not one is refused');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Al', null, 'al@nowhere')$$,
  'P0001', 'invalid_email', 'an email that is not one is refused');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Al')$$,
  'P0001', 'invalid_argument', 'a phone or an email is required');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', ' ', '3055558803')$$,
  'P0001', 'invalid_argument', 'a first name is required');
select throws_ok(format($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Al', null,
                                                       'al@example.com', null, null, %L)$$, :'sms_disclosure'),
  'P0001', 'unknown_disclosure', 'an SMS opt-in without a phone is refused');
select throws_ok(format($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Al', '3055558803',
                                                       null, null, null, %L)$$, :'email_disclosure'),
  'P0001', 'unknown_disclosure', 'a disclosure of the other channel is refused');
select throws_ok($$select * from public.event_rsvps$$, '42501', null, 'anon cannot read RSVPs');

select tests.act_as('service_role');
select results_eq(
  $$select c.first_name, c.last_name, c.email, c.preferred_language, c.source, r.source
      from public.event_rsvps r join public.contacts c on c.id = r.contact_id
     where c.phone = '+13055558801'$$,
  $$values ('Cleo', 'Diaz', 'cleo@example.com', 'es', 'rsvp form', 'form')$$,
  'a new person becomes a contact (trimmed, email lowercased) with a form RSVP');
select results_eq(
  $$select e.channel::text, e.status::text, e.source::text, e.disclosure_id
      from public.consent_events e join public.contacts c on c.id = e.contact_id
     where c.phone = '+13055558801' order by 1$$,
  format($$values ('email', 'opted_in', 'form', %L::uuid), ('sms', 'opted_in', 'form', %L::uuid)$$,
         :'email_disclosure', :'sms_disclosure'),
  'the opt-ins are on the ledger with the disclosure shown');
select results_eq(
  format($$select c.first_name, (select status::text from public.contact_consents cc where cc.contact_id = c.id and cc.channel = 'sms'),
                  exists (select 1 from public.event_rsvps r where r.contact_id = c.id)
             from public.contacts c where c.id = %L$$, :'bo'),
  $$values ('Bo', 'opted_out', true)$$,
  'an existing contact is RSVP''d but neither renamed nor re-subscribed by the form');

-- Five RSVPs an hour per address: the sixth is refused.
select tests.act_as('anon');
select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Cleo', '3055558801') from generate_series(1, 4);
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Cleo', '3055558801')$$,
  'P0001', 'too_many_rsvps', 'the sixth RSVP of one address within the hour is refused');

-- Capacity 4: two RSVPs so far, two more places.
select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Dee', '3055558804');
select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Eve', null, 'eve@example.com');
select throws_ok($$select public.rsvp_to_event('00000000-0000-0000-0000-0000000088e1', 'Fay', '3055558805')$$,
  'P0001', 'event_full', 'a full event takes no more RSVPs');

-- ---------------------------------------------------------------- counters behind the events list
select tests.act_as('service_role');
insert into public.check_ins (event_id, contact_id, method)
select '00000000-0000-0000-0000-0000000088e1', id, 'staff' from public.contacts where phone in ('+13055558801', '+13055550101');
select tests.act_as('organizer');
select results_eq(
  $$select slug, rsvp_count, check_in_count from public.event_overview() order by slug$$,
  $$values ('demo-day', 4, 2), ('draft-day', 0, 0), ('last-week', 0, 0)$$,
  'the overview counts RSVPs (counter) and check-ins');
select lives_ok(format($$delete from public.event_rsvps where contact_id = %L$$, :'bo'), 'an organizer removes an RSVP');
select results_eq($$select rsvp_count, check_in_count from public.event_overview() where slug = 'demo-day'$$,
  $$values (3, 2)$$, 'and the count follows');
select tests.act_as('service_role');
select throws_ok(format($$update public.event_rsvps set event_id = '00000000-0000-0000-0000-0000000088e2' where contact_id = (select id from public.contacts where phone = '+13055558804')$$),
  'P0001', 'invalid_argument', 'an RSVP cannot move to another event (the counter relies on it)');
select tests.act_as('organizer');
select throws_ok($$select * from private.event_rsvp_counts$$, '42501', null, 'organizers cannot read the counter table itself');

-- ---------------------------------------------------------------- the attendee list and its export columns
select results_eq(
  $$select first_name, email, phone, rsvp_source, checked_in_at is not null, method
      from public.event_attendees('00000000-0000-0000-0000-0000000088e1') order by first_name$$,
  $$values ('Ada', null::text, '+13055550101', null::text, true, 'staff'),
           ('Cleo', 'cleo@example.com', '+13055558801', 'form', true, 'staff'),
           ('Dee', null, '+13055558804', 'form', false, null),
           ('Eve', 'eve@example.com', null, 'form', false, null)$$,
  'organizers get email, phone, RSVP source (null = walk-in) and check-in per person');
select tests.act_as('volunteer');
select throws_ok($$select * from public.event_attendees('00000000-0000-0000-0000-0000000088e1')$$,
  'P0001', 'not_allowed', 'volunteers cannot read the attendee list');
select is(tests.visible_rows('public.event_rsvps'), 0::bigint, 'nor RSVPs (so Realtime sends them none)');

-- ---------------------------------------------------------------- an import aimed at an event
select tests.act_as('organizer');
create temporary table ids (id uuid) on commit drop;
grant all on ids to authenticated, service_role;
insert into ids select public.create_contact_import('meetup.csv', array['Name', 'Phone'],
  '[["Gus Ray", "3055558806"], ["Dee Again", "305-555-8804"], ["Bad Phone", "12"]]');
select lives_ok($$select public.set_contact_import_event((select id from ids), '00000000-0000-0000-0000-0000000088e2')$$,
  'an organizer aims a draft import at an event');
select lives_ok($$select public.start_contact_import((select id from ids), '{"Name": "full_name", "Phone": "phone"}')$$,
  'and starts it');
select throws_ok($$select public.set_contact_import_event((select id from ids), null)$$,
  'P0001', 'invalid_transition', 'a started import keeps its event');
select is(public.run_contact_import_chunk((select id from ids), 500), 0, 'the import runs');
select results_eq(
  $$select c.first_name, r.source from public.event_rsvps r join public.contacts c on c.id = r.contact_id
     where r.event_id = '00000000-0000-0000-0000-0000000088e2' order by 1$$,
  $$values ('Dee', 'import'), ('Gus', 'import')$$,
  'the new and the known person are RSVP''d; the row in error is not');
select results_eq($$select rsvp_count from public.event_overview() where slug = 'draft-day'$$, $$values (2)$$,
  'the import''s RSVPs are counted');
select throws_ok($$select public.set_contact_import_event((select id from ids), gen_random_uuid())$$,
  'P0001', 'invalid_transition', 'a started import is refused before the event is looked at');
insert into ids select public.create_contact_import('luma.csv', array['Email'], '[["x@example.com"]]');
select throws_ok($$select public.set_contact_import_event((select id from ids offset 1), gen_random_uuid())$$,
  'P0001', 'unknown_event', 'an unknown event is refused');
select tests.act_as('volunteer');
select throws_ok($$select public.set_contact_import_event((select id from ids offset 1), '00000000-0000-0000-0000-0000000088e1')$$,
  'P0001', 'not_allowed', 'volunteers cannot aim an import');
select tests.act_as('anon');
select throws_ok($$select public.set_contact_import_event(gen_random_uuid(), null)$$, '42501', null,
  'anon cannot call set_contact_import_event');

-- ---------------------------------------------------------------- personal passes
-- Demo Day's RSVPs: Cleo (SMS opted in, email), Dee (phone, consent unknown), Eve (email only).
-- Only an SMS sender exists: Eve cannot be reached yet.
select tests.act_as('organizer');
select results_eq($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000088e1')$$,
  $$values (2, 1, 0)$$, '2 to send, 1 without a usable address (no email sender), none sent');
select tests.act_as('service_role');
select tests.make_email_sender();
insert into public.suppressions (channel, address, reason) values ('sms', '+13055558804', 'invalid_number');
select tests.act_as('organizer');
select results_eq($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000088e1')$$,
  $$values (2, 1, 0)$$, 'a suppressed number counts as without address; Eve is reachable by email now');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e1', 'javascript:alert(1)')$$,
  'P0001', 'invalid_argument', 'the app address must be an http(s) URL');
select results_eq($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e1', 'https://app.hellomiami.test/')$$,
  $$values (2, 1, 0)$$, 'an organizer queues the passes');
select results_eq(
  $$select c.first_name, m.channel::text, m.kind::text, m.is_marketing, m.status::text, m.to_address,
           m.body like '%https://app.hellomiami.test/pass/' || c.qr_token || '%'
      from public.messages m join public.contacts c on c.id = m.contact_id
     where m.dedupe_key like 'rsvp_pass:00000000-0000-0000-0000-0000000088e1:%' order by 1$$,
  $$values ('Cleo', 'sms', 'transactional', false, 'queued', '+13055558801', true),
           ('Eve', 'email', 'transactional', false, 'queued', 'eve@example.com', true)$$,
  'a transactional SMS (else email) with the personal pass link');
select ok((select body from public.messages where to_address = '+13055558801') like '%tu pase para Demo Day%',
  'in the person''s language');
select results_eq($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e1', 'https://app.hellomiami.test')$$,
  $$values (0, 1, 2)$$, 'sending again queues nothing twice');
select results_eq($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000088e1')$$,
  $$values (0, 1, 2)$$, 'the summary says both were sent');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e3', 'https://app.hellomiami.test')$$,
  'P0001', 'event_over', 'no passes for an event that has ended');
select tests.act_as('volunteer');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e1', 'https://app.hellomiami.test')$$,
  'P0001', 'not_allowed', 'volunteers cannot send passes');
select throws_ok($$select * from public.rsvp_pass_summary('00000000-0000-0000-0000-0000000088e1')$$,
  'P0001', 'not_allowed', 'nor count them');
select tests.act_as('attendee');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e1', 'https://app.hellomiami.test')$$,
  'P0001', 'not_allowed', 'attendees cannot send passes');
select tests.act_as('anon');
select throws_ok($$select * from public.send_rsvp_passes('00000000-0000-0000-0000-0000000088e1', 'https://app.hellomiami.test')$$,
  '42501', null, 'anon cannot call send_rsvp_passes');

-- ---------------------------------------------------------------- Realtime
select tests.act_as('service_role');
select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime'
                   and schemaname = 'public' and tablename = 'event_rsvps'), 'event_rsvps is in the Realtime publication');

select * from finish();
rollback;
