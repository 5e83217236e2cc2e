-- An attendee's own opt-in written straight to the ledger (20261125013010_form_opt_in_disclosure)
-- must name a disclosure shown now for that channel, as record_form_consent demands; opting out
-- needs none. Organizers' paper-form rows, other roles' denials stay as they were.
begin;
select plan(13);

select tests.clear_people_data();
select tests.make_people_cast();
select tests.make_attendee('other_attendee', '13055550102', 'Otto') as other_contact \gset
select id as ada from public.contacts where phone = '+13055550101' \gset
select id as sms_en from public.consent_disclosures where channel = 'sms' and locale = 'en' and version = 1 \gset
select id as email_en from public.consent_disclosures where channel = 'email' and locale = 'en' and version = 1 \gset
-- A retired SMS text: it was shown once, it is not shown now.
insert into public.consent_disclosures (channel, locale, version, body, retired_at)
values ('sms', 'en', 99, 'An older SMS text that forms no longer show to anyone.', now())
returning id as sms_retired \gset

-- ---------------------------------------------------------------- attendee: opt-ins name the current text
select tests.act_as('attendee');
select throws_ok(format($$insert into public.consent_events (contact_id, channel, status, source)
                          values (%L, 'sms', 'opted_in', 'form')$$, :'ada'),
  '42501', null, 'an attendee''s opt-in without a disclosure is refused');
select throws_ok(format($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
                          values (%L, 'sms', 'opted_in', 'form', %L)$$, :'ada', :'email_en'),
  '42501', null, 'an opt-in naming another channel''s disclosure is refused');
select throws_ok(format($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
                          values (%L, 'sms', 'opted_in', 'form', %L)$$, :'ada', :'sms_retired'),
  '42501', null, 'an opt-in naming a retired disclosure is refused');
select is(tests.visible_rows('public.consent_events'), 0::bigint, 'refused inserts record nothing');
select lives_ok(format($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
                         values (%L, 'sms', 'opted_in', 'form', %L)$$, :'ada', :'sms_en'),
  'an attendee opts in with the disclosure shown now');
select is((select status::text from public.contact_consents where channel = 'sms'), 'opted_in',
  'the opt-in is the attendee''s current consent');
select lives_ok(format($$insert into public.consent_events (contact_id, channel, status, source)
                         values (%L, 'sms', 'opted_out', 'form')$$, :'ada'),
  'opting out needs no disclosure');
select throws_ok(format($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
                          values (%L, 'sms', 'opted_in', 'form', %L)$$, :'other_contact', :'sms_en'),
  '42501', null, 'an attendee still cannot opt someone else in');
select lives_ok($$select public.record_form_consent('email', 'opted_in', '$$ || :'email_en' || $$')$$,
  'record_form_consent still records the attendee''s opt-in');

-- ---------------------------------------------------------------- other roles unchanged
select tests.act_as('organizer');
select lives_ok(format($$insert into public.consent_events (contact_id, channel, status, source)
                         values (%L, 'email', 'opted_in', 'form')$$, :'other_contact'),
  'organizers record a paper form''s opt-in (their row carries recorded_by)');
select tests.act_as('volunteer');
select throws_ok(format($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
                          values (%L, 'sms', 'opted_in', 'form', %L)$$, :'ada', :'sms_en'),
  '42501', null, 'volunteers write no ledger rows directly (record_form_consent does)');
select tests.act_as('anon');
select throws_ok(format($$insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
                          values (%L, 'sms', 'opted_in', 'form', %L)$$, :'ada', :'sms_en'),
  '42501', null, 'anon records nothing');
select tests.act_as('service_role');
select is((select count(*)::int from public.consent_events where contact_id = :'ada'), 3,
  'the attendee''s three accepted choices are in the ledger');

select tests.reset_role();
select * from finish();
rollback;
