-- The platform every later file relies on: roles, auth helpers, RLS on exposed schemas.
begin;
select plan(9);

select has_role('anon');
select has_role('authenticated');
select has_role('service_role');
select has_function('auth', 'uid', 'auth.uid() exists');
select has_function('auth', 'role', 'auth.role() exists');
select tests.rls_enabled('public');
select tests.rls_enabled('storage');

-- Setup runs in a do block: a bare select would print its result (a uuid) into the TAP stream.
do $$ begin perform tests.create_supabase_user('platform_user'); end $$;
do $$ begin perform tests.authenticate_as('platform_user'); end $$;
select is(auth.uid(), tests.get_supabase_uid('platform_user'), 'auth.uid() reads the JWT claims');
select is(auth.role(), 'authenticated', 'auth.role() reads the JWT claims');

select * from finish();
rollback;
