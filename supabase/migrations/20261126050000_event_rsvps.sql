-- RSVPs (issue 14, item 7): taken on the public event page before the day, imported from a CSV
-- export through the contact import job, sent their personal pass (QR) before the event, streamed
-- live to the events screens; and an RSVP counter so the events list does not count RSVP rows.
--
--   public.rsvp_to_event(...)               anon: say you will come (rate-limited; opt-ins as on
--                                            the self check-in form, naming the disclosure shown)
--   public.set_contact_import_event(...)    organizers: a draft import RSVPs its people to an event
--   public.rsvp_pass_summary(p_event_id)    organizers: how many passes would go, how many cannot
--   public.send_rsvp_passes(p_event_id, p_app_url)  organizers: queue each RSVP's pass, once
--   public.event_overview() moved here (from …020000_event_management): RSVP counts from
--   private.event_rsvp_counts (check-in counts: see 20261127040000_event_check_in_counts).
--   public.event_attendees came with it and is now in 20261128040000_event_lists_cost.
--
-- An imported row RSVPs its person in the same transaction as the chunk that imported it (a
-- statement trigger on contact_import_rows), so mapping, validation and dedupe stay the import's
-- own — there is no second implementation of them here, and run_contact_import_chunk is unchanged.
-- Passes are TRANSACTIONAL messages through the one outbox (public.messages): the dedupe key
-- rsvp_pass:<event>:<contact> makes a second send queue nothing twice, and, as docs/compliance.md says,
-- an opted-out or suppressed address gets nothing (the other channel is tried).
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument, invalid_phone,
--   invalid_email, unknown_event, event_over, event_full, too_many_rsvps, unknown_disclosure,
--   unknown_import, invalid_transition, sender_not_found.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.event_rsvps
  add column source text not null default 'staff' constraint event_rsvps_source_known
    check (source in ('staff', 'import', 'form'));
comment on column public.event_rsvps.source is
  'How the RSVP came: staff (added by an organizer), import (a CSV import aimed at the event), form (the public RSVP form).';

alter table public.contact_imports
  add column event_id uuid references public.events (id) on delete set null;
comment on column public.contact_imports.event_id is
  'When set, every row this import inserts, updates or skips RSVPs its person to this event (an imported RSVP list).';
create index contact_imports_event_id_idx on public.contact_imports (event_id);

-- Not exposed (schema private). One row per (event, slot): each database session adds to its own
-- slot (pg_backend_pid() % 16), so imports and the RSVP form never queue behind one counter row,
-- and an event never has more than 16 rows to add up. Check-ins got the same counter in
-- 20261127040000_event_check_in_counts (counting them by index grew with every check-in).
create table private.event_rsvp_counts (
  event_id uuid not null references public.events (id) on delete cascade,
  slot smallint not null,
  rsvps integer not null default 0,
  primary key (event_id, slot)
);
comment on table private.event_rsvp_counts is
  'Per-event RSVP counts as per-session partial sums (the sum over slots is the count); kept by statement triggers on event_rsvps.';

insert into private.event_rsvp_counts (event_id, slot, rsvps)
select r.event_id, 0, count(*) from public.event_rsvps r group by r.event_id;

-- Not exposed: the public RSVP form's recent attempts, for its rate limits (kept one hour).
create table private.rsvp_attempts (
  address text not null,
  attempted_at timestamptz not null default now()
);
comment on table private.rsvp_attempts is
  'Attempts of the anonymous RSVP form in the last hour (the phone or email given), for rate limiting.';
create index rsvp_attempts_address_idx on private.rsvp_attempts (address, attempted_at);
create index rsvp_attempts_attempted_at_idx on private.rsvp_attempts (attempted_at);

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- private.count_rsvps and its two triggers moved to 20261129050000_event_counter_slots.sql (one slot per backend).

-- TRUNCATE (tests, a reset) fires no insert or delete trigger: the counts become zero.
create function private.zero_rsvp_counts() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from private.event_rsvp_counts;
  return null;
end
$$;
comment on function private.zero_rsvp_counts() is 'Trigger: after TRUNCATE of event_rsvps, no event has RSVPs counted.';

create trigger event_rsvps_count_truncated after truncate on public.event_rsvps
  for each statement execute function private.zero_rsvp_counts();

-- An RSVP never moves to another event; the counter relies on it.
create function private.forbid_rsvp_move() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception using errcode = 'P0001', message = 'invalid_argument',
    detail = 'An RSVP cannot move to another event: delete it and add a new one.';
end
$$;
comment on function private.forbid_rsvp_move() is 'Trigger: refuse changing an RSVP''s event_id (the counter relies on it).';

create trigger event_rsvps_event_fixed before update of event_id on public.event_rsvps
  for each row when (new.event_id is distinct from old.event_id) execute function private.forbid_rsvp_move();

-- Runs inside run_contact_import_chunk (a definer): rows that just got their outcome RSVP their
-- person when the import targets an event. Errors got no contact; a row that is only re-marked
-- (a deleted contact's id set to null) had an outcome already and is left alone.
create function private.rsvp_imported_rows() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into public.event_rsvps (event_id, contact_id, source)
  select distinct i.event_id, n.contact_id, 'import'
    from new_rows n
    join old_rows o on o.import_id = n.import_id and o.row_number = n.row_number
    join public.contact_imports i on i.id = n.import_id
   where o.status is null and n.status in ('inserted', 'updated', 'skipped')
     and n.contact_id is not null and i.event_id is not null
  on conflict (event_id, contact_id) do nothing;
  return null;
end
$$;
comment on function private.rsvp_imported_rows() is
  'Statement trigger on contact_import_rows: an import aimed at an event RSVPs each person a chunk imported, updated or found.';

create trigger contact_import_rows_rsvp after update on public.contact_import_rows
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.rsvp_imported_rows();

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.event_rsvp_count(p_event_id uuid) returns integer
language sql
stable
set search_path = ''
as $$
  select coalesce(sum(c.rsvps), 0)::integer from private.event_rsvp_counts c where c.event_id = p_event_id
$$;
comment on function private.event_rsvp_count(uuid) is 'An event''s RSVP count (the sum of its counter slots).';

-- private.event_counts → 20261127040000_event_check_in_counts.sql (check-ins counted in slots too).

-- private.rsvp_pass_recipients moved to 20261128020400_channel_rules.sql (the channels' rows decide).

-- unknown_event unless the event exists; event_over once it has ended.
create function private.open_event(p_event_id uuid) returns public.events
language plpgsql
stable
set search_path = ''
as $$
declare
  v_event public.events;
begin
  select * into v_event from public.events e where e.id = p_event_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  if v_event.ends_at <= now() then
    raise exception using errcode = 'P0001', message = 'event_over', detail = 'This event is over.';
  end if;
  return v_event;
end
$$;
comment on function private.open_event(uuid) is 'The event, or unknown_event / event_over (it has ended).';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: anonymous visitors have no rights on contacts, RSVPs or the consent ledger.
-- What it may do is narrow: find or create the person by the phone or email given, RSVP them,
-- and record an opt-in only where their consent is still unknown (an unverified form never
-- re-subscribes anyone nor changes an existing contact's details). Attempts are counted first.
create function public.rsvp_to_event(
  p_event_id uuid,
  p_first_name text,
  p_phone text default null,
  p_email text default null,
  p_last_name text default null,
  p_preferred_language text default null,
  p_sms_disclosure_id uuid default null,
  p_email_disclosure_id uuid default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  c_per_address_per_hour constant integer := 5;
  c_all_per_minute constant integer := 120;
  v_first_name text := nullif(btrim(p_first_name), '');
  v_phone text := case when nullif(btrim(p_phone), '') is not null then private.parse_phone(p_phone) end;
  v_email text := lower(nullif(btrim(p_email), ''));
  v_language text := nullif(btrim(p_preferred_language), '');
  v_event public.events;
  v_contact public.contacts;
begin
  if v_first_name is null or char_length(v_first_name) > 100 or char_length(coalesce(p_last_name, '')) > 100 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Give your first name (at most 100 characters).';
  end if;
  if v_phone is null and v_email is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Give a phone number or an email address.';
  end if;
  if v_email is not null and (v_email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' or char_length(v_email) > 254) then
    raise exception using errcode = 'P0001', message = 'invalid_email', detail = 'That is not an email address.';
  end if;
  if v_language is not null and v_language not in ('en', 'es') then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'The language is en or es.';
  end if;
  if (p_sms_disclosure_id is not null and (v_phone is null or not private.is_current_disclosure(p_sms_disclosure_id, 'sms')))
     or (p_email_disclosure_id is not null and (v_email is null or not private.is_current_disclosure(p_email_disclosure_id, 'email'))) then
    raise exception using errcode = 'P0001', message = 'unknown_disclosure',
      detail = 'An opt-in names the text shown now for a channel you gave an address for; reload the form.';
  end if;

  -- A refused call rolls back with its attempt, so what is counted is the RSVPs that went
  -- through: per address (someone re-submitting, or a script replaying one person) and in all
  -- (a script making up people).
  delete from private.rsvp_attempts a where a.attempted_at < now() - interval '1 hour';
  if (select count(*) from private.rsvp_attempts a
       where a.address = any (array[v_phone, v_email])) >= c_per_address_per_hour
     or (select count(*) from private.rsvp_attempts a where a.attempted_at > now() - interval '1 minute') >= c_all_per_minute then
    raise exception using errcode = 'P0001', message = 'too_many_rsvps', detail = 'Too many RSVPs: try again later.';
  end if;
  insert into private.rsvp_attempts (address)
  select a from unnest(array[v_phone, v_email]) a where a is not null;

  v_event := private.open_event(p_event_id);
  if not v_event.published then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  if v_event.capacity is not null and private.event_rsvp_count(v_event.id) >= v_event.capacity then
    raise exception using errcode = 'P0001', message = 'event_full', detail = 'Every place is taken.';
  end if;

  select * into v_contact from public.contacts c
   where (c.phone = v_phone or lower(c.email) = v_email) and c.erased_at is null and c.merged_into is null
   order by (c.phone = v_phone) desc nulls last
   limit 1;
  if not found then
    insert into public.contacts (phone, email, first_name, last_name, preferred_language, source)
    values (v_phone, v_email, v_first_name, nullif(btrim(p_last_name), ''), v_language, 'rsvp form')
    returning * into v_contact;
  end if;

  insert into public.consent_events (contact_id, channel, status, source, disclosure_id, note)
  select v_contact.id, o.channel, 'opted_in', 'form', o.disclosure_id, 'RSVP form'
    from (values ('sms'::public.message_channel, p_sms_disclosure_id, v_phone = v_contact.phone::text),
                 ('email'::public.message_channel, p_email_disclosure_id, v_email = lower(v_contact.email)))
         o (channel, disclosure_id, same_address)
   where o.disclosure_id is not null and o.same_address
     and private.current_consent(v_contact.id, o.channel) is null;

  insert into public.event_rsvps (event_id, contact_id, source)
  values (v_event.id, v_contact.id, 'form')
  on conflict (event_id, contact_id) do nothing;
  return jsonb_build_object('status', 'rsvpd', 'event_id', v_event.id);
end
$$;
comment on function public.rsvp_to_event(uuid, text, text, text, text, text, uuid, uuid) is
  'Anyone: RSVP to a published event that has not ended, by phone and/or email (5 RSVPs an hour per address, 120 addresses a minute in all). Creates the contact if new (never changes an existing one); an opt-in names the disclosure shown and is recorded only where consent is unknown. Answers {status: rsvpd, event_id} whether or not the person had RSVP''d. Errors: invalid_argument, invalid_phone, invalid_email, unknown_disclosure, too_many_rsvps, unknown_event, event_over, event_full.';
grant execute on function public.rsvp_to_event(uuid, text, text, text, text, text, uuid, uuid) to anon, authenticated;

-- SECURITY DEFINER: staff never write the import tables directly (as the other import functions).
create function public.set_contact_import_event(p_import_id uuid, p_event_id uuid) returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_import public.contact_imports;
begin
  perform private.require_staff_level('organizer');
  v_import := private.lock_contact_import(p_import_id);
  if v_import.status <> 'draft' then
    raise exception using errcode = 'P0001', message = 'invalid_transition', detail = 'This import has already started.';
  end if;
  if p_event_id is not null and not exists (select 1 from public.events e where e.id = p_event_id) then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  update public.contact_imports set event_id = p_event_id, updated_at = now() where id = p_import_id;
  perform private.audit('contact_import_event_set', 'contact_imports', p_import_id::text, null, null,
    jsonb_build_object('event_id', p_event_id));
end
$$;
comment on function public.set_contact_import_event(uuid, uuid) is
  'Organizers: aim a draft import at an event (every row it imports, updates or finds RSVPs its person), or at none (null). Errors: not_allowed, unknown_import, invalid_transition, unknown_event.';
grant execute on function public.set_contact_import_event(uuid, uuid) to authenticated, service_role;

-- SECURITY DEFINER: it reads consent and suppressions, which organizers do not read row by row
-- here; the caller is checked first and gets only counts.
create function public.rsvp_pass_summary(p_event_id uuid)
returns table (to_send integer, without_address integer, already_sent integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  if not exists (select 1 from public.events e where e.id = p_event_id) then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  return query
  select (count(*) filter (where not r.sent and r.channel is not null))::integer,
         (count(*) filter (where not r.sent and r.channel is null))::integer,
         (count(*) filter (where r.sent))::integer
    from private.rsvp_pass_recipients(p_event_id) r;
end
$$;
comment on function public.rsvp_pass_summary(uuid) is
  'Organizers: of an event''s RSVPs, how many passes would be sent now, how many people have no usable phone or email (none, opted out or suppressed), how many were sent already. Errors: not_allowed, unknown_event.';
grant execute on function public.rsvp_pass_summary(uuid) to authenticated, service_role;

-- public.send_rsvp_passes moved to 20261128020400_channel_rules.sql (the channels' rows decide).

-- SECURITY INVOKER: organizers read events under RLS; the counts come from private.event_counts
-- (counter slots), not from counting RSVP or check-in rows.
create function public.event_overview()
returns table (id uuid, slug text, name text, venue text, starts_at timestamptz, ends_at timestamptz,
               starts_local timestamp, ends_local timestamp, org_time_zone text, capacity integer,
               published boolean, rsvp_count integer, check_in_count integer)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_time_zone text := (private.messaging_settings()).org_time_zone;
begin
  perform private.require_staff_level('organizer');
  return query
  select e.id, e.slug, e.name, e.venue, e.starts_at, e.ends_at,
         e.starts_at at time zone v_time_zone, e.ends_at at time zone v_time_zone, v_time_zone,
         e.capacity, e.published, coalesce(n.rsvps, 0), coalesce(n.check_ins, 0)
    from public.events e
    left join private.event_counts() n on n.event_id = e.id
   order by e.starts_at desc;
end
$$;
comment on function public.event_overview() is
  'Organizers: every event with its times (also as wall-clock in the organisation''s zone), capacity, RSVP and check-in counts, newest first. Errors: not_allowed.';
grant execute on function public.event_overview() to authenticated, service_role;
-- public.event_attendees moved to 20261128040000_event_lists_cost.sql (an index-only first-timer probe).

-- ============================================================================================
-- Realtime
-- ============================================================================================

-- The events screens refetch when an RSVP comes or goes. Realtime delivers a change only to a
-- subscriber whose RLS lets them read the row: organizers and up (the only select policy).
select private.add_to_realtime_publication('public.event_rsvps');
