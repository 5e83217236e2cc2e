-- CRM contacts list: search (name, phone digits, email, company, wildcards literal), filters
-- through segment definitions and language, sort, paging, count, tag counts, bulk tags (by
-- selection and by filter, audited), audited export, the activity timeline, the audit of
-- interactions/segments/devices — each per role: an organizer can, a volunteer cannot.
begin;
select plan(56);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000000e1', 'jan', 'January', now() - interval '60 days', now() - interval '60 days', true);
insert into public.contacts (id, phone, email, first_name, last_name, company, tags, preferred_language, created_at) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'bob@example.com', 'Bob', 'Zed', 'Acme 100%', '{speaker,vip}', 'en', now() - interval '100 days'),
  ('00000000-0000-0000-0000-0000000000c2', '+13055550112', null, 'Cy', 'Young', 'Initech', '{speaker}', 'es', now() - interval '10 days'),
  ('00000000-0000-0000-0000-0000000000c3', null, 'di@example.org', 'Di', 'Able', 'Acme_1', '{}', null, now() - interval '5 days');
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', 'qr', now() - interval '60 days');

create function pg_temp.names(p_search text, p_definition jsonb default null, p_language text default null,
                              p_sort text default 'newest', p_limit integer default 50, p_offset integer default 0)
returns text[] language sql as $$
  select coalesce(array_agg(l.first_name), '{}')
    from public.list_contacts(p_search, p_definition, p_language, p_sort, p_limit, p_offset) l
$$;
grant execute on function pg_temp.names(text, jsonb, text, text, integer, integer) to authenticated, service_role;

-- ---------------------------------------------------------------- the index
select ok(exists (select 1 from pg_indexes where indexname = 'contacts_search_trgm_idx' and indexdef ~ 'gin_trgm_ops'),
  'contacts are searched through a pg_trgm index');

-- ---------------------------------------------------------------- search and filters
select tests.act_as('organizer');
select is(pg_temp.names(null), array['Ada', 'Di', 'Cy', 'Bob'], 'no search: every live contact, newest first');
select is(pg_temp.names('bO'), array['Bob'], 'search ignores case');
select is(pg_temp.names('young'), array['Cy'], 'search matches the last name');
select is(pg_temp.names('example.org'), array['Di'], 'search matches the email');
select is(pg_temp.names('initech'), array['Cy'], 'search matches the company');
select is(pg_temp.names('(305) 555-0112'), array['Cy'], 'a typed phone matches by its digits');
select is(pg_temp.names('100%'), array['Bob'], 'a percent sign matches itself');
select is(pg_temp.names('acme_'), array['Di'], 'an underscore matches itself');
select is(pg_temp.names('   '), array['Ada', 'Di', 'Cy', 'Bob'], 'a blank search is no search');
select is(pg_temp.names(null, '{"tags_any": ["speaker"]}'), array['Cy', 'Bob'], 'a segment definition filters');
select is(pg_temp.names('b', '{"min_checkins": 1}'), array['Bob'], 'search and filter combine');
select is(pg_temp.names(null, null, 'es'), array['Cy'], 'language filters');
select is(pg_temp.names(null, null, null, 'name'), array['Ada', 'Di', 'Cy', 'Bob'], 'sort by last name (no last name sorts first)');
select is(pg_temp.names(null, null, null, 'oldest', 2, 1), array['Cy', 'Di'], 'paging');
select is((select check_in_count from public.list_contacts('bob')), 1::bigint, 'rows carry their check-in count');
select is(public.count_contacts('acme'), 2::bigint, 'count agrees with the search');
select is(public.count_contacts(null, '{"tags_any": ["speaker"]}'), 2::bigint, 'count agrees with the filter');
select results_eq($$select tag, contacts from public.contact_tag_counts()$$,
  $$values ('speaker'::text, 2::bigint), ('vip', 1)$$, 'tags in use with their counts');

select is(pg_temp.names(null, '{"min_checkins": 0}'), array['Ada', 'Di', 'Cy', 'Bob'],
  'at least 0 check-ins includes people never checked in');
select is(pg_temp.names(null, jsonb_build_object('last_checkin_before', now())), array['Bob'],
  'a last check-in date never matches people never checked in');
select is(pg_temp.names(null, '{"consent_sms": "unknown", "has_email": true}'), array['Di', 'Bob'],
  'consent and other criteria combine');
select throws_ok($$select pg_temp.names(null, null, null, 'phone; drop')$$, 'P0001', 'invalid_argument', 'unknown sort refused');
select throws_ok($$select pg_temp.names(null, null, null, 'newest', 501)$$, 'P0001', 'invalid_argument', 'page size bounded');
select throws_ok($$select pg_temp.names(null, null, 'fr')$$, 'P0001', 'invalid_argument', 'unknown language refused');
select throws_ok($$select pg_temp.names(null, '{"sql": "true"}')$$, 'P0001', 'invalid_segment', 'bad definition refused');

select tests.act_as('volunteer');
select throws_ok($$select pg_temp.names(null)$$, 'P0001', 'not_allowed', 'volunteers cannot list contacts');
select throws_ok($$select public.count_contacts()$$, 'P0001', 'not_allowed', 'volunteers cannot count contacts');
select throws_ok($$select * from public.contact_tag_counts()$$, 'P0001', 'not_allowed', 'volunteers cannot read tag counts');
select tests.act_as('attendee');
select throws_ok($$select pg_temp.names(null)$$, 'P0001', 'not_allowed', 'attendees cannot list contacts');
select tests.act_as('anon');
select throws_ok($$select * from public.list_contacts()$$, '42501', null, 'anon may not call list_contacts');

-- ---------------------------------------------------------------- bulk tags
select tests.act_as('organizer');
select is(public.tag_contacts(array['00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000c3']::uuid[],
                              array[' vip ', 'vip', 'new'], array['speaker']), 2, 'tags added and removed on a selection');
select tests.act_as('service_role');
select results_eq($$select first_name, tags from public.contacts where first_name in ('Cy', 'Di') order by 1$$,
  $$values ('Cy'::text, '{new,vip}'::text[]), ('Di', '{new,vip}')$$, 'tags are trimmed, deduplicated, sorted');
select tests.act_as('organizer');
select is(public.tag_contacts(array['00000000-0000-0000-0000-0000000000c2']::uuid[], array['vip']), 0,
  'a change that changes nothing writes nothing');
select is(public.tag_matching_contacts('acme', null, null, '{}', array['vip']), 2, 'tags removed on every contact a filter matches');
select throws_ok($$select public.tag_contacts(array['00000000-0000-0000-0000-0000000000c1']::uuid[], array[''])$$,
  'P0001', 'invalid_argument', 'an empty tag is refused');
select throws_ok($$select public.tag_contacts(array['00000000-0000-0000-0000-0000000000c1']::uuid[], array['a'], array['a'])$$,
  'P0001', 'invalid_argument', 'adding and removing one tag is refused');
select throws_ok($$select public.tag_contacts('{}'::uuid[], array['a'])$$, 'P0001', 'invalid_argument', 'an empty selection is refused');
select throws_ok($$select public.tag_contacts(array['00000000-0000-0000-0000-0000000000c1']::uuid[])$$,
  'P0001', 'invalid_argument', 'no tag at all is refused');
select tests.act_as('volunteer');
select throws_ok($$select public.tag_contacts(array['00000000-0000-0000-0000-0000000000c1']::uuid[], array['x'])$$,
  'P0001', 'not_allowed', 'volunteers cannot tag contacts');
select throws_ok($$select public.tag_matching_contacts(null, null, null, array['x'])$$,
  'P0001', 'not_allowed', 'volunteers cannot tag by filter');
select tests.act_as('service_role');
select is((select tags from public.contacts where first_name = 'Bob'), '{speaker}'::text[], 'the refused calls changed nothing');
select is((select count(*) from public.audit_log where action = 'tag_bulk'), 3::bigint, 'each bulk change is audited once');
select is((select detail ->> 'search' from public.audit_log where action = 'tag_bulk' and detail ? 'search'), 'acme',
  'with the filter it applied to');

-- ---------------------------------------------------------------- export
select tests.act_as('organizer');
select is((select array_agg(first_name) from public.export_contact_list('acme')), array['Bob', 'Di'], 'export follows the list filter');
select is((select count(*) from public.export_contacts()), 4::bigint, 'export_contacts still exports everyone');
select tests.act_as('volunteer');
select throws_ok($$select * from public.export_contact_list()$$, 'P0001', 'not_allowed', 'volunteers cannot export');
select tests.act_as('admin');
select is((select count(*) from public.audit_log where action = 'export'), 2::bigint, 'exports are audited, readable by admins');
select tests.act_as('organizer');
select is((select count(*) from public.audit_log), 0::bigint, 'organizers cannot read the audit log');

-- ---------------------------------------------------------------- timeline
select tests.act_as('service_role');
insert into public.interactions (contact_id, kind, body, occurred_at) values
  ('00000000-0000-0000-0000-0000000000c1', 'note', 'Met at the door', now() - interval '2 days');
insert into public.messages (direction, contact_id, to_address, body, status, created_at) values
  ('outbound', '00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Hello Bob', 'delivered', now() - interval '1 day'),
  ('inbound', '00000000-0000-0000-0000-0000000000c1', '+15550000000', 'Hi!', 'received', now() - interval '12 hours');
insert into public.consent_events (contact_id, channel, status, source, created_at) values
  ('00000000-0000-0000-0000-0000000000c1', 'sms', 'opted_in', 'staff', now() - interval '3 days');
select tests.act_as('organizer');
select results_eq(
  $$select kind from public.contact_activity('00000000-0000-0000-0000-0000000000c1')$$,
  $$values ('message'::text), ('message'), ('interaction'), ('consent'), ('check_in'), ('created')$$,
  'the timeline has messages, interactions, consent, check-ins and creation, newest first');
select is((select detail ->> 'status' from public.contact_activity('00000000-0000-0000-0000-0000000000c1', null, 1)),
  'received', 'messages carry their status');
select results_eq(
  $$select kind from public.contact_activity('00000000-0000-0000-0000-0000000000c1', now() - interval '2 days', 2)$$,
  $$values ('consent'::text), ('check_in')$$, 'pages continue strictly before a time');
select throws_ok($$select * from public.contact_activity('00000000-0000-0000-0000-0000000000c1', null, 0)$$,
  'P0001', 'invalid_argument', 'page size bounded');
select tests.act_as('volunteer');
select throws_ok($$select * from public.contact_activity('00000000-0000-0000-0000-0000000000c1')$$,
  'P0001', 'not_allowed', 'volunteers cannot read a timeline');

-- ---------------------------------------------------------------- audit of CRM tables
select tests.act_as('organizer');
insert into public.segments (name, definition) values ('Speakers', '{"tags_any": ["speaker"]}');
insert into public.interactions (contact_id, kind, body) values ('00000000-0000-0000-0000-0000000000c2', 'call', 'Called');
select tests.act_as('admin');
select results_eq(
  $$select table_name, action from public.audit_log
     where actor_id = tests.get_supabase_uid('organizer') and table_name in ('segments', 'interactions') order by 1$$,
  $$values ('interactions'::text, 'insert'::text), ('segments', 'insert')$$,
  'segments and interactions written by an organizer are audited with who did it');
select tests.act_as('service_role');
update public.devices set name = 'renamed';
select tests.act_as('admin');
select is((select count(*) from public.audit_log where table_name = 'devices' and action = 'update'), 1::bigint,
  'device changes are audited');

select * from finish();
rollback;
