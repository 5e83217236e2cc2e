-- Staff management for owners and admins from the SPA (the operator CLI uses the same functions
-- with the service key). Owners manage everyone; admins manage everyone except owners and cannot
-- make anyone an owner; the last active owner can be neither demoted nor disabled.
-- Refusal codes: not_allowed, unknown_user, already_staff, not_staff, last_owner.

-- ============================================================================================
-- Helpers
-- ============================================================================================

-- The acting level: service_role (operators) counts as owner.
create function private.acting_staff_level() returns public.staff_level
language sql
stable
set search_path = ''
as $$
  select case when (select auth.role()) = 'service_role' then 'owner'::public.staff_level
              else private.current_staff_level() end
$$;
comment on function private.acting_staff_level() is
  'The caller''s staff level, with service_role (operators, workers) counting as owner.';
grant execute on function private.acting_staff_level() to authenticated, service_role;
grant execute on function private.current_staff_level() to service_role;

-- Refuse unless the caller may set a staff member from p_current to p_new (either may be null).
create function private.assert_can_manage_staff(
  p_current public.staff_level,
  p_new public.staff_level
) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_actor public.staff_level := private.acting_staff_level();
begin
  if v_actor is null or v_actor < 'admin'
     or (v_actor = 'admin' and ('owner' in (p_current, p_new))) then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Owners manage all staff; admins manage all staff except owners.';
  end if;
end
$$;
comment on function private.assert_can_manage_staff(public.staff_level, public.staff_level) is
  'Raise not_allowed unless the caller may change a staff member between these levels.';
grant execute on function private.assert_can_manage_staff(public.staff_level, public.staff_level)
  to authenticated, service_role;

create function private.assert_not_last_owner(p_user_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from public.staff where user_id = p_user_id and level = 'owner' and status = 'active')
     and (select count(*) from public.staff where level = 'owner' and status = 'active') <= 1 then
    raise exception using errcode = 'P0001', message = 'last_owner',
      detail = 'There must always be one active owner.';
  end if;
end
$$;
comment on function private.assert_not_last_owner(uuid) is
  'Raise last_owner when the change would leave no active owner.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: staff has no insert/update policies; this function applies the owner/admin
-- rules itself (assert_can_manage_staff) before writing.
create function public.add_staff(
  p_user_id uuid,
  p_level public.staff_level,
  p_display_name text default null,
  p_status text default 'active'
) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.staff;
begin
  perform private.assert_can_manage_staff(null, p_level);
  if not exists (select 1 from auth.users where id = p_user_id) then
    raise exception using errcode = 'P0001', message = 'unknown_user', detail = 'No auth user with this id.';
  end if;
  if exists (select 1 from public.staff where user_id = p_user_id) then
    raise exception using errcode = 'P0001', message = 'already_staff',
      detail = 'Use set_staff_level to change the level of an existing staff member.';
  end if;
  insert into public.staff (user_id, level, display_name, status, invited_at, created_by)
  values (p_user_id, p_level, p_display_name, p_status,
          case when p_status = 'invited' then now() end, (select auth.uid()))
  returning * into v_row;
  return v_row;
end
$$;
comment on function public.add_staff(uuid, public.staff_level, text, text) is
  'Make an existing auth user staff at a level (admins: not owner). Errors: not_allowed, unknown_user, already_staff.';
grant execute on function public.add_staff(uuid, public.staff_level, text, text) to authenticated, service_role;

-- SECURITY DEFINER: see add_staff.
create function public.set_staff_level(p_user_id uuid, p_level public.staff_level)
returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.staff;
begin
  select * into v_row from public.staff where user_id = p_user_id for update;
  if not found then
    perform private.assert_can_manage_staff(null, p_level);
    raise exception using errcode = 'P0001', message = 'not_staff', detail = 'No staff member with this user id.';
  end if;
  perform private.assert_can_manage_staff(v_row.level, p_level);
  if p_level <> 'owner' then
    perform private.assert_not_last_owner(p_user_id);
  end if;
  update public.staff set level = p_level where user_id = p_user_id returning * into v_row;
  return v_row;
end
$$;
comment on function public.set_staff_level(uuid, public.staff_level) is
  'Change a staff member''s level. Errors: not_allowed, not_staff, last_owner.';
grant execute on function public.set_staff_level(uuid, public.staff_level) to authenticated, service_role;

-- SECURITY DEFINER: see add_staff.
create function public.set_staff_status(p_user_id uuid, p_status text) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row public.staff;
begin
  select * into v_row from public.staff where user_id = p_user_id for update;
  if not found then
    perform private.assert_can_manage_staff(null, null);
    raise exception using errcode = 'P0001', message = 'not_staff', detail = 'No staff member with this user id.';
  end if;
  perform private.assert_can_manage_staff(v_row.level, v_row.level);
  if p_status not in ('invited', 'active', 'disabled') then
    raise exception using errcode = 'P0001', message = 'invalid_status',
      detail = 'Status is invited, active or disabled.';
  end if;
  if p_status <> 'active' then
    perform private.assert_not_last_owner(p_user_id);
  end if;
  update public.staff set status = p_status where user_id = p_user_id returning * into v_row;
  return v_row;
end
$$;
comment on function public.set_staff_status(uuid, text) is
  'Disable or re-activate a staff member. Errors: not_allowed, not_staff, invalid_status, last_owner.';
grant execute on function public.set_staff_status(uuid, text) to authenticated, service_role;

create function public.disable_staff(p_user_id uuid) returns public.staff
language sql
set search_path = ''
as $$
  select * from public.set_staff_status(p_user_id, 'disabled')
$$;
comment on function public.disable_staff(uuid) is 'Disable a staff member (shorthand for set_staff_status).';
grant execute on function public.disable_staff(uuid) to authenticated, service_role;

create function public.my_staff_level() returns public.staff_level
language sql
stable
set search_path = ''
as $$
  select private.current_staff_level()
$$;
comment on function public.my_staff_level() is 'The caller''s active staff level, or null (for the SPA''s menus).';
grant execute on function public.my_staff_level() to authenticated;

-- SECURITY DEFINER: emails live in auth.users, which API roles cannot read; admins need them to
-- manage staff.
create function public.list_staff()
returns table (user_id uuid, email text, level public.staff_level, status text, display_name text,
               created_at timestamptz, last_sign_in_at timestamptz)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.acting_staff_level() is null or private.acting_staff_level() < 'admin' then
    raise exception using errcode = 'P0001', message = 'not_allowed', detail = 'Admins only.';
  end if;
  return query
  select s.user_id, u.email::text, s.level, s.status, s.display_name, s.created_at, u.last_sign_in_at
    from public.staff s join auth.users u on u.id = s.user_id
   order by s.level desc, u.email;
end
$$;
comment on function public.list_staff() is 'Admins: staff with their login emails. Errors: not_allowed.';
grant execute on function public.list_staff() to authenticated, service_role;
