-- A/B "send the winner to the rest": the composer's winner settings, the test group at the start
-- (the rest held, never claimed, the blast never completed meanwhile), the decision the workers
-- ask for when it is due (exactly once, audited, with why), and the rest sent the winner's text.
begin;
select plan(30);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('ab a', 'A for {{first_name}}') as tpl_a \gset
select tests.make_template('ab b', 'B for {{first_name}}') as tpl_b \gset
insert into public.contacts (phone, first_name)
select '+1305557' || lpad(g::text, 4, '0'), 'Kim' || g from generate_series(1, 40) g;
insert into public.consent_events (contact_id, channel, status, source)
select id, 'sms', 'opted_in', 'import' from public.contacts where first_name like 'Kim%';

create temporary table spec on commit drop as
select jsonb_build_object('name', 'Which one', 'channel', 'sms', 'sms_sender_id', :'sender',
  'contact_ids', (select jsonb_agg(id) from public.contacts where first_name like 'Kim%'),
  'variants', jsonb_build_array(
    jsonb_build_object('channel', 'sms', 'label', 'A', 'template_id', :'tpl_a', 'weight', 50),
    jsonb_build_object('channel', 'sms', 'label', 'B', 'template_id', :'tpl_b', 'weight', 50)),
  'winner', jsonb_build_object('test_percent', 10, 'min_per_variant', 5, 'decide_after_minutes', 60,
                               'metric', 'reply_rate')) as s;
grant select on spec to authenticated;

-- ---------------------------------------------------------------- composing: refusals
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.create_blast(%L)$$,
    (select (s - 'variants') || jsonb_build_object('name', 'One', 'sms_template_id', :'tpl_a') from spec)),
  'P0001', 'invalid_ab_test', 'a winner needs two variants on a channel');
select throws_ok(format($$select public.create_blast(%L)$$, (select jsonb_set(s, '{winner,metric}', '"open_rate"') from spec)),
  'P0001', 'invalid_ab_test', 'an unknown metric is refused');
select throws_ok(format($$select public.create_blast(%L)$$, (select jsonb_set(s, '{winner,test_percent}', '95') from spec)),
  'P0001', 'invalid_ab_test', 'a test share over 90 percent is refused');
select throws_ok(format($$select public.create_blast(%L)$$, (select jsonb_set(s, '{winner,min_per_variant}', '"5"') from spec)),
  'P0001', 'invalid_ab_test', 'numbers must be numbers');
select throws_ok(format($$select public.create_blast(%L)$$, (select jsonb_set(s, '{winner}', '[1]') from spec)),
  '22023', 'invalid_blast_spec', 'winner must be an object');
select is((select count(*)::int from public.blasts), 0, 'a refused spec writes nothing');

-- ---------------------------------------------------------------- composing: roles
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.create_blast(%L)$$, (select s from spec)), 'P0001', 'not_allowed',
  'a volunteer cannot compose an A/B blast');
select tests.act_as('msg_organizer');
select (public.create_blast((select s from spec))).id as blast \gset
select results_eq(format($$select test_percent, min_per_variant, decide_after_minutes, metric, decide_at is null
                          from public.blast_ab_tests where blast_id = %L$$, :'blast'),
  $$values (10, 5, 60, 'reply_rate', true)$$, 'an organizer composes it with its winner settings (read under RLS)');
select tests.act_as('msg_volunteer');
select is((select count(*)::int from public.blast_ab_tests), 0, 'volunteers do not see A/B tests');
select throws_ok($$insert into public.blast_ab_tests (blast_id, test_percent, min_per_variant, decide_after_minutes, metric)
                   values (gen_random_uuid(), 10, 5, 60, 'reply_rate')$$, '42501', null, 'nobody writes them directly');

-- ---------------------------------------------------------------- the start holds the rest
select tests.act_as('msg_organizer');
select public.start_blast(:'blast');
-- Each variant's test group: the greater of 10 % and 5, i.e. 5 each; the other 30 wait.
select results_eq(format($$select variant, count(*)::int from public.blast_recipients where blast_id = %L and status = 'pending'
                          group by 1 order by 1$$, :'blast'),
  $$values ('A', 5), ('B', 5)$$, 'the test group: the minimum of 5 per variant');
select is((select count(*)::int from public.blast_recipients where blast_id = :'blast' and status = 'held'), 30, 'the rest is held');
select results_eq(format($$select held_recipients, decide_at = b.started_at + interval '60 minutes'
                          from public.blast_ab_tests t join public.blasts b on b.id = t.blast_id where t.blast_id = %L$$, :'blast'),
  $$values (30, true)$$, 'the decision is due an hour after the start');
select is((select sum(to_send)::int from public.blast_results(:'blast')), 40, 'the results count the held as still to send');

-- What the workers and webhooks would have done: every test text delivered; 3 B and 1 A contacts reply.
select tests.reset_role();
with m as (
  insert into public.messages (kind, channel, status, contact_id, blast_id, blast_recipient_id, to_address, body,
                               is_marketing, sent_at)
  select 'blast', 'sms', 'delivered', r.contact_id, r.blast_id, r.id, r.to_address, r.body, true, now() - interval '1 minute'
  from public.blast_recipients r where r.blast_id = :'blast' and r.status = 'pending'
  returning id, blast_recipient_id)
update public.blast_recipients r set status = 'materialised', message_id = m.id from m where r.id = m.blast_recipient_id;
select tests.receive_sms('SM-ab-' || variant || rn, to_address, 'Love it')
from (select r.to_address, r.variant, row_number() over (partition by r.variant order by r.id) rn
      from public.blast_recipients r where r.blast_id = :'blast' and r.status = 'materialised') x
where (x.variant = 'B' and rn <= 3) or (x.variant = 'A' and rn <= 1);
select private.maybe_complete_blast(:'blast');
select is((select status::text from public.blasts where id = :'blast'), 'sending',
  'with everybody of the test sent, the blast is not completed while the rest waits');

-- ---------------------------------------------------------------- deciding: roles and time
select tests.act_as('msg_organizer');
select throws_ok($$select * from public.decide_blast_winners()$$, '42501', null, 'organizers do not decide winners');
select tests.act_as('anon');
select throws_ok($$select * from public.decide_blast_winners()$$, '42501', null, 'nor does anon');
select tests.act_as('service_role');
select is((select count(*)::int from public.decide_blast_winners(now())), 0, 'not before its time');
select is((select count(*)::int from public.decide_blast_winners(now() + interval '2 hours')), 1, 'the workers decide it when due');
select is((select count(*)::int from public.decide_blast_winners(now() + interval '3 hours')), 0, 'exactly once');

-- ---------------------------------------------------------------- the decision
select tests.act_as('msg_organizer');
select results_eq(format($$select winners, released_recipients from public.blast_ab_tests where blast_id = %L$$, :'blast'),
  $$values ('{"sms": "B"}'::jsonb, 30)$$, 'B won and the 30 held were released');
select is((select reason from public.blast_ab_tests where blast_id = :'blast'),
  'SMS: B won on reply rate with 60.0% (3 of 5), against A 20.0% (1 of 5).', 'with why, in a sentence');
select is((select decision -> 'sms' -> 'variants' -> 1 ->> 'test_weight' from public.blast_ab_tests where blast_id = :'blast'),
  '50', 'the decision keeps the test weights');
select results_eq(format($$select variant, count(*)::int, bool_and(body like 'B for Kim%%') from public.blast_recipients
                          where blast_id = %L and status = 'pending' group by 1$$, :'blast'),
  $$values ('B', 30, true)$$, 'the rest get the winner''s text, rendered for each');
select is((select count(*)::int from public.blast_recipients where blast_id = :'blast' and status = 'held'), 0, 'nobody is held any more');
select tests.reset_role();
select is((select count(*)::int from public.audit_log where action = 'blast.ab_winner' and record_id = :'blast'), 1,
  'the decision is audited');

-- ---------------------------------------------------------------- a cancelled A/B blast
select tests.act_as('msg_organizer');
select (public.create_blast((select jsonb_set(s, '{name}', '"Cancelled one"') from spec))).id as gone \gset
select public.start_blast(:'gone');
select public.cancel_blast(:'gone');
select is((select count(*)::int from public.blast_recipients where blast_id = :'gone' and status = 'held'), 0,
  'cancelling cancels the held');
select is((select skipped_count from public.blasts where id = :'gone'), 40, 'and counts them skipped');
select tests.act_as('service_role');
select is((select reason from public.decide_blast_winners(now() + interval '2 hours') where blast_id = :'gone'),
  'The blast was cancelled before the winner was chosen; nobody else gets it.', 'its decision sends nothing');
select is((select count(*)::int from public.blast_recipients where blast_id = :'gone' and status = 'pending'), 0, 'nothing queued');

select * from finish();
rollback;
