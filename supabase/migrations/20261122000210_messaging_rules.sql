-- Messaging rules as pure SQL functions (COMPLIANCE.md): keyword classification, SMS encoding and
-- segment counting, the quiet-hours window, and merge-field templates. They touch no table, so
-- every later messaging migration, the snapshot, the claim and the SPA's editor share one
-- definition of each rule.

-- ============================================================================================
-- Keywords
-- ============================================================================================

create or replace function private.sms_keyword_token(p_body text) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- A keyword is a single word; surrounding spaces and punctuation ("Stop!", " stop. ") do not count.
  select case
    when trimmed = '' or trimmed ~ '[[:space:]]' then null
    else upper(trimmed)
  end
  from (
    select regexp_replace(coalesce(p_body, ''), '^[[:space:][:punct:]]+|[[:space:][:punct:]]+$', '', 'g')
      as trimmed
  ) as body
$$;
comment on function private.sms_keyword_token(text) is
  'The upper-cased single word of an SMS body with surrounding spaces/punctuation removed, or null when the body is not one word.';

create or replace function private.classify_sms_keyword(
  p_body text,
  p_opt_out_keywords text[],
  p_opt_in_keywords text[],
  p_help_keywords text[]
) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- Opt-out wins over everything: a list that accidentally names a word twice must never turn a
  -- STOP into a START.
  select case
    when token is null then null
    when token = any (select upper(k) from unnest(p_opt_out_keywords) as k) then 'opt_out'
    when token = any (select upper(k) from unnest(p_opt_in_keywords) as k) then 'opt_in'
    when token = any (select upper(k) from unnest(p_help_keywords) as k) then 'help'
  end
  from (select private.sms_keyword_token(p_body) as token) as t
$$;
comment on function private.classify_sms_keyword(text, text[], text[], text[]) is
  'Classify an inbound SMS body as opt_out / opt_in / help (or null) against configurable keyword lists, case-insensitively.';

create or replace function private.classify_twilio_opt_out_type(p_opt_out_type text) returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case upper(coalesce(p_opt_out_type, ''))
    when 'STOP' then 'opt_out'
    when 'START' then 'opt_in'
    when 'HELP' then 'help'
  end
$$;
comment on function private.classify_twilio_opt_out_type(text) is
  'Map Twilio''s inbound OptOutType field (STOP/START/HELP) to opt_out / opt_in / help.';

-- ============================================================================================
-- SMS encoding and segments
-- ============================================================================================

-- One plpgsql function measures a text: the snapshot calls it 100k times, and plpgsql evaluates
-- these expressions with cached plans where nested SQL functions would each start an executor.
create or replace function private.sms_measure(
  p_text text,
  out encoding text,
  out units integer,
  out segments integer
)
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  -- GSM 03.38 basic set and extension table (extension characters take two septets).
  gsm7 constant text := '^[@£$¥èéùìòÇ' || chr(10) || 'Øø' || chr(13)
    || 'ÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&''()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà' || chr(12) || '\^{}\\\[~\]|€]*$';
  gsm7_extension constant text := '[\^{}\\\[~\]|€' || chr(12) || ']';
begin
  p_text := coalesce(p_text, '');
  if p_text ~ gsm7 then
    encoding := 'gsm7';
    units := char_length(p_text);
    if p_text ~ gsm7_extension then
      units := units + char_length(p_text) - char_length(regexp_replace(p_text, gsm7_extension, '', 'g'));
    end if;
    segments := case when units = 0 then 0 when units <= 160 then 1 else ceil(units / 153.0)::integer end;
  else
    encoding := 'ucs2';
    -- UCS-2 on the wire is UTF-16: characters beyond the BMP (most emoji) take two code units.
    units := char_length(p_text)
      + char_length(regexp_replace(p_text, '[^\U00010000-\U0010FFFF]', '', 'g'));
    segments := case when units <= 70 then 1 else ceil(units / 67.0)::integer end;
  end if;
end
$$;
comment on function private.sms_measure(text) is
  'Encoding (gsm7/ucs2), length in encoding units and SMS segments of a text (160/153 GSM-7, 70/67 UCS-2).';

create or replace function public.sms_encoding(p_text text) returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return (private.sms_measure(p_text)).encoding;
end
$$;
comment on function public.sms_encoding(text) is
  'gsm7 when every character is in the GSM 03.38 alphabet (with extension table), otherwise ucs2: one emoji or curly quote switches the whole message.';

create or replace function public.sms_units(p_text text) returns integer
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return (private.sms_measure(p_text)).units;
end
$$;
comment on function public.sms_units(text) is
  'Length of a text in its SMS encoding: GSM-7 septets (extension characters count 2) or UTF-16 code units.';

create or replace function public.sms_segments(p_text text) returns integer
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return (private.sms_measure(p_text)).segments;
end
$$;
comment on function public.sms_segments(text) is
  'Number of SMS segments a text is billed and paced as: 160/153 GSM-7 septets or 70/67 UCS-2 units per segment.';

grant execute on function public.sms_encoding(text), public.sms_units(text), public.sms_segments(text)
  to authenticated, service_role;

-- ============================================================================================
-- Quiet hours
-- ============================================================================================

create or replace function private.within_send_window(
  p_now timestamptz,
  p_time_zone text,
  p_window_start time,
  p_window_end time
) returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- The window is [start, end) in the recipient's local time; a window that wraps midnight
  -- (start > end) is allowed for completeness. The caller resolves the time zone fallback.
  select case
    when p_window_start <= p_window_end then local_time >= p_window_start and local_time < p_window_end
    else local_time >= p_window_start or local_time < p_window_end
  end
  from (select (p_now at time zone p_time_zone)::time as local_time) as t
$$;
comment on function private.within_send_window(timestamptz, text, time, time) is
  'True when p_now, in time zone p_time_zone, falls inside the marketing send window [start, end).';

-- ============================================================================================
-- Templates and merge fields
-- ============================================================================================

create or replace function private.merge_field_pattern() returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- {{ field }} or {{ field | default text }}; custom fields are {{ custom.key }}.
  select '\{\{[[:space:]]*([A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)?)[[:space:]]*(\|([^{}]*))?\}\}'
$$;

comment on function private.merge_field_pattern() is
  'The regular expression of a merge field: {{ field }} or {{ field | default }}, field = name or custom.key.';

create or replace function private.known_merge_fields() returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- No unsubscribe_url: the email worker appends the per-message unsubscribe link and header.
  select array['first_name', 'last_name', 'full_name', 'email', 'phone', 'event_name', 'event_date',
               'org_name']
$$;
comment on function private.known_merge_fields() is
  'Merge fields a template may use, besides custom.<key> (a contact''s custom field).';

create or replace function private.compile_template(p_text text) returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  literals text[];
  fields text[][];
  parts text[];
  match text[];
  i integer := 0;
begin
  if p_text is null then
    return null;
  end if;
  literals := regexp_split_to_array(p_text, private.merge_field_pattern());
  -- Anything that still looks like a merge field after the valid ones are split out is a typo
  -- that would otherwise reach recipients verbatim.
  if array_to_string(literals, '') ~ '\{\{|\}\}' then
    raise exception using errcode = 'P0001', message = 'malformed_merge_field',
      detail = 'A "{{" or "}}" in the template is not a valid merge field.',
      hint = 'Write merge fields as {{first_name}} or {{first_name | friend}}.';
  end if;
  parts := array[literals[1]];
  for match in select m from regexp_matches(p_text, private.merge_field_pattern(), 'g') as m loop
    i := i + 1;
    if not (match[1] = any (private.known_merge_fields()) or match[1] like 'custom.%') then
      raise exception using errcode = 'P0001', message = 'unknown_merge_field',
        detail = format('{{%s}} is not a merge field.', match[1]),
        hint = 'Known fields: ' || array_to_string(private.known_merge_fields(), ', ')
          || ', custom.<key>.';
    end if;
    parts := parts || array[match[1], coalesce(btrim(match[4]), ''), literals[i + 1]];
  end loop;
  return parts;
end
$$;
comment on function private.compile_template(text) is
  'Parse a template once into [literal, (field, default, literal)*]; refuses unknown or malformed merge fields (P0001 unknown_merge_field / malformed_merge_field).';

-- Rendering compiles a template into one SQL expression over "value expressions" for each
-- field. The snapshot runs that expression set-based over contacts (100k rows cost about as much
-- as concatenating strings); render_template runs the very same expression over a JSON object.
-- Literal text is quoted with quote_literal and field names come only from the compiled
-- (validated) template, so no template text is ever SQL.
create or replace function private.template_sql(p_parts text[], p_value_sql jsonb) returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  expression text;
  value_sql text;
  i integer := 2;
  n integer := coalesce(array_length(p_parts, 1), 0);
begin
  if p_parts is null then
    return 'null::text';
  end if;
  expression := quote_literal(p_parts[1]);
  while i < n loop
    if p_parts[i] like 'custom.%' then
      value_sql := format('(%s ->> %L)', coalesce(p_value_sql ->> 'custom', 'null::jsonb'), substr(p_parts[i], 8));
    else
      value_sql := coalesce(p_value_sql ->> p_parts[i], 'null::text');
    end if;
    -- An empty or blank value reads like a typo to the recipient: use the default instead.
    expression := expression || format(
      ' || (case when btrim(coalesce(%1$s, '''')) = '''' then %2$L else %1$s end) || %3$L',
      value_sql, p_parts[i + 1], p_parts[i + 2]);
    i := i + 3;
  end loop;
  return expression;
end
$$;
comment on function private.template_sql(text[], jsonb) is
  'The SQL expression rendering a compiled template, given an SQL expression per merge field ({"first_name": "c.first_name", "custom": "c.custom_fields", …}; missing fields render their default).';

create or replace function private.json_field_sql(p_json_sql text) returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  select jsonb_object_agg(f, format('(%s ->> %L)', p_json_sql, f))
         || jsonb_build_object('custom', format('(%s -> %L)', p_json_sql, 'custom'))
  from unnest(private.known_merge_fields()) as f
$$;
comment on function private.json_field_sql(text) is
  'Value expressions reading each merge field from a JSON object expression (for render_template).';

create or replace function public.render_template(p_text text, p_fields jsonb default '{}'::jsonb)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  result text;
begin
  execute 'select ' || private.template_sql(private.compile_template(p_text), private.json_field_sql('$1'))
    into result using coalesce(p_fields, '{}'::jsonb);
  return result;
end
$$;
comment on function public.render_template(text, jsonb) is
  'Render merge fields ({{first_name}}, {{first_name | friend}}, {{custom.key}}) with values from p_fields; unknown fields are refused (P0001 unknown_merge_field). Same rendering as blast snapshots.';
grant execute on function public.render_template(text, jsonb) to authenticated, service_role;

create or replace function public.template_merge_fields(p_text text) returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  -- Compiling validates: an unknown field raises before anything is returned.
  select array(
    select distinct parts[i]
    from (select private.compile_template(p_text) as parts) as c,
         generate_series(2, coalesce(array_length(parts, 1), 0), 3) as i
    order by 1
  )
$$;
comment on function public.template_merge_fields(text) is
  'The distinct merge fields a template uses (validating it: unknown fields are refused).';
grant execute on function public.template_merge_fields(text) to authenticated, service_role;

-- Pure helpers: callable by the API roles so invoker functions, triggers and policies can use them
-- (the private schema itself is not exposed through the API).
grant execute on function private.sms_keyword_token(text), private.classify_sms_keyword(text, text[], text[], text[]),
  private.classify_twilio_opt_out_type(text), private.sms_measure(text),
  private.within_send_window(timestamptz, text, time, time), private.merge_field_pattern(),
  private.known_merge_fields(), private.compile_template(text), private.template_sql(text[], jsonb),
  private.json_field_sql(text)
  to authenticated, service_role;
