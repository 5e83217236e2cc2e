"""The webhook server: Twilio inbound texts and status callbacks, MailerSend activity events."""
