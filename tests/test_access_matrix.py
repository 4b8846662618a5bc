"""Every URL of the site, GET and POST, as each kind of person (in the style of pretix's permission tests).

The URL list comes from the resolver: a new URL without an entry in ``MATRIX`` fails
``test_every_url_has_an_entry``. Expected outcomes: a status code, ``"login"`` (signed out, asked
to sign in) or ``"enrol"`` (staff without an authenticator, sent to enrol). A refused POST changes
nothing: the database is compared before and after.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from events import services as event_services
from events.models import Kind
from members import services as member_services
from members.models import Champion, Country, LetterOfInterest
from pledges import services as pledge_services
from pledges.models import FocalPoint
from reports.models import ReportRequest
from tests.factories import StaffFactory, UserFactory, member
from tests.members.pdfs import MINIMAL_PDF
from tests.outcomes import outcome
from tests.pledges.conftest import fill, publish

ROLES = [
    "anonymous", "fp_a", "fp_b", "fp_former", "fp_revoked", "staff_other",
    "secretariat_no_2fa", "secretariat", "superuser",
]
FOCAL = ["fp_a", "fp_b", "fp_former", "fp_revoked"]
PRIVILEGED = ["secretariat", "superuser"]


def expect(default, **by_role):
    """Expected outcome per role: ``default`` unless named; staff without 2FA are always sent to enrol."""
    table = {role: default for role in ROLES}
    table["secretariat_no_2fa"] = "enrol"
    table.update(by_role)
    return table


def public(code=200):
    return expect(code)


def secretariat_only(code=200, anonymous="login"):
    return expect(404, anonymous=anonymous, **{r: code for r in PRIVILEGED})


def only(roles, code=200, anonymous="login", others=404):
    return expect(others, anonymous=anonymous, **{r: code for r in roles})


NOT_ALLOWED = expect(405)


class World:
    """Country A (Kazakhstan, Core Group), country B (France), country C (Germany, a former member)."""


@pytest.fixture
def world(db, settings, tmp_path):
    settings.STAFF_REQUIRE_2FA = True
    w = World()
    since = timezone.localdate() - timedelta(days=400)
    w.a = member("KZ", since=since).country
    w.b = member("FR", since=since).country
    old = member("DE", since=timezone.localdate() - timedelta(days=6 * 365))
    w.c = old.country
    member_services.grant_seat(country=w.a, start=since)
    w.users = {"anonymous": None}
    for role, country in [("fp_a", w.a), ("fp_b", w.b), ("fp_former", w.c), ("fp_revoked", w.a)]:
        user = UserFactory(email=f"{role}@example.org")
        pledge_services.add_focal_point(country=country, user=user)
        w.users[role] = user
    w.users["staff_other"] = UserFactory(email="staff.other@example.org", is_staff=True)
    w.users["secretariat_no_2fa"] = StaffFactory(email="no2fa@example.org")
    w.users["secretariat"] = StaffFactory(email="secretariat@example.org")
    w.users["superuser"] = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    for role in ["staff_other", "secretariat", "superuser"]:
        Authenticator.objects.create(user=w.users[role], type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    staff = w.users["secretariat"]
    pledge_services.revoke_focal_point(focal_point=FocalPoint.objects.get(user=w.users["fp_revoked"]), by=staff)
    # Germany leaves: its focal point keeps an account but speaks for nobody.
    member_services.give_notice(membership=old, received_on=old.started_on + timedelta(days=30))
    member_services.renew_due_memberships(today=timezone.localdate())

    w.draft = fill(pledge_services.start_pledge(country=w.a, by=w.users["fp_a"]), w.users["fp_a"])
    w.published = publish(w.b, w.users["fp_b"], staff)
    w.report = pledge_services.start_progress_report(pledge=w.published, by=w.users["fp_b"])
    w.entry = w.report.entries.first()
    w.entry.evidence_file.save("e.pdf", ContentFile(MINIMAL_PDF))

    w.letter = LetterOfInterest.objects.get(membership__country=w.a)
    w.letter.letter.save("l.pdf", ContentFile(MINIMAL_PDF))
    # Correspondence on the record: France's notice and its withdrawal, each with its scanned letter.
    fr = w.b.memberships.get()
    member_services.give_notice(membership=fr, received_on=timezone.localdate(), reference="MFA/1",
                                document=SimpleUploadedFile("n.pdf", MINIMAL_PDF, content_type="application/pdf"))
    member_services.withdraw_notice(membership=fr, on=timezone.localdate(), reference="MFA/2",
                                    document=SimpleUploadedFile("w.pdf", MINIMAL_PDF, content_type="application/pdf"))
    w.notice = fr.notices.get()
    w.champion = Champion.objects.create(name="H.E. Example", title="Minister", country=w.a)
    w.champion.photo.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"))

    start = timezone.now() + timedelta(days=20)
    w.closed = event_services.create_event(title="Members' workshop", kind=Kind.WEBINAR, public=False, online_url="https://meet.example.org/room",
                                           starts_at=start, ends_at=start + timedelta(hours=2), timezone="UTC")
    w.open = event_services.create_event(title="WHA side event", kind=Kind.GLOBAL, starts_at=start,
                                         ends_at=start + timedelta(hours=2), timezone="Europe/Zurich", venue="Geneva")
    w.material = event_services.add_material(event=w.closed, kind="agenda", title="Agenda",
                                             file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 agenda"))
    w.delegate = event_services.register(event=w.closed, name="Delegate", email="delegate@kz.example.org",
                                         country=w.a, by=w.users["fp_a"])
    w.claimed = event_services.register(event=w.open, name="Claims KZ", email="claims@example.org", country=w.a)
    from events import tokens

    w.registration_token = tokens.make(w.claimed)
    w.invitation = pledge_services.invite_focal_point(country=w.b, email="invitee@example.org", by=staff)
    from accounts import services as account_services

    w.calendar_token = account_services.issue_calendar_feed(user=staff, by=staff).token

    w.annual, _ = ReportRequest.objects.get_or_create(kind="annual", year=2025, language="en", requested_by=staff)
    w.annual.file.save("r.pdf", ContentFile(MINIMAL_PDF), save=False)
    w.annual.status, w.annual.finished_at = ReportRequest.Status.READY, timezone.now()
    w.annual.save()
    w.certificate = ReportRequest.objects.create(
        kind="certificate", language="en", requested_by=staff, country=w.a, membership=w.a.memberships.get(),
        term=w.a.memberships.get().terms.first(), verification_code="ABCDEFGHJKLMNPQRSTUV",
        status=ReportRequest.Status.FAILED, failure_reason="Test",
    )
    return w


def _governance_record(w):
    """A Core Group meeting held last month with its record, a decision and an item (governance block below)."""
    from governance import services as governance_services
    from governance.models import ActionItem, Decision, Meeting

    start = timezone.now() - timedelta(days=30)
    event = event_services.create_event(title="Core Group annual meeting", kind=Kind.CORE_GROUP, public=False,
                                        starts_at=start, ends_at=start + timedelta(hours=6), timezone="UTC",
                                        venue="Astana")
    meeting = governance_services.save_meeting(meeting=Meeting(event=event, minutes_en="Minutes"))
    decision = governance_services.save_decision(decision=Decision(meeting=meeting, text_en="Members only"))
    governance_services.save_action_item(item=ActionItem(decision=decision, description="Do it", owner_country=w.a,
                                                         due_on=timezone.localdate()))
    return meeting


# name -> (URL built from the world, GET expectations, POST expectations)
MATRIX = {
    # Core Group records (issue 18): a meeting's agenda, minutes, decisions and action items for the Secretariat
    # and focal points of Core Group countries (A), 404 to others; public decisions and the work plan for all.
    "governance:meetings": (lambda w: _governance_record(w) and reverse("governance:meetings"),
                            only(["fp_a", *PRIVILEGED]), expect(405, anonymous="login")),
    "governance:meeting": (lambda w: reverse("governance:meeting", args=[_governance_record(w).event_id]),
                           only(["fp_a", *PRIVILEGED]), expect(405, anonymous="login")),
    "governance:decisions": (lambda w: reverse("governance:decisions"), public(), NOT_ALLOWED),
    "governance:work-plan": (lambda w: reverse("governance:work-plan"), public(), NOT_ALLOWED),
    # Load balancers ask without signing in; it tells nothing private.
    "healthz": (lambda w: reverse("healthz"), public() | {"secretariat_no_2fa": 200}, public() | {"secretariat_no_2fa": 200}),
    # Deep health checks (issue 19): staff (any staff account, with two-factor) or the HEALTH_TOKEN; 503 here,
    # where no worker or beat runs. Others are told nothing.
    "healthz-deep": (lambda w: reverse("healthz-deep"),
                     expect(404, anonymous="login", staff_other=503, secretariat=503, superuser=503), NOT_ALLOWED),
    "set_language": (lambda w: reverse("set_language"), public(302) | {"secretariat_no_2fa": 302},
                     public(302) | {"secretariat_no_2fa": 302}),
    "home": (lambda w: reverse("home"), public(), public()),
    "chinese": (lambda w: reverse("chinese", kwargs={"rest": "members/"}), public(301), NOT_ALLOWED),
    "event_feeds:feed": (lambda w: reverse("event_feeds:feed"), public(), NOT_ALLOWED),
    "event_feeds:event": (lambda w: reverse("event_feeds:event", args=[w.closed.pk]),
                          only(["fp_a", "fp_b", *PRIVILEGED], anonymous=404), NOT_ALLOWED),
    "members:directory": (lambda w: reverse("members:directory"), public(), public()),
    "members:export-csv": (lambda w: reverse("members:export-csv"), public(), public()),
    "members:export-json": (lambda w: reverse("members:export-json"), public(), public()),
    "members:indicators": (lambda w: reverse("members:indicators"), public(), public()),
    "members:letter-file": (lambda w: reverse("members:letter-file", args=[w.letter.pk]),
                            secretariat_only(), secretariat_only()),
    "members:notice-file": (lambda w: reverse("members:notice-file", args=[w.notice.pk]),
                            secretariat_only(), secretariat_only()),
    "members:withdrawal-file": (lambda w: reverse("members:withdrawal-file", args=[w.notice.pk]),
                                secretariat_only(), secretariat_only()),
    "members:champions": (lambda w: reverse("members:champions"), public(), public()),
    "members:champion-photo": (lambda w: reverse("members:champion-photo", args=[w.champion.pk]), public(), public()),
    "pledges:list": (lambda w: reverse("pledges:list"), public(), public()),
    "pledges:export-csv": (lambda w: reverse("pledges:export-csv"), public(), public()),
    "pledges:export-json": (lambda w: reverse("pledges:export-json"), public(), public()),
    "pledges:recall": (lambda w: reverse("pledges:recall", args=[w.draft.pk]), expect(405), only(["fp_a"], code=302)),
    "pledges:detail": (lambda w: reverse("pledges:detail", args=[w.draft.pk]),
                       only(["fp_a", *PRIVILEGED]), only(["fp_a", *PRIVILEGED])),
    "pledges:edit": (lambda w: reverse("pledges:edit", args=[w.draft.pk]), only(["fp_a"]), only(["fp_a"], code=302)),
    "pledges:review": (lambda w: reverse("pledges:review", args=[w.draft.pk]),
                       expect(405), secretariat_only(302)),
    "pledges:changes": (lambda w: reverse("pledges:changes", args=[w.draft.pk]),
                        only(["fp_a", *PRIVILEGED]), only(["fp_a", *PRIVILEGED])),
    "pledges:progress-start": (lambda w: reverse("pledges:progress-start", args=[w.published.pk]),
                               expect(405), only(["fp_b"], code=302)),
    "pledges:progress": (lambda w: reverse("pledges:progress", args=[w.report.pk]),
                         only(["fp_b", *PRIVILEGED]), only(["fp_b", *PRIVILEGED])),
    "pledges:progress-edit": (lambda w: reverse("pledges:progress-edit", args=[w.report.pk]),
                              only(["fp_b"]), only(["fp_b"], code=302)),
    "pledges:evidence": (lambda w: reverse("pledges:evidence", args=[w.entry.pk]),
                         only(["fp_b", *PRIVILEGED]), only(["fp_b", *PRIVILEGED])),
    "pledges:progress-review": (lambda w: reverse("pledges:progress-review", args=[w.report.pk]),
                                expect(405), secretariat_only(302)),
    "pledges:country": (lambda w: reverse("pledges:country", args=["kaz"]), public(), public()),
    "pledges:start": (lambda w: reverse("pledges:start", args=["kaz"]), expect(405), only(["fp_a"], code=302)),
    "pledges:public-contact": (lambda w: reverse("pledges:public-contact", args=["kaz"]),
                               expect(405), only(["fp_a"], code=302)),
    "pledges:dashboard": (lambda w: reverse("pledges:dashboard"), only(["fp_a", "fp_b"]), only(["fp_a", "fp_b"])),
    "pledges:invitation": (lambda w: reverse("pledges:invitation", args=[w.invitation.token]), public(),
                           public(200) | {"anonymous": 200}),
    "events:list": (lambda w: reverse("events:list"), public(), NOT_ALLOWED),
    "events:detail": (lambda w: reverse("events:detail", args=[w.closed.pk]),
                      only(["fp_a", "fp_b", *PRIVILEGED]),
                      only(["fp_a", "fp_b"], code=400) | {"secretariat": 302, "superuser": 302}),
    "events:attendees-csv": (lambda w: reverse("events:attendees-csv", args=[w.closed.pk]),
                             secretariat_only(), expect(405)),
    "events:material": (lambda w: reverse("events:material", args=[w.closed.pk, w.material.pk]),
                        only(["fp_a", "fp_b", *PRIVILEGED]), expect(405)),
    "events:cancel-registration": (
        lambda w: reverse("events:cancel-registration", args=[w.closed.pk, w.delegate.pk]),
        expect(405), only(["fp_a", *PRIVILEGED], code=302)),
    "events:confirm-delegate": (
        lambda w: reverse("events:confirm-delegate", args=[w.open.pk, w.claimed.pk]),
        expect(405), only(["fp_a", *PRIVILEGED], code=302)),
    "events:registration": (lambda w: reverse("events:registration", args=[w.registration_token]), public(),
                            public(302)),
    "reports:list": (lambda w: reverse("reports:list"), secretariat_only(), secretariat_only(302)),
    "reports:detail": (lambda w: reverse("reports:detail", args=[w.annual.pk]), secretariat_only(), secretariat_only()),
    "reports:download": (lambda w: reverse("reports:download", args=[w.annual.pk]),
                         secretariat_only(), secretariat_only()),
    "reports:retry": (lambda w: reverse("reports:retry", args=[w.certificate.pk]), expect(405), secretariat_only(302)),
    "reports:publish": (lambda w: reverse("reports:publish", args=[w.annual.pk]), expect(405), secretariat_only(302)),
    "reports:verify": (lambda w: reverse("reports:verify", args=["ABCDEFGHJKLMNPQRSTUV"]), public(404), public(404)),
    # Core Group meeting recap (issue 18): the Secretariat and focal points of Core Group countries (A), by date
    # or per meeting; read-only (the PDF is asked for on reports:list).
    "reports:recap": (lambda w: reverse("reports:recap"), only(["fp_a", *PRIVILEGED]), expect(405, anonymous="login")),
    "reports:recap-meeting": (lambda w: reverse("reports:recap") + f"?meeting={_recap_meeting(w).pk}",
                              only(["fp_a", *PRIVILEGED]), expect(405, anonymous="login")),
    # Announcements and the newsletter: the news, its feed and the subscription, without an account
    # (the links in e-mails carry signed tokens); writing and sending are in the admin.
    "announcements:list": (lambda w: reverse("announcements:list"), public(), NOT_ALLOWED),
    "announcements:detail": (lambda w: reverse("announcements:detail", args=[_news(w).pk]), public(), NOT_ALLOWED),
    "announcements:feed": (lambda w: reverse("announcements:feed"), public(), public()),
    "announcements:subscribe": (lambda w: reverse("announcements:subscribe"), public(), public(400)),
    "announcements:subscribe-sent": (lambda w: reverse("announcements:subscribe-sent"), public(), NOT_ALLOWED),
    "announcements:confirm": (lambda w: _subscriber_link("confirm"), public(), public()),
    "announcements:unsubscribe": (lambda w: _subscriber_link("unsubscribe"), public(), public()),
    # Staff calendar feed (issue 17): the Secretariat's page under the admin, and the feed, whose token is the
    # key (anyone holding it gets the feed, session or not; a wrong token is 404 for everyone).
    "staff_calendar:manage": (lambda w: reverse("staff_calendar:manage"), secretariat_only(), secretariat_only(405)),
    "staff_calendar:regenerate": (lambda w: reverse("staff_calendar:regenerate"), NOT_ALLOWED, secretariat_only()),
    "staff_calendar:revoke": (lambda w: reverse("staff_calendar:revoke"), NOT_ALLOWED, secretariat_only(302)),
    "staff_calendar_feed:feed": (lambda w: reverse("staff_calendar_feed:feed", args=[w.calendar_token]),
                                 public(), NOT_ALLOWED),
    "staff_calendar_feed:unknown": (lambda w: reverse("staff_calendar_feed:feed", args=["not-a-token"]),
                                    public(404), NOT_ALLOWED),
    # Representativeness (issue 18): the public figures; the Secretariat's page with the outreach list and its
    # CSV, under the admin's address (404 to everyone else), read-only.
    "members:representativeness": (lambda w: reverse("members:representativeness"), public(), public()),
    "representativeness:page": (lambda w: reverse("representativeness:page"), secretariat_only(),
                                secretariat_only(405)),
    "representativeness:outreach-csv": (lambda w: reverse("representativeness:outreach-csv"), secretariat_only(),
                                        secretariat_only(405)),
    # Knowledge library (issue 18): the search and public items for everyone; a members-only document and its
    # file for the Secretariat and focal points of member countries today (A, B), 404 to other accounts. Read-only.
    "library:list": (lambda w: reverse("library:list"), public(), NOT_ALLOWED),
    "library:detail": (lambda w: reverse("library:detail", args=[_library_item(members_only=True).pk]),
                       only(["fp_a", "fp_b", *PRIVILEGED]), NOT_ALLOWED),
    "library:file": (lambda w: reverse("library:file", args=[_library_item(members_only=True).pk]),
                     only(["fp_a", "fp_b", *PRIVILEGED]), NOT_ALLOWED),
    "library:detail-public": (lambda w: reverse("library:detail", args=[_library_item().pk]), public(), NOT_ALLOWED),
    "library:file-public": (lambda w: reverse("library:file", args=[_library_item().pk]), public(), NOT_ALLOWED),
    # Public API (issue 19): read-only and the same for everyone (the session is set aside; tests/api check the
    # answers hold nothing private whoever asks); every other method is 405. Staff without 2FA enrol first.
    **{f"api:{name}": (lambda w, name=name, args=args: reverse(f"api:{name}", args=args), public(), NOT_ALLOWED)
       for name, args in [
           ("index", []), ("api-root", []), ("openapi-json", []), ("openapi-view", []), ("list_countries", []),
           ("get_country", ["KAZ"]), ("list_memberships", []), ("list_core_group", []), ("list_champions", []),
           ("list_pledges", []), ("list_commitments", []), ("list_events", []), ("list_announcements", []),
           ("list_library", []), ("coalition_indicators", []),
       ]},
}


def _library_item(*, members_only=False):
    """A PDF document of the library (for the library block above)."""
    from library import services as library_services
    from library.models import Kind as LibraryKind
    from library.models import Resource

    resource = Resource(kind=LibraryKind.DOCUMENT, title_en="Guide", members_only=members_only,
                        file=SimpleUploadedFile("g.pdf", MINIMAL_PDF, content_type="application/pdf"))
    return library_services.save_resource(resource=resource)


def _recap_meeting(w):
    """A Core Group meeting held last month (for the recap block above)."""
    start = timezone.now() - timedelta(days=30)
    return event_services.create_event(title="Core Group meeting", kind=Kind.CORE_GROUP, public=False,
                                       starts_at=start, ends_at=start + timedelta(hours=6), timezone="UTC",
                                       venue="Astana")


def _news(w):
    """A public announcement, sent (for the announcements block above)."""
    from announcements import services as announcement_services
    from announcements.models import Announcement

    news = announcement_services.save_draft(announcement=Announcement(
        title_en="News", body_en="Text", languages=["en"], audiences=["subscribers"], public=True))
    announcement_services.send(announcement=news)
    return news


def _subscriber_link(view):
    from announcements import tokens
    from announcements.models import Subscriber

    subscriber = Subscriber.objects.create(email="reader@example.org", language="en")
    token = tokens.confirmation(subscriber, "en") if view == "confirm" else tokens.unsubscribe(subscriber.pk)
    return reverse(f"announcements:{view}", args=[token])


# Patterns the matrix leaves to their own tests: the admin (test_admin_urls_need_staff_and_two_factor)
# and allauth's sign-in, enrolment and password pages, which every role may reach by design.
SKIPPED_NAMESPACES = ("admin",)


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            module = getattr(entry.callback, "__module__", "") or ""
            yield f"{namespace}{entry.name}", module


def test_every_url_has_an_entry():
    missing = sorted(
        name for name, module in _patterns()
        if not module.startswith("allauth") and not name.startswith(SKIPPED_NAMESPACES) and name not in MATRIX
    )
    assert missing == [], f"Add these URLs to the access matrix: {missing}"


def _fingerprint() -> str:
    """Every row the site's forms could change, as one hash."""
    from django.apps import apps

    digest = hashlib.sha256()
    for label in ["pledges.Pledge", "pledges.Commitment", "pledges.ProgressReport", "pledges.CommitmentProgress",
                  "pledges.Indicator", "pledges.IndicatorValue", "pledges.PledgeVersion",
                  "pledges.FocalPoint", "pledges.Invitation", "events.Registration", "events.Event",
                  "reports.ReportRequest", "members.Membership", "members.LetterOfInterest", "accounts.User"]:
        model = apps.get_model(label)
        rows = model.objects.order_by("pk").values()
        for row in rows:
            row.pop("last_login", None)
            digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


FORGED = {"title": "Hijacked", "vision": "x", "action": "publish", "public": "1", "comment": "x",
          "kind": "annual", "year": "2025", "language": "en", "reg-name": "Forged", "reg-email": "forged@example.org",
          "commitments-TOTAL_FORMS": "0", "commitments-INITIAL_FORMS": "0"}
REFUSED = {"login", "enrol", 404, 405}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, name):
    build, gets, posts = MATRIX[name]
    url = build(world)
    problems = []
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        got = outcome(client.get(url))
        if got != gets[role]:
            problems.append(f"GET as {role}: {got}, expected {gets[role]}")
        before = _fingerprint()
        with transaction.atomic():
            got = outcome(client.post(url, FORGED))
            changed = _fingerprint() != before
            transaction.set_rollback(True)
        if got != posts[role]:
            problems.append(f"POST as {role}: {got}, expected {posts[role]}")
        if got in REFUSED and changed:
            problems.append(f"POST as {role} was refused ({got}) but changed the database")
    assert problems == [], f"{url}:\n" + "\n".join(problems)


def _admin_urls(world):
    """Every admin URL that needs at most an object id, filled with a real object."""
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:%s_%s_changelist" % info))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            urls.append(reverse("admin:%s_%s_change" % info, args=[obj.pk]))
            urls.append(reverse("admin:%s_%s_history" % info, args=[obj.pk]))
    return urls


def test_admin_urls_need_staff_and_two_factor(client, world):
    problems = []
    for url in _admin_urls(world):
        for role in ROLES:
            client.logout()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            response = client.get(url)
            if role in ("anonymous", *FOCAL):
                ok = response.status_code == 302 and "login" in response["Location"]
            elif role == "secretariat_no_2fa":
                ok = outcome(response) == "enrol"
            elif role in ("staff_other", "secretariat"):
                # Model permissions decide: the Secretariat has none over groups, for one.
                ok = response.status_code in (200, 403, 302)
            else:
                ok = response.status_code in (200, 302)
            if not ok:
                problems.append(f"{url} as {role}: {response.status_code}")
    assert problems == []
