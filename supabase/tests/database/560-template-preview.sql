-- The template editor's preview: a template rendered for one contact as the sends render it,
-- measured as the claim measures it, refused as saving refuses it, for organizers and up only.
begin;
select plan(12);

select tests.make_messaging_roles();
select tests.make_contact('+13055550601', 'Ana') as ana \gset
insert into public.contacts (phone, first_name, last_name, custom_fields)
values ('+13055550602', null, 'Ruiz', '{"team": "Tiburones"}') returning id as ruiz \gset
insert into public.events (slug, name, starts_at, ends_at)
values ('preview-night', 'Noche de demos', '2026-12-03 00:30+00', '2026-12-03 03:00+00') returning id as event \gset

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok(format($$select public.preview_template('Hi', %L)$$, :'ana'), '42501', null,
  'anon cannot preview templates');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.preview_template('Hi', %L)$$, :'ana'), 'P0001', 'not_allowed',
  'volunteers cannot preview templates');
select tests.act_as('msg_attendee');
select throws_ok(format($$select public.preview_template('Hi', %L)$$, :'ana'), 'P0001', 'not_allowed',
  'attendees cannot preview templates');

-- ---------------------------------------------------------------- organizers: the sends' rendering
select tests.act_as('msg_organizer');
select is(public.preview_template('Hola {{first_name | amigo}}, ¿vienes?', :'ana'),
  jsonb_build_object('subject', null, 'body', 'Hola Ana, ¿vienes?', 'encoding', 'gsm7', 'units', 18, 'segments', 1),
  'an organizer previews a text for a contact, measured in GSM-7 (¿ is GSM-7)');
select is(public.preview_template('{{first_name | amigo}} {{full_name}} del equipo {{custom.team | ninguno}}: información',
    :'ruiz') ->> 'body',
  'amigo Ruiz del equipo Tiburones: información',
  'a missing first name takes its default; full name and custom fields as the snapshot reads them');
select is(public.preview_template('x información', :'ruiz') - 'body',
  jsonb_build_object('subject', null, 'encoding', 'ucs2', 'units', 13, 'segments', 1),
  'ó switches the text to UCS-2, as the claim measures it');
select is(public.preview_template('{{event_name}} el {{event_date}} · {{org_name}}', :'ana', 'Para {{first_name}}', :'event'),
  jsonb_build_object('subject', 'Para Ana', 'body', 'Noche de demos el December 2 · Hello Miami',
                     'encoding', 'ucs2', 'units', 42, 'segments', 1),
  'event name and date in the organisation''s time zone, the subject rendered too');
select throws_ok(format($$select public.preview_template('Hi {{nickname}}', %L)$$, :'ana'), 'P0001', 'unknown_merge_field',
  'an unknown field is refused as saving the template refuses it');
select throws_ok(format($$select public.preview_template('Hi {{first_name', %L)$$, :'ana'), 'P0001', 'malformed_merge_field',
  'a malformed field is refused');
select throws_ok($$select public.preview_template('Hi', gen_random_uuid())$$, 'P0001', 'contact_not_found',
  'an unknown contact is refused');
select throws_ok(format($$select public.preview_template('Hi', %L, null, gen_random_uuid())$$, :'ana'), 'P0001', 'event_not_found',
  'an unknown event is refused');
select tests.act_as('msg_admin');
select is(public.preview_template('Hi {{first_name}}', :'ana') ->> 'body', 'Hi Ana', 'admins preview too');

select * from finish();
rollback;
