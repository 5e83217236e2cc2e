-- Schemas, extensions and default privileges as on a fresh Supabase project.

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgtap with schema extensions;

create schema if not exists graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;

-- Supabase grants table/sequence/function privileges in public to the API roles and relies on
-- row-level security to protect rows. Project migrations narrow EXECUTE where they need to.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

-- The Supabase CLI records applied migrations here.
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);

-- Postgres changes are streamed from this publication; projects add tables with
-- `alter publication supabase_realtime add table …`.
create publication supabase_realtime;
