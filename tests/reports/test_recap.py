"""The Core Group meeting recap: its figures from a known record, the page, the PDF and who may read them."""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from reports import services
from reports.models import Kind, ReportRequest
from reports.recap import recap_data, window
from tests.reports.conftest import OUTPUT, pdf_text

UTC = zoneinfo.ZoneInfo("UTC")
TODAY = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
MEETING_DAY = date(2025, 11, 20)  # this year's meeting: the recap covers 20 Nov 2024 – 19 Nov 2025


@dataclass
class Record:
    staff: object
    kz_fp: object
    fr_fp: object
    de_fp: object
    meeting: object  # this year's (today's) Core Group meeting
    last_meeting: object


def _at(time_machine, *args):
    time_machine.move_to(datetime(*args, 9, 0, tzinfo=UTC), tick=False)


def build_record(time_machine) -> Record:
    """A year of the Coalition, told in order (figures expected in the 12 months before 20 Nov 2025):

    - before: KZ (member 2021, permanent seat), CH (member 2020), DE (member 2021), IT (member 2020,
      seat from 2022, notice on 1 Sep 2024: membership and seat end on 1 Apr 2025); KZ's pledge (2024);
    - 1 Dec 2024: last year's Core Group meeting, one KZ delegate; two decisions, four action items;
    - 15 Jan 2025: CH granted a seat; 1 Feb 2025: FR accedes; 1 Mar 2025: DE gives notice, withdrawn 1 Jun;
    - 10 Apr 2025: FR's pledge published; 20 May 2025: WHA side event, two KZ delegates and one FR,
      one person from the public form; 25 May 2025: KZ's progress report published;
    - 10 Sep 2025: members' webinar, one FR delegate; 20 Nov 2025 (today): this year's meeting, not counted.
    """
    from events import services as events
    from events.models import Kind as EventKind
    from governance import services as governance
    from governance.models import ActionItem, Decision, Meeting
    from members import core_group
    from members import services as members
    from pledges import services as pledges
    from tests.factories import StaffFactory, member
    from tests.pledges.conftest import entries_for, make_focal_point, publish

    _at(time_machine, 2024, 6, 1)
    staff = StaffFactory(email="staff@example.org", language="en")
    kz = member("KZ", since=date(2021, 5, 10)).country
    core_group.grant_seat(country=kz, start=date(2021, 5, 10))
    ch = member("CH", since=date(2020, 5, 10)).country
    de_membership = member("DE", since=date(2021, 1, 1))
    it_membership = member("IT", since=date(2020, 4, 1))
    core_group.grant_seat(country=it_membership.country, start=date(2022, 4, 1))
    kz_fp = make_focal_point(kz, email="fp@kz.example.org", language="ru")
    de_fp = make_focal_point(de_membership.country, email="fp@de.example.org", language="en")
    kz_pledge = publish(kz, kz_fp, staff)
    _at(time_machine, 2024, 9, 1)
    members.give_notice(membership=it_membership, received_on=date(2024, 9, 1))

    _at(time_machine, 2024, 11, 1)
    last_meeting = events.create_event(
        title="Core Group annual meeting 2024", kind=EventKind.CORE_GROUP, public=False,
        starts_at=datetime(2024, 12, 1, 10, 0), ends_at=datetime(2024, 12, 1, 17, 0), timezone="Asia/Almaty",
        venue="Astana",
    )
    events.register(event=last_meeting, name="Delegate of Kazakhstan", email="d1@kz.example.org", country=kz,
                    by=staff)

    _at(time_machine, 2024, 12, 2)
    record = governance.save_meeting(meeting=Meeting(event=last_meeting, minutes_en="Minutes."), by=staff)
    first = governance.save_decision(decision=Decision(meeting=record, text_en="Adopt the 2025 work plan."), by=staff)
    second = governance.save_decision(decision=Decision(meeting=record, text_en="Hold a workshop on financing."),
                                      by=staff)
    items = {
        "done": ActionItem(decision=first, description="Circulate the work plan", owner_country=kz,
                           due_on=date(2025, 3, 1)),
        "in_progress": ActionItem(decision=first, description="Draft the annual report", due_on=date(2025, 6, 30)),
        "open": ActionItem(decision=first, description="Propose co-leads", owner_country=kz, due_on=date(2025, 9, 30)),
        "dropped": ActionItem(decision=second, description="Find a venue in Geneva", due_on=date(2025, 12, 31)),
    }
    for item in items.values():
        governance.save_action_item(item=item, by=staff)

    _at(time_machine, 2025, 1, 15)
    core_group.grant_seat(country=ch, start=date(2025, 1, 15))
    _at(time_machine, 2025, 2, 1)
    fr = member("FR", since=date(2025, 2, 1)).country
    fr_fp = make_focal_point(fr, email="fp@fr.example.org", language="fr")
    _at(time_machine, 2025, 2, 20)
    governance.set_action_item_status(item=items["done"], status="done", by=staff)
    _at(time_machine, 2025, 3, 1)
    members.give_notice(membership=de_membership, received_on=date(2025, 3, 1))
    _at(time_machine, 2025, 4, 10)
    members.renew_due_memberships(today=date(2025, 4, 10))  # Italy's membership ends on 1 April
    publish(fr, fr_fp, staff)
    wha = events.create_event(
        title="WHA78 side event", kind=EventKind.GLOBAL, occasion="wha",
        starts_at=datetime(2025, 5, 20, 13, 0), ends_at=datetime(2025, 5, 20, 15, 0), timezone="Europe/Zurich",
        venue="Palais des Nations, Geneva",
    )
    webinar = events.create_event(
        title="Members' webinar", kind=EventKind.WEBINAR, public=False, online_url="https://meet.example.org/r",
        starts_at=datetime(2025, 9, 10, 12, 0), ends_at=datetime(2025, 9, 10, 13, 0), timezone="UTC",
    )
    events.register(event=wha, name="Minister", email="d2@kz.example.org", country=kz, by=kz_fp)
    events.register(event=wha, name="Adviser", email="d3@kz.example.org", country=kz, by=staff)
    events.register(event=wha, name="Ambassador", email="d1@fr.example.org", country=fr, by=fr_fp)
    events.register(event=wha, name="Says Germany", email="someone@example.org", country=de_membership.country)
    events.register(event=webinar, name="Ambassador", email="d1@fr.example.org", country=fr, by=fr_fp)
    _at(time_machine, 2025, 5, 25)
    report = pledges.start_progress_report(pledge=kz_pledge, by=kz_fp)
    pledges.save_progress_draft(report=report, by=kz_fp, entries=entries_for(report, value=70))
    pledges.submit_progress_report(report=report, by=kz_fp)
    pledges.publish_progress_report(report=report, by=staff)
    _at(time_machine, 2025, 6, 1)
    members.withdraw_notice(membership=de_membership, on=date(2025, 6, 1))
    _at(time_machine, 2025, 6, 2)
    governance.set_action_item_status(item=items["in_progress"], status="in_progress", by=staff)
    governance.set_action_item_status(item=items["dropped"], status="dropped", by=staff)

    _at(time_machine, 2025, 11, 1)
    meeting = events.create_event(
        title="Core Group annual meeting 2025", kind=EventKind.CORE_GROUP, public=False,
        starts_at=datetime(2025, 11, 20, 10, 0), ends_at=datetime(2025, 11, 20, 17, 0), timezone="Asia/Almaty",
        venue="Astana",
    )
    time_machine.move_to(TODAY, tick=False)
    members.renew_due_memberships(today=TODAY.date())
    return Record(staff=staff, kz_fp=kz_fp, fr_fp=fr_fp, de_fp=de_fp, meeting=meeting, last_meeting=last_meeting)


@pytest.fixture
def record(db, time_machine) -> Record:
    return build_record(time_machine)


EXPECTED = {
    "accessions": 1, "notices": 1, "withdrawals": 1, "terminations": 1, "seats_granted": 1, "seats_ended": 1,
    "pledges": 1, "progress_reports": 1, "events": 3, "delegates": 5, "countries": 2, "decisions": 2,
    "action_items": 4, "overdue": 2,
}


def test_window_is_the_twelve_months_before_the_meeting():
    assert window(date(2025, 11, 20)) == (date(2024, 11, 20), date(2025, 11, 20))
    assert window(date(2028, 2, 29)) == (date(2027, 2, 28), date(2028, 2, 29))


def test_figures_of_the_known_record(record):
    data = recap_data(until=MEETING_DAY)
    assert data["figures"] == EXPECTED
    assert (data["start"], data["last_day"], data["as_of"]) == (date(2024, 11, 20), date(2025, 11, 19),
                                                                date(2025, 11, 19))
    assert [m.country.iso2 for m in data["accessions"]] == ["FR"]
    assert [(m.country.iso2, n.received_on) for m, n in data["notices"]] == [("DE", date(2025, 3, 1))]
    assert [(m.country.iso2, n.withdrawn_on) for m, n in data["withdrawals"]] == [("DE", date(2025, 6, 1))]
    assert [(m.country.iso2, end) for m, end in data["terminations"]] == [("IT", date(2025, 4, 1))]
    assert [(s.country.iso2, s.start) for s in data["seats_granted"]] == [("CH", date(2025, 1, 15))]
    assert [(s.country.iso2, s.end) for s in data["seats_ended"]] == [("IT", date(2025, 4, 1))]
    assert [p.country.iso2 for p in data["pledges"]] == ["FR"]  # Kazakhstan's was published in 2024
    assert [r.pledge.country.iso2 for r in data["progress_reports"]] == ["KZ"]
    # Today's meeting is the one the recap is for: not among the events held before it.
    assert [e.title for e in data["events"]] == ["Core Group annual meeting 2024", "WHA78 side event",
                                                 "Members' webinar"]
    assert [(e.delegates, e.countries) for e in data["events"]] == [(1, 1), (3, 2), (1, 1)]
    # Germany was only named on the public form: not a delegate.
    assert [(c["iso3"], c["delegates"], c["events"]) for c in data["participation"]] == [("KAZ", 3, 2),
                                                                                      ("FRA", 2, 2)]
    assert [(k["kind"], k["events"], k["delegates"], k["countries"]) for k in data["events_by_kind"]] == [
        ("global", 1, 3, 2), ("core_group", 1, 1, 1), ("webinar", 1, 1, 1)]
    assert [d.number for d in data["decisions"]] == [1, 2]
    assert {s["status"]: s["count"] for s in data["items_by_status"]} == {
        "open": 1, "in_progress": 1, "done": 1, "dropped": 1}


def test_a_meeting_ahead_counts_what_is_on_the_record_today(record):
    # Prepared today for a meeting on 10 Dec: from 10 Dec 2024, so last year's meeting (1 Dec) is left out,
    # and so is today's, still under way.
    data = recap_data(until=date(2025, 12, 10))
    assert (data["start"], data["as_of"]) == (date(2024, 12, 10), date(2025, 11, 20))
    assert [e.title for e in data["events"]] == ["WHA78 side event", "Members' webinar"]
    assert data["figures"]["decisions"] == 0 and data["figures"]["accessions"] == 1


def test_an_earlier_window_sees_none_of_this_year(record):
    data = recap_data(until=date(2024, 11, 20))
    figures = data["figures"]
    assert figures["accessions"] == 0 and figures["decisions"] == 0 and figures["events"] == 0
    assert [p.country.iso2 for p in data["pledges"]] == ["KZ"]
    assert [(m.country.iso2, n.received_on) for m, n in data["notices"]] == [("IT", date(2024, 9, 1))]


def test_the_recap_takes_a_fixed_number_of_queries(record, django_assert_num_queries):
    with django_assert_num_queries(10):
        recap_data(until=MEETING_DAY)


def test_country_names_are_in_the_readers_language(record):
    with translation.override("fr"):
        data = recap_data(until=MEETING_DAY)
    assert [c["name"] for c in data["participation"]] == ["Kazakhstan", "France"]
    with translation.override("ru"):
        data = recap_data(until=MEETING_DAY)
    assert [c["name"] for c in data["participation"]] == ["Казахстан", "Франция"]


# --- The page ------------------------------------------------------------------------------------------------


def _url(language="en", **params):
    from urllib.parse import urlencode

    with translation.override(language):
        return reverse("reports:recap") + ("?" + urlencode(params) if params else "")


def _figure(html: str, key: str) -> int:
    match = re.search(rf'id="figure-{key}"><span class="big-number">(\d+)</span>', html)
    assert match, key
    return int(match.group(1))


def test_core_group_focal_point_reads_the_figures(client, record):
    client.force_login(record.kz_fp)
    response = client.get(_url(until="2025-11-20"))
    assert response.status_code == 200
    html = response.content.decode()
    assert {key: _figure(html, key) for key in EXPECTED} == EXPECTED
    assert "from 20 Nov 2024 to 19 Nov 2025" in html
    for text in ["France", "Germany", "Italy", "Switzerland", "WHA78 side event", "Adopt the 2025 work plan.",
                 "Propose co-leads", "Secretariat"]:
        assert text in html, text
    assert "Build the PDF" not in html  # staff only


def test_the_page_of_a_meeting_is_the_twelve_months_before_it(client, record):
    client.force_login(record.kz_fp)
    html = client.get(_url(meeting=record.meeting.pk)).content.decode()
    assert "Core Group annual meeting 2025" in html and "from 20 Nov 2024 to 19 Nov 2025" in html
    assert _figure(html, "decisions") == 2
    # Last year's meeting: its own year, before its decisions were taken.
    html = client.get(_url(meeting=record.last_meeting.pk)).content.decode()
    assert "from 1 Dec 2023 to 30 Nov 2024" in html and _figure(html, "decisions") == 0


def test_without_a_date_the_recap_ends_yesterday(client, record):
    client.force_login(record.staff)
    html = client.get(_url()).content.decode()
    assert "from 20 Nov 2024 to 19 Nov 2025" in html


def test_in_french_dates_and_country_names_are_french(client, record):
    client.force_login(record.kz_fp)
    html = client.get(_url("fr", until="2025-11-20")).content.decode()
    assert "20 novembre 2024" in html and "19 novembre 2025" in html
    assert "Allemagne" in html and "Italie" in html and "Suisse" in html
    assert _figure(html, "delegates") == 5


def test_staff_get_the_button_that_builds_the_pdf_in_their_language(client, record):
    client.force_login(record.staff)
    html = client.get(_url("fr", until="2025-11-20")).content.decode()
    with translation.override("fr"):
        assert f'action="{reverse("reports:list")}"' in html
    assert 'name="kind" value="recap"' in html and 'name="language" value="fr"' in html
    assert 'name="until" value="2025-11-20"' in html
    with translation.override("fr"):
        list_url = reverse("reports:list")
    response = client.post(list_url, {"kind": "recap", "language": "fr", "until": "2025-11-20"})
    report = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.pk}/")
    assert (report.kind, report.language, report.until, report.year, report.country) == (
        "recap", "fr", MEETING_DAY, None, None)


@pytest.mark.parametrize("who", ["fr_fp", "de_fp"])
def test_other_focal_points_get_404(client, record, who):
    client.force_login(getattr(record, who))
    assert client.get(_url(until="2025-11-20")).status_code == 404
    assert client.get(_url(meeting=record.meeting.pk)).status_code == 404


def test_signed_out_visitors_are_asked_to_sign_in(client, record):
    response = client.get(_url(until="2025-11-20"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("params", [{"meeting": "abc"}, {"meeting": "999999"}, {"meeting": "webinar"}])
def test_a_meeting_that_is_not_a_core_group_meeting_is_404(client, record, params):
    from events.models import Event

    if params["meeting"] == "webinar":
        params = {"meeting": Event.objects.get(title="Members' webinar").pk}
    client.force_login(record.staff)
    assert client.get(_url(**params)).status_code == 404


@pytest.mark.parametrize("typed, message", [
    ("2025-13-45", "Enter a valid date."),
    ("1999-12-31", "Choose a date from 1 Jan 2001 to 21 Nov 2026."),
])
def test_a_bad_date_says_why_and_keeps_what_was_typed(client, record, typed, message):
    client.force_login(record.kz_fp)
    response = client.get(_url(until=typed))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and f'value="{typed}"' in html
    assert 'id="figure-accessions"' not in html


def test_the_page_takes_a_fixed_number_of_queries(client, record, django_assert_max_num_queries):
    client.force_login(record.kz_fp)
    client.get(_url(until="2025-11-20"))  # sessions, caches
    with django_assert_max_num_queries(24):
        assert client.get(_url(until="2025-11-20")).status_code == 200


# --- The PDF, through the report machinery ------------------------------------------------------------


def _build(record, language):
    report, created = services.request_report(kind=Kind.RECAP, language=language, until=MEETING_DAY,
                                              by=record.staff, enqueue=False)
    assert created
    assert services.build_report(report_id=report.pk) == "ready"
    report.refresh_from_db()
    from tests.reports.conftest import read_file

    return report, read_file(report)


def _kpis(text: str, language: str = "en") -> str:
    """The key figures' table, as one line: from the heading "In brief" to "Members" (in the language)."""
    with translation.override(language):
        start, end = translation.gettext("In brief"), translation.gettext("Members")
    return " ".join(text[text.index(start):text.index(f"{end}\n")].split())


def test_the_pdf_has_the_figures(record):
    report, pdf = _build(record, "en")
    text = pdf_text(pdf)
    assert "Core Group meeting recap" in text and "from 20 Nov 2024 to 19 Nov 2025" in " ".join(text.split())
    assert report.download_name() == "phc-coalition-recap-2025-11-20-en.pdf"
    kpis = _kpis(text)
    for value, label in [(1, "Accessions"), (1, "Notices withdrawn"), (1, "Core Group seats granted"),
                         (1, "Pledges published"), (3, "Events held"), (5, "Confirmed delegates"),
                         (2, "Countries taking part"), (2, "Decisions taken"), (4, "Action items"),
                         (2, "Action items overdue")]:
        assert re.search(rf"(^| ){label} {value}( |$)", kpis), (value, label, kpis)
    for phrase in ["France", "Germany", "Italy", "Switzerland", "WHA78 side event", "Kazakhstan",
                   "Adopt the 2025 work plan.", "Circulate the work plan", "Done", "Dropped", "In progress"]:
        assert phrase in text, phrase
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "recap-en.pdf").write_bytes(pdf)


def test_the_french_pdf_has_french_dates_and_names(record):
    _report, pdf = _build(record, "fr")
    text = " ".join(pdf_text(pdf).split())
    assert "20 novembre 2024" in text and "19 novembre 2025" in text
    for name in ["Allemagne", "Italie", "Suisse", "Kazakhstan"]:
        assert name in text, name
    assert "1 février 2025" in text  # France's accession
    from django.utils.text import capfirst

    from reports.recap import FIGURES

    kpis = _kpis(pdf_text(pdf), "fr")
    with translation.override("fr"):
        for key, label in FIGURES:
            assert re.search(rf"(^| ){re.escape(capfirst(str(label)))} {EXPECTED[key]}( |$)", kpis), (key, kpis)
    (OUTPUT / "recap-fr.pdf").write_bytes(pdf)


@pytest.mark.parametrize("params, code", [
    ({}, "no_until"),
    ({"until": date(2027, 1, 1)}, "bad_until"),
    ({"until": date(2000, 6, 1)}, "bad_until"),
])
def test_what_cannot_be_built_is_refused(record, params, code):
    with pytest.raises(ValidationError) as error:
        services.request_report(kind=Kind.RECAP, language="en", by=record.staff, **params)
    assert error.value.code == code
    assert not ReportRequest.objects.exists()


def test_a_recap_with_a_country_is_refused(record):
    from members.models import Country

    with pytest.raises(ValidationError) as error:
        services.check_parameters(kind=Kind.RECAP, language="en", year=None, country=Country.objects.get(iso2="KZ"),
                                  today=MEETING_DAY, until=MEETING_DAY)
    assert error.value.code == "country"


def test_asking_twice_gives_the_same_request_and_a_recap_is_never_published(record):
    first, created = services.request_report(kind=Kind.RECAP, language="en", until=MEETING_DAY, by=record.staff,
                                             enqueue=False)
    again, created_again = services.request_report(kind=Kind.RECAP, language="en", until=MEETING_DAY,
                                                   by=record.staff, enqueue=False)
    assert created and not created_again and again.pk == first.pk
    other, created = services.request_report(kind=Kind.RECAP, language="en", until=date(2025, 12, 1),
                                             by=record.staff, enqueue=False)
    assert created and other.pk != first.pk
    services.build_report(report_id=first.pk)
    first.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.publish_report(report=first, by=record.staff)
    assert error.value.code == "recap"


def test_only_staff_read_a_built_recap(client, record):
    report, _pdf = _build(record, "en")
    client.force_login(record.kz_fp)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    client.force_login(record.staff)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200


def test_the_requester_is_told_with_the_meeting_date_in_their_language(record, django_capture_on_commit_callbacks):
    from django.core import mail

    record.staff.language = "fr"
    record.staff.save(update_fields=["language"])
    report, _ = services.request_report(kind=Kind.RECAP, language="en", until=MEETING_DAY, by=record.staff,
                                        enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.build_report(report_id=report.pk)
    [message] = mail.outbox
    assert message.to == ["staff@example.org"] and "20 novembre 2025" in message.subject
    assert f"/fr/reports/{report.pk}/" in message.body


def test_build_report_command_writes_a_recap(record, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "recap.pdf"
    call_command("build_report", "recap", "--until", "2025-11-20", "--language", "fr", "--output", str(out))
    assert "Allemagne" in pdf_text(out.read_bytes())
    with pytest.raises(CommandError, match="Choose the date of the Core Group meeting"):
        call_command("build_report", "recap", "--output", str(out))
