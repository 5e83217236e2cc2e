-- Who owns and may touch the auth schema, as on hosted Supabase: Supabase Auth's role owns its
-- tables and functions (supabase/postgres 20211124212715_update-auth-owner.sql), every auth table
-- has row-level security on with no policies (supabase/auth 20240612123726_enable_rls_update_grants),
-- and postgres keeps full table rights (10000000000000_demote-postgres.sql) without being a member
-- of supabase_auth_admin. So the API roles see nothing in auth unless a grant says so, and a
-- migration can read auth.users or add a trigger to it, but cannot alter or drop Auth's tables.

do $$
declare
  auth_table regclass;
  auth_function regprocedure;
  auth_type regtype;
begin
  for auth_table in
    select c.oid::regclass from pg_class c
    where c.relnamespace = 'auth'::regnamespace and c.relkind in ('r', 'p')
  loop
    execute format('alter table %s owner to supabase_auth_admin', auth_table);
    execute format('alter table %s enable row level security', auth_table);
  end loop;
  for auth_function in
    select p.oid::regprocedure from pg_proc p where p.pronamespace = 'auth'::regnamespace
  loop
    execute format('alter function %s owner to supabase_auth_admin', auth_function);
  end loop;
  for auth_type in
    select t.oid::regtype from pg_type t
    where t.typnamespace = 'auth'::regnamespace and t.typtype = 'e'
  loop
    execute format('alter type %s owner to supabase_auth_admin', auth_type);
  end loop;
end
$$;

grant all on all tables in schema auth to supabase_auth_admin, postgres;
grant all on all sequences in schema auth to supabase_auth_admin, postgres;
grant all on all routines in schema auth to postgres;
