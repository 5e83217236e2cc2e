-- Consent captured at the source: versioned disclosures, record_form_consent per role, the
-- registration form's preferred language.
begin;
select plan(41);

select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_attendee('other_attendee', '13055550102', 'Otto') as other_contact \gset
select id as ada from public.contacts where phone = '+13055550101' \gset
insert into public.contacts (phone, first_name) values ('+13055550103', 'Walk') returning id as walk_in \gset
insert into public.contacts (phone, first_name, erased_at) values ('+13055550104', 'Gone', now()) returning id as erased \gset
select id as sms_en from public.consent_disclosures where channel = 'sms' and locale = 'en' and version = 1 \gset
select id as email_en from public.consent_disclosures where channel = 'email' and locale = 'en' and version = 1 \gset

-- ---------------------------------------------------------------- structure
select tests.rls_enabled('public');
select has_column('public', 'consent_events', 'disclosure_id', 'ledger entries can name their disclosure');
select has_index('public', 'consent_events', 'consent_events_disclosure_id_idx', 'the ledger''s disclosure link is indexed');
select results_eq(
  $$select channel::text || '/' || locale from public.consent_disclosures where retired_at is null order by 1$$,
  $$values ('email/en'), ('email/es'), ('sms/en'), ('sms/es')$$,
  'a current disclosure per channel and language is published');
select throws_ok(
  $$insert into public.consent_disclosures (channel, locale, version, body) values ('sms', 'en', 9, 'Another current English SMS text, which would be ambiguous.')$$,
  '23505', null, 'only one version per channel and language is current');

-- ---------------------------------------------------------------- anon: reads current texts, records nothing
select tests.act_as('anon');
select is(tests.visible_rows('public.consent_disclosures'), 4::bigint, 'anon reads the disclosures forms show');
select throws_ok($$select public.record_form_consent('sms', 'opted_in', '$$ || :'sms_en' || $$')$$,
  '42501', null, 'anon cannot record consent');
select throws_ok($$insert into public.consent_disclosures (channel, locale, version, body) values ('sms', 'en', 2, 'Anonymous text that nobody approved at all.')$$,
  '42501', null, 'anon cannot publish a disclosure');

-- ---------------------------------------------------------------- attendee: own choices only
select tests.act_as('attendee');
select is(public.record_form_consent('sms', 'opted_in', :'sms_en'), 'opted_in'::public.consent_status,
  'attendee opts in to texts with the disclosure they saw');
select results_eq(
  $$select source::text, disclosure_id, recorded_by, created_at = now() from public.consent_events where channel = 'sms'$$,
  format($$values ('form', %L::uuid, %L::uuid, true)$$, :'sms_en', tests.get_supabase_uid('attendee')),
  'the ledger keeps source, exact disclosure, who and when');
select is((select status::text from public.contact_consents where channel = 'sms'), 'opted_in',
  'the opt-in is the attendee''s current SMS consent');
select lives_ok($$select public.record_form_consent('sms', 'opted_in', '$$ || :'sms_en' || $$')$$,
  'ticking the same box again is accepted');
select is(tests.visible_rows('public.consent_events'), 1::bigint, '… and adds no ledger row');
select throws_ok($$select public.record_form_consent('email', 'opted_in')$$,
  'P0001', 'disclosure_required', 'an opt-in without its disclosure is refused');
select throws_ok($$select public.record_form_consent('email', 'opted_in', '$$ || :'sms_en' || $$')$$,
  'P0001', 'unknown_disclosure', 'an opt-in with another channel''s disclosure is refused');
select throws_ok($$select public.record_form_consent('email', 'opted_in', gen_random_uuid())$$,
  'P0001', 'unknown_disclosure', 'an opt-in with an unknown disclosure is refused');
select is(tests.visible_rows('public.consent_events'), 1::bigint, 'refused calls record nothing');
select throws_ok($$select public.record_form_consent('sms', 'opted_in', '$$ || :'sms_en' || $$', '$$ || :'other_contact' || $$')$$,
  'P0001', 'not_allowed', 'attendee cannot record a choice for someone else');
select throws_ok($$select public.record_form_consent(null, 'opted_in', '$$ || :'sms_en' || $$')$$,
  'P0001', 'invalid_argument', 'a missing channel is refused');
select is(public.record_form_consent('sms', 'opted_out'), 'opted_out'::public.consent_status,
  'attendee opts out on their page without a disclosure');
select is((select status::text from public.contact_consents where channel = 'sms'), 'opted_out',
  'the opt-out is current');
select is(tests.row_count($$update public.contacts set preferred_language = 'es' where phone = '+13055550101'$$), 1,
  'attendee changes their preferred language');
select throws_ok($$update public.contacts set preferred_language = 'fr' where phone = '+13055550101'$$,
  '23514', null, 'only English and Spanish are offered');

-- A new version replaces the text: the attendee still reads the one they agreed to.
select tests.reset_role();
update public.consent_disclosures set retired_at = now() where id = :'sms_en';
insert into public.consent_disclosures (channel, locale, version, body)
values ('sms', 'en', 2, 'Yes, text me Hello Miami news. Reply STOP to opt out, HELP for help.')
returning id as sms_en_v2 \gset
select tests.act_as('attendee');
select is(tests.visible_rows('public.consent_disclosures'), 5::bigint,
  'attendee reads the current texts and the retired one they agreed to');
select throws_ok($$select public.record_form_consent('sms', 'opted_in', '$$ || :'sms_en' || $$')$$,
  'P0001', 'unknown_disclosure', 'an opt-in naming a retired text is refused (the form is stale)');
select tests.act_as('other_attendee');
select is(tests.visible_rows('public.consent_disclosures'), 4::bigint, 'another attendee reads only the current texts');

-- ---------------------------------------------------------------- volunteer: the walk-in's own choice at the door
select tests.act_as('volunteer');
select is(public.record_form_consent('email', 'opted_in', :'email_en', :'walk_in'), 'opted_in'::public.consent_status,
  'volunteer records a walk-in''s email opt-in');
select tests.reset_role();
select results_eq(
  $$select source::text, disclosure_id, recorded_by from public.consent_events where contact_id = '$$ || :'walk_in' || $$'$$,
  format($$values ('form', %L::uuid, %L::uuid)$$, :'email_en', tests.get_supabase_uid('volunteer')),
  'the door opt-in names its disclosure and the volunteer who recorded it');
select tests.act_as('volunteer');
select throws_ok($$select public.record_form_consent('email', 'opted_in', '$$ || :'email_en' || $$', '$$ || :'erased' || $$')$$,
  'P0001', 'unknown_attendee', 'an erased contact cannot be opted in');
select is(tests.visible_rows('public.consent_events'), 0::bigint, 'volunteer still cannot read the ledger');
select throws_ok($$insert into public.consent_disclosures (channel, locale, version, body) values ('email', 'en', 5, 'Volunteer text that nobody approved at all.')$$,
  '42501', null, 'volunteer cannot publish a disclosure');

-- ---------------------------------------------------------------- stranger (signed in, no contact, no role)
select tests.act_as('stranger');
select throws_ok($$select public.record_form_consent('sms', 'opted_out')$$,
  'P0001', 'not_allowed', 'a signed-in user without a contact records nothing');
select throws_ok($$select public.record_form_consent('sms', 'opted_out', null, '$$ || :'walk_in' || $$')$$,
  'P0001', 'not_allowed', 'a non-staff user records nothing for others');

-- ---------------------------------------------------------------- organizer and admin: the texts
select tests.act_as('organizer');
select is(tests.visible_rows('public.consent_disclosures'), 5::bigint, 'organizer reads every version, retired ones too');
select throws_ok($$insert into public.consent_disclosures (channel, locale, version, body) values ('email', 'en', 2, 'Organizer text that an admin did not approve.')$$,
  '42501', null, 'organizer cannot publish a disclosure');
select tests.act_as('admin');
select is(tests.row_count($$update public.consent_disclosures set retired_at = now() where id = '$$ || :'email_en' || $$'$$), 1,
  'admin retires a disclosure');
select lives_ok($$insert into public.consent_disclosures (channel, locale, version, body) values ('email', 'en', 2, 'Yes, email me Hello Miami news. Unsubscribe any time.')$$,
  'admin publishes its next version');
select throws_ok($$update public.consent_disclosures set body = 'Rewritten after people agreed to it.' where id = '$$ || :'sms_en_v2' || $$'$$,
  '42501', null, 'nobody rewrites a published text');

-- ---------------------------------------------------------------- registration form: preferred language
select tests.reset_role();
select is((private.apply_registration(:'walk_in', '{"preferred_language": "es", "company": "Acme"}')).preferred_language, 'es',
  'the registration form records the preferred language');
select throws_ok(format($$select private.apply_registration(%L, '{"preferred_language": "fr"}')$$, :'walk_in'),
  'P0001', 'invalid_argument', 'an unknown language is refused');
select tests.act_as('service_role');
select is(public.record_form_consent('sms', 'opted_in', :'sms_en_v2', :'walk_in'), 'opted_in'::public.consent_status,
  'the service role records a form opt-in');

select tests.reset_role();
select * from finish();
rollback;
