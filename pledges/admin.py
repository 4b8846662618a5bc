"""The secretariat's admin for focal points and pledges; every change goes through pledges.services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from coalition.admin import OutgoingMailInline
from pledges import selectors, services
from pledges.display import describe_indicator
from pledges.forms import InvitationAdminForm
from pledges.models import (
    Commitment,
    FocalPoint,
    Invitation,
    Pledge,
    PledgeVersion,
    ProgressReport,
    Reminder,
    ReportingStatus,
)


def _run(modeladmin, request, queryset, action, done_message):
    done = 0
    for obj in queryset:
        try:
            action(obj)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


class ReadOnlyMixin:
    """Rows change only through the services (actions and site pages), never by editing fields."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    """Add = invite. The add form takes ?country=<pk>&email=…&name=…&language=… to prefill."""

    form = InvitationAdminForm
    list_display = ["email", "name", "country", "state_display", "created_at", "expires_at", "created_by"]
    list_filter = ["country"]
    search_fields = ["email", "name", "country__name"]
    actions = ["revoke"]
    readonly_fields = ["country", "email", "name", "language", "created_at", "created_by", "expires_at",
                       "accepted_at", "focal_point", "revoked_at", "revoked_by"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ["country", "email", "name", "language"]

    def has_change_permission(self, request, obj=None):
        # The change page is for reading; the revoke action is the only change.
        return obj is None and super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return {
            "pending": _("Pending"), "accepted": _("Accepted"), "revoked": _("Revoked"), "expired": _("Expired"),
        }[obj.state(timezone.now())]

    def save_model(self, request, obj, form, change):
        created = services.invite_focal_point(
            country=form.cleaned_data["country"], email=form.cleaned_data["email"],
            name=form.cleaned_data.get("name", ""), language=form.cleaned_data.get("language") or "en",
            by=request.user,
        )
        obj.pk = created.pk
        obj.token_hash = created.token_hash
        obj.created_at = created.created_at
        obj.expires_at = created.expires_at

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(request, _("The invitation was e-mailed to %(email)s; the link is valid for seven days.")
                          % {"email": obj.email}, messages.SUCCESS)
        return super().response_add(request, obj, post_url_continue)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # The letter of interest links here with the contact's details.
        if "name" not in initial and request.GET.get("full_name"):
            initial["name"] = request.GET["full_name"]
        return initial

    @admin.action(description=_("Revoke the selected invitations"), permissions=["view"])
    def revoke(self, request, queryset):
        _run(self, request, queryset, lambda obj: services.revoke_invitation(invitation=obj, by=request.user),
             _("%(count)s invitation(s) revoked."))


@admin.register(FocalPoint)
class FocalPointAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["user", "user_email", "country", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "country"]
    search_fields = ["user__email", "user__full_name", "country__name"]
    list_select_related = ["user", "country"]
    actions = ["revoke"]

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.action(description=_("Revoke the selected focal points"), permissions=["view"])
    def revoke(self, request, queryset):
        _run(self, request, queryset, lambda obj: services.revoke_focal_point(focal_point=obj, by=request.user),
             _("%(count)s focal point(s) revoked."))


class CommitmentInline(admin.StackedInline):
    model = Commitment
    extra = 0
    can_delete = False
    fields = ["position", "description", "levers", "components", "indicator_lines", "target_date",
              "responsible_institution", "budget", "no_budget_needed"]
    readonly_fields = fields

    @admin.display(description=_("indicators"))
    def indicator_lines(self, obj):
        return format_html_join(
            "\n", "<div>{}</div>", ((describe_indicator(i),) for i in obj.indicators.all()),
        ) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = PledgeVersion
    extra = 0
    can_delete = False
    fields = ["number", "submitted_at", "submitted_by", "outcome", "comment", "commitment_comments", "gaps",
              "review_started_at", "reviewed_at", "reviewed_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReportingStatusFilter(admin.SimpleListFilter):
    """Computed from each published pledge's reports, as on the public pages (pledges.selectors)."""

    title = _("reporting")
    parameter_name = "reporting"

    def lookups(self, request, model_admin):
        return ReportingStatus.choices

    def queryset(self, request, queryset):
        if self.value() not in ReportingStatus.values:
            return queryset
        today = timezone.localdate()
        published = queryset.filter(status=Pledge.Status.PUBLISHED).select_related("term").prefetch_related("reports")
        keep = [p.pk for p in published if selectors.reporting_status(p, today=today) == self.value()]
        return queryset.filter(pk__in=keep)


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["country", "term", "title", "status", "reporting", "submitted_at", "published_at", "review_link"]
    list_filter = ["status", ReportingStatusFilter]
    search_fields = ["country__name", "title"]
    list_select_related = ["country", "term"]
    inlines = [CommitmentInline, VersionInline, OutgoingMailInline]
    actions = ["accept", "publish"]
    fields = ["country", "term", "status", "title", "vision", "review_comment", "prefilled_from", "review_link",
              "created_at", "submitted_at", "accepted_at", "published_at"]
    readonly_fields = fields

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("pledges:detail", args=[obj.pk]), _("Review on the site"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reports")

    @admin.display(description=_("reporting"))
    def reporting(self, obj):
        status = selectors.reporting_status(obj, today=timezone.localdate())
        return ReportingStatus(status).label if status else "—"

    @admin.action(description=_("Accept the selected submitted pledges"), permissions=["view"])
    def accept(self, request, queryset):
        _run(self, request, queryset, lambda obj: services.accept_pledge(pledge=obj, by=request.user),
             _("%(count)s pledge(s) accepted."))

    @admin.action(description=_("Publish the selected accepted pledges"), permissions=["view"])
    def publish(self, request, queryset):
        _run(self, request, queryset, lambda obj: services.publish_pledge(pledge=obj, by=request.user),
             _("%(count)s pledge(s) published."))


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["pledge", "year", "due_on", "status", "submitted_at", "published_at", "review_link"]
    list_filter = ["status", "year"]
    list_select_related = ["pledge__country", "pledge__term"]
    actions = ["publish"]

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("pledges:progress", args=[obj.pk]), _("Review on the site"))

    @admin.action(description=_("Publish the selected submitted reports"), permissions=["view"])
    def publish(self, request, queryset):
        _run(self, request, queryset, lambda obj: services.publish_progress_report(report=obj, by=request.user),
             _("%(count)s report(s) published."))


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["kind", "pledge", "key_date", "status", "sent_at", "recipients"]
    list_filter = ["kind", "status"]
