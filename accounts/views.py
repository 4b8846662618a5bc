"""The Secretariat's private calendar feed: the page that manages it (in the admin's look) and the feed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import access, services, staff_calendar
from accounts.models import CalendarFeed


def _page(request, *, token: str | None = None, status: int = 200):
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = settings.SITE_URL + reverse("staff_calendar_feed:feed", args=[token]) if token else None
    context = {
        **admin.site.each_context(request), "title": _("My calendar feed"), "feed": feed, "url": url,
    }
    response = TemplateResponse(request, "admin/accounts/calendar_feed.html", context, status=status)
    # The page may carry the secret URL: never kept by a browser or a proxy.
    response["Cache-Control"] = "private, no-store"
    return response


@access.secretariat_required
@require_GET
def manage(request):
    return _page(request)


@require_POST
@access.secretariat_required
def regenerate(request):
    # The URL is shown in this answer only (only its hash is stored): no redirect, which would lose it.
    feed = services.issue_calendar_feed(user=request.user, by=request.user)
    return _page(request, token=feed.token)


@require_POST
@access.secretariat_required
def revoke(request):
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    if feed is None:
        messages.info(request, _("You have no calendar feed to revoke."))
        return redirect("staff_calendar:manage")
    try:
        services.revoke_calendar_feed(feed=feed, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your calendar feed is revoked: its URL no longer works."))
    return redirect("staff_calendar:manage")


@access.public_page
@require_GET
def feed(request, token):
    """Outlook and other calendar programs fetch this without a session: the secret in the URL is the key."""
    found = services.open_calendar_feed(token=token)
    if found is None:
        raise Http404
    response = HttpResponse(staff_calendar.build(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="phc-coalition-secretariat.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
