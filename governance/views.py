"""Pages of the Core Group's records and the work plan. Rules live in services and selectors;
outsiders get 404 and signed-out visitors are asked to sign in."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts import access
from accounts.access import public_page, signed_in_required
from coalition.http import public_cache
from governance import selectors


@signed_in_required
@require_safe
def meeting_list(request):
    """The Core Group meetings whose record the visitor may see."""
    meetings = list(selectors.visible_meetings(request.user))
    if not meetings and not access.is_secretariat(request.user):
        access.deny(request)
    return render(request, "governance/meeting_list.html", {"meetings": meetings})


@signed_in_required
@require_safe
def meeting_detail(request, event_pk):
    meeting = selectors.meeting_record(request.user, event_pk)
    if meeting is None:
        access.deny(request)
    return render(request, "governance/meeting_detail.html", {
        "meeting": meeting, "event": meeting.event, "decisions": list(meeting.decisions.all()),
        "today": timezone.localdate(),
    })


@public_page
@public_cache
@require_safe
def public_decisions(request):
    return render(request, "governance/decisions.html", {"decisions": list(selectors.public_decisions())})


@public_page
@public_cache(params=("year",))
@require_safe
def work_plan(request):
    current = timezone.localdate().year
    years = selectors.plan_years()
    asked = request.GET.get("year", "")
    problem = ""
    try:
        year = int(asked) if asked else current
    except ValueError:
        year, problem = current, _("“%(year)s” is not a year; this is the plan of %(current)s.") % {
            "year": asked[:20], "current": current}
    plan = selectors.work_plan(year) if 2000 <= year <= 2100 else None
    return render(request, "governance/work_plan.html", {
        "plan": plan, "year": year, "years": years, "lines": selectors.activities_by_line(plan),
        "problem": problem, "today": timezone.localdate(),
    }, status=200)
