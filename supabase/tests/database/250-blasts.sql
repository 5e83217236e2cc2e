-- Blasts: the recipient snapshot (exclusions, variants, rendering), preview, status machine,
-- controls, segments with consent, roles, Realtime.
begin;
select plan(53);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_email_sender() as email_sender \gset
select tests.make_template('hi', 'Hi {{first_name | friend}} from {{org_name}}!') as tpl \gset
select tests.make_template('hey', 'Hey {{first_name | friend}}! 🎉') as tpl_b \gset
select tests.make_template('mail', 'Hello {{full_name | there}}', 'email', 'News for {{first_name | you}}') as tpl_mail \gset
select tests.make_contact('+13055550001', 'Ana', 'opted_in', 'ana@example.com', null) as ana \gset
select tests.make_contact('+13055550002', 'Ben', 'opted_out', 'ben@example.com', 'opted_in') as ben \gset
select tests.make_contact('+13055550003', null, null, 'cy@example.com', 'opted_out') as cy \gset
select tests.make_contact('+13055550004', 'Dee', 'opted_in', null, null, 'Not/AZone') as dee \gset
select tests.make_contact('+13055550005', 'Eve', 'opted_in', 'eve@example.com', null, 'America/Chicago') as eve \gset
insert into public.contacts (email, first_name) values ('nophone@example.com', 'Noa') returning id as noa \gset
insert into public.suppressions (channel, address, reason) values ('sms', '+13055550005', 'not_textable');
insert into public.suppressions (channel, address, reason) values ('email', 'ana@example.com', 'hard_bounce');

insert into public.blasts (name, channel, sms_template_id, email_template_id, sms_sender_id, email_sender_id)
values ('Both', 'both', :'tpl', :'tpl_mail', :'sender', :'email_sender') returning id as blast \gset
-- Listed twice (explicitly and through a segment) to prove duplicates collapse.
insert into public.blast_audience (blast_id, contact_id) select :'blast', unnest(array[:'ana', :'ben', :'cy', :'dee', :'eve', :'noa']::uuid[]);
insert into public.segments (name, definition) values ('Everyone with a phone', '{"has_phone": true}') returning id as seg \gset
update public.blasts set segment_id = :'seg' where id = :'blast';

-- ---------------------------------------------------------------- preview
select public.preview_blast(:'blast', 10) as preview \gset
-- The segment also matches the test attendee (a phone, no consent): 7 contacts, each once.
select is((:'preview'::jsonb ->> 'audience')::int, 7, 'preview: the audience counts each contact once');
select is((:'preview'::jsonb -> 'by_channel' -> 'sms' ->> 'recipients')::int, 2,
  'preview: SMS to Ana and Dee only (Ben opted out, Cy unknown, Eve suppressed, Noa has no phone)');
select is((:'preview'::jsonb -> 'by_channel' -> 'email' ->> 'recipients')::int, 3,
  'preview: email to Ben, Eve and Noa (Ana bounced, Cy opted out, Dee has no email)');
select ok((:'preview'::jsonb ->> 'estimated_cost')::numeric > 0, 'preview: an estimated cost');
select ok(jsonb_array_length(:'preview'::jsonb -> 'samples') = 5, 'preview: sample renders');
select ok(:'preview'::jsonb -> 'samples' @> '[{"channel": "sms", "body": "Hi Ana from Hello Miami!", "segments": 1, "encoding": "gsm7"}]',
  'preview: samples carry the rendered text, segments and encoding');
select is((select count(*)::int from public.blast_recipients), 0, 'preview writes nothing');

-- ---------------------------------------------------------------- snapshot
select public.start_blast(:'blast') is not null;
select results_eq(format($$select channel::text, to_address from public.blast_recipients where blast_id = %L order by 1, 2$$, :'blast'),
  $$values ('email', 'ben@example.com'), ('email', 'eve@example.com'), ('email', 'nophone@example.com'),
           ('sms', '+13055550001'), ('sms', '+13055550004')$$,
  'the snapshot has one row per recipient × channel, without opted-out, suppressed, address-less or duplicate recipients');
select results_eq(format($$select status::text, recipients_total, sms_recipients, email_recipients from public.blasts where id = %L$$, :'blast'),
  $$values ('sending', 5, 2, 3)$$, 'the blast is sending with its totals');
select is((select body from public.blast_recipients where contact_id = :'ana' and channel = 'sms'), 'Hi Ana from Hello Miami!', 'rendered SMS body');
select results_eq(format($$select subject, body from public.blast_recipients where contact_id = %L and channel = 'email'$$, :'noa'),
  $$values ('News for Noa', 'Hello Noa')$$, 'rendered email subject and body');
select is((select time_zone from public.blast_recipients where contact_id = :'dee'), 'America/New_York',
  'an unknown time zone falls back to the organisation''s');
select is((select time_zone from public.blast_recipients where contact_id = :'eve'), 'America/Chicago', 'a contact''s own zone is kept');
select throws_ok(format($$select public.start_blast(%L)$$, :'blast'), 'P0001', 'invalid_blast_transition', 'a running blast cannot start again');

-- ---------------------------------------------------------------- A/B variants
insert into public.blasts (name, channel, sms_template_id, sms_sender_id) values ('AB', 'sms', null, :'sender') returning id as ab \gset
insert into public.blast_audience (blast_id, contact_id)
select :'ab', tests.make_contact('+1305556' || lpad(g::text, 4, '0'), 'P' || g) from generate_series(1, 200) g;
insert into public.blast_variants (blast_id, channel, label, template_id, weight) values (:'ab', 'sms', 'A', :'tpl', 50), (:'ab', 'sms', 'B', :'tpl_b', 40);
select throws_ok(format($$select public.start_blast(%L)$$, :'ab'), 'P0001', 'blast_variant_weights', 'variant weights must add up to 100');
update public.blast_variants set weight = 50 where label = 'B';
select public.start_blast(:'ab') is not null;
select ok((select count(*) between 70 and 130 from public.blast_recipients where blast_id = :'ab' and variant = 'A'), 'variant A gets about half');
select ok((select bool_and(body like 'Hey %') from public.blast_recipients where blast_id = :'ab' and variant = 'B'), 'variant B uses its own template');
select is((select count(*)::int from public.blast_recipients where blast_id = :'ab'), 200, 'every recipient gets exactly one variant');

-- ---------------------------------------------------------------- refusals and the status machine
insert into public.blasts (name, channel, sms_sender_id) values ('Empty', 'sms', :'sender') returning id as empty \gset
select throws_ok(format($$select public.start_blast(%L)$$, :'empty'), 'P0001', 'blast_missing_template', 'no template');
update public.blasts set sms_template_id = :'tpl_mail' where id = :'empty';
select throws_ok(format($$select public.start_blast(%L)$$, :'empty'), 'P0001', 'blast_template_channel_mismatch', 'an email template on an SMS blast');
update public.blasts set sms_template_id = :'tpl', sms_sender_id = :'email_sender' where id = :'empty';
select throws_ok(format($$select public.start_blast(%L)$$, :'empty'), 'P0001', 'blast_missing_sender', 'no SMS sender');
update public.blasts set sms_sender_id = :'sender' where id = :'empty';
select throws_ok(format($$select public.start_blast(%L)$$, :'empty'), 'P0001', 'blast_missing_audience', 'no audience');
select throws_ok($$select public.start_blast(gen_random_uuid())$$, 'P0001', 'blast_not_found', 'unknown blast');
select throws_ok(format($$update public.blasts set status = 'sending' where id = %L$$, :'empty'), 'P0001', 'invalid_blast_transition',
  'sending is reached only through start_blast (which snapshots)');
insert into public.blast_audience values (:'empty', :'ana');
select is((public.schedule_blast(:'empty', now() + interval '1 day')).status::text, 'scheduled', 'schedule a ready blast');
select is((select count(*)::int from public.claim_outbound_messages('w', 'sms', 1, 30, now()) where blast_id = :'empty'), 0, 'not before its time');
select is((select status::text from public.blasts where id = :'empty'), 'scheduled', 'still scheduled');
select public.claim_outbound_messages('w', 'sms', 1, 30, ((now() at time zone 'America/New_York')::date + 2 + time '10:00') at time zone 'America/New_York');
select is((select status::text from public.blasts where id = :'empty'), 'sending', 'a claim after its time starts it (snapshot taken)');
select is((public.pause_blast(:'empty')).status::text, 'paused', 'pause');
select is((public.pause_blast(:'empty')).status::text, 'paused', 'pause again: idempotent');
select is((public.resume_blast(:'empty')).status::text, 'sending', 'resume');
select is((public.cancel_blast(:'empty')).status::text, 'cancelled', 'cancel');
select is((public.cancel_blast(:'empty')).status::text, 'cancelled', 'cancel again: idempotent');
select throws_ok(format($$select public.resume_blast(%L)$$, :'empty'), 'P0001', 'invalid_blast_transition', 'a cancelled blast stays cancelled');

insert into public.blasts (name, channel, sms_template_id, sms_sender_id) values ('Nobody', 'sms', :'tpl', :'sender') returning id as nobody \gset
insert into public.blast_audience values (:'nobody', :'ben');
select throws_ok(format($$select public.start_blast(%L)$$, :'nobody'), 'P0001', 'blast_has_no_recipients',
  'a blast with no eligible recipient is refused, never "completed" with 0 sent (see 520-blast-composer.sql)');

-- ---------------------------------------------------------------- segments with consent
select is((select count(*)::int from private.segment_contact_ids('{"has_phone": true, "consent_sms": "opted_in"}')
           where 1 = 1), (select count(*)::int from public.contacts c join public.contact_consents cc on cc.contact_id = c.id
                           where c.phone is not null and cc.channel = 'sms' and cc.status = 'opted_in'),
  'consent_sms narrows a segment to opted-in contacts');
select ok(:'ben'::uuid in (select private.segment_contact_ids('{"consent_sms": "opted_out"}')), 'consent_sms opted_out finds Ben');
select ok(:'cy'::uuid in (select private.segment_contact_ids('{"consent_sms": "unknown"}')), 'consent_sms unknown finds Cy');
select throws_ok($$insert into public.segments (name, definition) values ('bad', '{"consent_sms": "maybe"}')$$, 'P0001', 'invalid_segment',
  'a bad consent criterion is refused');

-- ---------------------------------------------------------------- roles
select tests.act_as('msg_organizer');
select lives_ok(format($$insert into public.blasts (name, channel, sms_template_id, sms_sender_id) values ('Org draft', 'sms', %L, %L)$$, :'tpl', :'sender'),
  'organizer creates a draft');
select is(tests.row_count(format($$update public.blasts set name = 'x' where id = %L$$, :'blast')), 0, 'organizer cannot edit a running blast directly');
select ok(tests.visible_rows('public.blast_recipients') > 0, 'organizer reads the snapshot');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.blasts'), 0::bigint, 'volunteer sees no blasts');
select throws_ok(format($$select public.pause_blast(%L)$$, :'ab'), 'P0001', 'not_allowed', 'volunteer cannot pause a blast');
select throws_ok(format($$insert into public.blasts (name, channel) values ('V', 'sms')$$), '42501', null, 'volunteer cannot create blasts');
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.blasts') + tests.visible_rows('public.blast_recipients'), 0::bigint, 'attendee sees no blasts or recipients');
select tests.act_as('msg_device');
select is(tests.visible_rows('public.blasts') + tests.visible_rows('public.blast_variants'), 0::bigint, 'device sees no blasts');
select throws_ok(format($$select public.start_blast(%L)$$, :'ab'), 'P0001', 'not_allowed', 'device cannot start a blast');
select tests.act_as('anon');
select throws_ok($$select count(*) from public.blasts$$, '42501', null, 'anon cannot read blasts');
select throws_ok($$select count(*) from public.blast_recipients$$, '42501', null, 'anon cannot read recipients');
select throws_ok($$select public.preview_blast(gen_random_uuid())$$, '42501', null, 'anon cannot preview');

select tests.reset_role();
select ok(exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'blasts'),
  'blasts (with their counters) are in Realtime');
select ok(not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and tablename = 'blast_recipients'),
  'snapshot rows are not in Realtime');
select * from finish();
rollback;
