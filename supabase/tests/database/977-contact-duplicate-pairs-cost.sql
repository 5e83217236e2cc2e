-- The duplicate pairs from index-only grouping (20261129060000_contact_duplicate_pairs_cost):
-- the same pairs in the same order as the query it replaced on a fixture that exercises every
-- sign (phone tails, Gmail dots and +tags, folded and trimmed names, a tie on the creation
-- time), the strongest sign winning, merged, erased and lone-first-name contacts left out;
-- paging; the pinned settings; per role: organizers and the service role can, volunteers and
-- anon cannot.
begin;
select plan(10);
select tests.clear_people_data();
select tests.make_people_cast();
insert into public.contacts (id, phone, email, first_name, last_name, created_at) values
  ('00000000-0000-0000-0000-000000000971', '+13058880101', 'ana.ruiz@gmail.com', 'Ana', 'Ruiz', now() - interval '6 days'),
  ('00000000-0000-0000-0000-000000000972', '+523058880101', 'anaruiz+news@googlemail.com', 'ANA', 'RUÍZ', now() - interval '5 days'),
  ('00000000-0000-0000-0000-000000000973', null, 'ana@work.example.com', 'ana', 'Ruíz ', now() - interval '4 days'),
  ('00000000-0000-0000-0000-000000000974', null, 'beto@example.com', 'Beto', 'Díaz', now() - interval '3 days'),
  ('00000000-0000-0000-0000-000000000975', '+13058880199', 'Beto+news@example.com', 'Beto', 'Diaz', now() - interval '2 days'),
  ('00000000-0000-0000-0000-000000000976', '+523058880199', null, 'Carla', null, now() - interval '1 day'),
  ('00000000-0000-0000-0000-000000000978', null, 'dora.paz@example.com', 'Dora', 'Paz', '2026-01-01'),
  ('00000000-0000-0000-0000-000000000977', null, 'dora@example.org', 'dora', 'paz', '2026-01-01'),
  ('00000000-0000-0000-0000-000000000979', '+443058880101', 'ana.ruiz@example.net', 'Eva', 'Ruiz', now()),
  ('00000000-0000-0000-0000-00000000097a', '+13058880177', 'gone@example.com', 'Dora', 'Paz', now()),
  ('00000000-0000-0000-0000-00000000097b', '+523058880177', 'erased@example.com', 'Beto', 'Diaz', now()),
  ('00000000-0000-0000-0000-00000000097c', null, 'solo@example.com', 'Carla', null, now()),
  ('00000000-0000-0000-0000-00000000097d', null, 'A.na.Ruiz@gmail.com', 'Anita', 'Gómez', now() + interval '1 minute');
update public.contacts set merged_into = '00000000-0000-0000-0000-000000000971' where id = '00000000-0000-0000-0000-00000000097a';
update public.contacts set erased_at = now() where id = '00000000-0000-0000-0000-00000000097b';

-- ---------------------------------------------------------------- volunteers and anon cannot
select tests.act_as('volunteer');
select throws_ok($$select * from public.list_duplicate_pairs()$$, 'P0001', 'not_allowed', 'volunteers cannot list duplicates');
select tests.act_as('anon');
select throws_ok($$select * from public.list_duplicate_pairs()$$, '42501', null, 'anon may not call list_duplicate_pairs');

-- ---------------------------------------------------------------- organizers can
select tests.act_as('organizer');
-- The expected rows are what the replaced query (20261125021100_contact_duplicate_pairs)
-- answered on this fixture.
select results_eq($$select reason, contact_id, duplicate_id from public.list_duplicate_pairs(200)
                    where contact_id::text like '00000000-0000-0000-0000-00000000097_'$$,
  $$values ('phone'::text, '00000000-0000-0000-0000-000000000975'::uuid, '00000000-0000-0000-0000-000000000976'::uuid),
           ('phone', '00000000-0000-0000-0000-000000000971', '00000000-0000-0000-0000-000000000972'),
           ('phone', '00000000-0000-0000-0000-000000000971', '00000000-0000-0000-0000-000000000979'),
           ('phone', '00000000-0000-0000-0000-000000000972', '00000000-0000-0000-0000-000000000979'),
           ('email', '00000000-0000-0000-0000-000000000974', '00000000-0000-0000-0000-000000000975'),
           ('email', '00000000-0000-0000-0000-000000000971', '00000000-0000-0000-0000-00000000097d'),
           ('email', '00000000-0000-0000-0000-000000000972', '00000000-0000-0000-0000-00000000097d'),
           ('name', '00000000-0000-0000-0000-000000000977', '00000000-0000-0000-0000-000000000978'),
           ('name', '00000000-0000-0000-0000-000000000971', '00000000-0000-0000-0000-000000000973'),
           ('name', '00000000-0000-0000-0000-000000000972', '00000000-0000-0000-0000-000000000973')$$,
  'every pair once with its strongest sign, in the replaced query''s order; merged, erased and lone first names left out');
select is((select row(first_name, last_name, phone, email, duplicate_first_name, duplicate_last_name, duplicate_phone, duplicate_email)::text
             from public.list_duplicate_pairs(200)
            where contact_id = '00000000-0000-0000-0000-000000000975' and duplicate_id = '00000000-0000-0000-0000-000000000976'),
  row('Beto', 'Diaz', '+13058880199', 'Beto+news@example.com', 'Carla', null, '+523058880199', null)::text,
  'both sides are shown as saved');
select results_eq($$select contact_id, duplicate_id from public.list_duplicate_pairs(200) offset 1 limit 3$$,
  $$select contact_id, duplicate_id from public.list_duplicate_pairs(3, 1)$$,
  'a page is the same rows as the whole list from its offset');
select throws_ok($$select * from public.list_duplicate_pairs(201)$$, 'P0001', 'invalid_argument', 'a page of more than 200 is refused');
select throws_ok($$select * from public.list_duplicate_pairs(10, null)$$, 'P0001', 'invalid_argument', 'a missing offset is refused');
select tests.act_as('service_role');
select is((select count(*)::int from public.list_duplicate_pairs(200) where contact_id::text like '00000000-0000-0000-0000-00000000097_'), 10,
  'the service role sees the same pairs');

-- ---------------------------------------------------------------- the plan's settings
select tests.act_as('organizer');
select is((select proconfig from pg_proc where oid = 'public.list_duplicate_pairs(integer, integer)'::regprocedure),
  array['search_path=""', 'enable_seqscan=off', 'enable_hashagg=off', 'jit=off'],
  'the plan''s settings are pinned');
select ok((select indisvalid from pg_index where indexrelid = 'public.contacts_folded_full_name_idx'::regclass),
  'the folded full names are indexed');

select * from finish();
rollback;
