-- Print job kinds (20261125013000_print_job_kinds): a station claims only the kinds its agent
-- renders (claim_print_jobs_v2), and the old claim hands out name tags only, so a Pi that
-- predates kinds never prints a receipt as a tag. Per role: devices allowed, everyone else not.
begin;
select plan(19);
select tests.clear_people_data();

select tests.make_people_cast();
insert into public.events (id, slug, name, starts_at, ends_at, published, default_device_id) values
  ('00000000-0000-0000-0000-0000000000e1', 'kinds-night', 'Kinds Night', now(), now() + interval '2 hours', true,
   (select id from public.devices where name = 'device'));
insert into public.event_staff (event_id, user_id)
values ('00000000-0000-0000-0000-0000000000e1', tests.get_supabase_uid('volunteer'));
insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000000c1', '+13055550111', 'Bob');
select tests.act_as('volunteer');
select public.check_in('00000000-0000-0000-0000-0000000000e1', p_contact_id => '00000000-0000-0000-0000-0000000000c1');
select tests.reset_role();
-- A kind this release has no renderer for yet, queued (as a later release would) before the tag.
insert into public.print_jobs (event_id, contact_id, device_id, payload, kind, created_at)
values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1',
        (select id from public.devices where name = 'device'), '{"total": "12.00"}', 'receipt',
        now() - interval '1 minute');

select is((select kind from public.print_jobs where check_in_id is not null), 'name_tag',
  'check_in queues a name tag (the default kind)');
select throws_ok($$insert into public.print_jobs (event_id, contact_id, payload, kind)
                   values ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000c1', '{}', 'Name Tag!')$$,
  '23514', null, 'a kind is a lowercase name');
select has_function('public', 'claim_print_jobs', array['integer', 'integer'], 'the old claim keeps its signature');

-- ---------------------------------------------------------------- who may claim
select tests.act_as('organizer');
select throws_ok($$select * from public.claim_print_jobs_v2(array['name_tag'])$$, 'P0001', 'not_allowed',
  'staff cannot claim print jobs');
select tests.act_as('volunteer');
select throws_ok($$select * from public.claim_print_jobs_v2(array['name_tag'])$$, 'P0001', 'not_allowed',
  'volunteers cannot claim print jobs');
select is((select array_agg(distinct kind) from public.print_jobs), array['name_tag', 'receipt'],
  'volunteers read the kind of the jobs they may read');
select tests.act_as('attendee');
select throws_ok($$select * from public.claim_print_jobs_v2(array['name_tag'])$$, 'P0001', 'not_allowed',
  'attendees cannot claim print jobs');
select tests.act_as('anon');
select throws_ok($$select * from public.claim_print_jobs_v2(array['name_tag'])$$, '42501', null,
  'anon may not call claim_print_jobs_v2');

-- ---------------------------------------------------------------- bad input: clear error, nothing claimed
select tests.act_as('device');
select throws_ok($$select * from public.claim_print_jobs_v2(null)$$, 'P0001', 'invalid_argument', 'the kinds are required');
select throws_ok($$select * from public.claim_print_jobs_v2(array[]::text[])$$, 'P0001', 'invalid_argument',
  'an agent that renders nothing claims nothing');
select throws_ok($$select * from public.claim_print_jobs_v2(array['name_tag', null])$$, 'P0001', 'invalid_argument',
  'a null kind is refused');
select throws_ok($$select * from public.claim_print_jobs_v2(array['name_tag'], 0)$$, 'P0001', 'invalid_argument',
  'p_limit must be positive');
select is((select count(*)::int from public.print_jobs where status = 'queued'), 2, 'refused claims change nothing');

-- ---------------------------------------------------------------- old claim: name tags only
select is((select array_agg(kind) from public.claim_print_jobs(10, 60)), array['name_tag'],
  'the old claim takes the name tag and leaves the older receipt');
select is((select status from public.print_jobs where kind = 'receipt'), 'queued', 'the receipt stays queued');
select is((select count(*)::int from public.claim_print_jobs(10, 60)), 0, 'and the old claim never takes it');

-- ---------------------------------------------------------------- v2: the kinds the agent lists
select is((select count(*)::int from public.claim_print_jobs_v2(array['name_tag', 'volunteer_badge'])), 0,
  'an agent without a receipt renderer does not get the receipt');
select results_eq($$select kind, status, attempts from public.claim_print_jobs_v2(array['receipt', 'name_tag'])$$,
  $$values ('receipt'::text, 'claimed'::text, 1)$$, 'an agent that renders receipts claims it');
select tests.act_as('stranger');
select throws_ok($$select * from public.claim_print_jobs_v2(array['receipt'])$$, 'P0001', 'not_allowed',
  'a user that is no device claims nothing');

select tests.reset_role();
select * from finish();
rollback;
