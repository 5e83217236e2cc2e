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

select tests.create_supabase_user('platform_user');
select tests.authenticate_as('platform_user');
select is(auth.uid(), tests.get_supabase_uid('platform_user'), 'auth.uid() reads the JWT claims');
select is(auth.role(), 'authenticated', 'auth.role() reads the JWT claims');

select * from finish();
rollback;
