"""Public pages of the members app: the directory and its open-data exports."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from accounts.access import public_page
from coalition import fragments
from coalition.http import public_cache
from members import directory as directory_selectors
from members.filters import DirectoryFilter
from members.models import Country

PAGE_SIZE = 50
# What the directory and its exports understand: its filters and the page number.
DIRECTORY_PARAMS = (*DirectoryFilter.base_filters, "page")


def _filtered(request):
    today = timezone.localdate()
    rows = directory_selectors.directory(today=today)
    return DirectoryFilter(request.GET, queryset=rows, years=directory_selectors.accession_years()), today


def _in_order(filterset):
    sort = getattr(filterset.form, "cleaned_data", {}).get("sort")
    return directory_selectors.in_order(list(filterset.qs), sort)


@public_page
@public_cache(params=DIRECTORY_PARAMS)
def directory(request):
    today = timezone.localdate()
    params = tuple((name, tuple(request.GET.getlist(name))) for name in sorted(request.GET) if name != "page")
    years = directory_selectors.accession_years()
    shown, _count = directory_selectors.listing_shown(params=params, today=today)

    def draw():
        # At most 194 rows: one query serves the count, the page and the map.
        rows = directory_selectors.listing(params=params, today=today)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render_to_string("members/_directory_body.html", {
            # Drawn only when the form's fragment is not kept: the query and the years are all it shows.
            "filter": SimpleLazyObject(lambda: DirectoryFilter(request.GET, queryset=Country.objects.none(),
                                                               years=years)),
            "filter_shows": (params, years),
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "world_map": _map(rows),
        }, request=request)

    # The page shows its rows (by their digest), the query, the page asked for and the years to choose.
    body = fragments.drawn("directory-page", [shown, params, request.GET.get("page", ""), years], draw)
    return render(request, "members/directory.html", {"body": body})


def _map(rows):
    """The listed countries on the world map, coloured by WHO region (drawn here, no tile service)."""
    from members import worldmap
    from members.models import WhoRegion

    shown = [(row["iso2"], row["who_region"], row["local_name"]) for row in rows]
    return {
        "map": fragments.drawn("directory-map", shown, lambda: worldmap.render(
            fills={iso2: f"region-{region}" for iso2, region, _name in shown},
            titles={iso2: name for iso2, _region, name in shown},
            label=str(_("Map of the listed countries, coloured by WHO region")),
        )),
        "legend": fragments.drawn("region-legend", (), lambda: worldmap.legend(
            ((f"region-{code}", label) for code, label in WhoRegion.choices), label=str(_("WHO regions")))),
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
