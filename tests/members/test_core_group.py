"""Core Group seats, co-leads and champions."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from coalition import mail
from members import core_group, selectors, services
from members.models import Champion, CoreGroupSeat, Country
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 11, 28), tick=False):
        yield date(2026, 11, 28)


def country(iso2):
    return Country.objects.get(iso2=iso2)


def test_kazakhstan_seat_is_permanent():
    member("KZ", since=date(2023, 10, 25))
    seat = services.grant_seat(country=country("KZ"), start=date(2023, 10, 25))
    assert seat.end is None
    assert country("KZ") in selectors.core_group_on(date(2040, 1, 1))


def test_other_seats_last_three_years():
    member("GH", since=date(2022, 3, 1))
    seat = services.grant_seat(country=country("GH"), start=date(2024, 2, 29))
    assert seat.end == date(2027, 2, 28)
    assert selectors.core_group_on(date(2027, 2, 27)) == [country("GH")]
    assert selectors.core_group_on(date(2027, 2, 28)) == []


def test_only_members_on_the_start_date_get_a_seat():
    member("GH", since=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="not a member"):
        services.grant_seat(country=country("GH"), start=date(2024, 12, 31))
    with pytest.raises(ValidationError, match="not a member"):
        services.grant_seat(country=country("FR"), start=date(2025, 6, 1))
    assert not CoreGroupSeat.objects.exists()


def test_overlapping_seats_are_refused_by_service_and_database():
    member("GH", since=date(2022, 3, 1))
    services.grant_seat(country=country("GH"), start=date(2023, 1, 1))
    with pytest.raises(ValidationError, match="already holds a seat"):
        services.grant_seat(country=country("GH"), start=date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        CoreGroupSeat.objects.create(country=country("GH"), start=date(2025, 1, 1), end=date(2028, 1, 1))
    # Back to back is fine.
    assert services.grant_seat(country=country("GH"), start=date(2026, 1, 1)).start == date(2026, 1, 1)


def test_seat_may_end_early():
    member("GH", since=date(2022, 3, 1))
    seat = services.grant_seat(country=country("GH"), start=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="before it began"):
        services.end_seat(seat=seat, on=date(2025, 1, 1))
    services.end_seat(seat=seat, on=date(2026, 6, 1))
    seat.refresh_from_db()
    assert (seat.end, seat.end_reason) == (date(2026, 6, 1), "stepped_down")


def test_a_seat_never_outlasts_membership():
    with time_machine.travel(date(2022, 3, 2), tick=False):
        m = member("GH", since=date(2022, 3, 1))
        services.give_notice(membership=m, received_on=date(2022, 3, 2))  # ends 2027-03-01
    assert services.grant_seat(country=country("GH"), start=date(2026, 1, 1)).end == date(2027, 3, 1)


def test_ending_a_membership_ends_the_seat_the_same_day():
    with time_machine.travel(date(2023, 7, 1), tick=False):
        m = member("GH", since=date(2020, 1, 1))
        seat = services.grant_seat(country=country("GH"), start=date(2023, 6, 1))
        services.give_notice(membership=m, received_on=date(2023, 7, 1))  # in time: ends 2025-01-01
    seat.refresh_from_db()
    assert seat.end == date(2026, 6, 1)  # granted before the notice
    services.renew_due_memberships(today=date(2025, 1, 1))
    seat.refresh_from_db()
    assert (seat.end, seat.end_reason) == (date(2025, 1, 1), "membership_ended")
    assert selectors.core_group_on(date(2025, 1, 1)) == []


def test_permanent_seat_ends_with_membership():
    with time_machine.travel(date(2021, 6, 1), tick=False):
        m = member("KZ", since=date(2020, 1, 1))
        seat = services.grant_seat(country=country("KZ"), start=date(2020, 1, 1))
        services.give_notice(membership=m, received_on=date(2021, 6, 1))
    services.renew_due_memberships(today=date(2025, 1, 1))
    seat.refresh_from_db()
    assert (seat.end, seat.end_reason) == (date(2025, 1, 1), "membership_ended")


def test_co_lead_must_hold_a_seat_that_year():
    member("GH", since=date(2022, 3, 1))
    services.grant_seat(country=country("GH"), start=date(2024, 7, 1))
    assert core_group.appoint_co_lead(year=2024, line="policy_advocacy", country=country("GH"))
    assert core_group.appoint_co_lead(year=2027, line="policy_advocacy", country=country("GH"))
    with pytest.raises(ValidationError, match="holds no Core Group seat in 2028"):
        core_group.appoint_co_lead(year=2028, line="policy_advocacy", country=country("GH"))
    with pytest.raises(ValidationError, match="already co-leads"):
        core_group.appoint_co_lead(year=2024, line="policy_advocacy", country=country("GH"))


def test_seat_reminder_three_months_before_the_end_exactly_once(mailoutbox, settings):
    member("GH", since=date(2022, 3, 1))
    services.grant_seat(country=country("GH"), start=date(2024, 3, 1))  # ends 2027-03-01
    assert core_group.send_seat_reminders(today=date(2026, 11, 30)) == 0
    assert core_group.send_seat_reminders(today=date(2026, 12, 1)) == 1
    assert core_group.send_seat_reminders(today=date(2026, 12, 2)) == 0
    assert mail.deliver_due() == 1
    assert mailoutbox[0].to == [settings.SECRETARIAT_EMAIL] and "Ghana" in mailoutbox[0].subject


def test_missed_seat_reminder_is_never_sent_after_the_end(mailoutbox):
    member("GH", since=date(2022, 3, 1))
    services.grant_seat(country=country("GH"), start=date(2023, 3, 1))  # ended 2026-03-01
    assert core_group.send_seat_reminders(today=date(2026, 11, 28)) == 0


# Champions -----------------------------------------------------------------------------------
def _image(fmt="PNG", size=(1200, 900)):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 180)).save(out, format=fmt)
    return SimpleUploadedFile(f"photo.{fmt.lower()}", out.getvalue(), content_type=f"image/{fmt.lower()}")


def test_champion_commitments_last_two_years_and_renew_as_a_new_period():
    champion = core_group.save_champion(champion=Champion(name="H.E. A", title="Minister", country=country("GH")))
    first = core_group.add_commitment(champion=champion, start=date(2025, 5, 20))
    assert first.end == date(2027, 5, 20)
    second = core_group.renew_commitment(champion=champion)
    assert (second.start, second.end) == (date(2027, 5, 20), date(2029, 5, 20))
    with pytest.raises(ValidationError, match="already has a commitment"):
        core_group.add_commitment(champion=champion, start=date(2026, 1, 1))
    assert champion.commitments.count() == 2


def test_champion_photo_is_checked_by_content_and_resized():
    champion = core_group.save_champion(champion=Champion(name="H.E. B", title="Senator", country=country("FR")),
                                        photo=_image())
    from PIL import Image

    with Image.open(champion.photo.open("rb")) as stored:
        assert stored.format == "JPEG" and max(stored.size) == core_group.PHOTO_MAX_SIDE
    fake = SimpleUploadedFile("photo.jpg", b"<svg>not really</svg>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not an image"):
        core_group.save_champion(champion=Champion(name="C", title="T", country=country("FR")), photo=fake)
    big = SimpleUploadedFile("photo.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        core_group.validate_photo(big)


def test_public_champions_page_shows_current_champions_only(client):
    now = core_group.save_champion(champion=Champion(name="Current Champion", title="Minister", country=country("GH")),
                                   photo=_image("JPEG"))
    core_group.add_commitment(champion=now, start=date(2026, 1, 1))
    past = core_group.save_champion(champion=Champion(name="Past Champion", title="Minister", country=country("FR")))
    core_group.add_commitment(champion=past, start=date(2020, 1, 1))
    page = client.get(reverse("members:champions")).content.decode()
    assert "Current Champion" in page and "Past Champion" not in page
    photo = client.get(reverse("members:champion-photo", args=[now.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert client.get(reverse("members:champion-photo", args=[past.pk])).status_code == 404


# Rotation page -------------------------------------------------------------------------------
def test_rotation_page_for_staff(client, staff):
    member("KZ", since=date(2023, 10, 25))
    member("GH", since=date(2022, 3, 1))
    member("BR", since=date(2022, 3, 1))
    services.grant_seat(country=country("KZ"), start=date(2023, 10, 25))
    services.grant_seat(country=country("GH"), start=date(2024, 3, 1))
    client.force_login(staff)
    page = client.get(reverse("admin:members_coregroup_rotation")).content.decode()
    assert "<svg" in page and "Kazakhstan" in page and "Ghana" in page
    assert "Seats ending in the next 12 months" in page
    eligible = page.split("eligible to join")[1]
    assert "Brazil" in eligible and "Ghana" not in eligible
    older = client.get(reverse("admin:members_coregroup_rotation"), {"on": "2024-01-01"}).content.decode()
    assert "Core Group on 1 Jan 2024" in older


def test_rotation_page_refuses_others(client):
    assert client.get(reverse("admin:members_coregroup_rotation")).status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("admin:members_coregroup_rotation"), follow=True).status_code == 403


def test_admin_seat_form_shows_the_rule_and_keeps_input(client, staff):
    client.force_login(staff)
    response = client.post(reverse("admin:members_coregroupseat_add"),
                           {"country": country("FR").pk, "start": "2026-01-01"})
    assert response.status_code == 200
    assert "not a member" in response.content.decode()
    member("FR", since=date(2025, 1, 1))
    response = client.post(reverse("admin:members_coregroupseat_add"),
                           {"country": country("FR").pk, "start": "2026-01-01"})
    assert response.status_code == 302
    assert CoreGroupSeat.objects.get().end == date(2029, 1, 1)


def test_commitment_page_adds_a_period_for_staff_only(client, staff):
    champion = core_group.save_champion(champion=Champion(name="H.E. D", title="Minister", country=country("GH")))
    url = reverse("admin:members_champion_commitment", args=[champion.pk])
    client.force_login(UserFactory())
    assert client.post(url, {"start": "2026-01-01"}, follow=True).status_code == 403
    assert not champion.commitments.exists()
    client.force_login(staff)
    assert client.post(url, {"start": "2026-01-01"}).status_code == 302
    overlap = client.post(url, {"start": "2027-01-01"})
    assert "already has a commitment" in overlap.content.decode() and 'value="2027-01-01"' in overlap.content.decode()
    assert [(c.start, c.end) for c in champion.commitments.all()] == [(date(2026, 1, 1), date(2028, 1, 1))]


def test_a_seat_cut_short_by_the_membership_says_so_and_a_permanent_seat_reads_permanent(admin_client):
    member("KZ", since=date(2023, 10, 25))
    services.grant_seat(country=country("KZ"), start=date(2023, 10, 25))
    ghana = member("GH", since=date(2022, 3, 1))
    services.give_notice(membership=ghana, received_on=date(2026, 8, 1))  # ends 1 Mar 2027
    seat = services.grant_seat(country=country("GH"), start=date(2026, 11, 1))
    assert seat.end == date(2027, 3, 1)
    assert seat.end_reason == CoreGroupSeat.EndReason.MEMBERSHIP_ENDED
    page = admin_client.get(reverse("admin:members_coregroupseat_changelist")).content.decode()
    cells = sorted(re.findall(r'<td class="field-how_it_ends">([^<]*)</td>', page))
    assert cells == ["Membership ended", "Permanent seat"]
