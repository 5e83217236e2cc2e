-- Batch forms of mark_message_sending / record_message_sent: who may call them, and that each
-- element gets the single-message rules (lease owner, idempotence, mismatch refusal).
begin;
select plan(14);

select tests.make_sms_sender('Batch number', '+13055550190', 1000) as sender \gset
select tests.make_contact('+13055550191', 'Ana') as ana \gset
select tests.make_contact('+13055550192', 'Ben') as ben \gset
select tests.make_contact('+13055550193', 'Cy') as cy \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body)
select 'transactional', 'sms', c.id, :'sender', c.phone, 'Your code is 333333'
  from public.contacts c where c.id in (:'ana', :'ben', :'cy');
create temp table claimed as select * from public.claim_outbound_messages('batch-w', 'sms', 3, 30);
select is((select count(*)::int from claimed), 3, 'three transactional texts claimed');
select message_id as m_ana from claimed where to_address = '+13055550191' \gset
select message_id as m_ben from claimed where to_address = '+13055550192' \gset
select message_id as m_cy from claimed where to_address = '+13055550193' \gset

-- ---------------------------------------------------------------- grants
select tests.make_staff('batch_admin', 'admin') as batch_admin \gset
select tests.act_as('batch_admin');
select throws_ok(format($$select public.mark_messages_sending(array[%L]::uuid[], 'batch-w')$$, :'m_ana'), '42501', null,
  'staff cannot mark messages sending');
select throws_ok($$select public.record_messages_sent('[]')$$, '42501', null, 'staff cannot record results');
select tests.act_as('anon');
select throws_ok($$select public.record_messages_sent('[]')$$, '42501', null, 'anon cannot record results');
select tests.act_as('service_role');
select lives_ok($$select public.record_messages_sent('[]')$$, 'the service role (workers) may');
select tests.reset_role();

-- ---------------------------------------------------------------- mark
update public.messages set claimed_by = 'someone-else' where id = :'m_cy';
select set_eq(
  format($$select public.mark_messages_sending(array[%L, %L, %L, %L]::uuid[], 'batch-w')$$, :'m_ana', :'m_ben', :'m_cy', :'m_ana'),
  array[:'m_ana', :'m_ben']::uuid[],
  'only the messages this worker holds are marked (another worker''s and a repeated id are not sent twice)');
select results_eq(format($$select status::text, attempts from public.messages where id in (%L, %L) order by id$$, :'m_ana', :'m_ben'),
  $$values ('sending', 1), ('sending', 1)$$, 'each is sending with one attempt counted');
select is((select status::text from public.messages where id = :'m_cy'), 'queued', 'the other worker''s message is untouched');

-- ---------------------------------------------------------------- record
select is((select count(*)::int from public.record_messages_sent(jsonb_build_array(
    jsonb_build_object('message_id', :'m_ana', 'provider_id', 'SMbatch-ana', 'provider_status', 'queued'),
    jsonb_build_object('message_id', :'m_ben', 'provider_id', 'SMbatch-ben', 'provider_status', 'sent')))),
  0, 'nothing handed back when no callback holds their provider ids');
select results_eq(format($$select provider_id, status::text from public.messages where id in (%L, %L) order by provider_id$$, :'m_ana', :'m_ben'),
  $$values ('SMbatch-ana', 'sent'), ('SMbatch-ben', 'sent')$$, 'both recorded as sent with their provider ids');
select lives_ok(format($$select public.record_messages_sent(jsonb_build_array(jsonb_build_object(
    'message_id', %L, 'provider_id', 'SMbatch-ana', 'provider_status', 'queued')))$$, :'m_ana'),
  'recording again is a no-op');
select throws_ok(format($$select public.record_messages_sent(jsonb_build_array(
    jsonb_build_object('message_id', %L, 'provider_id', 'SMbatch-ben', 'provider_status', 'queued'),
    jsonb_build_object('message_id', %L, 'provider_id', 'SMother', 'provider_status', 'queued')))$$, :'m_ben', :'m_ana'),
  'P0001', 'provider_id_mismatch', 'a different provider id fails the whole batch');
select throws_ok($$select public.record_messages_sent('{"message_id": null}')$$, '22023', 'results_must_be_an_array',
  'anything but an array is refused');
select throws_ok($$select public.record_messages_sent('[{"provider_id": "SMx"}]')$$, '22023', 'message_id_and_provider_id_required',
  'an element without a message id is refused');

select * from finish();
rollback;
