-- Print job kinds: a job says what it is (a name tag today; a receipt or a volunteer badge later),
-- and a station claims only the kinds its agent can render.
--
-- An old Pi in the field renders every job it claims as a name tag. So the claim it calls,
-- claim_print_jobs(p_limit, p_lease_seconds), keeps its signature and now hands out name tags
-- only; agents that know more kinds call claim_print_jobs_v2(p_kinds, …) and list them.
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument.
--
-- public.claim_print_jobs is defined here (it was in …000200_printing).

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.print_jobs
  add column kind text not null default 'name_tag'
    constraint print_jobs_kind_is_a_name check (kind ~ '^[a-z][a-z0-9_]{0,39}$');
comment on column public.print_jobs.kind is
  'What the job prints (name_tag, …): a station claims only kinds its agent can render (claim_print_jobs_v2).';

-- ============================================================================================
-- Grants
-- ============================================================================================

-- print_jobs is readable column by column (the payload is not); the kind is not private.
grant select (kind) on table public.print_jobs to authenticated;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: devices have no UPDATE grant on print_jobs; the function checks the caller is
-- a device and claims only that device's jobs.
create function public.claim_print_jobs_v2(
  p_kinds text[],
  p_limit integer default 10,
  p_lease_seconds integer default 60
) returns setof public.print_jobs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_device_id uuid := private.require_device();
begin
  if p_kinds is null or cardinality(p_kinds) = 0 or array_position(p_kinds, null) is not null then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_kinds lists the kinds of job this agent can render, e.g. {name_tag}.';
  end if;
  if p_limit is null or p_lease_seconds is null or p_limit < 1 or p_lease_seconds < 1 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_limit and p_lease_seconds must be positive.';
  end if;
  perform private.expire_print_job_leases(v_device_id);
  return query
  update public.print_jobs j
     set status = 'claimed',
         attempts = j.attempts + 1,
         claimed_at = now(),
         lease_expires_at = now() + make_interval(secs => p_lease_seconds)
   where j.id in (
     select q.id from public.print_jobs q
      where q.device_id = v_device_id and q.status = 'queued' and q.kind = any (p_kinds)
      order by q.created_at
      limit p_limit
      for update skip locked)
  returning j.*;
end
$$;
comment on function public.claim_print_jobs_v2(text[], integer, integer) is
  'Device only: sweep this device''s expired leases, then claim its queued jobs of the kinds listed, oldest first (skip locked). Jobs of other kinds stay queued for a station that renders them. Errors: not_allowed, invalid_argument.';
grant execute on function public.claim_print_jobs_v2(text[], integer, integer) to authenticated;

-- Not a definer: it only narrows v2 (which checks the caller) to the one kind old agents render.
create function public.claim_print_jobs(p_limit integer default 10, p_lease_seconds integer default 60)
returns setof public.print_jobs
language sql
set search_path = ''
as $$
  select * from public.claim_print_jobs_v2(array['name_tag'], p_limit, p_lease_seconds)
$$;
comment on function public.claim_print_jobs(integer, integer) is
  'Device only, for agents that predate job kinds: claim_print_jobs_v2 for name tags only, so an old Pi never prints another kind as a tag.';
grant execute on function public.claim_print_jobs(integer, integer) to authenticated;
