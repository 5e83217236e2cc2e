-- The door team on the event page (issue 13): organizers add volunteers to public.event_staff
-- straight through PostgREST under its RLS policies. Who added someone is then recorded by the
-- database (the caller), never taken from the client: the column defaults to the caller and the
-- insert policy refuses any other value.
-- No new refusal codes: a forged added_by is an RLS refusal (42501) like any other.

alter table public.event_staff alter column added_by set default auth.uid();
comment on column public.event_staff.added_by is
  'Who put this person on the event''s team: the inserting organizer (the default; the insert policy allows no other).';

alter policy "Organizers can add event staff" on public.event_staff
  with check (
    (select private.has_staff_level('organizer'))
    and added_by is not distinct from (select auth.uid())
  );
