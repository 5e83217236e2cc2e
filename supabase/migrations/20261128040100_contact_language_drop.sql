-- One language per contact, finished (issue 14; 20261127040200_contact_language_fold made
-- `contacts.language` a read-only mirror of preferred_language until its readers moved). They
-- read preferred_language now, and the mirror is dropped.
--
--   private.reply_language moved here (from …002130_auto_replies): the HELP/START auto-replies.
--   public.preview_email_template moved here (from 20261126040000_email_html): the email preview.
--
-- The workers' claims (claim_outbound_messages_v2/v3) already read preferred_language alone.

-- ============================================================================================
-- Tables
-- ============================================================================================

alter table public.contacts drop column language;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- The language to answer a keyword in: the contact's, else Spanish for a Spanish keyword, else
-- the organisation's default.
create function private.reply_language(p_contact_id uuid, p_body text, p_settings public.messaging_settings)
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(
    (select c.preferred_language from public.contacts c where c.id = p_contact_id),
    case when private.sms_keyword_token(p_body) in ('AYUDA', 'PARAR', 'ALTO') then 'es' end,
    p_settings.default_language)
$$;
comment on function private.reply_language(uuid, text, public.messaging_settings) is
  'en or es: the contact''s preferred language, else es for a Spanish keyword, else the organisation''s default.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- Invoker rights: preview_template checks the caller and reads the contact under their RLS.
create function public.preview_email_template(
  p_body text,
  p_contact_id uuid,
  p_subject text,
  p_event_id uuid default null
) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_preview jsonb := public.preview_template(p_body, p_contact_id, coalesce(p_subject, ''), p_event_id);
  v_settings public.messaging_settings := private.messaging_settings();
  v_language text;
begin
  select coalesce(c.preferred_language, v_settings.default_language) into v_language
  from public.contacts c where c.id = p_contact_id;
  -- A blast is marketing: the preview shows its unsubscribe footer, linked nowhere.
  return v_preview || jsonb_build_object('html',
    public.email_html(v_preview ->> 'body', v_preview ->> 'subject', v_settings.org_name, v_language, '#'));
end
$$;
comment on function public.preview_email_template(text, uuid, text, uuid) is
  'An email template rendered for one contact as preview_template renders it, plus the HTML part exactly as a blast sends it (public.email_html), in the contact''s preferred language.';
grant execute on function public.preview_email_template(text, uuid, text, uuid) to authenticated, service_role;
