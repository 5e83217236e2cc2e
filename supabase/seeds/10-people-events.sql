-- Demo people and events (Data model I).
--
-- Demo logins (password for all: hellomiami-demo)
--   owner@hellomiami.local                 owner
--   admin@hellomiami.local                 admin
--   organizer@hellomiami.local             organizer
--   volunteer@hellomiami.local             volunteer
--   station@devices.hellomiami.local       print station "front-door" (CUPS queue Label)
-- Plus 200 contacts (phones +1 305 555 0100 … 0299) with profiles, three events ("January
-- Meetup" and "February Demo Night" in the past with check-ins, "Tonight: Hello Miami" open for
-- check-in now, printing on front-door), interactions and two saved segments.

-- ---------------------------------------------------------------- logins
with logins (email, level, display_name) as (
  values ('owner@hellomiami.local', 'owner', 'Olivia Owner'),
         ('admin@hellomiami.local', 'admin', 'Adam Admin'),
         ('organizer@hellomiami.local', 'organizer', 'Orlando Organizer'),
         ('volunteer@hellomiami.local', 'volunteer', 'Valeria Volunteer'),
         ('station@devices.hellomiami.local', null, 'Front door station')
), users as (
  insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                          raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                          confirmation_token, recovery_token, email_change_token_new, email_change)
  select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', l.email,
         extensions.crypt('hellomiami-demo', extensions.gen_salt('bf')), now(),
         '{"provider": "email", "providers": ["email"]}', jsonb_build_object('display_name', l.display_name),
         now(), now(), '', '', '', ''
    from logins l
  returning id, email
), identities as (
  insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
  select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true),
         'email', now(), now()
    from users u
  returning user_id
)
insert into public.staff (user_id, level, display_name, status)
select u.id, l.level::public.staff_level, l.display_name, 'active'
  from users u join logins l on l.email = u.email
 where l.level is not null;

insert into public.devices (user_id, name, venue, cups_queue, last_seen_at, printer_state)
select id, 'front-door', 'The LAB Miami', 'Label', now(), 'idle'
  from auth.users where email = 'station@devices.hellomiami.local';

-- ---------------------------------------------------------------- contacts and profiles
insert into public.contacts (phone, email, first_name, last_name, pronouns, company, title, tags, custom_fields,
                             source, birthday_month, birthday_day, birthday_year, created_at)
select '+1305555' || lpad((100 + i)::text, 4, '0'),
       case when i % 4 <> 0 then lower(f.name || '.' || l.name || i) || '@example.com' end,
       f.name, l.name,
       (array['she/her', 'he/him', 'they/them', null])[1 + i % 4],
       (array['Acme Labs', 'Tidal Robotics', 'Brickell Bytes', 'Coral Health', 'Wynwood Works', null])[1 + i % 6],
       (array['Engineer', 'Founder', 'Designer', 'Product Manager', 'Student', 'Investor'])[1 + i % 6],
       case when i % 10 = 0 then array['speaker', 'community']
            when i % 7 = 0 then array['sponsor']
            when i % 3 = 0 then array['community']
            else '{}' end,
       jsonb_build_object('t_shirt', (array['S', 'M', 'L', 'XL'])[1 + i % 4], 'interests',
                          (array['AI', 'climate', 'fintech', 'health', 'web3'])[1 + i % 5]),
       (array['import', 'check-in', 'signup'])[1 + i % 3],
       case when i % 5 = 0 then 1 + i % 12 end,
       case when i % 5 = 0 then 1 + i % 28 end,
       case when i % 10 = 0 then 1980 + i % 20 end,
       now() - make_interval(days => 200 - i)
  from generate_series(0, 199) i
  cross join lateral (select (array['Ana', 'Bruno', 'Camila', 'Diego', 'Elena', 'Felipe', 'Gabriela', 'Hector',
                                    'Isabel', 'Javier', 'Karla', 'Luis', 'Maria', 'Nicolas', 'Olga', 'Pablo',
                                    'Quinn', 'Rosa', 'Santiago', 'Tatiana'])[1 + i % 20] as name) f
  cross join lateral (select (array['Alvarez', 'Brown', 'Castro', 'Diaz', 'Evans', 'Fernandez', 'Garcia',
                                    'Herrera', 'Iglesias', 'Johnson', 'Kim', 'Lopez', 'Martinez'])[1 + (i / 20 + i) % 13] as name) l;

insert into public.profiles (contact_id, bio, linkedin_url, github_url)
select c.id, c.first_name || ' works on ' || (c.custom_fields ->> 'interests') || ' in Miami.',
       'https://www.linkedin.com/in/' || lower(c.first_name || '-' || c.last_name),
       case when c.title = 'Engineer' then 'https://github.com/' || lower(c.first_name || c.last_name) end
  from public.contacts c
 where c.phone::text like '+1305555%' and right(c.phone::text, 1)::int % 2 = 0;

-- ---------------------------------------------------------------- events
insert into public.events (slug, name, description, venue, starts_at, ends_at, time_zone, published,
                           default_device_id, created_by)
values
  ('january-meetup', 'January Meetup', 'Lightning talks and tacos.', 'The LAB Miami',
   date_trunc('day', now()) - interval '60 days' + interval '23 hours', date_trunc('day', now()) - interval '59 days' + interval '2 hours',
   'America/New_York', true, (select id from public.devices where name = 'front-door'),
   (select id from auth.users where email = 'organizer@hellomiami.local')),
  ('february-demo-night', 'February Demo Night', 'Ten startups, five minutes each.', 'CIC Miami',
   date_trunc('day', now()) - interval '30 days' + interval '23 hours', date_trunc('day', now()) - interval '29 days' + interval '2 hours',
   'America/New_York', true, (select id from public.devices where name = 'front-door'),
   (select id from auth.users where email = 'organizer@hellomiami.local')),
  ('tonight-hello-miami', 'Tonight: Hello Miami', 'Check in at the door or with your phone.', 'The LAB Miami',
   now() + interval '1 hour', now() + interval '4 hours',
   'America/New_York', true, (select id from public.devices where name = 'front-door'),
   (select id from auth.users where email = 'organizer@hellomiami.local'));

-- The demo volunteer works tonight's door (volunteers read print jobs only of events they work).
insert into public.event_staff (event_id, user_id)
select e.id, u.id from public.events e, auth.users u
 where e.slug = 'tonight-hello-miami' and u.email = 'volunteer@hellomiami.local';

-- Past check-ins: 80 in January, 90 in February (40 of them returning), tags printed.
insert into public.check_ins (event_id, contact_id, method, checked_in_by, checked_in_at)
select e.id, c.id, (array['qr', 'phone', 'self', 'staff'])[1 + c.n % 4],
       (select id from auth.users where email = 'volunteer@hellomiami.local'),
       e.starts_at + make_interval(mins => (c.n % 90)::int)
  from (select id, row_number() over (order by phone) as n from public.contacts where phone is not null) c
  join public.events e on (e.slug = 'january-meetup' and c.n <= 80)
                       or (e.slug = 'february-demo-night' and c.n > 40 and c.n <= 130);

insert into public.print_jobs (event_id, check_in_id, contact_id, device_id, payload, status, attempts,
                               claimed_at, printed_at, created_at, requested_by)
select ci.event_id, ci.id, ci.contact_id, e.default_device_id, private.label_payload(c, e), 'printed', 1,
       ci.checked_in_at, ci.checked_in_at + interval '1 second', ci.checked_in_at, ci.checked_in_by
  from public.check_ins ci
  join public.contacts c on c.id = ci.contact_id
  join public.events e on e.id = ci.event_id;

-- Three people already checked in tonight (through the real function, so their tags are queued).
-- Session-level settings: a seed runner may commit each statement separately.
select set_config('request.jwt.claims', json_build_object('sub', id, 'role', 'authenticated')::text, false)
  from auth.users where email = 'volunteer@hellomiami.local';
select public.check_in((select id from public.events where slug = 'tonight-hello-miami'), p_phone => phone)
  from (values ('+13055550101'), ('+13055550102'), ('+13055550103')) p (phone);
select set_config('request.jwt.claims', '', false);

-- ---------------------------------------------------------------- CRM
insert into public.interactions (contact_id, kind, body, occurred_at, author_id)
select c.id, (array['note', 'call', 'meeting', 'email'])[1 + c.n % 4],
       (array['Interested in sponsoring the spring event.', 'Wants to give a lightning talk about ' || (c.custom_fields ->> 'interests') || '.',
              'Met at the door; new to Miami.', 'Asked about volunteering.'])[1 + c.n % 4],
       now() - make_interval(days => c.n::int),
       (select id from auth.users where email = 'organizer@hellomiami.local')
  from (select id, custom_fields, row_number() over (order by phone) as n from public.contacts) c
 where c.n % 6 = 0;

insert into public.segments (name, description, definition, created_by)
values ('Speakers', 'Everyone tagged speaker', '{"tags_any": ["speaker"]}',
        (select id from auth.users where email = 'organizer@hellomiami.local')),
       ('Regulars with a phone', 'Checked in at least twice, reachable by SMS', '{"min_checkins": 2, "has_phone": true}',
        (select id from auth.users where email = 'organizer@hellomiami.local'));
