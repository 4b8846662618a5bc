from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from accounts import access
from announcements import messages as announcement_messages
from announcements import selectors, services
from announcements.models import Announcement, Audience, Subscriber
from coalition.admin_mixins import ReadOnlyAdminMixin
from members.models import WhoRegion


class AnnouncementForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=settings.LANGUAGES, widget=forms.CheckboxSelectMultiple,
        help_text=Announcement._meta.get_field("languages").help_text,
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple,
        help_text=Announcement._meta.get_field("audiences").help_text,
    )
    regions = forms.MultipleChoiceField(
        label=_("WHO regions"), choices=WhoRegion.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=Announcement._meta.get_field("regions").help_text,
    )

    class Meta:
        model = Announcement
        fields = "__all__"

    def clean(self):
        data = super().clean()
        if Audience.EVENT_REGISTRANTS in (data.get("audiences") or []) and not data.get("events"):
            self.add_error("events", _("Choose at least one event, or do not send to people registered for events."))
        return data


@admin.register(Announcement)
class AnnouncementAdmin(TranslationAdmin):
    # Title and text are edited in every language on one page (title [en], title [fr], …); the
    # languages chosen say which of them must be written before sending.
    form = AnnouncementForm
    list_display = ["title", "status", "public", "audience_list", "recipient_count", "sent_at"]
    list_filter = ["status", "public"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["events"]
    readonly_fields = ["status", "recipient_count", "sent_at", "sent_by", "created_by", "language_names",
                       "audience_list", "region_names"]
    fieldsets = [
        (None, {"fields": ["original_language", "languages", "title", "body", "public"]}),
        (_("Audience"), {"fields": ["audiences", "regions", "events"]}),
        (_("Sending"), {"fields": ["status", "recipient_count", "sent_at", "sent_by", "created_by"]}),
    ]

    @admin.display(description=_("audiences"))
    def audience_list(self, obj):
        labels = dict(Audience.choices)
        return "; ".join(str(labels.get(a, a)) for a in obj.audiences)

    @admin.display(description=_("languages"))
    def language_names(self, obj):
        names = dict(settings.LANGUAGES)
        return ", ".join(str(names.get(code, code)) for code in obj.languages)

    @admin.display(description=_("WHO regions"))
    def region_names(self, obj):
        names = dict(WhoRegion.choices)
        return ", ".join(str(names.get(code, code)) for code in obj.regions) or "—"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not obj.is_sent:
            return fieldsets
        # Read only: the choices by their names, not their codes.
        shown = {"languages": "language_names", "audiences": "audience_list", "regions": "region_names"}
        return [(name, {**options, "fields": [shown.get(f, f) for f in options["fields"]]})
                for name, options in fieldsets]

    def get_changeform_initial_data(self, request):
        language = get_language()
        return {"original_language": language, "languages": [language],
                **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        # A sent announcement is part of the record: shown, never changed.
        if obj is not None and obj.is_sent:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.save_draft(announcement=obj, by=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = Announcement.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        extra_context = extra_context or {}
        if obj is not None and access.is_secretariat(request.user):
            names = dict(settings.LANGUAGES)
            extra_context["preview_links"] = [
                {"name": names[code], "url": reverse("admin:announcements_announcement_preview", args=[obj.pk, code])}
                for code, _name in settings.LANGUAGES if code in obj.languages
            ]
            extra_context["may_send"] = not obj.is_sent
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("<int:pk>/preview/<str:language>/", self.admin_site.admin_view(self.preview_view),
                 name="announcements_announcement_preview"),
            path("<int:pk>/send/", self.admin_site.admin_view(self.send_view), name="announcements_announcement_send"),
        ] + super().get_urls()

    def _announcement(self, request, pk) -> Announcement:
        # Other staff may have model permissions, but only the Secretariat previews and sends.
        if not access.is_secretariat(request.user):
            raise Http404
        return get_object_or_404(Announcement, pk=pk)

    def _context(self, request, announcement, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "original": announcement, "title": title,
        }

    def preview_view(self, request, pk, language):
        announcement = self._announcement(request, pk)
        names = dict(settings.LANGUAGES)
        if language not in announcement.languages:
            raise Http404
        context = self._context(request, announcement, _("Preview in %(language)s") % {"language": names[language]})
        context.update({
            "language": language,
            "message": announcement_messages.preview(announcement, language),
            "missing": language in announcement.missing_translations(),
            "languages": [{"code": code, "name": names[code], "current": code == language,
                           "url": reverse("admin:announcements_announcement_preview", args=[announcement.pk, code])}
                          for code, _name in settings.LANGUAGES if code in announcement.languages],
        })
        return TemplateResponse(request, "admin/announcements/announcement/preview.html", context)

    def send_view(self, request, pk):
        announcement = self._announcement(request, pk)
        change_url = reverse("admin:announcements_announcement_change", args=[announcement.pk])
        if request.method == "POST":
            try:
                queued = services.send(announcement=announcement, by=request.user)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
                return redirect("admin:announcements_announcement_send", announcement.pk)
            messages.success(request, ngettext(
                "The announcement is sent: %(count)d message is on its way.",
                "The announcement is sent: %(count)d messages are on their way.", queued) % {"count": queued})
            return redirect(change_url)
        context = self._context(request, announcement, _("Send the announcement"))
        context.update({"summary": selectors.summary(announcement),
                        "problems": selectors.send_problems(announcement), "change_url": change_url})
        return TemplateResponse(request, "admin/announcements/announcement/send.html", context)


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Addresses come only through the double opt-in; staff may erase one on request.
    list_display = ["email", "language", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status", "language"]
    search_fields = ["email"]

    def has_delete_permission(self, request, obj=None):
        return access.is_secretariat(request.user)
