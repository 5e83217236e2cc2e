-- Resuming a blast whose snapshot is empty is refused like starting it (blast_has_no_recipients,
-- with the reason, nothing changed); a blast with recipients still resumes; per role.
begin;
select plan(8);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('resume', 'Hi {{first_name | friend}}') as tpl \gset
select tests.make_contact('+13055550901', 'Ana') as ana \gset
select tests.make_contact('+13055550902', 'Ben') as ben \gset
select tests.make_sms_blast('Empty later', :'tpl', :'sender', array[:'ben'::uuid]) as empty \gset
select tests.make_sms_blast('Full', :'tpl', :'sender', array[:'ana'::uuid]) as full \gset
select public.schedule_blast(:'empty', now() + interval '1 day');
-- Ben opts out before the scheduled time: the claim that starts the blast finds nobody.
insert into public.consent_events (contact_id, channel, status, source) values (:'ben', 'sms', 'opted_out', 'keyword');
select public.claim_outbound_messages('w', 'sms', 1, 30, ((now() at time zone 'America/New_York')::date + 2 + time '10:00') at time zone 'America/New_York');
select is((select status::text from public.blasts where id = :'empty'), 'paused', 'an empty scheduled blast is paused when it starts');

select tests.act_as('anon');
select throws_ok(format($$select public.resume_blast(%L)$$, :'empty'), '42501', null, 'anon cannot resume');
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.resume_blast(%L)$$, :'empty'), 'P0001', 'not_allowed', 'nor volunteers');
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.resume_blast(%L)$$, :'empty'), 'P0001', 'blast_has_no_recipients',
  'resuming it is refused as starting it would be, never "completed" with 0 sent');
select tests.reset_role();
select results_eq(format($$select status::text, paused_reason like 'Nobody to send to:%%' from public.blasts where id = %L$$, :'empty'),
  $$values ('paused', true)$$, 'it stays paused with its reason');

select public.start_blast(:'full');
select public.pause_blast(:'full');
select tests.act_as('msg_organizer');
select is((public.resume_blast(:'full')).status::text, 'sending', 'a paused blast with recipients resumes');
select is((public.resume_blast(:'full')).status::text, 'sending', 'idempotently');
select tests.reset_role();
select is((select paused_reason from public.blasts where id = :'full'), null, 'its pause reason is cleared');

select * from finish();
rollback;
