"""The knowledge library: documents, links and country case studies the Secretariat shares.

Event materials and the lessons of published progress reports are found in the library too, but
stay where they are (events, pledges); ``library.selectors`` searches the three together.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coalition import storage as file_storage
from coalition.content_language import original_title_missing
from members.models import WhoRegion
from pledges.models import Component, Lever


class Kind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    CASE_STUDY = "case_study", _("Country case study")


# Members-only documents must not be reachable by URL: they are private files, served by a view that
# checks who asks (public ones too, so that marking one later is enough).
library_storage = file_storage.storage("library")


def _library_storage():
    return library_storage


def document_upload_to(instance, filename):
    return f"documents/{uuid.uuid4().hex}.pdf"


class Resource(models.Model):
    """One item of the library: a PDF document, a link, or a country case study (a PDF, a link or both)."""

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("The language the document itself is written in, and its title and summary first. The other "
                    "languages are translations; where one is missing, readers see the original, marked as such."),
    )
    file = models.FileField(
        _("document (PDF)"), storage=_library_storage, upload_to=document_upload_to, blank=True, max_length=200,
        help_text=_("A PDF of at most 10 MB. Its text is extracted when it is uploaded, so that searches find it."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    countries = models.ManyToManyField(
        "members.Country", blank=True, related_name="library_resources", verbose_name=_("countries"),
    )
    regions = ArrayField(
        models.CharField(max_length=4, choices=WhoRegion.choices), default=list, blank=True,
        verbose_name=_("WHO regions"),
        help_text=_("The regions of the countries chosen are added when the resource is saved."),
    )
    levers = ArrayField(
        models.CharField(max_length=30, choices=Lever.choices), default=list, blank=True,
        verbose_name=_("levers of the PHC Operational Framework"),
    )
    components = ArrayField(
        models.CharField(max_length=30, choices=Component.choices), default=list, blank=True,
        verbose_name=_("PHC components"),
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="library_resources",
        verbose_name=_("from the event"),
    )
    members_only = models.BooleanField(
        _("members only"), default=False,
        help_text=_("Seen only by the Secretariat and the focal points of member countries; others are told it "
                    "does not exist."),
    )
    published_on = models.DateField(_("date"), default=timezone.localdate,
                                    help_text=_("When the document was published; the library lists newest first."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("library resource")
        verbose_name_plural = _("library resources")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="resource_kind_known"),
            models.CheckConstraint(condition=~models.Q(kind="document") | ~models.Q(file=""),
                                   name="resource_document_has_file"),
            models.CheckConstraint(condition=~models.Q(kind="link") | ~models.Q(url=""), name="resource_link_has_url"),
            models.CheckConstraint(condition=~models.Q(kind="case_study") | ~models.Q(file="") | ~models.Q(url=""),
                                   name="resource_case_study_has_file_or_url"),
            models.CheckConstraint(condition=models.Q(levers__contained_by=Lever.values), name="resource_levers_known"),
            models.CheckConstraint(condition=models.Q(components__contained_by=Component.values),
                                   name="resource_components_known"),
            models.CheckConstraint(condition=models.Q(regions__contained_by=WhoRegion.values),
                                   name="resource_regions_known"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("library:detail", args=[self.pk])

    def get_levers_display(self) -> list[str]:
        return [str(Lever(v).label) for v in self.levers if v in Lever.values]

    def get_components_display(self) -> list[str]:
        return [str(Component(v).label) for v in self.components if v in Component.values]

    def get_regions_display(self) -> list[str]:
        return [str(WhoRegion(v).label) for v in self.regions if v in WhoRegion.values]

    def clean(self):
        errors = {}
        if self.kind == Kind.DOCUMENT and not self.file:
            errors["file"] = _("Upload the document as a PDF file.")
        if self.kind == Kind.LINK and not self.url:
            errors["url"] = _("Give the address of the page.")
        if self.kind == Kind.CASE_STUDY and not self.file and not self.url:
            errors["file"] = _("Upload the case study as a PDF file, give a link to it, or both.")
        errors.update(original_title_missing(self))
        if errors:
            raise ValidationError(errors)


class ResourceText(models.Model):
    """What searches read of a resource: the PDF's text and the search vector built from it and the titles.

    Kept apart from the resource so that the audit log of a resource records what people changed,
    not a copy of a document's text and its search vector at each edit.
    """

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, primary_key=True, related_name="search")
    text = models.TextField(_("text of the document"), blank=True)
    search_vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("text of a resource")
        verbose_name_plural = _("texts of resources")
        indexes = [GinIndex(fields=["search_vector"], name="library_resource_search")]

    def __str__(self):
        return str(self.resource)
