-- The blast preview at scale: counts are set-based, only a sample per channel × variant is
-- rendered, segments and cost come from the measured sample (exact for small variants).
begin;
select plan(14);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('sample a', 'Hi {{first_name | friend}}!') as tpl_a \gset
-- Over 160 GSM-7 characters: two segments each.
select tests.make_template('sample b', repeat('Long news for you. ', 9) || '{{first_name}}') as tpl_b \gset
insert into public.contacts (phone, first_name)
select '+1305556' || lpad(g::text, 4, '0'), 'Pat' || g from generate_series(1, 180) g;
insert into public.consent_events (contact_id, channel, status, source)
select id, 'sms', 'opted_in', 'import' from public.contacts where first_name like 'Pat%';
-- Twenty opted out, ten suppressed as invalid numbers.
insert into public.consent_events (contact_id, channel, status, source)
select id, 'sms', 'opted_out', 'staff' from public.contacts where first_name in (select 'Pat' || g from generate_series(1, 20) g);
insert into public.suppressions (channel, address, reason)
select 'sms', phone::text, 'invalid_number' from public.contacts where first_name in (select 'Pat' || g from generate_series(21, 30) g);

select tests.act_as('msg_organizer');
select (public.create_blast(jsonb_build_object('name', 'Sampled', 'channel', 'sms', 'sms_sender_id', :'sender',
  'contact_ids', (select jsonb_agg(id) from public.contacts where first_name like 'Pat%'),
  'variants', jsonb_build_array(
    jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl_a', 'weight', 50),
    jsonb_build_object('channel', 'sms', 'label', 'B', 'template_id', :'tpl_b', 'weight', 50))))).id as blast \gset

-- ---------------------------------------------------------------- roles
select lives_ok(format($$select public.preview_blast(%L, 2)$$, :'blast'), 'an organizer previews a blast');
select public.preview_blast(:'blast', 2) as preview \gset
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.preview_blast(%L)$$, :'blast'), 'P0001', 'not_allowed', 'a volunteer cannot preview');
select tests.act_as('msg_attendee');
select throws_ok(format($$select public.preview_blast(%L)$$, :'blast'), 'P0001', 'not_allowed', 'an attendee cannot preview');
select tests.act_as('anon');
select throws_ok(format($$select public.preview_blast(%L)$$, :'blast'), '42501', null, 'anon cannot call it');
select tests.act_as('msg_admin');
select lives_ok(format($$select public.preview_blast(%L)$$, :'blast'), 'an admin previews too');

-- ---------------------------------------------------------------- values
select is((:'preview'::jsonb ->> 'recipients')::int, 150, 'every eligible recipient is counted (180 less 20 opted out, 10 invalid)');
select is(:'preview'::jsonb -> 'excluded', '{"sms": {"opted_out": 20, "invalid_number": 10}}'::jsonb,
  'exclusions per reason, set-based');
select is((select sum((v ->> 'recipients')::int)::int from jsonb_array_elements(:'preview'::jsonb -> 'by_variant') v), 150,
  'variants add up to the recipients');
select is((select array_agg(v ->> 'variant' order by v ->> 'variant') from jsonb_array_elements(:'preview'::jsonb -> 'by_variant') v),
  array['A', 'B'], 'one line per variant');
select is(jsonb_array_length(:'preview'::jsonb -> 'samples'), 4, 'p_samples rendered samples per channel × variant');
select ok((select bool_and(s ->> 'body' like 'Hi Pat%!' and (s ->> 'segments')::int = 1)
           from jsonb_array_elements(:'preview'::jsonb -> 'samples') s where s ->> 'variant' = 'A')
          and (select bool_and((s ->> 'segments')::int = 2 and s ->> 'encoding' = 'gsm7')
               from jsonb_array_elements(:'preview'::jsonb -> 'samples') s where s ->> 'variant' = 'B'),
  'samples are rendered by their variant''s template and measured');
-- Both variants have at most 100 recipients: every one is measured, so the totals are exact.
select is(:'preview'::jsonb -> 'by_channel' -> 'sms' ->> 'segments_estimated', 'false', 'small variants are measured in full');
select is((:'preview'::jsonb -> 'by_channel' -> 'sms' ->> 'segments_total')::int,
  (select sum(case v ->> 'variant' when 'A' then 1 else 2 end * (v ->> 'recipients')::int)::int
   from jsonb_array_elements(:'preview'::jsonb -> 'by_variant') v),
  'segments: one per A text, two per B text');
select is((select count(*)::int from public.blast_recipients where blast_id = :'blast'), 0, 'the preview writes nothing');

select * from finish();
rollback;
