-- Demo data for local development, loaded in file-name order after the migrations by
-- `hm stack up` (fresh database), `hm db reset` and `supabase db reset` ([db.seed] in config.toml).
-- Demo logins are listed in the README.
select 1;
