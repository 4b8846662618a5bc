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
from pledges.catalogue import CATALOGUE, Unit


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
    # A pledge stays in the language its country wrote it in; pages say which, for screen readers.
    language = models.CharField(
        _("language of the pledge"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the title, vision and commitments are written in."),
    )
    summary_en = models.TextField(
        _("summary in English"), blank=True,
        help_text=_("Optional: a few sentences in English for readers who do not read the pledge's language."),
    )
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


TRACK_STATUS_CHOICES = [("achieved", _("Achieved")), ("on_track", _("On track")), ("off_track", _("Off track")),
                        ("no_data", _("No data"))]


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
    target_date = models.DateField(_("target date"), null=True, blank=True)
    responsible_institution = models.CharField(
        _("responsible institution"), max_length=300, blank=True,
        help_text=_("The ministry, agency or body that answers for this commitment."),
    )
    budget = models.CharField(
        _("budget"), max_length=300, blank=True,
        help_text=_("The amount and its source, e.g. “USD 12 million, state budget 2026–2028”."),
    )
    no_budget_needed = models.BooleanField(_("no budget needed"), default=False)
    # Kept by pledges.monitoring.refresh when a report is published, so that lists filter and count in SQL.
    status = models.CharField(_("progress"), max_length=10, choices=TRACK_STATUS_CHOICES, default="no_data",
                              editable=False)
    history = HistoricalRecords(get_user=history_user, excluded_fields=["status"])

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["pledge", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(levers__contained_by=Lever.values), name="commitment_levers_known"),
            models.CheckConstraint(
                condition=models.Q(components__contained_by=Component.values), name="commitment_components_known",
            ),
            models.CheckConstraint(
                condition=models.Q(no_budget_needed=False) | models.Q(budget=""), name="commitment_budget_or_none",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["achieved", "on_track", "off_track", "no_data"]),
                name="commitment_status_known",
            ),
        ]

    def __str__(self):
        return self.description[:80] or str(_("(commitment without a description)"))

    def get_levers_display(self) -> list[str]:
        return [str(Lever(v).label) for v in self.levers if v in Lever.values]

    def get_components_display(self) -> list[str]:
        return [str(Component(v).label) for v in self.components if v in Component.values]


class TrackStatus(models.TextChoices):
    """Computed from the numbers (pledges.progress), never typed."""

    ACHIEVED = TRACK_STATUS_CHOICES[0]
    ON_TRACK = TRACK_STATUS_CHOICES[1]
    OFF_TRACK = TRACK_STATUS_CHOICES[2]
    NO_DATA = TRACK_STATUS_CHOICES[3]


class ReportingStatus(models.TextChoices):
    UP_TO_DATE = "up_to_date", _("Reporting up to date")
    DUE = "due", _("Report due")
    OVERDUE = "overdue", _("Report overdue")
    INACTIVE = "inactive", _("Inactive: no report published for two years")


def _standard_choices():
    return [(i.code, i.name) for i in CATALOGUE]


class Indicator(models.Model):
    """How a commitment is measured: a number with its unit, from a baseline to a target."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("commitment"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("indicator"), max_length=300, blank=True)
    standard_code = models.CharField(
        _("standard indicator"), max_length=40, blank=True, choices=_standard_choices,
        help_text=_("If the indicator is one of the WHO Global Health Observatory's, choose it here."),
    )
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.PERCENT)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD, EUR, KZT."),
    )
    baseline_value = models.DecimalField(_("baseline"), max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    source = models.CharField(_("data source"), max_length=300, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the figures mean; text of earlier versions that was not a number."),
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["commitment", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(unit__in=Unit.values), name="indicator_unit_known"),
            models.CheckConstraint(
                condition=(models.Q(unit="currency") & models.Q(currency__regex=r"^[A-Z]{3}$"))
                | (~models.Q(unit="currency") & models.Q(currency="")),
                name="indicator_currency_with_currency_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(baseline_year__isnull=True) | models.Q(target_year__isnull=True)
                | models.Q(baseline_year__lte=models.F("target_year")),
                name="indicator_baseline_before_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(unit="yes_no")
                | (models.Q(baseline_value__isnull=True) | models.Q(baseline_value__in=[0, 1]))
                & (models.Q(target_value__isnull=True) | models.Q(target_value__in=[0, 1])),
                name="indicator_yes_no_is_0_or_1",
            ),
        ]

    def __str__(self):
        return self.name or str(_("(indicator without a name)"))


class PledgeVersion(models.Model):
    """What the pledge said when it was submitted, and what the secretariat made of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned with comments")
        ACCEPTED = "accepted", _("Accepted")
        RECALLED = "recalled", _("Recalled by the focal points")

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions", verbose_name=_("pledge"))
    number = models.PositiveSmallIntegerField(_("version"))
    snapshot = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    comment = models.TextField(_("comments of the secretariat"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    commitment_comments = models.JSONField(
        _("comments on commitments"), default=dict, blank=True,
        help_text=_("The secretariat's comment on each commitment, by its number in the pledge."),
    )
    gaps = models.JSONField(
        _("gaps at acceptance"), default=list, blank=True,
        help_text=_("The quality checks the pledge did not meet when it was accepted."),
    )

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


def _private_storage():
    from members.storage import private_storage

    return private_storage


def evidence_upload_to(instance, filename):
    # No country or person in the stored name: the file is fetched through a view that checks who asks.
    import uuid

    return f"evidence/{uuid.uuid4().hex}.pdf"


class CommitmentProgress(models.Model):
    """Where one commitment stands in a progress report."""

    class Completion(models.TextChoices):
        """The completion scale of OGP's Independent Reporting Mechanism, as the focal point judges it."""

        NOT_STARTED = "not_started", _("Not started")
        LIMITED = "limited", _("Limited")
        SUBSTANTIAL = "substantial", _("Substantial")
        COMPLETE = "complete", _("Complete")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("report"))
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="progress", verbose_name=_("commitment"))
    completion = models.CharField(_("completion"), max_length=12, choices=Completion.choices, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    barriers = models.TextField(_("barriers met"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("Links to laws, budgets, statistics or reports; one per line."),
    )
    evidence_file = models.FileField(
        _("evidence document (PDF)"), storage=_private_storage, upload_to=evidence_upload_to, blank=True,
        max_length=200,
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("progress on a commitment")
        verbose_name_plural = _("progress on commitments")
        ordering = ["report", "commitment__position", "commitment__pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "commitment"], name="commitment_progress_once_per_report"),
        ]

    def __str__(self):
        return f"{self.commitment} – {self.get_completion_display() or '…'}"

    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]


class IndicatorValue(models.Model):
    """The value an indicator had in a year, as a progress report gives it; together they are its series."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values", verbose_name=_("report"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    year = models.PositiveSmallIntegerField(_("year the value refers to"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_once_per_report"),
            models.CheckConstraint(condition=models.Q(year__gte=1990, year__lte=2100), name="indicator_value_year_sane"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.year})"


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
