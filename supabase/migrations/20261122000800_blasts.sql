-- Blasts: one template per channel with optional A/B variants, an audience (a saved segment or
-- an explicit list), a schedule, a status machine, counters — and the recipient snapshot. This
-- file holds the tables and their rules; the snapshot compiler, the counters and the controls
-- (start, schedule, pause, resume, cancel) follow in their own files.
--
-- Status: draft → scheduled → sending ↔ paused → completed | cancelled (draft/scheduled may be
-- cancelled too). Starting a blast takes the snapshot: one row per recipient × channel with the
-- rendered text and variant, excluding opted-out, suppressed, address-less and duplicate
-- recipients, in one set-based statement. Workers never read the snapshot: the claim function
-- turns snapshot rows into messages a few at a time, rechecking consent and quiet hours.
-- Blasts (with their counters) are in the Realtime publication; snapshot rows are not.

-- ============================================================================================
-- Types
-- ============================================================================================

create type public.blast_channel as enum ('sms', 'email', 'both');
comment on type public.blast_channel is 'Which channels a blast uses; both = SMS and email to each recipient.';

create type public.blast_status as enum ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled');
comment on type public.blast_status is 'draft → scheduled → sending ↔ paused → completed | cancelled.';

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.blasts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (btrim(name) <> ''),
  channel public.blast_channel not null,
  sms_template_id uuid references public.message_templates (id) on delete restrict,
  email_template_id uuid references public.message_templates (id) on delete restrict,
  sms_sender_id uuid references public.senders (id) on delete restrict,
  email_sender_id uuid references public.senders (id) on delete restrict,
  segment_id uuid references public.segments (id) on delete restrict,
  event_id uuid references public.events (id) on delete set null,
  scheduled_at timestamptz,
  status public.blast_status not null default 'draft',
  paused_reason text,
  auto_pause boolean not null default true,
  recipients_total integer not null default 0,
  sms_recipients integer not null default 0,
  email_recipients integer not null default 0,
  sent_count integer not null default 0,
  delivered_count integer not null default 0,
  failed_count integer not null default 0,
  skipped_count integer not null default 0,
  opted_out_count integer not null default 0,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz
);
comment on table public.blasts is
  'SMS/email campaigns to a segment or a list, with A/B variants, schedule, status and live counters (in Realtime).';
comment on column public.blasts.segment_id is 'Saved segment (public.segments) the audience comes from; or list contacts in blast_audience.';
comment on column public.blasts.event_id is 'Event whose name/date fill {{event_name}} / {{event_date}}.';
comment on column public.blasts.paused_reason is 'Why the blast is paused: by staff, or automatically (failure or opt-out spike).';
comment on column public.blasts.auto_pause is 'Pause automatically when failures/opt-outs of the last N sends cross the thresholds in messaging_settings.';
comment on column public.blasts.sent_count is 'Messages accepted by the provider (including those later delivered or undelivered).';
comment on column public.blasts.skipped_count is 'Recipients dropped after the snapshot: opted out, suppressed, or cancelled.';

create index blasts_status_scheduled_idx on public.blasts (status, scheduled_at);
create index blasts_sms_template_id_idx on public.blasts (sms_template_id);
create index blasts_email_template_id_idx on public.blasts (email_template_id);
create index blasts_sms_sender_id_idx on public.blasts (sms_sender_id);
create index blasts_email_sender_id_idx on public.blasts (email_sender_id);
create index blasts_segment_id_idx on public.blasts (segment_id);
create index blasts_event_id_idx on public.blasts (event_id);
create index blasts_created_by_idx on public.blasts (created_by);

create table public.blast_variants (
  id uuid primary key default gen_random_uuid(),
  blast_id uuid not null references public.blasts (id) on delete cascade,
  channel public.message_channel not null,
  label text not null check (label ~ '^[A-Z]$'),
  template_id uuid not null references public.message_templates (id) on delete restrict,
  weight integer not null check (weight between 0 and 100),
  unique (blast_id, channel, label)
);
comment on table public.blast_variants is
  'A/B variants of a blast per channel; weights (percent) of a channel add up to 100. Without variants the blast''s template is used.';

create index blast_variants_template_id_idx on public.blast_variants (template_id);

create table public.blast_audience (
  blast_id uuid not null references public.blasts (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  primary key (blast_id, contact_id)
);
comment on table public.blast_audience is 'An explicit recipient list for a blast (in addition to, or instead of, its segment).';

create index blast_audience_contact_id_idx on public.blast_audience (contact_id);

create table public.blast_recipients (
  id bigint generated always as identity primary key,
  -- No foreign keys: the snapshot writes 100k rows in one statement and a per-row key check
  -- would cost more than the rest of the insert. The blast's rows go with it (trigger below);
  -- contacts are erased by anonymising, not deleted.
  blast_id uuid not null,
  contact_id uuid not null,
  channel public.message_channel not null,
  variant text,
  to_address text not null,
  subject text,
  body text not null,
  segments integer,
  time_zone text not null,
  status text not null default 'pending' check (status in ('pending', 'materialised', 'skipped', 'cancelled')),
  skip_reason text,
  message_id uuid
);
comment on table public.blast_recipients is
  'The blast''s recipient snapshot: one row per recipient × channel with the rendered text and variant. Not in Realtime.';
comment on column public.blast_recipients.status is
  'pending (not yet claimed), materialised (a messages row exists), skipped (opted out/suppressed since), cancelled (blast cancelled).';
comment on column public.blast_recipients.segments is 'SMS segments of the body; measured when the row is claimed.';
comment on column public.blast_recipients.message_id is 'The messages row this recipient became (messages.blast_recipient_id points back, indexed).';
comment on column public.blast_recipients.time_zone is 'Recipient''s resolved IANA time zone for the quiet-hours check.';

create index blast_recipients_pending_idx on public.blast_recipients (blast_id, channel, id) where status = 'pending';
create index blast_recipients_pending_contact_idx on public.blast_recipients (contact_id) where status = 'pending';

alter table public.messages
  add constraint messages_blast_id_fkey foreign key (blast_id) references public.blasts (id) on delete set null;

-- An opt-out (by contact) or a suppression (by address) cancels queued messages at once.
create index messages_queued_to_address_idx on public.messages (to_address) where status = 'queued';
create index messages_queued_contact_idx on public.messages (contact_id) where status = 'queued';

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.blasts, public.blast_variants, public.blast_audience, public.blast_recipients
  from anon, authenticated;
grant select, insert, update, delete on table public.blasts, public.blast_variants, public.blast_audience
  to authenticated;
grant select on table public.blast_recipients to authenticated;
grant all on table public.blasts, public.blast_variants, public.blast_audience, public.blast_recipients
  to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger blasts_touch_updated_at before update on public.blasts
  for each row execute function private.touch_updated_at();

-- In place of an on-delete-cascade foreign key on the snapshot (see blast_recipients).
create function private.blasts_delete_recipients() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.blast_recipients r where r.blast_id = old.id;
  return old;
end
$$;
comment on function private.blasts_delete_recipients() is 'Trigger: a deleted blast takes its snapshot rows with it.';

create trigger blasts_delete_recipients before delete on public.blasts
  for each row execute function private.blasts_delete_recipients();

create function private.blasts_guard_status() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status and not (
    (old.status = 'draft' and new.status in ('scheduled', 'sending', 'cancelled'))
    or (old.status = 'scheduled' and new.status in ('draft', 'sending', 'cancelled'))
    or (old.status = 'sending' and new.status in ('paused', 'completed', 'cancelled'))
    or (old.status = 'paused' and new.status in ('sending', 'cancelled'))
  ) then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A blast cannot go from %s to %s.', old.status, new.status);
  end if;
  -- Only start_blast (which takes the snapshot) may set sending from draft/scheduled.
  if new.status = 'sending' and old.status in ('draft', 'scheduled')
     and coalesce(current_setting('hm.blast_starting', true), '') <> 'on' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = 'Start a blast with public.start_blast(), which takes the recipient snapshot.';
  end if;
  return new;
end
$$;
comment on function private.blasts_guard_status() is
  'Trigger: blasts move only along draft → scheduled → sending ↔ paused → completed | cancelled.';

create trigger blasts_guard_status before update of status on public.blasts
  for each row execute function private.blasts_guard_status();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.blasts enable row level security;
alter table public.blast_variants enable row level security;
alter table public.blast_audience enable row level security;
alter table public.blast_recipients enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.assert_messaging_operator() returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  -- A direct database session (operators' psql, migrations) carries no JWT role; API callers
  -- are service_role or staff, and staff must be organizers or above.
  if (select auth.role()) is null or (select auth.role()) = 'service_role'
     or private.has_staff_level('organizer') then
    return;
  end if;
  raise exception using errcode = 'P0001', message = 'not_allowed',
    detail = 'Only organizers, admins and owners run messaging.';
end
$$;
comment on function private.assert_messaging_operator() is
  'Raise not_allowed unless the caller is an organizer+, the service role, or a direct database session.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read blasts" on public.blasts
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can create draft blasts" on public.blasts
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')) and status = 'draft');

-- Running blasts change only through start/pause/resume/cancel (SECURITY DEFINER, checked).
create policy "Organizers can edit blasts that have not started" on public.blasts
  for update to authenticated
  using ((select private.has_staff_level('organizer')) and status in ('draft', 'scheduled'))
  with check ((select private.has_staff_level('organizer')) and status in ('draft', 'scheduled', 'cancelled'));

create policy "Organizers can delete draft blasts" on public.blasts
  for delete to authenticated
  using ((select private.has_staff_level('organizer')) and status = 'draft');

create policy "Organizers can read blast variants" on public.blast_variants
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can manage blast variants" on public.blast_variants
  for all to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can read blast audiences" on public.blast_audience
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can manage blast audiences" on public.blast_audience
  for all to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can read blast recipients" on public.blast_recipients
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Realtime
-- ============================================================================================

alter publication supabase_realtime add table public.blasts;
