-- The jobs docs/deploy.md tells hosted projects to schedule with pg_cron, run exactly as written
-- there, as the role pg_cron runs them as (postgres, with no request of its own).
begin;
select plan(6);

select tests.make_messaging_roles();

-- ---------------------------------------------------------------- who may call them
select tests.act_as('msg_organizer');
select throws_ok($$select * from public.decide_blast_winners()$$, '42501', null, 'organizers cannot choose winners');
select tests.act_as('anon');
select throws_ok($$select * from public.decide_blast_winners()$$, '42501', null, 'anon cannot choose winners');

-- ---------------------------------------------------------------- as pg_cron runs them
select tests.reset_role();
select set_config('request.jwt.claims', '', true);
select throws_ok($$select * from public.decide_blast_winners()$$, 'P0001', 'not_allowed',
  'a cron job that does not state the service role is refused (why the documented job states it)');
select lives_ok($$select count(*) from public.run_due_automations()$$,
  'the documented automations job runs as postgres');
select lives_ok($job$
  do $body$ begin
    perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
    perform public.decide_blast_winners();
  end $body$
$job$, 'the documented winners job runs as postgres');
select is(current_user::text, 'postgres', 'and it ran as postgres, the role pg_cron uses');

select * from finish();
rollback;
