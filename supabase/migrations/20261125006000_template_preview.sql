-- The template editor's live preview (issue 15, item 1): a template's subject and body rendered
-- for a chosen contact by the rendering the sends use, and measured as the SMS claim measures it.
--
--   public.preview_template(p_body text, p_contact_id uuid, p_subject text, p_event_id uuid)
--     returns jsonb {subject, body, encoding, units, segments}
--     Refusals (P0001): not_allowed (below organizer), contact_not_found (no such contact, or one
--     erased or merged), event_not_found, and the template's own unknown_merge_field /
--     malformed_merge_field with the field named — exactly what saving the template refuses.
--
-- The merge values come from the contact the way private.blast_candidates_sql reads them
-- (full_name from first and last, event_date in the organisation's time zone, custom fields),
-- and public.render_template compiles the text with private.template_sql like the snapshot does.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.contact_merge_values(p_contact public.contacts, p_event_id uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_event public.events;
  v_values jsonb;
begin
  v_values := jsonb_build_object(
    'first_name', p_contact.first_name, 'last_name', p_contact.last_name,
    'full_name', nullif(concat_ws(' ', p_contact.first_name, p_contact.last_name), ''),
    'email', p_contact.email, 'phone', p_contact.phone::text, 'org_name', v_settings.org_name,
    'custom', coalesce(p_contact.custom_fields, '{}'::jsonb));
  if p_event_id is not null then
    select * into v_event from public.events e where e.id = p_event_id;
    if not found then
      raise exception using errcode = 'P0001', message = 'event_not_found';
    end if;
    v_values := v_values || jsonb_build_object(
      'event_name', v_event.name,
      'event_date', to_char(v_event.starts_at at time zone v_settings.org_time_zone, 'FMMonth FMDD'));
  end if;
  return v_values;
end
$$;
comment on function private.contact_merge_values(public.contacts, uuid) is
  'A contact''s merge-field values as JSON (as the blast snapshot reads them), with an event''s name and date when given.';
grant execute on function private.contact_merge_values(public.contacts, uuid) to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- Invoker rights: the contact and event are read under the caller's RLS.
create function public.preview_template(
  p_body text,
  p_contact_id uuid,
  p_subject text default null,
  p_event_id uuid default null
) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_values jsonb;
  v_body text;
  v_measure record;
begin
  -- Invoker rights, so private.assert_messaging_operator (definers only) is not callable here.
  if (select auth.role()) is distinct from 'service_role' and not private.has_staff_level('organizer') then
    raise exception using errcode = 'P0001', message = 'not_allowed',
      detail = 'Only organizers, admins and owners preview templates.';
  end if;
  select * into v_contact from public.contacts c
  where c.id = p_contact_id and c.erased_at is null and c.merged_into is null;
  if not found then
    raise exception using errcode = 'P0001', message = 'contact_not_found';
  end if;
  v_values := private.contact_merge_values(v_contact, p_event_id);
  v_body := public.render_template(p_body, v_values);
  select * into v_measure from private.sms_measure(v_body);
  return jsonb_build_object(
    'subject', public.render_template(p_subject, v_values),
    'body', v_body,
    'encoding', v_measure.encoding,
    'units', v_measure.units,
    'segments', v_measure.segments);
end
$$;
comment on function public.preview_template(text, uuid, text, uuid) is
  'A template (body, optional subject) rendered for one contact (and event) as the sends render it, with the body''s SMS encoding, units and segments; refuses what saving the template refuses.';
grant execute on function public.preview_template(text, uuid, text, uuid) to authenticated, service_role;
