-- MailerSend opens and clicks (20261129010000): private.handle_email_event records the first
-- open and the first click per message — once, whatever the repeats and their order — and never
-- touches the delivery status. Only the workers (service_role) process webhooks; organizers read
-- what was recorded, volunteers do not.
begin;
select plan(19);

select tests.make_messaging_roles();
select tests.make_email_sender() as esender \gset
select tests.make_contact('+13055550041', 'Olga', 'opted_in', 'olga@example.com', 'opted_in') as olga \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, status, provider_id, is_marketing)
values ('blast', 'email', :'olga', :'esender', 'olga@example.com', 's', 'b', 'sent', 'ms-open-1', true) returning id as em \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, status, provider_id, is_marketing)
values ('blast', 'email', :'olga', :'esender', 'olga@example.com', 's', 'b', 'delivered', 'ms-open-2', true) returning id as em2 \gset

-- One MailerSend activity, shaped like theirs (data.created_at is when it happened), stored and
-- processed as the webhook worker does.
create function pg_temp.activity(p_activity_id text, p_type text, p_provider_message_id text, p_at timestamptz)
returns jsonb language sql as $$
  select public.process_webhook_event((select event_id from public.store_webhook_event('mailersend', p_activity_id, 'email_event',
    jsonb_build_object('type', 'activity.' || p_type, 'created_at', now(),
      'data', jsonb_build_object('id', p_activity_id, 'type', p_type, 'created_at', p_at,
        'email', jsonb_build_object('id', 'e-' || p_activity_id, 'message', jsonb_build_object('id', p_provider_message_id),
                                    'recipient', jsonb_build_object('email', 'olga@example.com')),
        'morph', case when p_type like 'clicked%'
                      then jsonb_build_object('object', 'click', 'url', 'https://hellomiami.org/rsvp', 'ip', '127.0.0.1')
                      else jsonb_build_object('object', 'open', 'ip', '127.0.0.1') end)))))
$$;

select is(pg_temp.activity('act-o1', 'opened', 'ms-open-1', '2026-11-20 10:00Z') ->> 'applied', 'true', 'a first open applies');
select results_eq(format($$select status::text, opened_at, clicked_at from public.messages where id = %L$$, :'em'),
  $$values ('sent', '2026-11-20 10:00Z'::timestamptz, null::timestamptz)$$, 'it records when, and the status stays sent');
select is(pg_temp.activity('act-o2', 'opened', 'ms-open-1', '2026-11-20 11:00Z') ->> 'applied', 'false', 'a later open changes nothing');
select is(pg_temp.activity('act-o3', 'opened_unique', 'ms-open-1', '2026-11-20 10:00Z') ->> 'applied', 'false',
  'nor does the opened_unique of the same open');
select is(pg_temp.activity('act-o1', 'opened', 'ms-open-1', '2026-11-20 10:00Z'),
  (select result from public.webhook_events where provider_event_id = 'act-o1'), 'a repeated webhook answers its stored result');
select is((select count(*)::int from public.webhook_events where provider_event_id = 'act-o1'), 1, 'and stored once');
select is(pg_temp.activity('act-c1', 'clicked', 'ms-open-1', '2026-11-20 12:00Z') ->> 'applied', 'true', 'a first click applies');
select results_eq(format($$select status::text, opened_at, clicked_at from public.messages where id = %L$$, :'em'),
  $$values ('sent', '2026-11-20 10:00Z'::timestamptz, '2026-11-20 12:00Z'::timestamptz)$$,
  'the click is recorded, the first open kept, the status untouched');
select is(pg_temp.activity('act-d1', 'delivered', 'ms-open-1', '2026-11-20 12:30Z') ->> 'applied', 'true',
  'a delivery reported after the open still moves the status forward');
select is(pg_temp.activity('act-c0', 'clicked_unique', 'ms-open-1', '2026-11-20 09:00Z') ->> 'applied', 'true',
  'an earlier click arriving late applies');
select results_eq(format($$select status::text, opened_at, clicked_at from public.messages where id = %L$$, :'em'),
  $$values ('delivered', '2026-11-20 09:00Z'::timestamptz, '2026-11-20 09:00Z'::timestamptz)$$,
  'the first click and open are the earliest reported; the status stays delivered');
select is(pg_temp.activity('act-c2', 'clicked', 'ms-open-2', '2026-11-21 08:00Z') ->> 'applied', 'true', 'a click without an open');
select results_eq(format($$select status::text, opened_at, clicked_at from public.messages where id = %L$$, :'em2'),
  $$values ('delivered', '2026-11-21 08:00Z'::timestamptz, '2026-11-21 08:00Z'::timestamptz)$$,
  'records the open it proves');
select is(pg_temp.activity('act-o9', 'opened', 'ms-not-yet', '2026-11-21 08:00Z') ->> 'deferred', 'true',
  'an open of a message we do not know yet waits for it');

-- ---------------------------------------------------------------- who may
select tests.act_as('msg_organizer');
select is((select opened_at from public.messages where id = :'em'), '2026-11-20 09:00Z'::timestamptz, 'organizers read the first open');
select throws_ok(format($$select public.process_webhook_event(%L)$$,
  (select id from public.webhook_events where provider_event_id = 'act-o1')), '42501', null, 'organizers cannot process webhooks');
select throws_ok($$select private.handle_email_event('{"type": "activity.opened"}')$$, '42501', null,
  'nor call the handler');
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.messages'), 0::bigint, 'volunteers read no messages, opens included');
select tests.act_as('anon');
select throws_ok($$select private.handle_email_event('{"type": "activity.clicked"}')$$, '42501', null, 'anon cannot call the handler');

select * from finish();
rollback;
