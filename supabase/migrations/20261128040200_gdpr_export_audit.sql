-- A GDPR export is audited (issue 14, item 8: the audit covers interactions, segments, devices,
-- merges, exports and erasures, imports and tag bulk actions). The download an admin makes from
-- the contact page, or a person from /me, was recorded only as a gdpr_requests row; the audit
-- log (who, what, when, readable by admins) now has it too.
--
--   public.gdpr_export moved here (from …001200_contact_merge_and_gdpr): one audit entry per
--   export, `by_themselves` saying whether the person asked for their own data.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the document gathers rows the requester cannot read directly (an attendee
-- asking for their own data sees staff notes about them, as GDPR requires).
create function public.gdpr_export(p_contact_id uuid default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_contact_id uuid := coalesce(p_contact_id, private.current_contact_id());
  v_document jsonb;
begin
  if v_contact_id is null
     or not (private.is_attendee_of(v_contact_id) or coalesce(private.acting_staff_level() >= 'admin', false)) then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Admins, or the person themselves, may export a contact''s data.';
  end if;
  if not exists (select 1 from public.contacts where id = v_contact_id) then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  select jsonb_build_object(
    'generated_at', now(),
    'contact', (select to_jsonb(c) from public.contacts c where c.id = v_contact_id),
    'profile', (select to_jsonb(p) from public.profiles p where p.contact_id = v_contact_id),
    'check_ins', coalesce((select jsonb_agg(jsonb_build_object('event', e.name, 'event_id', e.id,
        'checked_in_at', ci.checked_in_at, 'method', ci.method) order by ci.checked_in_at)
        from public.check_ins ci join public.events e on e.id = ci.event_id where ci.contact_id = v_contact_id), '[]'),
    'interactions', coalesce((select jsonb_agg(to_jsonb(i) order by i.occurred_at)
        from public.interactions i where i.contact_id = v_contact_id), '[]'),
    'print_jobs', coalesce((select jsonb_agg(jsonb_build_object('created_at', pj.created_at,
        'status', pj.status, 'payload', pj.payload) order by pj.created_at)
        from public.print_jobs pj where pj.contact_id = v_contact_id), '[]'),
    'merged_contacts', coalesce((select jsonb_agg(c.id) from public.contacts c where c.merged_into = v_contact_id), '[]')
  ) || private.gdpr_export_extra(v_contact_id)
  into v_document;
  insert into public.gdpr_requests (contact_id, kind, requested_by, completed_at)
  values (v_contact_id, 'export', (select auth.uid()), now());
  -- Who took everything held about whom, and when: the audit log admins read.
  perform private.audit('gdpr_export', 'contacts', v_contact_id::text, null, null,
    jsonb_build_object('by_themselves', private.is_attendee_of(v_contact_id)));
  return v_document;
end
$$;
comment on function public.gdpr_export(uuid) is
  'One JSON document of everything held about a contact (admins, or the attendee for themselves; recorded and audited). Errors: not_allowed, unknown_contact.';
grant execute on function public.gdpr_export(uuid) to authenticated, service_role;
