-- CSV import, set-based: a chunk of rows is normalised into a staging set, then resolved with a
-- handful of statements for the whole set (look up by phone and email, insert the new people
-- with ON CONFLICT, update the known ones, record outcomes, consent and counters) instead of a
-- dozen statements and a subtransaction per row. A 10,000-row import went from ~38 s to the
-- figure in bench/crm_import.py's report.
--
-- Rows of one file that are the same person (the same phone or the same email after
-- normalisation) are merged: the first makes or finds the contact, each later one updates it
-- and says "Same person as row N of this file". Rows resolve in rounds so that no round holds
-- two rows for one phone, one email or one contact: the first round takes every row that comes
-- first for its phone and its email (nearly all of them), the next round their duplicates, and
-- so on. A row whose insert met a contact another transaction was creating at the same moment
-- (ON CONFLICT DO NOTHING) simply waits for the next round, where it finds that contact.
--
-- Moved here (reworked, defined once): public.import_contacts (from …000500_crm) and
-- public.run_contact_import_chunk (from …010100_contact_import_jobs).
-- Refusal codes as before: not_allowed, invalid_argument, unknown_import, invalid_transition.
-- Row reasons ("code: detail", as the other row errors) added here: same_person_in_file (an
-- updated or skipped row merged into the contact of row N) and conflict_in_file (an error: the
-- row shares a phone or email with the contact row N of this file created, but the other one
-- differs; with a contact that existed before, it stays the plain conflict).

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- One input row checked and normalised the way the contacts table will take it, or the reason
-- it cannot be: the table's constraints are checked here, row by row, so that the set-based
-- insert never fails half-way for one bad row. Messages keep the earlier `code: detail` form.
create function private.normalise_import_row(
  p_row jsonb,
  p_source text,
  out phone text,
  out email text,
  out first_name text,
  out last_name text,
  out pronouns text,
  out company text,
  out title text,
  out time_zone text,
  out source text,
  out tags text[],
  out custom_fields jsonb,
  out birthday_month smallint,
  out birthday_day smallint,
  out birthday_year smallint,
  out problem text
)
language plpgsql
immutable
set search_path = ''
as $$
declare
  c_fields constant text[] := array['phone', 'email', 'first_name', 'last_name', 'pronouns', 'company',
    'title', 'tags', 'custom_fields', 'time_zone', 'birthday', 'birthday_month', 'birthday_day',
    'birthday_year', 'source'];
  v_row jsonb;
  v_bad_key text;
  v_birthday text[];
  v_parts text[];
  v_month integer;
  v_day integer;
  v_year integer;
begin
  if jsonb_typeof(p_row) is distinct from 'object' then
    problem := 'invalid_row: Each row is a JSON object.';
    return;
  end if;
  -- Empty strings are "no value".
  select coalesce(jsonb_object_agg(e.key, e.value) filter (where e.value not in ('""', 'null')), '{}'),
         min(e.key) filter (where e.key <> all (c_fields))
    into v_row, v_bad_key
    from jsonb_each(p_row) e;
  if v_bad_key is not null then
    problem := format('invalid_row: Unknown column: %s', v_bad_key);
    return;
  end if;
  if v_row ? 'phone' then
    begin
      phone := private.parse_phone(v_row ->> 'phone');
    exception
      when sqlstate 'P0001' then
        declare
          v_message text;
          v_detail text;
        begin
          get stacked diagnostics v_message = message_text, v_detail = pg_exception_detail;
          problem := v_message || coalesce(': ' || nullif(v_detail, ''), '');
          return;
        end;
    end;
  end if;
  email := lower(btrim(v_row ->> 'email'));
  if phone is null and email is null then
    problem := 'invalid_row: A row needs a phone or an email.';
    return;
  end if;
  if email !~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' then
    problem := format('invalid_row: Not an email address: %s', email);
    return;
  end if;
  if v_row ? 'birthday' then
    v_birthday := regexp_match(v_row ->> 'birthday', '^(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})$');
    if v_birthday is null then
      problem := format('invalid_row: Birthday is YYYY-MM-DD or MM-DD: %s', v_row ->> 'birthday');
      return;
    end if;
  end if;
  v_parts := array[coalesce(v_birthday[1], v_row ->> 'birthday_year'),
                   coalesce(v_birthday[2], v_row ->> 'birthday_month'),
                   coalesce(v_birthday[3], v_row ->> 'birthday_day')];
  if v_parts[1] !~ '^\d{1,4}$' or v_parts[2] !~ '^\d{1,4}$' or v_parts[3] !~ '^\d{1,4}$' then
    problem := 'invalid_row: Birthday year, month and day are numbers.';
    return;
  end if;
  v_year := v_parts[1]::integer;
  v_month := v_parts[2]::integer;
  v_day := v_parts[3]::integer;
  -- The contacts table's birthday constraints, named as the table names them.
  if v_month not between 1 and 12 or v_day not between 1 and 31 or v_year not between 1900 and 2100
     or (v_day is not null and v_month is null) or (v_year is not null and v_day is null) then
    problem := 'invalid_row: Birthday month 1-12, day 1-31, year 1900-2100, and no year without a day.';
    return;
  end if;
  if v_day > (case when v_month in (4, 6, 9, 11) then 30
                   when v_month = 2 then
                     case when v_year is null or (v_year % 4 = 0 and (v_year % 100 <> 0 or v_year % 400 = 0))
                          then 29 else 28 end
                   else 31 end) then
    problem := format('invalid_row: Birthday %s is not a date (contacts_birthday_is_a_date).',
                      concat_ws('-', v_year, v_month, v_day));
    return;
  end if;
  time_zone := btrim(v_row ->> 'time_zone');
  if time_zone !~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' then
    problem := format('invalid_row: Not a time zone name (like America/New_York): %s', time_zone);
    return;
  end if;
  custom_fields := coalesce(v_row -> 'custom_fields', '{}');
  if jsonb_typeof(custom_fields) <> 'object' then
    problem := 'invalid_row: Custom fields are a JSON object.';
    return;
  end if;
  first_name := btrim(v_row ->> 'first_name');
  last_name := btrim(v_row ->> 'last_name');
  pronouns := btrim(v_row ->> 'pronouns');
  company := btrim(v_row ->> 'company');
  title := btrim(v_row ->> 'title');
  source := coalesce(btrim(v_row ->> 'source'), p_source);
  tags := case when v_row ? 'tags' then private.parse_tags(v_row -> 'tags') else '{}' end;
  birthday_month := v_month;
  birthday_day := v_day;
  birthday_year := v_year;
end
$$;
comment on function private.normalise_import_row(jsonb, text) is
  'One import row checked against what the contacts table accepts and normalised (phone E.164, email lower case, tags, birthday parts), or the problem with it.';
grant execute on function private.normalise_import_row(jsonb, text) to authenticated, service_role;

create function private.import_same_person_reason(p_first_row integer) returns text
language sql
immutable
set search_path = ''
as $$
  select format('same_person_in_file: Same person as row %s of this file; merged into one contact.', p_first_row)
$$;
comment on function private.import_same_person_reason(integer) is
  'The reason shown on an import row that is the same person as an earlier row of the file (code same_person_in_file; the web app reads the row number).';
grant execute on function private.import_same_person_reason(integer) to authenticated, service_role;

-- Invoker, like import_contacts: the contacts are written as the organizer, under RLS, and
-- audited by the contacts trigger. The staging table is the transaction's own temporary table;
-- it has no statistics when the statements below are planned, so the planner would take every
-- join with it for a one-row nested loop (0.6 s for 500 rows); hash joins are what fits. JIT
-- off: the cost penalty of the nested loops that remain (the lateral row normaliser) would
-- otherwise compile each statement (0.5 s a chunk).
create function private.import_contact_rows(
  p_rows jsonb,
  p_update_existing boolean,
  p_source text
) returns table (row_number integer, status text, contact_id uuid, reason text)
language plpgsql
set search_path = ''
set enable_nestloop = off
set jit = off
as $$
declare
  v_round integer := 0;
  v_resolved integer;
begin
  perform private.require_staff_level('organizer');
  -- Created and dropped by each call: one transaction may import as several roles (a preview
  -- as the organizer, a chunk as the definer), and a temporary table belongs to its creator.
  create temporary table import_batch (
    n integer primary key,
    phone public.phone_e164,
    email text,
    first_name text,
    last_name text,
    pronouns text,
    company text,
    title text,
    time_zone text,
    source text,
    tags text[],
    custom_fields jsonb,
    birthday_month smallint,
    birthday_day smallint,
    birthday_year smallint,
    round integer,
    target uuid,
    status text,
    contact_id uuid,
    reason text
  ) on commit drop;

  insert into pg_temp.import_batch (n, phone, email, first_name, last_name, pronouns, company, title,
                                    time_zone, source, tags, custom_fields, birthday_month, birthday_day,
                                    birthday_year, status, reason)
  select (r ->> 'n')::integer, x.phone, x.email, x.first_name, x.last_name, x.pronouns, x.company, x.title,
         x.time_zone, x.source, x.tags, x.custom_fields, x.birthday_month, x.birthday_day, x.birthday_year,
         case when x.problem is not null then 'error' end, x.problem
    from jsonb_array_elements(p_rows) r, private.normalise_import_row(r -> 'row', p_source) x;

  loop
    v_round := v_round + 1;
    -- This round: each pending row that comes first for its phone and for its email.
    update pg_temp.import_batch b set round = v_round, target = null
      from (select p.n,
                   min(p.n) over (partition by coalesce(p.phone::text, 'n' || p.n)) as first_for_phone,
                   min(p.n) over (partition by coalesce(p.email, 'n' || p.n)) as first_for_email
              from pg_temp.import_batch p where p.status is null) f
     where b.n = f.n and f.n = f.first_for_phone and f.n = f.first_for_email;
    exit when not found;

    -- The contacts they match; a phone and an email of two different people is a conflict.
    with matches as materialized (
      select p.n,
             (select c.id from public.contacts c where c.phone = p.phone) as by_phone,
             (select c.id from public.contacts c where lower(c.email) = p.email) as by_email
        from pg_temp.import_batch p where p.round = v_round
    )
    update pg_temp.import_batch b
       set target = coalesce(m.by_phone, m.by_email),
           status = case when m.by_phone <> m.by_email then 'error' end,
           reason = case when m.by_phone <> m.by_email then
             'conflict: The phone and the email belong to two different contacts (merge them first).' end
      from matches m
     where b.n = m.n;
    -- One row per contact in a round: a later row for the same contact waits for the next.
    update pg_temp.import_batch b set round = null
      from (select p.n, min(p.n) over (partition by p.target) as first_for_target
              from pg_temp.import_batch p where p.round = v_round and p.status is null and p.target is not null) t
     where b.n = t.n and t.n <> t.first_for_target;

    -- Known people: lock them, refuse a different phone or email, then skip or update.
    perform 1 from public.contacts c
     where c.id in (select p.target from pg_temp.import_batch p where p.round = v_round and p.status is null)
     order by c.id
       for update of c;
    update pg_temp.import_batch b
       set status = case
             when (c.phone is not null and b.phone is not null and c.phone <> b.phone)
               or (c.email is not null and b.email is not null and lower(c.email) <> b.email) then 'error'
             when not p_update_existing then 'skipped'
             when (coalesce(c.phone, b.phone), coalesce(c.email, b.email), coalesce(b.first_name, c.first_name),
                   coalesce(b.last_name, c.last_name), coalesce(b.pronouns, c.pronouns),
                   coalesce(b.company, c.company), coalesce(b.title, c.title), coalesce(b.time_zone, c.time_zone),
                   array(select distinct t from unnest(c.tags || b.tags) t order by 1),
                   c.custom_fields || b.custom_fields, coalesce(b.birthday_month, c.birthday_month),
                   coalesce(b.birthday_day, c.birthday_day), coalesce(b.birthday_year, c.birthday_year))
                  is not distinct from
                  (c.phone, c.email, c.first_name, c.last_name, c.pronouns, c.company, c.title, c.time_zone,
                   array(select distinct t from unnest(c.tags) t order by 1), c.custom_fields,
                   c.birthday_month, c.birthday_day, c.birthday_year) then 'skipped'
             else 'updated' end,
           contact_id = c.id,
           reason = case
             when (c.phone is not null and b.phone is not null and c.phone <> b.phone)
               or (c.email is not null and b.email is not null and lower(c.email) <> b.email) then
               coalesce(
                 (select format('conflict_in_file: Shares a phone or email with row %s of this file, but the other one differs (correct one of the two rows).', min(e.n))
                    from pg_temp.import_batch e
                   where e.contact_id = c.id and e.n < b.n and e.status = 'inserted' having min(e.n) is not null),
                 'conflict: The matching contact has a different phone or email (edit or merge it by hand).')
             when not p_update_existing then 'Contact already exists.'
           end
      from public.contacts c
     where c.id = b.target and b.round = v_round and b.status is null;
    update pg_temp.import_batch b set contact_id = null where b.round = v_round and b.status = 'error';
    update pg_temp.import_batch b set reason = 'No changes.'
     where b.round = v_round and b.status = 'skipped' and b.reason is null;
    update public.contacts c
       set phone = coalesce(c.phone, b.phone),
           email = coalesce(c.email, b.email),
           first_name = coalesce(b.first_name, c.first_name),
           last_name = coalesce(b.last_name, c.last_name),
           pronouns = coalesce(b.pronouns, c.pronouns),
           company = coalesce(b.company, c.company),
           title = coalesce(b.title, c.title),
           time_zone = coalesce(b.time_zone, c.time_zone),
           tags = array(select distinct t from unnest(c.tags || b.tags) t order by 1),
           custom_fields = c.custom_fields || b.custom_fields,
           birthday_month = coalesce(b.birthday_month, c.birthday_month),
           birthday_day = coalesce(b.birthday_day, c.birthday_day),
           birthday_year = coalesce(b.birthday_year, c.birthday_year)
      from pg_temp.import_batch b
     where c.id = b.contact_id and b.round = v_round and b.status = 'updated';

    -- New people, in one insert. A row that met a contact created meanwhile by another
    -- transaction stays pending and finds that contact in the next round.
    with inserted as (
      insert into public.contacts (phone, email, first_name, last_name, pronouns, company, title, tags,
                                   custom_fields, source, time_zone, birthday_month, birthday_day, birthday_year)
      select p.phone, p.email, p.first_name, p.last_name, p.pronouns, p.company, p.title, p.tags,
             p.custom_fields, p.source, p.time_zone, p.birthday_month, p.birthday_day, p.birthday_year
        from pg_temp.import_batch p
       where p.round = v_round and p.status is null and p.target is null
       order by p.n
      on conflict do nothing
      returning id, phone, email
    )
    update pg_temp.import_batch b set status = 'inserted', contact_id = i.id
      from inserted i
     where b.round = v_round and b.status is null and b.target is null
       -- Both as one key, so that the join can hash (this round has each phone and email once).
       and coalesce(b.phone, '') || ' ' || coalesce(b.email, '') = coalesce(i.phone, '') || ' ' || coalesce(i.email, '');

    select count(*) into v_resolved from pg_temp.import_batch p where p.round = v_round and p.status is not null;
    if v_resolved = 0 then
      -- Cannot happen while the contacts' unique keys are phone and email: every conflict is
      -- with a committed contact the next round finds. Stop rather than loop forever.
      raise exception using errcode = 'P0001', message = 'import_stalled',
        detail = 'No row of the batch could be resolved; nothing was imported.';
    end if;
  end loop;

  -- A later row with the phone or the email of an earlier row, merged into its contact, says so.
  update pg_temp.import_batch b set reason = private.import_same_person_reason(f.first_row)
    from (select p.n,
                 least(case when p.phone is not null then min(p.n) over (partition by p.contact_id, p.phone) end,
                       case when p.email is not null then min(p.n) over (partition by p.contact_id, p.email) end)
                   as first_row
            from pg_temp.import_batch p where p.contact_id is not null) f
   where b.n = f.n and f.first_row < f.n;

  return query select b.n, b.status, b.contact_id, b.reason from pg_temp.import_batch b order by b.n;
  drop table pg_temp.import_batch;
end
$$;
comment on function private.import_contact_rows(jsonb, boolean, text) is
  'Set-based import of [{n, row}] (row as in import_contacts): one result per n — inserted | updated | skipped | error with the reason; rows of one batch that are the same person are merged.';
grant execute on function private.import_contact_rows(jsonb, boolean, text) to authenticated, service_role;

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.import_contacts(
  p_rows jsonb,
  p_update_existing boolean default true,
  p_source text default 'import'
) returns table (row_number integer, status text, contact_id uuid, reason text)
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_staff_level('organizer');
  if p_rows is null or jsonb_typeof(p_rows) <> 'array' then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'p_rows is a JSON array of objects.';
  end if;
  return query
  select * from private.import_contact_rows(
    (select coalesce(jsonb_agg(jsonb_build_object('n', e.n, 'row', e.row) order by e.n), '[]')
       from jsonb_array_elements(p_rows) with ordinality e(row, n)),
    p_update_existing, p_source);
end
$$;
comment on function public.import_contacts(jsonb, boolean, text) is
  'Organizers/service role: upsert a batch of contacts (JSON objects with phone, email, first_name, last_name, pronouns, company, title, tags, custom_fields, time_zone, birthday, source), deduplicated by phone then email; rows of the batch that are the same person are merged. One result per row: inserted | updated | skipped | error with reason; a bad row never aborts the batch.';
grant execute on function public.import_contacts(jsonb, boolean, text) to authenticated, service_role;

-- One chunk: lock the import (runners of one import take turns, so two chunks never write the
-- same contact at once), claim pending rows (skip locked), import them in one set, then record
-- outcomes, consent and counters with one statement each; the last chunk marks the import
-- done (audited). Returns the rows still pending.
create function public.run_contact_import_chunk(p_import_id uuid, p_size integer default 500) returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_import public.contact_imports;
  v_claimed jsonb;
  v_outcome jsonb;
  v_pending integer;
begin
  perform private.require_staff_level('organizer');
  select * into v_import from public.contact_imports i where i.id = p_import_id for update;
  if not found then
    raise exception using errcode = 'P0001', message = 'unknown_import', detail = 'No such import.';
  end if;
  if v_import.status = 'draft' then
    raise exception using errcode = 'P0001', message = 'invalid_transition', detail = 'Start the import first.';
  end if;
  -- A runner that resumes a finished import finds nothing to do.
  if v_import.status = 'done' then
    return 0;
  end if;
  if p_size is null or p_size not between 1 and 5000 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'A chunk is 1 to 5,000 rows.';
  end if;
  select jsonb_agg(jsonb_build_object('n', c.row_number, 'mapped', private.map_import_row(c.cells, v_import.mapping))
                   order by c.row_number)
    into v_claimed
    from (select r.row_number, r.cells from public.contact_import_rows r
           where r.import_id = p_import_id and r.status is null
           order by r.row_number
           limit p_size
             for update skip locked) c;
  if v_claimed is not null then
    -- Each claimed row's outcome, once: {n, status, contact_id, reason, consent}.
    with imported as (
      select * from private.import_contact_rows(
        (select coalesce(jsonb_agg(jsonb_build_object('n', c ->> 'n', 'row', c -> 'mapped' -> 'row')), '[]')
           from jsonb_array_elements(v_claimed) c where not c -> 'mapped' ? 'error'),
        true, v_import.source)
    )
    select jsonb_agg(jsonb_build_object(
             'n', (c ->> 'n')::integer,
             'status', coalesce(i.status, 'error'),
             'contact_id', i.contact_id,
             'reason', coalesce(c -> 'mapped' ->> 'error', i.reason),
             'consent', c -> 'mapped' -> 'consent'))
      into v_outcome
      from jsonb_array_elements(v_claimed) c
      left join imported i on i.row_number = (c ->> 'n')::integer;
    -- The same person as a row of an earlier chunk.
    select jsonb_agg(case when o ->> 'status' in ('updated', 'skipped') and e.first_row is not null
                          then o || jsonb_build_object('reason', private.import_same_person_reason(e.first_row))
                          else o end)
      into v_outcome
      from jsonb_array_elements(v_outcome) o
      left join lateral (select min(r.row_number) as first_row from public.contact_import_rows r
                          where o ->> 'status' in ('updated', 'skipped')
                            and r.contact_id = (o ->> 'contact_id')::uuid and r.import_id = p_import_id
                            and r.row_number < (o ->> 'n')::integer) e on true;
    update public.contact_import_rows r
       set status = o.status, contact_id = o.contact_id, reason = o.reason
      from jsonb_to_recordset(v_outcome) o (n integer, status text, contact_id uuid, reason text)
     where r.import_id = p_import_id and r.row_number = o.n;
    -- Consent columns, one ledger entry per person and channel. An import never re-subscribes
    -- anyone: an opt-out (a STOP reply, an unsubscribe, or another row of this file) stands until
    -- the person opts in again themselves, so an imported opt-in only fills in unknown consent.
    insert into public.consent_events (contact_id, channel, status, source, note)
    select w.contact_id, w.channel, w.status, 'import', v_import.consent_proof
      from (select o.contact_id, ch.key::public.message_channel as channel,
                   (case when bool_or(ch.value = 'opted_out') then 'opted_out' else 'opted_in' end)::public.consent_status as status
              from jsonb_to_recordset(v_outcome) o (status text, contact_id uuid, consent jsonb)
             cross join jsonb_each_text(coalesce(o.consent, '{}')) ch
             where o.status in ('inserted', 'updated', 'skipped') and o.contact_id is not null
             group by 1, 2) w
      left join public.contact_consents cc on cc.contact_id = w.contact_id and cc.channel = w.channel
     where (w.status = 'opted_out' or cc.status is null) and cc.status is distinct from w.status
     order by w.contact_id, w.channel;
    update public.contact_imports i
       set processed_rows = i.processed_rows + t.rows,
           inserted_rows = i.inserted_rows + t.inserted,
           updated_rows = i.updated_rows + t.updated,
           skipped_rows = i.skipped_rows + t.skipped,
           error_rows = i.error_rows + t.errors,
           updated_at = now()
      from (select count(*) as rows,
                   count(*) filter (where o.status = 'inserted') as inserted,
                   count(*) filter (where o.status = 'updated') as updated,
                   count(*) filter (where o.status = 'skipped') as skipped,
                   count(*) filter (where o.status = 'error') as errors
              from jsonb_to_recordset(v_outcome) o (status text)) t
     where i.id = p_import_id;
  end if;
  select count(*) into v_pending from public.contact_import_rows r where r.import_id = p_import_id and r.status is null;
  if v_pending = 0 then
    update public.contact_imports i set status = 'done', updated_at = now()
     where i.id = p_import_id and i.status = 'running'
    returning * into v_import;
    if found then
      perform private.audit('contact_import_finished', 'contact_imports', p_import_id::text, null, null,
        jsonb_build_object('file_name', v_import.file_name, 'inserted', v_import.inserted_rows,
                           'updated', v_import.updated_rows, 'skipped', v_import.skipped_rows,
                           'errors', v_import.error_rows));
    end if;
  end if;
  return v_pending;
end
$$;
comment on function public.run_contact_import_chunk(uuid, integer) is
  'Organizers/service role: import up to p_size pending rows of a running import as one set (runners of one import take turns; rows claimed skip locked; resumable), record outcomes, consent and counters; returns the rows still pending, marking the import done at 0. Errors: not_allowed, unknown_import, invalid_transition, invalid_argument.';
grant execute on function public.run_contact_import_chunk(uuid, integer) to authenticated, service_role;
