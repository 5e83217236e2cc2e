-- Automations: simple SQL-driven messages, enqueued through the same outbox and therefore the
-- same consent, suppression and quiet-hour checks as blasts (marketing messages wait in the queue
-- until the recipient's send window opens).
--   event_thank_you: N hours after an event ends, to everyone who checked in.
--   birthday:        on the contact's birthday, from send_time (default 10:00) in their time zone.
-- The workers call public.run_due_automations() every minute; each run that found someone is
-- logged in automation_runs, and a dedupe key per automation × contact × occasion makes every
-- call idempotent.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.automations (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (btrim(name) <> ''),
  kind text not null check (kind in ('event_thank_you', 'birthday')),
  enabled boolean not null default true,
  channel public.message_channel not null,
  template_id uuid not null references public.message_templates (id) on delete restrict,
  sender_id uuid not null references public.senders (id) on delete restrict,
  event_id uuid references public.events (id) on delete cascade,
  delay_hours integer not null default 2 check (delay_hours between 0 and 720),
  lookback_hours integer not null default 48 check (lookback_hours between 1 and 720),
  send_time time not null default '10:00',
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.automations is
  'Automatic messages: a thank-you N hours after an event to those who checked in, or a birthday text at send_time local.';
comment on column public.automations.event_id is 'event_thank_you only: one event, or null for every event.';
comment on column public.automations.delay_hours is 'event_thank_you: hours after the event ends.';
comment on column public.automations.lookback_hours is
  'event_thank_you: events whose send time passed longer ago than this are not thanked (a new automation does not spam old events).';
comment on column public.automations.send_time is 'birthday: local time from which the text is queued.';

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
  if not exists (select 1 from public.message_templates t where t.id = new.template_id and t.channel = new.channel)
     or not exists (select 1 from public.senders s where s.id = new.sender_id and s.channel = new.channel) then
    raise exception using errcode = 'P0001', message = 'automation_channel_mismatch',
      detail = 'The template and the sender must be of the automation''s channel.';
  end if;
  if new.kind = 'birthday' and new.event_id is not null then
    raise exception using errcode = 'P0001', message = 'invalid_automation', detail = 'A birthday automation has no event.';
  end if;
  return new;
end
$$;
comment on function private.automations_validate() is 'Trigger: template and sender match the channel; birthday automations name no event.';

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

-- Queue one automation's messages for a set of contacts (set-based, rendered like a snapshot).
-- Returns (enqueued, skipped).
create function private.enqueue_automation(
  p_automation public.automations,
  p_contact_ids uuid[],
  p_occasion text,
  p_event_id uuid,
  p_now timestamptz,
  out enqueued integer,
  out skipped integer
)
language plpgsql
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_sender public.senders;
  v_template public.message_templates;
  v_fields jsonb;
  v_event record;
begin
  select * into v_sender from public.senders where id = p_automation.sender_id;
  select * into v_template from public.message_templates where id = p_automation.template_id;
  v_fields := jsonb_build_object(
    'org_name', quote_literal(v_settings.org_name),
    'first_name', 'c.first_name', 'last_name', 'c.last_name',
    'full_name', 'nullif(concat_ws('' '', c.first_name, c.last_name), '''')',
    'email', 'c.email', 'phone', 'c.phone::text', 'custom', 'c.custom_fields');
  if p_event_id is not null then
    select e.name, e.starts_at into v_event from public.events e where e.id = p_event_id;
    v_fields := v_fields || jsonb_build_object(
      'event_name', quote_nullable(v_event.name),
      'event_date', quote_nullable(to_char(v_event.starts_at at time zone v_settings.org_time_zone, 'FMMonth FMDD')));
  end if;
  execute format($sql$
    insert into public.messages (direction, kind, channel, status, contact_id, sender_id, automation_id,
      to_address, from_address, subject, body, segments, is_marketing, recipient_time_zone, dedupe_key)
    select 'outbound', 'automation', $1, 'queued', x.id, $2, $3, x.address, $4, x.subject, x.body,
           case when $1 = 'sms' then public.sms_segments(x.body) else 1 end, true,
           private.resolve_time_zone(x.time_zone, $5), x.dedupe_key
    from (
      select c.id, c.time_zone,
             case $1 when 'sms' then c.phone::text else lower(c.email) end as address,
             %1$s as subject, %2$s as body,
             format('automation:%%s:%%s:%%s', $3, $6, c.id) as dedupe_key
      from public.contacts c
      left join public.contact_consents cc on cc.contact_id = c.id and cc.channel = $1
      where c.id = any ($7) and c.erased_at is null and c.merged_into is null
        and case when cc.status = 'opted_out' then false when cc.status = 'opted_in' then true
                 when $1 = 'sms' then not $8 else not $9 end
    ) x
    where x.address is not null and not private.is_suppressed($1, x.address)
    on conflict (dedupe_key) do nothing
    $sql$,
    private.template_sql(private.compile_template(v_template.subject), v_fields),
    private.template_sql(private.compile_template(v_template.body), v_fields))
  using p_automation.channel, v_sender.id, p_automation.id,
        coalesce(v_sender.from_number::text, v_sender.messaging_service_sid, v_sender.from_email),
        v_settings.org_time_zone, p_occasion, p_contact_ids,
        v_settings.sms_requires_opt_in, v_settings.email_requires_opt_in;
  get diagnostics enqueued = row_count;
  skipped := coalesce(cardinality(p_contact_ids), 0) - enqueued;
end
$$;
comment on function private.enqueue_automation(public.automations, uuid[], text, uuid, timestamptz) is
  'Queue an automation''s rendered messages for contacts with consent and an unsuppressed address (idempotent by dedupe key).';

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

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.run_due_automations(p_now timestamptz default now()) returns setof public.automation_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_automation public.automations;
  v_event record;
  v_ids uuid[];
  v_result record;
  v_error text;
  v_occasion text;
begin
  perform private.assert_messaging_operator();
  for v_automation in select * from public.automations a where a.enabled order by a.created_at loop
    begin
      if v_automation.kind = 'event_thank_you' then
        for v_event in
          select e.id from public.events e
          where (v_automation.event_id is null or e.id = v_automation.event_id)
            and e.ends_at + make_interval(hours => v_automation.delay_hours) <= p_now
            and e.ends_at + make_interval(hours => v_automation.delay_hours)
                > p_now - make_interval(hours => v_automation.lookback_hours)
            -- One completed run per event: the thank-you goes out once.
            and not exists (select 1 from public.automation_runs r
                            where r.automation_id = v_automation.id and r.occasion = e.id::text and r.status = 'completed')
        loop
          v_occasion := v_event.id::text;
          select array_agg(ci.contact_id) into v_ids
          from public.check_ins ci
          where ci.event_id = v_event.id
            and not exists (select 1 from public.messages m
                            where m.dedupe_key = format('automation:%s:%s:%s', v_automation.id, v_occasion, ci.contact_id));
          continue when v_ids is null;
          v_result := private.enqueue_automation(v_automation, v_ids, v_occasion, v_event.id, p_now);
          return next private.log_automation_run(v_automation.id, v_occasion, p_now,
            v_result.enqueued, v_result.skipped, 'completed', null);
        end loop;
      else
        -- Birthdays: today in the contact's own zone, from send_time there; year-less birthdays count.
        v_occasion := 'birthday-' || extract(year from p_now at time zone (private.messaging_settings()).org_time_zone);
        select array_agg(c.id) into v_ids
        from public.contacts c
        cross join lateral (select p_now at time zone private.resolve_time_zone(c.time_zone,
                              (private.messaging_settings()).org_time_zone) as local_now) l
        where c.birthday_month = extract(month from l.local_now)
          and c.birthday_day = extract(day from l.local_now)
          and l.local_now::time >= v_automation.send_time
          and c.erased_at is null and c.merged_into is null
          and not exists (select 1 from public.messages m
                          where m.dedupe_key = format('automation:%s:%s:%s', v_automation.id, v_occasion, c.id));
        continue when v_ids is null;
        v_result := private.enqueue_automation(v_automation, v_ids, v_occasion, null, p_now);
        -- Called every minute all day: log only runs that queued something, not the contacts
        -- without consent it meets again each time.
        continue when v_result.enqueued = 0;
        return next private.log_automation_run(v_automation.id, v_occasion, p_now,
          v_result.enqueued, v_result.skipped, 'completed', null);
      end if;
    exception when others then
      -- One broken automation must not stop the others; its failure is logged, not swallowed.
      get stacked diagnostics v_error = message_text;
      return next private.log_automation_run(v_automation.id, coalesce(v_occasion, 'run'), p_now, 0, 0, 'failed', v_error);
    end;
  end loop;
end
$$;
comment on function public.run_due_automations(timestamptz) is
  'Workers (every minute) or organizers: queue due thank-you and birthday messages; each run that found recipients is logged. Idempotent.';
grant execute on function public.run_due_automations(timestamptz) to authenticated, service_role;
