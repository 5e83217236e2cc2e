-- CSV import jobs: staging with a guessed mapping, a preview that changes nothing, start
-- (mapping validated, consent needs its proof), chunks claimed with skip locked that resume
-- without duplicates, per-row outcomes, consent recorded with the proof, audit — per role: an
-- organizer can, a volunteer cannot.
begin;
select plan(26);
select tests.clear_people_data();
select tests.make_people_cast();
insert into public.contacts (phone, email, first_name) values ('+13055550177', 'old@example.com', 'Old');
insert into public.consent_events (contact_id, channel, status, source)
select id, 'sms', 'opted_out', 'keyword' from public.contacts where email = 'old@example.com';

-- ---------------------------------------------------------------- volunteers cannot
select tests.act_as('volunteer');
select throws_ok($$select public.create_contact_import('a.csv', array['Email'], '[["x@example.com"]]')$$,
  'P0001', 'not_allowed', 'volunteers cannot stage an import');
select is((select count(*) from public.contact_imports), 0::bigint, 'volunteers read no imports');
select tests.act_as('anon');
select throws_ok($$select public.create_contact_import('a.csv', array['Email'], '[["x@example.com"]]')$$,
  '42501', null, 'anon may not call create_contact_import');

-- ---------------------------------------------------------------- staging and the guessed mapping
select tests.act_as('organizer');
select throws_ok($$select public.create_contact_import('a.csv', array['Email', 'Email'], '[["x"]]')$$,
  'P0001', 'invalid_argument', 'duplicate headers are refused');
select throws_ok($$insert into public.contact_imports (file_name, headers) values ('x', '{a}')$$,
  '42501', null, 'staff do not write import tables directly');
create temp table ids (id uuid);
grant all on ids to authenticated;
insert into ids select public.create_contact_import('luma.csv',
  array['Name', 'Email', 'Phone Number', 'SMS opt-in', 'Shirt'],
  '[["Ana Lopez", "ana@example.com", "(305) 555-0123", "yes", "M"],
    ["Old Friend", "old@example.com", "", "yes", ""],
    ["Bad Phone", "", "123", "", ""],
    ["Ana Again", "ana@example.com", "", "maybe", ""],
    ["Ben", "ben@example.com", "", "no", "L"]]'::jsonb, 'contact-imports/luma.csv');
select results_eq($$select mapping, total_rows, status from public.contact_imports$$,
  $$values ('{"Name": "full_name", "Email": "email", "Phone Number": "phone", "SMS opt-in": "consent_sms", "Shirt": "-"}'::jsonb, 5, 'draft'::text)$$,
  'rows staged, mapping guessed from Luma-style headers');

-- ---------------------------------------------------------------- preview changes nothing
select results_eq($$select row_number, outcome from public.preview_contact_import((select id from ids),
    '{"Name": "full_name", "Email": "email", "Phone Number": "phone", "SMS opt-in": "consent_sms", "Shirt": "custom:shirt"}')$$,
  $$values (1, 'new'::text), (2, 'updated'), (3, 'error'), (4, 'error'), (5, 'new')$$,
  'preview: new, an existing contact updated (its last name), a bad phone, an unreadable consent cell');
select is((select count(*) from public.contacts where email in ('ana@example.com', 'ben@example.com')), 0::bigint,
  'the preview created nobody');
select is((select last_name from public.contacts where email = 'old@example.com'), null, 'the preview changed nobody');
select throws_ok($$select * from public.preview_contact_import((select id from ids), '{"Name": "first_name"}')$$,
  'P0001', 'invalid_argument', 'a mapping without phone or email is refused');
select throws_ok($$select * from public.preview_contact_import((select id from ids), '{"Nope": "email"}')$$,
  'P0001', 'invalid_argument', 'a mapping naming a missing column is refused');

-- ---------------------------------------------------------------- start
select throws_ok($$select public.start_contact_import((select id from ids),
    '{"Name": "full_name", "Email": "email", "Phone Number": "phone", "SMS opt-in": "consent_sms"}')$$,
  'P0001', 'invalid_argument', 'a consent column without its proof is refused');
select throws_ok($$select public.run_contact_import_chunk((select id from ids), 2)$$,
  'P0001', 'invalid_transition', 'a draft does not run');
select lives_ok($$select public.start_contact_import((select id from ids),
    '{"Name": "full_name", "Email": "email", "Phone Number": "phone", "SMS opt-in": "consent_sms", "Shirt": "custom:shirt"}',
    'luma', 'Ticked the SMS box on the Luma page, March 2026')$$, 'started with a source and the consent proof');
select is((select status from public.contact_imports), 'running', 'running');
select throws_ok($$select public.start_contact_import((select id from ids), '{"Email": "email"}')$$,
  'P0001', 'invalid_transition', 'an import starts once');

-- ---------------------------------------------------------------- chunks
select tests.act_as('volunteer');
select throws_ok($$select public.run_contact_import_chunk('00000000-0000-0000-0000-000000000000', 2)$$,
  'P0001', 'not_allowed', 'volunteers cannot run an import');
select tests.act_as('organizer');
select is(public.run_contact_import_chunk((select id from ids), 2), 3, 'a chunk of two; three pending');
select is(public.run_contact_import_chunk((select id from ids), 2), 1, 'next chunk');
select is(public.run_contact_import_chunk((select id from ids), 2), 0, 'last chunk');
select is(public.run_contact_import_chunk((select id from ids), 2), 0, 'running again finds nothing (no duplicates)');
select results_eq($$select row_number, status from public.contact_import_rows order by 1$$,
  $$values (1, 'inserted'::text), (2, 'updated'), (3, 'error'), (4, 'error'), (5, 'inserted')$$,
  'per-row outcomes');
select results_eq($$select status, processed_rows, inserted_rows, updated_rows, error_rows from public.contact_imports$$,
  $$values ('done'::text, 5, 2, 1, 2)$$, 'counters and status');
select tests.act_as('service_role');
select results_eq($$select first_name, last_name, phone::text, source, custom_fields from public.contacts
                   where email = 'ana@example.com'$$,
  $$values ('Ana'::text, 'Lopez'::text, '+13055550123'::text, 'luma'::text, '{"shirt": "M"}'::jsonb)$$,
  'a full name split, the phone parsed by the server, source and custom field kept');
select results_eq($$select c.email, e.status::text, e.source::text, e.note from public.consent_events e
                   join public.contacts c on c.id = e.contact_id order by 1$$,
  $$values ('ana@example.com'::text, 'opted_in'::text, 'import'::text, 'Ticked the SMS box on the Luma page, March 2026'::text),
           ('ben@example.com', 'opted_out', 'import', 'Ticked the SMS box on the Luma page, March 2026'),
           ('old@example.com', 'opted_out', 'keyword', null)$$,
  'consent recorded from the consent column with its proof; an imported opt-in never overrides a STOP');
select is((select array_agg(action order by id) from public.audit_log where table_name = 'contact_imports'),
  array['contact_import_staged', 'contact_import_started', 'contact_import_finished'], 'the import is audited');

select * from finish();
rollback;
