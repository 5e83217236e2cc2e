-- "Send a test to me" for templates (issue 15, item 1): a staff member gets a saved template as
-- it would arrive — by SMS to their own phone, by email to their own address (their sign-in's,
-- never a contact's) — rendered for a chosen contact or with the fields' defaults. The message is
-- queued like any other (the workers' claim sends it at the sender's pace, through suppressions
-- and the daily cap's transactional reserve), transactional, and marked as a test.
--
--   public.send_template_test(p_template_id uuid, p_contact_id uuid default null) returns uuid
--     (the queued message's id). Refusals (P0001): not_allowed (below organizer, or no staff
--     session), template_not_found (unknown or archived), contact_not_found, no_own_address (the
--     account has no phone / email for the template's channel: the detail says which),
--     sender_not_found (no enabled sender for the channel), test_limit_reached (20 tests an
--     hour per person), and the template's own unknown_merge_field.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.messages
  add column test_template_id uuid references public.message_templates (id) on delete set null;
comment on column public.messages.test_template_id is
  'Set on a "send a test to me" of this template: transactional, to the staff member''s own address (sent_by), never to a contact.';

create index messages_test_template_id_idx on public.messages (test_template_id) where test_template_id is not null;
create index messages_tests_by_sender_idx on public.messages (sent_by, created_at) where test_template_id is not null;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: it reads the caller's own sign-in address from auth.users and writes the
-- outbox, which no API role may write; the caller must be an organizer or above (checked first).
create function public.send_template_test(p_template_id uuid, p_contact_id uuid default null) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  -- A test is a person checking their own text, not a way round the blast rules.
  c_tests_per_hour constant integer := 20;
  v_user auth.users;
  v_template public.message_templates;
  v_contact public.contacts;
  v_values jsonb;
  v_address text;
  v_sender public.senders;
  v_body text;
  v_message_id uuid;
begin
  if (select auth.uid()) is null or not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Organizers, admins and owners send tests to themselves.';
  end if;
  select * into v_template from public.message_templates t where t.id = p_template_id and t.archived_at is null;
  if not found then
    raise exception using errcode = 'P0001', message = 'template_not_found';
  end if;
  if p_contact_id is not null then
    select * into v_contact from public.contacts c
    where c.id = p_contact_id and c.erased_at is null and c.merged_into is null;
    if not found then
      raise exception using errcode = 'P0001', message = 'contact_not_found';
    end if;
    v_values := private.contact_merge_values(v_contact, null);
  else
    v_values := jsonb_build_object('org_name', (private.messaging_settings()).org_name);
  end if;
  select * into v_user from auth.users u where u.id = (select auth.uid());
  v_address := case v_template.channel
    when 'sms' then private.normalize_phone(v_user.phone)
    else lower(nullif(btrim(v_user.email), '')) end;
  if v_address is null then
    raise exception using errcode = 'P0001', message = 'no_own_address',
      detail = case v_template.channel when 'sms' then 'Your account has no phone number to text the test to.'
                    else 'Your account has no email address to send the test to.' end;
  end if;
  if (select count(*) from public.messages m
      where m.sent_by = v_user.id and m.test_template_id is not null
        and m.created_at > now() - interval '1 hour') >= c_tests_per_hour then
    raise exception using errcode = 'P0001', message = 'test_limit_reached',
      detail = format('At most %s tests an hour; try again later.', c_tests_per_hour);
  end if;
  select * into v_sender from public.senders s
  where s.channel = v_template.channel and s.enabled
  order by s.use_for_transactional desc, s.created_at
  limit 1;
  if not found then
    raise exception using errcode = 'P0001', message = 'sender_not_found',
      detail = format('No %s sender is enabled.', v_template.channel);
  end if;
  v_body := public.render_template(v_template.body, v_values);
  insert into public.messages (direction, kind, channel, status, sender_id, to_address, from_address, subject,
                               body, segments, is_marketing, sent_by, test_template_id)
  values ('outbound', 'transactional', v_template.channel, 'queued', v_sender.id, v_address,
          coalesce(v_sender.from_number::text, v_sender.messaging_service_sid, v_sender.from_email),
          public.render_template(v_template.subject, v_values), v_body,
          case v_template.channel when 'sms' then public.sms_segments(v_body) else 1 end, false, v_user.id, v_template.id)
  returning id into v_message_id;
  perform private.audit('template.test_sent', 'message_templates', v_template.id::text, null,
                        jsonb_build_object('message_id', v_message_id, 'channel', v_template.channel), null);
  return v_message_id;
end
$$;
comment on function public.send_template_test(uuid, uuid) is
  'Queue a saved template, rendered for a contact (or with defaults), as a transactional test to the caller''s own phone or email; never to a contact.';
revoke execute on function public.send_template_test(uuid, uuid) from public, anon;
grant execute on function public.send_template_test(uuid, uuid) to authenticated;
