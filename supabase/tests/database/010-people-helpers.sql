-- Test helpers for the people, printing and check-in roles, shared by every later pgTAP file. Like 000 it runs
-- outside a transaction so the helpers stay installed for the files after it.

-- An auth user who is active staff at the given level (no phone, so never linked to a contact).
create or replace function tests.make_staff(identifier text, level public.staff_level) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := tests.create_supabase_user(identifier);
begin
  insert into public.staff (user_id, level, display_name, status)
  values (v_user_id, level, initcap(identifier), 'active');
  return v_user_id;
end
$$;
comment on function tests.make_staff is 'Create an auth user who is active staff at this level.';

-- An attendee: an auth user with a verified phone; the auth trigger links/creates the contact.
create or replace function tests.make_attendee(identifier text, phone text, first_name text default null)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := tests.create_supabase_user(identifier, null, phone);
  v_contact_id uuid;
begin
  update public.contacts set first_name = coalesce(make_attendee.first_name, initcap(identifier))
   where user_id = v_user_id
  returning id into v_contact_id;
  return v_contact_id;
end
$$;
comment on function tests.make_attendee is
  'Create a phone-verified auth user (linked to a contact by the auth trigger); returns the contact id.';

-- A print station: an auth user tied to a devices row.
create or replace function tests.make_device(identifier text, cups_queue text default 'Label')
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := tests.create_supabase_user(identifier);
  v_device_id uuid;
begin
  insert into public.devices (user_id, name, venue, cups_queue)
  values (v_user_id, identifier, 'Test venue', make_device.cups_queue)
  returning id into v_device_id;
  return v_device_id;
end
$$;
comment on function tests.make_device is 'Create a print station (auth user + devices row); returns the device id.';

-- Rows affected by a statement run as the CURRENT role (invoker), to assert what RLS lets
-- an update/delete touch: RLS filters silently rather than raising.
create or replace function tests.row_count(statement text) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  execute statement;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function tests.row_count is 'Execute a statement as the current role and return the rows it affected.';

-- The standard cast of roles, one of each: owner, admin, organizer, volunteer,
-- attendee (phone +13055550101, contact first name Ada), device, stranger (signed in, no role).
create or replace function tests.make_people_cast() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform tests.make_staff('owner', 'owner');
  perform tests.make_staff('admin', 'admin');
  perform tests.make_staff('organizer', 'organizer');
  perform tests.make_staff('volunteer', 'volunteer');
  perform tests.make_attendee('attendee', '13055550101', 'Ada');
  perform tests.make_device('device');
  perform tests.create_supabase_user('stranger');
end
$$;
comment on function tests.make_people_cast is 'One user per role: owner, admin, organizer, volunteer, attendee, device, stranger.';

-- Start a file from empty people tables: Python tests in the same pytest session commit rows
-- (contacts, staff, events…) that would skew counts. Call it inside the file's transaction; the
-- final rollback restores everything.
create or replace function tests.clear_people_data() returns void
language plpgsql
security definer
set search_path = ''
set client_min_messages = warning
as $$
begin
  truncate public.staff, public.contacts, public.events, public.devices, public.segments,
           public.audit_log, public.gdpr_requests cascade;
end
$$;
comment on function tests.clear_people_data is 'Empty the people, check-in and CRM tables (inside a test transaction).';

-- Switch identity by name: 'anon', 'service_role', or a test user's identifier.
create or replace function tests.act_as(who text) returns void
language plpgsql
set search_path = ''
as $$
begin
  perform tests.reset_role();
  case who
    when 'anon' then perform tests.clear_authentication();
    when 'service_role' then perform tests.authenticate_as_service_role();
    else perform tests.authenticate_as(who);
  end case;
end
$$;
comment on function tests.act_as is 'Become anon, service_role, or the named test user (as PostgREST would).';

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(1);
select has_function('tests', 'make_staff', array['text', 'public.staff_level'], 'people helpers are installed');
select * from finish();
rollback;
