-- CSV import (per-row results, dedupe, bad rows never abort), export, merge and GDPR.
begin;
select plan(58);
select tests.clear_people_data();

select tests.make_people_cast();
-- A print station per event: a tag for an event with none is refused (20261125003000_door_stations).
insert into public.events (id, slug, name, starts_at, ends_at, published, default_device_id) values
  ('00000000-0000-0000-0000-0000000000e1', 'jan', 'January', now(), now() + interval '1 hour', true,
   (select id from public.devices where name = 'device')),
  ('00000000-0000-0000-0000-0000000000e2', 'feb', 'February', now(), now() + interval '1 hour', true,
   (select id from public.devices where name = 'device'));
insert into public.contacts (id, phone, email, first_name, tags) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'bob@example.com', 'Bob', '{vip}');

-- ---------------------------------------------------------------- import
select tests.act_as('organizer');
create temporary table imported on commit drop as
select * from public.import_contacts($$[
  {"phone": "(305) 555-0120", "first_name": "Eve", "tags": "speaker; sponsor", "birthday": "07-04"},
  {"email": "BOB@example.com", "company": "Acme", "tags": ["speaker"]},
  {"phone": "+13055550111"},
  {"phone": "not a phone", "first_name": "Bad"},
  {"first_name": "Nobody"},
  {"phone": "3055550121", "shoe": 44},
  {"phone": "3055550122", "email": "bob@example.com"},
  {"email": "fay@example.com", "first_name": "Fay", "birthday": "1990-02-29"},
  {"email": "gus@example.com", "first_name": "Gus", "birthday": "1992-02-29", "custom_fields": {"shirt": "S"}},
  {"phone": "305-555-0120", "last_name": "Adams"},
  "not an object"
]$$::jsonb);
grant select on imported to authenticated;
select results_eq($$select row_number, status from imported order by row_number$$,
  $$values (1, 'inserted'), (2, 'updated'), (3, 'skipped'), (4, 'error'), (5, 'error'), (6, 'error'), (7, 'error'),
           (8, 'error'), (9, 'inserted'), (10, 'updated'), (11, 'error')$$,
  'one result per row: inserted, updated, skipped or error; bad rows do not abort the batch');
select is((select reason from imported where row_number = 4), 'invalid_phone: Not a phone number: not a phone', 'reason for a bad phone');
select is((select reason from imported where row_number = 5), 'invalid_row: A row needs a phone or an email.', 'reason for no address');
select is((select reason from imported where row_number = 6), 'invalid_row: Unknown column: shoe', 'reason for an unknown column');
select ok((select reason from imported where row_number = 7) like 'conflict:%', 'phone and email of two contacts is a conflict');
select ok((select reason from imported where row_number = 8) like '%contacts_birthday_is_a_date%', 'Feb 29 1990 is not a date');
select is((select reason from imported where row_number = 3), 'No changes.', 'an identical row is skipped');
select is((select contact_id from imported where row_number = 2), '00000000-0000-0000-0000-0000000000c1'::uuid,
  'dedupe by email is case-insensitive');
select results_eq($$select company, tags from public.contacts where id = '00000000-0000-0000-0000-0000000000c1'$$,
  $$values ('Acme'::text, '{speaker,vip}'::text[])$$, 'an update fills fields and unions tags');
select results_eq($$select first_name, last_name, tags, birthday_month, birthday_day, birthday_year, source
                      from public.contacts where phone = '+13055550120'$$,
  $$values ('Eve'::text, 'Adams'::text, '{speaker,sponsor}'::text[], 7::smallint, 4::smallint, null::smallint, 'import'::text)$$,
  'inserted contact with parsed phone, tags and a year-less birthday, then updated by phone');
select is((select custom_fields from public.contacts where email = 'gus@example.com'), '{"shirt": "S"}'::jsonb, 'custom fields imported');
select is((select count(*)::int from public.import_contacts('[{"phone": "+13055550111", "first_name": "Robert"}]', false)
            where status = 'skipped' and reason = 'Contact already exists.'), 1, 'p_update_existing false skips existing contacts');
select throws_ok($$select * from public.import_contacts('{}')$$, 'P0001', 'invalid_argument', 'the batch is a JSON array');

select tests.act_as('volunteer');
select throws_ok($$select * from public.import_contacts('[]')$$, 'P0001', 'not_allowed', 'volunteers cannot import');
select tests.act_as('attendee');
select throws_ok($$select * from public.import_contacts('[]')$$, 'P0001', 'not_allowed', 'attendees cannot import');
select tests.act_as('anon');
select throws_ok($$select * from public.import_contacts('[]')$$, '42501', null, 'anon may not call import');
select tests.act_as('service_role');
select is((select status from public.import_contacts('[{"phone": "+13055550123"}]')), 'inserted', 'service_role imports');

-- ---------------------------------------------------------------- export
select tests.act_as('organizer');
select is((select count(*)::int from public.export_contacts()), 5, 'export lists live contacts');
select is((select birthday from public.export_contacts() where phone = '+13055550120'), '07-04', 'year-less birthdays export as MM-DD');
select is((select count(*)::int from public.export_contacts('{"tags_any": ["speaker"]}')), 2, 'export a segment');
select tests.act_as('volunteer');
select throws_ok($$select * from public.export_contacts()$$, 'P0001', 'not_allowed', 'volunteers cannot export');

-- ---------------------------------------------------------------- merge
select tests.reset_role();
insert into public.contacts (id, phone, email, first_name, last_name, company, tags, custom_fields) values
  ('00000000-0000-0000-0000-0000000000d1', '+13055550140', 'robert@work.example', 'Robert', 'Builder', 'Other', '{builder}', '{"shirt": "XL", "team": "red"}');
insert into public.profiles (contact_id, bio) values ('00000000-0000-0000-0000-0000000000d1', 'Builds things');
select tests.act_as('volunteer');
select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000c1');
select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000d1');
select public.check_in('00000000-0000-0000-0000-0000000000e2', p_contact_id => '00000000-0000-0000-0000-0000000000d1');
select tests.act_as('organizer');
insert into public.interactions (contact_id, kind, body) values ('00000000-0000-0000-0000-0000000000d1', 'note', 'Met at the bar');
select tests.act_as('volunteer');
select throws_ok($$select public.merge_contacts('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000d1')$$,
  'P0001', 'not_allowed', 'volunteers cannot merge');
select tests.act_as('organizer');
select throws_ok($$select public.merge_contacts('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000c1')$$,
  'P0001', 'invalid_argument', 'a contact cannot be merged into itself');
select throws_ok($$select public.merge_contacts('00000000-0000-0000-0000-0000000000c1', gen_random_uuid())$$,
  'P0001', 'unknown_contact', 'unknown contacts are refused');
select is((public.merge_contacts('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000d1')).tags,
  '{builder,speaker,vip}'::text[], 'merge unions tags');
select results_eq($$select first_name, last_name, company, phone::text, email, custom_fields from public.contacts
                     where id = '00000000-0000-0000-0000-0000000000c1'$$,
  $$values ('Bob'::text, 'Builder'::text, 'Acme'::text, '+13055550111'::text, 'bob@example.com'::text, '{"shirt": "XL", "team": "red"}'::jsonb)$$,
  'the kept contact keeps its values and gains the missing ones');
select is((select count(*)::int from public.check_ins where contact_id = '00000000-0000-0000-0000-0000000000c1'), 2,
  'check-ins move (one per event)');
select is((select count(*)::int from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1'), 3,
  'all print jobs move');
select is((select count(*)::int from public.interactions where contact_id = '00000000-0000-0000-0000-0000000000c1'), 1,
  'interactions move');
select is((select bio from public.profiles where contact_id = '00000000-0000-0000-0000-0000000000c1'), 'Builds things',
  'the profile moves');
select results_eq($$select merged_into, phone::text, email from public.contacts where id = '00000000-0000-0000-0000-0000000000d1'$$,
  $$values ('00000000-0000-0000-0000-0000000000c1'::uuid, null::text, null::text)$$,
  'the duplicate stays as a pointer to the kept contact');
select throws_ok($$select public.merge_contacts('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000d1')$$,
  'P0001', 'not_mergeable', 'a merged contact cannot be merged again');
select tests.act_as('volunteer');
select is(public.check_in('00000000-0000-0000-0000-0000000000e2', p_contact_id => '00000000-0000-0000-0000-0000000000d1') ->> 'code',
  'already_checked_in', 'a check-in of the merged duplicate lands on the kept contact');

-- ---------------------------------------------------------------- GDPR export
select tests.act_as('attendee');
select is(public.gdpr_export() #>> '{contact,first_name}', 'Ada', 'an attendee exports their own data');
select throws_ok($$select public.gdpr_export('00000000-0000-0000-0000-0000000000c1')$$, 'P0001', 'not_allowed',
  'but not someone else''s');
select tests.act_as('organizer');
select throws_ok($$select public.gdpr_export('00000000-0000-0000-0000-0000000000c1')$$, 'P0001', 'not_allowed',
  'organizers cannot run GDPR exports');
select tests.act_as('admin');
-- The messaging areas add their own sections (consent, messages, conversations).
select ok((select array_agg(k) from jsonb_object_keys(public.gdpr_export('00000000-0000-0000-0000-0000000000c1')) k)
  @> array['check_ins', 'contact', 'generated_at', 'interactions', 'merged_contacts', 'print_jobs', 'profile'],
  'one document with every section');
select is(jsonb_array_length(public.gdpr_export('00000000-0000-0000-0000-0000000000c1') -> 'check_ins'), 2, 'with the check-ins');
select throws_ok($$select public.gdpr_export(gen_random_uuid())$$, 'P0001', 'unknown_contact', 'unknown contact');
select is((select count(*)::int from public.gdpr_requests where kind = 'export'), 3, 'every export is recorded');

-- ---------------------------------------------------------------- GDPR erase
select tests.act_as('organizer');
select throws_ok($$select public.gdpr_erase('00000000-0000-0000-0000-0000000000c1')$$, 'P0001', 'not_allowed',
  'organizers cannot erase');
select tests.act_as('anon');
select throws_ok($$select public.gdpr_erase('00000000-0000-0000-0000-0000000000c1')$$, '42501', null, 'anon may not erase');
select tests.reset_role();
update public.contacts set user_id = tests.get_supabase_uid('stranger') where id = '00000000-0000-0000-0000-0000000000c1';
select tests.act_as('admin');
create temporary table erased on commit drop as
select public.gdpr_erase('00000000-0000-0000-0000-0000000000c1', 'email request') as result;
select is((select result -> 'already_erased' from erased), 'false'::jsonb, 'admin erases a contact');
select is((select (result ->> 'auth_user_id')::uuid from erased), tests.get_supabase_uid('stranger'),
  'the result names the login to delete through the Auth admin API');
select is(public.gdpr_erase('00000000-0000-0000-0000-0000000000c1') -> 'already_erased', 'true'::jsonb, 'erase is idempotent');
select tests.reset_role();
select results_eq($$select first_name, phone::text, email, tags, custom_fields, erased_at is not null from public.contacts
                     where id = '00000000-0000-0000-0000-0000000000c1'$$,
  $$values (null::text, null::text, null::text, '{}'::text[], '{}'::jsonb, true)$$, 'personal fields are gone');
select is((select count(*)::int from public.check_ins where contact_id = '00000000-0000-0000-0000-0000000000c1'), 2,
  'check-ins are kept for aggregate counts');
select is((select count(*)::int from public.print_jobs where contact_id = '00000000-0000-0000-0000-0000000000c1'
            and payload ->> 'display_name' <> 'Erased'), 0, 'label payloads are anonymised');
select is((select count(*)::int from public.interactions where body <> '[erased]'), 0, 'notes are erased');
select is((select count(*)::int from public.profiles where contact_id = '00000000-0000-0000-0000-0000000000c1'), 0, 'profile removed');
select is((select count(*)::int from public.audit_log where table_name = 'contacts'
            and record_id = '00000000-0000-0000-0000-0000000000c1' and (before is not null or after is not null)), 0,
  'the audit trail keeps no personal data of the erased contact');
select is((select note from public.gdpr_requests where kind = 'erase'), 'email request', 'the erase request is recorded');
select tests.act_as('volunteer');
select throws_ok($$select public.check_in('00000000-0000-0000-0000-0000000000e2', p_phone => '+13055550111')$$,
  'P0001', 'unknown_attendee', 'an erased contact cannot be found by phone any more');

-- ---------------------------------------------------------------- gdpr_requests × roles
select tests.act_as('admin');
select is((select count(*)::int from public.gdpr_requests), 4, 'admins read GDPR requests');
select throws_ok($$insert into public.gdpr_requests (kind) values ('export')$$, '42501', null, 'nobody inserts them directly');
select tests.act_as('organizer');
select is((select count(*)::int from public.gdpr_requests), 0, 'organizers read no GDPR requests');
select tests.act_as('attendee');
select is((select count(*)::int from public.gdpr_requests), 0, 'attendees read no GDPR requests');
select tests.act_as('anon');
select throws_ok($$select * from public.gdpr_requests$$, '42501', null, 'anon cannot read GDPR requests');

select * from finish();
rollback;
