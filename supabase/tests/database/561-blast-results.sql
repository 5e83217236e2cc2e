-- A blast's results for its screen: per variant and per recipient (filterable, pageable), each
-- recipient's outcome counted as the blast counters count messages; organizers and up only.
begin;
select plan(14);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('results', 'Hi {{first_name | friend}}!') as tpl \gset
select tests.make_contact('+13055550701', 'Ana') as ana \gset
select tests.make_contact('+13055550702', 'Ben') as ben \gset
select tests.make_contact('+13055550703', 'Cy') as cy \gset
select tests.make_contact('+13055550704', 'Dee') as dee \gset
select tests.make_contact('+13055550705', 'Eve') as eve \gset
select tests.make_sms_blast('Results night', :'tpl', :'sender', array[:'ana', :'ben', :'cy', :'dee', :'eve']::uuid[]) as blast \gset
select public.start_blast(:'blast');

-- What the workers and webhooks would have done: Ana delivered, Ben failed, Cy accepted and then
-- replied STOP, Dee opted out before her turn, Eve still to send.
create temporary table outcome_of (phone text, message_status public.message_status, opted_out boolean) on commit drop;
insert into outcome_of values ('+13055550701', 'delivered', false), ('+13055550702', 'failed', false),
  ('+13055550703', 'sent', true);
with m as (
  insert into public.messages (kind, channel, status, contact_id, blast_id, blast_recipient_id, to_address, body,
                               is_marketing, recipient_opted_out_at, error_code)
  select 'blast', 'sms', o.message_status, r.contact_id, r.blast_id, r.id, r.to_address, r.body, true,
         case when o.opted_out then now() end, case when o.message_status = 'failed' then '30003' end
  from public.blast_recipients r join outcome_of o on o.phone = r.to_address
  where r.blast_id = :'blast'
  returning id, blast_recipient_id)
update public.blast_recipients r set status = 'materialised', message_id = m.id from m where r.id = m.blast_recipient_id;
update public.blast_recipients set status = 'skipped', skip_reason = 'opted_out'
 where blast_id = :'blast' and to_address = '+13055550704';

-- ---------------------------------------------------------------- roles
select tests.act_as('anon');
select throws_ok(format($$select * from public.blast_results(%L)$$, :'blast'), '42501', null, 'anon cannot read results');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select * from public.blast_results(%L)$$, :'blast'), 'P0001', 'not_allowed',
  'volunteers cannot read results');
select throws_ok(format($$select * from public.blast_recipient_results(%L)$$, :'blast'), 'P0001', 'not_allowed',
  'nor per recipient');
select tests.act_as('msg_attendee');
select throws_ok(format($$select * from public.blast_recipient_results(%L)$$, :'blast'), 'P0001', 'not_allowed',
  'attendees cannot read results');

-- ---------------------------------------------------------------- organizers
select tests.act_as('msg_organizer');
select results_eq(format($$select channel::text, variant, recipients, to_send, sent, delivered, failed, skipped, opted_out
                          from public.blast_results(%L)$$, :'blast'),
  $$values ('sms', null::text, 5, 1, 2, 1, 1, 1, 2)$$,
  'per variant: 5 recipients, 1 to send, 2 accepted, 1 delivered, 1 failed, 1 skipped, 2 opted out');
select results_eq(format($$select to_address, outcome, opted_out from public.blast_recipient_results(%L) order by 1$$, :'blast'),
  $$values ('+13055550701', 'delivered', false), ('+13055550702', 'failed', false), ('+13055550703', 'sent', true),
           ('+13055550704', 'skipped', true), ('+13055550705', 'to_send', false)$$,
  'per recipient, one outcome each');
select results_eq(format($$select contact_name, error_code from public.blast_recipient_results(%L, 'failed')$$, :'blast'),
  $$values ('Ben', '30003')$$, 'filtered by outcome, with the provider''s error');
select results_eq(format($$select contact_name from public.blast_recipient_results(%L, 'opted_out') order by 1$$, :'blast'),
  $$values ('Cy'), ('Dee')$$, 'filtered to those who opted out');
select results_eq(format($$select contact_name from public.blast_recipient_results(%L, null, null, 'ev')$$, :'blast'),
  $$values ('Eve')$$, 'searched by name');
select results_eq(format($$select recipient_id from public.blast_recipient_results(%L, null, null, null, 2, 2)$$, :'blast'),
  format($$select recipient_id from public.blast_recipient_results(%L) order by 1 offset 2 limit 2$$, :'blast'),
  'in pages, in snapshot order');
select throws_ok(format($$select * from public.blast_recipient_results(%L, 'exploded')$$, :'blast'), 'P0001', 'invalid_argument',
  'an unknown outcome is refused');
select throws_ok(format($$select * from public.blast_recipient_results(%L, null, null, null, 0)$$, :'blast'), 'P0001', 'invalid_argument',
  'a limit outside 1..10000 is refused');
select throws_ok($$select * from public.blast_results(gen_random_uuid())$$, 'P0001', 'blast_not_found', 'an unknown blast is refused');
select tests.act_as('msg_admin');
select is((select sum(recipients)::int from public.blast_results(:'blast')), 5, 'admins read results too');

select * from finish();
rollback;
