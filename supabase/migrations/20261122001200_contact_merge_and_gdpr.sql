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

-- public.merge_contacts moved to 20261129070000_contact_merge_rsvps.sql (it folds RSVPs too).

-- public.gdpr_export moved to 20261128040200_gdpr_export_audit.sql (each export is audited).

-- public.gdpr_erase moved to 20261125009000_gdpr_erasure.sql (the erase a worker completes).
