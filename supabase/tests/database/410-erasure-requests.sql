-- An attendee's own erasure request: filed once, visible to them and to admins only.
begin;
select plan(12);

select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_attendee('other_attendee', '13055550102', 'Otto');
select id as ada from public.contacts where phone = '+13055550101' \gset

-- ---------------------------------------------------------------- attendee
select tests.act_as('attendee');
select lives_ok($$select public.request_my_erasure('Please forget me')$$, 'attendee asks for their data to be deleted');
select results_eq(
  $$select kind, completed_at is null, requested_by, note from public.gdpr_requests$$,
  format($$values ('erase', true, %L::uuid, 'Please forget me')$$, tests.get_supabase_uid('attendee')),
  'an open erase request for their own contact is filed, and they can read it');
select is(public.request_my_erasure(), (select requested_at from public.gdpr_requests),
  'asking again returns the open request');
select is(tests.visible_rows('public.gdpr_requests'), 1::bigint, '… and files no second one');
select throws_ok($$insert into public.gdpr_requests (contact_id, kind) values ('$$ || :'ada' || $$', 'erase')$$,
  '42501', null, 'attendees cannot write the request log directly');

select tests.act_as('other_attendee');
select is(tests.visible_rows('public.gdpr_requests'), 0::bigint, 'another attendee cannot see the request');

-- ---------------------------------------------------------------- staff, stranger, anon
select tests.act_as('volunteer');
select is(tests.visible_rows('public.gdpr_requests'), 0::bigint, 'a volunteer cannot see requests');
select throws_ok($$select public.request_my_erasure()$$, 'P0001', 'not_allowed',
  'staff without a contact of their own cannot file one');
select tests.act_as('admin');
select is((select count(*) from public.gdpr_requests where contact_id = :'ada' and completed_at is null), 1::bigint,
  'admins see the waiting request');
select tests.act_as('stranger');
select throws_ok($$select public.request_my_erasure()$$, 'P0001', 'not_allowed',
  'a signed-in user without a contact cannot file one');
select tests.act_as('anon');
select throws_ok($$select public.request_my_erasure()$$, '42501', null, 'anon cannot file one');

select tests.reset_role();
select has_index('public', 'gdpr_requests', 'gdpr_requests_open_erase_idx', 'open erase requests are indexed');

select * from finish();
rollback;
