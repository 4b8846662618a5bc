"""Serving stored files, and saying so plainly when one is missing from its storage.

Every file view (letters, notices, evidence, event materials, library documents, reports, photos)
answers through :func:`file_response`. A file that a row names but its storage no longer has (a
disk lost, a restore without files) is not a server error: the Secretariat get a page saying which
file of what is missing and when it was uploaded according to the audit log (or the object's
history); everyone else gets the site's ordinary 404, as for any file they may not read. The
admin's file fields and links say "file missing" instead of linking to nothing
(:class:`StoredFileWidget`, :func:`admin_link`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.widgets import AdminFileWidget
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def is_missing(file) -> bool:
    """True when a row names a file its storage does not have (an empty field is not "missing")."""
    if not file:
        return False
    try:
        return not file.storage.exists(file.name)
    except OSError:
        return True


def file_response(request, file, *, what: str, about, headers: dict | None = None,
                  stored_at: datetime | None = None, **kwargs):
    """A ``FileResponse`` for ``file`` (a FieldFile) with ``headers``; 404 when there is none.

    ``what`` says what the file is ("signed letter"), ``about`` is the object holding it; ``stored_at``
    is when it was stored, for files written by jobs that the audit log does not record (built reports).
    The caller has already checked that the person may read the file.
    """
    if not file:
        raise Http404
    try:
        if is_missing(file):
            raise FileNotFoundError(file.name)
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("Missing file: %s of %s %s names %s, which its storage does not have",
                     what, type(about).__name__, about.pk, file.name)
        return missing_file_page(request, file, what=what, about=about, stored_at=stored_at)
    response = FileResponse(handle, **kwargs)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@dataclass(frozen=True)
class Upload:
    at: datetime
    who: str
    source: str  # where it was found, as said to the reader


def uploaded(about, file, *, stored_at: datetime | None = None) -> Upload | None:
    """When ``file`` was stored: the first entry of the audit log naming it, else of the object's history."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from coalition.models import Action

    # The stored name is unique (a random part), so the entry whose changes hold it is the upload's,
    # whichever object the service recorded it about (a notice's scan is recorded on the membership).
    entry = (Action.objects.annotate(text=Cast("changes", TextField())).filter(text__contains=f'"{file.name}"')
             .select_related("user").order_by("at", "pk").first())
    if entry is not None:
        return Upload(at=entry.at, who=str(entry.user or entry.job or _("someone outside the site")),
                      source=_("the audit log"))
    history = getattr(type(about), "history", None)
    field_name = getattr(getattr(file, "field", None), "name", None)
    if history is not None and field_name:
        row = (history.filter(**{about._meta.pk.attname: about.pk, field_name: file.name})
               .select_related("history_user").order_by("history_date").first())
        if row is not None:
            return Upload(at=row.history_date, who=str(row.history_user or _("someone outside the site")),
                          source=_("the record's history"))
    if stored_at is not None:
        return Upload(at=stored_at, who=_("the platform"), source=_("the record"))
    return None


def _admin_url(about) -> str:
    try:
        return reverse(f"admin:{about._meta.app_label}_{about._meta.model_name}_change", args=[about.pk])
    except NoReverseMatch:
        return ""


def missing_file_page(request, file, *, what: str, about, stored_at: datetime | None = None):
    """The Secretariat's page for a missing file (status 404); a plain 404 for everyone else."""
    from django.contrib import admin

    from accounts.access import is_secretariat

    if not is_secretariat(request.user):
        raise Http404
    context = {
        **admin.site.each_context(request),
        "title": _("File missing"),
        "what": what,
        "about": about,
        "kind": about._meta.verbose_name,
        "name": file.name,
        "upload": uploaded(about, file, stored_at=stored_at),
        "admin_url": _admin_url(about),
    }
    response = render(request, "admin/coalition/file_missing.html", context, status=404)
    response["Cache-Control"] = "private, no-store"
    return response


MISSING_MARK = '<strong class="file-missing">{}</strong>'


def admin_link(file, url: str, label: str):
    """An admin page's link to a stored file, or "file missing" when its storage does not have it."""
    if not file:
        return "—"
    if is_missing(file):
        return format_html(MISSING_MARK, _("file missing"))
    return format_html('<a href="{}">{}</a>', url, label)


class StoredFileWidget(AdminFileWidget):
    """The admin's file input, saying "file missing" where the stored file is gone instead of linking to it."""

    template_name = "coalition/widgets/stored_file_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["file_missing"] = bool(context["widget"]["is_initial"]) and is_missing(value)
        context["widget"]["missing_text"] = _("file missing")
        return context


def install_admin_widget() -> None:
    """Every admin's FileField and ImageField use :class:`StoredFileWidget` unless the admin chose another.

    Called from ``CoalitionConfig.ready``, after the admin has registered its ModelAdmins; inlines are
    built per request and read the defaults then.
    """
    from django.contrib import admin
    from django.contrib.admin import options
    from django.db import models

    for field_class in (models.FileField, models.ImageField):
        options.FORMFIELD_FOR_DBFIELD_DEFAULTS.setdefault(field_class, {})["widget"] = StoredFileWidget
        for model_admin in admin.site._registry.values():
            overrides = model_admin.formfield_overrides.setdefault(field_class, {})
            if overrides.get("widget") in (None, AdminFileWidget):
                overrides["widget"] = StoredFileWidget
