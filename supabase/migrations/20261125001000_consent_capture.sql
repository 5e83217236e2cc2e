-- Consent captured at the source: the exact words a person agreed to, versioned, kept with every
-- opt-in they give on a form (self check-in, the door, their own page), and their preferred
-- language.
--
-- public.record_form_consent(...) is how a form records a choice. An opt-in must name the
-- current disclosure the person was shown; nothing is recorded when nothing was ticked (no consent
-- is not an opt-out), and a repeat of the current state adds no ledger row. Refusal codes
-- (P0001, message = code): not_allowed, unknown_attendee, disclosure_required, unknown_disclosure.
--
-- private.apply_registration (used by public.check_in) is defined here: it also fills
-- contacts.preferred_language.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.consent_disclosures (
  id uuid primary key default gen_random_uuid(),
  channel public.message_channel not null,
  locale text not null check (locale in ('en', 'es')),
  version integer not null check (version >= 1),
  body text not null check (char_length(btrim(body)) between 20 and 2000),
  published_at timestamptz not null default now(),
  retired_at timestamptz,
  created_by uuid references auth.users (id) on delete set null,
  constraint consent_disclosures_one_version unique (channel, locale, version)
);
comment on table public.consent_disclosures is
  'The words shown next to an opt-in box, per channel and language, versioned. A text is never edited: publish a new version and retire the old one.';
comment on column public.consent_disclosures.version is 'Counts up per channel and language; the ledger keeps which version a person saw.';
comment on column public.consent_disclosures.retired_at is 'Set when a newer version replaces it; null = shown on forms now.';

create unique index consent_disclosures_one_current_idx on public.consent_disclosures (channel, locale)
  where retired_at is null;
create index consent_disclosures_created_by_idx on public.consent_disclosures (created_by);

alter table public.consent_events
  add column disclosure_id uuid references public.consent_disclosures (id) on delete restrict;
comment on column public.consent_events.disclosure_id is
  'For an opt-in given on a form: the exact disclosure text (and version) the person saw.';
create index consent_events_disclosure_id_idx on public.consent_events (disclosure_id);

alter table public.contacts
  add column preferred_language text check (preferred_language in ('en', 'es'));
comment on column public.contacts.preferred_language is
  'The language the person chose on a form (en or es); attendees change it on their page.';

-- ============================================================================================
-- Grants, RLS
-- ============================================================================================

revoke all on table public.consent_disclosures from anon, authenticated;
grant select on table public.consent_disclosures to anon, authenticated;
grant insert (channel, locale, version, body) on table public.consent_disclosures to authenticated;
grant update (retired_at) on table public.consent_disclosures to authenticated;
grant all on table public.consent_disclosures to service_role;

alter table public.consent_disclosures enable row level security;

create policy "Anyone can read the disclosures shown now" on public.consent_disclosures
  for select to anon, authenticated using (retired_at is null);
create policy "Organizers can read every disclosure version" on public.consent_disclosures
  for select to authenticated using ((select private.has_staff_level('organizer')));
create policy "Attendees can read the disclosures they agreed to" on public.consent_disclosures
  for select to authenticated using (
    exists (select 1 from public.consent_events e
             where e.disclosure_id = consent_disclosures.id
               and e.contact_id = (select private.current_contact_id())));
create policy "Admins can publish disclosures" on public.consent_disclosures
  for insert to authenticated with check ((select private.has_staff_level('admin')));
create policy "Admins can retire disclosures" on public.consent_disclosures
  for update to authenticated
  using ((select private.has_staff_level('admin')))
  with check ((select private.has_staff_level('admin')));

create trigger consent_disclosures_audit after insert or update or delete on public.consent_disclosures
  for each row execute function private.audit_row_change();

-- The first versions, as the self check-in and door forms show them.
insert into public.consent_disclosures (channel, locale, version, body) values
  ('sms', 'en', 1, 'Yes, text me about Hello Miami events and news at this number. Up to 4 messages a month. Message and data rates may apply. Reply STOP to opt out, HELP for help. Agreeing is not required to attend.'),
  ('sms', 'es', 1, 'Sí, envíenme mensajes de texto sobre eventos y noticias de Hello Miami a este número. Hasta 4 mensajes al mes. Pueden aplicarse tarifas de mensajes y datos. Responde STOP para darte de baja y HELP para ayuda. No es necesario aceptar para asistir.'),
  ('email', 'en', 1, 'Yes, email me about Hello Miami events and news. Every email has a link to unsubscribe. Agreeing is not required to attend.'),
  ('email', 'es', 1, 'Sí, envíenme correos sobre eventos y noticias de Hello Miami. Cada correo incluye un enlace para darse de baja. No es necesario aceptar para asistir.');

-- ============================================================================================
-- Helpers
-- ============================================================================================

create function private.apply_registration(p_contact_id uuid, p_form jsonb) returns public.contacts
language plpgsql
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_key text;
  v_language text := nullif(btrim(p_form ->> 'preferred_language'), '');
begin
  for v_key in select jsonb_object_keys(p_form) loop
    if v_key not in ('first_name', 'last_name', 'pronouns', 'company', 'title', 'email', 'preferred_language') then
      raise exception using errcode = 'P0001', message = 'invalid_argument',
        detail = format('Unknown registration field: %s', v_key);
    end if;
  end loop;
  if v_language is not null and v_language not in ('en', 'es') then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = format('preferred_language is en or es, not %s', v_language);
  end if;
  update public.contacts c
     set first_name = coalesce(c.first_name, nullif(btrim(p_form ->> 'first_name'), '')),
         last_name = coalesce(c.last_name, nullif(btrim(p_form ->> 'last_name'), '')),
         pronouns = coalesce(c.pronouns, nullif(btrim(p_form ->> 'pronouns'), '')),
         company = coalesce(c.company, nullif(btrim(p_form ->> 'company'), '')),
         title = coalesce(c.title, nullif(btrim(p_form ->> 'title'), '')),
         email = coalesce(c.email, nullif(lower(btrim(p_form ->> 'email')), '')),
         preferred_language = coalesce(c.preferred_language, v_language)
   where c.id = p_contact_id
  returning * into v_contact;
  return v_contact;
end
$$;
comment on function private.apply_registration(uuid, jsonb) is
  'Fill a contact''s empty name/pronouns/company/title/email/preferred_language from a registration form.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: a volunteer at the door records the walk-in's own choice, but volunteers have
-- no insert right on the ledger (organizers do); the function checks who calls and that an
-- opt-in names the disclosure shown now, then writes one ledger row.
create function public.record_form_consent(
  p_channel public.message_channel,
  p_status public.consent_status,
  p_disclosure_id uuid default null,
  p_contact_id uuid default null
) returns public.consent_status
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_own_contact_id uuid := private.current_contact_id();
  v_contact public.contacts;
  v_disclosure public.consent_disclosures;
begin
  if p_channel is null or p_status is null then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'p_channel and p_status are required.';
  end if;
  if p_contact_id is null or p_contact_id = v_own_contact_id then
    if v_own_contact_id is null then
      raise exception using errcode = 'P0001', message = 'not_allowed',
        detail = 'Sign in with your phone to record your own choice.';
    end if;
    select * into v_contact from public.contacts where id = v_own_contact_id;
  else
    if private.acting_staff_level() is null then
      raise exception using errcode = 'P0001', message = 'not_allowed',
        detail = 'Only staff record a choice for someone else.';
    end if;
    select * into v_contact from public.contacts where id = p_contact_id;
  end if;
  if v_contact.id is null or v_contact.erased_at is not null then
    raise exception using errcode = 'P0001', message = 'unknown_attendee', detail = 'No such contact.';
  end if;

  if p_disclosure_id is not null then
    select * into v_disclosure from public.consent_disclosures where id = p_disclosure_id;
    if v_disclosure.id is null or v_disclosure.channel <> p_channel
       or (p_status = 'opted_in' and v_disclosure.retired_at is not null) then
      raise exception using errcode = 'P0001', message = 'unknown_disclosure',
        detail = 'The disclosure is not the one shown now for this channel; reload the form.';
    end if;
  elsif p_status = 'opted_in' then
    raise exception using errcode = 'P0001', message = 'disclosure_required',
      detail = 'An opt-in names the disclosure text the person agreed to.';
  end if;

  if private.current_consent(v_contact.id, p_channel) is distinct from p_status then
    insert into public.consent_events (contact_id, channel, status, source, disclosure_id)
    values (v_contact.id, p_channel, p_status, 'form', p_disclosure_id);
  end if;
  return p_status;
end
$$;
comment on function public.record_form_consent(public.message_channel, public.consent_status, uuid, uuid) is
  'Record a choice made on a form (source form): an attendee for themselves, staff (volunteer+) for the contact at the door. An opt-in needs the id of the disclosure shown now; a repeat of the current state records nothing. Returns the status. Errors: invalid_argument, not_allowed, unknown_attendee, disclosure_required, unknown_disclosure.';
grant execute on function public.record_form_consent(public.message_channel, public.consent_status, uuid, uuid)
  to authenticated, service_role;
