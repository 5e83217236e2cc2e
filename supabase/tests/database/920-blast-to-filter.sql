-- A blast to an unsaved filter: the one-off segment and the blast in one transaction; a refusal
-- of either leaves neither.
begin;
select plan(13);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('filter blast', 'Hi {{first_name | friend}}!') as tpl \gset
select tests.make_contact('+13055550921', 'Ana') as ana \gset
update public.contacts set tags = '{speaker}' where id = :'ana';

create temporary table spec on commit drop as
  select jsonb_build_object('name', 'Speakers only', 'channel', 'sms', 'sms_sender_id', :'sender',
    'variants', jsonb_build_array(jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl', 'weight', 100))) as s;
grant select on spec to anon, authenticated;

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$, (select s from spec)),
  '42501', null, 'anon cannot');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$, (select s from spec)),
  'P0001', 'not_allowed', 'volunteers cannot (checked first)');
select tests.act_as('msg_attendee');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$, (select s from spec)),
  'P0001', 'not_allowed', 'attendees cannot');

-- ---------------------------------------------------------------- refusals leave nothing behind
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.create_blast_to_filter('{"no_such_rule":1}', %L)$$, (select s from spec)),
  'P0001', 'invalid_segment', 'an invalid filter is refused as the segment builder''s');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$,
    (select s - 'sms_sender_id' from spec)),
  'P0001', null, 'a blast create_blast refuses (no sender) is refused');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$,
    (select s || jsonb_build_object('segment_id', gen_random_uuid()) from spec)),
  '22023', 'invalid_blast_spec', 'a spec naming its own audience is refused');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$,
    (select s || jsonb_build_object('contact_ids', jsonb_build_array(:'ana')) from spec)),
  '22023', 'invalid_blast_spec', 'contact ids too');
select public.create_blast_to_filter('{"tags_any":["speaker"]}', (select s from spec)) as first_blast \gset
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["speaker"]}', %L)$$, (select s from spec)),
  'P0001', 'blast_name_taken', 'a taken name is refused');
select is((select count(*)::int from public.segments where one_off), 1,
  'after four refusals only the created blast''s one-off segment exists');
select is((select count(*)::int from public.blasts), 1, 'and only its blast');

-- ---------------------------------------------------------------- the allowed path
select results_eq(format($$select s.one_off, s.definition from public.blasts b join public.segments s on s.id = b.segment_id
                          where b.id = %L$$, (:'first_blast'::public.blasts).id),
  $$values (true, '{"tags_any":["speaker"]}'::jsonb)$$,
  'an organizer''s blast reads its audience from the filter, kept as a one-off segment');
select is((select count(*)::int from public.segments where not one_off), 0, 'which is not listed among saved segments');
select tests.act_as('msg_admin');
select is((public.create_blast_to_filter('{}', (select s || '{"name":"Everyone"}' from spec))).name, 'Everyone', 'admins too');

select * from finish();
rollback;
