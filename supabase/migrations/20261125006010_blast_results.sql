-- A blast's results for its screen (issue 15, item 2): per channel and variant, and per
-- recipient (filterable, pageable, exportable), read from the snapshot and the messages it
-- became.
--
--   public.blast_results(p_blast_id uuid) -> setof (channel, variant, recipients, to_send, sent,
--     delivered, failed, skipped, opted_out)
--   public.blast_recipient_results(p_blast_id uuid, p_outcome text, p_variant text, p_search text,
--     p_limit integer, p_offset integer) -> setof (recipient_id, contact_id, contact_name, channel,
--     variant, to_address, outcome, skip_reason, error_code, sent_at, delivered_at, opted_out)
--   Refusals (P0001): not_allowed (below organizer), blast_not_found, invalid_argument (an
--   unknown outcome, or a limit outside 1..10000).
--
-- One outcome per recipient, counted as the blast's counters count messages
-- (private.messages_count_for_blast): to_send (not claimed yet, or queued/sending), sent
-- (accepted by the provider, no receipt yet), delivered, failed (failed or undelivered), skipped
-- (opted out, suppressed or cancelled before sending). opted_out marks a recipient who opted out
-- because of this blast (a STOP reply) or before it reached them.
--
-- Invoker rights: organizers read blast_recipients and messages under their own RLS.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.blast_recipient_outcome moved to 20261125024010_blast_ab_winner.sql (held recipients).

create function private.assert_can_read_blast(p_blast_id uuid) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if (select auth.role()) is distinct from 'service_role' and not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only organizers, admins and owners read blast results.';
  end if;
  if not exists (select 1 from public.blasts b where b.id = p_blast_id) then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
end
$$;
comment on function private.assert_can_read_blast(uuid) is
  'Raise not_allowed below organizer (service role excepted) and blast_not_found for a blast the caller cannot see.';
grant execute on function private.assert_can_read_blast(uuid) to authenticated, service_role;

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
  opted_out integer
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
         count(*) filter (where o.opted_out)::integer
  from (
    select r.channel, r.variant, m.status as message_status,
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
  'A blast''s results per channel and variant: recipients, to send, sent (accepted), delivered, failed, skipped, opted out.';
grant execute on function public.blast_results(uuid) to authenticated, service_role;

create function public.blast_recipient_results(
  p_blast_id uuid,
  p_outcome text default null,
  p_variant text default null,
  p_search text default null,
  p_limit integer default 100,
  p_offset integer default 0
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
  opted_out boolean
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
  if coalesce(p_limit, 0) not between 1 and 10000 or coalesce(p_offset, -1) < 0 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'limit is 1 to 10000 and offset at least 0.';
  end if;
  return query
  select o.* from (
    select r.id, r.contact_id, nullif(concat_ws(' ', c.first_name, c.last_name), ''), r.channel, r.variant,
           r.to_address, private.blast_recipient_outcome(r.status, m.status), r.skip_reason, m.error_code,
           m.sent_at, m.delivered_at,
           coalesce(r.skip_reason = 'opted_out' or m.recipient_opted_out_at is not null, false)
    from public.blast_recipients r
    left join public.messages m on m.id = r.message_id
    left join public.contacts c on c.id = r.contact_id
    where r.blast_id = p_blast_id
      and (p_variant is null or r.variant = p_variant)
      and (p_search is null or r.to_address ilike '%' || p_search || '%'
           or concat_ws(' ', c.first_name, c.last_name) ilike '%' || p_search || '%')
  ) o (recipient_id, contact_id, contact_name, channel, variant, to_address, outcome, skip_reason, error_code,
       sent_at, delivered_at, opted_out)
  where p_outcome is null or (case p_outcome when 'opted_out' then o.opted_out else o.outcome = p_outcome end)
  order by o.recipient_id
  limit p_limit offset p_offset;
end
$$;
comment on function public.blast_recipient_results(uuid, text, text, text, integer, integer) is
  'A blast''s recipients with their outcome, filterable by outcome (or opted_out), variant and name/address, in pages (up to 10000 rows for an export).';
grant execute on function public.blast_recipient_results(uuid, text, text, text, integer, integer) to authenticated, service_role;
