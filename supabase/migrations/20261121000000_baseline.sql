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

-- Realtime streams the tables in the supabase_realtime publication. On a project where Realtime
-- was switched on for a table in the dashboard before the first push, the table is already a
-- member and `alter publication … add table` fails: area migrations add their tables through this.
create function private.add_to_realtime_publication(variadic p_tables regclass[]) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_table regclass;
begin
  foreach v_table in array p_tables loop
    if not exists (
      select from pg_catalog.pg_publication_rel r
      join pg_catalog.pg_publication p on p.oid = r.prpubid
      where p.pubname = 'supabase_realtime' and r.prrelid = v_table
    ) then
      execute format('alter publication supabase_realtime add table %s', v_table);
    end if;
  end loop;
end
$$;
comment on function private.add_to_realtime_publication(regclass[]) is
  'Add tables to the supabase_realtime publication, skipping those already in it (migrations only).';
