-- Audit log: who changed what, when, with the row before and after. Written by triggers on the
-- tables staff act on (contacts, staff, events, …; Data model II attaches the same trigger to
-- its settings tables) and by functions for actions that are not a row change (reprint, merge,
-- GDPR). Readable by admins and owners only.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_role text,
  action text not null,
  table_name text,
  record_id text,
  before jsonb,
  after jsonb,
  detail jsonb
);
comment on table public.audit_log is
  'Staff actions: row changes on audited tables and explicit actions (reprint, merge, gdpr_erase).';
comment on column public.audit_log.actor_id is 'auth.uid() of the caller; null for operators and migrations.';
comment on column public.audit_log.actor_role is 'The API role: authenticated, service_role, or null (database owner).';
comment on column public.audit_log.action is 'insert / update / delete for row changes, or a named action.';
comment on column public.audit_log.record_id is 'Primary key of the changed row, as text.';

create index audit_log_table_record_idx on public.audit_log (table_name, record_id);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at);
create index audit_log_actor_id_idx on public.audit_log (actor_id);

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================

revoke all on table public.audit_log from anon, authenticated, service_role;
grant select on table public.audit_log to authenticated;
grant select on table public.audit_log to service_role;

alter table public.audit_log enable row level security;

create policy "Admins can read the audit log" on public.audit_log
  for select to authenticated
  using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Writers
-- ============================================================================================

-- SECURITY DEFINER: nobody may insert into audit_log directly (not even service_role), so the
-- log is written only by these two functions, which record the real caller from the JWT.
create function private.audit(
  p_action text,
  p_table_name text,
  p_record_id text,
  p_before jsonb default null,
  p_after jsonb default null,
  p_detail jsonb default null
) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.audit_log (actor_id, actor_role, action, table_name, record_id, before, after, detail)
  values ((select auth.uid()), (select auth.role()), p_action, p_table_name, p_record_id,
          p_before, p_after, p_detail)
$$;
comment on function private.audit(text, text, text, jsonb, jsonb, jsonb) is
  'Append one audit entry attributed to the current caller.';
grant execute on function private.audit(text, text, text, jsonb, jsonb, jsonb) to authenticated, service_role;

-- SECURITY DEFINER: fires for staff whose role cannot insert into audit_log.
create function private.audit_row_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_after jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
begin
  if tg_op = 'UPDATE' and v_before = v_after then
    return null;
  end if;
  perform private.audit(lower(tg_op), tg_table_name,
    coalesce(v_after, v_before) ->> coalesce(tg_argv[0], 'id'), v_before, v_after);
  return null;
end
$$;
comment on function private.audit_row_change() is
  'AFTER trigger: log the change with before/after rows. Argument: the key column (default id).';

create trigger staff_audit after insert or update or delete on public.staff
  for each row execute function private.audit_row_change('user_id');
create trigger contacts_audit after insert or update or delete on public.contacts
  for each row execute function private.audit_row_change();
