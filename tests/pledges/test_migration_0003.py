"""The data migration pledges 0003_indicators: free-text figures become numbers, and nothing is lost."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("pledges", "0002_focal_point_public_contact")
AFTER = ("pledges", "0003_indicators")


def _migrate(executor, targets):
    executor.migrate(targets)
    executor.loader.build_graph()


def _country(apps):
    Country = apps.get_model("members", "Country")
    country = Country.objects.filter(iso3="KAZ").first()
    if country is None:
        country = Country.objects.create(
            iso3="KAZ", iso2="KZ", m49="398", name="Kazakhstan", name_official="Republic of Kazakhstan",
            who_region="EUR",
        )
    return country


def _old_data(apps):
    """A member with a pledge, three commitments and a progress report, as the old schema held them."""
    LetterOfInterest = apps.get_model("members", "LetterOfInterest")
    Membership = apps.get_model("members", "Membership")
    Term = apps.get_model("members", "Term")
    Pledge = apps.get_model("pledges", "Pledge")
    Commitment = apps.get_model("pledges", "Commitment")
    ProgressReport = apps.get_model("pledges", "ProgressReport")
    CommitmentProgress = apps.get_model("pledges", "CommitmentProgress")

    country = _country(apps)
    letter = LetterOfInterest.objects.create(
        country=country, received_on=date(2024, 3, 1), contact_name="Contact Person",
        contact_email="contact@kz.example.org", status="accepted", decided_at=timezone.now(),
    )
    membership = Membership.objects.create(
        country=country, letter=letter, started_on=date(2024, 3, 1), expires_on=date(2029, 3, 1),
    )
    term = Term.objects.create(membership=membership, number=1, start=date(2024, 3, 1), end=date(2029, 3, 1))
    pledge = Pledge.objects.create(
        country=country, membership=membership, term=term, title="Health for all families",
        vision="Care close to home.", status="draft",
    )
    measured = Commitment.objects.create(
        pledge=pledge, position=1, description="Cut what households pay at the point of care.",
        levers=["funding"], components=["empowered_people"],
        indicator="Out-of-pocket share", baseline="40% (2023)", target="about 20%",
        target_date=date(2030, 1, 1),
    )
    unknown = Commitment.objects.create(
        pledge=pledge, position=2, description="Staff every district with PHC teams.",
        levers=["workforce"], components=["integrated_services"],
        indicator="PHC teams", baseline="unknown", target="500",
        target_date=date(2028, 6, 30),
    )
    untracked = Commitment.objects.create(
        pledge=pledge, position=3, description="Adopt a PHC law.", levers=["governance"], components=[],
    )
    report = ProgressReport.objects.create(pledge=pledge, year=2025, due_on=date(2026, 3, 1), status="draft")
    on_track = CommitmentProgress.objects.create(
        report=report, commitment=measured, status="on_track", current_value="30%",
        narrative="Co-payments were abolished for children.",
    )
    off_track = CommitmentProgress.objects.create(
        report=report, commitment=unknown, status="off_track", current_value="about 120 teams",
        narrative="",
    )
    not_started = CommitmentProgress.objects.create(
        report=report, commitment=untracked, status="not_started", current_value="", narrative="Drafting.",
    )
    return {
        "pledge": pledge.pk, "measured": measured.pk, "unknown": unknown.pk, "untracked": untracked.pk,
        "report": report.pk, "on_track": on_track.pk, "off_track": off_track.pk, "not_started": not_started.pk,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_0003_turns_free_text_figures_into_numbers_and_keeps_the_rest():
    executor = MigrationExecutor(connection)
    try:
        _migrate(executor, [BEFORE])
        old_apps = executor.loader.project_state([BEFORE]).apps
        ids = _old_data(old_apps)

        _migrate(executor, [AFTER])
        new_apps = executor.loader.project_state([AFTER]).apps
        Commitment = new_apps.get_model("pledges", "Commitment")
        Indicator = new_apps.get_model("pledges", "Indicator")
        IndicatorValue = new_apps.get_model("pledges", "IndicatorValue")
        CommitmentProgress = new_apps.get_model("pledges", "CommitmentProgress")

        # Every commitment and entry is still there, with its text.
        assert Commitment.objects.filter(pledge_id=ids["pledge"]).count() == 3
        measured = Commitment.objects.get(pk=ids["measured"])
        assert measured.description == "Cut what households pay at the point of care."
        assert measured.target_date == date(2030, 1, 1)
        assert CommitmentProgress.objects.filter(report_id=ids["report"]).count() == 3

        # The measured commitment: one indicator with numbers; the inexact target text kept in the note.
        indicator = Indicator.objects.get(commitment_id=ids["measured"])
        assert indicator.position == 1
        assert indicator.name == "Out-of-pocket share"
        assert indicator.unit == "percent"
        assert indicator.currency == ""
        assert indicator.baseline_value == Decimal(40)
        assert indicator.baseline_year == 2023
        assert indicator.target_value == Decimal(20)
        assert indicator.target_year == 2030  # from the target date: the text gave no year
        assert "about 20%" in indicator.note
        assert "40% (2023)" not in indicator.note  # read exactly: nothing to keep

        # Its reported value, in the report's year.
        value = IndicatorValue.objects.get(indicator=indicator)
        assert value.report_id == ids["report"]
        assert value.value == Decimal(30)
        assert value.year == 2025

        on_track = CommitmentProgress.objects.get(pk=ids["on_track"])
        assert on_track.completion == "substantial"
        assert on_track.narrative == "Co-payments were abolished for children."  # 30% was read exactly

        # The commitment whose baseline was "unknown": the text is kept in the note, the target read.
        unknown = Indicator.objects.get(commitment_id=ids["unknown"])
        assert unknown.name == "PHC teams"
        assert unknown.unit == "count"
        assert unknown.baseline_value is None
        assert unknown.baseline_year is None
        assert unknown.target_value == Decimal(500)
        assert unknown.target_year == 2028
        assert "unknown" in unknown.note
        assert "500" not in unknown.note

        # Its inexact reported value is read and also kept, word for word, in the narrative.
        off_track = CommitmentProgress.objects.get(pk=ids["off_track"])
        assert off_track.completion == "limited"
        assert "about 120 teams" in off_track.narrative
        assert IndicatorValue.objects.get(indicator=unknown).value == Decimal(120)

        # A commitment without indicator, baseline or target gets no indicator.
        assert not Indicator.objects.filter(commitment_id=ids["untracked"]).exists()
        not_started = CommitmentProgress.objects.get(pk=ids["not_started"])
        assert not_started.completion == "not_started"
        assert not_started.narrative == "Drafting."

        assert Indicator.objects.filter(commitment__pledge_id=ids["pledge"]).count() == 2
        assert IndicatorValue.objects.filter(report_id=ids["report"]).count() == 2
    finally:
        # Later tests need the normal schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
