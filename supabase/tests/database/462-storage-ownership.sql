-- Local Storage tables are owned as on hosted (supabase_storage_admin, sql/platform/30-storage.sql):
-- the migration role postgres may write policies on them (hosted: supautils' policy_grants) but
-- not alter them, so a migration that would fail on `supabase db push` fails here too.
begin;
select plan(11);

select is((select tableowner::text from pg_tables where schemaname = 'storage' and tablename = 'objects'),
  'supabase_storage_admin', 'supabase_storage_admin owns storage.objects');
select is((select tableowner::text from pg_tables where schemaname = 'storage' and tablename = 'buckets'),
  'supabase_storage_admin', 'supabase_storage_admin owns storage.buckets');
select is(session_user::text, 'postgres', 'these checks run as the migration role');

-- ---------------------------------------------------------------- postgres: policies yes, DDL no
select throws_ok($$alter table storage.objects add column note text$$, '42501', 'must be owner of table objects',
  'postgres cannot alter storage.objects (as on hosted)');
select throws_ok($$alter table storage.buckets disable row level security$$, '42501', 'must be owner of table buckets',
  'postgres cannot switch RLS off on storage.buckets');
select lives_ok($$create policy "Test policy" on storage.objects for select to authenticated using (bucket_id = 'avatars')$$,
  'postgres creates a policy on storage.objects (supautils'' policy_grants on hosted)');
select lives_ok($$alter policy "Test policy" on storage.objects using (bucket_id = 'attachments')$$,
  'postgres alters its storage policy');
select lives_ok($$drop policy "Test policy" on storage.objects$$, 'postgres drops its storage policy');
select ok(not pg_has_role('postgres', 'supabase_storage_admin', 'member'),
  'and is no member of supabase_storage_admin afterwards');
select throws_ok($$alter table storage.objects add column note text$$, '42501', 'must be owner of table objects',
  'so the policy statements left no rights behind');

-- ---------------------------------------------------------------- an API role: no policies
select tests.act_as('anon');
select throws_ok($$create policy "Sneaky" on storage.objects for select using (true)$$, '42501', null,
  'under SET ROLE, no policy rights are lent');

select tests.reset_role();
select * from finish();
rollback;
