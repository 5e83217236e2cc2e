-- A/B tests that send the winner to the rest (issue 15, item 2). A blast with two or more
-- variants on a channel may carry winner settings: a test share (percent of each variant's
-- recipients, but never fewer than a minimum per variant), a time after the start, and a metric.
-- At the start, the snapshot is taken as always, then everybody outside the test group is held
-- back (status 'held': the claim takes only 'pending' rows). When the time comes, a worker's call
-- to public.decide_blast_winners scores each variant on what its test recipients did, records the
-- winner and why, and releases the held recipients with the winner's text. A blast with held
-- recipients is never completed; a cancelled one cancels them.
--
--   create_blast's spec takes winner?: {test_percent (1–90), min_per_variant (1–100000),
--     decide_after_minutes (1–10080), metric ('reply_rate'|'delivery_rate')}; it needs a channel
--     with at least two variants. Refusal: invalid_ab_test (P0001, the detail says what).
--   public.decide_blast_winners(p_now timestamptz default now()) returns setof
--     public.blast_ab_tests — service role only (the workers call it every minute). Exactly once
--     per blast: due tests are locked (skip locked) and decided in one transaction.
--     Metrics: reply_rate = test recipients who texted back after their text went, per text the
--     provider took (an email channel has no replies and is judged by delivery rate);
--     delivery_rate = delivered per text the provider took or refused. Ties go to the larger
--     sample, then the first label.
--
-- Moved here: public.create_blast(jsonb) and private.assert_blast_spec_fields(jsonb) from
-- 20261125002120_blast_composer.sql (the winner field), private.blast_recipient_outcome(text,
-- public.message_status) from 20261125006010_blast_results.sql (held recipients are to send).

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.blast_recipients drop constraint blast_recipients_status_check;
alter table public.blast_recipients add constraint blast_recipients_status_check
  check (status in ('pending', 'held', 'materialised', 'skipped', 'cancelled'));
comment on column public.blast_recipients.status is
  'pending (not yet claimed), held (waits for the A/B winner), materialised (a messages row exists), skipped (opted out/suppressed since), cancelled (blast cancelled).';

create index blast_recipients_held_idx on public.blast_recipients (blast_id) where status = 'held';

create table public.blast_ab_tests (
  blast_id uuid primary key references public.blasts (id) on delete cascade,
  test_percent integer not null check (test_percent between 1 and 90),
  min_per_variant integer not null check (min_per_variant between 1 and 100000),
  decide_after_minutes integer not null check (decide_after_minutes between 1 and 10080),
  metric text not null check (metric in ('reply_rate', 'delivery_rate')),
  decide_at timestamptz,
  held_recipients integer not null default 0,
  decided_at timestamptz,
  released_recipients integer,
  winners jsonb,
  decision jsonb,
  reason text
);
comment on table public.blast_ab_tests is
  'A blast''s "send the winner to the rest": test share, minimum per variant, when and on what metric the winner is chosen, and the decision.';
comment on column public.blast_ab_tests.test_percent is 'Percent of each variant''s recipients in the test group (at least min_per_variant of them).';
comment on column public.blast_ab_tests.decide_at is 'When the winner is chosen: the start plus decide_after_minutes.';
comment on column public.blast_ab_tests.held_recipients is 'Recipients held back at the start for the winner.';
comment on column public.blast_ab_tests.winners is 'The winning label per channel, e.g. {"sms": "B"}.';
comment on column public.blast_ab_tests.decision is 'Per channel: the metric, each variant''s test numbers and rate, the test weights.';
comment on column public.blast_ab_tests.reason is 'Why the winner won, in a sentence for people.';

create index blast_ab_tests_due_idx on public.blast_ab_tests (decide_at) where decided_at is null;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.blast_ab_tests from anon, authenticated;
grant select on table public.blast_ab_tests to authenticated;
grant all on table public.blast_ab_tests to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- At the start, hold back everybody outside the test group; on cancel, cancel the held. Rows are
-- ranked per channel × variant by a stable hash (not the variant's), so the test group is a fair
-- sample of each variant. SECURITY DEFINER: an organizer may cancel a draft by updating it, and
-- snapshot rows are written by no API role.
create function private.blasts_ab_hold() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_test public.blast_ab_tests;
  v_count integer;
begin
  select * into v_test from public.blast_ab_tests t where t.blast_id = new.id;
  if not found then
    return null;
  end if;
  if new.status = 'sending' and old.status in ('draft', 'scheduled') then
    update public.blast_recipients r set status = 'held'
    from (
      select x.id, row_number() over w as rank, count(*) over (partition by x.channel, x.variant) as n
      from public.blast_recipients x
      where x.blast_id = new.id and x.status = 'pending'
        and x.channel in (select v.channel from public.blast_variants v where v.blast_id = new.id
                          group by v.channel having count(*) >= 2)
      window w as (partition by x.channel, x.variant order by hashtextextended(x.contact_id::text || new.id::text || ':ab', 0), x.id)
    ) ranked
    where r.id = ranked.id
      and ranked.rank > greatest(v_test.min_per_variant, ceil(ranked.n * v_test.test_percent / 100.0));
    get diagnostics v_count = row_count;
    update public.blast_ab_tests
       set decide_at = coalesce(new.started_at, now()) + make_interval(mins => v_test.decide_after_minutes),
           held_recipients = v_count
     where blast_id = new.id;
  elsif new.status = 'cancelled' then
    update public.blast_recipients set status = 'cancelled', skip_reason = 'blast_cancelled'
     where blast_id = new.id and status = 'held';
    get diagnostics v_count = row_count;
    perform private.add_blast_counts(new.id, p_skipped => v_count);
    -- cancel_blast folded its counts before this update: fold these too, so the final numbers show.
    perform private.fold_blast_counters(new.id);
  end if;
  return null;
end
$$;
comment on function private.blasts_ab_hold() is
  'Trigger: an A/B blast that starts holds back everybody outside its test group; one cancelled cancels them.';

create trigger blasts_ab_hold after update of status on public.blasts
  for each row when (new.status in ('sending', 'cancelled') and old.status is distinct from new.status)
  execute function private.blasts_ab_hold();

-- Never completed while recipients wait for the winner: the completion is put off (it comes
-- again once they are released and sent). Quietly, because the caller is a worker's claim.
create function private.blasts_keep_sending_while_held() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from public.blast_recipients r where r.blast_id = new.id and r.status = 'held') then
    new.status := old.status;
    new.completed_at := old.completed_at;
  end if;
  return new;
end
$$;
comment on function private.blasts_keep_sending_while_held() is
  'Trigger: a blast whose recipients wait for the A/B winner stays sending.';

create trigger blasts_keep_sending_while_held before update of status on public.blasts
  for each row when (new.status = 'completed' and old.status = 'sending')
  execute function private.blasts_keep_sending_while_held();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.blast_ab_tests enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.blast_recipient_outcome(
  p_recipient_status text,
  p_message_status public.message_status
) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when p_recipient_status in ('skipped', 'cancelled') or p_message_status = 'cancelled' then 'skipped'
    when p_recipient_status in ('pending', 'held') or p_message_status in ('queued', 'sending') then 'to_send'
    when p_message_status = 'delivered' then 'delivered'
    when p_message_status in ('failed', 'undelivered') then 'failed'
    else 'sent'
  end
$$;
comment on function private.blast_recipient_outcome(text, public.message_status) is
  'One blast recipient''s outcome (to_send, sent, delivered, failed, skipped) from its snapshot row''s and message''s statuses.';
grant execute on function private.blast_recipient_outcome(text, public.message_status) to authenticated, service_role;


-- private.insert_blast_ab_test moved to 20261129040000_blast_email_engagement.sql (open and click rates).

create function private.assert_blast_spec_fields(p_spec jsonb) returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_unknown text;
begin
  if jsonb_typeof(p_spec) is distinct from 'object' then
    raise exception using errcode = '22023', message = 'invalid_blast_spec', detail = 'The blast must be a JSON object.';
  end if;
  select string_agg(k, ', ' order by k) into v_unknown
  from jsonb_object_keys(p_spec) as k
  where k not in ('name', 'channel', 'sms_template_id', 'email_template_id', 'sms_sender_id', 'email_sender_id',
                  'segment_id', 'contact_ids', 'event_id', 'auto_pause', 'variants', 'scheduled_at', 'winner');
  if v_unknown is not null then
    raise exception using errcode = '22023', message = 'invalid_blast_spec', detail = 'Unknown fields: ' || v_unknown;
  end if;
  if p_spec ? 'contact_ids' and jsonb_typeof(p_spec -> 'contact_ids') <> 'array' then
    raise exception using errcode = '22023', message = 'invalid_blast_spec', detail = 'contact_ids must be an array.';
  end if;
  if p_spec ? 'variants' and jsonb_typeof(p_spec -> 'variants') <> 'array' then
    raise exception using errcode = '22023', message = 'invalid_blast_spec', detail = 'variants must be an array.';
  end if;
  if p_spec ? 'winner' and jsonb_typeof(p_spec -> 'winner') not in ('object', 'null') then
    raise exception using errcode = '22023', message = 'invalid_blast_spec', detail = 'winner must be an object.';
  end if;
  if p_spec ? 'auto_pause' and jsonb_typeof(p_spec -> 'auto_pause') <> 'boolean' then
    raise exception using errcode = '22023', message = 'invalid_blast_spec', detail = 'auto_pause must be true or false.';
  end if;
end
$$;
comment on function private.assert_blast_spec_fields(jsonb) is 'invalid_blast_spec unless a create_blast spec is an object of known, well-typed fields.';


-- private.blast_ab_scores moved to 20261129040000_blast_email_engagement.sql (opens and clicks).

create function private.ab_rate_text(p_score jsonb) returns text
language sql
immutable
set search_path = ''
as $$
  select format('%s%% (%s of %s)', coalesce(to_char(100 * (p_score ->> 'rate')::numeric, 'FM990.0'), '0.0'),
                p_score ->> 'hits', p_score ->> 'attempted')
$$;
comment on function private.ab_rate_text(jsonb) is 'A variant''s rate for people: "12.0% (6 of 50)".';

-- private.decide_ab_channel moved to 20261129040000_blast_email_engagement.sql (the metric per channel).

-- Release a decided blast's held recipients with the winner's text: the winner now carries the
-- whole weight of its channel (the test weights stay in the decision), so the candidates query
-- renders it for everybody; a held recipient it no longer lists (opted out, erased since) is skipped.
create function private.release_held_recipients(p_blast_id uuid, p_winners jsonb) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_released integer;
  v_skipped integer;
begin
  update public.blast_variants v
     set weight = case when v.label = p_winners ->> v.channel::text then 100 else 0 end
   where v.blast_id = p_blast_id and p_winners ? v.channel::text;
  execute format($sql$
    update public.blast_recipients r
       set status = 'pending', variant = c.variant, subject = c.subject, body = c.body, segments = null
      from (%s) c
     where r.blast_id = $1 and r.status = 'held' and c.contact_id = r.contact_id and c.channel = r.channel
    $sql$, private.blast_candidates_sql(p_blast_id, false))
  using p_blast_id;
  get diagnostics v_released = row_count;
  update public.blast_recipients set status = 'skipped', skip_reason = 'no_longer_eligible'
   where blast_id = p_blast_id and status = 'held';
  get diagnostics v_skipped = row_count;
  perform private.add_blast_counts(p_blast_id, p_skipped => v_skipped);
  perform private.maybe_complete_blast(p_blast_id);
  return v_released;
end
$$;
comment on function private.release_held_recipients(uuid, jsonb) is
  'Give a blast''s held recipients the winners'' text and queue them; those no longer eligible are skipped.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read blast A/B tests" on public.blast_ab_tests
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: like the other blast controls; checks the caller first, then writes the
-- blast, its variants and its audience as one transaction.
create function public.create_blast(p_spec jsonb) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_name text;
  v_blast public.blasts;
  v_contact_ids uuid[];
  v_scheduled_at timestamptz;
begin
  perform private.assert_messaging_operator();
  perform private.assert_blast_spec_fields(p_spec);
  v_name := btrim(coalesce(p_spec ->> 'name', ''));
  if v_name = '' then
    raise exception using errcode = 'P0001', message = 'blast_name_required';
  end if;
  if coalesce(p_spec ->> 'channel', '') not in ('sms', 'email', 'both') then
    raise exception using errcode = 'P0001', message = 'invalid_blast_channel', detail = 'Choose sms, email or both.';
  end if;
  begin
    v_contact_ids := array(select distinct c::uuid from jsonb_array_elements_text(coalesce(p_spec -> 'contact_ids', '[]')) as c);
    v_scheduled_at := (p_spec ->> 'scheduled_at')::timestamptz;
  exception when invalid_text_representation or invalid_datetime_format or datetime_field_overflow then
    raise exception using errcode = '22023', message = 'invalid_blast_spec',
      detail = 'contact_ids must be uuids and scheduled_at a timestamp.';
  end;
  if v_scheduled_at is not null and v_scheduled_at < now() then
    raise exception using errcode = 'P0001', message = 'invalid_schedule', detail = 'The send time is in the past.';
  end if;
  perform private.assert_blast_references(p_spec, v_contact_ids);
  -- Two composers saving the same name at once: the second waits, then sees the first.
  perform pg_advisory_xact_lock(hashtextextended('blast_name:' || lower(v_name), 0));
  if exists (select 1 from public.blasts b where lower(btrim(b.name)) = lower(v_name) and b.status <> 'cancelled') then
    raise exception using errcode = 'P0001', message = 'blast_name_taken',
      detail = format('Another blast is called "%s"; choose another name.', v_name);
  end if;
  insert into public.blasts (name, channel, sms_template_id, email_template_id, sms_sender_id, email_sender_id,
                             segment_id, event_id, auto_pause)
  values (v_name, (p_spec ->> 'channel')::public.blast_channel,
          private.spec_uuid(p_spec, 'sms_template_id'), private.spec_uuid(p_spec, 'email_template_id'),
          private.spec_uuid(p_spec, 'sms_sender_id'), private.spec_uuid(p_spec, 'email_sender_id'),
          private.spec_uuid(p_spec, 'segment_id'), private.spec_uuid(p_spec, 'event_id'),
          coalesce((p_spec ->> 'auto_pause')::boolean, true))
  returning * into v_blast;
  perform private.insert_blast_variants(v_blast.id, p_spec -> 'variants');
  perform private.insert_blast_ab_test(v_blast.id, p_spec -> 'winner');
  insert into public.blast_audience (blast_id, contact_id) select v_blast.id, c from unnest(v_contact_ids) as c;
  perform private.assert_blast_ready(v_blast);
  if v_scheduled_at is not null then
    update public.blasts set status = 'scheduled', scheduled_at = v_scheduled_at where id = v_blast.id
    returning * into v_blast;
  end if;
  return v_blast;
end
$$;
comment on function public.create_blast(jsonb) is
  'Create a ready blast (and its variants, A/B winner settings and audience) in one transaction, optionally scheduled; clear refusal codes, nothing written on refusal.';
revoke execute on function public.create_blast(jsonb) from public, anon;
grant execute on function public.create_blast(jsonb) to authenticated, service_role;

-- public.decide_blast_winners moved to 20261129020000_blast_winner_lock.sql (the blast row FOR NO KEY UPDATE).

-- ============================================================================================
-- Realtime
-- ============================================================================================

alter publication supabase_realtime add table public.blast_ab_tests;
