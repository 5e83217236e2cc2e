-- The audit viewer's pages: newest first by (occurred_at, id), unfiltered or by person, action
-- or table, each served by one index read in order (no sort of every match); entries written in
-- one transaction share occurred_at and the id keeps the pages apart. Who reads it is unchanged:
-- admins at aal2; organizers, admins at aal1 and anon do not.
begin;
select plan(14);
select tests.clear_people_data();
select tests.make_people_cast();

select has_index('public', 'audit_log', 'audit_log_newest_idx', array['occurred_at', 'id'], 'newest-first index');
select has_index('public', 'audit_log', 'audit_log_actor_newest_idx', array['actor_id', 'occurred_at', 'id'], 'by-person index');
select has_index('public', 'audit_log', 'audit_log_action_newest_idx', array['action', 'occurred_at', 'id'], 'by-action index');
select has_index('public', 'audit_log', 'audit_log_table_newest_idx', array['table_name', 'occurred_at', 'id'], 'by-table index');
select hasnt_index('public', 'audit_log', 'audit_log_occurred_at_idx', 'the index it replaces is gone');

-- 3,000 entries, 30 of them at one instant (one transaction's worth).
insert into public.audit_log (occurred_at, actor_id, actor_role, action, table_name, record_id)
select case when i <= 30 then '2026-11-20 12:00Z'::timestamptz else '2026-11-01 00:00Z'::timestamptz + i * interval '1 minute' end,
       ('00000000-0000-0000-0000-' || lpad((i % 20)::text, 12, '0'))::uuid, 'authenticated',
       (array['insert', 'update', 'delete'])[1 + i % 3],
       (array['contacts', 'staff', 'senders'])[1 + i % 3 / 1 % 3], i::text
  from generate_series(1, 3000) as i;
analyze public.audit_log;

-- The plans: an index read in order, stopped by the limit. With sorting discouraged, a Sort
-- node is left only if no index gives the order (on 3,000 rows a sort would otherwise be cheap).
create function pg_temp.plan_of(p_query text) returns text
language plpgsql as $$
declare
  v_plan text := '';
  v_line text;
begin
  set local enable_seqscan = off;
  set local enable_bitmapscan = off;
  set local enable_sort = off;
  for v_line in execute 'explain (costs off) ' || p_query loop
    v_plan := v_plan || v_line || E'\n';
  end loop;
  reset enable_seqscan;
  reset enable_bitmapscan;
  reset enable_sort;
  return v_plan;
end
$$;
select unalike(pg_temp.plan_of($$select * from public.audit_log order by occurred_at desc, id desc limit 50$$),
  '%Sort%', 'newest page: no sort');
select unalike(pg_temp.plan_of($$select * from public.audit_log where actor_id = '00000000-0000-0000-0000-000000000007'
                                  order by occurred_at desc, id desc limit 50$$), '%Sort%', 'by person: no sort');
select unalike(pg_temp.plan_of($$select * from public.audit_log where action = 'update'
                                  and occurred_at >= '2026-11-01' and occurred_at < '2026-11-02'
                                  order by occurred_at desc, id desc limit 50$$), '%Sort%', 'by action and dates: no sort');
select unalike(pg_temp.plan_of($$select * from public.audit_log where table_name = 'staff'
                                  and (occurred_at, id) < ('2026-11-02', 100)
                                  order by occurred_at desc, id desc limit 50$$), '%Sort%', 'by table, next page: no sort');

-- Keyset pages over 30 entries sharing one instant: 10 + 10 + 10, none lost or repeated.
select tests.act_as('admin');
create temp table seen (id bigint) on commit drop;
grant all on seen to authenticated;
insert into seen
select a.id from public.audit_log a where a.occurred_at = '2026-11-20 12:00Z' order by a.occurred_at desc, a.id desc limit 10;
insert into seen
select a.id from public.audit_log a
 where a.occurred_at = '2026-11-20 12:00Z'
   and (a.occurred_at, a.id) < (select '2026-11-20 12:00Z'::timestamptz, min(id) from seen)
 order by a.occurred_at desc, a.id desc limit 10;
insert into seen
select a.id from public.audit_log a
 where a.occurred_at = '2026-11-20 12:00Z'
   and (a.occurred_at, a.id) < (select '2026-11-20 12:00Z'::timestamptz, min(id) from seen)
 order by a.occurred_at desc, a.id desc limit 10;
select is((select count(distinct id)::int from seen), 30, 'three keyset pages cover the 30 same-instant entries once each');

-- ---------------------------------------------------------------- who reads it (unchanged)
select is((select count(*)::int from public.audit_log where occurred_at < '2026-11-21'), 3000, 'admin at aal2 reads every entry');
select tests.reset_role();
select tests.authenticate_as_at('admin', 'aal1');
select is((select count(*)::int from public.audit_log), 0, 'admin at aal1 reads nothing');
select tests.act_as('organizer');
select is((select count(*)::int from public.audit_log), 0, 'organizer reads nothing');
select tests.act_as('anon');
select throws_ok($$select * from public.audit_log$$, '42501', null, 'anon is refused');

select * from finish();
rollback;
