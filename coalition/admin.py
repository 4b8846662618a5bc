"""Outgoing mail in the admin: what was sent to whom, what failed and why, and "send again"."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coalition import audit, mail
from coalition.admin_mixins import ReadOnlyAdminMixin
from coalition.models import Action, OutgoingMail

HIDDEN = _("Not shown: this message carries a personal sign-in or invitation link.")


def _recipients(obj: OutgoingMail) -> str:
    return ", ".join(obj.to + obj.cc)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipients", "subject", "country", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", ("country", admin.RelatedOnlyFieldListFilter), ("created_at", admin.DateFieldListFilter)]
    search_fields = ["to", "cc", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["country"]
    actions = ["send_again"]
    change_form_template = "admin/coalition/outgoingmail/change_form.html"
    # The rendered message, as it left (or will leave); recipients of a failed message may be
    # corrected before it is sent again, nothing else is ever edited.
    fields = ["status", "kind", "to", "cc", "language", "subject", "message", "html_message", "attached",
              "about_link", "country", "attempts", "last_error", "next_attempt_at", "claimed_at", "sent_at",
              "created_at", "key"]
    FIXABLE = ("to", "cc")

    @admin.display(description=_("recipients"))
    def recipients(self, obj):
        return _recipients(obj)

    @admin.display(description=_("text"))
    def message(self, obj):
        if obj.sensitive:
            return HIDDEN
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.body)

    @admin.display(description=_("HTML"))
    def html_message(self, obj):
        if obj.sensitive and obj.html_body:
            return HIDDEN
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.html_body) if obj.html_body else "—"

    @admin.display(description=_("attachments"))
    def attached(self, obj):
        return ", ".join(f"{a['name']} ({a['content_type'].split(';')[0]})" for a in obj.attachments) or "—"

    @admin.display(description=_("about"))
    def about_link(self, obj):
        target = obj.about
        if target is None:
            return "—"
        from django.urls import NoReverseMatch, reverse

        meta = target._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[target.pk])
        except NoReverseMatch:
            return str(target)
        return format_html('<a href="{}">{}: {}</a>', url, meta.verbose_name, target)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == OutgoingMail.Status.FAILED:
            return [f for f in self.fields if f not in self.FIXABLE]
        return list(self.fields)

    def save_model(self, request, obj, form, change):
        # Only corrected recipients are written: the worker owns status and the rest of the row.
        fixed = [f for f in self.FIXABLE if f in form.changed_data]
        if fixed:
            OutgoingMail.objects.filter(pk=obj.pk, status=OutgoingMail.Status.FAILED).update(
                **{f: getattr(obj, f) for f in fixed})

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = sum(mail.send_again(mail=row, by=request.user) for row in queryset)
        self.message_user(request, ngettext("%(count)d message queued again.", "%(count)d messages queued again.",
                                            count) % {"count": count}, messages.SUCCESS if count else messages.WARNING)

    def response_change(self, request, obj):
        if "_send_again" in request.POST and self.has_change_permission(request, obj):
            if mail.send_again(mail=obj, by=request.user):
                self.message_user(request, _("The message is queued again."), messages.SUCCESS)
            else:
                self.message_user(request, _("Only a failed or cancelled message can be sent again."), messages.WARNING)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_send_again"] = obj is not None and obj.status in mail.RESENDABLE and self.has_change_permission(
            request, obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class OutgoingMailInline(GenericTabularInline):
    """The mail sent about a membership, a registration or a pledge, on its admin page."""

    model = OutgoingMail
    verbose_name = _("e-mail sent about it")
    verbose_name_plural = _("e-mails sent about it")
    fields = ["created_at", "kind", "recipients", "subject", "status", "attempts", "sent_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    ordering = ["-created_at"]

    @admin.display(description=_("recipients"))
    def recipients(self, obj):
        return _recipients(obj)

    def has_add_permission(self, request, obj=None):
        return False



# --- Activity: the audit log ----------------------------------------------------------------------------


@admin.register(Action)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every action of the services, newest first; read-only."""

    list_display = ["at", "actor", "action", "object_repr", "country"]
    list_filter = ["action", ("country", admin.RelatedOnlyFieldListFilter), ("user", admin.RelatedOnlyFieldListFilter),
                   "job", ("at", admin.DateFieldListFilter)]
    search_fields = ["object_repr", "user__email", "user__full_name", "action"]
    date_hierarchy = "at"
    list_select_related = ["user", "country", "content_type"]
    fields = ["at", "actor", "action", "about_link", "country", "changes_table"]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # Each object's page links here filtered to itself.
        if lookup in ("content_type__id__exact", "object_id"):
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("who"), ordering="user__email")
    def actor(self, obj):
        if obj.user_id:
            return str(obj.user)
        return format_html("<em>{}</em>", obj.job) if obj.job else _("outside the site (shell or data load)")

    @admin.display(description=_("object"))
    def about_link(self, obj):
        if obj.content_type_id and obj.object_id:
            from django.urls import NoReverseMatch, reverse

            try:
                url = reverse(f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change", args=[obj.object_id])
            except NoReverseMatch:
                return obj.object_repr
            return format_html('<a href="{}">{}</a>', url, obj.object_repr)
        return obj.object_repr

    @admin.display(description=_("changes"))
    def changes_table(self, obj):
        from django.utils.html import format_html_join

        rows = audit.readable_changes(obj)
        if not rows:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"), _("before"), _("after"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                             ((r["field"], r["old"], r["new"]) for r in rows)),
        )
