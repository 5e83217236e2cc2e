-- A message channel is a row of private.channels: a pretend third channel, given only its enum
-- value and its row, gets consent, suppressions, sender and template checks and blast audiences
-- (and blast exclusions) from the same functions SMS and email use, without a function naming it;
-- and the workers claim it, capped and given a validity period as its row says.
--
-- The enum value is added before the transaction: PostgreSQL 15 cannot use a value in the
-- transaction that added it ("unsafe use of new value"), so no rolled-back transaction can hold
-- the whole test, and there is no ALTER TYPE … DROP VALUE. The value is removed at the end
-- instead (below), so that a persistent dev database (HM_STATE_DIR) keeps no 'pretend' channel
-- (it would show in the types generated from it). Errors in the test must not skip that: psql
-- goes on after them until the rollback (the transaction is aborted, so the rest only fails),
-- and the file fails after the clean-up.
alter type public.message_channel add value if not exists 'pretend';

\set ON_ERROR_STOP off
begin;
select plan(30);

select tests.make_messaging_roles();

-- A text-like channel: phone addresses, Twilio senders, SMS's opt-in setting, but an opt-out
-- that stops marketing only, and part of every 'both' blast.
insert into private.channels (name, address_kind, provider, opt_in_setting, opt_out_stops_all, has_subject, in_both_blasts)
values ('pretend', 'phone', 'twilio', 'sms_requires_opt_in', false, false, true);

create temporary table people (who text primary key, id uuid) on commit drop;
insert into people values
  ('opted_in', tests.make_contact('+13055550201', 'In')),
  ('opted_out', tests.make_contact('+13055550202', 'Out')),
  ('unknown', tests.make_contact('+13055550203', 'Unknown')),
  ('suppressed', tests.make_contact('+13055550204', 'Suppressed')),
  ('no_phone', tests.make_contact(null, 'Mail', null, 'mail.only@example.test', 'opted_in'));
grant select on people to authenticated;

-- ---------------------------------------------------------------- consent
select ok(private.record_consent((select id from people where who = 'opted_in'), 'pretend', 'opted_in', 'staff'),
  'consent is recorded on the new channel');
select ok(not private.record_consent((select id from people where who = 'opted_in'), 'pretend', 'opted_in', 'staff'),
  'and a repeat is not a change');
select ok(private.record_consent((select id from people where who = 'opted_out'), 'pretend', 'opted_out', 'staff'),
  'an opt-out is recorded on the new channel');
select private.record_consent((select id from people where who = w), 'pretend', 'opted_in', 'staff')
  from (values ('suppressed'), ('no_phone')) as v(w);
select is(private.current_consent((select id from people where who = 'opted_in'), 'pretend'), 'opted_in',
  'its current consent is kept per channel');
select is(private.current_consent((select id from people where who = 'opted_in'), 'email'), null,
  'and does not leak into another channel');
select is(private.consent_allows_marketing(null, 'pretend', private.messaging_settings()), false,
  'unknown consent is not enough while its opt-in setting (sms_requires_opt_in) is on');
update public.messaging_settings set sms_requires_opt_in = false;
select is(private.consent_allows_marketing(null, 'pretend', private.messaging_settings()), true,
  'and is enough once that setting is off');
update public.messaging_settings set sms_requires_opt_in = true;
select is(private.send_blocker((select id from people where who = 'opted_out'), 'pretend', '+13055550202', true,
  private.messaging_settings()), 'opted_out', 'an opt-out blocks marketing');
select is(private.send_blocker((select id from people where who = 'opted_out'), 'pretend', '+13055550202', false,
  private.messaging_settings()), null, 'but not a transactional message: this channel''s opt-out is not absolute');

-- ---------------------------------------------------------------- suppressions
select private.suppress_address('pretend', ' +13055550204 ', 'manual');
select is((select address from public.suppressions where channel = 'pretend'), '+13055550204',
  'a suppression stores the address as its kind (phone) is normalised');
select ok(private.is_suppressed('pretend', '+13055550204 '), 'the address is suppressed on the new channel');
select ok(not private.is_suppressed('sms', '+13055550204'), 'and only there');
select is(private.send_blocker((select id from people where who = 'suppressed'), 'pretend', '+13055550204', false,
  private.messaging_settings()), 'suppressed', 'a suppressed address blocks every message');

-- ---------------------------------------------------------------- senders and templates
select tests.act_as('msg_admin');
select lives_ok($$insert into public.senders (name, channel, provider, from_number)
  values ('Pretend number', 'pretend', 'twilio', '+13055550190')$$, 'admin adds a sender of the channel''s provider');
select throws_ok($$insert into public.senders (name, channel, provider, from_email)
  values ('Pretend mail', 'pretend', 'mailersend', 'events@hellomiami.test')$$,
  '23514', 'new row for relation "senders" violates check constraint "senders_provider_matches_channel"',
  'a sender of another provider is refused');
select tests.act_as('msg_organizer');
select throws_ok($$insert into public.senders (name, channel, provider, from_number)
  values ('Organizer number', 'pretend', 'twilio', '+13055550191')$$, '42501', null, 'organizer cannot add senders');
select lives_ok($$insert into public.message_templates (name, channel, body) values ('Pretend hi', 'pretend', 'Hi {{first_name}}')$$,
  'organizer creates a template of the channel, without a subject');
select throws_ok($$insert into public.message_templates (name, channel, subject, body) values ('Pretend subject', 'pretend', 'S', 'x')$$,
  '23514', 'new row for relation "message_templates" violates check constraint "message_templates_pretend_has_no_subject"',
  'a subject is refused on a channel without subjects');
select tests.reset_role();

-- ---------------------------------------------------------------- blasts
create temporary table blast (id uuid) on commit drop;
grant select on blast to authenticated;
with b as (
  insert into public.blasts (name, channel, sms_template_id, sms_sender_id, email_template_id, email_sender_id)
  values ('Everywhere', 'both', tests.make_template('Both SMS', 'Hi {{first_name}}'), tests.make_sms_sender(),
          tests.make_template('Both email', 'Hi {{first_name}}', 'email', 'News'), tests.make_email_sender())
  returning id
)
insert into blast select id from b;
insert into public.blast_variants (blast_id, channel, label, template_id, weight)
select b.id, 'pretend', 'A', t.id, 100 from blast b, public.message_templates t where t.name = 'Pretend hi';
insert into public.blast_audience (blast_id, contact_id) select b.id, p.id from blast b, people p;

select is(private.blast_channels((select b from public.blasts b where b.id = (select id from blast))),
  array['sms', 'email', 'pretend']::public.message_channel[], 'a ''both'' blast goes out on every channel in_both_blasts');
select results_eq(
  $$select c.contact_id, c.to_address, c.body from private.blast_candidates((select id from blast)) c
     where c.channel = 'pretend'$$,
  $$select id, '+13055550201', 'Hi In' from people where who = 'opted_in'$$,
  'its audience on the new channel: the phone of the one opted in, rendered from its variant');
select results_eq(
  $$select e.reason, e.contacts from private.blast_exclusions((select b from public.blasts b where b.id = (select id from blast))) e
     where e.channel = 'pretend' order by e.reason$$,
  $$values ('no_consent', 1), ('no_phone', 1), ('opted_out', 1), ('suppressed', 1)$$,
  'and who it leaves out there, and why');
select tests.act_as('msg_organizer');
select is((public.preview_blast((select id from blast)) -> 'by_channel' -> 'pretend' ->> 'recipients')::integer, 1,
  'organizer previews the blast with the new channel');
select is((select count(*)::integer from private.channels), 3, 'organizer''s functions read the channels');
select tests.act_as('msg_volunteer');
select throws_ok($$select public.preview_blast((select id from blast))$$, 'P0001', 'not_allowed',
  'volunteer cannot preview it');
select tests.act_as('anon');
select throws_ok($$select count(*) from private.channels$$, '42501', null, 'anon cannot read the channels');
select tests.reset_role();

-- ---------------------------------------------------------------- opt-out and erase
insert into public.messages (direction, kind, channel, status, contact_id, to_address, body, is_marketing)
select 'outbound', 'automation', 'pretend', 'queued', id, '+13055550201', m, m = 'marketing'
  from people, (values ('marketing'), ('transactional')) as v(m) where who = 'opted_in';
select private.record_consent((select id from people where who = 'opted_in'), 'pretend', 'opted_out', 'staff');
select results_eq(
  $$select body, status::text from public.messages where channel = 'pretend' order by body$$,
  $$values ('marketing', 'cancelled'), ('transactional', 'queued')$$,
  'an opt-out cancels queued marketing on the channel and leaves transactional messages');
select private.gdpr_erase_extra((select id from people where who = 'opted_out'));
select ok(private.is_suppressed('pretend', '+13055550202'), 'erasing a contact suppresses the address they opted out of');


-- ---------------------------------------------------------------- the workers' claim
-- Capped like SMS and given a validity period: the claim reads the row, not the channel's name.
update private.channels set frequency_cap_setting = 'marketing_texts_per_day', validity_period = true where name = 'pretend';
select ((now() at time zone 'America/New_York')::date + 1 + time '10:00') at time zone 'America/New_York' as t0 \gset
select tests.make_contact('+13055550205', 'Claimed', null) as claimed \gset
select private.record_consent(:'claimed', 'pretend', 'opted_in', 'staff');
-- Two marketing messages on the channel today already; two more queued.
insert into public.messages (kind, channel, status, contact_id, sender_id, to_address, body, is_marketing, provider_id, created_at)
select 'automation', 'pretend', 'sent', :'claimed', s.id, '+13055550205', 'earlier', true, 'pretend-' || g,
       :'t0'::timestamptz - g * interval '5 hours'
  from public.senders s, generate_series(1, 2) g where s.name = 'Pretend number';
insert into public.messages (kind, channel, contact_id, sender_id, to_address, body, is_marketing, recipient_time_zone, created_at)
select 'automation', 'pretend', :'claimed', s.id, '+13055550205', 'now ' || g, true, 'America/New_York', :'t0'
  from public.senders s, generate_series(1, 2) g where s.name = 'Pretend number';
select tests.act_as('service_role');
select results_eq(format($$select channel, from_address, validity_period_seconds is not null
    from public.claim_outbound_messages('w', 'pretend', 10, 30, %L)$$, :'t0'),
  $$values ('pretend', '+13055550190', true)$$,
  'the workers claim the channel''s messages from its sender, with a validity period');
select is((select count(*)::integer from public.messages where channel = 'pretend' and contact_id = :'claimed' and status = 'queued'
            and claimed_by is null), 1, 'the fourth marketing message of the day waits at its frequency cap');
select tests.act_as('msg_admin');
select throws_ok(format($$select * from public.claim_outbound_messages('w', 'pretend', 10, 30, %L)$$, :'t0'), '42501', null,
  'staff cannot claim it');
select tests.reset_role();

select * from finish();
rollback;
\set ON_ERROR_STOP on

-- Only a superuser may write pg_enum (the local stack's postgres is not one, as on hosted).
-- Safe here: every row that used the value was rolled back, and a value added at the end of an
-- enum gets an even OID (AddEnumLabel), so index entries of those dead rows still compare
-- without a catalog lookup (enum_cmp's fast path) until vacuum removes them. Should the OID be
-- odd, the value stays and the file fails saying so.
\connect - supabase_admin
delete from pg_catalog.pg_enum e
 where e.enumtypid = 'public.message_channel'::regtype and e.enumlabel = 'pretend' and e.oid::bigint % 2 = 0;
do $$
begin
  if exists (select 1 from pg_catalog.pg_enum e
             where e.enumtypid = 'public.message_channel'::regtype and e.enumlabel = 'pretend') then
    raise exception 'the enum value ''pretend'' (an odd OID) stays in public.message_channel';
  end if;
end
$$;

-- An error in the test (psql went past it) fails the file, now that nothing of it stays.
select :'LAST_ERROR_SQLSTATE' <> '00000' as test_failed \gset
\if :test_failed
do $$ begin raise exception 'the test failed: see the first error above'; end $$;
\endif
