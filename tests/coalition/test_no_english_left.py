"""Every public page and the focal point's pages, in each language, with no English UI string left.

For each language, the interface strings are the catalogue's msgids whose translation differs from
the English (so "PDF" or "CSV" do not count) and that are long enough to be sentences or labels.
A page rendered in that language must contain none of them: a string that shows up in English is a
string the template forgot to mark, or one the catalogue lacks.
"""

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.translation import to_locale

from events import services as event_services
from tests.coalition.test_translations import read_po
from tests.factories import StaffFactory, member
from tests.pledges.conftest import make_focal_point, publish_with_report, since

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
MIN_LENGTH = 12


def interface_strings(language):
    po = read_po(Path(settings.BASE_DIR) / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po")
    strings = set()
    for entry in po:
        if entry.obsolete or entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
            continue
        if len(entry.msgid) >= MIN_LENGTH and entry.msgstr and entry.msgstr != entry.msgid:
            strings.add(entry.msgid)
    return strings


def visible_text(response):
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    # Attributes people read (labels of controls, alternatives of pictures) count as text.
    attributes = " ".join(re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*)"', body))
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body) + " " + attributes))


@pytest.fixture
def site(db):
    for iso2 in ["GH", "BR"]:
        member(iso2, since=since())
    kz = member("KZ", since=since()).country
    staff = StaffFactory()
    fp = make_focal_point(kz, email="fp@kz.example.org")
    pledge, report = publish_with_report(kz, fp, staff)
    start = timezone.now() + timedelta(days=20)
    event = event_services.create_event(title="Side event", kind="global", occasion="wha", starts_at=start,
                                        ends_at=start + timedelta(hours=2), timezone="Europe/Zurich",
                                        venue="Palais des Nations")
    return {"fp": fp, "pledge": pledge, "report": report, "event": event}


def public_paths(site):
    return ["", "members/", "members/?status=all", "countries/kaz/", "indicators/", "pledges/",
            f"pledges/{site['pledge'].pk}/", f"progress/{site['report'].pk}/", "events/",
            f"events/{site['event'].pk}/", "champions/", "accounts/login/", "accounts/signup/", "no-such-page/"]


def focal_point_paths(site):
    return ["dashboard/", f"pledges/{site['pledge'].pk}/", f"pledges/{site['pledge'].pk}/changes/"]


def user_content():
    """What people typed (pledge texts, narratives, event details): English here, and rightly so."""
    from django.db import models as m

    from events.models import Event
    from pledges.models import Commitment, CommitmentProgress, Indicator, Pledge

    values = set()
    for model in [Pledge, Commitment, Indicator, CommitmentProgress, Event]:
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (m.CharField, m.TextField))]
        for row in model.objects.values_list(*fields):
            values.update(v for v in row if v and len(v) > 3)
    return sorted(values, key=len, reverse=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_interface_string_is_left_on_any_page(client, site, language):
    strings = interface_strings(language)
    assert len(strings) > 500
    content = user_content()
    left = {}
    for signed_in, paths in [(False, public_paths(site)), (True, focal_point_paths(site))]:
        if signed_in:
            client.force_login(site["fp"])
        for path in paths:
            response = client.get(f"/{language}/{path}")
            assert response.status_code in (200, 404), (path, response.status_code)
            text = visible_text(response)
            for value in content:
                text = text.replace(value, " ")
            found = sorted(s for s in strings if s in text)
            if found:
                left[path] = found
    assert left == {}
    # The same look at the English pages finds the strings: the check above could fail.
    english = visible_text(client.get("/en/members/")) + visible_text(client.get("/en/dashboard/"))
    assert len([s for s in strings if s in english]) > 20
