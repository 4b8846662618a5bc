"""Attendee lists as CSV for the secretariat."""

import csv
from datetime import timezone as dt_timezone

from django.http import HttpResponse
from django.utils.translation import gettext as _


def _cell(value) -> str:
    # Spreadsheets run cells that start with these as formulas; names come from the public.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def attendees_csv(registrations, *, filename: str) -> HttpResponse:
    """``registrations``: e.g. ``selectors.attendees(events)``."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8 names correctly
    writer = csv.writer(response)
    writer.writerow([
        _("Event"), _("Event starts (local time)"), _("Time zone"), _("Name"), _("E-mail"), _("Organisation"),
        _("Country"), _("ISO3"), _("Status"), _("Registered at (UTC)"), _("Registered by"), _("Attended"),
    ])
    yes_no = {True: _("yes"), False: _("no"), None: ""}
    for r in registrations:
        writer.writerow([_cell(v) for v in (
            r.event.title, r.event.local_starts_at.strftime("%Y-%m-%d %H:%M"), r.event.timezone, r.name, r.email,
            r.organisation, r.country.local_name if r.country else "", r.country.iso3 if r.country else "",
            r.get_status_display(), r.created_at.astimezone(dt_timezone.utc).strftime("%Y-%m-%d %H:%M"),
            r.registered_by.email if r.registered_by else "", yes_no[r.attended],
        )])
    return response
