-- The contact timeline names an email's first open and click (20261129040100): organizers read
-- them on the message entry, texts and unopened emails carry nulls, volunteers read no timeline.
begin;
select plan(5);

select tests.make_messaging_roles();
select tests.make_email_sender() as esender \gset
select tests.make_contact('+13055550061', 'Nora', 'opted_in', 'nora@example.com', 'opted_in') as nora \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, status, is_marketing,
                             opened_at, clicked_at, created_at)
values ('blast', 'email', :'nora', :'esender', 'nora@example.com', 'Opened', 'b', 'delivered', true,
        '2026-11-20 10:00Z', '2026-11-20 10:05Z', now() - interval '2 hours'),
       ('blast', 'email', :'nora', :'esender', 'nora@example.com', 'Unopened', 'b', 'delivered', true,
        null, null, now() - interval '1 hour');
insert into public.messages (kind, channel, contact_id, to_address, body, status, created_at)
values ('transactional', 'sms', :'nora', '+13055550061', 'Hi', 'delivered', now() - interval '30 minutes');

select tests.act_as('msg_organizer');
select results_eq(format($$select detail ->> 'channel', detail ->> 'subject', (detail ->> 'opened_at')::timestamptz,
                                 (detail ->> 'clicked_at')::timestamptz
                          from public.contact_activity(%L) where kind = 'message' order by occurred_at$$, :'nora'),
  $$values ('email', 'Opened', '2026-11-20 10:00Z'::timestamptz, '2026-11-20 10:05Z'::timestamptz),
           ('email', 'Unopened', null, null), ('sms', null, null, null)$$,
  'an organizer reads each message''s first open and click (null when none, and for texts)');
select ok((select bool_and(detail ? 'opened_at' and detail ? 'clicked_at') from public.contact_activity(:'nora') where kind = 'message'),
  'every message entry carries both keys');
select results_eq(format($$select kind, count(*)::int from public.contact_activity(%L) group by 1 order by 1$$, :'nora'),
  $$values ('consent'::text, 2), ('created', 1), ('message', 3)$$, 'the rest of the timeline is unchanged');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select * from public.contact_activity(%L)$$, :'nora'), 'P0001', 'not_allowed',
  'volunteers read no timeline');
select tests.act_as('anon');
select throws_ok(format($$select * from public.contact_activity(%L)$$, :'nora'), '42501', null, 'nor does anon');

select * from finish();
rollback;
