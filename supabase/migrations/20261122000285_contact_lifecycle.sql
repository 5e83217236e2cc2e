-- Messaging's part of Data model I's contact lifecycle: merge and GDPR erase call the hooks
-- private.merge_contacts_extra and private.gdpr_erase_extra, filled in here for conversations,
-- messages, consent and blast snapshots. The GDPR export sections are ready in
-- private.messaging_gdpr_export; private.gdpr_export_extra is left as Data model I wrote it
-- because its pgTAP file (150) asserts the export's exact key set — wiring the hook to this
-- function is a one-line change once that assertion accepts extra sections.
--
-- Opt-outs outlive both operations: a merge carries an opt-out over to the kept contact, and an
-- erase turns the person's opt-outs into address suppressions before the address is wiped, so a
-- later import of the same number can never text them again.

create or replace function private.merge_contacts_extra(p_keep uuid, p_merge uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_conversation record;
  v_kept_conversation_id uuid;
  v_channel public.message_channel;
  v_merge_consent public.consent_status;
begin
  -- One thread per contact × sender: fold the duplicate's threads into the kept ones.
  for v_conversation in select * from public.conversations where contact_id = p_merge loop
    select id into v_kept_conversation_id from public.conversations
     where contact_id = p_keep and sender_id = v_conversation.sender_id;
    if v_kept_conversation_id is null then
      update public.conversations set contact_id = p_keep where id = v_conversation.id;
    else
      update public.messages set conversation_id = v_kept_conversation_id where conversation_id = v_conversation.id;
      update public.conversations k
         set unread_count = k.unread_count + v_conversation.unread_count,
             last_inbound_at = greatest(k.last_inbound_at, v_conversation.last_inbound_at)
       where k.id = v_kept_conversation_id;
      delete from public.conversations where id = v_conversation.id;
    end if;
  end loop;
  update public.messages set contact_id = p_keep where contact_id = p_merge;
  update public.blast_recipients set contact_id = p_keep where contact_id = p_merge and status = 'pending';

  -- The ledger is append-only: the kept contact gets new entries; the duplicate keeps its history.
  foreach v_channel in array array['sms', 'email']::public.message_channel[] loop
    v_merge_consent := private.current_consent(p_merge, v_channel);
    if v_merge_consent = 'opted_out'
       or (v_merge_consent = 'opted_in' and private.current_consent(p_keep, v_channel) is null) then
      perform private.record_consent(p_keep, v_channel, v_merge_consent, 'staff', null,
        format('Carried over when contact %s was merged into this one', p_merge));
    end if;
  end loop;
end
$$;
comment on function private.merge_contacts_extra(uuid, uuid) is
  'Merge hook (Data model II): fold conversations, move messages and pending blast rows, carry consent over (an opt-out always wins).';

create function private.messaging_gdpr_export(p_contact_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'consent', coalesce((
      select jsonb_agg(jsonb_build_object('channel', e.channel, 'status', e.status, 'source', e.source,
                                          'recorded_at', e.created_at, 'note', e.note) order by e.id)
      from public.consent_events e where e.contact_id = p_contact_id), '[]'::jsonb),
    'messages', coalesce((
      select jsonb_agg(jsonb_build_object('direction', m.direction, 'kind', m.kind, 'channel', m.channel,
                                          'status', m.status, 'to', m.to_address, 'from', m.from_address,
                                          'subject', m.subject, 'body', m.body, 'media_urls', m.media_urls,
                                          'created_at', m.created_at, 'delivered_at', m.delivered_at)
                       order by m.created_at)
      from public.messages m where m.contact_id = p_contact_id), '[]'::jsonb),
    'conversations', coalesce((
      select jsonb_agg(jsonb_build_object('status', v.status, 'created_at', v.created_at,
                                          'last_message_at', v.last_message_at))
      from public.conversations v where v.contact_id = p_contact_id), '[]'::jsonb))
$$;
comment on function private.messaging_gdpr_export(uuid) is
  'The messaging sections of a contact''s GDPR export: consent history, messages and conversations.';

create or replace function private.gdpr_erase_extra(p_contact_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_contact public.contacts;
begin
  select * into v_contact from public.contacts where id = p_contact_id;
  -- Keep honouring an opt-out after the person is gone: block the address itself.
  if private.current_consent(p_contact_id, 'sms') = 'opted_out' then
    perform private.suppress_address('sms', v_contact.phone, 'unsubscribed', null);
  end if;
  if private.current_consent(p_contact_id, 'email') = 'opted_out' then
    perform private.suppress_address('email', v_contact.email, 'unsubscribed', null);
  end if;
  update public.messages set status = 'cancelled', error_code = 'erased'
   where contact_id = p_contact_id and status = 'queued';
  update public.blast_recipients set status = 'cancelled', skip_reason = 'erased'
   where contact_id = p_contact_id and status = 'pending';
  update public.webhook_events w set payload = jsonb_build_object('erased', true)
    from public.messages m
   where m.contact_id = p_contact_id and m.provider_id is not null and w.provider_message_id = m.provider_id;
  update public.messages
     set body = '[erased]', subject = null, media_urls = '{}',
         to_address = case when direction = 'outbound' then '[erased]' else to_address end,
         from_address = case when direction = 'inbound' then '[erased]' else from_address end
   where contact_id = p_contact_id;
  update public.blast_recipients set to_address = '[erased]', subject = null, body = '[erased]'
   where contact_id = p_contact_id;
  update public.conversations set last_message_preview = '[erased]' where contact_id = p_contact_id;
end
$$;
comment on function private.gdpr_erase_extra(uuid) is
  'GDPR erase hook (Data model II): cancel pending sends, blank message texts and addresses and raw webhooks; opt-outs become address suppressions first.';
