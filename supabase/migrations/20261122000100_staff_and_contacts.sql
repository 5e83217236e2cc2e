-- Staff levels and contacts: the shared core every later migration builds on.
--
-- Staff are auth users with a level (volunteer < organizer < admin < owner). Contacts are the
-- people Hello Miami knows; an attendee is an auth user linked to their contact by a verified
-- phone. The helpers in `private` are what every policy in this and later migrations calls:
--   private.current_staff_level()            -> public.staff_level (null when not active staff)
--   private.has_staff_level(p_min)           -> boolean
--   private.current_contact_id()             -> uuid (the caller's own contact, if linked)
--   private.is_attendee_of(p_contact_id)     -> boolean (the caller is this contact)
-- Refusals everywhere use `raise exception using errcode = 'P0001', message = '<stable_code>'`.

-- The baseline's `alter default privileges in schema public revoke execute … from public` cannot
-- remove Postgres's GLOBAL default (EXECUTE to PUBLIC on every new function), so anon could still
-- call every new function. Revoke the global default for the migration role, so that from here
-- on a function is callable only by the roles its `grant execute` names.
alter default privileges revoke execute on functions from public;

-- ============================================================================================
-- Types
-- ============================================================================================

-- Declared in ascending order so `level >= 'organizer'` compares levels.
create type public.staff_level as enum ('volunteer', 'organizer', 'admin', 'owner');
comment on type public.staff_level is
  'Staff role levels in ascending order: volunteer < organizer < admin < owner.';

-- E.164: a plus, a non-zero country digit, 7 to 14 more digits.
create domain public.phone_e164 as text
  check (value ~ '^\+[1-9][0-9]{6,14}$');
comment on domain public.phone_e164 is 'A phone number in E.164 form, e.g. +13055550123.';

-- ============================================================================================
-- Shared trigger and token helpers
-- ============================================================================================

create function private.touch_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;
comment on function private.touch_updated_at() is 'Trigger: keep updated_at current on update.';

-- 18 random bytes, URL-safe base64: 144 bits, unguessable, fits a small QR code.
create function private.new_qr_token() returns text
language sql
volatile
set search_path = ''
as $$
  select translate(encode(extensions.gen_random_bytes(18), 'base64'), '+/', '-_')
$$;
comment on function private.new_qr_token() is
  'A fresh unguessable URL-safe token (144 random bits) for a contact''s personal QR code.';
grant execute on function private.new_qr_token() to authenticated, service_role;

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.staff (
  user_id uuid primary key references auth.users (id) on delete cascade,
  level public.staff_level not null,
  display_name text,
  status text not null default 'active' check (status in ('invited', 'active', 'disabled')),
  invited_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  created_by uuid references auth.users (id) on delete set null
);
comment on table public.staff is
  'Staff members: auth users with a role level. Only active staff get staff rights.';
comment on column public.staff.level is 'volunteer < organizer < admin < owner.';
comment on column public.staff.status is
  'invited (account created, not yet signed in), active, or disabled (no staff rights).';
comment on column public.staff.created_by is 'The staff member (or null for operators) who added them.';

create index staff_created_by_idx on public.staff (created_by);

create trigger staff_touch_updated_at before update on public.staff
  for each row execute function private.touch_updated_at();

create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid unique references auth.users (id) on delete set null,
  phone public.phone_e164 unique,
  email text check (email is null or email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  first_name text,
  last_name text,
  pronouns text,
  company text,
  title text,
  tags text[] not null default '{}',
  custom_fields jsonb not null default '{}' check (jsonb_typeof(custom_fields) = 'object'),
  source text,
  time_zone text,
  birthday_month smallint check (birthday_month between 1 and 12),
  birthday_day smallint check (birthday_day between 1 and 31),
  birthday_year smallint check (birthday_year between 1900 and 2100),
  qr_token text not null unique default private.new_qr_token(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  erased_at timestamptz,
  merged_into uuid references public.contacts (id) on delete set null,
  constraint contacts_birthday_day_needs_month check (birthday_day is null or birthday_month is not null),
  constraint contacts_birthday_year_needs_day check (birthday_year is null or birthday_day is not null),
  constraint contacts_birthday_is_a_date check (
    birthday_day is null
    or birthday_day <= case
      when birthday_month in (4, 6, 9, 11) then 30
      when birthday_month = 2 then
        case when birthday_year is null
               or (birthday_year % 4 = 0 and (birthday_year % 100 <> 0 or birthday_year % 400 = 0))
             then 29 else 28 end
      else 31
    end
  ),
  constraint contacts_time_zone_is_iana check (time_zone is null or time_zone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$')
);
comment on table public.contacts is
  'People Hello Miami knows: attendees, imported contacts, anyone with a phone or email.';
comment on column public.contacts.user_id is
  'The linked auth user (an attendee who verified this phone); null when never signed in.';
comment on column public.contacts.phone is 'E.164, unique. The login and SMS address.';
comment on column public.contacts.email is 'Unique case-insensitively.';
comment on column public.contacts.tags is 'Free labels, e.g. {speaker,sponsor}. Segments filter on them.';
comment on column public.contacts.custom_fields is 'Organisation-defined fields as a JSON object.';
comment on column public.contacts.source is 'Where the contact came from: import, check-in, signup, staff, …';
comment on column public.contacts.time_zone is 'IANA time zone; null means the organisation''s.';
comment on column public.contacts.birthday_year is 'Null when the year is unknown (month and day only).';
comment on column public.contacts.qr_token is
  'Unguessable token in the person''s QR code; rotate with public.rotate_qr_token().';
comment on column public.contacts.erased_at is 'Set when personal data was erased on a GDPR request.';
comment on column public.contacts.merged_into is 'Set on a duplicate merged into another contact.';

create unique index contacts_email_lower_key on public.contacts (lower(email));
create index contacts_tags_idx on public.contacts using gin (tags);
create index contacts_created_at_idx on public.contacts (created_at);
create index contacts_merged_into_idx on public.contacts (merged_into);

create trigger contacts_touch_updated_at before update on public.contacts
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Grants (RLS below decides rows; anon has no business with either table)
-- ============================================================================================

revoke all on table public.staff, public.contacts from anon, authenticated;
grant select on table public.staff to authenticated;
grant select, insert, update, delete on table public.contacts to authenticated;
grant all on table public.staff, public.contacts to service_role;

alter table public.staff enable row level security;
alter table public.contacts enable row level security;

-- ============================================================================================
-- Policy helpers
-- ============================================================================================

-- SECURITY DEFINER: policies on staff itself (and on every other table) call this; as an
-- invoker it would read staff under staff's own RLS and recurse. It only reveals the caller's
-- own level.
create function private.current_staff_level() returns public.staff_level
language sql
stable
security definer
set search_path = ''
as $$
  select s.level
  from public.staff s
  where s.user_id = (select auth.uid()) and s.status = 'active'
$$;
comment on function private.current_staff_level() is
  'The caller''s staff level if they are active staff, else null.';
grant execute on function private.current_staff_level() to authenticated;

-- SECURITY DEFINER for the same reason as current_staff_level().
create function private.has_staff_level(p_min public.staff_level) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.current_staff_level() >= p_min, false)
$$;
comment on function private.has_staff_level(public.staff_level) is
  'True when the caller is active staff at level p_min or above. Use as (select private.has_staff_level(''organizer'')).';
grant execute on function private.has_staff_level(public.staff_level) to authenticated;

-- SECURITY DEFINER: policies on tables other than contacts ask "is this my contact?"; reading
-- contacts under RLS there would cost a policy evaluation per row. Reveals only the caller's id.
create function private.current_contact_id() returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select c.id from public.contacts c where c.user_id = (select auth.uid())
$$;
comment on function private.current_contact_id() is
  'The contact linked to the caller''s auth user (an attendee), or null.';
grant execute on function private.current_contact_id() to authenticated;

create function private.is_attendee_of(p_contact_id uuid) returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(p_contact_id = private.current_contact_id(), false)
$$;
comment on function private.is_attendee_of(uuid) is 'True when the caller is the given contact.';
grant execute on function private.is_attendee_of(uuid) to authenticated;

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Staff can read their own staff row" on public.staff
  for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Organizers can read the staff list" on public.staff
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- Staff rows change only through public.add_staff / set_staff_level / disable_staff (next
-- migration), which apply the owner/admin rules; no direct insert/update/delete policy.

create policy "Organizers can read contacts" on public.contacts
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Attendees can read their own contact" on public.contacts
  for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Organizers can create contacts" on public.contacts
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update contacts" on public.contacts
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

-- Which columns an attendee may change is enforced by contacts_guard_self_update below.
create policy "Attendees can update their own contact" on public.contacts
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Admins can delete contacts" on public.contacts
  for delete to authenticated
  using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Attendee self-edit guard
-- ============================================================================================

-- An attendee edits their own name, pronouns, company, title, time zone and birthday; phone,
-- email, tags, custom fields, source, QR token and links stay with staff and functions.
create function private.contacts_guard_self_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Only direct API writes are limited: inside a SECURITY DEFINER function current_user is the
  -- function's owner, and the service role and migrations are trusted.
  if current_user <> 'authenticated' then
    return new;
  end if;
  if not private.has_staff_level('organizer')
     and (new.id, new.user_id, new.phone, new.email, new.tags, new.custom_fields, new.source,
          new.qr_token, new.created_at, new.erased_at, new.merged_into)
         is distinct from
         (old.id, old.user_id, old.phone, old.email, old.tags, old.custom_fields, old.source,
          old.qr_token, old.created_at, old.erased_at, old.merged_into)
  then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Attendees may change only name, pronouns, company, title, time zone and birthday.';
  end if;
  return new;
end
$$;
comment on function private.contacts_guard_self_update() is
  'Trigger: attendees may edit only their own profile fields, not phone/email/tags/links.';

create trigger contacts_guard_self_update before update on public.contacts
  for each row execute function private.contacts_guard_self_update();

-- ============================================================================================
-- Link phone-verified auth users to contacts
-- ============================================================================================

-- GoTrue stores phone without the leading '+'; contacts store E.164 with it.
create function private.normalize_phone(p_phone text) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_phone is null or btrim(p_phone) = '' then null
    else '+' || regexp_replace(p_phone, '[^0-9]', '', 'g')
  end
$$;
comment on function private.normalize_phone(text) is
  'Digits of a phone with a leading + (GoTrue stores phones without it). Not a validator.';
grant execute on function private.normalize_phone(text) to authenticated, service_role;

-- SECURITY DEFINER: runs as the Auth service's role (supabase_auth_admin), which has no rights on
-- public.contacts. Only acts on the row being inserted/updated.
create function private.link_auth_user_to_contact() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_phone text := private.normalize_phone(new.phone);
begin
  if new.phone_confirmed_at is null or v_phone is null or v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    return new;
  end if;
  if exists (select 1 from public.contacts c where c.user_id = new.id) then
    return new;
  end if;
  update public.contacts c
     set user_id = new.id
   where c.phone = v_phone and c.user_id is null and c.erased_at is null;
  if not found and not exists (select 1 from public.contacts c where c.phone = v_phone) then
    insert into public.contacts (user_id, phone, source)
    values (new.id, v_phone, 'signup');
  end if;
  return new;
end
$$;
comment on function private.link_auth_user_to_contact() is
  'Trigger on auth.users: link a phone-verified user to the contact with that phone (or create it).';

create trigger on_auth_user_phone_verified
  after insert or update of phone, phone_confirmed_at on auth.users
  for each row execute function private.link_auth_user_to_contact();
