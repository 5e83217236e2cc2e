-- Consent ledger, derived current consent, suppressions and messaging settings: every role ×
-- operation, the ledger's rules, and the attendee's own consent.
begin;
select plan(52);

select tests.make_messaging_roles();
select tests.make_contact('+13055550001', 'Ana', 'opted_in') as ana \gset
select id as attendee_contact from public.contacts where phone = '+13055551111' \gset
insert into public.suppressions (channel, address, reason) values ('sms', '+13055550999', 'invalid_number');

select tests.rls_enabled('public');

-- ---------------------------------------------------------------- consent ledger: derived state
select results_eq(
  $$select status::text, source::text from public.contact_consents where contact_id = '$$ || :'ana' || $$' and channel = 'sms'$$,
  $$values ('opted_in', 'import')$$, 'the ledger entry becomes the current consent');
insert into public.consent_events (contact_id, channel, status, source) values (:'ana', 'sms', 'opted_out', 'staff');
select is((select status::text from public.contact_consents where contact_id = :'ana' and channel = 'sms'), 'opted_out',
  'the newest entry wins');
select is((select count(*)::int from public.consent_events where contact_id = :'ana'), 2, 'history is kept');
select throws_ok($$update public.consent_events set status = 'opted_in' where contact_id = '$$ || :'ana' || $$'$$,
  'P0001', 'consent_ledger_append_only', 'the ledger cannot be rewritten');
select ok(private.record_consent(:'ana', 'sms', 'opted_in', 'keyword') and not private.record_consent(:'ana', 'sms', 'opted_in', 'keyword'),
  'record_consent records a change once and ignores a repeat');
select has_index('public', 'contact_consents', 'contact_consents_channel_status_idx', 'current consent is indexed by channel and status');

-- ---------------------------------------------------------------- organizers+ (owner, admin, organizer)
select tests.act_as('msg_owner');
select ok(tests.visible_rows('public.consent_events') > 0, 'owner reads the ledger');
select tests.act_as('msg_admin');
select ok(tests.visible_rows('public.contact_consents') > 0, 'admin reads current consent');
select tests.act_as('msg_organizer');
select ok(tests.visible_rows('public.consent_events') >= 3, 'organizer reads the ledger');
select ok(tests.visible_rows('public.contact_consents') >= 1, 'organizer reads current consent');
select ok(tests.visible_rows('public.suppressions') = 1, 'organizer reads suppressions');
select is(tests.visible_rows('public.messaging_settings'), 1::bigint, 'organizer reads messaging settings');
select lives_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'ana' || $$', 'email', 'opted_in', 'form')$$,
  'organizer records consent from a form');
select is((select recorded_by from public.consent_events where contact_id = :'ana' and channel = 'email'),
  tests.get_supabase_uid('msg_organizer'), 'the ledger records who made the change');
select throws_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'ana' || $$', 'sms', 'opted_out', 'keyword')$$,
  '42501', null, 'organizer cannot forge a keyword or provider entry');
select throws_ok($$insert into public.contact_consents (contact_id, channel, status, source, changed_at, last_event_id) values ('$$ || :'ana' || $$', 'email', 'opted_in', 'staff', now(), 1)$$,
  '42501', null, 'nobody writes the derived consent directly');
select throws_ok($$delete from public.consent_events$$, '42501', null, 'organizer cannot delete ledger entries');
select lives_ok($$insert into public.suppressions (channel, address, reason) values ('email', ' Someone@Example.COM ', 'manual')$$,
  'organizer adds a manual suppression');
select is((select address from public.suppressions where reason = 'manual'), 'someone@example.com', 'email suppressions are normalised');
select is(tests.row_count($$update public.suppressions set lifted_at = now() where reason = 'manual'$$), 0,
  'organizer cannot lift a suppression');
select is(tests.row_count($$update public.messaging_settings set org_name = 'X'$$), 0, 'organizer cannot change settings');
select tests.act_as('msg_admin');
select is(tests.row_count($$update public.suppressions set lifted_at = now() where reason = 'manual'$$), 1, 'admin lifts a suppression');
select is((select lifted_by from public.suppressions where reason = 'manual'), tests.get_supabase_uid('msg_admin'), 'the lift is stamped');
select is(tests.row_count($$update public.messaging_settings set org_name = 'Hello Miami!'$$), 1, 'admin changes settings');
select throws_ok($$delete from public.suppressions$$, '42501', null, 'suppressions are never deleted through the API');
select tests.reset_role();
select ok(exists (select 1 from public.audit_log where table_name = 'messaging_settings'), 'settings changes are audited');
select ok(exists (select 1 from public.audit_log where table_name = 'suppressions' and action = 'update'), 'suppression changes are audited');

-- ---------------------------------------------------------------- volunteer and device: nothing
select tests.act_as('msg_volunteer');
select is(tests.visible_rows('public.consent_events'), 0::bigint, 'volunteer cannot read the ledger');
select is(tests.visible_rows('public.contact_consents'), 0::bigint, 'volunteer cannot read consent');
select is(tests.visible_rows('public.suppressions'), 0::bigint, 'volunteer cannot read suppressions');
select is(tests.visible_rows('public.messaging_settings'), 0::bigint, 'volunteer cannot read settings');
select throws_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'ana' || $$', 'sms', 'opted_in', 'staff')$$,
  '42501', null, 'volunteer cannot record consent');
select throws_ok($$insert into public.suppressions (channel, address, reason) values ('sms', '+13055550123', 'manual')$$,
  '42501', null, 'volunteer cannot add suppressions');
select tests.act_as('msg_device');
select is(tests.visible_rows('public.consent_events'), 0::bigint, 'device cannot read the ledger');
select is(tests.visible_rows('public.suppressions'), 0::bigint, 'device cannot read suppressions');
select throws_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'ana' || $$', 'sms', 'opted_in', 'form')$$,
  '42501', null, 'device cannot record consent');

-- ---------------------------------------------------------------- attendee: own consent only
select tests.act_as('msg_attendee');
select is(tests.visible_rows('public.consent_events'), 0::bigint, 'attendee sees no one else''s consent (and has none yet)');
-- An attendee's own opt-in names the disclosure shown now (20261125013010_form_opt_in_disclosure).
select lives_ok($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id) values ('$$ || :'attendee_contact' || $$', 'sms', 'opted_in', 'form',
  (select id from public.consent_disclosures where channel = 'sms' and locale = 'en' and retired_at is null))$$,
  'attendee opts in to texts with the disclosure shown');
select is((select status::text from public.contact_consents where channel = 'sms'), 'opted_in', 'attendee reads their own current consent');
select lives_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'attendee_contact' || $$', 'sms', 'opted_out', 'form')$$,
  'attendee opts out again');
select is(tests.visible_rows('public.contact_consents'), 1::bigint, 'attendee sees only their own consent');
select is(tests.visible_rows('public.consent_events'), 2::bigint, 'attendee sees their own history');
select throws_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'ana' || $$', 'sms', 'opted_in', 'form')$$,
  '42501', null, 'attendee cannot change someone else''s consent');
select throws_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'attendee_contact' || $$', 'sms', 'opted_in', 'staff')$$,
  '42501', null, 'attendee records consent only as a form entry');
select is(tests.visible_rows('public.suppressions'), 0::bigint, 'attendee cannot read suppressions');
select is(tests.visible_rows('public.messaging_settings'), 0::bigint, 'attendee cannot read settings');

-- ---------------------------------------------------------------- anon: no grants at all
select tests.act_as('anon');
select throws_ok($$select count(*) from public.consent_events$$, '42501', null, 'anon cannot read the ledger');
select throws_ok($$select count(*) from public.contact_consents$$, '42501', null, 'anon cannot read consent');
select throws_ok($$select count(*) from public.suppressions$$, '42501', null, 'anon cannot read suppressions');
select throws_ok($$select count(*) from public.messaging_settings$$, '42501', null, 'anon cannot read settings');
select throws_ok($$insert into public.consent_events (contact_id, channel, status, source) values ('$$ || :'ana' || $$', 'sms', 'opted_in', 'form')$$,
  '42501', null, 'anon cannot record consent');

select tests.reset_role();
select * from finish();
rollback;
