-- Check-in: events, check-ins, the check-in function, QR tokens, door lookup, reprint and live counts.
--
-- public.check_in(...) is the one way a check-in happens. It is idempotent: the unique
-- (event_id, contact_id) makes a second call return the existing check-in with code
-- 'already_checked_in' and its time — no second row, no second automatic print. A new check-in
-- enqueues its print job in the same transaction. Refusal codes (raised as P0001, message = code):
--   unknown_event, not_open, not_allowed, unknown_attendee, registration_required,
--   invalid_phone, invalid_argument, reprint_limit, unknown_check_in.

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

-- Apply a first-timer's registration form to their contact (only fields that are still empty
-- are filled for an existing contact, so a door volunteer cannot overwrite someone's data).
create function private.apply_registration(p_contact_id uuid, p_form jsonb) returns public.contacts
language plpgsql
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_key text;
begin
  for v_key in select jsonb_object_keys(p_form) loop
    if v_key not in ('first_name', 'last_name', 'pronouns', 'company', 'title', 'email') then
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = format('Unknown registration field: %s', v_key);
    end if;
  end loop;
  update public.contacts c
     set first_name = coalesce(c.first_name, nullif(btrim(p_form ->> 'first_name'), '')),
         last_name = coalesce(c.last_name, nullif(btrim(p_form ->> 'last_name'), '')),
         pronouns = coalesce(c.pronouns, nullif(btrim(p_form ->> 'pronouns'), '')),
         company = coalesce(c.company, nullif(btrim(p_form ->> 'company'), '')),
         title = coalesce(c.title, nullif(btrim(p_form ->> 'title'), '')),
         email = coalesce(c.email, nullif(lower(btrim(p_form ->> 'email')), ''))
   where c.id = p_contact_id
  returning * into v_contact;
  return v_contact;
end
$$;
comment on function private.apply_registration(uuid, jsonb) is
  'Fill a contact''s empty name/pronouns/company/title/email from a registration form.';

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

-- SECURITY DEFINER: volunteers and attendees cannot read or write contacts, check_ins or
-- print_jobs directly; this function decides who may check whom in (staff: anyone, from a QR
-- token, phone or contact id; an attendee: only themselves, for a published event) and returns
-- only what the door screen needs.
create function public.check_in(
  p_event_id uuid,
  p_qr_token text default null,
  p_phone text default null,
  p_contact_id uuid default null,
  p_registration jsonb default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_level public.staff_level := private.acting_staff_level();
  v_event public.events;
  v_contact public.contacts;
  v_phone text;
  v_method text;
  v_registered boolean := false;
  v_check_in public.check_ins;
  v_print_job_id uuid;
begin
  select * into v_event from public.events where id = p_event_id;
  if not found or (v_level is null and not v_event.published) then
    raise exception using errcode = 'P0001', message = 'unknown_event', detail = 'No such event.';
  end if;
  if num_nonnulls(p_qr_token, p_phone, p_contact_id) > 1 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'Give at most one of p_qr_token, p_phone, p_contact_id.';
  end if;
  if p_registration is not null and jsonb_typeof(p_registration) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_registration is a JSON object.';
  end if;

  if v_level is not null then
    -- Door check-in by staff.
    if p_qr_token is not null then
      v_method := 'qr';
      select * into v_contact from public.contacts where qr_token = p_qr_token;
    elsif p_phone is not null then
      v_method := 'phone';
      v_phone := private.parse_phone(p_phone);
      select * into v_contact from public.contacts where phone = v_phone;
    elsif p_contact_id is not null then
      v_method := 'staff';
      select * into v_contact from public.contacts where id = p_contact_id;
    else
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = 'Door check-in needs p_qr_token, p_phone or p_contact_id.';
    end if;
    if v_contact.merged_into is not null then
      select * into v_contact from public.contacts where id = v_contact.merged_into;
    end if;
    if v_contact.id is null and v_phone is not null and p_registration is not null then
      -- A first-timer registered at the door.
      insert into public.contacts (phone, source) values (v_phone, 'check-in') returning * into v_contact;
      v_registered := true;
    end if;
  else
    -- Self check-in: an attendee signed in with their verified phone, for themselves only.
    select * into v_contact from public.contacts where user_id = (select auth.uid());
    if v_contact.id is null
       or (p_qr_token is not null and p_qr_token is distinct from v_contact.qr_token)
       or (p_contact_id is not null and p_contact_id <> v_contact.id)
       or (p_phone is not null and private.parse_phone(p_phone) is distinct from v_contact.phone) then
      raise exception using errcode = 'P0001', message = 'not_allowed',
        detail = 'Sign in with your phone to check yourself in.';
    end if;
    v_method := 'self';
  end if;

  if v_contact.id is null or v_contact.erased_at is not null then
    raise exception using errcode = 'P0001', message = 'unknown_attendee',
      detail = 'No attendee matches; register them with p_phone and p_registration.';
  end if;

  -- A repeat is harmless, even after the window closed.
  select * into v_check_in from public.check_ins where event_id = v_event.id and contact_id = v_contact.id;
  if found then
    return private.check_in_result('already_checked_in', v_check_in, v_contact, v_event, null, false);
  end if;

  if not private.event_checkin_is_open(v_event) then
    raise exception using errcode = 'P0001', message = 'not_open',
      detail = 'Check-in for this event is not open now.';
  end if;

  if p_registration is not null then
    v_contact := private.apply_registration(v_contact.id, p_registration);
    v_registered := true;
  end if;
  if v_contact.first_name is null then
    raise exception using errcode = 'P0001', message = 'registration_required',
      detail = 'First visit: send p_registration with at least first_name.';
  end if;

  insert into public.check_ins (event_id, contact_id, method, checked_in_by)
  values (v_event.id, v_contact.id, v_method, (select auth.uid()))
  on conflict on constraint check_ins_one_per_event_and_contact do nothing
  returning * into v_check_in;
  if v_check_in.id is null then
    -- A concurrent call won the race: report its row, print nothing.
    select * into v_check_in from public.check_ins where event_id = v_event.id and contact_id = v_contact.id;
    return private.check_in_result('already_checked_in', v_check_in, v_contact, v_event, null, v_registered);
  end if;

  v_print_job_id := private.enqueue_label(v_contact, v_event, v_check_in.id, null, v_event.default_device_id);
  return private.check_in_result('checked_in', v_check_in, v_contact, v_event, v_print_job_id, v_registered);
end
$$;
comment on function public.check_in(uuid, text, text, uuid, jsonb) is
  'Check a person in (staff: by QR token, phone or contact id, registering a first-timer with p_phone + p_registration; attendee: themselves). Returns {code: checked_in|already_checked_in, check_in_id, contact_id, checked_in_at, display_name, print_job_id, registered}. Errors: unknown_event, not_open, not_allowed, unknown_attendee, registration_required, invalid_phone, invalid_argument.';
grant execute on function public.check_in(uuid, text, text, uuid, jsonb) to authenticated, service_role;

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

-- SECURITY DEFINER: volunteers may reprint but not insert print jobs; the function applies the
-- per-attendee limit for volunteers and writes the audit entry.
create function public.reprint_badge(p_check_in_id uuid, p_reason text default null) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_level public.staff_level := private.acting_staff_level();
  v_check_in public.check_ins;
  v_event public.events;
  v_contact public.contacts;
  v_last_job public.print_jobs;
  v_reprints integer;
  v_job_id uuid;
  c_volunteer_reprint_limit constant integer := 2;
begin
  if v_level is null then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Staff only.';
  end if;
  select * into v_check_in from public.check_ins where id = p_check_in_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_check_in', detail = 'No such check-in.';
  end if;
  select count(*) into v_reprints from public.print_jobs
   where check_in_id = p_check_in_id and reprint_of is not null;
  if v_level = 'volunteer' and v_reprints >= c_volunteer_reprint_limit then
    raise exception using errcode = 'P0001', message = 'reprint_limit',
      detail = format('Volunteers may reprint a tag %s times; ask an organizer.', c_volunteer_reprint_limit);
  end if;
  select * into v_event from public.events where id = v_check_in.event_id;
  select * into v_contact from public.contacts where id = v_check_in.contact_id;
  select * into v_last_job from public.print_jobs
   where check_in_id = p_check_in_id order by created_at desc limit 1;
  v_job_id := private.enqueue_label(v_contact, v_event, v_check_in.id, v_last_job.id,
                                    coalesce(v_event.default_device_id, v_last_job.device_id));
  perform private.audit('reprint', 'print_jobs', v_job_id::text, null, null,
    jsonb_build_object('check_in_id', p_check_in_id, 'reprint_of', v_last_job.id, 'reason', p_reason));
  return v_job_id;
end
$$;
comment on function public.reprint_badge(uuid, text) is
  'Staff: queue another name tag for a check-in (audited; volunteers at most 2 per check-in). Returns the new job id. Errors: not_allowed, unknown_check_in, reprint_limit.';
grant execute on function public.reprint_badge(uuid, text) to authenticated, service_role;

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
alter publication supabase_realtime add table public.check_ins;
