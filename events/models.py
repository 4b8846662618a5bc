import uuid
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from coalition import storage as file_storage
from coalition.content_language import original_title_missing


@lru_cache(maxsize=1)
def timezone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


@lru_cache(maxsize=1)
def canonical_timezone_names() -> list[str]:
    """The zones of IANA's zone.tab (one per place people live, no deprecated aliases such as
    Africa/Asmera), and UTC: what the picker offers; any name zoneinfo knows is still valid."""
    from importlib.resources import files

    rows = files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8").splitlines()
    names = {line.split("\t")[2] for line in rows if line and not line.startswith("#")}
    return sorted(names | {"UTC"})


def timezone_choices(*, keep=()) -> list:
    """The picker's choices, grouped by region (Africa, America, …); ``keep`` adds names in use."""
    groups: dict[str, list] = {}
    for name in sorted(set(canonical_timezone_names()) | {k for k in keep if k}):
        region = name.split("/", 1)[0] if "/" in name else "UTC"
        groups.setdefault(region, []).append((name, name.replace("_", " ")))
    return list(groups.items())


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError(
            _("“%(value)s” is not a time zone name. Use a name such as Europe/Zurich (for Geneva) or Asia/Almaty."),
            code="invalid_timezone", params={"value": value},
        )


class Kind(models.TextChoices):
    GLOBAL = "global", _("Global event")
    WORKSHOP = "workshop", _("Thematic workshop")
    CORE_GROUP = "core_group", _("Core Group annual meeting")
    WEBINAR = "webinar", _("Webinar")


class Theme(models.TextChoices):
    POLITICAL_COMMITMENT = "political_commitment", _("Political commitment")
    GOVERNANCE = "governance", _("Governance")
    RESOURCING = "resourcing", _("Resourcing")
    ENGAGEMENT = "engagement", _("Engagement")


class Occasion(models.TextChoices):
    WHA = "wha", _("World Health Assembly")
    UNGA = "unga", _("UN General Assembly")
    OTHER = "other", _("Other")


class Event(models.Model):
    """A meeting of the Coalition. Times are stored in UTC and shown in ``timezone``, the event's own zone."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    theme = models.CharField(
        _("theme"), max_length=24, choices=Theme.choices, blank=True,
        help_text=_("Required for thematic workshops."),
    )
    occasion = models.CharField(
        _("held at"), max_length=8, choices=Occasion.choices, blank=True,
        help_text=_("For global events: the assembly the event takes place at."),
    )
    description = models.TextField(_("description"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the title and description were written in. The other languages are "
                    "translations; where one is missing, readers see the original, marked as such."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Zurich", validators=[validate_timezone],
        help_text=_("The zone of the place where the event happens, e.g. Europe/Zurich for Geneva, Asia/Almaty for Astana. Times are entered and shown in it."),
    )
    venue = models.CharField(_("place"), max_length=300, blank=True, help_text=_("Building, room and city."))
    online_url = models.URLField(
        _("online link"), max_length=500, blank=True,
        help_text=_("Shown only to people with a confirmed registration."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit. Beyond it, people join a waiting list."),
    )
    public = models.BooleanField(
        _("public"), default=True,
        help_text=_("Public events are listed for everyone and open to public registration. "
                    "Others are seen by focal points and staff only; Core Group meetings are never public."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    # Kept by the services under the event's row lock, so the database can refuse overbooking.
    confirmed_count = models.PositiveIntegerField(_("confirmed registrations"), default=0, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["public", "starts_at"], name="event_public_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=~models.Q(kind="core_group") | models.Q(public=False), name="event_core_group_not_public",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="workshop") | ~models.Q(theme=""), name="event_workshop_has_theme",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(confirmed_count__lte=models.F("capacity")),
                name="event_within_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_opens_at__isnull=True) | models.Q(registration_closes_at__isnull=True)
                | models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("events:detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_starts_at(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self):
        return self.ends_at.astimezone(self.zone)

    @property
    def online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_past(self) -> bool:
        return self.ends_at <= dj_timezone.now()

    @property
    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed_count, 0)

    def registration_state(self, now=None) -> str:
        """``not_yet``, ``open``, ``closed`` or ``over``; staff may register people while ``closed``."""
        now = now or dj_timezone.now()
        if now >= self.ends_at:
            return "over"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        # Without a closing date, registration closes when the event starts.
        closes = self.registration_closes_at or self.starts_at
        return "closed" if now >= closes else "open"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.kind == Kind.WORKSHOP and not self.theme:
            errors["theme"] = _("Choose the theme of the workshop.")
        if self.kind == Kind.CORE_GROUP and self.public:
            errors["public"] = _("A Core Group meeting is for Core Group countries only; it cannot be public.")
        if self.capacity is not None and self.capacity < self.confirmed_count:
            errors["capacity"] = _(
                "%(count)s people are already confirmed. Cancel registrations first, or keep the capacity at "
                "%(count)s or more."
            ) % {"count": self.confirmed_count}
        if self.registration_opens_at and self.registration_closes_at and (
            self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.registration_closes_at and self.ends_at and self.registration_closes_at > self.ends_at:
            errors["registration_closes_at"] = _("Registration cannot close after the event ends.")
        if not self.venue and not self.online_url:
            errors["venue"] = _("Give a place, an online link, or both.")
        errors.update(original_title_missing(self))
        if errors:
            raise ValidationError(errors)


# Materials of closed meetings must not be reachable by URL: they are private files (PRIVATE_MEDIA_ROOT
# or the bucket's private prefix), served by a view that checks who may see the event.
material_storage = file_storage.storage("events")


def _material_storage():
    return material_storage


def material_upload_to(instance, filename):
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"materials/{uuid.uuid4().hex}.{suffix}"


class Material(models.Model):
    """An agenda, slides or a report, added before or after the event: a file, a link or both."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        SLIDES = "slides", _("Slides")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=_material_storage, upload_to=material_upload_to, blank=True,
                            max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["event", "kind", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(file="") | ~models.Q(url=""), name="material_file_or_link"),
        ]

    def __str__(self):
        return self.title

    @property
    def original_language(self) -> str:
        return self.event.original_language

    def clean(self):
        if not self.file and not self.url:
            raise ValidationError(_("Upload a file or give a link."))


class RegistrationQuerySet(models.QuerySet):
    def delegations(self):
        """Confirmed places of confirmed country delegates: what counts as a country's participation.

        A country named on the public form is only what the registrant said; it counts once the
        country's focal point or the Secretariat has confirmed the person as a delegate.
        """
        return self.filter(status=Registration.Status.CONFIRMED, delegate_confirmed_at__isnull=False)


def delegation_q(prefix: str = "") -> models.Q:
    """``delegations()`` as a Q on a relation (e.g. ``registrations__``), for counts and annotations."""
    return models.Q(**{f"{prefix}status": "confirmed", f"{prefix}delegate_confirmed_at__isnull": False})


class Registration(models.Model):
    """One person's place (or place in the queue) at an event.

    ``country`` is the country the person registered for: a delegate's once ``delegate_confirmed_at``
    is set (by the country's focal point or the Secretariat), else free information from the form.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    country = models.ForeignKey(
        "members.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="event_registrations",
        verbose_name=_("country"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("registered by"), help_text=_("Empty when the person registered on the public page."),
    )
    delegate_confirmed_at = models.DateTimeField(
        _("confirmed as delegate at"), null=True, blank=True,
        help_text=_("Set when the country's focal point or the Secretariat confirms the person as its delegate."),
    )
    delegate_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("confirmed as delegate by"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        indexes = [models.Index(fields=["event", "status", "created_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(
                "event", Lower("email"), condition=~models.Q(status="cancelled"),
                name="registration_one_active_per_email",
                violation_error_message=_("This e-mail address is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="cancelled", cancelled_at__isnull=False)
                | (~models.Q(status="cancelled") & models.Q(cancelled_at__isnull=True)),
                name="registration_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="registration_confirmed_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(attended__isnull=True) | models.Q(status="confirmed"),
                name="registration_attendance_only_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(delegate_confirmed_at__isnull=True) | models.Q(country__isnull=False),
                name="registration_delegate_has_country",
            ),
        ]

    objects = RegistrationQuerySet.as_manager()

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def is_delegate(self) -> bool:
        return self.delegate_confirmed_at is not None


class Notification(models.Model):
    """One e-mail about a registration; the unique key makes each one go out once."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("Registration confirmed")
        WAITLISTED = "waitlisted", _("Placed on the waiting list")
        PROMOTED = "promoted", _("Moved up from the waiting list")
        CANCELLED = "cancelled", _("Registration cancelled")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("registration"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"], condition=models.Q(status="pending"), name="notification_pending")]
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="notification_once_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="notification_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.registration}"
