"""The outbox: every e-mail of the platform is one row here before it reaches the mail server."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One message (one group of recipients in one language), rendered when it was queued.

    ``key`` is unique, so queueing the same message twice is a no-op: exactly-once is a fact the
    database keeps, whatever retries the callers or workers make.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=80, db_index=True)
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to = ArrayField(models.EmailField(), verbose_name=_("to"))
    cc = ArrayField(models.EmailField(), verbose_name=_("cc"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # [{"name": ..., "content_type": ..., "content": ...}]; the .ics files are text.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # A message that carries a secret (a sign-in or invitation link) is hidden in the admin and
    # its body erased once sent: reading the outbox must not let staff act as someone else.
    sensitive = models.BooleanField(_("contains a secret link"), default=False)
    # Extra message headers, e.g. a newsletter's List-Unsubscribe (RFC 2369, RFC 8058).
    headers = models.JSONField(_("headers"), default=dict, blank=True)

    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    country = models.ForeignKey(
        "members.Country", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("country"),
    )

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="queued"), name="outgoingmail_due"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="outgoingmail_sending"),
            models.Index(fields=["content_type", "object_id"], name="outgoingmail_about"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False),
                                   name="outgoingmail_sent_has_time"),
            models.CheckConstraint(condition=~Q(status="queued") | Q(next_attempt_at__isnull=False),
                                   name="outgoingmail_queued_has_next_attempt"),
            models.CheckConstraint(condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                                   name="outgoingmail_sending_has_claim"),
            models.CheckConstraint(condition=Q(to__len__gt=0), name="outgoingmail_has_recipient"),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"


class Action(models.Model):
    """One thing done through the services: who (a person or a scheduled job), when, what, on what.

    Written by ``coalition.audit`` only, in the same transaction as the change it records, so an
    action is in the log exactly when it happened. Values are kept as they read then (names, dates),
    not as ids, so the log stays readable after the objects change.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("who"),
    )
    job = models.CharField(_("scheduled job"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kind of object"),
    )
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    country = models.ForeignKey(
        "members.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("country"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("activity")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="action_about"),
            models.Index(fields=["country", "-at"], name="action_country_at"),
        ]
        constraints = [
            # A person or a job did it, never both; an action without either was done outside
            # the site and its jobs (a shell, the demo loader).
            models.CheckConstraint(condition=Q(user__isnull=True) | Q(job=""), name="action_one_actor"),
        ]

    def __str__(self):
        return f"{self.action} · {self.object_repr}"
