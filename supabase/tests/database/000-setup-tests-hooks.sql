-- Test helpers shared by every pgTAP file. Runs first (files run in name order) and commits, so
-- later files can call tests.* — the same arrangement as basejump's supabase_test_helpers.
create extension if not exists pgtap with schema extensions;

create schema if not exists tests;
grant usage on schema tests to anon, authenticated, service_role;

create or replace function tests.create_supabase_user(
  identifier text,
  email text default null,
  phone text default null,
  metadata jsonb default '{}'::jsonb
) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  user_id uuid;
begin
  insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, raw_app_meta_data,
                          email_confirmed_at, phone_confirmed_at)
  values (gen_random_uuid(), 'authenticated', 'authenticated',
          coalesce(email, identifier || '@test.hellomiami.local'), phone,
          jsonb_build_object('test_identifier', identifier) || coalesce(metadata, '{}'::jsonb),
          '{"provider":"email","providers":["email"]}', now(),
          case when phone is not null then now() end)
  returning id into user_id;
  return user_id;
end
$$;
comment on function tests.create_supabase_user is 'Create an auth user known by a test identifier.';

create or replace function tests.get_supabase_uid(identifier text) returns uuid
language sql stable
security definer
set search_path = ''
as $$
  select id from auth.users where raw_user_meta_data ->> 'test_identifier' = identifier limit 1
$$;

create or replace function tests.get_supabase_user(identifier text) returns json
language sql stable
security definer
set search_path = ''
as $$
  select json_build_object('id', id, 'email', email, 'phone', phone,
                           'raw_user_meta_data', raw_user_meta_data,
                           'raw_app_meta_data', raw_app_meta_data)
  from auth.users where raw_user_meta_data ->> 'test_identifier' = identifier limit 1
$$;

-- Switch identity exactly as PostgREST does for a request with this user's access token.
-- The session passed a second factor (aal2), as admins and owners must for admin paths;
-- tests.authenticate_as_at(identifier, 'aal1') is a password-only session.
create or replace function tests.authenticate_as_at(identifier text, assurance text) returns void
language plpgsql
set search_path = ''
as $$
declare
  user_data json := tests.get_supabase_user(identifier);
begin
  if user_data is null or user_data ->> 'id' is null then
    raise exception 'tests.authenticate_as: no test user %', identifier;
  end if;
  perform set_config('role', 'authenticated', true);
  perform set_config('request.jwt.claims', json_build_object(
    'sub', user_data ->> 'id', 'role', 'authenticated', 'aud', 'authenticated',
    'email', user_data ->> 'email', 'phone', user_data ->> 'phone',
    'app_metadata', user_data -> 'raw_app_meta_data',
    'user_metadata', user_data -> 'raw_user_meta_data', 'aal', assurance)::text, true);
end
$$;

create or replace function tests.authenticate_as(identifier text) returns void
language sql
set search_path = ''
as $$
  select tests.authenticate_as_at(identifier, 'aal2')
$$;

create or replace function tests.authenticate_as_service_role() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'service_role', true);
  perform set_config('request.jwt.claims', '{"role":"service_role"}', true);
end
$$;

create or replace function tests.clear_authentication() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'anon', true);
  perform set_config('request.jwt.claims', '{"role":"anon"}', true);
end
$$;

-- Back to the migration owner (postgres) between identities.
create or replace function tests.reset_role() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('role', 'postgres', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;

-- pgTAP's own functions call each other unqualified, so this one runs with extensions on the path.
create or replace function tests.rls_enabled(testing_schema text) returns text
language sql
set search_path = extensions
as $$
  select extensions.is(
    (select count(*)::int from pg_catalog.pg_tables
      where schemaname = testing_schema and not rowsecurity),
    0,
    format('every table in schema %I has row level security enabled', testing_schema))
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(1);
select ok(tests.get_supabase_uid('nobody') is null, 'test helpers are installed');
select * from finish();
rollback;
