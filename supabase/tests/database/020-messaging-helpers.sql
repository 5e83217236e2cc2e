-- Test helpers for the messaging areas (consent to webhooks), shared by the 2NN files. Like 000 and 010 it runs
-- outside a transaction so the helpers stay installed for the files after it.

-- Every role the messaging tests check: four staff levels, an attendee, a print device, anon.
create or replace function tests.make_messaging_roles() returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform tests.make_staff('msg_owner', 'owner');
  perform tests.make_staff('msg_admin', 'admin');
  perform tests.make_staff('msg_organizer', 'organizer');
  perform tests.make_staff('msg_volunteer', 'volunteer');
  perform tests.make_attendee('msg_attendee', '+13055551111', 'Attie');
  perform tests.make_device('msg_device');
end
$$;
comment on function tests.make_messaging_roles is
  'Create msg_owner, msg_admin, msg_organizer, msg_volunteer, msg_attendee (+13055551111) and msg_device.';

-- tests.act_as(who) comes from 010-people-helpers.sql.

-- Rows the current identity can see in a table (RLS applies: invoker rights).
create or replace function tests.visible_rows(p_table text) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  n bigint;
begin
  execute format('select count(*) from %s', p_table) into n;
  return n;
end
$$;
comment on function tests.visible_rows is 'count(*) of a table as the current identity.';

create or replace function tests.make_sms_sender(
  p_name text default 'Test number',
  p_number text default '+13055550100',
  p_mps numeric default 1,
  p_daily_cap integer default null
) returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into public.senders (name, channel, provider, from_number, mps_segments, daily_cap, use_for_transactional)
  values (p_name, 'sms', 'twilio', p_number, p_mps, p_daily_cap, true)
  returning id
$$;

create or replace function tests.make_email_sender(p_name text default 'Test email', p_mps numeric default 10)
returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into public.senders (name, channel, provider, from_email, from_name, mps_segments)
  values (p_name, 'email', 'mailersend', 'events@hellomiami.test', 'Hello Miami', p_mps)
  returning id
$$;

-- A contact with an optional current consent per channel (recorded as an import).
create or replace function tests.make_contact(
  p_phone text,
  p_first_name text default null,
  p_sms_consent public.consent_status default 'opted_in',
  p_email text default null,
  p_email_consent public.consent_status default null,
  p_time_zone text default null
) returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into public.contacts (phone, email, first_name, time_zone)
  values (p_phone, p_email, p_first_name, p_time_zone)
  returning id into v_id;
  if p_sms_consent is not null then
    insert into public.consent_events (contact_id, channel, status, source) values (v_id, 'sms', p_sms_consent, 'import');
  end if;
  if p_email_consent is not null then
    insert into public.consent_events (contact_id, channel, status, source) values (v_id, 'email', p_email_consent, 'import');
  end if;
  return v_id;
end
$$;

create or replace function tests.make_template(
  p_name text,
  p_body text,
  p_channel public.message_channel default 'sms',
  p_subject text default null
) returns uuid
language sql
security definer
set search_path = ''
as $$
  insert into public.message_templates (name, channel, subject, body) values (p_name, p_channel, p_subject, p_body)
  returning id
$$;

-- A draft SMS blast to an explicit list.
create or replace function tests.make_sms_blast(p_name text, p_template_id uuid, p_sender_id uuid, p_contact_ids uuid[])
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into public.blasts (name, channel, sms_template_id, sms_sender_id)
  values (p_name, 'sms', p_template_id, p_sender_id)
  returning id into v_id;
  insert into public.blast_audience (blast_id, contact_id) select v_id, c from unnest(p_contact_ids) as c;
  return v_id;
end
$$;

-- An inbound Twilio text, stored and processed like the webhook worker does.
create or replace function tests.receive_sms(
  p_sid text,
  p_from text,
  p_body text,
  p_to text default '+13055550100',
  p_opt_out_type text default null
) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_event_id uuid;
begin
  select event_id into v_event_id from public.store_webhook_event('twilio', p_sid, 'sms_inbound',
    jsonb_strip_nulls(jsonb_build_object('MessageSid', p_sid, 'From', p_from, 'To', p_to, 'Body', p_body,
                                         'OptOutType', p_opt_out_type)));
  return public.process_webhook_event(v_event_id);
end
$$;

-- A Twilio status callback, stored and processed.
create or replace function tests.sms_status(p_sid text, p_status text, p_error_code text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_event_id uuid;
begin
  select event_id into v_event_id from public.store_webhook_event('twilio', p_sid || ':' || p_status || coalesce(':' || p_error_code, ''),
    'sms_status', jsonb_strip_nulls(jsonb_build_object('MessageSid', p_sid, 'MessageStatus', p_status, 'ErrorCode', p_error_code)));
  return public.process_webhook_event(v_event_id);
end
$$;

grant execute on all functions in schema tests to anon, authenticated, service_role;

begin;
select plan(1);
select has_function('tests', 'make_messaging_roles', 'messaging helpers are installed');
select * from finish();
rollback;
