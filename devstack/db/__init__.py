"""Schema migrations and seed data, applied the way the Supabase CLI applies them."""
