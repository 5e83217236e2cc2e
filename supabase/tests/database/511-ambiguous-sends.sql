-- Settling ambiguous sends (v2): the list carries the attempt and the sender's identity; the
-- settle is a compare-and-set on the attempt; a provider id already on another message (an
-- identical earlier text) is never taken for this one.
begin;
select plan(16);

select tests.make_messaging_roles();
select tests.make_sms_sender('Ambiguous', '+13055550400', 100) as sender \gset

-- ---------------------------------------------------------------- grants
select tests.act_as('msg_organizer');
select throws_ok($$select * from public.list_unresolved_sends_v2(0)$$, '42501', null, 'staff cannot list unresolved sends');
select throws_ok($$select public.resolve_unresolved_send_v2(gen_random_uuid(), 1, '{}')$$, '42501', null, 'nor settle them');
select tests.act_as('anon');
select throws_ok($$select public.resolve_unresolved_send_v2(gen_random_uuid(), 1, '{}')$$, '42501', null, 'nor can anon');
select tests.act_as('service_role');
select lives_ok($$select * from public.list_unresolved_sends_v2(0)$$, 'the workers list them');
select tests.reset_role();

-- ---------------------------------------------------------------- the list
insert into public.messages (kind, channel, sender_id, to_address, body)
values ('transactional', 'sms', :'sender', '+13055550410', 'Same text') returning id as m \gset
select count(*) from public.claim_outbound_messages('w1', 'sms', 5, 30, now());
select public.mark_message_sending(:'m', 'w1') and true;
select results_eq($$select to_address, body, attempts, from_number, messaging_service_sid from public.list_unresolved_sends_v2(0)$$,
  $$values ('+13055550410', 'Same text', 1, '+13055550400', null::text)$$,
  'an unresolved send comes with its attempt and its sender''s number');
select is((select count(*)::int from public.list_unresolved_sends_v2(3600)), 0, 'younger than the threshold: not listed');

-- ---------------------------------------------------------------- bad input
select throws_ok(format($$select public.resolve_unresolved_send_v2(%L, null, '{}')$$, :'m'), '22023', 'attempt_required',
  'the attempt is required');
select throws_ok($$select public.resolve_unresolved_send_v2(gen_random_uuid(), 1, '{}')$$, 'P0001', 'unknown_message',
  'an unknown message is refused');

-- ---------------------------------------------------------------- compare-and-set on the attempt
-- A resolver read attempt 1; meanwhile it was settled (not at the provider), requeued and sent
-- again by another worker (attempt 2). The stale resolver must not requeue attempt 2.
select is(public.resolve_unresolved_send_v2(:'m', 1, '{}'), 'requeued', 'nothing at the provider: queued again');
select count(*) from public.claim_outbound_messages('w2', 'sms', 5, 30, now());
select public.mark_message_sending(:'m', 'w2') and true;
select is(public.resolve_unresolved_send_v2(:'m', 1, '{}'), 'stale', 'a settle for an earlier attempt is refused');
select results_eq(format($$select status::text, attempts, claimed_by from public.messages where id = %L$$, :'m'),
  $$values ('sending', 2, 'w2')$$, 'and the new attempt is untouched');

-- ---------------------------------------------------------------- identical earlier text
-- The same text went to the same number before (another message, already recorded): the
-- provider lookup finds both; the earlier one's id is never taken for this message.
insert into public.messages (kind, channel, status, sender_id, to_address, body, provider_id)
values ('transactional', 'sms', 'sent', :'sender', '+13055550410', 'Same text', 'SM-earlier');
select is(public.resolve_unresolved_send_v2(:'m', 2, array['SM-earlier']), 'requeued',
  'an id that belongs to another message is not this one''s: queued again');
select count(*) from public.claim_outbound_messages('w3', 'sms', 5, 30, now());
select public.mark_message_sending(:'m', 'w3') and true;
select is(public.resolve_unresolved_send_v2(:'m', 3, array['SM-earlier', 'SM-this-one']), 'sent',
  'the first candidate not taken by another message is this one');
select results_eq(format($$select status::text, provider_id from public.messages where id = %L$$, :'m'),
  $$values ('sent', 'SM-this-one')$$, 'recorded with its own provider id');
select is(public.resolve_unresolved_send_v2(:'m', 3, array['SM-this-one']), 'stale', 'settling again changes nothing');

-- ---------------------------------------------------------------- attempts exhausted
insert into public.messages (kind, channel, sender_id, to_address, body, attempts)
values ('transactional', 'sms', :'sender', '+13055550411', 'Last try', 2) returning id as last \gset
select count(*) from public.claim_outbound_messages('w4', 'sms', 5, 30, now());
select public.mark_message_sending(:'last', 'w4') and true;
select is(public.resolve_unresolved_send_v2(:'last', 3, '{}'), 'failed', 'not found after the last attempt: failed');

select * from finish();
rollback;
