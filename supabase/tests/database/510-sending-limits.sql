-- Sending limits at claim time: the daily cap charges a message once (re-claims are free,
-- unsent ends are refunded), the transactional reserve marketing cannot use, and the
-- per-recipient marketing frequency cap (3 per 24 h by default). Settings per role.
begin;
select plan(27);

-- Tomorrow 10:00 in Miami (inside the 09:00–20:00 marketing window).
select ((now() at time zone 'America/New_York')::date + 1 + time '10:00') at time zone 'America/New_York' as t0 \gset
select tests.make_messaging_roles();

-- ---------------------------------------------------------------- settings per role
select tests.make_sms_sender('Limits', '+13055550300', 100, 10) as sender \gset
select tests.act_as('msg_organizer');
select is((select transactional_reserve_percent::int from public.senders where id = :'sender'), 10,
  'organizers see the sender''s transactional reserve (default 10 %)');
select is((select marketing_texts_per_day from public.messaging_settings), 3,
  'organizers see the frequency cap (default 3 per 24 h)');
update public.senders set transactional_reserve_percent = 0 where id = :'sender';
update public.messaging_settings set marketing_texts_per_day = 50;
select tests.act_as('msg_admin');
select is((select transactional_reserve_percent::int from public.senders where id = :'sender'), 10,
  'an organizer cannot change the reserve');
select is((select marketing_texts_per_day from public.messaging_settings), 3, 'nor the frequency cap');
update public.senders set transactional_reserve_percent = 20 where id = :'sender';
select is((select transactional_reserve_percent::int from public.senders where id = :'sender'), 20, 'an admin sets the reserve');
select throws_ok($$update public.senders set transactional_reserve_percent = 101$$, '23514', null,
  'a reserve above 100 % is refused');
select throws_ok($$update public.messaging_settings set marketing_texts_per_day = 0$$, '23514', null,
  'a frequency cap below 1 is refused');
select is((select marketing_texts_per_day from public.messaging_settings), 3, 'and nothing changed');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.messaging_settings'), 0::bigint, 'volunteers see no messaging settings');
select throws_ok($$select count(*) from private.sender_cap_refunds$$, '42501', null, 'staff cannot read the refunds');
select tests.act_as('anon');
select throws_ok($$select count(*) from private.sender_cap_refunds$$, '42501', null, 'nor can anon');
select tests.act_as('service_role');
select lives_ok(format($$select * from public.claim_outbound_messages('probe', 'sms', 1, 30, %L::timestamptz - interval '1 day')$$, :'t0'),
  'the workers claim as before');
select tests.reset_role();
delete from private.sender_rate_buckets;

-- ---------------------------------------------------------------- charged once per message
insert into public.messages (kind, channel, sender_id, to_address, body)
values ('transactional', 'sms', :'sender', '+13055550310', 'code 1') returning id as otp \gset
select is((select count(*)::int from public.claim_outbound_messages('w1', 'sms', 5, 30, :'t0')), 1, 'claimed');
-- The worker dies before sending; the lease runs out and another worker claims it again.
select is((select count(*)::int from public.claim_outbound_messages('w2', 'sms', 5, 30, :'t0'::timestamptz + interval '1 minute')), 1,
  'claimed again after the lease expired');
select is((select used_today from private.sender_rate_buckets where sender_id = :'sender'), 1,
  'the daily cap counts the message once, not once per claim');
select is((select cap_charged_on from public.messages where id = :'otp'),
  (:'t0'::timestamptz at time zone 'America/New_York')::date, 'the message records the day it was charged to');
-- A retryable error hands it back; the next claim does not charge it again.
select public.mark_message_sending(:'otp', 'w2') and true;
select public.record_message_failed(:'otp', '30003', 'Unreachable', 0);
select is((select count(*)::int from public.claim_outbound_messages('w3', 'sms', 5, 30, :'t0'::timestamptz + interval '2 minutes')), 1,
  'retried after a 30003');
select is((select used_today from private.sender_rate_buckets where sender_id = :'sender'), 1, 'still charged once');
-- It finally fails without reaching the provider: the segment is given back.
select public.mark_message_sending(:'otp', 'w3') and true;
select public.record_message_failed(:'otp', '21211', 'Invalid To');
select count(*) from public.claim_outbound_messages('w4', 'sms', 5, 30, :'t0'::timestamptz + interval '3 minutes');
select is((select used_today from private.sender_rate_buckets where sender_id = :'sender'), 0,
  'a message that never reached the provider is refunded by the next claim');
select is((select count(*)::int from private.sender_cap_refunds), 0, 'and the refund is used up');

-- ---------------------------------------------------------------- transactional reserve
-- Cap 10, reserve 20 %: a blast may use 8 segments today; codes still get the last 2.
select tests.make_template('limits', 'Hello {{first_name | friend}}!') as tpl \gset
select count(tests.make_contact('+1305555032' || g, 'R' || g)) from generate_series(0, 9) g;
select tests.make_sms_blast('Reserve', :'tpl', :'sender', array(select id from public.contacts where phone like '+1305555032%')) as blast \gset
select public.start_blast(:'blast') is not null as started \gset
select is((select count(*)::int from public.claim_outbound_messages('b', 'sms', 50, 30, :'t0'::timestamptz + interval '4 minutes')), 8,
  'a blast stops at the daily cap minus the transactional reserve');
insert into public.messages (kind, channel, sender_id, to_address, body)
select 'transactional', 'sms', :'sender', '+1305555034' || g, 'code ' || g from generate_series(1, 3) g;
select results_eq(format($$select kind, count(*)::int from public.claim_outbound_messages('t', 'sms', 50, 30, %L) group by 1$$,
    :'t0'::timestamptz + interval '4 minutes 10 seconds'),
  $$values ('transactional', 2)$$, 'one-time codes use the reserve (2 of 3: the cap itself still holds)');

-- ---------------------------------------------------------------- frequency cap
update public.senders set daily_cap = null where id = :'sender';
select tests.make_contact('+13055550351', 'Fay') as fay \gset
select tests.make_contact('+13055550352', 'Gus') as gus \gset
-- Fay already had three marketing texts in the last 24 hours, Gus two.
insert into public.messages (kind, channel, status, contact_id, sender_id, to_address, body, is_marketing, provider_id, created_at)
select 'blast', 'sms', 'sent', c.id, :'sender', c.phone, 'earlier', true, 'SM-freq-' || c.phone || g,
       :'t0'::timestamptz + interval '6 minutes' - g * interval '5 hours'
from public.contacts c, generate_series(1, 3) g
where c.id = :'fay' or (c.id = :'gus' and g < 3);
select tests.make_sms_blast('Frequency', :'tpl', :'sender', array[:'fay', :'gus']::uuid[]) as fblast \gset
select public.start_blast(:'fblast') is not null as started \gset
select results_eq(format($$select to_address from public.claim_outbound_messages('f', 'sms', 50, 30, %L) where blast_id = %L$$,
    :'t0'::timestamptz + interval '6 minutes', :'fblast'),
  $$values ('+13055550352')$$, 'a recipient with three marketing texts in 24 h waits; one with two gets the third');
select is((select status from public.blast_recipients where blast_id = :'fblast' and contact_id = :'fay'), 'pending',
  'the waiting recipient stays pending (nothing dropped)');
select public.mark_message_sending(m.id, 'f') and true from public.messages m where m.blast_id = :'fblast';
select public.record_message_sent(m.id, 'SM-gus-blast', 'queued') from public.messages m where m.blast_id = :'fblast';
select is((select status::text from public.blasts where id = :'fblast'), 'sending', 'and the blast does not complete without her');
-- A queued marketing message (a retry, say) to Gus, now at three, waits too.
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, is_marketing, created_at)
values ('automation', 'sms', :'gus', :'sender', '+13055550352', 'Thanks for coming', true, :'t0'::timestamptz + interval '6 minutes')
returning id as gus_more \gset
select is((select count(*)::int from public.claim_outbound_messages('f', 'sms', 50, 30, :'t0'::timestamptz + interval '7 minutes')
           where message_id = :'gus_more'), 0, 'a queued marketing text over the cap is not claimed');
select results_eq(format($$select to_address from public.claim_outbound_messages('f', 'sms', 50, 30, %L) where blast_id = %L$$,
    :'t0'::timestamptz + interval '1 day 10 minutes', :'fblast'),
  $$values ('+13055550351')$$, 'once her earlier texts are 24 h old, she gets this one');

select * from finish();
rollback;
