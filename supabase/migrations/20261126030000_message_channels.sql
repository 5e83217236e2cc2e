-- Message channels as data: one private.channels row per channel says what the functions used
-- to decide with a `case` per channel name — which contact column is its address and how an
-- address is normalised, which messaging setting says whether marketing needs an opt-in, whether
-- an opt-out stops every message or only marketing, which provider its senders use, whether its
-- templates have a subject, and whether a 'both' blast goes out on it. Adding a channel is then
-- its worker adapter, its open_channels entry, its enum value and row (a new migration), and its
-- webhook handler (docs/extending.md lists them, and the channel names SQL still writes out).
--
-- public.message_channel stays the columns' type: the dashboard views and policies over those
-- columns forbid changing it, and the generated front-end types name it. A new channel adds
-- its value with `alter type public.message_channel add value '…'` in a migration of its own
-- (Postgres cannot use a value added in the same transaction), then its row.
--
-- Moved here, each with its final body (the area files say so where they were):
--   consent: private.suppressions_normalize, private.consent_events_cancel_pending and
--   private.suppressions_cancel_pending (with their triggers), private.consent_allows_marketing,
--   private.is_suppressed, private.suppress_address (an SQL caller of is_suppressed);
--   conversations: private.may_reply_by_sms and the messages insert policy that calls it (an SQL
--   caller of is_suppressed); outbox: private.send_blocker; blasts: private.blast_channels,
--   private.insert_blast_variants, private.blast_candidates_sql, private.blast_exclusions and
--   private.blast_exclusion_summary (an SQL caller of blast_exclusions); automations:
--   private.automation_recipients; merge and GDPR: private.merge_contacts_extra,
--   private.gdpr_erase_extra. The senders' provider check and the templates' subject checks
--   become constraint triggers.

-- ============================================================================================
-- Tables
-- ============================================================================================

create table private.channels (
  name public.message_channel primary key,
  address_kind text not null check (address_kind in ('phone', 'email')),
  provider public.message_provider not null,
  opt_in_setting text not null check (opt_in_setting in ('sms_requires_opt_in', 'email_requires_opt_in')),
  opt_out_stops_all boolean not null,
  has_subject boolean not null,
  in_both_blasts boolean not null default false
);
comment on table private.channels is
  'The message channels and the rules each follows; functions read these instead of naming channels.';
comment on column private.channels.address_kind is
  'Which contact column is the address: phone (E.164, trimmed) or email (trimmed, lower-cased).';
comment on column private.channels.provider is 'The provider every sender of this channel uses.';
comment on column private.channels.opt_in_setting is
  'The messaging_settings column that says whether marketing needs an opt-in (unknown consent is not enough); channels may share one.';
comment on column private.channels.opt_out_stops_all is
  'True when an opt-out stops every message (STOP on SMS); false when it stops marketing only (an email unsubscribe).';
comment on column private.channels.has_subject is 'True when its templates and messages have a subject (email).';
comment on column private.channels.in_both_blasts is 'True when a blast to ''both'' channels goes out on this one.';

insert into private.channels (name, address_kind, provider, opt_in_setting, opt_out_stops_all, has_subject, in_both_blasts)
values
  ('sms', 'phone', 'twilio', 'sms_requires_opt_in', true, false, true),
  ('email', 'email', 'mailersend', 'email_requires_opt_in', false, true, true);

-- ============================================================================================
-- Grants
-- ============================================================================================

-- Invoker functions and triggers read the rules under the caller's role (an organizer's blast
-- preview, an admin adding a sender); the private schema is not exposed through the API.
grant select on private.channels to authenticated, service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create function private.suppressions_normalize() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.address := private.normalize_address(
    (select k.address_kind from private.channels k where k.name = new.channel), new.address);
  if tg_op = 'INSERT' and (select auth.role()) = 'authenticated' then
    new.created_by := (select auth.uid());
    new.created_at := now();
  end if;
  if tg_op = 'UPDATE' and new.lifted_at is not null and old.lifted_at is null then
    new.lifted_by := (select auth.uid());
  end if;
  return new;
end
$$;
comment on function private.suppressions_normalize() is
  'Trigger: store addresses normalised (emails lower-cased) and stamp who added/lifted a suppression.';

create trigger suppressions_normalize before insert or update on public.suppressions
  for each row execute function private.suppressions_normalize();

-- An opt-out reaches a running blast at once: the recipient's pending snapshot rows are skipped
-- and anything queued but not yet sending is cancelled (every message on a channel whose opt-out
-- stops all, as STOP does for SMS; marketing only otherwise, as for an email opt-out).
create function private.consent_events_cancel_pending() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_skipped record;
  v_stops_all boolean;
begin
  if new.status <> 'opted_out' then
    return null;
  end if;
  for v_skipped in
    update public.blast_recipients r set status = 'skipped', skip_reason = 'opted_out'
     where r.contact_id = new.contact_id and r.channel = new.channel and r.status = 'pending'
    returning r.blast_id
  loop
    perform private.add_blast_counts(v_skipped.blast_id, p_skipped => 1);
  end loop;
  v_stops_all := coalesce((select k.opt_out_stops_all from private.channels k where k.name = new.channel), true);
  update public.messages m
     set status = 'cancelled', error_code = 'opted_out', error_message = 'Recipient opted out before sending.'
   where m.contact_id = new.contact_id and m.channel = new.channel and m.status = 'queued'
     and m.direction = 'outbound' and (v_stops_all or m.is_marketing);
  return null;
end
$$;
comment on function private.consent_events_cancel_pending() is
  'Trigger: an opt-out skips the contact''s pending blast rows and cancels their queued messages on that channel.';

create trigger consent_events_cancel_pending after insert on public.consent_events
  for each row execute function private.consent_events_cancel_pending();

create function private.suppressions_cancel_pending() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_skipped record;
  v_address_kind text;
begin
  if new.lifted_at is not null then
    return null;
  end if;
  v_address_kind := (select k.address_kind from private.channels k where k.name = new.channel);
  for v_skipped in
    update public.blast_recipients r set status = 'skipped', skip_reason = 'suppressed'
     where r.status = 'pending' and r.channel = new.channel and r.to_address = new.address
       and r.contact_id in (
         select c.id from public.contacts c
         where (v_address_kind = 'phone' and c.phone = new.address)
            or (v_address_kind = 'email' and lower(c.email) = new.address))
    returning r.blast_id
  loop
    perform private.add_blast_counts(v_skipped.blast_id, p_skipped => 1);
  end loop;
  update public.messages m
     set status = 'cancelled', error_code = 'suppressed', error_message = 'Address suppressed before sending.'
   where m.to_address = new.address and m.channel = new.channel and m.status = 'queued'
     and m.direction = 'outbound';
  return null;
end
$$;
comment on function private.suppressions_cancel_pending() is
  'Trigger: a new suppression skips pending blast rows and cancels queued messages to that address.';

create trigger suppressions_cancel_pending after insert on public.suppressions
  for each row execute function private.suppressions_cancel_pending();

-- Instead of checks naming the channels: the same error (check_violation, same constraint name)
-- as the checks they replace, and like them after row level security and the table's own checks
-- (an AFTER constraint trigger), so clients see no difference.
create function private.senders_provider_matches_channel() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from private.channels k where k.name = new.channel and k.provider = new.provider) then
    raise exception using errcode = 'check_violation', schema = 'public', table = 'senders',
      constraint = 'senders_provider_matches_channel',
      message = 'new row for relation "senders" violates check constraint "senders_provider_matches_channel"',
      detail = format('A %s sender must use the channel''s provider, not %s.', new.channel, new.provider);
  end if;
  return new;
end
$$;
comment on function private.senders_provider_matches_channel() is
  'Trigger: a sender''s provider must be its channel''s (private.channels.provider).';

create constraint trigger senders_provider_matches_channel after insert or update of channel, provider
  on public.senders
  for each row execute function private.senders_provider_matches_channel();

-- The constraint is named after the channel, as the checks were (message_templates_email_has_subject,
-- message_templates_sms_has_no_subject).
create function private.message_templates_subject_fits_channel() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_has_subject boolean := (select k.has_subject from private.channels k where k.name = new.channel);
begin
  if v_has_subject and new.subject is null then
    raise exception using errcode = 'check_violation', schema = 'public', table = 'message_templates',
      constraint = format('message_templates_%s_has_subject', new.channel),
      message = format('new row for relation "message_templates" violates check constraint "message_templates_%s_has_subject"', new.channel),
      detail = format('A %s template needs a subject.', new.channel);
  end if;
  if not v_has_subject and new.subject is not null then
    raise exception using errcode = 'check_violation', schema = 'public', table = 'message_templates',
      constraint = format('message_templates_%s_has_no_subject', new.channel),
      message = format('new row for relation "message_templates" violates check constraint "message_templates_%s_has_no_subject"', new.channel),
      detail = format('A %s template has no subject.', new.channel);
  end if;
  return new;
end
$$;
comment on function private.message_templates_subject_fits_channel() is
  'Trigger: a template has a subject exactly when its channel has subjects (private.channels.has_subject).';

create constraint trigger message_templates_subject_fits_channel after insert or update of channel, subject
  on public.message_templates
  for each row execute function private.message_templates_subject_fits_channel();

-- ============================================================================================
-- Helper functions
-- ============================================================================================

create function private.normalize_address(p_address_kind text, p_address text) returns text
language sql
immutable
set search_path = ''
as $$
  select case p_address_kind when 'email' then lower(btrim(p_address)) else btrim(p_address) end
$$;
comment on function private.normalize_address(text, text) is
  'An address as suppressions store it: trimmed, and lower-cased for email addresses.';
grant execute on function private.normalize_address(text, text) to authenticated, service_role;

-- The blasts table has one default-template column per channel (a channel without one is
-- blasted through variants only).
create function private.blast_template_id(p_blast public.blasts, p_channel public.message_channel) returns uuid
language sql
immutable
set search_path = ''
as $$
  select case p_channel when 'sms' then p_blast.sms_template_id when 'email' then p_blast.email_template_id end
$$;
comment on function private.blast_template_id(public.blasts, public.message_channel) is
  'The blast''s default template on a channel (null: the channel''s variants name theirs).';

-- ============================================================================================
-- Helper functions: consent and suppressions
-- ============================================================================================

-- With p_status null it answers whether the channel's marketing needs no opt-in: the snapshot,
-- the exclusions and automations ask that once per channel and apply it to every row. The claim
-- asks per message: PL/pgSQL returns at once for a known consent, and the setting is picked by
-- name (to_jsonb of the settings row cost four times the whole old function).
create function private.consent_allows_marketing(
  p_status public.consent_status,
  p_channel public.message_channel,
  p_settings public.messaging_settings
) returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_status is not null then
    return p_status = 'opted_in';
  end if;
  return not coalesce((
    select case k.opt_in_setting
             when 'sms_requires_opt_in' then p_settings.sms_requires_opt_in
             when 'email_requires_opt_in' then p_settings.email_requires_opt_in
           end
    from private.channels k where k.name = p_channel), true);
end
$$;
comment on function private.consent_allows_marketing(public.consent_status, public.message_channel, public.messaging_settings) is
  'Whether a contact with this current consent (null = unknown) may get marketing on this channel.';
grant execute on function private.consent_allows_marketing(public.consent_status, public.message_channel, public.messaging_settings) to authenticated, service_role;

-- The claim asks this once per message, so it costs what it did before channels were rows:
-- private.normalize_address is written out (a function with its own search_path is not inlined,
-- and calling it tripled the cost), and the address is normalised once, in a scalar subquery, so
-- that the lookup stays an index probe on (channel, address).
create function private.is_suppressed(p_channel public.message_channel, p_address text) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.suppressions s
    where s.channel = p_channel and s.lifted_at is null
      and s.address = (select case k.address_kind when 'email' then lower(btrim(p_address)) else btrim(p_address) end
                       from private.channels k where k.name = p_channel)
  )
$$;
comment on function private.is_suppressed(public.message_channel, text) is
  'True when an active suppression covers this address on this channel.';
grant execute on function private.is_suppressed(public.message_channel, text) to authenticated, service_role;

create function private.suppress_address(
  p_channel public.message_channel,
  p_address text,
  p_reason public.suppression_reason,
  p_source_message_id uuid default null
) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.suppressions (channel, address, reason, source_message_id)
  select p_channel, p_address, p_reason, p_source_message_id
  where p_address is not null and not private.is_suppressed(p_channel, p_address)
  on conflict do nothing
$$;
comment on function private.suppress_address(public.message_channel, text, public.suppression_reason, uuid) is
  'Add an active suppression for an address unless one exists (idempotent).';

-- Why a message or blast recipient must not be sent now (null = fine). Opt-outs and suppressions
-- are permanent reasons (the row is dropped); quiet hours only postpone.
create function private.send_blocker(
  p_contact_id uuid,
  p_channel public.message_channel,
  p_address text,
  p_is_marketing boolean,
  p_settings public.messaging_settings
) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_consent public.consent_status := private.current_consent(p_contact_id, p_channel);
begin
  if private.is_suppressed(p_channel, p_address) then
    return 'suppressed';
  end if;
  -- Some channels' opt-out is absolute (STOP on SMS); others' stops marketing only. Nested, so
  -- that the usual case stays a simple expression (no executor run for the channel's row).
  if v_consent = 'opted_out' then
    if p_is_marketing or coalesce((select k.opt_out_stops_all from private.channels k where k.name = p_channel), true) then
      return 'opted_out';
    end if;
  end if;
  if p_is_marketing and not private.consent_allows_marketing(v_consent, p_channel, p_settings) then
    return 'no_consent';
  end if;
  return null;
end
$$;
comment on function private.send_blocker(uuid, public.message_channel, text, boolean, public.messaging_settings) is
  'Permanent reason a message may not go (suppressed, opted_out, no_consent) or null.';

-- ============================================================================================
-- Helper functions: conversations
-- ============================================================================================

-- SECURITY DEFINER: reads consent, suppressions and inbound history under one check for the
-- insert policy, without granting organizers anything more. Conversations are texts: 'sms' here
-- is the conversation's channel, not a rule of it.
create function private.may_reply_by_sms(p_contact_id uuid, p_conversation_id uuid) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select c.phone is not null
     -- STOP is absolute.
     and private.current_consent(c.id, 'sms') is distinct from 'opted_out'
     and not private.is_suppressed('sms', c.phone)
     and (private.current_consent(c.id, 'sms') is not distinct from 'opted_in'
          or exists (select 1 from public.conversations v
                     where v.id = p_conversation_id and v.contact_id = c.id
                       and v.last_inbound_at is not null))
  from public.contacts c
  where c.id = p_contact_id and c.erased_at is null
$$;
comment on function private.may_reply_by_sms(uuid, uuid) is
  'True when staff may text this contact 1:1: not opted out, number not suppressed, and opted in or the contact wrote in this conversation.';
grant execute on function private.may_reply_by_sms(uuid, uuid) to authenticated, service_role;

-- ============================================================================================
-- Helper functions: blasts
-- ============================================================================================

create function private.blast_channels(p_blast public.blasts) returns public.message_channel[]
language sql
stable
set search_path = ''
as $$
  select case when p_blast.channel = 'both'
              then array(select k.name from private.channels k where k.in_both_blasts order by k.name)
              else array[p_blast.channel::text]::public.message_channel[] end
$$;
comment on function private.blast_channels(public.blasts) is
  'The message channels a blast uses (for ''both'': every channel in_both_blasts, in enum order).';

-- Everything a snapshot row needs, computed set-based in one statement. Previews aggregate it;
-- the snapshot inserts it. Consent, suppressions and missing addresses are filtered here, in one
-- place; duplicates cannot arise: the audience is a semi-join (each contact once) and contacts'
-- phones and emails are unique. Each channel's templates (and A/B variants by a stable hash of
-- contact and blast) are compiled once into SQL expressions (private.template_sql), so rendering
-- costs string concatenation per row. Segments are measured only when asked (previews); the
-- claim measures the few rows it hands out.
create function private.blast_candidates_sql(p_blast_id uuid, p_measure_segments boolean) returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_settings public.messaging_settings := private.messaging_settings();
  v_constants jsonb;
  v_fields jsonb;
  v_variant record;
  v_label_sql text := '';
  v_subject_sql text := '';
  v_body_sql text := '';
  v_channels public.message_channel[];
  v_address_kinds text[];
  v_requires_opt_in boolean[];
  v_event record;
begin
  select * into v_blast from public.blasts b where b.id = p_blast_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  v_channels := private.blast_channels(v_blast);
  -- Each channel's rules, in v_channels' order, embedded as constants next to it.
  select array_agg(k.address_kind order by u.n), array_agg(not private.consent_allows_marketing(null, k.name, v_settings) order by u.n)
    into v_address_kinds, v_requires_opt_in
    from unnest(v_channels) with ordinality as u(name, n) join private.channels k on k.name = u.name;
  v_constants := jsonb_build_object('org_name', quote_literal(v_settings.org_name));
  if v_blast.event_id is not null then
    execute 'select e.name, e.starts_at from public.events e where e.id = $1' into v_event using v_blast.event_id;
    v_constants := v_constants || jsonb_build_object(
      'event_name', quote_nullable(v_event.name),
      'event_date', quote_nullable(to_char(v_event.starts_at at time zone v_settings.org_time_zone, 'FMMonth FMDD')));
  end if;
  v_fields := v_constants || jsonb_build_object(
    'first_name', 'e.first_name', 'last_name', 'e.last_name',
    'full_name', 'nullif(concat_ws('' '', e.first_name, e.last_name), '''')',
    'email', 'e.email', 'phone', 'e.phone::text', 'custom', 'e.custom_fields');

  -- One CASE branch per channel × variant: bucket ranges [lo, hi) over 0..99.
  for v_variant in
    select v.channel, v.label,
           coalesce(sum(v.weight) over w - v.weight, 0) as lo, sum(v.weight) over w as hi,
           t.subject, t.body
    from public.blast_variants v join public.message_templates t on t.id = v.template_id
    where v.blast_id = p_blast_id and v.channel = any (v_channels)
    window w as (partition by v.channel order by v.label)
    union all
    select ch, null, 0, 100, t.subject, t.body
    from unnest(v_channels) as ch
    join public.message_templates t
      on t.id = private.blast_template_id(v_blast, ch)
    where not exists (select 1 from public.blast_variants v where v.blast_id = p_blast_id and v.channel = ch)
  loop
    v_label_sql := v_label_sql || format(' when e.channel = %L and e.bucket >= %s and e.bucket < %s then %L',
      v_variant.channel, v_variant.lo, v_variant.hi, v_variant.label);
    v_subject_sql := v_subject_sql || format(' when e.channel = %L and e.bucket >= %s and e.bucket < %s then %s',
      v_variant.channel, v_variant.lo, v_variant.hi,
      private.template_sql(private.compile_template(v_variant.subject), v_fields));
    v_body_sql := v_body_sql || format(' when e.channel = %L and e.bucket >= %s and e.bucket < %s then %s',
      v_variant.channel, v_variant.lo, v_variant.hi,
      private.template_sql(private.compile_template(v_variant.body), v_fields));
  end loop;
  if v_body_sql = '' then
    raise exception using errcode = 'P0001', message = 'blast_missing_template';
  end if;

  -- Every value is embedded with %L (quoted) or built above from quoted literals.
  return format($sql$
    select r.contact_id, r.channel, r.variant, r.address as to_address, r.subject, r.body,
           case when not %7$L::boolean then null::integer
                when r.channel = 'sms' then public.sms_segments(r.body) else 1 end as segments,
           r.time_zone
    from (
      select e.contact_id, e.channel, (case %1$s end)::text as variant, e.address,
             (case %2$s end)::text as subject, (case %3$s end)::text as body,
             coalesce(z.name, %6$L) as time_zone
      from (
        select c.id as contact_id, ch.channel,
               case ch.address_kind when 'phone' then c.phone::text when 'email' then lower(c.email) end as address,
               c.first_name, c.last_name, c.email, c.phone, c.custom_fields, c.time_zone,
               %10$s as bucket
        from public.contacts c
        cross join unnest(%5$L::public.message_channel[], %8$L::text[], %9$L::boolean[])
          as ch(channel, address_kind, requires_opt_in)
        left join public.contact_consents cc on cc.contact_id = c.id and cc.channel = ch.channel
        where c.id in (select a.id from private.blast_audience_ids(
                         (select b from public.blasts b where b.id = %4$L)) as a(id))
          and c.erased_at is null and c.merged_into is null
          and case
                when cc.status = 'opted_out' then false
                when cc.status = 'opted_in' then true
                else not ch.requires_opt_in
              end
      ) e
      left join (
        -- Each distinct zone is checked once (offset 0 keeps the check above the distinct).
        select d.tz as name
        from (select distinct c.time_zone as tz from public.contacts c where c.time_zone is not null offset 0) d
        where private.is_time_zone(d.tz)
      ) z on z.name = e.time_zone
      where e.address is not null
        and not exists (
          select 1 from public.suppressions s
          where s.channel = e.channel and s.address = e.address and s.lifted_at is null)
      offset 0
    ) r
    $sql$, v_label_sql, v_subject_sql, v_body_sql, p_blast_id, v_channels, v_settings.org_time_zone,
    p_measure_segments, v_address_kinds, v_requires_opt_in,
    -- A stable hash of contact and blast picks the variant; without variants there is nothing to pick.
    case when exists (select 1 from public.blast_variants v where v.blast_id = p_blast_id)
         then format('abs(hashtextextended(c.id::text || %L, 0)) %% 100', p_blast_id) else '0' end);
end
$$;
comment on function private.blast_candidates_sql(uuid, boolean) is
  'The query (SQL text, values quoted) of a blast''s recipients per channel after consent, suppressions and missing addresses, with variant and rendered text (segments when p_measure_segments).';

-- The audience contacts a blast's snapshot leaves out, per channel and first reason, by the same
-- rules as private.blast_candidates_sql (consent, address, suppressions, erased/merged). Hash
-- joins over the whole audience; the settings and channel rules are read once.
create function private.blast_exclusions(p_blast public.blasts)
returns table (channel text, reason text, contacts integer)
language sql
stable
set search_path = ''
set work_mem = '64MB'
set enable_nestloop = off
set enable_mergejoin = off
set jit = off
as $$
  with channel_rules as materialized (
    select k.name as channel, k.address_kind,
           not private.consent_allows_marketing(null, k.name, private.messaging_settings()) as requires_opt_in
    from unnest(private.blast_channels(p_blast)) as u(name) join private.channels k on k.name = u.name
  ), audience as (
    select distinct a.id from private.blast_audience_ids(p_blast) as a(id)
  ), addressed as (
    select ch.channel, ch.address_kind, ch.requires_opt_in, c.id, c.erased_at, c.merged_into, cc.status,
           case ch.address_kind when 'phone' then c.phone::text when 'email' then lower(c.email) end as address
    from audience
    join public.contacts c on c.id = audience.id
    cross join channel_rules ch
    left join public.contact_consents cc on cc.contact_id = c.id and cc.channel = ch.channel
  )
  select x.channel::text, x.reason, count(*)::integer
  from (
    select r.channel, case
        when r.erased_at is not null or r.merged_into is not null then 'erased_or_merged'
        when r.address is null then 'no_' || r.address_kind
        when r.status = 'opted_out' then 'opted_out'
        -- private.consent_allows_marketing inline: a function with its own search_path is not
        -- inlined, and calling it per contact cost a second at 100k.
        when r.status is distinct from 'opted_in' and r.requires_opt_in then 'no_consent'
        when s.reason = 'invalid_number' then 'invalid_number'
        when s.reason is not null then 'suppressed'
      end as reason
    from addressed r
    -- At most one active suppression per channel and address (a unique index says so).
    left join public.suppressions s on s.channel = r.channel and s.address = r.address and s.lifted_at is null
  ) x
  where x.reason is not null
  group by 1, 2
$$;
comment on function private.blast_exclusions(public.blasts) is
  'Audience contacts a blast leaves out, per channel and reason (opted_out, no_consent, no_phone, no_email, invalid_number, suppressed, erased_or_merged).';

-- One sentence for people: why nobody (or fewer people) will get a blast.
create function private.blast_exclusion_summary(p_blast public.blasts) returns text
language sql
stable
set search_path = ''
as $$
  select case
    when not exists (select 1 from private.blast_audience_ids(p_blast)) then
      'The audience is empty: the segment matches nobody and no contact is listed.'
    else coalesce((
      select string_agg(format('%s %s (%s)', e.contacts, case e.reason
          when 'opted_out' then 'opted out'
          when 'no_consent' then 'without marketing consent'
          when 'no_phone' then 'without a phone number'
          when 'no_email' then 'without an email address'
          when 'invalid_number' then 'with an invalid number'
          when 'suppressed' then 'suppressed (bounced, complained or not textable)'
          else 'erased or merged' end, e.channel), '; ' order by e.channel, e.contacts desc, e.reason)
      from private.blast_exclusions(p_blast) e), 'Nobody is excluded.')
  end
$$;
comment on function private.blast_exclusion_summary(public.blasts) is
  'Why a blast''s audience members are left out, as one sentence (for previews and refusals).';

create function private.insert_blast_variants(p_blast_id uuid, p_variants jsonb) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_variant jsonb;
  v_template_id uuid;
  v_channels text[] := array(select k.name::text from private.channels k order by k.name);
begin
  for v_variant in select v from jsonb_array_elements(coalesce(p_variants, '[]'::jsonb)) as v loop
    if jsonb_typeof(v_variant) <> 'object' or v_variant ->> 'channel' <> all (v_channels)
       or coalesce(v_variant ->> 'label', '') !~ '^[A-Z]$'
       or jsonb_typeof(v_variant -> 'weight') <> 'number'
       or (v_variant ->> 'weight')::numeric not between 0 and 100 then
      raise exception using errcode = 'P0001', message = 'invalid_variant',
        detail = format('Each variant needs channel %s, a label A–Z, a template and a weight 0–100.',
                        array_to_string(v_channels, '/'));
    end if;
    v_template_id := private.spec_uuid(v_variant, 'template_id');
    if v_template_id is null or not exists (
         select 1 from public.message_templates t where t.id = v_template_id and t.archived_at is null) then
      raise exception using errcode = 'P0001', message = 'template_not_found',
        detail = format('Variant %s has no known template.', v_variant ->> 'label');
    end if;
    if exists (select 1 from public.blast_variants b
               where b.blast_id = p_blast_id and b.channel::text = v_variant ->> 'channel' and b.label = v_variant ->> 'label') then
      raise exception using errcode = 'P0001', message = 'blast_variant_label_taken',
        detail = format('Two %s variants are labelled %s.', v_variant ->> 'channel', v_variant ->> 'label');
    end if;
    insert into public.blast_variants (blast_id, channel, label, template_id, weight)
    values (p_blast_id, (v_variant ->> 'channel')::public.message_channel, v_variant ->> 'label', v_template_id,
            (v_variant ->> 'weight')::integer);
  end loop;
end
$$;
comment on function private.insert_blast_variants(uuid, jsonb) is
  'Insert a create_blast spec''s variants (invalid_variant, template_not_found, blast_variant_label_taken).';

-- ============================================================================================
-- Helper functions: automations
-- ============================================================================================

-- Who of p_contact_ids a marketing message on p_channel may go to (consent as the settings
-- require it, an address, not suppressed); the claim rechecks all of it at send time.
create function private.automation_recipients(p_channel public.message_channel, p_contact_ids uuid[])
returns table (contact_id uuid, address text, time_zone text, may_send boolean)
language sql
stable
set search_path = ''
as $$
  select c.id, a.address, c.time_zone,
         a.address is not null
         and case when cc.status = 'opted_out' then false
                  when cc.status = 'opted_in' then true
                  else not k.requires_opt_in end
         and not private.is_suppressed(p_channel, a.address)
  from public.contacts c
  cross join (select r.address_kind,
                     not private.consent_allows_marketing(null, r.name, private.messaging_settings()) as requires_opt_in
              from private.channels r where r.name = p_channel) k
  cross join lateral (select case k.address_kind when 'phone' then c.phone::text
                                                 when 'email' then lower(c.email) end as address) a
  left join public.contact_consents cc on cc.contact_id = c.id and cc.channel = p_channel
  where c.id = any (p_contact_ids) and c.erased_at is null and c.merged_into is null
$$;
comment on function private.automation_recipients(public.message_channel, uuid[]) is
  'Each live contact of p_contact_ids with its address on a channel and whether marketing may go to it.';

-- ============================================================================================
-- Helper functions: contact merge and GDPR erase
-- ============================================================================================

create function private.merge_contacts_extra(p_keep uuid, p_merge uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_conversation record;
  v_kept_conversation_id uuid;
  v_channel public.message_channel;
  v_merge_consent public.consent_status;
begin
  -- One thread per contact × sender: fold the duplicate's threads into the kept ones.
  for v_conversation in select * from public.conversations where contact_id = p_merge loop
    select id into v_kept_conversation_id from public.conversations
     where contact_id = p_keep and sender_id = v_conversation.sender_id;
    if v_kept_conversation_id is null then
      update public.conversations set contact_id = p_keep where id = v_conversation.id;
    else
      update public.messages set conversation_id = v_kept_conversation_id where conversation_id = v_conversation.id;
      update public.conversations k
         set unread_count = k.unread_count + v_conversation.unread_count,
             last_inbound_at = greatest(k.last_inbound_at, v_conversation.last_inbound_at)
       where k.id = v_kept_conversation_id;
      delete from public.conversations where id = v_conversation.id;
    end if;
  end loop;
  update public.messages set contact_id = p_keep where contact_id = p_merge;
  update public.blast_recipients set contact_id = p_keep where contact_id = p_merge and status = 'pending';

  -- The ledger is append-only: the kept contact gets new entries; the duplicate keeps its history.
  for v_channel in select k.name from private.channels k order by k.name loop
    v_merge_consent := private.current_consent(p_merge, v_channel);
    if v_merge_consent = 'opted_out'
       or (v_merge_consent = 'opted_in' and private.current_consent(p_keep, v_channel) is null) then
      perform private.record_consent(p_keep, v_channel, v_merge_consent, 'staff', null,
        format('Carried over when contact %s was merged into this one', p_merge));
    end if;
  end loop;
end
$$;
comment on function private.merge_contacts_extra(uuid, uuid) is
  'Merge, messaging''s part: fold conversations, move messages and pending blast rows, carry consent over (an opt-out always wins).';

create function private.gdpr_erase_extra(p_contact_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_contact public.contacts;
  v_channel private.channels;
begin
  select * into v_contact from public.contacts where id = p_contact_id;
  -- Keep honouring an opt-out after the person is gone: block the address itself.
  for v_channel in select * from private.channels k order by k.name loop
    if private.current_consent(p_contact_id, v_channel.name) = 'opted_out' then
      perform private.suppress_address(v_channel.name,
        case v_channel.address_kind when 'phone' then v_contact.phone::text when 'email' then v_contact.email end,
        'unsubscribed', null);
    end if;
  end loop;
  update public.messages set status = 'cancelled', error_code = 'erased'
   where contact_id = p_contact_id and status = 'queued';
  update public.blast_recipients set status = 'cancelled', skip_reason = 'erased'
   where contact_id = p_contact_id and status = 'pending';
  update public.webhook_events w set payload = jsonb_build_object('erased', true)
    from public.messages m
   where m.contact_id = p_contact_id and m.provider_id is not null and w.provider_message_id = m.provider_id;
  update public.messages
     set body = '[erased]', subject = null, media_urls = '{}',
         to_address = case when direction = 'outbound' then '[erased]' else to_address end,
         from_address = case when direction = 'inbound' then '[erased]' else from_address end
   where contact_id = p_contact_id;
  update public.blast_recipients set to_address = '[erased]', subject = null, body = '[erased]'
   where contact_id = p_contact_id;
  update public.conversations set last_message_preview = '[erased]' where contact_id = p_contact_id;
end
$$;
comment on function private.gdpr_erase_extra(uuid) is
  'GDPR erase, messaging''s part: cancel pending sends, blank message texts and addresses and raw webhooks; opt-outs become address suppressions first.';

-- ============================================================================================
-- Policies
-- ============================================================================================

create policy "Organizers can reply to contacts whose SMS consent allows it" on public.messages
  for insert to authenticated
  with check (
    (select private.has_staff_level('organizer'))
    and kind = 'conversation' and direction = 'outbound' and status = 'queued'
    and sent_by = (select auth.uid())
    and private.may_reply_by_sms(contact_id, conversation_id)
  );
