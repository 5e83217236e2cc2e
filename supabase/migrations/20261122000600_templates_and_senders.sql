-- Templates and senders: message templates with merge fields, SMS measuring, and senders with
-- per-sender rate tokens shared by every worker process.
--
-- Templates, merge fields and SMS encoding/segment counting are pure functions (they touch no
-- table), so the snapshot, the claim and the SPA's editor share one definition of each rule.
--
-- A sender's pace is a token bucket held in one row (private.sender_rate_buckets): capacity and
-- refill rate are the sender's MPS in segments, so the tokens never exceed the MPS however many
-- workers claim at once; claims lock the row, refill by elapsed time, and spend segments. The
-- daily cap (segments for SMS, emails for email) resets at midnight in the organisation's time zone.
--
-- private.lock_sender_bucket and private.spend_sender_tokens, which refill and spend the bucket,
-- are defined with the sending limits (20261125002100_sending_limits.sql).

-- ============================================================================================
-- Types
-- ============================================================================================

create type public.message_provider as enum ('twilio', 'mailersend');
comment on type public.message_provider is 'Delivery provider: twilio (SMS) or mailersend (email).';

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.message_templates (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (btrim(name) <> ''),
  channel public.message_channel not null,
  subject text,
  body text not null check (btrim(body) <> ''),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  archived_at timestamptz
);
-- A template has a subject exactly when its channel has subjects: the constraint trigger
-- message_templates_subject_fits_channel (20261126030000_message_channels.sql).
comment on table public.message_templates is
  'Reusable SMS and email texts with merge fields ({{first_name}}, {{event_name | our event}}, {{custom.key}}); unknown fields are refused on save.';
comment on column public.message_templates.archived_at is 'Archived templates stay for history but are not offered for new blasts.';

create index message_templates_created_by_idx on public.message_templates (created_by);

create table public.senders (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (btrim(name) <> ''),
  channel public.message_channel not null,
  provider public.message_provider not null,
  from_number public.phone_e164,
  messaging_service_sid text check (messaging_service_sid ~ '^MG[0-9a-fA-F]{32}$'),
  from_email text check (from_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  from_name text,
  reply_to text check (reply_to ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  mps_segments numeric(8, 2) not null default 1 check (mps_segments > 0),
  daily_cap integer check (daily_cap > 0),
  quiet_start time,
  quiet_end time,
  enabled boolean not null default true,
  use_for_transactional boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint senders_twilio_has_address check (
    provider <> 'twilio' or from_number is not null or messaging_service_sid is not null),
  constraint senders_mailersend_has_from check (provider <> 'mailersend' or from_email is not null),
  constraint senders_quiet_window_complete check ((quiet_start is null) = (quiet_end is null))
);
-- A sender's provider must be its channel's: the constraint trigger
-- senders_provider_matches_channel (20261126030000_message_channels.sql).
comment on table public.senders is
  'Sending identities: Twilio numbers or Messaging Services (SMS) and MailerSend sender identities (email), each paced on our side.';
comment on column public.senders.messaging_service_sid is 'Twilio Messaging Service (MG…); used instead of from_number when set.';
comment on column public.senders.mps_segments is
  'Messages per second in SMS segments (emails for email senders): 10DLC ≈1, toll-free 3, short code ≥100.';
comment on column public.senders.daily_cap is
  'Segments (SMS) or emails (email) per day in the organisation''s time zone; null = no cap.';
comment on column public.senders.quiet_start is 'Marketing send window start (recipient local time); null = the organisation''s.';
comment on column public.senders.use_for_transactional is 'Sends one-time codes and other transactional texts.';

create unique index senders_from_number_key on public.senders (from_number) where from_number is not null;
create unique index senders_messaging_service_sid_key on public.senders (messaging_service_sid)
  where messaging_service_sid is not null;
create index senders_channel_enabled_idx on public.senders (channel, enabled);

-- Not exposed (schema private): only the claim function touches it.
create table private.sender_rate_buckets (
  sender_id uuid primary key references public.senders (id) on delete cascade,
  tokens numeric not null,
  refilled_at timestamptz not null,
  cap_day date not null,
  used_today integer not null default 0
);
comment on table private.sender_rate_buckets is
  'Token bucket per sender (capacity = refill rate = mps_segments) and the day''s usage against daily_cap.';

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.message_templates, public.senders from anon, authenticated;
grant select, insert, update, delete on table public.message_templates to authenticated;
grant select, insert, update, delete on table public.senders to authenticated;
grant all on table public.message_templates, public.senders to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create function private.message_templates_validate() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Compiling raises unknown_merge_field / malformed_merge_field with the field named.
  perform private.compile_template(new.body);
  perform private.compile_template(new.subject);
  return new;
end
$$;
comment on function private.message_templates_validate() is
  'Trigger: refuse a template whose subject or body uses an unknown or malformed merge field.';

create trigger message_templates_validate before insert or update of subject, body on public.message_templates
  for each row execute function private.message_templates_validate();

create trigger message_templates_touch_updated_at before update on public.message_templates
  for each row execute function private.touch_updated_at();

create trigger message_templates_audit after insert or update or delete on public.message_templates
  for each row execute function private.audit_row_change();

create trigger senders_touch_updated_at before update on public.senders
  for each row execute function private.touch_updated_at();

create trigger senders_audit after insert or update or delete on public.senders
  for each row execute function private.audit_row_change();

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.message_templates enable row level security;
alter table public.senders enable row level security;

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- One plpgsql function measures a text: the snapshot calls it 100k times, and plpgsql evaluates
-- these expressions with cached plans where nested SQL functions would each start an executor.
create function private.sms_measure(
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
grant execute on function private.sms_measure(text) to authenticated, service_role;

create function private.merge_field_pattern() returns text
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
grant execute on function private.merge_field_pattern() to authenticated, service_role;

create function private.known_merge_fields() returns text[]
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
grant execute on function private.known_merge_fields() to authenticated, service_role;

create function private.compile_template(p_text text) returns text[]
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
grant execute on function private.compile_template(text) to authenticated, service_role;

-- Rendering compiles a template into one SQL expression over "value expressions" for each
-- field. The snapshot runs that expression set-based over contacts (100k rows cost about as much
-- as concatenating strings); render_template runs the very same expression over a JSON object.
-- Literal text is quoted with quote_literal and field names come only from the compiled
-- (validated) template, so no template text is ever SQL.
create function private.template_sql(p_parts text[], p_value_sql jsonb) returns text
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
grant execute on function private.template_sql(text[], jsonb) to authenticated, service_role;

create function private.json_field_sql(p_json_sql text) returns jsonb
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
grant execute on function private.json_field_sql(text) to authenticated, service_role;

create function private.save_sender_bucket(p_bucket private.sender_rate_buckets) returns void
language sql
set search_path = ''
as $$
  update private.sender_rate_buckets
     set tokens = p_bucket.tokens, refilled_at = p_bucket.refilled_at,
         cap_day = p_bucket.cap_day, used_today = p_bucket.used_today
   where sender_id = p_bucket.sender_id
$$;
comment on function private.save_sender_bucket(private.sender_rate_buckets) is 'Write back a bucket locked by lock_sender_bucket.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can read templates" on public.message_templates
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can create templates" on public.message_templates
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can update templates" on public.message_templates
  for update to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can delete templates" on public.message_templates
  for delete to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can read senders" on public.senders
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Admins can add senders" on public.senders
  for insert to authenticated
  with check ((select private.has_staff_level('admin')));

create policy "Admins can update senders" on public.senders
  for update to authenticated
  using ((select private.has_staff_level('admin')))
  with check ((select private.has_staff_level('admin')));

create policy "Admins can delete senders" on public.senders
  for delete to authenticated
  using ((select private.has_staff_level('admin')));

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.sms_encoding(p_text text) returns text
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
grant execute on function public.sms_encoding(text) to authenticated, service_role;

create function public.sms_units(p_text text) returns integer
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
grant execute on function public.sms_units(text) to authenticated, service_role;

create function public.sms_segments(p_text text) returns integer
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
grant execute on function public.sms_segments(text) to authenticated, service_role;

create function public.render_template(p_text text, p_fields jsonb default '{}'::jsonb)
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

create function public.template_merge_fields(p_text text) returns text[]
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
