-- Admin webhook viewer: counts by state (RLS decides what is counted) and replay from the app
-- (admins only, audited).
begin;
select plan(11);
select tests.clear_people_data();
truncate public.webhook_events;
select tests.make_people_cast();

insert into public.webhook_events (id, provider, provider_event_id, event_type, payload, status, last_error)
values ('00000000-0000-0000-0000-00000000e001', 'twilio', 'SMx1-sent', 'sms_status',
        '{"MessageSid": "SMx1", "MessageStatus": "sent"}', 'failed', 'deadlock detected'),
       ('00000000-0000-0000-0000-00000000e002', 'twilio', 'SMx2-sent', 'sms_status',
        '{"MessageSid": "SMx2", "MessageStatus": "sent"}', 'processed', null);

-- ---------------------------------------------------------------- counts
select tests.act_as('admin');
select results_eq($$select provider::text, status, events from public.webhook_event_counts()$$,
  $$values ('twilio', 'failed', 1::bigint), ('twilio', 'processed', 1::bigint)$$,
  'admin sees the stored webhooks by state');
select tests.act_as('organizer');
select is((select count(*)::int from public.webhook_event_counts()), 0, 'organizer counts nothing');
select tests.act_as('anon');
select throws_ok($$select * from public.webhook_event_counts()$$, '42501', null, 'anon cannot count');

-- ---------------------------------------------------------------- replay
select tests.act_as('organizer');
select throws_ok($$select public.admin_replay_webhook_event('00000000-0000-0000-0000-00000000e001')$$,
  'P0001', 'not_allowed', 'organizer cannot replay');
select tests.act_as('volunteer');
select throws_ok($$select public.admin_replay_webhook_event('00000000-0000-0000-0000-00000000e001')$$,
  'P0001', 'not_allowed', 'volunteer cannot replay');
select tests.act_as('anon');
select throws_ok($$select public.admin_replay_webhook_event('00000000-0000-0000-0000-00000000e001')$$,
  '42501', null, 'anon cannot replay');

select tests.act_as('admin');
select throws_ok($$select public.admin_replay_webhook_event(gen_random_uuid())$$,
  'P0001', 'unknown_webhook_event', 'an unknown event is refused');
select lives_ok($$select public.admin_replay_webhook_event('00000000-0000-0000-0000-00000000e001')$$,
  'admin replays a failed event');
select isnt((select status from public.webhook_events where id = '00000000-0000-0000-0000-00000000e001'), 'failed',
  'the replayed event ran its handler again (its message is not known yet: deferred)');
select row_eq($$select action, table_name, before ->> 'status', actor_id from public.audit_log
                 where action = 'webhook_replay'$$,
  row('webhook_replay'::text, 'webhook_events'::text, 'failed'::text, tests.get_supabase_uid('admin')),
  'the replay is audited with who did it and the state before');
select tests.act_as('owner');
select lives_ok($$select public.admin_replay_webhook_event('00000000-0000-0000-0000-00000000e002')$$,
  'owner replays a processed event (handlers are idempotent)');

select * from finish();
rollback;
