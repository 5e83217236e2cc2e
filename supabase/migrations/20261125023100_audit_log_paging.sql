-- Audit log viewer (issue 16, performance): its first page is 50 rows newest first, paged by the
-- key (occurred_at, id) — several entries of one transaction share occurred_at, so the id breaks
-- the tie — unfiltered or filtered by person, action or table. Each of those reads one index in
-- order and stops after 50 rows (1M rows: a top-50 sort of every match before).
--
-- The restrictive two-factor policy moved here from …011000_staff_two_factor, unchanged in
-- meaning but written as one boolean sub-select: the planner then treats it as the yes/no it is
-- (half the rows, like the admin policy) instead of a comparison matching 1 row in 200, which
-- made "by person" expect ~120 rows, sort all 50,000 of them and take 680 ms.
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

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Admins and owners need two-factor sign-in to read the audit log" on public.audit_log
  as restrictive for select to authenticated
  using ((select private.session_aal() = 'aal2'));
