-- The set-based import: rows of one file that are the same person (same phone or email after
-- normalisation) are merged with a reason naming the first row — in one chunk, across chunks
-- and in the preview; a conflicting in-file duplicate is a row error; every constraint of the
-- contacts table is a row error, not a failed chunk; consent of duplicates is one ledger entry
-- (an opt-out wins); audited; per role: an organizer can, a volunteer cannot.
begin;
select plan(37);
select tests.clear_people_data();
select tests.make_people_cast();

-- ---------------------------------------------------------------- volunteers and anon cannot
select tests.act_as('volunteer');
select throws_ok($$select * from public.import_contacts('[{"email": "v@example.com"}]')$$,
  'P0001', 'not_allowed', 'volunteers cannot import');
select throws_ok($$select * from private.import_contact_rows('[{"n": 1, "row": {"email": "v@example.com"}}]', true, 'x')$$,
  'P0001', 'not_allowed', 'volunteers cannot call the set-based helper either');
select throws_ok($$select public.run_contact_import_chunk('00000000-0000-0000-0000-000000000000', 10)$$,
  'P0001', 'not_allowed', 'volunteers cannot run a chunk');
select tests.act_as('anon');
select throws_ok($$select * from public.import_contacts('[]')$$, '42501', null, 'anon may not call import_contacts');
select throws_ok($$select public.run_contact_import_chunk('00000000-0000-0000-0000-000000000000', 10)$$,
  '42501', null, 'anon may not run a chunk');
select tests.reset_role();
select is((select count(*) from public.contacts where email = 'v@example.com'), 0::bigint, 'nothing was imported');

-- ---------------------------------------------------------------- in-file duplicates, one batch
select tests.act_as('organizer');
create temp table batch on commit drop as
select * from public.import_contacts($$[
  {"phone": "(305) 555-0191", "email": "ana@example.com", "first_name": "Ana"},
  {"phone": "+1 305 555 0191", "last_name": "Lopez"},
  {"email": "Bo@Example.com", "first_name": "Bo"},
  {"email": "bo@example.com", "company": "Acme"},
  {"phone": "305-555-0191", "email": "other@example.com"},
  {"email": "bad@", "first_name": "Bad email"},
  {"email": "tz@example.com", "time_zone": "not a zone!"},
  {"email": "cf@example.com", "custom_fields": ["not", "an", "object"]},
  {"email": "bm@example.com", "birthday": "13-01"},
  {"email": "by@example.com", "birthday_year": "19x0", "birthday_month": "1", "birthday_day": "2"},
  {"phone": "305 555 0191"}
]$$::jsonb);
grant select on batch to authenticated;
select results_eq($$select row_number, status from batch order by 1$$,
  $$values (1, 'inserted'::text), (2, 'updated'), (3, 'inserted'), (4, 'updated'), (5, 'error'), (6, 'error'),
           (7, 'error'), (8, 'error'), (9, 'error'), (10, 'error'), (11, 'skipped')$$,
  'one result per row; duplicates of an earlier row update its contact');
select is((select count(*) from public.contacts where phone = '+13055550191'), 1::bigint, 'one contact for three spellings of a phone');
select is((select first_name || ' ' || last_name from public.contacts where phone = '+13055550191'), 'Ana Lopez',
  'the duplicate row filled in the first row''s contact');
select is((select reason from batch where row_number = 2), 'same_person_in_file: Same person as row 1 of this file; merged into one contact.',
  'a merged duplicate names the row it merged into');
select is((select reason from batch where row_number = 4), 'same_person_in_file: Same person as row 3 of this file; merged into one contact.',
  'emails are compared case-insensitively');
select is((select reason from batch where row_number = 11), 'same_person_in_file: Same person as row 1 of this file; merged into one contact.',
  'an unchanged duplicate says so too');
select is((select reason from batch where row_number = 5),
  'conflict_in_file: Shares a phone or email with row 1 of this file, but the other one differs (correct one of the two rows).',
  'a duplicate phone with another email is a clear row error');
select is((select contact_id from batch where row_number = 2), (select contact_id from batch where row_number = 1),
  'both rows point at the same contact');
select is((select reason from batch where row_number = 6), 'invalid_row: Not an email address: bad@', 'a bad email is a row error');
select ok((select reason from batch where row_number = 7) like 'invalid_row: Not a time zone name%', 'a bad time zone is a row error');
select is((select reason from batch where row_number = 8), 'invalid_row: Custom fields are a JSON object.', 'custom fields must be an object');
select ok((select reason from batch where row_number = 9) like 'invalid_row: Birthday month 1-12%', 'month 13 is a row error');
select is((select reason from batch where row_number = 10), 'invalid_row: Birthday year, month and day are numbers.',
  'a birthday part that is not a number is a row error');
select is((select count(*) from public.contacts where email in ('bad@', 'tz@example.com', 'cf@example.com', 'bm@example.com', 'by@example.com')),
  0::bigint, 'bad rows created nobody');
select tests.reset_role();
select ok((select count(*) from public.audit_log where table_name = 'contacts' and action = 'insert'
            and after ->> 'phone' = '+13055550191') = 1, 'inserted contacts are audited per row');
select ok(exists (select 1 from public.audit_log where table_name = 'contacts' and action = 'update'
                   and after ->> 'last_name' = 'Lopez'), 'merged updates are audited per row');

-- ---------------------------------------------------------------- the job: preview and chunks
select tests.act_as('organizer');
create temp table ids (id uuid) on commit drop;
grant all on ids to authenticated;
insert into ids select public.create_contact_import('dupes.csv', array['Name', 'Email', 'Mobile', 'SMS'],
  '[["Cy One", "cy@example.com", "(786) 555-0150", "yes"],
    ["Dee", "dee@example.com", "", "yes"],
    ["Cy Two", "CY@example.com", "", "no"],
    ["Dee Again", "", "", "yes"],
    ["Eli", "eli@example.com", "786-555-0150", ""],
    ["Dee Three", "dee@example.com", "", "yes"]]'::jsonb);
select results_eq($$select row_number, outcome, reason from public.preview_contact_import((select id from ids),
    '{"Name": "full_name", "Email": "email", "Mobile": "phone", "SMS": "consent_sms"}')$$,
  $$values (1, 'new'::text, null::text),
           (2, 'new', null),
           (3, 'updated', 'same_person_in_file: Same person as row 1 of this file; merged into one contact.'),
           (4, 'error', 'invalid_row: A row needs a phone or an email.'),
           (5, 'error', 'conflict_in_file: Shares a phone or email with row 1 of this file, but the other one differs (correct one of the two rows).'),
           (6, 'updated', 'same_person_in_file: Same person as row 2 of this file; merged into one contact.')$$,
  'the preview shows in-file duplicates and their conflicts per row');
select is((select count(*) from public.contacts where email in ('cy@example.com', 'dee@example.com')), 0::bigint,
  'the preview created nobody');
select lives_ok($$select public.start_contact_import((select id from ids),
    '{"Name": "full_name", "Email": "email", "Mobile": "phone", "SMS": "consent_sms"}', 'meetup', 'Meetup RSVP form, 2026')$$,
  'started');
select throws_ok($$select public.run_contact_import_chunk((select id from ids), 0)$$,
  'P0001', 'invalid_argument', 'a chunk of 0 rows is refused');
select is((select processed_rows from public.contact_imports where id = (select id from ids)), 0, 'the refused chunk changed nothing');
-- Chunks of two: row 3 duplicates row 1 of the first chunk, row 6 row 2.
select is(public.run_contact_import_chunk((select id from ids), 2), 4, 'first chunk');
select is(public.run_contact_import_chunk((select id from ids), 2), 2, 'second chunk');
select is(public.run_contact_import_chunk((select id from ids), 2), 0, 'last chunk');
select results_eq($$select row_number, status, reason from public.contact_import_rows order by 1$$,
  $$values (1, 'inserted'::text, null::text),
           (2, 'inserted', null),
           (3, 'updated', 'same_person_in_file: Same person as row 1 of this file; merged into one contact.'),
           (4, 'error', 'invalid_row: A row needs a phone or an email.'),
           (5, 'error', 'conflict: The matching contact has a different phone or email (edit or merge it by hand).'),
           (6, 'updated', 'same_person_in_file: Same person as row 2 of this file; merged into one contact.')$$,
  'duplicates across chunks are merged and say so');
select results_eq($$select inserted_rows, updated_rows, skipped_rows, error_rows, status from public.contact_imports
                    where id = (select id from ids)$$,
  $$values (2, 2, 0, 2, 'done'::text)$$, 'counters');
select tests.reset_role();
select is((select count(*) from public.contacts where email = 'cy@example.com'), 1::bigint, 'one contact for a person listed twice');
select results_eq($$select c.email, e.status::text, e.note from public.consent_events e join public.contacts c on c.id = e.contact_id
                    where c.email in ('cy@example.com', 'dee@example.com') order by 1, e.id$$,
  $$values ('cy@example.com'::text, 'opted_in'::text, 'Meetup RSVP form, 2026'::text),
           ('cy@example.com', 'opted_out', 'Meetup RSVP form, 2026'),
           ('dee@example.com', 'opted_in', 'Meetup RSVP form, 2026')$$,
  'consent: the later opt-out of a duplicate is recorded, a repeated opt-in is not');

-- ---------------------------------------------------------------- one batch: an opt-out wins
select tests.act_as('organizer');
create temp table ids2 (id uuid) on commit drop;
grant all on ids2 to authenticated;
insert into ids2 select public.create_contact_import('same.csv', array['Email', 'SMS'],
  '[["fay@example.com", "no"], ["FAY@example.com", "yes"]]'::jsonb);
select lives_ok($$select public.start_contact_import((select id from ids2), '{"Email": "email", "SMS": "consent_sms"}', 'x', 'proof')$$,
  'started');
select is(public.run_contact_import_chunk((select id from ids2), 10), 0, 'one chunk');
select tests.reset_role();
select results_eq($$select e.status::text from public.consent_events e join public.contacts c on c.id = e.contact_id
                    where c.email = 'fay@example.com'$$,
  $$values ('opted_out'::text)$$, 'an opt-out and an opt-in for one person in one chunk: only the opt-out');

select * from finish();
rollback;
