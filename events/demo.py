"""Demo events for `make run`: a WHA side event, an online workshop and a Core Group meeting."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from events import services
from events.models import Event, Kind, Material, Occasion, Theme


def _next(month: int, day: int) -> date:
    """The next ``month``/``day`` at least three weeks away, so demo events stay upcoming."""
    today = timezone.localdate()
    candidate = date(today.year, month, day)
    return candidate if candidate - today >= timedelta(days=21) else date(today.year + 1, month, day)


def load():
    """Create the demo events that are missing; a second run duplicates nothing."""
    wha = _next(5, 20)
    workshop = timezone.localdate() + timedelta(days=30)
    core = _next(12, 3)
    demo = [
        dict(
            title="PHC Coalition side event at the World Health Assembly", kind=Kind.GLOBAL, occasion=Occasion.WHA,
            starts_at=datetime.combine(wha, time(12, 30)), ends_at=datetime.combine(wha, time(14, 0)),
            timezone="Europe/Zurich", capacity=80, venue="Palais des Nations, Room XXIII, Geneva",
            description="Ministers of Coalition members present how primary health care is reshaping their "
                        "health systems, one year after their pledges.",
            registration_closes_at=datetime.combine(wha - timedelta(days=2), time(18, 0)),
        ),
        dict(
            title="Workshop: resourcing primary health care", kind=Kind.WORKSHOP, theme=Theme.RESOURCING,
            starts_at=datetime.combine(workshop, time(9, 0)), ends_at=datetime.combine(workshop, time(11, 30)),
            timezone="Asia/Almaty", capacity=3, online_url="https://meet.example.org/phc-resourcing",
            description="Budgeting for PHC: protecting primary care spending and paying providers for results.",
        ),
        dict(
            title="Core Group annual meeting", kind=Kind.CORE_GROUP, public=False,
            starts_at=datetime.combine(core, time(10, 0)), ends_at=datetime.combine(core + timedelta(days=1), time(16, 0)),
            timezone="Asia/Almaty", capacity=30, venue="Astana, Kazakhstan",
            online_url="https://meet.example.org/phc-core-group",
            description="The Core Group reviews the year's work plan and the Secretariat's report.",
        ),
    ]
    for fields in demo:
        if Event.objects.filter(title=fields["title"]).exists():
            continue
        event = services.create_event(**fields)
        if event.kind == Kind.GLOBAL:
            services.add_material(event=event, kind=Material.Kind.AGENDA, title="Draft agenda",
                                  url="https://www.who.int/about/governance/world-health-assembly")
