-- Unsubscribe that works (issue 15, item 4): a signed, expiring token in every marketing email's
-- unsubscribe link and List-Unsubscribe header (RFC 8058 one-click), and SQL functions that anyone
-- holding the token may call (anon included: the token is the credential) to read and change
-- that person's preferences. Each change goes to the consent ledger with its source.
--
-- Token: 'u1.<contact id>.<message id or ->.<expiry, unix seconds>.<hex HMAC-SHA256 of the rest>'
-- keyed by a random secret in private.signing_secrets (never exposed; rotate it by updating the
-- row: every earlier token becomes invalid). A forged, altered or expired token is refused with
-- invalid_token / expired_token and changes nothing.
--
--   public.unsubscribe_tokens(p_message_ids uuid[]) returns table (message_id uuid, token text)
--     service_role (the workers, for the links of the emails they send).
--   public.one_click_unsubscribe(p_token text) returns boolean
--     RFC 8058 one-click: opt out of marketing email (source email_unsubscribe, the email as
--     evidence); true when it changed something. anon, authenticated, service_role.
--   public.unsubscribe_preferences(p_token text) returns jsonb
--     {first_name, email_hint, phone_hint, email: status|null, sms: status|null, expires_at}.
--   public.change_unsubscribe_preferences(p_token text, p_preferences jsonb) returns jsonb
--     p_preferences: {"email": "opted_in"|"opted_out", "sms": "opted_out"} (texts are re-subscribed
--     by texting START from the phone, never from an email link); source preference_page.
--     Returns the preferences after the change. Refusals: invalid_preferences (22023).

-- ============================================================================================
-- Types and tables
-- ============================================================================================

alter type public.consent_source add value if not exists 'preference_page';

-- Not exposed (schema private): read only by the token functions below.
create table private.signing_secrets (
  purpose text primary key,
  secret bytea not null default extensions.gen_random_bytes(32) check (octet_length(secret) >= 32),
  created_at timestamptz not null default now()
);
comment on table private.signing_secrets is
  'HMAC keys of signed links (purpose unsubscribe). Rotating a key invalidates every token signed with it.';
insert into private.signing_secrets (purpose) values ('unsubscribe');

alter table public.messaging_settings
  add column unsubscribe_token_days integer not null default 90 check (unsubscribe_token_days between 1 and 3650);
comment on column public.messaging_settings.unsubscribe_token_days is
  'How long the unsubscribe link of a marketing email works (days after it was sent).';

-- ============================================================================================
-- Helpers
-- ============================================================================================

create function private.unsubscribe_signature(p_payload text) returns text
language sql
stable
set search_path = ''
as $$
  select encode(extensions.hmac(convert_to(p_payload, 'UTF8'), s.secret, 'sha256'), 'hex')
  from private.signing_secrets s where s.purpose = 'unsubscribe'
$$;
comment on function private.unsubscribe_signature(text) is 'Hex HMAC-SHA256 of a token payload with the unsubscribe key.';

create function private.make_unsubscribe_token(p_contact_id uuid, p_message_id uuid, p_expires_at timestamptz)
returns text
language sql
stable
set search_path = ''
as $$
  select t.payload || '.' || private.unsubscribe_signature(t.payload)
  from (select format('u1.%s.%s.%s', p_contact_id, coalesce(p_message_id::text, '-'),
                      floor(extract(epoch from p_expires_at))::bigint) as payload) t
$$;
comment on function private.make_unsubscribe_token(uuid, uuid, timestamptz) is 'Sign an unsubscribe token for a contact (and the email it came in).';

-- The contact and email a token speaks for; invalid_token (forged, altered, malformed, unknown
-- or erased contact) or expired_token otherwise.
create function private.verify_unsubscribe_token(p_token text, out contact_id uuid, out message_id uuid,
  out expires_at timestamptz)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_parts text[] := string_to_array(coalesce(p_token, ''), '.');
begin
  if cardinality(v_parts) <> 5 or v_parts[1] <> 'u1' or v_parts[4] !~ '^[0-9]{1,12}$'
     or v_parts[5] is distinct from private.unsubscribe_signature(array_to_string(v_parts[1:4], '.')) then
    raise exception using errcode = 'P0001', message = 'invalid_token', detail = 'This link is not valid.';
  end if;
  -- Signed by us, so well-formed; the casts cannot fail on a genuine token.
  contact_id := v_parts[2]::uuid;
  message_id := nullif(v_parts[3], '-')::uuid;
  expires_at := to_timestamp(v_parts[4]::bigint);
  if expires_at < now() then
    raise exception using errcode = 'P0001', message = 'expired_token',
      detail = 'This link has expired; use the link in a newer email.';
  end if;
  if not exists (select 1 from public.contacts c where c.id = contact_id and c.erased_at is null) then
    raise exception using errcode = 'P0001', message = 'invalid_token', detail = 'This link is not valid.';
  end if;
end
$$;
comment on function private.verify_unsubscribe_token(text) is
  'Check an unsubscribe token''s signature and expiry; its contact and message, or invalid_token / expired_token.';

create function private.preferences_of(p_contact_id uuid, p_expires_at timestamptz) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'first_name', c.first_name,
    -- Hints, not the addresses: a forwarded email must not reveal the person's phone.
    'email_hint', case when c.email is not null
                       then lower(left(c.email, 1) || '***' || substring(c.email from position('@' in c.email))) end,
    'phone_hint', case when c.phone is not null then '***' || right(c.phone::text, 4) end,
    'email', private.current_consent(c.id, 'email'),
    'sms', private.current_consent(c.id, 'sms'),
    'expires_at', p_expires_at)
  from public.contacts c where c.id = p_contact_id
$$;
comment on function private.preferences_of(uuid, timestamptz) is 'What the preference page shows: name, address hints, consent per channel.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: EXECUTE for service_role only (the workers); it reads the private key.
create function public.unsubscribe_tokens(p_message_ids uuid[])
returns table (message_id uuid, token text)
language sql
stable
security definer
set search_path = ''
as $$
  select m.id, private.make_unsubscribe_token(m.contact_id, m.id,
           now() + make_interval(days => (private.messaging_settings()).unsubscribe_token_days))
  from public.messages m
  where m.id = any (p_message_ids) and m.contact_id is not null
$$;
comment on function public.unsubscribe_tokens(uuid[]) is
  'Workers: the signed unsubscribe token of each message (for its link and List-Unsubscribe header).';
revoke execute on function public.unsubscribe_tokens(uuid[]) from public, anon, authenticated;
grant execute on function public.unsubscribe_tokens(uuid[]) to service_role;

-- SECURITY DEFINER: callable by anyone holding a valid token (the token, verified first, is the
-- caller check); it writes the consent ledger as the owner.
create function public.one_click_unsubscribe(p_token text) returns boolean
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token record;
  v_message public.messages;
begin
  select * into v_token from private.verify_unsubscribe_token(p_token);
  select * into v_message from public.messages m where m.id = v_token.message_id;
  -- Counts towards the blast's opt-out rate like a STOP (which may pause it).
  if v_message.blast_id is not null and v_message.recipient_opted_out_at is null then
    update public.messages set recipient_opted_out_at = now() where id = v_message.id;
    perform private.add_blast_counts(v_message.blast_id, p_opted_out => 1);
  end if;
  return private.record_consent(v_token.contact_id, 'email', 'opted_out', 'email_unsubscribe', v_token.message_id,
    'One-click unsubscribe (List-Unsubscribe-Post)');
end
$$;
comment on function public.one_click_unsubscribe(text) is
  'RFC 8058 one-click unsubscribe with a signed token: opt the person out of marketing email. Idempotent; true when it changed the consent.';
revoke execute on function public.one_click_unsubscribe(text) from public;
grant execute on function public.one_click_unsubscribe(text) to anon, authenticated, service_role;

-- SECURITY DEFINER: as above (the token is the credential).
create function public.unsubscribe_preferences(p_token text) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_token record;
begin
  select * into v_token from private.verify_unsubscribe_token(p_token);
  return private.preferences_of(v_token.contact_id, v_token.expires_at);
end
$$;
comment on function public.unsubscribe_preferences(text) is
  'The preference page: what the token''s person is subscribed to (name, address hints, consent per channel).';
revoke execute on function public.unsubscribe_preferences(text) from public;
grant execute on function public.unsubscribe_preferences(text) to anon, authenticated, service_role;

-- SECURITY DEFINER: as above.
create function public.change_unsubscribe_preferences(p_token text, p_preferences jsonb) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_token record;
  v_email text := p_preferences ->> 'email';
  v_sms text := p_preferences ->> 'sms';
begin
  select * into v_token from private.verify_unsubscribe_token(p_token);
  if jsonb_typeof(p_preferences) is distinct from 'object'
     or exists (select 1 from jsonb_object_keys(p_preferences) k where k not in ('email', 'sms'))
     or coalesce(v_email, 'opted_in') not in ('opted_in', 'opted_out')
     or coalesce(v_sms, 'opted_out') <> 'opted_out' then
    raise exception using errcode = '22023', message = 'invalid_preferences',
      detail = 'Give email opted_in/opted_out and/or sms opted_out (texts are re-subscribed by texting START).';
  end if;
  if v_email is not null then
    perform private.record_consent(v_token.contact_id, 'email', v_email::public.consent_status, 'preference_page',
      v_token.message_id, 'Preference page');
    if v_email = 'opted_in' then
      -- Their own earlier unsubscribe no longer applies; bounces and complaints stay suppressed.
      update public.suppressions s set lifted_at = now()
       where s.channel = 'email' and s.reason = 'unsubscribed' and s.lifted_at is null
         and s.address = (select lower(c.email) from public.contacts c where c.id = v_token.contact_id);
    end if;
  end if;
  if v_sms is not null then
    perform private.record_consent(v_token.contact_id, 'sms', 'opted_out', 'preference_page',
      v_token.message_id, 'Preference page');
  end if;
  return private.preferences_of(v_token.contact_id, v_token.expires_at);
end
$$;
comment on function public.change_unsubscribe_preferences(text, jsonb) is
  'The preference page''s changes with a signed token: email in or out, SMS out; each change in the consent ledger (source preference_page).';
revoke execute on function public.change_unsubscribe_preferences(text, jsonb) from public;
grant execute on function public.change_unsubscribe_preferences(text, jsonb) to anon, authenticated, service_role;
