-- One language per contact: contacts.language (the read-only mirror) is gone, and what a person
-- chooses (preferred_language) is what the HELP/START auto-replies and the email preview speak.
-- Per role: an attendee sets their own, an organizer sets anyone's, a volunteer nobody's;
-- volunteers cannot preview, anon cannot call the preview.
begin;
select plan(9);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_sms_sender() as sender \gset
select id as ada from public.contacts where phone = '+13055550101' \gset

select hasnt_column('public', 'contacts', 'language', 'the mirror column is gone');

select tests.act_as('attendee');
update public.contacts set preferred_language = 'es' where id = :'ada';
select tests.reset_role();
select ok(tests.receive_sms('SMlg1', '+13055550101', 'HELP') ->> 'reply' like '%Responde STOP%',
  'the attendee chose Spanish on their page: HELP is answered in Spanish');

select tests.act_as('organizer');
select ok(public.preview_email_template('Hola', :'ada', 'Asunto') ->> 'html' like '%lang="es"%',
  'the email preview is in it too');
update public.contacts set preferred_language = 'en' where id = :'ada';
select ok(public.preview_email_template('Hi', :'ada', 'Subject') ->> 'html' like '%lang="en"%',
  'an organizer changes it, the preview follows');
select tests.reset_role();
select ok(tests.receive_sms('SMlg2', '+13055550101', 'HELP') ->> 'reply' not like '%Responde STOP%',
  'and so does HELP');

update public.contacts set preferred_language = null where id = :'ada';
select ok(tests.receive_sms('SMlg3', '+13055550101', 'AYUDA') ->> 'reply' like '%Responde STOP%',
  'no language chosen: a Spanish keyword is answered in Spanish');

select tests.act_as('volunteer');
update public.contacts set preferred_language = 'es' where id = :'ada';
select tests.reset_role();
select is((select preferred_language from public.contacts where id = :'ada'), null, 'a volunteer changes nobody''s language');
select tests.act_as('volunteer');
select throws_ok(format($$select public.preview_email_template('Hi', %L, 'S')$$, :'ada'), 'P0001', 'not_allowed',
  'volunteers cannot preview an email');
select tests.act_as('anon');
select throws_ok(format($$select public.preview_email_template('Hi', %L, 'S')$$, :'ada'), '42501', null,
  'anon cannot call the preview');

select * from finish();
rollback;
