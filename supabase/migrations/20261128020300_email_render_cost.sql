-- The email renderers: cost and one wording.
--
-- public.email_html cost 70-90 ms per call on a loaded machine (about 35 ms on a quiet one)
-- though its pieces cost about 1 ms, which held one worker's email claims to about 15 a
-- second. The cause is JIT compilation, every call: its body splits the text into paragraphs
-- and each paragraph into lines with regexp_split_to_table, a set-returning function the
-- planner estimates at 1,000 rows; one inside the other, the plan costs about 260,000, over
-- jit_above_cost (100,000, on by default here and on hosted projects), so PostgreSQL compiles
-- the plan with LLVM before running it, and an SQL function's plan lives for one call of the
-- calling query's row. With `set jit = off` on the function the same text renders in well under
-- a millisecond (50 renders: 1.7 s with JIT, 0.03 s without; bench/outbox_claim.py has the
-- claim's figures). Splitting differently would also lower the estimate, but the setting says
-- what matters to the next reader and survives an edit of the body.
--
-- The unsubscribe link's words were written twice, in email_html's footer and in email_text's
-- last line (duplicates D7): private.unsubscribe_words holds them, in each language.
--
-- Moved here, each with its final body (the files they came from say so where they were):
--   public.email_html (from 20261126040000_email_html.sql),
--   public.email_text (from 20261127030100_email_text_part.sql).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- Executable by the renderers' callers: they run with invoker rights (the workers' role through
-- the claim, staff through the template preview).
create function private.unsubscribe_words(p_language text) returns text
language sql
immutable
set search_path = ''
as $$
  select case when p_language = 'es' then 'Darte de baja o cambiar tus preferencias'
              else 'Unsubscribe or change your preferences' end
$$;
comment on function private.unsubscribe_words(text) is
  'The words of an email''s unsubscribe link, in the recipient''s language (English unless ''es''): the HTML footer''s link and the plain-text part''s last line.';
grant execute on function private.unsubscribe_words(text) to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.email_html(
  p_text text,
  p_subject text,
  p_org_name text,
  p_language text default 'en',
  p_unsubscribe_url text default null
) returns text
language sql
immutable
set search_path = ''
-- Its splitting functions are estimated at 1,000 rows each, one inside the other: the plan's
-- cost (about 260,000) is over jit_above_cost, so every call JIT-compiled its plan, about 35 ms
-- of 36 (see this file's header).
set jit = off
as $$
  with words as (
    select case when p_language = 'es' then 'es' else 'en' end as lang,
           coalesce(private.html_escape(p_org_name), '') as org
  ), paragraphs as (
    select string_agg(
             '<p style="margin:0 0 16px 0;">'
             || (select string_agg(private.email_line_html(line), '<br>' || chr(10) order by n)
                 from regexp_split_to_table(paragraph, '\n') with ordinality as l(line, n))
             || '</p>', chr(10) order by p) as html
    from regexp_split_to_table(replace(replace(coalesce(p_text, ''), chr(13) || chr(10), chr(10)), chr(13), chr(10)), '\n[[:space:]]*\n') with ordinality
         as t(paragraph, p)
    where btrim(paragraph, E' \t\n') <> ''
  )
  select concat(
    '<!DOCTYPE html>', chr(10),
    '<html lang="', w.lang, '" dir="ltr"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">',
    '<title>', coalesce(private.html_escape(p_subject), ''), '</title></head>', chr(10),
    '<body style="margin:0;padding:0;background-color:#f5f5f4;color:#1c1917;">', chr(10),
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f5f5f4;">',
    '<tr><td align="center" style="padding:24px 12px;">', chr(10),
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" ',
    'style="max-width:600px;background-color:#ffffff;border:1px solid #d6d3d1;border-radius:8px;">', chr(10),
    '<tr><td style="padding:16px 24px;background-color:#115e59;color:#ffffff;border-radius:8px 8px 0 0;',
    'font-family:Arial,Helvetica,sans-serif;font-size:18px;font-weight:bold;line-height:1.4;">', w.org, '</td></tr>', chr(10),
    '<tr><td style="padding:24px;background-color:#ffffff;color:#1c1917;font-family:Arial,Helvetica,sans-serif;',
    'font-size:16px;line-height:1.5;">', chr(10), coalesce(p.html, ''), chr(10), '</td></tr>', chr(10),
    '<tr><td style="padding:16px 24px;background-color:#ffffff;color:#57534e;border-top:1px solid #d6d3d1;',
    'font-family:Arial,Helvetica,sans-serif;font-size:13px;line-height:1.5;">',
    case
      when p_unsubscribe_url is null then
        case w.lang when 'es' then 'Enviado por ' else 'Sent by ' end || w.org || '.'
      else
        case w.lang when 'es' then 'Recibes este correo de ' else 'You receive this email from ' end || w.org
        || '. <a href="' || private.html_escape(p_unsubscribe_url)
        || '" style="color:#115e59;text-decoration:underline;">'
        || private.unsubscribe_words(w.lang)
        || '</a>'
    end,
    '</td></tr>', chr(10), '</table></td></tr></table>', chr(10), '</body></html>')
  from words w, paragraphs p
$$;
comment on function public.email_html(text, text, text, text, text) is
  'The HTML part of an email: the plain text (paragraphs, line breaks, http(s) links; everything escaped) in the fixed, mobile-friendly layout, with an unsubscribe footer when a link is given. The one renderer of the preview and the sends.';
grant execute on function public.email_html(text, text, text, text, text) to authenticated, service_role;

create function public.email_text(
  p_text text,
  p_language text default 'en',
  p_unsubscribe_url text default null
) returns text
language sql
immutable
set search_path = ''
as $$
  -- The words are those of public.email_html's footer link (one helper), so both parts say the same.
  select coalesce(p_text, '')
    || case when p_unsubscribe_url is null then ''
            else chr(10) || chr(10) || private.unsubscribe_words(p_language) || ': ' || p_unsubscribe_url
       end
$$;
comment on function public.email_text(text, text, text) is
  'The plain-text part of an email: the text, and for marketing mail an unsubscribe line in the recipient''s language (English unless ''es''). The one renderer of the sends'' plain text.';
grant execute on function public.email_text(text, text, text) to authenticated, service_role;
