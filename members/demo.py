"""Demo memberships for `make run`: a few countries at different points of the calendar."""

from datetime import date

from members import services
from members.models import Country, Membership

DEMO_MEMBERS = [
    # iso2, letter received, contact, language
    ("KZ", date(2023, 10, 25), "Aigerim Nurlanovna", "ru"),
    ("GH", date(2022, 3, 1), "Dr Ama Mensah", "en"),
    ("SN", date(2024, 5, 28), "Awa Diop", "fr"),
    ("BR", date(2021, 12, 10), "Dr Paulo Souza", "en"),
    ("TH", date(2020, 9, 23), "Dr Somchai Prasert", "en"),
]


def load():
    _memberships()
    _core_group()


def _memberships():
    for iso2, received_on, contact, language in DEMO_MEMBERS:
        country = Country.objects.get(iso2=iso2)
        if Membership.objects.filter(country=country).exists():
            continue
        services.accede(
            country=country, received_on=received_on, contact_name=contact,
            contact_email=f"focal.point@{iso2.lower()}.demo.phc-coalition.org", contact_language=language,
        )


def _core_group():
    from members import core_group
    from members.models import CoreGroupSeat

    if CoreGroupSeat.objects.exists():
        return
    for iso2, start in [("KZ", date(2023, 10, 25)), ("TH", date(2023, 1, 1)), ("GH", date(2024, 3, 1))]:
        core_group.grant_seat(country=Country.objects.get(iso2=iso2), start=start)
