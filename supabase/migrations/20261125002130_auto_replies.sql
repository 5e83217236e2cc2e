-- Auto-replies as settings, answered in the contact's language (issue 15, item 6).
--
-- public.auto_replies holds the HELP answer and the START confirmation in English and Spanish;
-- admins edit them (organizers read them). The reply language is the contact's
-- (contacts.preferred_language since 20261128040100_contact_language_drop), else Spanish when the keyword itself was Spanish (AYUDA), else the
-- organisation's default (messaging_settings.default_language). {{org_name}} and
-- {{contact_address}} are filled from the settings; a HELP answer must say how to opt out (STOP)
-- and give the contact address (docs/compliance.md).
--
-- private.handle_inbound_sms(jsonb) (the webhooks' inbound SMS handler) is defined here, since
-- its replies come from public.auto_replies.

-- ============================================================================================
-- Tables and columns
-- ============================================================================================

alter table public.contacts add column language text check (language in ('en', 'es'));
comment on column public.contacts.language is
  'The language the contact is written to in (en, es); null = the organisation''s default.';

alter table public.messaging_settings
  add column default_language text not null default 'en' check (default_language in ('en', 'es'));
comment on column public.messaging_settings.default_language is
  'Language of auto-replies to contacts whose language is unknown.';

create table public.auto_replies (
  kind text not null check (kind in ('help', 'opt_in')),
  language text not null check (language in ('en', 'es')),
  body text not null check (btrim(body) <> '' and char_length(body) <= 320),
  updated_at timestamptz not null default now(),
  primary key (kind, language)
);
comment on table public.auto_replies is
  'Texts the system answers keywords with: help (HELP/INFO/AYUDA) and opt_in (our own START confirmation), per language. {{org_name}} and {{contact_address}} come from messaging_settings.';
comment on column public.auto_replies.body is
  'At most 320 characters (two segments); a help body must contain STOP and {{contact_address}}.';

insert into public.auto_replies (kind, language, body) values
  ('opt_in', 'en', 'You are subscribed to Hello Miami texts again. Reply STOP to opt out.'),
  ('help', 'en', '{{org_name}}: community events in Miami. Reply STOP to opt out. Help: {{contact_address}}. Msg&data rates may apply.'),
  ('help', 'es', '{{org_name}}: eventos de la comunidad en Miami. Responde STOP para darte de baja. Ayuda: {{contact_address}}. Pueden aplicarse tarifas de mensajes y datos.'),
  ('opt_in', 'es', 'Vuelves a recibir los mensajes de {{org_name}}. Responde STOP para darte de baja.');


-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.auto_replies from anon, authenticated;
grant select, update (body) on table public.auto_replies to authenticated;
grant all on table public.auto_replies to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create function private.auto_replies_validate() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_unknown text;
begin
  select string_agg(distinct f[1], ', ') into v_unknown
  from regexp_matches(new.body, '\{\{\s*([^}]*?)\s*\}\}', 'g') as f
  where f[1] not in ('org_name', 'contact_address');
  if v_unknown is not null then
    raise exception using errcode = 'P0001', message = 'unknown_merge_field',
      detail = format('Auto-replies know {{org_name}} and {{contact_address}} only, not: %s.', v_unknown);
  end if;
  if new.kind = 'help' and (new.body not like '%STOP%' or new.body not like '%{{contact_address}}%') then
    raise exception using errcode = 'P0001', message = 'help_reply_incomplete',
      detail = 'A HELP answer must say how to opt out (STOP) and give {{contact_address}}.';
  end if;
  return new;
end
$$;
comment on function private.auto_replies_validate() is
  'Trigger: refuse unknown merge fields, and a HELP answer without STOP and {{contact_address}}.';

create trigger auto_replies_validate before insert or update of body on public.auto_replies
  for each row execute function private.auto_replies_validate();
create trigger auto_replies_touch_updated_at before update on public.auto_replies
  for each row execute function private.touch_updated_at();
create trigger auto_replies_audit after insert or update or delete on public.auto_replies
  for each row execute function private.audit_row_change();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.auto_replies enable row level security;

create policy "Organizers can read auto-replies" on public.auto_replies
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Admins can edit auto-replies" on public.auto_replies
  for update to authenticated
  using ((select private.has_staff_level('admin')))
  with check ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Helpers
-- ============================================================================================

-- private.reply_language moved to 20261128040100_contact_language_drop.sql (reads preferred_language).

create function private.auto_reply(p_kind text, p_language text, p_settings public.messaging_settings)
returns text
language sql
stable
set search_path = ''
as $$
  select replace(replace(r.body, '{{org_name}}', p_settings.org_name), '{{contact_address}}', p_settings.contact_address)
  from public.auto_replies r
  where r.kind = p_kind and r.language = p_language
$$;
comment on function private.auto_reply(text, text, public.messaging_settings) is
  'The auto-reply of a kind (help, opt_in) in a language, with the organisation''s name and contact address filled in.';

-- ============================================================================================
-- Inbound SMS (replies from public.auto_replies in the contact's language)
-- ============================================================================================

create function private.handle_inbound_sms(p_payload jsonb) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_from text := private.normalize_phone(p_payload ->> 'From');
  v_to text := private.normalize_phone(p_payload ->> 'To');
  v_sid text := p_payload ->> 'MessageSid';
  v_body text := coalesce(p_payload ->> 'Body', '');
  v_sender public.senders;
  v_contact_id uuid;
  v_conversation_id uuid;
  v_message_id uuid;
  v_action text;
  v_twilio_handled boolean := nullif(p_payload ->> 'OptOutType', '') is not null;
  v_reply text;
  v_media text[];
  v_prompting_blast_id uuid;
begin
  if v_sid is null or v_from is null then
    raise exception using errcode = 'P0001', message = 'invalid_inbound_payload',
      detail = 'MessageSid and From are required.';
  end if;
  select * into v_sender from public.senders s
  where s.channel = 'sms'
    and (s.from_number = v_to or s.messaging_service_sid = p_payload ->> 'MessagingServiceSid')
  order by s.from_number = v_to desc
  limit 1;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_sender',
      detail = format('No SMS sender for To=%s.', p_payload ->> 'To');
  end if;
  if exists (select 1 from public.messages m where m.provider_id = v_sid) then
    return jsonb_build_object('reply', null, 'action', null, 'duplicate', true);
  end if;

  select c.id into v_contact_id from public.contacts c where c.phone = v_from;
  if v_contact_id is null then
    insert into public.contacts (phone, source) values (v_from, 'inbound_sms')
    returning id into v_contact_id;
  end if;

  insert into public.conversations (contact_id, sender_id) values (v_contact_id, v_sender.id)
  on conflict (contact_id, sender_id) do update set status = 'open'
  returning id into v_conversation_id;

  select coalesce(array_agg(p_payload ->> ('MediaUrl' || i) order by i), '{}') into v_media
  from generate_series(0, coalesce((p_payload ->> 'NumMedia')::integer, 0) - 1) as i
  where p_payload ? ('MediaUrl' || i);

  insert into public.messages (direction, kind, channel, status, contact_id, conversation_id, sender_id,
    to_address, from_address, body, media_urls, provider_id, provider_status, segments)
  values ('inbound', 'conversation', 'sms', 'received', v_contact_id, v_conversation_id, v_sender.id,
    coalesce(v_sender.from_number::text, v_to), v_from, v_body, v_media, v_sid, 'received',
    public.sms_segments(v_body))
  returning id into v_message_id;

  -- Twilio's own classification first (it has already blocked or unblocked the number).
  v_action := coalesce(private.classify_twilio_opt_out_type(p_payload ->> 'OptOutType'),
                       private.classify_sms_keyword(v_body, v_settings.opt_out_keywords,
                         v_settings.opt_in_keywords, v_settings.help_keywords));
  case v_action
    when 'opt_out' then
      perform private.record_consent(v_contact_id, 'sms', 'opted_out', 'keyword', v_message_id,
        'Replied ' || left(v_body, 40));
      -- Attribute the opt-out to the blast text that prompted it (sent in the last 3 days): it
      -- counts towards that blast's opt-out rate, which may pause it.
      with last_blast as (
        select m.id from public.messages m
        where m.contact_id = v_contact_id and m.kind = 'blast' and m.channel = 'sms'
          and m.status in ('sent', 'delivered') and m.recipient_opted_out_at is null
          and m.sent_at > now() - interval '3 days'
        order by m.sent_at desc limit 1
      )
      update public.messages m set recipient_opted_out_at = now()
      from last_blast l where m.id = l.id
      returning m.blast_id into v_prompting_blast_id;
      if v_prompting_blast_id is not null then
        perform private.add_blast_counts(v_prompting_blast_id, p_opted_out => 1);
        perform private.check_blast_health(v_prompting_blast_id);
      end if;
      -- No reply: the opted-out number gets nothing but the confirmation Twilio itself sends.
      v_reply := null;
    when 'opt_in' then
      perform private.record_consent(v_contact_id, 'sms', 'opted_in', 'keyword', v_message_id,
        'Replied ' || left(v_body, 40));
      -- Twilio confirms its own START; a keyword only we know gets our confirmation.
      v_reply := case when not v_twilio_handled then
        private.auto_reply('opt_in', private.reply_language(v_contact_id, v_body, v_settings), v_settings) end;
    when 'help' then
      v_reply := private.auto_reply('help', private.reply_language(v_contact_id, v_body, v_settings), v_settings);
    else
      v_reply := null;
  end case;

  if v_reply is not null then
    insert into public.messages (direction, kind, channel, status, contact_id, conversation_id, sender_id,
      to_address, from_address, body, segments, provider_status)
    values ('outbound', 'auto_reply', 'sms', 'sent', v_contact_id, v_conversation_id, v_sender.id,
      v_from, coalesce(v_sender.from_number::text, v_to), v_reply, public.sms_segments(v_reply), 'twiml');
  end if;
  return jsonb_build_object('reply', v_reply, 'action', v_action, 'message_id', v_message_id,
                            'conversation_id', v_conversation_id, 'contact_id', v_contact_id);
end
$$;
comment on function private.handle_inbound_sms(jsonb) is
  'An inbound Twilio SMS: contact, conversation and message upserted; STOP/START/HELP per docs/compliance.md (OptOutType first, keyword list second); returns the auto-reply (public.auto_replies, in the contact''s language) or null.';
