-- Contact merge and GDPR export / erase, with a record of each request. They reach into every
-- area (check-ins, print jobs, interactions, profiles, consent, conversations, messages, blast
-- snapshots, raw webhooks), so they come after all of them; the messaging parts are in the
-- private.*_extra functions each public function calls.
--
-- Opt-outs outlive both operations: a merge carries an opt-out over to the kept contact, and an
-- erase turns the person's opt-outs into address suppressions before the address is wiped, so a
-- later import of the same number can never text them again.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.gdpr_requests (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid references public.contacts (id) on delete set null,
  kind text not null check (kind in ('export', 'erase')),
  requested_by uuid references auth.users (id) on delete set null,
  requested_at timestamptz not null default now(),
  completed_at timestamptz,
  note text
);
comment on table public.gdpr_requests is 'Every GDPR export and erase performed, and by whom.';
comment on column public.gdpr_requests.contact_id is 'The (possibly now anonymised) contact.';

create index gdpr_requests_contact_id_idx on public.gdpr_requests (contact_id);
create index gdpr_requests_requested_by_idx on public.gdpr_requests (requested_by);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.gdpr_requests from anon, authenticated;
grant select on table public.gdpr_requests to authenticated;
grant all on table public.gdpr_requests to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.gdpr_requests enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.merge_contacts_extra moved to 20261126030000_message_channels.sql (it carries consent
-- over on every channel).

create function private.messaging_gdpr_export(p_contact_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'consent', coalesce((
      select jsonb_agg(jsonb_build_object('channel', e.channel, 'status', e.status, 'source', e.source,
                                          'recorded_at', e.created_at, 'note', e.note) order by e.id)
      from public.consent_events e where e.contact_id = p_contact_id), '[]'::jsonb),
    'messages', coalesce((
      select jsonb_agg(jsonb_build_object('direction', m.direction, 'kind', m.kind, 'channel', m.channel,
                                          'status', m.status, 'to', m.to_address, 'from', m.from_address,
                                          'subject', m.subject, 'body', m.body, 'media_urls', m.media_urls,
                                          'created_at', m.created_at, 'delivered_at', m.delivered_at)
                       order by m.created_at)
      from public.messages m where m.contact_id = p_contact_id), '[]'::jsonb),
    'conversations', coalesce((
      select jsonb_agg(jsonb_build_object('status', v.status, 'created_at', v.created_at,
                                          'last_message_at', v.last_message_at))
      from public.conversations v where v.contact_id = p_contact_id), '[]'::jsonb))
$$;
comment on function private.messaging_gdpr_export(uuid) is
  'The messaging sections of a contact''s GDPR export: consent history, messages and conversations.';

-- private.gdpr_erase_extra moved to 20261126030000_message_channels.sql (it suppresses the
-- address of every channel opted out of).

create function private.gdpr_export_extra(p_contact_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select private.messaging_gdpr_export(p_contact_id)
$$;
comment on function private.gdpr_export_extra(uuid) is
  'The messaging sections of a contact''s GDPR export (consent, messages, conversations), merged into the document.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Admins can read GDPR requests" on public.gdpr_requests
  for select to authenticated using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: organizers cannot update check_ins or print_jobs directly; a merge must move
-- all of a contact's history in one transaction.
create function public.merge_contacts(p_keep uuid, p_merge uuid) returns public.contacts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_keep public.contacts;
  v_merge public.contacts;
begin
  perform private.require_staff_level('organizer');
  if p_keep is null or p_merge is null or p_keep = p_merge then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Give two different contacts.';
  end if;
  perform 1 from public.contacts where id in (p_keep, p_merge) order by id for update;
  select * into v_keep from public.contacts where id = p_keep;
  select * into v_merge from public.contacts where id = p_merge;
  if v_keep.id is null or v_merge.id is null then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  if v_keep.merged_into is not null or v_merge.merged_into is not null
     or v_keep.erased_at is not null or v_merge.erased_at is not null then
    raise exception using errcode = 'P0001', message = 'not_mergeable',
      detail = 'Merged or erased contacts cannot be merged again.';
  end if;

  -- Check-ins at the same event: keep one row (the earliest time), point its print jobs at it.
  update public.check_ins k set checked_in_at = least(k.checked_in_at, m.checked_in_at)
    from public.check_ins m
   where k.contact_id = p_keep and m.contact_id = p_merge and m.event_id = k.event_id;
  update public.print_jobs pj set check_in_id = k.id
    from public.check_ins m join public.check_ins k on k.event_id = m.event_id and k.contact_id = p_keep
   where m.contact_id = p_merge and pj.check_in_id = m.id;
  delete from public.check_ins m
   where m.contact_id = p_merge
     and exists (select 1 from public.check_ins k where k.contact_id = p_keep and k.event_id = m.event_id);
  update public.check_ins set contact_id = p_keep where contact_id = p_merge;
  update public.print_jobs set contact_id = p_keep where contact_id = p_merge;
  update public.interactions set contact_id = p_keep where contact_id = p_merge;

  if exists (select 1 from public.profiles where contact_id = p_keep) then
    update public.profiles k
       set bio = coalesce(k.bio, m.bio), avatar_path = coalesce(k.avatar_path, m.avatar_path),
           linkedin_url = coalesce(k.linkedin_url, m.linkedin_url), github_url = coalesce(k.github_url, m.github_url)
      from public.profiles m
     where k.contact_id = p_keep and m.contact_id = p_merge;
    delete from public.profiles where contact_id = p_merge;
  else
    update public.profiles set contact_id = p_keep where contact_id = p_merge;
  end if;

  perform private.merge_contacts_extra(p_keep, p_merge);

  update public.contacts
     set phone = null, email = null, user_id = null, merged_into = p_keep
   where id = p_merge;
  update public.contacts c
     set phone = coalesce(c.phone, v_merge.phone),
         email = coalesce(c.email, v_merge.email),
         user_id = coalesce(c.user_id, v_merge.user_id),
         first_name = coalesce(c.first_name, v_merge.first_name),
         last_name = coalesce(c.last_name, v_merge.last_name),
         pronouns = coalesce(c.pronouns, v_merge.pronouns),
         company = coalesce(c.company, v_merge.company),
         title = coalesce(c.title, v_merge.title),
         time_zone = coalesce(c.time_zone, v_merge.time_zone),
         tags = array(select distinct t from unnest(c.tags || v_merge.tags) t order by 1),
         custom_fields = v_merge.custom_fields || c.custom_fields,
         birthday_month = coalesce(c.birthday_month, v_merge.birthday_month),
         birthday_day = case when c.birthday_month is null then v_merge.birthday_day else c.birthday_day end,
         birthday_year = case when c.birthday_month is null then v_merge.birthday_year else c.birthday_year end,
         created_at = least(c.created_at, v_merge.created_at)
   where c.id = p_keep
  returning * into v_keep;

  perform private.audit('merge', 'contacts', p_keep::text, to_jsonb(v_merge), to_jsonb(v_keep),
                        jsonb_build_object('merged', p_merge));
  return v_keep;
end
$$;
comment on function public.merge_contacts(uuid, uuid) is
  'Organizers: merge p_merge into p_keep, moving check-ins, print jobs, interactions, profile, conversations, messages and consent; p_merge keeps merged_into. Errors: not_allowed, invalid_argument, unknown_contact, not_mergeable.';
grant execute on function public.merge_contacts(uuid, uuid) to authenticated, service_role;

-- public.gdpr_export moved to 20261128040200_gdpr_export_audit.sql (each export is audited).

-- public.gdpr_erase moved to 20261125009000_gdpr_erasure.sql (the erase a worker completes).
