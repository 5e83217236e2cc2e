-- Session 9's moves: the counter delta row is the writing backend's own (20261129020100), the
-- A/B winner decision behaves as before for each role (20261129020000), and the inbox list has
-- no assignee_name (20261129020200). And issue 15's "never completed while recipients remain",
-- through the claim's upkeep. (Two sessions waiting on each other cannot be staged in one
-- pgTAP transaction: tests/workers/test_blast_counter_slots.py interleaves them step by step.)
begin;
select plan(19);

select tests.make_messaging_roles();
select tests.make_sms_sender(p_mps => 1000) as sender \gset
select tests.make_template('slots', 'Hi {{first_name | friend}}!') as tpl \gset
select tests.make_contact('+13055550991', 'Ana') as ana \gset
select tests.make_sms_blast('Slots', :'tpl', :'sender', array[:'ana']::uuid[]) as blast \gset

-- ---------------------------------------------------------------- counter deltas: one row per backend
select private.add_blast_counts(:'blast', p_sent => 1);
select private.add_blast_counts(:'blast', p_sent => 2, p_failed => 1);
select results_eq(format('select slot, sent, failed from private.blast_counter_deltas where blast_id = %L', :'blast'),
  $$values (pg_backend_pid(), 3, 1)$$, 'a backend adds to its own row, keyed by its pid');
select col_type_is('private', 'blast_counter_deltas', 'slot', 'integer', 'a pid fits the slot');
select results_eq(format('select sent_count, failed_count from public.blast_progress(%L)', :'blast'),
  $$values (3, 1)$$, 'the live progress sums the backend''s row');
select private.fold_blast_counters(:'blast');
select results_eq(format('select sent_count, failed_count from public.blasts where id = %L', :'blast'),
  $$values (3, 1)$$, 'and the fold moves it onto the blast');
select tests.act_as('service_role');
select throws_ok(format('select private.add_blast_counts(%L, 1)', :'blast'), '42501', null,
  'no API role writes counters directly, not even the workers');
select tests.act_as('msg_organizer');
select throws_ok(format('select private.add_blast_counts(%L, 1)', :'blast'), '42501', null, 'nor staff');

-- ---------------------------------------------------------------- never completed while anything is to send
select tests.make_contact('+13055550993', 'Bo') as bo \gset
select tests.make_contact('+13055550994', 'Cy') as cy \gset
select tests.make_sms_blast('Never early', :'tpl', :'sender', array[:'bo', :'cy']::uuid[]) as early \gset
select public.start_blast(:'early');
select tests.act_as('service_role');
-- At 13:00 in Miami: inside the send window whatever the clock says.
select is((select count(*)::int from public.claim_outbound_messages('early', 'sms', 1, 30,
             (current_date + time '18:00') at time zone 'UTC') where blast_id = :'early'), 1,
  'a worker claims one of the two recipients');
select tests.reset_role();
select private.blast_upkeep();
select is((select status::text from public.blasts where id = :'early'), 'sending',
  'one recipient pending and one message queued: still sending');
update public.blast_recipients set status = 'skipped', skip_reason = 'opted_out' where blast_id = :'early' and status = 'pending';
update public.messages set status = 'sending' where blast_id = :'early';
select private.blast_upkeep();
select is((select status::text from public.blasts where id = :'early'), 'sending',
  'nobody pending, but a message with the provider: still sending');
update public.messages set status = 'sent' where blast_id = :'early';
select private.blast_upkeep();
select is((select status::text from public.blasts where id = :'early'), 'completed',
  'everything sent or skipped: completed');

-- ---------------------------------------------------------------- the A/B decision, per role
select tests.act_as('msg_admin');
select throws_ok('select * from public.decide_blast_winners()', '42501', null, 'staff do not choose winners');
select tests.act_as('anon');
select throws_ok('select * from public.decide_blast_winners()', '42501', null, 'nor anon');
select tests.act_as('service_role');
select lives_ok('select * from public.decide_blast_winners()', 'the workers do');

-- ---------------------------------------------------------------- the inbox list
select tests.reset_role();
select tests.receive_sms('SMslots1', '+13055550992', 'Hello?') ->> 'conversation_id' as conv \gset
select tests.act_as('msg_organizer');
select lives_ok(format($$select public.assign_conversation(%L, %L)$$, :'conv', tests.get_supabase_uid('msg_organizer')),
  'an organizer takes the conversation');
select results_eq($$select contact_phone, assigned_to from public.inbox_conversations('mine')$$,
  format($$values ('+13055550992'::text, %L::uuid)$$, tests.get_supabase_uid('msg_organizer')),
  'the list names the assignee by id (the screen names them from staff_directory)');
select ok((select 'assignee_name' <> all(p.proargnames) from pg_proc p where p.proname = 'inbox_conversations'),
  'and returns no assignee_name');
select tests.act_as('msg_volunteer');
select throws_ok($$select * from public.inbox_conversations()$$, 'P0001', 'not_allowed', 'volunteers have no inbox');
select tests.act_as('anon');
select throws_ok($$select * from public.inbox_conversations()$$, '42501', null, 'anon has none either');
select tests.reset_role();
select is((select count(*)::int from pg_proc where proname = 'inbox_conversations'), 1, 'one inbox list, defined once');

select * from finish();
rollback;
