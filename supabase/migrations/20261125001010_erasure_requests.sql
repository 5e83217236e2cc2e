-- An attendee asks, from their own page, for their data to be deleted. The request is filed in
-- gdpr_requests (kind erase, completed_at null = waiting); an admin carries it out with
-- public.gdpr_erase. gdpr_requests stays readable by admins only; the attendee learns about their
-- own open request through my_erasure_request(). Refusal codes (P0001, message = code):
-- not_allowed.

-- ============================================================================================
-- Indexes
-- ============================================================================================

create index gdpr_requests_open_erase_idx on public.gdpr_requests (contact_id)
  where kind = 'erase' and completed_at is null;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.request_my_erasure moved to 20261125020100_erasure_mms_and_staff.sql (refuses staff members).

-- SECURITY DEFINER: attendees cannot read gdpr_requests (admins' record); this reveals only
-- whether the caller's own contact has an open erase request, and since when.
create function public.my_erasure_request() returns timestamptz
language sql
stable
security definer
set search_path = ''
as $$
  select r.requested_at from public.gdpr_requests r
   where r.contact_id = private.current_contact_id() and r.kind = 'erase' and r.completed_at is null
$$;
comment on function public.my_erasure_request() is
  'Attendee: when they asked for their data to be deleted, if that request is still open (else null).';
grant execute on function public.my_erasure_request() to authenticated, service_role;
