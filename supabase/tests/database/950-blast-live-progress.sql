-- public.blast_progress: a blast's row with its live counters (folded counts plus the deltas not
-- folded yet), for organizers and above; nobody else.
begin;
select plan(12);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('progress', 'Hi!') as tpl \gset
select tests.make_sms_blast('Live progress', :'tpl', :'sender', '{}') as blast \gset

-- Folded: 10 sent, 4 delivered. Not folded yet: 3 sent, 2 delivered, 1 failed, 1 skipped,
-- 1 opted out, spread over two backend slots as two senders would leave them.
update public.blasts set sent_count = 10, delivered_count = 4 where id = :'blast';
insert into private.blast_counter_deltas (blast_id, slot, sent, delivered, failed, skipped, opted_out)
values (:'blast', 1, 2, 2, 0, 1, 0), (:'blast', 2, 1, 0, 1, 0, 1);

create temporary table expected on commit drop as
  select 13 as sent, 6 as delivered, 1 as failed, 1 as skipped, 1 as opted_out;
grant select on expected to authenticated, service_role;

-- ---------------------------------------------------------------- who may not
select tests.act_as('anon');
select throws_ok(format('select public.blast_progress(%L)', :'blast'), '42501', null, 'anon cannot');
select tests.act_as('msg_attendee');
select throws_ok(format('select public.blast_progress(%L)', :'blast'), 'P0001', 'not_allowed', 'attendees cannot');
select tests.act_as('msg_volunteer');
select throws_ok(format('select public.blast_progress(%L)', :'blast'), 'P0001', 'not_allowed',
  'volunteers cannot (they cannot read blasts either)');
select tests.act_as('msg_device');
select throws_ok(format('select public.blast_progress(%L)', :'blast'), 'P0001', 'not_allowed', 'print stations cannot');

-- ---------------------------------------------------------------- who may
select tests.act_as('msg_organizer');
select results_eq(
  format('select sent_count, delivered_count, failed_count, skipped_count, opted_out_count from public.blast_progress(%L)', :'blast'),
  'select sent, delivered, failed, skipped, opted_out from expected',
  'an organizer reads the folded counters plus the deltas not folded yet');
select is((select name from public.blast_progress(:'blast')), 'Live progress', 'with the rest of the row as it is');
select is((select sent_count from public.blasts where id = :'blast'), 10, 'the read writes nothing: the row still says 10');
select is_empty(format('select * from public.blast_progress(%L)', gen_random_uuid()), 'an unknown blast is no row');
select tests.act_as('msg_admin');
select results_eq(
  format('select sent_count, delivered_count, failed_count, skipped_count, opted_out_count from public.blast_progress(%L)', :'blast'),
  'select sent, delivered, failed, skipped, opted_out from expected', 'admins too');
select tests.act_as('service_role');
select results_eq(
  format('select sent_count, delivered_count, failed_count, skipped_count, opted_out_count from public.blast_progress(%L)', :'blast'),
  'select sent, delivered, failed, skipped, opted_out from expected', 'the service role too (hm blasts, benches)');

-- ---------------------------------------------------------------- counted once across a fold
select tests.reset_role();
select private.fold_blast_counters(:'blast');
select is((select count(*)::int from private.blast_counter_deltas where blast_id = :'blast'), 0, 'the fold moved the deltas');
select tests.act_as('msg_organizer');
select results_eq(
  format('select sent_count, delivered_count, failed_count, skipped_count, opted_out_count from public.blast_progress(%L)', :'blast'),
  'select sent, delivered, failed, skipped, opted_out from expected', 'after the fold the read says the same: nothing counted twice');

select * from finish();
rollback;
