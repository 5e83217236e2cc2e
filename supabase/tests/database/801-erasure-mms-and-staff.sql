-- GDPR erase: the MMS copies a person sent us (message-media bucket) are named for the worker to
-- delete, and a contact whose login is a staff member's is not erased until that access is
-- disabled — per role: admins erase, organizers and volunteers cannot; a staff member cannot file
-- their own erase request while their access is active, and the worker holds back one filed before.
begin;
select plan(19);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_sms_sender();
select id as ada from public.contacts where phone = '+13055550101' \gset

-- Ada texted two pictures: the first is copied into our bucket, the second's copy is not recorded yet.
select tests.reset_role();
select public.process_webhook_event(event_id) ->> 'message_id' as mms_copied from public.store_webhook_event('twilio', 'MMerase1',
  'sms_inbound', jsonb_build_object('MessageSid', 'MMerase1', 'From', '+13055550101', 'To', '+13055550100', 'Body', 'Look',
  'NumMedia', '1', 'MediaUrl0', 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MMerase1/Media/ME1')) \gset
select public.process_webhook_event(event_id) ->> 'message_id' as mms_pending from public.store_webhook_event('twilio', 'MMerase2',
  'sms_inbound', jsonb_build_object('MessageSid', 'MMerase2', 'From', '+13055550101', 'To', '+13055550100', 'Body', 'And this',
  'NumMedia', '1', 'MediaUrl0', 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MMerase2/Media/ME2')) \gset
select tests.act_as('service_role');
select public.record_inbound_media(:'mms_copied', array['message-media/inbound/' || :'mms_copied' || '/0.jpg']);

-- ---------------------------------------------------------------- who may erase
select tests.act_as('organizer');
select throws_ok(format('select public.gdpr_erase(%L)', :'ada'), 'P0001', 'not_allowed', 'organizers cannot erase');
select tests.act_as('volunteer');
select throws_ok(format('select public.gdpr_erase(%L)', :'ada'), 'P0001', 'not_allowed', 'volunteers cannot erase');
select tests.act_as('anon');
select throws_ok(format('select public.gdpr_erase(%L)', :'ada'), '42501', null, 'anon cannot erase');

-- ---------------------------------------------------------------- MMS copies
select tests.act_as('admin');
select lives_ok(format('select public.gdpr_erase(%L)', :'ada'), 'an admin erases Ada');
select ok((select ('message-media/inbound/' || :'mms_copied' || '/0.jpg') = any(storage_objects)
             from public.gdpr_requests where contact_id = :'ada'),
  'the copy of her picture in message-media is named for the worker to delete');
select ok((select array['message-media/inbound/' || :'mms_copied' || '/', 'message-media/inbound/' || :'mms_pending' || '/']
                  <@ storage_prefixes
             from public.gdpr_requests where contact_id = :'ada'),
  'and both pictures'' folders, so a copy not yet recorded on its message goes too');
select is((select count(*)::int from public.gdpr_requests r, unnest(r.storage_objects || r.storage_prefixes) o
            where r.contact_id = :'ada' and o like 'message-media/outbound/%'), 0,
  'replies we sent (our own files) are not hers to erase');
select is((select count(*)::int from public.messages where contact_id = :'ada' and cardinality(media_urls) > 0), 0,
  'the messages no longer point at any picture');

-- ---------------------------------------------------------------- staff members
-- The organizer is also a contact (same login), e.g. they once checked in at an event.
select tests.reset_role();
insert into public.contacts (phone, first_name, user_id)
values ('+13055550199', 'Olga', tests.get_supabase_uid('organizer')) returning id as olga \gset

select tests.act_as('admin');
select throws_ok(format('select public.gdpr_erase(%L)', :'olga'), 'P0001', 'contact_is_staff',
  'erasing a contact who signs in as active staff is refused');
select is((select first_name from public.contacts where id = :'olga'), 'Olga', 'and changes nothing');
select is((select count(*)::int from public.gdpr_requests where contact_id = :'olga'), 0, 'nor files a request');

select tests.act_as('organizer');
select throws_ok('select public.request_my_erasure()', 'P0001', 'contact_is_staff',
  'a staff member cannot file their own erase request while their access is active');

select tests.reset_role();
update public.staff set status = 'invited' where user_id = tests.get_supabase_uid('organizer');
select tests.act_as('admin');
select throws_ok(format('select public.gdpr_erase(%L)', :'olga'), 'P0001', 'contact_is_staff',
  'an invited staff member is refused too (the invitation would still sign in)');

-- A request filed before the person became staff: the worker's claim holds it back, saying why.
select tests.reset_role();
insert into public.gdpr_requests (contact_id, kind, note) values (:'olga', 'erase', 'asked before joining the staff');
select tests.act_as('service_role');
select is((select count(*)::int from public.claim_erasure_requests(50, 60) where contact_id = :'olga'), 0,
  'the worker does not claim the erase request of someone who is staff now');
select results_eq(format($$select last_error, next_attempt_at > now() + interval '9 minutes', rows_erased_at is null
                             from public.gdpr_requests where contact_id = %L$$, :'olga'),
  $$values ('contact_is_staff: disable their staff access first', true, true)$$,
  'it stays open with the reason, retried later');
select is((select first_name from public.contacts where id = :'olga'), 'Olga', 'and her login and data are untouched');

select tests.reset_role();
update public.staff set status = 'disabled' where user_id = tests.get_supabase_uid('organizer');
select tests.act_as('admin');
select lives_ok(format('select public.gdpr_erase(%L)', :'olga'), 'once their access is disabled, the admin erases');
select results_eq(format($$select auth_user_id, last_error, next_attempt_at <= now()
                             from public.gdpr_requests where contact_id = %L$$, :'olga'),
  format($$values (%L::uuid, null::text, true)$$, tests.get_supabase_uid('organizer')),
  'the held-back request is carried out: the worker is told to delete the login, now');
select is((select first_name from public.contacts where id = :'olga'), null, 'the contact is anonymised');

select * from finish();
rollback;
