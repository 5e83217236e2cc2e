"""A local stand-in for hosted Supabase: real Postgres and PostgREST behind a Supabase gateway."""
