-- Printing: print stations and print jobs, per the printing contract the Pi agent codes against.
--
-- A device is an auth user tied to a devices row. It sees only its own jobs and moves them with:
--   claim_print_jobs(p_limit, p_lease_seconds)   queued  -> claimed (lease)
--   start_print_job(p_job_id)                    claimed -> printing (about to hand to CUPS)
--   finish_print_job(p_job_id, p_outcome, …)     claimed|printing|unknown -> printed|failed,
--                                                claimed -> queued ('requeue')
--   device_heartbeat(p_printer_state, …)
-- A claim whose lease expires goes back to the queue; a job that expires while 'printing' becomes
-- 'unknown' and is never printed again automatically (a person reprints: a new job, reprint_of).
-- The foreign keys to events and check-ins are added by the check-in area, which owns those tables.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.devices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique references auth.users (id) on delete cascade,
  name text not null unique,
  venue text,
  cups_queue text,
  last_seen_at timestamptz,
  printer_state text,
  printer_state_reason text,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
comment on table public.devices is 'Print stations (a Raspberry Pi with a label printer), each its own auth user.';
comment on column public.devices.user_id is 'The device''s auth user; the Pi agent signs in as it.';
comment on column public.devices.cups_queue is 'CUPS queue name on the Pi, e.g. Label.';
comment on column public.devices.printer_state is 'Last reported CUPS printer state (idle, processing, stopped, …).';
comment on column public.devices.disabled_at is 'Set to retire a device; it can then claim nothing.';

create table public.print_jobs (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null,
  check_in_id uuid,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  device_id uuid references public.devices (id) on delete set null,
  payload jsonb not null,
  status text not null default 'queued'
    check (status in ('queued', 'claimed', 'printing', 'printed', 'failed', 'unknown')),
  attempts integer not null default 0,
  error text,
  cups_job_id integer,
  claimed_at timestamptz,
  lease_expires_at timestamptz,
  printed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  reprint_of uuid references public.print_jobs (id) on delete set null,
  requested_by uuid references auth.users (id) on delete set null
);
comment on table public.print_jobs is
  'Name tags to print. Status: queued -> claimed -> printing -> printed | failed | unknown.';
comment on column public.print_jobs.device_id is 'The station that prints it; null = no station assigned yet.';
comment on column public.print_jobs.payload is
  'Label data denormalised at enqueue time: first_name, last_name, display_name, pronouns, company, title, event_name, qr_token, layout.';
comment on column public.print_jobs.status is
  'unknown = the device crashed or lost its lease while printing; a person decides whether to reprint.';
comment on column public.print_jobs.lease_expires_at is 'A claimed/printing job whose lease passes is swept back to queued/unknown.';
comment on column public.print_jobs.reprint_of is 'The job this one reprints (reprints are audited).';
comment on column public.print_jobs.requested_by is 'The auth user whose action created the job.';

create index print_jobs_device_status_created_idx on public.print_jobs (device_id, status, created_at);
create index print_jobs_lease_idx on public.print_jobs (lease_expires_at) where status in ('claimed', 'printing');
create index print_jobs_event_id_idx on public.print_jobs (event_id);
create index print_jobs_check_in_id_idx on public.print_jobs (check_in_id);
create index print_jobs_contact_id_idx on public.print_jobs (contact_id);
create index print_jobs_reprint_of_idx on public.print_jobs (reprint_of);
create index print_jobs_requested_by_idx on public.print_jobs (requested_by);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.devices, public.print_jobs from anon, authenticated;
grant select, insert, update, delete on table public.devices to authenticated;
grant select on table public.print_jobs to authenticated;
grant all on table public.devices, public.print_jobs to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger print_jobs_touch_updated_at before update on public.print_jobs
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.devices enable row level security;
alter table public.print_jobs enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- SECURITY DEFINER: policies on print_jobs ask for the caller's device; reading devices under its
-- own RLS from there would add a policy evaluation per row. Reveals only the caller's device id.
create function private.current_device_id() returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select d.id from public.devices d where d.user_id = (select auth.uid()) and d.disabled_at is null
$$;
comment on function private.current_device_id() is 'The caller''s enabled device id (print station), or null.';
grant execute on function private.current_device_id() to authenticated;

create function private.require_device() returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_device_id uuid := private.current_device_id();
begin
  if v_device_id is null then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only an enabled print station may do this.';
  end if;
  return v_device_id;
end
$$;
comment on function private.require_device() is 'The caller''s device id, or raise not_allowed.';
grant execute on function private.require_device() to authenticated;

-- Sweep expired leases (of one device, or all when p_device_id is null).
create function private.expire_print_job_leases(p_device_id uuid) returns integer
language sql
set search_path = ''
as $$
  with expired as (
    update public.print_jobs j
       set status = case j.status when 'claimed' then 'queued' else 'unknown' end,
           lease_expires_at = null,
           error = case j.status when 'printing'
                     then 'Lease expired while printing: outcome unknown, reprint by hand if needed.'
                     else j.error end
     where j.status in ('claimed', 'printing')
       and j.lease_expires_at < now()
       and (p_device_id is null or j.device_id = p_device_id)
    returning 1
  )
  select count(*)::integer from expired
$$;
comment on function private.expire_print_job_leases(uuid) is
  'claimed + expired lease -> queued; printing + expired lease -> unknown. Returns rows changed.';
grant execute on function private.expire_print_job_leases(uuid) to service_role;

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Devices can read their own device row" on public.devices
  for select to authenticated using (user_id = (select auth.uid()));

create policy "Volunteers can read devices" on public.devices
  for select to authenticated using ((select private.has_staff_level('volunteer')));

create policy "Admins can add devices" on public.devices
  for insert to authenticated with check ((select private.has_staff_level('admin')));

create policy "Admins can update devices" on public.devices
  for update to authenticated
  using ((select private.has_staff_level('admin')))
  with check ((select private.has_staff_level('admin')));

create policy "Admins can delete devices" on public.devices
  for delete to authenticated using ((select private.has_staff_level('admin')));

-- Jobs change only through the functions below (the state machine lives there).
create policy "Devices can read their own print jobs" on public.print_jobs
  for select to authenticated using (device_id = (select private.current_device_id()));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.claim_print_jobs moved to 20261125013000_print_job_kinds.sql (it claims name tags only).

-- SECURITY DEFINER: devices have no UPDATE grant on print_jobs; each function checks the caller
-- is a device and touches only that device's jobs.
create function public.start_print_job(p_job_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_device_id uuid := private.require_device();
  v_job public.print_jobs;
begin
  select * into v_job from public.print_jobs where id = p_job_id and device_id = v_device_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_job', detail = 'No such job for this device.';
  end if;
  if v_job.status = 'printing' then
    return;
  end if;
  if v_job.status <> 'claimed' then
    raise exception using errcode = 'P0001', message = 'lease_lost',
      detail = format('Job is %s, not claimed: do not print it.', v_job.status);
  end if;
  update public.print_jobs
     set status = 'printing',
         lease_expires_at = greatest(lease_expires_at, now() + interval '120 seconds')
   where id = p_job_id;
end
$$;
comment on function public.start_print_job(uuid) is
  'Device only: claimed -> printing just before handing the job to CUPS. Errors: unknown_job, lease_lost.';
grant execute on function public.start_print_job(uuid) to authenticated;

-- SECURITY DEFINER: see start_print_job.
create function public.finish_print_job(
  p_job_id uuid,
  p_outcome text,
  p_cups_job_id integer default null,
  p_error text default null
) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_device_id uuid := private.require_device();
  v_job public.print_jobs;
begin
  if p_outcome not in ('printed', 'failed', 'requeue') then
    raise exception using errcode = 'P0001', message = 'invalid_outcome',
      detail = 'Outcome is printed, failed or requeue.';
  end if;
  select * into v_job from public.print_jobs where id = p_job_id and device_id = v_device_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_job', detail = 'No such job for this device.';
  end if;
  if v_job.status = p_outcome then
    return;
  end if;
  if p_outcome = 'requeue' then
    if v_job.status = 'queued' then
      return;
    end if;
    if v_job.status <> 'claimed' then
      raise exception using errcode = 'P0001', message = 'invalid_transition',
        detail = format('Only a claimed job can be requeued; this one is %s.', v_job.status);
    end if;
    update public.print_jobs
       set status = 'queued', lease_expires_at = null, claimed_at = null, error = p_error
     where id = p_job_id;
    return;
  end if;
  -- 'unknown' accepts a late report: the device did learn the outcome after all.
  if v_job.status not in ('claimed', 'printing', 'unknown') then
    raise exception using errcode = 'P0001', message = 'invalid_transition',
      detail = format('Job is already %s.', v_job.status);
  end if;
  update public.print_jobs
     set status = p_outcome,
         cups_job_id = coalesce(p_cups_job_id, cups_job_id),
         error = case when p_outcome = 'failed' then p_error end,
         printed_at = case when p_outcome = 'printed' then now() end,
         lease_expires_at = null
   where id = p_job_id;
end
$$;
comment on function public.finish_print_job(uuid, text, integer, text) is
  'Device only: record printed/failed (from claimed, printing or unknown) or requeue (from claimed). Idempotent for the same outcome. Errors: invalid_outcome, unknown_job, invalid_transition.';
grant execute on function public.finish_print_job(uuid, text, integer, text) to authenticated;

-- SECURITY DEFINER: devices cannot update their devices row directly.
create function public.device_heartbeat(p_printer_state text, p_printer_state_reason text default null)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_device_id uuid := private.require_device();
begin
  update public.devices
     set last_seen_at = now(), printer_state = p_printer_state, printer_state_reason = p_printer_state_reason
   where id = v_device_id;
end
$$;
comment on function public.device_heartbeat(text, text) is
  'Device only: record that the station is alive and its printer state.';
grant execute on function public.device_heartbeat(text, text) to authenticated;

create function public.expire_print_job_leases() returns integer
language sql
set search_path = ''
as $$
  select private.expire_print_job_leases(null)
$$;
comment on function public.expire_print_job_leases() is
  'Service role: sweep every device''s expired leases (claimed -> queued, printing -> unknown).';
grant execute on function public.expire_print_job_leases() to service_role;

-- ============================================================================================
-- Realtime
-- ============================================================================================

-- The Pi agent listens for inserted/updated jobs.
select private.add_to_realtime_publication('public.print_jobs');
