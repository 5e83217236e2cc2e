-- HTML email (issue 15, item 1): every email gets an HTML part built by ONE renderer, in SQL, that
-- both the template editor's preview and the workers' claim call — so what an organizer previews
-- is byte for byte what a recipient gets, and no second implementation can drift.
--
-- What organizers write is plain text, the same text that goes out as the plain-text part:
-- paragraphs separated by a blank line, line breaks kept, and http(s) addresses turned into
-- links. No markup syntax at all (no HTML, no markdown): every character of the text — and of
-- the merge values a contact typed into a form — is HTML-escaped, and the only tags in the
-- result are the fixed layout's. A link is made only from an http:// or https:// address, which
-- mail clients link in a plain-text part anyway; `javascript:` or `data:` can never become one.
--
-- The layout: tables with inline CSS (what email clients accept), one 600 px column that shrinks
-- on phones, the recipient's language in `lang`, explicit background and text colours on every
-- cell with AA contrast (dark-mode clients that invert keep them readable, and `color-scheme`
-- says both are supported), the organisation's name on top, and for marketing an unsubscribe
-- footer.
--
--   public.email_html(p_text text, p_subject text, p_org_name text, p_language text default 'en',
--       p_unsubscribe_url text default null) returns text
--     Pure. p_unsubscribe_url null = no unsubscribe footer (transactional mail).
--   public.claim_outbound_messages_v2(…the same arguments as claim_outbound_messages…), defined in
--     20261127010000_channel_claim.sql,
--     returns the same columns plus html text: the email's HTML part (null for texts). For
--     marketing email the footer links to the literal href "{{unsubscribe_url}}", which the
--     worker replaces with the message's signed link (the URL is the worker's configuration and
--     the token is signed per message, see 20261125002150_unsubscribe_tokens.sql). Version 1
--     stays as it was for workers still running the old code (they send the plain-text part only).
--   public.preview_email_template(p_body text, p_contact_id uuid, p_subject text, p_event_id uuid)
--     returns preview_template's answer plus html: the email as that contact would get it from a
--     blast. Same rights and refusals as preview_template. (Now in
--     20261128040100_contact_language_drop.)

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.html_escape(p_text text) returns text
language sql
immutable
strict
set search_path = ''
as $$
  select replace(replace(replace(replace(replace(p_text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'),
                 '"', '&quot;'), '''', '&#39;')
$$;
comment on function private.html_escape(text) is
  'Text made safe for an HTML text node or a double-quoted attribute (& < > " '' escaped).';
grant execute on function private.html_escape(text) to authenticated, service_role;

-- One line of the organizer's text: escaped, with its http(s) addresses as links.
create function private.email_line_html(p_line text) returns text
language plpgsql
immutable
strict
set search_path = ''
as $$
declare
  -- An address ends before a space, a quote or angle bracket, and never on the punctuation of the
  -- sentence around it ("see https://x.org/a." links https://x.org/a).
  c_link constant text := 'https?://[^[:space:]<>"'']*[^[:space:]<>"''.,;:!?)\]]';
  v_rest text := p_line;
  v_html text := '';
  v_at integer;
  v_url text;
begin
  loop
    v_at := regexp_instr(v_rest, c_link, 1, 1, 0, 'i');
    exit when v_at = 0;
    v_url := regexp_substr(v_rest, c_link, 1, 1, 'i');
    v_html := v_html || private.html_escape(left(v_rest, v_at - 1))
      || format('<a href="%s" style="color:#115e59;text-decoration:underline;word-break:break-all;">%s</a>',
                private.html_escape(v_url), private.html_escape(v_url));
    v_rest := substr(v_rest, v_at + length(v_url));
  end loop;
  return v_html || private.html_escape(v_rest);
end
$$;
comment on function private.email_line_html(text) is
  'One line of an email''s text as HTML: every character escaped, http(s) addresses linked.';
grant execute on function private.email_line_html(text) to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- public.email_html moved to 20261128020300_email_render_cost.sql (JIT off; the unsubscribe words
-- are private.unsubscribe_words).

-- public.claim_outbound_messages_v2 moved to 20261127010000_channel_claim.sql (which channels
-- get an HTML part is the channel's private.channels row).

-- public.preview_email_template moved to 20261128040100_contact_language_drop.sql (reads preferred_language).
