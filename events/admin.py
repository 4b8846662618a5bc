import zoneinfo

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from coalition import moments
from coalition.admin import OutgoingMailInline
from coalition.admin_mixins import ReadOnlyAdminMixin
from events import exports, selectors, services
from events.models import Event, Material, Notification, Registration, timezone_choices, timezone_names
from events.widgets import EventZoneSplitDateTime


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        field = "ends_at" if queryset.model is Event else "event__ends_at"
        if self.value() == "upcoming":
            return queryset.filter(**{f"{field}__gt": now})
        if self.value() == "past":
            return queryset.filter(**{f"{field}__lte": now})
        return queryset


URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# Entered and shown in the event's own zone (``changeform_view`` activates it).
_LOCAL_TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class MaterialInline(TranslationTabularInline):
    model = Material
    formfield_overrides = URL_FIELDS
    extra = 0
    fields = ["kind", "title", "file", "url", "added_at"]
    readonly_fields = ["added_at"]


class MomentsMixin:
    """When a registration was made, confirmed or cancelled: in the site's zone, with the zone
    (``coalition.moments``), whatever zone the page is in (the event's form is in the event's)."""

    @admin.display(description=_("registered at"), ordering="created_at")
    def registered_at(self, registration):
        return moments.moment(registration.created_at)

    @admin.display(description=_("confirmed at"), ordering="confirmed_at")
    def confirmed(self, registration):
        return moments.moment(registration.confirmed_at) or "—"

    @admin.display(description=_("cancelled at"), ordering="cancelled_at")
    def cancelled(self, registration):
        return moments.moment(registration.cancelled_at) or "—"

    @admin.display(description=_("confirmed as delegate at"), ordering="delegate_confirmed_at")
    def delegate_confirmed(self, registration):
        return moments.moment(registration.delegate_confirmed_at) or "—"


class RegistrationInline(MomentsMixin, admin.TabularInline):
    """Who is coming, at a glance; changes go through the registration list's actions."""

    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["name", "email", "organisation", "country", "status", "attended", "registered_at"]
    readonly_fields = fields
    ordering = ["status", "created_at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country").exclude(status=Registration.Status.CANCELLED)


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    # The title and description are edited in every language on one page (TranslationAdmin shows
    # title [en], title [fr], …); the original language says which one readers fall back to.
    formfield_overrides = URL_FIELDS
    list_display = ["title", "kind", "theme", "local_start", "timezone", "public", "places", "waiting"]
    list_filter = ["kind", "theme", "public", WhenFilter, ("starts_at", admin.DateFieldListFilter)]
    search_fields = ["title", "venue", "description"]
    date_hierarchy = "starts_at"
    inlines = [MaterialInline, RegistrationInline]
    actions = ["export_attendees"]
    readonly_fields = ["confirmed_count", "attendee_list"]
    fieldsets = [
        (None, {"fields": ["original_language", "title", "kind", "theme", "occasion", "public", "description"]}),
        (_("Time and place"), {
            "fields": ["timezone", "starts_at", "ends_at", "venue", "online_url"],
            "description": _("Enter times in the event's own time zone (the zone of the place where it happens)."),
        }),
        (_("Registration"), {
            "fields": ["capacity", "registration_opens_at", "registration_closes_at", "confirmed_count", "attendee_list"],
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            waitlisted=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)),
        )

    @admin.display(description=_("starts (local time)"), ordering="starts_at")
    def local_start(self, event):
        return moments.event_time(event.starts_at, event, fmt="SHORT_DATETIME_FORMAT")

    @admin.display(description=_("confirmed / capacity"))
    def places(self, event):
        return f"{event.confirmed_count} / {event.capacity if event.capacity is not None else '∞'}"

    @admin.display(description=_("waiting list"), ordering="waitlisted")
    def waiting(self, event):
        return event.waitlisted

    @admin.display(description=_("attendee list"))
    def attendee_list(self, event):
        if not event.pk:
            return "—"
        from django.urls import reverse

        return format_html(
            '<a href="{}">{}</a> · <a href="{}?event__id__exact={}">{}</a>',
            reverse("events:attendees-csv", args=[event.pk]), _("Download CSV"),
            reverse("admin:events_registration_changelist"), event.pk, _("Registrations and attendance"),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in _LOCAL_TIME_FIELDS:
            kwargs["widget"] = EventZoneSplitDateTime(zone_name=getattr(request, "event_zone_name", None))
        if db_field.name == "timezone":
            from django import forms

            return forms.ChoiceField(
                label=db_field.verbose_name, help_text=db_field.help_text, initial=db_field.default,
                # Zones already used by events stay offered, so editing an old event never changes its zone.
                choices=timezone_choices(keep=Event.objects.values_list("timezone", flat=True).distinct()),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The admin shows and reads times in the active zone: make it the event's own.
        zone_name = request.POST.get("timezone") if request.method == "POST" else None
        if not zone_name and object_id:
            zone_name = Event.objects.filter(pk=object_id).values_list("timezone", flat=True).first()
        try:
            zone = zoneinfo.ZoneInfo(zone_name) if zone_name in timezone_names() else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        # For the widgets' note: times typed here are read in this zone.
        request.event_zone_name = zone_name
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # A TemplateResponse renders after the view returns: render it while the zone is active.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    def get_changeform_initial_data(self, request):
        # A new event is most likely written in the language its author works in.
        return {"original_language": get_language(), **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        services.save_event(event=obj)

    @admin.action(description=_("Export attendees of the selected events to CSV"))
    def export_attendees(self, request, queryset):
        return exports.attendees_csv(selectors.attendees(queryset), filename="attendees.csv")


@admin.register(Registration)
class RegistrationAdmin(MomentsMixin, admin.ModelAdmin):
    list_display = ["name", "email", "organisation", "country", "event", "status", "attended", "registered_at"]
    list_filter = ["status", "attended", WhenFilter, "event__kind", "event"]
    list_select_related = ["event", "country"]
    search_fields = ["name", "email", "organisation", "event__title"]
    actions = ["mark_attended", "mark_absent", "clear_attendance", "cancel_registrations", "export_attendees"]
    inlines = [OutgoingMailInline]
    # Everything is read here: registering, confirming delegates and cancelling go through the services
    # (the event page and the actions), which keep capacity, the waiting list and the activity log right.
    fields = readonly_fields = [
        "event", "name", "email", "organisation", "country", "registered_by", "language", "status", "attended",
        "registered_at", "confirmed", "cancelled", "delegate_confirmed", "delegate_confirmed_by",
    ]

    def has_add_permission(self, request):
        # People register on the event page (staff may register anyone there), which runs the capacity rules.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _attendance(self, request, queryset, attended):
        try:
            count = services.mark_attendance(registrations=list(queryset), attended=attended)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, ngettext("%d registration updated.", "%d registrations updated.", count) % count,
                          messages.SUCCESS)

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._attendance(request, queryset, True)

    @admin.action(description=_("Mark as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._attendance(request, queryset, False)

    @admin.action(description=_("Clear attendance"), permissions=["change"])
    def clear_attendance(self, request, queryset):
        self._attendance(request, queryset, None)

    @admin.action(description=_("Cancel the selected registrations (the waiting list moves up)"), permissions=["change"])
    def cancel_registrations(self, request, queryset):
        done, errors = 0, []
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            try:
                services.cancel(registration=registration)
                done += 1
            except ValidationError as error:
                errors.append(f"{registration}: {' '.join(error.messages)}")
        if done:
            self.message_user(request, ngettext("%d registration cancelled.", "%d registrations cancelled.", done) % done,
                              messages.SUCCESS)
        for error in errors:
            self.message_user(request, error, messages.ERROR)

    @admin.action(description=_("Export the selected registrations to CSV"))
    def export_attendees(self, request, queryset):
        rows = queryset.select_related("event", "country", "registered_by").order_by(
            "event__starts_at", "event_id", "status", "created_at", "pk")
        return exports.attendees_csv(rows, filename="registrations.csv")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["registration", "kind", "status", "queued_at", "sent"]
    list_filter = ["kind", "status"]
    list_select_related = ["registration"]
    search_fields = ["registration__email", "registration__name"]
    fields = readonly_fields = ["registration", "kind", "status", "queued_at", "sent"]

    @admin.display(description=_("queued at"), ordering="created_at")
    def queued_at(self, notification):
        return moments.moment(notification.created_at)

    @admin.display(description=_("sent at"), ordering="sent_at")
    def sent(self, notification):
        return moments.moment(notification.sent_at) or "—"
