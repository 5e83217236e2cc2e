-- The storage schema as Supabase Storage creates it: buckets, objects, and the path helpers
-- that storage policies call. RLS on storage.objects decides every access.

create schema if not exists storage;
grant usage on schema storage to anon, authenticated, service_role, postgres;
grant all on schema storage to supabase_storage_admin;

create table storage.buckets (
  id text primary key,
  name text not null unique,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[]
);

create table storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  owner_id text,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  user_metadata jsonb
);
create unique index bucketid_objname on storage.objects (bucket_id, name);
create index name_prefix_search on storage.objects (name text_pattern_ops);

alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
-- supabase/storage 0046/0049-buckets-objects-grants: RLS decides, the grants are wide.
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to postgres with grant option;
-- As hosted: supabase_storage_admin owns these tables (Storage's own migrations create them), so
-- `alter table storage.objects …` in a project migration fails with "must be owner", here as on
-- `supabase db push`. Policies are the exception hosted makes: see storage_policy_grants below.
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;

-- supabase/storage 0055-prevent-direct-deletes: rows are removed through the Storage API, which
-- deletes the file too and sets storage.allow_delete_query for its own statement. A direct SQL
-- delete would orphan the file, so it is refused (42501), even when it matches no row.
create function storage.protect_delete() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end
$$;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

create function storage.foldername(name text) returns text[]
language plpgsql immutable
set search_path = ''
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1:array_length(_parts, 1) - 1];
end
$$;

create function storage.filename(name text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

create function storage.extension(name text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  _filename text;
begin
  select storage.filename(name) into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text)
  to anon, authenticated, service_role;

-- Hosted, supautils' `policy_grants` lets postgres create, alter and drop policies on
-- storage.objects and storage.buckets although supabase_storage_admin owns them (supautils runs
-- just that statement with raised rights). Plain Postgres asks for ownership, so locally the same
-- exception is made by event triggers: for the one POLICY statement of the migration role
-- `postgres` (not under SET ROLE), it is made a member of supabase_storage_admin, and the
-- membership is revoked when the statement ends (a failed statement rolls the grant back with
-- it). Any other statement on those tables still needs ownership and fails as on hosted.
-- SECURITY DEFINER: granting a membership in supabase_storage_admin takes its admin (the
-- bootstrap superuser, who owns these functions); the caller check is the session's role.
create function storage.policy_grants_begin() returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if session_user = 'postgres' and current_setting('role') = 'none'
     and not pg_catalog.pg_has_role('postgres', 'supabase_storage_admin', 'member') then
    grant supabase_storage_admin to postgres;
    perform pg_catalog.set_config('hm.storage_policy_grant', 'on', true);
  end if;
end
$$;

create function storage.policy_grants_end() returns event_trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if current_setting('hm.storage_policy_grant', true) = 'on' then
    revoke supabase_storage_admin from postgres;
    perform pg_catalog.set_config('hm.storage_policy_grant', 'off', true);
  end if;
end
$$;
revoke all on function storage.policy_grants_begin(), storage.policy_grants_end() from public;

create event trigger storage_policy_grants_begin on ddl_command_start
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function storage.policy_grants_begin();
create event trigger storage_policy_grants_end on ddl_command_end
  when tag in ('CREATE POLICY', 'ALTER POLICY', 'DROP POLICY')
  execute function storage.policy_grants_end();
