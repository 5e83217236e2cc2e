-- A/B winners: public.decide_blast_winners took its blast's row FOR UPDATE, which conflicts with
-- the FOR KEY SHARE that the foreign key check of every message a claim inserts for that blast
-- takes. While a decision scored the variants and released the held recipients (a snapshot query
-- over the blast's audience), every worker claiming the blast's pending recipients waited, holding
-- the recipient rows, the sender's token bucket and its counter delta rows. The blast lock order
-- (20261128020100_blast_lock_order) says controls take the row FOR NO KEY UPDATE; the decision
-- now does the same, so claims go on while it runs. It still excludes pause, resume and cancel
-- (FOR NO KEY UPDATE conflicts with itself) and the hot paths' SKIP LOCKED upkeep.
--
-- And it takes the row only when free (SKIP LOCKED; the test is decided by the next call, a
-- minute later). Releasing the held recipients may complete the blast, which folds its counter
-- deltas: the decision then holds delta rows, and a worker adding to its own delta row waits for
-- the decision's commit. Had the decision then waited for the next due blast's row behind a
-- cancel, and that cancel for recipients the worker holds, the three would wait in a circle.
-- Never waiting for a blast row, the decision never waits after a fold (20261129020100_
-- blast_counter_slots says why that is what keeps counter deltas out of every deadlock).
--
-- Moved here with its final body: public.decide_blast_winners (from
-- 20261125024010_blast_ab_winner.sql).

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: it rewrites snapshot rows and variants no API role may write; only the
-- service role (the workers) may call it, and it checks that first.
create function public.decide_blast_winners(p_now timestamptz default now())
returns setof public.blast_ab_tests
language plpgsql
security definer
set search_path = ''
set work_mem = '64MB'
set enable_nestloop = off
set enable_mergejoin = off
set jit = off
as $$
declare
  v_test public.blast_ab_tests;
  v_status public.blast_status;
  v_channel public.message_channel;
  v_channel_decision jsonb;
  v_decision jsonb;
  v_winners jsonb;
  v_reason text;
  v_released integer;
begin
  if (select auth.role()) is distinct from 'service_role' then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Only the workers choose A/B winners.';
  end if;
  for v_test in
    select t.* from public.blast_ab_tests t
    where t.decided_at is null and t.decide_at <= p_now
    order by t.decide_at
    for update skip locked
  loop
    -- The blast row too (the header says why FOR NO KEY UPDATE, and why only when free): a
    -- pause, resume or cancel waits for the decision; a decision finding a control at work
    -- leaves the test to the next call.
    select b.status into v_status from public.blasts b where b.id = v_test.blast_id
    for no key update skip locked;
    continue when not found;
    if v_status not in ('sending', 'paused') then
      update public.blast_ab_tests set decided_at = p_now, released_recipients = 0,
             reason = format('The blast was %s before the winner was chosen; nobody else gets it.', v_status)
       where blast_id = v_test.blast_id returning * into v_test;
    else
      v_decision := '{}'::jsonb;
      v_winners := '{}'::jsonb;
      v_reason := null;
      for v_channel in
        select v.channel from public.blast_variants v where v.blast_id = v_test.blast_id
        group by v.channel having count(*) >= 2 order by v.channel
      loop
        v_channel_decision := private.decide_ab_channel(v_test, v_channel, p_now);
        v_decision := v_decision || jsonb_build_object(v_channel::text, v_channel_decision);
        v_winners := v_winners || jsonb_build_object(v_channel::text, v_channel_decision ->> 'winner');
        v_reason := concat_ws(' ', v_reason, v_channel_decision ->> 'reason');
      end loop;
      v_released := private.release_held_recipients(v_test.blast_id, v_winners);
      update public.blast_ab_tests
         set decided_at = p_now, winners = v_winners, decision = v_decision, reason = v_reason,
             released_recipients = v_released
       where blast_id = v_test.blast_id returning * into v_test;
    end if;
    perform private.audit('blast.ab_winner', 'blasts', v_test.blast_id::text, null,
                          jsonb_build_object('winners', v_test.winners, 'released', v_test.released_recipients),
                          jsonb_build_object('reason', v_test.reason));
    return next v_test;
  end loop;
end
$$;
comment on function public.decide_blast_winners(timestamptz) is
  'Workers: choose the winner of every A/B blast whose time has come (exactly once, audited) and send it to the held recipients.';
revoke execute on function public.decide_blast_winners(timestamptz) from public, anon, authenticated;
grant execute on function public.decide_blast_winners(timestamptz) to service_role;

