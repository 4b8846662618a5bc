"""Focal points, PHC Pledges, their commitments and the yearly progress reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.audit import history_user


class Lever(models.TextChoices):
    """The levers of the WHO-UNICEF PHC Operational Framework (4 strategic, then 10 operational)."""

    POLITICAL_COMMITMENT = "political_commitment", _("Political commitment and leadership")
    GOVERNANCE = "governance", _("Governance and policy frameworks")
    FUNDING = "funding", _("Funding and allocation of resources")
    ENGAGEMENT = "engagement", _("Engagement of communities and other stakeholders")
    MODELS_OF_CARE = "models_of_care", _("Models of care")
    WORKFORCE = "workforce", _("PHC workforce")
    INFRASTRUCTURE = "infrastructure", _("Physical infrastructure")
    MEDICINES = "medicines", _("Medicines and other health products")
    PRIVATE_SECTOR = "private_sector", _("Engagement with private sector providers")
    PURCHASING = "purchasing", _("Purchasing and payment systems")
    DIGITAL = "digital", _("Digital technologies for health")
    QUALITY = "quality", _("Systems for improving the quality of care")
    RESEARCH = "research", _("PHC-oriented research")
    MONITORING = "monitoring", _("Monitoring and evaluation")


STRATEGIC_LEVERS = [Lever.POLITICAL_COMMITMENT, Lever.GOVERNANCE, Lever.FUNDING, Lever.ENGAGEMENT]
OPERATIONAL_LEVERS = [lever for lever in Lever if lever not in STRATEGIC_LEVERS]


class Component(models.TextChoices):
    """The three components of primary health care."""

    INTEGRATED_SERVICES = "integrated_services", _("Integrated health services")
    MULTISECTORAL = "multisectoral", _("Multisectoral policy and action")
    EMPOWERED_PEOPLE = "empowered_people", _("Empowered people and communities")


class FocalPointQuerySet(models.QuerySet):
    def active(self):
        """Not revoked, account active, and the account's e-mail address verified."""
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(
            user=OuterRef("user"), email__iexact=OuterRef("user__email"), verified=True
        )
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(Exists(verified))

    def reminder_recipients(self, country) -> list[tuple[str, str]]:
        """(e-mail, language) of the country's active focal points; members.selectors calls this."""
        return list(
            self.active().filter(country=country).order_by("user__email").values_list("user__email", "user__language")
        )


class FocalPoint(models.Model):
    """A person who speaks for a member country: writes its pledge and its progress reports."""

    country = models.ForeignKey(
        "members.Country", on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("country"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="focal_points", verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("added by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )
    public_contact = models.BooleanField(
        _("public contact"), default=False,
        help_text=_("The focal point agreed to show their name and e-mail on the country's public page."),
    )
    history = HistoricalRecords(get_user=history_user)

    objects = FocalPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        ordering = ["country__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "user"], condition=models.Q(revoked_at__isnull=True),
                name="focal_point_once_per_country",
            ),
        ]

    def __str__(self):
        return _("%(person)s for %(country)s") % {"person": self.user, "country": self.country}


class Invitation(models.Model):
    """An e-mailed, single-use link that makes its holder a focal point; only a hash of it is kept."""

    VALID_DAYS = 7

    country = models.ForeignKey(
        "members.Country", on_delete=models.PROTECT, related_name="invitations", verbose_name=_("country"),
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The invitation and later e-mails are written in this language."),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    focal_point = models.OneToOneField(
        FocalPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation",
        verbose_name=_("focal point"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("revoked by"),
    )
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("focal point invitation")
        verbose_name_plural = _("focal point invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(focal_point__isnull=False),
                name="invitation_accepted_has_focal_point",
            ),
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")), name="invitation_expires_after_sent"),
        ]

    def __str__(self):
        return _("Invitation of %(email)s for %(country)s") % {"email": self.email, "country": self.country}

    def state(self, now) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "pending"


class Pledge(models.Model):
    """A member country's PHC Pledge for one membership term."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        ACCEPTED = "accepted", _("Accepted")
        PUBLISHED = "published", _("Published")

    country = models.ForeignKey("members.Country", on_delete=models.PROTECT, related_name="pledges", verbose_name=_("country"))
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="pledges", verbose_name=_("membership"),
    )
    term = models.OneToOneField("members.Term", on_delete=models.PROTECT, related_name="pledge", verbose_name=_("term"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    vision = models.TextField(_("vision statement"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    prefilled_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("prefilled from"),
    )
    review_comment = models.TextField(
        _("comments of the secretariat"), blank=True,
        help_text=_("Why the pledge was returned; shown to the focal points until they resubmit."),
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["country__name", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "accepted", "published"]), name="pledge_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | models.Q(submitted_at__isnull=False),
                name="pledge_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["accepted", "published"]) | models.Q(accepted_at__isnull=False),
                name="pledge_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="pledge_published_has_time",
            ),
        ]

    def __str__(self):
        return _("%(country)s pledge, term %(number)s") % {"country": self.country, "number": self.term.number}

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.DRAFT and bool(self.review_comment)


class Commitment(models.Model):
    """One commitment of a pledge, with the levers it works through and the indicator that measures it."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("pledge"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.TextField(_("commitment"), blank=True)
    levers = ArrayField(
        models.CharField(max_length=30, choices=Lever.choices), default=list, blank=True,
        verbose_name=_("levers of the PHC Operational Framework"),
    )
    components = ArrayField(
        models.CharField(max_length=30, choices=Component.choices), default=list, blank=True,
        verbose_name=_("PHC components served"),
    )
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    baseline = models.CharField(_("baseline"), max_length=100, blank=True)
    target = models.CharField(_("target"), max_length=100, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["pledge", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(levers__contained_by=Lever.values), name="commitment_levers_known"),
            models.CheckConstraint(
                condition=models.Q(components__contained_by=Component.values), name="commitment_components_known",
            ),
        ]

    def __str__(self):
        return self.description[:80] or str(_("(commitment without a description)"))

    def get_levers_display(self) -> list[str]:
        return [str(Lever(v).label) for v in self.levers if v in Lever.values]

    def get_components_display(self) -> list[str]:
        return [str(Component(v).label) for v in self.components if v in Component.values]


class PledgeVersion(models.Model):
    """What the pledge said when it was submitted, and what the secretariat made of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned with comments")
        ACCEPTED = "accepted", _("Accepted")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions", verbose_name=_("pledge"))
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    comment = models.TextField(_("comments of the secretariat"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["pledge", "number"]
        constraints = [models.UniqueConstraint(fields=["pledge", "number"], name="pledge_version_number_unique")]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}



class ProgressReport(models.Model):
    """A yearly report on a published pledge, due on each anniversary of its publication."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="reports", verbose_name=_("pledge"))
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("comments of the secretariat"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["pledge", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "year"], name="progress_report_once_per_year"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "submitted", "published"]), name="progress_report_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="progress_report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="progress_report_published_has_time",
            ),
        ]

    def __str__(self):
        return _("%(country)s progress report %(year)s") % {"country": self.pledge.country, "year": self.year}

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.DRAFT and bool(self.review_comment)


class CommitmentProgress(models.Model):
    """Where one commitment stands in a progress report."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        ON_TRACK = "on_track", _("On track")
        OFF_TRACK = "off_track", _("Off track")
        ACHIEVED = "achieved", _("Achieved")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("report"))
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="progress", verbose_name=_("commitment"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, blank=True)
    current_value = models.CharField(_("current value of the indicator"), max_length=100, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("progress on a commitment")
        verbose_name_plural = _("progress on commitments")
        ordering = ["report", "commitment__position", "commitment__pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="commitment_progress_once_per_report"),
        ]

    def __str__(self):
        return f"{self.commitment} – {self.get_status_display() or '…'}"


class Reminder(models.Model):
    """One reminder e-mail; the unique key makes each one happen once (as in members.Reminder)."""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("Progress report due in 30 days")
        OVERDUE_DIGEST = "overdue_digest", _("Weekly digest of overdue reports")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        OBSOLETE = "obsolete", _("Not sent: no longer relevant")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    pledge = models.ForeignKey(
        Pledge, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("pledge"),
    )
    key_date = models.DateField(
        _("for"), help_text=_("The report's due date, or the Monday of the digest's week."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recipients = models.TextField(_("recipients"), blank=True)
    created_at = models.DateTimeField(_("due since"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pledge reminder")
        verbose_name_plural = _("pledge reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "pledge", "key_date"], nulls_distinct=False, name="pledge_reminder_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="pledge_reminder_sent_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="overdue_digest") | models.Q(pledge__isnull=False),
                name="pledge_reminder_report_has_pledge",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.key_date})"
