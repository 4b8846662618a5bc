from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalition.audit import history_user
from coalition.content_language import localized_fields
from members import dates


class DateRange(Func):
    """daterange(start, end, '[)'), with an empty end meaning 'open-ended'."""

    function = "DATERANGE"
    output_field = DateRangeField()


class WhoRegion(models.TextChoices):
    AFR = "AFR", _("African Region")
    AMR = "AMR", _("Region of the Americas")
    SEAR = "SEAR", _("South-East Asia Region")
    EUR = "EUR", _("European Region")
    EMR = "EMR", _("Eastern Mediterranean Region")
    WPR = "WPR", _("Western Pacific Region")


class IncomeGroup(models.TextChoices):
    LOW = "L", _("Low income")
    LOWER_MIDDLE = "LM", _("Lower-middle income")
    UPPER_MIDDLE = "UM", _("Upper-middle income")
    HIGH = "H", _("High income")


class Country(models.Model):
    """A WHO Member State (reference data loaded by a migration from members/data/countries.csv)."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    m49 = models.CharField(_("UN M49 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_official = models.CharField(_("official name"), max_length=200)
    who_region = models.CharField(_("WHO region"), max_length=4, choices=WhoRegion.choices)
    income_group = models.CharField(
        _("World Bank income group"), max_length=2, choices=IncomeGroup.choices, blank=True,
        help_text=_("Empty where the World Bank does not classify the economy."),
    )
    fragile = models.BooleanField(
        _("fragile and conflict-affected setting"), default=False,
        help_text=_("On the World Bank's list of fragile and conflict-affected situations."),
    )
    population = models.BigIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_format"),
            models.CheckConstraint(condition=models.Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_format"),
        ]

    def __str__(self):
        return self.local_name

    @property
    def local_name(self) -> str:
        """The name in the active language: WHO's short name in English, CLDR's in the others."""
        return self.name_in()

    def name_in(self, language: str | None = None) -> str:
        from members.names import country_name

        return country_name(self.iso2, self.name, language)


def _private_storage():
    from members.storage import private_storage

    return private_storage


def letter_upload_to(instance, filename):
    # The stored name carries no country or person: files are fetched through a staff-only view.
    import uuid

    return f"letters/{instance.received_on:%Y}/{uuid.uuid4().hex}.pdf"


def notice_upload_to(instance, filename):
    import uuid

    return f"notices/{timezone.localdate():%Y}/{uuid.uuid4().hex}.pdf"


class LetterOfInterest(models.Model):
    """A Declaration / Letter of Interest received by the Secretariat, naming a contact person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="letters", verbose_name=_("country"))
    received_on = models.DateField(_("date received"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_title = models.CharField(_("contact's title"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact's e-mail"), blank=True)
    contact_phone = models.CharField(_("contact's phone"), max_length=50, blank=True)
    contact_language = models.CharField(
        _("contact's language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("Reminders to the contact person are written in this language."),
    )
    letter = models.FileField(
        _("signed letter (PDF)"), storage=_private_storage, upload_to=letter_upload_to, blank=True, max_length=200,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("letter of interest")
        verbose_name_plural = _("letters of interest")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="letter_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending") | models.Q(decided_at__isnull=False),
                name="letter_decision_has_time",
            ),
        ]

    def __str__(self):
        return _("Letter from %(country)s received %(date)s") % {"country": self.country, "date": self.received_on}


class MembershipQuerySet(models.QuerySet):
    """The one vocabulary of membership time: every app asks these, never its own filter."""

    def in_force(self, *, on):
        """Memberships in force on ``on``: begun, not ended, and not past the end an effective notice fixed.

        A membership under notice is still in force until it ends.
        """
        return (
            self.filter(started_on__lte=on)
            .filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))
            .filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gt=on))
        )

    def ended(self, *, on):
        """Memberships over by ``on``: closed in the record, or past the end a notice fixed."""
        return self.filter(models.Q(ended_on__lte=on) | models.Q(ends_on__lte=on))

    def open(self):
        """Memberships not yet closed in the record (the daily job closes them on their end date)."""
        return self.filter(ended_on__isnull=True)

    def of(self, country, *, on):
        """``country``'s membership in force on ``on``, or None."""
        return self.in_force(on=on).filter(country=country).select_related("country").first()


class Membership(models.Model):
    """A country's membership, from accession until it ends; renewed in five-year terms.

    ``expires_on`` (the end of the latest term) and ``ends_on`` (the end that an effective notice
    fixed) are kept on the row so that the daily jobs find due memberships with one indexed query.
    """

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("country"))
    letter = models.OneToOneField(
        LetterOfInterest, on_delete=models.PROTECT, related_name="membership", verbose_name=_("letter of interest"),
    )
    started_on = models.DateField(_("member since"))
    expires_on = models.DateField(_("current term ends"))
    ends_on = models.DateField(
        _("membership ends"), null=True, blank=True,
        help_text=_("Set by an effective written notice; empty while membership renews automatically."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["country__name", "-started_on"]
        indexes = [models.Index(fields=["expires_on"], condition=models.Q(ended_on__isnull=True), name="membership_open_expiry")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_on__gt=models.F("started_on")), name="membership_expiry_after_start"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("started_on")),
                name="membership_end_after_start",
            ),
            # A country has at most one membership at a time.
            ExclusionConstraint(
                name="membership_no_overlap_per_country",
                expressions=[
                    (F("country"), RangeOperators.EQUAL),
                    (DateRange("started_on", "ended_on", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return self.describe(country=str(self.country), started_on=self.started_on)

    @staticmethod
    def describe(*, country: str, started_on) -> str:
        """A membership's name, from its country's name and start: what bulk writes name it by too."""
        return _("%(country)s since %(date)s") % {"country": country, "date": started_on}

    @property
    def notice_deadline(self):
        """The current term's notice deadline: written notice on or before it prevents renewal."""
        return dates.notice_deadline(self.expires_on)

    def status_on(self, day) -> str:
        """``pending``, ``active``, ``notice_given`` or ``ended`` on ``day``, from the record.

        Notices and withdrawals carry their dates, so a past day is answered as it stood then.
        """
        if day < self.started_on:
            return "pending"
        if self.ended_on is not None and day >= self.ended_on:
            return "ended"
        for notice in self.notices.all():
            if notice.pending_on(day):
                return "ended" if day >= notice.effective_end else "notice_given"
        return "active"

    def in_force_on(self, day) -> bool:
        return self.status_on(day) in ("active", "notice_given")

    def term_on(self, day):
        """The term covering ``day`` (uses prefetched terms when there are)."""
        return next((t for t in self.terms.all() if t.start <= day < t.end), None)

    def current_term(self, *, on=None):
        from django.utils import timezone

        return self.term_on(on or timezone.localdate())

    def pending_notice(self):
        """The notice not withdrawn, if any (at most one, by constraint); uses prefetched notices when there are."""
        return next((n for n in self.notices.all() if n.withdrawn_on is None), None)


class Term(models.Model):
    """A five-year period of a membership: start <= day < end."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="terms", verbose_name=_("membership"))
    number = models.PositiveSmallIntegerField(_("term"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["membership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "number"], name="term_number_unique"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="term_end_after_start"),
            ExclusionConstraint(
                name="term_no_overlap_per_membership",
                expressions=[
                    (F("membership"), RangeOperators.EQUAL),
                    (DateRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return _("Term %(number)s: %(start)s – %(end)s") % {"number": self.number, "start": self.start, "end": self.end}

    @property
    def notice_deadline(self):
        return dates.notice_deadline(self.end)


class Notice(models.Model):
    """Written notice of a country's intention to terminate its membership."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notices", verbose_name=_("membership"))
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="notices", verbose_name=_("term when received"))
    received_on = models.DateField(_("received on"))
    late = models.BooleanField(
        _("after the deadline"), default=False,
        help_text=_("Received after the term's notice deadline: the membership renews once more."),
    )
    effective_end = models.DateField(_("membership ends on"))
    # The correspondence itself: the scanned letter, the country's reference and the Secretariat's note.
    document = models.FileField(
        _("scanned notice (PDF)"), storage=_private_storage, upload_to=notice_upload_to, blank=True, max_length=200,
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True,
                                 help_text=_("The letter's reference or registry number, if it has one."))
    note = models.TextField(_("note"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_document = models.FileField(
        _("scanned withdrawal (PDF)"), storage=_private_storage, upload_to=notice_upload_to, blank=True,
        max_length=200,
    )
    withdrawal_reference = models.CharField(_("reference of the withdrawal"), max_length=100, blank=True)
    withdrawal_note = models.TextField(_("note on the withdrawal"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("withdrawn by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["membership", "received_on"]
        constraints = [
            # One notice pending at a time.
            models.UniqueConstraint(
                fields=["membership"], condition=models.Q(withdrawn_on__isnull=True), name="notice_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(effective_end__gt=models.F("received_on")), name="notice_end_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=models.F("received_on")),
                name="notice_withdrawn_after_receipt",
            ),
        ]

    def __str__(self):
        return _("Notice received %(date)s") % {"date": self.received_on}

    def pending_on(self, day) -> bool:
        return self.received_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

    def explanation(self) -> str:
        """What this notice does to the membership, in one sentence (admin page and messages)."""
        from django.utils.formats import date_format

        if self.withdrawn_on is not None:
            return _("Withdrawn on %(date)s: the membership renews automatically again.") % {
                "date": date_format(self.withdrawn_on)}
        deadline = date_format(self.term.notice_deadline)
        if self.late:
            return _(
                "Received after the notice deadline of %(deadline)s: the membership renews once more, for the term "
                "from %(start)s, and ends on %(end)s."
            ) % {"deadline": deadline, "start": date_format(self.term.end), "end": date_format(self.effective_end)}
        return _("Received by the notice deadline of %(deadline)s: the membership ends on %(end)s, with its current term.") % {
            "deadline": deadline, "end": date_format(self.effective_end)}


class Reminder(models.Model):
    """One e-mail of the membership calendar; the unique key makes each one happen once."""

    class Kind(models.TextChoices):
        RENEWAL_AHEAD = "renewal_ahead", _("Renewal in nine months")
        LAST_CALL = "last_call", _("Notice deadline in one month")
        WELCOME = "welcome", _("Accession acknowledged: welcome")
        NOTICE_RECORDED = "notice_recorded", _("Notice recorded")
        NOTICE_WITHDRAWN = "notice_withdrawn", _("Withdrawal of the notice confirmed")
        TERM_RENEWED = "term_renewed", _("Term renewed")
        TERMINATION_AHEAD = "termination_ahead", _("Membership ends in one month")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        OBSOLETE = "obsolete", _("Not sent: no longer relevant")

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("membership"))
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("term"))
    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders", verbose_name=_("notice"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    recipients = models.TextField(_("recipients"), blank=True)
    created_at = models.DateTimeField(_("due since"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "kind", "notice"], nulls_distinct=False, name="reminder_once_per_term_kind_notice",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="reminder_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.term})"


class CoreGroupSeat(models.Model):
    """A member country's seat in the Core Group (the Secretariat). Kazakhstan's is permanent."""

    class EndReason(models.TextChoices):
        TERM = "", _("Three-year term")
        STEPPED_DOWN = "stepped_down", _("Stepped down")
        MEMBERSHIP_ENDED = "membership_ended", _("Membership ended")

    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="core_group_seats", verbose_name=_("country"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty for a permanent seat."))
    end_reason = models.CharField(_("ended early because"), max_length=20, choices=EndReason.choices, blank=True)
    reminder_sent_at = models.DateTimeField(_("end reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("Core Group seat")
        verbose_name_plural = _("Core Group seats")
        ordering = ["start", "country__name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=F("start")), name="seat_end_after_start"),
            ExclusionConstraint(
                name="seat_no_overlap_per_country",
                expressions=[
                    (F("country"), RangeOperators.EQUAL),
                    (DateRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        if self.end is None:
            return _("%(country)s, permanent seat since %(start)s") % {"country": self.country, "start": self.start}
        return _("%(country)s, %(start)s – %(end)s") % {"country": self.country, "start": self.start, "end": self.end}

    def held_on(self, day) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


class CoLead(models.Model):
    """A Core Group country co-leading one line of the Coalition's work for a year."""

    class Line(models.TextChoices):
        POLITICAL_MOBILIZATION = "political_mobilization", _("Political mobilization")
        POLICY_ADVOCACY = "policy_advocacy", _("Policy advocacy")
        KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("Knowledge exchange")

    year = models.PositiveSmallIntegerField(_("year"))
    line = models.CharField(_("line of work"), max_length=30, choices=Line.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="co_leads", verbose_name=_("country"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("co-lead")
        verbose_name_plural = _("co-leads")
        ordering = ["-year", "line", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "line", "country"], name="colead_once_per_year_line"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="colead_plausible_year"),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_line_display()} · {self.country}"


def champion_photo_upload_to(instance, filename):
    import uuid

    return f"champions/{uuid.uuid4().hex}.jpg"


class Champion(models.Model):
    """A political leader invited by the Core Group to act as a PHC champion."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="champions", verbose_name=_("country"))
    biography = models.TextField(_("biography"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the title and biography were written in; readers of other languages "
                    "without a translation see this one, marked as the original."),
    )
    photo = models.ImageField(_("photo"), upload_to=champion_photo_upload_to, blank=True, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # The history keeps title and biography as shown in the editor's language; the per-language
    # columns, added by django-modeltranslation after this model is built, are left out of it.
    history = HistoricalRecords(get_user=history_user,
                                excluded_fields=[*localized_fields("title"), *localized_fields("biography")])

    class Meta:
        verbose_name = _("champion")
        verbose_name_plural = _("champions")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from coalition.content_language import original_title_missing

        errors = original_title_missing(self)
        if errors:
            raise ValidationError(errors)


class ChampionCommitment(models.Model):
    """A champion's two-year commitment; renewing it adds a new period."""

    champion = models.ForeignKey(Champion, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("champion"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name = _("champion's commitment")
        verbose_name_plural = _("champions' commitments")
        ordering = ["champion", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=F("start")), name="commitment_end_after_start"),
            ExclusionConstraint(
                name="commitment_no_overlap_per_champion",
                expressions=[
                    (F("champion"), RangeOperators.EQUAL),
                    (DateRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.champion}: {self.start} – {self.end}"
