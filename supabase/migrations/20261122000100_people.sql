-- People: staff with their levels, contacts, profiles and the two Storage buckets, the audit log,
-- and staff management. Every other area builds on this one.
--
-- Staff are auth users with a level (volunteer < organizer < admin < owner). Contacts are the
-- people Hello Miami knows; an attendee is an auth user linked to their contact by a verified
-- phone. The helpers in `private` are what every policy in every area calls:
--   private.current_staff_level()            -> public.staff_level (null when not active staff)
--   private.has_staff_level(p_min)           -> boolean
--   private.current_contact_id()             -> uuid (the caller's own contact, if linked)
--   private.is_attendee_of(p_contact_id)     -> boolean (the caller is this contact)
--   private.acting_staff_level()             -> the caller's level, service_role counting as owner
-- Refusals everywhere use `raise exception using errcode = 'P0001', message = '<stable_code>'`.
--
-- Staff management (the SPA and the operator CLI use the same functions): owners manage everyone;
-- admins manage everyone except owners and cannot make anyone an owner; the last active owner can
-- be neither demoted nor disabled. Refusal codes: not_allowed, unknown_user, already_staff,
-- not_staff, invalid_status, last_owner.
--
-- The audit log records who changed what, when, with the row before and after: written by
-- triggers on the tables staff act on (contacts, staff, events, settings, templates, senders, …)
-- and by functions for actions that are not a row change (reprint, merge, GDPR). Admins read it.
--
-- Storage buckets:
--   avatars      public; each user writes only under their own folder `<auth uid>/…`
--   attachments  private; interaction files under `<contact id>/…`, organizers and above only

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
-- Helpers the tables use
-- ============================================================================================

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

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_role text,
  action text not null,
  table_name text,
  record_id text,
  before jsonb,
  after jsonb,
  detail jsonb
);
comment on table public.audit_log is
  'Staff actions: row changes on audited tables and explicit actions (reprint, merge, gdpr_erase).';
comment on column public.audit_log.actor_id is 'auth.uid() of the caller; null for operators and migrations.';
comment on column public.audit_log.actor_role is 'The API role: authenticated, service_role, or null (database owner).';
comment on column public.audit_log.action is 'insert / update / delete for row changes, or a named action.';
comment on column public.audit_log.record_id is 'Primary key of the changed row, as text.';

create index audit_log_table_record_idx on public.audit_log (table_name, record_id);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at);
create index audit_log_actor_id_idx on public.audit_log (actor_id);

create table public.profiles (
  contact_id uuid primary key references public.contacts (id) on delete cascade,
  bio text check (char_length(bio) <= 2000),
  avatar_path text,
  linkedin_url text check (linkedin_url ~ '^https://([a-z]{2,3}\.)?linkedin\.com/in/[A-Za-z0-9_%-]+/?$'),
  github_url text check (github_url ~ '^https://github\.com/[A-Za-z0-9](-?[A-Za-z0-9])*/?$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'A contact''s public-facing profile, edited by the attendee or organizers.';
comment on column public.profiles.avatar_path is
  'Object name in the public avatars bucket, e.g. <auth uid>/avatar.png.';
comment on column public.profiles.linkedin_url is 'https://linkedin.com/in/<handle> (validated).';
comment on column public.profiles.github_url is 'https://github.com/<user> (validated).';

-- ============================================================================================
-- Storage buckets
-- ============================================================================================

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 5 * 1024 * 1024, array['image/png', 'image/jpeg', 'image/webp', 'image/gif']),
       ('attachments', 'attachments', false, 50 * 1024 * 1024, null)
on conflict (id) do nothing;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.staff, public.contacts from anon, authenticated;
grant select on table public.staff to authenticated;
grant select, insert, update, delete on table public.contacts to authenticated;
grant all on table public.staff, public.contacts to service_role;
revoke all on table public.audit_log from anon, authenticated, service_role;
grant select on table public.audit_log to authenticated;
grant select on table public.audit_log to service_role;
revoke all on table public.profiles from anon, authenticated;
grant select, insert, update, delete on table public.profiles to authenticated;
grant all on table public.profiles to service_role;

-- ============================================================================================
-- Triggers
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

create trigger staff_touch_updated_at before update on public.staff
  for each row execute function private.touch_updated_at();

create trigger contacts_touch_updated_at before update on public.contacts
  for each row execute function private.touch_updated_at();

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

-- SECURITY DEFINER: fires for staff whose role cannot insert into audit_log.
create function private.audit_row_change() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_before jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_after jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
begin
  if tg_op = 'UPDATE' and v_before = v_after then
    return null;
  end if;
  perform private.audit(lower(tg_op), tg_table_name,
    coalesce(v_after, v_before) ->> coalesce(tg_argv[0], 'id'), v_before, v_after);
  return null;
end
$$;
comment on function private.audit_row_change() is
  'AFTER trigger: log the change with before/after rows. Argument: the key column (default id).';

create trigger staff_audit after insert or update or delete on public.staff
  for each row execute function private.audit_row_change('user_id');

create trigger contacts_audit after insert or update or delete on public.contacts
  for each row execute function private.audit_row_change();

create trigger profiles_touch_updated_at before update on public.profiles
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.staff enable row level security;
alter table public.contacts enable row level security;
alter table public.audit_log enable row level security;
alter table public.profiles enable row level security;

-- ============================================================================================
-- Helper functions
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
grant execute on function private.current_staff_level() to service_role;

-- The level the caller acts at in this session. Admins and owners act as admins only after a
-- second factor (the JWT's `aal` is aal2, set by Supabase Auth's MFA verify); until then they
-- act as organizers: every organizer tool works, every admin-only path refuses them. See
-- …011000_staff_two_factor for the rest of the two-factor policy.
create function private.session_aal() returns text
language sql
stable
set search_path = ''
as $$
  select coalesce((select auth.jwt() ->> 'aal'), 'aal1')
$$;
comment on function private.session_aal() is
  'The caller''s authenticator assurance level from the JWT: aal2 after a second factor, else aal1.';
grant execute on function private.session_aal() to authenticated, service_role;

-- Invoker: current_staff_level() (a definer) does the only read of staff.
create function private.session_staff_level() returns public.staff_level
language sql
stable
set search_path = ''
as $$
  select case when caller.level >= 'admin' and private.session_aal() <> 'aal2'
              then 'organizer'::public.staff_level
              else caller.level end
    from (select private.current_staff_level() as level) as caller
$$;
comment on function private.session_staff_level() is
  'The level the caller acts at in this session: admins and owners without aal2 act as organizers.';
grant execute on function private.session_staff_level() to authenticated, service_role;

-- SECURITY DEFINER for the same reason as current_staff_level().
create function private.has_staff_level(p_min public.staff_level) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(private.session_staff_level() >= p_min, false)
$$;
comment on function private.has_staff_level(public.staff_level) is
  'True when the caller acts at level p_min or above in this session (admin and owner need aal2). Use as (select private.has_staff_level(''organizer'')).';
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

-- SECURITY DEFINER: nobody may insert into audit_log directly (not even service_role), so the
-- log is written only by this function and the audit_row_change trigger (above), which record
-- the real caller from the JWT.
create function private.audit(
  p_action text,
  p_table_name text,
  p_record_id text,
  p_before jsonb default null,
  p_after jsonb default null,
  p_detail jsonb default null
) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.audit_log (actor_id, actor_role, action, table_name, record_id, before, after, detail)
  values ((select auth.uid()), (select auth.role()), p_action, p_table_name, p_record_id,
          p_before, p_after, p_detail)
$$;
comment on function private.audit(text, text, text, jsonb, jsonb, jsonb) is
  'Append one audit entry attributed to the current caller.';
grant execute on function private.audit(text, text, text, jsonb, jsonb, jsonb) to authenticated, service_role;

-- The acting level: service_role (operators) counts as owner; admins and owners need aal2.
create function private.acting_staff_level() returns public.staff_level
language sql
stable
set search_path = ''
as $$
  select case when (select auth.role()) = 'service_role' then 'owner'::public.staff_level
              else private.session_staff_level() end
$$;
comment on function private.acting_staff_level() is
  'The caller''s level in this session (admin and owner need aal2), with service_role (operators, workers) counting as owner.';
grant execute on function private.acting_staff_level() to authenticated, service_role;

-- Refuse unless the caller may set a staff member from p_current to p_new (either may be null).
create function private.assert_can_manage_staff(
  p_current public.staff_level,
  p_new public.staff_level
) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_actor public.staff_level := private.acting_staff_level();
begin
  if v_actor is null or v_actor < 'admin'
     or (v_actor = 'admin' and ('owner' in (p_current, p_new))) then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Owners manage all staff; admins manage all staff except owners.';
  end if;
end
$$;
comment on function private.assert_can_manage_staff(public.staff_level, public.staff_level) is
  'Raise not_allowed unless the caller may change a staff member between these levels.';
grant execute on function private.assert_can_manage_staff(public.staff_level, public.staff_level)
  to authenticated, service_role;

create function private.assert_not_last_owner(p_user_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from public.staff where user_id = p_user_id and level = 'owner' and status = 'active')
     and (select count(*) from public.staff where level = 'owner' and status = 'active') <= 1 then
    raise exception using errcode = 'P0001', message = 'last_owner',
      detail = 'There must always be one active owner.';
  end if;
end
$$;
comment on function private.assert_not_last_owner(uuid) is
  'Raise last_owner when the change would leave no active owner.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Staff can read their own staff row" on public.staff
  for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Organizers can read the staff list" on public.staff
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- Staff rows change only through public.add_staff / set_staff_level / disable_staff (below),
-- which apply the owner/admin rules; no direct insert/update/delete policy.
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

-- Which columns an attendee may change is enforced by the contacts_guard_self_update trigger.
create policy "Attendees can update their own contact" on public.contacts
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Admins can delete contacts" on public.contacts
  for delete to authenticated
  using ((select private.has_staff_level('admin')));

create policy "Admins can read the audit log" on public.audit_log
  for select to authenticated
  using ((select private.has_staff_level('admin')));

create policy "Organizers can read profiles" on public.profiles
  for select to authenticated using ((select private.has_staff_level('organizer')));

create policy "Attendees can read their own profile" on public.profiles
  for select to authenticated using (contact_id = (select private.current_contact_id()));

create policy "Organizers can create profiles" on public.profiles
  for insert to authenticated with check ((select private.has_staff_level('organizer')));

create policy "Attendees can create their own profile" on public.profiles
  for insert to authenticated with check (contact_id = (select private.current_contact_id()));

create policy "Organizers can update profiles" on public.profiles
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Attendees can update their own profile" on public.profiles
  for update to authenticated
  using (contact_id = (select private.current_contact_id()))
  with check (contact_id = (select private.current_contact_id()));

create policy "Organizers can delete profiles" on public.profiles
  for delete to authenticated using ((select private.has_staff_level('organizer')));

create policy "Anyone can read avatars" on storage.objects
  for select to anon, authenticated
  using (bucket_id = 'avatars');

create policy "Users can upload an avatar in their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Users can replace avatars in their own folder" on storage.objects
  for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Users can delete avatars in their own folder" on storage.objects
  for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Organizers can read attachments" on storage.objects
  for select to authenticated
  using (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));

create policy "Organizers can upload attachments" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));

create policy "Organizers can update attachments" on storage.objects
  for update to authenticated
  using (bucket_id = 'attachments' and (select private.has_staff_level('organizer')))
  with check (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));

create policy "Organizers can delete attachments" on storage.objects
  for delete to authenticated
  using (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: staff has no insert/update policies; this function applies the owner/admin
-- rules itself (assert_can_manage_staff) before writing.
create function public.add_staff(
  p_user_id uuid,
  p_level public.staff_level,
  p_display_name text default null,
  p_status text default 'active'
) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.staff;
begin
  perform private.assert_can_manage_staff(null, p_level);
  if not exists (select 1 from auth.users where id = p_user_id) then
    raise exception using errcode = 'P0001', message = 'unknown_user', detail = 'No auth user with this id.';
  end if;
  if exists (select 1 from public.staff where user_id = p_user_id) then
    raise exception using errcode = 'P0001', message = 'already_staff',
      detail = 'Use set_staff_level to change the level of an existing staff member.';
  end if;
  insert into public.staff (user_id, level, display_name, status, invited_at, created_by)
  values (p_user_id, p_level, p_display_name, p_status,
          case when p_status = 'invited' then now() end, (select auth.uid()))
  returning * into v_row;
  return v_row;
end
$$;
comment on function public.add_staff(uuid, public.staff_level, text, text) is
  'Make an existing auth user staff at a level (admins: not owner). Errors: not_allowed, unknown_user, already_staff.';
grant execute on function public.add_staff(uuid, public.staff_level, text, text) to authenticated, service_role;

-- SECURITY DEFINER: see add_staff.
create function public.set_staff_level(p_user_id uuid, p_level public.staff_level)
returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.staff;
begin
  select * into v_row from public.staff where user_id = p_user_id for update;
  if not found then
    perform private.assert_can_manage_staff(null, p_level);
    raise exception using errcode = 'P0001', message = 'not_staff', detail = 'No staff member with this user id.';
  end if;
  perform private.assert_can_manage_staff(v_row.level, p_level);
  if p_level <> 'owner' then
    perform private.assert_not_last_owner(p_user_id);
  end if;
  update public.staff set level = p_level where user_id = p_user_id returning * into v_row;
  return v_row;
end
$$;
comment on function public.set_staff_level(uuid, public.staff_level) is
  'Change a staff member''s level. Errors: not_allowed, not_staff, last_owner.';
grant execute on function public.set_staff_level(uuid, public.staff_level) to authenticated, service_role;

-- SECURITY DEFINER: see add_staff.
create function public.set_staff_status(p_user_id uuid, p_status text) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.staff;
begin
  select * into v_row from public.staff where user_id = p_user_id for update;
  if not found then
    perform private.assert_can_manage_staff(null, null);
    raise exception using errcode = 'P0001', message = 'not_staff', detail = 'No staff member with this user id.';
  end if;
  perform private.assert_can_manage_staff(v_row.level, v_row.level);
  if p_status not in ('invited', 'active', 'disabled') then
    raise exception using errcode = 'P0001', message = 'invalid_status',
      detail = 'Status is invited, active or disabled.';
  end if;
  if p_status <> 'active' then
    perform private.assert_not_last_owner(p_user_id);
  end if;
  update public.staff set status = p_status where user_id = p_user_id returning * into v_row;
  return v_row;
end
$$;
comment on function public.set_staff_status(uuid, text) is
  'Disable or re-activate a staff member. Errors: not_allowed, not_staff, invalid_status, last_owner.';
grant execute on function public.set_staff_status(uuid, text) to authenticated, service_role;

create function public.disable_staff(p_user_id uuid) returns public.staff
language sql
set search_path = ''
as $$
  select * from public.set_staff_status(p_user_id, 'disabled')
$$;
comment on function public.disable_staff(uuid) is 'Disable a staff member (shorthand for set_staff_status).';
grant execute on function public.disable_staff(uuid) to authenticated, service_role;

create function public.my_staff_level() returns public.staff_level
language sql
stable
set search_path = ''
as $$
  select private.current_staff_level()
$$;
comment on function public.my_staff_level() is 'The caller''s active staff level, or null (for the SPA''s menus).';
grant execute on function public.my_staff_level() to authenticated;

-- SECURITY DEFINER: emails live in auth.users, which API roles cannot read; admins need them to
-- manage staff.
create function public.list_staff()
returns table (user_id uuid, email text, level public.staff_level, status text, display_name text,
               created_at timestamptz, last_sign_in_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.acting_staff_level() is null or private.acting_staff_level() < 'admin' then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Admins only.';
  end if;
  return query
  select s.user_id, u.email::text, s.level, s.status, s.display_name, s.created_at, u.last_sign_in_at
    from public.staff s join auth.users u on u.id = s.user_id
   order by s.level desc, u.email;
end
$$;
comment on function public.list_staff() is 'Admins: staff with their login emails. Errors: not_allowed.';
grant execute on function public.list_staff() to authenticated, service_role;
