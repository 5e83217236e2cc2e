-- Consent in saved segments, and the blast references to Data model I's segments and events.
--
-- Segment definitions gain two keys, evaluated on top of Data model I's criteria:
--   consent_sms, consent_email: "opted_in" | "opted_out" | "unknown" | "not_opted_out"
-- (unknown = no ledger entry). Blasts apply their own consent rule regardless; these keys let an
-- organizer build and preview audiences by consent.

-- ============================================================================================
-- Segment keys
-- ============================================================================================

create or replace function private.segment_extra_keys() returns text[]
language sql
immutable
set search_path = ''
as $$
  select '{consent_sms,consent_email}'::text[]
$$;
comment on function private.segment_extra_keys() is
  'Segment definition keys added by later migrations: consent_sms and consent_email (Data model II).';

create function private.validate_segment_consent(p_definition jsonb) returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  foreach v_key in array array['consent_sms', 'consent_email'] loop
    if p_definition ? v_key and (jsonb_typeof(p_definition -> v_key) <> 'string'
       or p_definition ->> v_key not in ('opted_in', 'opted_out', 'unknown', 'not_opted_out')) then
      raise exception using errcode = 'P0001', message = 'invalid_segment',
        detail = format('Bad value for %s: use opted_in, opted_out, unknown or not_opted_out.', v_key);
    end if;
  end loop;
end
$$;
comment on function private.validate_segment_consent(jsonb) is
  'Raise invalid_segment unless consent_sms/consent_email are one of opted_in, opted_out, unknown, not_opted_out.';

create function private.segments_validate_consent() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform private.validate_segment_consent(new.definition);
  return new;
end
$$;
comment on function private.segments_validate_consent() is 'Trigger: refuse a segment with a bad consent criterion.';

create trigger segments_validate_consent before insert or update of definition on public.segments
  for each row execute function private.segments_validate_consent();

-- Same contract as Data model I's version (ids of live contacts matching the definition, invoker
-- rights), plus the consent keys, joined set-based on the indexed current-consent table.
create or replace function private.segment_contact_ids(p_definition jsonb) returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_sms text := p_definition ->> 'consent_sms';
  v_email text := p_definition ->> 'consent_email';
begin
  perform private.validate_segment_consent(p_definition);
  if v_sms is null and v_email is null then
    return query select b.id from private.segment_base_contact_ids(p_definition) as b(id);
    return;
  end if;
  return query
  select b.id
  from private.segment_base_contact_ids(p_definition) as b(id)
  left join public.contact_consents s on s.contact_id = b.id and s.channel = 'sms'
  left join public.contact_consents e on e.contact_id = b.id and e.channel = 'email'
  where (v_sms is null
         or (v_sms = 'opted_in' and s.status = 'opted_in')
         or (v_sms = 'opted_out' and s.status = 'opted_out')
         or (v_sms = 'unknown' and s.status is null)
         or (v_sms = 'not_opted_out' and s.status is distinct from 'opted_out'))
    and (v_email is null
         or (v_email = 'opted_in' and e.status = 'opted_in')
         or (v_email = 'opted_out' and e.status = 'opted_out')
         or (v_email = 'unknown' and e.status is null)
         or (v_email = 'not_opted_out' and e.status is distinct from 'opted_out'));
end
$$;
comment on function private.segment_contact_ids(jsonb) is
  'THE segment evaluator: ids of live contacts matching a definition — Data model I''s criteria plus consent_sms / consent_email.';

grant execute on function private.validate_segment_consent(jsonb) to authenticated, service_role;

-- ============================================================================================
-- Blast references
-- ============================================================================================

alter table public.blasts
  add constraint blasts_segment_id_fkey foreign key (segment_id) references public.segments (id) on delete restrict,
  add constraint blasts_event_id_fkey foreign key (event_id) references public.events (id) on delete set null;
