-- Check-in: events, check-ins, the check-in function, QR tokens, door lookup, reprint and live counts.
--
-- public.check_in(...) is the one way a check-in happens. It is idempotent: the unique
-- (event_id, contact_id) makes a second call return the existing check-in with code
-- 'already_checked_in' and its time — no second row, no second automatic print. A new check-in
-- enqueues its print job in the same transaction. Refusal codes (raised as P0001, message = code):
--   unknown_event, not_open, not_allowed, unknown_attendee, registration_required,
--   invalid_phone, invalid_argument, reprint_limit, unknown_check_in.
-- public.check_in and public.reprint_badge themselves are defined with the door's print stations
-- (20261125003000_door_stations.sql), private.apply_registration with consent capture
-- (20261125001000_consent_capture.sql).

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.events (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null check (char_length(name) between 1 and 200),
  description text,
  venue text,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  time_zone text not null default 'America/New_York',
  checkin_opens_at timestamptz,
  checkin_closes_at timestamptz,
  published boolean not null default false,
  default_device_id uuid references public.devices (id) on delete set null,
  label_layout text not null default 'default',
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint events_ends_after_start check (ends_at >= starts_at),
  constraint events_checkin_window_ordered check (
    checkin_opens_at is null or checkin_closes_at is null or checkin_closes_at > checkin_opens_at)
);
comment on table public.events is 'Events people check in to. Anonymous visitors see published ones.';
comment on column public.events.slug is 'URL name for the public event page, e.g. hello-miami-march.';
comment on column public.events.time_zone is 'IANA time zone the event''s times are shown in.';
comment on column public.events.checkin_opens_at is 'Check-in opens; null = 2 hours before starts_at.';
comment on column public.events.checkin_closes_at is 'Check-in closes; null = ends_at.';
comment on column public.events.published is 'Visible on the public page and open to self check-in.';
comment on column public.events.default_device_id is 'Print station that prints this event''s name tags.';
comment on column public.events.label_layout is 'Name-tag layout the renderer uses (payload.layout).';

create index events_starts_at_idx on public.events (starts_at);
create index events_default_device_id_idx on public.events (default_device_id);
create index events_created_by_idx on public.events (created_by);
create index events_published_idx on public.events (published) where published;

create table public.check_ins (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references public.events (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  method text not null check (method in ('qr', 'phone', 'staff', 'self')),
  checked_in_by uuid references auth.users (id) on delete set null,
  checked_in_at timestamptz not null default now(),
  constraint check_ins_one_per_event_and_contact unique (event_id, contact_id)
);
comment on table public.check_ins is 'One row per person per event they checked in to.';
comment on column public.check_ins.method is 'qr (door scan), phone (door lookup), staff (picked by staff), self (own phone).';
comment on column public.check_ins.checked_in_by is 'The auth user who performed it (the attendee for self check-in).';

create index check_ins_contact_id_idx on public.check_ins (contact_id, checked_in_at);
create index check_ins_checked_in_by_idx on public.check_ins (checked_in_by);

alter table public.print_jobs
  add constraint print_jobs_event_id_fkey foreign key (event_id) references public.events (id) on delete cascade,
  add constraint print_jobs_check_in_id_fkey foreign key (check_in_id) references public.check_ins (id) on delete set null;

create index contacts_first_name_lower_idx on public.contacts (lower(first_name) text_pattern_ops);

create index contacts_last_name_lower_idx on public.contacts (lower(last_name) text_pattern_ops);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.events, public.check_ins from anon, authenticated;

-- Anonymous visitors get only what a public event page shows.
grant select (id, slug, name, description, venue, starts_at, ends_at, time_zone,
              checkin_opens_at, checkin_closes_at, published) on table public.events to anon;
grant select, insert, update, delete on table public.events to authenticated;
grant select, delete on table public.check_ins to authenticated;
grant all on table public.events, public.check_ins to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger events_touch_updated_at before update on public.events
  for each row execute function private.touch_updated_at();

create trigger events_audit after insert or update or delete on public.events
  for each row execute function private.audit_row_change();

create trigger check_ins_audit after delete on public.check_ins
  for each row execute function private.audit_row_change();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.events enable row level security;
alter table public.check_ins enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.event_checkin_is_open(p_event public.events) returns boolean
language sql
stable
set search_path = ''
as $$
  select now() >= coalesce(p_event.checkin_opens_at, p_event.starts_at - interval '2 hours')
     and now() < coalesce(p_event.checkin_closes_at, p_event.ends_at)
$$;
comment on function private.event_checkin_is_open(public.events) is
  'Whether now() is inside the event''s check-in window (defaults: 2 h before start until the end).';

-- E.164 from what people type: '+' and digits kept; 10 digits (US default region) get +1;
-- 11 digits starting with 1 get +. Anything else raises invalid_phone.
create function private.parse_phone(p_input text) returns public.phone_e164
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_digits text := regexp_replace(coalesce(p_input, ''), '[^0-9]', '', 'g');
  v_phone text;
begin
  if btrim(coalesce(p_input, '')) ~ '^\+' then
    v_phone := '+' || v_digits;
  elsif length(v_digits) = 10 and v_digits !~ '^[01]' then
    v_phone := '+1' || v_digits;
  elsif length(v_digits) = 11 and v_digits ~ '^1' then
    v_phone := '+' || v_digits;
  end if;
  if v_phone is null or v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception using errcode = 'P0001', message = 'invalid_phone',
      detail = format('Not a phone number: %s', p_input);
  end if;
  return v_phone;
end
$$;
comment on function private.parse_phone(text) is
  'Normalise a typed phone number to E.164 (US default region) or raise invalid_phone.';
grant execute on function private.parse_phone(text) to authenticated, service_role;

-- The name-tag payload (printing contract), denormalised at enqueue time.
create function private.label_payload(p_contact public.contacts, p_event public.events) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'first_name', coalesce(p_contact.first_name, ''),
    'last_name', p_contact.last_name,
    'display_name', coalesce(nullif(btrim(concat_ws(' ', p_contact.first_name, p_contact.last_name)), ''), 'Guest'),
    'pronouns', p_contact.pronouns,
    'company', p_contact.company,
    'title', p_contact.title,
    'event_name', p_event.name,
    'qr_token', p_contact.qr_token,
    'layout', p_event.label_layout)
$$;
comment on function private.label_payload(public.contacts, public.events) is
  'Label data for a print job: names, pronouns, company, title, event name, QR token, layout.';

-- The one shape of check_in's answer, whichever way the call ends.
create function private.check_in_result(
  p_code text,
  p_check_in public.check_ins,
  p_contact public.contacts,
  p_event public.events,
  p_print_job_id uuid,
  p_registered boolean
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('code', p_code, 'check_in_id', p_check_in.id,
    'contact_id', p_contact.id, 'checked_in_at', p_check_in.checked_in_at,
    'display_name', private.label_payload(p_contact, p_event) ->> 'display_name',
    'print_job_id', p_print_job_id, 'registered', p_registered)
$$;
comment on function private.check_in_result(text, public.check_ins, public.contacts, public.events, uuid, boolean) is
  'check_in''s answer: {code, check_in_id, contact_id, checked_in_at, display_name, print_job_id, registered}.';

create function private.enqueue_label(
  p_contact public.contacts,
  p_event public.events,
  p_check_in_id uuid,
  p_reprint_of uuid,
  p_device_id uuid
) returns uuid
language sql
set search_path = ''
as $$
  insert into public.print_jobs (event_id, check_in_id, contact_id, device_id, payload, reprint_of, requested_by)
  values (p_event.id, p_check_in_id, p_contact.id, p_device_id,
          private.label_payload(p_contact, p_event), p_reprint_of, (select auth.uid()))
  returning id
$$;
comment on function private.enqueue_label(public.contacts, public.events, uuid, uuid, uuid) is
  'Insert a queued print job for this contact at this event.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Anyone can read published events" on public.events
  for select to anon, authenticated using (published);

create policy "Staff can read all events" on public.events
  for select to authenticated using ((select private.has_staff_level('volunteer')));

create policy "Organizers can create events" on public.events
  for insert to authenticated with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update events" on public.events
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Admins can delete events" on public.events
  for delete to authenticated using ((select private.has_staff_level('admin')));

-- Check-ins are created only by public.check_in().
create policy "Staff can read check-ins" on public.check_ins
  for select to authenticated using ((select private.has_staff_level('volunteer')));

create policy "Attendees can read their own check-ins" on public.check_ins
  for select to authenticated using (contact_id = (select private.current_contact_id()));

create policy "Organizers can undo check-ins" on public.check_ins
  for delete to authenticated using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: volunteers cannot read contacts; this returns only the door minimum (name,
-- pronouns, company, check-in state) for a phone (exact) or a name (prefix), 20 rows at most.
create function public.find_attendees(p_event_id uuid, p_query text)
returns table (contact_id uuid, first_name text, last_name text, pronouns text, company text,
               checked_in_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_query text := btrim(coalesce(p_query, ''));
  v_phone text;
begin
  if private.acting_staff_level() is null then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Staff only.';
  end if;
  if char_length(v_query) < 2 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Type at least two characters.';
  end if;
  if v_query ~ '^[+0-9() .-]+$' then
    v_phone := private.parse_phone(v_query);
  end if;
  return query
  select c.id, c.first_name, c.last_name, c.pronouns, c.company, ci.checked_in_at
    from public.contacts c
    left join public.check_ins ci on ci.contact_id = c.id and ci.event_id = p_event_id
   where c.erased_at is null and c.merged_into is null
     and (case when v_phone is not null then c.phone = v_phone
               else lower(c.first_name || ' ' || coalesce(c.last_name, '')) like lower(v_query) || '%'
                    or lower(c.last_name) like lower(v_query) || '%' end)
   order by c.first_name, c.last_name
   limit 20;
end
$$;
comment on function public.find_attendees(uuid, text) is
  'Door lookup for staff: by exact phone or name prefix; returns names, pronouns, company and check-in time only.';
grant execute on function public.find_attendees(uuid, text) to authenticated, service_role;

-- SECURITY DEFINER: attendees cannot update their qr_token column directly (guard trigger).
create function public.rotate_qr_token(p_contact_id uuid default null) returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_contact_id uuid := coalesce(p_contact_id, private.current_contact_id());
  v_token text;
begin
  if v_contact_id is null
     or not (private.is_attendee_of(v_contact_id) or coalesce(private.acting_staff_level() >= 'organizer', false)) then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only the attendee or an organizer may rotate a QR token.';
  end if;
  update public.contacts set qr_token = private.new_qr_token() where id = v_contact_id
  returning qr_token into v_token;
  if v_token is null then
    raise exception using errcode = 'P0001', message = 'unknown_attendee', detail = 'No such contact.';
  end if;
  return v_token;
end
$$;
comment on function public.rotate_qr_token(uuid) is
  'Give a contact a new QR token (the old one stops working). Attendee: own; organizers: anyone. Errors: not_allowed, unknown_attendee.';
grant execute on function public.rotate_qr_token(uuid) to authenticated, service_role;

-- SECURITY DEFINER: a count is not personal data; door screens may show it to volunteers and
-- (for published events) to anyone.
create function public.event_checkin_count(p_event_id uuid) returns integer
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not exists (select 1 from public.events e where e.id = p_event_id
                  and (e.published or private.acting_staff_level() is not null)) then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  return (select count(*)::integer from public.check_ins where event_id = p_event_id);
end
$$;
comment on function public.event_checkin_count(uuid) is 'Live number of check-ins for an event. Errors: unknown_event.';
grant execute on function public.event_checkin_count(uuid) to anon, authenticated, service_role;

-- ============================================================================================
-- Realtime
-- ============================================================================================

-- Live check-in counts on the door screens.
select private.add_to_realtime_publication('public.check_ins');
