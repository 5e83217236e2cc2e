-- The workers' claim follows its channel's private.channels row: the frequency cap (per channel,
-- null = none), the validity period, segment billing and the v2 claim's HTML part are columns,
-- and SMS and email keep the rules they had. Per role: only the workers claim.
begin;
select plan(23);

-- Tomorrow 10:00 in Miami (inside the 09:00–20:00 marketing window).
select ((now() at time zone 'America/New_York')::date + 1 + time '10:00') at time zone 'America/New_York' as t0 \gset
select tests.make_messaging_roles();
select tests.make_sms_sender('Claim texts', '+13055550900', 100) as sms_sender \gset
select tests.make_email_sender('Claim mail', 100) as email_sender \gset
select tests.make_contact('+13055550901', 'Ada', 'opted_in', 'ada@example.test', 'opted_in', 'America/New_York') as ada \gset

-- ---------------------------------------------------------------- the two channels' rows
select results_eq(
  $$select name::text, frequency_cap_setting, validity_period, billed_in_segments, html_part
    from private.channels order by name$$,
  $$values ('email', null, false, false, true), ('sms', 'marketing_texts_per_day', true, true, false)$$,
  'SMS is capped, given a validity period and billed in segments; email gets an HTML part');

-- ---------------------------------------------------------------- per role
select tests.act_as('anon');
select throws_ok($$select * from public.claim_outbound_messages('w', 'sms')$$, '42501', null, 'anon cannot claim');
select throws_ok($$select * from public.claim_outbound_messages_v2('w', 'email')$$, '42501', null, 'nor claim v2');
select tests.act_as('msg_admin');
select throws_ok($$select * from public.claim_outbound_messages('w', 'sms')$$, '42501', null, 'staff cannot claim');
select throws_ok($$update private.channels set frequency_cap_setting = null$$, '42501', null,
  'nor change a channel''s rules');
select tests.act_as('msg_device');
select throws_ok($$select * from public.claim_outbound_messages_v2('w', 'sms')$$, '42501', null, 'devices cannot claim');
select tests.act_as('service_role');
select lives_ok(format($$select * from public.claim_outbound_messages_v2('probe', 'email', 1, 30, %L::timestamptz - interval '1 day')$$, :'t0'),
  'the workers claim');
select throws_ok($$select * from public.claim_outbound_messages('w', 'fax')$$, 'P0001', 'unknown_channel',
  'a name that is no channel''s is refused');
select tests.reset_role();

-- ---------------------------------------------------------------- frequency cap per channel
-- Ada had three marketing texts and three marketing emails in the last 24 hours.
insert into public.messages (kind, channel, status, contact_id, sender_id, to_address, body, is_marketing, provider_id, created_at)
select 'blast', ch.channel, 'sent', :'ada', case ch.channel when 'sms' then :'sms_sender'::uuid else :'email_sender'::uuid end,
       case ch.channel when 'sms' then '+13055550901' else 'ada@example.test' end, 'earlier', true,
       'earlier-' || ch.channel || g, :'t0'::timestamptz - g * interval '5 hours'
from generate_series(1, 3) g cross join (values ('sms'::public.message_channel), ('email')) as ch(channel);
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, is_marketing, recipient_time_zone, created_at)
values ('automation', 'sms', :'ada', :'sms_sender', '+13055550901', null, 'Thanks for coming', true, 'America/New_York', :'t0'),
       ('automation', 'email', :'ada', :'email_sender', 'ada@example.test', 'Thanks', 'Thanks for coming', true, 'America/New_York', :'t0');
select is((select count(*)::int from public.claim_outbound_messages('f', 'sms', 10, 30, :'t0')), 0,
  'a fourth marketing text in 24 hours waits (SMS: marketing_texts_per_day)');
select is((select count(*)::int from public.claim_outbound_messages('f', 'email', 10, 30, :'t0')), 1,
  'email has no cap: the fourth marketing email goes');
update public.messages set claimed_by = null, lease_expires_at = null where channel = 'email' and status = 'queued';
update private.channels set frequency_cap_setting = 'marketing_texts_per_day' where name = 'email';
insert into public.messages (kind, channel, contact_id, sender_id, to_address, subject, body, is_marketing, recipient_time_zone, created_at)
values ('automation', 'email', :'ada', :'email_sender', 'ada@example.test', 'More', 'One more', true, 'America/New_York', :'t0');
select is((select count(*)::int from public.claim_outbound_messages('f', 'email', 10, 30, :'t0'::timestamptz + interval '1 minute')), 0,
  'a channel given the cap''s setting is capped: three emails in flight or sent, the others wait');
update public.messaging_settings set marketing_texts_per_day = 10;
select is((select count(*)::int from public.claim_outbound_messages('f', 'sms', 10, 30, :'t0'::timestamptz + interval '2 minutes')), 1,
  'the limit is the setting''s value: raised to 10, the text goes');
select is((select count(*)::int from public.claim_outbound_messages('f', 'email', 10, 30, :'t0'::timestamptz + interval '2 minutes')), 2,
  'and so do the emails; each channel counts its own messages');
update public.messaging_settings set marketing_texts_per_day = 3;

-- ---------------------------------------------------------------- validity period, segments, HTML part
select tests.make_contact('+13055550902', 'Bo', 'opted_in', 'bo@example.test', 'opted_in', 'America/New_York') as bo \gset
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, is_marketing, recipient_time_zone, created_at)
values ('automation', 'sms', :'bo', :'sms_sender', '+13055550902', 'Thanks, Bo', true, 'America/New_York', :'t0');
select isnt((select validity_period_seconds from public.claim_outbound_messages('v', 'sms', 10, 30, :'t0'::timestamptz + interval '3 minutes')),
  null, 'a marketing text gets a validity period');
update public.messages set claimed_by = null, lease_expires_at = null, validity_period_seconds = null where contact_id = :'bo';
update private.channels set validity_period = false where name = 'sms';
select is((select validity_period_seconds from public.claim_outbound_messages('v', 'sms', 10, 30, :'t0'::timestamptz + interval '4 minutes')),
  null, 'a channel without a validity period gets none');
update private.channels set validity_period = true where name = 'sms';

select tests.make_template('claim long', repeat('Long news for {{first_name}}. ', 12)) as long_tpl \gset
select tests.make_contact('+13055550903', 'Cy', 'opted_in', null, null, 'America/New_York') as cy \gset
select tests.make_contact('+13055550904', 'Di', 'opted_in', null, null, 'America/New_York') as di \gset
select tests.make_sms_blast('Claim segments', :'long_tpl', :'sms_sender', array[:'cy']::uuid[]) as seg_blast \gset
select public.start_blast(:'seg_blast') is not null as started \gset
select is((select segments from public.claim_outbound_messages('s', 'sms', 10, 30, :'t0'::timestamptz + interval '5 minutes')
           where blast_id = :'seg_blast'), 2, 'a long blast text costs its two segments');
update private.channels set billed_in_segments = false where name = 'sms';
select tests.make_sms_blast('Claim per message', :'long_tpl', :'sms_sender', array[:'di']::uuid[]) as msg_blast \gset
select public.start_blast(:'msg_blast') is not null as started \gset
select is((select segments from public.claim_outbound_messages('s', 'sms', 10, 30, :'t0'::timestamptz + interval '6 minutes')
           where blast_id = :'msg_blast'), 1, 'on a channel not billed in segments it costs one');
update private.channels set billed_in_segments = true where name = 'sms';

insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, created_at)
values ('transactional', 'sms', :'bo', :'sms_sender', '+13055550902', 'Your code is 1234', :'t0');
select is((select html from public.claim_outbound_messages_v2('h', 'sms', 10, 30, :'t0'::timestamptz + interval '7 minutes')
           where kind = 'transactional'),
  null, 'a text has no HTML part');
update public.messages set claimed_by = null, lease_expires_at = null where kind = 'transactional' and contact_id = :'bo';
update private.channels set html_part = true where name = 'sms';
select matches((select html from public.claim_outbound_messages_v2('h', 'sms', 10, 30, :'t0'::timestamptz + interval '8 minutes')
                where kind = 'transactional'),
  'Your code is 1234', 'a channel with an HTML part gets public.email_html''s rendering');
update private.channels set html_part = false where name = 'sms';

-- A blast's emails are written by the claim itself; their HTML is still in each contact's language.
select tests.make_contact('+13055550905', 'Eva', 'opted_in', 'eva@example.test', 'opted_in', 'America/New_York') as eva \gset
update public.contacts set preferred_language = 'es' where id = :'eva';
insert into public.blasts (name, channel, email_template_id, email_sender_id)
values ('Claim language', 'email', tests.make_template('claim hola', 'Hola {{first_name}}', 'email', 'Hola'), :'email_sender')
returning id as es_blast \gset
insert into public.blast_audience (blast_id, contact_id) values (:'es_blast', :'eva');
select public.start_blast(:'es_blast') is not null as started \gset
select is((select html from public.claim_outbound_messages_v2('l', 'email', 10, 30, :'t0'::timestamptz + interval '8 minutes')
           where blast_id = :'es_blast'),
  public.email_html('Hola Eva', 'Hola', (select org_name from public.messaging_settings), 'es', '{{unsubscribe_url}}'),
  'a blast email''s HTML is in its recipient''s language');

-- ---------------------------------------------------------------- the preview counts each channel's cap
select tests.make_template('claim mail', 'Hi {{first_name}}', 'email', 'News') as mail_tpl \gset
insert into public.blasts (name, channel, sms_template_id, email_template_id, sms_sender_id, email_sender_id)
values ('Claim preview', 'both', :'long_tpl', :'mail_tpl', :'sms_sender', :'email_sender') returning id as both_blast \gset
insert into public.blast_audience (blast_id, contact_id) values (:'both_blast', :'ada');
select results_eq(format($$select channel, frequency_cap from private.blast_preview_groups(
      (select b from public.blasts b where b.id = %L), private.blast_candidates_sql(%L, false), %L) order by channel$$,
    :'both_blast', :'both_blast', :'t0'::timestamptz + interval '9 minutes'),
  $$values ('email', 1), ('sms', 1)$$, 'with email capped too, the preview counts Ada as waiting on both channels');
update private.channels set frequency_cap_setting = null where name = 'email';
select results_eq(format($$select channel, frequency_cap from private.blast_preview_groups(
      (select b from public.blasts b where b.id = %L), private.blast_candidates_sql(%L, false), %L) order by channel$$,
    :'both_blast', :'both_blast', :'t0'::timestamptz + interval '9 minutes'),
  $$values ('email', 0), ('sms', 1)$$, 'and only on SMS once email has no cap again');
select is((select count(*)::int from private.channels where frequency_cap_setting is not null), 1,
  'the rows are as the migration left them');

select * from finish();
rollback;
