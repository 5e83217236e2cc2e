-- An attendee asks, from their own page, for their data to be deleted. The request is filed in
-- gdpr_requests (kind erase, completed_at null = waiting); an admin carries it out with
-- public.gdpr_erase. Refusal codes (P0001, message = code): not_allowed.

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Attendees can read their own GDPR requests" on public.gdpr_requests
  for select to authenticated using (contact_id = (select private.current_contact_id()));

create index gdpr_requests_open_erase_idx on public.gdpr_requests (contact_id)
  where kind = 'erase' and completed_at is null;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: attendees have no insert right on gdpr_requests (the table is the record of
-- what admins did); this files exactly one open erase request for the caller's own contact.
create function public.request_my_erasure(p_note text default null) returns timestamptz
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_contact_id uuid := private.current_contact_id();
  v_requested_at timestamptz;
begin
  if v_contact_id is null then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Sign in with your phone to ask for your data to be deleted.';
  end if;
  -- One open request per person: asking twice is not two requests.
  perform pg_advisory_xact_lock(hashtext('request_my_erasure'), hashtext(v_contact_id::text));
  select r.requested_at into v_requested_at from public.gdpr_requests r
   where r.contact_id = v_contact_id and r.kind = 'erase' and r.completed_at is null;
  if v_requested_at is null then
    insert into public.gdpr_requests (contact_id, kind, requested_by, note)
    values (v_contact_id, 'erase', (select auth.uid()),
            coalesce(nullif(btrim(left(p_note, 500)), ''), 'Requested by the person on their own page.'))
    returning requested_at into v_requested_at;
  end if;
  return v_requested_at;
end
$$;
comment on function public.request_my_erasure(text) is
  'Attendee: file a request to delete all their data (one open request at a time; admins erase with gdpr_erase). Returns when it was requested. Errors: not_allowed.';
grant execute on function public.request_my_erasure(text) to authenticated, service_role;
