-- Roles a Supabase database has. Hosted Supabase creates these itself; the local stack applies
-- this file once, right after initdb, as the bootstrap superuser supabase_admin (as on hosted,
-- where supabase_admin is the only superuser).

create role anon nologin noinherit;
create role authenticated nologin noinherit;
create role service_role nologin noinherit bypassrls;
-- PostgREST and the gateway connect as authenticator and switch to one of the three above.
create role authenticator login noinherit password 'postgres';
grant anon, authenticated, service_role to authenticator;

-- The role migrations, seeds, pgTAP files and developers run as, shaped like hosted `postgres`
-- (supabase/postgres 10000000000000_demote-postgres.sql and later grants): not a superuser, may
-- create roles and databases, replicate, bypass RLS, act as the three API roles, read all data.
-- Hosted no longer makes it a member of supabase_auth_admin / supabase_storage_admin, so it is
-- not one here: a migration that needs their rights fails locally as it would on `db push`.
create role postgres login nosuperuser createdb createrole replication bypassrls password 'postgres';
grant anon, authenticated, service_role to postgres;
grant pg_read_all_data, pg_signal_backend, pg_monitor to postgres;
-- Hosted lets postgres `set session_replication_role` (supautils lists it in
-- privileged_role_allowed_configs) so bulk loads can skip triggers; PostgreSQL 15 grants the same.
grant set on parameter session_replication_role to postgres;
-- Hosted projects' database belongs to postgres, and so (through pg_database_owner) does public.
alter database postgres owner to postgres;

-- Service roles Supabase's own services log in as. Project migrations grant to them (for example
-- EXECUTE on an Auth hook to supabase_auth_admin), so they must exist for those grants to apply.
-- The local stand-ins log in as them too: Auth as supabase_auth_admin, Storage and Realtime
-- (in the gateway) as supabase_admin.
create role supabase_auth_admin login noinherit createrole password 'postgres';
create role supabase_storage_admin login noinherit createrole password 'postgres';
create role supabase_realtime_admin nologin noinherit;
grant anon, authenticated, service_role, authenticator to supabase_storage_admin;

alter role postgres set search_path = "$user", public, extensions;
alter role supabase_admin set search_path = public, extensions;
alter role supabase_auth_admin set search_path = auth;
alter role supabase_storage_admin set search_path = storage;
alter role authenticator set statement_timeout = '8s';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
