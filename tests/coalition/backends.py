"""E-mail backends for fault tests: set with override_settings(EMAIL_BACKEND=...), steered by class state.

Both keep what they deliver in django.core.mail.outbox, as the locmem backend does.
"""

import smtplib
import threading
import time

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses, as a mail server answering 550, every message to an address in ``refused``."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            bad = {a: (550, b"5.1.1 mailbox unavailable") for a in message.recipients() if a in self.refused}
            if bad:
                raise smtplib.SMTPRecipientsRefused(bad)
        return super().send_messages(messages)


class FlakyBackend(EmailBackend):
    """The first ``failures[address]`` messages to ``address`` fail as a dropped connection does."""

    failures: dict[str, int] = {}
    attempts: list[tuple[str, ...]] = []
    delay = 0.0
    _lock = threading.Lock()

    def send_messages(self, messages):
        for message in messages:
            with self._lock:
                FlakyBackend.attempts.append(tuple(message.to))
                for address in message.recipients():
                    if self.failures.get(address, 0) > 0:
                        self.failures[address] -= 1
                        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if self.delay:
                time.sleep(self.delay)  # so that concurrent runs overlap while they send
        return super().send_messages(messages)

    @classmethod
    def reset(cls, failures=None, delay=0.0):
        cls.failures, cls.attempts, cls.delay = dict(failures or {}), [], delay


REFUSING = "tests.coalition.backends.RefusingBackend"
FLAKY = "tests.coalition.backends.FlakyBackend"
