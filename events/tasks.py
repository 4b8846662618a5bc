"""Thin Celery tasks: each calls a service; all are safe to run twice or at once.

Registration e-mails go through the outbox (coalition.mail and its tasks).
"""
