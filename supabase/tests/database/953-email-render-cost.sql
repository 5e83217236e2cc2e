-- The email renderers: the unsubscribe words come from one helper (both parts say the same, in
-- each language), for every role that renders (the workers' service role, staff previews);
-- anon renders nothing; email_html never JIT-compiles (its cost was the compilation).
begin;
select plan(11);

select tests.make_messaging_roles();

-- ---------------------------------------------------------------- who may not
select tests.act_as('anon');
select throws_ok($$select public.email_html('Hi', 'S', 'Org', 'en', 'https://u.test/x')$$, '42501', null,
  'anon cannot render the HTML part');
select throws_ok($$select public.email_text('Hi', 'en', 'https://u.test/x')$$, '42501', null,
  'nor the plain-text part');
select throws_ok($$select private.unsubscribe_words('en')$$, '42501', null, 'nor call the words helper');

-- ---------------------------------------------------------------- the workers' role
select tests.act_as('service_role');
select is(public.email_text('Hi', 'es', 'https://u.test/x'),
  'Hi' || chr(10) || chr(10) || 'Darte de baja o cambiar tus preferencias: https://u.test/x',
  'the workers'' role renders the Spanish plain-text part');
select ok(position(private.unsubscribe_words('es') in public.email_html('Hi', 'S', 'Org', 'es', 'https://u.test/x')) > 0,
  'and the HTML footer with the same Spanish words');
select ok(position('>Unsubscribe or change your preferences</a>' in
                   public.email_html('Hi', 'S', 'Org', 'en', 'https://u.test/x')) > 0,
  'the English words are the link''s text');
select is(public.email_text('Hi', 'en', 'https://u.test/x'),
  'Hi' || chr(10) || chr(10) || 'Unsubscribe or change your preferences: https://u.test/x', 'and the English text line');
select is(public.email_text('Hi', 'en', null), 'Hi', 'transactional mail has no unsubscribe line');
select ok(position('Unsubscribe' in public.email_html('Hi', 'S', 'Org', 'en', null)) = 0, 'nor footer link');

-- ---------------------------------------------------------------- staff previews
select tests.act_as('msg_organizer');
select ok(position('Darte de baja' in public.email_html('Hola', 'S', 'Org', 'es', '#')) > 0,
  'an organizer''s preview renders the footer');

select tests.reset_role();
select ok((select 'jit=off' = any(p.proconfig) from pg_proc p where p.oid = 'public.email_html(text, text, text, text, text)'::regprocedure),
  'email_html runs with JIT off');

select * from finish();
rollback;
