-- Consent growth on the dashboard, checked against a hand-counted ledger: only changes count
-- (a repeated opt-in or an opt-out of someone never in changes nothing); organizers read it,
-- volunteers and anon do not.
begin;
select plan(4);
select tests.clear_people_data();
truncate public.consent_events cascade;
select tests.make_people_cast();

insert into public.contacts (id, phone, email, first_name) values
  ('00000000-0000-0000-0000-0000000007a1', '+13055550801', 'ana@growth.example', 'Ana'),
  ('00000000-0000-0000-0000-0000000007b1', '+13055550802', null, 'Ben'),
  ('00000000-0000-0000-0000-0000000007c1', '+13055550803', null, 'Cy');
insert into public.consent_events (contact_id, channel, status, source, created_at) values
  -- September: Ana opts in to texts; Cy opts out without ever having opted in.
  ('00000000-0000-0000-0000-0000000007a1', 'sms', 'opted_in', 'form', '2026-09-10 12:00Z'),
  ('00000000-0000-0000-0000-0000000007c1', 'sms', 'opted_out', 'keyword', '2026-09-12 12:00Z'),
  -- October: Ana opts out of texts and in to email; Ben opts in twice (once counts).
  ('00000000-0000-0000-0000-0000000007a1', 'sms', 'opted_out', 'keyword', '2026-10-02 12:00Z'),
  ('00000000-0000-0000-0000-0000000007a1', 'email', 'opted_in', 'form', '2026-10-03 12:00Z'),
  ('00000000-0000-0000-0000-0000000007b1', 'sms', 'opted_in', 'form', '2026-10-05 12:00Z'),
  ('00000000-0000-0000-0000-0000000007b1', 'sms', 'opted_in', 'staff', '2026-10-06 12:00Z');

select tests.act_as('organizer');
select results_eq(
  $$select channel::text, to_char(month, 'YYYY-MM'), opted_in, opted_out, opted_in_total
      from public.dashboard_consent_growth order by channel, month$$,
  $$values ('email', '2026-10', 1, 0, 1),
           ('sms', '2026-09', 1, 0, 1),
           ('sms', '2026-10', 1, 1, 1)$$,
  'organizer reads consent growth: ins, outs and the month-end total per channel');
select tests.act_as('admin');
select is((select count(*)::int from public.dashboard_consent_growth), 3, 'admin reads it too');
select tests.act_as('volunteer');
select is((select count(*)::int from public.dashboard_consent_growth), 0, 'volunteer reads no consent growth');
select tests.act_as('anon');
select throws_ok($$select * from public.dashboard_consent_growth$$, '42501', null, 'anon cannot read it');

select * from finish();
rollback;
