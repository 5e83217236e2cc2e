-- An attendee's own opt-in names the disclosure they were shown.
--
-- record_form_consent refuses an opt-in without the current disclosure (disclosure_required), but
-- the policy that lets attendees write their own ledger rows accepted any 'form' row, so an
-- attendee could opt in through a direct insert with no disclosure at all: an opt-in the ledger
-- cannot prove. The policy now asks for the same thing as the function: an opt-in names a
-- disclosure shown now (not retired) for that channel. Opting out needs no disclosure (no text
-- has to be agreed to, and an opt-out must never be made harder). Organizers keep recording
-- 'form' rows from paper forms without one: their rows carry recorded_by.

-- ============================================================================================
-- Helper functions
-- ============================================================================================

-- SECURITY DEFINER: the ledger's insert policy asks this; reading consent_disclosures under its
-- own RLS from there recurses (one of its policies reads consent_events). Reveals only whether a
-- disclosure is shown now, which every form already shows anyone.
create function private.is_current_disclosure(
  p_disclosure_id uuid,
  p_channel public.message_channel
) returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.consent_disclosures d
                  where d.id = p_disclosure_id and d.channel = p_channel and d.retired_at is null)
$$;
comment on function private.is_current_disclosure(uuid, public.message_channel) is
  'True when the disclosure is the one shown now (not retired) for the channel.';
grant execute on function private.is_current_disclosure(uuid, public.message_channel) to authenticated;

-- ============================================================================================
-- Policies
-- ============================================================================================

alter policy "Attendees can change their own consent" on public.consent_events
  with check (
    contact_id = (select private.current_contact_id())
    and source = 'form'
    and (status <> 'opted_in' or private.is_current_disclosure(disclosure_id, channel))
  );
