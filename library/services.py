"""Library rules: saving a resource checks its PDF, extracts its text and indexes it for search.

Every function takes keyword arguments and runs in one transaction; errors are ValidationError
with a message a person can act on, and nothing changes when one is raised.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Func, Value
from modeltranslation.utils import build_localized_fieldname

from coalition.audit import audited
from library.models import Resource, ResourceText
from library.selectors import config_for
from library.validators import validate_document
from members.models import WhoRegion

logger = logging.getLogger(__name__)

# A document's first 300,000 characters (a hundred pages or so) are searched: PostgreSQL keeps
# a search vector under 1 MB, and the words that matter are rarely beyond that.
MAX_TEXT_CHARACTERS = 300_000


def _pdf_text(upload) -> str:
    """The text of a PDF's pages, as far as pypdf reads it (a scanned page has none)."""
    from pypdf import PdfReader

    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        parts, size = [], 0
        for page in reader.pages:
            try:
                text = page.extract_text() or ""
            except Exception:
                logger.warning("library: a page of an uploaded PDF has no readable text", exc_info=True)
                text = ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT_CHARACTERS:
                break
    finally:
        upload.seek(0)
    # PostgreSQL text cannot hold NUL characters, which some PDFs' fonts produce.
    return "\n".join(parts)[:MAX_TEXT_CHARACTERS].replace("\x00", "")


def _unaccented(text: str) -> Func:
    return Func(Value(text, output_field=models.TextField()), function="unaccent", output_field=models.TextField())


def _vector(text: str, language: str, weight: str):
    """The words of ``text`` as its language stems them, and as written (for readers of other languages)."""
    return (SearchVector(_unaccented(text), config=config_for(language), weight=weight)
            + SearchVector(_unaccented(text), config="simple", weight=weight))


def _index(resource: Resource, text: str) -> None:
    """Titles weigh most, then summaries, then the document's text; each in its own language."""
    vector = _vector(text, resource.original_language, "C")
    for code, _name in settings.LANGUAGES:
        for name, weight in (("title", "A"), ("summary", "B")):
            value = getattr(resource, build_localized_fieldname(name, code)) or ""
            if value:
                vector = _vector(value, code, weight) + vector
    ResourceText.objects.update_or_create(resource=resource, defaults={"text": text})
    ResourceText.objects.filter(resource=resource).update(search_vector=vector)


def _regions_with(regions, countries) -> list[str]:
    chosen = set(regions) | {c.who_region for c in countries}
    return [code for code in WhoRegion.values if code in chosen]


@transaction.atomic
@audited("library.resource_saved", about="resource")
def save_resource(*, resource: Resource, countries=None, by=None) -> Resource:
    """Save a resource (new or edited): a new PDF is checked by its content and its text extracted.

    ``countries`` replaces the resource's countries when given; their WHO regions are added to its regions.
    """
    current = Resource.objects.select_for_update().filter(pk=resource.pk).first() if resource.pk else None
    upload = resource.file if resource.file and not resource.file._committed else None
    if upload is not None:
        try:
            validate_document(upload.file)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from None
        text = _pdf_text(upload.file)
    elif not resource.file:
        text = ""
    else:
        text = ResourceText.objects.filter(resource_id=resource.pk).values_list("text", flat=True).first() or ""
    if countries is None:
        countries = list(resource.countries.all()) if resource.pk else []
    else:
        countries = list(countries)
    resource.regions = _regions_with(resource.regions, countries)
    resource.full_clean()
    resource.save()
    resource.countries.set(countries)
    _index(resource, text)
    replaced = current.file.name if current is not None and current.file else ""
    if replaced and replaced != resource.file.name:
        # Once the new one is committed: a rolled-back save keeps the old document.
        transaction.on_commit(lambda: current.file.storage.delete(replaced))
    return resource


@transaction.atomic
@audited("library.resource_deleted", about="resource")
def delete_resource(*, resource: Resource, by=None) -> None:
    stored = resource.file.name if resource.file else ""
    storage = resource.file.storage if resource.file else None
    # Deleted by a query, not the instance, so that the instance keeps its id and the log names what went.
    Resource.objects.filter(pk=resource.pk).delete()
    if stored:
        # Only once the deletion is committed: a rolled-back one keeps its document.
        transaction.on_commit(lambda: storage.delete(stored))
