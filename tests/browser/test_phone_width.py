"""Every page of the site at 390 px: nothing wider than the screen.

The list of pages comes from the resolver, as in tests/test_access_matrix.py: each URL name is either a page
(``PAGES``: a concrete path and who opens it — anonymous, a focal point or the Secretariat) or excluded with
the reason (``EXCLUDED``: downloads, feeds, redirects, POST-only endpoints, health checks, the API). A new URL
without an entry fails ``test_every_url_is_a_page_or_excluded``. The admin's own pages of models are the Django
admin's and are left out, except those the project gives a template of its own (templates/admin/<app>/<model>/).

Every page is opened in English, Russian and Arabic. Wide tables scroll inside their own box (``.table-scroll``)
or become stacked cards (``.stack-on-phone``); the page itself never scrolls sideways. The pages that were too wide
are kept as screenshots (test-output/phone-<language>-<URL name>.png). PHONE_WIDTH_PAGES=name,name limits a run to
those URL names while working on them.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from events import services as event_services
from members import services as member_services
from members.models import Country
from pledges import selectors, services
from tests.factories import TEST_PASSWORD, StaffFactory, UserFactory, member
from tests.members.pdfs import MINIMAL_PDF
from tests.pledges.conftest import entries_for, fill, make_focal_point, publish, publish_with_report, since

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTH = 390
# The elements and the text that stick out of the page's box outside any box that scrolls or clips on its own and
# fits: the culprits, innermost, with how far they reach. Arabic pages overflow on the left.
OVERFLOWING = """() => {
    const html = document.documentElement, root = html.getBoundingClientRect();
    const rtl = getComputedStyle(html).direction === 'rtl';
    const out = r => r.width > 0 && (rtl ? r.left < root.left - 1 : r.right > root.left + html.clientWidth + 1);
    const clipped = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible' && !out(p.getBoundingClientRect())) return true; } return false; };
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined
        && String(e.className).trim() ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
    const reach = r => Math.round(rtl ? root.left + html.clientWidth - r.left : r.right - root.left) + 'px';
    const wide = [...document.body.querySelectorAll('*')].filter(e => out(e.getBoundingClientRect()) && !clipped(e));
    const culprits = wide.filter(e => ![...e.children].some(c => wide.includes(c)))
        .map(e => name(e) + ' ' + reach(e.getBoundingClientRect()));
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || !node.parentElement || clipped(node)) continue;
        const range = document.createRange(); range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (out(r)) culprits.push(name(node.parentElement) + ' text "' + node.textContent.trim().slice(0, 30) + '" ' + reach(r));
    }
    return [...new Set(culprits)].slice(0, 6);
}"""

ANONYMOUS, FOCAL_POINT, SECRETARIAT = "anonymous", "focal point", "Secretariat"


@dataclass(frozen=True)
class Page:
    role: str
    path: Callable  # (world) -> path, called with the page's language active
    then: Callable | None = None  # (page, world) -> None: what the visitor does on the page to reach the one to measure
    status: int = 200
    redirects: bool = False  # the path sends the visitor on to the page (else being sent elsewhere is a failure)
    shows: str | None = None  # a CSS selector the page must hold: the state the page is to be measured in


def anonymous(path, **kw):
    return Page(ANONYMOUS, path, **kw)


def focal_point(path, **kw):
    return Page(FOCAL_POINT, path, **kw)


def secretariat(path, **kw):
    return Page(SECRETARIAT, path, **kw)


def url(name, *args, query=""):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args]) + query


def attr(name):
    return lambda w: getattr(w, name).pk


def _submit(selector, lands_on):
    """Press the form's button; its answer (at a path ending with ``lands_on``) is the page to measure."""
    def then(page, w):
        with page.expect_navigation() as navigation:
            page.click(selector)
        assert navigation.value.status == 200 and page.url.endswith(lands_on), page.url
    return then


def _sign_in_to_the_code_prompt(page, w):
    page.fill("input[name=login]", w.staff.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/2fa/authenticate/" in page.url, page.url


# URL name -> the pages at that URL, each with who opens it. Languages are added by the test.
PAGES = {
    "home": [anonymous(url("home")), focal_point(url("home"))],
    # Sign-in, password and two-factor pages (allauth).
    "account_login": [anonymous(url("account_login"))],
    "account_logout": [focal_point(url("account_logout"))],
    "account_inactive": [anonymous(url("account_inactive"))],
    "account_signup": [anonymous(url("account_signup"))],  # closed: says so
    "account_reauthenticate": [focal_point(url("account_reauthenticate"))],
    "account_request_reauthentication_code": [focal_point(url("account_request_reauthentication_code"))],
    # Only once a code was sent (else a redirect to ask for one).
    "account_confirm_reauthentication_code": [focal_point(url("account_request_reauthentication_code"), then=_submit(
        "main form button[type=submit]", "/reauthenticate/code/confirm/"))],
    "account_email": [focal_point(url("account_email"))],
    "account_email_verification_sent": [anonymous(url("account_email_verification_sent"))],
    "account_change_password": [focal_point(url("account_change_password"))],
    "account_reset_password": [anonymous(url("account_reset_password"))],
    "account_reset_password_done": [anonymous(url("account_reset_password_done"))],
    "account_reset_password_from_key": [anonymous(lambda w: w.reset_link, redirects=True),  # to .../set-password/
                                        anonymous(url("account_reset_password_from_key", "2", "not-a-key"))],
    "account_reset_password_from_key_done": [anonymous(url("account_reset_password_from_key_done"))],
    "account_confirm_email": [anonymous(lambda w: reverse("account_confirm_email", args=[w.email_key]))],
    "mfa_index": [focal_point(url("mfa_index")), secretariat(url("mfa_index"))],
    "mfa_authenticate": [anonymous(url("account_login"), then=_sign_in_to_the_code_prompt)],
    "mfa_reauthenticate": [secretariat(url("mfa_reauthenticate"))],
    "mfa_activate_totp": [focal_point(url("mfa_activate_totp"))],
    "mfa_deactivate_totp": [secretariat(url("mfa_deactivate_totp"))],
    "mfa_view_recovery_codes": [secretariat(url("mfa_view_recovery_codes"))],
    "mfa_generate_recovery_codes": [secretariat(url("mfa_generate_recovery_codes"))],
    # The public site.
    "members:directory": [anonymous(url("members:directory")), anonymous(url("members:directory", query="?status=all")),
                          anonymous(url("members:directory", query="?region=EUR&sort=accession"))],
    "members:representativeness": [anonymous(url("members:representativeness"))],
    "members:indicators": [anonymous(url("members:indicators"))],
    "members:champions": [anonymous(url("members:champions"))],
    "pledges:list": [anonymous(url("pledges:list")), anonymous(url("pledges:list", query="?q=registered"))],
    "pledges:detail": [anonymous(url("pledges:detail", attr("kz_pledge"))),
                       focal_point(url("pledges:detail", attr("gh_pledge"))),
                       secretariat(url("pledges:detail", attr("fr_pledge")), shows="table.smart")],  # the review
    "pledges:edit": [focal_point(url("pledges:edit", attr("gh_pledge")))],
    "pledges:changes": [focal_point(url("pledges:changes", attr("kz_pledge"))),
                        secretariat(url("pledges:changes", attr("fr_pledge")))],
    "pledges:progress": [anonymous(url("pledges:progress", attr("kz_report"))),
                         secretariat(url("pledges:progress", attr("br_report")))],  # the review
    "pledges:progress-edit": [focal_point(url("pledges:progress-edit", attr("kz_draft_report")))],
    "pledges:country": [anonymous(url("pledges:country", "kaz")), focal_point(url("pledges:country", "kaz")),
                        anonymous(url("pledges:country", "deu"))],
    "pledges:dashboard": [focal_point(url("pledges:dashboard"))],
    "pledges:invitation": [anonymous(lambda w: reverse("pledges:invitation", args=[w.invitation.token]))],
    "events:list": [anonymous(url("events:list")), anonymous(url("events:list", query="?when=past")),
                    focal_point(url("events:list"))],
    "events:detail": [anonymous(url("events:detail", attr("event"))), focal_point(url("events:detail", attr("event"))),
                      secretariat(url("events:detail", attr("event"))),
                      focal_point(url("events:detail", attr("meeting_event")))],
    "events:registration": [anonymous(lambda w: reverse("events:registration", args=[w.registration_token]))],
    "reports:list": [secretariat(url("reports:list"))],
    "reports:detail": [secretariat(url("reports:detail", attr("annual"))),
                       secretariat(url("reports:detail", attr("certificate")))],
    "reports:verify": [anonymous(lambda w: reverse("reports:verify", args=[w.certificate.verification_code]))],
    "reports:recap": [secretariat(url("reports:recap")),
                      focal_point(lambda w: reverse("reports:recap") + f"?meeting={w.meeting_event.pk}")],
    "announcements:list": [anonymous(url("announcements:list"))],
    "announcements:detail": [anonymous(url("announcements:detail", attr("news")))],
    "announcements:subscribe": [anonymous(url("announcements:subscribe"))],
    "announcements:subscribe-sent": [anonymous(url("announcements:subscribe-sent"))],
    "announcements:confirm": [anonymous(lambda w: reverse("announcements:confirm", args=[w.confirm_token]))],
    "announcements:unsubscribe": [anonymous(lambda w: reverse("announcements:unsubscribe", args=[w.unsubscribe_token]))],
    "library:list": [anonymous(url("library:list")), anonymous(url("library:list", query="?q=primary")),
                     focal_point(url("library:list"))],
    "library:detail": [anonymous(url("library:detail", attr("document"))),
                       focal_point(url("library:detail", attr("members_only")))],
    "governance:meetings": [focal_point(url("governance:meetings")), secretariat(url("governance:meetings"))],
    "governance:meeting": [focal_point(url("governance:meeting", attr("meeting_event"))),
                           secretariat(url("governance:meeting", attr("meeting_event")))],
    "governance:decisions": [anonymous(url("governance:decisions"))],
    "governance:work-plan": [anonymous(url("governance:work-plan"))],
    "api:openapi-view": [anonymous(url("api:openapi-view"))],
    # The Secretariat's pages in the admin's look: Today, the calendar feed, representativeness.
    "admin:index": [secretariat(url("admin:index"), shows="#today-letters li")],
    "staff_calendar:manage": [secretariat(url("staff_calendar:manage"))],
    # POST only; its answer is the page with the new secret URL (no redirect, which would lose it).
    "staff_calendar:regenerate": [secretariat(url("staff_calendar:manage"), then=_submit(
        "form[action$='/calendar/new/'] button[type=submit], form[action$='/calendar/new/'] input[type=submit]",
        "/calendar/new/"))],
    "representativeness:page": [secretariat(url("representativeness:page"))],
    # The admin's custom views.
    "admin:members_letter_accept": [secretariat(url("admin:members_letter_accept", attr("letter")))],
    "admin:members_letter_decline": [secretariat(url("admin:members_letter_decline", attr("letter")))],
    "admin:members_membership_calendar": [secretariat(url("admin:members_membership_calendar"))],
    "admin:members_membership_notice": [secretariat(url("admin:members_membership_notice", attr("kz_membership")))],
    "admin:members_membership_withdraw": [secretariat(url("admin:members_membership_withdraw", attr("sn_membership")))],
    "admin:members_coregroup_rotation": [secretariat(url("admin:members_coregroup_rotation"))],
    "admin:members_champion_commitment": [secretariat(url("admin:members_champion_commitment", attr("champion")))],
    "admin:announcements_announcement_preview": [
        secretariat(lambda w: reverse("admin:announcements_announcement_preview", args=[w.draft_news.pk, "ru"]))],
    "admin:announcements_announcement_send": [secretariat(url("admin:announcements_announcement_send",
                                                              attr("draft_news")))],
    # Admin pages of models with a template of the project's own (templates/admin/<app>/<model>/).
    "admin:members_membership_changelist": [secretariat(url("admin:members_membership_changelist"))],
    "admin:members_membership_change": [secretariat(url("admin:members_membership_change", attr("sn_membership")))],
    "admin:members_coregroupseat_changelist": [secretariat(url("admin:members_coregroupseat_changelist"))],
    "admin:members_letterofinterest_change": [secretariat(url("admin:members_letterofinterest_change",
                                                              attr("letter")))],
    "admin:members_letterofinterest_add": [secretariat(url("admin:members_letterofinterest_add"))],
    "admin:members_champion_change": [secretariat(url("admin:members_champion_change", attr("champion")))],
    "admin:members_champion_add": [secretariat(url("admin:members_champion_add"))],
    "admin:announcements_announcement_change": [secretariat(url("admin:announcements_announcement_change",
                                                                attr("draft_news")))],
    "admin:announcements_announcement_add": [secretariat(url("admin:announcements_announcement_add"))],
    "admin:coalition_outgoingmail_change": [secretariat(url("admin:coalition_outgoingmail_change",
                                                            attr("failed_mail")))],
}

# Pages that have no URL name of their own: error pages and the page a file view shows when its file is gone.
OTHER_PAGES = {
    "404": [anonymous(lambda w: reverse("home") + "no-such-page/", status=404),
            focal_point(url("pledges:detail", 999999), status=404)],
    "file missing": [secretariat(url("members:letter-file", attr("letter_without_file")), status=404,
                                 shows="#content-main dl code")],
}

DOWNLOAD = "a file download, not a page"
EXCLUDED = {
    "healthz": "health check (plain text)",
    "healthz-deep": "health check (JSON)",
    "set_language": "POST to change the language, then a redirect",
    "chinese": "redirect to /zh-hans/",
    "event_feeds:feed": "ICS feed",
    "event_feeds:event": "ICS file",
    "staff_calendar_feed:feed": "ICS feed",
    "members:export-csv": "CSV export",
    "members:export-json": "JSON export",
    "members:letter-file": DOWNLOAD + " (PDF); its 'file missing' page is in OTHER_PAGES",
    "members:notice-file": DOWNLOAD + " (PDF)",
    "members:withdrawal-file": DOWNLOAD + " (PDF)",
    "members:champion-photo": "an image",
    "pledges:export-csv": "CSV export",
    "pledges:export-json": "JSON export",
    "pledges:evidence": DOWNLOAD,
    "pledges:recall": "POST only, then a redirect",
    "pledges:review": "POST only, then a redirect",
    "pledges:progress-start": "POST only, then a redirect",
    "pledges:progress-review": "POST only, then a redirect",
    "pledges:start": "POST only, then a redirect",
    "pledges:public-contact": "POST only, then a redirect",
    "events:attendees-csv": "CSV export",
    "events:material": DOWNLOAD,
    "events:cancel-registration": "POST only, then a redirect",
    "events:confirm-delegate": "POST only, then a redirect",
    "reports:download": DOWNLOAD + " (PDF)",
    "reports:retry": "POST only, then a redirect",
    "reports:publish": "POST only, then a redirect",
    "announcements:feed": "Atom feed",
    "library:file": DOWNLOAD,
    "staff_calendar:revoke": "POST only, then a redirect",
    "representativeness:outreach-csv": "CSV export",
    "account_set_password": "redirects to the password change: every account has a password (invitations set one)",
    "account_confirm_login_code": "sign-in by code is off: redirects to the sign-in page",
    "mfa_download_recovery_codes": "a text file",
    "admin:login": "redirects to the site's sign-in page",
    "admin:logout": "POST only, then a redirect",
    "admin:autocomplete": "JSON for the admin's select boxes",
    "admin:jsi18n": "JavaScript",
    "admin:view_on_site": "redirect to the object's page",
    "admin:app_list": "the Django admin's own list of an app's models",
    "admin:password_change": "the Django admin's own page; accounts change passwords on the site",
    "admin:password_change_done": "the Django admin's own page",
    "admin:auth_user_password_change": "the Django admin's own page; accounts change passwords on the site",
    "admin:members_membership_add": "no add page: a membership starts when a letter of interest is accepted",
    "admin:coalition_outgoingmail_add": "no add page: e-mails are queued by the services",
}
EXCLUDED |= {f"api:{name}": "the public API (JSON)" for name in [
    "index", "api-root", "openapi-json", "list_countries", "get_country", "list_memberships", "list_core_group",
    "list_champions", "list_pledges", "list_commitments", "list_events", "list_announcements", "list_library",
    "coalition_indicators"]}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from _url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _django_admin_pages():
    """The admin's standard pages of each model (and simple-history's), minus those the project draws with a template
    of its own."""
    names = set()
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        own = TEMPLATES / "admin" / model._meta.app_label / model._meta.model_name
        for view, template in [("changelist", "change_list"), ("add", "change_form"), ("change", "change_form"),
                               ("delete", "delete_confirmation"), ("history", "object_history")]:
            if not (own / f"{template}.html").exists():
                names.add(f"{info}_{view}")
        names.add(f"{info}_simple_history")  # simple-history's page of a past version
    return names


def test_every_url_is_a_page_or_excluded():
    names = set(_url_names())
    standard = _django_admin_pages()
    missing = sorted(n for n in names - standard if n not in PAGES and n not in EXCLUDED)
    assert missing == [], f"Add these URLs to PAGES (with a path and who opens it) or EXCLUDED (with why): {missing}"
    assert sorted(set(PAGES) & set(EXCLUDED)) == []
    assert sorted((set(PAGES) | set(EXCLUDED)) - names) == [], "entries for URLs that no longer exist"


class World:
    """Members in every region, Kazakhstan in the Core Group; a focal point of Kazakhstan and Ghana; France's pledge
    and Brazil's progress report waiting for review; a Core Group meeting with its record; events, news, library,
    reports, a letter of interest waiting for a decision and a notice given: something on every page."""


def build_world() -> World:
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.tokens import default_token_generator

    from accounts import services as account_services
    from announcements import services as announcement_services
    from announcements import tokens as announcement_tokens
    from announcements.models import Announcement, Subscriber
    from coalition.models import OutgoingMail
    from events import tokens as event_tokens
    from events.models import Kind
    from governance import services as governance_services
    from governance.models import ActionItem, Activity, Decision, Meeting, WorkPlan
    from library import services as library_services
    from library.models import Kind as LibraryKind
    from library.models import Resource
    from members import core_group
    from members.models import Champion, CoLead, LetterOfInterest
    from reports.models import ReportRequest

    w = World()
    start = since()
    today = timezone.localdate()
    for iso2 in ["GH", "BR", "TH", "FR", "ID", "EG", "IN", "UZ"]:
        member(iso2, since=start)
    w.kz_membership = member("KZ", since=start)
    kz = w.kz_membership.country
    core_group.grant_seat(country=kz, start=start)
    core_group.appoint_co_lead(year=today.year, line=CoLead.Line.KNOWLEDGE_EXCHANGE, country=kz)
    # Senegal gave written notice this month, with its scanned letter; Germany left long ago.
    w.sn_membership = member("SN", since=start)
    member_services.give_notice(membership=w.sn_membership, received_on=today, reference="MAE/DS/2026/0417",
                                note="Delivered by hand to the Secretariat.",
                                document=SimpleUploadedFile("notice.pdf", MINIMAL_PDF, content_type="application/pdf"))
    old = member("DE", since=today - timedelta(days=6 * 365))
    member_services.give_notice(membership=old, received_on=old.started_on + timedelta(days=30))
    member_services.renew_due_memberships(today=today)
    # A letter of interest waiting for a decision, and one whose scanned file is gone from the disk.
    w.letter = member_services.record_letter(
        country=Country.objects.get(iso2="MN"), received_on=today - timedelta(days=3),
        contact_name="Dr Oyunchimeg Batbayar-Tserendorj", contact_email="international.cooperation@moh.gov.example.mn")
    w.letter.letter.save("letter-of-interest-mongolia.pdf", ContentFile(MINIMAL_PDF))
    w.letter_without_file = LetterOfInterest.objects.get(membership=w.kz_membership)
    w.letter_without_file.letter.name = "letters/gone-from-the-disk.pdf"
    w.letter_without_file.save()

    w.staff = StaffFactory(email="officer@example.org")
    TOTP.activate(w.staff, "JBSWY3DPEHPK3PXP")
    RecoveryCodes.activate(w.staff)
    w.champion = Champion.objects.create(name="Prof. Aigerim Zhaksylykovna Nurmagambetova",
                                         title="Minister of Health of the Republic of Kazakhstan", country=kz)
    core_group.add_commitment(champion=w.champion, start=start)

    # Focal points: Kazakhstan's also speaks for Ghana (a draft pledge); France's pledge is submitted;
    # Brazil's progress report is submitted.
    w.fp = make_focal_point(kz, email="focal.point@kz.example.org", language="ru")
    w.kz_pledge, w.kz_report = publish_with_report(kz, w.fp, w.staff)
    w.kz_draft_report = (services.start_progress_report(pledge=w.kz_pledge, by=w.fp)
                         if selectors.next_report(w.kz_pledge, today=today) else w.kz_report)
    ghana = Country.objects.get(iso2="GH")
    services.add_focal_point(country=ghana, user=w.fp)
    w.gh_pledge = fill(services.start_pledge(country=ghana, by=w.fp), w.fp)
    france = Country.objects.get(iso2="FR")
    fr_fp = make_focal_point(france, email="fp@fr.example.org", language="fr")
    w.fr_pledge = fill(services.start_pledge(country=france, by=fr_fp), fr_fp)
    services.submit_pledge(pledge=w.fr_pledge, by=fr_fp)
    brazil = Country.objects.get(iso2="BR")
    br_fp = make_focal_point(brazil, email="fp@br.example.org", language="es")
    br_pledge = publish(brazil, br_fp, w.staff)
    w.br_report = services.start_progress_report(pledge=br_pledge, by=br_fp)
    services.save_progress_draft(report=w.br_report, by=br_fp, entries=entries_for(w.br_report, value=70))
    services.submit_progress_report(report=w.br_report, by=br_fp)
    w.invitation = services.invite_focal_point(country=Country.objects.get(iso2="TH"),
                                               email="invited.person@health.example.th", by=w.staff)

    # Events: a public one with a waiting list and a delegate to confirm; the Core Group meeting last month, its record.
    when = timezone.now().replace(second=0, microsecond=0) + timedelta(days=20)
    w.event = event_services.create_event(
        title="World Health Assembly side event on primary health care financing", kind=Kind.GLOBAL, occasion="wha",
        starts_at=when, ends_at=when + timedelta(hours=2), timezone="Europe/Zurich",
        venue="Palais des Nations, Room XXIV, Geneva", capacity=2, online_url="https://meet.example.org/wha-side-event")
    event_services.register(event=w.event, name="Delegate of Kazakhstan", email="delegate@kz.example.org",
                            country=kz, by=w.fp)
    claimed = event_services.register(event=w.event, name="Dr Kwame Mensah-Bonsu", email="kwame@gh.example.org",
                                      country=ghana)
    event_services.register(event=w.event, name="Waiting Person", email="waiting@example.org")
    w.registration_token = event_tokens.make(claimed)
    held = timezone.now().replace(second=0, microsecond=0) - timedelta(days=30)
    w.meeting_event = event_services.create_event(
        title="Core Group annual meeting", kind=Kind.CORE_GROUP, public=False, starts_at=held,
        ends_at=held + timedelta(hours=6), timezone="Asia/Almaty", venue="Astana")
    event_services.add_material(event=w.meeting_event, kind="agenda", title="Provisional agenda and annotations",
                                file=SimpleUploadedFile("agenda.pdf", MINIMAL_PDF))
    meeting = governance_services.save_meeting(meeting=Meeting(
        event=w.meeting_event, agenda_en="1. Opening\n2. Work plan\n3. Representativeness of the membership",
        minutes_en="The Core Group reviewed the work plan and the outreach to under-represented regions."))
    decision = governance_services.save_decision(decision=Decision(
        meeting=meeting, public=True, text_en="The Core Group adopts the work plan and asks the Secretariat to "
        "prepare the UNGA high-level meeting side event on primary health care."))
    governance_services.save_action_item(item=ActionItem(
        decision=decision, description="Draft the concept note of the UNGA side event", owner_country=kz,
        due_on=today + timedelta(days=7)))
    governance_services.save_action_item(item=ActionItem(
        decision=decision, description="Circulate the outreach list", owner_country=None, due_on=today - timedelta(days=3)))
    plan = governance_services.save_work_plan(plan=WorkPlan(year=today.year, adopted_by=decision))
    activity = governance_services.save_activity(activity=Activity(
        plan=plan, line=CoLead.Line.KNOWLEDGE_EXCHANGE, title_en="Peer-learning workshops on multisectoral PHC governance",
        starts_on=date(today.year, 2, 1), ends_on=date(today.year, 11, 30), status=Activity.Status.UNDER_WAY,
        description_en="Led by the co-lead countries with the Secretariat's support."), co_leads=[kz], decisions=[decision])
    governance_services.add_activity_update(activity=activity, on=date(today.year, 1, 1),
                                            text="Concept note agreed by the co-leads.", progress=40)

    # News: one sent, one draft in English and Russian; a subscriber's links.
    w.news = announcement_services.save_draft(announcement=Announcement(
        title_en="The Coalition welcomes three new members", body_en="Text of the announcement.\n\nSecond paragraph.",
        title_ru="Коалиция приветствует трёх новых членов", body_ru="Текст объявления.",
        languages=["en", "ru"], audiences=["subscribers"], public=True))
    announcement_services.send(announcement=w.news)
    w.draft_news = announcement_services.save_draft(announcement=Announcement(
        title_en="Call for case studies on primary health care", body_en="Send your case studies by the end of the month.",
        title_ru="Приглашение представить тематические исследования", body_ru="Присылайте материалы до конца месяца.",
        languages=["en", "ru"], audiences=["focal_points", "subscribers"], public=True))
    reader = Subscriber.objects.create(email="reader@example.org", language="en")
    w.confirm_token = announcement_tokens.confirmation(reader, "en")
    w.unsubscribe_token = announcement_tokens.unsubscribe(reader.pk)

    # The library: a public document and one for members only.
    w.document = library_services.save_resource(resource=Resource(
        kind=LibraryKind.DOCUMENT, title_en="Primary health care measurement framework and indicators",
        summary_en="How countries measure primary health care.", published_on=date(2025, 5, 1),
        file=SimpleUploadedFile("framework.pdf", MINIMAL_PDF, content_type="application/pdf")), countries=[kz])
    w.members_only = library_services.save_resource(resource=Resource(
        kind=LibraryKind.DOCUMENT, title_en="Core Group briefing note", members_only=True,
        file=SimpleUploadedFile("note.pdf", MINIMAL_PDF, content_type="application/pdf")))

    # Reports: the annual report ready, a certificate ready (its code checks), a build that failed.
    w.annual = _ready(ReportRequest(kind="annual", year=today.year - 1, language="en", requested_by=w.staff))
    w.certificate = _ready(ReportRequest(
        kind="certificate", language="ru", requested_by=w.staff, country=kz, membership=w.kz_membership,
        term=w.kz_membership.terms.first(), verification_code="ABCDEFGHJKLMNPQRSTUV"))
    ReportRequest.objects.create(kind="annual", year=today.year - 2, language="ar", requested_by=w.staff,
                                 status=ReportRequest.Status.FAILED, failure_reason="WeasyPrint ran out of memory")
    w.failed_mail = OutgoingMail.objects.create(
        key="test:failed", kind="members.reminder", to=["international.cooperation@moh.gov.example.mn"],
        subject="Your membership of the Primary Health Care Coalition", body="x" * 400,
        status=OutgoingMail.Status.FAILED, last_error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable")
    account_services.issue_calendar_feed(user=w.staff, by=w.staff)

    # Account links: an address to confirm, a password reset.
    unconfirmed = UserFactory(email="new.person@example.org", verified=False)
    address = EmailAddress.objects.create(user=unconfirmed, email=unconfirmed.email, verified=False, primary=True)
    w.email_key = EmailConfirmationHMAC(address).key
    w.reset_link = reverse("account_reset_password_from_key", kwargs={
        "uidb36": user_pk_to_url_str(w.fp), "key": default_token_generator.make_token(w.fp)})
    return w


def _ready(report):
    from reports.models import ReportRequest

    report.save()  # the file's name comes from the date it was asked for
    report.file.save(f"{report.kind}.pdf", ContentFile(MINIMAL_PDF), save=False)
    report.status, report.finished_at = ReportRequest.Status.READY, timezone.now()
    report.save()
    return report


@pytest.fixture
def world(transactional_db, settings):
    # The two-factor pages ask for the password again after five minutes: the sessions below gave it just now.
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 3600
    return build_world()


def _signed_in(browser, live_server, user, *, mfa=False, desktop=False):
    """A browser (a phone's unless ``desktop``) signed in as ``user`` just now, as if with the password and, with
    ``mfa``, the authenticator."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email, "reauthenticated": True},
        *([{"method": "mfa", "at": now, "type": "totp", "reauthenticated": True}] if mfa else [])]
    session.save()
    context = _desktop(browser) if desktop else _phone(browser)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    return context


def _phone(browser):
    return browser.new_context(viewport={"width": WIDTH, "height": 844}, is_mobile=True)


def _desktop(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900})


def _slug(name):
    return name.replace(":", "-").replace("_", "-").replace(" ", "-")


def _measure(pages, contexts, live_server, w, lang, screenshot_dir, shots):
    wide, wrong = {}, {}
    tabs = {role: context.new_page() for role, context in contexts.items()}
    only = [name for name in os.environ.get("PHONE_WIDTH_PAGES", "").split(",") if name]  # to look at a few pages
    for name, entries in pages.items():
        if only and name not in only:
            continue
        for n, entry in enumerate(entries):
            page = tabs[entry.role]
            with translation.override(lang):
                path = entry.path(w)
            response = page.goto(live_server.url + path)
            if entry.then is not None:
                entry.then(page, w)
            elif response.status != entry.status:
                wrong[f"{entry.role} {path}"] = response.status
            elif not entry.redirects and page.url != live_server.url + path:
                wrong[f"{entry.role} {path}"] = page.url.removeprefix(live_server.url)
            if entry.shows and page.locator(entry.shows).count() == 0:
                wrong[f"{entry.role} {path}"] = f"nothing matches {entry.shows}"
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > WIDTH:
                wide[f"{entry.role} {page.url.removeprefix(live_server.url)}"] = (width, page.evaluate(OVERFLOWING))
            if name in shots:
                page.screenshot(path=screenshot_dir / f"phone-{lang}-{_slug(name)}{'-' + str(n) if n else ''}.png",
                                full_page=True)
    return wide, wrong


# Pages that were wider than a phone, or read badly on one, before issue 16: screenshots to look at.
SCREENSHOTS = {"events:list", "representativeness:page", "members:representativeness", "admin:index", "reports:list",
               "pledges:detail", "admin:announcements_announcement_preview", "admin:coalition_outgoingmail_change"}


@pytest.mark.parametrize("lang", ["en", "ru", "ar"])
def test_no_page_is_wider_than_a_phone(world, live_server, browser, screenshot_dir, lang):
    contexts = {ANONYMOUS: _phone(browser), FOCAL_POINT: _signed_in(browser, live_server, world.fp),
                SECRETARIAT: _signed_in(browser, live_server, world.staff, mfa=True)}
    wide, wrong = _measure(PAGES | OTHER_PAGES, contexts, live_server, world, lang, screenshot_dir, SCREENSHOTS)
    for context in contexts.values():
        context.close()
    assert wrong == {}, f"pages that did not open as expected (status): {wrong}"
    assert wide == {}, "pages wider than a phone: their width and the elements that stick out\n" + "\n".join(
        f"{path}: {width}px {culprits}" for path, (width, culprits) in wide.items())


RTL_NAV_SIDE = """() => { const brand = document.querySelector('.brand').getBoundingClientRect();
    const nav = document.querySelector('.site-header nav ul').getBoundingClientRect();
    return {brand: brand.left, nav: nav.left, width: document.documentElement.clientWidth}; }"""


@pytest.mark.parametrize("lang", ["ar", "zh-hans"])
def test_arabic_reads_right_to_left_and_chinese_fits_at_phone_and_desktop_width(world, live_server, browser,
                                                                                  screenshot_dir, lang):
    pages = {"home": f"/{lang}/", "directory": f"/{lang}/members/", "country": f"/{lang}/countries/kaz/",
             "dashboard": f"/{lang}/dashboard/", "pledge-form": f"/{lang}/pledges/{world.gh_pledge.pk}/edit/",
             "indicators": f"/{lang}/indicators/"}
    wide, sides = {}, {}
    for device in ["phone", "desktop"]:
        context = _signed_in(browser, live_server, world.fp, desktop=device == "desktop")
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert page.evaluate("() => document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
            if device == "phone":
                width = page.evaluate("() => document.documentElement.scrollWidth")
                if width > WIDTH:
                    wide[path] = (width, page.evaluate(OVERFLOWING))
            else:
                sides[name] = page.evaluate(RTL_NAV_SIDE)
            page.screenshot(path=screenshot_dir / f"{lang}-{device}-{name}.png", full_page=True)
        context.close()
    assert wide == {}
    for name, side in sides.items():
        # The brand starts the header: on the right in Arabic, with the menu to its left.
        if lang == "ar":
            assert side["brand"] > side["width"] / 2 > side["nav"], (name, side)
        else:
            assert side["brand"] < side["width"] / 2, (name, side)


SMALLEST_LABEL = """() => Math.min(...[...document.querySelectorAll('svg text')].map(t => {
    const svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    return parseFloat(getComputedStyle(t).fontSize) * scale; }))"""


def test_chart_labels_are_readable_on_a_phone(world, live_server, browser, screenshot_dir):
    context = _phone(browser)
    page = context.new_page()
    sizes = {}
    for path in ["/en/indicators/", "/en/countries/kaz/", f"/en/pledges/{world.kz_pledge.pk}/",
                 "/ru/members/representativeness/"]:
        page.goto(live_server.url + path)
        sizes[path] = round(page.evaluate(SMALLEST_LABEL), 1)
    page.goto(live_server.url + "/en/indicators/")
    page.screenshot(path=screenshot_dir / "phone-indicators.png", full_page=True)
    context.close()
    assert all(size >= 12 for size in sizes.values()), sizes
