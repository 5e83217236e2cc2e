-- One language per contact (issue 14; found in review): contacts had two language columns.
-- `preferred_language` (…001000_consent_capture) is the one people and staff set — the
-- registration and RSVP forms, /me, the CRM contact page, CSV import — and the one the contacts
-- list filters on and passes are written in. `language` (…002130_auto_replies) was written by
-- nothing in the product, yet the HELP/START auto-replies read only it and the email renderer
-- read it first: an attendee who chose Spanish on their page still got English auto-replies.
--
-- The value now lives in preferred_language alone; `language` stays as a read-only mirror of it
-- (a stored generated column) so that its three readers — private.reply_language,
-- public.claim_outbound_messages_v2 (a workers' contract being reworked in parallel on the
-- message channels) and public.preview_email_template — follow the person's choice without
-- being redefined here. Drop the mirror once they read preferred_language.

-- A value someone set in Studio survives where the person never chose one.
update public.contacts set preferred_language = language
 where preferred_language is null and language is not null;

alter table public.contacts drop column language;
alter table public.contacts
  add column language text generated always as (preferred_language) stored;
comment on column public.contacts.language is
  'Read-only mirror of preferred_language for its older readers (auto-replies, email rendering); set preferred_language.';
