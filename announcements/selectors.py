"""Who an announcement goes to, and what the public news page shows.

Each audience is one query, whatever its size; people are then merged by lower-cased address, so
a person in several audiences gets one copy, in one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from announcements.models import Announcement, Audience, Subscriber


@dataclass
class Recipient:
    email: str
    language: str
    audiences: list[str] = field(default_factory=list)
    # Set when the person is reached as a public subscriber only: their message can offer to
    # unsubscribe. A focal point who also subscribed would get the announcement anyway.
    subscriber_id: int | None = None


def _focal_points(*, day: date, countries=None, regions=None):
    from members.models import Membership
    from pledges.models import FocalPoint

    rows = FocalPoint.objects.active().filter(country__in=Membership.objects.in_force(on=day).values("country_id"))
    if countries is not None:
        rows = rows.filter(country__in=countries)
    if regions is not None:
        rows = rows.filter(country__who_region__in=regions)
    return [(email, language, None) for email, language in
            rows.order_by("user__email").values_list("user__email", "user__language")]


def audience_members(announcement: Announcement, *, day: date | None = None) -> dict[str, list[tuple]]:
    """``{audience: [(email, language, subscriber id or None), …]}`` for each audience chosen, one query each."""
    from events.models import Registration
    from members.selectors import seats_on

    day = day or timezone.localdate()
    chosen = set(announcement.audiences or [])
    out: dict[str, list[tuple]] = {}
    for audience in Audience.values:
        if audience not in chosen:
            continue
        if audience == Audience.FOCAL_POINTS:
            rows = _focal_points(day=day)
        elif audience == Audience.CORE_GROUP:
            rows = _focal_points(day=day, countries=seats_on(day).values("country_id"))
        elif audience == Audience.REGION_FOCAL_POINTS:
            rows = _focal_points(day=day, regions=list(announcement.regions or []))
        elif audience == Audience.EVENT_REGISTRANTS:
            rows = [(email, language, None) for email, language in (
                Registration.objects.filter(event__in=announcement.events.values("pk"))
                .exclude(status=Registration.Status.CANCELLED).order_by("email", "pk")
                .values_list("email", "language"))] if announcement.pk else []
        else:
            rows = list(Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED).order_by("email")
                        .values_list("email", "language", "pk"))
        out[audience] = rows
    return out


def recipients(announcement: Announcement, *, day: date | None = None) -> list[Recipient]:
    """One ``Recipient`` per address (case-insensitively), in the language they will read, by address."""
    return _merge(announcement, audience_members(announcement, day=day))


def _merge(announcement: Announcement, members: dict[str, list[tuple]]) -> list[Recipient]:
    written = set(announcement.languages or []) or {announcement.original_language}
    merged: dict[str, Recipient] = {}
    candidates: dict[str, list[str]] = {}
    for audience, rows in members.items():
        for email, language, subscriber_id in rows:
            email = (email or "").strip()
            if not email:
                continue
            address = email.lower()
            person = merged.get(address)
            if person is None:
                person = merged[address] = Recipient(email=email, language="")
                candidates[address] = []
            if audience not in person.audiences:
                person.audiences.append(audience)
            candidates[address].append(language)
            if audience == Audience.SUBSCRIBERS:
                person.subscriber_id = subscriber_id
    for address, person in merged.items():
        # The first audience's language that the announcement is written in; else its original.
        person.language = next((lang for lang in candidates[address] if lang in written),
                               announcement.original_language)
        if person.audiences != [Audience.SUBSCRIBERS]:
            person.subscriber_id = None
    return sorted(merged.values(), key=lambda r: r.email.lower())


def summary(announcement: Announcement, *, day: date | None = None) -> dict:
    """What the Send page states: people per audience (each counted once in it), in all, and per language."""
    members = audience_members(announcement, day=day)
    people = _merge(announcement, members)
    labels = dict(Audience.choices)
    per_language = {}
    for person in people:
        per_language[person.language] = per_language.get(person.language, 0) + 1
    names = dict(settings.LANGUAGES)
    return {
        "audiences": [{"audience": a, "label": labels[a], "count": len({r[0].strip().lower() for r in rows if r[0]})}
                      for a, rows in members.items()],
        "total": len(people),
        "languages": [{"code": code, "name": names[code], "count": per_language[code]}
                      for code, _name in settings.LANGUAGES if code in per_language],
    }


def send_problems(announcement: Announcement) -> list[str]:
    """Why the announcement cannot be sent yet (empty when it can): each reason says what to do."""
    from django.utils.translation import gettext as _

    if announcement.is_sent:
        return [_("This announcement was already sent; it is never sent twice.")]
    problems = []
    names = dict(settings.LANGUAGES)
    missing = announcement.missing_translations()
    if missing:
        problems.append(_("Write the title and the text in each language chosen; missing: %(languages)s.")
                        % {"languages": ", ".join(str(names[code]) for code in missing)})
    if announcement.original_language not in (announcement.languages or []):
        problems.append(_("Choose the original language among the languages."))
    if Audience.REGION_FOCAL_POINTS in announcement.audiences and not announcement.regions:
        problems.append(_("Choose at least one WHO region."))
    if Audience.EVENT_REGISTRANTS in announcement.audiences and not announcement.events.exists():
        problems.append(_("Choose at least one event whose registrants receive the announcement."))
    return problems


def published():
    """Public announcements that were sent, newest first: the news page and its feed."""
    return Announcement.objects.filter(public=True, status=Announcement.Status.SENT).order_by("-sent_at", "-pk")
