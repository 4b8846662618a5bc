"""Pages of pledges: public lists, the focal points' dashboard and editors, the secretariat's review.

Outsiders get 404 rather than 403, so that a URL does not reveal whether a draft exists.
"""

from __future__ import annotations

import csv
import importlib

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access, stash
from accounts.access import focal_point_required, public_page, secretariat_required, signed_in_required
from coalition import fragments, stored_files
from coalition.http import public_cache
from events import selectors as event_selectors
from events.selectors import participation_of
from governance import selectors as governance_selectors
from members.models import Country
from members import selectors as member_selectors
from members.selectors import public_record_of
from pledges import display, exports, quality, selectors, services
from pledges.diff import diff_snapshots
from pledges.filters import EXPLORER_PARAMS, CommitmentFilter
from pledges.forms import (
    AcceptInvitationForm,
    CommitmentForm,
    CommitmentFormSet,
    IndicatorForm,
    IndicatorValueForm,
    PledgeForm,
    ProgressEntryForm,
    ReviewForm,
)
from pledges.models import CommitmentProgress, Pledge, PledgeVersion, ProgressReport


def _today():
    return timezone.localdate()


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- Public -------------------------------------------------------------------------------------------


EXPLORER_PAGE_SIZE = 25


def _filtered(request):
    return CommitmentFilter(request.GET or None, queryset=selectors.published_commitments())


@public_page
@public_cache(params=EXPLORER_PARAMS)
def pledge_list(request):
    """The explorer of published commitments: filtered and counted in SQL, tracks drawn for one page."""
    def explored():
        filterset = _filtered(request)
        page = Paginator(filterset.qs, EXPLORER_PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "filter": filterset, "page": page, "rows": selectors.tracked(page.object_list),
            "count": page.paginator.count, "query": query.urlencode(), "export_query": query.urlencode(),
        }

    # The query holds only the explorer's own parameters (public_cache drops the rest), in one order.
    body = fragments.template_of_data("pledges/_list_body.html", [request.GET.urlencode()], explored, request)
    return render(request, "pledges/list.html", {"body": body})


@public_page
@public_cache(params=EXPLORER_PARAMS)
def export_csv(request):
    rows = selectors.tracked(_filtered(request).qs)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="phc-coalition-commitments.csv"'
    writer = csv.DictWriter(response, fieldnames=exports.CSV_FIELDS)
    writer.writeheader()
    for row in exports.csv_rows(rows):
        writer.writerow(row)
    return response


@public_page
@public_cache(params=EXPLORER_PARAMS)
def export_json(request):
    payload = exports.json_payload(selectors.tracked(_filtered(request).qs), today=_today())
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


@public_page
@public_cache
def country_page(request, iso3):
    if iso3 != iso3.lower():
        return redirect("pledges:country", iso3=iso3.lower(), permanent=True)
    country = member_selectors.country_by_iso3(iso3=iso3.upper())
    if country is None:
        raise Http404
    today = _today()

    def record():
        history = public_record_of(country)
        page = selectors.country_page(country, today=today, memberships=history["memberships"])
        return {
            "country": country, "today": today, **page, **history,
            "report_rows": selectors.report_rows(page["report"]),
            "participation": participation_of(country),
        }

    # Everything below the header is the country's public record, the same for every reader of a language.
    body = fragments.template_of_data("pledges/_country_body.html", [country.pk, today], record, request)
    return render(request, "pledges/country.html", {"country": country, "body": body})


@public_page
@public_cache
def pledge_detail(request, pk):
    pledge = selectors.visible_pledge(request.user, pk)
    if pledge is None:
        access.deny(request)
    # What a reader may do with the pledge follows from who they are, the data and the day.
    body = fragments.template_of_data("pledges/_detail_body.html", [pledge.pk, request.user.pk, _today()],
                                      lambda: _pledge_detail(request, pledge.pk), request)
    return render(request, "pledges/detail.html", {"pledge": pledge, "body": body})


def _pledge_detail(request, pk) -> dict:
    pledge = selectors.with_commitments(selectors.pledges_visible_to(request.user)).get(pk=pk)
    staff = access.is_secretariat(request.user)
    can_edit = access.may_edit_for(request.user, pledge.country)
    reports = list(selectors.reports_visible_to(request.user).filter(pledge=pledge).order_by("-year"))
    latest = selectors.latest_published_report(pledge)
    today = _today()
    versions = list(pledge.versions.order_by("-number")) if staff or can_edit else []
    pending = next((v for v in versions if v.outcome == PledgeVersion.Outcome.PENDING), None)
    context = {
        "pledge": pledge,
        "commitments": pledge.commitments.all(),
        "tracked": selectors.tracked(pledge.commitments.all()),
        "staff": staff,
        "can_edit": can_edit and pledge.status == Pledge.Status.DRAFT,
        "can_report": can_edit and pledge.status == Pledge.Status.PUBLISHED,
        "can_recall": can_edit and services.may_recall(pledge, pending),
        "next_report": selectors.next_report(pledge, today=today),
        "reporting_status": selectors.reporting_status(pledge, today=today, reports=list(pledge.reports.all())),
        "reports": reports,
        "latest_report": latest,
        "report_rows": selectors.report_rows(latest),
        "missing": services.missing_for_submission(pledge) if can_edit and pledge.status == Pledge.Status.DRAFT else [],
        "versions": versions,
        "pending": pending,
    }
    if staff:
        assessments = quality.assess(pledge)
        comments = pending.commitment_comments if pending else {}
        context.update({
            "assessments": [(a, comments.get(str(a.number), "")) for a in assessments],
            "checklist": quality.checklist(assessments),
            "review_form": ReviewForm(),
            "recorded_gaps": [quality.describe_gap(g) for v in versions for g in v.gaps
                              if v.outcome == PledgeVersion.Outcome.ACCEPTED][:50],
        })
    return context


# --- Focal points ------------------------------------------------------------------------------------


def _upcoming_events(country, user):
    # The events app may not provide this yet; the dashboard then simply shows no events.
    try:
        module = importlib.import_module("events.selectors")
    except ImportError:
        return []
    upcoming = getattr(module, "upcoming_events_for", None)
    if upcoming is None:
        return []
    return list(upcoming(country=country, user=user))


@focal_point_required
def dashboard(request):
    countries = request.speaks_for

    def sections():
        roles = access.focal_point_roles(request.user, countries)
        sections = selectors.dashboard_sections(countries, today=_today())
        action_items = governance_selectors.pending_items_of(countries, today=_today())
        for section in sections:
            section["events"] = _upcoming_events(section["country"], request.user)
            section["focal_point"] = roles.get(section["country"].pk)
            section["action_items"] = action_items.get(section["country"].pk, [])
        return {"sections": sections}

    # One person's page until the data changes, an event ends or the day turns.
    def shows():
        return [request.user.pk, [c.pk for c in countries], _today(), event_selectors.moment(timezone.now())]

    body = fragments.template_of_data("pledges/_dashboard_body.html", shows, sections, request)
    return render(request, "pledges/dashboard.html", {"body": body})


@require_POST
@focal_point_required
def public_contact(request, iso3):
    """A focal point shows or hides their own contact on the public country page."""
    country = get_object_or_404(Country, iso3=iso3.upper())
    focal_point = access.focal_point_role(request.user, country)
    if focal_point is None:
        raise Http404
    public = request.POST.get("public") == "1"
    services.set_public_contact(focal_point=focal_point, public=public, by=request.user)
    messages.success(request, _("Your contact is shown on the country page.") if public
                     else _("Your contact is no longer shown on the country page."))
    return redirect("pledges:dashboard")


@require_POST
@focal_point_required
def start(request, iso3):
    country = get_object_or_404(Country, iso3=iso3.upper())
    if not access.may_edit_for(request.user, country):
        raise Http404
    try:
        pledge = services.start_pledge(country=country, by=request.user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return redirect("pledges:dashboard")
    return redirect("pledges:edit", pk=pledge.pk)


def _editable_pledge(request, pk) -> Pledge:
    # A page is shown from the pledge as kept until the data changes; a change starts from the row itself.
    if request.method == "GET":
        pledge = selectors.pledge_with_country(pk=pk)
    else:
        pledge = Pledge.objects.select_related("country", "term").filter(pk=pk).first()
    if pledge is None or not access.may_edit_for(request.user, pledge.country):
        raise Http404
    return pledge


@focal_point_required
def edit(request, pk):
    pledge = _editable_pledge(request, pk)
    if pledge.status != Pledge.Status.DRAFT:
        messages.info(request, _("This pledge is %(status)s and can no longer be edited.")
                      % {"status": pledge.get_status_display().lower()})
        return redirect("pledges:detail", pk=pledge.pk)
    problems: list[str] = []
    if request.method == "POST":
        form = PledgeForm(request.POST, instance=pledge)
        formset = CommitmentFormSet(request.POST, prefix="commitments")
        if form.is_valid() and formset.is_valid():
            commitments = [
                f.commitment_data() for f in formset.forms
                if not f.cleaned_data.get("DELETE") and not f.is_empty()
            ]
            try:
                services.save_pledge_draft(
                    pledge=pledge, by=request.user, title=form.cleaned_data["title"],
                    vision=form.cleaned_data["vision"], commitments=commitments,
                    language=form.cleaned_data["language"] or None, summary_en=form.cleaned_data["summary_en"],
                )
                if request.POST.get("action") == "submit":
                    services.submit_pledge(pledge=pledge, by=request.user)
                    messages.success(request, _("The pledge was submitted to the secretariat for review."))
                    return redirect("pledges:detail", pk=pledge.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("pledges:edit", pk=pledge.pk)
            except ValidationError as error:
                problems = _error_messages(error)
                # The draft itself was saved; show it again as stored, with what is missing.
                pledge.refresh_from_db()
                form, formset = _pledge_forms(pledge)
        else:
            problems = [_("Some fields need correcting; nothing was saved yet. See the messages next to them.")]
    elif (kept := stash.restore(request)) is not None:
        # Typed before the session ended: shown again as typed, saved only when they press Save.
        form = PledgeForm(kept, instance=pledge)
        formset = CommitmentFormSet(kept, prefix="commitments")
        form.is_valid(), formset.is_valid()
        problems = [_("This is what you typed before signing in again. It is not saved yet: check it and save.")]
    else:
        form = formset = None  # the draft as stored: drawn only when not kept

    def editor():
        shown = (form, formset) if form is not None else _pledge_forms(pledge)
        return {"pledge": pledge, "form": shown[0], "formset": shown[1], "problems": problems}

    body = fragments.template_of_data("pledges/_edit_body.html", [pledge.pk, request.user.pk, _today()], editor,
                                      request, keep=form is None)
    return render(request, "pledges/edit.html", {"pledge": pledge, "body": body}, status=200)


def _pledge_forms(pledge):
    form = PledgeForm(instance=pledge)
    commitments = list(pledge.commitments.order_by("position", "pk").prefetch_related("indicators"))
    formset = CommitmentFormSet(
        prefix="commitments", initial=[CommitmentForm.initial_for(c) for c in commitments],
        indicators_initial=[[IndicatorForm.initial_for(i) for i in c.indicators.all()] for c in commitments],
    )
    return form, formset


@require_POST
@focal_point_required
def recall(request, pk):
    """The focal points take their submission back to draft before the secretariat starts the review."""
    pledge = _editable_pledge(request, pk)
    try:
        services.recall_pledge(pledge=pledge, by=request.user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return redirect("pledges:detail", pk=pledge.pk)
    messages.success(request, _("The submission was recalled; the pledge is a draft again."))
    return redirect("pledges:edit", pk=pledge.pk)


# --- Progress reports ------------------------------------------------------------------------------


@require_POST
@focal_point_required
def progress_start(request, pk):
    pledge = _editable_pledge(request, pk)
    try:
        report = services.start_progress_report(pledge=pledge, by=request.user)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
        return redirect("pledges:dashboard")
    return redirect("pledges:progress-edit", pk=report.pk)


@public_page
@public_cache
def progress_detail(request, pk):
    report = selectors.visible_report(request.user, pk)
    if report is None:
        access.deny(request)

    def detail():
        staff = access.is_secretariat(request.user)
        can_edit = (access.may_edit_for(request.user, report.pledge.country)
                    and report.status == ProgressReport.Status.DRAFT)
        return {"report": report, "report_rows": selectors.report_rows(report), "staff": staff, "can_edit": can_edit,
                "review_form": ReviewForm() if staff else None}

    body = fragments.template_of_data("pledges/_progress_detail_body.html", [report.pk, request.user.pk, _today()],
                                      detail, request)
    return render(request, "pledges/progress_detail.html", {"report": report, "body": body})


def _progress_forms(report, entries, data=None, files=None):
    """Per entry: its own form, and one value form per indicator of its commitment."""
    rows = []
    for e in entries:
        prefix = f"c{e.commitment_id}"
        initial = {f: getattr(e, f) for f in ProgressEntryForm.base_fields if f != "evidence_file"}
        stored = {v.indicator_id: v for v in e.report_values}
        value_forms = []
        for indicator in e.commitment.indicators.all():
            row = stored.get(indicator.pk)
            value_forms.append((indicator, IndicatorValueForm(
                data, prefix=f"{prefix}-i{indicator.pk}",
                initial={"value": display.plain(row.value) if row else None, "year": row.year if row else report.year},
            )))
        form = ProgressEntryForm(data, files, prefix=prefix, initial=initial)
        rows.append({"entry": e, "form": form, "values": value_forms})
    return rows


def _progress_entries(report):
    from django.db.models import Prefetch

    from pledges.models import Indicator, IndicatorValue

    return list(
        report.entries.select_related("commitment").order_by("commitment__position", "commitment__pk")
        .prefetch_related(
            Prefetch("commitment__indicators", queryset=Indicator.objects.order_by("position", "pk")),
        )
    ), {v.indicator_id: v for v in IndicatorValue.objects.filter(report=report)}


@public_page
def evidence_file(request, pk):
    """An entry's evidence document, for whoever may read its report (the public once it is published)."""
    entry = get_object_or_404(CommitmentProgress.objects.select_related("report"), pk=pk)
    if not selectors.reports_visible_to(request.user).filter(pk=entry.report_id).exists():
        access.deny(request)
    return stored_files.file_response(
        request, entry.evidence_file, what=_("evidence document"), about=entry,
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        content_type="application/pdf", as_attachment=False, filename=f"evidence-{entry.report.year}-{entry.pk}.pdf")


@focal_point_required
def progress_edit(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("pledge__country", "pledge__term"), pk=pk)
    if not access.may_edit_for(request.user, report.pledge.country):
        raise Http404
    if report.status != ProgressReport.Status.DRAFT:
        messages.info(request, _("This report is %(status)s and can no longer be edited.")
                      % {"status": report.get_status_display().lower()})
        return redirect("pledges:progress", pk=report.pk)
    problems: list[str] = []
    rows = None  # the report as stored: read and drawn only when not kept
    if request.method == "POST":
        rows = _progress_forms(report, _entries_with_values(report), request.POST, request.FILES)
        forms_ = [r["form"] for r in rows] + [f for r in rows for _i, f in r["values"]]
        if all([f.is_valid() for f in forms_]):
            data = {
                r["entry"].commitment_id: {
                    **r["form"].cleaned_data,
                    "values": {i.pk: f.cleaned_data for i, f in r["values"]},
                }
                for r in rows
            }
            try:
                services.save_progress_draft(report=report, by=request.user, entries=data)
                if request.POST.get("action") == "submit":
                    services.submit_progress_report(report=report, by=request.user)
                    messages.success(request, _("The progress report was submitted to the secretariat."))
                    return redirect("pledges:progress", pk=report.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("pledges:progress-edit", pk=report.pk)
            except ValidationError as error:
                problems = _error_messages(error)
        else:
            problems = [_("Some fields need correcting; nothing was saved yet.")]
    elif (kept := stash.restore(request)) is not None:
        rows = _progress_forms(report, _entries_with_values(report), kept)
        for r in rows:
            r["form"].is_valid()
            for _i, f in r["values"]:
                f.is_valid()
        problems = [_("This is what you typed before signing in again. It is not saved yet: check it and save.")]

    def editor():
        shown = rows if rows is not None else _progress_forms(report, _entries_with_values(report))
        return {"report": report, "rows": shown, "problems": problems}

    body = fragments.template_of_data("pledges/_progress_edit_body.html", [report.pk, request.user.pk, _today()],
                                      editor, request, keep=rows is None)
    return render(request, "pledges/progress_edit.html", {"report": report, "body": body})


def _entries_with_values(report):
    entries, stored = _progress_entries(report)
    for e in entries:
        e.report_values = [stored[i.pk] for i in e.commitment.indicators.all() if i.pk in stored]
    return entries


# --- The secretariat ---------------------------------------------------------------------------------


@require_POST
@secretariat_required
def review(request, pk):
    pledge = get_object_or_404(Pledge, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the pledge."))
        return redirect("pledges:detail", pk=pk)
    action = form.cleaned_data["action"]
    try:
        if action == "comment":
            comments = {n: request.POST.get(f"commitment-{n}", "") for n in range(1, pledge.commitments.count() + 1)}
            services.comment_on_commitments(pledge=pledge, by=request.user, comments=comments)
            messages.success(request, _("Your comments on the commitments were saved. The review has started."))
        elif action == "return":
            services.return_pledge(pledge=pledge, by=request.user, comment=form.cleaned_data["comment"])
            messages.success(request, _("The pledge was returned to the focal points with your comments."))
        elif action == "accept":
            services.accept_pledge(pledge=pledge, by=request.user)
            messages.success(request, _("The pledge was accepted."))
        else:
            services.publish_pledge(pledge=pledge, by=request.user)
            messages.success(request, _("The pledge was published."))
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    return redirect("pledges:detail", pk=pk)


@require_POST
@secretariat_required
def progress_review(request, pk):
    report = get_object_or_404(ProgressReport, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid() or form.cleaned_data["action"] in ("accept", "comment"):
        messages.error(request, _("Choose whether to return or publish the report."))
        return redirect("pledges:progress", pk=pk)
    try:
        if form.cleaned_data["action"] == "return":
            services.return_progress_report(report=report, by=request.user, comment=form.cleaned_data["comment"])
            messages.success(request, _("The report was returned to the focal points with your comments."))
        else:
            services.publish_progress_report(report=report, by=request.user)
            messages.success(request, _("The progress report was published."))
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    return redirect("pledges:progress", pk=pk)


@signed_in_required
def changes(request, pk):
    """What changed between two submitted versions (by default the last two); for the secretariat and
    for the focal points of the pledge's country."""
    pledge = get_object_or_404(Pledge.objects.select_related("country", "term"), pk=pk)
    if not (access.is_secretariat(request.user) or access.speaks_for(request.user, pledge.country)):
        raise Http404
    versions = list(pledge.versions.order_by("number"))
    by_number = {v.number: v for v in versions}

    def pick(name, default):
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, ValueError, TypeError):
            return by_number.get(default)

    newer = pick("to", versions[-1].number if versions else 0)
    older = pick("from", newer.number - 1 if newer else 0)
    rows = diff_snapshots(older.snapshot if older else None, newer.snapshot if newer else None) if newer else []
    return render(request, "pledges/changes.html", {
        "pledge": pledge, "versions": versions, "older": older, "newer": newer, "rows": rows,
    })


# --- Invitations ----------------------------------------------------------------------------------------


@public_page
@never_cache
def accept_invitation(request, token):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "pledges/invitation_invalid.html", {"reason": _("This invitation link is not valid.")},
                      status=404)
    state = invitation.state(timezone.now())
    if state != "pending":
        try:
            services.check_usable(invitation)
        except ValidationError as error:
            reason = error.messages[0]
        return render(request, "pledges/invitation_invalid.html", {"reason": reason}, status=410)
    from django.contrib.auth import get_user_model

    account = get_user_model().objects.filter(email__iexact=invitation.email).first()
    signed_in_as_other = request.user.is_authenticated and request.user.email.lower() != invitation.email.lower()
    form = None
    error = None
    if request.method == "POST" and not signed_in_as_other:
        if account is None:
            form = AcceptInvitationForm(request.POST, invitation=invitation)
            if form.is_valid():
                try:
                    focal_point = services.accept_invitation(
                        token=token, password=form.cleaned_data["password1"], full_name=form.cleaned_data["full_name"],
                    )
                except ValidationError as exc:
                    error = exc.messages[0]
                else:
                    return _welcome(request, focal_point)
        elif request.user.is_authenticated:
            try:
                focal_point = services.accept_invitation(token=token, user=request.user)
            except ValidationError as exc:
                error = exc.messages[0]
            else:
                return _welcome(request, focal_point)
    if form is None and account is None:
        form = AcceptInvitationForm(invitation=invitation, initial={"full_name": invitation.name})
    return render(request, "pledges/invitation_accept.html", {
        "invitation": invitation, "form": form, "account": account, "error": error,
        "signed_in_as_other": signed_in_as_other,
        "login_url": reverse("account_login") + "?next=" + request.path,
    })


def _welcome(request, focal_point):
    if not request.user.is_authenticated:
        login(request, focal_point.user, backend="accounts.backends.KeptModelBackend")
    messages.success(request, _("Welcome. You are now a focal point of %(country)s.") % {"country": focal_point.country})
    return redirect("pledges:dashboard")

