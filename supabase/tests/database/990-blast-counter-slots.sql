-- Session 9's moves: the counter delta row is the writing backend's own (20261129020100), and the
-- A/B winner decision behaves as before for each role (20261129020000). (Two sessions waiting on each other cannot be staged in one
-- pgTAP transaction: tests/workers/test_blast_counter_slots.py interleaves them step by step.)
begin;
select plan(9);

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

-- ---------------------------------------------------------------- the A/B decision, per role
select tests.act_as('msg_admin');
select throws_ok('select * from public.decide_blast_winners()', '42501', null, 'staff do not choose winners');
select tests.act_as('anon');
select throws_ok('select * from public.decide_blast_winners()', '42501', null, 'nor anon');
select tests.act_as('service_role');
select lives_ok('select * from public.decide_blast_winners()', 'the workers do');

select * from finish();
rollback;
