-- A GDPR export carries the contact's messaging history alongside the people, check-in and CRM sections.
begin;
select plan(4);

do $$ begin perform tests.make_staff('gdpr_admin', 'admin'); end $$;
insert into public.contacts (id, phone, first_name) values ('00000000-0000-0000-0000-00000000d297', '+13055550297', 'Gia');
insert into public.consent_events (contact_id, channel, status, source)
  values ('00000000-0000-0000-0000-00000000d297', 'sms', 'opted_out', 'keyword');

do $$ begin perform tests.act_as('gdpr_admin'); end $$;
create temporary table export_doc on commit drop as
  select public.gdpr_export('00000000-0000-0000-0000-00000000d297') as doc;

select ok((select doc ? 'messages' from export_doc), 'the export has the messages section');
select ok((select doc ? 'conversations' from export_doc), 'the export has the conversations section');
select is((select jsonb_array_length(doc -> 'consent') from export_doc), 1, 'with the consent history');
select is((select doc -> 'consent' -> 0 ->> 'status' from export_doc), 'opted_out', 'including the opt-out');

select * from finish();
rollback;
