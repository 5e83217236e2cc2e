-- The docs/compliance.md rules as pure functions: keywords, SMS encoding/segments, quiet hours, templates.
begin;
select plan(40);

-- Keywords: case-insensitive, surrounding spaces/punctuation ignored, single word only.
select is(private.classify_sms_keyword(' Stop! ', array['STOP'], array['START'], array['HELP']), 'opt_out', 'STOP with spaces and punctuation is an opt-out');
select is(private.classify_sms_keyword('stopall', array['STOP','STOPALL','UNSUBSCRIBE','CANCEL','END','QUIT','REVOKE','OPTOUT'], array['START'], array['HELP']), 'opt_out', 'STOPALL is an opt-out');
select is(private.classify_sms_keyword('Parar', array['STOP','PARAR','ALTO'], array['START'], array['HELP']), 'opt_out', 'Spanish PARAR is an opt-out when listed');
select is(private.classify_sms_keyword('alto.', array['STOP','PARAR','ALTO'], array['START'], array['HELP']), 'opt_out', 'Spanish ALTO is an opt-out when listed');
select is(private.classify_sms_keyword('PARAR', array['STOP'], array['START'], array['HELP']), null, 'the list is configurable: PARAR is ordinary text when not listed');
select is(private.classify_sms_keyword('please stop texting me', array['STOP'], array['START'], array['HELP']), null, 'a sentence containing STOP is not a keyword');
select is(private.classify_sms_keyword('unstop', array['STOP'], array['START','YES','UNSTOP'], array['HELP']), 'opt_in', 'UNSTOP re-subscribes');
select is(private.classify_sms_keyword('Info?', array['STOP'], array['START'], array['HELP','INFO']), 'help', 'INFO asks for help');
select is(private.classify_sms_keyword('STOP', array['STOP'], array['STOP'], array['HELP']), 'opt_out', 'a word in both lists stays an opt-out');
select is(private.classify_sms_keyword(null, array['STOP'], array['START'], array['HELP']), null, 'an empty body is no keyword');
select is(private.classify_twilio_opt_out_type('STOP'), 'opt_out', 'Twilio OptOutType STOP');
select is(private.classify_twilio_opt_out_type('START'), 'opt_in', 'Twilio OptOutType START');
select is(private.classify_twilio_opt_out_type('HELP'), 'help', 'Twilio OptOutType HELP');
select is(private.classify_twilio_opt_out_type(null), null, 'no OptOutType');

-- Encoding and segments (160/153 GSM-7, 70/67 UCS-2).
select is(public.sms_encoding('Hi {Ana} [x] ~ €5'), 'gsm7', 'GSM-7 with extension characters');
select is(public.sms_units('a{b'), 4, 'an extension character counts two septets');
select is(public.sms_encoding('It’s on'), 'ucs2', 'one curly quote makes the message UCS-2');
select is(public.sms_encoding('See you 🎉'), 'ucs2', 'one emoji makes the message UCS-2');
select is(public.sms_segments(repeat('a', 160)), 1, '160 GSM-7 characters: 1 segment');
select is(public.sms_segments(repeat('a', 161)), 2, '161 GSM-7 characters: 2 segments');
select is(public.sms_segments(repeat('a', 306)), 2, '306 GSM-7 characters: 2 segments of 153');
select is(public.sms_segments(repeat('a', 307)), 3, '307 GSM-7 characters: 3 segments');
select is(public.sms_segments(repeat('ж', 70)), 1, '70 UCS-2 characters: 1 segment');
select is(public.sms_segments(repeat('ж', 71)), 2, '71 UCS-2 characters: 2 segments');
select is(public.sms_segments(repeat('ж', 135)), 3, '135 UCS-2 characters: 3 segments of 67');
select is(public.sms_segments(repeat('😀', 36)), 2, 'emoji count two UTF-16 units each');
select is(public.sms_segments(''), 0, 'empty text: no segment');

-- Quiet hours: [09:00, 20:00) local, per time zone.
select ok(not private.within_send_window('2026-11-22 13:59:00+00', 'America/New_York', '09:00', '20:00'), '08:59 in Miami is quiet');
select ok(private.within_send_window('2026-11-22 14:00:00+00', 'America/New_York', '09:00', '20:00'), '09:00 in Miami is allowed');
select ok(not private.within_send_window('2026-11-23 01:00:00+00', 'America/New_York', '09:00', '20:00'), '20:00 in Miami is quiet');
select ok(private.within_send_window('2026-11-23 01:00:00+00', 'America/Los_Angeles', '09:00', '20:00'), 'the same instant is 17:00 in Los Angeles: allowed');

-- Templates.
select is(public.render_template('Hi {{first_name}}!', '{"first_name":"Ana"}'), 'Hi Ana!', 'merge field rendered');
select is(public.render_template('Hi {{ first_name | friend }}!', '{"first_name":"  "}'), 'Hi friend!', 'blank value falls back to the default');
select is(public.render_template('Hi {{first_name}}!', '{}'), 'Hi !', 'missing value without default renders empty');
select is(public.render_template('Team {{custom.team | none}}', '{"custom":{"team":"Blue"}}'), 'Team Blue', 'custom fields render');
select is(public.render_template('No fields here', '{}'), 'No fields here', 'plain text renders as itself');
select throws_ok($$select public.render_template('Hi {{nickname}}', '{}')$$, 'P0001', 'unknown_merge_field', 'an unknown field is refused');
select throws_ok($$select public.render_template('Hi {{first_name', '{}')$$, 'P0001', 'malformed_merge_field', 'an unclosed merge field is refused');
select is(public.template_merge_fields('{{last_name}} {{first_name}} {{last_name|x}}'), array['first_name', 'last_name'], 'merge fields listed once each');
select throws_ok($$select public.template_merge_fields('{{whatever}}')$$, 'P0001', 'unknown_merge_field', 'listing fields validates too');

select * from finish();
rollback;
