-- Schemas, extensions and privileges as on a fresh hosted Supabase project (supabase/postgres
-- init scripts and migrations, with the 2026-10-30 change to public's default privileges).

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
grant all on schema extensions to postgres;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgtap with schema extensions;
-- 20230224042246_grant_extensions_perms_for_postgres.sql
grant all on all tables in schema extensions to postgres with grant option;
grant all on all routines in schema extensions to postgres with grant option;
grant all on all sequences in schema extensions to postgres with grant option;
alter default privileges in schema extensions grant all on tables to postgres with grant option;
alter default privileges in schema extensions grant all on routines to postgres with grant option;
alter default privileges in schema extensions grant all on sequences to postgres with grant option;

create schema if not exists graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;

-- public belongs to postgres (the database owner). Since 2026-10-30 hosted projects give new
-- objects in public NO default privileges for anon, authenticated and service_role: every table,
-- sequence and function a migration creates is reachable through the API only once the migration
-- grants it. So there are deliberately no `alter default privileges … grant` lines here.
grant usage on schema public to anon, authenticated, service_role;

-- Postgres changes are streamed from this publication; projects add tables with
-- `alter publication supabase_realtime add table …`, which only its owner (postgres) may do.
create publication supabase_realtime;
alter publication supabase_realtime owner to postgres;
