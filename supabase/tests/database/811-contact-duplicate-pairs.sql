-- Duplicates across the CRM: pairs of live contacts with the same phone tail, mailbox or folded
-- full name, the strongest sign first and the older contact first; merged and erased contacts
-- left out; paged; per role: an organizer can, a volunteer cannot.
begin;
select plan(8);
select tests.clear_people_data();
select tests.make_people_cast();
insert into public.contacts (id, phone, email, first_name, last_name, created_at) values
  ('00000000-0000-0000-0000-0000000000d1', '+13055550161', 'maria.lopez@gmail.com', 'María', 'López', now() - interval '3 days'),
  ('00000000-0000-0000-0000-0000000000d2', '+523055550161', null, 'Mary', null, now() - interval '2 days'),
  ('00000000-0000-0000-0000-0000000000d3', null, 'MariaLopez+events@gmail.com', null, null, now() - interval '1 day'),
  ('00000000-0000-0000-0000-0000000000d4', null, 'maria@work.example.com', 'Maria', 'Lopez', now()),
  ('00000000-0000-0000-0000-0000000000d5', null, 'solo@example.com', 'Maria', null, now()),
  ('00000000-0000-0000-0000-0000000000d6', null, 'gone@example.com', 'Maria', 'Lopez', now());
update public.contacts set merged_into = '00000000-0000-0000-0000-0000000000d1'
 where id = '00000000-0000-0000-0000-0000000000d6';

-- ---------------------------------------------------------------- volunteers and anon cannot
select tests.act_as('volunteer');
select throws_ok($$select * from public.list_duplicate_pairs()$$, 'P0001', 'not_allowed', 'volunteers cannot list duplicates');
select tests.act_as('anon');
select throws_ok($$select * from public.list_duplicate_pairs()$$, '42501', null, 'anon may not call list_duplicate_pairs');

-- ---------------------------------------------------------------- organizers can
select tests.act_as('organizer');
select results_eq($$select reason, contact_id, duplicate_id from public.list_duplicate_pairs()
                    where contact_id::text like '00000000-0000-0000-0000-0000000000d%'$$,
  $$values ('phone'::text, '00000000-0000-0000-0000-0000000000d1'::uuid, '00000000-0000-0000-0000-0000000000d2'::uuid),
           ('email', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d3'),
           ('name', '00000000-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d4')$$,
  'same phone tail, same mailbox, same folded name; older first; merged contacts and a lone first name left out');
select is((select duplicate_email from public.list_duplicate_pairs() where duplicate_id = '00000000-0000-0000-0000-0000000000d3'),
  'MariaLopez+events@gmail.com', 'both sides are shown');
select is((select count(*)::int from public.list_duplicate_pairs(1, 1)), 1, 'paged');
select throws_ok($$select * from public.list_duplicate_pairs(0)$$, 'P0001', 'invalid_argument', 'a page of 0 is refused');
select throws_ok($$select * from public.list_duplicate_pairs(10, -1)$$, 'P0001', 'invalid_argument', 'a negative offset is refused');
select tests.act_as('service_role');
select is((select count(*)::int from public.list_duplicate_pairs() where contact_id::text like '00000000-0000-0000-0000-0000000000d%'), 3,
  'the service role sees the same pairs');

select * from finish();
rollback;
