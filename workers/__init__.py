"""Messaging workers: deliver what the database queued (Twilio SMS, MailerSend email) and take in
the providers' webhooks. The database decides who gets what and when; these processes only
claim work through SQL, call the provider at its pace and record what happened."""
