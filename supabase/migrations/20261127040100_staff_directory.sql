-- Staff named for organizers' pickers (issue 13, item 7; issue 14): the event page's door-team
-- picker showed a staff member without a display name as the first 8 characters of their user
-- id. Login emails live in auth.users, which API roles cannot read, and list_staff (which has
-- them) is for admins managing accounts. This gives organizers and up the little a picker needs.
--
--   public.staff_directory()   organizers: every staff member's id, name (display name, else
--                              login email), login email, level and status
-- Refusal codes (P0001, message = code): not_allowed.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: emails live in auth.users, which API roles cannot read. The caller is
-- checked first; staff are colleagues an organizer assigns to work, and only staff rows are
-- listed (never an attendee's login).
create function public.staff_directory()
returns table (user_id uuid, name text, email text, level public.staff_level, status text)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  return query
  select s.user_id, coalesce(nullif(btrim(s.display_name), ''), u.email::text), u.email::text, s.level, s.status
    from public.staff s join auth.users u on u.id = s.user_id
   order by 2;
end
$$;
comment on function public.staff_directory() is
  'Organizers: every staff member with a name to show (display name, else login email), login email, level and status (for choosing door teams and assignees). Errors: not_allowed.';
grant execute on function public.staff_directory() to authenticated, service_role;
