-- Every channel a blast sends on needs an enabled sender of that channel: refused at create and
-- start (blast_missing_sender, or blast_sender_unavailable when it is turned off), unstartable in the preview, with
-- nothing changed by a refusal.
begin;
select plan(14);

select tests.make_messaging_roles();
select tests.make_sms_sender() as sms_sender \gset
select tests.make_email_sender() as email_sender \gset
select tests.make_template('ready sms', 'Hi {{first_name | friend}}!') as sms_tpl \gset
select tests.make_template('ready email', 'Hi!', 'email', 'News') as email_tpl \gset
select tests.make_contact('+13055550952', 'Ana', 'opted_in', 'ana952@example.com', 'opted_in') as ana \gset

create temporary table spec on commit drop as
  select jsonb_build_object('name', 'Ready?', 'channel', 'sms', 'sms_sender_id', :'sms_sender',
    'sms_template_id', :'sms_tpl', 'contact_ids', jsonb_build_array(:'ana')) as s;
grant select on spec to anon, authenticated;

-- ---------------------------------------------------------------- who may not
select tests.act_as('anon');
select throws_ok(format('select public.create_blast(%L)', (select s from spec)), '42501', null, 'anon cannot create');
select tests.act_as('msg_volunteer');
select throws_ok(format('select public.create_blast(%L)', (select s from spec)), null, null, 'volunteers cannot create');

-- ---------------------------------------------------------------- refused at create
-- Senders are admin settings: turned off and on as the database owner here.
select tests.reset_role();
update public.senders set enabled = false where id = :'sms_sender';
select tests.act_as('msg_organizer');
select throws_ok(format('select public.create_blast(%L)', (select s from spec)),
  'P0001', 'blast_sender_unavailable', 'a turned-off sender is refused at create');
select tests.reset_role();
update public.senders set enabled = true where id = :'sms_sender';
select tests.act_as('msg_organizer');
select throws_ok(format('select public.create_blast(%L)', (select s || jsonb_build_object('sms_sender_id', :'email_sender') from spec)),
  'P0001', 'blast_missing_sender', 'an email sender for the SMS channel is no SMS sender');
select throws_ok(format('select public.create_blast(%L)',
    (select s || jsonb_build_object('channel', 'both', 'email_template_id', :'email_tpl') from spec)),
  'P0001', 'blast_missing_sender', 'a ''both'' blast without an email sender is refused');
select is((select count(*)::int from public.blasts), 0, 'the refusals left no blast');

-- ---------------------------------------------------------------- a sender turned off after create
select (public.create_blast((select s || jsonb_build_object('channel', 'both', 'email_template_id', :'email_tpl',
          'email_sender_id', :'email_sender') from spec))).id as blast \gset
select is((public.preview_blast(:'blast') ->> 'startable')::boolean, true, 'with a sender on each channel it is startable');
select tests.reset_role();
update public.senders set enabled = false where id = :'email_sender';
select tests.act_as('msg_organizer');
select is((public.preview_blast(:'blast') ->> 'startable')::boolean, false, 'its email sender turned off, the preview says it cannot start');
select is((select w ->> 'code' from jsonb_array_elements(public.preview_blast(:'blast') -> 'warnings') w
           where w ->> 'code' = 'blast_sender_unavailable'), 'blast_sender_unavailable', 'and warns why');
select throws_ok(format('select public.start_blast(%L)', :'blast'), 'P0001', 'blast_sender_unavailable',
  'start_blast refuses it');
select results_eq(format('select status::text, recipients_total from public.blasts where id = %L', :'blast'),
  $$values ('draft', 0)$$, 'and nothing changed: still a draft, no recipients');
select is((select count(*)::int from public.blast_recipients where blast_id = :'blast'), 0, 'no snapshot rows');
select tests.act_as('msg_volunteer');
select throws_ok(format('select public.preview_blast(%L)', :'blast'), 'P0001', 'not_allowed', 'volunteers cannot preview');

-- ---------------------------------------------------------------- the allowed path
select tests.reset_role();
update public.senders set enabled = true where id = :'email_sender';
select tests.act_as('msg_admin');
select is((public.start_blast(:'blast')).status::text, 'sending', 'with both senders on again an admin starts it');

select * from finish();
rollback;
