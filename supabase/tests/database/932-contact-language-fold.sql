-- One language per contact: what an attendee chooses on their page (preferred_language) is what
-- auto-replies answer in; `language` is only its read-only mirror — nobody, whatever their role,
-- writes it, and a volunteer cannot change anyone's language.
begin;
select plan(7);
select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_sms_sender() as sender \gset
select id as ada from public.contacts where phone = '+13055550101' \gset

select tests.act_as('attendee');
update public.contacts set preferred_language = 'es' where id = :'ada';
select tests.reset_role();
select is((select language from public.contacts where id = :'ada'), 'es', 'the attendee''s choice on their page is the one language');
select ok(tests.receive_sms('SMlf1', '+13055550101', 'HELP') ->> 'reply' like '%Responde STOP%',
  'and HELP is answered in it');

select tests.act_as('attendee');
select throws_ok($$update public.contacts set language = 'en'$$, '428C9', null, 'an attendee cannot write the mirror');
select tests.act_as('organizer');
select throws_ok(format($$update public.contacts set language = 'en' where id = %L$$, :'ada'), '428C9', null,
  'nor can an organizer');
update public.contacts set preferred_language = 'en' where id = :'ada';
select is((select language from public.contacts where id = :'ada'), 'en', 'an organizer changes preferred_language, the mirror follows');
select tests.act_as('volunteer');
update public.contacts set preferred_language = 'es' where id = :'ada';
select tests.reset_role();
select is((select preferred_language from public.contacts where id = :'ada'), 'en', 'a volunteer changes nobody''s language');
select tests.act_as('service_role');
select throws_ok($$insert into public.contacts (first_name, language) values ('Zed', 'es')$$, '428C9', null,
  'the workers'' role cannot write it either');

select * from finish();
rollback;
