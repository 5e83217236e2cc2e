-- The workers' outbox functions and the docs/compliance.md rules they enforce at claim time: quiet
-- hours, STOP mid-blast, rate tokens (never above the sender's MPS), daily caps, leases, forward
-- only results, error-code mapping, ambiguous sends, automatic pause, completion.
-- Statements that are not assertions print nothing TAP could mistake for a plan (no bare ids).
begin;
select plan(66);

-- Tomorrow 10:00 in Miami (inside 09:00–20:00), and 21:00 the evening before (quiet in Miami, 18:00 in LA).
select ((now() at time zone 'America/New_York')::date + 1 + time '10:00') at time zone 'America/New_York' as t0 \gset
select (:'t0'::timestamptz - interval '13 hours') as t_night \gset

select tests.make_sms_sender('Blast number', '+13055550100', 1) as sender \gset
select tests.make_template('hello', 'Hi {{first_name | friend}}, see you soon!') as tpl \gset
select tests.make_contact('+13055550001', 'Ana') as ana \gset
select tests.make_contact('+13055550002', 'Ben') as ben \gset
select tests.make_contact('+13055550003', 'Cy') as cy \gset
select tests.make_contact('+13105550004', 'Lou', 'opted_in', null, null, 'America/Los_Angeles') as lou \gset
select tests.make_sms_blast('Spring', :'tpl', :'sender', array[:'ana', :'ben', :'cy', :'lou']::uuid[]) as blast \gset
select public.start_blast(:'blast') is not null as started \gset

-- ---------------------------------------------------------------- grants
select tests.make_staff('ob_organizer', 'organizer') as ob_organizer \gset
select tests.act_as('ob_organizer');
select throws_ok($$select * from public.claim_outbound_messages('w', 'sms')$$, '42501', null, 'staff cannot claim outbound work');
select throws_ok($$select public.record_message_sent(gen_random_uuid(), 'SMx', 'queued')$$, '42501', null, 'staff cannot record results');
select tests.act_as('anon');
select throws_ok($$select * from public.claim_outbound_messages('w', 'sms')$$, '42501', null, 'anon cannot claim');
select tests.act_as('service_role');
select lives_ok($$select * from public.claim_outbound_messages('probe', 'email')$$, 'the service role (workers) may claim');
-- The rest runs as the database owner, which can also look into the private token buckets.
select tests.reset_role();

-- ---------------------------------------------------------------- refusals
select throws_ok($$select * from public.claim_outbound_messages('', 'sms')$$, 'P0001', 'worker_id_required', 'a worker id is required');
select throws_ok($$select * from public.claim_outbound_messages('w', 'fax')$$, 'P0001', 'unknown_channel', 'unknown channel refused');

-- ---------------------------------------------------------------- quiet hours at claim time
select results_eq(
  format($$select to_address from public.claim_outbound_messages('night', 'sms', 10, 30, %L)$$, :'t_night'),
  $$values ('+13105550004')$$,
  'at 21:00 in Miami only the Los Angeles recipient (18:00 local) is claimed');
select is((select count(*)::int from public.blast_recipients where blast_id = :'blast' and status = 'pending'), 3,
  'the Miami recipients stay pending, not dropped');

-- ---------------------------------------------------------------- rate tokens (MPS 1 segment/s)
select is((select count(*)::int from public.claim_outbound_messages('w1', 'sms', 10, 30, :'t0')), 1,
  'a full bucket of 1 token pays for one single-segment text');
select is((select count(*)::int from public.claim_outbound_messages('w2', 'sms', 10, 30, :'t0')), 0,
  'a second claimer in the same second gets nothing');
select is((select count(*)::int from public.claim_outbound_messages('w2', 'sms', 10, 30, :'t0'::timestamptz + interval '500 ms')), 0,
  'half a second refills half a token: still nothing');
select ok((select tokens <= 1 from private.sender_rate_buckets where sender_id = :'sender'), 'tokens never exceed the MPS');
select ok((private.lock_sender_bucket(:'sender', :'t0'::timestamptz + interval '1 hour')).tokens <= 1,
  'an hour idle still refills to at most the MPS');

-- ---------------------------------------------------------------- STOP mid-blast
select tests.receive_sms('SMstop1', '+13055550002', 'STOP') ->> 'action' as stop_action \gset
select is(:'stop_action'::text, 'opt_out', 'Ben replies STOP while the blast runs');
select is((select status from public.blast_recipients where contact_id = :'ben' and blast_id = :'blast'), 'skipped',
  'his pending snapshot row is skipped at once');
create temp table later_claims as
  select * from public.claim_outbound_messages('w3', 'sms', 10, 30, :'t0'::timestamptz + interval '10 s');
select is((select count(*)::int from later_claims), 1, 'the next claim (tokens for one) takes one recipient');
select ok(not exists (select 1 from later_claims where to_address = '+13055550002'), 'the opted-out recipient is never claimed');
insert into later_claims select * from public.claim_outbound_messages('w3', 'sms', 10, 30, :'t0'::timestamptz + interval '20 s');
select ok(not exists (select 1 from later_claims where to_address = '+13055550002'), 'nor on any later claim');
select is((select count(*)::int from public.blast_recipients where blast_id = :'blast' and status = 'pending'), 0,
  'every other recipient has been claimed');

-- ---------------------------------------------------------------- claimed rows
select id as m_ana, claimed_by as ana_worker from public.messages where contact_id = :'ana' and kind = 'blast' \gset
select ok((select validity_period_seconds between 1 and 3600 from public.messages where id = :'m_ana'),
  'marketing texts carry a ValidityPeriod within the send window');
select is((select status::text from public.messages where id = :'m_ana'), 'queued', 'a claimed message stays queued until sending');

-- ---------------------------------------------------------------- mark sending / record results
select is(public.mark_message_sending(:'m_ana', 'someone-else'), false, 'another worker cannot send a claimed message');
select is(public.mark_message_sending(:'m_ana', :'ana_worker'), true, 'the claiming worker may send');
select is(public.mark_message_sending(:'m_ana', :'ana_worker'), false, 'marking twice does not send twice');
select is((select attempts from public.messages where id = :'m_ana'), 1, 'the attempt is counted');
select ok(:'m_ana' in (select id::text from public.list_unresolved_sends(0)), 'a message left in sending is unresolved');
select lives_ok(format($$select public.record_message_sent(%L, 'SMana', 'queued')$$, :'m_ana'), 'record sent');
select lives_ok(format($$select public.record_message_sent(%L, 'SMana', 'queued')$$, :'m_ana'), 'record sent again: idempotent');
select throws_ok(format($$select public.record_message_sent(%L, 'SMother', 'queued')$$, :'m_ana'), 'P0001', 'provider_id_mismatch',
  'a different provider id for the same message is refused');
select is((select status::text from public.messages where id = :'m_ana'), 'sent', 'the message is sent');
select is((select sent_count from public.blasts where id = :'blast'), 0, 'sends do not touch the blast row (no hot row)');
select private.fold_blast_counters(:'blast') is null as folded \gset
select is((select sent_count from public.blasts where id = :'blast'), 1, 'folding the counter deltas counts it on the blast');
select lives_ok(format($$select public.record_message_failed(%L, '30001', 'late')$$, :'m_ana'), 'a late failure report is harmless');
select is((select status::text from public.messages where id = :'m_ana'), 'sent', 'and changes nothing');
select throws_ok(format($$update public.messages set status = 'queued' where id = %L$$, :'m_ana'), 'P0001', 'status_moves_forward_only',
  'status never moves back');

-- ---------------------------------------------------------------- error codes
select id as m_cy, claimed_by as cy_worker from public.messages where contact_id = :'cy' and kind = 'blast' \gset
select public.mark_message_sending(:'m_cy', :'cy_worker');
select public.record_message_failed(:'m_cy', '21610', 'Attempt to send to unsubscribed recipient', 60);
select is((select status::text from public.messages where id = :'m_cy'), 'failed', '21610 is final even when a retry was suggested');
select results_eq(format($$select status::text, source::text from public.contact_consents where contact_id = %L and channel = 'sms'$$, :'cy'),
  $$values ('opted_out', 'provider_error')$$, '21610 opts the recipient out in our ledger');
select is((select evidence_message_id from public.consent_events where contact_id = :'cy' order by id desc limit 1), :'m_cy'::uuid,
  'with the failed message as evidence');

-- Transactional texts (no quiet hours) for the remaining code paths.
select tests.make_contact('+13055550010', 'Tia', null) as tia \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body)
values ('transactional', 'sms', :'tia', :'sender', '+13055550010', 'Your code is 111111') returning id as m_tx \gset
select count(*) from public.claim_outbound_messages('tx', 'sms', 1, 30, :'t0'::timestamptz + interval '1 minute');
select is((select claimed_by from public.messages where id = :'m_tx'), 'tx', 'transactional messages are claimed first');
select ok(public.mark_message_sending(:'m_tx', 'tx'), 'sending');
select public.record_message_failed(:'m_tx', '20429', 'Too many requests', 120);
select results_eq(format($$select status::text, next_attempt_at > now() from public.messages where id = %L$$, :'m_tx'),
  $$values ('queued', true)$$, '429/20429 puts it back in the queue after the backoff');
update public.messages set next_attempt_at = :'t0'::timestamptz + interval '10 minutes' where id = :'m_tx';
select is((select count(*)::int from public.claim_outbound_messages('tx', 'sms', 5, 30, :'t0'::timestamptz + interval '5 minutes')), 0,
  'not claimable before the backoff ends');
select is((select count(*)::int from public.claim_outbound_messages('tx', 'sms', 5, 30, :'t0'::timestamptz + interval '11 minutes')), 1,
  'claimable after it');
select ok(public.mark_message_sending(:'m_tx', 'tx'), 'claimed and sending again after the backoff');
select public.record_message_failed(:'m_tx', '30005', 'Unknown destination handset');
select is((select reason::text from public.suppressions where address = '+13055550010'), 'invalid_number', '30005 marks the number invalid');

-- ---------------------------------------------------------------- leases and ambiguous sends
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body)
values ('transactional', 'sms', :'ana', :'sender', '+13055550001', 'Your code is 222222') returning id as m_lease \gset
select is((select count(*)::int from public.claim_outbound_messages('w-dead', 'sms', 1, 30, :'t0'::timestamptz + interval '20 minutes')), 1, 'claimed by a worker that then dies');
select is((select count(*)::int from public.claim_outbound_messages('w-live', 'sms', 1, 30, :'t0'::timestamptz + interval '20 minutes 10 seconds')), 0,
  'nobody else gets it while the lease runs');
select is((select message_id from public.claim_outbound_messages('w-live', 'sms', 1, 30, :'t0'::timestamptz + interval '21 minutes')), :'m_lease'::uuid,
  'after the lease expires another worker gets it');
select ok(public.mark_message_sending(:'m_lease', 'w-live'), 'it starts sending');
select public.resolve_unresolved_send(:'m_lease', null);
select is((select status::text from public.messages where id = :'m_lease'), 'queued', 'resolved as never sent: queued again');
select count(*) from public.claim_outbound_messages('w-live', 'sms', 1, 30, :'t0'::timestamptz + interval '22 minutes');
select ok(public.mark_message_sending(:'m_lease', 'w-live'), 'sent again');
select public.resolve_unresolved_send(:'m_lease', 'SMfound');
select results_eq(format($$select status::text, provider_id from public.messages where id = %L$$, :'m_lease'),
  $$values ('sent', 'SMfound')$$, 'resolved as sent with the provider id found');
select lives_ok(format($$select public.resolve_unresolved_send(%L, null)$$, :'m_lease'), 'resolving again is a no-op');

-- ---------------------------------------------------------------- daily cap
select tests.make_sms_sender('Capped', '+13055550200', 100, 2) as capped \gset
update public.senders set enabled = false where id = :'sender';
insert into public.messages (kind, channel, sender_id, to_address, body)
select 'transactional', 'sms', :'capped', '+1305555030' || g, 'code ' || g from generate_series(1, 3) g;
create temp table capped_claims as select * from public.claim_outbound_messages('cap', 'sms', 10, 30, :'t0');
select is((select count(*)::int from capped_claims), 2, 'the daily cap (2 segments) stops the third');
select public.mark_message_sending(message_id, 'cap'), public.record_message_sent(message_id, 'SM' || message_id, 'queued')
from capped_claims;
select is((select count(*)::int from public.claim_outbound_messages('cap', 'sms', 10, 30, :'t0'::timestamptz + interval '1 hour')), 0, 'all day');
select is((select count(*)::int from public.claim_outbound_messages('cap', 'sms', 10, 30, :'t0'::timestamptz + interval '1 day')), 1, 'the next day it goes');
update public.senders set enabled = true, mps_segments = 10 where id = :'sender';

-- ---------------------------------------------------------------- email claims
select tests.make_email_sender() as esender \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body)
values ('transactional', 'email', :'ana', :'esender', 'ana@example.com', 'Your receipt', 'Thanks!');
select results_eq($$select from_address, to_address, subject from public.claim_outbound_messages('mail', 'email', 5, 30, now())$$,
  $$values ('events@hellomiami.test', 'ana@example.com', 'Your receipt')$$, 'an email claim carries the sender identity and subject');

-- ---------------------------------------------------------------- pause, resume, cancel, completion
select count(tests.make_contact('+1305555040' || g, 'P' || g)) from generate_series(1, 4) g;
select tests.make_sms_blast('Pausable', :'tpl', :'sender', array(select id from public.contacts where phone like '+1305555040%')) as blast2 \gset
select public.start_blast(:'blast2') is not null;
select public.pause_blast(:'blast2') is not null;
select is((select count(*)::int from public.claim_outbound_messages('p', 'sms', 10, 30, :'t0'::timestamptz + interval '6 hours')
           where blast_id = :'blast2'), 0, 'a paused blast gives nothing to claim');
select public.resume_blast(:'blast2') is not null;
select is((select count(*)::int from public.claim_outbound_messages('p', 'sms', 2, 30, :'t0'::timestamptz + interval '7 hours')
           where blast_id = :'blast2'), 1, 'resumed: claims continue');
select id as m_p, claimed_by as p_worker from public.messages where blast_id = :'blast2' limit 1 \gset
select public.pause_blast(:'blast2') is not null;
select is(public.mark_message_sending(:'m_p', :'p_worker'), false, 'a pause between claim and send stops the send');
select public.cancel_blast(:'blast2') is not null;
select results_eq(format($$select status::text, count(*)::int from public.blast_recipients where blast_id = %L group by 1 order by 1$$, :'blast2'),
  $$values ('cancelled', 3), ('materialised', 1)$$, 'cancel drops every pending recipient');
select is((select status::text from public.messages where id = :'m_p'), 'cancelled', 'and the claimed message');

-- Completion of the first blast: Lou (LA) and Ana are in flight or sent; finish them.
select public.record_message_sent(m.id, 'SM-' || m.id, 'queued')
from public.messages m where m.blast_id = :'blast' and m.status = 'queued' and m.contact_id <> :'ana';
select is((select status::text from public.blasts where id = :'blast'), 'sending', 'completion waits for the next claim call');
select count(*) from public.claim_outbound_messages('up', 'sms', 1, 30, :'t0'::timestamptz + interval '7 hours 30 minutes');
select is((select status::text from public.blasts where id = :'blast'), 'completed', 'a blast with nothing pending or in flight completes');
select is((select sent_count from public.blasts where id = :'blast'),
  (select count(*)::int from public.messages where blast_id = :'blast' and status in ('sent', 'delivered', 'undelivered')),
  'a completed blast carries its final counters');

-- ---------------------------------------------------------------- automatic pause
update public.messaging_settings set auto_pause_min_sends = 3, auto_pause_window = 10, auto_pause_failure_rate = 0.5;
select count(tests.make_contact('+1305555050' || g, 'F' || g)) from generate_series(1, 5) g;
select tests.make_sms_blast('Failing', :'tpl', :'sender', array(select id from public.contacts where phone like '+1305555050%')) as blast3 \gset
select public.start_blast(:'blast3') is not null;
update public.senders set mps_segments = 10 where id = :'sender';
select count(*) from public.claim_outbound_messages('f', 'sms', 3, 30, :'t0'::timestamptz + interval '8 hours');
select public.mark_message_sending(m.id, 'f') from public.messages m where m.blast_id = :'blast3';
select public.record_message_failed(m.id, '30007', 'Carrier filtered') from public.messages m where m.blast_id = :'blast3';
select count(*) from public.claim_outbound_messages('f', 'sms', 1, 30, :'t0'::timestamptz + interval '8 hours 1 minute');
select results_eq(format($$select status::text, paused_reason like 'Automatic pause%%' from public.blasts where id = %L$$, :'blast3'),
  $$values ('paused', true)$$, 'a failure spike pauses the blast automatically');

select tests.reset_role();
select * from finish();
rollback;
