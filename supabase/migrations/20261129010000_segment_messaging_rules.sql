-- Segment rules on messaging activity (issue 14 item 5): who texted us lately, who received a
-- blast, who opened or clicked one of its emails. They join the one segment compiler, so the
-- contacts list, count_contacts, preview_segment, saved segments and the blast snapshot all
-- understand them at once. New keys (validated, compiled from fixed text, values bound as $2):
--   replied_within_days  integer 1…36500  the contact sent us a message (inbound) in the last N days
--   received_blasts      uuid[]           a message of any of these blasts reached the contact
--   opened_blasts        uuid[]           the contact opened an email of any of these blasts
--   clicked_blasts       uuid[]           the contact clicked a link in an email of any of these blasts
-- The validator now also refuses, as invalid_segment, older values its compiled SQL could not
-- take (a count written 1.0 or 1e3, no_checkin_days past 36500): they used to fail later as a
-- cast error or a timestamp overflow.
--
-- "Received" means the message's status is sent or delivered: the provider accepted it and has
-- not reported it lost. queued, sending (in flight, not known to have left) and cancelled never
-- reached the provider; undelivered and failed were reported lost by the provider or carrier
-- (a soft or hard bounce, an unreachable handset); skipped recipients have no message at all.
--
-- Opens and clicks: MailerSend reports activity.opened / activity.clicked for every open and
-- click, and activity.opened_unique / activity.clicked_unique for the first one; Twilio reports
-- neither (an SMS blast has no opens). We keep the FIRST open and the FIRST click per message as
-- two columns on public.messages rather than a table of events: the segment rules and the blast
-- results need "did this recipient open / click", never how often; the raw events stay in
-- public.webhook_events; two nullable columns cost nothing for the SMS rows and need no join
-- (a table of engagements would also have to follow contacts through merges). A click also
-- records an open (a click proves the email was opened, and many mail clients block the open
-- pixel). Recording never touches the delivery status.
--
-- Refusal codes: invalid_segment (from the validator).
--
-- Defined here (moved, reworked): private.validate_segment_definition(jsonb) and
-- private.segment_where(jsonb) from 20261125010000_segment_rules, private.handle_email_event(jsonb)
-- from …001000_webhooks.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.messages
  add column opened_at timestamptz,
  add column clicked_at timestamptz;
comment on column public.messages.opened_at is
  'Email only: when the recipient first opened it, as the provider reported (a click counts as an open). Null for SMS: Twilio reports no opens.';
comment on column public.messages.clicked_at is
  'Email only: when the recipient first clicked a link in it, as the provider reported.';

-- ============================================================================================
-- Indexes
-- ============================================================================================

-- "Replied within N days" reads the recent inbound messages only, newest first.
create index messages_inbound_recent_idx on public.messages (created_at, contact_id)
  where direction = 'inbound';
-- "Received a blast": the blast's recipients straight from a partial index holding only the
-- messages the rule counts.
create index messages_blast_received_idx on public.messages (blast_id, contact_id)
  where blast_id is not null and status in ('sent', 'delivered');
-- "Opened / clicked a blast" ask for "the blast id of an opened (clicked) message", written as
-- an expression so that it has statistics of its own. Asked as "blast_id = any (…) and
-- opened_at is not null", the planner multiplies two selectivities as if opening had nothing
-- to do with being a blast email, guesses a twentieth of the openers, and probes contacts once
-- per opener (134k buffers for 33k openers at 100k contacts); with the expression's statistics
-- it knows the count and hashes (3.9k buffers). The indexes hold only opened (clicked) messages.
create statistics messages_opened_blast_stats on (case when opened_at is not null then blast_id end)
  from public.messages;
create statistics messages_clicked_blast_stats on (case when clicked_at is not null then blast_id end)
  from public.messages;
comment on statistics public.messages_opened_blast_stats is
  'How many opened messages each blast has: lets the planner size "opened a blast" segment rules.';
comment on statistics public.messages_clicked_blast_stats is
  'How many clicked messages each blast has: lets the planner size "clicked a blast" segment rules.';
create index messages_opened_blast_idx on public.messages
  ((case when opened_at is not null then blast_id end), contact_id)
  where (case when opened_at is not null then blast_id end) is not null;
create index messages_clicked_blast_idx on public.messages
  ((case when clicked_at is not null then blast_id end), contact_id)
  where (case when clicked_at is not null then blast_id end) is not null;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.validate_segment_definition(p_definition jsonb) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text;
  v_value jsonb;
  v_kind text;
begin
  if p_definition is null or jsonb_typeof(p_definition) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_segment', detail = 'A segment definition is a JSON object.';
  end if;
  for v_key, v_value in select key, value from jsonb_each(p_definition) loop
    v_kind := case
      when v_key in ('tags_any', 'tags_all', 'tags_none') then 'text_array'
      when v_key = 'attended_events' then 'uuid_array'
      when v_key in ('received_blasts', 'opened_blasts', 'clicked_blasts') then 'blast_ids'
      when v_key in ('min_checkins', 'max_checkins', 'attended_last_events') then 'integer'
      when v_key in ('no_checkin_days', 'replied_within_days') then 'days'
      when v_key = 'source' then 'text'
      when v_key in ('last_checkin_before', 'last_checkin_after', 'created_after', 'created_before') then 'timestamp'
      when v_key in ('has_phone', 'has_email') then 'boolean'
      when v_key = 'custom_field_equals' then 'object'
      when v_key = any (private.segment_extra_keys()) then 'extra'
    end;
    if v_kind is null then
      raise exception using errcode = 'P0001', message = 'invalid_segment',
        detail = format('Unknown segment key: %s', v_key);
    end if;
    begin
      case v_kind
        when 'text_array' then
          if jsonb_typeof(v_value) <> 'array'
             or exists (select 1 from jsonb_array_elements(v_value) e where jsonb_typeof(e) <> 'string') then
            raise exception 'not a list of strings';
          end if;
        when 'uuid_array' then
          if jsonb_typeof(v_value) <> 'array'
             or exists (select 1 from jsonb_array_elements(v_value) e where jsonb_typeof(e) <> 'string') then
            raise exception 'not a list of ids';
          end if;
          perform e::uuid from jsonb_array_elements_text(v_value) e;
        when 'blast_ids' then
          -- Ids as uuid_in prints them: segment_where turns the list into a uuid[] literal.
          if jsonb_typeof(v_value) <> 'array'
             or exists (select 1 from jsonb_array_elements(v_value) e
                        where jsonb_typeof(e) <> 'string'
                           or e #>> '{}' !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') then
            raise exception 'not a list of blast ids';
          end if;
        -- Numbers written as whole numbers that fit an integer: segment_where casts their text
        -- with ::integer, which refuses 1.0 and 1e3 (they used to pass here and fail there).
        when 'integer' then
          if jsonb_typeof(v_value) <> 'number' or (v_value #>> '{}') !~ '^[0-9]{1,9}$' then
            raise exception 'not a non-negative integer';
          end if;
        when 'days' then
          -- At most 100 years, so that now() - N days is a timestamp (more overflowed in the
          -- compiled SQL); "replied within 0 days" would match nobody, so it starts at 1.
          if jsonb_typeof(v_value) <> 'number' or (v_value #>> '{}') !~ '^[0-9]{1,5}$'
             or (v_value #>> '{}')::integer > 36500
             or (v_key = 'replied_within_days' and (v_value #>> '{}')::integer < 1) then
            raise exception 'not a number of days up to 36500';
          end if;
        when 'timestamp' then
          if jsonb_typeof(v_value) <> 'string' then
            raise exception 'not a date';
          end if;
          perform (v_value #>> '{}')::timestamptz;
        when 'text' then
          if jsonb_typeof(v_value) <> 'string' then
            raise exception 'not a text';
          end if;
        when 'boolean' then
          if jsonb_typeof(v_value) <> 'boolean' then
            raise exception 'not true/false';
          end if;
        when 'object' then
          if jsonb_typeof(v_value) <> 'object' then
            raise exception 'not an object';
          end if;
        else
          null;
      end case;
    exception
      when others then
        raise exception using errcode = 'P0001', message = 'invalid_segment',
          detail = format('Bad value for %s: %s', v_key, sqlerrm);
    end;
  end loop;
end
$$;
comment on function private.validate_segment_definition(jsonb) is
  'Raise invalid_segment unless every key is whitelisted and its value has the right type (see the segment rules migrations for the keys).';
grant execute on function private.validate_segment_definition(jsonb) to authenticated, service_role;

-- A segment definition as AND-ed conditions over public.contacts c, the definition bound as $2.
-- Only the criteria the definition uses appear, each from fixed text; the values are read from
-- $2 in subqueries evaluated once, so no user text becomes SQL and each criterion can use its
-- index (tags GIN, check_ins by event, current consent by channel, the messaging indexes above).
-- Validates first.
create function private.segment_where(p_definition jsonb) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_where text := '';
  v_having text[] := '{}';
  v_channel text;
  v_consent text;
begin
  perform private.validate_segment_definition(p_definition);
  perform private.validate_segment_consent(p_definition);
  if p_definition ? 'tags_any' then
    v_where := v_where || $w$ and c.tags && (select array(select jsonb_array_elements_text($2 -> 'tags_any')))$w$;
  end if;
  if p_definition ? 'tags_all' then
    v_where := v_where || $w$ and c.tags @> (select array(select jsonb_array_elements_text($2 -> 'tags_all')))$w$;
  end if;
  if p_definition ? 'tags_none' then
    v_where := v_where || $w$ and not c.tags && (select array(select jsonb_array_elements_text($2 -> 'tags_none')))$w$;
  end if;
  if p_definition ? 'attended_events' then
    v_where := v_where || $w$ and c.id in (select ci.contact_id from public.check_ins ci
      where ci.event_id in (select e::uuid from jsonb_array_elements_text($2 -> 'attended_events') e))$w$;
  end if;
  if p_definition ? 'attended_last_events' then
    v_where := v_where || $w$ and c.id in (select ci.contact_id from public.check_ins ci
      where ci.event_id in (select e.id from public.events e where e.starts_at <= now()
                             order by e.starts_at desc limit ($2 ->> 'attended_last_events')::integer))$w$;
  end if;
  -- Check-in statistics: contacts without check-ins never match a date, and match a minimum only of 0.
  if (p_definition ->> 'min_checkins')::integer > 0 then
    v_having := v_having || $w$count(*) >= ($2 ->> 'min_checkins')::integer$w$::text;
    if p_definition ? 'max_checkins' then
      v_having := v_having || $w$count(*) <= ($2 ->> 'max_checkins')::integer$w$::text;
    end if;
  elsif p_definition ? 'max_checkins' then
    -- Without a minimum, people who never checked in are within any maximum.
    v_where := v_where || $w$ and c.id not in (select ci.contact_id from public.check_ins ci
      group by ci.contact_id having count(*) > ($2 ->> 'max_checkins')::integer)$w$;
  end if;
  -- "Lapsed": nothing in the last N days, people who never checked in included.
  if p_definition ? 'no_checkin_days' then
    v_where := v_where || $w$ and not exists (select 1 from public.check_ins ci where ci.contact_id = c.id
      and ci.checked_in_at > now() - make_interval(days => ($2 ->> 'no_checkin_days')::integer))$w$;
  end if;
  if p_definition ? 'last_checkin_before' then
    v_having := v_having || $w$max(ci.checked_in_at) < ($2 ->> 'last_checkin_before')::timestamptz$w$::text;
  end if;
  if p_definition ? 'last_checkin_after' then
    v_having := v_having || $w$max(ci.checked_in_at) > ($2 ->> 'last_checkin_after')::timestamptz$w$::text;
  end if;
  if cardinality(v_having) > 0 then
    v_where := v_where || ' and c.id in (select ci.contact_id from public.check_ins ci group by ci.contact_id having '
               || array_to_string(v_having, ' and ') || ')';
  end if;
  if p_definition ? 'created_after' then
    v_where := v_where || $w$ and c.created_at >= ($2 ->> 'created_after')::timestamptz$w$;
  end if;
  if p_definition ? 'created_before' then
    v_where := v_where || $w$ and c.created_at < ($2 ->> 'created_before')::timestamptz$w$;
  end if;
  if p_definition ? 'has_phone' then
    v_where := v_where || $w$ and (c.phone is not null) = ($2 ->> 'has_phone')::boolean$w$;
  end if;
  if p_definition ? 'has_email' then
    v_where := v_where || $w$ and (c.email is not null) = ($2 ->> 'has_email')::boolean$w$;
  end if;
  if p_definition ? 'source' then
    v_where := v_where || $w$ and c.source = ($2 ->> 'source')$w$;
  end if;
  if p_definition ? 'custom_field_equals' then
    v_where := v_where || $w$ and c.custom_fields @> ($2 -> 'custom_field_equals')$w$;
  end if;
  -- Messaging activity (see the header for what "received" counts). Each reads one partial
  -- index; "blast_id is not null" is spelled out so the planner can match the index's predicate.
  if p_definition ? 'replied_within_days' then
    v_where := v_where || $w$ and c.id in (select m.contact_id from public.messages m
      where m.direction = 'inbound'
        and m.created_at > now() - make_interval(days => ($2 ->> 'replied_within_days')::integer))$w$;
  end if;
  -- The blast ids become a uuid[] the planner can read: their JSON text with [] turned into {}
  -- (the validator admits only lower-case canonical uuids, so nothing else can appear in it).
  -- The values are constants when segment_contact_ids / count_contacts execute the statement,
  -- so blast_id's statistics give the real size of a blast; from jsonb_array_elements_text the
  -- planner guessed 100 ids and ~2k people, and probed contacts 63k times (254k buffers against
  -- 3.2k for the hash join at 100k contacts, see bench/crm_contacts.py).
  if p_definition ? 'received_blasts' then
    v_where := v_where || $w$ and c.id in (select m.contact_id from public.messages m
      where m.blast_id = any (translate($2 ->> 'received_blasts', '[]', '{}')::uuid[])
        and m.blast_id is not null and m.status in ('sent', 'delivered'))$w$;
  end if;
  -- Opens and clicks as the indexed expressions (see their statistics above for why).
  if p_definition ? 'opened_blasts' then
    v_where := v_where || $w$ and c.id in (select m.contact_id from public.messages m
      where (case when m.opened_at is not null then m.blast_id end)
            = any (translate($2 ->> 'opened_blasts', '[]', '{}')::uuid[]))$w$;
  end if;
  if p_definition ? 'clicked_blasts' then
    v_where := v_where || $w$ and c.id in (select m.contact_id from public.messages m
      where (case when m.clicked_at is not null then m.blast_id end)
            = any (translate($2 ->> 'clicked_blasts', '[]', '{}')::uuid[]))$w$;
  end if;
  -- Consent: the channel and the value are whitelisted above, so they may be written out.
  foreach v_channel in array array['sms', 'email'] loop
    v_consent := p_definition ->> ('consent_' || v_channel);
    v_where := v_where || case v_consent
      when 'opted_in' then format($w$ and c.id in (select k.contact_id from public.contact_consents k
        where k.channel = %L and k.status = 'opted_in')$w$, v_channel)
      when 'opted_out' then format($w$ and c.id in (select k.contact_id from public.contact_consents k
        where k.channel = %L and k.status = 'opted_out')$w$, v_channel)
      when 'unknown' then format($w$ and not exists (select 1 from public.contact_consents k
        where k.contact_id = c.id and k.channel = %L)$w$, v_channel)
      when 'not_opted_out' then format($w$ and not exists (select 1 from public.contact_consents k
        where k.contact_id = c.id and k.channel = %L and k.status = 'opted_out')$w$, v_channel)
      else ''
    end;
  end loop;
  return v_where;
end
$$;
comment on function private.segment_where(jsonb) is
  'A segment definition compiled to " and …" conditions over public.contacts c with the definition bound as $2: only the criteria used, fixed text, values read from $2.';
grant execute on function private.segment_where(jsonb) to authenticated, service_role;

-- A MailerSend webhook. Opens and clicks (plain and _unique alike: the first one wins either
-- way) keep the earliest time the provider reported, so repeats and late, out-of-order events
-- change nothing; they never touch the status.
create function private.handle_email_event(p_payload jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_type text := regexp_replace(coalesce(p_payload ->> 'type', ''), '^activity\.', '');
  v_email jsonb := p_payload -> 'data' -> 'email';
  v_address text := lower(v_email -> 'recipient' ->> 'email');
  v_engagement text := case when v_type in ('opened', 'opened_unique') then 'opened'
                            when v_type in ('clicked', 'clicked_unique') then 'clicked' end;
  v_message public.messages;
  v_tag_id uuid;
  v_contact_id uuid;
  v_at timestamptz;
  v_applied boolean := false;
begin
  -- The worker tags each email "message-<our id>"; MailerSend ids are the fallback.
  select substr(t, 9)::uuid into v_tag_id
  from jsonb_array_elements_text(coalesce(v_email -> 'tags', '[]'::jsonb)) as t
  where t ~ '^message-[0-9a-f-]{36}$' limit 1;
  select * into v_message from public.messages m
  where m.channel = 'email' and (m.id = v_tag_id
     or m.provider_id in (v_email -> 'message' ->> 'id', v_email ->> 'id'))
  order by m.id = v_tag_id desc nulls last
  limit 1
  for update;
  v_contact_id := coalesce(v_message.contact_id,
    (select c.id from public.contacts c where lower(c.email) = v_address));
  v_address := coalesce(v_address, v_message.to_address);

  case v_type
    when 'hard_bounced' then
      perform private.suppress_address('email', v_address, 'hard_bounce', v_message.id);
    when 'spam_complaint' then
      perform private.suppress_address('email', v_address, 'spam_complaint', v_message.id);
      perform private.record_consent(v_contact_id, 'email', 'opted_out', 'email_complaint', v_message.id, 'Spam complaint');
    when 'unsubscribed' then
      perform private.suppress_address('email', v_address, 'unsubscribed', v_message.id);
      perform private.record_consent(v_contact_id, 'email', 'opted_out', 'email_unsubscribe', v_message.id, 'Unsubscribed');
    else
      null;
  end case;
  if v_message.id is null then
    -- News about a message whose provider id we do not know yet waits for it.
    return jsonb_build_object(
      'deferred', v_type in ('sent', 'delivered', 'soft_bounced', 'hard_bounced') or v_engagement is not null,
      'applied', false);
  end if;
  if v_engagement is not null then
    v_at := coalesce((p_payload -> 'data' ->> 'created_at')::timestamptz, (p_payload ->> 'created_at')::timestamptz, now());
    -- least() ignores nulls: the first report fills the column, an earlier one moves it back.
    update public.messages
       set opened_at = least(opened_at, v_at),
           clicked_at = case when v_engagement = 'clicked' then least(clicked_at, v_at) else clicked_at end
     where id = v_message.id
       and (opened_at is null or opened_at > v_at
            or (v_engagement = 'clicked' and (clicked_at is null or clicked_at > v_at)));
    return jsonb_build_object('applied', found, 'message_id', v_message.id);
  end if;
  if v_type = 'spam_complaint' and v_message.blast_id is not null and v_message.recipient_opted_out_at is null then
    update public.messages set recipient_opted_out_at = now() where id = v_message.id;
    perform private.add_blast_counts(v_message.blast_id, p_opted_out => 1);
  end if;
  v_applied := private.apply_provider_status(v_message,
    case v_type when 'sent' then 'sent' when 'delivered' then 'delivered'
                when 'soft_bounced' then 'undelivered' when 'hard_bounced' then 'failed' end::public.message_status,
    v_type, case v_type when 'soft_bounced' then 'soft_bounce' when 'hard_bounced' then 'hard_bounce' end,
    v_email -> 'morph' ->> 'reason');
  return jsonb_build_object('applied', v_applied, 'message_id', v_message.id);
end
$$;
comment on function private.handle_email_event(jsonb) is
  'A MailerSend webhook: sent/delivered/soft_bounced/hard_bounced move the status forward; opened/clicked (and their _unique forms) record the first open/click; hard bounce, complaint and unsubscribe suppress the address (complaint/unsubscribe also opt the contact out of email).';
