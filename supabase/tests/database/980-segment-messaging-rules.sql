-- Segment rules on messaging activity (20261129010000): replied within N days, received / opened /
-- clicked a blast — through the one compiler every caller uses (list_contacts, count_contacts,
-- preview_segment, saved segments, the blast snapshot), validated, per role: an organizer can
-- count, preview and save them; a volunteer, an attendee and anon cannot.
begin;
select plan(36);
select tests.clear_people_data();
select tests.make_people_cast();

select tests.make_sms_sender() as sender \gset
select tests.make_email_sender() as email_sender \gset
select tests.make_template('hi', 'Hi {{first_name | friend}}!') as tpl \gset
select tests.make_contact('+13055550031', 'Bob', 'opted_in', 'bob@example.com', 'opted_in') as bob \gset
select tests.make_contact('+13055550032', 'Cy', 'opted_in', 'cy@example.com', 'opted_in') as cy \gset
select tests.make_contact('+13055550033', 'Di', 'opted_in', 'di@example.com', 'opted_in') as di \gset
insert into public.blasts (name, channel) values ('Spring news', 'email') returning id as news \gset
insert into public.blasts (name, channel) values ('Reminder', 'sms') returning id as reminder \gset

-- Spring news (email): Bob opened and clicked, Cy opened, Di's bounced (not received).
-- Reminder (SMS): Di got it, Cy's is still queued (not received).
insert into public.messages (kind, channel, contact_id, blast_id, to_address, subject, body, status, opened_at, clicked_at) values
  ('blast', 'email', :'bob', :'news', 'bob@example.com', 's', 'b', 'delivered', now() - interval '1 day', now() - interval '1 day'),
  ('blast', 'email', :'cy', :'news', 'cy@example.com', 's', 'b', 'sent', now() - interval '1 day', null),
  ('blast', 'email', :'di', :'news', 'di@example.com', 's', 'b', 'failed', null, null);
insert into public.messages (kind, channel, contact_id, blast_id, to_address, body, status) values
  ('blast', 'sms', :'di', :'reminder', '+13055550033', 'b', 'delivered'),
  ('blast', 'sms', :'cy', :'reminder', '+13055550032', 'b', 'queued');
-- Texts in: Bob two days ago, Cy forty days ago.
insert into public.messages (direction, kind, channel, status, contact_id, to_address, from_address, body, created_at) values
  ('inbound', 'conversation', 'sms', 'received', :'bob', '+13055550100', '+13055550031', 'See you there', now() - interval '2 days'),
  ('inbound', 'conversation', 'sms', 'received', :'cy', '+13055550100', '+13055550032', 'Thanks', now() - interval '40 days');

create function pg_temp.names(p_definition jsonb) returns text[] language sql as $$
  select coalesce(array_agg(l.first_name order by l.first_name), '{}') from public.list_contacts(null, p_definition) l
$$;
grant execute on function pg_temp.names(jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------- organizers: the rules
select tests.act_as('organizer');
select is(pg_temp.names('{"replied_within_days": 7}'), array['Bob'], 'replied within 7 days: Bob texted two days ago');
select is(pg_temp.names('{"replied_within_days": 60}'), array['Bob', 'Cy'], 'within 60 days: Cy too');
select is(pg_temp.names(jsonb_build_object('received_blasts', jsonb_build_array(:'news'))), array['Bob', 'Cy'],
  'received the news: sent or delivered, not Di''s failed email');
select is(pg_temp.names(jsonb_build_object('received_blasts', jsonb_build_array(:'reminder'))), array['Di'],
  'received the reminder: Cy''s queued text does not count');
select is(pg_temp.names(jsonb_build_object('received_blasts', jsonb_build_array(:'news', :'reminder'))), array['Bob', 'Cy', 'Di'],
  'any of several blasts');
select is(pg_temp.names(jsonb_build_object('opened_blasts', jsonb_build_array(:'news'))), array['Bob', 'Cy'], 'opened the news');
select is(pg_temp.names(jsonb_build_object('clicked_blasts', jsonb_build_array(:'news'))), array['Bob'], 'clicked in the news');
select is(pg_temp.names(jsonb_build_object('opened_blasts', jsonb_build_array(:'reminder'))), '{}'::text[],
  'a text has no opens');
select is(pg_temp.names(jsonb_build_object('opened_blasts', jsonb_build_array(:'news'), 'replied_within_days', 7, 'has_email', true)),
  array['Bob'], 'rules combine with each other and the older ones');
select is(pg_temp.names(jsonb_build_object('received_blasts', jsonb_build_array(gen_random_uuid()))), '{}'::text[],
  'an unknown blast matches nobody');
select is(public.preview_segment(jsonb_build_object('clicked_blasts', jsonb_build_array(:'news')), 5) -> 'count', '1'::jsonb,
  'preview_segment counts with the new rules');
select is(public.count_contacts(null, jsonb_build_object('received_blasts', jsonb_build_array(:'news'))), 2::bigint,
  'count_contacts agrees');
select is(public.count_contacts('bob', '{"replied_within_days": 30}'), 1::bigint, 'with a search too');

-- Bad values: invalid_segment, nothing saved.
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": 0}')$$, 'P0001', 'invalid_segment', 'zero days is refused');
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": -3}')$$, 'P0001', 'invalid_segment', 'negative days are refused');
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": 1.5}')$$, 'P0001', 'invalid_segment', 'days are whole');
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": "7"}')$$, 'P0001', 'invalid_segment', 'days are a number');
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": 99999999999}')$$, 'P0001', 'invalid_segment',
  'days are bounded');
select throws_ok($$select public.preview_segment('{"received_blasts": ["not-a-uuid"]}')$$, 'P0001', 'invalid_segment',
  'a blast id must be a uuid');
select throws_ok($$select public.preview_segment('{"received_blasts": ["{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"]}')$$,
  'P0001', 'invalid_segment', 'a blast id is written as the API gives it (no braces)');
select throws_ok($$select public.preview_segment('{"opened_blasts": "all"}')$$, 'P0001', 'invalid_segment', 'blasts are a list');
select throws_ok($$select public.preview_segment('{"clicked_blasts": [5]}')$$, 'P0001', 'invalid_segment', 'of ids');
select throws_ok($$select public.preview_segment('{"bounced_blasts": []}')$$, 'P0001', 'invalid_segment', 'unknown keys are refused');
select throws_ok($$insert into public.segments (name, definition) values ('Bad', '{"replied_within_days": -1}')$$,
  'P0001', 'invalid_segment', 'a bad rule is refused on save');
select is((select count(*) from public.segments where name = 'Bad'), 0::bigint, 'nothing stored for the bad rule');

-- Saving, and the saved list's count (the builder counts a saved segment with count_contacts).
insert into public.segments (name, definition)
values ('Engaged', jsonb_build_object('replied_within_days', 60, 'received_blasts', jsonb_build_array(:'news'),
                                      'opened_blasts', jsonb_build_array(:'news'), 'clicked_blasts', jsonb_build_array(:'news')))
returning id as engaged \gset
select is(public.count_contacts(null, (select definition from public.segments where id = :'engaged')), 1::bigint,
  'an organizer saves a segment with every new rule, and its count is Bob');

-- ---------------------------------------------------------------- the blast snapshot compiles them too
insert into public.segments (name, definition) values ('Got the news', jsonb_build_object('received_blasts', jsonb_build_array(:'news')))
returning id as got_news \gset
insert into public.blasts (name, channel, sms_template_id, sms_sender_id, segment_id)
values ('Follow-up', 'sms', :'tpl', :'sender', :'got_news') returning id as follow_up \gset
select lives_ok(format($$select public.start_blast(%L)$$, :'follow_up'), 'an organizer starts a blast to a messaging-activity segment');
select tests.act_as('service_role');
select results_eq(format($$select to_address from public.blast_recipients where blast_id = %L order by 1$$, :'follow_up'),
  $$values ('+13055550031'), ('+13055550032')$$, 'its snapshot holds the people who received the news');

-- ---------------------------------------------------------------- volunteers and others cannot
select tests.act_as('volunteer');
select throws_ok(format($$select public.preview_segment(%L)$$, jsonb_build_object('opened_blasts', jsonb_build_array(:'news'))),
  'P0001', 'not_allowed', 'volunteers cannot preview a messaging segment');
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": 7}')$$, 'P0001', 'not_allowed',
  'nor count one');
select throws_ok($$insert into public.segments (name, definition) values ('Mine', '{"replied_within_days": 7}')$$,
  '42501', null, 'nor save one');
select is(tests.visible_rows('public.messages'), 0::bigint, 'and read no messages the rules look at');
select tests.act_as('attendee');
select throws_ok($$select public.preview_segment('{"replied_within_days": 7}')$$, 'P0001', 'not_allowed', 'attendees cannot preview');
select tests.act_as('anon');
select throws_ok($$select public.preview_segment('{"replied_within_days": 7}')$$, '42501', null, 'anon may not call preview_segment');
select throws_ok($$select public.count_contacts(null, '{"replied_within_days": 7}')$$, '42501', null, 'nor count_contacts');
select tests.act_as('service_role');
select is((select count(*) from public.segments where name = 'Mine'), 0::bigint, 'nothing saved by them');

select * from finish();
rollback;
