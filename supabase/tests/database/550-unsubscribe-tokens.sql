-- Signed unsubscribe tokens: who may mint them, the one-click unsubscribe and the preference
-- functions anyone holding a token may call, the consent ledger with its source, and forged,
-- altered or expired tokens refused without changing anything.
begin;
select plan(24);

select tests.make_messaging_roles();
select tests.make_email_sender() as esender \gset
select tests.make_contact('+13055550801', 'Ana', 'opted_in', 'Ana@Example.com', 'opted_in') as ana \gset
insert into public.messages (kind, channel, status, contact_id, sender_id, to_address, subject, body, is_marketing, provider_id)
values ('blast', 'email', 'sent', :'ana', :'esender', 'ana@example.com', 'News', 'Hello', true, 'ms-unsub-1')
returning id as mail \gset

-- ---------------------------------------------------------------- minting
select tests.act_as('anon');
select throws_ok(format($$select * from public.unsubscribe_tokens(array[%L]::uuid[])$$, :'mail'), '42501', null,
  'anon cannot mint tokens');
select tests.act_as('msg_admin');
select throws_ok(format($$select * from public.unsubscribe_tokens(array[%L]::uuid[])$$, :'mail'), '42501', null,
  'nor can staff');
select throws_ok($$select count(*) from private.signing_secrets$$, '42501', null, 'nobody reads the key through the API');
select tests.act_as('service_role');
select token from public.unsubscribe_tokens(array[:'mail']::uuid[]) \gset
select ok(:'token' ~ ('^u1\.' || :'ana' || '\.' || :'mail' || '\.[0-9]+\.[0-9a-f]{64}$'), 'the workers mint a signed token per email');
select tests.reset_role();

-- ---------------------------------------------------------------- the preference page (anon with the token)
select tests.act_as('anon');
select public.unsubscribe_preferences(:'token') as prefs \gset
select is(:'prefs'::jsonb - 'expires_at',
  '{"first_name": "Ana", "email_hint": "a***@example.com", "phone_hint": "***0801", "email": "opted_in", "sms": "opted_in"}'::jsonb,
  'the page shows the name, address hints and consent per channel (not the addresses)');
select ok((:'prefs'::jsonb ->> 'expires_at')::timestamptz between now() + interval '89 days' and now() + interval '91 days',
  'the link works for 90 days');

-- ---------------------------------------------------------------- forged, altered, expired: refused, nothing changes
select tests.reset_role();
select count(*)::int as ledger_before from public.consent_events \gset
select tests.act_as('anon');
select throws_ok($$select public.one_click_unsubscribe('')$$, 'P0001', 'invalid_token', 'an empty token');
select throws_ok(format($$select public.one_click_unsubscribe(%L)$$, left(:'token', -1) || translate(right(:'token', 1), '0123456789abcdef', '123456789abcdef0')), 'P0001', 'invalid_token',
  'a token with its signature altered');
select throws_ok(format($$select public.one_click_unsubscribe(%L)$$,
    replace(:'token', :'ana', gen_random_uuid()::text)), 'P0001', 'invalid_token', 'a token for another contact');
select throws_ok(format($$select public.one_click_unsubscribe(%L)$$,
    regexp_replace(:'token', '\.([0-9]+)\.', '.9999999999.')), 'P0001', 'invalid_token', 'a token with its expiry extended');
select throws_ok(format($$select public.change_unsubscribe_preferences(%L, '{"email": "opted_out"}')$$,
    'u1.' || :'ana' || '.-.4102444800.' || repeat('0', 64)), 'P0001', 'invalid_token', 'a token signed with a guessed key');
select tests.reset_role();
select private.make_unsubscribe_token(:'ana', :'mail', now() - interval '1 second') as expired \gset
select tests.act_as('anon');
select throws_ok(format($$select public.unsubscribe_preferences(%L)$$, :'expired'), 'P0001', 'expired_token',
  'an expired token is refused');
select throws_ok(format($$select public.one_click_unsubscribe(%L)$$, :'expired'), 'P0001', 'expired_token',
  'and unsubscribes nobody');
select tests.reset_role();
select is((select count(*)::int from public.consent_events), :ledger_before, 'refused tokens changed nothing');
select tests.act_as('anon');

-- ---------------------------------------------------------------- one click (RFC 8058)
select is(public.one_click_unsubscribe(:'token'), true, 'one click opts out of marketing email');
select is(public.one_click_unsubscribe(:'token'), false, 'again: nothing more to change');
select tests.reset_role();
select results_eq(format($$select status::text, source::text, evidence_message_id from public.consent_events
                           where contact_id = %L and channel = 'email' order by id desc limit 1$$, :'ana'),
  format($$values ('opted_out', 'email_unsubscribe', %L::uuid)$$, :'mail'),
  'the ledger has the change with its source and the email as evidence');
select is((select status::text from public.contact_consents where contact_id = :'ana' and channel = 'sms'), 'opted_in',
  'texts are untouched');

-- ---------------------------------------------------------------- changing preferences
select tests.act_as('anon');
select throws_ok(format($$select public.change_unsubscribe_preferences(%L, '{"sms": "opted_in"}')$$, :'token'),
  '22023', 'invalid_preferences', 'texts cannot be re-subscribed from an email link');
select throws_ok(format($$select public.change_unsubscribe_preferences(%L, '{"push": "opted_out"}')$$, :'token'),
  '22023', 'invalid_preferences', 'unknown channels are refused');
select is(public.change_unsubscribe_preferences(:'token', '{"email": "opted_in", "sms": "opted_out"}') - 'expires_at',
  '{"first_name": "Ana", "email_hint": "a***@example.com", "phone_hint": "***0801", "email": "opted_in", "sms": "opted_out"}'::jsonb,
  'email back in and texts out in one change');
select tests.reset_role();
select results_eq(format($$select channel::text, status::text, source::text from public.consent_events
                           where contact_id = %L and source = 'preference_page' order by id$$, :'ana'),
  $$values ('email', 'opted_in', 'preference_page'), ('sms', 'opted_out', 'preference_page')$$,
  'each change is in the ledger with source preference_page');
select tests.act_as('msg_organizer');
select is((public.unsubscribe_preferences(:'token')) ->> 'sms', 'opted_out', 'staff may call it with a token too');
select tests.reset_role();
update public.contacts set erased_at = now() where id = :'ana';
select tests.act_as('anon');
select throws_ok(format($$select public.unsubscribe_preferences(%L)$$, :'token'), 'P0001', 'invalid_token',
  'an erased person''s token shows nothing');

select * from finish();
rollback;
