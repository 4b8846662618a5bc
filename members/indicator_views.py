from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import public_page
from coalition import fragments
from coalition.http import public_cache
from members import charts, indicators

STATUS_LABELS = [
    ("achieved", _("Achieved")), ("on_track", _("On track")), ("off_track", _("Off track")), ("no_data", _("No data")),
]


@public_page
@public_cache
def indicators_page(request):
    today = timezone.localdate()
    body = fragments.template_of_data("members/_indicators_body.html", [today], lambda: _figures(today), request)
    return render(request, "members/indicators.html", {"body": body})


def _figures(today):
    over_time = indicators.members_over_time(today=today)
    regions = indicators.members_by_region(today=today)
    coverage = indicators.pledge_coverage(today=today)
    reporting = indicators.reporting_coverage(today=today)
    levers = indicators.commitments_by_lever()
    events = indicators.events_by_year(today=today)
    status_keys = [key for key, _label in STATUS_LABELS]
    return {
        "today": today,
        "over_time": over_time,
        "over_time_chart": charts.bar_chart([(r["year"], r["members"]) for r in over_time],
                                            label=_("Member countries at the end of each year")),
        "regions": regions,
        "regions_chart": charts.bar_chart([(r["label"], r["count"]) for r in regions],
                                          label=_("Member countries by WHO region")),
        "coverage": coverage,
        "reporting": reporting,
        "coverage_chart": charts.bar_chart(
            [(_("With a published pledge"), coverage["published"]),
             (_("Without a published pledge"), coverage["members"] - coverage["published"])],
            label=_("Members with a published PHC pledge")),
        "levers": [{**row, "by_status": [row["statuses"].get(k, 0) for k in status_keys]} for row in levers],
        "levers_chart": charts.bar_chart([(r["label"], dict(r["statuses"])) for r in levers], keys=status_keys,
                                         label=_("Commitments by lever of the PHC Operational Framework, by status")),
        "status_labels": STATUS_LABELS,
        "events": events,
        "events_chart": charts.bar_chart([(r["year"], r["events"]) for r in events], label=_("Public events held per year")),
    }
