-- The plain-text part of an email, rendered by the database like its HTML part (issue 15, item 1).
-- The HTML footer followed the contact's language but the worker appended an English-only
-- unsubscribe line to the plain text. Now public.email_text builds the plain-text part — the
-- unsubscribe line in the contact's language — and a version 3 of the claim returns it next to
-- the HTML; the worker only fills in the link. Version 2 stays for workers not yet updated.
--
--   public.email_text(p_text, p_language default 'en', p_unsubscribe_url default null) returns text
--   public.claim_outbound_messages_v3(…the same arguments as claim_outbound_messages…)
--     claim_outbound_messages_v2's rows plus text_part: each email's plain-text part; a marketing
--     one ends with the placeholder {{unsubscribe_url}}, which the worker replaces. Service role only.

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.email_text moved to 20261128020300_email_render_cost.sql (the unsubscribe words are
-- private.unsubscribe_words).

-- Invoker rights, like version 2 (which does the claiming through the definer version 1): the
-- workers' role reads the claimed messages' contacts for their language. Row by row in plpgsql,
-- as version 2 does: a blast's messages are written by the claim itself, and one SQL statement
-- around the claim could not see them (its snapshot predates the claim), so every blast email's
-- text would come out in the default language.
create function public.claim_outbound_messages_v3(
  p_worker_id text,
  p_channel text,
  p_limit integer default 50,
  p_lease_seconds integer default 30,
  p_now timestamptz default now()
) returns table (
  message_id uuid, channel text, kind text, to_address text, from_address text,
  messaging_service_sid text, from_name text, reply_to text, subject text, body text,
  media_urls text[], is_marketing boolean, validity_period_seconds integer, blast_id uuid,
  sender_id uuid, segments integer, attempts integer, html text, text_part text
)
language plpgsql
volatile
set search_path = ''
as $$
declare
  claimed record;
begin
  for claimed in
    select * from public.claim_outbound_messages_v2(p_worker_id, p_channel, p_limit, p_lease_seconds, p_now)
  loop
    return query
    select claimed.message_id, claimed.channel, claimed.kind, claimed.to_address,
           claimed.from_address, claimed.messaging_service_sid, claimed.from_name,
           claimed.reply_to, claimed.subject, claimed.body, claimed.media_urls,
           claimed.is_marketing, claimed.validity_period_seconds, claimed.blast_id,
           claimed.sender_id, claimed.segments, claimed.attempts, claimed.html,
           -- Texts, most of the claims, pay nothing for the language lookup.
           case when k.html_part then
             public.email_text(
               claimed.body,
               coalesce((select ct.preferred_language
                         from public.messages m join public.contacts ct on ct.id = m.contact_id
                         where m.id = claimed.message_id),
                        (select s.default_language from private.messaging_settings() s)),
               case when claimed.is_marketing then '{{unsubscribe_url}}' end)
           end
    from private.channels k
    where k.name::text = claimed.channel;
  end loop;
end
$$;
comment on function public.claim_outbound_messages_v3(text, text, integer, integer, timestamptz) is
  'Workers: claim_outbound_messages_v2 plus each email''s plain-text part (public.email_text, in the recipient''s language; a marketing one ends with {{unsubscribe_url}}, which the worker fills in).';
revoke execute on function public.claim_outbound_messages_v3(text, text, integer, integer, timestamptz) from public, anon, authenticated;
grant execute on function public.claim_outbound_messages_v3(text, text, integer, integer, timestamptz) to service_role;
