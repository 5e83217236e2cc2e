-- A merge folds the duplicate's RSVPs into the kept contact (issue 14, item 3): until now
-- merge_contacts left them on the merged-away contact, so the person dropped out of the event's
-- attendee list and its RSVP counts (both skip merged contacts).
--
--   public.merge_contacts(p_keep, p_merge) moved here (from …001200_contact_merge_and_gdpr).
--
-- RSVPs: the duplicate's RSVPs become the kept contact's (an UPDATE of contact_id, which the
-- insert/delete counter triggers of 20261126050000_event_rsvps do not count again). When both
-- RSVP'd to the same event one RSVP stays: the EARLIER one (its time and source are how the
-- person first said they would come); the later row is deleted, and the counter drops by one,
-- so the event counts the person once. The merge's audit entry lists the events whose RSVPs
-- moved ('rsvps_moved') and those where the two RSVPs became one ('rsvps_folded').
--
-- The same bug, two more tables a merge did not fold, fixed the same way:
--   automation_deliveries (the once-per-contact guarantee of automations): the duplicate's
--     deliveries move over unless the kept contact was already acted on for that automation and
--     occasion, so a merge never makes an automation message the person a second time;
--   blast_audience (a blast's explicit recipient list): the kept contact takes the duplicate's
--     place, since the snapshot skips merged contacts and the person would silently drop out.
--
-- Refusal codes (P0001, message = code): not_allowed, invalid_argument, unknown_contact,
--   not_mergeable.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: organizers cannot update check_ins, print_jobs or RSVPs' contact directly;
-- a merge must move all of a contact's history in one transaction.
create function public.merge_contacts(p_keep uuid, p_merge uuid) returns public.contacts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_keep public.contacts;
  v_merge public.contacts;
  v_rsvps_moved uuid[];
  v_rsvps_folded uuid[];
begin
  perform private.require_staff_level('organizer');
  if p_keep is null or p_merge is null or p_keep = p_merge then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'Give two different contacts.';
  end if;
  perform 1 from public.contacts where id in (p_keep, p_merge) order by id for update;
  select * into v_keep from public.contacts where id = p_keep;
  select * into v_merge from public.contacts where id = p_merge;
  if v_keep.id is null or v_merge.id is null then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  if v_keep.merged_into is not null or v_merge.merged_into is not null
     or v_keep.erased_at is not null or v_merge.erased_at is not null then
    raise exception using errcode = 'P0001', message = 'not_mergeable',
      detail = 'Merged or erased contacts cannot be merged again.';
  end if;

  -- Check-ins at the same event: keep one row (the earliest time), point its print jobs at it.
  update public.check_ins k set checked_in_at = least(k.checked_in_at, m.checked_in_at)
    from public.check_ins m
   where k.contact_id = p_keep and m.contact_id = p_merge and m.event_id = k.event_id;
  update public.print_jobs pj set check_in_id = k.id
    from public.check_ins m join public.check_ins k on k.event_id = m.event_id and k.contact_id = p_keep
   where m.contact_id = p_merge and pj.check_in_id = m.id;
  delete from public.check_ins m
   where m.contact_id = p_merge
     and exists (select 1 from public.check_ins k where k.contact_id = p_keep and k.event_id = m.event_id);
  update public.check_ins set contact_id = p_keep where contact_id = p_merge;
  update public.print_jobs set contact_id = p_keep where contact_id = p_merge;
  update public.interactions set contact_id = p_keep where contact_id = p_merge;

  -- RSVPs to the same event: delete the later of the two (the duplicate's on a tie), then the
  -- duplicate's remaining RSVPs become the kept contact's.
  select coalesce(array_agg(m.event_id order by m.event_id), '{}') into v_rsvps_folded
    from public.event_rsvps m
    join public.event_rsvps k on k.event_id = m.event_id and k.contact_id = p_keep
   where m.contact_id = p_merge;
  delete from public.event_rsvps r
   using public.event_rsvps m, public.event_rsvps k
   where m.contact_id = p_merge and k.contact_id = p_keep and k.event_id = m.event_id
     and r.event_id = m.event_id
     and r.contact_id = case when m.created_at < k.created_at then p_keep else p_merge end;
  with moved as (
    update public.event_rsvps set contact_id = p_keep where contact_id = p_merge returning event_id
  )
  select coalesce(array_agg(moved.event_id order by moved.event_id), '{}') into v_rsvps_moved from moved;

  update public.automation_deliveries m set contact_id = p_keep
   where m.contact_id = p_merge
     and not exists (select 1 from public.automation_deliveries k
                      where k.contact_id = p_keep and k.automation_id = m.automation_id and k.occasion = m.occasion);
  delete from public.automation_deliveries where contact_id = p_merge;
  update public.blast_audience m set contact_id = p_keep
   where m.contact_id = p_merge
     and not exists (select 1 from public.blast_audience k where k.contact_id = p_keep and k.blast_id = m.blast_id);
  delete from public.blast_audience where contact_id = p_merge;

  if exists (select 1 from public.profiles where contact_id = p_keep) then
    update public.profiles k
       set bio = coalesce(k.bio, m.bio), avatar_path = coalesce(k.avatar_path, m.avatar_path),
           linkedin_url = coalesce(k.linkedin_url, m.linkedin_url), github_url = coalesce(k.github_url, m.github_url)
      from public.profiles m
     where k.contact_id = p_keep and m.contact_id = p_merge;
    delete from public.profiles where contact_id = p_merge;
  else
    update public.profiles set contact_id = p_keep where contact_id = p_merge;
  end if;

  perform private.merge_contacts_extra(p_keep, p_merge);

  update public.contacts
     set phone = null, email = null, user_id = null, merged_into = p_keep
   where id = p_merge;
  update public.contacts c
     set phone = coalesce(c.phone, v_merge.phone),
         email = coalesce(c.email, v_merge.email),
         user_id = coalesce(c.user_id, v_merge.user_id),
         first_name = coalesce(c.first_name, v_merge.first_name),
         last_name = coalesce(c.last_name, v_merge.last_name),
         pronouns = coalesce(c.pronouns, v_merge.pronouns),
         company = coalesce(c.company, v_merge.company),
         title = coalesce(c.title, v_merge.title),
         time_zone = coalesce(c.time_zone, v_merge.time_zone),
         tags = array(select distinct t from unnest(c.tags || v_merge.tags) t order by 1),
         custom_fields = v_merge.custom_fields || c.custom_fields,
         birthday_month = coalesce(c.birthday_month, v_merge.birthday_month),
         birthday_day = case when c.birthday_month is null then v_merge.birthday_day else c.birthday_day end,
         birthday_year = case when c.birthday_month is null then v_merge.birthday_year else c.birthday_year end,
         created_at = least(c.created_at, v_merge.created_at)
   where c.id = p_keep
  returning * into v_keep;

  perform private.audit('merge', 'contacts', p_keep::text, to_jsonb(v_merge), to_jsonb(v_keep),
                        jsonb_build_object('merged', p_merge, 'rsvps_moved', to_jsonb(v_rsvps_moved),
                                           'rsvps_folded', to_jsonb(v_rsvps_folded)));
  return v_keep;
end
$$;
comment on function public.merge_contacts(uuid, uuid) is
  'Organizers: merge p_merge into p_keep, moving check-ins, print jobs, interactions, RSVPs (two to one event become the earlier one), automation deliveries, blast audiences, profile, conversations, messages and consent; p_merge keeps merged_into. Errors: not_allowed, invalid_argument, unknown_contact, not_mergeable.';
grant execute on function public.merge_contacts(uuid, uuid) to authenticated, service_role;
