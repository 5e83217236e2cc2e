-- GDPR erase, two gaps closed:
--
-- 1. MMS copies. The inbound-media worker copies a picture someone texted us into the
--    message-media bucket (message-media/inbound/<message id>/<n>.<ext>) and swaps the message's
--    provider URL for that key. The erase named only Storage URLs, so the copies survived. Now it
--    names each key, and each of the person's inbound media messages' folder too, so a copy made
--    but not yet recorded on the message (a worker that died between upload and record) goes as
--    well. Replies we sent (message-media/outbound/…) are the organisation's files and stay.
--
-- 2. Staff members. Erasing a contact deletes their Auth login; if that login is a staff
--    member's, the erase would silently remove a colleague's access (possibly the last owner's,
--    bypassing disable_staff's guards) as a side effect of a privacy request. A careful product
--    makes that a separate, deliberate step: while the person's staff access is active or invited
--    the erase is refused with contact_is_staff; an admin disables the access first
--    (disable_staff, with its last-owner guard and its audit entry), then erases. The attendee's
--    own request is refused the same way; one filed before the person became staff is held back
--    by the worker's claim (last_error says why) until their access is disabled.
--
-- Moved here (defined once): private.erase_contact_rows, public.gdpr_erase and
-- public.claim_erasure_requests (from 20261125009000_gdpr_erasure.sql), public.request_my_erasure (from
-- 20261125001010_erasure_requests.sql).
-- Refusal codes (P0001, message = code): not_allowed, unknown_contact, contact_is_staff.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.contact_is_staff(p_contact_id uuid) returns boolean
language sql
stable
set search_path = ''
as $$
  select exists (select 1 from public.contacts c join public.staff s on s.user_id = c.user_id
                  where c.id = p_contact_id and s.status <> 'disabled')
$$;
comment on function private.contact_is_staff(uuid) is
  'Whether the contact''s login is an active or invited staff member''s (erasing would delete that login).';

create function private.refuse_erasing_staff(p_contact_id uuid) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if private.contact_is_staff(p_contact_id) then
    raise exception using errcode = 'P0001', message = 'contact_is_staff',
      detail = 'This person signs in as staff: disable their staff access first, then erase.';
  end if;
end
$$;
comment on function private.refuse_erasing_staff(uuid) is
  'Raise contact_is_staff when private.contact_is_staff(p_contact_id).';

-- Anonymise a contact's rows and say what is left outside the database. Returns null when the
-- contact is already erased (its first erase recorded the files and login).
create function private.erase_contact_rows(p_contact_id uuid) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_files text[];
  v_media_folders text[];
begin
  select * into v_contact from public.contacts where id = p_contact_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  if v_contact.erased_at is not null then
    return null;
  end if;
  -- Collected before the rows that point at them are blanked. MMS media only when the person
  -- sent them to us and they sit in our Storage (outbound media are the organisation's files).
  select coalesce(array_agg(distinct f.object), '{}') into v_files from (
    select 'attachments/' || (a ->> 'path') as object
      from public.interactions i, jsonb_array_elements(i.attachments) a
     where i.contact_id = p_contact_id and a ? 'path'
    union all
    select 'avatars/' || p.avatar_path from public.profiles p
     where p.contact_id = p_contact_id and p.avatar_path is not null
    union all
    select case when u ~ '^message-media/' then u
                else substring(u from '/storage/v1/object/(?:public/|sign/|authenticated/)?([^?]+)') end
      from public.messages m, unnest(m.media_urls) u
     where m.contact_id = p_contact_id and m.direction = 'inbound'
       and (u ~ '^message-media/' or u ~ '/storage/v1/object/')) f
   where f.object is not null;
  -- The folder of every inbound picture message: a copy uploaded but not yet recorded on the
  -- message is named by no row.
  select coalesce(array_agg('message-media/inbound/' || m.id || '/' order by m.id), '{}') into v_media_folders
    from public.messages m
   where m.contact_id = p_contact_id and m.direction = 'inbound' and cardinality(m.media_urls) > 0;

  -- The audit trail keeps that changes happened, not the personal data they contained.
  update public.audit_log set before = null, after = null, detail = jsonb_build_object('erased', true)
   where (table_name = 'contacts' and record_id = p_contact_id::text)
      or (table_name = 'interactions'
          and record_id in (select i.id::text from public.interactions i where i.contact_id = p_contact_id));
  delete from public.profiles where contact_id = p_contact_id;
  update public.interactions set body = '[erased]', attachments = '[]' where contact_id = p_contact_id;
  update public.print_jobs
     set payload = jsonb_build_object('first_name', 'Erased', 'last_name', null, 'display_name', 'Erased',
                                      'pronouns', null, 'company', null, 'title', null,
                                      'event_name', payload ->> 'event_name', 'qr_token', null,
                                      'layout', payload ->> 'layout')
   where contact_id = p_contact_id;
  perform private.gdpr_erase_extra(p_contact_id);
  update public.contacts
     set user_id = null, phone = null, email = null, first_name = null, last_name = null, pronouns = null,
         company = null, title = null, tags = '{}', custom_fields = '{}', time_zone = null,
         birthday_month = null, birthday_day = null, birthday_year = null,
         qr_token = private.new_qr_token(), erased_at = now()
   where id = p_contact_id;
  -- The row updates above were audited with their old values: blank those entries too.
  update public.audit_log set before = null, after = null, detail = jsonb_build_object('erased', true)
   where (table_name = 'contacts' and record_id = p_contact_id::text)
      or (table_name = 'interactions'
          and record_id in (select i.id::text from public.interactions i where i.contact_id = p_contact_id));
  return jsonb_build_object(
    'storage_objects', to_jsonb(v_files),
    -- Files no row points at any more (a replaced avatar, an attachment removed from a note).
    'storage_prefixes', to_jsonb(array_remove(array['attachments/' || p_contact_id || '/',
                                                    'avatars/' || v_contact.user_id || '/'], null)
                                 || v_media_folders),
    'auth_user_id', v_contact.user_id);
end
$$;
comment on function private.erase_contact_rows(uuid) is
  'GDPR erase, the database half: anonymise the contact and everything pointing at it; returns the Storage objects (MMS copies included), folders and login left to delete, or null if already erased. Errors: unknown_contact.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: erasing touches tables admins cannot write directly (print jobs, audit log,
-- gdpr_requests).
create function public.gdpr_erase(p_contact_id uuid, p_note text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_left jsonb;
  v_request_id uuid;
  v_erased_at timestamptz;
begin
  perform private.require_staff_level('admin');
  perform private.refuse_erasing_staff(p_contact_id);
  v_left := private.erase_contact_rows(p_contact_id);
  if v_left is null then
    select c.erased_at into v_erased_at from public.contacts c where c.id = p_contact_id;
    select r.id into v_request_id from public.gdpr_requests r
     where r.contact_id = p_contact_id and r.kind = 'erase' order by r.requested_at desc limit 1;
    return jsonb_build_object('contact_id', p_contact_id, 'erased_at', v_erased_at, 'request_id', v_request_id,
                              'storage_objects', '[]'::jsonb, 'already_erased', true);
  end if;
  -- The attendee may have asked already: carry out their request rather than file a second one.
  select r.id into v_request_id from public.gdpr_requests r
   where r.contact_id = p_contact_id and r.kind = 'erase' and r.completed_at is null
   order by r.requested_at limit 1;
  if v_request_id is null then
    insert into public.gdpr_requests (contact_id, kind, requested_by, note)
    values (p_contact_id, 'erase', (select auth.uid()), p_note)
    returning id into v_request_id;
  end if;
  perform private.note_rows_erased(v_request_id, v_left);
  -- A request the worker held back (the person was staff then) is due again now.
  update public.gdpr_requests r set next_attempt_at = now(), last_error = null
   where r.id = v_request_id and r.next_attempt_at > now();
  perform private.audit('gdpr_erase', 'contacts', p_contact_id::text, null, null,
                        jsonb_build_object('note', p_note, 'request_id', v_request_id));
  return jsonb_build_object('contact_id', p_contact_id, 'erased_at', now(), 'request_id', v_request_id,
                            'storage_objects', v_left -> 'storage_objects',
                            'auth_user_id', v_left -> 'auth_user_id', 'already_erased', false);
end
$$;
comment on function public.gdpr_erase(uuid, text) is
  'Admins: anonymise a contact now (personal fields, profile, notes, label payloads, audit before/after; check-ins stay for counts) and leave the erase request open until the worker has deleted the Storage objects and the login it names. Idempotent. Errors: not_allowed, unknown_contact, contact_is_staff (disable their staff access first).';
grant execute on function public.gdpr_erase(uuid, text) to authenticated, service_role;

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
  perform private.refuse_erasing_staff(v_contact_id);
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
  'Attendee: file a request to delete all their data (one open request at a time; admins erase with gdpr_erase). Returns when it was requested. Errors: not_allowed, contact_is_staff.';
grant execute on function public.request_my_erasure(text) to authenticated, service_role;

-- Claim up to p_limit due erase requests for p_lease_seconds (a worker that dies loses its
-- lease and the next claim takes the request over). A request the attendee filed has its rows
-- anonymised here, in the claim's transaction, so the worker only ever deals with the outside.
-- SECURITY DEFINER: anonymising writes the audit log and calls the private erase helpers, which
-- the service role has no rights to; only the worker's service role may call it (granted so, and
-- checked below).
create function public.claim_erasure_requests(p_limit integer default 10, p_lease_seconds integer default 60)
returns table (id uuid, contact_id uuid, storage_objects text[], storage_prefixes text[],
               auth_user_id uuid, attempts integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_request public.gdpr_requests;
  v_left jsonb;
begin
  if (select auth.role()) is distinct from 'service_role' then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Only the erasure worker claims.';
  end if;
  if p_limit is null or p_limit < 1 or p_lease_seconds is null or p_lease_seconds < 1 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Give a positive limit and lease.';
  end if;
  for v_request in
    select r.* from public.gdpr_requests r
     where r.kind = 'erase' and r.completed_at is null and r.next_attempt_at <= now()
       and (r.claimed_until is null or r.claimed_until < now())
     order by r.next_attempt_at
     limit p_limit
     for update skip locked
  loop
    -- The person became staff after asking: erasing would delete a colleague's login. Hold the
    -- request back, saying why, until an admin disables their access (then it proceeds).
    if v_request.rows_erased_at is null and private.contact_is_staff(v_request.contact_id) then
      update public.gdpr_requests r
         set last_error = 'contact_is_staff: disable their staff access first',
             next_attempt_at = now() + interval '10 minutes'
       where r.id = v_request.id;
      continue;
    end if;
    if v_request.rows_erased_at is null and v_request.contact_id is not null then
      v_left := private.erase_contact_rows(v_request.contact_id);
      if v_left is not null then
        perform private.note_rows_erased(v_request.id, v_left);
      else
        update public.gdpr_requests r set rows_erased_at = now() where r.id = v_request.id;
      end if;
    end if;
    update public.gdpr_requests r
       set attempts = r.attempts + 1, claimed_until = now() + make_interval(secs => p_lease_seconds)
     where r.id = v_request.id;
    return query select r.id, r.contact_id, r.storage_objects, r.storage_prefixes, r.auth_user_id, r.attempts
                   from public.gdpr_requests r where r.id = v_request.id;
  end loop;
end
$$;
comment on function public.claim_erasure_requests(integer, integer) is
  'Erasure worker: claim due erase requests for p_lease_seconds (anonymising the rows of attendee requests first); returns the Storage objects, folders and login to delete. A request whose person is active or invited staff is held back 10 minutes with last_error contact_is_staff. Errors: invalid_argument.';
grant execute on function public.claim_erasure_requests(integer, integer) to service_role;
