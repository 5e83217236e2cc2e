-- Admins read stored webhooks already (RLS, 270_webhooks); this lets them see the backlog at a
-- glance and replay a failed or deferred event from the app, without the service role.
-- Refusal codes: not_allowed, unknown_webhook_event.

-- ============================================================================================
-- Indexes
-- ============================================================================================

-- The viewer lists failed/deferred events newest first; the audit viewer filters by table.
create index webhook_events_status_received_idx on public.webhook_events (status, received_at desc);
create index audit_log_table_occurred_idx on public.audit_log (table_name, occurred_at desc);

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- Invoker: RLS decides what is counted (admins everything, anyone else nothing).
create function public.webhook_event_counts()
returns table (provider public.message_provider, status text, events bigint, oldest_received_at timestamptz)
language sql
stable
set search_path = ''
as $$
  select w.provider, w.status, count(*), min(w.received_at)
    from public.webhook_events w
   group by w.provider, w.status
   order by w.provider, w.status
$$;
comment on function public.webhook_event_counts() is
  'Stored webhooks by provider and state, with the oldest of each (admins; others see none).';
grant execute on function public.webhook_event_counts() to authenticated, service_role;

-- SECURITY DEFINER: replaying runs the handlers, which write messages, consent and counters as
-- the owner (like replay_webhook_event for workers); it checks the caller is an admin first and
-- audits the replay.
create function public.admin_replay_webhook_event(p_event_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before text;
  v_result jsonb;
begin
  if not private.has_staff_level('admin') then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Admins only.';
  end if;
  select status into v_before from public.webhook_events where id = p_event_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_webhook_event';
  end if;
  v_result := private.process_webhook_event(p_event_id, true);
  perform private.audit('webhook_replay', 'webhook_events', p_event_id::text,
    jsonb_build_object('status', v_before),
    (select jsonb_build_object('status', w.status, 'last_error', w.last_error)
       from public.webhook_events w where w.id = p_event_id));
  return v_result;
end
$$;
comment on function public.admin_replay_webhook_event(uuid) is
  'Admins: process a stored webhook again from the app (handlers are idempotent); audited. Errors: not_allowed, unknown_webhook_event.';
grant execute on function public.admin_replay_webhook_event(uuid) to authenticated;
