-- A GDPR export leaves an audit entry (who took whose data, when; no personal data in it): an
-- admin's download from the contact page and the person's own from /me. Per role: admins and
-- the person may export, organizers and volunteers are refused (and leave no entry), anon
-- cannot call it.
begin;
select plan(8);
select tests.clear_people_data();
select tests.make_people_cast();
select id as ada from public.contacts where phone = '+13055550101' \gset
select tests.get_supabase_uid('admin') as admin_id \gset

create function pg_temp.export_entries() returns table (actor_id uuid, record_id text, detail jsonb, personal boolean)
language sql as $$
  select a.actor_id, a.record_id, a.detail, a.before is not null or a.after is not null
    from public.audit_log a where a.action = 'gdpr_export' order by a.id
$$;

select tests.act_as('admin');
select is(public.gdpr_export(:'ada') #>> '{contact,id}', :'ada', 'an admin exports a person''s data');
select tests.act_as('attendee');
select is(public.gdpr_export() #>> '{contact,id}', :'ada', 'the person exports their own');
select tests.act_as('organizer');
select throws_ok(format($$select public.gdpr_export(%L)$$, :'ada'), 'P0001', 'not_allowed', 'organizers cannot export');
select tests.act_as('volunteer');
select throws_ok(format($$select public.gdpr_export(%L)$$, :'ada'), 'P0001', 'not_allowed', 'nor can volunteers');
select tests.act_as('anon');
select throws_ok(format($$select public.gdpr_export(%L)$$, :'ada'), '42501', null, 'anon cannot call it');

select tests.reset_role();
select results_eq(
  $$select record_id, detail, personal from pg_temp.export_entries()$$,
  format($$values (%L, '{"by_themselves": false}'::jsonb, false), (%L, '{"by_themselves": true}'::jsonb, false)$$, :'ada', :'ada'),
  'one entry per export, none for the refused ones, with no personal data');
select is((select actor_id from pg_temp.export_entries() limit 1), :'admin_id'::uuid, 'the admin''s entry names the admin');
select is((select count(*)::int from public.gdpr_requests where kind = 'export' and contact_id = :'ada'), 2,
  'and each export is still recorded as a request');

select * from finish();
rollback;
