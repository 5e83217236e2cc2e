-- A merge folds the duplicate's RSVPs, automation deliveries and blast audiences into the kept
-- contact — per role: an organizer's merge moves RSVPs (two to one event become the earlier
-- one, the counts stay right, the audit entry names them); a volunteer or anon cannot merge.
begin;
select plan(18);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sender \gset
select tests.make_template('merge', 'Hi {{first_name | friend}}') as tpl \gset
select tests.make_contact('+13055550781', 'Kim') as keep \gset
select tests.make_contact('+13055550782', 'Kim again') as dup \gset
insert into public.events (id, slug, name, starts_at, ends_at, published) values
  ('00000000-0000-0000-0000-0000000097e1', 'merge-only-dup', 'Only the duplicate', now() + interval '1 day', now() + interval '1 day 3 hours', true),
  ('00000000-0000-0000-0000-0000000097e2', 'merge-dup-first', 'Duplicate first', now() + interval '2 days', now() + interval '2 days 3 hours', true),
  ('00000000-0000-0000-0000-0000000097e3', 'merge-keep-first', 'Kept first', now() + interval '3 days', now() + interval '3 days 3 hours', true);
insert into public.event_rsvps (event_id, contact_id, created_at, source) values
  ('00000000-0000-0000-0000-0000000097e1', :'dup', now() - interval '5 days', 'form'),
  ('00000000-0000-0000-0000-0000000097e2', :'dup', now() - interval '4 days', 'import'),
  ('00000000-0000-0000-0000-0000000097e2', :'keep', now() - interval '1 day', 'staff'),
  ('00000000-0000-0000-0000-0000000097e3', :'keep', now() - interval '3 days', 'form'),
  ('00000000-0000-0000-0000-0000000097e3', :'dup', now() - interval '2 days', 'staff');
-- Both were acted on by one automation, only the duplicate by another; both are on one
-- blast's list, only the duplicate on another's.
insert into public.automations (name, kind, action, tag) values ('Both', 'first_check_in', 'add_tag', 'a') returning id as both_rule \gset
insert into public.automations (name, kind, action, tag) values ('Dup only', 'first_check_in', 'add_tag', 'b') returning id as dup_rule \gset
insert into public.automation_deliveries (automation_id, contact_id, occasion, acted_at) values
  (:'both_rule', :'keep', 'first', now() - interval '1 day'),
  (:'both_rule', :'dup', 'first', now() - interval '2 days'),
  (:'dup_rule', :'dup', 'first', now() - interval '2 days');
select tests.make_sms_blast('Both listed', :'tpl', :'sender', array[:'keep', :'dup']::uuid[]) as both_blast \gset
select tests.make_sms_blast('Dup listed', :'tpl', :'sender', array[:'dup']::uuid[]) as dup_blast \gset

create function pg_temp.rsvp_counts() returns table (slug text, rsvp_count integer)
language sql as $$ select o.slug, o.rsvp_count from public.event_overview() o where o.slug like 'merge-%' order by o.slug $$;
grant execute on function pg_temp.rsvp_counts() to authenticated;

-- ---------------------------------------------------------------- who may merge
select tests.act_as('msg_volunteer');
select throws_ok(format($$select public.merge_contacts(%L, %L)$$, :'keep', :'dup'), 'P0001', 'not_allowed',
  'a volunteer cannot merge');
select tests.act_as('anon');
select throws_ok(format($$select public.merge_contacts(%L, %L)$$, :'keep', :'dup'), '42501', null,
  'anon cannot call the merge');
reset role;
select results_eq(format($$select event_id, contact_id from public.event_rsvps where contact_id in (%L, %L) order by 1, 2$$, :'keep', :'dup'),
  format($$values ('00000000-0000-0000-0000-0000000097e1'::uuid, %L::uuid), ('00000000-0000-0000-0000-0000000097e2', %L), ('00000000-0000-0000-0000-0000000097e2', %L),
                  ('00000000-0000-0000-0000-0000000097e3', %L), ('00000000-0000-0000-0000-0000000097e3', %L)$$,
         :'dup', least(:'keep'::uuid, :'dup'::uuid), greatest(:'keep'::uuid, :'dup'::uuid), least(:'keep'::uuid, :'dup'::uuid), greatest(:'keep'::uuid, :'dup'::uuid)),
  'and a refused merge moves no RSVP');

-- ---------------------------------------------------------------- an organizer's merge
select tests.act_as('msg_organizer');
select results_eq($$select * from pg_temp.rsvp_counts()$$,
  $$values ('merge-dup-first', 2), ('merge-keep-first', 2), ('merge-only-dup', 1)$$,
  'before: the two records count as two people where both RSVP''d');
select lives_ok(format($$select public.merge_contacts(%L, %L)$$, :'keep', :'dup'), 'an organizer merges');
select results_eq($$select * from pg_temp.rsvp_counts()$$,
  $$values ('merge-dup-first', 1), ('merge-keep-first', 1), ('merge-only-dup', 1)$$,
  'after: each event counts the person once');
select results_eq(format($$select event_id, source from public.event_rsvps where contact_id = %L order by 1$$, :'keep'),
  $$values ('00000000-0000-0000-0000-0000000097e1'::uuid, 'form'), ('00000000-0000-0000-0000-0000000097e2', 'import'),
           ('00000000-0000-0000-0000-0000000097e3', 'form')$$,
  'the kept contact has every RSVP, the earlier one where both RSVP''d');
select results_eq(format($$select event_id, created_at::date from public.event_rsvps where contact_id = %L order by 1$$, :'keep'),
  $$values ('00000000-0000-0000-0000-0000000097e1'::uuid, (now() - interval '5 days')::date),
           ('00000000-0000-0000-0000-0000000097e2', (now() - interval '4 days')::date),
           ('00000000-0000-0000-0000-0000000097e3', (now() - interval '3 days')::date)$$,
  'with the earlier RSVP''s time');
select is((select count(*)::int from public.event_rsvps where contact_id = :'dup'), 0, 'the duplicate has no RSVP left');
select is((select count(*)::int from public.event_attendees('00000000-0000-0000-0000-0000000097e1') a where a.contact_id = :'keep'), 1,
  'the person is on the attendee list of the event only the duplicate had RSVP''d to');
select is((select sum(rsvp_count)::int from pg_temp.rsvp_counts()),
  (select count(*)::int from public.event_rsvps r join public.events e on e.id = r.event_id where e.slug like 'merge-%'),
  'the counters agree with the RSVP rows');
reset role;
select is((select detail from public.audit_log where action = 'merge' and record_id = :'keep'),
  jsonb_build_object('merged', :'dup'::uuid, 'rsvps_moved', '["00000000-0000-0000-0000-0000000097e1", "00000000-0000-0000-0000-0000000097e2"]'::jsonb,
                     'rsvps_folded', '["00000000-0000-0000-0000-0000000097e2", "00000000-0000-0000-0000-0000000097e3"]'::jsonb),
  'the merge''s audit entry names the RSVPs moved and the ones folded');

-- ---------------------------------------------------------------- deliveries and blast lists
select results_eq(format($$select automation_id, acted_at::date from public.automation_deliveries where contact_id = %L order by acted_at, 1$$, :'keep'),
  format($$values (%L::uuid, (now() - interval '2 days')::date), (%L::uuid, (now() - interval '1 day')::date)$$, :'dup_rule', :'both_rule'),
  'the duplicate''s deliveries move over, the kept contact''s stay where both were acted on');
select is((select count(*)::int from public.automation_deliveries where contact_id = :'dup'), 0, 'none are left on the duplicate');
select results_eq(format($$select blast_id from public.blast_audience where contact_id = %L order by 1$$, :'keep'),
  format($$select unnest(array[%L, %L]::uuid[]) order by 1$$, :'both_blast', :'dup_blast'),
  'the kept contact is on both blasts'' lists');
select is((select count(*)::int from public.blast_audience where blast_id = :'both_blast'), 1, 'once on the list both were on');
select is((select count(*)::int from public.blast_audience where contact_id = :'dup'), 0, 'the duplicate is on none');
select tests.act_as('msg_organizer');
select throws_ok(format($$select public.merge_contacts(%L, %L)$$, :'keep', :'dup'), 'P0001', 'not_mergeable',
  'merging it again is refused');

select * from finish();
rollback;
