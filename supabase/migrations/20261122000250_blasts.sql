-- Blasts: one template per channel with optional A/B variants, an audience (a saved segment or
-- an explicit list), a schedule, a status machine, counters — and the recipient snapshot.
--
-- Status: draft → scheduled → sending ↔ paused → completed | cancelled (draft/scheduled may be
-- cancelled too). Starting a blast takes the snapshot: one row per recipient × channel with the
-- rendered text and variant, excluding opted-out, suppressed, address-less and duplicate
-- recipients, in one set-based statement. Workers never read the snapshot: the claim function
-- turns snapshot rows into messages a few at a time, rechecking consent and quiet hours.
-- Blasts (with their counters) are in the Realtime publication; snapshot rows are not.

-- ============================================================================================
-- Types
-- ============================================================================================

create type public.blast_channel as enum ('sms', 'email', 'both');
comment on type public.blast_channel is 'Which channels a blast uses; both = SMS and email to each recipient.';

create type public.blast_status as enum ('draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled');
comment on type public.blast_status is 'draft → scheduled → sending ↔ paused → completed | cancelled.';

-- ============================================================================================
-- Tables
-- ============================================================================================

create table public.blasts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (btrim(name) <> ''),
  channel public.blast_channel not null,
  sms_template_id uuid references public.message_templates (id) on delete restrict,
  email_template_id uuid references public.message_templates (id) on delete restrict,
  sms_sender_id uuid references public.senders (id) on delete restrict,
  email_sender_id uuid references public.senders (id) on delete restrict,
  segment_id uuid,
  event_id uuid,
  scheduled_at timestamptz,
  status public.blast_status not null default 'draft',
  paused_reason text,
  auto_pause boolean not null default true,
  recipients_total integer not null default 0,
  sms_recipients integer not null default 0,
  email_recipients integer not null default 0,
  sent_count integer not null default 0,
  delivered_count integer not null default 0,
  failed_count integer not null default 0,
  skipped_count integer not null default 0,
  opted_out_count integer not null default 0,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz
);
comment on table public.blasts is
  'SMS/email campaigns to a segment or a list, with A/B variants, schedule, status and live counters (in Realtime).';
comment on column public.blasts.segment_id is 'Saved segment (public.segments) the audience comes from; or list contacts in blast_audience.';
comment on column public.blasts.event_id is 'Event whose name/date fill {{event_name}} / {{event_date}}.';
comment on column public.blasts.paused_reason is 'Why the blast is paused: by staff, or automatically (failure or opt-out spike).';
comment on column public.blasts.auto_pause is 'Pause automatically when failures/opt-outs of the last N sends cross the thresholds in messaging_settings.';
comment on column public.blasts.sent_count is 'Messages accepted by the provider (including those later delivered or undelivered).';
comment on column public.blasts.skipped_count is 'Recipients dropped after the snapshot: opted out, suppressed, or cancelled.';

create index blasts_status_scheduled_idx on public.blasts (status, scheduled_at);
create index blasts_sms_template_id_idx on public.blasts (sms_template_id);
create index blasts_email_template_id_idx on public.blasts (email_template_id);
create index blasts_sms_sender_id_idx on public.blasts (sms_sender_id);
create index blasts_email_sender_id_idx on public.blasts (email_sender_id);
create index blasts_segment_id_idx on public.blasts (segment_id);
create index blasts_event_id_idx on public.blasts (event_id);
create index blasts_created_by_idx on public.blasts (created_by);

create table public.blast_variants (
  id uuid primary key default gen_random_uuid(),
  blast_id uuid not null references public.blasts (id) on delete cascade,
  channel public.message_channel not null,
  label text not null check (label ~ '^[A-Z]$'),
  template_id uuid not null references public.message_templates (id) on delete restrict,
  weight integer not null check (weight between 0 and 100),
  unique (blast_id, channel, label)
);
comment on table public.blast_variants is
  'A/B variants of a blast per channel; weights (percent) of a channel add up to 100. Without variants the blast''s template is used.';

create index blast_variants_template_id_idx on public.blast_variants (template_id);

create table public.blast_audience (
  blast_id uuid not null references public.blasts (id) on delete cascade,
  contact_id uuid not null references public.contacts (id) on delete cascade,
  primary key (blast_id, contact_id)
);
comment on table public.blast_audience is 'An explicit recipient list for a blast (in addition to, or instead of, its segment).';

create index blast_audience_contact_id_idx on public.blast_audience (contact_id);

create table public.blast_recipients (
  id bigint generated always as identity primary key,
  -- No foreign keys: the snapshot writes 100k rows in one statement and a per-row key check
  -- would cost more than the rest of the insert. The blast's rows go with it (trigger below);
  -- contacts are erased by anonymising, not deleted.
  blast_id uuid not null,
  contact_id uuid not null,
  channel public.message_channel not null,
  variant text,
  to_address text not null,
  subject text,
  body text not null,
  segments integer,
  time_zone text not null,
  status text not null default 'pending' check (status in ('pending', 'materialised', 'skipped', 'cancelled')),
  skip_reason text,
  message_id uuid
);
comment on table public.blast_recipients is
  'The blast''s recipient snapshot: one row per recipient × channel with the rendered text and variant. Not in Realtime.';
comment on column public.blast_recipients.status is
  'pending (not yet claimed), materialised (a messages row exists), skipped (opted out/suppressed since), cancelled (blast cancelled).';
comment on column public.blast_recipients.segments is 'SMS segments of the body; measured when the row is claimed.';
comment on column public.blast_recipients.message_id is 'The messages row this recipient became (messages.blast_recipient_id points back, indexed).';
comment on column public.blast_recipients.time_zone is 'Recipient''s resolved IANA time zone for the quiet-hours check.';

create index blast_recipients_pending_idx on public.blast_recipients (blast_id, channel, id) where status = 'pending';
create index blast_recipients_pending_contact_idx on public.blast_recipients (contact_id) where status = 'pending';

alter table public.messages
  add constraint messages_blast_id_fkey foreign key (blast_id) references public.blasts (id) on delete set null;

-- ============================================================================================
-- Grants
-- ============================================================================================

revoke all on table public.blasts, public.blast_variants, public.blast_audience, public.blast_recipients
  from anon, authenticated;
grant select, insert, update, delete on table public.blasts, public.blast_variants, public.blast_audience
  to authenticated;
grant select on table public.blast_recipients to authenticated;
grant all on table public.blasts, public.blast_variants, public.blast_audience, public.blast_recipients
  to service_role;

-- ============================================================================================
-- Triggers
-- ============================================================================================

create trigger blasts_touch_updated_at before update on public.blasts
  for each row execute function private.touch_updated_at();

-- In place of an on-delete-cascade foreign key on the snapshot (see blast_recipients).
create function private.blasts_delete_recipients() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from public.blast_recipients r where r.blast_id = old.id;
  return old;
end
$$;
comment on function private.blasts_delete_recipients() is 'Trigger: a deleted blast takes its snapshot rows with it.';

create trigger blasts_delete_recipients before delete on public.blasts
  for each row execute function private.blasts_delete_recipients();

create function private.blasts_guard_status() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status is distinct from old.status and not (
    (old.status = 'draft' and new.status in ('scheduled', 'sending', 'cancelled'))
    or (old.status = 'scheduled' and new.status in ('draft', 'sending', 'cancelled'))
    or (old.status = 'sending' and new.status in ('paused', 'completed', 'cancelled'))
    or (old.status = 'paused' and new.status in ('sending', 'cancelled'))
  ) then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A blast cannot go from %s to %s.', old.status, new.status);
  end if;
  -- Only start_blast (which takes the snapshot) may set sending from draft/scheduled.
  if new.status = 'sending' and old.status in ('draft', 'scheduled')
     and coalesce(current_setting('hm.blast_starting', true), '') <> 'on' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = 'Start a blast with public.start_blast(), which takes the recipient snapshot.';
  end if;
  return new;
end
$$;
comment on function private.blasts_guard_status() is
  'Trigger: blasts move only along draft → scheduled → sending ↔ paused → completed | cancelled.';

create trigger blasts_guard_status before update of status on public.blasts
  for each row execute function private.blasts_guard_status();

-- Not exposed (schema private): counter changes waiting to be folded onto public.blasts.
create table private.blast_counter_deltas (
  blast_id uuid not null references public.blasts (id) on delete cascade,
  slot smallint not null,
  sent integer not null default 0,
  delivered integer not null default 0,
  failed integer not null default 0,
  skipped integer not null default 0,
  primary key (blast_id, slot)
);
comment on table private.blast_counter_deltas is
  'Per-blast counter changes not yet on public.blasts, one row per (blast, slot) so concurrent senders never wait on one row; folded by private.fold_blast_counters at claim time (at most about once a second per blast) and when a blast completes.';

-- SECURITY DEFINER: counters are written by workers (service_role) and by staff-triggered
-- cancellations alike; nobody is granted direct writes to them.
create function private.messages_count_for_blast() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_old public.message_status := case when tg_op = 'UPDATE' then old.status end;
  v_sent integer := 0;
  v_delivered integer := 0;
  v_failed integer := 0;
  v_skipped integer := 0;
begin
  if new.blast_id is null or new.status is not distinct from v_old then
    return null;
  end if;
  if new.status in ('sent', 'delivered', 'undelivered')
     and (v_old is null or v_old in ('queued', 'sending')) then
    v_sent := 1;
  end if;
  if new.status = 'delivered' then v_delivered := 1; end if;
  if new.status in ('failed', 'undelivered') then v_failed := 1; end if;
  if new.status = 'cancelled' then v_skipped := 1; end if;
  if v_sent + v_delivered + v_failed + v_skipped > 0 then
    -- Not the blasts row itself: every send would queue behind that one row. Each backend adds
    -- to its own slot; private.fold_blast_counters moves the sums onto the blast.
    insert into private.blast_counter_deltas as d (blast_id, slot, sent, delivered, failed, skipped)
    values (new.blast_id, (pg_backend_pid() % 16)::smallint, v_sent, v_delivered, v_failed, v_skipped)
    on conflict (blast_id, slot) do update
      set sent = d.sent + excluded.sent, delivered = d.delivered + excluded.delivered,
          failed = d.failed + excluded.failed, skipped = d.skipped + excluded.skipped;
  end if;
  return null;
end
$$;
comment on function private.messages_count_for_blast() is
  'Trigger: add a blast message''s status change to the blast''s sent/delivered/failed/skipped counter deltas.';

-- Moves the pending counter deltas of a blast onto its row (one update, so Realtime subscribers
-- see the progress). Deleting the deltas locks them, so a concurrent trigger's add waits and
-- lands in a fresh delta row: nothing is counted twice or lost.
create function private.fold_blast_counters(p_blast_id uuid) returns void
language sql
set search_path = ''
as $$
  with folded as (
    delete from private.blast_counter_deltas d where d.blast_id = p_blast_id
    returning d.sent, d.delivered, d.failed, d.skipped
  ), total as (
    select count(*) as n, sum(f.sent) as sent, sum(f.delivered) as delivered, sum(f.failed) as failed,
           sum(f.skipped) as skipped
    from folded f
  )
  update public.blasts b
     set sent_count = b.sent_count + t.sent, delivered_count = b.delivered_count + t.delivered,
         failed_count = b.failed_count + t.failed, skipped_count = b.skipped_count + t.skipped
    from total t
   where b.id = p_blast_id and t.n > 0
$$;
comment on function private.fold_blast_counters(uuid) is
  'Add a blast''s pending counter deltas (private.blast_counter_deltas) to its counters on public.blasts.';

create trigger messages_count_for_blast after insert or update of status on public.messages
  for each row execute function private.messages_count_for_blast();

-- An opt-out reaches a running blast at once: the recipient's pending snapshot rows are skipped
-- and anything queued but not yet sending is cancelled (all SMS after a STOP — it is absolute —
-- and marketing email after an email opt-out).
create function private.consent_events_cancel_pending() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_skipped record;
begin
  if new.status <> 'opted_out' then
    return null;
  end if;
  for v_skipped in
    update public.blast_recipients r set status = 'skipped', skip_reason = 'opted_out'
     where r.contact_id = new.contact_id and r.channel = new.channel and r.status = 'pending'
    returning r.blast_id
  loop
    update public.blasts set skipped_count = skipped_count + 1 where id = v_skipped.blast_id;
  end loop;
  update public.messages m
     set status = 'cancelled', error_code = 'opted_out', error_message = 'Recipient opted out before sending.'
   where m.contact_id = new.contact_id and m.channel = new.channel and m.status = 'queued'
     and m.direction = 'outbound' and (new.channel = 'sms' or m.is_marketing);
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
begin
  if new.lifted_at is not null then
    return null;
  end if;
  for v_skipped in
    update public.blast_recipients r set status = 'skipped', skip_reason = 'suppressed'
     where r.status = 'pending' and r.channel = new.channel and r.to_address = new.address
       and r.contact_id in (
         select c.id from public.contacts c
         where (new.channel = 'sms' and c.phone = new.address)
            or (new.channel = 'email' and lower(c.email) = new.address))
    returning r.blast_id
  loop
    update public.blasts set skipped_count = skipped_count + 1 where id = v_skipped.blast_id;
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

create index messages_queued_to_address_idx on public.messages (to_address) where status = 'queued';
create index messages_queued_contact_idx on public.messages (contact_id) where status = 'queued';

-- ============================================================================================
-- Row level security
-- ============================================================================================

alter table public.blasts enable row level security;
alter table public.blast_variants enable row level security;
alter table public.blast_audience enable row level security;
alter table public.blast_recipients enable row level security;

create policy "Organizers can read blasts" on public.blasts
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can create draft blasts" on public.blasts
  for insert to authenticated
  with check ((select private.has_staff_level('organizer')) and status = 'draft');

-- Running blasts change only through start/pause/resume/cancel (SECURITY DEFINER, checked).
create policy "Organizers can edit blasts that have not started" on public.blasts
  for update to authenticated
  using ((select private.has_staff_level('organizer')) and status in ('draft', 'scheduled'))
  with check ((select private.has_staff_level('organizer')) and status in ('draft', 'scheduled', 'cancelled'));

create policy "Organizers can delete draft blasts" on public.blasts
  for delete to authenticated
  using ((select private.has_staff_level('organizer')) and status = 'draft');

create policy "Organizers can read blast variants" on public.blast_variants
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can manage blast variants" on public.blast_variants
  for all to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can read blast audiences" on public.blast_audience
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

create policy "Organizers can manage blast audiences" on public.blast_audience
  for all to authenticated
  using ((select private.has_staff_level('organizer')))
  with check ((select private.has_staff_level('organizer')));

create policy "Organizers can read blast recipients" on public.blast_recipients
  for select to authenticated
  using ((select private.has_staff_level('organizer')));

-- ============================================================================================
-- Helpers
-- ============================================================================================

create function private.assert_messaging_operator() returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  -- A direct database session (operators' psql, migrations) carries no JWT role; API callers
  -- are service_role or staff, and staff must be organizers or above.
  if (select auth.role()) is null or (select auth.role()) = 'service_role'
     or private.has_staff_level('organizer') then
    return;
  end if;
  raise exception using errcode = 'P0001', message = 'not_allowed',
    detail = 'Only organizers, admins and owners run messaging.';
end
$$;
comment on function private.assert_messaging_operator() is
  'Raise not_allowed unless the caller is an organizer+, the service role, or a direct database session.';

-- The audience before any consent rule: the blast's segment plus its explicit list.
create function private.blast_audience_ids(p_blast public.blasts) returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  return query select a.contact_id from public.blast_audience a where a.blast_id = p_blast.id;
  if p_blast.segment_id is not null then
    return query execute
      'select s from private.segment_contact_ids((select g.definition from public.segments g where g.id = $1)) as s'
      using p_blast.segment_id;
  end if;
end
$$;
alter function private.blast_audience_ids(public.blasts) rows 50000;
comment on function private.blast_audience_ids(public.blasts) is
  'Contact ids of a blast''s audience: its explicit list and its saved segment (duplicates possible).';

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
  v_event record;
begin
  select * into v_blast from public.blasts b where b.id = p_blast_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  v_channels := case v_blast.channel when 'both' then array['sms', 'email']::public.message_channel[]
                else array[v_blast.channel::text]::public.message_channel[] end;
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
      on t.id = case ch when 'sms' then v_blast.sms_template_id else v_blast.email_template_id end
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
               case ch.channel when 'sms' then c.phone::text else lower(c.email) end as address,
               c.first_name, c.last_name, c.email, c.phone, c.custom_fields, c.time_zone,
               %10$s as bucket
        from public.contacts c
        cross join unnest(%5$L::public.message_channel[]) as ch(channel)
        left join public.contact_consents cc on cc.contact_id = c.id and cc.channel = ch.channel
        where c.id in (select a.id from private.blast_audience_ids(
                         (select b from public.blasts b where b.id = %4$L)) as a(id))
          and c.erased_at is null and c.merged_into is null
          and case
                when cc.status = 'opted_out' then false
                when cc.status = 'opted_in' then true
                when ch.channel = 'sms' then not %8$L::boolean
                else not %9$L::boolean
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
    p_measure_segments, v_settings.sms_requires_opt_in, v_settings.email_requires_opt_in,
    -- A stable hash of contact and blast picks the variant; without variants there is nothing to pick.
    case when exists (select 1 from public.blast_variants v where v.blast_id = p_blast_id)
         then format('abs(hashtextextended(c.id::text || %L, 0)) %% 100', p_blast_id) else '0' end);
end
$$;
comment on function private.blast_candidates_sql(uuid, boolean) is
  'The query (SQL text, values quoted) of a blast''s recipients per channel after consent, suppressions and missing addresses, with variant and rendered text (segments when p_measure_segments).';

create function private.blast_candidates(p_blast_id uuid, p_measure_segments boolean default false)
returns table (
  contact_id uuid,
  channel public.message_channel,
  variant text,
  to_address text,
  subject text,
  body text,
  segments integer,
  time_zone text
)
language plpgsql
stable
set search_path = ''
as $$
begin
  return query execute private.blast_candidates_sql(p_blast_id, p_measure_segments);
end
$$;
comment on function private.blast_candidates(uuid, boolean) is
  'The blast''s recipients (see private.blast_candidates_sql) as rows: previews aggregate them.';
-- Audiences are big and the planner cannot estimate a set-returning function: hash joins and
-- enough memory to keep them in RAM beat 100k index probes (or sorts for merge joins). The
-- disabled join methods inflate cost estimates past the JIT thresholds, and compiling would
-- take longer than the query: no JIT.
alter function private.blast_candidates(uuid, boolean) set work_mem = '64MB';
alter function private.blast_candidates(uuid, boolean) set enable_nestloop = off;
alter function private.blast_candidates(uuid, boolean) set enable_mergejoin = off;
alter function private.blast_candidates(uuid, boolean) set jit = off;

create function private.assert_blast_ready(p_blast public.blasts) returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_blast.channel in ('sms', 'both') and (p_blast.sms_template_id is null and not exists (
       select 1 from public.blast_variants v where v.blast_id = p_blast.id and v.channel = 'sms')) then
    raise exception using errcode = 'P0001', message = 'blast_missing_template', detail = 'The blast has no SMS template.';
  end if;
  if p_blast.channel in ('email', 'both') and (p_blast.email_template_id is null and not exists (
       select 1 from public.blast_variants v where v.blast_id = p_blast.id and v.channel = 'email')) then
    raise exception using errcode = 'P0001', message = 'blast_missing_template', detail = 'The blast has no email template.';
  end if;
  if exists (
    select 1 from public.blast_variants v where v.blast_id = p_blast.id
    group by v.channel having sum(v.weight) <> 100) then
    raise exception using errcode = 'P0001', message = 'blast_variant_weights',
      detail = 'The weights of a channel''s variants must add up to 100.';
  end if;
  if exists (
    select 1
    from public.message_templates t
    where t.id in (p_blast.sms_template_id, p_blast.email_template_id)
       or t.id in (select v.template_id from public.blast_variants v where v.blast_id = p_blast.id)
    group by t.id
    having bool_or(t.channel::text <> case
      when t.id = p_blast.sms_template_id then 'sms'
      when t.id = p_blast.email_template_id then 'email'
      else (select v.channel::text from public.blast_variants v where v.blast_id = p_blast.id and v.template_id = t.id limit 1)
    end)) then
    raise exception using errcode = 'P0001', message = 'blast_template_channel_mismatch';
  end if;
  if p_blast.channel in ('sms', 'both') and not exists (
       select 1 from public.senders s where s.id = p_blast.sms_sender_id and s.channel = 'sms' and s.enabled) then
    raise exception using errcode = 'P0001', message = 'blast_missing_sender', detail = 'The blast needs an enabled SMS sender.';
  end if;
  if p_blast.channel in ('email', 'both') and not exists (
       select 1 from public.senders s where s.id = p_blast.email_sender_id and s.channel = 'email' and s.enabled) then
    raise exception using errcode = 'P0001', message = 'blast_missing_sender', detail = 'The blast needs an enabled email sender.';
  end if;
  if p_blast.segment_id is null and not exists (select 1 from public.blast_audience a where a.blast_id = p_blast.id) then
    raise exception using errcode = 'P0001', message = 'blast_missing_audience',
      detail = 'Choose a saved segment or list recipients.';
  end if;
end
$$;
comment on function private.assert_blast_ready(public.blasts) is
  'Raise a stable code (blast_missing_template/_sender/_audience, blast_variant_weights, blast_template_channel_mismatch) unless a blast can start.';

create function private.lock_blast(p_blast_id uuid) returns public.blasts
language plpgsql
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  select * into v_blast from public.blasts where id = p_blast_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  return v_blast;
end
$$;
comment on function private.lock_blast(uuid) is 'Lock a blast row for a status change (blast_not_found when absent).';

-- Take the snapshot and switch to sending. Runs with the blast row locked.
create function private.start_blast_locked(p_blast public.blasts, p_now timestamptz) returns public.blasts
language plpgsql
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_total integer;
  v_sms integer;
  v_email integer;
begin
  perform private.assert_blast_ready(p_blast);
  -- One statement straight from the candidates query (no intermediate row set).
  execute format($sql$
    with inserted as (
      insert into public.blast_recipients (blast_id, contact_id, channel, variant, to_address, subject, body, segments, time_zone)
      select %L, c.contact_id, c.channel, c.variant, c.to_address, c.subject, c.body, c.segments, c.time_zone
      from (%s) as c
      returning channel
    )
    select count(*), count(*) filter (where channel = 'sms'), count(*) filter (where channel = 'email')
    from inserted
    $sql$, p_blast.id, private.blast_candidates_sql(p_blast.id, false))
  into v_total, v_sms, v_email;
  perform set_config('hm.blast_starting', 'on', true);
  update public.blasts b
     set status = 'sending', started_at = p_now, paused_reason = null,
         recipients_total = v_total, sms_recipients = v_sms, email_recipients = v_email
   where b.id = p_blast.id
  returning b.* into v_blast;
  perform set_config('hm.blast_starting', 'off', true);
  if v_total = 0 then
    -- Nobody to send to (all opted out, say): nothing will ever claim it, so finish it now.
    perform private.maybe_complete_blast(p_blast.id);
    select * into v_blast from public.blasts where id = p_blast.id;
  end if;
  return v_blast;
end
$$;
comment on function private.start_blast_locked(public.blasts, timestamptz) is
  'Snapshot the recipients of a locked blast and set it sending with its totals.';
alter function private.start_blast_locked(public.blasts, timestamptz) set work_mem = '64MB';
alter function private.start_blast_locked(public.blasts, timestamptz) set enable_nestloop = off;
alter function private.start_blast_locked(public.blasts, timestamptz) set enable_mergejoin = off;
alter function private.start_blast_locked(public.blasts, timestamptz) set jit = off;

-- Called at the top of every claim: scheduled blasts whose time has come start (one claimer
-- does it; the others skip the locked rows).
create function private.start_due_blasts(p_now timestamptz) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_started integer := 0;
begin
  for v_blast in
    select * from public.blasts b
    where b.status = 'scheduled' and b.scheduled_at <= p_now
    order by b.scheduled_at
    for update skip locked
  loop
    perform private.start_blast_locked(v_blast, p_now);
    v_started := v_started + 1;
  end loop;
  return v_started;
end
$$;
comment on function private.start_due_blasts(timestamptz) is 'Start every scheduled blast whose time has come (snapshot included).';

-- ============================================================================================
-- Public functions (organizers+, service role)
-- ============================================================================================

-- SECURITY DEFINER (all blast controls): they write snapshot rows and counters no API role may
-- write directly; each checks the caller first with private.assert_messaging_operator().

create function public.preview_blast(p_blast_id uuid, p_samples integer default 3) returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_settings public.messaging_settings := private.messaging_settings();
  v_audience integer;
  v_result jsonb;
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  select * into v_blast from public.blasts where id = p_blast_id;
  if not found then
    raise exception using errcode = 'P0001', message = 'blast_not_found';
  end if;
  select count(distinct a) into v_audience from private.blast_audience_ids(v_blast) as a;
  with c as materialized (select * from private.blast_candidates(p_blast_id, true))
  select jsonb_build_object(
    'audience', v_audience,
    'recipients', (select count(*) from c),
    'by_channel', coalesce((
      select jsonb_object_agg(x.channel, jsonb_build_object(
        'recipients', x.n, 'segments_total', x.segments_total,
        'segments_per_message_max', x.segments_max,
        'segments_per_message_avg', round(x.segments_avg, 2),
        'estimated_cost', round(case x.channel when 'sms' then x.segments_total * v_settings.sms_segment_cost
                                               else x.n * v_settings.email_cost end, 4)))
      from (select channel, count(*) as n, sum(segments) as segments_total,
                   max(segments) as segments_max, avg(segments) as segments_avg
            from c group by channel) x), '{}'::jsonb),
    'by_variant', coalesce((
      select jsonb_agg(jsonb_build_object('channel', y.channel, 'variant', y.variant, 'recipients', y.n)
                       order by y.channel, y.variant)
      from (select channel, variant, count(*) as n from c group by channel, variant) y), '[]'::jsonb),
    'estimated_cost', round(coalesce((select sum(case channel when 'sms' then segments * v_settings.sms_segment_cost
                                                     else v_settings.email_cost end) from c), 0), 4),
    'samples', coalesce((
      select jsonb_agg(jsonb_build_object('contact_id', s.contact_id, 'channel', s.channel, 'variant', s.variant,
                                          'subject', s.subject, 'body', s.body, 'segments', s.segments,
                                          'encoding', case s.channel when 'sms' then public.sms_encoding(s.body) end))
      from (select * from c order by c.channel, c.to_address limit greatest(p_samples, 0)) s), '[]'::jsonb)
  ) into v_result;
  return v_result;
end
$$;
comment on function public.preview_blast(uuid, integer) is
  'Preview a blast without sending: audience and eligible recipients per channel and variant, segments per message, estimated cost, sample renders.';
grant execute on function public.preview_blast(uuid, integer) to authenticated, service_role;

create function public.start_blast(p_blast_id uuid) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status not in ('draft', 'scheduled') then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be started.', v_blast.status);
  end if;
  return private.start_blast_locked(v_blast, now());
end
$$;
comment on function public.start_blast(uuid) is
  'Send a draft or scheduled blast now: take the recipient snapshot and set it sending.';
grant execute on function public.start_blast(uuid) to authenticated, service_role;

create function public.schedule_blast(p_blast_id uuid, p_send_at timestamptz) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status not in ('draft', 'scheduled') then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be scheduled.', v_blast.status);
  end if;
  if p_send_at is null then
    raise exception using errcode = 'P0001', message = 'invalid_schedule', detail = 'Give a send time.';
  end if;
  perform private.assert_blast_ready(v_blast);
  update public.blasts set status = 'scheduled', scheduled_at = p_send_at where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.schedule_blast(uuid, timestamptz) is
  'Schedule a ready blast; the snapshot is taken when its time comes (by the workers'' claim).';
grant execute on function public.schedule_blast(uuid, timestamptz) to authenticated, service_role;

create function public.pause_blast(p_blast_id uuid, p_reason text default 'Paused by staff') returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status = 'paused' then
    return v_blast;
  end if;
  if v_blast.status <> 'sending' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be paused.', v_blast.status);
  end if;
  update public.blasts set status = 'paused', paused_reason = p_reason where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.pause_blast(uuid, text) is
  'Pause a sending blast (idempotent): claims stop at once; messages already handed to a worker finish.';
grant execute on function public.pause_blast(uuid, text) to authenticated, service_role;

create function public.resume_blast(p_blast_id uuid) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status = 'sending' then
    return v_blast;
  end if;
  if v_blast.status <> 'paused' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = format('A %s blast cannot be resumed.', v_blast.status);
  end if;
  update public.blasts set status = 'sending', paused_reason = null where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.resume_blast(uuid) is 'Resume a paused blast (idempotent).';
grant execute on function public.resume_blast(uuid) to authenticated, service_role;

create function public.cancel_blast(p_blast_id uuid) returns public.blasts
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_blast public.blasts;
  v_cancelled integer;
begin
  perform private.assert_messaging_operator();
  v_blast := private.lock_blast(p_blast_id);
  if v_blast.status = 'cancelled' then
    return v_blast;
  end if;
  if v_blast.status = 'completed' then
    raise exception using errcode = 'P0001', message = 'invalid_blast_transition',
      detail = 'A completed blast cannot be cancelled.';
  end if;
  update public.blast_recipients set status = 'cancelled', skip_reason = 'blast_cancelled'
   where blast_id = p_blast_id and status = 'pending';
  get diagnostics v_cancelled = row_count;
  -- Claimed but not yet sending: the worker's mark_message_sending will refuse them anyway.
  update public.messages set status = 'cancelled', error_code = 'blast_cancelled'
   where blast_id = p_blast_id and status = 'queued';
  update public.blasts
     set status = 'cancelled', cancelled_at = now(), skipped_count = skipped_count + v_cancelled
   where id = p_blast_id
  returning * into v_blast;
  return v_blast;
end
$$;
comment on function public.cancel_blast(uuid) is
  'Cancel a blast (idempotent): pending recipients and queued messages are cancelled; sends in flight finish.';
grant execute on function public.cancel_blast(uuid) to authenticated, service_role;

-- ============================================================================================
-- Realtime
-- ============================================================================================

-- Realtime may already stream blasts (switched on in the dashboard before the first push):
-- add only what is not yet in the publication, since `add table` fails on a member.
do $$
declare
  v_table regclass;
begin
  foreach v_table in array array['public.blasts']::regclass[] loop
    if not exists (select from pg_catalog.pg_publication_tables p
                   where p.pubname = 'supabase_realtime'
                     and format('%I.%I', p.schemaname, p.tablename)::regclass = v_table) then
      execute format('alter publication supabase_realtime add table %s', v_table);
    end if;
  end loop;
end
$$;
