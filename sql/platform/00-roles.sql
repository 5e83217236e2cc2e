-- Roles a Supabase database has. Hosted Supabase creates these itself; the local stack applies
-- this file once, right after initdb, as the bootstrap superuser.

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
-- PostgREST and the gateway connect as authenticator and switch to one of the three above.
create role authenticator login noinherit password 'postgres';
grant anon, authenticated, service_role to authenticator;

-- Service roles Supabase's own services log in as. Project migrations grant to them (for example
-- EXECUTE on an Auth hook to supabase_auth_admin), so they must exist for those grants to apply.
create role supabase_admin login superuser createdb createrole replication bypassrls password 'postgres';
create role supabase_auth_admin login noinherit createrole password 'postgres';
create role supabase_storage_admin login noinherit createrole password 'postgres';
create role supabase_realtime_admin nologin noinherit;
grant anon, authenticated, service_role to supabase_storage_admin;

alter role postgres set search_path = "$user", public, extensions;
alter role authenticator set statement_timeout = '8s';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
