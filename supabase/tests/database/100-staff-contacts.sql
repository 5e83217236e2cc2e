begin;
select plan(3);
do $$ begin
  perform tests.make_staff('owner1', 'owner');
  perform tests.make_staff('vol1', 'volunteer');
  perform tests.make_attendee('att1', '13055550101');
end $$;
select tests.authenticate_as('owner1');
select ok((select private.has_staff_level('admin')), 'owner is admin+');
select tests.authenticate_as('vol1');
select ok(not (select private.has_staff_level('organizer')), 'volunteer is not organizer');
select tests.authenticate_as('att1');
select results_eq('select phone::text from public.contacts', array['+13055550101'], 'attendee sees own contact');
select * from finish();
rollback;
