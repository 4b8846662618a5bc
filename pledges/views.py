"""Pages of pledges: public lists, the focal points' dashboard and editors, the secretariat's review.

Outsiders get 404 rather than 403, so that a URL does not reveal whether a draft exists.
"""

from __future__ import annotations

import importlib

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import access, stash
from accounts.access import focal_point_required, public_page, secretariat_required
from coalition.http import public_cache
from events.selectors import participation_of
from members.models import Country, Membership
from members.selectors import public_record_of
from pledges import selectors, services
from pledges.diff import diff_snapshots
from pledges.forms import (
    AcceptInvitationForm,
    CommitmentForm,
    CommitmentFormSet,
    PledgeForm,
    ProgressEntryForm,
    ReviewForm,
)
from pledges.models import Pledge, ProgressReport


def _today():
    return timezone.localdate()


def _error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- Public -------------------------------------------------------------------------------------------


@public_page
def pledge_list(request):
    pledges = selectors.published_pledges()
    return render(request, "pledges/list.html", {"pledges": pledges})


@public_page
@public_cache
def country_page(request, iso3):
    if iso3 != iso3.lower():
        return redirect("pledges:country", iso3=iso3.lower(), permanent=True)
    country = get_object_or_404(Country, iso3=iso3.upper())
    today = _today()
    membership = Membership.objects.of(country, on=today)
    notice = None
    term = None
    if membership is not None:
        term = membership.current_term(on=today)
        notice = membership.pending_notice()
    pledge = selectors.public_pledge_of(country)
    report = selectors.latest_published_report(pledge)
    return render(request, "pledges/country.html", {
        "country": country, "membership": membership, "term": term, "notice": notice,
        "pledge": pledge, "report": report, "today": today,
        "participation": participation_of(country), "contacts": selectors.public_contacts(country),
        **public_record_of(country),
    })


@public_page
def pledge_detail(request, pk):
    pledge = selectors.with_commitments(selectors.pledges_visible_to(request.user)).filter(pk=pk).first()
    if pledge is None:
        access.deny(request)
    staff = access.is_secretariat(request.user)
    can_edit = access.may_edit_for(request.user, pledge.country)
    reports = selectors.reports_visible_to(request.user).filter(pledge=pledge).order_by("-year")
    context = {
        "pledge": pledge,
        "commitments": pledge.commitments.all(),
        "staff": staff,
        "can_edit": can_edit and pledge.status == Pledge.Status.DRAFT,
        "can_report": can_edit and pledge.status == Pledge.Status.PUBLISHED,
        "next_report": selectors.next_report(pledge, today=_today()),
        "reports": reports,
        "latest_report": selectors.latest_published_report(pledge),
        "missing": services.missing_for_submission(pledge) if can_edit and pledge.status == Pledge.Status.DRAFT else [],
    }
    if staff:
        context["versions"] = list(pledge.versions.order_by("-number"))
        context["review_form"] = ReviewForm()
    return render(request, "pledges/detail.html", context)


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
    roles = access.focal_point_roles(request.user, countries)
    today = _today()
    sections = []
    for country in countries:
        membership = Membership.objects.of(country, on=today)
        term = notice = pledge = None
        if membership is not None:
            term = membership.current_term(on=today)
            notice = membership.pending_notice()
        if term is not None:
            pledge = Pledge.objects.filter(term=term).prefetch_related("reports").first()
        due = selectors.next_report(pledge, today=today) if pledge else None
        report = None
        if due is not None:
            report = next((r for r in pledge.reports.all() if r.year == due[0]), None)
        previous = Pledge.objects.filter(country=country).exclude(term=term).order_by("-term__start").first()
        sections.append({
            "country": country, "membership": membership, "term": term, "notice": notice,
            "pledge": pledge, "previous": previous, "due": due, "report": report,
            "overdue": due is not None and due[1] < today,
            "can_edit": membership is not None,
            "events": _upcoming_events(country, request.user),
            "focal_point": roles.get(country.pk),
        })
    return render(request, "pledges/dashboard.html", {"sections": sections})


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
    pledge = get_object_or_404(Pledge.objects.select_related("country", "term"), pk=pk)
    if not access.may_edit_for(request.user, pledge.country):
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
                if f.has_changed() and not (formset.can_delete and f.cleaned_data.get("DELETE"))
                and (f.cleaned_data.get("id") or any(v for k, v in f.commitment_data().items() if k != "id"))
            ]
            try:
                services.save_pledge_draft(
                    pledge=pledge, by=request.user, title=form.cleaned_data["title"],
                    vision=form.cleaned_data["vision"], commitments=commitments,
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
        form, formset = _pledge_forms(pledge)
    return render(request, "pledges/edit.html", {
        "pledge": pledge, "form": form, "formset": formset, "problems": problems,
    }, status=200)


def _pledge_forms(pledge):
    form = PledgeForm(instance=pledge)
    commitments = pledge.commitments.order_by("position", "pk")
    formset = CommitmentFormSet(prefix="commitments", initial=[CommitmentForm.initial_for(c) for c in commitments])
    return form, formset


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


def _report_entries(report):
    return report.entries.select_related("commitment").order_by("commitment__position", "commitment__pk")


@public_page
def progress_detail(request, pk):
    report = selectors.reports_visible_to(request.user).filter(pk=pk).first()
    if report is None:
        access.deny(request)
    staff = access.is_secretariat(request.user)
    can_edit = (access.may_edit_for(request.user, report.pledge.country)
                and report.status == ProgressReport.Status.DRAFT)
    return render(request, "pledges/progress_detail.html", {
        "report": report, "entries": _report_entries(report), "staff": staff, "can_edit": can_edit,
        "review_form": ReviewForm() if staff else None,
    })


@focal_point_required
def progress_edit(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("pledge__country", "pledge__term"), pk=pk)
    if not access.may_edit_for(request.user, report.pledge.country):
        raise Http404
    if report.status != ProgressReport.Status.DRAFT:
        messages.info(request, _("This report is %(status)s and can no longer be edited.")
                      % {"status": report.get_status_display().lower()})
        return redirect("pledges:progress", pk=report.pk)
    entries = list(_report_entries(report))
    problems: list[str] = []
    if request.method == "POST":
        forms_ = [ProgressEntryForm(request.POST, prefix=f"c{e.commitment_id}") for e in entries]
        if all(f.is_valid() for f in forms_):
            data = {e.commitment_id: f.cleaned_data for e, f in zip(entries, forms_)}
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
        forms_ = [ProgressEntryForm(kept, prefix=f"c{e.commitment_id}") for e in entries]
        for f in forms_:
            f.is_valid()
        problems = [_("This is what you typed before signing in again. It is not saved yet: check it and save.")]
    else:
        forms_ = [
            ProgressEntryForm(prefix=f"c{e.commitment_id}", initial={
                "status": e.status, "current_value": e.current_value, "narrative": e.narrative,
            })
            for e in entries
        ]
    return render(request, "pledges/progress_edit.html", {
        "report": report, "rows": list(zip(entries, forms_)), "problems": problems,
    })


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
        if action == "return":
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
    if not form.is_valid() or form.cleaned_data["action"] == "accept":
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


@secretariat_required
def changes(request, pk):
    """What changed between two submitted versions (by default the last two)."""
    pledge = get_object_or_404(Pledge.objects.select_related("country", "term"), pk=pk)
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
            services._check_usable(invitation)
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
        login(request, focal_point.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Welcome. You are now a focal point of %(country)s.") % {"country": focal_point.country})
    return redirect("pledges:dashboard")

