-- The plain-text part of an email: public.email_text, and version 3 of the workers' claim, which
-- returns it in the recipient's language next to the HTML part.
begin;
select plan(15);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sms_sender \gset
select tests.make_email_sender() as mail_sender \gset
select tests.make_contact('+13055550921', 'Ana', 'opted_in', 'ana@example.test', 'opted_in') as ana \gset
select tests.make_contact('+13055550922', 'Beto', 'opted_in', 'beto@example.test', 'opted_in') as beto \gset
update public.contacts set preferred_language = 'es' where id = :'beto';

-- ---------------------------------------------------------------- the renderer
select is(public.email_text('Hi', 'en', 'https://app.test/u?t=1'),
  E'Hi\n\nUnsubscribe or change your preferences: https://app.test/u?t=1', 'English: the unsubscribe line after a blank line');
select is(public.email_text('Hola', 'es', 'https://app.test/u?t=1'),
  E'Hola\n\nDarte de baja o cambiar tus preferencias: https://app.test/u?t=1', 'Spanish: the line in Spanish');
select is(public.email_text('Hi', 'fr', 'https://app.test/u'),
  E'Hi\n\nUnsubscribe or change your preferences: https://app.test/u', 'another language: English');
select is(public.email_text('A test'), 'A test', 'without a link (transactional) the text unchanged');
select is(public.email_text(null, 'es', null), '', 'no text, no link: empty');

-- ---------------------------------------------------------------- the claim (version 3)
insert into public.messages (direction, kind, channel, status, contact_id, sender_id, to_address, from_address, subject, body, is_marketing)
values ('outbound', 'automation', 'email', 'queued', :'ana', :'mail_sender', 'ana@example.test', 'events@hellomiami.test',
        'Hi', 'Hello Ana', true),
       ('outbound', 'automation', 'email', 'queued', :'beto', :'mail_sender', 'beto@example.test', 'events@hellomiami.test',
        'Hola', 'Hola Beto {{unsubscribe_url}}', true),
       ('outbound', 'transactional', 'email', 'queued', null, :'mail_sender', 'staff@example.test', 'events@hellomiami.test',
        'Test', 'A test', false),
       ('outbound', 'transactional', 'sms', 'queued', null, :'sms_sender', '+13055550999', '+13055550100',
        null, 'A text', false);

select tests.act_as('anon');
select throws_ok($$select * from public.claim_outbound_messages_v3('w', 'email')$$, '42501', null, 'anon cannot claim');
select tests.act_as('msg_organizer');
select throws_ok($$select * from public.claim_outbound_messages_v3('w', 'email')$$, '42501', null, 'staff cannot claim');
select tests.act_as('msg_device');
select throws_ok($$select * from public.claim_outbound_messages_v3('w', 'email')$$, '42501', null, 'devices cannot claim');

select tests.act_as('service_role');
create temp table claimed on commit drop as
  select * from public.claim_outbound_messages_v3('w', 'email', 10, 30, '2026-12-01 17:00:00+00');
select is((select count(*)::int from claimed), 3, 'the workers claim the three emails');
select is((select text_part from claimed where to_address = 'ana@example.test'),
  E'Hello Ana\n\nUnsubscribe or change your preferences: {{unsubscribe_url}}',
  'a marketing email''s plain text ends with the unsubscribe line, linked to the {{unsubscribe_url}} the worker fills in');
select is((select text_part from claimed where to_address = 'beto@example.test'),
  E'Hola Beto {{unsubscribe_url}}\n\nDarte de baja o cambiar tus preferencias: {{unsubscribe_url}}',
  'in the contact''s language, as the HTML footer (what the person typed stays before it)');
select is((select html from claimed where to_address = 'beto@example.test'),
  public.email_html('Hola Beto {{unsubscribe_url}}', 'Hola', 'Hello Miami', 'es', '{{unsubscribe_url}}'),
  'the HTML part is version 2''s');
select is((select text_part from claimed where to_address = 'staff@example.test'), 'A test',
  'transactional mail has no unsubscribe line');
select is((select text_part from public.claim_outbound_messages_v3('w', 'sms', 10, 30, '2026-12-01 17:00:00+00')), null,
  'a text has no email parts');

-- A blast's emails are written by the claim itself; their text is still in each contact's language.
insert into public.blasts (name, channel, email_template_id, email_sender_id)
values ('Text language', 'email', tests.make_template('text hola', 'Hola {{first_name}}', 'email', 'Hola'), :'mail_sender')
returning id as es_blast \gset
insert into public.blast_audience (blast_id, contact_id) values (:'es_blast', :'beto');
select public.start_blast(:'es_blast') is not null as started \gset
select is((select text_part from public.claim_outbound_messages_v3('b', 'email', 10, 30, '2026-12-01 17:00:00+00')
           where blast_id = :'es_blast'),
  E'Hola Beto\n\nDarte de baja o cambiar tus preferencias: {{unsubscribe_url}}',
  'a blast email''s text is in its recipient''s language');

select * from finish();
rollback;
