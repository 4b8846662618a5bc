"""What the Core Group decides and does: its meetings' records, decisions, action items, and the
yearly work plan of the Coalition's three lines of work (terms of reference, Core Group functions)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import CoLead

LANGUAGE_HELP = _("The language the texts were written in. The other languages are translations; where one is "
                  "missing, readers see the original, marked as such.")


class Meeting(models.Model):
    """The record of one Core Group annual meeting (an event of kind Core Group): agenda and minutes.

    Its own table rather than fields on Event: only Core Group meetings have one, and it is seen by
    the Core Group and the Secretariat only, like the meeting itself.
    """

    event = models.OneToOneField(
        "events.Event", on_delete=models.PROTECT, related_name="core_group_record", verbose_name=_("meeting"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en", help_text=LANGUAGE_HELP,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Core Group meeting record")
        verbose_name_plural = _("Core Group meeting records")
        ordering = ["-event__starts_at", "-pk"]

    def __str__(self):
        return str(self.event)


class Decision(models.Model):
    """One decision of a Core Group meeting, numbered within it (1, 2, …) as the minutes cite it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en", help_text=LANGUAGE_HELP,
    )
    public = models.BooleanField(
        _("public"), default=False,
        help_text=_("Public decisions appear on the public page of Core Group decisions; others are seen by the "
                    "Core Group and the Secretariat only."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_once_per_meeting"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_number_positive"),
        ]
        indexes = [models.Index(fields=["public"], name="decision_public")]

    def __str__(self):
        return _("Decision %(number)s of %(meeting)s") % {"number": self.number, "meeting": self.meeting}


class ActionItemQuerySet(models.QuerySet):
    def pending(self):
        """Items still to be done (open or in progress)."""
        return self.filter(status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS])


class ActionItem(models.Model):
    """Work a decision gives to a country (or the Secretariat), with a due date and what it produced."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="action_items",
                                 verbose_name=_("decision"))
    description = models.TextField(_("what is to be done"))
    owner_country = models.ForeignKey(
        "members.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="action_items",
        verbose_name=_("owner"), help_text=_("Empty when the Secretariat owns the item."),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # What the item produced: an event, a report, or a document anywhere (a URL).
    event = models.ForeignKey("events.Event", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="action_items", verbose_name=_("event produced"))
    report = models.ForeignKey("reports.ReportRequest", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="action_items", verbose_name=_("report produced"))
    url = models.URLField(_("document produced"), max_length=500, blank=True,
                          help_text=_("A link to the document the item produced."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]
        constraints = [
            # A done item says when it was done; an item not done has no completion date.
            models.CheckConstraint(
                condition=(Q(status="done") & Q(completed_on__isnull=False))
                | (~Q(status="done") & Q(completed_on__isnull=True)),
                name="action_item_completed_when_done",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done", "dropped"]), name="action_item_known_status",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="action_item_status_due")]

    def __str__(self):
        return self.description[:80]

    @property
    def owner_is_secretariat(self) -> bool:
        return self.owner_country_id is None

    @property
    def country(self):
        """The owner country: the audit log files the item's actions under it."""
        return self.owner_country


class WorkPlan(models.Model):
    """The Coalition's activity plan for one year, adopted by a decision of a Core Group meeting."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    adopted_by = models.ForeignKey(
        Decision, on_delete=models.SET_NULL, null=True, blank=True, related_name="work_plans_adopted",
        verbose_name=_("adopted by"), help_text=_("The Core Group decision that adopted the plan."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="work_plan_plausible_year"),
        ]

    def __str__(self):
        return _("Work plan %(year)s") % {"year": self.year}


class Activity(models.Model):
    """One activity of a work plan, in one line of work, co-led by Core Group countries of that year."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        COMPLETED = "completed", _("Completed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("work plan"))
    line = models.CharField(_("line of work"), max_length=30, choices=CoLead.Line.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en", help_text=LANGUAGE_HELP,
    )
    co_leads = models.ManyToManyField("members.Country", blank=True, related_name="activities_co_led",
                                      verbose_name=_("co-lead countries"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    events = models.ManyToManyField("events.Event", blank=True, related_name="activities", verbose_name=_("events"))
    decisions = models.ManyToManyField(Decision, blank=True, related_name="activities", verbose_name=_("decisions"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # "activity" alone is the audit log's name (coalition.Action): a work-plan activity is another word.
        verbose_name = pgettext_lazy("work plan", "activity")
        verbose_name_plural = pgettext_lazy("work plan", "activities")
        ordering = ["plan", "line", "position", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="activity_progress_at_most_100"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An activity cannot end before it starts.")})
        if self.progress is not None and self.progress > 100:
            raise ValidationError({"progress": _("Progress is a percentage, from 0 to 100.")})


class ActivityUpdate(models.Model):
    """A timeline entry of an activity: what happened on a day, and the progress reached then."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates",
                                 verbose_name=pgettext_lazy("work plan", "activity"))
    on = models.DateField(_("date"))
    text = models.TextField(_("what happened"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["activity", "on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="activity_update_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.on} · {self.progress}%"
