-- The channels' rows decide, in the last places that named 'sms' or 'email':
--
-- * The blast preview counted quiet hours for SMS only, in the SMS sender's window, while the
--   claim holds every channel's blast recipients outside the window of the blast's sender on
--   that channel (private.sender_window: the sender's own, else the organisation's). The
--   preview now counts them the same way on every channel the blast sends on.
-- * An event's passes (send_rsvp_passes, rsvp_pass_recipients) picked SMS then email by name,
--   the address by name, the subject only for 'email' and SMS segments only for 'sms'. The
--   channels' rows say it now: the order is the channels' enum order (SMS first), the address
--   the row's address_kind, the subject has_subject, the segments billed_in_segments.
--
-- Moved here, each with its final body (the files they came from say so where they were):
--   private.blast_preview_groups (from 20261127010000_channel_claim.sql),
--   private.rsvp_pass_recipients and public.send_rsvp_passes (from 20261126050000_event_rsvps.sql).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- Recipients per channel × variant with how many would wait right now for quiet hours in their
-- zone (on every channel, in the window of the blast's sender on it, as the claim waits), and
-- on a capped channel how many are at its frequency cap. One grouped statement over the
-- candidates query.
create function private.blast_preview_groups(p_blast public.blasts, p_candidates_sql text, p_now timestamptz)
returns table (channel text, variant text, recipients integer, quiet_hours integer, frequency_cap integer)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_window_channels public.message_channel[];
  v_window_starts time[];
  v_window_ends time[];
  v_capped_channels public.message_channel[];
  v_caps integer[];
begin
  select array_agg(u.name), array_agg(w.window_start), array_agg(w.window_end)
    into v_window_channels, v_window_starts, v_window_ends
    from unnest(private.blast_channels(p_blast)) as u(name)
    cross join lateral private.sender_window(
      (select s from public.senders s where s.id = private.blast_sender_id(p_blast, u.name)), v_settings) w;
  select array_agg(k.name), array_agg(private.channel_frequency_cap(k, v_settings))
    into v_capped_channels, v_caps
    from private.channels k where k.frequency_cap_setting is not null;
  return query execute format($sql$
    with windows as (
      select u.channel, u.window_start, u.window_end
      from unnest($2::public.message_channel[], $3::time[], $6::time[]) as u(channel, window_start, window_end)
    ), caps as (
      select u.channel, u.per_day from unnest($4::public.message_channel[], $5::integer[]) as u(channel, per_day)
    ), capped as (
      -- Contacts at a channel's cap: the rule of private.recent_marketing_messages, for everybody at once.
      select m.contact_id, m.channel from public.messages m join caps k on k.channel = m.channel
      where m.is_marketing and m.direction = 'outbound'
        and m.created_at > $1 - interval '24 hours' and m.created_at <= $1
        and (m.status in ('sending', 'sent', 'delivered', 'undelivered')
             or (m.status = 'queued' and m.claimed_by is not null and m.lease_expires_at >= $1))
      group by m.contact_id, m.channel, k.per_day
      having count(*) >= k.per_day
    ), per_zone as (
      select c.channel::text as channel, c.variant, c.time_zone, count(*)::integer as n,
             count(k.contact_id)::integer as capped
      from (%s) c
      left join capped k on k.channel = c.channel and k.contact_id = c.contact_id
      group by 1, 2, 3
    )
    select z.channel, z.variant, sum(z.n)::integer,
           coalesce(sum(z.n) filter (where not private.within_send_window($1, z.time_zone, w.window_start, w.window_end)), 0)::integer,
           sum(z.capped)::integer
    from per_zone z
    join windows w on w.channel::text = z.channel
    group by z.channel, z.variant
    $sql$, p_candidates_sql)
  using p_now, v_window_channels, v_window_starts, v_capped_channels, v_caps, v_window_ends;
end
$$;
comment on function private.blast_preview_groups(public.blasts, text, timestamptz) is
  'A blast''s recipients per channel and variant, with those who would wait now for quiet hours (in the window of the blast''s sender on their channel) and those at a channel''s frequency cap; set-based, nothing rendered.';

-- Who an event's passes go to: every live RSVP'd contact with the channel and address their pass
-- would use (the channels in enum order: SMS first, then email), or none. An address is usable
-- when it exists, its owner has not opted out of that channel, it is not suppressed, and an
-- enabled sender serves the channel. sent: a pass for this event was already queued for them.
-- Joins, not a call of private.current_consent / private.is_suppressed per RSVP and channel:
-- those are SECURITY DEFINER functions Postgres cannot inline, and thousands of separate calls
-- were most of rsvp_pass_summary's time at a 4,000-person event. Contacts hold phones in E.164
-- (public.phone_e164) and emails without spaces (their check), so the phone and lower(email)
-- are already the forms public.suppressions stores (private.suppressions_normalize): the
-- suppression test is a plain equality anti-join.
create function private.rsvp_pass_recipients(p_event_id uuid)
returns table (contact_id uuid, channel public.message_channel, address text, sent boolean)
language sql
stable
set search_path = ''
as $$
  with live as (
    select c.id, c.phone::text as phone, lower(c.email) as email
      from public.event_rsvps r
      join public.contacts c on c.id = r.contact_id and c.erased_at is null and c.merged_into is null
     where r.event_id = p_event_id
  ), usable as (
    -- Each address a pass may use; a person's first one in channel order is theirs.
    select distinct on (l.id) l.id, k.name as channel, o.address
      from live l
     cross join private.channels k
     cross join lateral (select case k.address_kind when 'phone' then l.phone
                                                    when 'email' then l.email end as address) o
     where o.address is not null
       and k.name in (select s.channel from public.senders s where s.enabled)
       and not exists (select 1 from public.contact_consents cc
                        where cc.contact_id = l.id and cc.channel = k.name and cc.status = 'opted_out')
       and not exists (select 1 from public.suppressions s
                        where s.channel = k.name and s.address = o.address and s.lifted_at is null)
     order by l.id, k.name
  )
  select l.id, u.channel, u.address,
         exists (select 1 from public.messages m where m.dedupe_key = format('rsvp_pass:%s:%s', p_event_id, l.id))
    from live l
    left join usable u on u.id = l.id
$$;
comment on function private.rsvp_pass_recipients(uuid) is
  'Each live RSVP of an event with the channel and address its pass would use (null when none may be used) and whether it was sent.';

-- ============================================================================================
-- Public functions
-- ============================================================================================

-- SECURITY DEFINER: it writes the outbox, which no API role may write; the caller is checked
-- first. p_app_url is the web app's address (the page the organizer is on): the pass link is
-- <p_app_url>/pass/<qr token>, a page that draws the person's QR code.
create function public.send_rsvp_passes(p_event_id uuid, p_app_url text)
returns table (enqueued integer, without_address integer, already_sent integer)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_event public.events;
  v_url text := rtrim(btrim(coalesce(p_app_url, '')), '/');
  v_org text := (private.messaging_settings()).org_name;
  v_enqueued integer;
begin
  perform private.require_staff_level('organizer');
  if v_url !~ '^https?://[^\s/?#]+(/[^\s?#]*)?$' or char_length(v_url) > 200 then
    raise exception using errcode = 'P0001', message = 'invalid_argument',
      detail = 'The app address is an http(s) URL without query or fragment.';
  end if;
  v_event := private.open_event(p_event_id);
  -- One sender of a batch at a time per event: a second click waits, then finds everything sent.
  perform pg_advisory_xact_lock(hashtextextended('rsvp_pass:' || p_event_id::text, 0));

  with recipients as (
    select r.contact_id, r.channel, r.address, c.qr_token, coalesce(c.preferred_language, 'en') as language,
           s.id as sender_id, coalesce(s.from_number::text, s.messaging_service_sid, s.from_email) as from_address
      from private.rsvp_pass_recipients(p_event_id) r
      join public.contacts c on c.id = r.contact_id
      cross join lateral (select * from public.senders s
                           where s.channel = r.channel and s.enabled
                           order by s.use_for_transactional desc, s.created_at limit 1) s
     where not r.sent and r.channel is not null
  ), rendered as (
    select x.*,
           case x.language
             when 'es' then format('%s: tu pase para %s (%s): %s/pass/%s Muéstralo en la entrada.', v_org, v_event.name,
                                   to_char(v_event.starts_at at time zone v_event.time_zone, 'DD/MM HH24:MI'), v_url, x.qr_token)
             else format('%s: your pass for %s (%s): %s/pass/%s Show it at the door.', v_org, v_event.name,
                         to_char(v_event.starts_at at time zone v_event.time_zone, 'Mon FMDD, FMHH12:MI AM'), v_url, x.qr_token)
           end as body,
           case x.language when 'es' then format('Tu pase para %s', v_event.name)
                           else format('Your pass for %s', v_event.name) end as subject
      from recipients x
  )
  insert into public.messages (direction, kind, channel, status, contact_id, sender_id, to_address, from_address,
                               subject, body, segments, is_marketing, sent_by, dedupe_key)
  select 'outbound', 'transactional', r.channel, 'queued', r.contact_id, r.sender_id, r.address, r.from_address,
         case when k.has_subject then r.subject end, r.body,
         case when k.billed_in_segments then public.sms_segments(r.body) else 1 end, false, (select auth.uid()),
         format('rsvp_pass:%s:%s', p_event_id, r.contact_id)
    from rendered r
    join private.channels k on k.name = r.channel
   order by r.contact_id
  on conflict (dedupe_key) do nothing;
  get diagnostics v_enqueued = row_count;

  perform private.audit('event.rsvp_passes_sent', 'events', p_event_id::text, null, null,
    jsonb_build_object('enqueued', v_enqueued));
  return query
  select v_enqueued,
         (count(*) filter (where r.channel is null and not r.sent))::integer,
         (count(*) filter (where r.sent))::integer - v_enqueued
    from private.rsvp_pass_recipients(p_event_id) r;
end
$$;
comment on function public.send_rsvp_passes(uuid, text) is
  'Organizers: queue, for each RSVP of an event that has not ended, a transactional SMS (else email) with their personal pass link <p_app_url>/pass/<qr token>, in their language; once per person and event (a second call queues nothing twice); opted-out and suppressed addresses get nothing. Audited. Returns (enqueued, without_address, already_sent before this call). Errors: not_allowed, invalid_argument, unknown_event, event_over.';
grant execute on function public.send_rsvp_passes(uuid, text) to authenticated, service_role;
