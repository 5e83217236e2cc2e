-- Testing an automation from its screen (issue 15, item 5): who it would reach now, the message
-- one of them would get, and — only when asked — that message sent to the staff member.
--
--   public.test_automation(p_automation_id uuid, p_contact_id uuid default null,
--                          p_send_to_me boolean default false, p_now timestamptz default now())
--     returns jsonb (p_now: "who would it reach at this time", for a check before enabling)
--     {due, would_act, would_send, contacts: [{id, name}], preview: {contact_id, name, to_address,
--      subject, body, segments} | null, test_message_id, test_sent_to}
--     due: contacts the trigger holds for now; would_act: those a run now would act on (inside the
--     schedule window, not yet acted on for this occasion); would_send (send_template): of those,
--     the ones with consent and an unsuppressed address (the others would be skipped).
--     Nothing is recorded and nothing reaches a contact: the test claims exactly as the runner
--     does, then rolls its claim back. p_send_to_me queues the rendered message to the caller's
--     own sign-in address (their phone for SMS, their email for email) as a transactional
--     message, through the outbox like everything else. Organizers and above (service role too).
--     Refusals: not_allowed, unknown_automation, unknown_contact, invalid_automation (send to me
--     on an add_tag automation), no_own_address (the caller has no phone/email to send to).
--
-- Defined here (moved from 20261122001100_automations.sql so that the runner and the test share
-- one rendering and one consent rule): private.enqueue_automation.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- The SQL expression of each merge field over a contact `c` (and the occasion's event).
create function private.automation_field_sql(p_event_id uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_fields jsonb;
  v_event record;
begin
  v_fields := jsonb_build_object(
    'org_name', quote_literal(v_settings.org_name),
    'first_name', 'c.first_name', 'last_name', 'c.last_name',
    'full_name', 'nullif(concat_ws('' '', c.first_name, c.last_name), '''')',
    'email', 'c.email', 'phone', 'c.phone::text', 'custom', 'c.custom_fields');
  if p_event_id is not null then
    select e.name, e.starts_at into v_event from public.events e where e.id = p_event_id;
    v_fields := v_fields || jsonb_build_object(
      'event_name', quote_nullable(v_event.name),
      'event_date', quote_nullable(to_char(v_event.starts_at at time zone v_settings.org_time_zone, 'FMMonth FMDD')));
  end if;
  return v_fields;
end
$$;
comment on function private.automation_field_sql(uuid) is
  'Merge-field SQL expressions over contacts c for an automation''s messages (event fields when the occasion has an event).';

-- private.automation_recipients moved to 20261126030000_message_channels.sql (addresses and
-- consent rules are the channels').

-- Queue one automation's messages for a set of contacts (set-based, rendered like a snapshot).
-- Returns (enqueued, skipped).
create function private.enqueue_automation(
  p_automation public.automations,
  p_contact_ids uuid[],
  p_occasion text,
  p_event_id uuid,
  p_now timestamptz,
  out enqueued integer,
  out skipped integer
)
language plpgsql
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_sender public.senders;
  v_template public.message_templates;
  v_fields jsonb := private.automation_field_sql(p_event_id);
begin
  select * into v_sender from public.senders where id = p_automation.sender_id;
  select * into v_template from public.message_templates where id = p_automation.template_id;
  execute format($sql$
    insert into public.messages (direction, kind, channel, status, contact_id, sender_id, automation_id,
      to_address, from_address, subject, body, segments, is_marketing, recipient_time_zone, dedupe_key)
    select 'outbound', 'automation', $1, 'queued', x.id, $2, $3, x.address, $4, x.subject, x.body,
           case when $1 = 'sms' then public.sms_segments(x.body) else 1 end, true,
           private.resolve_time_zone(x.time_zone, $5), x.dedupe_key
    from (
      select c.id, r.time_zone, r.address, %1$s as subject, %2$s as body,
             format('automation:%%s:%%s:%%s', $3, $6, c.id) as dedupe_key
      from private.automation_recipients($1, $7) r
      join public.contacts c on c.id = r.contact_id
      where r.may_send
    ) x
    on conflict (dedupe_key) do nothing
    $sql$,
    private.template_sql(private.compile_template(v_template.subject), v_fields),
    private.template_sql(private.compile_template(v_template.body), v_fields))
  using p_automation.channel, v_sender.id, p_automation.id,
        coalesce(v_sender.from_number::text, v_sender.messaging_service_sid, v_sender.from_email),
        v_settings.org_time_zone, p_occasion, p_contact_ids;
  get diagnostics enqueued = row_count;
  skipped := coalesce(cardinality(p_contact_ids), 0) - enqueued;
end
$$;
comment on function private.enqueue_automation(public.automations, uuid[], text, uuid, timestamptz) is
  'Queue an automation''s rendered messages for contacts with consent and an unsuppressed address (idempotent by dedupe key).';

-- An automation's template rendered for one contact (subject, body), with the same expressions
-- the runner queues.
create function private.render_automation(p_automation public.automations, p_contact_id uuid, p_event_id uuid,
  out subject text, out body text)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_template public.message_templates;
  v_fields jsonb := private.automation_field_sql(p_event_id);
begin
  select * into v_template from public.message_templates where id = p_automation.template_id;
  -- Without a contact (null) the fields render their defaults.
  execute format('select %s, %s from (select 1) one left join public.contacts c on c.id = $1',
    private.template_sql(private.compile_template(v_template.subject), v_fields),
    private.template_sql(private.compile_template(v_template.body), v_fields))
  into subject, body using p_contact_id;
end
$$;
comment on function private.render_automation(public.automations, uuid, uuid) is
  'The subject and body an automation would send a contact (occasion event p_event_id).';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: it runs the runner's claim (which writes automation_deliveries, and reads
-- consent and suppressions no organizer may write) and rolls it back; the caller is checked first.
create function public.test_automation(
  p_automation_id uuid,
  p_contact_id uuid default null,
  p_send_to_me boolean default false,
  p_now timestamptz default now()
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_automation public.automations;
  v_now timestamptz := coalesce(p_now, now());
  v_due integer;
  v_claimed jsonb := '[]';
  v_would_send integer;
  v_contact_id uuid := p_contact_id;
  v_first uuid;
  v_event_id uuid;
  v_preview jsonb;
  v_rendered record;
  v_to text;
  v_message_id uuid;
begin
  perform private.assert_messaging_operator();
  select * into v_automation from public.automations a where a.id = p_automation_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_automation', detail = 'No such automation.';
  end if;
  if p_contact_id is not null and not exists (
       select 1 from public.contacts c where c.id = p_contact_id and c.erased_at is null) then
    raise exception using errcode = 'P0001', message = 'unknown_contact', detail = 'No such contact.';
  end if;
  if p_send_to_me and v_automation.action <> 'send_template' then
    raise exception using errcode = 'P0001', message = 'invalid_automation',
      detail = 'An automation that adds a tag sends nothing to test.';
  end if;

  select count(distinct d.contact_id) into v_due from private.automation_due(v_automation, v_now) d;
  -- Exactly what a run now would claim: the runner's own claim, undone by the exception below
  -- (a custom SQLSTATE, so that any real error still reaches the caller).
  begin
    select coalesce(jsonb_agg(jsonb_build_object('id', x.contact_id, 'event_id', x.event_id)), '[]')
      into v_claimed
    from (select unnest(g.contact_ids) as contact_id, g.event_id
          from private.claim_automation_contacts(v_automation, v_now) g) x;
    raise exception using errcode = 'HMT01', message = 'test_automation rollback';
  exception when sqlstate 'HMT01' then
    null; -- the claim is rolled back; v_claimed keeps what it would have been
  end;

  if v_automation.action = 'send_template' then
    select count(*) filter (where r.may_send),
           -- The preview's contact, unless chosen: one who would get it, by name.
           (array_agg(r.contact_id order by r.may_send desc, c.first_name nulls last, c.id))[1]
      into v_would_send, v_first
    from private.automation_recipients(v_automation.channel,
           array(select (e ->> 'id')::uuid from jsonb_array_elements(v_claimed) e)) r
    join public.contacts c on c.id = r.contact_id;
    v_contact_id := coalesce(v_contact_id, v_first);
    select (e ->> 'event_id')::uuid into v_event_id
    from jsonb_array_elements(v_claimed) e where (e ->> 'id')::uuid = v_contact_id;
    v_event_id := coalesce(v_event_id, v_automation.event_id);
    if v_contact_id is not null then
      select * into v_rendered from private.render_automation(v_automation, v_contact_id, v_event_id);
      select jsonb_build_object('contact_id', c.id,
               'name', nullif(concat_ws(' ', c.first_name, c.last_name), ''),
               'to_address', r.address, 'may_send', r.may_send,
               'subject', v_rendered.subject, 'body', v_rendered.body,
               'segments', case when v_automation.channel = 'sms' then public.sms_segments(v_rendered.body) else 1 end)
        into v_preview
      from public.contacts c
      left join private.automation_recipients(v_automation.channel, array[c.id]) r on true
      where c.id = v_contact_id;
    end if;
  end if;

  if p_send_to_me then
    select case v_automation.channel
             when 'sms' then case when u.phone is null or u.phone = '' then null
                                  when left(u.phone, 1) = '+' then u.phone else '+' || u.phone end
             else lower(nullif(u.email, '')) end
      into v_to
    from auth.users u where u.id = (select auth.uid());
    if v_to is null then
      raise exception using errcode = 'P0001', message = 'no_own_address',
        detail = format('Your account has no %s to send the test to.',
                        case v_automation.channel when 'sms' then 'phone number' else 'email address' end);
    end if;
    if v_preview is null then
      -- No contact to render for: the template with its defaults.
      select * into v_rendered from private.render_automation(v_automation, null, v_automation.event_id);
    end if;
    insert into public.messages (direction, kind, channel, status, sender_id, to_address, from_address,
      subject, body, segments, is_marketing, sent_by, dedupe_key)
    select 'outbound', 'transactional', v_automation.channel, 'queued', s.id, v_to,
           coalesce(s.from_number::text, s.messaging_service_sid, s.from_email),
           case when v_automation.channel = 'email' then '[Test] ' || coalesce(v_rendered.subject, '') end,
           coalesce(v_rendered.body, ''),
           case when v_automation.channel = 'sms' then public.sms_segments(coalesce(v_rendered.body, '')) else 1 end,
           false, (select auth.uid()),
           format('automation-test:%s:%s:%s', v_automation.id, (select auth.uid()), extract(epoch from clock_timestamp()))
    from public.senders s where s.id = v_automation.sender_id
    returning id into v_message_id;
  end if;

  return jsonb_build_object(
    'due', v_due,
    'would_act', jsonb_array_length(v_claimed),
    'would_send', v_would_send,
    'contacts', (select coalesce(jsonb_agg(jsonb_build_object('id', c.id,
                   'name', nullif(concat_ws(' ', c.first_name, c.last_name), '')) order by c.first_name, c.id), '[]')
                 from public.contacts c
                 where c.id in (select (e ->> 'id')::uuid from jsonb_array_elements(v_claimed) e limit 10)),
    'preview', v_preview,
    'test_message_id', v_message_id,
    'test_sent_to', v_to);
end
$$;
comment on function public.test_automation(uuid, uuid, boolean, timestamptz) is
  'Organizers: who an automation would reach now and its message rendered for one contact, without recording or sending anything; p_send_to_me queues that message to the caller''s own phone/email.';
revoke execute on function public.test_automation(uuid, uuid, boolean, timestamptz) from public, anon;
grant execute on function public.test_automation(uuid, uuid, boolean, timestamptz) to authenticated, service_role;
