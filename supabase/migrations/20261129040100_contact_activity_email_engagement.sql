-- The contact timeline shows whether an email was opened or clicked (issue 15 item 2, with the
-- first open / click that 20261129010000_segment_messaging_rules records on public.messages):
-- a message entry's detail gains opened_at and clicked_at (null for texts and unopened emails).
-- Nothing else changes: same arguments, columns, rights and refusals.
--
-- Moved here: public.contact_activity(uuid, timestamptz, integer) from
-- 20261125004000_crm_contacts_list.sql.

-- ============================================================================================
-- Public functions
-- ============================================================================================

create function public.contact_activity(
  p_contact_id uuid,
  p_before timestamptz default null,
  p_limit integer default 50
) returns table (occurred_at timestamptz, kind text, detail jsonb, ref_id text, actor_id uuid)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_before timestamptz := coalesce(p_before, 'infinity'::timestamptz);
begin
  perform private.require_staff_level('organizer');
  if p_limit is null or p_limit not between 1 and 200 then
    raise exception using errcode = 'P0001', message = 'invalid_argument', detail = 'A page is 1 to 200 entries.';
  end if;
  return query
  select * from (
    (select ci.checked_in_at, 'check_in'::text,
            jsonb_build_object('event_id', e.id, 'event_name', e.name, 'method', ci.method),
            ci.id::text, ci.checked_in_by
       from public.check_ins ci join public.events e on e.id = ci.event_id
      where ci.contact_id = p_contact_id and ci.checked_in_at < v_before
      order by ci.checked_in_at desc limit p_limit)
    union all
    (select i.occurred_at, 'interaction'::text,
            jsonb_build_object('kind', i.kind, 'body', i.body, 'attachments', i.attachments),
            i.id::text, i.author_id
       from public.interactions i
      where i.contact_id = p_contact_id and i.occurred_at < v_before
      order by i.occurred_at desc limit p_limit)
    union all
    (select pj.created_at, 'print'::text,
            jsonb_build_object('reprint', pj.reprint_of is not null, 'status', pj.status),
            pj.id::text, pj.requested_by
       from public.print_jobs pj
      where pj.contact_id = p_contact_id and pj.created_at < v_before
      order by pj.created_at desc limit p_limit)
    union all
    (select m.created_at, 'message'::text,
            jsonb_build_object('direction', m.direction, 'channel', m.channel, 'status', m.status,
                               'body', left(m.body, 500), 'subject', m.subject, 'conversation_id', m.conversation_id,
                               'blast_id', m.blast_id, 'blast_name', b.name, 'error_code', m.error_code,
                               'opened_at', m.opened_at, 'clicked_at', m.clicked_at),
            m.id::text, m.sent_by
       from public.messages m left join public.blasts b on b.id = m.blast_id
      where m.contact_id = p_contact_id and m.created_at < v_before
      order by m.created_at desc limit p_limit)
    union all
    (select cv.created_at, 'conversation'::text,
            jsonb_build_object('status', cv.status, 'assigned_to', cv.assigned_to),
            cv.id::text, null::uuid
       from public.conversations cv
      where cv.contact_id = p_contact_id and cv.created_at < v_before
      order by cv.created_at desc limit p_limit)
    union all
    (select ce.created_at, 'consent'::text,
            jsonb_build_object('channel', ce.channel, 'status', ce.status, 'source', ce.source, 'note', ce.note),
            ce.id::text, ce.recorded_by
       from public.consent_events ce
      where ce.contact_id = p_contact_id and ce.created_at < v_before
      order by ce.created_at desc limit p_limit)
    union all
    (select mc.updated_at, 'merge'::text,
            jsonb_build_object('merged_contact_id', mc.id, 'first_name', mc.first_name, 'last_name', mc.last_name),
            mc.id::text, null::uuid
       from public.contacts mc
      where mc.merged_into = p_contact_id and mc.updated_at < v_before
      order by mc.updated_at desc limit p_limit)
    union all
    (select c.created_at, 'created'::text, jsonb_build_object('source', c.source), c.id::text, null::uuid
       from public.contacts c
      where c.id = p_contact_id and c.created_at < v_before)
  ) t (occurred_at, kind, detail, ref_id, actor_id)
  order by 1 desc, 4 desc
  limit p_limit;
end
$$;
comment on function public.contact_activity(uuid, timestamptz, integer) is
  'Organizers: one page of a contact''s timeline, newest first, strictly before p_before: check-ins, interactions, name tags, every message in and out with status (and its blast; an email''s first open and click), conversations, consent changes, merges, creation. Errors: not_allowed, invalid_argument.';
grant execute on function public.contact_activity(uuid, timestamptz, integer) to authenticated, service_role;
