-- Automations: simple SQL-driven messages, enqueued through the same outbox and therefore the
-- same consent, suppression and quiet-hour checks as blasts (marketing messages wait in the queue
-- until the recipient's send window opens).
-- The table holds the trigger (kind), the action (send a template or add a tag) and the local
-- schedule window of each rule; what the kinds mean and the runner the workers call every
-- minute, public.run_due_automations(), are in 20261125002140_automation_rules.sql. Each run
-- that acted on someone is logged in automation_runs.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.automations (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (btrim(name) <> ''),
  kind text not null check (kind in (
    'event_thank_you', 'after_check_in', 'first_check_in', 'no_check_in', 'before_event', 'birthday')),
  enabled boolean not null default true,
  channel public.message_channel,
  template_id uuid references public.message_templates (id) on delete restrict,
  sender_id uuid references public.senders (id) on delete restrict,
  event_id uuid references public.events (id) on delete cascade,
  delay_hours integer not null default 2 check (delay_hours between 0 and 720),
  lookback_hours integer not null default 48 check (lookback_hours between 1 and 720),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  action text not null default 'send_template' check (action in ('send_template', 'add_tag')),
  tag text check (btrim(tag) <> ''),
  inactive_days integer check (inactive_days between 1 and 3650),
  window_start time,
  window_end time,
  once_per_contact boolean not null default false,
  constraint automations_window_complete check ((window_start is null) = (window_end is null)),
  constraint automations_action_complete check (
    (action = 'send_template' and channel is not null and template_id is not null and sender_id is not null and tag is null)
    or (action = 'add_tag' and tag is not null and channel is null and template_id is null and sender_id is null))
);
comment on table public.automations is
  'Trigger → action rules the workers run every minute: after a check-in, a first check-in, no check-in for N days, before an event to its RSVPs, a birthday; send a template or add a tag, inside a local send window, once per contact and occasion.';
comment on column public.automations.event_id is 'event_thank_you only: one event, or null for every event.';
comment on column public.automations.kind is
  'The trigger: event_thank_you, after_check_in, first_check_in, no_check_in, before_event, birthday.';
comment on column public.automations.action is 'send_template (channel, template, sender) or add_tag (tag).';
comment on column public.automations.tag is 'add_tag: the tag added to contacts.tags.';
comment on column public.automations.inactive_days is 'no_check_in: days without a check-in after which it fires (once per lapse).';
comment on column public.automations.window_start is
  'Local time (the contact''s zone) from which the action may happen; with window_end, null = any time.';
comment on column public.automations.once_per_contact is 'True: at most once per contact ever, whatever the occasion.';
comment on column public.automations.delay_hours is
  'Hours after the event ends (event_thank_you), the check-in (after_check_in, first_check_in) or before the event starts (before_event).';
comment on column public.automations.lookback_hours is
  'Occasions whose time passed longer ago than this are not acted on (a new automation does not act on old events or check-ins).';

create index automations_template_id_idx on public.automations (template_id);
create index automations_sender_id_idx on public.automations (sender_id);
create index automations_event_id_idx on public.automations (event_id);
create index automations_created_by_idx on public.automations (created_by);

create table public.automation_runs (
  id bigint generated always as identity primary key,
  automation_id uuid not null references public.automations (id) on delete cascade,
  occasion text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  enqueued integer not null default 0,
  skipped integer not null default 0,
  status text not null check (status in ('completed', 'failed')),
  error text
);
comment on table public.automation_runs is
  'Run log with counts: one run per event for thank-yous; birthday runs that queued texts; failures.';
comment on column public.automation_runs.occasion is 'What the run was for: the event id, or the birthday date.';
comment on column public.automation_runs.skipped is 'Recipients left out: no consent, suppressed, no address, or already sent.';

create index automation_runs_automation_idx on public.automation_runs (automation_id, started_at desc);

alter table public.messages
  add constraint messages_automation_id_fkey foreign key (automation_id)
  references public.automations (id) on delete set null;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.automations, public.automation_runs from anon, authenticated;
grant select, insert, update, delete on table public.automations to authenticated;
grant select on table public.automation_runs to authenticated;
grant all on table public.automations, public.automation_runs to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- SECURITY DEFINER: it must see the template and sender whatever the caller's RLS, so that a
-- caller without rights gets RLS's refusal (42501) rather than a misleading channel mismatch.
create function private.automations_validate() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.action = 'send_template' and (
       not exists (select 1 from public.message_templates t where t.id = new.template_id and t.channel = new.channel)
       or not exists (select 1 from public.senders s where s.id = new.sender_id and s.channel = new.channel)) then
    raise exception using errcode = 'P0001', message = 'automation_channel_mismatch',
      detail = 'The template and the sender must be of the automation''s channel.';
  end if;
  if new.event_id is not null and new.kind not in ('event_thank_you', 'after_check_in', 'before_event') then
    raise exception using errcode = 'P0001', message = 'invalid_automation',
      detail = format('A %s automation has no event.', new.kind);
  end if;
  if (new.kind = 'no_check_in') <> (new.inactive_days is not null) then
    raise exception using errcode = 'P0001', message = 'invalid_automation',
      detail = 'inactive_days is required for no_check_in, and only there.';
  end if;
  if new.kind = 'birthday' and new.window_start is null then
    new.window_start := '10:00';
    new.window_end := '20:00';
  end if;
  return new;
end
$$;
comment on function private.automations_validate() is 'Trigger: a send action''s template and sender match its channel; only event kinds name an event; inactive_days exactly for no_check_in; birthdays default to a 10:00–20:00 window.';

create trigger automations_validate before insert or update on public.automations
  for each row execute function private.automations_validate();

create trigger automations_touch_updated_at before update on public.automations
  for each row execute function private.touch_updated_at();

create trigger automations_audit after insert or update or delete on public.automations
  for each row execute function private.audit_row_change();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.automations enable row level security;
alter table public.automation_runs enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- private.enqueue_automation is defined in 20261125008000_automation_test.sql.

create function private.log_automation_run(
  p_automation_id uuid, p_occasion text, p_started timestamptz, p_enqueued integer, p_skipped integer,
  p_status text, p_error text
) returns public.automation_runs
language sql
set search_path = ''
as $$
  insert into public.automation_runs (automation_id, occasion, started_at, finished_at, enqueued, skipped, status, error)
  values (p_automation_id, p_occasion, p_started, clock_timestamp(), p_enqueued, p_skipped, p_status, p_error)
  returning *
$$;
comment on function private.log_automation_run(uuid, text, timestamptz, integer, integer, text, text) is 'Append a run to the automation run log.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read automations" on public.automations
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can create automations" on public.automations
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update automations" on public.automations
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can delete automations" on public.automations
  for delete to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can read the automation run log" on public.automation_runs
  for select to authenticated
  using ((select private.has_staff_level('organizer')));
