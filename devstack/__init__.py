"""Everything that exists only to run and test Hello Miami on one machine, never deployed.

The local Supabase stand-in (`stack`), the Twilio/MailerSend simulators (`simulators`), the
migration runner (`db`), the pgTAP pytest plugin (`pgtap`), test plumbing (`testing`), the
whole-system runner (`dev`, `local_messaging`, `local_cups`) and the `hm stack|db|dev|sim`
command groups. It may import the product (`hm`, `workers`, `pi_agent`); the product never
imports it (tests/test_product_imports.py, and the install checks of the Pi and the workers)."""
