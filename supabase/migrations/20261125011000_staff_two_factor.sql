-- Two-factor sign-in for staff: admins and owners act as admins only in a session that passed a
-- second factor (the access token's `aal` claim is `aal2`, set by Supabase Auth's MFA verify).
--
-- How: the one place every admin check goes through decides. `has_staff_level` (all admin
-- policies, and functions such as admin_replay_webhook_event) and `acting_staff_level` (the
-- staff-management functions, list_staff, require_staff_level, GDPR erasure) count an admin or
-- owner whose session is aal1 as an organizer (private.session_staff_level), so they keep every
-- organizer tool (the door, the CRM) while every admin-only path refuses them, with the refusal
-- it already had (not_allowed / RLS). Those helpers stay in …000100_people, reworked in place:
-- that file's own policies call them, so they must exist before its policies are created and
-- cannot move to a later file. On the tables that are admin-only as a whole (audit_log,
-- staff_invitations) a restrictive policy states the rule as Supabase recommends, so it reads
-- plainly in Studio too. The service role (workers, `hm`) has no `aal` and is unaffected: it
-- bypasses RLS and acting_staff_level counts it as owner.
--
-- Recovery: an owner (at aal2) can reset another staff member's second factor when they lose
-- their phone (reset_staff_two_factor); they enrol again at their next admin page.
-- Refusal codes: not_allowed, unknown_user.

-- ============================================================================================
-- Policies
-- ============================================================================================

-- The audit log's restrictive policy moved to 20261125023100_audit_log_paging.sql (issue 16).

create policy "Admins and owners need two-factor sign-in for staff invitations" on public.staff_invitations
  as restrictive for all to authenticated
  using ((select private.session_aal()) = 'aal2')
  with check ((select private.session_aal()) = 'aal2');

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: factors and sessions live in Supabase Auth's tables, which no API role may
-- touch; it checks the caller is an owner at aal2 (or the service role) first, changes only the
-- named staff member's rows, and audits the reset.
create function public.reset_staff_two_factor(p_user_id uuid) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_removed integer;
begin
  if private.acting_staff_level() is distinct from 'owner' then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only owners, signed in with two-factor, reset a staff member''s two-factor sign-in.';
  end if;
  if not exists (select 1 from public.staff s where s.user_id = p_user_id) then
    raise exception using errcode = 'P0001', message = 'unknown_user',
      detail = 'No staff member has that id.';
  end if;
  with removed as (
    delete from auth.mfa_factors f where f.user_id = p_user_id returning f.id
  )
  select count(*) into v_removed from removed;
  -- As Auth does when a factor goes: the member's sessions fall back to aal1 at their next
  -- token refresh (their current access token lapses within the JWT expiry).
  delete from auth.mfa_amr_claims c
   using auth.sessions s
   where c.session_id = s.id and s.user_id = p_user_id and c.authentication_method = 'totp';
  update auth.sessions set aal = 'aal1', factor_id = null, updated_at = now()
   where user_id = p_user_id;
  perform private.audit('reset_two_factor', 'staff', p_user_id::text, null, null,
                        jsonb_build_object('factors_removed', v_removed));
  return v_removed;
end
$$;
comment on function public.reset_staff_two_factor(uuid) is
  'Owners: remove a staff member''s second factors (a lost phone); returns how many. Errors: not_allowed, unknown_user.';
grant execute on function public.reset_staff_two_factor(uuid) to authenticated, service_role;
