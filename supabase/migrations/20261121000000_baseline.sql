-- Baseline privileges for every later migration.
--
-- Supabase grants EXECUTE on new functions in public to anon and authenticated by default. We
-- revoke that so every function is callable only by the roles its migration names with an
-- explicit `grant execute on function … to …` (Supabase's linter flags definers open to anon).

alter default privileges in schema public revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

-- Helpers that policies and functions call but that must not be exposed through the API live in
-- `private`: PostgREST only exposes the schemas listed in config.toml.
create schema if not exists private;
comment on schema private is 'Internal helpers for policies and functions; not exposed through the API.';
grant usage on schema private to anon, authenticated, service_role;
alter default privileges in schema private revoke execute on functions from public;
