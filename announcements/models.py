"""Announcements of the Secretariat and the public's newsletter subscriptions.

An announcement is written in the languages the Secretariat chooses (one column per language,
django-modeltranslation) and sent once to the audiences it names; each person gets one message in
their language, however many audiences they belong to (announcements.selectors).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from coalition.content_language import original_title_missing
from members.models import WhoRegion


class Audience(models.TextChoices):
    # In this order a person's language is looked for when they belong to several audiences.
    FOCAL_POINTS = "focal_points", _("All focal points of member countries")
    CORE_GROUP = "core_group", _("Focal points of Core Group countries")
    REGION_FOCAL_POINTS = "region_focal_points", _("Focal points of member countries in WHO regions")
    EVENT_REGISTRANTS = "event_registrants", _("People registered for events")
    SUBSCRIBERS = "subscribers", _("Public subscribers to the newsletter")


class Announcement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the announcement was written in; readers of other languages see it when "
                    "their language is missing."),
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=settings.LANGUAGES), verbose_name=_("languages"),
        help_text=_("The languages the announcement is sent in, the original among them. Each needs a title "
                    "and a text; people who read none of them get the original."),
    )
    public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Shown on the news page and in its feed once sent."),
    )
    audiences = ArrayField(
        models.CharField(max_length=24, choices=Audience.choices), verbose_name=_("audiences"),
        help_text=_("Everyone in at least one of them gets one copy."),
    )
    regions = ArrayField(
        models.CharField(max_length=4, choices=WhoRegion.choices), verbose_name=_("WHO regions"),
        default=list, blank=True, help_text=_("For the audience “focal points of member countries in WHO regions”."),
    )
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="+", verbose_name=_("events"),
        help_text=_("For the audience “people registered for events”: their registrations not cancelled."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    recipient_count = models.PositiveIntegerField(_("recipients"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("sent by"), editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("written by"), editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-sent_at", "-id"], condition=Q(public=True, status="sent"), name="announcement_news"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(languages__len__gt=0), name="announcement_has_language"),
            models.CheckConstraint(condition=Q(languages__contains=[F("original_language")]),
                                   name="announcement_languages_include_original"),
            models.CheckConstraint(condition=Q(audiences__len__gt=0), name="announcement_has_audience"),
            models.CheckConstraint(
                condition=~Q(audiences__contains=[Audience.REGION_FOCAL_POINTS]) | Q(regions__len__gt=0),
                name="announcement_region_audience_has_regions",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", sent_at__isnull=True, recipient_count__isnull=True)
                | Q(status="sent", sent_at__isnull=False, recipient_count__isnull=False),
                name="announcement_sent_has_time_and_count",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("announcements:detail", args=[self.pk])

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def text(self, field: str, language: str) -> str:
        """The text of ``field`` as written in ``language`` (no fallback: "" if missing)."""
        return getattr(self, build_localized_fieldname(field, language), "") or ""

    def missing_translations(self) -> list[str]:
        """The chosen languages without both a title and a text, in the order of settings.LANGUAGES."""
        return [code for code, _name in settings.LANGUAGES
                if code in (self.languages or []) and not (self.text("title", code).strip()
                                                           and self.text("body", code).strip())]

    def clean(self):
        errors = {}
        languages = list(self.languages or [])
        if self.original_language and self.original_language not in languages:
            name = get_language_info(self.original_language)["name_translated"]
            errors["languages"] = _("Choose the original language (%(language)s) among the languages.") % {
                "language": name}
        if Audience.REGION_FOCAL_POINTS in (self.audiences or []) and not self.regions:
            errors["regions"] = _("Choose at least one WHO region, or do not send to the focal points of regions.")
        errors.update(original_title_missing(self))
        if errors:
            raise ValidationError(errors)


class Subscriber(models.Model):
    """A member of the public who asked for the newsletter; receives it only once confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("subscribed at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    # Each confirmation e-mail has its own outbox key: asking again sends a new one.
    confirmations_sent = models.PositiveIntegerField(_("confirmation e-mails sent"), default=0)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_unique_ci",
                                    violation_error_message=_("This address is already subscribed.")),
            models.CheckConstraint(condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                                   name="subscriber_confirmed_has_time"),
            models.CheckConstraint(
                condition=(Q(status="unsubscribed") & Q(unsubscribed_at__isnull=False))
                | (~Q(status="unsubscribed") & Q(unsubscribed_at__isnull=True)),
                name="subscriber_unsubscribed_has_time",
            ),
        ]

    def __str__(self):
        return self.email
