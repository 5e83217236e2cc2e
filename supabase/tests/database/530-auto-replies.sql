-- Auto-replies as settings, answered in the contact's language: who reads and edits them, what
-- a HELP answer must contain, and which language each contact is answered in.
begin;
select plan(20);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_contact('+13055550601', 'Ana') as ana \gset
select tests.make_contact('+13055550602', 'Beto') as beto \gset
update public.contacts set preferred_language = 'es' where id = :'beto';

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok($$select count(*) from public.auto_replies$$, '42501', null, 'anon cannot read auto-replies');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.auto_replies'), 0::bigint, 'volunteers see none');
select tests.act_as('msg_organizer');
select is(tests.visible_rows('public.auto_replies'), 4::bigint, 'organizers read all four (help, opt_in × en, es)');
update public.auto_replies set body = 'Changed by an organizer STOP {{contact_address}}' where kind = 'help';
select tests.act_as('msg_admin');
select ok((select bool_and(body not like 'Changed by an organizer%') from public.auto_replies), 'organizers cannot edit them');
update public.auto_replies set body = '{{org_name}}: help in English. Reply STOP to opt out. Write to {{contact_address}}.'
 where kind = 'help' and language = 'en';
select is((select body from public.auto_replies where kind = 'help' and language = 'en'),
  '{{org_name}}: help in English. Reply STOP to opt out. Write to {{contact_address}}.', 'admins edit them');
select throws_ok($$insert into public.auto_replies (kind, language, body) values ('help', 'fr', 'Aide STOP {{contact_address}}')$$,
  '42501', null, 'the set of replies is fixed: no inserts through the API');
select throws_ok($$delete from public.auto_replies$$, '42501', null, 'nor deletes');

-- ---------------------------------------------------------------- bad input
select throws_ok($$update public.auto_replies set body = 'Ayuda: {{contact_address}}' where kind = 'help' and language = 'es'$$,
  'P0001', 'help_reply_incomplete', 'a HELP answer must say how to opt out');
select throws_ok($$update public.auto_replies set body = 'Reply STOP to opt out.' where kind = 'help' and language = 'en'$$,
  'P0001', 'help_reply_incomplete', 'and give the contact address');
select throws_ok($$update public.auto_replies set body = 'Hi {{first_name}}, welcome back' where kind = 'opt_in' and language = 'en'$$,
  'P0001', 'unknown_merge_field', 'unknown merge fields are refused');
select throws_ok($$update public.auto_replies set body = repeat('x', 321) where kind = 'opt_in' and language = 'en'$$,
  '23514', null, 'at most 320 characters');
select throws_ok($$update public.contacts set preferred_language = 'fr'$$, '23514', null, 'a contact''s language is en or es');
select is((select count(*)::int from public.auto_replies where body in ('Reply STOP to opt out.', 'Ayuda: {{contact_address}}')
                                      or body like 'Hi {{first_name}}%' or char_length(body) > 320), 0,
  'refusals changed nothing');
select tests.reset_role();

-- ---------------------------------------------------------------- answered in the contact's language
select is(tests.receive_sms('SMar1', '+13055550601', 'HELP') ->> 'reply',
  'Hello Miami: help in English. Reply STOP to opt out. Write to hello@hellomiami.org.',
  'an English (unknown language) contact gets the English HELP, filled in');
select ok(tests.receive_sms('SMar2', '+13055550602', 'HELP') ->> 'reply' like 'Hello Miami: eventos de la comunidad en Miami. Responde STOP%hello@hellomiami.org%',
  'a Spanish-speaking contact gets the Spanish HELP');
select ok(tests.receive_sms('SMar3', '+13055550603', 'Ayuda') ->> 'reply' like '%Responde STOP%',
  'AYUDA from a stranger is answered in Spanish');
select is(tests.receive_sms('SMar4', '+13055550604', 'info') ->> 'reply' like '%Reply STOP%', true,
  'INFO from a stranger is answered in the default language (English)');
update public.messaging_settings set default_language = 'es';
select ok(tests.receive_sms('SMar5', '+13055550605', 'info') ->> 'reply' like '%Responde STOP%',
  'unless the organisation''s default is Spanish');
select tests.receive_sms('SMar6', '+13055550602', 'STOP') ->> 'reply' as none \gset
select ok(tests.receive_sms('SMar7', '+13055550602', 'UNSTOP') ->> 'reply' like 'Vuelves a recibir los mensajes de Hello Miami%',
  'our own START confirmation in Spanish');
select is((select count(*)::int from public.messages where kind = 'auto_reply' and to_address = '+13055550602'), 2,
  'both answers are kept in Beto''s conversation');

select * from finish();
rollback;
