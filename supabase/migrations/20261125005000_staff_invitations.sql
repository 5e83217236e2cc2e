-- Staff invitations and password resets by email, without the service-role key in the browser.
--
-- An admin inserts a row into staff_invitations under RLS (column grants: only purpose, email,
-- level and display_name are theirs to choose). A worker — the only holder of the service role —
-- claims pending rows, creates or updates the Auth user through GoTrue's admin API with a fresh
-- one-time password, and emails a set-password link carrying that password in the URL fragment
-- (never stored here, never sent to a server). The invitee's page signs in with it, sets their
-- own password and calls accept_staff_invitation(), which makes an invited staff member active.
-- A newer invitation for the same email and purpose supersedes the open one (resend): the worker
-- gives the login a new one-time password, so the older link stops working.
--
-- The staff rules are today's (assert_can_manage_staff): owners manage everyone, admins everyone
-- but owners; an admin can neither invite an owner nor reset an owner's password.
-- Refusal codes: not_allowed, already_staff, not_staff, invalid_email, level_required,
-- no_invitation, invitation_expired, unknown_invitation.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.staff_invitations (
  id uuid primary key default gen_random_uuid(),
  purpose text not null default 'invite' check (purpose in ('invite', 'password_reset')),
  email text not null,
  level public.staff_level,
  display_name text,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'accepted', 'failed', 'superseded')),
  user_id uuid references auth.users (id) on delete cascade,
  invited_by uuid references auth.users (id) on delete set null default auth.uid(),
  attempts integer not null default 0,
  last_error text,
  claimed_until timestamptz,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  expires_at timestamptz,
  accepted_at timestamptz,
  constraint staff_invitations_invite_has_level check (purpose <> 'invite' or level is not null)
);
comment on table public.staff_invitations is
  'Staff invitations and password resets by email. Admins insert; the invitations worker creates the login and sends the set-password email.';
comment on column public.staff_invitations.purpose is
  'invite (a new staff member at `level`) or password_reset (an existing staff member).';
comment on column public.staff_invitations.email is 'Login email, stored trimmed and lower-case.';
comment on column public.staff_invitations.level is 'The level an invitee gets; for a reset, the member''s level when requested.';
comment on column public.staff_invitations.status is
  'pending → sending (a worker holds it until claimed_until) → sent → accepted; failed after 5 attempts; superseded by a newer row for the same email and purpose.';
comment on column public.staff_invitations.user_id is 'The Auth user, once it exists.';
comment on column public.staff_invitations.invited_by is 'The admin or owner who asked (null for operators).';
comment on column public.staff_invitations.last_error is 'Why the latest attempt failed, for the admin who reads the list.';
comment on column public.staff_invitations.expires_at is 'After this the link no longer activates the account (send a new one).';

create unique index staff_invitations_one_open_idx on public.staff_invitations (email, purpose)
  where status in ('pending', 'sending', 'sent');
create index staff_invitations_claimable_idx on public.staff_invitations (created_at)
  where status in ('pending', 'sending');
create index staff_invitations_user_id_idx on public.staff_invitations (user_id);
create index staff_invitations_invited_by_idx on public.staff_invitations (invited_by);

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.staff_invitations from anon, authenticated, service_role;
grant select on table public.staff_invitations to authenticated;
-- Column grants: status, user_id, attempts… are the worker's and the functions' to set.
grant insert (purpose, email, level, display_name) on table public.staff_invitations to authenticated;
grant select, insert, update on table public.staff_invitations to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

-- SECURITY DEFINER: it reads staff and auth.users (emails), which admins cannot read directly,
-- to apply the staff rules to the email being invited or reset; it reveals nothing but a code.
create function private.staff_invitations_prepare() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid;
  v_staff public.staff;
begin
  new.email := lower(btrim(new.email));
  if new.email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    raise exception using errcode = 'P0001', message = 'invalid_email', detail = 'That is not an email address.';
  end if;
  select u.id into v_user_id from auth.users u where lower(u.email) = new.email;
  select s.* into v_staff from public.staff s where s.user_id = v_user_id;
  if new.purpose = 'invite' then
    if new.level is null then
      raise exception using errcode = 'P0001', message = 'level_required', detail = 'An invitation needs a level.';
    end if;
    perform private.assert_can_manage_staff(v_staff.level, new.level);
    if v_staff.status in ('active', 'disabled') then
      raise exception using errcode = 'P0001', message = 'already_staff',
        detail = 'This email already belongs to a staff member.';
    end if;
  else
    if v_staff.user_id is null then
      raise exception using errcode = 'P0001', message = 'not_staff', detail = 'No staff member with this email.';
    end if;
    perform private.assert_can_manage_staff(v_staff.level, v_staff.level);
    new.level := v_staff.level;
  end if;
  new.user_id := v_user_id;
  -- Resend: the newest request wins; the worker's new one-time password kills the older link.
  update public.staff_invitations
     set status = 'superseded'
   where email = new.email and purpose = new.purpose and status in ('pending', 'sending', 'sent');
  return new;
end
$$;
comment on function private.staff_invitations_prepare() is
  'BEFORE INSERT on staff_invitations: normalise the email, apply the staff rules, supersede an open request for the same email.';

create trigger staff_invitations_prepare before insert on public.staff_invitations
  for each row execute function private.staff_invitations_prepare();
-- Only the request is audited: the worker's progress on it is not a staff action.
create trigger staff_invitations_audit after insert on public.staff_invitations
  for each row execute function private.audit_row_change();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.staff_invitations enable row level security;

create policy "Admins can read staff invitations" on public.staff_invitations
  for select to authenticated
  using ((select private.has_staff_level('admin')));

create policy "Admins can invite staff and reset their passwords" on public.staff_invitations
  for insert to authenticated
  with check ((select private.has_staff_level('admin')) and invited_by = (select auth.uid()));

-- ============================================================================================
-- Functions for the invitations worker (service_role only)
-- ============================================================================================

-- SECURITY DEFINER: logins live in auth.users, which API roles cannot read. Granted to the
-- service role only, and it answers one email at a time.
create function private.auth_user_id_by_email(p_email text) returns uuid
language sql
stable
security definer
set search_path = ''
as $$
  select u.id from auth.users u where lower(u.email) = lower(btrim(p_email))
$$;
comment on function private.auth_user_id_by_email(text) is 'The Auth user with this email (any case), or null.';
grant execute on function private.auth_user_id_by_email(text) to service_role;

-- Claim up to p_limit requests: pending ones, and those whose worker's lease ran out (it died).
-- `for update skip locked` lets several workers claim side by side. The sender identity is the
-- transactional email sender (or any enabled email sender): the database decides who mail is from.
create function public.claim_staff_invitations(p_limit integer default 10, p_lease_seconds integer default 60)
returns table (id uuid, purpose text, email text, level public.staff_level, display_name text,
               user_id uuid, attempts integer, from_email text, from_name text)
language plpgsql
set search_path = ''
as $$
begin
  return query
  with claimable as (
    select i.id from public.staff_invitations i
     where i.status = 'pending' or (i.status = 'sending' and i.claimed_until < now())
     order by i.created_at
     limit p_limit
     for update skip locked
  ), claimed as (
    update public.staff_invitations i
       set status = 'sending', attempts = i.attempts + 1,
           claimed_until = now() + make_interval(secs => p_lease_seconds),
           user_id = coalesce(i.user_id, private.auth_user_id_by_email(i.email))
      from claimable c
     where i.id = c.id
    returning i.*
  ), sender as (
    select s.from_email, s.from_name from public.senders s
     where s.channel = 'email' and s.enabled
     order by s.use_for_transactional desc, s.created_at
     limit 1
  )
  select c.id, c.purpose, c.email, c.level, c.display_name, c.user_id, c.attempts,
         (select sender.from_email from sender), (select sender.from_name from sender)
    from claimed c
   order by c.created_at;
end
$$;
comment on function public.claim_staff_invitations(integer, integer) is
  'Invitations worker: claim pending invitations/resets for p_lease_seconds, with the email sender to use.';
grant execute on function public.claim_staff_invitations(integer, integer) to service_role;

-- The login exists with its new one-time password and the email went out. An invitee becomes
-- an invited staff member (no rights until they accept); created_by is the admin who invited.
create function public.record_staff_invitation_sent(p_id uuid, p_user_id uuid)
returns public.staff_invitations
language plpgsql
set search_path = ''
as $$
declare
  v_row public.staff_invitations;
begin
  update public.staff_invitations
     set status = 'sent', user_id = p_user_id, sent_at = now(), expires_at = now() + interval '7 days',
         claimed_until = null, last_error = null
   where id = p_id and status = 'sending'
  returning * into v_row;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_invitation',
      detail = 'No invitation being sent with this id.';
  end if;
  if v_row.purpose = 'invite' then
    insert into public.staff (user_id, level, display_name, status, invited_at, created_by)
    values (p_user_id, v_row.level, v_row.display_name, 'invited', now(), v_row.invited_by)
    on conflict (user_id) do update
      set level = excluded.level, display_name = excluded.display_name, invited_at = excluded.invited_at
      where public.staff.status = 'invited';
  end if;
  return v_row;
end
$$;
comment on function public.record_staff_invitation_sent(uuid, uuid) is
  'Invitations worker: the email went out; an invitee becomes staff with status invited. Errors: unknown_invitation.';
grant execute on function public.record_staff_invitation_sent(uuid, uuid) to service_role;

-- A failed attempt: retried (back to pending) until the fifth, then failed for the admin to see.
create function public.record_staff_invitation_failed(p_id uuid, p_error text)
returns public.staff_invitations
language plpgsql
set search_path = ''
as $$
declare
  v_row public.staff_invitations;
begin
  update public.staff_invitations
     set status = case when attempts >= 5 then 'failed' else 'pending' end,
         last_error = left(p_error, 500), claimed_until = null
   where id = p_id and status = 'sending'
  returning * into v_row;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_invitation',
      detail = 'No invitation being sent with this id.';
  end if;
  return v_row;
end
$$;
comment on function public.record_staff_invitation_failed(uuid, text) is
  'Invitations worker: an attempt failed; retry (pending) or give up after 5 (failed). Errors: unknown_invitation.';
grant execute on function public.record_staff_invitation_failed(uuid, text) to service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: the invitee is not active staff yet, so RLS shows them neither their
-- invitation nor a way to change their own staff row; this function changes only the caller's.
create function public.accept_staff_invitation() returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_invitation public.staff_invitations;
  v_staff public.staff;
begin
  select * into v_invitation from public.staff_invitations
   where user_id = (select auth.uid()) and status = 'sent'
   order by sent_at desc
   limit 1
   for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'no_invitation',
      detail = 'There is no open invitation or password reset for this login.';
  end if;
  if v_invitation.expires_at < now() then
    raise exception using errcode = 'P0001', message = 'invitation_expired',
      detail = 'The link has expired; ask an admin to send a new one.';
  end if;
  update public.staff_invitations set status = 'accepted', accepted_at = now() where id = v_invitation.id;
  update public.staff set status = 'active'
   where user_id = (select auth.uid()) and status = 'invited';
  select * into v_staff from public.staff where user_id = (select auth.uid());
  return v_staff;
end
$$;
comment on function public.accept_staff_invitation() is
  'The invitee (signed in with the one-time password) accepts: an invited staff member becomes active. Errors: no_invitation, invitation_expired.';
grant execute on function public.accept_staff_invitation() to authenticated;

-- ============================================================================================
-- Realtime: the staff screen follows the worker's progress and an invitee's acceptance live
-- ============================================================================================

alter publication supabase_realtime add table public.staff_invitations, public.staff;
