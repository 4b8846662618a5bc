"""Report requests: what staff asked for, where its build stands, and the PDF it produced."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalition import storage as file_storage

# Under REPORTS_ROOT or the bucket's reports prefix, never under a public URL; read through a view.
report_storage = file_storage.storage("reports")
reports_root = file_storage.reports_root


def _report_storage():
    return report_storage


def report_upload_to(instance, filename):
    # Nothing in the stored name says what the file is: it is found through the row only.
    return f"{instance.requested_at:%Y/%m}/{uuid.uuid4().hex}.pdf"


def new_verification_code() -> str:
    # 20 characters from a 32-letter alphabet without look-alikes: 100 bits, typed from paper if need be.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


class Kind(models.TextChoices):
    ANNUAL = "annual", _("Annual Coalition report")
    PROFILE = "profile", _("Country profile")
    CERTIFICATE = "certificate", _("Membership certificate")
    RECAP = "recap", _("Core Group meeting recap")


class ReportRequest(models.Model):
    """One PDF asked for by staff (or the schedule), built by a Celery task.

    States: ``queued`` → ``building`` → ``ready`` | ``failed``; a failed request may be queued again.
    While a build runs, its worker holds a PostgreSQL advisory lock on the request: a ``building``
    row whose lock is free was left by a worker that died, and the sweep queues it again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.BUILDING)

    kind = models.CharField(_("report"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # A recap covers the 12 months before this day (the Core Group meeting's).
    until = models.DateField(_("meeting date"), null=True, blank=True)
    country = models.ForeignKey(
        "members.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="report_requests",
        verbose_name=_("country"),
    )
    # What a certificate confirms, fixed when it is requested.
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("membership"),
    )
    term = models.ForeignKey(
        "members.Term", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("term"),
    )
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, null=True, blank=True, editable=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.TextField(_("reason for the failure"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("build attempts"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"), help_text=_("Empty for reports built on schedule."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("build started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    worker = models.CharField(_("built by"), max_length=200, blank=True, editable=False)
    file = models.FileField(_("file"), storage=_report_storage, upload_to=report_upload_to, blank=True, max_length=200)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    notified_at = models.DateTimeField(_("requester told at"), null=True, blank=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True,
        help_text=_("Annual reports and country profiles can be downloaded by anyone once published."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "started_at"], name="report_status_started"),
        ]
        constraints = [
            # The same report is never queued or built twice at once.
            models.UniqueConstraint(
                fields=["kind", "year", "until", "country", "language"], nulls_distinct=False,
                condition=models.Q(status__in=["queued", "building"]), name="report_one_active_build",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "building", "ready", "failed"]), name="report_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="annual") | models.Q(year__isnull=False, country__isnull=True),
                name="report_annual_has_year",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["annual", "recap"]) | models.Q(country__isnull=False),
                name="report_country_report_has_country",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="recap")
                | models.Q(until__isnull=False, year__isnull=True, country__isnull=True),
                name="report_recap_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="certificate")
                | models.Q(verification_code__isnull=False, membership__isnull=False, term__isnull=False),
                name="report_certificate_is_verifiable",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (~models.Q(file="") & models.Q(finished_at__isnull=False)),
                name="report_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed") | ~models.Q(failure_reason=""), name="report_failed_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True)
                | (models.Q(status="ready") & ~models.Q(kind__in=["certificate", "recap"])),
                name="report_published_is_ready_report",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject} · {self.language}"

    @property
    def subject(self) -> str:
        if self.kind == Kind.ANNUAL:
            return str(self.year)
        if self.kind == Kind.RECAP:
            from django.utils.formats import date_format

            return date_format(self.until, "DATE_FORMAT") if self.until else ""
        return str(self.country) if self.country_id else ""

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def download_name(self) -> str:
        if self.kind == Kind.RECAP:
            subject = self.until.isoformat() if self.until else ""
        else:
            subject = self.year if self.kind == Kind.ANNUAL else (self.country.iso3 if self.country_id else "")
        return f"phc-coalition-{self.kind}-{subject}-{self.language}.pdf"


class Digest(models.Model):
    """The monthly secretariat digest: one row per month makes it go out once."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("secretariat digest")
        verbose_name_plural = _("secretariat digests")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"
