-- The blast lock order (20261128020100): the moved controls and upkeep behave as before for each
-- role, cancel counts every recipient once, and the fold moves committed deltas exactly once.
-- (Two sessions racing cannot be staged in one pgTAP transaction: tests/workers/
-- test_blast_lock_order.py interleaves a claim and a cancel step by step.)
begin;
select plan(12);

select tests.make_messaging_roles();
select tests.make_sms_sender(p_mps => 1000) as sender \gset
select tests.make_template('lock order', 'Hi {{first_name | friend}}!') as tpl \gset
select tests.make_contact('+13055550951', 'Ana') as ana \gset
select tests.make_contact('+13055550952', 'Bo') as bo \gset
select tests.make_contact('+13055550953', 'Cy') as cy \gset
select tests.make_sms_blast('Lock order', :'tpl', :'sender', array[:'ana', :'bo', :'cy']::uuid[]) as blast \gset
select public.start_blast(:'blast');

-- ---------------------------------------------------------------- who may not
select tests.act_as('anon');
select throws_ok(format('select public.cancel_blast(%L)', :'blast'), '42501', null, 'anon cannot cancel');
select tests.act_as('msg_volunteer');
select throws_ok(format('select public.cancel_blast(%L)', :'blast'), 'P0001', 'not_allowed', 'volunteers cannot cancel');
select throws_ok(format('select public.pause_blast(%L)', :'blast'), 'P0001', 'not_allowed', 'nor pause');
select tests.act_as('msg_attendee');
select throws_ok(format('select public.cancel_blast(%L)', :'blast'), 'P0001', 'not_allowed', 'attendees cannot cancel');

-- ---------------------------------------------------------------- a claim, then the controls
select tests.act_as('service_role');
-- At 13:00 in Miami: inside the send window whatever the clock says.
select is((select count(*)::int from public.claim_outbound_messages('lock-test', 'sms', 1, 30,
             (current_date + time '18:00') at time zone 'UTC')), 1,
  'a worker claims one recipient (its message is queued under lease)');
select tests.act_as('msg_organizer');
select is((public.pause_blast(:'blast')).status::text, 'paused', 'an organizer pauses it');
select is((public.resume_blast(:'blast')).status::text, 'sending', 'and resumes it');
select tests.act_as('msg_admin');
select is((public.cancel_blast(:'blast')).status::text, 'cancelled', 'an admin cancels it');
select results_eq(format('select sent_count, skipped_count, recipients_total from public.blast_progress(%L)', :'blast'),
  $$values (0, 3, 3)$$, 'two pending recipients and the claimed, unsent message: three skipped, each once');
select results_eq(format('select skipped_count from public.blasts where id = %L', :'blast'),
  $$values (3)$$, 'the cancel folded its own counts onto the row (it holds the blast row)');
select tests.reset_role();
select is((select count(*)::int from private.blast_counter_deltas where blast_id = :'blast'), 0, 'nothing left unfolded');

-- ---------------------------------------------------------------- the upkeep's fold
select private.add_blast_counts(:'blast', p_delivered => 2);
select private.fold_blast_counters(:'blast');
select private.fold_blast_counters(:'blast');
select is((select delivered_count from public.blasts where id = :'blast'), 2, 'a delta is folded once, however often the fold runs');

select * from finish();
rollback;
