-- The duplicates finder's similar names (20261129030100_contact_duplicate_names): people who
-- share a first or last name with this one (accents and case folded, either way round), kept
-- from a similarity of 0.5; two B-tree indexes instead of the trigram GiST index. Per role:
-- organizers find; volunteers and attendees are refused; anon cannot call.
begin;
select plan(14);
select tests.clear_people_data();
select tests.make_people_cast();
insert into public.contacts (id, first_name, last_name) values
  ('00000000-0000-0000-0000-0000000976a1', 'María', 'López'),
  ('00000000-0000-0000-0000-0000000976a2', 'MARIA', 'lopez'),       -- case and accents
  ('00000000-0000-0000-0000-0000000976a3', 'Marla', 'López'),       -- one part mistyped
  ('00000000-0000-0000-0000-0000000976a4', 'López', 'María'),       -- the parts swapped
  ('00000000-0000-0000-0000-0000000976a5', 'Mara', 'Lopes'),        -- both parts mistyped
  ('00000000-0000-0000-0000-0000000976a6', 'Lucía', 'López'),       -- another López, not close
  ('00000000-0000-0000-0000-0000000976a7', 'María', 'Lopez-Smith'), -- merged away below
  ('00000000-0000-0000-0000-0000000976a8', null, null);
update public.contacts set merged_into = '00000000-0000-0000-0000-0000000976a1'
 where id = '00000000-0000-0000-0000-0000000976a7';

select hasnt_index('public', 'contacts', 'contacts_folded_name_trgm_idx', 'the trigram GiST index over names is gone');
select has_index('public', 'contacts', 'contacts_folded_first_name_idx', 'first names are looked up in a B-tree');
select has_index('public', 'contacts', 'contacts_folded_last_name_idx', 'and last names');

-- ---------------------------------------------------------------- organizers
select tests.act_as('organizer');
select results_eq(
  $$select contact_id, reason, round(score::numeric, 2)
      from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1')$$,
  $$values ('00000000-0000-0000-0000-0000000976a2'::uuid, 'name', 1.00),
           ('00000000-0000-0000-0000-0000000976a4'::uuid, 'name', 1.00),
           ('00000000-0000-0000-0000-0000000976a3'::uuid, 'name', 0.60)$$,
  'an organizer: the same name in other case and accents, the parts swapped, one part mistyped — closest first');
select is_empty(
  $$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1')
     where contact_id in ('00000000-0000-0000-0000-0000000976a5', '00000000-0000-0000-0000-0000000976a6',
                          '00000000-0000-0000-0000-0000000976a7')$$,
  'not both parts mistyped (no part in common), not another López who is not close, not a merged contact');
select results_eq(
  $$select contact_id from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a4')
     where contact_id = '00000000-0000-0000-0000-0000000976a1'$$,
  $$values ('00000000-0000-0000-0000-0000000976a1'::uuid)$$, 'swapped parts are found from either side');
select is_empty($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a8')$$,
  'a contact with no name, phone or email has no likely duplicates (an empty name matches nobody)');
select results_eq(
  $$select count(*)::int from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1', 2)$$,
  $$values (2)$$, 'the limit is kept');

-- ---------------------------------------------------------------- refusals (stable: nothing changes)
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1', 51)$$,
  'P0001', 'invalid_argument', 'more than 50 is refused');
select is((select provolatile from pg_proc where oid = 'public.find_duplicate_contacts(uuid, integer)'::regprocedure),
  's'::"char", 'the finder is stable: a call, refused or not, changes nothing');

-- ---------------------------------------------------------------- who may look
select tests.act_as('volunteer');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1')$$,
  'P0001', 'not_allowed', 'volunteers cannot look for duplicates');
select tests.act_as('attendee');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1')$$,
  'P0001', 'not_allowed', 'attendees cannot either');
select tests.act_as('anon');
select throws_ok($$select * from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1')$$,
  '42501', null, 'anon cannot call it');
select tests.act_as('service_role');
select results_eq(
  $$select count(*)::int from public.find_duplicate_contacts('00000000-0000-0000-0000-0000000976a1')$$,
  $$values (3)$$, 'the service role (owner level) finds the same three');

select * from finish();
rollback;
