from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from library import services
from library.models import Kind, Resource


def pdf_bytes(*paragraphs: str, lang: str = "en") -> bytes:
    """A small real PDF with text (WeasyPrint renders it; pypdf reads it back)."""
    import weasyprint

    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return weasyprint.HTML(string=f'<html lang="{lang}"><body>{body}</body></html>').write_pdf()


def pdf_upload(*paragraphs: str, name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(*paragraphs), content_type="application/pdf")


def make_resource(*, title: str = "Primary care in practice", language: str = "en", kind: str = Kind.LINK,
                  countries=(), file=None, url: str = "https://example.org/report", by=None, **fields) -> Resource:
    resource = Resource(kind=kind, original_language=language, url=url if kind != Kind.DOCUMENT else "",
                        published_on=fields.pop("published_on", date(2025, 5, 1)), **fields)
    setattr(resource, f"title_{language.replace('-', '_')}", title)
    if file is not None:
        resource.file = file
    return services.save_resource(resource=resource, countries=list(countries), by=by)


@pytest.fixture
def kz(db):
    from members.models import Country

    return Country.objects.get(iso2="KZ")


@pytest.fixture
def fr(db):
    from members.models import Country

    return Country.objects.get(iso2="FR")
