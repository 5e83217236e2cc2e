"""pgTAP under pytest: every SQL file in supabase/tests is a test item."""
