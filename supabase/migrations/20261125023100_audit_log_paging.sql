-- Audit log viewer (issue 16, performance): its first page is 50 rows newest first, paged by the
-- key (occurred_at, id) — several entries of one transaction share occurred_at, so the id breaks
-- the tie — unfiltered or filtered by person, action or table. Each of those reads one index in
-- order and stops after 50 rows (1M rows: a top-50 sort of every match before).
--
-- The indexes these replace are dropped here (their leading columns are the new ones' prefix, so
-- every query they served is served as well, and each audited write maintains three fewer):
-- audit_log_occurred_at_idx and audit_log_actor_id_idx (…000100_people) and
-- audit_log_table_occurred_idx (…005100_admin_webhook_events).

-- ============================================================================================
-- Indexes
-- ============================================================================================

create index audit_log_newest_idx on public.audit_log (occurred_at desc, id desc);
create index audit_log_actor_newest_idx on public.audit_log (actor_id, occurred_at desc, id desc);
create index audit_log_action_newest_idx on public.audit_log (action, occurred_at desc, id desc);
create index audit_log_table_newest_idx on public.audit_log (table_name, occurred_at desc, id desc);

drop index public.audit_log_occurred_at_idx;
drop index public.audit_log_actor_id_idx;
drop index public.audit_log_table_occurred_idx;
