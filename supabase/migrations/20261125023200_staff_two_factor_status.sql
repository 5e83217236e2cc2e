-- Staff page (issue 16): whether each staff member has a second factor, so an admin sees who
-- still signs in with a password only and an owner knows whom to reset.
-- Refusal codes: not_allowed.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: factors live in Supabase Auth's auth.mfa_factors, which no API role may
-- read. It checks first that the caller acts as an admin (admins and owners only at aal2), and
-- reveals one yes/no per staff member — never a factor's secret, name or type.
create function public.staff_two_factor_status()
returns table (user_id uuid, enrolled boolean)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if private.acting_staff_level() is null or private.acting_staff_level() < 'admin' then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Admins only, signed in with two-factor.';
  end if;
  return query
  select s.user_id,
         exists (select 1 from auth.mfa_factors f where f.user_id = s.user_id and f.status = 'verified')
    from public.staff s
   order by s.user_id;
end
$$;
comment on function public.staff_two_factor_status() is
  'Admins (at aal2): per staff member, whether a verified second factor is enrolled. Errors: not_allowed.';
grant execute on function public.staff_two_factor_status() to authenticated, service_role;
