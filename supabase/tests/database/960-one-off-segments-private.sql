-- One-off segments are written only by create_blast_to_filter (20261128030000): the API offers no
-- other way to leave one behind, and a blast's one-off segment cannot be edited.
begin;
select plan(16);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('one-off blast', 'Hi {{first_name | friend}}!') as tpl \gset

create temporary table spec on commit drop as
  select jsonb_build_object('name', 'Mentors', 'channel', 'sms', 'sms_sender_id', :'sender',
    'variants', jsonb_build_array(jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl', 'weight', 100))) as s;
grant select on spec to anon, authenticated;

-- ---------------------------------------------------------------- no direct way in
select hasnt_function('public', 'save_one_off_segment', array['jsonb'], 'the API no longer offers save_one_off_segment');
select tests.act_as('msg_organizer');
select throws_ok($$insert into public.segments (name, definition, one_off) values ('Sneaky', '{}', true)$$,
  '42501', null, 'an organizer cannot insert a one-off segment directly (POST /segments)');
insert into public.segments (name, definition) values ('Saved', '{"tags_any":["mentor"]}');
select is((select count(*)::int from public.segments where name = 'Saved' and not one_off), 1,
  'an organizer still saves an ordinary segment');
select throws_ok($$update public.segments set one_off = true where name = 'Saved'$$,
  '42501', null, 'nor turn a saved segment into a one-off');

-- ---------------------------------------------------------------- the private helper checks its caller
select tests.act_as('msg_volunteer');
select throws_ok($$select private.save_one_off_segment('{"tags_any":["x"]}')$$, 'P0001', 'not_allowed',
  'volunteers cannot keep a one-off segment');
select tests.act_as('msg_attendee');
select throws_ok($$select private.save_one_off_segment('{"tags_any":["x"]}')$$, 'P0001', 'not_allowed',
  'attendees cannot');
select tests.act_as('msg_organizer');
select throws_ok($$select private.save_one_off_segment('{"no_such_rule":1}')$$, 'P0001', 'invalid_segment',
  'an invalid filter is refused as the segment builder''s');
select is((select count(*)::int from public.segments where one_off), 0, 'nothing one-off exists yet');

-- ---------------------------------------------------------------- the composer's call
select tests.act_as('anon');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["mentor"]}', %L)$$, (select s from spec)),
  '42501', null, 'anon cannot create a blast to a filter');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.create_blast_to_filter('{"tags_any":["mentor"]}', %L)$$, (select s from spec)),
  'P0001', 'not_allowed', 'volunteers cannot');
select tests.act_as('msg_organizer');
select public.create_blast_to_filter('{"tags_any":["mentor"]}', (select s from spec)) as blast \gset
select results_eq(format($$select s.one_off, s.definition, s.created_by from public.blasts b
                           join public.segments s on s.id = b.segment_id where b.id = %L$$, (:'blast'::public.blasts).id),
  format($$values (true, '{"tags_any":["mentor"]}'::jsonb, %L::uuid)$$, tests.get_supabase_uid('msg_organizer')),
  'an organizer''s blast keeps its filter as a one-off segment, created by them');
select lives_ok($$update public.segments set definition = '{}' where one_off$$,
  'editing a blast''s one-off segment is not an error (PATCH matches no row)');
select results_eq($$select definition from public.segments where one_off$$, $$values ('{"tags_any":["mentor"]}'::jsonb)$$,
  'and changes nothing: the one-off segment is the record of who the blast was for');
update public.segments set one_off = false where one_off;
select results_eq($$select count(*)::int from public.segments where one_off$$, $$values (1)$$,
  'nor does turning it into a saved segment: it stays one-off');
select throws_ok($$delete from public.segments where one_off$$, '23503', null,
  'and it cannot be deleted while its blast exists');
select tests.act_as('msg_admin');
select is((public.create_blast_to_filter('{}', (select s || '{"name":"Everyone"}' from spec))).name, 'Everyone', 'admins too');

select * from finish();
rollback;
