-- GDPR erase that completes. Erasing has two halves: the rows (anonymised in one transaction by
-- private.erase_contact_rows) and what lives outside the database — the person's Storage
-- objects (avatars, interaction attachments, MMS media they sent) and their Auth login — which
-- only the Storage and Auth APIs may delete (hosted Storage refuses SQL deletes from
-- storage.objects). Every erase is a row of gdpr_requests (kind erase) that stays open until a
-- worker (the service role lives only in workers) has deleted those too:
--
--   admin: gdpr_erase()          → rows anonymised now, request open with what is left to delete
--   attendee: request_my_erasure → request open; the worker's claim anonymises the rows first
--   worker: claim_erasure_requests (lease, skip locked) → delete files and login →
--           record_erasure_done, or record_erasure_failed (retried with backoff, never given up)
--
-- Each step is idempotent: deleting a deleted file or login is a no-op for the worker, and a
-- worker that dies mid-way leaves a lease that runs out, so the next claim finishes the job.
-- Refusal codes (P0001, message = code): not_allowed, unknown_contact, unknown_erasure.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.gdpr_requests
  add column storage_objects text[] not null default '{}',
  add column storage_prefixes text[] not null default '{}',
  add column auth_user_id uuid,
  add column rows_erased_at timestamptz,
  add column attempts integer not null default 0,
  add column claimed_until timestamptz,
  add column next_attempt_at timestamptz not null default now(),
  add column last_error text;
comment on column public.gdpr_requests.storage_objects is
  'Erase: Storage objects ("bucket/path") the worker deletes through the Storage API.';
comment on column public.gdpr_requests.storage_prefixes is
  'Erase: Storage folders ("bucket/folder/") the worker empties, for files no row points at any more.';
comment on column public.gdpr_requests.auth_user_id is
  'Erase: the login the worker deletes through the Auth admin API (no foreign key: it is deleted).';
comment on column public.gdpr_requests.rows_erased_at is
  'Erase: when the database rows were anonymised; completed_at is when files and login were gone too.';
comment on column public.gdpr_requests.last_error is
  'Erase: why the last worker attempt failed (it is retried at next_attempt_at).';

-- The worker's claim reads open erase requests by due time.
create index gdpr_requests_due_erase_idx on public.gdpr_requests (next_attempt_at)
  where kind = 'erase' and completed_at is null;

-- ============================================================================================
-- Realtime publication
-- ============================================================================================

-- The contact page follows an erase's progress live (RLS still limits rows to admins).
select private.add_to_realtime_publication('public.gdpr_requests');

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.erase_contact_rows moved to 20261125020100_erasure_mms_and_staff.sql (MMS copies in message-media).

-- Record the database half on an open request.
create function private.note_rows_erased(p_request_id uuid, p_left jsonb) returns void
language sql
set search_path = ''
as $$
  update public.gdpr_requests
     set rows_erased_at = now(),
         storage_objects = coalesce(array(select jsonb_array_elements_text(p_left -> 'storage_objects')), '{}'),
         storage_prefixes = coalesce(array(select jsonb_array_elements_text(p_left -> 'storage_prefixes')), '{}'),
         auth_user_id = (p_left ->> 'auth_user_id')::uuid
   where id = p_request_id
$$;
comment on function private.note_rows_erased(uuid, jsonb) is
  'Mark an erase request''s rows as anonymised, with the files and login the worker must still delete.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.gdpr_erase moved to 20261125020100_erasure_mms_and_staff.sql (refuses to erase a staff member).

-- public.claim_erasure_requests moved to 20261125020100_erasure_mms_and_staff.sql (holds back a staff member's request).

-- Files and login are gone: the erase is complete.
create function public.record_erasure_done(p_id uuid) returns public.gdpr_requests
language plpgsql
set search_path = ''
as $$
declare
  v_row public.gdpr_requests;
begin
  update public.gdpr_requests
     set completed_at = now(), claimed_until = null, last_error = null
   where id = p_id and kind = 'erase' and completed_at is null and rows_erased_at is not null
  returning * into v_row;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_erasure',
      detail = 'No open erase request with this id.';
  end if;
  perform private.audit('gdpr_erase_completed', 'gdpr_requests', p_id::text, null, null,
                        jsonb_build_object('contact_id', v_row.contact_id, 'attempts', v_row.attempts,
                                           'storage_objects', cardinality(v_row.storage_objects)));
  return v_row;
end
$$;
comment on function public.record_erasure_done(uuid) is
  'Erasure worker: the Storage objects and the login are deleted; completes the request (audited). Errors: unknown_erasure.';
grant execute on function public.record_erasure_done(uuid) to service_role;

-- An attempt failed (Storage or Auth unreachable, a 5xx): try again later, with a backoff that
-- doubles up to ten minutes. An erase is never given up: the admin sees the reason meanwhile.
create function public.record_erasure_failed(p_id uuid, p_error text) returns public.gdpr_requests
language plpgsql
set search_path = ''
as $$
declare
  v_row public.gdpr_requests;
begin
  update public.gdpr_requests
     set claimed_until = null, last_error = left(coalesce(p_error, 'unknown error'), 500),
         next_attempt_at = now() + make_interval(secs => least(600, power(2, least(attempts, 10)))::integer)
   where id = p_id and kind = 'erase' and completed_at is null
  returning * into v_row;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_erasure',
      detail = 'No open erase request with this id.';
  end if;
  return v_row;
end
$$;
comment on function public.record_erasure_failed(uuid, text) is
  'Erasure worker: an attempt failed; retried after a backoff (2^attempts s, at most 10 min). Errors: unknown_erasure.';
grant execute on function public.record_erasure_failed(uuid, text) to service_role;
