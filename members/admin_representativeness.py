"""The Secretariat's representativeness page (in the admin's look) and its outreach list as CSV.

Served under the admin's address but outside ``admin.site`` (as the staff calendar page is), so that
the access policy answers: Secretariat only, 404 to everyone else, signed-out people asked to sign in.
"""

from __future__ import annotations

import csv

from django import forms
from django.contrib import admin
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts import access
from members import representativeness as figures
from members.forms import DateInput
from members.models import Membership


class OnForm(forms.Form):
    on = forms.DateField(label=_("Membership on"), required=False, widget=DateInput())


def _day(request):
    """The day asked for (today when none), and the form that asked, with any error and what was typed."""
    form = OnForm(request.GET)
    day = form.cleaned_data.get("on") if form.is_valid() else None
    return day or timezone.localdate(), form


@access.secretariat_required
@require_GET
def page(request):
    day, form = _day(request)
    context = {
        **admin.site.each_context(request),
        "opts": Membership._meta,
        "title": _("Representativeness and outreach"),
        "form": form,
        **figures.sections(on=day, outreach=True),
    }
    return TemplateResponse(request, "admin/members/representativeness/page.html", context)


@access.secretariat_required
@require_GET
def outreach_csv(request):
    """The countries not yet members (all, or one group's), with the codes of the members export."""
    day, form = _day(request)
    if form.errors:
        return HttpResponse(" ".join(form.errors["on"]), status=400, content_type="text/plain; charset=utf-8")
    dimension, group = request.GET.get("dimension"), request.GET.get("group")
    rows = figures.outreach_rows(on=day, dimension=dimension, param=group)
    if rows is None:
        return HttpResponse(_("There is no such group: follow a link of the representativeness page."),
                            status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = f"-{dimension}-{group}" if dimension else ""
    response["Content-Disposition"] = f'attachment; filename="phc-coalition-outreach-{day.isoformat()}{suffix}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.DictWriter(response, fieldnames=figures.CSV_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return response
