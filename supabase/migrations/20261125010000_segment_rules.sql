-- Segment rules for the segment builder: the keys a segment definition may use, and their
-- compilation to SQL, extended with what organizers asked for on top of the contacts list's
-- filters. New keys (all validated, compiled from fixed text, values bound as $2):
--   max_checkins         integer  at most N check-ins (with min_checkins 1: "first-timers")
--   no_checkin_days      integer  no check-in in the last N days (never checked in included)
--   attended_last_events integer  checked in at any of the N most recent events that have started
--   source               text     contacts.source equals (import, door, signup, …)
-- Every caller of the compiler (the contacts list, its bulk actions and export, preview_segment,
-- the blast snapshot) understands them at once: there is one compiler.
-- Refusal codes: invalid_segment (from the validator).
--
-- Defined here (moved, reworked): private.validate_segment_definition(jsonb) from
-- …000500_crm, private.segment_where(jsonb) from …004000_crm_contacts_list.

-- ============================================================================================
-- Indexes
-- ============================================================================================

-- "Came from" filters compare contacts.source; without it every such count reads all contacts.
create index contacts_source_idx on public.contacts (source);

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.validate_segment_definition(p_definition jsonb) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text;
  v_value jsonb;
  v_kind text;
begin
  if p_definition is null or jsonb_typeof(p_definition) <> 'object' then
    raise exception using errcode = 'P0001', message = 'invalid_segment', detail = 'A segment definition is a JSON object.';
  end if;
  for v_key, v_value in select key, value from jsonb_each(p_definition) loop
    v_kind := case
      when v_key in ('tags_any', 'tags_all', 'tags_none') then 'text_array'
      when v_key = 'attended_events' then 'uuid_array'
      when v_key in ('min_checkins', 'max_checkins', 'no_checkin_days', 'attended_last_events') then 'integer'
      when v_key = 'source' then 'text'
      when v_key in ('last_checkin_before', 'last_checkin_after', 'created_after', 'created_before') then 'timestamp'
      when v_key in ('has_phone', 'has_email') then 'boolean'
      when v_key = 'custom_field_equals' then 'object'
      when v_key = any (private.segment_extra_keys()) then 'extra'
    end;
    if v_kind is null then
      raise exception using errcode = 'P0001', message = 'invalid_segment',
        detail = format('Unknown segment key: %s', v_key);
    end if;
    begin
      case v_kind
        when 'text_array' then
          if jsonb_typeof(v_value) <> 'array'
             or exists (select 1 from jsonb_array_elements(v_value) e where jsonb_typeof(e) <> 'string') then
            raise exception 'not a list of strings';
          end if;
        when 'uuid_array' then
          if jsonb_typeof(v_value) <> 'array' then
            raise exception 'not a list';
          end if;
          perform e::uuid from jsonb_array_elements_text(v_value) e;
        when 'integer' then
          if jsonb_typeof(v_value) <> 'number' or (v_value #>> '{}')::numeric <> trunc((v_value #>> '{}')::numeric)
             or (v_value #>> '{}')::numeric < 0 then
            raise exception 'not a non-negative integer';
          end if;
        when 'timestamp' then
          if jsonb_typeof(v_value) <> 'string' then
            raise exception 'not a date';
          end if;
          perform (v_value #>> '{}')::timestamptz;
        when 'text' then
          if jsonb_typeof(v_value) <> 'string' then
            raise exception 'not a text';
          end if;
        when 'boolean' then
          if jsonb_typeof(v_value) <> 'boolean' then
            raise exception 'not true/false';
          end if;
        when 'object' then
          if jsonb_typeof(v_value) <> 'object' then
            raise exception 'not an object';
          end if;
        else
          null;
      end case;
    exception
      when others then
        raise exception using errcode = 'P0001', message = 'invalid_segment',
          detail = format('Bad value for %s: %s', v_key, sqlerrm);
    end;
  end loop;
end
$$;
comment on function private.validate_segment_definition(jsonb) is
  'Raise invalid_segment unless every key is whitelisted and its value has the right type (see the segment rules migration for the keys).';
grant execute on function private.validate_segment_definition(jsonb) to authenticated, service_role;

-- A segment definition as AND-ed conditions over public.contacts c, the definition bound as $2.
-- Only the criteria the definition uses appear, each from fixed text; the values are read from
-- $2 in subqueries evaluated once, so no user text becomes SQL and each criterion can use its
-- index (tags GIN, check_ins by event, current consent by channel). Validates first.
create function private.segment_where(p_definition jsonb) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_where text := '';
  v_having text[] := '{}';
  v_channel text;
  v_consent text;
begin
  perform private.validate_segment_definition(p_definition);
  perform private.validate_segment_consent(p_definition);
  if p_definition ? 'tags_any' then
    v_where := v_where || $w$ and c.tags && (select array(select jsonb_array_elements_text($2 -> 'tags_any')))$w$;
  end if;
  if p_definition ? 'tags_all' then
    v_where := v_where || $w$ and c.tags @> (select array(select jsonb_array_elements_text($2 -> 'tags_all')))$w$;
  end if;
  if p_definition ? 'tags_none' then
    v_where := v_where || $w$ and not c.tags && (select array(select jsonb_array_elements_text($2 -> 'tags_none')))$w$;
  end if;
  if p_definition ? 'attended_events' then
    v_where := v_where || $w$ and c.id in (select ci.contact_id from public.check_ins ci
      where ci.event_id in (select e::uuid from jsonb_array_elements_text($2 -> 'attended_events') e))$w$;
  end if;
  if p_definition ? 'attended_last_events' then
    v_where := v_where || $w$ and c.id in (select ci.contact_id from public.check_ins ci
      where ci.event_id in (select e.id from public.events e where e.starts_at <= now()
                             order by e.starts_at desc limit ($2 ->> 'attended_last_events')::integer))$w$;
  end if;
  -- Check-in statistics: contacts without check-ins never match a date, and match a minimum only of 0.
  if (p_definition ->> 'min_checkins')::integer > 0 then
    v_having := v_having || $w$count(*) >= ($2 ->> 'min_checkins')::integer$w$::text;
    if p_definition ? 'max_checkins' then
      v_having := v_having || $w$count(*) <= ($2 ->> 'max_checkins')::integer$w$::text;
    end if;
  elsif p_definition ? 'max_checkins' then
    -- Without a minimum, people who never checked in are within any maximum.
    v_where := v_where || $w$ and c.id not in (select ci.contact_id from public.check_ins ci
      group by ci.contact_id having count(*) > ($2 ->> 'max_checkins')::integer)$w$;
  end if;
  -- "Lapsed": nothing in the last N days, people who never checked in included.
  if p_definition ? 'no_checkin_days' then
    v_where := v_where || $w$ and not exists (select 1 from public.check_ins ci where ci.contact_id = c.id
      and ci.checked_in_at > now() - make_interval(days => ($2 ->> 'no_checkin_days')::integer))$w$;
  end if;
  if p_definition ? 'last_checkin_before' then
    v_having := v_having || $w$max(ci.checked_in_at) < ($2 ->> 'last_checkin_before')::timestamptz$w$::text;
  end if;
  if p_definition ? 'last_checkin_after' then
    v_having := v_having || $w$max(ci.checked_in_at) > ($2 ->> 'last_checkin_after')::timestamptz$w$::text;
  end if;
  if cardinality(v_having) > 0 then
    v_where := v_where || ' and c.id in (select ci.contact_id from public.check_ins ci group by ci.contact_id having '
               || array_to_string(v_having, ' and ') || ')';
  end if;
  if p_definition ? 'created_after' then
    v_where := v_where || $w$ and c.created_at >= ($2 ->> 'created_after')::timestamptz$w$;
  end if;
  if p_definition ? 'created_before' then
    v_where := v_where || $w$ and c.created_at < ($2 ->> 'created_before')::timestamptz$w$;
  end if;
  if p_definition ? 'has_phone' then
    v_where := v_where || $w$ and (c.phone is not null) = ($2 ->> 'has_phone')::boolean$w$;
  end if;
  if p_definition ? 'has_email' then
    v_where := v_where || $w$ and (c.email is not null) = ($2 ->> 'has_email')::boolean$w$;
  end if;
  if p_definition ? 'source' then
    v_where := v_where || $w$ and c.source = ($2 ->> 'source')$w$;
  end if;
  if p_definition ? 'custom_field_equals' then
    v_where := v_where || $w$ and c.custom_fields @> ($2 -> 'custom_field_equals')$w$;
  end if;
  -- Consent: the channel and the value are whitelisted above, so they may be written out.
  foreach v_channel in array array['sms', 'email'] loop
    v_consent := p_definition ->> ('consent_' || v_channel);
    v_where := v_where || case v_consent
      when 'opted_in' then format($w$ and c.id in (select k.contact_id from public.contact_consents k
        where k.channel = %L and k.status = 'opted_in')$w$, v_channel)
      when 'opted_out' then format($w$ and c.id in (select k.contact_id from public.contact_consents k
        where k.channel = %L and k.status = 'opted_out')$w$, v_channel)
      when 'unknown' then format($w$ and not exists (select 1 from public.contact_consents k
        where k.contact_id = c.id and k.channel = %L)$w$, v_channel)
      when 'not_opted_out' then format($w$ and not exists (select 1 from public.contact_consents k
        where k.contact_id = c.id and k.channel = %L and k.status = 'opted_out')$w$, v_channel)
      else ''
    end;
  end loop;
  return v_where;
end
$$;
comment on function private.segment_where(jsonb) is
  'A segment definition compiled to " and …" conditions over public.contacts c with the definition bound as $2: only the criteria used, fixed text, values read from $2.';
grant execute on function private.segment_where(jsonb) to authenticated, service_role;
