"""Fixture buckets and storage policies for the Storage tests, created as a project's migrations
would create them (rows in storage.buckets, policies on storage.objects)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg
import pytest

from devstack.stack.manager import LocalStack

# Bucket ids are prefixed so these fixtures never meet a project's own buckets in the session.
AVATARS = "st-avatars"  # public, images only, each user writes under their own folder
PRIVATE = "st-private"  # private, each user reads and writes only their own folder
LIMITED = "st-limited"  # private, 16 bytes of text/plain at most
ATTACHMENTS = "st-attachments"  # private, organizers only (a claim-based policy)
SERVICE_ONLY = "st-service"  # private, no policies: only the service role gets in

FIXTURE_SQL = f"""
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('{AVATARS}', '{AVATARS}', true, 1048576, array['image/*']),
  ('{PRIVATE}', '{PRIVATE}', false, null, null),
  ('{LIMITED}', '{LIMITED}', false, 16, array['text/plain']),
  ('{ATTACHMENTS}', '{ATTACHMENTS}', false, null, null),
  ('{SERVICE_ONLY}', '{SERVICE_ONLY}', false, null, null)
on conflict (id) do nothing;

create policy "Anyone can see avatars (storage tests)" on storage.objects
  for select to anon, authenticated using (bucket_id = '{AVATARS}');
create policy "Users can read their own folder (storage tests)" on storage.objects
  for select to authenticated
  using (bucket_id in ('{PRIVATE}', '{LIMITED}')
         and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Users can upload into their own folder (storage tests)" on storage.objects
  for insert to authenticated
  with check (bucket_id in ('{AVATARS}', '{PRIVATE}', '{LIMITED}')
              and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Users can replace files in their own folder (storage tests)" on storage.objects
  for update to authenticated
  using (bucket_id in ('{AVATARS}', '{PRIVATE}', '{LIMITED}')
         and (storage.foldername(name))[1] = (select auth.uid())::text)
  with check (bucket_id in ('{AVATARS}', '{PRIVATE}', '{LIMITED}')
              and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Users can delete files in their own folder (storage tests)" on storage.objects
  for delete to authenticated
  using (bucket_id in ('{AVATARS}', '{PRIVATE}', '{LIMITED}')
         and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Organizers can read attachments (storage tests)" on storage.objects
  for select to authenticated
  using (bucket_id = '{ATTACHMENTS}'
         and (select auth.jwt()) -> 'app_metadata' ->> 'staff_level' in ('organizer', 'admin'));
create policy "Organizers can add attachments (storage tests)" on storage.objects
  for insert to authenticated
  with check (bucket_id = '{ATTACHMENTS}'
              and (select auth.jwt()) -> 'app_metadata' ->> 'staff_level'
                  in ('organizer', 'admin'));
"""

CLEANUP_SQL = """
drop policy "Anyone can see avatars (storage tests)" on storage.objects;
drop policy "Users can read their own folder (storage tests)" on storage.objects;
drop policy "Users can upload into their own folder (storage tests)" on storage.objects;
drop policy "Users can replace files in their own folder (storage tests)" on storage.objects;
drop policy "Users can delete files in their own folder (storage tests)" on storage.objects;
drop policy "Organizers can read attachments (storage tests)" on storage.objects;
drop policy "Organizers can add attachments (storage tests)" on storage.objects;
delete from storage.objects where bucket_id like 'st-%';
delete from storage.buckets where id like 'st-%';
"""


@pytest.fixture(scope="module")
def storage_fixtures(stack: LocalStack) -> Iterator[None]:
    """Per module, so the session's other tests (pgTAP included) never see these policies."""
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(FIXTURE_SQL)
    yield
    with psycopg.connect(stack.config.db_url(), autocommit=True) as conn:
        conn.execute(CLEANUP_SQL)


@dataclass(frozen=True)
class User:
    id: str
    token: str

    def key(self, name: str) -> str:
        """An object key inside this user's own folder."""
        return f"{self.id}/{name}"


@pytest.fixture
def make_user(storage_fixtures: None, make_token: Callable[..., str]) -> Callable[..., User]:
    """A fresh user (a random uuid; Auth is not needed to mint a valid access token)."""

    def make(**claims: object) -> User:
        user_id = str(uuid.uuid4())
        return User(id=user_id, token=make_token(user_id, **claims))

    return make
