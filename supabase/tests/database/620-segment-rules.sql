-- Segment rules of the segment builder: first-timers (min and max check-ins), at most N
-- check-ins, no check-in in N days, any of the last N events, source — through the one
-- compiler every caller uses (list_contacts, preview_segment), validated, per role: an
-- organizer can build and save them, a volunteer cannot.
begin;
select plan(28);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000000e1', 'jan', 'January', now() - interval '60 days', now() - interval '60 days', true),
  ('00000000-0000-0000-0000-0000000000e2', 'mar', 'March', now() - interval '10 days', now() - interval '10 days', true),
  ('00000000-0000-0000-0000-0000000000e3', 'may', 'May (not yet)', now() + interval '10 days', now() + interval '10 days', true);
insert into public.contacts (id, email, first_name, source, created_at) values
  ('00000000-0000-0000-0000-0000000000c1', 'bob@example.com', 'Bob', 'luma', now() - interval '100 days'),
  ('00000000-0000-0000-0000-0000000000c2', 'cy@example.com', 'Cy', 'door', now() - interval '10 days'),
  ('00000000-0000-0000-0000-0000000000c3', 'di@example.com', 'Di', 'door', now() - interval '5 days');
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', 'qr', now() - interval '60 days'),
  ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c2', 'qr', now() - interval '60 days'),
  ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000c2', 'qr', now() - interval '10 days');

create function pg_temp.names(p_definition jsonb) returns text[] language sql as $$
  select coalesce(array_agg(l.first_name), '{}') from public.list_contacts(null, p_definition) l
$$;
grant execute on function pg_temp.names(jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------- organizers: the new rules
select tests.act_as('organizer');
select is(pg_temp.names('{"min_checkins": 1, "max_checkins": 1}'), array['Bob'], 'first-timers: exactly one check-in');
select is(pg_temp.names('{"max_checkins": 1}'), array['Ada', 'Di', 'Bob'],
  'at most one check-in includes people who never checked in');
select is(pg_temp.names('{"max_checkins": 0}'), array['Ada', 'Di'], 'at most zero: never checked in');
select is(pg_temp.names('{"no_checkin_days": 30}'), array['Ada', 'Di', 'Bob'],
  'no check-in in 30 days: lapsed and never checked in, not Cy (10 days ago)');
select is(pg_temp.names('{"no_checkin_days": 90}'), array['Ada', 'Di'], 'no check-in in 90 days');
select is(pg_temp.names('{"attended_last_events": 1}'), array['Cy'],
  'the last event that has started (an upcoming one does not count)');
select is(pg_temp.names('{"attended_last_events": 2}'), array['Cy', 'Bob'], 'any of the last two events');
select is(pg_temp.names('{"source": "door"}'), array['Di', 'Cy'], 'source equals');
select is(pg_temp.names('{"source": "door", "min_checkins": 2}'), array['Cy'], 'rules combine');
select is(public.preview_segment('{"source": "luma"}', 5) -> 'count', '1'::jsonb, 'preview_segment counts with the new rules');
select is(public.count_contacts(null, '{"max_checkins": 1, "tags_none": ["x"]}'), 3::bigint, 'count_contacts agrees');

select throws_ok($$select pg_temp.names('{"max_checkins": -1}')$$, 'P0001', 'invalid_segment', 'a negative maximum is refused');
select throws_ok($$select pg_temp.names('{"no_checkin_days": "soon"}')$$, 'P0001', 'invalid_segment', 'days must be a number');
select throws_ok($$select pg_temp.names('{"attended_last_events": 1.5}')$$, 'P0001', 'invalid_segment', 'event count must be whole');
select throws_ok($$select pg_temp.names('{"source": 5}')$$, 'P0001', 'invalid_segment', 'source must be text');
select throws_ok($$select pg_temp.names('{"source; drop table x": "a"}')$$, 'P0001', 'invalid_segment', 'unknown keys are refused');

-- Saving: a segment with the new rules is stored; a bad one is refused and nothing is stored.
select lives_ok($$insert into public.segments (name, definition)
  values ('Lapsed door people', '{"source": "door", "no_checkin_days": 30}')$$, 'organizers save a segment with the new rules');
select throws_ok($$insert into public.segments (name, definition) values ('Bad', '{"max_checkins": "many"}')$$,
  'P0001', 'invalid_segment', 'a bad rule is refused on save');
select is((select count(*) from public.segments where name = 'Bad'), 0::bigint, 'nothing stored for the bad rule');
select lives_ok($$update public.segments set name = 'Lapsed (door)' where name = 'Lapsed door people'$$, 'organizers rename a segment');
select is((select count(*) from public.segments where name = 'Lapsed (door)'), 1::bigint, 'renamed');

-- ---------------------------------------------------------------- volunteers and others cannot
select tests.act_as('volunteer');
select throws_ok($$select public.preview_segment('{"source": "door"}')$$, 'P0001', 'not_allowed', 'volunteers cannot preview segments');
select throws_ok($$insert into public.segments (name, definition) values ('Mine', '{"source": "door"}')$$,
  '42501', null, 'volunteers cannot save segments');
select is((select count(*) from public.segments), 0::bigint, 'volunteers read no segments');
select lives_ok($$delete from public.segments$$, 'a volunteer''s delete runs');
select tests.act_as('attendee');
select throws_ok($$select public.preview_segment('{"max_checkins": 1}')$$, 'P0001', 'not_allowed', 'attendees cannot preview segments');
select tests.act_as('anon');
select throws_ok($$select public.preview_segment('{}')$$, '42501', null, 'anon may not call preview_segment');
select tests.act_as('service_role');
select is((select count(*) from public.segments where name = 'Lapsed (door)'), 1::bigint, 'the volunteer deleted nothing');

select * from finish();
rollback;
