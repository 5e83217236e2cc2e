"""Local stand-ins for Twilio and MailerSend (laptops and tests only; never deployed).

One ASGI server answers the slice of both providers' HTTP APIs that the official SDKs use,
records everything, calls our webhooks back signed exactly as the providers sign them, and
injects faults on demand so the workers' failure handling can be exercised for real.
"""
