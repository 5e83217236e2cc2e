-- Profiles (bio, avatar, LinkedIn, GitHub) and the two Storage buckets:
--   avatars      public; each user writes only under their own folder `<auth uid>/…`
--   attachments  private; interaction files under `<contact id>/…`, organizers and above only

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.profiles (
  contact_id uuid primary key references public.contacts (id) on delete cascade,
  bio text check (char_length(bio) <= 2000),
  avatar_path text,
  linkedin_url text check (linkedin_url ~ '^https://([a-z]{2,3}\.)?linkedin\.com/in/[A-Za-z0-9_%-]+/?$'),
  github_url text check (github_url ~ '^https://github\.com/[A-Za-z0-9](-?[A-Za-z0-9])*/?$'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'A contact''s public-facing profile, edited by the attendee or organizers.';
comment on column public.profiles.avatar_path is
  'Object name in the public avatars bucket, e.g. <auth uid>/avatar.png.';
comment on column public.profiles.linkedin_url is 'https://linkedin.com/in/<handle> (validated).';
comment on column public.profiles.github_url is 'https://github.com/<user> (validated).';

create trigger profiles_touch_updated_at before update on public.profiles
  for each row execute function private.touch_updated_at();

-- ============================================================================================
-- Grants and RLS
-- ============================================================================================

revoke all on table public.profiles from anon, authenticated;
grant select, insert, update, delete on table public.profiles to authenticated;
grant all on table public.profiles to service_role;

alter table public.profiles enable row level security;

create policy "Organizers can read profiles" on public.profiles
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Attendees can read their own profile" on public.profiles
  for select to authenticated using (contact_id = (select private.current_contact_id()));
create policy "Organizers can create profiles" on public.profiles
  for insert to authenticated with check ((select private.has_staff_level('organizer')));
create policy "Attendees can create their own profile" on public.profiles
  for insert to authenticated with check (contact_id = (select private.current_contact_id()));
create policy "Organizers can update profiles" on public.profiles
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));
create policy "Attendees can update their own profile" on public.profiles
  for update to authenticated
  using (contact_id = (select private.current_contact_id()))
  with check (contact_id = (select private.current_contact_id()));
create policy "Organizers can delete profiles" on public.profiles
  for delete to authenticated using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Storage buckets and policies
-- ============================================================================================

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 5 * 1024 * 1024, array['image/png', 'image/jpeg', 'image/webp', 'image/gif']),
       ('attachments', 'attachments', false, 50 * 1024 * 1024, null)
on conflict (id) do nothing;

create policy "Anyone can read avatars" on storage.objects
  for select to anon, authenticated
  using (bucket_id = 'avatars');
create policy "Users can upload an avatar in their own folder" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Users can replace avatars in their own folder" on storage.objects
  for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Users can delete avatars in their own folder" on storage.objects
  for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Organizers can read attachments" on storage.objects
  for select to authenticated
  using (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));
create policy "Organizers can upload attachments" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));
create policy "Organizers can update attachments" on storage.objects
  for update to authenticated
  using (bucket_id = 'attachments' and (select private.has_staff_level('organizer')))
  with check (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));
create policy "Organizers can delete attachments" on storage.objects
  for delete to authenticated
  using (bucket_id = 'attachments' and (select private.has_staff_level('organizer')));
