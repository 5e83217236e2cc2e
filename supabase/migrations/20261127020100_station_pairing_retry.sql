-- A brief network failure to Auth no longer fails a print station's pairing for good (issue 16,
-- item 3).
--
-- The pairing worker used to record any Auth error with record_station_pairing_failed: a
-- connection reset or a 503 while creating the station's login failed the pairing, and the admin
-- had to register the station again. Now a failure that may pass (no answer, a gateway error:
-- supabase-py's AuthRetryableError) is recorded with record_station_pairing_retry, which keeps
-- the pairing leased for a backoff (10 s, doubling per attempt, at most 2 minutes) like the
-- login-lock worker's; the next claim after it tries again, with the same login id and password
-- (20261126060000_station_pairing_recovery). The 15-minute abandonment still bounds the whole
-- pairing, so a Pi never waits longer than before. Auth's refusals still fail it at once.
-- Refusal codes (P0001, message = code): unknown_pairing.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.station_pairings add column attempts integer not null default 0;
comment on column public.station_pairings.attempts is
  'Attempts at creating the station''s login that failed and will be retried (the last one''s reason is in error).';

-- ============================================================================================
-- Public functions: the pairing worker (service_role)
-- ============================================================================================

-- Invoker: only service_role may execute it.
create function public.record_station_pairing_retry(p_pairing_id uuid, p_error text) returns timestamptz
language plpgsql
set search_path = ''
as $$
declare
  v_retry_at timestamptz;
begin
  update public.station_pairings p
     set attempts = p.attempts + 1,
         error = left(coalesce(p_error, 'unknown error'), 500),
         claimed_until = now() + make_interval(secs => least(120, 10 * power(2, least(p.attempts, 6))::integer))
   where p.id = p_pairing_id and p.status = 'pairing'
  returning p.claimed_until into v_retry_at;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_pairing', detail = 'No pairing in progress with this id.';
  end if;
  return v_retry_at;
end
$$;
comment on function public.record_station_pairing_retry(uuid, text) is
  'Pairing worker (service_role): creating the station''s login failed in a way that may pass (network, gateway); record why and claim it again after 10 s, doubling per attempt up to 2 minutes. Returns when. Errors: unknown_pairing.';
revoke execute on function public.record_station_pairing_retry(uuid, text) from public, anon, authenticated;
grant execute on function public.record_station_pairing_retry(uuid, text) to service_role;
