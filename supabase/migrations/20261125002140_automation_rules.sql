-- Automations as trigger → action rules that run (issue 15, item 5).
--
-- Triggers (automations.kind): event_thank_you (N hours after an event ends, to who checked in),
-- after_check_in (N hours after a contact's check-in at an event), first_check_in (N hours after a
-- contact's first check-in ever), no_check_in (no check-in for inactive_days, once per lapse),
-- before_event (N hours before an event starts, to its RSVPs), birthday (on the day in the
-- contact's zone; Feb 29 birthdays on Feb 28 in common years).
-- Actions: send_template (a template by SMS or email, through the outbox and so through every
-- claim-time rule) or add_tag (contacts.tags).
-- Schedule window: window_start–window_end in the contact's local time (birthday defaults to
-- 10:00–20:00); outside it a contact waits for a later run while the trigger still holds.
-- Once per contact, in SQL: public.automation_deliveries has one row per automation × contact ×
-- occasion (an event, a birthday year, a lapse; 'once' when once_per_contact) and a contact is
-- acted on only when that row is new.
--
-- public.run_due_automations(p_now) (defined here) is what the workers call every
-- minute; a transaction advisory lock makes it one runner at a time (a second caller returns at
-- once with nothing). Each automation × occasion it acted on is logged in automation_runs.
-- The automations table's columns for these rules and its validating trigger are in the
-- automations area (20261122001100_automations.sql).

-- ============================================================================================
-- Tables and columns
-- ============================================================================================

create table public.event_rsvps (
  event_id uuid not null references public.events (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (event_id, contact_id)
);
comment on table public.event_rsvps is 'Contacts who said they will come to an event (before_event automations write to them).';
create index event_rsvps_contact_id_idx on public.event_rsvps (contact_id);

create table public.automation_deliveries (
  automation_id uuid not null references public.automations (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  occasion text not null,
  event_id uuid references public.events (id) on delete set null,
  acted_at timestamptz not null,
  primary key (automation_id, contact_id, occasion)
);
comment on table public.automation_deliveries is
  'Who each automation acted on, per occasion: the primary key is the once-per-contact guarantee (a message skipped for lack of consent counts as acted on).';
create index automation_deliveries_contact_id_idx on public.automation_deliveries (contact_id);
create index automation_deliveries_event_id_idx on public.automation_deliveries (event_id);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.event_rsvps, public.automation_deliveries from anon, authenticated;
grant select, insert, delete on table public.event_rsvps to authenticated;
grant select on table public.automation_deliveries to authenticated;
grant all on table public.event_rsvps, public.automation_deliveries to service_role;

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.event_rsvps enable row level security;
alter table public.automation_deliveries enable row level security;

create policy "Organizers can read RSVPs" on public.event_rsvps
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can add RSVPs" on public.event_rsvps
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can remove RSVPs" on public.event_rsvps
  for delete to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can read automation deliveries" on public.automation_deliveries
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Functions
-- ============================================================================================

-- Whether p_date (a local date) is the birthday month/day, with Feb 29 celebrated on Feb 28 in
-- common years.
create function private.is_birthday(p_month smallint, p_day smallint, p_date date) returns boolean
language sql
immutable
set search_path = ''
as $$
  select (p_month = extract(month from p_date) and p_day = extract(day from p_date))
      or (p_month = 2 and p_day = 29 and extract(month from p_date) = 2 and extract(day from p_date) = 28
          and extract(day from (date_trunc('year', p_date) + interval '2 months' - interval '1 day')) = 28)
$$;
comment on function private.is_birthday(smallint, smallint, date) is
  'True on the birthday; Feb 29 birthdays are on Feb 28 in common years.';

-- Who an automation's trigger holds for at p_now (before its window and the once-only check).
create function private.automation_due(p_automation public.automations, p_now timestamptz)
returns table (contact_id uuid, occasion text, event_id uuid)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_delay interval := make_interval(hours => p_automation.delay_hours);
  v_lookback interval := make_interval(hours => p_automation.lookback_hours);
  v_org_zone text := (private.messaging_settings()).org_time_zone;
begin
  case p_automation.kind
    when 'event_thank_you' then
      return query
        select ci.contact_id, e.id::text, e.id
        from public.events e join public.check_ins ci on ci.event_id = e.id
        where (p_automation.event_id is null or e.id = p_automation.event_id)
          and e.ends_at + v_delay <= p_now and e.ends_at + v_delay > p_now - v_lookback;
    when 'after_check_in' then
      return query
        select ci.contact_id, ci.event_id::text, ci.event_id
        from public.check_ins ci
        where (p_automation.event_id is null or ci.event_id = p_automation.event_id)
          and ci.checked_in_at + v_delay <= p_now and ci.checked_in_at + v_delay > p_now - v_lookback;
    when 'first_check_in' then
      return query
        select f.contact_id, 'first'::text, f.event_id
        from (select distinct on (ci.contact_id) ci.contact_id, ci.event_id, ci.checked_in_at
              from public.check_ins ci order by ci.contact_id, ci.checked_in_at) f
        where f.checked_in_at + v_delay <= p_now and f.checked_in_at + v_delay > p_now - v_lookback;
    when 'no_check_in' then
      return query
        select l.contact_id, 'lapsed-' || to_char(l.last_at at time zone v_org_zone, 'YYYY-MM-DD'), null::uuid
        from (select ci.contact_id, max(ci.checked_in_at) as last_at from public.check_ins ci group by ci.contact_id) l
        where l.last_at + make_interval(days => p_automation.inactive_days) <= p_now
          and l.last_at + make_interval(days => p_automation.inactive_days) > p_now - v_lookback;
    when 'before_event' then
      return query
        select r.contact_id, e.id::text, e.id
        from public.events e join public.event_rsvps r on r.event_id = e.id
        where (p_automation.event_id is null or e.id = p_automation.event_id)
          and e.starts_at - v_delay <= p_now and e.starts_at > p_now;
    when 'birthday' then
      return query
        select c.id, 'birthday-' || extract(year from l.local_now)::text, null::uuid
        from public.contacts c
        cross join lateral (select p_now at time zone private.resolve_time_zone(c.time_zone, v_org_zone) as local_now) l
        where c.birthday_month is not null and c.birthday_day is not null
          and private.is_birthday(c.birthday_month, c.birthday_day, l.local_now::date);
  end case;
end
$$;
comment on function private.automation_due(public.automations, timestamptz) is
  'The (contact, occasion, event) an automation''s trigger holds for at p_now.';

-- Claim the due contacts inside the window, once per automation × contact × occasion.
create function private.claim_automation_contacts(p_automation public.automations, p_now timestamptz)
returns table (occasion text, event_id uuid, contact_ids uuid[])
language sql
set search_path = ''
as $$
  with due as (
    select d.contact_id, case when p_automation.once_per_contact then 'once' else d.occasion end as occasion,
           d.event_id
    from private.automation_due(p_automation, p_now) d
    join public.contacts c on c.id = d.contact_id
    where c.erased_at is null and c.merged_into is null
      and (p_automation.window_start is null or private.within_send_window(p_now,
             private.resolve_time_zone(c.time_zone, (private.messaging_settings()).org_time_zone),
             p_automation.window_start, p_automation.window_end))
  ), claimed as (
    insert into public.automation_deliveries (automation_id, contact_id, occasion, event_id, acted_at)
    select distinct on (d.contact_id, d.occasion) p_automation.id, d.contact_id, d.occasion, d.event_id, p_now
    from due d
    order by d.contact_id, d.occasion
    on conflict do nothing
    returning automation_deliveries.contact_id, automation_deliveries.occasion, automation_deliveries.event_id
  )
  select c.occasion, c.event_id, array_agg(c.contact_id order by c.contact_id)
  from claimed c
  group by c.occasion, c.event_id
$$;
comment on function private.claim_automation_contacts(public.automations, timestamptz) is
  'Record and return (grouped by occasion and event) the due contacts inside the window not yet acted on.';

-- add_tag: returns how many contacts got the tag (those who had it already are skipped).
create function private.add_automation_tag(p_tag text, p_contact_ids uuid[]) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_tagged integer;
begin
  update public.contacts c set tags = c.tags || p_tag
   where c.id = any (p_contact_ids) and not p_tag = any (c.tags);
  get diagnostics v_tagged = row_count;
  return v_tagged;
end
$$;
comment on function private.add_automation_tag(text, uuid[]) is 'Add a tag to contacts that lack it; returns how many were tagged.';

create function public.run_due_automations(p_now timestamptz default now()) returns setof public.automation_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_automation public.automations;
  v_group record;
  v_enqueued integer;
  v_skipped integer;
  v_error text;
begin
  perform private.assert_messaging_operator();
  -- One runner at a time: every worker calls this each minute; the others return at once.
  if not pg_try_advisory_xact_lock(hashtextextended('run_due_automations', 0)) then
    return;
  end if;
  for v_automation in select * from public.automations a where a.enabled order by a.created_at loop
    begin
      for v_group in select * from private.claim_automation_contacts(v_automation, p_now) loop
        if v_automation.action = 'add_tag' then
          v_enqueued := private.add_automation_tag(v_automation.tag, v_group.contact_ids);
          v_skipped := cardinality(v_group.contact_ids) - v_enqueued;
        else
          select r.enqueued, r.skipped into v_enqueued, v_skipped
          from private.enqueue_automation(v_automation, v_group.contact_ids, v_group.occasion, v_group.event_id, p_now) r;
        end if;
        return next private.log_automation_run(v_automation.id, v_group.occasion, p_now,
          v_enqueued, v_skipped, 'completed', null);
      end loop;
    exception when others then
      -- One broken automation must not stop the others; its failure is logged, not swallowed
      -- (and what it claimed is rolled back with it, so the next run tries again).
      get stacked diagnostics v_error = message_text;
      return next private.log_automation_run(v_automation.id, 'run', p_now, 0, 0, 'failed', v_error);
    end;
  end loop;
end
$$;
comment on function public.run_due_automations(timestamptz) is
  'Workers (every minute; one runner at a time) or organizers: act on every enabled automation''s due contacts inside its window, once per contact and occasion; each automation × occasion acted on is logged.';
grant execute on function public.run_due_automations(timestamptz) to authenticated, service_role;
