-- Staff and contacts: RLS per role and operation, staff-management rules, the auth.users link.
begin;
select plan(83);
select tests.clear_people_data();

select tests.rls_enabled('public');
select tests.make_people_cast();
insert into public.contacts (id, phone, email, first_name) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob@Example.com', 'Bob');

-- ---------------------------------------------------------------- staff: select
select tests.act_as('owner');
select is((select count(*)::int from public.staff), 4, 'owner reads the whole staff list');
select tests.act_as('admin');
select is((select count(*)::int from public.staff), 4, 'admin reads the whole staff list');
select tests.act_as('organizer');
select is((select count(*)::int from public.staff), 4, 'organizer reads the staff list');
select tests.act_as('volunteer');
select is((select count(*)::int from public.staff), 1, 'volunteer reads only their own staff row');
select tests.act_as('attendee');
select is((select count(*)::int from public.staff), 0, 'attendee reads no staff');
select tests.act_as('device');
select is((select count(*)::int from public.staff), 0, 'device reads no staff');
select tests.act_as('anon');
select throws_ok('select * from public.staff', '42501', null, 'anon cannot read staff');
select tests.act_as('service_role');
select is((select count(*)::int from public.staff), 4, 'service_role reads staff');

-- ---------------------------------------------------------------- staff: direct writes denied
select tests.act_as('owner');
select throws_ok($$insert into public.staff (user_id, level) values (tests.get_supabase_uid('stranger'), 'owner')$$,
  '42501', null, 'even an owner cannot insert staff rows directly');
select throws_ok($$update public.staff set level = 'owner'$$, '42501', null, 'nor update them directly');
select throws_ok($$delete from public.staff$$, '42501', null, 'nor delete them directly');
select tests.act_as('volunteer');
select throws_ok($$update public.staff set level = 'owner'$$, '42501', null, 'volunteer cannot promote themselves');
select tests.act_as('anon');
select throws_ok($$insert into public.staff (user_id, level) values (gen_random_uuid(), 'owner')$$, '42501', null,
  'anon cannot insert staff');

-- ---------------------------------------------------------------- staff functions
select tests.act_as('admin');
select is((public.add_staff(tests.get_supabase_uid('stranger'), 'organizer', 'Stan')).level, 'organizer',
  'admin adds an organizer');
select throws_ok($$select public.add_staff(tests.get_supabase_uid('stranger'), 'volunteer')$$, 'P0001',
  'already_staff', 'adding existing staff is refused with already_staff');
select throws_ok($$select public.add_staff(gen_random_uuid(), 'volunteer')$$, 'P0001', 'unknown_user',
  'adding a non-user is refused with unknown_user');
select throws_ok($$select public.set_staff_level(tests.get_supabase_uid('stranger'), 'owner')$$, 'P0001',
  'not_allowed', 'admin cannot make an owner');
select throws_ok($$select public.set_staff_level(tests.get_supabase_uid('owner'), 'volunteer')$$, 'P0001',
  'not_allowed', 'admin cannot demote an owner');
select throws_ok($$select public.disable_staff(tests.get_supabase_uid('owner'))$$, 'P0001', 'not_allowed',
  'admin cannot disable an owner');
select is((public.set_staff_level(tests.get_supabase_uid('stranger'), 'volunteer')).level, 'volunteer',
  'admin changes an organizer to volunteer');
select throws_ok($$select public.set_staff_level(gen_random_uuid(), 'volunteer')$$, 'P0001', 'not_staff',
  'changing a non-staff user is refused with not_staff');
select is((public.disable_staff(tests.get_supabase_uid('stranger'))).status, 'disabled', 'admin disables staff');
select tests.act_as('stranger');
select is(private.has_staff_level('volunteer'), false, 'disabled staff have no staff rights');
select is(public.my_staff_level(), null, 'my_staff_level is null for disabled staff');

select tests.act_as('owner');
select throws_ok($$select public.set_staff_level(tests.get_supabase_uid('owner'), 'admin')$$, 'P0001',
  'last_owner', 'the last owner cannot be demoted');
select throws_ok($$select public.disable_staff(tests.get_supabase_uid('owner'))$$, 'P0001', 'last_owner',
  'the last owner cannot be disabled');
select is((public.set_staff_level(tests.get_supabase_uid('admin'), 'owner')).level, 'owner', 'owner makes an owner');
select is((public.set_staff_level(tests.get_supabase_uid('admin'), 'admin')).level, 'admin',
  'an owner can be demoted when another owner remains');
select is((public.set_staff_status(tests.get_supabase_uid('stranger'), 'active')).status, 'active',
  'owner re-activates staff');
select throws_ok($$select public.set_staff_status(tests.get_supabase_uid('stranger'), 'gone')$$, 'P0001',
  'invalid_status', 'unknown status is refused');

select tests.act_as('organizer');
select is(public.my_staff_level(), 'organizer'::public.staff_level, 'my_staff_level tells the SPA the caller''s level');
select throws_ok($$select public.add_staff(tests.get_supabase_uid('attendee'), 'volunteer')$$, 'P0001', 'not_allowed',
  'organizer cannot add staff');
select tests.act_as('volunteer');
select throws_ok($$select public.set_staff_level(tests.get_supabase_uid('volunteer'), 'owner')$$, 'P0001',
  'not_allowed', 'volunteer cannot change levels');
select tests.act_as('attendee');
select throws_ok($$select public.disable_staff(tests.get_supabase_uid('volunteer'))$$, 'P0001', 'not_allowed',
  'attendee cannot disable staff');
select tests.act_as('anon');
select throws_ok($$select public.add_staff(gen_random_uuid(), 'owner')$$, '42501', null,
  'anon may not execute add_staff');
select tests.act_as('service_role');
select is((public.set_staff_level(tests.get_supabase_uid('volunteer'), 'organizer')).level, 'organizer',
  'service_role (operator CLI) manages staff');
select is((public.set_staff_level(tests.get_supabase_uid('volunteer'), 'volunteer')).level, 'volunteer',
  'service_role sets the level back');

select tests.act_as('admin');
select is((select count(*)::int from public.list_staff()), 5, 'admins list staff with emails');
select is((select email from public.list_staff() where level = 'owner'), 'owner@test.hellomiami.local', 'emails come from auth.users');
select tests.act_as('organizer');
select throws_ok($$select * from public.list_staff()$$, 'P0001', 'not_allowed', 'organizers cannot list staff emails');
select tests.act_as('anon');
select throws_ok($$select * from public.list_staff()$$, '42501', null, 'anon may not call list_staff');

-- ---------------------------------------------------------------- contacts: select
select tests.act_as('owner');
select is((select count(*)::int from public.contacts), 2, 'owner reads all contacts');
select tests.act_as('admin');
select is((select count(*)::int from public.contacts), 2, 'admin reads all contacts');
select tests.act_as('organizer');
select is((select count(*)::int from public.contacts), 2, 'organizer reads all contacts');
select tests.act_as('volunteer');
select is((select count(*)::int from public.contacts), 0, 'volunteer reads no contact rows (door functions only)');
select tests.act_as('attendee');
select results_eq('select first_name from public.contacts', array['Ada'], 'attendee reads only their own contact');
select tests.act_as('device');
select is((select count(*)::int from public.contacts), 0, 'device reads no contacts');
select tests.act_as('stranger');
select is((select count(*)::int from public.contacts), 2 - 2, 'a signed-in nobody reads no contacts');
select tests.act_as('anon');
select throws_ok('select * from public.contacts', '42501', null, 'anon cannot read contacts');
select tests.act_as('service_role');
select is((select count(*)::int from public.contacts), 2, 'service_role reads contacts');

-- ---------------------------------------------------------------- contacts: insert
select tests.act_as('organizer');
select lives_ok($$insert into public.contacts (phone, first_name) values ('+13055550112', 'Cy')$$,
  'organizer creates a contact');
select throws_ok($$insert into public.contacts (phone) values ('3055550113')$$, '23514', null,
  'a phone not in E.164 is refused');
select throws_ok($$insert into public.contacts (email) values ('bob@example.com')$$, '23505', null,
  'email is unique case-insensitively');
select throws_ok($$insert into public.contacts (phone, birthday_month, birthday_day) values ('+13055550114', 2, 30)$$,
  '23514', null, 'a birthday that is not a date is refused');
select lives_ok($$insert into public.contacts (phone, birthday_month, birthday_day) values ('+13055550115', 2, 29)$$,
  'a birthday without a year may be Feb 29');
select throws_ok($$insert into public.contacts (phone, birthday_month, birthday_day, birthday_year) values ('+13055550116', 2, 29, 2023)$$,
  '23514', null, 'Feb 29 in a non-leap year is refused');
select tests.act_as('volunteer');
select throws_ok($$insert into public.contacts (phone) values ('+13055550117')$$, '42501', null,
  'volunteer cannot create contacts');
select tests.act_as('attendee');
select throws_ok($$insert into public.contacts (phone) values ('+13055550118')$$, '42501', null,
  'attendee cannot create contacts');
select tests.act_as('device');
select throws_ok($$insert into public.contacts (phone) values ('+13055550119')$$, '42501', null,
  'device cannot create contacts');
select tests.act_as('anon');
select throws_ok($$insert into public.contacts (phone) values ('+13055550120')$$, '42501', null,
  'anon cannot create contacts');
select tests.act_as('service_role');
select lives_ok($$insert into public.contacts (phone) values ('+13055550121')$$, 'service_role creates contacts');

-- ---------------------------------------------------------------- contacts: update
select tests.act_as('organizer');
select is(tests.row_count($$update public.contacts set company = 'Acme' where first_name = 'Bob'$$), 1,
  'organizer updates a contact');
select tests.act_as('volunteer');
select is(tests.row_count($$update public.contacts set company = 'Evil'$$), 0, 'volunteer updates nothing');
select tests.act_as('device');
select is(tests.row_count($$update public.contacts set company = 'Evil'$$), 0, 'device updates nothing');
select tests.act_as('attendee');
select is(tests.row_count($$update public.contacts set company = 'Mine', pronouns = 'she/her'$$), 1,
  'attendee updates their own profile fields (and only their row)');
select throws_ok($$update public.contacts set tags = '{vip}'$$, 'P0001', 'not_allowed',
  'attendee cannot change their own tags');
select throws_ok($$update public.contacts set phone = '+13055550199'$$, 'P0001', 'not_allowed',
  'attendee cannot change their own phone');
select throws_ok($$update public.contacts set qr_token = 'guessable'$$, 'P0001', 'not_allowed',
  'attendee cannot choose their QR token');
select tests.act_as('anon');
select throws_ok($$update public.contacts set company = 'Evil'$$, '42501', null, 'anon cannot update contacts');

-- ---------------------------------------------------------------- contacts: delete
select tests.act_as('organizer');
select is(tests.row_count($$delete from public.contacts where phone = '+13055550112'$$), 0,
  'organizer cannot delete contacts');
select tests.act_as('attendee');
select is(tests.row_count($$delete from public.contacts$$), 0, 'attendee cannot delete their contact');
select tests.act_as('volunteer');
select is(tests.row_count($$delete from public.contacts$$), 0, 'volunteer deletes nothing');
select tests.act_as('device');
select is(tests.row_count($$delete from public.contacts$$), 0, 'device deletes nothing');
select tests.act_as('anon');
select throws_ok($$delete from public.contacts$$, '42501', null, 'anon cannot delete contacts');
select tests.act_as('admin');
select is(tests.row_count($$delete from public.contacts where phone = '+13055550112'$$), 1, 'admin deletes a contact');
select tests.act_as('service_role');
select is(tests.row_count($$delete from public.contacts where phone = '+13055550121'$$), 1, 'service_role deletes a contact');

-- ---------------------------------------------------------------- auth.users link
select tests.reset_role();
select is((select phone::text from public.contacts where user_id = tests.get_supabase_uid('attendee')), '+13055550101',
  'a phone-verified signup creates a contact with the normalised phone');
select tests.create_supabase_user('bob_user', null, '13055550111');
select is((select user_id from public.contacts where first_name = 'Bob'), tests.get_supabase_uid('bob_user'),
  'a phone-verified user is linked to the existing contact with that phone');
select is((select count(*)::int from public.contacts where phone = '+13055550111'), 1, 'no duplicate contact is created');
insert into auth.users (id, aud, role, phone) values ('00000000-0000-0000-0000-0000000000a9', 'authenticated', 'authenticated', '13055550130');
select is((select count(*)::int from public.contacts where phone = '+13055550130'), 0, 'an unverified phone links nothing');
update auth.users set phone_confirmed_at = now() where id = '00000000-0000-0000-0000-0000000000a9';
select is((select user_id from public.contacts where phone = '+13055550130'), '00000000-0000-0000-0000-0000000000a9'::uuid,
  'verifying the phone later creates and links the contact');
select ok((select qr_token from public.contacts where first_name = 'Bob') ~ '^[A-Za-z0-9_-]{24}$',
  'QR tokens are 24 URL-safe characters (144 random bits)');

select * from finish();
rollback;
