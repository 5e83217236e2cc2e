-- Email A/B tests on opens and clicks (20261129040000): the composer's open/click metrics and
-- their refusals, an email blast whose B variant is opened more (opens recorded through the
-- MailerSend webhook path) picks B and sends B to the held recipients, the metric each channel
-- falls back to, and the results per variant and per recipient with opens and clicks, per role.
begin;
select plan(25);

select tests.make_messaging_roles();
select tests.make_email_sender() as esender \gset
select tests.make_sms_sender() as ssender \gset
select tests.make_template('mail a', 'A for {{first_name}}', 'email', 'Hello A') as tpl_a \gset
select tests.make_template('mail b', 'B for {{first_name}}', 'email', 'Hello B') as tpl_b \gset
select tests.make_template('text a', 'Text A') as sms_a \gset
select tests.make_contact('+1305558' || lpad(g::text, 4, '0'), 'Mia' || g, 'opted_in', 'mia' || g || '@example.com', 'opted_in')
from generate_series(1, 40) g;

create temporary table spec on commit drop as
select jsonb_build_object('name', 'Subject lines', 'channel', 'email', 'email_sender_id', :'esender',
  'contact_ids', (select jsonb_agg(id) from public.contacts where first_name like 'Mia%'),
  'variants', jsonb_build_array(
    jsonb_build_object('channel', 'email', 'label', 'A', 'template_id', :'tpl_a', 'weight', 50),
    jsonb_build_object('channel', 'email', 'label', 'B', 'template_id', :'tpl_b', 'weight', 50)),
  'winner', jsonb_build_object('test_percent', 10, 'min_per_variant', 5, 'decide_after_minutes', 60,
                               'metric', 'open_rate')) as s;
grant select on spec to authenticated;

-- One MailerSend activity for a message, stored and processed as the webhook worker does.
create function pg_temp.activity(p_activity_id text, p_type text, p_provider_message_id text)
returns jsonb language sql as $$
  select public.process_webhook_event((select event_id from public.store_webhook_event('mailersend', p_activity_id, 'email_event',
    jsonb_build_object('type', 'activity.' || p_type, 'created_at', now(),
      'data', jsonb_build_object('id', p_activity_id, 'type', p_type, 'created_at', now() - interval '30 seconds',
        'email', jsonb_build_object('id', 'e-' || p_activity_id, 'message', jsonb_build_object('id', p_provider_message_id),
                                    'recipient', jsonb_build_object('email', 'someone@example.com')),
        'morph', case when p_type = 'clicked'
                      then jsonb_build_object('object', 'click', 'url', 'https://hellomiami.org/rsvp', 'ip', '127.0.0.1')
                      else jsonb_build_object('object', 'open', 'ip', '127.0.0.1') end)))))
$$;

-- ---------------------------------------------------------------- composing: metrics and refusals
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.create_blast(%L)$$, (select jsonb_set(s, '{winner,metric}', '"bounce_rate"') from spec)),
  'P0001', 'invalid_ab_test', 'an unknown metric is refused');
select throws_ok(format($$select public.create_blast(%L)$$,
    (select jsonb_set(s, '{variants}', jsonb_build_array(
       jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'sms_a', 'weight', 50),
       jsonb_build_object('channel', 'sms', 'label', 'B', 'template_id', :'sms_a', 'weight', 50)))
     || jsonb_build_object('channel', 'both', 'sms_sender_id', :'ssender', 'email_template_id', :'tpl_a') from spec)),
  'P0001', 'invalid_ab_test', 'open rate without two email variants is refused');
select is((select count(*)::int from public.blasts), 0, 'a refused spec writes nothing');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.create_blast(%L)$$, (select s from spec)), 'P0001', 'not_allowed',
  'a volunteer cannot compose an email A/B blast');
select tests.act_as('msg_organizer');
select (public.create_blast((select jsonb_set(s, '{winner,metric}', '"click_rate"') || '{"name": "Clicks"}' from spec))).id as clicks \gset
select is((select metric from public.blast_ab_tests where blast_id = :'clicks'), 'click_rate', 'click rate is a metric too');
select (public.create_blast((select s from spec))).id as blast \gset
select is((select metric from public.blast_ab_tests where blast_id = :'blast'), 'open_rate', 'an organizer composes it on open rate');

-- ---------------------------------------------------------------- the metric per channel
select tests.reset_role();
select results_eq($$select private.ab_channel_metric(m, c::public.message_channel)
                    from (values ('open_rate', 'email'), ('click_rate', 'email'), ('reply_rate', 'email'),
                                 ('open_rate', 'sms'), ('click_rate', 'sms'), ('reply_rate', 'sms'), ('delivery_rate', 'sms'))
                         as x (m, c)$$,
  $$values ('open_rate'), ('click_rate'), ('delivery_rate'), ('delivery_rate'), ('delivery_rate'), ('reply_rate'), ('delivery_rate')$$,
  'opens and clicks judge emails, replies judge texts, the rest falls back to delivery rate');

-- ---------------------------------------------------------------- the test group goes out
select tests.act_as('msg_organizer');
select public.start_blast(:'blast');
select results_eq(format($$select variant, count(*)::int from public.blast_recipients where blast_id = %L and status = 'pending'
                          group by 1 order by 1$$, :'blast'),
  $$values ('A', 5), ('B', 5)$$, 'the test group: 5 per variant, the other 30 held');

-- What the workers would have done: every test email delivered (with MailerSend's id) …
select tests.reset_role();
with m as (
  insert into public.messages (kind, channel, status, contact_id, blast_id, blast_recipient_id, sender_id, to_address,
                               subject, body, is_marketing, sent_at, provider_id)
  select 'blast', 'email', 'delivered', r.contact_id, r.blast_id, r.id, :'esender', r.to_address, r.subject, r.body, true,
         now() - interval '1 minute', 'ms-ab-' || r.id
  from public.blast_recipients r where r.blast_id = :'blast' and r.status = 'pending'
  returning id, blast_recipient_id)
update public.blast_recipients r set status = 'materialised', message_id = m.id from m where r.id = m.blast_recipient_id;
-- … then MailerSend reports 3 opens of B and 1 of A, and that A's one was also clicked (B's not).
select pg_temp.activity('open-' || r.id, 'opened', 'ms-ab-' || r.id)
from (select r.id, r.variant, row_number() over (partition by r.variant order by r.id) rn
      from public.blast_recipients r where r.blast_id = :'blast' and r.status = 'materialised') r
where (r.variant = 'B' and rn <= 3) or (r.variant = 'A' and rn = 1);
select pg_temp.activity('click-' || r.id, 'clicked', 'ms-ab-' || r.id)
from public.blast_recipients r where r.blast_id = :'blast' and r.variant = 'A' and r.status = 'materialised'
order by r.id limit 1;

-- ---------------------------------------------------------------- the results, per role
select tests.act_as('msg_organizer');
select results_eq(format($$select channel::text, variant, sent, delivered, opened, clicked from public.blast_results(%L)$$, :'blast'),
  $$values ('email', 'A', 5, 5, 1, 1), ('email', 'B', 5, 5, 3, 0)$$, 'per variant: opened and clicked');
select is((select count(*)::int from public.blast_recipient_results(:'blast', p_engagement => 'opened')), 4, 'the opened filter');
select is((select count(*)::int from public.blast_recipient_results(:'blast', p_engagement => 'clicked')), 1, 'the clicked filter');
select is((select count(*)::int from public.blast_recipient_results(:'blast', p_engagement => 'not_opened')), 36,
  'not opened: every other email recipient, held ones included');
select is((select count(*)::int from public.blast_recipient_results(:'blast', 'delivered', p_engagement => 'not_opened')), 6,
  'and it combines with the outcome');
select results_eq(format($$select opened_at is not null, clicked_at is not null from public.blast_recipient_results(%L, p_engagement => 'clicked')$$, :'blast'),
  $$values (true, true)$$, 'a click is an open too, per recipient');
select throws_ok(format($$select * from public.blast_recipient_results(%L, p_engagement => 'bounced')$$, :'blast'), 'P0001', 'invalid_argument',
  'an unknown engagement is refused');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select * from public.blast_results(%L)$$, :'blast'), 'P0001', 'not_allowed', 'volunteers read no results');
select throws_ok(format($$select * from public.blast_recipient_results(%L, p_engagement => 'opened')$$, :'blast'), 'P0001', 'not_allowed',
  'nor who opened');

-- ---------------------------------------------------------------- the decision
select tests.act_as('msg_organizer');
select throws_ok($$select * from public.decide_blast_winners()$$, '42501', null, 'organizers do not decide winners');
select tests.act_as('service_role');
select is((select count(*)::int from public.decide_blast_winners(now() + interval '2 hours') where blast_id = :'blast'), 1,
  'the workers decide it when due');
select tests.act_as('msg_organizer');
select results_eq(format($$select winners, released_recipients from public.blast_ab_tests where blast_id = %L$$, :'blast'),
  $$values ('{"email": "B"}'::jsonb, 30)$$, 'B, opened more, won and the 30 held were released');
select is((select reason from public.blast_ab_tests where blast_id = :'blast'),
  'EMAIL: B won on open rate with 60.0% (3 of 5), against A 20.0% (1 of 5).', 'with why, in a sentence');
select results_eq(format($$select x ->> 'variant', (x ->> 'opened')::int, (x ->> 'clicked')::int
                          from public.blast_ab_tests, jsonb_array_elements(decision -> 'email' -> 'variants') x
                          where blast_id = %L order by 1$$, :'blast'),
  $$values ('A', 1, 1), ('B', 3, 0)$$, 'the decision keeps each variant''s opens and clicks');
select results_eq(format($$select variant, count(*)::int, bool_and(subject = 'Hello B' and body like '%%B for Mia%%')
                          from public.blast_recipients where blast_id = %L and status = 'pending' group by 1$$, :'blast'),
  $$values ('B', 30, true)$$, 'the rest get B''s email, rendered for each');

-- The click-rate blast (A clicked more in its own test) would pick by clicks: same data, its own metric.
select tests.reset_role();
select is(private.decide_ab_channel(t, 'email', now()) ->> 'metric', 'click_rate', 'a click-rate test is judged by clicks')
from public.blast_ab_tests t where t.blast_id = :'clicks';
select tests.act_as('msg_organizer');
select (public.create_blast((select s || jsonb_build_object('name', 'Both ways', 'channel', 'both', 'sms_sender_id', :'ssender',
    'variants', s -> 'variants' || jsonb_build_array(
      jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'sms_a', 'weight', 50),
      jsonb_build_object('channel', 'sms', 'label', 'B', 'template_id', :'sms_a', 'weight', 50))) from spec))).id as both_ways \gset
select tests.reset_role();
select is(private.decide_ab_channel(t, 'sms', now()) ->> 'reason',
  'SMS: no test results by the deadline; A (the first variant) goes to the rest. Texts report no opens or clicks, so SMS is judged by delivery rate. Fewer than the minimum of 5 texts per variant had gone out.',
  'the SMS channel of a both-ways open-rate test says it fell back to delivery rate')
from public.blast_ab_tests t where t.blast_id = :'both_ways';

select * from finish();
rollback;
