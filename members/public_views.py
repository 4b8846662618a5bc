"""Public pages of the members app: the directory and its open-data exports."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import public_page
from coalition.http import public_cache
from members import directory as directory_selectors
from members.filters import DirectoryFilter
from members.models import Membership

PAGE_SIZE = 50
# What the directory and its exports understand: its filters and the page number.
DIRECTORY_PARAMS = (*DirectoryFilter.base_filters, "page")


def _filtered(request):
    today = timezone.localdate()
    rows = directory_selectors.directory(today=today)
    years = [d.year for d in Membership.objects.dates("started_on", "year")]
    return DirectoryFilter(request.GET, queryset=rows, years=years), today


def _in_order(filterset):
    countries = list(filterset.qs)
    sort = getattr(filterset.form, "cleaned_data", {}).get("sort")
    return directory_selectors.in_order(countries, sort)


@public_page
@public_cache(params=DIRECTORY_PARAMS)
def directory(request):
    filterset, today = _filtered(request)
    # At most 194 rows: one query serves the count, the page and the map.
    countries = _in_order(filterset)
    paginator = Paginator(countries, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "today": today,
        "world_map": _map(countries),
    }
    return render(request, "members/directory.html", context)


def _map(countries):
    """The listed countries on the world map, coloured by WHO region (drawn here, no tile service)."""
    from members import worldmap
    from members.models import WhoRegion

    countries = list(countries)
    return {
        "map": worldmap.render(
            fills={c.iso2: f"region-{c.who_region}" for c in countries},
            titles={c.iso2: c.local_name for c in countries},
            label=str(_("Map of the listed countries, coloured by WHO region")),
        ),
        "legend": worldmap.legend(((f"region-{code}", label) for code, label in WhoRegion.choices),
                                  label=str(_("WHO regions"))),
    }


@public_page
@public_cache(params=DIRECTORY_PARAMS)
def export_csv(request):
    filterset, _today = _filtered(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="phc-coalition-members.csv"'
    writer = csv.DictWriter(response, fieldnames=directory_selectors.EXPORT_FIELDS)
    writer.writeheader()
    for country in _in_order(filterset):
        row = directory_selectors.export_row(country)
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return response


@public_page
@public_cache(params=DIRECTORY_PARAMS)
def export_json(request):
    filterset, today = _filtered(request)
    rows = [directory_selectors.export_row(c) for c in _in_order(filterset)]
    payload = {
        "schema": "phc-coalition-members/1",
        "generated_on": today.isoformat(),
        "count": len(rows),
        "countries": rows,
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


@public_page
@public_cache
def representativeness(request):
    """The membership beside the 194 WHO Member States, today; the outreach list is the Secretariat's."""
    from members import representativeness as figures

    context = figures.sections(on=timezone.localdate())
    return render(request, "members/representativeness.html", context)
