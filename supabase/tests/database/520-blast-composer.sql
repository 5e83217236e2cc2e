-- The composer's SQL: create_blast in one atomic call with clear refusal codes, a preview that
-- says why recipients are excluded or waiting, and no "completed" blast with nobody to send to.
begin;
select plan(32);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('composer', 'Hi {{first_name | friend}}!') as tpl \gset
select tests.make_template('composer b', 'Hey {{first_name | friend}}!') as tpl_b \gset
select tests.make_template('composer mail', 'Hello', 'email', 'News') as tpl_mail \gset
select tests.make_contact('+13055550501', 'Ana') as ana \gset
select tests.make_contact('+13055550502', 'Ben', 'opted_out') as ben \gset
select tests.make_contact('+13055550503', 'Cy', null) as cy \gset
insert into public.contacts (email, first_name) values ('dee@example.com', 'Dee') returning id as dee \gset

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok($$select public.create_blast('{}')$$, '42501', null, 'anon cannot create blasts');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.create_blast('{"name": "V", "channel": "sms"}')$$), 'P0001', 'not_allowed',
  'volunteers cannot create blasts');
select tests.act_as('msg_attendee');
select throws_ok($$select public.create_blast('{"name": "A", "channel": "sms"}')$$, 'P0001', 'not_allowed',
  'attendees cannot create blasts');
select tests.act_as('msg_organizer');
select public.create_blast(jsonb_build_object('name', 'Spring launch', 'channel', 'sms', 'sms_sender_id', :'sender',
  'contact_ids', jsonb_build_array(:'ana', :'ana', :'ben'),
  'variants', jsonb_build_array(
    jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl', 'weight', 50),
    jsonb_build_object('channel', 'sms', 'label', 'B', 'template_id', :'tpl_b', 'weight', 50)))) as created \gset
select (:'created'::public.blasts).id as blast \gset
select results_eq(format($$select name, status::text, created_by from public.blasts where id = %L$$, :'blast'),
  format($$values ('Spring launch', 'draft', %L::uuid)$$, tests.get_supabase_uid('msg_organizer')),
  'an organizer creates a draft blast in one call');
select is((select count(*)::int from public.blast_variants where blast_id = :'blast'), 2, 'with its variants');
select is((select count(*)::int from public.blast_audience where blast_id = :'blast'), 2, 'and its audience (a listed twice contact once)');

-- ---------------------------------------------------------------- refusals change nothing
select count(*)::int as blasts_before from public.blasts \gset
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', ' spring LAUNCH ', 'channel', 'sms',
    'sms_template_id', :'tpl', 'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(:'ana'))),
  'P0001', 'blast_name_taken', 'a name another blast has (case and spaces aside) is refused with a clear code');
select throws_ok($$select public.create_blast('{"name": "X", "channel": "sms", "colour": "red"}')$$,
  '22023', 'invalid_blast_spec', 'unknown fields are refused');
select throws_ok($$select public.create_blast('[1]')$$, '22023', 'invalid_blast_spec', 'a spec must be an object');
select throws_ok($$select public.create_blast('{"name": "X", "channel": "sms", "segment_id": "nope"}')$$,
  '22023', 'invalid_blast_spec', 'a malformed id is refused, not a raw cast error');
select throws_ok($$select public.create_blast('{"name": "  ", "channel": "sms"}')$$, 'P0001', 'blast_name_required', 'a name is required');
select throws_ok($$select public.create_blast('{"name": "X", "channel": "fax"}')$$, 'P0001', 'invalid_blast_channel', 'channel sms/email/both');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_template_id', gen_random_uuid(), 'sms_sender_id', :'sender')), 'P0001', 'template_not_found', 'unknown template');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_template_id', :'tpl', 'sms_sender_id', gen_random_uuid())), 'P0001', 'sender_not_found', 'unknown sender');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_template_id', :'tpl', 'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(gen_random_uuid()))),
  'P0001', 'contact_not_found', 'unknown contacts');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(:'ana'), 'variants', jsonb_build_array(
      jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl', 'weight', 50),
      jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl_b', 'weight', 50)))),
  'P0001', 'blast_variant_label_taken', 'two variants with one label: a clear code, not a duplicate-key error');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(:'ana'), 'variants', jsonb_build_array(
      jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl', 'weight', 50)))),
  'P0001', 'blast_variant_weights', 'weights must add up to 100 (checked like start_blast)');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_template_id', :'tpl', 'sms_sender_id', :'sender')), 'P0001', 'blast_missing_audience', 'an audience is required');
select throws_ok(format($$select public.create_blast(%L)$$, jsonb_build_object('name', 'X', 'channel', 'sms',
    'sms_template_id', :'tpl', 'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(:'ana'),
    'scheduled_at', now() - interval '1 hour')), 'P0001', 'invalid_schedule', 'a send time in the past is refused');
select is((select count(*)::int from public.blasts), :blasts_before, 'no refusal left a blast behind');

-- A cancelled blast's name is free again; scheduling in the same call.
select public.cancel_blast(:'blast') is not null as cancelled \gset
select results_eq(format($$select status::text from public.create_blast(%L)$$, jsonb_build_object('name', 'Spring launch',
    'channel', 'sms', 'sms_template_id', :'tpl', 'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(:'ana'),
    'scheduled_at', now() + interval '1 day')),
  $$values ('scheduled')$$, 'a cancelled blast''s name can be used again, and a blast can be scheduled in the same call');

-- ---------------------------------------------------------------- preview says why
select (public.create_blast(jsonb_build_object('name', 'Nobody', 'channel', 'both', 'sms_template_id', :'tpl',
  'email_template_id', :'tpl_mail', 'sms_sender_id', :'sender', 'email_sender_id', tests.make_email_sender(),
  'contact_ids', jsonb_build_array(:'ben', :'cy', :'dee')))).id as empty \gset
update public.contacts set email = 'ben@example.com' where id = :'ben';
insert into public.consent_events (contact_id, channel, status, source) values (:'ben', 'email', 'opted_out', 'staff');
insert into public.consent_events (contact_id, channel, status, source) values (:'dee', 'email', 'opted_out', 'staff');
select public.preview_blast(:'empty') as preview \gset
select is((:'preview'::jsonb ->> 'recipients')::int, 0, 'nobody can receive it');
select is(:'preview'::jsonb -> 'excluded',
  '{"sms": {"opted_out": 1, "no_consent": 1, "no_phone": 1}, "email": {"opted_out": 2, "no_email": 1}}'::jsonb,
  'the preview counts who is excluded, per channel and reason');
select is(:'preview'::jsonb ->> 'startable', 'false', 'and says it cannot start');
select ok(:'preview'::jsonb -> 'warnings' @> '[{"code": "no_recipients"}]'
          and (:'preview'::jsonb -> 'warnings' -> 0 ->> 'message') like 'Nobody can receive this blast: %opted out%',
  'with a warning a person can read');

-- ---------------------------------------------------------------- start refuses, schedule pauses
select throws_ok(format($$select public.start_blast(%L)$$, :'empty'), 'P0001', 'blast_has_no_recipients',
  'starting a blast nobody can receive is refused');
select results_eq(format($$select status::text, recipients_total from public.blasts where id = %L$$, :'empty'),
  $$values ('draft', 0)$$, 'and nothing changed');
select is((select count(*)::int from public.blast_recipients where blast_id = :'empty'), 0, 'no snapshot rows');
select tests.reset_role();
update public.blasts set status = 'scheduled', scheduled_at = now() - interval '1 minute' where id = :'empty';
select tests.act_as('service_role');
select count(*) from public.claim_outbound_messages('w', 'sms', 1, 30, now());
select results_eq(format($$select status::text, paused_reason like 'Nobody to send to: %%opted out%%' from public.blasts where id = %L$$, :'empty'),
  $$values ('paused', true)$$, 'a scheduled blast that turns out empty is paused with the reason, not completed');

-- ---------------------------------------------------------------- preview: who would wait
select tests.act_as('msg_organizer');
select (public.create_blast(jsonb_build_object('name', 'Capped', 'channel', 'sms', 'sms_template_id', :'tpl',
  'sms_sender_id', :'sender', 'contact_ids', jsonb_build_array(:'ana')))).id as capped \gset
select tests.reset_role();
insert into public.messages (kind, channel, status, contact_id, sender_id, to_address, body, is_marketing, provider_id, created_at)
select 'blast', 'sms', 'sent', :'ana', :'sender', '+13055550501', 'earlier', true, 'SM-composer-' || g, now() - g * interval '1 hour'
from generate_series(1, 3) g;
select tests.act_as('msg_organizer');
select public.preview_blast(:'capped') as preview \gset
select is((:'preview'::jsonb -> 'waiting_now' ->> 'frequency_cap')::int, 1, 'a recipient at the frequency cap is counted as waiting');
select ok(:'preview'::jsonb -> 'warnings' @> '[{"code": "frequency_cap"}]', 'with a warning');
select is(:'preview'::jsonb ->> 'startable', 'true', 'but the blast can start (she gets it later)');

select * from finish();
rollback;
