-- Profiles and storage buckets, the audit log, and the dashboard views, per role.
begin;
select plan(52);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.contacts (id, phone, first_name) values ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob');
insert into public.profiles (contact_id, bio) values ('00000000-0000-0000-0000-0000000000c1', 'Bob bio');

-- ---------------------------------------------------------------- profiles
select tests.act_as('attendee');
select lives_ok($$insert into public.profiles (contact_id, bio, github_url, linkedin_url)
                  values (private.current_contact_id(), 'Hi', 'https://github.com/ada', 'https://www.linkedin.com/in/ada-l')$$,
  'an attendee creates their own profile');
select is((select count(*)::int from public.profiles), 1, 'and reads only their own');
select is(tests.row_count($$update public.profiles set bio = 'Hello'$$), 1, 'and updates only their own');
select throws_ok($$update public.profiles set github_url = 'javascript:alert(1)'$$, '23514', null, 'GitHub URLs are validated');
select throws_ok($$update public.profiles set linkedin_url = 'https://evil.example/in/ada'$$, '23514', null, 'LinkedIn URLs are validated');
select throws_ok($$insert into public.profiles (contact_id, bio) values ('00000000-0000-0000-0000-0000000000c2', 'x')$$,
  '42501', null, 'an attendee cannot create someone else''s profile');
select is(tests.row_count($$delete from public.profiles$$), 0, 'an attendee cannot delete profiles');
select tests.act_as('volunteer');
select is((select count(*)::int from public.profiles), 0, 'volunteers read no profiles');
select throws_ok($$insert into public.profiles (contact_id) values ('00000000-0000-0000-0000-0000000000c1')$$, '42501', null,
  'volunteers cannot create profiles');
select is(tests.row_count($$update public.profiles set bio = 'x'$$), 0, 'volunteers update no profile');
select tests.act_as('device');
select is((select count(*)::int from public.profiles), 0, 'devices read no profiles');
select tests.act_as('anon');
select throws_ok($$select * from public.profiles$$, '42501', null, 'anon cannot read profiles');
select tests.act_as('organizer');
select is((select count(*)::int from public.profiles), 2, 'organizers read profiles');
select is(tests.row_count($$update public.profiles set bio = 'Edited' where contact_id = '00000000-0000-0000-0000-0000000000c1'$$), 1,
  'organizers update profiles');
select is(tests.row_count($$delete from public.profiles where contact_id = '00000000-0000-0000-0000-0000000000c1'$$), 1,
  'organizers delete profiles');
select tests.act_as('admin');
select is((select count(*)::int from public.profiles), 1, 'admins read profiles');
select tests.act_as('owner');
select is((select count(*)::int from public.profiles), 1, 'owners read profiles');
select tests.act_as('service_role');
select is((select count(*)::int from public.profiles), 1, 'service_role reads profiles');

-- ---------------------------------------------------------------- storage
select tests.reset_role();
select results_eq($$select id, public from storage.buckets where id in ('avatars', 'attachments') order by id$$,
  $$values ('attachments'::text, false), ('avatars'::text, true)$$, 'avatars is public, attachments private');
select tests.act_as('attendee');
select lives_ok(format($$insert into storage.objects (bucket_id, name) values ('avatars', '%s/me.png')$$, tests.get_supabase_uid('attendee')),
  'a user uploads an avatar into their own folder');
select throws_ok(format($$insert into storage.objects (bucket_id, name) values ('avatars', '%s/me.png')$$, tests.get_supabase_uid('volunteer')),
  '42501', null, 'but not into someone else''s folder');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('attachments', 'x/file.pdf')$$, '42501', null,
  'attendees cannot upload attachments');
select tests.act_as('anon');
select is((select count(*)::int from storage.objects where bucket_id = 'avatars'), 1, 'anyone can read avatars');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('avatars', 'anon/me.png')$$, '42501', null,
  'anon cannot upload');
select tests.act_as('volunteer');
select is(tests.row_count($$delete from storage.objects where bucket_id = 'avatars'$$), 0, 'others cannot delete my avatar');
select throws_ok($$insert into storage.objects (bucket_id, name) values ('attachments', 'x/file.pdf')$$, '42501', null,
  'volunteers cannot upload attachments');
select tests.act_as('organizer');
select lives_ok($$insert into storage.objects (bucket_id, name) values ('attachments', '00000000-0000-0000-0000-0000000000c1/deck.pdf')$$,
  'organizers upload attachments');
select is((select count(*)::int from storage.objects where bucket_id = 'attachments'), 1, 'organizers read attachments');
select tests.act_as('volunteer');
select is((select count(*)::int from storage.objects where bucket_id = 'attachments'), 0, 'volunteers read no attachments');
select tests.act_as('attendee');
select is((select count(*)::int from storage.objects where bucket_id = 'attachments'), 0, 'attendees read no attachments');
select is(tests.row_count($$delete from storage.objects where bucket_id = 'avatars'$$), 1, 'a user deletes their own avatar');
select tests.act_as('admin');
select is(tests.row_count($$delete from storage.objects where bucket_id = 'attachments'$$), 1, 'admins delete attachments');

-- ---------------------------------------------------------------- audit log
select tests.act_as('organizer');
update public.contacts set company = 'Acme' where id = '00000000-0000-0000-0000-0000000000c1';
insert into public.events (slug, name, starts_at, ends_at) values ('audited', 'Audited', now(), now());
select tests.act_as('admin');
select results_eq($$select actor_id, action, before ->> 'company', after ->> 'company' from public.audit_log
                     where table_name = 'contacts' and action = 'update' and actor_id is not null$$,
  $$values (tests.get_supabase_uid('organizer'), 'update'::text, null::text, 'Acme'::text)$$,
  'a staff change to a contact is logged with who, before and after');
select is((select count(*)::int from public.audit_log where table_name = 'events' and action = 'insert'), 1, 'event changes are logged');
select ok((select count(*) > 0 from public.audit_log where table_name = 'staff'), 'staff changes are logged');
select throws_ok($$insert into public.audit_log (action) values ('forged')$$, '42501', null, 'nobody forges audit entries');
select throws_ok($$delete from public.audit_log$$, '42501', null, 'nobody deletes audit entries');
select tests.act_as('owner');
select ok((select count(*) > 0 from public.audit_log), 'owners read the audit log');
select throws_ok($$update public.audit_log set action = 'x'$$, '42501', null, 'nobody rewrites audit entries');
select tests.act_as('organizer');
select is((select count(*)::int from public.audit_log), 0, 'organizers read no audit log');
select tests.act_as('volunteer');
select is((select count(*)::int from public.audit_log), 0, 'volunteers read no audit log');
select tests.act_as('attendee');
select is((select count(*)::int from public.audit_log), 0, 'attendees read no audit log');
select tests.act_as('device');
select is((select count(*)::int from public.audit_log), 0, 'devices read no audit log');
select tests.act_as('anon');
select throws_ok($$select * from public.audit_log$$, '42501', null, 'anon cannot read the audit log');
select tests.act_as('service_role');
select ok((select count(*) > 0 from public.audit_log), 'service_role reads the audit log');
select throws_ok($$insert into public.audit_log (action) values ('forged')$$, '42501', null, 'not even service_role forges entries');

-- ---------------------------------------------------------------- dashboard views
select tests.reset_role();
insert into public.events (id, slug, name, starts_at, ends_at) values
  ('00000000-0000-0000-0000-0000000000e1', 'one', 'One', now() - interval '1 day', now() - interval '1 day'),
  ('00000000-0000-0000-0000-0000000000e2', 'two', 'Two', now(), now());
insert into public.check_ins (event_id, contact_id, method, checked_in_at) values
  ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', 'qr', now() - interval '1 day'),
  ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-0000000000c1', 'qr', now()),
  ('00000000-0000-0000-0000-0000000000e2', (select id from public.contacts where phone = '+13055550101'), 'qr', now());
select ok((select reloptions @> array['security_invoker=true'] from pg_class where oid = 'public.dashboard_checkins_per_event'::regclass),
  'dashboard views run with the caller''s rights');
select tests.act_as('organizer');
select results_eq($$select name, check_ins, first_timers, returning_attendees from public.dashboard_checkins_per_event
                     where name in ('One', 'Two') order by name$$,
  $$values ('One'::text, 1::bigint, 1::bigint, 0::bigint), ('Two'::text, 2::bigint, 1::bigint, 1::bigint)$$,
  'check-ins per event split into first-timers and returning');
select is((select contacts from public.dashboard_contact_totals), 2::bigint, 'contact totals');
select is((select sum(new_contacts) from public.dashboard_contacts_per_month), 2::numeric, 'new contacts per month');
select tests.act_as('volunteer');
select is((select contacts from public.dashboard_contact_totals), 0::bigint, 'volunteers see no contact totals (RLS applies)');
select tests.act_as('anon');
select throws_ok($$select * from public.dashboard_contact_totals$$, '42501', null, 'anon cannot read dashboards');

select * from finish();
rollback;
