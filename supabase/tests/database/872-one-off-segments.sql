-- One-off segments: the blast composer's unsaved filter kept as an unlisted segment, validated and
-- compiled like any saved one.
begin;
select plan(8);

select tests.make_messaging_roles();

select tests.act_as('anon');
select throws_ok($$select public.save_one_off_segment('{"tags_any":["x"]}')$$, '42501', null, 'anon cannot');
select tests.act_as('msg_volunteer');
select throws_ok($$select public.save_one_off_segment('{"tags_any":["x"]}')$$, '42501', null,
  'volunteers cannot (the segments insert policy)');
select tests.act_as('msg_attendee');
select throws_ok($$select public.save_one_off_segment('{"tags_any":["x"]}')$$, '42501', null, 'attendees cannot');

select tests.act_as('msg_organizer');
select throws_ok($$select public.save_one_off_segment('{"no_such_rule":1}')$$, 'P0001', 'invalid_segment',
  'an invalid filter is refused as the segment builder''s');
select is((select count(*)::int from public.segments), 0, 'and nothing is saved');
select public.save_one_off_segment('{"tags_any":["speaker"],"has_phone":true}') as one_off \gset
select results_eq(format($$select one_off, definition from public.segments where id = %L$$, :'one_off'),
  $$values (true, '{"tags_any":["speaker"],"has_phone":true}'::jsonb)$$,
  'an organizer keeps the filter as a one-off segment');
select isnt(public.save_one_off_segment('{"tags_any":["speaker"],"has_phone":true}'), :'one_off'::uuid,
  'the same filter twice makes two one-offs (each blast its own)');
select tests.act_as('msg_admin');
select ok(public.save_one_off_segment('{}') is not null, 'admins too');

select * from finish();
rollback;
