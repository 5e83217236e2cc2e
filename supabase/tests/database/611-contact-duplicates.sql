-- Duplicates finder and the merge where the organizer chooses which value survives.
begin;
select plan(17);
select tests.clear_people_data();
select tests.make_people_cast();
insert into public.contacts (id, phone, email, first_name, last_name, company) values
  ('00000000-0000-0000-0000-0000000000a1', '+13055550150', 'maria.lopez@gmail.com', 'María', 'López', 'Acme'),
  -- the same number saved with a wrong country code
  ('00000000-0000-0000-0000-0000000000a2', '+523055550150', null, 'M.', null, null),
  -- the same Gmail mailbox typed differently
  ('00000000-0000-0000-0000-0000000000a3', null, 'MariaLopez+events@gmail.com', null, null, 'Acme Inc'),
  -- a similar name
  ('00000000-0000-0000-0000-0000000000a4', '+13055550151', null, 'Maria', 'Lopez', null),
  -- somebody else
  ('00000000-0000-0000-0000-0000000000a5', '+13055550152', 'otto@example.com', 'Otto', 'Brandt', null);

-- ---------------------------------------------------------------- finder × roles
select tests.act_as('organizer');
select results_eq(
  $$select contact_id, reason from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a1')$$,
  $$values ('00000000-0000-0000-0000-0000000000a2'::uuid, 'phone'), ('00000000-0000-0000-0000-0000000000a3'::uuid, 'email'),
           ('00000000-0000-0000-0000-0000000000a4'::uuid, 'name')$$,
  'an organizer finds the same phone, the same mailbox and the same name without accents, in that order');
update public.contacts set first_name = 'Marla' where id = '00000000-0000-0000-0000-0000000000a4';
select results_eq($$select reason, round(score::numeric, 2) from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a4')
                     where contact_id = '00000000-0000-0000-0000-0000000000a1'$$,
  $$values ('name', 0.60)$$, 'a similar name comes with its similarity');
update public.contacts set first_name = 'Maria' where id = '00000000-0000-0000-0000-0000000000a4';
select is((select count(*)::int from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a5')), 0,
  'nobody else looks like Otto');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a1', 0)$$,
  'P0001', 'invalid_argument', 'a zero limit is refused');
select throws_ok($$select * from public.find_duplicate_contacts(gen_random_uuid())$$,
  'P0001', 'unknown_contact', 'an unknown contact is refused');
select tests.act_as('volunteer');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a1')$$,
  'P0001', 'not_allowed', 'volunteers cannot look for duplicates');
select tests.act_as('attendee');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a1')$$,
  'P0001', 'not_allowed', 'attendees cannot either');
select tests.act_as('anon');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a1')$$,
  '42501', null, 'anon cannot either');

-- ---------------------------------------------------------------- merge with choices × roles
select tests.act_as('volunteer');
select throws_ok($$select public.merge_contacts_choosing('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a3', '{company}')$$,
  'P0001', 'not_allowed', 'volunteers cannot merge');
select tests.act_as('organizer');
select throws_ok($$select public.merge_contacts_choosing('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a3', '{qr_token}')$$,
  'P0001', 'invalid_argument', 'only the offered fields can be chosen');
select is((select merged_into from public.contacts where id = '00000000-0000-0000-0000-0000000000a3'), null,
  'and a refused merge changes nothing');
select lives_ok($$select public.merge_contacts_choosing('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a3', '{company,email}')$$,
  'an organizer merges, taking the duplicate''s company and email');
select results_eq($$select company, email, first_name from public.contacts where id = '00000000-0000-0000-0000-0000000000a1'$$,
  $$values ('Acme Inc', 'MariaLopez+events@gmail.com', 'María')$$,
  'the chosen values win, the rest stay the kept contact''s');
select is((select merged_into from public.contacts where id = '00000000-0000-0000-0000-0000000000a3'),
  '00000000-0000-0000-0000-0000000000a1'::uuid, 'the duplicate points at the kept contact');
select is((select count(*)::int from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000000a1')
            where contact_id = '00000000-0000-0000-0000-0000000000a3'), 0, 'a merged duplicate is no longer offered');
select throws_ok($$select public.merge_contacts_choosing('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a3')$$,
  'P0001', 'not_mergeable', 'merging it again is refused');
select tests.act_as('admin');
select is((select array_agg(action order by action) from public.audit_log
            where record_id = '00000000-0000-0000-0000-0000000000a1' and action in ('merge', 'merge_choices')),
  array['merge', 'merge_choices'], 'the merge and the choices are audited');

select * from finish();
rollback;
