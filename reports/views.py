"""Pages of the reports: thin; the rules are in services and selectors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.access import public_page, secretariat_required, signed_in_required
from coalition import stored_files
from reports import selectors, services
from reports.forms import RecapForm, ReportRequestForm
from reports.models import ReportRequest

REFRESH_SECONDS = 5


def _visible_or_404(request, pk) -> ReportRequest:
    report = ReportRequest.objects.select_related("country", "requested_by", "term").filter(pk=pk).first()
    if report is None or not selectors.can_view(request.user, report):
        access.deny(request)
    return report


def _messages_of(error: ValidationError) -> list[str]:
    return error.messages


@public_page
def report_list(request):
    staff = selectors.is_reports_staff(request.user)
    form = None
    if selectors.can_request(request.user):
        form = ReportRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                report, created = services.request_report(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                if not created:
                    messages.info(request, _("The same report is already queued or being built: here it is."))
                return redirect("reports:detail", pk=report.pk)
    elif request.method == "POST":
        access.deny(request)
    reports = list(selectors.reports_visible_to(request.user)[:200])
    if not staff and not reports:
        access.deny(request)
    return render(request, "reports/list.html", {
        "form": form, "reports": reports, "staff": staff,
        "refresh": REFRESH_SECONDS if any(r.is_active for r in reports) else None,
    })


@public_page
def report_detail(request, pk):
    report = _visible_or_404(request, pk)
    return render(request, "reports/detail.html", {
        "report": report,
        "staff": selectors.is_reports_staff(request.user),
        "can_download": selectors.can_download(request.user, report),
        "refresh": REFRESH_SECONDS if report.is_active else None,
    })


@public_page
def download(request, pk):
    report = _visible_or_404(request, pk)
    if not selectors.can_download(request.user, report):
        raise Http404
    return stored_files.file_response(
        request, report.file, what=_("built PDF"), about=report, stored_at=report.finished_at,
        headers={"Cache-Control": "private, no-store" if report.published_at is None else "public, max-age=3600",
                 "X-Content-Type-Options": "nosniff"},
        content_type="application/pdf", as_attachment=True, filename=report.download_name())


def _staff_action(request, pk, action, done_message):
    report = get_object_or_404(ReportRequest, pk=pk)
    try:
        action(report=report, by=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect("reports:detail", pk=pk)


@require_POST
@secretariat_required
def retry(request, pk):
    return _staff_action(request, pk, services.retry_report, _("The report is queued again."))


@require_POST
@secretariat_required
def publish(request, pk):
    return _staff_action(request, pk, services.publish_report, _("The report is published: anyone with the link can download it."))


@signed_in_required
@require_GET
def recap(request):
    """The recap of a Core Group meeting (``?meeting=<event>``) or of the 12 months before ``?until=``."""
    from reports import recap as recaps

    meeting = None
    if "meeting" in request.GET:
        pk = request.GET["meeting"]
        meeting = recaps.meeting_by_pk(pk) if pk.isdigit() else None
        if meeting is None:
            access.deny(request)
        form = RecapForm({"until": meeting.local_starts_at.date().isoformat()})
    else:
        form = RecapForm(request.GET if "until" in request.GET else {"until": timezone.localdate().isoformat()})
    valid = form.is_valid()
    until = (form.cleaned_data.get("until") if valid else None) or timezone.localdate()
    if not recaps.may_read(request.user, until=until, meeting=meeting):
        access.deny(request)
    staff = selectors.can_request(request.user)
    context = {
        "form": form, "meeting": meeting, "meetings": recaps.meetings_visible_to(request.user), "staff": staff,
        "language": request.LANGUAGE_CODE,
    }
    if not valid:
        return render(request, "reports/recap.html", context, status=400)
    context.update(recaps.recap_data(until=until))
    return render(request, "reports/recap.html", context)


@public_page
def verify(request, code):
    report = selectors.certificate_by_code(code.strip().upper())
    if report is None:
        raise Http404
    today = timezone.localdate()
    return render(request, "reports/verify.html", {
        "report": report, "validity": selectors.certificate_validity(report, today=today), "today": today,
    })
