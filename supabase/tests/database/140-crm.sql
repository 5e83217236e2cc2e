-- CRM: interactions and segments per role, the segment evaluator (every key, safe against
-- injection), preview, and the activity timeline.
begin;
select plan(55);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000000e1', 'jan', 'January', now() - interval '60 days', now() - interval '60 days', true),
  ('00000000-0000-0000-0000-0000000000e2', 'feb', 'February', now() - interval '30 days', now() - interval '30 days', true);
insert into public.contacts (id, phone, email, first_name, tags, custom_fields, created_at) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'bob@example.com', 'Bob', '{speaker,vip}', '{"shirt": "L"}', now() - interval '100 days'),
  ('00000000-0000-0000-0000-0000000000c2', '+13055550112', null, 'Cy', '{speaker}', '{"shirt": "M"}', now() - interval '10 days'),
  ('00000000-0000-0000-0000-0000000000c3', null, 'di@example.com', 'Di', '{}', '{}', now() - interval '5 days');
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', 'qr', now() - interval '60 days'),
  ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000c1', 'qr', now() - interval '30 days'),
  ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000c2', 'self', now() - interval '30 days');

create function pg_temp.seg(p jsonb) returns text[] language sql as $$
  select coalesce(array_agg(c.first_name order by c.first_name), '{}')
    from private.segment_contact_ids(p) s join public.contacts c on c.id = s
$$;
grant execute on function pg_temp.seg(jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------- segment evaluator
select tests.act_as('organizer');
select is(pg_temp.seg('{}'), array['Ada', 'Bob', 'Cy', 'Di'], 'an empty definition matches every live contact');
select is(pg_temp.seg('{"tags_any": ["vip", "nobody"]}'), array['Bob'], 'tags_any');
select is(pg_temp.seg('{"tags_all": ["speaker", "vip"]}'), array['Bob'], 'tags_all');
select is(pg_temp.seg('{"tags_none": ["speaker"]}'), array['Ada', 'Di'], 'tags_none');
select is(pg_temp.seg('{"attended_events": ["00000000-0000-0000-0000-0000000000e1"]}'), array['Bob'], 'attended_events');
select is(pg_temp.seg('{"min_checkins": 2}'), array['Bob'], 'min_checkins');
select is(pg_temp.seg('{"min_checkins": 1, "last_checkin_after": "2000-01-01"}'), array['Bob', 'Cy'], 'last_checkin_after');
select is(pg_temp.seg(jsonb_build_object('last_checkin_before', now() - interval '45 days')), array[]::text[],
  'last_checkin_before uses the latest check-in');
select is(pg_temp.seg(jsonb_build_object('created_after', now() - interval '20 days', 'created_before', now() - interval '1 day')),
  array['Cy', 'Di'], 'created between');
select is(pg_temp.seg('{"has_phone": false}'), array['Di'], 'has_phone false');
select is(pg_temp.seg('{"has_email": true}'), array['Bob', 'Di'], 'has_email true');
select is(pg_temp.seg('{"custom_field_equals": {"shirt": "M"}}'), array['Cy'], 'custom_field_equals');
select is(pg_temp.seg('{"tags_any": ["speaker"], "has_email": true}'), array['Bob'], 'criteria combine with AND');
select is(pg_temp.seg($${"tags_any": ["x') or true --"], "custom_field_equals": {"a'; drop table public.contacts; --": 1}}$$),
  array[]::text[], 'values are data, never SQL');
select throws_ok($$select pg_temp.seg('{"sql": "true"}')$$, 'P0001', 'invalid_segment', 'unknown keys are refused');
select throws_ok($$select pg_temp.seg('{"min_checkins": "2; drop"}')$$, 'P0001', 'invalid_segment', 'wrong types are refused');
select throws_ok($$select pg_temp.seg('{"attended_events": ["not-a-uuid"]}')$$, 'P0001', 'invalid_segment', 'bad uuids are refused');
select throws_ok($$select pg_temp.seg('[]')$$, 'P0001', 'invalid_segment', 'a definition is an object');

-- ---------------------------------------------------------------- preview
select is(public.preview_segment('{"tags_any": ["speaker"]}', 1) -> 'count', '2'::jsonb, 'preview counts');
select is(jsonb_array_length(public.preview_segment('{"tags_any": ["speaker"]}', 1) -> 'sample'), 1, 'and samples');
select is(public.preview_segment('{"tags_any": ["speaker"]}', 5) #>> '{sample,0,first_name}', 'Cy', 'newest first');
select tests.act_as('volunteer');
select throws_ok($$select public.preview_segment('{}')$$, 'P0001', 'not_allowed', 'volunteers cannot preview segments');
select tests.act_as('attendee');
select throws_ok($$select public.preview_segment('{}')$$, 'P0001', 'not_allowed', 'attendees cannot preview segments');
select tests.act_as('anon');
select throws_ok($$select public.preview_segment('{}')$$, '42501', null, 'anon may not call preview_segment');
select tests.act_as('service_role');
select is(public.preview_segment('{}') -> 'count', '4'::jsonb, 'service_role previews');

-- ---------------------------------------------------------------- segments × roles
select tests.act_as('organizer');
select lives_ok($$insert into public.segments (name, definition) values ('Speakers', '{"tags_any": ["speaker"]}')$$,
  'organizer saves a segment');
select throws_ok($$insert into public.segments (name, definition) values ('Bad', '{"where": "1=1"}')$$,
  'P0001', 'invalid_segment', 'an invalid definition cannot be saved');
select is(tests.row_count($$update public.segments set description = 'x'$$), 1, 'organizer updates segments');
select is((select created_by from public.segments), tests.get_supabase_uid('organizer'), 'created_by defaults to the author');
select tests.act_as('volunteer');
select is((select count(*)::int from public.segments), 0, 'volunteers read no segments');
select throws_ok($$insert into public.segments (name) values ('V')$$, '42501', null, 'volunteers cannot save segments');
select is(tests.row_count($$update public.segments set name = 'x'$$), 0, 'volunteers update no segment');
select tests.act_as('attendee');
select is((select count(*)::int from public.segments), 0, 'attendees read no segments');
select is(tests.row_count($$delete from public.segments$$), 0, 'attendees delete no segment');
select tests.act_as('device');
select is((select count(*)::int from public.segments), 0, 'devices read no segments');
select tests.act_as('anon');
select throws_ok($$select * from public.segments$$, '42501', null, 'anon cannot read segments');
select tests.act_as('admin');
select is((select count(*)::int from public.segments), 1, 'admins read segments');
select tests.act_as('service_role');
select is((select count(*)::int from public.segments), 1, 'service_role reads segments');
select tests.act_as('owner');
select is(tests.row_count($$delete from public.segments$$), 1, 'owner deletes segments');

-- ---------------------------------------------------------------- interactions × roles
select tests.act_as('organizer');
select lives_ok($$insert into public.interactions (contact_id, kind, body, attachments)
                  values ('00000000-0000-0000-0000-0000000000c1', 'call', 'Wants to sponsor',
                          '[{"path": "00000000-0000-0000-0000-0000000000c1/deck.pdf", "name": "deck.pdf"}]')$$,
  'organizer logs a call with an attachment');
select is((select author_id from public.interactions), tests.get_supabase_uid('organizer'), 'the author is recorded');
select throws_ok($$insert into public.interactions (contact_id, kind) values ('00000000-0000-0000-0000-0000000000c1', 'gossip')$$,
  '23514', null, 'kind is note, call, meeting or email');
select is(tests.row_count($$update public.interactions set body = 'Will sponsor'$$), 1, 'organizer edits interactions');
select tests.act_as('volunteer');
select is((select count(*)::int from public.interactions), 0, 'volunteers read no notes');
select throws_ok($$insert into public.interactions (contact_id, kind) values ('00000000-0000-0000-0000-0000000000c1', 'note')$$,
  '42501', null, 'volunteers cannot write notes');
select tests.act_as('attendee');
select is((select count(*)::int from public.interactions), 0, 'attendees read no notes (not even about themselves)');
select is(tests.row_count($$update public.interactions set body = 'x'$$), 0, 'attendees update no notes');
select tests.act_as('device');
select is(tests.row_count($$delete from public.interactions$$), 0, 'devices delete no notes');
select tests.act_as('anon');
select throws_ok($$select * from public.interactions$$, '42501', null, 'anon cannot read notes');
select tests.act_as('service_role');
select is((select count(*)::int from public.interactions), 1, 'service_role reads notes');
select tests.act_as('admin');
select is((select count(*)::int from public.interactions), 1, 'admins read notes');

-- ---------------------------------------------------------------- timeline
select tests.act_as('organizer');
select is((select array_agg(kind order by occurred_at desc) from public.contact_timeline('00000000-0000-0000-0000-0000000000c1')),
  array['call', 'check_in', 'check_in', 'created'], 'the timeline lists interactions, check-ins and creation, newest first');
select tests.act_as('volunteer');
select throws_ok($$select * from public.contact_timeline('00000000-0000-0000-0000-0000000000c1')$$, 'P0001', 'not_allowed',
  'volunteers cannot read timelines');
select tests.act_as('owner');
select is((select count(*)::int from public.interactions), 1, 'owner reads notes');
select is(tests.row_count($$delete from public.interactions$$), 1, 'owner deletes a note');

select * from finish();
rollback;
