-- GDPR erase that completes: the admin's erase and the attendee's request leave an open request
-- naming the files and login; the worker (service role) claims it under a lease, retries, completes.
begin;
select plan(38);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_attendee('bea', '13055550102', 'Bea');
select id as ada from public.contacts where phone = '+13055550101' \gset
select id as bea from public.contacts where phone = '+13055550102' \gset

-- Ada has a note with a file, an avatar, and sent us an MMS picture stored in our Storage.
insert into public.interactions (contact_id, kind, body, attachments)
values (:'ada', 'note', 'Allergic to peanuts',
        jsonb_build_array(jsonb_build_object('path', :'ada' || '/scan.pdf', 'name', 'scan.pdf')));
insert into public.profiles (contact_id, bio, avatar_path)
values (:'ada', 'Builds robots', tests.get_supabase_uid('attendee') || '/avatar.png');

-- ---------------------------------------------------------------- who may erase and claim
select tests.act_as('organizer');
select throws_ok(format('select public.gdpr_erase(%L)', :'ada'), 'P0001', 'not_allowed', 'organizers cannot erase');
select throws_ok('select * from public.claim_erasure_requests()', '42501', null, 'organizers cannot claim erasures');
select tests.act_as('volunteer');
select throws_ok('select * from public.claim_erasure_requests()', '42501', null, 'volunteers cannot claim erasures');
select throws_ok(format('select public.record_erasure_done(%L)', gen_random_uuid()), '42501', null,
  'volunteers cannot complete erasures');
select tests.act_as('admin');
select throws_ok('select * from public.claim_erasure_requests()', '42501', null,
  'even admins cannot claim: only the worker''s service role');
select throws_ok(format('select public.record_erasure_failed(%L, %L)', gen_random_uuid(), 'x'), '42501', null,
  'nor record failures');
select tests.act_as('anon');
select throws_ok('select * from public.claim_erasure_requests()', '42501', null, 'anon cannot claim erasures');

-- ---------------------------------------------------------------- admin erase
select tests.act_as('admin');
select throws_ok(format('select public.gdpr_erase(%L)', gen_random_uuid()), 'P0001', 'unknown_contact',
  'an unknown contact is refused');
create temporary table erased on commit drop as select public.gdpr_erase(:'ada', 'asked by email') as result;
select is((select result -> 'already_erased' from erased), 'false'::jsonb, 'admin erases Ada');
select results_eq(
  format($$select completed_at is null, rows_erased_at is not null, auth_user_id, storage_objects
             from public.gdpr_requests where id = %L$$, (select result ->> 'request_id' from erased)),
  format($$values (true, true, %L::uuid, array[%L, %L])$$, tests.get_supabase_uid('attendee'),
         'attachments/' || :'ada' || '/scan.pdf', 'avatars/' || tests.get_supabase_uid('attendee') || '/avatar.png'),
  'the request stays open, naming the login and the files the worker must delete');
select is((select storage_prefixes from public.gdpr_requests where contact_id = :'ada'),
  array['attachments/' || :'ada' || '/', 'avatars/' || tests.get_supabase_uid('attendee') || '/'],
  'and the folders to empty (files no row points at any more)');
select is((select first_name from public.contacts where id = :'ada'), null, 'the rows are anonymised at once');
select is((select count(*)::int from public.audit_log where table_name = 'interactions'
            and (before::text like '%peanuts%' or after::text like '%peanuts%')), 0,
  'the audit trail of her notes keeps no personal data');
select is((public.gdpr_erase(:'ada') ->> 'request_id'), (select result ->> 'request_id' from erased),
  'erasing again answers with the same request');
select is((select count(*)::int from public.gdpr_requests where contact_id = :'ada'), 1, 'and files no second one');

-- ---------------------------------------------------------------- attendee request, same path
select tests.act_as('bea');
select lives_ok('select public.request_my_erasure()', 'Bea asks for her data to be deleted');

-- ---------------------------------------------------------------- the worker
select tests.act_as('service_role');
select throws_ok('select * from public.claim_erasure_requests(0)', 'P0001', 'invalid_argument', 'a zero limit is refused');
create temporary table claimed on commit drop as select * from public.claim_erasure_requests(10, 60);
select is((select count(*)::int from claimed), 2, 'the worker claims both open erasures');
select is((select first_name from public.contacts where id = :'bea'), null,
  'claiming the attendee''s request anonymised her rows');
select is((select auth_user_id from claimed where contact_id = :'bea'), tests.get_supabase_uid('bea'),
  'and names her login');
select is((select attempts from claimed where contact_id = :'ada'), 1, 'an attempt is counted');
select is((select count(*)::int from public.claim_erasure_requests(10, 60)), 0, 'a leased request is not claimed twice');

select is((select next_attempt_at > now() and last_error = 'storage: 503'
             from public.record_erasure_failed((select id from claimed where contact_id = :'bea'), 'storage: 503')),
  true, 'a failed attempt is retried later, with its reason');
select is((select count(*)::int from public.claim_erasure_requests(10, 60)), 0, 'not before its backoff');
update public.gdpr_requests set next_attempt_at = now() where contact_id = :'bea';
select is((select attempts from public.claim_erasure_requests(10, 60)), 2, 'then it is claimed again');

-- A worker that died: its lease ran out, the next claim takes the request over.
update public.gdpr_requests set claimed_until = now() - interval '1 second' where contact_id = :'ada';
select is((select contact_id from public.claim_erasure_requests(10, 60)), :'ada'::uuid,
  'an expired lease is claimed again');

select isa_ok(public.record_erasure_done((select id from claimed where contact_id = :'ada')), 'public.gdpr_requests',
  'the worker completes Ada''s erasure');
select throws_ok(format('select public.record_erasure_done(%L)', (select id from claimed where contact_id = :'ada')),
  'P0001', 'unknown_erasure', 'completing twice is refused');
select throws_ok(format('select public.record_erasure_failed(%L, %L)', gen_random_uuid(), 'x'),
  'P0001', 'unknown_erasure', 'an unknown request is refused');
select is((select count(*)::int from public.audit_log where action = 'gdpr_erase_completed'), 1,
  'the completion is audited');
select is((select count(*)::int from public.audit_log where action = 'gdpr_erase'), 1,
  'the admin''s erase is audited');

-- ---------------------------------------------------------------- who sees progress
select tests.act_as('admin');
select results_eq(format('select completed_at is not null, last_error from public.gdpr_requests where contact_id = %L', :'ada'),
  $$values (true, null::text)$$, 'admins see the erasure completed');
select is((select last_error from public.gdpr_requests where contact_id = :'bea'), 'storage: 503',
  'and why another one is still retrying');
select tests.act_as('organizer');
select is(tests.visible_rows('public.gdpr_requests'), 0::bigint, 'organizers see no erasure requests');
select tests.act_as('volunteer');
select is(tests.visible_rows('public.gdpr_requests'), 0::bigint, 'volunteers see no erasure requests');
select tests.act_as('bea');
select is(tests.visible_rows('public.gdpr_requests'), 0::bigint, 'attendees see none of the log');

select tests.reset_role();
select has_index('public', 'gdpr_requests', 'gdpr_requests_due_erase_idx', 'due erasures are indexed');
select ok((select count(*) = 1 from pg_catalog.pg_publication_tables
            where pubname = 'supabase_realtime' and tablename = 'gdpr_requests'), 'erasure progress streams live');

select * from finish();
rollback;
