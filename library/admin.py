from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from library import services
from library.models import Resource
from library.validators import validate_document
from members.models import WhoRegion
from pledges.models import Component, Lever

PREVIEW_CHARACTERS = 1500


class ResourceForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), max_length=500, required=False, assume_scheme="https",
                         widget=widgets.AdminURLFieldWidget)
    levers = forms.MultipleChoiceField(
        label=_("levers of the PHC Operational Framework"), choices=Lever.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    components = forms.MultipleChoiceField(
        label=_("PHC components"), choices=Component.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("WHO regions"), choices=WhoRegion.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=Resource._meta.get_field("regions").help_text,
    )

    class Meta:
        model = Resource
        fields = "__all__"

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        # Checked here, with the form's other errors, and again by the service that saves it.
        if isinstance(upload, UploadedFile):
            validate_document(upload)
        return upload


@admin.register(Resource)
class ResourceAdmin(TranslationAdmin):
    # Title and summary in every language on one page; the original language says which one readers fall back to.
    form = ResourceForm
    list_display = ["title", "kind", "original_language", "published_on", "members_only", "text_length"]
    list_filter = ["kind", "members_only", "original_language"]
    search_fields = ["title", "summary", "search__text"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["countries", "event"]
    readonly_fields = ["extracted_text"]
    fieldsets = [
        (None, {"fields": ["original_language", "kind", "title", "summary", "published_on", "members_only"]}),
        (_("Document or link"), {"fields": ["file", "url", "extracted_text"]}),
        (_("What it is about"), {"fields": ["countries", "regions", "levers", "components", "event"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("search")

    @admin.display(description=_("characters of text"))
    def text_length(self, resource):
        text = getattr(getattr(resource, "search", None), "text", "")
        return len(text) if text else "—"

    @admin.display(description=_("text found in the PDF"))
    def extracted_text(self, resource):
        text = getattr(getattr(resource, "search", None), "text", "") if resource.pk else ""
        if not text:
            return gettext("None: searches find the title and summary only. A scanned document has no text; "
                           "upload a PDF saved from the original instead.") if resource.file else "—"
        more = len(text) - PREVIEW_CHARACTERS
        return text[:PREVIEW_CHARACTERS] + (
            gettext(" … (%(count)s more characters)") % {"count": more} if more > 0 else "")

    def get_changeform_initial_data(self, request):
        return {"original_language": get_language(), **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        services.save_resource(resource=obj, countries=form.cleaned_data.get("countries"), by=request.user)

    def save_related(self, request, form, formsets, change):
        # The service has set the countries (and the regions they bring); there are no inlines.
        pass

    def delete_model(self, request, obj):
        services.delete_resource(resource=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for resource in queryset:
            services.delete_resource(resource=resource, by=request.user)
