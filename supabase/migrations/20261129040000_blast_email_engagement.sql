-- Email A/B tests decided on opens and clicks, and a blast's results with them (issue 15 item 2,
-- now that 20261129010000_segment_messaging_rules records each email's first open and first
-- click on public.messages.opened_at / clicked_at).
--
--   create_blast's winner.metric also takes 'open_rate' and 'click_rate'. They judge emails, so
--     they need two or more email variants; otherwise invalid_ab_test (P0001), the detail says so.
--   The metric is per channel (private.ab_channel_metric): an email channel is judged by
--     open_rate or click_rate when chosen, else by delivery_rate (emails get no replies); an SMS
--     channel by reply_rate when chosen, else by delivery_rate (Twilio reports no opens or
--     clicks). So a 'both' blast on open_rate picks its email winner by opens and its SMS winner
--     by delivery; each channel's decision names its own metric, and its reason says when the
--     channel fell back.
--   Rates are per message the provider took or refused (as reply and delivery rates were):
--     opened = the first open came by the deadline, clicked = the first click did.
--   public.blast_results(p_blast_id) gains opened and clicked per variant (null for SMS).
--   public.blast_recipient_results(…, p_engagement text default null) gains opened_at and
--     clicked_at per recipient and filters on p_engagement: 'opened', 'clicked' or 'not_opened'
--     (an email recipient without an open; SMS recipients match none of them). Anything else is
--     invalid_argument.
--
-- The dashboard's blast_variant_results view and fold_dashboard stay as they are: the results
-- panel reads blast_results, which counts a blast's own messages through the blast_id index.
--
-- Moved here (reworked): private.insert_blast_ab_test(uuid, jsonb), private.blast_ab_scores(uuid,
-- public.message_channel, timestamptz) and private.decide_ab_channel(public.blast_ab_tests,
-- public.message_channel, timestamptz) from 20261125024010_blast_ab_winner.sql;
-- public.blast_results(uuid) and public.blast_recipient_results(…) from
-- 20261125006010_blast_results.sql.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.blast_ab_tests drop constraint blast_ab_tests_metric_check;
alter table public.blast_ab_tests add constraint blast_ab_tests_metric_check
  check (metric in ('reply_rate', 'delivery_rate', 'open_rate', 'click_rate'));
comment on column public.blast_ab_tests.metric is
  'What picks the winner: reply_rate or delivery_rate (SMS), open_rate or click_rate (email). A channel the metric does not fit is judged by delivery_rate (private.ab_channel_metric).';

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.ab_channel_metric(p_metric text, p_channel public.message_channel) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when p_channel = 'email' and p_metric in ('open_rate', 'click_rate') then p_metric
    when p_channel = 'sms' and p_metric = 'reply_rate' then p_metric
    else 'delivery_rate'
  end
$$;
comment on function private.ab_channel_metric(text, public.message_channel) is
  'The metric that judges one channel of an A/B test: opens and clicks judge emails, replies judge texts, anything else falls back to delivery_rate.';

-- The winner settings of a create_blast spec (null: none).
create function private.insert_blast_ab_test(p_blast_id uuid, p_winner jsonb) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_field text;
begin
  if p_winner is null or p_winner = 'null'::jsonb then
    return;
  end if;
  select string_agg(k, ', ' order by k) into v_field from jsonb_object_keys(p_winner) k
  where k not in ('test_percent', 'min_per_variant', 'decide_after_minutes', 'metric');
  if v_field is not null then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test', detail = 'Unknown fields: ' || v_field;
  end if;
  foreach v_field in array array['test_percent', 'min_per_variant', 'decide_after_minutes'] loop
    if jsonb_typeof(p_winner -> v_field) is distinct from 'number' or (p_winner ->> v_field)::numeric <> floor((p_winner ->> v_field)::numeric) then
      raise exception using errcode = 'P0001', message = 'invalid_ab_test', detail = format('%s must be a whole number.', v_field);
    end if;
  end loop;
  if (p_winner ->> 'test_percent')::numeric not between 1 and 90 then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test', detail = 'The test share is 1 to 90 percent.';
  end if;
  if (p_winner ->> 'min_per_variant')::numeric not between 1 and 100000 then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test', detail = 'The minimum per variant is 1 to 100000.';
  end if;
  if (p_winner ->> 'decide_after_minutes')::numeric not between 1 and 10080 then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test', detail = 'The winner is chosen 1 minute to 7 days after the start.';
  end if;
  if coalesce(p_winner ->> 'metric', '') not in ('reply_rate', 'delivery_rate', 'open_rate', 'click_rate') then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test',
      detail = 'The metric is reply_rate, delivery_rate, open_rate or click_rate.';
  end if;
  if not exists (select 1 from public.blast_variants v where v.blast_id = p_blast_id
                 group by v.channel having count(*) >= 2) then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test', detail = 'A winner needs two or more variants on a channel.';
  end if;
  if p_winner ->> 'metric' in ('open_rate', 'click_rate')
     and (select count(*) from public.blast_variants v where v.blast_id = p_blast_id and v.channel = 'email') < 2 then
    raise exception using errcode = 'P0001', message = 'invalid_ab_test',
      detail = 'Open and click rates judge emails: they need two or more email variants.';
  end if;
  insert into public.blast_ab_tests (blast_id, test_percent, min_per_variant, decide_after_minutes, metric)
  values (p_blast_id, (p_winner ->> 'test_percent')::integer, (p_winner ->> 'min_per_variant')::integer,
          (p_winner ->> 'decide_after_minutes')::integer, p_winner ->> 'metric');
end
$$;
comment on function private.insert_blast_ab_test(uuid, jsonb) is
  'Insert a create_blast spec''s winner settings (invalid_ab_test when malformed, without two variants on a channel, or on opens/clicks without two email variants).';

-- What each variant's test recipients on a channel did by p_now: messages the provider took or
-- refused (attempted), delivered, replied to (the contact texted in after theirs went), opened
-- and clicked (the first open / click came by p_now; texts have neither).
create function private.blast_ab_scores(p_blast_id uuid, p_channel public.message_channel, p_now timestamptz)
returns table (variant text, attempted integer, delivered integer, replied integer, opened integer, clicked integer)
language sql
stable
set search_path = ''
as $$
  select r.variant,
         count(*) filter (where o.outcome in ('sent', 'delivered', 'failed'))::integer,
         count(*) filter (where o.outcome = 'delivered')::integer,
         count(*) filter (where o.outcome in ('sent', 'delivered') and exists (
           select 1 from public.messages i
           where i.contact_id = r.contact_id and i.direction = 'inbound' and i.channel = r.channel
             and i.created_at > coalesce(m.sent_at, m.created_at) and i.created_at <= p_now))::integer,
         count(*) filter (where o.outcome in ('sent', 'delivered') and m.opened_at <= p_now)::integer,
         count(*) filter (where o.outcome in ('sent', 'delivered') and m.clicked_at <= p_now)::integer
  from public.blast_recipients r
  left join public.messages m on m.id = r.message_id
  cross join lateral (select private.blast_recipient_outcome(r.status, m.status) as outcome) o
  where r.blast_id = p_blast_id and r.channel = p_channel and r.status <> 'held'
    and r.variant in (select v.label from public.blast_variants v where v.blast_id = p_blast_id and v.channel = p_channel)
  group by r.variant
$$;
comment on function private.blast_ab_scores(uuid, public.message_channel, timestamptz) is
  'Per variant of a blast''s channel, its test recipients'' messages attempted, delivered, replied to, opened and clicked by p_now.';

-- Choose one channel's winner: the decision (numbers, rates, test weights) and a sentence.
create function private.decide_ab_channel(p_test public.blast_ab_tests, p_channel public.message_channel, p_now timestamptz)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_metric text := private.ab_channel_metric(p_test.metric, p_channel);
  v_scores jsonb;
  v_winner jsonb;
  v_others text;
  v_reason text;
begin
  select jsonb_agg(jsonb_build_object('variant', v.label, 'attempted', x.attempted, 'delivered', x.delivered,
           'replied', x.replied, 'opened', x.opened, 'clicked', x.clicked, 'test_weight', v.weight,
           'hits', x.hits, 'rate', round(x.hits::numeric / nullif(x.attempted, 0), 4))
         order by x.hits::numeric / nullif(x.attempted, 0) desc nulls last, x.attempted desc, v.label)
  into v_scores
  from public.blast_variants v
  left join private.blast_ab_scores(p_test.blast_id, p_channel, p_now) s on s.variant = v.label
  cross join lateral (
    select coalesce(s.attempted, 0) as attempted, coalesce(s.delivered, 0) as delivered,
           coalesce(s.replied, 0) as replied, coalesce(s.opened, 0) as opened, coalesce(s.clicked, 0) as clicked,
           coalesce(case v_metric when 'reply_rate' then s.replied when 'open_rate' then s.opened
                                  when 'click_rate' then s.clicked else s.delivered end, 0) as hits
  ) x
  where v.blast_id = p_test.blast_id and v.channel = p_channel;
  v_winner := v_scores -> 0;
  select string_agg(format('%s %s', x ->> 'variant', private.ab_rate_text(x)), ', ' order by ord)
  into v_others from jsonb_array_elements(v_scores) with ordinality as e(x, ord) where ord > 1;
  v_reason := case
    when (v_winner ->> 'attempted')::integer = 0 then
      format('%s: no test results by the deadline; %s (the first variant) goes to the rest.', upper(p_channel::text), v_winner ->> 'variant')
    else format('%s: %s won on %s with %s, against %s.', upper(p_channel::text), v_winner ->> 'variant',
                replace(v_metric, '_', ' '), private.ab_rate_text(v_winner), v_others)
  end;
  if v_metric <> p_test.metric then
    v_reason := v_reason || case p_channel
      when 'sms' then ' Texts report no opens or clicks, so SMS is judged by delivery rate.'
      else ' Emails get no replies, so email is judged by delivery rate.'
    end;
  end if;
  if (select min((x ->> 'attempted')::integer) from jsonb_array_elements(v_scores) x) < p_test.min_per_variant then
    v_reason := v_reason || format(' Fewer than the minimum of %s %s per variant had gone out.', p_test.min_per_variant,
                                   case p_channel when 'email' then 'emails' else 'texts' end);
  end if;
  return jsonb_build_object('winner', v_winner ->> 'variant', 'metric', v_metric, 'variants', v_scores, 'reason', v_reason);
end
$$;
comment on function private.decide_ab_channel(public.blast_ab_tests, public.message_channel, timestamptz) is
  'The winner of one channel of an A/B blast by its channel''s metric (ties: larger sample, then first label), with numbers and a reason.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.blast_results(p_blast_id uuid)
returns table (
  channel public.message_channel,
  variant text,
  recipients integer,
  to_send integer,
  sent integer,
  delivered integer,
  failed integer,
  skipped integer,
  opted_out integer,
  opened integer,
  clicked integer
)
language plpgsql
stable
set search_path = ''
as $$
begin
  perform private.assert_can_read_blast(p_blast_id);
  return query
  select o.channel, o.variant, count(*)::integer,
         count(*) filter (where o.outcome = 'to_send')::integer,
         -- "sent" as the counters count it: accepted by the provider, whatever came after.
         count(*) filter (where o.outcome in ('sent', 'delivered') or o.message_status = 'undelivered')::integer,
         count(*) filter (where o.outcome = 'delivered')::integer,
         count(*) filter (where o.outcome = 'failed')::integer,
         count(*) filter (where o.outcome = 'skipped')::integer,
         count(*) filter (where o.opted_out)::integer,
         -- Texts have no opens or clicks: null, not a misleading 0.
         case when o.channel = 'email' then count(o.opened_at)::integer end,
         case when o.channel = 'email' then count(o.clicked_at)::integer end
  from (
    select r.channel, r.variant, m.status as message_status, m.opened_at, m.clicked_at,
           private.blast_recipient_outcome(r.status, m.status) as outcome,
           (r.skip_reason = 'opted_out' or m.recipient_opted_out_at is not null) as opted_out
    from public.blast_recipients r
    left join public.messages m on m.id = r.message_id
    where r.blast_id = p_blast_id
  ) o
  group by o.channel, o.variant
  order by o.channel, o.variant nulls first;
end
$$;
comment on function public.blast_results(uuid) is
  'A blast''s results per channel and variant: recipients, to send, sent (accepted), delivered, failed, skipped, opted out, and for email opened and clicked.';
grant execute on function public.blast_results(uuid) to authenticated, service_role;

create function public.blast_recipient_results(
  p_blast_id uuid,
  p_outcome text default null,
  p_variant text default null,
  p_search text default null,
  p_limit integer default 100,
  p_offset integer default 0,
  p_engagement text default null
)
returns table (
  recipient_id bigint,
  contact_id uuid,
  contact_name text,
  channel public.message_channel,
  variant text,
  to_address text,
  outcome text,
  skip_reason text,
  error_code text,
  sent_at timestamptz,
  delivered_at timestamptz,
  opted_out boolean,
  opened_at timestamptz,
  clicked_at timestamptz
)
language plpgsql
stable
set search_path = ''
as $$
begin
  perform private.assert_can_read_blast(p_blast_id);
  if p_outcome is not null and p_outcome not in ('to_send', 'sent', 'delivered', 'failed', 'skipped', 'opted_out') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'outcome is one of to_send, sent, delivered, failed, skipped, opted_out.';
  end if;
  if p_engagement is not null and p_engagement not in ('opened', 'clicked', 'not_opened') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'engagement is one of opened, clicked, not_opened.';
  end if;
  if coalesce(p_limit, 0) not between 1 and 10000 or coalesce(p_offset, -1) < 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'limit is 1 to 10000 and offset at least 0.';
  end if;
  return query
  select o.* from (
    select r.id, r.contact_id, nullif(concat_ws(' ', c.first_name, c.last_name), ''), r.channel, r.variant,
           r.to_address, private.blast_recipient_outcome(r.status, m.status), r.skip_reason, m.error_code,
           m.sent_at, m.delivered_at,
           coalesce(r.skip_reason = 'opted_out' or m.recipient_opted_out_at is not null, false),
           m.opened_at, m.clicked_at
    from public.blast_recipients r
    left join public.messages m on m.id = r.message_id
    left join public.contacts c on c.id = r.contact_id
    where r.blast_id = p_blast_id
      and (p_variant is null or r.variant = p_variant)
      and (p_search is null or r.to_address ilike '%' || p_search || '%'
           or concat_ws(' ', c.first_name, c.last_name) ilike '%' || p_search || '%')
      and (p_engagement is null or r.channel = 'email')
  ) o (recipient_id, contact_id, contact_name, channel, variant, to_address, outcome, skip_reason, error_code,
       sent_at, delivered_at, opted_out, opened_at, clicked_at)
  where (p_outcome is null or (case p_outcome when 'opted_out' then o.opted_out else o.outcome = p_outcome end))
    and (case p_engagement when 'opened' then o.opened_at is not null
                           when 'clicked' then o.clicked_at is not null
                           when 'not_opened' then o.opened_at is null
                           else true end)
  order by o.recipient_id
  limit p_limit offset p_offset;
end
$$;
comment on function public.blast_recipient_results(uuid, text, text, text, integer, integer, text) is
  'A blast''s recipients with their outcome and, for email, first open and click; filterable by outcome (or opted_out), variant, name/address and engagement (opened, clicked, not_opened), in pages (up to 10000 rows for an export).';
grant execute on function public.blast_recipient_results(uuid, text, text, text, integer, integer, text) to authenticated, service_role;
