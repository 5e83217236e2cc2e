"""The local Storage service (`/storage/v1`): buckets and objects in Postgres, bytes on disk.

Every read and write of `storage.objects` and `storage.buckets` runs as the caller, so the RLS
policies a project writes for hosted Supabase decide exactly the same way here.
"""
