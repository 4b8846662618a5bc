from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from reports import services
from reports.models import Digest, ReportRequest


@admin.register(ReportRequest)
class ReportRequestAdmin(admin.ModelAdmin):
    """Reports are asked for on the reports page (the admin's "Add" goes there); here they are followed."""

    list_display = ["__str__", "status", "attempts", "pages", "requested_by", "requested_at", "finished_at",
                    "published_at", "page_link"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["country__name", "verification_code", "requested_by__email"]
    list_select_related = ["country", "requested_by"]
    date_hierarchy = "requested_at"
    readonly_fields = [f.name for f in ReportRequest._meta.fields if f.name != "file"] + ["page_link"]
    exclude = ["file"]
    actions = ["retry", "publish"]

    @admin.display(description=_("page"))
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("reports:detail", args=[obj.pk]), _("status and download"))

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("reports:list")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _each(self, request, queryset, action, done):
        count = 0
        for report in queryset:
            try:
                action(report=report, by=request.user)
                count += 1
            except ValidationError as error:
                self.message_user(request, f"{report}: {' '.join(error.messages)}", messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Build the selected failed reports again"), permissions=["view"])
    def retry(self, request, queryset):
        self._each(request, queryset, services.retry_report, _("%(count)s report(s) queued again."))

    @admin.action(description=_("Publish the selected reports"), permissions=["view"])
    def publish(self, request, queryset):
        self._each(request, queryset, services.publish_report, _("%(count)s report(s) published."))


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["month", "sent_at"]
    readonly_fields = ["month", "sent_at", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
