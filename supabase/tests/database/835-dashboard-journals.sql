-- The dashboard's hot path only appends: a delivery callback's status update (the webhook runs
-- as the service role) holds no advisory lock and writes no rollup row, only journal rows; the
-- views count it at once; the fold (workers: the service role) moves it into the rollups and
-- empties the journals; staff and anon cannot run the fold.
begin;
select plan(14);
select tests.clear_people_data();
truncate public.messages, public.blasts, public.consent_events, public.blast_recipients cascade;
select tests.make_people_cast();

insert into public.contacts (id, phone, first_name) values
  ('00000000-0000-0000-0000-0000000835a1', '+13055558351', 'Ana');
insert into public.blasts (id, name, channel) values ('00000000-0000-0000-0000-0000000835f1', 'Journal news', 'sms');
insert into public.messages (id, direction, kind, status, contact_id, blast_id, to_address, body) values
  ('00000000-0000-0000-0000-0000000835b1', 'outbound', 'blast', 'sent', '00000000-0000-0000-0000-0000000835a1',
   '00000000-0000-0000-0000-0000000835f1', '+13055558351', 'Hi');
insert into public.blast_recipients (blast_id, contact_id, channel, to_address, body, time_zone, status, message_id)
values ('00000000-0000-0000-0000-0000000835f1', '00000000-0000-0000-0000-0000000835a1', 'sms', '+13055558351', 'Hi',
        'America/New_York', 'materialised', '00000000-0000-0000-0000-0000000835b1');
select public.fold_dashboard_changes();

create temp table rollups_before as
select (select count(*) from private.dashboard_message_days) as day_rows,
       (select sum(messages) from private.dashboard_message_days where status = 'delivered') as delivered_days,
       (select sum(delivered) from private.dashboard_blast_variant_counts) as delivered_results,
       -- The fold above holds its own lock to the end of this test's one transaction.
       (select count(*) from pg_catalog.pg_locks where pid = pg_catalog.pg_backend_pid() and locktype = 'advisory') as advisory_locks;
grant select on rollups_before to service_role;

select tests.act_as('service_role');
update public.messages set status = 'delivered' where id = '00000000-0000-0000-0000-0000000835b1';
select is((select count(*) from pg_catalog.pg_locks where pid = pg_catalog.pg_backend_pid() and locktype = 'advisory'),
  (select advisory_locks from rollups_before), 'a callback''s update takes no advisory lock');
select results_eq(
  $$select (select count(*) from private.dashboard_message_days),
           (select sum(messages) from private.dashboard_message_days where status = 'delivered'),
           (select sum(delivered) from private.dashboard_blast_variant_counts)$$,
  $$select day_rows, delivered_days, delivered_results from rollups_before$$,
  'it writes no rollup row');
select is((select count(*)::int from private.dashboard_message_day_changes), 2,
  'it journals the day counters'' change: one row out of sent, one into delivered');
select is((select count(*)::int from private.dashboard_pending_blast_recipients), 1,
  'and the blast recipient whose outcome may change');
select is((select delivered from public.blast_variant_results where blast_id = '00000000-0000-0000-0000-0000000835f1'), 1,
  'the blast results count the delivery before any fold');
select is((select sum(messages)::int from public.message_daily_stats where status = 'delivered'), 1,
  'so do the messages per day');

select ok(public.fold_dashboard_changes() > 0, 'the service role (workers) folds the journals');
select is((select (select count(*) from private.dashboard_message_day_changes)
                + (select count(*) from private.dashboard_pending_blast_recipients))::int, 0,
  'the fold empties the journals');
select is((select delivered from private.dashboard_blast_variant_counts
            where blast_id = '00000000-0000-0000-0000-0000000835f1'), 1, 'the delivery is in the rollups now');
select is((select delivered from public.blast_variant_results where blast_id = '00000000-0000-0000-0000-0000000835f1'), 1,
  'and the view says the same');
select is(public.fold_dashboard_changes(), 0::bigint, 'a fold with nothing to fold changes nothing');

select tests.act_as('admin');
select throws_ok($$select public.fold_dashboard_changes()$$, '42501', null, 'an admin cannot run the fold');
select tests.act_as('organizer');
select throws_ok($$insert into private.dashboard_pending_blast_recipients (recipient_id) values (1)$$,
  '42501', null, 'an organizer cannot add to a journal');
select tests.act_as('anon');
select throws_ok($$select public.fold_dashboard_changes()$$, '42501', null, 'anon cannot run the fold');

select * from finish();
rollback;
