-- A contact's GDPR export includes what messaging holds about them: consent history, messages
-- and conversations (private.messaging_gdpr_export), through Data model I's export hook.

create or replace function private.gdpr_export_extra(p_contact_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select private.messaging_gdpr_export(p_contact_id)
$$;
comment on function private.gdpr_export_extra(uuid) is
  'The sections later migrations add to a contact''s GDPR export: messaging (consent, messages, conversations).';
