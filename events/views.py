"""Event pages, registration and feeds. Rules live in services and selectors; outsiders get 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import access
from accounts.access import public_page, secretariat_required, signed_in_required
from coalition import fragments, stored_files, throttle
from coalition.http import public_cache
from events import exports, ics, selectors, services, tokens
from events.filters import EventFilter
from events.forms import RegistrationForm
from events.models import Event, Registration

PAGE_SIZE = 20
# What the list understands; other parameters change nothing on it.
LIST_PARAMS = ("when", "kind", "theme", "page")


def _visible_event_or_404(request, pk) -> Event:
    """The event if the visitor may see it; a signed-out visitor is asked to sign in, others get 404."""
    event = selectors.visible_events(request.user).filter(pk=pk).first()
    if event is None:
        access.deny(request)
    return event


@public_page
@public_cache(params=LIST_PARAMS, moment=lambda: selectors.moment(timezone.now()))
@require_GET
def event_list(request):
    past = request.GET.get("when") == "past"

    def listed():
        event_filter = EventFilter(request.GET or None, queryset=selectors.visible_events(request.user))
        events = event_filter.qs if event_filter.is_bound and event_filter.is_valid() else event_filter.queryset
        events = selectors.past(events) if past else selectors.upcoming(events)
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return {
            "filter": event_filter, "page": page, "past": past, "query": query.urlencode(),
            "tab_query": {k: v for k, v in request.GET.items() if k in ("kind", "theme") and v},
        }

    # The list is the same for everyone who sees the same events with the same query, until an event
    # ends or the data changes.
    def shows():
        return [selectors.audience(request.user, today=timezone.localdate()), selectors.moment(timezone.now()),
                sorted((k, v) for k, v in request.GET.lists() if k in LIST_PARAMS)]

    body = fragments.template_of_data("events/_list_body.html", shows, listed, request)
    return render(request, "events/event_list.html", {"body": body, "past": past})


def _registration_form(request, event, data=None):
    """The form the visitor may use, or None: the public one, or the delegates' one."""
    user = request.user
    if access.is_secretariat(user):
        initial = {"name": user.get_full_name(), "email": user.email}
        return RegistrationForm(data, initial=initial, prefix="reg"), "delegate"
    countries = access.countries_of(user)
    if countries:
        initial = {"name": user.get_full_name(), "email": user.email, "country": countries[0].pk}
        return RegistrationForm(data, countries=countries, initial=initial, prefix="reg"), "delegate"
    if event.public:
        return RegistrationForm(data, prefix="reg"), "public"
    return None, None


@public_page
@require_http_methods(["GET", "POST"])
def event_detail(request, pk):
    event = _visible_event_or_404(request, pk)
    form, mode = _registration_form(request, event, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            raise Http404
        refusal = None
        if mode == "public":
            refusal = throttle.refusal(request, "event-registration", email=request.POST.get("reg-email", ""))
        if refusal:
            form.is_valid()
            form.add_error(None, refusal)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                registration = services.register(
                    event=event, name=data["name"], email=data["email"], organisation=data["organisation"],
                    country=data["country"], by=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if registration.status == Registration.Status.CONFIRMED:
                    messages.success(request, _("%(name)s is registered. A confirmation with a calendar invitation "
                                                "is on its way to %(email)s.") % data)
                else:
                    messages.warning(request, _("The event is full: %(name)s is on the waiting list and will be "
                                                "e-mailed at %(email)s if a place becomes free.") % data)
                return redirect(event)
        event.refresh_from_db()
    own = selectors.registration_for(request.user, event)
    countries = access.countries_of(request.user)
    staff = access.is_secretariat(request.user)
    state = event.registration_state()
    return render(request, "events/event_detail.html", {
        "event": event,
        "form": form,
        "mode": mode,
        "state": state,
        "can_register": form is not None and (state == "open" or (staff and state != "over")),
        "own": own,
        "show_link": staff or (own is not None and own.status == Registration.Status.CONFIRMED),
        "delegates": selectors.country_registrations(event, countries) if not staff else [],
        "materials": list(event.materials.all()),
        "staff": staff,
    }, status=400 if request.method == "POST" else 200)


@require_POST
@signed_in_required
def cancel_registration(request, pk, registration_pk):
    """The Secretariat, the person themselves, or a focal point of the country named cancels a registration."""
    event = _visible_event_or_404(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    allowed = (
        registration.email.lower() == request.user.email.lower()
        or access.may_register_delegates_of(request.user, registration.country)
        or access.is_secretariat(request.user)
    )
    if not allowed:
        raise Http404
    try:
        services.cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration of %(name)s is cancelled.") % {"name": registration.name})
    return redirect(event)


@require_POST
@signed_in_required
def confirm_delegate(request, pk, registration_pk):
    """A focal point confirms that a person who named their country on the public form is its delegate."""
    event = _visible_event_or_404(request, pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    if not access.may_register_delegates_of(request.user, registration.country):
        raise Http404
    try:
        services.confirm_delegate(registration=registration, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is confirmed as a delegate of %(country)s.")
                         % {"name": registration.name, "country": registration.country})
    return redirect(event)


@public_page
@require_http_methods(["GET", "POST"])
def registration_page(request, token):
    """The page behind the link in a registrant's e-mails: no account needed."""
    pk = tokens.read(token)
    registration = get_object_or_404(Registration.objects.select_related("event", "country"), pk=pk) if pk else None
    if registration is None:
        raise Http404
    if request.method == "POST":
        # Cancelling needs a POST: mail scanners open links in e-mails, and must not cancel anything.
        try:
            services.cancel(registration=registration)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect("events:registration", token=token)
    event = registration.event
    response = render(request, "events/registration.html", {
        "registration": registration,
        "event": event,
        "position": selectors.waitlist_position(registration),
        "can_cancel": registration.status != Registration.Status.CANCELLED and timezone.now() < event.starts_at,
        "token": token,
    })
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@secretariat_required
def attendees_csv(request, pk):
    event = get_object_or_404(Event, pk=pk)
    return exports.attendees_csv(selectors.attendees([event]), filename=f"attendees-event-{event.pk}.csv")


@public_page
@require_GET
def material_file(request, pk, material_pk):
    event = _visible_event_or_404(request, pk)
    material = get_object_or_404(event.materials, pk=material_pk)
    return stored_files.file_response(
        request, material.file, what=_("event material"), about=material,
        headers={} if event.public else {"Cache-Control": "private, no-store"}, as_attachment=False,
        filename=f"{material.get_kind_display()}-{event.pk}-{material.pk}.{material.file.name.rsplit('.', 1)[-1]}")


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
@require_GET
def feed(request):
    """All public events, for calendar subscriptions (no sign-in: calendar programs have none)."""
    events = Event.objects.filter(public=True).order_by("starts_at", "pk")
    return _calendar_response(ics.feed(events, name=_("PHC Coalition events")), "phc-coalition-events.ics")


@public_page
@require_GET
def event_ics(request, pk):
    # Calendar programs cannot sign in: an event they may not see is simply not found.
    event = selectors.visible_events(request.user).filter(pk=pk).first()
    if event is None:
        raise Http404
    return _calendar_response(ics.feed([event], name=event.title), f"event-{event.pk}.ics")
