-- HTML email: one renderer (public.email_html) for the template preview and the workers' claim
-- (claim_outbound_messages_v2); whatever a person typed reaches the HTML only escaped.
begin;
select plan(25);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sms_sender \gset
select tests.make_email_sender() as mail_sender \gset
select tests.make_contact('+13055550871', 'Ana<script>', 'opted_in', 'ana@example.test', 'opted_in') as ana \gset
select tests.make_contact('+13055550872', 'Beto', 'opted_in', 'beto@example.test', 'opted_in') as beto \gset
update public.contacts set preferred_language = 'es' where id = :'beto';

-- ---------------------------------------------------------------- the renderer
select matches(public.email_html('Hi', 'News', 'Hello Miami'), '^<!DOCTYPE html>\n<html lang="en" dir="ltr">',
  'a whole document in the recipient''s language (English by default)');
select matches(public.email_html('Hola', 'Noticias', 'Hello Miami', 'es', 'https://app.test/u?t=1&x=2'),
  '<html lang="es".*Recibes este correo de Hello Miami\. <a href="https://app\.test/u\?t=1&amp;x=2"[^>]*>Darte de baja',
  'Spanish: lang="es" and the unsubscribe footer in Spanish, its link escaped');
select matches(public.email_html('Hi', 'News', 'Hello Miami'), 'Sent by Hello Miami\.</td>',
  'without an unsubscribe link (transactional) the footer only names the sender');
select unalike(public.email_html('Hi', 'News', 'Hello Miami'), '%Unsubscribe%', 'and has no unsubscribe link');
select is(public.email_html(E'<script>alert(1)</script>\n<img src=x onerror=alert(1)>', '<b>S</b>', 'A&B <Org>'),
  public.email_html(E'<script>alert(1)</script>\n<img src=x onerror=alert(1)>', '<b>S</b>', 'A&B <Org>'),
  'pure: the same input renders the same bytes');
select matches(public.email_html(E'<script>alert(1)</script>\n<img src=x onerror=alert(1)>', '<b>S</b>', 'A&B <Org>'),
  '&lt;script&gt;alert\(1\)&lt;/script&gt;<br>\n&lt;img src=x onerror=alert\(1\)&gt;',
  'tags in the text arrive as text, each line break as <br>');
select unalike(public.email_html(E'<script>alert(1)</script>\n<img src=x onerror=alert(1)>', '<b>S</b>', 'A&B <Org>'),
  '%<script%', 'no script tag reaches the HTML');
select matches(public.email_html('x', '<b>S</b>', 'A&B <Org>'), '<title>&lt;b&gt;S&lt;/b&gt;</title>.*A&amp;B &lt;Org&gt;</td>',
  'the subject and the organisation''s name are escaped too');
select is((regexp_matches(public.email_html(E'Hi\n\nSee https://x.org/a?b=1&c="2". Then\n\n\nBye', 's', 'o'),
                          '<td style="padding:24px;[^>]*>\n(.*)\n</td></tr>\n<tr><td style="padding:16px'))[1],
  '<p style="margin:0 0 16px 0;">Hi</p>' || chr(10)
  || '<p style="margin:0 0 16px 0;">See <a href="https://x.org/a?b=1&amp;c=" style="color:#115e59;text-decoration:underline;word-break:break-all;">https://x.org/a?b=1&amp;c=</a>&quot;2&quot;. Then</p>'
  || chr(10) || '<p style="margin:0 0 16px 0;">Bye</p>',
  'paragraphs on blank lines; a link stops at a quote and leaves the sentence''s full stop out');
select unalike(public.email_html('Click javascript:alert(1) or data:text/html,x or JAVASCRIPT://x', 's', 'o'), '%href="javascript%',
  'javascript: and data: addresses never become links');
select matches(public.email_html('Go to HTTPS://Example.org/Path', 's', 'o'), '<a href="HTTPS://Example\.org/Path"',
  'http(s) addresses are linked whatever their case');
select unalike(public.email_html('https://evil.test/"onmouseover="alert(1)', 's', 'o'), '%" onmouseover%',
  'a quote ends a link: nothing escapes its href');

-- ---------------------------------------------------------------- the claim (version 2)
insert into public.messages (direction, kind, channel, status, contact_id, sender_id, to_address, from_address, subject, body, is_marketing)
values ('outbound', 'automation', 'email', 'queued', :'ana', :'mail_sender', 'ana@example.test', 'events@hellomiami.test',
        'Hi <you>', E'Hello Ana<script>\n\nhttps://hellomiami.test/rsvp', true),
       ('outbound', 'automation', 'email', 'queued', :'beto', :'mail_sender', 'beto@example.test', 'events@hellomiami.test',
        'Hola', 'Hola Beto', true),
       ('outbound', 'transactional', 'email', 'queued', null, :'mail_sender', 'staff@example.test', 'events@hellomiami.test',
        'Test', 'A test', false),
       ('outbound', 'transactional', 'sms', 'queued', null, :'sms_sender', '+13055550999', '+13055550100',
        null, 'A text', false);

select tests.act_as('anon');
select throws_ok($$select * from public.claim_outbound_messages_v2('w', 'email')$$, '42501', null, 'anon cannot claim');
select tests.act_as('msg_organizer');
select throws_ok($$select * from public.claim_outbound_messages_v2('w', 'email')$$, '42501', null, 'staff cannot claim');
select tests.act_as('msg_device');
select throws_ok($$select * from public.claim_outbound_messages_v2('w', 'email')$$, '42501', null, 'devices cannot claim');

select tests.act_as('service_role');
create temp table claimed on commit drop as
  select * from public.claim_outbound_messages_v2('w', 'email', 10, 30, '2026-12-01 17:00:00+00');
select is((select count(*)::int from claimed), 3, 'the workers claim the three emails');
select is((select html from claimed where to_address = 'ana@example.test'),
  public.email_html(E'Hello Ana<script>\n\nhttps://hellomiami.test/rsvp', 'Hi <you>', 'Hello Miami', 'en', '{{unsubscribe_url}}'),
  'a marketing email''s HTML is the renderer''s, its footer linked to the {{unsubscribe_url}} the worker fills in');
select is((select html from claimed where to_address = 'beto@example.test'),
  public.email_html('Hola Beto', 'Hola', 'Hello Miami', 'es', '{{unsubscribe_url}}'),
  'in the contact''s language');
select is((select html from claimed where to_address = 'staff@example.test'),
  public.email_html('A test', 'Test', 'Hello Miami', 'en', null),
  'transactional mail (a test to oneself) has no unsubscribe footer');
select is((select array_agg(body order by body) from claimed),
  array['A test', E'Hello Ana<script>\n\nhttps://hellomiami.test/rsvp', 'Hola Beto'],
  'the plain-text part is the claimed body, unchanged');
select is((select html from public.claim_outbound_messages_v2('w', 'sms', 10, 30, '2026-12-01 17:00:00+00')), null,
  'a text has no HTML part');

-- ---------------------------------------------------------------- the preview
select tests.act_as('anon');
select throws_ok(format($$select public.preview_email_template('Hi', %L, 'S')$$, :'ana'), '42501', null, 'anon cannot preview');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.preview_email_template('Hi', %L, 'S')$$, :'ana'), 'P0001', 'not_allowed',
  'volunteers cannot preview');
select tests.act_as('msg_organizer');
select is(public.preview_email_template('Hola {{first_name}}', :'beto', 'Para {{first_name}}') ->> 'html',
  public.email_html('Hola Beto', 'Para Beto', 'Hello Miami', 'es', '#'),
  'an organizer sees the HTML the renderer makes for that contact, in their language, with the marketing footer');
select is(public.preview_email_template('Hi {{first_name}}', :'ana', 'S') - 'html',
  public.preview_template('Hi {{first_name}}', :'ana', 'S'), 'and everything preview_template says');

select * from finish();
rollback;
